internal import Synchronization

/// A module whose package managers are described as data: the generic judge does the judging.
///
/// A conforming module supplies its id, summary, markers, deny patterns and ``descriptions``; programs,
/// rules, judging and undo come from the descriptions.
public protocol DescribedEcosystem: Ecosystem {
    /// One description per package manager the module guards.
    var descriptions: [PackageManagerDescription] { get }
}

extension DescribedEcosystem {
    /// Every program and launcher interpreter the descriptions claim.
    public var programs: [String] {
        var names: [String] = []
        for description in descriptions {
            for name in description.programs + description.launchers.map(\.interpreter) where !names.contains(name) {
                names.append(name)
            }
        }
        return names
    }

    /// Every rule the descriptions can fire.
    public var rules: [Rule] {
        var seen: Set<String> = []
        return descriptions.flatMap(\.rules).filter { seen.insert($0.id).inserted }
    }

    /// The words of its commands that install, remove or change the tool: text that cannot be read and
    /// holds one after a program of the module looks like a package operation.
    public var operationWords: Set<String> {
        var words: Set<String> = []
        func visit(_ command: CommandDescription) {
            switch command.action {
            case .installs, .removes, .selfUpdate, .globalScope: words.formUnion(command.names)
            default: break
            }
            for sub in command.subcommands { visit(sub) }
        }
        for description in descriptions { description.commands.forEach(visit) }
        return words
    }

    /// Judged by the generic judge.
    public func judge(_ invocation: Invocation, in context: JudgementContext) -> Judgement {
        DescribedJudge(ecosystem: id, descriptions: descriptions).judge(invocation, in: context).judgement
    }

    /// The description's undo template, filled in from the command.
    public func undo(_ invocation: Invocation, finding: Finding, in context: JudgementContext) -> String? {
        DescribedJudge(ecosystem: id, descriptions: descriptions).judge(invocation, in: context).undo
    }
}

/// Reads package-manager descriptions: one judge for every described package manager.
///
/// Help, version and dry runs pass; a dynamic command asks; a command that writes is judged by its
/// ``Target``: a location inside the project allows, outside blocks, unresolvable asks; the fix is the
/// command's template, or the same command without the options and words that made it global.
public struct DescribedJudge: Sendable {
    /// The module id findings carry.
    public let ecosystem: String
    /// The package managers.
    public let descriptions: [PackageManagerDescription]

    /// Creates a judge over descriptions.
    public init(ecosystem: String, descriptions: [PackageManagerDescription]) {
        self.ecosystem = ecosystem
        self.descriptions = descriptions
    }

    /// What the judge made of a command: the judgement, and the undo of its block or ask.
    public struct Outcome: Sendable {
        /// The judgement.
        public var judgement: Judgement
        /// The command that undoes it, when the description has one.
        public var undo: String?
        /// The command the judge read, for what a module adds of its own (a Python manager's `run` in the
        /// project's venv); `nil` when no command was read (usage, a dynamic command word).
        public var command: ReadCommand?
        /// Where a command with a ``Target`` writes, as the judge found it; `nil` for other commands.
        public var written: Written?
        /// What the module's own location sources answered, by name, for what a module adds (its fix).
        public var resolutions: [String: CustomResolution] = [:]
    }

    /// Which of a target's places a command writes.
    public enum Written: Sendable, Hashable {
        /// A global place (global mode, whatever its location).
        case global
        /// An explicit location in local mode (`--modules-folder DIR`).
        case explicit
        /// The project's default place: what a module knows of its own local root applies.
        case project
    }

    /// A command as the judge read it: its canonical names, the options given, its operands and the
    /// directory it works in.
    public struct ReadCommand: Sendable {
        /// The canonical names from the program on (`["self", "add"]`).
        public var path: [String]
        /// The options given, before and after the command words, by canonical name.
        public var options: [ParsedOptions.Found]
        /// The operands after the command words.
        public var operands: [Argument]
        /// The directory it works in (changed by a working-directory option); `nil` when not known.
        public var directory: String?
        /// The arguments after the command words, as the judge spelled them.
        public var arguments: [Argument] = []
        /// The command's own parse of ``arguments``.
        public var parsed = ParsedOptions()

        /// Whether an option was given.
        public func has(_ name: String) -> Bool { options.contains { $0.name == name } }
    }

    /// Judges one invocation.
    public func judge(_ invocation: Invocation, in context: JudgementContext) -> Outcome {
        for description in descriptions {
            if description.programs.contains(invocation.program) {
                var operands = Array(invocation.operands)
                var programWords = 1
                if description.versionWord, let first = operands.first, Self.isVersionWord(first) {
                    operands.removeFirst()
                    programWords += 1
                }
                let reading = Reading(
                    judge: self, description: description, invocation: invocation, context: context,
                    programWords: programWords)
                return reading.judge(operands)
            }
        }
        for description in descriptions {
            for launcher in description.launchers where launcher.interpreter == invocation.program {
                guard let start = Self.launchedScript(invocation.arguments, launcher: launcher) else { continue }
                let reading = Reading(
                    judge: self, description: description, invocation: invocation, context: context,
                    programWords: start + 1)
                return reading.judge(Array(invocation.arguments[(start + 1)...]))
            }
        }
        return Outcome(judgement: Judgement(findings: [], notes: ["runs no package manager this module describes"]))
    }

    /// RubyGems' `/\A_(.*)_\z/` whose middle is a version (`_2.4.22_`).
    static func isVersionWord(_ argument: Argument) -> Bool {
        let text = argument.text
        guard !argument.isDynamic, text.count > 2, text.hasPrefix("_"), text.hasSuffix("_") else { return false }
        let version = text.dropFirst().dropLast()
        guard let first = version.first, first.isASCII, first.isNumber else { return false }
        return version.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") }
    }

    /// The index of the script argument when the interpreter runs the package manager's script.
    static func launchedScript(_ arguments: [Argument], launcher: Launcher) -> Int? {
        var index = 1
        while index < arguments.count {
            let text = arguments[index].text
            if text == "--" {
                index += 1
                break
            }
            guard text.hasPrefix("-"), text.count > 1 else { break }
            index += launcher.valueOptions.contains(text) ? 2 : 1
        }
        guard index < arguments.count, !arguments[index].isDynamic,
            launcher.scripts.contains(Paths.basename(arguments[index].text))
        else { return nil }
        return index
    }
}

/// Reasons the generic judge gives, spelled once.
enum DescribedReason {
    static func dynamicCommand(_ what: String, _ word: String) -> String {
        "\(what)'s command `\(word)` is only known when the line runs."
    }
    static func unknowable(_ what: String) -> String { "`\(what)` cannot be judged before it runs." }
    static func outside(_ what: String, _ verb: String, _ path: String) -> String {
        "`\(what)` \(verb) \(path), outside the project."
    }
    static func unresolvable(_ what: String, _ verb: String, _ text: String) -> String {
        "`\(what)` \(verb) \(text), only known when the line runs."
    }
    static func inside(_ what: String, _ verb: String, _ path: String) -> String {
        "`\(what)` \(verb) \(path), inside the project."
    }
    static func isolated(_ what: String, _ verb: String, _ environment: String) -> String {
        "`\(what)` \(verb) \(environment): an environment of its own, no other project's."
    }
    static func globalPlace(_ what: String, _ verb: String, _ place: String) -> String {
        "`\(what)` \(verb) \(place), shared by every project."
    }
    static func project(_ what: String, _ root: String) -> String { "`\(what)` works on the project at \(root)." }
    static func noProject(_ what: String, _ directory: String) -> String {
        "`\(what)` runs in \(directory), which is in no project: what it writes there is shared, not a project's."
    }
    static func ambiguous(_ what: String, _ markers: [String]) -> String {
        "`\(what)` means a project install only where the project has "
            + markers.map { "`\($0)`" }.joined(separator: " or ")
            + "; without one it may install globally (older versions)."
    }
    static func shared(_ what: String, _ directory: String) -> String {
        "`\(what)` writes in \(directory), the home directory or above it, shared by every project under it."
    }
    static let unknownSelector = "whether it is global is only known when the line runs"

    static func verb(_ action: CommandAction) -> String {
        switch action {
        case .removes: "removes from"
        case .changesSettings: "changes the settings of"
        case .selfUpdate: "replaces"
        default: "installs into"
        }
    }
}

/// One command being read against one description.
struct Reading {
    let judge: DescribedJudge
    let description: PackageManagerDescription
    let invocation: Invocation
    let context: JudgementContext
    /// How many arguments name the program (`composer` is 1, `php composer.phar` 2).
    let programWords: Int

    typealias Outcome = DescribedJudge.Outcome

    /// What the reading found along the way.
    struct State {
        var found: [ParsedOptions.Found] = []
        var directory: String?
        var path: [String] = []
        var globalScope = false
        /// Arguments that make the command global, left out of the fix.
        var dropped: Set<Argument> = []
        /// Letters left out of a bundle of short options (`-gAf` without `g` is `-Af`).
        var droppedLetters: [Argument: Set<Character>] = [:]
        /// The names of the commands read, the key of their grammars (`nil`: not kept, for a command whose
        /// options were made up while reading).
        var commandPath: String? = ""
        /// Bundles cut short before an option whose value was attached (`-qc./x` is `-q`).
        var shortened: [Argument: String] = [:]
        /// The last command word read.
        var commandWord: Argument?
        /// Whether the fix goes to a new project (options choosing the directory are left out).
        var options: [DescribedOption] = []
        /// The directory the command's project option names, when it holds the option's marker, and its
        /// project root.
        var named: (directory: String, root: String?)?
        /// What each custom location source found, by name.
        var custom: [String: CustomResolution] = [:]
    }

    var programText: String {
        invocation.arguments.prefix(programWords).map(Quoting.argument).joined(separator: " ")
    }

    func what(_ state: State) -> String { ([description.name] + state.path).joined(separator: " ") }

    func pass(_ note: String) -> Outcome { Outcome(judgement: Judgement(findings: [], notes: [note])) }

    /// A command word only known when the line runs (`\(what) $cmd`): which command it is cannot be told, so ask.
    func asksDynamic(_ what: String, _ word: Argument) -> Outcome {
        Outcome(
            judgement: Judgement(findings: [
                finding(description.dynamicRule, DescribedReason.dynamicCommand(what, word.text), verdict: .ask)
            ]))
    }

    func finding(_ rule: Rule, _ reason: String, verdict: Verdict? = nil, fix: String? = nil) -> Finding {
        Finding(
            verdict: verdict ?? rule.verdict, ecosystem: judge.ecosystem, rule: rule.id, span: invocation.span,
            reason: reason, fix: fix)
    }

    /// The grammar of these options. `path` names where they come from (the command words above, `""` for the
    /// global options): a grammar with a path is built once per description and kept.
    func grammar(_ options: [DescribedOption], stops: Bool, path: String? = nil) -> OptionGrammar {
        let build = {
            OptionGrammar(
                options.map(\.option), abbreviations: description.style.abbreviatesOptions, stopsAtFirstOperand: stops,
                ignoringCase: description.style == .optionParser)
        }
        guard let path else { return build() }
        return description.grammars.grammar((stops ? "1" : "0") + path, options.count, build)
    }

    /// Reads `arguments` with the options' grammar: the Nopt parser for a ``OptionStyle/nopt`` tool, else an
    /// ``OptionGrammar``. `path` as for ``grammar(_:stops:path:)``.
    func parse(_ options: [DescribedOption], stops: Bool, path: String? = nil, _ arguments: [Argument])
        -> ParsedOptions
    {
        guard description.style == .nopt else {
            return grammar(options, stops: stops, path: path).parse(spelled(arguments))
        }
        if let definitions = description.noptDefinitions {
            let nopt = description.grammars.nopt("definitions", definitions.kinds.count) {
                NoptGrammar(definitions: definitions)
            }
            return nopt.parse(arguments, stops: stops)
        }
        let build = { NoptGrammar(options) }
        let nopt =
            path.map { description.grammars.nopt((stops ? "1" : "0") + $0, options.count, build) } ?? build()
        return nopt.parse(arguments, stops: stops)
    }

    /// Go's flag package spells every flag with one dash or two; the grammar reads long ones. Ruby's Thor
    /// and OptionParser read `_` in a long name as `-`.
    func spelled(_ arguments: [Argument]) -> [Argument] {
        if description.style == .thor || description.style == .optionParser {
            var afterDoubleDash = false
            return arguments.map { argument in
                if argument.text == "--" { afterDoubleDash = true }
                guard !afterDoubleDash, argument.text.hasPrefix("--"), argument.text.count > 2 else { return argument }
                let equals = argument.text.firstIndex(of: "=") ?? argument.text.endIndex
                let written = String(argument.text[..<equals])
                let name = String(written.map { $0 == "_" ? "-" : $0 })
                guard name != written else { return argument }
                return Argument(
                    name + String(argument.text[equals...]), isDynamic: argument.isDynamic, span: argument.span)
            }
        }
        guard description.style == .goFlags else { return arguments }
        return arguments.map(spelled)
    }

    /// One argument as the grammar reads it.
    func spelled(_ argument: Argument) -> Argument {
        guard description.style == .goFlags, argument.text.hasPrefix("-"), !argument.text.hasPrefix("--"),
            argument.text.count > 1
        else { return argument }
        return Argument("-" + argument.text, isDynamic: argument.isDynamic, span: argument.span)
    }

    func role(of found: ParsedOptions.Found, among options: [DescribedOption]) -> OptionRole {
        // A command's own option wins over a general one of the same spelling (`dotnet tool install --version`).
        options.last { $0.name == found.name }?.role ?? .plain
    }

    /// Whether an option of these roles was given; the first one, for the note.
    func given(_ roles: Set<OptionRole>, in state: State, options: [DescribedOption]) -> ParsedOptions.Found? {
        state.found.first { roles.contains(role(of: $0, among: options)) }
    }

    func judge(_ arguments: [Argument]) -> Outcome {
        var outcome = judgeCommand(arguments)
        if outcome.judgement.nested == nil, let code = codeRunByOptions(arguments) {
            outcome.judgement.nested = NestedCommand(
                arguments: [Argument("sh", span: code.span), Argument("-c", span: code.span), code],
                runner: description.name)
        }
        return outcome
    }

    /// Shell code an option's value runs (apt's `-o APT::Update::Pre-Invoke::=CODE`), the first one.
    func codeRunByOptions(_ arguments: [Argument]) -> Argument? {
        let runners = description.globalOptions.filter {
            if case .runsCode = $0.role { return true }
            return false
        }
        guard !runners.isEmpty else { return nil }
        for found in parse(description.globalOptions, stops: false, arguments).found {
            guard let value = found.value,
                case .runsCode(let keys)? = runners.last(where: { $0.name == found.name })?.role,
                let equals = value.text.firstIndex(of: "=")
            else { continue }
            var key = value.text[..<equals]
            if key.hasSuffix("::") { key = key.dropLast(2) }
            guard keys.contains(where: { $0.lowercased() == key.lowercased() }) else { continue }
            return Argument(
                String(value.text[value.text.index(after: equals)...]), isDynamic: value.isDynamic, span: value.span)
        }
        return nil
    }

    func judgeCommand(_ arguments: [Argument]) -> Outcome {
        var state = State()
        state.directory = invocation.directory
        var arguments = arguments
        if let prefix = description.versionSelectorPrefix, let first = arguments.first, !first.isDynamic,
            first.text.hasPrefix(prefix)
        {
            arguments.removeFirst()
        }
        if description.selectsCommandByOption { return judgeByOption(arguments, state: state) }
        if let sole = description.soleCommand,
            let command = description.commands.first(where: { $0.names.contains(sole) })
        {
            if let first = arguments.first, !first.isDynamic, command.names.contains(first.text) {
                return judge(
                    command, word: first, rest: Array(arguments.dropFirst()), state: state,
                    options: description.globalOptions)
            }
            return judge(command, word: nil, rest: arguments, state: state, options: description.globalOptions)
        }
        let parsed = parse(description.globalOptions, stops: true, path: "", arguments)
        absorb(parsed, options: description.globalOptions, into: &state)
        if let early = passingOptions(state, options: description.globalOptions) { return early }
        if description.style == .goFlags || description.refusesUnknownOptionsBeforeCommand,
            let unknown = parsed.unknown.first
        {
            // Go's flag package and RubyGems refuse an option they do not know there: nothing runs.
            return pass("`\(description.name)` refuses `\(unknown.text)` before its command")
        }
        if description.unknownOptionRunsDefaultCommand, !parsed.unknown.isEmpty,
            case .command = description.withoutCommand
        {
            return fallback(
                description.withoutCommand, word: nil, rest: arguments, state: State(directory: state.directory))
        }
        guard let word = parsed.remainder.first else {
            return fallback(description.withoutCommand, word: nil, rest: [], state: state)
        }
        if word.isDynamic {
            return asksDynamic(description.name, word)
        }
        guard let command = self.command(named: word.text) else {
            return fallback(
                description.unknownCommand, word: word, rest: Array(parsed.remainder.dropFirst()), state: state)
        }
        return judge(
            command, word: word, rest: Array(parsed.remainder.dropFirst()), state: state,
            options: description.globalOptions)
    }

    /// pacman: the first operation option (`-S`, `--sync`, a letter of `-Syu`) selects the command.
    func judgeByOption(_ arguments: [Argument], state: State) -> Outcome {
        var selected: CommandDescription?
        search: for argument in arguments where argument.text.hasPrefix("-") && !argument.isDynamic {
            if argument.text == "--" { break }
            for command in description.commands {
                for name in command.names {
                    if name.hasPrefix("--") {
                        if argument.text == name { selected = command }
                    } else if name.count == 2, !argument.text.hasPrefix("--"),
                        argument.text.dropFirst().contains(name.dropFirst())
                    {
                        selected = command
                    }
                    if selected != nil { break search }
                }
            }
        }
        if arguments.contains(where: { $0.isDynamic && $0.text.hasPrefix("$") }), selected == nil {
            return Outcome(
                judgement: Judgement(findings: [
                    finding(
                        description.dynamicRule,
                        DescribedReason.dynamicCommand(description.name, arguments.map(\.text).joined(separator: " ")),
                        verdict: .ask)
                ]))
        }
        guard let command = selected else {
            return fallback(description.withoutCommand, word: nil, rest: [], state: state)
        }
        var withOperation = command
        withOperation.options = [DescribedOption(spellings: command.names)] + command.options
        var state = state
        state.commandPath = nil
        return judge(
            withOperation, word: nil, rest: arguments, state: state, options: description.globalOptions)
    }

    /// Moves what a parse found into the state: options, and the directory they change to.
    func absorb(_ parsed: ParsedOptions, options: [DescribedOption], into state: inout State) {
        for found in parsed.found {
            state.found.append(found)
            if role(of: found, among: options) == .workingDirectory, let value = found.value {
                state.directory = context.absolutePath(value.value, relativeTo: state.directory) ?? nil
                if value.isDynamic { state.directory = nil }
            }
        }
    }

    /// Help, version and dry runs pass.
    func passingOptions(_ state: State, options: [DescribedOption]) -> Outcome? {
        var help: ParsedOptions.Found?
        var dry: ParsedOptions.Found?
        var reads: ParsedOptions.Found?
        for found in state.found {
            switch role(of: found, among: options) {
            case .help: help = help ?? found
            case .dryRun: dry = dry ?? found
            case .reads: reads = reads ?? found
            default: break
            }
        }
        if let help { return pass("`\(help.written.text)` prints help or the version") }
        if let dry { return pass("`\(dry.written.text)` only shows what would be done") }
        if let reads { return pass("`\(reads.written.text)` makes it read, not change") }
        return nil
    }

    static func lookup(_ word: String, in commands: [CommandDescription], by lookup: CommandLookup)
        -> CommandDescription?
    {
        let word = lookup == .uniquePrefixIgnoringCase ? word.lowercased() : word
        if let exact = commands.first(where: { $0.names.contains(word) }) { return exact }
        guard lookup != .exact, !word.isEmpty, !word.hasPrefix("-") else { return nil }
        let matches = commands.filter { $0.names.contains { $0.hasPrefix(word) } }
        return matches.count == 1 ? matches[0] : nil
    }

    /// The tool's command a word names. A nopt tool's command list reads it as its `deref` does
    /// (``NoptCommands``), over a table of the description's names built once.
    func command(named word: String) -> CommandDescription? {
        guard description.commandLookup == .nopt else {
            return Self.lookup(word, in: description.commands, by: description.commandLookup)
        }
        let table = description.grammars.commandTable {
            var aliases: [String: String] = [:]
            for command in description.commands {
                for alias in command.names.dropFirst() { aliases[alias] = command.name }
            }
            return NoptCommands(commands: Set(description.commands.map(\.name)), aliases: aliases)
        }
        guard let name = table.command(word) else { return nil }
        return description.commands.first { $0.name == name }
    }

    /// How a group's subcommands are matched: a nopt tool's deref is for its commands only.
    var subcommandLookup: CommandLookup { description.commandLookup == .nopt ? .exact : description.commandLookup }

    func fallback(_ fallback: Fallback, word: Argument?, rest: [Argument], state: State) -> Outcome {
        switch fallback {
        case .reads:
            return pass(
                word.map { "`\(description.name) \($0.text)` is no command that installs" }
                    ?? "`\(description.name)` alone prints usage")
        case .asks(let rule):
            let what = ([description.name] + (word.map { [$0.text] } ?? [])).joined(separator: " ")
            return Outcome(judgement: Judgement(findings: [finding(rule, DescribedReason.unknowable(what))]))
        case .runsProgram(let prefix):
            guard let word else { return pass("`\(description.name)` alone prints usage") }
            var judgement = Judgement(
                findings: [], notes: ["`\(description.name) \(word.text)` runs `\(prefix)\(word.text)`"])
            judgement.nested = NestedCommand(
                arguments: [Argument(prefix + word.text, span: word.span)] + rest, directory: state.directory,
                runner: "\(description.name) \(word.text)")
            return Outcome(judgement: judgement)
        case .runsNamedProgram(let programs):
            guard let word, programs.contains(Self.programOfPackage(word.text)) else {
                return self.fallback(.reads, word: word, rest: rest, state: state)
            }
            let program = Self.programOfPackage(word.text)
            var judgement = Judgement(
                findings: [], notes: ["`\(description.name) \(word.text)` runs \(program), which is judged"])
            judgement.nested = NestedCommand(
                arguments: [Argument(program, span: word.span)] + rest, directory: state.directory,
                runner: description.name)
            return Outcome(judgement: judgement)
        case .command(let name):
            guard let command = description.commands.first(where: { $0.names.contains(name) }) else {
                return pass("`\(description.name)` alone prints usage")
            }
            return judge(command, word: nil, rest: rest, state: state, options: description.globalOptions)
        case .projectScriptOrProgram:
            guard let word else { return pass("`\(description.name)` alone prints usage") }
            var outcome = self.fallback(Fallback.projectScript, word: word, rest: rest, state: state)
            outcome.judgement.nested = NestedCommand(
                arguments: [word] + rest, environmentChanges: pathChanges(state), directory: state.directory,
                runner: description.name)
            return outcome
        case .projectScript:
            guard let word else { return pass("`\(description.name)` alone prints usage") }
            let parsed = parse(description.globalOptions, stops: true, path: "", rest)
            var all = state
            absorb(parsed, options: description.globalOptions, into: &all)
            if given([.disablesScripts], in: all, options: description.globalOptions) != nil {
                return pass("scripts are turned off")
            }
            return scripts(
                named: word.text, arguments: Self.scriptArguments(rest), state: all,
                runner: "\(description.name) \(word.text)")
        }
    }

    /// The program a package spec runs: its name without scope or version (`@scope/tool@1` runs `tool`).
    static func programOfPackage(_ spec: String) -> String {
        let start = spec.hasPrefix("@") ? spec.index(after: spec.startIndex) : spec.startIndex
        var name = spec[..<(spec[start...].firstIndex(of: "@") ?? spec.endIndex)]
        if name.hasPrefix("@"), let slash = name.firstIndex(of: "/") { name = name[name.index(after: slash)...] }
        return String(name)
    }

    /// The project's script directories (`node_modules/.bin`) put first on PATH, for a command the tool runs.
    func pathChanges(_ state: State) -> [String: Value?] {
        guard let source = description.scripts, !source.pathPrefixes.isEmpty, let directory = state.directory,
            let root = context.nearestAncestor(of: directory, holding: source.manifest)
        else { return [:] }
        let old = invocation.environment["PATH"] ?? Value("")
        let prefix = pathPrefixes(source, root: root).joined(separator: ":")
        return ["PATH": Value(prefix + (old.text.isEmpty ? "" : ":" + old.text), isDynamic: old.isDynamic)]
    }

    /// The source's path prefixes under `root`, and under each of its ancestors when it says so.
    func pathPrefixes(_ source: ScriptSource, root: String) -> [String] {
        var result: [String] = []
        var candidate = root
        while true {
            let base = candidate == "/" ? "" : candidate
            result += source.pathPrefixes.map { base + "/" + $0 }
            guard source.ancestorPathPrefixes, candidate != "/" else { break }
            candidate = Paths.parent(candidate)
        }
        return result
    }

    /// The arguments a script gets: after `--` when there is one, else every one.
    static func scriptArguments(_ rest: [Argument]) -> [Argument] {
        if let dash = rest.firstIndex(where: { $0.text == "--" }) { return Array(rest[(dash + 1)...]) }
        return rest
    }

    /// The project's scripts around `name`, from the manifest found from the working directory up.
    func scripts(named name: String, arguments: [Argument], state: State, runner: String) -> Outcome {
        var judgement = Judgement(findings: [], notes: ["`\(runner)` runs the project's `\(name)` script"])
        judgement.scripts = projectScripts(
            description.scripts.map { source in source.around.map { $0.replacingOccurrences(of: "{}", with: name) } }
                ?? [],
            main: name, arguments: arguments, state: state, runner: runner)
        return Outcome(judgement: judgement)
    }

    func projectScripts(_ names: [String], main: String?, arguments: [Argument], state: State, runner: String)
        -> [ProjectScripts]
    {
        guard let source = description.scripts, let directory = state.directory else { return [] }
        var manifest = source.manifest
        if let variable = source.manifestVariable, let named = invocation.environment[variable], !named.text.isEmpty {
            guard !named.isDynamic, !named.text.contains("/") else { return [] }
            manifest = named.text
        }
        guard let root = context.nearestAncestor(of: directory, holding: manifest) else { return [] }
        let base = root == "/" ? "" : root
        return [
            ProjectScripts(
                manifest: base + "/" + manifest, table: source.table, names: names, directory: root,
                pathPrefixes: pathPrefixes(source, root: root), mainScript: main,
                extraArguments: arguments, runner: runner, entries: source.entries)
        ]
    }

    /// The options the tool's settings files put before this command's own, as arguments of no span of
    /// their own: a fix, built from the words written, never carries them.
    func settingsArguments(_ settings: SettingsArguments, command: String, found: [ParsedOptions.Found])
        -> [Argument]
    {
        if let option = settings.disablingOption, found.contains(where: { $0.name == option }) { return [] }
        let state = State(directory: invocation.directory)
        var files = settings.systemFiles.compactMap { settingsFile($0, state: state) }
        if let option = settings.userFileOption, let named = found.last(where: { $0.name == option })?.value {
            guard let path = context.absolutePath(named.value, relativeTo: invocation.directory) else { return [] }
            files.append(path)
        } else if let user = settings.userFiles.lazy.compactMap({ settingsFile($0, state: state) })
            .first(where: { context.files.exists($0) })
        {
            files.append(user)
        }
        if let variable = settings.listVariable, let listed = invocation.environment[variable], !listed.isDynamic {
            files += listed.text.split(separator: ":").compactMap {
                context.absolutePath(Value(String($0)), relativeTo: invocation.directory)
            }
        }
        let contents = files.compactMap { context.files.contents(of: $0) }
        var words: [String] = []
        for key in settings.keys {
            let name = key.replacingOccurrences(of: "{command}", with: command)
            guard let value = contents.compactMap({ YAMLSetting.value($0, key: name) }).last else { continue }
            words += value.split(separator: " ").map(String.init)
        }
        return words.map { Argument($0, span: invocation.span) }
    }

    /// Judges a command whose word has been read; `rest` is what follows it.
    func judge(
        _ command: CommandDescription, word: Argument?, rest: [Argument], state: State,
        options outer: [DescribedOption]
    ) -> Outcome {
        var state = state
        if let word { state.commandWord = word }
        if word != nil || description.soleCommand != command.name {
            state.path.append(word == nil ? command.names.first { $0.hasPrefix("--") } ?? command.name : command.name)
        }
        let options = outer + command.options
        let stops: Bool
        switch command.action {
        case .group, .globalScope, .runsCommand, .runsCommandAfterOperand, .runsPackage, .runsToolCommand:
            stops = true
        default: stops = command.stopsAtFirstOperand
        }
        state.commandPath?.append(" " + command.name)
        var parsed = parse(options, stops: stops, path: state.commandPath, rest)
        if state.path.count == 1, let settings = description.settingsArguments {
            let added = settingsArguments(settings, command: command.name, found: state.found + parsed.found)
            if !added.isEmpty {
                parsed = parse(options, stops: stops, path: state.commandPath, added + rest)
            }
        }
        absorb(parsed, options: options, into: &state)
        state.options = options
        var outcome = act(command, word: word, rest: rest, parsed: parsed, state: state, options: options)
        // A subcommand read below this one has already said what it is.
        if outcome.command == nil {
            outcome.command = DescribedJudge.ReadCommand(
                path: state.path, options: state.found, operands: parsed.operands, directory: state.directory,
                arguments: spelled(rest), parsed: parsed)
        }
        return outcome
    }

    /// What a command whose options have been read does.
    func act(
        _ command: CommandDescription, word: Argument?, rest: [Argument], parsed: ParsedOptions, state: State,
        options: [DescribedOption]
    ) -> Outcome {
        var state = state
        if let early = passingOptions(state, options: options) { return early }
        let what = self.what(state)
        let scopeWord = word
        if case .group = command.action {
        } else {
            for found in parsed.found {
                guard case .actsAs(let name) = role(of: found, among: options),
                    let sub = command.subcommands.first(where: { $0.names.contains(name) })
                else { continue }
                var rest = parsed.operands
                if let value = found.value { rest.insert(value, at: 0) }
                return judge(sub, word: found.written, rest: rest, state: state, options: options)
            }
        }
        switch command.action {
        case .reads:
            var outcome = pass("`\(what)` reads or prints; it changes no packages")
            if let directory = state.directory, !command.creates.isEmpty {
                var base: String? = directory
                if case .firstOperand(let orWorkingDirectory) = command.createdIn {
                    if let operand = parsed.operands.first(where: { $0.text != "--" }) {
                        base = context.absolutePath(operand.value, relativeTo: directory)
                    } else if !orWorkingDirectory {
                        base = nil
                    }
                }
                if let base {
                    outcome.judgement.effects = command.creates.map { .creates(path: Self.join(base, $0)) }
                }
            }
            return outcome
        case .worksOnProject(let markers, let manifestOption):
            let named = manifestOption.flatMap { name in state.found.last { $0.name == name }?.value }
            let holder = state.directory.flatMap { directory in
                markers.isEmpty
                    ? directory : markers.lazy.compactMap { context.nearestAncestor(of: directory, holding: $0) }.first
            }
            guard let rule = command.rule, named != nil || holder != nil || markers.isEmpty else {
                return pass("no project here or above: `\(what)` has nothing to work on, and fails")
            }
            let project = named.map { "the manifest \($0.text)" } ?? holder ?? "."
            var judgement = Judgement(findings: [finding(rule, DescribedReason.project(what, project))])
            if let directory = state.directory {
                judgement.effects = command.creates.map { .creates(path: Self.join(directory, $0)) }
            }
            return Outcome(judgement: judgement)
        case .judgedBy(let custom):
            return Outcome(
                judgement: custom.judge(
                    CommandQuery(
                        invocation: invocation, context: context, directory: state.directory, options: state.found,
                        operands: parsed.operands, remainder: parsed.remainder, ecosystem: judge.ecosystem)))
        case .runsCommandAfterOperand(let variable):
            let arguments = parsed.remainder
            guard arguments.count >= 2 else { return pass("`\(what)` runs nothing") }
            var judgement = Judgement(findings: [], notes: ["`\(what)` runs `\(arguments[1].text)`"])
            judgement.nested = NestedCommand(
                arguments: Array(arguments.dropFirst()), environmentChanges: [variable: arguments[0].value],
                runner: what)
            return Outcome(judgement: judgement)
        case .buildsExecutable(let option):
            guard let rule = command.rule, let output = state.found.last(where: { $0.name == option })?.value else {
                return pass("`\(what)` writes its output in the working directory")
            }
            switch context.location(of: output.value, from: state.directory) {
            case .unresolvable(let text):
                return Outcome(
                    judgement: Judgement(findings: [
                        finding(rule, DescribedReason.unresolvable(what, "writes", text), verdict: .ask, fix: "")
                    ]))
            case .inside(let path, _), .outside(let path):
                guard !Paths.isInside(path, context.projectRoot(of: state.directory) ?? "\u{0}"),
                    context.isCommandLocation(path, environment: invocation.environment)
                else { return pass("`\(what)` writes a build artifact at \(path), not where commands are found") }
                var kept = state
                for found in state.found where found.name == option {
                    kept.dropped.insert(found.written)
                    if let value = found.value { kept.dropped.insert(value) }
                }
                let fix = fill(
                    command.fix ?? CommandTemplate("{command}"), command: command, parsed: parsed, state: kept)
                return Outcome(
                    judgement: Judgement(findings: [
                        finding(
                            rule, "`\(what)` installs an executable at \(path), where commands are found.", fix: fix)
                    ]))
            }
        case .asks:
            guard let rule = command.rule else { return pass("`\(what)`") }
            return Outcome(judgement: Judgement(findings: [finding(rule, DescribedReason.unknowable(what))]))
        case .group:
            for found in parsed.found {
                guard case .actsAs(let name) = role(of: found, among: options),
                    let sub = command.subcommands.first(where: { $0.names.contains(name) })
                else { continue }
                var rest = parsed.remainder
                if let value = found.value { rest.insert(value, at: 0) }
                return judge(sub, word: found.written, rest: rest, state: state, options: options)
            }
            guard let word = parsed.remainder.first else {
                if let name = command.defaultSubcommand,
                    let sub = command.subcommands.first(where: { $0.names.contains(name) })
                {
                    return judge(sub, word: nil, rest: [], state: state, options: options)
                }
                return pass("`\(what)` alone prints usage")
            }
            if word.isDynamic {
                return asksDynamic(what, word)
            }
            guard let sub = Self.lookup(word.text, in: command.subcommands, by: subcommandLookup) else {
                return pass("`\(what) \(word.text)` is no command that installs")
            }
            return judge(sub, word: word, rest: Array(parsed.remainder.dropFirst()), state: state, options: options)
        case .globalScope:
            guard let word = parsed.remainder.first else { return pass("`\(what)` alone prints usage") }
            if word.isDynamic {
                return asksDynamic(what, word)
            }
            state.globalScope = true
            // The fix is the same command without the scope word.
            if let scope = scopeWord { state.dropped.insert(scope) }
            guard let inner = self.command(named: word.text) else {
                return pass("`\(what) \(word.text)` is no command that installs")
            }
            return judge(inner, word: word, rest: Array(parsed.remainder.dropFirst()), state: state, options: options)
        case .runsScript:
            guard let name = parsed.operands.first else { return pass("`\(what)` alone lists the scripts") }
            if name.isDynamic {
                return asksDynamic(what, name)
            }
            if given([.disablesScripts], in: state, options: options) != nil {
                return pass("scripts are turned off")
            }
            let after = rest.drop { $0 != name }.dropFirst()
            return scripts(
                named: name.text, arguments: Self.scriptArguments(Array(after)), state: state,
                runner: "\(what) \(name.text)")
        case .runsScriptNamed(let name):
            if given([.disablesScripts], in: state, options: options) != nil {
                return pass("scripts are turned off")
            }
            return scripts(
                named: name, arguments: Self.scriptArguments(rest), state: state, runner: what)
        case .runsToolCommand(let skipped):
            let remainder = parsed.remainder.isEmpty ? parsed.afterDoubleDash : parsed.remainder
            guard remainder.count > skipped else { return pass("`\(what)` alone prints usage") }
            let word = remainder[skipped]
            if word.isDynamic {
                return asksDynamic(what, word)
            }
            guard let inner = self.command(named: word.text) else {
                return pass("`\(what) \(word.text)` is no command that installs")
            }
            return judge(
                inner, word: word, rest: Array(remainder[(skipped + 1)...]), state: state, options: options)
        case .runsCommand, .runsPackage:
            var arguments = parsed.remainder.isEmpty ? parsed.afterDoubleDash : parsed.remainder
            if arguments.first?.text == "--" { arguments.removeFirst() }
            guard !arguments.isEmpty else { return pass("`\(what)` alone lists what it can run") }
            if given([.shellMode], in: state, options: options) != nil {
                let span = arguments[0].span
                let code = Argument(
                    arguments.map(\.text).joined(separator: " "), isDynamic: arguments.contains(where: \.isDynamic),
                    span: span)
                arguments = [Argument("sh", span: span), Argument("-c", span: span), code]
            } else if case .runsPackage = command.action, !arguments[0].isDynamic {
                arguments[0] = Argument(Self.programOfPackage(arguments[0].text), span: arguments[0].span)
            }
            var judgement = Judgement(findings: [], notes: ["`\(what)` runs `\(arguments[0].text)`"])
            judgement.nested = NestedCommand(
                arguments: arguments, environmentChanges: pathChanges(state), directory: state.directory, runner: what)
            return Outcome(judgement: judgement)
        case .installs, .removes, .changesSettings, .selfUpdate:
            guard let target = command.target else { return pass("`\(what)`") }
            if let needed = command.writesOnlyWith, !state.found.contains(where: { needed.contains($0.name) }) {
                return pass("`\(what)` without " + needed.sorted().joined(separator: " or ") + " changes no packages")
            }
            if let needed = command.writesWithoutOperandsOnly, parsed.operands.isEmpty,
                !state.found.contains(where: { needed.contains($0.name) })
            {
                return pass("`\(what)` with nothing to install only refreshes what it knows")
            }
            if case .changesSettings = command.action, !command.settingKeys.isEmpty {
                let keys = command.settingOperands.keys(parsed.operands)
                guard keys.contains(where: { $0.isDynamic || command.settingKeys.contains($0.text) })
                else { return pass("`\(what)` reads a setting, or sets one that chooses no location") }
            }
            resolveCustomSources(of: target, parsed: parsed, state: &state)
            var outcome = judge(command, target: target, parsed: parsed, state: state, options: options)
            outcome.resolutions = state.custom
            return outcome
        }
    }

    /// Asks each of the module's own location sources of `target` once, before the target is judged.
    func resolveCustomSources(of target: Target, parsed: ParsedOptions, state: inout State) {
        for source in target.globalLocation + target.globalCommandLocation + target.localLocation {
            guard case .custom(let custom) = source, state.custom[custom.name] == nil else { continue }
            let query = LocationQuery(
                invocation: invocation, options: state.found, operands: parsed.operands,
                environment: invocation.environment, directory: state.directory, context: context)
            state.custom[custom.name] = custom.resolve(query)
        }
    }

    // MARK: Targets

    /// A location as one source gives it, with what to call it in a reason.
    struct Place {
        var location: Location?
        var source: String
        /// The assignment that chose it (`CARGO_INSTALL_ROOT=./.tools`), when a variable did.
        var assignment: String?
        /// The rule it fires, where it differs from the target's (see ``CustomResolution/rule``).
        var rule: Rule?
        /// An environment of the command's own, described (see ``CustomResolution/isolated``).
        var isolated: String?
        /// A shared place with no path, described (see ``CustomResolution/shared``).
        var shared: String?
    }

    func judge(
        _ command: CommandDescription, target: Target, parsed: ParsedOptions, state: State,
        options: [DescribedOption]
    ) -> Outcome {
        var state = state
        let what = self.what(state)
        let verb = DescribedReason.verb(command.action)
        if let option = command.projectOption, let value = state.found.last(where: { $0.name == option.option })?.value,
            let directory = context.absolutePath(value.value, relativeTo: state.directory),
            context.files.exists(Self.join(directory, option.marker))
        {
            state.named = (directory, context.projectRoot(of: directory))
        }
        resolveCustomSources(of: target, parsed: parsed, state: &state)
        if let refusal = state.custom.values.lazy.compactMap(\.refusal).first { return pass(refusal) }
        var global = target.globalWhen.isEmpty
        var unknownSelector: String?
        for selector in target.globalWhen {
            switch selector {
            case .option(let name):
                for found in state.found where found.name == name {
                    global = true
                    drop(found, in: &state)
                }
            case .environment(let name):
                switch invocation.environment.isTruthy(name) {
                case true?: global = true
                case nil: unknownSelector = name
                case false?: break
                }
            case .environmentOff(let name, let on):
                guard let value = invocation.environment[name] else { break }
                if value.isDynamic {
                    unknownSelector = name
                } else if !on.contains(value.text.lowercased()) {
                    global = true
                }
            case .never:
                break
            case .withoutOperands:
                if parsed.operands.isEmpty { global = true }
            case .scope:
                if state.globalScope { global = true }
            case .directoryIs(let source):
                if let directory = state.directory, let place = resolve(source, state: state),
                    case .outside(let path)? = place.location, path == directory
                {
                    global = true
                }
            }
        }
        var version: Int??
        if !global, case .versioned(let file, let key, let modern, _, let onlyWithOperands) = target.local,
            !(onlyWithOperands && parsed.operands.isEmpty)
        {
            let found = versionNumber(file: file, key: key, state: state)
            version = found
            if case .some(.some(let number)) = found, number < modern { global = true }
            if case .some(.some(let number)) = found, number >= modern,
                let only = given([.globalOnly, .refusedLocally], in: state, options: options)
            {
                return pass("`\(only.written.text)` works only with a global install: the command fails")
            }
        }
        // What only global mode means goes with it in the fix.
        for found in state.found where role(of: found, among: options) == .globalOnly { drop(found, in: &state) }
        if case .notShared(_, let option?, _, _) = target.local {
            for found in state.found where found.name == option { drop(found, in: &state) }
        }
        for source in target.globalLocation + target.globalCommandLocation + target.localLocation {
            if case .option(let name, _) = source {
                for found in state.found where found.name == name { drop(found, in: &state) }
            }
            if case .custom(let custom) = source { state.dropped.formUnion(state.custom[custom.name]?.written ?? []) }
            if case .flag(let name, _, let negation, _) = source {
                for found in state.found where found.name == name || found.name == negation {
                    drop(found, in: &state)
                }
            }
        }
        var fixCommand = command
        if global, let globalFix = command.globalFix { fixCommand.fix = globalFix }
        for (option, template) in command.fixWhenOption where state.found.contains(where: { $0.name == option }) {
            fixCommand.fix = template
        }
        var written = DescribedJudge.Written.project
        // The fix and undo are written only for a block or an ask: most commands judged are allowed.
        func outcome(_ findings: [Finding], scripts: [ProjectScripts] = []) -> Outcome {
            var judgement = Judgement(findings: findings)
            judgement.scripts = scripts
            guard findings.contains(where: { $0.verdict >= .ask }) else {
                return Outcome(judgement: judgement, written: written)
            }
            let fix = fixText(fixCommand, parsed: parsed, state: state)
            for index in judgement.findings.indices where judgement.findings[index].verdict >= .ask {
                judgement.findings[index].fix = fix
            }
            return Outcome(
                judgement: judgement,
                undo: command.undo.map { fill($0, command: command, parsed: parsed, state: state) }, written: written)
        }
        let locationRule = target.locationRule ?? target.globalRule
        // A setting only known when the line runs may be one that chooses a location.
        if case .changesSettings = command.action, !command.settingKeys.isEmpty,
            let key = command.settingOperands.keys(parsed.operands).first(where: \.isDynamic)
        {
            return outcome([
                finding(target.globalRule, DescribedReason.unresolvable(what, "sets", "`\(key.text)`"), verdict: .ask)
            ])
        }
        if global {
            written = .global
            // The packages' place, then (when chosen apart) their executables' place: the stricter decides,
            // the first on a tie.
            var strictest: Finding?
            for chain in [target.globalLocation, target.globalCommandLocation] where !chain.isEmpty {
                var found: Finding?
                var placeDescription = target.globalPlaceDescription ?? "a global location"
                for source in chain {
                    guard let place = resolve(source, state: state) else { continue }
                    if place.location == nil, case .flag = source {
                        // The tool's own global place, chosen by a flag.
                        placeDescription = place.source
                        break
                    }
                    found = judge(
                        place, what: what, verb: verb,
                        outsideRule: target.sourceRules[source]
                            ?? (Self.isExplicit(source) && target.explicitGlobalRule
                                ? locationRule : target.globalRule),
                        unknownRule: locationRule, allow: target.allowRule)
                    break
                }
                let result =
                    found
                    ?? finding(
                        target.globalRule, DescribedReason.globalPlace(what, verb, placeDescription))
                if strictest == nil || result.verdict > strictest!.verdict { strictest = result }
            }
            if let strictest { return outcome([strictest]) }
            let place = target.globalPlaceDescription ?? "a global location"
            return outcome([finding(target.globalRule, DescribedReason.globalPlace(what, verb, place))])
        }
        if case .refused = target.local {
            return pass("`\(what)` refuses to run without global mode")
        }
        // Every explicit location counts (`COMPOSER_VENDOR_DIR` and `COMPOSER_BIN_DIR`): the strictest wins.
        var explicit: Finding?
        // The rule an allowed place fires, where its source says (an isolated environment's).
        var explicitRule: Rule?
        for source in target.localLocation {
            guard let place = resolve(source, state: state) else { continue }
            let found = judge(
                place, what: what, verb: verb, outsideRule: locationRule, unknownRule: locationRule,
                allow: target.allowRule)
            if explicit == nil || found.verdict > explicit!.verdict {
                explicit = found
                explicitRule = place.rule
            }
        }
        if explicit != nil { written = .explicit }
        if let explicit, explicit.verdict > .allow { return outcome([explicit]) }
        if let unknownSelector {
            return outcome([
                finding(
                    target.globalRule, "`\(what)`: \(unknownSelector) is set, so \(DescribedReason.unknownSelector).",
                    verdict: .ask)
            ])
        }
        if case .changesSettings = command.action { return pass("`\(what)` changes the project's own settings") }
        if explicit == nil {
            let root = context.projectRoot(of: state.directory)
            switch target.local {
            case .none:
                break
            case .needsProject(let rule):
                guard root != nil else {
                    return outcome([
                        finding(
                            rule, DescribedReason.noProject(what, state.directory ?? "an unknown directory"))
                    ])
                }
            case .needsMarkers(let markers, let rule, let onlyWithOperands):
                if !(onlyWithOperands && parsed.operands.isEmpty) {
                    let present = state.directory.map { directory in
                        markers.contains { context.nearestAncestor(of: directory, holding: $0) != nil }
                    }
                    if present != true {
                        return outcome([finding(rule, DescribedReason.ambiguous(what, markers))])
                    }
                }
            case .notShared(let markers, let option, let fallsBack, let rule):
                let owner = writtenDirectory(markers: markers, option: option, fallsBack: fallsBack, state: state)
                if let owner, isShared(owner) {
                    return outcome([finding(rule, DescribedReason.shared(what, owner))])
                }
                if owner == nil {
                    return outcome([
                        finding(
                            rule, DescribedReason.unresolvable(what, "writes", "a directory"), verdict: .ask)
                    ])
                }
            case .versioned(let file, _, _, let rule, _):
                if case .some(.none) = version {
                    return outcome([finding(rule, DescribedReason.ambiguous(what, [file]))])
                }
            case .refused:
                break
            }
        }
        var scripts: [ProjectScripts] = []
        if given([.disablesScripts], in: state, options: options) == nil,
            !(command.lifecycleScriptsOnlyWithoutOperands && !parsed.operands.isEmpty)
        {
            var names = command.lifecycleScripts
            if let (file, with) = command.lifecycleScriptsWith, let directory = state.directory,
                context.files.exists(Self.join(directory, file))
            {
                names = with
            }
            if !names.isEmpty {
                scripts = projectScripts(names, main: nil, arguments: [], state: state, runner: what)
            }
        }
        let root = context.projectRoot(of: state.directory)
        let reason = explicit?.reason ?? DescribedReason.project(what, root ?? state.directory ?? ".")
        return outcome([finding(explicitRule ?? target.allowRule, reason)], scripts: scripts)
    }

    /// Whether a source is set explicitly on the line or in the environment, rather than a default.
    static func isExplicit(_ source: LocationSource) -> Bool {
        switch source {
        case .option, .environment, .custom: true
        default: false
        }
    }

    /// Leaves an option out of the fix: its argument and value, or its letter in a bundle.
    func drop(_ found: ParsedOptions.Found, in state: inout State) {
        let text = found.written.text
        if !text.hasPrefix("--"), let value = found.value, value != found.written, value.span == found.written.span {
            // A short option with its value attached (`-qc./x`, `-c=./x`): it goes with its value, and the
            // letters before it stay.
            var stem = text.dropLast(value.text.count)
            if stem.hasSuffix("=") { stem = stem.dropLast() }
            let before = stem.dropFirst().dropLast()
            if before.isEmpty {
                state.dropped.insert(found.written)
            } else {
                state.shortened[found.written] = "-" + before
            }
            return
        }
        if !text.hasPrefix("--"), text.count > 2, found.value == nil || found.value != found.written,
            let option = state.options.first(where: { $0.name == found.name }),
            let short = option.option.spellings.first(where: { $0.count == 2 && !$0.hasPrefix("--") }),
            let letter = short.last, text.dropFirst().contains(letter)
        {
            state.droppedLetters[found.written, default: []].insert(letter)
            if let value = found.value, value != found.written { state.dropped.insert(value) }
            return
        }
        state.dropped.insert(found.written)
        if let value = found.value { state.dropped.insert(value) }
    }

    /// The directory a local command writes into (see ``LocalRequirement/notShared(markers:option:fallsBackToProjectRoot:rule:)``).
    func writtenDirectory(markers: [String], option: String?, fallsBack: Bool, state: State) -> String? {
        if let option, let value = state.found.last(where: { $0.name == option })?.value {
            guard let path = context.absolutePath(value.value, relativeTo: state.directory) else { return nil }
            for marker in markers where path.hasSuffix("/" + marker) {
                return Paths.normalize(String(path.dropLast(marker.count + 1)))
            }
            return Paths.parent(path)
        }
        guard let directory = state.directory else { return nil }
        for marker in markers {
            var candidate = directory
            while true {
                if context.files.exists(Self.join(candidate, marker)) { return candidate }
                if candidate == "/" { break }
                candidate = Paths.parent(candidate)
            }
        }
        if fallsBack, let root = context.projectRoot(of: directory) { return root }
        return directory
    }

    /// The home directory and its ancestors are shared by every project.
    func isShared(_ directory: String) -> Bool {
        guard let home = context.home else { return directory == "/" }
        return Paths.isInside(home, directory)
    }

    /// The number at `key` of the JSON `file` in the working directory or above: `nil` when there is no
    /// such file; `.some(nil)` when it has no readable number. A file without the key is version 1.
    func versionNumber(file: String, key: String, state: State) -> Int?? {
        guard let directory = state.directory, let holder = context.nearestAncestor(of: directory, holding: file),
            let bytes = context.files.contents(of: Self.join(holder, file))
        else { return .some(nil) }
        guard let value = try? JSONValue.parse(bytes) else { return .some(nil) }
        guard let field = value[key] else { return .some(1) }
        if let text = field.stringValue, let number = Int(text) { return .some(number) }
        if let number = field.intValue { return .some(number) }
        return .some(nil)
    }

    /// A finding about where a place is; a block or an ask gets its fix later.
    func judge(_ place: Place, what: String, verb: String, outsideRule: Rule, unknownRule: Rule, allow: Rule)
        -> Finding
    {
        if let isolated = place.isolated {
            return finding(place.rule ?? allow, DescribedReason.isolated(what, verb, isolated))
        }
        if let shared = place.shared {
            return finding(place.rule ?? outsideRule, DescribedReason.globalPlace(what, verb, shared))
        }
        switch place.location {
        case .inside(let path, _)?:
            // The command as it stays the project's without `sudo`, which resets the environment.
            return finding(
                place.rule ?? allow, DescribedReason.inside(what, verb, path + " (\(place.source))"),
                fix: place.assignment.map {
                    $0 + " " + invocation.arguments.map(Quoting.argument).joined(separator: " ")
                })
        case .outside(let path)?:
            return finding(place.rule ?? outsideRule, DescribedReason.outside(what, verb, path + " (\(place.source))"))
        case .unresolvable(let text)?:
            return finding(
                place.rule ?? unknownRule, DescribedReason.unresolvable(what, verb, text + " (\(place.source))"),
                verdict: .ask)
        case nil:
            return finding(
                place.rule ?? unknownRule, DescribedReason.unresolvable(what, verb, place.source), verdict: .ask)
        }
    }

    /// Where a source points, or `nil` when it does not apply (the option was not given, the variable is unset).
    func resolve(_ source: LocationSource, state: State) -> Place? {
        let directory = state.directory
        func located(_ value: Value, _ name: String, relativeTo base: String? = nil) -> Place {
            var location = context.location(of: value, from: directory)
            if let base, let absolute = context.absolutePath(value, relativeTo: base) {
                location = context.location(of: Value(absolute), from: directory)
            }
            // Inside the project the command names is that project's (`cargo install --path DIR --root DIR/x`).
            if case .outside(let path) = location, let named = state.named?.root, Paths.isInside(path, named) {
                location = .inside(path: path, project: named)
            }
            return Place(location: location, source: name)
        }
        switch source {
        case .option(let name, let suffix):
            guard let found = state.found.last(where: { $0.name == name }), let value = found.value else { return nil }
            return located(Value(Self.joined(value.text, suffix), isDynamic: value.isDynamic), found.written.text)
        case .environment(let name, let suffix):
            guard let value = invocation.environment[name], !value.text.isEmpty else { return nil }
            var place = located(Value(Self.joined(value.text, suffix), isDynamic: value.isDynamic), name)
            place.assignment = name + "=" + Quoting.word(value.text)
            return place
        case .path(let path):
            return located(Value(path), "the default")
        case .flag(let name, let path, let negation, let place):
            guard let last = state.found.last(where: { $0.name == name || $0.name == negation }), last.name == name
            else { return nil }
            guard let path else { return Place(location: nil, source: place) }
            return located(Value(path), last.written.text)
        case .firstExisting(let paths):
            guard let first = paths.first else { return nil }
            for path in paths {
                if let absolute = context.absolutePath(Value(path), relativeTo: directory),
                    context.files.exists(absolute)
                {
                    return located(Value(absolute), "the default")
                }
            }
            return located(Value(first), "the default")
        case .projectJSON(let file, let keyPath):
            guard let directory, let holder = context.nearestAncestor(of: directory, holding: file) else { return nil }
            let path = (holder == "/" ? "" : holder) + "/" + file
            guard let bytes = context.files.contents(of: path), var value = try? JSONValue.parse(bytes) else {
                return nil
            }
            for key in keyPath {
                guard let next = value[key] else { return nil }
                value = next
            }
            guard let text = value.stringValue, !text.isEmpty else { return nil }
            return Place(
                location: context.location(of: Value(text), from: holder),
                source: keyPath.joined(separator: ".") + " in " + file)
        case .tomlSetting(let files, let table, let key):
            for file in files {
                guard let path = settingsFile(file, state: state), let bytes = context.files.contents(of: path),
                    let text = TOMLSetting.value(bytes, table: table, key: key), !text.isEmpty
                else { continue }
                // A relative value is the file's; where it points is judged from the command's directory.
                let value = context.absolutePath(Value(text), relativeTo: Paths.parent(path)).map { Value($0) }
                return Place(
                    location: value.map { context.location(of: $0, from: directory) } ?? .unresolvable(text: text),
                    source: table + "." + key + " in " + Paths.display(path, from: directory))
            }
            return nil
        case .custom(let custom):
            guard let resolution = state.custom[custom.name] else { return nil }
            if let isolated = resolution.isolated {
                // An environment of its own is no one else's, wherever it stands.
                return Place(
                    location: .inside(path: isolated, project: isolated), source: isolated, rule: resolution.rule,
                    isolated: isolated)
            }
            if let shared = resolution.shared {
                return Place(location: .outside(path: shared), source: shared, rule: resolution.rule, shared: shared)
            }
            guard let found = resolution.location else { return nil }
            var place = located(found.value, found.source, relativeTo: found.relativeTo)
            place.assignment = resolution.assignment
            place.rule = resolution.rule
            return place
        }
    }

    /// Where a settings file named in a ``LocationSource/tomlSetting(files:table:key:)`` is: the project's
    /// found from the working directory up, or the user's under home or a variable's directory.
    func settingsFile(_ name: String, state: State) -> String? {
        if name.hasPrefix("/") { return name }
        if name.hasPrefix("~/") {
            return context.home.map { Self.join($0, String(name.dropFirst(2))) }
        }
        if name.hasPrefix("$"), let slash = name.firstIndex(of: "/") {
            guard let value = invocation.environment[String(name.dropFirst().prefix { $0 != "/" })],
                !value.isDynamic, value.text.hasPrefix("/")
            else { return nil }
            return Self.join(Paths.normalize(value.text), String(name[name.index(after: slash)...]))
        }
        guard let directory = state.directory, let holder = context.nearestAncestor(of: directory, holding: name)
        else { return nil }
        return Self.join(holder, name)
    }

    static func join(_ directory: String, _ name: String) -> String {
        directory == "/" ? "/" + name : directory + "/" + name
    }

    static func joined(_ path: String, _ suffix: String) -> String {
        guard !suffix.isEmpty else { return path }
        return path.hasSuffix("/") ? path + suffix : path + "/" + suffix
    }

    // MARK: Fixes

    func fixText(_ command: CommandDescription, parsed: ParsedOptions, state: State) -> String {
        fill(command.fix ?? CommandTemplate("{command}"), command: command, parsed: parsed, state: state)
    }

    /// A template filled in from the command being judged.
    func fill(_ template: CommandTemplate, command: CommandDescription, parsed: ParsedOptions, state: State) -> String {
        let asksForProject = !template.prefixWithoutProject.isEmpty || !template.withoutProjectCases.isEmpty
        // The project is looked for only when the template needs it.
        lazy var root = state.directory.flatMap { context.projectRoot(of: $0) }.flatMap { isShared($0) ? nil : $0 }
        // A directory only known when the line runs is in no known project: the cases say what to do there.
        let newProject =
            asksForProject && (state.directory != nil || !template.withoutProjectCases.isEmpty) && root == nil
            && state.named?.root == nil
        var state = state
        if newProject {
            for found in state.found where role(of: found, among: state.options) == .workingDirectory {
                state.dropped.insert(found.written)
                if let value = found.value { state.dropped.insert(value) }
            }
        }
        func written(_ argument: Argument) -> String? {
            // What was dropped is known as the grammar read it (Go's `-o` as `--o`).
            let read = spelled(argument)
            if state.dropped.contains(read) { return nil }
            if let shortened = state.shortened[read] { return Quoting.word(shortened) }
            if let letters = state.droppedLetters[read] {
                let kept = argument.text.dropFirst().filter { !letters.contains($0) }
                return kept.isEmpty ? nil : Quoting.word("-" + kept)
            }
            return Quoting.argument(argument)
        }
        lazy var programText = self.programText
        // The command's words as the fix writes them, before and after the command word: written only for a
        // template that uses them.
        lazy var words: (kept: [String], head: [String], after: [String]) = {
            var kept = [programText]
            var head = [programText]
            var after: [String] = []
            var seenCommand = state.commandWord == nil
            for argument in invocation.arguments.dropFirst(programWords) {
                guard let text = written(argument) else { continue }
                kept.append(text)
                if seenCommand, argument.text != "--" { after.append(text) }
                if !seenCommand { head.append(text) }
                if argument == state.commandWord { seenCommand = true }
            }
            return (kept, head, after)
        }()
        func relative(_ path: String?) -> String {
            guard let path, let directory = state.directory else { return "." }
            return Quoting.word(Paths.relative(path, from: directory))
        }
        func value(of placeholder: Substring) -> String? {
            if let bar = placeholder.firstIndex(of: "|") {
                guard let value = value(of: placeholder[..<bar]) else { return nil }
                return value.isEmpty ? String(placeholder[placeholder.index(after: bar)...]) : value
            }
            switch placeholder {
            case "program": return programText
            case "command": return words.kept.joined(separator: " ")
            case "head": return words.head.joined(separator: " ")
            case "arguments": return words.after.joined(separator: " ")
            case "operands":
                return parsed.operands.filter { $0.text != "--" }.map(Quoting.argument).joined(separator: " ")
            case "name": return command.name
            case "project": return relative(root ?? state.named?.root)
            case "named": return relative(state.named?.directory)
            case "written": return invocation.arguments.map(Quoting.argument).joined(separator: " ")
            case "operand": return parsed.operands.first { $0.text != "--" }.map(Quoting.argument) ?? ""
            case "$project":
                // As the shell's `$PWD` reaches it: an assignment is read before the tool changes directory.
                guard let project = root ?? state.named?.root else { return "$PWD" }
                guard let shell = invocation.directory, Paths.isInside(shell, project) else {
                    return Quoting.word(project)
                }
                let up = Paths.relative(project, from: shell)
                return up == "." ? "$PWD" : "$PWD/" + up
            case _ where placeholder.hasPrefix("-"):
                // `{--option:prefix}`: the prefix and the option's value, or nothing.
                let colon = placeholder.firstIndex(of: ":") ?? placeholder.endIndex
                let name = placeholder[..<colon]
                guard let value = state.found.last(where: { $0.name == name })?.value else { return "" }
                return (colon == placeholder.endIndex ? "" : placeholder[placeholder.index(after: colon)...])
                    + Quoting.argument(value)
            default: return nil
            }
        }
        /// The template with its placeholders filled; one that comes out empty leaves no double, leading or
        /// trailing space. `main` stands for `{text}`.
        func filled(_ template: String, text main: String = "") -> String {
            var text = ""
            var rest = Substring(template)
            while let open = rest.utf8.firstIndex(of: UInt8(ascii: "{")) {
                text += rest[..<open]
                let inner = rest[rest.utf8.index(after: open)...]
                guard let close = inner.utf8.firstIndex(of: UInt8(ascii: "}")) else {
                    text.append("{")
                    rest = inner
                    continue
                }
                let name = inner[..<close]
                guard let value = name == "text" ? main : value(of: name) else {
                    text.append("{")
                    rest = inner
                    continue
                }
                rest = inner[inner.utf8.index(after: close)...]
                if value.isEmpty, text.isEmpty || text.utf8.last == UInt8(ascii: " "),
                    rest.utf8.first == UInt8(ascii: " ")
                {
                    rest = rest.dropFirst()
                }
                text += value
            }
            text += rest
            while text.utf8.last == UInt8(ascii: " ") { text.removeLast() }
            return text
        }
        let chosen = parsed.operands.isEmpty ? template.withoutOperands ?? template.text : template.text
        var text = filled(chosen)
        if !template.prefixUnlessFound.isEmpty {
            // A file found only in a shared place (the home directory's manifest) is none of the project's.
            let found = state.directory.map { directory in
                template.prefixUnlessFound.contains { name in
                    context.nearestAncestor(of: directory, holding: name).map { !isShared($0) } ?? false
                }
            }
            if found != true || newProject { text = template.prefix + text }
        }
        if newProject,
            let special = template.withoutProjectCases.first(where: {
                holds($0.condition, in: state.directory, state: state)
            })
        {
            text = filled(special.text, text: text)
        }
        if newProject { text = template.prefixWithoutProject + text }
        return text
    }

    /// Whether a template case applies where the working directory is in no project.
    func holds(_ condition: TemplateCase.Condition, in directory: String?, state: State) -> Bool {
        switch condition {
        case .exists(let path): directory.map { context.files.exists(Self.join($0, path)) } ?? false
        case .isDirectory(let path): directory.map { context.files.isDirectory(Self.join($0, path)) } ?? false
        case .inHome: directory.flatMap { directory in context.home.map { Paths.isInside(directory, $0) } } ?? false
        case .namedDirectoryWithoutProject: state.named != nil && state.named?.root == nil
        case .always: true
        }
    }
}

/// The option grammars of one description, each built on first use and kept: a batch of commands (an audit,
/// a benchmark) builds each once, as the hand-written modules' static grammars were.
final class GrammarCache: Sendable {
    private let grammars = Mutex<[String: OptionGrammar]>([:])
    private let noptGrammars = Mutex<[String: NoptGrammar]>([:])

    /// The nopt definitions kept under `key` when they were built from `count` options, else new ones, kept.
    func nopt(_ key: String, _ count: Int, _ build: () -> NoptGrammar) -> NoptGrammar {
        if let kept = noptGrammars.withLock({ $0[key] }), kept.count == count { return kept }
        let built = build()
        noptGrammars.withLock { $0[key] = built }
        return built
    }

    private let commandTables = Mutex<NoptCommands?>(nil)

    /// The nopt command table of the description's commands, built on first use.
    func commandTable(_ build: () -> NoptCommands) -> NoptCommands {
        if let kept = commandTables.withLock({ $0 }) { return kept }
        let built = build()
        commandTables.withLock { $0 = built }
        return built
    }

    /// The grammar kept under `key` when it was built from `count` options, else a new one, kept.
    func grammar(_ key: String, _ count: Int, _ build: () -> OptionGrammar) -> OptionGrammar {
        if let kept = grammars.withLock({ $0[key] }), kept.options.count == count { return kept }
        let built = build()
        grammars.withLock { $0[key] = built }
        return built
    }
}

/// Described options read the way nopt reads them (``NoptDefinitions``): each option's canonical long name is
/// a definition, its other spellings shorthands for it; an option with a value takes the next word, one with
/// an optional value takes it unless it looks like an option, the others are booleans (`--no-X`, a following
/// `true` or `false`). What nopt leaves is given back as an ``OptionGrammar`` parse: the options set, under
/// their canonical names, each with the argument it was written in; a boolean nopt leaves false or null is
/// not given at all (`-g --no-global`).
struct NoptGrammar: Sendable {
    let definitions: NoptDefinitions
    /// Canonical option name by nopt's key.
    let names: [String: String]
    /// How many options it was built from.
    let count: Int

    /// A tool's own definitions: every option under its own name.
    init(definitions: NoptDefinitions) {
        self.definitions = definitions
        var names: [String: String] = [:]
        for key in definitions.kinds.keys { names[key] = "--" + key }
        self.names = names
        count = definitions.kinds.count
    }

    init(_ options: [DescribedOption]) {
        var kinds: [String: NoptDefinitions.Kind] = [:]
        var shorthands: [String: [String]] = [:]
        var names: [String: String] = [:]
        for described in options {
            let option = described.option
            let key = String(option.name.drop { $0 == "-" })
            names[key] = option.name
            kinds[key] =
                option.valueIsOptional ? .text : option.takesValue ? .value(nullable: false) : .flag
            for spelling in option.spellings where spelling != option.name {
                shorthands[String(spelling.drop { $0 == "-" })] = ["--" + key]
            }
        }
        definitions = NoptDefinitions(kinds: kinds, shorthands: shorthands)
        self.names = names
        count = options.count
    }

    func parse(_ arguments: [Argument], stops: Bool) -> ParsedOptions {
        let nopt = definitions.parse(arguments, stopsAtFirstPositional: stops)
        var result = ParsedOptions()
        for occurrence in nopt.occurrences {
            guard occurrence.isKnown, let name = names[occurrence.key] else {
                result.unknown.append(occurrence.written)
                continue
            }
            switch nopt.options[occurrence.key] {
            case .flag(false)?, .null?: continue
            default: break
            }
            var value: Argument?
            if case .text = occurrence.value { value = occurrence.valueArgument }
            result.found.append(ParsedOptions.Found(name: name, value: value, written: occurrence.written))
        }
        result.operands = nopt.positionals
        result.remainder = nopt.remainder
        result.afterDoubleDash = nopt.afterDoubleDash
        return result
    }
}

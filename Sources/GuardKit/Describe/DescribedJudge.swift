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
    }

    /// Judges one invocation.
    public func judge(_ invocation: Invocation, in context: JudgementContext) -> Outcome {
        for description in descriptions {
            if description.programs.contains(invocation.program) {
                let reading = Reading(
                    judge: self, description: description, invocation: invocation, context: context,
                    programWords: 1)
                return reading.judge(Array(invocation.operands))
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
    }

    var programText: String {
        invocation.arguments.prefix(programWords).map(Quoting.argument).joined(separator: " ")
    }

    func what(_ state: State) -> String { ([description.name] + state.path).joined(separator: " ") }

    func pass(_ note: String) -> Outcome { Outcome(judgement: Judgement(findings: [], notes: [note])) }

    func finding(_ rule: Rule, _ reason: String, verdict: Verdict? = nil, fix: String? = nil) -> Finding {
        Finding(
            verdict: verdict ?? rule.verdict, ecosystem: judge.ecosystem, rule: rule.id, span: invocation.span,
            reason: reason, fix: fix)
    }

    func grammar(_ options: [DescribedOption], stops: Bool) -> OptionGrammar {
        OptionGrammar(
            options.map(\.option), abbreviations: description.style.abbreviatesOptions, stopsAtFirstOperand: stops)
    }

    /// Go's flag package spells every flag with one dash or two; the grammar reads long ones.
    func spelled(_ arguments: [Argument]) -> [Argument] {
        guard description.style == .goFlags else { return arguments }
        return arguments.map { argument in
            guard argument.text.hasPrefix("-"), !argument.text.hasPrefix("--"), argument.text.count > 1 else {
                return argument
            }
            return Argument("-" + argument.text, isDynamic: argument.isDynamic, span: argument.span)
        }
    }

    func role(of found: ParsedOptions.Found, among options: [DescribedOption]) -> OptionRole {
        options.first { $0.name == found.name }?.role ?? .plain
    }

    /// Whether an option of these roles was given; the first one, for the note.
    func given(_ roles: Set<OptionRole>, in state: State, options: [DescribedOption]) -> ParsedOptions.Found? {
        state.found.first { roles.contains(role(of: $0, among: options)) }
    }

    func judge(_ arguments: [Argument]) -> Outcome {
        var state = State()
        state.directory = invocation.directory
        if description.selectsCommandByOption { return judgeByOption(arguments, state: state) }
        let parsed = grammar(description.globalOptions, stops: true).parse(spelled(arguments))
        absorb(parsed, options: description.globalOptions, into: &state)
        if let early = passingOptions(state, options: description.globalOptions) { return early }
        guard let word = parsed.remainder.first else {
            return fallback(description.withoutCommand, word: nil, rest: [], state: state)
        }
        if word.isDynamic {
            return Outcome(
                judgement: Judgement(findings: [
                    finding(
                        description.dynamicRule, DescribedReason.dynamicCommand(description.name, word.text),
                        verdict: .ask)
                ]))
        }
        guard let command = Self.lookup(word.text, in: description.commands, by: description.commandLookup) else {
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
        if let help = given([.help], in: state, options: options) {
            return pass("`\(help.written.text)` prints help or the version")
        }
        if let dry = given([.dryRun], in: state, options: options) {
            return pass("`\(dry.written.text)` only shows what would be done")
        }
        if let reads = given([.reads], in: state, options: options) {
            return pass("`\(reads.written.text)` makes it read, not change")
        }
        return nil
    }

    static func lookup(_ word: String, in commands: [CommandDescription], by lookup: CommandLookup)
        -> CommandDescription?
    {
        if let exact = commands.first(where: { $0.names.contains(word) }) { return exact }
        guard lookup == .uniquePrefix, !word.isEmpty, !word.hasPrefix("-") else { return nil }
        let matches = commands.filter { $0.names.contains { $0.hasPrefix(word) } }
        return matches.count == 1 ? matches[0] : nil
    }

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
        case .projectScript:
            guard let word else { return pass("`\(description.name)` alone prints usage") }
            let parsed = grammar(description.globalOptions, stops: true).parse(rest)
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
        guard let source = description.scripts, let directory = state.directory,
            let root = context.nearestAncestor(of: directory, holding: source.manifest)
        else { return [] }
        let base = root == "/" ? "" : root
        return [
            ProjectScripts(
                manifest: base + "/" + source.manifest, table: source.table, names: names, directory: root,
                pathPrefixes: source.pathPrefixes.map { base + "/" + $0 }, mainScript: main,
                extraArguments: arguments, runner: runner, entries: source.entries)
        ]
    }

    /// Judges a command whose word has been read; `rest` is what follows it.
    func judge(
        _ command: CommandDescription, word: Argument?, rest: [Argument], state: State,
        options outer: [DescribedOption]
    ) -> Outcome {
        var state = state
        state.path.append(word == nil ? command.names.first { $0.hasPrefix("--") } ?? command.name : command.name)
        let options = outer + command.options
        let stops: Bool
        switch command.action {
        case .group, .globalScope, .runsCommand: stops = true
        default: stops = false
        }
        let parsed = grammar(options, stops: stops).parse(spelled(rest))
        absorb(parsed, options: options, into: &state)
        if let early = passingOptions(state, options: options) { return early }
        let what = self.what(state)
        let scopeWord = word
        switch command.action {
        case .reads:
            return pass("`\(what)` reads or prints; it changes no packages")
        case .asks:
            guard let rule = command.rule else { return pass("`\(what)`") }
            return Outcome(judgement: Judgement(findings: [finding(rule, DescribedReason.unknowable(what))]))
        case .group:
            guard let word = parsed.remainder.first else { return pass("`\(what)` alone prints usage") }
            if word.isDynamic {
                return Outcome(
                    judgement: Judgement(findings: [
                        finding(description.dynamicRule, DescribedReason.dynamicCommand(what, word.text), verdict: .ask)
                    ]))
            }
            guard let sub = Self.lookup(word.text, in: command.subcommands, by: description.commandLookup) else {
                return pass("`\(what) \(word.text)` is no command that installs")
            }
            return judge(sub, word: word, rest: Array(parsed.remainder.dropFirst()), state: state, options: options)
        case .globalScope:
            guard let word = parsed.remainder.first else { return pass("`\(what)` alone prints usage") }
            if word.isDynamic {
                return Outcome(
                    judgement: Judgement(findings: [
                        finding(description.dynamicRule, DescribedReason.dynamicCommand(what, word.text), verdict: .ask)
                    ]))
            }
            state.globalScope = true
            // The fix is the same command without the scope word.
            if let scope = scopeWord { state.dropped.insert(scope) }
            guard let inner = Self.lookup(word.text, in: description.commands, by: description.commandLookup) else {
                return pass("`\(what) \(word.text)` is no command that installs")
            }
            return judge(inner, word: word, rest: Array(parsed.remainder.dropFirst()), state: state, options: options)
        case .runsScript:
            guard let name = parsed.operands.first else { return pass("`\(what)` alone lists the scripts") }
            if name.isDynamic {
                return Outcome(
                    judgement: Judgement(findings: [
                        finding(description.dynamicRule, DescribedReason.dynamicCommand(what, name.text), verdict: .ask)
                    ]))
            }
            if given([.disablesScripts], in: state, options: options) != nil {
                return pass("scripts are turned off")
            }
            let after = rest.drop { $0 != name }.dropFirst()
            return scripts(
                named: name.text, arguments: Self.scriptArguments(Array(after)), state: state,
                runner: "\(what) \(name.text)")
        case .runsCommand:
            var arguments = parsed.remainder
            if arguments.first?.text == "--" { arguments.removeFirst() }
            guard !arguments.isEmpty else { return pass("`\(what)` alone lists what it can run") }
            var judgement = Judgement(findings: [], notes: ["`\(what)` runs `\(arguments[0].text)`"])
            var changes: [String: Value?] = [:]
            if let source = description.scripts, let directory = state.directory,
                let root = context.nearestAncestor(of: directory, holding: source.manifest),
                !source.pathPrefixes.isEmpty
            {
                let base = root == "/" ? "" : root
                let old = invocation.environment["PATH"] ?? Value("")
                let prefix = source.pathPrefixes.map { base + "/" + $0 }.joined(separator: ":")
                changes["PATH"] = Value(prefix + (old.text.isEmpty ? "" : ":" + old.text), isDynamic: old.isDynamic)
            }
            judgement.nested = NestedCommand(
                arguments: arguments, environmentChanges: changes, directory: state.directory, runner: what)
            return Outcome(judgement: judgement)
        case .installs, .removes, .changesSettings, .selfUpdate:
            guard let target = command.target else { return pass("`\(what)`") }
            return judge(command, target: target, parsed: parsed, state: state, options: options)
        }
    }

    // MARK: Targets

    /// A location as one source gives it, with what to call it in a reason.
    struct Place {
        var location: Location?
        var source: String
    }

    func judge(
        _ command: CommandDescription, target: Target, parsed: ParsedOptions, state: State,
        options: [DescribedOption]
    ) -> Outcome {
        var state = state
        let what = self.what(state)
        let verb = DescribedReason.verb(command.action)
        var global = target.globalWhen.isEmpty
        var unknownSelector: String?
        for selector in target.globalWhen {
            switch selector {
            case .option(let name):
                for found in state.found where found.name == name {
                    global = true
                    state.dropped.insert(found.written)
                    if let value = found.value { state.dropped.insert(value) }
                }
            case .environment(let name):
                switch invocation.environment.isTruthy(name) {
                case true?: global = true
                case nil: unknownSelector = name
                case false?: break
                }
            case .scope:
                if state.globalScope { global = true }
            }
        }
        // Options that name the global place go with the global mode in the fix.
        for source in target.globalLocation {
            if case .option(let name, _) = source {
                for found in state.found where found.name == name {
                    state.dropped.insert(found.written)
                    if let value = found.value { state.dropped.insert(value) }
                }
            }
        }
        let fix = fixText(command, parsed: parsed, state: state)
        let undo = command.undo.map { fill($0, command: command, parsed: parsed, state: state) }
        func outcome(_ findings: [Finding], scripts: [ProjectScripts] = []) -> Outcome {
            var judgement = Judgement(findings: findings)
            judgement.scripts = scripts
            return Outcome(judgement: judgement, undo: findings.contains { $0.verdict >= .ask } ? undo : nil)
        }
        if global {
            for source in target.globalLocation {
                guard let place = resolve(source, state: state) else { continue }
                return outcome([
                    judge(place, what: what, verb: verb, rule: target.globalRule, allow: target.allowRule, fix: fix)
                ])
            }
            let place = target.globalPlaceDescription ?? "a global location"
            return outcome([finding(target.globalRule, DescribedReason.globalPlace(what, verb, place), fix: fix)])
        }
        for source in target.localLocation {
            guard let place = resolve(source, state: state) else { continue }
            return outcome([
                judge(
                    place, what: what, verb: verb, rule: target.locationRule ?? target.globalRule,
                    allow: target.allowRule, fix: fix)
            ])
        }
        if let unknownSelector {
            return outcome([
                finding(
                    target.globalRule, "`\(what)`: \(unknownSelector) is set, so \(DescribedReason.unknownSelector).",
                    verdict: .ask, fix: fix)
            ])
        }
        let root = context.projectRoot(of: state.directory)
        switch target.local {
        case .none:
            break
        case .needsProject(let rule):
            guard root != nil else {
                return outcome([
                    finding(rule, DescribedReason.noProject(what, state.directory ?? "an unknown directory"), fix: fix)
                ])
            }
        case .needsMarkers(let markers, let rule, let onlyWithOperands):
            if !(onlyWithOperands && parsed.operands.isEmpty) {
                let present = state.directory.map { directory in
                    markers.contains { context.nearestAncestor(of: directory, holding: $0) != nil }
                }
                if present != true {
                    return outcome([finding(rule, DescribedReason.ambiguous(what, markers), fix: fix)])
                }
            }
        }
        var scripts: [ProjectScripts] = []
        if !command.lifecycleScripts.isEmpty, given([.disablesScripts], in: state, options: options) == nil,
            !(command.lifecycleScriptsOnlyWithoutOperands && !parsed.operands.isEmpty)
        {
            scripts = projectScripts(
                command.lifecycleScripts, main: nil, arguments: [], state: state, runner: what)
        }
        let reason = DescribedReason.project(what, root ?? state.directory ?? ".")
        return outcome([finding(target.allowRule, reason)], scripts: scripts)
    }

    func judge(_ place: Place, what: String, verb: String, rule: Rule, allow: Rule, fix: String?) -> Finding {
        switch place.location {
        case .inside(let path, _)?:
            return finding(allow, DescribedReason.inside(what, verb, path + " (\(place.source))"))
        case .outside(let path)?:
            return finding(rule, DescribedReason.outside(what, verb, path + " (\(place.source))"), fix: fix)
        case .unresolvable(let text)?:
            return finding(
                rule, DescribedReason.unresolvable(what, verb, text + " (\(place.source))"), verdict: .ask, fix: fix)
        case nil:
            return finding(rule, DescribedReason.unresolvable(what, verb, place.source), verdict: .ask, fix: fix)
        }
    }

    /// Where a source points, or `nil` when it does not apply (the option was not given, the variable is unset).
    func resolve(_ source: LocationSource, state: State) -> Place? {
        let directory = state.directory
        func located(_ value: Value, _ name: String) -> Place {
            Place(location: context.location(of: value, from: directory), source: name)
        }
        switch source {
        case .option(let name, let suffix):
            guard let found = state.found.last(where: { $0.name == name }), let value = found.value else { return nil }
            return located(Value(Self.joined(value.text, suffix), isDynamic: value.isDynamic), found.written.text)
        case .environment(let name, let suffix):
            guard let value = invocation.environment[name], !value.text.isEmpty else { return nil }
            return located(Value(Self.joined(value.text, suffix), isDynamic: value.isDynamic), name)
        case .path(let path):
            return located(Value(path), "the default")
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
        }
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
        var kept = [programText]
        for argument in invocation.arguments.dropFirst(programWords) where !state.dropped.contains(argument) {
            kept.append(Quoting.argument(argument))
        }
        let operands = parsed.operands.filter { $0.text != "--" }.map(Quoting.argument).joined(separator: " ")
        var text = template.text.replacingOccurrences(of: "{program}", with: programText)
            .replacingOccurrences(of: "{command}", with: kept.joined(separator: " "))
            .replacingOccurrences(of: "{operands}", with: operands)
            .replacingOccurrences(of: "{name}", with: command.name)
        while text.contains("  ") { text = text.replacingOccurrences(of: "  ", with: " ") }
        if text.hasSuffix(" ") { text.removeLast() }
        if !template.prefixUnlessFound.isEmpty {
            let found = state.directory.map { directory in
                template.prefixUnlessFound.contains { context.nearestAncestor(of: directory, holding: $0) != nil }
            }
            if found != true { text = template.prefix + text }
        }
        return text
    }
}

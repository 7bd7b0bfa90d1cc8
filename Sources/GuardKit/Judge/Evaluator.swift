import Synchronization

/// Walks a parsed command line in the order bash runs it, keeping the shell's state (directory,
/// variables, activations), seeing through wrappers, and asking the modules about each command.
struct Evaluator {
    /// A value that grows past this is treated as dynamic: `X=$X$X` repeated must not take exponential time.
    static let maximumValueLength = 1 << 16
    /// A guarded program given more arguments than this is not read option by option: it asks.
    static let maximumModuleArguments = 4096
    /// Shell code inside shell code (`bash -c "eval '…'"`) is followed this deep.
    static let maximumScriptNesting = 12

    /// What the shell carries from one command to the next.
    ///
    /// Every change gives the state a new ``version``, unique in the process, so that two states with the
    /// same version are the same state: a state saved and put back (`let saved = shell; …; shell = saved`)
    /// is recognised as unchanged (``Evaluator/walkTopLevel(_:)``).
    struct ShellState {
        var directory: String? { didSet { renew() } }
        /// Every shell variable.
        private(set) var values: Environment { didSet { renew() } }
        /// The exported ones, kept up to date so that each command's environment is a copy, not a rebuild.
        private(set) var exported: Environment { didSet { renew() } }
        var directoryStack: [String?] = [] { didSet { renew() } }
        var exportsAll = false { didSet { renew() } }
        /// Names given to `export` before they had a value.
        var exportedWithoutValue: Set<String> = [] { didSet { renew() } }
        /// Functions defined so far: name → index into `Evaluator.definedFunctions`.
        var functions: [String: Int] = [:] { didSet { renew() } }
        /// The rest of the shell's value model (arrays, positional parameters, namerefs, `hash -p`).
        var model = ShellModel() { didSet { renew() } }
        /// Functions and the script name of the files the line runs (ScriptFiles.swift); `nil` on a line that
        /// runs no file, so copying the state stays cheap.
        var fileScope: FileScope? { didSet { renew() } }
        /// Which state this is (see above).
        private(set) var version = ShellState.nextVersion()

        private mutating func renew() { version = Self.nextVersion() }

        private static let versions = Mutex(0)
        private static func nextVersion() -> Int {
            versions.withLock { count in
                count &+= 1
                return count
            }
        }

        /// A shell whose variables are exactly the exported `environment` (a new process).
        init(directory: String?, environment: Environment) {
            self.directory = directory
            self.values = environment
            self.exported = environment
        }

        subscript(name: String) -> Value? { values[name] }

        func isExported(_ name: String) -> Bool { exported[name] != nil }

        mutating func set(_ name: String, _ value: Value, exported isExported: Bool) {
            values[name] = value
            exported[name] = isExported ? value : nil
        }

        mutating func unset(_ name: String) {
            values[name] = nil
            exported[name] = nil
        }
    }

    /// What feeds a command's standard input, when a shell may read it as code.
    enum Input {
        case none
        case text(String, ShellParser.SpanMap)
        case opaque(SourceSpan)
    }

    let judge: CommandJudge
    /// The text spans point into: the line, or the file being judged (ScriptFiles.swift).
    var source: [UInt8]
    let home: String?
    var shell: ShellState
    /// Top-level commands whose walk changed nothing, by their text, with the state they were walked in:
    /// walked again in that same state, they find nothing new (``walkTopLevel(_:)``).
    private var unchangingCommands: [ArraySlice<UInt8>: StateStamp] = [:]
    var files = FileFacts()
    /// Files the line runs: limits, cache, nesting (ScriptFiles.swift).
    var fileRuns = FileRuns()
    /// Whether a file's text is being walked, and whether a file defined a function: plain flags, so that
    /// a line that runs no file never looks further (debug builds copy large state on every look).
    var readingFile = false
    var hasFileFunctions = false
    var findings: [Finding] = []
    var trace: [TraceEvent] = []
    var scriptNesting = 0
    /// How much text the line may still have re-read as shell code (`eval`, `bash -c`, pipes into shells)
    /// or expanded from long variables: a value of 64 KB used a thousand times must not cost 64 MB.
    var amplificationBudget: Int
    /// How many loop bodies may still be walked once per value (see `.forLoop`).
    var loopBudget = 64
    /// How many words and commands loop bodies may still be walked again for (see `.forLoop`): as many as
    /// the line has bytes, so unrolling at most doubles the walk.
    var unrollBudget: Int
    /// How many `$(mktemp -d)` directories the line has made, so each gets its own name.
    var temporaryDirectories = 0
    /// Wrappers around the shell code being walked (`bash -c`, `sudo`), shown on every part inside it.
    var enclosingWrappers: [String] = []
    /// Findings about a command's redirections, added with the command's own part.
    var redirectionFindings: [Finding] = []
    /// Whether the shell code being walked runs as root (`sudo bash -c '…'`, `su -c '…'`).
    var enclosingElevation = false

    /// Every function the line defines, in order (`ShellState.functions` points into it).
    var definedFunctions: [FunctionDefinition] = []
    /// The functions that were called (the others are judged when their shell ends).
    var calledFunctions: Set<Int> = []
    /// How deep function calls are nested.
    var functionDepth = 0

    /// Whether to keep the reading (parts and state changes) for `explain`.
    let tracing: Bool
    /// The scans of text that cannot be read, built on first use (``CommandJudge/programScan``).
    private var builtProgramScan: ShellRules.WordScan?
    private var builtProtectionScan: ShellRules.WordScan??
    var programScan: ShellRules.WordScan {
        mutating get {
            if let built = builtProgramScan { return built }
            let scan = judge.programScan
            builtProgramScan = scan
            return scan
        }
    }
    var protectionScan: ShellRules.WordScan? {
        mutating get {
            if let built = builtProtectionScan { return built }
            let scan = judge.protectionScan
            builtProtectionScan = .some(scan)
            return scan
        }
    }

    /// Git settings the line set that change what git runs (`git config alias.NAME VALUE`, `core.hooksPath`),
    /// by lowercased key.
    var gitSettings: [String: Argument] = [:]

    /// Where the line first changed more files than the overlay keeps, until a later command asks about it.
    var unrecordedChangesAt: Int?
    /// The other ways the line may have gone so far (``walkConditional``): each walks what follows too.
    var alternatives: [Alternative] = []
    /// Whether this walk is itself an alternative (which does not fork again).
    var isAlternative = false
    /// Whether block and ask findings get the command that undoes them (an audit's question, not the hook's).
    var findsUndo = false
    /// When reading must stop (``Deadline``); `nil`: read the whole line, however long it takes.
    let deadline: Deadline?
    /// Whether the deadline passed: from then on nothing more is read, and the line is judged by its words.
    private(set) var ranOutOfTime = false
    /// Reading the clock costs a system call's worth on some machines: it is read every few steps.
    private var stepsUntilClock = 0

    init(
        judge: CommandJudge, source: [UInt8], directory: String, environment: [String: String], tracing: Bool,
        deadline: Deadline? = nil
    ) {
        self.judge = judge
        self.tracing = tracing
        self.deadline = deadline
        self.amplificationBudget = max(1 << 20, 4 * source.count)
        self.unrollBudget = max(1 << 16, source.count)
        self.source = source
        self.home = environment["HOME"].map(Paths.normalize)
        var variables = environment.mapValues { Value($0) }
        variables["PWD"] = Value(directory)
        shell = ShellState(directory: directory, environment: Environment(values: variables))
    }

    var context: JudgementContext {
        JudgementContext(
            files: files, home: home, projectMarkers: judge.projectMarkers, policy: judge.policy,
            userBinDirectories: judge.userBinDirectories, deadline: deadline)
    }

    // MARK: Walking the tree

    /// Commands longer than this are not remembered: hashing their text would cost more than a repeat saves,
    /// and long commands seldom repeat.
    static let maximumRememberedLength = 1024

    /// What a walk may change, cheaply compared: when a command leaves it as it was, walking the same
    /// text again from the same stamp finds the same findings, and so nothing new.
    struct StateStamp: Hashable {
        var shell: Int
        var files: Int
        var functions: Int
        var calledFunctions: Int
        var temporaryDirectories: Int
        var unrecordedChanges: Int?
        /// Where the walk is: in files run how deep, in shell code and functions how deep, inside how many
        /// wrappers, as root or not.
        var fileDepth: Int
        var scriptNesting: Int
        var functionDepth: Int
        var wrappers: Int
        var elevated: Bool
    }

    var stateStamp: StateStamp {
        StateStamp(
            shell: shell.version, files: files.version, functions: definedFunctions.count,
            calledFunctions: calledFunctions.count + gitSettings.count << 32,
            temporaryDirectories: temporaryDirectories,
            unrecordedChanges: unrecordedChangesAt,
            fileDepth: fileRuns.depth, scriptNesting: scriptNesting, functionDepth: functionDepth,
            wrappers: enclosingWrappers.count, elevated: enclosingElevation)
    }

    /// Walks one command of the line's top level. A command the line repeats (`echo x > /dev/null;` fifty
    /// thousand times) is walked once per state: judging is a function of the command's text and the
    /// state it runs in, so a repeat in the same state adds nothing (its findings are already there).
    /// Only commands whose text is all of them qualify: simple commands, pipelines and `&&`/`||` lists of
    /// them without heredocs (whose bodies lie outside the text) — not subshells, loops or functions, whose
    /// text leaves out what makes them differ (`(cd /)` is not `cd /`). `explain` walks everything.
    /// While an alias is defined, where a command stands matters too (an alias applies from the line after
    /// its definition, so `ls` on the next line is not the `ls` before it): nothing is remembered then.
    mutating func walkTopLevel(_ command: Command) {
        guard !tracing, shell.model.aliases.isEmpty, let span = Self.wholeTextSpan(command),
            span.upperBound <= source.count,
            span.count <= Self.maximumRememberedLength
        else {
            walk(command, input: .none)
            return
        }
        let key = source[span]
        let before = stateStamp
        if unchangingCommands[key] == before { return }
        walk(command, input: .none)
        if stateStamp == before { unchangingCommands[key] = before }
    }

    /// Reads and walks a script whose spans are offsets into `source` (the line, or a file it runs) command
    /// by command, each as ``walkTopLevel(_:)`` does, until its end or the deadline; what cannot be read is
    /// judged as such.
    mutating func walkReading(_ parser: inout ShellParser) {
        parser.deadline = deadline
        // Only alternatives that arise in this text walk its next commands: an earlier one is at an outer
        // point of the line, and walks the whole command that led here instead.
        let outer = alternatives.count
        while !isOutOfTime(), let next = parser.nextCommand() {
            // A command cut short by the deadline is not walked: what it means is not known.
            if parser.ranOutOfTime { break }
            let pending = Array(alternatives[min(outer, alternatives.count)...])
            let mainSince = findings.count
            walkTopLevel(next)
            if !pending.isEmpty { walkInAlternatives(pending, mainSince: mainSince) { $0.walkTopLevel(next) } }
        }
        if parser.ranOutOfTime { ranOutOfTime = true }
        if !ranOutOfTime, let unreadable = parser.unreadable { judgeUnreadable(unreadable) }
    }

    /// From the first simple command's start to the last one's end, whatever the command's shape.
    static func extent(_ command: Command) -> SourceSpan? {
        func simples(_ command: Command, _ first: Bool) -> SourceSpan? {
            switch command {
            case .simple(let simple): return simple.span
            case .sequence(let commands), .pipeline(let commands):
                for command in first ? Array(commands) : commands.reversed() {
                    if let span = simples(command, first) { return span }
                }
                return nil
            case .subshell(let body, _), .forLoop(_, _, let body), .function(_, let body), .redirected(let body, _):
                return simples(body, first)
            case .expansions(let words):
                return (first ? words.first : words.last)?.span
            case .conditional:
                return simples(.sequence(command.conditionalParts), first)
            }
        }
        guard let first = simples(command, true), let last = simples(command, false) else { return nil }
        return first.lowerBound..<max(first.lowerBound, last.upperBound)
    }

    /// The span of a command whose text is all of it (see ``walkTopLevel(_:)``), or `nil`.
    static func wholeTextSpan(_ command: Command) -> SourceSpan? {
        switch command {
        case .simple(let simple):
            guard !simple.redirections.contains(where: { $0.hereDocument != nil }) else { return nil }
            return simple.span
        case .conditional:
            return wholeTextSpan(.sequence(command.conditionalParts))
        case .sequence(let commands), .pipeline(let commands):
            // Each part once: a part visited twice per level would cost 2^depth on nested groups.
            var whole: SourceSpan?
            for command in commands {
                guard let span = wholeTextSpan(command) else { return nil }
                whole = (whole?.lowerBound ?? span.lowerBound)..<span.upperBound
            }
            return whole
        default:
            return nil
        }
    }

    /// Walks a command; returns what it writes to standard output when that is known text.
    @discardableResult
    mutating func walk(_ command: Command, input: Input, producesOutput: Bool = false) -> Input {
        if isOutOfTime() { return .none }
        switch command {
        case .simple(let simple):
            return evaluate(simple, input: input, producesOutput: producesOutput)
        case .sequence(let commands):
            var output = Input.none
            // A group whose output is read (`{ echo pip; echo install x; } | sh`, `$(echo a; echo b)`) writes
            // what all its commands write, one after another: known text only when each one's is. (Known
            // output is kept without its last newline, as `$(…)` takes it: each part's goes back between them.)
            var written: String? = producesOutput ? "" : nil
            // Alternatives from before this list are at an outer point (see `walkReading`).
            let outer = alternatives.count
            for (index, command) in commands.enumerated() {
                let pending = Array(alternatives[min(outer, alternatives.count)...])
                let mainSince = findings.count
                output = walk(command, input: index == 0 ? input : .none, producesOutput: producesOutput)
                if !pending.isEmpty {
                    walkInAlternatives(pending, mainSince: mainSince) { $0.walk(command, input: .none) }
                }
                if case .text(let text, _) = output {
                    written? += index == 0 ? text : "\n" + text
                } else {
                    written = nil
                }
            }
            if producesOutput, commands.count > 1, let span = Self.extent(command) {
                guard let written, spendAmplification(written.utf8.count) else { return .opaque(span) }
                return .text(written, .enclosing(span))
            }
            return output
        case .pipeline(let commands):
            var input = input
            let outerAlternatives = alternatives.count
            defer { alternatives.removeSubrange(min(outerAlternatives, alternatives.count)...) }
            for (index, command) in commands.enumerated() {
                let saved = shell
                let feedsNext = index + 1 < commands.count
                input = walk(command, input: input, producesOutput: feedsNext)
                // Whatever a part writes that is not known (a loop's, a function's) is still written into the
                // next part: it is opaque text, never no input at all.
                if feedsNext, case .none = input, let span = Self.extent(command) { input = .opaque(span) }
                shell = saved
            }
            return .none
        case .subshell(let body, let redirections):
            expandRedirections(redirections)
            let saved = shell
            let outerAlternatives = alternatives.count
            let output = walk(body, input: input, producesOutput: producesOutput)
            shell = saved
            alternatives.removeSubrange(min(outerAlternatives, alternatives.count)...)
            return output
        case .conditional(let condition, let onSuccess, let onFailure):
            walkConditional(condition, onSuccess: onSuccess, onFailure: onFailure, input: input)
            return producesOutput ? Self.extent(command).map { .opaque($0) } ?? .none : .none
        case .forLoop(let variable, let words, let body):
            let values = loopValues(words)
            // Walking a body once per value multiplies work: nested loops share one budget, so the line stays
            // linear in its length.
            // Each extra walk of the body is charged by its size, so a short list over a long body cannot
            // multiply the line either.
            let unrollCost = values.map { ($0.count - 1) * Self.size(of: body) } ?? 0
            guard !variable.isEmpty, let values, !values.isEmpty, loopBudget >= values.count,
                unrollBudget >= unrollCost
            else {
                if !variable.isEmpty {
                    assign(variable, Value("$" + variable, isDynamic: true), span: 0..<0, traced: false)
                }
                walk(body, input: .none)
                return .none
            }
            // A short list known statically (`for d in packages/*`) is walked once per value, as bash runs it.
            loopBudget -= values.count
            unrollBudget -= unrollCost
            for value in values {
                assign(variable, value, span: 0..<0, traced: false)
                walk(body, input: .none)
            }
            return .none
        case .expansions(let words):
            for word in words { _ = expand(word) }
            return .none
        case .function(let name, let body):
            if readingFile {
                // In a file, judged when called: a sourced library defines many functions that never run.
                defineFileFunction(name, body: body)
                return .none
            }
            // Judged where it is called, with its arguments bound; one never called is judged when its shell
            // ends (`judgeUncalledFunctions`).
            define(name, body)
            return .none
        case .redirected(let body, let redirections):
            let redirectedInput = expandRedirections(redirections) ?? input
            return walk(body, input: redirectedInput, producesOutput: producesOutput)
        }
    }

    /// The first path a command word's glob pattern matches, written as the pattern was (relative stays
    /// relative); `nil` when the word is no pattern or matches nothing (bash then keeps the word).
    func commandWordMatch(_ text: String) -> String? {
        guard text.contains(where: { $0 == "*" || $0 == "?" }) || (text.contains("[") && text.contains("]")),
            text != "[", let directory = shell.directory
        else { return nil }
        let pattern = text.hasPrefix("/") ? text : directory + "/" + text
        guard let first = FileFacts.glob(pattern).first else { return nil }
        return text.hasPrefix("/") ? first : String(first.dropFirst(directory.count + 1))
    }

    /// A `for` loop's values, when they are known statically and few: literal words, and unquoted globs
    /// expanded against the file system as bash expands them. `nil` when any value is dynamic or there are
    /// more than `maximumLoopValues`.
    mutating func loopValues(_ words: [Word]) -> [Value]? {
        var values: [Value] = []
        for word in words {
            for argument in expand(word) {
                if argument.isDynamic { return nil }
                if !word.hasQuoting, argument.text.contains(where: { $0 == "*" || $0 == "?" || $0 == "[" }),
                    let directory = shell.directory
                {
                    let pattern = argument.text.hasPrefix("/") ? argument.text : directory + "/" + argument.text
                    let matches = FileFacts.glob(pattern)
                    // With no match, bash keeps the pattern itself.
                    values += matches.isEmpty ? [Value(argument.text)] : matches.map { Value($0) }
                } else {
                    values.append(argument.value)
                }
                if values.count > Self.maximumLoopValues { return nil }
            }
        }
        return values
    }

    /// How much walking a command costs: the length of each simple command's text (substitutions and
    /// heredocs inside it included), and one per compound.
    static func size(of command: Command) -> Int {
        switch command {
        case .simple(let simple):
            return 1 + simple.words.count + simple.span.count
        case .sequence(let commands), .pipeline(let commands):
            return commands.reduce(1) { $0 + size(of: $1) }
        case .subshell(let body, let redirections), .redirected(let body, let redirections):
            return 1 + redirections.count + size(of: body)
        case .forLoop(_, let words, let body):
            return 1 + words.count + size(of: body)
        case .expansions(let words):
            return 1 + words.count
        case .function(_, let body):
            return 1 + size(of: body)
        case .conditional:
            return command.conditionalParts.reduce(1) { $0 + size(of: $1) }
        }
    }

    /// A loop over more values than this is walked once, with its variable unknown.
    static let maximumLoopValues = 16

    /// Expands redirection targets and heredoc bodies (their substitutions run); returns the text
    /// they feed to standard input, if any.
    @discardableResult
    mutating func expandRedirections(_ redirections: [Redirection]) -> Input? {
        var input: Input?
        for redirection in redirections {
            if let body = redirection.hereDocument {
                let argument = expandJoined(body)
                input = .text(argument.text, spanMap(for: argument, word: body))
            } else if let target = redirection.target {
                let argument = expandJoined(target)
                if let protection = judge.protection,
                    SelfProtection.writes(redirection.operation, target: argument.text),
                    let finding = protection.judgePath(
                        argument, operation: .write, directory: shell.directory,
                        around: writtenText(redirection.span) ?? "", context: context, span: redirection.span)
                {
                    redirectionFindings.append(finding)
                }
                if redirection.operation == "<<<" {
                    input = .text(argument.text, spanMap(for: argument, word: target))
                } else if redirection.operation == "<" {
                    input = redirectedFileInput(argument, span: redirection.span) ?? .opaque(redirection.span)
                }
            }
        }
        return input
    }

    /// Input redirections read this much of a file on disk at most: they are mostly data (`psql < dump.sql`),
    /// read only so that a shell or `read` given a script this way sees what it holds.
    static let maximumRedirectedInput = 64 * 1024

    /// What `< FILE` supplies, when it is known text: content the line wrote, or a small regular file on
    /// disk (`sh < setup.sh`, `while read l; do $l; done < cmds.txt`). `nil`: only known when the line runs.
    mutating func redirectedFileInput(_ file: Argument, span: SourceSpan) -> Input? {
        guard !file.isDynamic, let path = context.absolutePath(file.value, relativeTo: shell.directory) else {
            return nil
        }
        let text: FileText?
        if files.content(of: path) != nil {
            guard case .text(let written)? = fileText(path, span: span) else { return nil }
            text = written
        } else {
            text = Self.readFile(path, limit: Self.maximumRedirectedInput)
        }
        guard let text, text.isComplete, !text.isBinary, !text.isSpecial else { return nil }
        return .text(String(decoding: text.bytes, as: UTF8.self), .enclosing(span))
    }

    /// What `cat FILE…` prints when every file's text is known (as `< FILE` reads it), without the last
    /// newline, as known output is kept; `nil` with an option or a file not known.
    mutating func concatenatedFiles(_ files: ArraySlice<Argument>, span: SourceSpan) -> String? {
        var text = ""
        for file in files {
            guard !file.text.hasPrefix("-"), case .text(let content, _)? = redirectedFileInput(file, span: span) else {
                return nil
            }
            text += content
        }
        if text.hasSuffix("\n") { text.removeLast() }
        return text
    }

    mutating func evaluate(_ command: SimpleCommand, input pipedInput: Input, producesOutput: Bool) -> Input {
        let redirectedInput = expandRedirections(command.redirections)
        let ownRedirectionFindings = redirectionFindings
        redirectionFindings = []
        defer { addRedirectionFindings(ownRedirectionFindings, span: command.span) }
        let input = redirectedInput ?? pipedInput
        var prefix: [(String, Value, SourceSpan)] = []
        for assignment in command.assignments {
            if command.words.isEmpty, assignArray(assignment) { continue }
            var value = expandJoined(assignment.value).value
            if assignment.appends, let old = shell[assignment.name] {
                value = Value(old.text + value.text, isDynamic: old.isDynamic || value.isDynamic)
            }
            prefix.append((assignment.name, value, assignment.span))
        }
        var arguments: [Argument] = []
        arguments.reserveCapacity(command.words.count)
        for word in command.words {
            // A command of a hundred thousand words stops at the deadline too (the line is then judged by its
            // words).
            if isOutOfTime() { return .none }
            expand(word, into: &arguments)
        }
        guard !arguments.isEmpty else {
            for (name, value, span) in prefix { assign(name, value, span: span) }
            return .none
        }
        // Pathname expansion of the command word: bash runs what the pattern matches first
        // (`~/.local/bin/tool* trust`, `/usr/bin/pip3* install x`).
        if let word = command.words.first, !word.hasQuoting, !arguments[0].isDynamic,
            let match = commandWordMatch(arguments[0].text)
        {
            arguments[0] = Argument(match, span: arguments[0].span)
        }
        // A builtin that changes the shell (`export X=1`) runs before the command's environment is copied:
        // changing the shell while a copy is alive would copy every variable, once per `export`.
        if prefix.isEmpty, let first = arguments.first, !first.isDynamic, Self.stateBuiltins.contains(first.text),
            shell.functions[first.text] == nil,
            runBuiltin(arguments, environment: Environment(values: [:]), input: input, span: command.span)
        {
            return producesOutput ? .opaque(command.span) : .none
        }
        var environment = shell.exported
        for (name, value, _) in prefix { environment[name] = value }
        var output = producesOutput ? Self.producedText(arguments, input: input, span: command.span) : .none
        if producesOutput, arguments.count > 1, Paths.basename(arguments[0].text) == "cat",
            let text = concatenatedFiles(arguments.dropFirst(), span: command.span)
        {
            output = .text(text, .enclosing(command.span))
        }
        if !command.redirections.isEmpty || !producesOutput && shell.model.descriptors[1] != nil {
            recordRedirectedOutput(command.redirections, arguments: arguments, input: input, span: command.span)
        }
        run(
            arguments, environment: environment, directory: shell.directory, elevated: enclosingElevation,
            wrappers: [], input: input, inCurrentShell: true, span: command.span)
        return output
    }

    /// The text `echo`, `printf` and `cat <<EOF` write, for a shell reading it from a pipe.
    static func producedText(_ arguments: [Argument], input: Input, span: SourceSpan) -> Input {
        let name = Paths.basename(arguments[0].text)
        var operands = arguments.dropFirst()
        switch name {
        case "echo":
            var interpretsEscapes = false
            while let first = operands.first, first.text.hasPrefix("-"), first.text.count > 1,
                first.text.dropFirst().allSatisfy({ "neE".contains($0) })
            {
                if first.text.contains("e") { interpretsEscapes = true }
                operands = operands.dropFirst()
            }
            let text = operands.map(\.text).joined(separator: " ")
            return .text(interpretsEscapes ? decodeEscapes(text, octal: .afterZero) : text, .enclosing(span))
        case "printf":
            guard let format = operands.first else { return .opaque(span) }
            // As bash's printf: `%%` is a percent sign, each other directive (flags and width skipped) takes the
            // next argument, and the format is used again while arguments remain.
            let arguments = Array(operands.dropFirst())
            let pattern = decodeEscapes(format.text)
            var next = 0
            var text = ""
            repeat {
                let consumedBefore = next
                var characters = Substring(pattern)
                while let character = characters.first {
                    characters = characters.dropFirst()
                    guard character == "%" else {
                        text.append(character)
                        continue
                    }
                    characters = characters.drop { "-+ #0123456789.".contains($0) }
                    guard let directive = characters.first else { break }
                    characters = characters.dropFirst()
                    if directive == "%" {
                        text.append("%")
                    } else {
                        let argument = next < arguments.count ? arguments[next].text : ""
                        // `%b` decodes the escapes in its argument, as echo -e does.
                        text += directive == "b" ? decodeEscapes(argument, octal: .afterZero) : argument
                        next += 1
                    }
                }
                if next == consumedBefore { break }
                // A format reused for many arguments must not multiply the line: past this it is not known.
                if text.utf8.count > maximumValueLength { return .opaque(span) }
            } while next < arguments.count
            return .text(text, .enclosing(span))
        case "cat" where operands.isEmpty:
            return input
        default:
            return .opaque(span)
        }
    }

    static func decodeEscapes(_ text: String, octal: BackslashEscapes.Octal = .digits) -> String {
        BackslashEscapes.decodeAll(text, octal: octal)
    }

    // MARK: Running one command

    /// Runs argv: sees through wrappers and shell builtins, then dispatches to a module.
    mutating func run(
        _ arguments: [Argument], environment: Environment, directory: String?, elevated: Bool, wrappers: [String],
        input: Input, inCurrentShell: Bool, span: SourceSpan
    ) {
        var arguments = arguments
        var environment = environment
        var directory = directory
        var elevated = elevated
        var wrappers = wrappers
        var inCurrentShell = inCurrentShell
        var addsDynamicArguments = false
        var isSourced = false
        var skipsFunctions = false
        var rewrites = 0

        unwrapping: while let first = arguments.first {
            if wrappers.count > Self.maximumWrappers {
                // No real command stacks this many wrappers; unwrapping further would cost quadratic time.
                judgeUnreadable(span)
                return
            }
            if first.isDynamic {
                judgeDynamicCommand(arguments, directory: directory, wrappers: wrappers, span: span)
                return
            }
            let word = first.text
            if hasFileFunctions, callFileFunction(arguments, wrappers: wrappers, span: span) { return }
            if inCurrentShell, !skipsFunctions, !shell.functions.isEmpty, !word.utf8.contains(UInt8(ascii: "/")),
                let function = shell.functions[word]
            {
                call(function, arguments, directory: directory, wrappers: wrappers, span: span)
                return
            }
            if !shell.model.hashed.isEmpty, rewrites < Self.maximumRewrites, let path = shell.model.hashed[word],
                path != word
            {
                rewrites += 1
                // `hash -p FILE NAME`: NAME runs FILE, without a PATH search.
                arguments[0] = Argument(path, span: first.span)
                continue
            }
            if !shell.model.aliases.isEmpty, inCurrentShell, wrappers.isEmpty,
                let alias = aliasExpansion(word, at: span.lowerBound)
            {
                // An alias is replaced by its text, then read again (not itself: bash expands it once).
                let text = ([alias] + arguments.dropFirst().map { Quoting.argument($0) }).joined(separator: " ")
                let saved = shell.model.aliases.removeValue(forKey: word)
                runInCurrentShell(text, map: .enclosing(span), span: span)
                if let saved, shell.model.aliases[word] == nil { shell.model.aliases[word] = saved }
                return
            }
            // One set lookup keeps ordinary commands (`git`, `ls`) from comparing against every builtin name.
            let isShellWord = Self.shellWords.contains(word)
            if isShellWord, inCurrentShell, runBuiltin(arguments, environment: environment, input: input, span: span) {
                return
            }
            if isShellWord, word == "eval" {
                runEval(arguments, span: span, wrappers: wrappers)
                return
            }
            if isShellWord, word == "source" || word == "." {
                guard arguments.count > 1 else { return }
                arguments.removeFirst()
                wrappers.append(word)
                if Wrappers.isFetched(arguments[0]) {
                    judgeFetchedScript(
                        arguments[0], program: word, directory: directory, wrappers: wrappers, span: span)
                    return
                }
                if Wrappers.standardInputFiles.contains(arguments[0].text), case .text(let text, let map) = input {
                    // `source /dev/stdin <<< "…"`: the text runs in the current shell, like eval.
                    runInCurrentShell(text, map: map, span: span)
                    return
                }
                if sourceFile(
                    arguments, environment: environment, directory: directory, elevated: elevated, wrappers: wrappers,
                    span: span)
                {
                    return
                }
                inCurrentShell = true
                isSourced = true
                break
            }
            if files.hasLinks, rewrites < Self.maximumRewrites,
                let target = linkedProgram(word, environment: environment, directory: directory)
            {
                // A link made earlier in the line runs its target.
                rewrites += 1
                arguments[0] = Argument(target, span: first.span)
                continue
            }
            let name = ProgramName.normalize(word)
            if judge.programs[name]?.isSelfProtected == true, judge.programs[name]?.isWrapper == true {
                // `find … -delete`, `busybox rm …`: wrappers that change files themselves.
                protect(
                    arguments, program: name, directory: directory, environment: environment, input: input, span: span)
                // What it removes holds for the rest of the line (recorded before the command it runs with
                // `-exec` is judged, which is the removal itself).
                if FileSystemChanges.programs.contains(name) {
                    recordFileSystemChanges(arguments, program: name, directory: directory)
                }
            }
            if name == "git" {
                recordGitSetting(arguments)
                runGitCommandSettings(
                    arguments, environment: environment, directory: directory, elevated: elevated, wrappers: wrappers,
                    span: span)
                runGitHooks(
                    arguments, environment: environment, directory: directory, elevated: elevated, wrappers: wrappers,
                    span: span)
                arguments = withGitAliases(arguments, environment: environment, directory: directory)
            }
            if name == "xargs" || name == "parallel",
                let fed = fedCommands(name, arguments, input: input, span: span)
            {
                wrappers.append(name)
                switch fed {
                case .unknownCode:
                    judgeFetchedScript(
                        Argument("its input", span: span), program: name, directory: directory, wrappers: wrappers,
                        span: span)
                case .commands(let commands, let shellCode):
                    for command in commands where !command.isEmpty {
                        run(
                            command, environment: environment, directory: directory, elevated: elevated,
                            wrappers: wrappers, input: .none, inCurrentShell: false, span: span)
                    }
                    for code in shellCode {
                        runScript(
                            code, map: .enclosing(span), environment: environment, directory: directory,
                            elevated: elevated, wrappers: wrappers, span: span)
                    }
                }
                return
            }
            guard judge.programs[name]?.isWrapper == true, let outcome = Wrappers.unwrap(name, arguments) else {
                break
            }
            wrappers.append(name)
            switch outcome {
            case .hiddenCommand(let text):
                // The command it builds is asked about; the program itself is judged as usual.
                judgeHiddenCommand(text, program: name, span: span)
                wrappers.removeLast()
                break unwrapping
            case .nothing:
                record(
                    arguments, directory: directory, ecosystem: nil, wrappers: wrappers,
                    notes: ["`\(name)` runs no command here"], span: span, verdict: .pass)
                return
            case .command(let inner, let change):
                apply(change, to: &environment, directory: &directory, elevated: &elevated)
                if change.spawnsProcess { inCurrentShell = false }
                if change.skipsFunctions { skipsFunctions = true }
                addsDynamicArguments = addsDynamicArguments || change.addsDynamicArguments
                arguments = inner
            case .commands(let commands, let change):
                apply(change, to: &environment, directory: &directory, elevated: &elevated)
                for inner in commands {
                    run(
                        inner, environment: environment, directory: directory, elevated: elevated,
                        wrappers: wrappers, input: .none, inCurrentShell: false, span: span)
                }
                return
            case .script(let script, let change):
                apply(change, to: &environment, directory: &directory, elevated: &elevated)
                runStartupFile(
                    of: name, change: change, environment: environment, directory: directory, elevated: elevated,
                    wrappers: wrappers, span: span)
                runScript(
                    script.text, map: spanMap(for: script), environment: environment, directory: directory,
                    elevated: elevated, wrappers: wrappers, span: span, positional: change.positionalParameters)
                return
            case .cronTable(let file):
                var table: String?
                if let file {
                    if !file.isDynamic, let path = context.absolutePath(file.value, relativeTo: directory),
                        let bytes = files.contents(of: path)
                    {
                        table = String(decoding: bytes, as: UTF8.self)
                    }
                } else if case .text(let text, _) = input {
                    table = text
                }
                guard let table else {
                    // A table only known when the line runs: its commands are asked about if they name a
                    // package manager where the line shows them (in what produces it, when it is piped in).
                    if case .opaque(let producer) = input {
                        judgeUnreadable(
                            min(producer.lowerBound, span.lowerBound)..<max(producer.upperBound, span.upperBound))
                    } else {
                        judgeUnreadable(span)
                    }
                    return
                }
                runScript(
                    Wrappers.cronCommands(table), map: .enclosing(span), environment: environment,
                    directory: context.home ?? directory, elevated: elevated, wrappers: wrappers, span: span)
                return
            case .fetchedScript(let script):
                judgeFetchedScript(script, program: name, directory: directory, wrappers: wrappers, span: span)
                return
            case .scriptFile(let file, let scriptArguments, let change):
                apply(change, to: &environment, directory: &directory, elevated: &elevated)
                runStartupFile(
                    of: name, change: change, environment: environment, directory: directory, elevated: elevated,
                    wrappers: wrappers, span: span)
                runScriptFile(
                    file, arguments: scriptArguments, program: name, environment: environment, directory: directory,
                    elevated: elevated, wrappers: wrappers, span: span)
                return
            case .standardInputScript(let change):
                apply(change, to: &environment, directory: &directory, elevated: &elevated)
                runStartupFile(
                    of: name, change: change, environment: environment, directory: directory, elevated: elevated,
                    wrappers: wrappers, span: span)
                switch input {
                case .text(let text, let map):
                    runScript(
                        text, map: map, environment: environment, directory: directory, elevated: elevated,
                        wrappers: wrappers, span: span, positional: change.positionalParameters)
                case .opaque(let producer):
                    let finding = Finding(
                        verdict: .ask, ecosystem: ShellRules.ecosystem, rule: ShellRules.pipedScript.id,
                        span: producer.lowerBound..<max(producer.upperBound, span.upperBound),
                        reason: "\(name) runs commands it reads from its input, and that input is not known "
                            + "before it runs.",
                        fix: "Run the package commands directly, so they can be checked.")
                    add(finding)
                    record(
                        arguments, directory: directory, ecosystem: nil, wrappers: wrappers,
                        notes: ["\(name) reads its commands from a pipe"], span: span, verdict: .ask,
                        findingsSince: findings.count - 1)
                case .none:
                    record(
                        arguments, directory: directory, ecosystem: nil, wrappers: wrappers,
                        notes: ["an interactive \(name)"], span: span, verdict: .pass)
                }
                return
            }
        }
        guard !arguments.isEmpty else { return }
        var feederPrefix: String?
        if addsDynamicArguments {
            let last = arguments[arguments.count - 1].span
            arguments.append(Argument(Self.fedArguments, isDynamic: true, span: last))
            feederPrefix = writtenText(span.lowerBound..<arguments[0].span.lowerBound)
        }
        dispatch(
            arguments, environment: environment, directory: directory, elevated: elevated, wrappers: wrappers,
            inCurrentShell: inCurrentShell, isSourced: isSourced, input: input, span: span,
            feederPrefix: feederPrefix)
    }

    /// The placeholder for the arguments `xargs` or `parallel` add from their input.
    static let fedArguments = "…"

    /// The original text of a span, when the span lies in the text.
    func writtenText(_ span: SourceSpan) -> String? {
        guard span.lowerBound >= 0, span.lowerBound < span.upperBound, span.upperBound <= source.count else {
            return nil
        }
        return String(decoding: source[span], as: UTF8.self)
    }

    /// A fix for a command that `xargs` feeds keeps `xargs` feeding it: `xargs -n1 pip install -U` becomes
    /// `xargs -n1 .venv/bin/pip install -U`, not a command with a placeholder argument.
    static func fed(_ fix: String, through prefix: String) -> String? {
        let placeholder = " " + Quoting.argument(Argument(fedArguments, isDynamic: true, span: 0..<0))
        guard fix.hasSuffix(placeholder), !fix.contains("&&"), !fix.contains(";") else { return nil }
        return prefix + fix.dropLast(placeholder.count)
    }

    /// The builtins `runBuiltin` runs.
    static let stateBuiltins: Set<String> = [
        "cd", "pushd", "popd", "export", "declare", "typeset", "local", "readonly", "unset", "set", "read",
        "mapfile", "readarray",
    ]

    /// Words the shell itself handles: the builtins that change state, `eval`, `source` and `.`.
    static let shellWords: Set<String> = [
        "cd", "pushd", "popd", "export", "declare", "typeset", "local", "readonly", "unset", "set", "read",
        "mapfile", "readarray", "eval", "source", ".", "shift", "hash", "printf", "shopt", "alias",
    ]

    /// More wrappers than this around one command are not unwrapped.
    static let maximumWrappers = 64

    /// A shell running code that is fetched when the line runs: like text piped into a shell, it asks.
    mutating func judgeFetchedScript(
        _ script: Argument, program: String, directory: String?, wrappers: [String], span: SourceSpan
    ) {
        let first = findings.count
        add(
            Finding(
                verdict: .ask, ecosystem: ShellRules.ecosystem, rule: ShellRules.pipedScript.id, span: span,
                reason: "\(program) runs code that is only fetched when the line runs (\(script.text)).",
                fix: "Download the script, read it, and run the package commands in it directly."))
        record(
            [Argument(program, span: span), script], directory: directory, ecosystem: nil, wrappers: wrappers,
            notes: ["\(program) runs fetched code"], span: span, verdict: .ask, findingsSince: first)
    }

    mutating func apply(
        _ change: Wrappers.Change, to environment: inout Environment, directory: inout String?,
        elevated: inout Bool
    ) {
        if change.clearsEnvironment {
            var kept: [String: Value] = [:]
            for name in change.keptVariables { if let value = environment[name] { kept[name] = value } }
            environment = Environment(values: kept)
        }
        for name in change.unsetVariables { environment[name] = nil }
        for (name, value) in change.setVariables { environment[name] = value }
        if let target = change.directory {
            directory = context.absolutePath(target, relativeTo: directory)
        }
        if change.login { environment["PATH"] = Value(loginPath(environment)) }
        if change.elevated { elevated = true }
    }

    /// Asks the module that claims the program, and follows the command it runs, if any.
    mutating func dispatch(
        _ arguments: [Argument], environment: Environment, directory: String?, elevated: Bool, wrappers: [String],
        inCurrentShell: Bool, isSourced: Bool, input: Input, span: SourceSpan, feederPrefix: String? = nil
    ) {
        var arguments = arguments
        if unrecordedChangesAt != nil { askAboutUnrecordedChanges() }
        if files.hasChanges { seeThroughLinks(&arguments, environment: environment, directory: directory) }
        let program = ProgramName.normalize(arguments[0].text)
        let traits = judge.programs[program]
        // What it does to the file system holds for later parts of the line, not for judging itself
        // (`cp settings.json ~/.claude/` writes the protected path, it does not read it).
        defer {
            if FileSystemChanges.programs.contains(program) {
                recordFileSystemChanges(arguments, program: program, directory: directory)
            }
        }
        let first = findings.count
        if let options = traits?.inlineCodeOptions {
            judgeInlineCode(
                arguments, program: program, options: options, input: input, directory: directory, span: span)
        }
        if traits?.isSelfProtected == true
            || arguments.count > 1 && SelfProtection.protectedSubcommands.contains(arguments[1].text)
        {
            protect(
                arguments, program: program, directory: directory, environment: environment, input: input, span: span)
        }
        if FileOperations.mayWriteContent(program) {
            recordEditedFiles(arguments, program: program, input: input, directory: directory, span: span)
        }
        if traits?.module != nil, !files.writtenContent.isEmpty,
            runWrittenProgram(
                arguments, environment: environment, directory: directory, elevated: elevated, wrappers: wrappers,
                span: span)
        {
            return
        }
        guard let index = traits?.module else {
            if runsFromFiles(
                arguments, program: program, environment: environment, directory: directory, elevated: elevated,
                wrappers: wrappers, input: input, span: span)
            {
                return
            }
            record(
                arguments, directory: directory, ecosystem: nil, wrappers: wrappers,
                notes: ["`\(program)` is not a program any enabled ecosystem guards"], span: span,
                verdict: .pass, findingsSince: first)
            return
        }
        let ecosystem = judge.ecosystems[index]
        guard arguments.count <= Self.maximumModuleArguments else {
            // A module reads its options one by one: this many would take longer than an agent waits.
            add(
                Finding(
                    verdict: .ask, ecosystem: ShellRules.ecosystem, rule: ShellRules.unreadable.id, span: span,
                    reason: "`\(program)` is given \(arguments.count - 1) arguments, more than toolguard reads in the "
                        + "time an agent waits (\(Self.maximumModuleArguments)).",
                    fix: "Split it into several commands, or list the packages in a file the tool reads."))
            return
        }
        let coreStart = arguments[0].span.lowerBound
        let invocation = Invocation(
            arguments: arguments, program: program, environment: environment, directory: directory,
            isElevated: elevated, runsInCurrentShell: inCurrentShell, isSourced: isSourced, span: span,
            coreSpan: min(coreStart, span.upperBound)..<span.upperBound)
        var judgement = ecosystem.judge(invocation, in: context)
        if elevated {
            judgement.findings = judgement.findings.map { elevate($0, invocation: invocation) }
        }
        if let feederPrefix {
            for index in judgement.findings.indices {
                if let fix = judgement.findings[index].fix, let fed = Self.fed(fix, through: feederPrefix) {
                    judgement.findings[index].fix = fed
                }
            }
        }
        if findsUndo {
            Self.addUndo(to: &judgement.findings, ecosystem: ecosystem, invocation: invocation, context: context)
        }
        for finding in judgement.findings { add(finding) }
        var notes = ["`\(program)` is claimed by the \(ecosystem.id) module"] + judgement.notes
        if wrappers.contains(where: { $0 == "sudo" || $0 == "doas" || $0 == "su" }) {
            notes.append("runs as root")
        }
        record(
            arguments, directory: directory, ecosystem: ecosystem.id, wrappers: wrappers, notes: notes,
            span: span, verdict: .pass, findingsSince: first)
        for effect in judgement.effects {
            switch effect {
            case .creates(let path):
                files.recordCreation(of: path)
            case .setVariable(let name, let value, let exported) where inCurrentShell:
                shell.set(name, value, exported: exported)
                if !name.hasPrefix("_") {
                    note(StateChange(description: "\(name)=\(Self.abbreviated(value.text))", span: span))
                }
            case .unsetVariable(let name) where inCurrentShell:
                shell.unset(name)
                note(StateChange(description: "unset \(name)", span: span))
            default:
                break
            }
        }
        if !judgement.scripts.isEmpty {
            runProjectScripts(
                judgement.scripts, environment: environment, elevated: elevated, wrappers: wrappers, span: span)
        }
        if let nested = judgement.nested {
            var nestedEnvironment = environment
            for (name, value) in nested.environmentChanges { nestedEnvironment[name] = value ?? nil }
            run(
                nested.arguments, environment: nestedEnvironment, directory: nested.directory ?? directory,
                elevated: elevated, wrappers: wrappers + [nested.runner], input: .none, inCurrentShell: false,
                span: span)
        }
    }

    /// Self-protection for one command (SPEC §8): its findings, and the links and copies it makes, which
    /// later parts of the line are judged through.
    mutating func protect(
        _ arguments: [Argument], program: String, directory: String?, environment: Environment, input: Input,
        span: SourceSpan
    ) {
        guard let protection = judge.protection, SelfProtection.concerns(arguments, program: program) else { return }
        var around = writtenText(span) ?? ""
        switch input {
        case .text(let text, _): around += "\n" + text
        case .opaque(let producer): around += "\n" + (writtenText(producer) ?? "")
        case .none: break
        }
        let outcome = protection.judge(
            arguments, program: program, directory: directory, environment: environment, around: around,
            context: context, span: span)
        for finding in outcome.findings { add(finding) }
        for (path, target, symbolic) in outcome.links { files.recordLink(path, to: target, symbolic: symbolic) }
    }

    /// A value holding a command substitution as text (`a='z[$(pip install x)]'`, `PS4='$(…)'`) runs it
    /// whenever bash evaluates the value again — in arithmetic (`$((a))`, `[[ $a -eq 0 ]]`, an array
    /// subscript), prompt expansion (`${v@P}`, PS1/PS4), `eval` — in ways too many to follow one by one: it asks
    /// when the command it holds names a guarded program or a protected path.
    mutating func judgeLatentCommand(_ name: String, _ text: String, span: SourceSpan) {
        let bytes = Array(text.utf8)[...]
        guard let mentioned = programScan.firstName(in: bytes) ?? protectionScan?.firstMention(in: bytes) else {
            return
        }
        add(
            Finding(
                verdict: .ask, ecosystem: ShellRules.ecosystem, rule: ShellRules.hiddenCommand.id, span: span,
                reason: "`\(name)` holds a command substitution as text, which bash runs when it evaluates the value "
                    + "again (arithmetic, prompt expansion, eval), and it names `\(mentioned)`.",
                fix: "Run the command itself, so it can be checked."))
    }

    /// A copy of this walk that follows another way the line may go (``walkConditional``): it starts with no
    /// findings, trace or remembered commands of its own — copying them at each fork would cost the length of
    /// the line so far, every time — and does not fork again.
    func alternativeCopy() -> Evaluator {
        var other = self
        other.findings = []
        other.trace = []
        other.unchangingCommands = [:]
        other.alternatives = []
        other.isAlternative = true
        return other
    }

    /// Records that the time to read ran out (in an alternative walk of the line).
    mutating func markOutOfTime() { ranOutOfTime = true }

    /// Whether the deadline has passed (checked every few calls): walking stops, and the line is judged by
    /// its words (``judgeUnreadInTime()``).
    mutating func isOutOfTime() -> Bool {
        if ranOutOfTime { return true }
        guard let deadline else { return false }
        if stepsUntilClock > 0 {
            stepsUntilClock -= 1
            return false
        }
        stepsUntilClock = 16
        ranOutOfTime = deadline.hasPassed
        return ranOutOfTime
    }

    /// Judges the whole line, and every file it ran, by their words once the time to read them ran out: what
    /// was read may have set a variable that what was not read uses, so the whole text is scanned, not the
    /// rest. Findings made so far stand.
    mutating func judgeUnreadInTime() {
        var texts: [(String, ArraySlice<UInt8>)] = [("the line", source[...])]
        for (path, text) in fileRuns.textsRead { texts.append((path, text[...])) }
        for (origin, text) in texts {
            if let mentioned = protectionScan?.firstMention(in: text) {
                add(
                    Finding(
                        verdict: .ask, ecosystem: ShellRules.ecosystem, rule: ShellRules.unreadable.id,
                        span: 0..<source.count,
                        reason: "The line is too long to read in full within the time an agent waits for its hook, and "
                            + "\(origin) mentions `\(mentioned)`, which could change what protects toolguard.",
                        fix: "Run it as separate, shorter commands, so that each can be checked."))
                return
            }
            if let mentioned = programScan.firstName(in: text) {
                add(
                    Finding(
                        verdict: .ask, ecosystem: ShellRules.ecosystem, rule: ShellRules.unreadable.id,
                        span: 0..<source.count,
                        reason: "The line is too long to read in full within the time an agent waits for its hook, and "
                            + "\(origin) mentions `\(mentioned)`.",
                        fix: "Run it as separate, shorter commands, so that each can be checked."))
                return
            }
        }
    }

    /// Takes `cost` from the amplification budget; `false` when it is spent.
    mutating func spendAmplification(_ cost: Int) -> Bool {
        guard amplificationBudget >= cost else { return false }
        amplificationBudget -= cost
        return true
    }

    /// A long value (a PATH) shortened for the trace.
    static func abbreviated(_ text: String) -> String {
        text.count > 72 ? String(text.prefix(64)) + "…" : text
    }

    /// Under sudo, a project-local package operation is no longer project-local.
    ///
    /// The fix is the command without sudo. An allow finding may carry that command itself, when what
    /// made it project-local is not in its argv (`sudo GOBIN=$PWD/bin go install …`: argv alone would
    /// install to the default place).
    func elevate(_ finding: Finding, invocation: Invocation) -> Finding {
        guard finding.verdict == .allow else { return finding }
        let command = finding.fix ?? Quoting.command(invocation.arguments.map(\.text))
        return Finding(
            verdict: .block, ecosystem: finding.ecosystem, rule: ShellRules.elevated.id, span: finding.span,
            reason: "Running it as root makes whatever it installs or changes system-wide.", fix: command)
    }

    mutating func add(_ finding: Finding) {
        findings.append(finding)
    }

    /// Adds findings about redirections, shown with the part of the same command when there is one.
    mutating func addRedirectionFindings(_ found: [Finding], span: SourceSpan) {
        guard !found.isEmpty else { return }
        for finding in found { add(finding) }
        guard tracing else { return }
        if case .part(var part)? = trace.last, part.span == span {
            part.findings += found
            part.verdict = max(part.verdict, found.map(\.verdict).max() ?? .pass)
            trace[trace.count - 1] = .part(part)
        } else {
            trace.append(
                .part(
                    PartReport(
                        arguments: [], directory: shell.directory, ecosystem: nil, wrappers: [],
                        notes: ["a redirection"], span: span, verdict: .block, findings: found)))
        }
    }

    mutating func note(_ change: @autoclosure () -> StateChange) {
        if tracing { trace.append(.state(change())) }
    }

    mutating func record(
        _ arguments: [Argument], directory: String?, ecosystem: String?, wrappers: [String],
        notes: @autoclosure () -> [String], span: SourceSpan, verdict: Verdict, findingsSince first: Int? = nil
    ) {
        guard tracing else { return }
        let own = first.map { Array(findings[min($0, findings.count)...]) } ?? []
        trace.append(
            .part(
                PartReport(
                    arguments: arguments.map(\.text), directory: directory, ecosystem: ecosystem,
                    wrappers: enclosingWrappers + wrappers,
                    notes: notes(), span: span, verdict: max(verdict, own.map(\.verdict).max() ?? .pass),
                    findings: own)))
    }

    // MARK: Shell code inside commands

    mutating func runScript(
        _ text: String, map: ShellParser.SpanMap, environment: Environment, directory: String?, elevated: Bool,
        wrappers: [String], span: SourceSpan, positional: [Argument]? = nil
    ) {
        guard scriptNesting < Self.maximumScriptNesting, spendAmplification(text.utf8.count) else {
            judgeUnreadable(span)
            return
        }
        let script = ShellParser.parse(text, nestedAt: map, depth: 0)
        let saved = shell
        // A new shell process: it starts from the exported environment only.
        shell = ShellState(directory: directory, environment: environment)
        // `bash -c CODE NAME ARGS`: $0 is NAME, $1… ARGS; a shell given no arguments has none.
        shell.model.positional = (positional?.dropFirst() ?? []).map(\.value)
        if let zero = positional?.first { shell.scriptName = zero.value }
        let functionsBefore = definedFunctions.count
        scriptNesting += 1
        let savedWrappers = enclosingWrappers
        let savedElevation = enclosingElevation
        enclosingWrappers += wrappers
        enclosingElevation = elevated
        walk(script.command, input: .none)
        judgeUncalledFunctions(since: functionsBefore)
        enclosingWrappers = savedWrappers
        enclosingElevation = savedElevation
        if let unreadable = script.unreadable { judgeUnreadable(unreadable) }
        scriptNesting -= 1
        shell = saved
    }

    mutating func runEval(_ arguments: [Argument], span: SourceSpan, wrappers: [String]) {
        let operands = arguments.dropFirst()
        guard let first = operands.first, let last = operands.last else { return }
        let text = operands.map(\.text).joined(separator: " ")
        let map: ShellParser.SpanMap =
            operands.count == 1 ? spanMap(for: first) : .enclosing(first.span.lowerBound..<last.span.upperBound)
        // eval runs in the current shell: its state changes last.
        runInCurrentShell(text, map: map, span: span)
    }

    /// How spans inside an argument's text map back to the original line.
    func spanMap(for argument: Argument, word: Word? = nil) -> ShellParser.SpanMap {
        let span = argument.span
        guard span.lowerBound >= 0, span.upperBound <= source.count, !argument.isDynamic else {
            return .enclosing(span)
        }
        let written = source[span]
        let text = Array(argument.text.utf8)
        if written.elementsEqual(text) { return .exact(base: span.lowerBound) }
        if written.count == text.count + 2, let open = written.first, open == written.last,
            open == .singleQuote || open == .doubleQuote, written.dropFirst().dropLast().elementsEqual(text)
        {
            return .exact(base: span.lowerBound + 1)
        }
        return .enclosing(span)
    }

    /// Judges what could not be read: the line's text at `span`, or `text` when what was not read is
    /// elsewhere (a file past the nesting limit).
    mutating func judgeUnreadable(_ span: SourceSpan, text unreadText: String? = nil) {
        let lower = min(max(span.lowerBound, 0), source.count)
        let upper = min(max(span.upperBound, lower), source.count)
        let text = unreadText.map { Array($0.utf8)[...] } ?? source[lower..<upper]
        if let mentioned = protectionScan?.firstMention(in: text) {
            // A limit is a reason to be careful: what cannot be read may change what protects the guard.
            add(
                Finding(
                    verdict: .ask, ecosystem: ShellRules.ecosystem, rule: ShellRules.unreadable.id,
                    span: lower..<upper,
                    reason: "This part of the line cannot be read as shell (or is past a limit), and it mentions "
                        + "`\(mentioned)`, which could change what protects toolguard.",
                    fix: "Run it as separate, simpler commands, so that each can be checked."))
            return
        }
        guard let mentioned = programScan.firstName(in: text) else { return }
        add(
            Finding(
                verdict: .ask, ecosystem: ShellRules.ecosystem, rule: ShellRules.unreadable.id, span: lower..<upper,
                reason: "This part of the line cannot be read as shell, and it mentions `\(mentioned)`.",
                fix: "Fix the quoting so the whole line can be read."))
    }

    mutating func judgeDynamicCommand(_ arguments: [Argument], directory: String?, wrappers: [String], span: SourceSpan)
    {
        let looksLikePackageOperation = arguments.dropFirst().contains { argument in
            judge.operationWords.contains(argument.text)
                || (argument.text.contains(" ")
                    && ShellRules.mentionsPackageOperation(
                        argument.text, programs: judge.guardedPrograms, operations: judge.operationWords))
        }
        let first = findings.count
        if let finding = judge.protection?.judgeDynamicCommand(arguments, span: span) { add(finding) }
        if looksLikePackageOperation {
            add(
                Finding(
                    verdict: .ask, ecosystem: ShellRules.ecosystem, rule: ShellRules.dynamicCommand.id, span: span,
                    reason: "The command `\(arguments[0].text)` is only known when the line runs, and its arguments "
                        + "look like a package operation.",
                    fix: "Write the package manager's path out: the project's own, e.g. from its `bin/` directory."))
        }
        record(
            arguments, directory: directory, ecosystem: nil, wrappers: wrappers,
            notes: ["the command word `\(arguments[0].text)` is dynamic"], span: span, verdict: .pass,
            findingsSince: first)
    }

    /// The start-up files a shell reads before its commands, as its manual says, judged as files the line runs
    /// (one only known when the line runs like any dynamic script): bash, non-interactive, the file `BASH_ENV`
    /// names; interactive, `--rcfile FILE` or `~/.bashrc`; as a login shell, the first of `~/.bash_profile`,
    /// `~/.bash_login`, `~/.profile`. sh, dash and ksh: `~/.profile` as a login shell, `$ENV` when
    /// interactive. zsh: `~/.zshenv` always, then `~/.zprofile` (login) and `~/.zshrc` (interactive). The
    /// system-wide files (`/etc/profile`) are the machine's, not the line's, and are not read.
    mutating func runStartupFile(
        of shell: String, change: Wrappers.Change = Wrappers.Change(), environment: Environment, directory: String?,
        elevated: Bool, wrappers: [String], span: SourceSpan
    ) {
        // bash imports a function from each `BASH_FUNC_NAME%%` variable of its environment (`env
        // 'BASH_FUNC_f%%=() { …; }' bash -c f`): its body is judged as a function defined there.
        if shell == "bash" {
            for (name, value) in environment.variables where name.hasPrefix("BASH_FUNC_") && name.hasSuffix("%%") {
                let function = String(name.dropFirst(10).dropLast(2))
                guard !value.isDynamic, value.text.hasPrefix("()") else {
                    judgeUnreadable(span)
                    continue
                }
                runScript(
                    function + " " + value.text + "\n" + function, map: .enclosing(span), environment: environment,
                    directory: directory, elevated: elevated, wrappers: wrappers + ["BASH_FUNC"], span: span)
            }
        }
        guard !change.skipsStartupFiles else { return }
        let home = environment["HOME"].flatMap { $0.isDynamic ? nil : $0.text } ?? context.home
        func inHome(_ name: String) -> Argument? { home.map { Argument($0 + "/" + name, span: span) } }
        func variable(_ name: String) -> Argument? {
            guard let value = environment[name], !value.text.isEmpty else { return nil }
            return Argument(value.text, isDynamic: value.isDynamic, span: span)
        }
        var files: [(Argument, String)] = []
        switch shell {
        case "bash":
            if change.login {
                let first = ["/.bash_profile", "/.bash_login", "/.profile"].lazy.compactMap { name in
                    home.map { $0 + name }
                }.first { self.files.exists($0) }
                if let first { files.append((Argument(first, span: span), Paths.basename(first))) }
            } else if change.interactive {
                if let file = change.startupFile ?? inHome(".bashrc") { files.append((file, "--rcfile")) }
            } else if let file = variable("BASH_ENV") {
                files.append((file, "BASH_ENV"))
            }
        case "sh", "dash", "ash", "ksh", "mksh":
            if change.login, let file = inHome(".profile") { files.append((file, ".profile")) }
            if change.interactive, let file = variable("ENV") { files.append((file, "ENV")) }
        case "zsh":
            if let file = inHome(".zshenv") { files.append((file, ".zshenv")) }
            if change.login, let file = inHome(".zprofile") { files.append((file, ".zprofile")) }
            if change.interactive, let file = inHome(".zshrc") { files.append((file, ".zshrc")) }
        default:
            return
        }
        for (file, origin) in files {
            // A start-up file that does not exist is skipped silently, as the shell does.
            if !file.isDynamic, let path = context.absolutePath(file.value, relativeTo: directory),
                !self.files.exists(path)
            {
                continue
            }
            runScriptFile(
                file, arguments: [], program: shell, environment: environment, directory: directory,
                elevated: elevated, wrappers: wrappers + [origin], span: span)
        }
    }

    /// Interpreter code that visibly runs a package manager asks: from `-c`/`-e`, or read from standard
    /// input (`python3 - <<EOF`, `curl … | python3`).
    mutating func judgeInlineCode(
        _ arguments: [Argument], program: String, options: Set<String>, input: Input, directory: String?,
        span: SourceSpan
    ) {
        var code: String?
        var index = 1
        scanning: while index < arguments.count {
            let text = arguments[index].text
            if options.contains(text), index + 1 < arguments.count {
                code = arguments[index + 1].text
                break scanning
            } else if let option = options.first(where: { $0.count == 2 && text.hasPrefix($0) && text.count > 2 }) {
                code = String(text.dropFirst(option.count))
                break scanning
            } else if text == "-" {
                break scanning
            } else if !text.hasPrefix("-") || text == "-m" {
                // A script file is read and judged the same way (ScriptFiles.swift); a module is a module's.
                if text != "-m" {
                    judgeInterpreterFile(arguments[index], program: program, directory: directory, span: span)
                }
                return
            }
            index += 1
        }
        if code == nil {
            // No program on the command line: the interpreter reads it from standard input.
            switch input {
            case .text(let text, _): code = text
            case .opaque(let producer):
                add(
                    Finding(
                        verdict: .ask, ecosystem: ShellRules.ecosystem, rule: ShellRules.pipedScript.id,
                        span: producer.lowerBound..<max(producer.upperBound, span.upperBound),
                        reason: "\(program) runs a program it reads from its input, which is not known before it runs.",
                        fix: "Save the program to a file, read it, and run the package commands in it directly."))
                return
            case .none: return
            }
        }
        if let code, let protection = judge.protection,
            let finding = protection.judgeCode(
                code, arguments: arguments, directory: directory, context: context, span: span)
        {
            add(finding)
        }
        if let code { runCodeCommands(code, program: program, directory: directory, span: span) }
        guard let code,
            ShellRules.codeRunsPackageManager(
                code, programs: judge.guardedPrograms, operations: judge.operationWords,
                arguments: arguments.map(\.text))
        else { return }
        add(
            Finding(
                verdict: .ask, ecosystem: ShellRules.ecosystem, rule: ShellRules.inlineCode.id, span: span,
                reason: "The inline code runs a package manager, which cannot be judged before it runs.",
                fix: "Run the package manager as its own command, so it can be checked."))
    }

    /// The command lines interpreter code hands to the system as string literals (`os.system("…")`,
    /// `execSync('…')`, `subprocess.run([…])`), judged as typed where the code runs.
    mutating func runCodeCommands(_ code: String, program: String, directory: String?, span: SourceSpan) {
        let lines = ShellRules.commandLines(
            inCode: code, backticksRunCommands: ShellRules.backtickLanguages.contains(program))
        for line in lines {
            runScript(
                line, map: .enclosing(span), environment: shell.exported, directory: directory,
                elevated: enclosingElevation, wrappers: [program], span: span)
        }
    }

    // MARK: Builtins that change the shell's state

    /// Runs a builtin that changes state; `false` when the word is not one.
    mutating func runBuiltin(
        _ arguments: [Argument], environment: Environment, input: Input = .none, span: SourceSpan
    ) -> Bool {
        let operands = arguments.dropFirst()
        if runModelBuiltin(arguments, environment: environment, input: input, span: span) { return true }
        switch arguments[0].text {
        case "cd":
            let target = operands.first { !($0.text.hasPrefix("-") && $0.text.count > 1) }
            changeDirectory(to: target, span: span, cdPath: environment["CDPATH"] ?? shell["CDPATH"])
        case "pushd":
            let target = operands.first { !$0.text.hasPrefix("-") && !$0.text.hasPrefix("+") }
            guard let target else { return true }
            shell.directoryStack.append(shell.directory)
            changeDirectory(to: target, span: span)
        case "popd":
            guard let previous = shell.directoryStack.popLast() else { return true }
            setDirectory(previous, span: span, description: "popd")
        case "export", "declare", "typeset", "local", "readonly":
            let exports =
                arguments[0].text == "export" || operands.contains { $0.text.hasPrefix("-") && $0.text.contains("x") }
            let unexports = operands.contains { $0.text == "-n" }
            for operand in operands where !operand.text.hasPrefix("-") {
                if let (name, value) = Wrappers.assignmentParts(operand) {
                    assign(name, value, span: span, exported: exports ? !unexports : nil)
                } else if exports, let value = shell[operand.text] {
                    shell.set(operand.text, value, exported: !unexports)
                } else if exports, !unexports {
                    // `export NAME` before NAME has a value: the assignment that follows is exported.
                    shell.exportedWithoutValue.insert(operand.text)
                }
            }
        case "unset":
            for operand in operands where !operand.text.hasPrefix("-") {
                shell.unset(operand.text)
                note(StateChange(description: "unset \(operand.text)", span: span))
            }
        case "set":
            for operand in operands {
                if operand.text.hasPrefix("-"), operand.text.contains("a") { shell.exportsAll = true }
                if operand.text.hasPrefix("+"), operand.text.contains("a") { shell.exportsAll = false }
            }
            if let index = operands.firstIndex(where: { $0.text == "-o" || $0.text == "+o" }),
                index + 1 < operands.count, operands[index + 1].text == "allexport"
            {
                shell.exportsAll = operands[index].text == "-o"
            }
        case "read", "mapfile", "readarray":
            for operand in operands
            where !operand.text.hasPrefix("-") && operand.text.utf8.allSatisfy(\.isNameCharacter) {
                assign(operand.text, Value("$" + operand.text, isDynamic: true), span: span, traced: false)
            }
        default:
            return false
        }
        return true
    }

    mutating func changeDirectory(to target: Argument?, span: SourceSpan, cdPath: Value? = nil) {
        let destination: String?
        if let target {
            if let cdPath, let found = searchCDPath(target, cdPath: cdPath) {
                destination = found
            } else if target.text == "-" {
                destination = shell["OLDPWD"].flatMap { $0.isDynamic ? nil : $0.text }
            } else {
                destination = context.absolutePath(target.value, relativeTo: shell.directory)
            }
        } else {
            destination = home
        }
        setDirectory(destination, span: span, description: "cd")
    }

    /// A directory as long as PATH_MAX cannot be entered: such a directory is not known statically.
    mutating func setDirectory(_ destination: String?, span: SourceSpan, description: String) {
        let destination = destination.flatMap { $0.utf8.count >= Paths.maximumLength ? nil : $0 }
        if let old = shell.directory { shell.set("OLDPWD", Value(old), exported: true) }
        shell.directory = destination
        shell.set("PWD", Value(destination ?? "$PWD", isDynamic: destination == nil), exported: true)
        note(StateChange(description: "\(description) → \(destination ?? "(unknown)")", span: span))
    }

    /// Sets a shell variable; `exported` nil keeps its current export state (a new variable is exported
    /// only under `set -a`).
    mutating func assign(_ name: String, _ value: Value, span: SourceSpan, exported: Bool? = nil, traced: Bool = true) {
        let exported =
            exported
            ?? (shell[name] != nil
                ? shell.isExported(name) : shell.exportsAll || shell.exportedWithoutValue.contains(name))
        shell.set(name, value, exported: exported)
        if name == "PWD", !value.isDynamic { shell.directory = value.text }
        if !value.isDynamic, value.text.contains("$(") || value.text.contains("`") {
            judgeLatentCommand(name, value.text, span: span)
        }
        if traced, tracing {
            note(
                StateChange(
                    description: "\(exported ? "export " : "")\(name)=\(Self.abbreviated(value.text))", span: span))
        }
    }
}

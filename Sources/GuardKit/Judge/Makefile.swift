/// `make` (SPEC §3.1 "make"): reads the makefile as GNU make does (MakefileReader.swift) and judges each
/// recipe line that runs as a shell command in the makefile's directory. make is not a package manager:
/// GuardKit knows it as it knows the shells.
extension Evaluator {
    /// How a `make` command line reads: options, variables, goals (GNU make's Options Summary).
    struct MakeCommand {
        var directories: [Value] = []
        var files: [Value] = []
        var variables: [(String, String)] = []
        var goals: [String] = []
        var runsNothing = false
        /// `-n`, `-q`, `-t`: only `+` lines and lines naming `$(MAKE)` run.
        var dryRun = false
        var environmentOverrides = false
        var evaluated: [String] = []
        var isDynamic = false

        init(_ arguments: ArraySlice<Argument>) {
            var index = arguments.startIndex
            var optionsEnded = false
            func value(after index: inout Int, attached: Substring) -> Argument? {
                if !attached.isEmpty {
                    return Argument(
                        String(attached), isDynamic: arguments[index].isDynamic, span: arguments[index].span)
                }
                index += 1
                return index < arguments.endIndex ? arguments[index] : nil
            }
            while index < arguments.endIndex {
                let argument = arguments[index]
                let text = argument.text
                defer { index += 1 }
                if !optionsEnded, text == "--" {
                    optionsEnded = true
                    continue
                }
                if !optionsEnded, text.hasPrefix("--") {
                    let name = text.split(separator: "=", maxSplits: 1).first.map(String.init) ?? text
                    let attached = text.contains("=") ? text[text.index(after: text.firstIndex(of: "=")!)...] : ""
                    switch name {
                    case "--just-print", "--dry-run", "--recon", "--question", "--touch": dryRun = true
                    case "--help", "--version",
                        "--print-data-base" where false:
                        runsNothing = true
                    case "--help", "--version": runsNothing = true
                    case "--environment-overrides": environmentOverrides = true
                    case "--directory":
                        if let value = value(after: &index, attached: attached) { directories.append(value.value) }
                    case "--file", "--makefile":
                        if let value = value(after: &index, attached: attached) { files.append(value.value) }
                    case "--eval":
                        if let value = value(after: &index, attached: attached) { evaluated.append(value.text) }
                    case "--include-dir", "--old-file", "--assume-old", "--what-if", "--new-file", "--assume-new",
                        "--jobserver-style", "--output-sync", "--debug", "--load-average", "--jobs", "--shuffle":
                        if attached.isEmpty,
                            [
                                "--include-dir", "--old-file", "--assume-old", "--what-if", "--new-file",
                                "--assume-new",
                            ].contains(name)
                        {
                            index += 1
                        }
                    default: break
                    }
                    continue
                }
                if !optionsEnded, text.hasPrefix("-"), text.count > 1 {
                    var letters = Substring(text.dropFirst())
                    while let letter = letters.first {
                        letters = letters.dropFirst()
                        switch letter {
                        case "n", "q", "t": dryRun = true
                        case "e": environmentOverrides = true
                        case "h", "v": runsNothing = true
                        case "C", "f", "I", "o", "W":
                            if let value = value(after: &index, attached: letters) {
                                if letter == "C" { directories.append(value.value) }
                                if letter == "f" { files.append(value.value) }
                            }
                            letters = ""
                        case "j", "l":
                            // An optional number: attached, or the next word when it is one.
                            if letters.isEmpty, index + 1 < arguments.endIndex,
                                arguments[index + 1].text.allSatisfy({ $0.isNumber || $0 == "." }),
                                !arguments[index + 1].text.isEmpty
                            {
                                index += 1
                            }
                            letters = ""
                        case "O", "d", "E":
                            letters = letter == "E" ? "" : ""
                            if letter == "E", let value = value(after: &index, attached: letters) {
                                evaluated.append(value.text)
                            }
                        default: break
                        }
                    }
                    continue
                }
                if argument.isDynamic { isDynamic = true }
                if let equals = text.firstIndex(of: "="), !text.hasPrefix("=") {
                    var name = String(text[..<equals])
                    for suffix in [":::", "::", ":", "+", "?", "!"] where name.hasSuffix(suffix) {
                        name = String(name.dropLast(suffix.count))
                        break
                    }
                    let value = String(text[text.index(after: equals)...])
                    variables.append((name, argument.isDynamic ? MakefileReader.unknownMarker : value))
                } else {
                    goals.append(text)
                }
            }
        }
    }

    /// The names GNU make looks for, in order, when no `-f` is given.
    static let makefileNames = ["GNUmakefile", "makefile", "Makefile"]

    /// Judges a `make` command; `false` when it cannot be read at all.
    mutating func runMake(
        _ arguments: [Argument], environment: Environment, directory: String?, elevated: Bool, wrappers: [String],
        span: SourceSpan
    ) -> Bool {
        // MAKEFLAGS in the environment holds options as if given first (`n` alone is `-n`).
        var flagWords: [Argument] = []
        if let flags = environment["MAKEFLAGS"] {
            for (index, word) in Self.splitAtBlanks(flags.text).enumerated() {
                let text = index == 0 && !word.hasPrefix("-") && !word.contains("=") ? "-" + word : String(word)
                flagWords.append(Argument(text, isDynamic: flags.isDynamic, span: span))
            }
        }
        let command = MakeCommand(flagWords[...] + arguments.dropFirst())
        let first = findings.count
        if command.runsNothing {
            record(
                arguments, directory: directory, ecosystem: nil, wrappers: wrappers,
                notes: ["make shows help or its version"], span: span, verdict: .pass)
            return true
        }
        var makeDirectory = directory
        for target in command.directories {
            makeDirectory = context.absolutePath(target, relativeTo: makeDirectory)
        }
        guard let makeDirectory else {
            judgeUnreadable(span)
            return false
        }
        guard fileRuns.depth < FileRuns.maximumDepth else {
            record(
                arguments, directory: makeDirectory, ecosystem: nil, wrappers: wrappers,
                notes: ["makefiles run \(FileRuns.maximumDepth) deep: not read"], span: span, verdict: .pass)
            judgeUnreadable(span)
            return true
        }
        // The makefiles: -f names them (relative to the directory after -C), else the first of the three names.
        var makefiles: [(String, FileText)] = []
        if command.files.isEmpty {
            for name in Self.makefileNames {
                let path = makeDirectory == "/" ? "/" + name : makeDirectory + "/" + name
                if case .text(let text)? = fileText(path, span: span) {
                    makefiles.append((path, text))
                    break
                }
            }
        } else {
            for file in command.files {
                guard let path = context.absolutePath(file, relativeTo: makeDirectory), file.text != "-" else {
                    judgeUnreadableFile(
                        "the makefile \(file.text)", why: "is \(Reasons.onlyKnownWhenRun)", span: span)
                    return true
                }
                switch fileText(path, span: span) {
                case .text(let text)?: makefiles.append((path, text))
                case .unknown?:
                    judgeUnknownContent(path, program: "make", directory: directory, wrappers: wrappers, span: span)
                    return true
                case nil: continue
                }
            }
        }
        guard !makefiles.isEmpty || !command.evaluated.isEmpty else {
            record(
                arguments, directory: makeDirectory, ecosystem: nil, wrappers: wrappers,
                notes: ["there is no makefile in \(makeDirectory): make runs nothing"], span: span, verdict: .pass)
            return true
        }
        let traceStart = trace.count
        record(
            arguments, directory: makeDirectory, ecosystem: nil, wrappers: wrappers,
            notes: [
                "make reads \(makefiles.map { Paths.display($0.0, from: directory) }.joined(separator: ", "))"
                    + (command.dryRun ? "; -n/-q/-t: only `+` lines and $(MAKE) lines run" : "")
            ], span: span, verdict: .pass)
        _ = traceStart
        var reader = MakefileReader(
            directory: makeDirectory, environment: environment.variables, commandLine: command.variables,
            environmentOverrides: command.environmentOverrides)
        var includeDepth = 0
        var unreadableFiles: [String] = []
        func readInto(_ reader: inout MakefileReader, _ path: String, _ text: FileText, _ evaluator: inout Evaluator) {
            let name = Paths.display(path, from: directory)
            if !text.isComplete || text.isSpecial || text.isBinary
                || evaluator.fileRuns.judgedLeft < text.bytes.count
            {
                unreadableFiles.append(name)
                if text.isSpecial || text.isBinary { return }
            }
            evaluator.fileRuns.judgedLeft -= min(evaluator.fileRuns.judgedLeft, text.bytes.count)
            reader.read(String(decoding: text.bytes, as: UTF8.self), file: name) { reader, names, required in
                guard includeDepth < FileRuns.maximumDepth else {
                    unreadableFiles.append(names.joined(separator: " "))
                    return
                }
                for included in names {
                    guard !included.contains(MakefileReader.unknownMarker),
                        let includedPath = evaluator.context.absolutePath(Value(included), relativeTo: makeDirectory)
                    else {
                        unreadableFiles.append(included)
                        continue
                    }
                    switch evaluator.fileText(includedPath, span: span) {
                    case .text(let includedText)?:
                        includeDepth += 1
                        readInto(&reader, includedPath, includedText, &evaluator)
                        includeDepth -= 1
                    case .unknown?: unreadableFiles.append(included)
                    case nil: _ = required
                    }
                }
            }
        }
        // `--eval` text is read after the built-in rules and before any makefile (GNU make's manual, "Options
        // Summary"): its first target can be the default goal.
        for (index, text) in command.evaluated.enumerated() {
            reader.read(text, file: "--eval[\(index + 1)]") { _, _, _ in }
        }
        for (path, text) in makefiles { readInto(&reader, path, text, &self) }
        // MAKEFILES in the environment names makefiles make reads too (missing ones are skipped); they never
        // give the default goal, so they are read after the makefile that does.
        if let extra = environment["MAKEFILES"] {
            for name in extra.text.split(separator: " ") where !extra.isDynamic {
                guard let path = context.absolutePath(Value(String(name)), relativeTo: makeDirectory),
                    case .text(let text)? = fileText(path, span: span)
                else { continue }
                let goalBefore = reader.firstTarget
                readInto(&reader, path, text, &self)
                if goalBefore != nil { continue }
            }
        }
        // The goals: the command line's, else .DEFAULT_GOAL, else the first target.
        var goals = command.goals
        if goals.isEmpty {
            let defaultGoal = reader.variable(".DEFAULT_GOAL", scope: nil, depth: 0).trimmingBlanksString
            if !defaultGoal.isEmpty {
                goals = [defaultGoal]
            } else if let target = reader.firstTarget {
                goals = [target]
            }
        }
        let (recipes, complete) = reader.plan(goals: goals, maximumTargets: 100_000)
        var recipeEnvironment = environment
        for (name, value) in reader.exportedVariables() {
            recipeEnvironment[name] = Value(value, isDynamic: value.contains(MakefileReader.unknownMarker))
        }
        let makefileName = makefiles.first.map { Paths.display($0.0, from: directory) } ?? "--eval"
        let shellCommand = Self.recipeShell(
            shell: reader.variable("SHELL", scope: nil, depth: 0).trimmingBlanksString,
            flags: reader.variable(".SHELLFLAGS", scope: nil, depth: 0).trimmingBlanksString)
        // Commands make runs while it reads the makefile: they run even under -n.
        for command in reader.parseTimeCommands {
            runMakeShell(
                command.text, name: command.file, line: command.line, directory: makeDirectory,
                environment: environment, elevated: elevated, wrappers: wrappers, span: span, shellCommand: shellCommand
            )
        }
        reader.parseTimeCommands = []
        for recipe in recipes {
            var lines: [(text: String, line: Int)] = []
            for line in recipe.lines {
                let expanded = reader.expand(line.text, scope: recipe.scope)
                var text = Substring(expanded)
                var forced = false
                while let first = text.first,
                    first == "@" || first == "-" || first == "+" || first == " "
                        || first == "\t"
                {
                    if first == "+" { forced = true }
                    text = text.dropFirst()
                }
                let namesMake = line.text.contains("$(MAKE)") || line.text.contains("${MAKE}")
                if command.dryRun, !forced, !namesMake { continue }
                lines.append((String(text), line.line))
            }
            // Commands in the recipe's $(shell …) ran while make expanded it.
            for command in reader.parseTimeCommands {
                runMakeShell(
                    command.text, name: makefileName, line: recipe.lines.first?.line ?? 1, directory: makeDirectory,
                    environment: recipeEnvironment, elevated: elevated, wrappers: wrappers, span: span,
                    shellCommand: shellCommand)
            }
            reader.parseTimeCommands = []
            let file = recipe.lines.first?.file ?? makefileName
            if reader.oneShell, let firstLine = lines.first {
                runMakeShell(
                    lines.map(\.text).joined(separator: "\n"), name: file, line: firstLine.line,
                    directory: makeDirectory, environment: recipeEnvironment, elevated: elevated, wrappers: wrappers,
                    span: span)
            } else {
                for line in lines {
                    runMakeShell(
                        line.text, name: file, line: line.line, directory: makeDirectory,
                        environment: recipeEnvironment, elevated: elevated, wrappers: wrappers, span: span,
                        shellCommand: shellCommand)
                }
            }
        }
        if !complete { unreadableFiles.append("targets past \(100_000)") }
        if !unreadableFiles.isEmpty {
            judgeUnreadableFile(
                unreadableFiles.joined(separator: ", "),
                why: "could not be read whole (a limit, or only known when "
                    + "the line runs)", span: span)
        }
        _ = first
        return true
    }

    /// How make runs a recipe line: `nil` for `/bin/sh -c` (the default and what `sh` or `-e`/`-x` flags
    /// change nothing about), else `$(SHELL)` and the words of `$(.SHELLFLAGS)` (split at blanks, a
    /// backslash keeping the next character), before the line.
    static func recipeShell(shell: String, flags: String) -> [String]? {
        let plainFlags: Set<String> = ["", "-c", "-ec", "-ce", "-xc", "-cx", "-e -c", "-x -c", "-exc", "-euc"]
        if ["", "/bin/sh", "sh", "/usr/bin/sh"].contains(shell), plainFlags.contains(flags) { return nil }
        let words = splitAtBlanks(flags)
        return [shell.isEmpty ? "/bin/sh" : shell] + (words.isEmpty ? ["-c"] : words)
    }

    /// Words as make splits `.SHELLFLAGS` and `MAKEFLAGS`: at blanks, a backslash keeping the next character.
    static func splitAtBlanks(_ text: String) -> [String] {
        var words: [String] = []
        var current = ""
        var escaped = false
        for character in text {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == " " || character == "\t" {
                if !current.isEmpty { words.append(current) }
                current = ""
            } else {
                current.append(character)
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    /// One recipe line (or a `.ONESHELL` recipe, or a `$(shell …)` command): shell code in a new shell —
    /// `/bin/sh -c`, unless the makefile or the command line chose another `SHELL` or `.SHELLFLAGS`, when
    /// make runs `$(SHELL) $(.SHELLFLAGS) LINE` and that is judged as the command it is (`SHELL=bash` reads
    /// BASH_ENV first; `.SHELLFLAGS='-c pip install x;true'` runs its own code).
    mutating func runMakeShell(
        _ text: String, name: String, line: Int, directory: String, environment: Environment, elevated: Bool,
        wrappers: [String], span: SourceSpan, shellCommand: [String]? = nil
    ) {
        guard !text.trimmingBlanks.isEmpty else { return }
        if let shellCommand {
            let argv = (shellCommand + [text]).map { Argument($0, span: span) }
            run(
                argv, environment: environment, directory: directory, elevated: elevated, wrappers: wrappers,
                input: .none, inCurrentShell: false, span: span)
            return
        }
        guard fileRuns.judgedLeft >= text.utf8.count else {
            judgeUnreadableFile("\(name):\(line)", why: Reasons.pastLineBudget, span: span)
            return
        }
        fileRuns.judgedLeft -= text.utf8.count
        let origin = FileOrigin(name: name, bytes: Array(text.utf8), firstLine: line)
        let first = findings.count
        let traceStart = trace.count
        record(
            [Argument("make", span: span), Argument("recipe", span: span)], directory: directory, ecosystem: nil,
            wrappers: wrappers, notes: ["\(name):\(line) runs through /bin/sh"], span: span, verdict: .pass)
        runTextInChildShell(
            text, origin: origin, directory: directory, environment: environment, elevated: elevated,
            wrappers: wrappers, span: span, first: first, traceStart: traceStart)
    }
}

extension Evaluator {
    /// Runs `text` (a makefile recipe, a package script) as `sh -c` would, in a child shell in `directory`:
    /// findings inside it point at `span` in the line and name `origin`'s file and line.
    mutating func runTextInChildShell(
        _ text: String, origin: FileOrigin, directory: String?, environment: Environment, elevated: Bool,
        wrappers: [String], span: SourceSpan, first: Int, traceStart: Int
    ) {
        let saved = shell
        shell = ShellState(directory: directory, environment: environment)
        let savedWrappers = enclosingWrappers
        let savedElevation = enclosingElevation
        enclosingWrappers += wrappers
        enclosingElevation = elevated
        walkFile(origin, complete: true) { evaluator in
            let script = ShellParser.parse(text, nestedAt: .exact(base: 0), depth: 0)
            evaluator.walk(script.command, input: .none)
            if let unreadable = script.unreadable { evaluator.judgeUnreadable(unreadable) }
        }
        enclosingWrappers = savedWrappers
        enclosingElevation = savedElevation
        shell = saved
        relocate(from: first, traceFrom: traceStart, origin: origin, to: span)
    }
}

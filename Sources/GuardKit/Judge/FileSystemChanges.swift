/// Commands that change the file system facts later parts of the line are judged on (SPEC §3.1 "The file
/// system the line changes"): links, removals, moves and copies, recorded in `FileFacts`' overlay.
enum FileSystemChanges {
    /// The programs read here (one set lookup per command).
    static let programs: Set<String> = ["ln", "rm", "unlink", "rmdir", "mv", "cp", "find", "mkdir", "touch"]

    /// Options of mkdir and touch that take a value (`mkdir -m 755 DIR`, `touch -d DATE FILE`). mkdir's
    /// `-Z` takes none and `--context` only attached (`--context=CTX`), as coreutils reads them.
    static let creatorValueOptions: Set<String> = ["-m", "--mode", "-d", "--date", "-r", "--reference", "-t"]

    /// What `find -exec` runs that removes or moves what it finds.
    static let findRemovers: Set<String> = ["rm", "unlink", "rmdir", "mv", "shred"]

    /// `find`'s options before its starting points (`-L`, `-D debugopts`, `-O3`).
    static let findLeadingValueOptions: Set<String> = ["-D"]

    /// `find ROOT… EXPRESSION` that removes what it finds: the roots, and the one name pattern every removed
    /// path matches (`*` when the expression does not pin one down: no `-name`, or `-o`, `!`, `-path` …).
    /// `nil` when it removes nothing (no `-delete`, no `-exec rm …`).
    static func findRemoval(_ arguments: [Argument]) -> (roots: [Argument], pattern: String)? {
        var index = 1
        while index < arguments.count,
            ["-H", "-L", "-P"].contains(arguments[index].text)
                || arguments[index].text.hasPrefix("-O") || findLeadingValueOptions.contains(arguments[index].text)
        {
            index += findLeadingValueOptions.contains(arguments[index].text) ? 2 : 1
        }
        var roots: [Argument] = []
        while index < arguments.count, !arguments[index].text.hasPrefix("-"), arguments[index].text != "(",
            arguments[index].text != "!"
        {
            roots.append(arguments[index])
            index += 1
        }
        var removes = false
        var names: [Argument] = []
        var pinsName = true
        while index < arguments.count {
            let text = arguments[index].text
            switch text {
            case "-delete":
                removes = true
            case "-exec", "-execdir", "-ok", "-okdir":
                if index + 1 < arguments.count {
                    let runs = arguments[index + 1]
                    removes = removes || runs.isDynamic || findRemovers.contains(ProgramName.normalize(runs.text))
                }
            case "-name", "-iname":
                if index + 1 < arguments.count { names.append(arguments[index + 1]) }
                if text == "-iname" { pinsName = false }
            case "-o", "-or", "!", "-not", "-path", "-ipath", "-wholename", "-iwholename", "-regex", "-iregex", ",":
                pinsName = false
            default:
                break
            }
            index += 1
        }
        guard removes else { return nil }
        let pattern = pinsName ? names.first.flatMap { $0.isDynamic ? nil : $0.text } ?? "*" : "*"
        return (roots.isEmpty ? [Argument(".", span: 0..<0)] : roots, pattern)
    }

    /// Options of these programs that take a value (the next word).
    static let valueOptions: Set<String> = ["-t", "--target-directory", "-S", "--suffix"]
}

extension Evaluator {
    /// Records what `ln`, `rm`, `mv` and `cp` change.
    mutating func recordFileSystemChanges(_ arguments: [Argument], program: String, directory: String?) {
        let wasIncomplete = files.isIncomplete
        defer {
            if !wasIncomplete, files.isIncomplete, let span = arguments.first?.span {
                // Not a question yet: it matters only if a later command is judged on what was not recorded.
                unrecordedChangesAt = span.lowerBound
            }
        }
        if program == "mkdir" || program == "touch" {
            // `mkdir DIR…` makes directories (with `-p`, their parents too); `touch FILE…` makes missing files
            // unless `-c`: later parts of the line see them (`mkdir -p ~/node_modules && npm i x`).
            var index = 1
            var optionsEnded = false
            var noCreate = false
            while index < arguments.count {
                let argument = arguments[index]
                let text = argument.text
                index += 1
                if !optionsEnded, text == "--" {
                    optionsEnded = true
                } else if !optionsEnded, text.hasPrefix("-"), text.count > 1 {
                    if FileSystemChanges.creatorValueOptions.contains(text) { index += 1 }
                    if program == "touch", text == "--no-create" || (!text.hasPrefix("--") && text.contains("c")) {
                        noCreate = true
                    }
                } else if !argument.isDynamic, !noCreate,
                    let path = context.absolutePath(argument.value, relativeTo: directory)
                {
                    guard !files.exists(path) else { continue }
                    files.recordCreation(of: path, isDirectory: program == "mkdir")
                    note(StateChange(description: "created \(path)", span: argument.span))
                }
            }
            return
        }
        if program == "find" {
            guard let removal = FileSystemChanges.findRemoval(arguments) else { return }
            for root in removal.roots {
                guard !files.isIncomplete else { break }
                guard let root = path(root) else {
                    // Where it removes is only known when the line runs: not followed, so a later command
                    // judged on files asks.
                    files.record(.removedMatching(pattern: removal.pattern, under: "/"))
                    continue
                }
                files.record(.removedMatching(pattern: removal.pattern, under: root))
                note(StateChange(description: "removed \(removal.pattern) under \(root)", span: arguments[0].span))
            }
            return
        }
        var operands: [Argument] = []
        var targetDirectory: Argument?
        var noTargetDirectory = false
        var symbolic = false
        var index = 1
        var optionsEnded = false
        while index < arguments.count {
            let argument = arguments[index]
            let text = argument.text
            if !optionsEnded, text == "--" {
                optionsEnded = true
            } else if !optionsEnded, text.hasPrefix("-"), text.count > 1 {
                if text == "-t" || text == "--target-directory", index + 1 < arguments.count {
                    targetDirectory = arguments[index + 1]
                    index += 1
                } else if text.hasPrefix("--target-directory=") {
                    targetDirectory = Argument(
                        String(text.dropFirst(19)), isDynamic: argument.isDynamic, span: argument.span)
                } else if FileSystemChanges.valueOptions.contains(text) {
                    index += 1
                } else if text == "--symbolic" || (!text.hasPrefix("--") && text.contains("s") && program == "ln") {
                    symbolic = true
                } else if text == "--no-target-directory" || (!text.hasPrefix("--") && text.contains("T")) {
                    noTargetDirectory = true
                }
            } else {
                operands.append(argument)
            }
            index += 1
        }
        func path(_ argument: Argument) -> String? {
            argument.isDynamic ? nil : context.absolutePath(argument.value, relativeTo: directory)
        }
        switch program {
        case "rm", "unlink", "rmdir":
            for operand in operands {
                // Past the overlay's limit nothing more is recorded (and a later command asks).
                guard !files.isIncomplete else { break }
                guard let removed = path(operand) else { continue }
                files.record(.removed(removed))
                note(StateChange(description: "removed \(removed)", span: operand.span))
            }
        default:
            // ln/mv/cp SOURCE… DEST, `-t DIR SOURCE…`, or (ln) one SOURCE linked into the current directory.
            var sources = operands
            var destination: String?
            var intoDirectory = false
            if let targetDirectory {
                destination = path(targetDirectory)
                intoDirectory = true
            } else if program == "ln", operands.count == 1 {
                destination = directory
                intoDirectory = true
            } else if let last = sources.popLast() {
                destination = path(last)
                intoDirectory = !noTargetDirectory && (sources.count > 1 || destination.map(files.isDirectory) == true)
            }
            guard let destination, !sources.isEmpty else { return }
            for source in sources {
                guard !files.isIncomplete else { break }
                guard !source.isDynamic else { continue }
                let target: String?
                if program == "ln", symbolic, !source.text.hasPrefix("/") {
                    // A relative symlink target is read from the link's own directory.
                    let linkDirectory = intoDirectory ? destination : Paths.parent(destination)
                    target = context.absolutePath(source.value, relativeTo: linkDirectory)
                } else {
                    target = path(source)
                }
                guard let target else { continue }
                let link = intoDirectory ? destination + "/" + Paths.basename(target) : destination
                if program == "mv" {
                    files.record(.moved(from: target, to: link))
                    note(StateChange(description: "moved \(target) → \(link)", span: source.span))
                } else {
                    files.record(.linked(link: link, target: target, symbolic: program == "ln" && symbolic))
                    note(StateChange(description: "\(link) → \(target)", span: source.span))
                }
            }
        }
    }

    /// Asks about a command judged after the line changed more files than the overlay keeps: a removal or
    /// link not followed could make a global pip look like a venv's (`rm .venv/pyvenv.cfg` past the limit).
    /// A line that only removes many files (`rm -f f0 … f99999`) asks nothing.
    mutating func askAboutUnrecordedChanges() {
        guard let start = unrecordedChangesAt else { return }
        unrecordedChangesAt = nil
        add(
            Finding(
                verdict: .ask, ecosystem: ShellRules.ecosystem, rule: ShellRules.unreadable.id,
                span: start..<source.count,
                reason: "The line changes more than \(FileFacts.maximumChanges) files and links; what later commands "
                    + "run cannot be followed from there on.",
                fix: "Split the line, so each part's file changes can be followed."))
    }

    /// The program a command word runs through a link made earlier in the line, if any.
    func linkedProgram(_ word: String, environment: Environment, directory: String?) -> String? {
        if word.utf8.contains(UInt8(ascii: "/")) {
            // The path as written, before links are followed (`absolutePath` follows them).
            let path: String
            if word.hasPrefix("/") {
                path = Paths.normalize(word)
            } else {
                guard let directory else { return nil }
                path = Paths.absolute(word, relativeTo: directory)
            }
            return files.linkTarget(of: path).flatMap { files.exists($0) ? $0 : nil }
        }
        guard let path = context.resolveExecutable(word, environment: environment, directory: directory) else {
            return nil
        }
        // A moved or removed original is not what runs.
        return files.linkTarget(of: path).flatMap { files.exists($0) ? $0 : nil }
    }

    /// Resolves a command word's path through links made earlier in the line (for the modules that read it).
    func seeThroughLinks(_ arguments: inout [Argument], environment: Environment, directory: String?) {
        guard files.hasLinks, let first = arguments.first, !first.isDynamic,
            let target = linkedProgram(first.text, environment: environment, directory: directory)
        else { return }
        arguments[0] = Argument(target, span: first.span)
    }
}

/// Commands built from input (SPEC §3.1, "Programs that run a command"): `xargs` appends what it reads to its
/// command, or puts each line in place of `-I`'s string; GNU `parallel` runs each argument (after `:::`, from
/// `::::` files or its input) as a command line, or in its command's place of `{}` (quoted as one word), or
/// after it. When the input is known text — piped from `echo`, read from a file the line wrote or one on
/// disk — the commands it builds are judged as if written out; when it is not, a shell given code from it
/// asks, like a script piped into a shell.
extension Evaluator {
    enum FedCommands {
        /// The commands, as argument lists (xargs) or as shell code (parallel, which runs them through a
        /// shell).
        case commands([[Argument]], shellCode: [String])
        /// A shell runs code taken from input that is only known when the line runs.
        case unknownCode
    }

    /// More lines than this from one input are not followed one by one (each would be judged): the rest is
    /// judged as the first ones are, which is what a repeated template does.
    static let maximumFedCommands = 64

    /// What `xargs` or `parallel` runs given `input`; `nil` when it is not read here (the wrapper table reads
    /// it with its arguments only known when the line runs).
    mutating func fedCommands(_ name: String, _ arguments: [Argument], input: Input, span: SourceSpan) -> FedCommands? {
        switch name {
        case "xargs": return xargsCommands(Array(arguments.dropFirst()), input: input, span: span)
        case "parallel": return parallelCommands(Array(arguments.dropFirst()), input: input, span: span)
        default: return nil
        }
    }

    private mutating func xargsCommands(_ arguments: [Argument], input: Input, span: SourceSpan) -> FedCommands? {
        let parsed = Wrappers.xargsOptions.scan(arguments)
        let template = parsed.operands.isEmpty ? [Argument("echo", span: span)] : parsed.operands
        let replace = parsed.value("I")?.text ?? parsed.value("--replace")?.text ?? (parsed.has("i") ? "{}" : nil)
        var source = input
        if let file = parsed.argument("a") ?? parsed.argument("--arg-file") {
            source = redirectedFileInput(file, span: span) ?? .opaque(span)
        }
        guard case .text(let text, _) = source else {
            // Code a shell takes from what xargs reads: `xargs -I{} sh -c {}`, `xargs sh -c` (the first item
            // read is the code).
            let isShell = Wrappers.shells.contains(ProgramName.normalize(Paths.basename(template[0].text)))
            guard isShell, let code = template.firstIndex(where: { $0.text == "-c" }) else { return nil }
            let script = template.index(after: code) < template.endIndex ? template[code + 1] : nil
            if let replace, let script, script.text.contains(replace) { return .unknownCode }
            return replace == nil && script == nil ? .unknownCode : nil
        }
        if let replace {
            // Each line (leading blanks removed) replaces the string wherever it stands.
            let lines = text.split(separator: "\n").map { $0.drop { $0 == " " || $0 == "\t" } }.filter { !$0.isEmpty }
            let commands = lines.prefix(Self.maximumFedCommands).map { line in
                template.map { word in
                    Argument(word.text.replacingOccurrences(of: replace, with: String(line)), span: word.span)
                }
            }
            return .commands(commands, shellCode: [])
        }
        let items: [String]
        if parsed.has("0") || parsed.has("--null") {
            items = text.split(separator: "\0").map(String.init)
        } else if let delimiter = parsed.value("d")?.text ?? parsed.value("--delimiter")?.text {
            let separator: Character = delimiter == "\\n" ? "\n" : delimiter.first ?? "\n"
            items = text.split(separator: separator).map(String.init)
        } else {
            items = Self.xargsItems(text)
        }
        // With nothing read, the command still runs once, unless `-r`.
        if items.isEmpty, parsed.has("r") || parsed.has("--no-run-if-empty") { return .commands([], shellCode: []) }
        let fed = items.prefix(Evaluator.maximumModuleArguments).map { Argument($0, span: span) }
        return .commands([template + fed], shellCode: [])
    }

    /// Items as xargs reads them by default: separated by blanks and newlines, with quotes and backslashes
    /// taken out.
    static func xargsItems(_ text: String) -> [String] {
        var items: [String] = []
        var current = ""
        var inItem = false
        var quote: Character?
        var escaped = false
        for character in text {
            if escaped {
                current.append(character)
                escaped = false
            } else if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
            } else if character == "\\" {
                escaped = true
                inItem = true
            } else if character == "'" || character == "\"" {
                quote = character
                inItem = true
            } else if character == " " || character == "\t" || character == "\n" {
                if inItem { items.append(current) }
                current = ""
                inItem = false
            } else {
                current.append(character)
                inItem = true
            }
        }
        if inItem { items.append(current) }
        return items
    }

    private mutating func parallelCommands(_ arguments: [Argument], input: Input, span: SourceSpan) -> FedCommands? {
        let parsed = Wrappers.parallelOptions.scan(arguments)
        let operands = parsed.operands
        let separator = operands.firstIndex { $0.text == ":::" || $0.text == "::::" || $0.text == ":::+" }
        let template = Array(operands[..<(separator ?? operands.endIndex)])
        // The arguments: after `:::` as written, from `::::` files or `-a FILE` line by line, else the input's.
        var items: [String] = []
        var known = true
        if let separator {
            var readsFiles = false
            for operand in operands[separator...] {
                switch operand.text {
                case ":::", ":::+": readsFiles = false
                case "::::", "::::+": readsFiles = true
                default:
                    if readsFiles {
                        if case .text(let text, _)? = redirectedFileInput(operand, span: span) {
                            items += text.split(separator: "\n").map(String.init)
                        } else {
                            known = false
                        }
                    } else if operand.isDynamic {
                        known = false
                    } else {
                        items.append(operand.text)
                    }
                }
            }
        } else if let file = parsed.argument("a") ?? parsed.argument("--arg-file") {
            if case .text(let text, _)? = redirectedFileInput(file, span: span) {
                items = text.split(separator: "\n").map(String.init)
            } else {
                known = false
            }
        } else if case .text(let text, _) = input {
            items = text.split(separator: "\n").map(String.init)
        } else {
            known = false
        }
        guard known else {
            // With no command of its own, each argument is a command line: code only known when it runs.
            return template.isEmpty ? .unknownCode : nil
        }
        let replace = parsed.value("I")?.text ?? "{}"
        let commandText = template.map(\.text).joined(separator: " ")
        let code = items.prefix(Self.maximumFedCommands).map { item -> String in
            // A command that is only the replacement string runs each argument as a command line, as with no
            // command (whether parallel quotes it there is not something to bet the guard on).
            guard !template.isEmpty, commandText != replace else { return item }
            // parallel quotes what it puts in the command as one word.
            let quoted = "'" + item.replacingOccurrences(of: "'", with: "'\\''") + "'"
            return commandText.contains(replace)
                ? commandText.replacingOccurrences(of: replace, with: quoted) : commandText + " " + quoted
        }
        return .commands([], shellCode: code)
    }
}

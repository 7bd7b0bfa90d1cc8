/// The shell's values beyond scalar variables: arrays, positional parameters, namerefs, `hash -p`, aliases.
struct ShellModel: Sendable {
    /// Indexed arrays (`a=(…)`, `a+=(…)`, `declare -a`, `read -a`).
    var arrays: [String: [Value]] = [:]
    /// `$1`, `$2` …; `nil` when not known (the hook's own shell).
    var positional: [Value]?
    /// `declare -n NAME=TARGET`.
    var namerefs: [String: String] = [:]
    /// `hash -p FILE NAME`.
    var hashed: [String: String] = [:]
    /// `shopt -s expand_aliases`.
    var expandsAliases = false
    /// `alias NAME=VALUE`: the value, and where the line defining it ends (it applies from the next line).
    var aliases: [String: (value: String, from: Int)] = [:]
    /// Files the shell opened for writing with `exec N>FILE` (`exec >FILE` is descriptor 1): later output
    /// to N (`echo … >&3`, or every command's for 1) goes there.
    var descriptors: [Int: String] = [:]
}

/// A function the line defines.
struct FunctionDefinition: Sendable {
    var name: String
    var body: Command
    /// What one call costs from the amplification budget: its size.
    var cost: Int
}

extension Evaluator {
    /// Brace expansion stops here: `{a,b}{c,d}…` doubles with each brace; past this many words the word is
    /// dynamic.
    static let maximumBraceWords = 256
    /// Words longer than this are not brace-expanded (each expansion rescans the word): dynamic instead.
    static let maximumBraceWordLength = 4096
    /// Function calls nest this deep (`f() { f; }` recurses).
    static let maximumFunctionDepth = 8
    /// Links and `hash -p` names followed for one command word.
    static let maximumRewrites = 16

    // MARK: Expansion, in bash's order

    /// Expands a word into arguments: brace expansion, `~`, parameters, arithmetic, command substitution
    /// (judged as commands), word splitting of unquoted expansions on IFS, quote removal.
    mutating func expand(_ word: Word) -> [Argument] {
        var arguments: [Argument] = []
        expand(word, into: &arguments)
        return arguments
    }

    mutating func expand(_ word: Word, into arguments: inout [Argument]) {
        if word.parts.count == 1, case .literal(let text, let quoted) = word.parts[0],
            quoted || !text.utf8.contains(UInt8(ascii: "{"))
        {
            arguments.append(Argument(text, span: word.span))
            return
        }
        if word.parts.isEmpty {
            arguments.append(Argument("", span: word.span))
            return
        }
        if Self.mayBraceExpand(word) {
            guard let words = braceExpand(word) else {
                arguments.append(Argument(writtenText(word.span) ?? "{…}", isDynamic: true, span: word.span))
                return
            }
            if words.count > 1 {
                note(StateChange(description: "brace expansion: \(words.count) words", span: word.span))
            }
            for expanded in words { expandFields(expanded, into: &arguments) }
            return
        }
        expandFields(word, into: &arguments)
    }

    /// The IFS characters: space, tab and newline unless the line set IFS.
    var fieldSeparators: [Character] {
        guard let ifs = shell["IFS"], !ifs.isDynamic else { return [" ", "\t", "\n"] }
        return Array(ifs.text)
    }

    /// Expands one word (after brace expansion) into fields.
    mutating func expandFields(_ word: Word, into arguments: inout [Argument]) {
        var fields = FieldBuilder(separators: fieldSeparators, span: word.span)
        for (index, part) in word.parts.enumerated() {
            switch part {
            case .literal(let text, let quoted):
                fields.append(text, dynamic: false, split: false, makesField: quoted || !text.isEmpty)
            case .tilde(let user):
                if index == 0, user.isEmpty, let home = shell["HOME"] {
                    fields.append(home.text, dynamic: home.isDynamic, split: false, makesField: true)
                } else {
                    fields.append("~" + user, dynamic: !user.isEmpty, split: false, makesField: true)
                }
            case .parameter(let name, let quoted):
                if let list = listParameter(name) {
                    appendList(list, name: name, quoted: quoted, into: &fields)
                } else {
                    var value = parameterValue(name)
                    if !spendAmplification(value.text.utf8.count) { value = Value("$" + name, isDynamic: true) }
                    appendExpansion(value, quoted: quoted, into: &fields, name: "$" + name)
                }
            case .parameterOperation(let name, let operation, let argument, let quoted):
                let value = parameterOperation(name, operation: operation, argument: argument)
                appendExpansion(value, quoted: quoted, into: &fields, name: "${\(name)…}")
            case .commandSubstitution(let script, let quoted):
                let value = substitutionValue(script)
                appendExpansion(value, quoted: quoted, into: &fields, name: "$(…)")
            case .processSubstitution(let script):
                let saved = shell
                walk(script.command, input: .none)
                shell = saved
                fields.append("<(…)", dynamic: true, split: false, makesField: true)
            case .arithmetic(let substitutions):
                runArithmetic(substitutions)
                fields.append("$((…))", dynamic: true, split: false, makesField: true)
            }
            if fields.isTooLong {
                arguments.append(Argument(writtenText(word.span) ?? "…", isDynamic: true, span: word.span))
                return
            }
        }
        arguments.append(contentsOf: fields.finish())
    }

    /// Appends an expansion's value: quoted, as is; unquoted, split on IFS (a dynamic value stays whole).
    mutating func appendExpansion(_ value: Value, quoted: Bool, into fields: inout FieldBuilder, name: String) {
        if quoted || value.isDynamic {
            fields.append(value.text, dynamic: value.isDynamic, split: false, makesField: quoted || !value.text.isEmpty)
            return
        }
        let before = fields.completed
        fields.append(value.text, dynamic: false, split: true, makesField: false)
        let words = fields.completed - before + 1
        if tracing, words > 1 {
            note(StateChange(description: "\(name) split into \(words) words", span: fields.span))
        }
    }

    /// `"$@"`, `"${a[@]}"` (one field each), `"$*"` (joined by IFS's first character), unquoted (split).
    mutating func appendList(_ list: [Value]?, name: String, quoted: Bool, into fields: inout FieldBuilder) {
        guard let list else {
            fields.append("$" + name, dynamic: true, split: false, makesField: true)
            return
        }
        let cost = list.reduce(0) { $0 + $1.text.utf8.count }
        guard spendAmplification(cost) else {
            fields.append("$" + name, dynamic: true, split: false, makesField: true)
            return
        }
        let joins = name == "*" || name.hasSuffix("[*]")
        if quoted, joins {
            let separator = fieldSeparators.first.map(String.init) ?? ""
            fields.append(
                list.map(\.text).joined(separator: separator), dynamic: list.contains(where: \.isDynamic),
                split: false, makesField: true)
            return
        }
        for (index, value) in list.enumerated() {
            if index > 0 { fields.endField(force: quoted) }
            if quoted || value.isDynamic {
                fields.append(value.text, dynamic: value.isDynamic, split: false, makesField: true)
            } else {
                fields.append(value.text, dynamic: false, split: true, makesField: false)
            }
        }
    }

    /// Expands a word into one argument, without field splitting (assignments, redirection targets).
    mutating func expandJoined(_ word: Word) -> Argument {
        var text = ""
        var isDynamic = false
        for part in word.parts {
            switch part {
            case .literal(let literal, _):
                text += literal
            case .tilde(let user):
                if user.isEmpty, let home = shell["HOME"] {
                    text += home.text
                    isDynamic = isDynamic || home.isDynamic
                } else {
                    text += "~" + user
                    isDynamic = true
                }
            case .parameter(let name, _):
                let value = parameterValue(name)
                if !spendAmplification(value.text.utf8.count) {
                    // The line has already expanded more than its own length many times over.
                    text += "$" + name
                    isDynamic = true
                } else {
                    text += value.text
                    isDynamic = isDynamic || value.isDynamic
                }
            case .parameterOperation(let name, let operation, let argument, _):
                let value = parameterOperation(name, operation: operation, argument: argument)
                text += value.text
                isDynamic = isDynamic || value.isDynamic
            case .commandSubstitution(let script, _):
                let value = substitutionValue(script)
                text += value.text
                isDynamic = isDynamic || value.isDynamic
            case .processSubstitution(let script):
                let saved = shell
                walk(script.command, input: .none)
                shell = saved
                text += "<(…)"
                isDynamic = true
            case .arithmetic(let substitutions):
                runArithmetic(substitutions)
                text += "$((…))"
                isDynamic = true
            }
            if text.utf8.count > Self.maximumValueLength {
                return Argument(String(text.prefix(64)) + "…", isDynamic: true, span: word.span)
            }
        }
        return Argument(text, isDynamic: isDynamic, span: word.span)
    }

    /// The command substitutions inside `$(( … ))` run.
    mutating func runArithmetic(_ substitutions: [Script]) {
        for script in substitutions {
            let saved = shell
            walk(script.command, input: .none)
            shell = saved
        }
    }

    /// What `$( … )` expands to: its output when known (trailing newlines removed), else a dynamic value,
    /// after judging the commands inside.
    mutating func substitutionValue(_ script: Script) -> Value {
        if let known = knownOutput(of: script) { return Value(known) }
        let saved = shell
        // What the commands print, when the walk knows it (`$(cat <<EOF … EOF)`), is the value, without its
        // trailing newlines, as bash takes it.
        let output = walk(script.command, input: .none, producesOutput: true)
        shell = saved
        if case .text(let text, _) = output, spendAmplification(text.utf8.count) {
            var value = Substring(text)
            while value.last == "\n" { value = value.dropLast() }
            return Value(String(value))
        }
        return Value("$(…)", isDynamic: true)
    }

    /// What a command substitution prints, for the few whose output is a fact about the line's state:
    /// `$(pwd)` is the directory, `$(git rev-parse --show-toplevel)` the nearest ancestor holding `.git`,
    /// `$(mktemp -d)` a new, empty directory under the temporary directory (no project, not home), and
    /// `$(echo …)` / `$(printf …)` of known words their text.
    mutating func knownOutput(of script: Script) -> String? {
        var command = script.command
        while case .sequence(let items) = command, items.count == 1 { command = items[0] }
        guard case .simple(let simple) = command, simple.assignments.isEmpty, simple.redirections.isEmpty else {
            return nil
        }
        let words = simple.words.map(\.literalValue)
        switch words {
        case ["pwd"], ["pwd", "-L"], ["pwd", "-P"]:
            return shell.directory
        case ["git", "rev-parse", "--show-toplevel"]:
            return shell.directory.flatMap { context.nearestAncestor(of: $0, holding: ".git") }
        case ["mktemp", "-d"]:
            let base = shell["TMPDIR"].flatMap { $0.isDynamic || !$0.text.hasPrefix("/") ? nil : $0.text } ?? "/tmp"
            temporaryDirectories += 1
            let path = Paths.normalize(base + "/tmp.toolguard\(temporaryDirectories)")
            files.recordCreation(of: path, isDirectory: true)
            return path
        default:
            break
        }
        guard let first = words.first, first == "echo" || first == "printf" else { return nil }
        var arguments: [Argument] = []
        for word in simple.words { expand(word, into: &arguments) }
        guard !arguments.isEmpty, !arguments.contains(where: \.isDynamic) else { return nil }
        guard case .text(let text, _) = Self.producedText(arguments, input: .none, span: simple.span) else {
            return nil
        }
        var output = Substring(text)
        while output.last == "\n" { output = output.dropLast() }
        return String(output)
    }

    /// A list-valued parameter: `@`, `*`, `NAME[@]`, `NAME[*]`; `nil` for anything else. The inner optional
    /// is `nil` when the list is not known.
    func listParameter(_ name: String) -> [Value]?? {
        if name == "@" || name == "*" { return .some(shell.model.positional) }
        guard name.hasSuffix("[@]") || name.hasSuffix("[*]") else { return nil }
        let base = resolveNameref(String(name.dropLast(3)))
        if let array = shell.model.arrays[base] { return .some(array) }
        if let scalar = shell[base] { return .some(scalar.isDynamic ? nil : [scalar]) }
        return .some(nil)
    }

    /// The variable a nameref points to (`declare -n r=x`: `r` → `x`), followed a few hops.
    func resolveNameref(_ name: String) -> String {
        var name = name
        var hops = 0
        while hops < 8, let target = shell.model.namerefs[name] {
            name = target
            hops += 1
        }
        return name
    }

    func parameterValue(_ name: String) -> Value {
        if name == "PWD", let directory = shell.directory { return Value(directory) }
        if let first = name.utf8.first, first.isDigit, name.utf8.allSatisfy(\.isDigit) {
            guard let index = Int(name), index > 0 else {
                return shell.scriptName ?? shell["0"] ?? Value("$0", isDynamic: true)
            }
            guard let positional = shell.model.positional else { return Value("$" + name, isDynamic: true) }
            return index <= positional.count ? positional[index - 1] : Value("")
        }
        if name == "#" {
            return shell.model.positional.map { Value(String($0.count)) } ?? Value("$#", isDynamic: true)
        }
        if let list = listParameter(name) {
            guard let list else { return Value("$" + name, isDynamic: true) }
            return Value(list.map(\.text).joined(separator: " "), isDynamic: list.contains(where: \.isDynamic))
        }
        if let open = name.firstIndex(of: "["), name.hasSuffix("]") {
            let base = resolveNameref(String(name[..<open]))
            let index = name[name.index(after: open)..<name.index(before: name.endIndex)]
            guard let position = Int(index), position >= 0 else { return Value("${\(name)}", isDynamic: true) }
            if let array = shell.model.arrays[base] { return position < array.count ? array[position] : Value("") }
            if position == 0, let scalar = shell[base] { return scalar }
            return Value("${\(name)}", isDynamic: true)
        }
        let resolved = shell.model.namerefs.isEmpty ? name : resolveNameref(name)
        if let value = shell[resolved] { return value }
        // bash sets IFS to space, tab and newline when it starts.
        if name == "IFS" { return Value(" \t\n") }
        return Value("$" + name, isDynamic: true)
    }

    mutating func parameterOperation(_ name: String, operation: String, argument: Word?) -> Value {
        let current = shell[name]
        let isSet = current != nil && !(operation.hasPrefix(":") && current?.text.isEmpty == true)
        let core = operation.hasPrefix(":") ? String(operation.dropFirst()) : operation
        if current?.isDynamic == true { return Value("${\(name)…}", isDynamic: true) }
        switch core {
        case "-", "=":
            if isSet, let current { return current }
            let fallback = argument.map { expandJoined($0).value } ?? Value("")
            if core == "=" { assign(name, fallback, span: 0..<0, traced: false) }
            return fallback
        case "+":
            return isSet ? (argument.map { expandJoined($0).value } ?? Value("")) : Value("")
        case "?":
            if isSet, let current { return current }
            return Value("${\(name)…}", isDynamic: true)
        default:
            return Value("${\(name)…}", isDynamic: true)
        }
    }

    // MARK: Brace expansion

    /// One unit of a word for brace expansion: an unquoted character (which may be `{`, `,`, `}`), or a
    /// part that brace expansion does not look into (quoted text, an expansion).
    enum BraceAtom: Hashable {
        case character(Character)
        case part(WordPart)
    }

    static func mayBraceExpand(_ word: Word) -> Bool {
        word.parts.contains { part in
            if case .literal(let text, quoted: false) = part { return text.contains("{") && text.contains("}") }
            return false
        }
    }

    /// The words a brace expression makes, in bash's order; `nil` past the limits.
    func braceExpand(_ word: Word) -> [Word]? {
        var atoms: [BraceAtom] = []
        for part in word.parts {
            if case .literal(let text, quoted: false) = part {
                for character in text { atoms.append(.character(character)) }
            } else {
                atoms.append(.part(part))
            }
            if atoms.count > Self.maximumBraceWordLength { return nil }
        }
        var results: [[BraceAtom]] = []
        guard Self.braceExpand(atoms, into: &results) else { return nil }
        return results.map { Word(parts: Self.parts(of: $0), span: word.span) }
    }

    /// Expands the first brace expression in `atoms`, recursively; `false` past `maximumBraceWords`.
    static func braceExpand(_ atoms: [BraceAtom], into results: inout [[BraceAtom]]) -> Bool {
        guard let (open, close, commas) = firstBraceExpression(atoms) else {
            results.append(atoms)
            return results.count <= maximumBraceWords
        }
        let preamble = atoms[..<open]
        let postscript = atoms[(close + 1)...]
        var alternatives: [ArraySlice<BraceAtom>] = []
        if commas.isEmpty {
            guard let sequence = braceSequence(atoms[(open + 1)..<close]) else {
                results.append(atoms)
                return results.count <= maximumBraceWords
            }
            if sequence.count > maximumBraceWords { return false }
            alternatives = sequence.map { ArraySlice($0.map { BraceAtom.character($0) }) }
        } else {
            var start = open + 1
            for comma in commas {
                alternatives.append(atoms[start..<comma])
                start = comma + 1
            }
            alternatives.append(atoms[start..<close])
        }
        for alternative in alternatives {
            guard braceExpand(Array(preamble) + alternative + postscript, into: &results) else { return false }
        }
        return true
    }

    /// The first `{…}` with a top-level comma (or a `{x..y}` sequence): its braces and commas.
    static func firstBraceExpression(_ atoms: [BraceAtom]) -> (Int, Int, [Int])? {
        var stack: [(open: Int, commas: [Int])] = []
        var best: (Int, Int, [Int])?
        for (index, atom) in atoms.enumerated() {
            guard case .character(let character) = atom else { continue }
            switch character {
            case "{":
                // `${` is not a brace expression (it was read as a parameter already); `{` alone is.
                stack.append((index, []))
            case ",":
                if !stack.isEmpty { stack[stack.count - 1].commas.append(index) }
            case "}":
                guard let top = stack.popLast() else { continue }
                let isSequence = top.commas.isEmpty && braceSequence(atoms[(top.open + 1)..<index]) != nil
                if !top.commas.isEmpty || isSequence {
                    if best == nil || top.open < best!.0 { best = (top.open, index, top.commas) }
                } else if let outer = stack.popLast() {
                    // An invalid inner brace's commas do not belong to it: keep the outer's.
                    stack.append(outer)
                }
            default:
                break
            }
        }
        return best
    }

    /// `{1..5}`, `{a..e}`, `{1..10..2}`: the values; `nil` when it is not a sequence.
    static func braceSequence(_ atoms: ArraySlice<BraceAtom>) -> [String]? {
        var text = ""
        for atom in atoms {
            guard case .character(let character) = atom else { return nil }
            text.append(character)
        }
        let pieces = text.components(separatedByString: "..")
        guard pieces.count == 2 || pieces.count == 3 else { return nil }
        let step = pieces.count == 3 ? Int(pieces[2]).flatMap { $0 == Int.min ? nil : abs($0) } : 1
        guard let step, step > 0 else { return nil }
        if let from = Int(pieces[0]), let to = Int(pieces[1]) {
            let (distance, overflow) = to.subtractingReportingOverflow(from)
            guard !overflow, distance != Int.min, abs(distance) / step < maximumBraceWords else {
                return Array(repeating: "", count: maximumBraceWords + 1)
            }
            return stride(from: from, through: to, by: from <= to ? step : -step).map(String.init)
        }
        if pieces[0].count == 1, pieces[1].count == 1, let from = pieces[0].unicodeScalars.first?.value,
            let to = pieces[1].unicodeScalars.first?.value, pieces[0].first!.isLetter, pieces[1].first!.isLetter
        {
            let values = stride(from: Int(from), through: Int(to), by: from <= to ? step : -step)
            return values.compactMap { UnicodeScalar(UInt32($0)).map { String(Character($0)) } }
        }
        return nil
    }

    /// Word parts from atoms: runs of characters become unquoted literals.
    static func parts(of atoms: [BraceAtom]) -> [WordPart] {
        var parts: [WordPart] = []
        var literal = ""
        for atom in atoms {
            switch atom {
            case .character(let character): literal.append(character)
            case .part(let part):
                if !literal.isEmpty {
                    parts.append(.literal(literal, quoted: false))
                    literal = ""
                }
                parts.append(part)
            }
        }
        if !literal.isEmpty { parts.append(.literal(literal, quoted: false)) }
        return parts
    }

    // MARK: Arrays

    /// `NAME=( … )`: the elements, expanded as words are (brace expansion, splitting); `nil` when the
    /// value is not an array literal.
    mutating func arrayElements(_ text: String, span: SourceSpan) -> [Value]? {
        guard text.hasPrefix("("), text.hasSuffix(")"), text.count >= 2 else { return nil }
        let inner = String(text.dropFirst().dropLast())
        guard spendAmplification(inner.utf8.count) else { return [Value("(…)", isDynamic: true)] }
        let script = ShellParser.parse(inner, nestedAt: .enclosing(span), depth: 1)
        var words: [Word] = []
        var pending = [script.command]
        while let command = pending.popLast() {
            switch command {
            case .sequence(let items): pending.append(contentsOf: items.reversed())
            case .simple(let simple):
                for assignment in simple.assignments {
                    var parts: [WordPart] = [
                        .literal(assignment.name + (assignment.appends ? "+=" : "="), quoted: true)
                    ]
                    parts += assignment.value.parts
                    words.append(Word(parts: parts, span: assignment.span))
                }
                words += simple.words
            default:
                return [Value("(…)", isDynamic: true)]
            }
        }
        var arguments: [Argument] = []
        for word in words { expand(word, into: &arguments) }
        return arguments.map(\.value)
    }

    /// Assigns an array literal (`a=(…)`, `a+=(…)`); `false` when the assignment is not one.
    mutating func assignArray(_ assignment: Assignment) -> Bool {
        guard assignment.value.parts.count == 1, case .literal(let text, quoted: false) = assignment.value.parts[0],
            let elements = arrayElements(text, span: assignment.span)
        else { return false }
        bindArray(assignment.name, elements, appends: assignment.appends, span: assignment.span)
        return true
    }

    mutating func bindArray(_ name: String, _ elements: [Value], appends: Bool, span: SourceSpan, exported: Bool? = nil)
    {
        let name = resolveNameref(name)
        var array = appends ? (shell.model.arrays[name] ?? shell[name].map { [$0] } ?? []) : []
        array += elements
        shell.model.arrays[name] = array
        // `$a` is `${a[0]}`.
        assign(name, array.first ?? Value(""), span: span, exported: exported, traced: false)
        if tracing {
            let shown = array.map { Self.abbreviated($0.text) }.joined(separator: " ")
            note(StateChange(description: "\(name)=(\(Self.abbreviated(shown))) bound", span: span))
        }
    }

    // MARK: Builtins of the value model

    /// Runs the builtins that change the value model (positional parameters, arrays, namerefs, `read`,
    /// `printf -v`, `hash`, aliases); `false` when the general builtin code should run (too).
    mutating func runModelBuiltin(
        _ arguments: [Argument], environment: Environment, input: Input, span: SourceSpan
    ) -> Bool {
        let operands = Array(arguments.dropFirst())
        switch arguments[0].text {
        case "set":
            // `set -- a b`, `set a b`: the positional parameters. Flags are handled by the general code.
            if let dashes = operands.firstIndex(where: { $0.text == "--" }) {
                setPositional(Array(operands[(dashes + 1)...]), span: span)
            } else if let first = operands.first, !first.text.hasPrefix("-"), !first.text.hasPrefix("+") {
                setPositional(operands, span: span)
            }
            return false
        case "shift":
            let count = operands.first.flatMap { Int($0.text) } ?? 1
            if let positional = shell.model.positional { shell.model.positional = Array(positional.dropFirst(count)) }
            return true
        case "hash":
            if operands.contains(where: { $0.text == "-r" }) { shell.model.hashed = [:] }
            if let flag = operands.firstIndex(where: { $0.text == "-p" }), flag + 2 < operands.count {
                let file = operands[flag + 1]
                let path = file.isDynamic ? nil : context.absolutePath(file.value, relativeTo: shell.directory)
                for name in operands[(flag + 2)...] {
                    // An unknown file: the name no longer runs what PATH finds.
                    shell.model.hashed[name.text] = path ?? file.text
                    note(StateChange(description: "hash \(name.text) → \(path ?? file.text)", span: span))
                }
            }
            return true
        case "printf":
            guard let flag = operands.firstIndex(where: { $0.text == "-v" }), flag + 2 < operands.count else {
                return false
            }
            let name = operands[flag + 1].text
            let rest = [arguments[0]] + operands[(flag + 2)...]
            if rest.contains(where: \.isDynamic) {
                assign(name, Value("$" + name, isDynamic: true), span: span)
            } else if case .text(let text, _) = Self.producedText(rest, input: .none, span: span) {
                assign(name, Value(text), span: span)
            }
            return true
        case "read":
            return read(operands, input: input, span: span)
        case "mapfile", "readarray":
            return mapfile(operands, input: input, span: span)
        case "declare", "typeset", "local", "readonly":
            return declare(operands, span: span)
        case "shopt":
            if operands.contains(where: { $0.text == "expand_aliases" }) {
                if operands.contains(where: { $0.text == "-s" }) { shell.model.expandsAliases = true }
                if operands.contains(where: { $0.text == "-u" }) { shell.model.expandsAliases = false }
            }
            return true
        case "alias":
            for operand in operands {
                guard let equals = operand.text.firstIndex(of: "="), !operand.text.hasPrefix("-") else { continue }
                let name = String(operand.text[..<equals])
                let value = String(operand.text[operand.text.index(after: equals)...])
                // bash reads a whole line before running it: the alias applies from the next line on.
                shell.model.aliases[name] = (value, endOfLine(after: span.upperBound))
                note(StateChange(description: "alias \(name)='\(Self.abbreviated(value))'", span: span))
            }
            return true
        default:
            return false
        }
    }

    mutating func setPositional(_ operands: [Argument], span: SourceSpan) {
        shell.model.positional = operands.map(\.value)
        note(
            StateChange(
                description: "set -- \(Self.abbreviated(operands.map(\.text).joined(separator: " ")))", span: span))
    }

    /// `read [-r] [-a NAME] NAMES` from a here-string or heredoc: the first line, split on IFS.
    mutating func read(_ operands: [Argument], input: Input, span: SourceSpan) -> Bool {
        guard case .text(let text, _) = input else { return false }
        var names: [String] = []
        var arrayName: String?
        var index = 0
        while index < operands.count {
            let text = operands[index].text
            if text == "-a", index + 1 < operands.count {
                arrayName = operands[index + 1].text
                index += 2
                continue
            }
            if ["-d", "-p", "-t", "-u", "-n", "-N", "-i"].contains(text) {
                index += 2
                continue
            }
            if !text.hasPrefix("-") { names.append(text) }
            index += 1
        }
        let line =
            text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        var fields = FieldBuilder(separators: fieldSeparators, span: span)
        fields.append(line, dynamic: false, split: true, makesField: false)
        let words = fields.finish().map(\.text)
        if let arrayName {
            bindArray(arrayName, words.map { Value($0) }, appends: false, span: span)
            return true
        }
        if names.isEmpty { names = ["REPLY"] }
        for (position, name) in names.enumerated() {
            let value: String
            if position == names.count - 1 {
                value = words.dropFirst(position).joined(separator: " ")
            } else {
                value = position < words.count ? words[position] : ""
            }
            assign(name, Value(value), span: span)
        }
        return true
    }

    /// `mapfile [-t] [OPTIONS] [ARRAY]` (and `readarray`) from known input: one element per line (MAPFILE
    /// when no name is given). With options that pick lines (`-n`, `-O`, `-s`, `-u`, `-d`, `-C`) the array is
    /// only known when the line runs.
    mutating func mapfile(_ operands: [Argument], input: Input, span: SourceSpan) -> Bool {
        guard case .text(let text, _) = input else { return false }
        var name = "MAPFILE"
        var index = 0
        // `-C CALLBACK`: shell code mapfile evaluates every few lines (`-c`).
        if let callback = operands.firstIndex(where: { $0.text == "-C" }), callback + 1 < operands.count {
            let code = operands[callback + 1]
            runScript(
                code.text, map: spanMap(for: code), environment: shell.exported, directory: shell.directory,
                elevated: enclosingElevation, wrappers: ["mapfile"], span: span)
        }
        while index < operands.count {
            let option = operands[index].text
            if ["-n", "-O", "-s", "-u", "-d", "-C", "-c"].contains(option) { return false }
            if !option.hasPrefix("-") { name = option }
            index += 1
        }
        let keepsNewlines = !operands.contains { $0.text == "-t" }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        bindArray(name, lines.map { Value(keepsNewlines ? $0 + "\n" : $0) }, appends: false, span: span)
        return true
    }

    /// `declare -n`, `declare -a NAME=(…)`; `false` to let the general code assign plain values.
    mutating func declare(_ operands: [Argument], span: SourceSpan) -> Bool {
        let flags = operands.filter { $0.text.hasPrefix("-") || $0.text.hasPrefix("+") }.map(\.text)
        let isNameref = flags.contains { $0.hasPrefix("-") && $0.contains("n") }
        let hasArray = operands.contains { operand in
            guard let equals = operand.text.firstIndex(of: "=") else { return false }
            return operand.text[operand.text.index(after: equals)...].hasPrefix("(")
        }
        guard isNameref || hasArray else { return false }
        let exports = flags.contains { $0.hasPrefix("-") && $0.contains("x") } ? true : nil
        for operand in operands where !operand.text.hasPrefix("-") && !operand.text.hasPrefix("+") {
            guard let (name, value) = Wrappers.assignmentParts(operand) else { continue }
            if isNameref {
                shell.model.namerefs[name] = value.text
                // `declare -n r='z[$(…)]'`: the subscript is evaluated whenever `r` is used.
                if value.text.contains("$(") || value.text.contains("`") {
                    judgeLatentCommand(name, value.text, span: span)
                }
                note(StateChange(description: "\(name) refers to \(value.text)", span: span))
            } else if let elements = value.isDynamic ? nil : arrayElements(value.text, span: operand.span) {
                bindArray(name, elements, appends: false, span: span, exported: exports)
            } else {
                assign(name, value, span: span, exported: exports)
            }
        }
        return true
    }

    /// Where the top-level line holding `offset` ends (an alias defined there applies after it).
    func endOfLine(after offset: Int) -> Int {
        guard scriptNesting == 0, offset >= 0, offset <= source.count else { return Int.max }
        var index = offset
        while index < source.count, source[index] != UInt8(ascii: "\n") { index += 1 }
        return index
    }

    /// The text an alias expands to for a command starting at `offset`, if one applies there.
    func aliasExpansion(_ word: String, at offset: Int) -> String? {
        guard shell.model.expandsAliases, scriptNesting == 0, let alias = shell.model.aliases[word],
            offset > alias.from
        else { return nil }
        return alias.value
    }

    /// `CDPATH`: a relative directory that does not start with `.` is looked up in each entry first.
    func searchCDPath(_ target: Argument, cdPath: Value) -> String? {
        guard !cdPath.isDynamic, !cdPath.text.isEmpty, !target.isDynamic, !target.text.hasPrefix("/"),
            !target.text.hasPrefix("."), target.text != "-"
        else { return nil }
        for entry in cdPath.text.split(separator: ":", omittingEmptySubsequences: false) {
            let base = entry.isEmpty ? (shell.directory ?? "") : String(entry)
            guard let path = context.absolutePath(Value(base + "/" + target.text), relativeTo: shell.directory) else {
                continue
            }
            if files.isDirectory(path) { return path }
        }
        return nil
    }

    // MARK: Functions

    mutating func define(_ name: String, _ body: Command) {
        definedFunctions.append(FunctionDefinition(name: name, body: body, cost: 64 * Self.nodeCount(of: body)))
        shell.functions[name] = definedFunctions.count - 1
    }

    /// How many nodes a command has (what a call to it costs).
    static func nodeCount(of command: Command) -> Int {
        var count = 0
        var pending = [command]
        while let next = pending.popLast() {
            count += 1
            switch next {
            case .sequence(let items), .pipeline(let items): pending += items
            case .subshell(let body, _), .forLoop(_, _, let body), .function(_, let body), .redirected(let body, _):
                pending.append(body)
            case .conditional: pending += next.conditionalParts
            case .simple, .expansions: break
            }
        }
        return count
    }

    /// A function call: its body runs in the current shell with `$1…` bound to the call's arguments.
    mutating func call(
        _ index: Int, _ arguments: [Argument], directory: String?, wrappers: [String], span: SourceSpan
    ) {
        calledFunctions.insert(index)
        let function = definedFunctions[index]
        record(
            arguments, directory: directory, ecosystem: nil, wrappers: wrappers,
            notes: ["calls the function `\(function.name)` with $@ bound to its arguments"], span: span,
            verdict: .pass)
        guard functionDepth < Self.maximumFunctionDepth, spendAmplification(function.cost) else {
            // Too deep (recursion) or too much: what the body does is not followed further.
            judgeUnreadable(span)
            return
        }
        let saved = shell.model.positional
        shell.model.positional = arguments.dropFirst().map(\.value)
        functionDepth += 1
        walk(function.body, input: .none)
        functionDepth -= 1
        shell.model.positional = saved
    }

    /// Functions defined but never called are judged once, with their arguments unknown: a function
    /// written into a command line is there to be called.
    mutating func judgeUncalledFunctions(since start: Int) {
        var index = start
        while index < definedFunctions.count {
            if !calledFunctions.contains(index) {
                calledFunctions.insert(index)
                let saved = shell
                shell.model.positional = nil
                functionDepth += 1
                if functionDepth <= Self.maximumFunctionDepth { walk(definedFunctions[index].body, input: .none) }
                functionDepth -= 1
                shell = saved
            }
            index += 1
        }
    }

    // MARK: Runners

    /// A runner whose command is built in a language toolguard does not read: ask when its text mentions
    /// a guarded program with an operation word.
    mutating func judgeHiddenCommand(_ text: Argument, program: String, span: SourceSpan) {
        let written = text.isDynamic ? writtenText(span) ?? text.text : text.text
        guard
            ShellRules.mentionsPackageOperation(
                written, programs: judge.guardedPrograms, operations: judge.operationWords)
        else { return }
        add(
            Finding(
                verdict: .ask, ecosystem: ShellRules.ecosystem, rule: ShellRules.hiddenCommand.id, span: span,
                reason: "\(program) runs a command built when it runs, and its text mentions a package manager.",
                fix: "Run the package command directly, so it can be checked."))
    }

    /// Shell code that runs in the current shell (`source /dev/stdin <<< "…"`, an alias's text).
    mutating func runInCurrentShell(_ text: String, map: ShellParser.SpanMap, span: SourceSpan) {
        guard scriptNesting < Self.maximumScriptNesting, spendAmplification(text.utf8.count) else {
            judgeUnreadable(span)
            return
        }
        let script = ShellParser.parse(text, nestedAt: map, depth: 0)
        scriptNesting += 1
        walk(script.command, input: .none)
        if let unreadable = script.unreadable { judgeUnreadable(unreadable) }
        scriptNesting -= 1
    }

    /// The PATH a login shell starts with: Debian's /etc/profile, then ~/.profile's `~/bin` and
    /// `~/.local/bin` when they exist. An activated venv's bin is not on it.
    func loginPath(_ environment: Environment) -> String {
        var path = "/usr/local/bin:/usr/bin:/bin:/usr/local/games:/usr/games"
        if let home = environment["HOME"].flatMap({ $0.isDynamic ? nil : $0.text }) ?? home {
            for directory in [home + "/bin", home + "/.local/bin"] where files.isDirectory(directory) {
                path = directory + ":" + path
            }
        }
        return path
    }
}

/// Builds the fields of one word: text accumulates in the current field; separators from unquoted
/// expansions end it.
struct FieldBuilder {
    let separators: [Character]
    let span: SourceSpan
    private var fields: [Argument] = []
    private var current = ""
    private var currentIsDynamic = false
    private var hasField = false
    /// The last separator was whitespace (a following non-whitespace separator does not add an empty field).
    private var afterWhitespace = false

    init(separators: [Character], span: SourceSpan) {
        self.separators = separators
        self.span = span
    }

    /// Fields already ended.
    var completed: Int { fields.count }
    var isTooLong: Bool { current.utf8.count > Evaluator.maximumValueLength }

    mutating func append(_ text: String, dynamic: Bool, split: Bool, makesField: Bool) {
        guard split else {
            current += text
            currentIsDynamic = currentIsDynamic || dynamic
            hasField = hasField || makesField || dynamic
            afterWhitespace = false
            return
        }
        for character in text {
            if separators.contains(character) {
                let isWhitespace = character == " " || character == "\t" || character == "\n"
                if isWhitespace {
                    if hasField { endField(force: false) }
                    afterWhitespace = true
                } else {
                    if !(afterWhitespace && !hasField) || hasField { endField(force: true) }
                    afterWhitespace = false
                }
            } else {
                current.append(character)
                hasField = true
                afterWhitespace = false
            }
        }
    }

    /// Ends the current field; `force` keeps it even when empty (`"$@"` elements, `a,,b` with IFS=,).
    mutating func endField(force: Bool) {
        if hasField || force {
            fields.append(Argument(current, isDynamic: currentIsDynamic, span: span))
        }
        current = ""
        currentIsDynamic = false
        hasField = false
    }

    mutating func finish() -> [Argument] {
        if hasField { endField(force: false) }
        return fields
    }
}

extension String {
    /// Splits on a multi-character separator (no Foundation).
    func components(separatedByString separator: String) -> [String] {
        var pieces: [String] = []
        var rest = Substring(self)
        while let range = rest.firstRange(of: separator) {
            pieces.append(String(rest[..<range.lowerBound]))
            rest = rest[range.upperBound...]
        }
        pieces.append(String(rest))
        return pieces
    }
}

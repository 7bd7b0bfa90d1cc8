/// nopt, the option parser of ``OptionStyle/nopt`` tools, over a tool's definitions: options anywhere, a
/// unique prefix of an option's name stands for it, `--no-X` negates, booleans take a following `true` or
/// `false`, an unknown `-xy`/`--xy` splits into single-letter shorthands, and a shorthand expands into
/// the arguments it stands for (`-g` → `--global`, `-s` → `--loglevel silent`).
public struct NoptDefinitions: Sendable {
    /// How nopt reads one option.
    public enum Kind: Sendable, Hashable {
        /// Boolean: takes a following `true`/`false` and nothing else.
        case flag
        /// Boolean or text (`browser`, `color`): also takes a following word it accepts.
        case flagOrText(values: Set<String>, anyText: Bool)
        /// Plain `String`: takes the next word unless it looks like an option.
        case text
        /// Any other type: takes the next word; `nullable` ones also read a following `false` as a flag.
        case value(nullable: Bool)
    }

    /// The options, by name without dashes.
    public let kinds: [String: Kind]
    /// What each shorthand, by name without dashes, expands to.
    public let shorthands: [String: [String]]
    private let names: [String]
    private let shorthandNames: [String]
    private let singleLetters: Set<Character>

    /// Creates the definitions of a tool's options.
    public init(kinds: [String: Kind], shorthands: [String: [String]]) {
        self.kinds = kinds
        self.shorthands = shorthands
        names = Array(kinds.keys)
        shorthandNames = Array(shorthands.keys)
        singleLetters = Set(shorthands.keys.filter { $0.count == 1 }.map { $0.first! })
    }

    /// A setting's value as nopt leaves it.
    public enum Value: Sendable {
        case flag(Bool)
        case text(Argument)
        case null
    }

    /// What nopt leaves of argv: the settings given, and the positionals (the command first).
    public struct Parsed: Sendable {
        /// The settings, by full name.
        public var options: [String: Value] = [:]
        /// The words that are no option or option value, in order; after `--`, every word.
        public var positionals: [Argument] = []
        /// Each setting as it was read, in order: what the last one of a name says is in ``options``.
        public var occurrences: [Occurrence] = []
        /// Parsed to stop at the first positional: it and every word after it, unread.
        public var remainder: [Argument] = []
        /// The words after `--`.
        public var afterDoubleDash: [Argument] = []
    }

    /// One setting read: its name (without dashes), its value, whether nopt knows the name, and the argument
    /// it was written in (`-g` for `--global`, `--dir=x` for `dir`, the whole of `-gD`).
    public struct Occurrence: Sendable {
        /// The full name, without dashes.
        public var key: String
        /// The value it set.
        public var value: Value
        /// Whether the definitions name it.
        public var isKnown: Bool
        /// The argument as written.
        public var written: Argument
        /// For a value read from a following word or after `=`: that value; `nil` for a boolean.
        public var valueArgument: Argument?
    }

    /// abbrev: the name `prefix` stands for — itself when it is a name, else the one name it starts.
    public static func abbreviation(_ prefix: String, among names: [String]) -> String? {
        guard !prefix.isEmpty else { return nil }
        var match: String?
        for name in names where name.hasPrefix(prefix) {
            if name == prefix { return name }
            if match != nil { return nil }
            match = name
        }
        return match
    }

    /// nopt's `resolveShort`: what a shorthand (or a run of single-letter shorthands) expands to.
    public func resolveShort(_ text: String) -> [String]? {
        let name = String(text.drop { $0 == "-" })
        guard !name.isEmpty, kinds[name] == nil else { return nil }
        if let expansion = shorthands[name] { return expansion }
        if name.allSatisfy({ singleLetters.contains($0) }) {
            return name.flatMap { shorthands[String($0)] ?? [] }
        }
        if Self.abbreviation(name, among: names) != nil { return nil }
        return Self.abbreviation(name, among: shorthandNames).flatMap { shorthands[$0] }
    }

    /// Whether a word ends the options: two dashes or more, and nothing else.
    public static func isDoubleDash(_ text: String) -> Bool { text.count >= 2 && text.allSatisfy { $0 == "-" } }

    /// nopt's parse loop. With `stopsAtFirstPositional`, reading stops at the first word that is no option
    /// nor an option's value: it and what follows are ``Parsed/remainder`` (a command's own options are
    /// read with the command's definitions).
    ///
    /// nopt splices what an option expands to into its queue; here the expansion goes on a stack that is
    /// read before the rest of argv, so a long argv of abbreviations costs linear time, not a splice each.
    public func parse(_ arguments: some Collection<Argument>, stopsAtFirstPositional: Bool = false) -> Parsed {
        let source = Array(arguments)
        var next = 0
        // Arguments to read before `source[next...]`, the next one last, each with the argument it came from.
        var pending: [(argument: Argument, origin: Argument)] = []
        func peek() -> Argument? { pending.last?.argument ?? (next < source.count ? source[next] : nil) }
        func origin() -> Argument? { pending.last?.origin ?? (next < source.count ? source[next] : nil) }
        func advance() { if pending.popLast() == nil { next += 1 } }
        func rest() -> [Argument] { pending.reversed().map(\.argument) + source[min(next, source.count)...] }
        func replaceCurrent(with arguments: [Argument], origin: Argument) {
            advance()
            pending.append(contentsOf: arguments.reversed().map { ($0, origin) })
        }
        var result = Parsed()
        func record(_ key: String, _ value: Value, written: Argument, valueArgument: Argument?) {
            result.options[key] = value
            result.occurrences.append(
                Occurrence(
                    key: key, value: value, isKnown: kinds[key] != nil, written: written, valueArgument: valueArgument))
        }
        while let argument = peek(), let written = origin() {
            var text = argument.text
            if Self.isDoubleDash(text) {
                advance()
                result.afterDoubleDash = rest()
                result.positionals += result.afterDoubleDash
                break
            }
            guard text.hasPrefix("-"), text.count > 1 else {
                if stopsAtFirstPositional {
                    result.remainder = rest()
                    result.positionals.append(argument)
                    break
                }
                result.positionals.append(argument)
                advance()
                continue
            }
            var hadEquals = false
            if let equals = text.firstIndex(of: "=") {
                hadEquals = true
                let name = Argument(String(text[..<equals]), isDynamic: argument.isDynamic, span: argument.span)
                let value = Argument(
                    String(text[text.index(after: equals)...]), isDynamic: argument.isDynamic, span: argument.span)
                replaceCurrent(with: [name, value], origin: written)
                text = name.text
            }
            if let expansion = resolveShort(text) {
                replaceCurrent(with: expansion.map { Argument($0, span: argument.span) }, origin: written)
                if text != expansion[0] { continue }
            }
            var key = String(text.drop { $0 == "-" })
            var negated: Bool?
            while key.lowercased().hasPrefix("no-") {
                negated = !(negated ?? false)
                key = String(key.dropFirst(3))
            }
            if let full = Self.abbreviation(key, among: names) { key = full }
            let kind = kinds[key]
            advance()
            var lookahead = peek()
            var isFlag = negated != nil || (kind == nil && !hadEquals)
            switch kind {
            case .flag?, .flagOrText?: isFlag = true
            case .value(nullable: true)? where lookahead?.text == "false": isFlag = true
            default: break
            }
            if isFlag {
                var value = Value.flag(!(negated ?? false))
                var valueArgument: Argument?
                if let word = lookahead, word.text == "true" || word.text == "false" {
                    value = .flag((word.text == "true") != (negated == true))
                    valueArgument = word
                    advance()
                    lookahead = nil
                }
                if case .flagOrText(let accepted, let anyText)? = kind, let word = lookahead {
                    let looksLikeOption =
                        word.text.hasPrefix("-") && word.text.dropFirst().first.map { $0 != "-" } == true
                    if accepted.contains(word.text) || anyText && !looksLikeOption {
                        value = .text(word)
                        valueArgument = word
                        advance()
                    }
                }
                record(key, value, written: written, valueArgument: valueArgument)
                continue
            }
            if case .text? = kind, let word = lookahead?.text {
                let dashes = word.prefix { $0 == "-" }.count
                if (1...2).contains(dashes), word.count > dashes { lookahead = nil }
            }
            if let word = lookahead?.text, Self.isDoubleDash(word) { lookahead = nil }
            if let lookahead {
                record(key, .text(lookahead), written: written, valueArgument: lookahead)
                advance()
            } else if case .text? = kind {
                record(key, .text(Argument("", span: argument.span)), written: written, valueArgument: nil)
            } else {
                record(key, .flag(true), written: written, valueArgument: nil)
            }
        }
        return result
    }
}

/// How a nopt tool finds its command (its command list's `deref`): camelCase read as kebab-case, then the
/// command, an alias, or a unique prefix of any command or alias word (an alias of an alias followed).
public struct NoptCommands: Sendable {
    /// The commands.
    public let commands: Set<String>
    /// Alias → what it stands for.
    public let aliases: [String: String]
    private let words: [String]

    /// Creates a command table.
    public init(commands: Set<String>, aliases: [String: String]) {
        self.commands = commands
        self.aliases = aliases
        words = Array(commands) + Array(aliases.keys)
    }

    /// The command a word names, if any.
    public func command(_ word: String) -> String? {
        var name = ""
        for character in word {
            if character.isUppercase { name += "-" + character.lowercased() } else { name.append(character) }
        }
        if commands.contains(name) { return name }
        if let alias = aliases[name] { return alias }
        guard var resolved = NoptDefinitions.abbreviation(name, among: words) else { return nil }
        while let alias = aliases[resolved] { resolved = alias }
        return resolved
    }
}

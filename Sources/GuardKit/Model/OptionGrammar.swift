/// A command's options, described once and parsed the way its CLI library does.
///
/// It covers what the package managers' parsers have in common: short options that bundle (`-qv`)
/// and take attached or separate values (`-tDIR`, `-t DIR`), long options with `=` or a separate value,
/// unique-prefix abbreviations where the library allows them (optparse, OptionParser, nopt), `--` ending
/// the options, and either stopping at the first operand (a command name) or reading options anywhere.
public struct OptionGrammar: Sendable {
    /// One option and its spellings.
    public struct Option: Sendable {
        /// Every spelling, short (`-t`) and long (`--target`); the last long one is the canonical name.
        public let spellings: [String]
        /// Whether it takes a value.
        public let takesValue: Bool
        /// Whether its value is optional and, when not attached, taken from the next word only when that word
        /// does not look like an option (Ruby OptionParser's `--file [FILE]`).
        public let valueIsOptional: Bool

        /// The name findings and lookups use: the last long spelling, else the first.
        public let name: String

        /// Creates an option.
        public init(_ spellings: String..., value: Bool = false, optionalValue: Bool = false) {
            self.init(spellings: spellings, value: value, optionalValue: optionalValue)
        }

        /// Creates an option from a list of spellings.
        public init(spellings: [String], value: Bool = false, optionalValue: Bool = false) {
            self.spellings = spellings
            self.takesValue = value || optionalValue
            self.valueIsOptional = optionalValue
            // Stored, not computed: every option found is looked up by it.
            name = spellings.last { $0.hasPrefix("--") } ?? spellings[0]
        }

        /// Whether `argument` may be this option's separate value.
        func accepts(_ argument: Argument) -> Bool {
            !valueIsOptional || !(argument.text.hasPrefix("-") && argument.text.count > 1)
        }
    }

    /// Every option the command knows (needed to tell unique prefixes from ambiguous ones).
    public let options: [Option]
    /// Whether a unique prefix of a long option stands for it (`--tar` → `--target`).
    public let allowsAbbreviations: Bool
    /// Whether the first operand ends the options (pip's general options before the command).
    public let stopsAtFirstOperand: Bool
    /// Whether a long option that matches no spelling exactly matches one ignoring case (Ruby's OptionParser).
    public let ignoresCase: Bool

    private let bySpelling: [String: Int]
    private let longSpellings: [(String, Int)]

    /// Creates a grammar.
    public init(
        _ options: [Option], abbreviations: Bool = false, stopsAtFirstOperand: Bool = false, ignoringCase: Bool = false
    ) {
        self.options = options
        self.allowsAbbreviations = abbreviations
        self.ignoresCase = ignoringCase
        self.stopsAtFirstOperand = stopsAtFirstOperand
        var bySpelling: [String: Int] = [:]
        var longSpellings: [(String, Int)] = []
        for (index, option) in options.enumerated() {
            for spelling in option.spellings {
                bySpelling[spelling] = index
                if spelling.hasPrefix("--") { longSpellings.append((spelling, index)) }
            }
        }
        self.bySpelling = bySpelling
        self.longSpellings = longSpellings
    }

    /// This grammar with more options (a command's own added to the general ones).
    public func adding(_ more: [Option], stopsAtFirstOperand: Bool = false) -> OptionGrammar {
        OptionGrammar(
            options + more, abbreviations: allowsAbbreviations, stopsAtFirstOperand: stopsAtFirstOperand,
            ignoringCase: ignoresCase)
    }

    /// The option a long spelling stands for: exact, or a unique prefix when abbreviations are allowed.
    public func longOption(_ spelling: String) -> Option? {
        if let index = bySpelling[spelling] { return options[index] }
        let spelling = ignoresCase ? spelling.lowercased() : spelling
        if ignoresCase, let (_, index) = longSpellings.first(where: { $0.0.lowercased() == spelling }) {
            return options[index]
        }
        guard allowsAbbreviations else { return nil }
        var match: Int?
        for (candidate, index) in longSpellings
        where (ignoresCase ? candidate.lowercased() : candidate).hasPrefix(spelling) {
            // The same option declared twice (a general option a command repeats) is one option.
            if let match, match != index, options[match].name != options[index].name { return nil }
            match = index
        }
        return match.map { options[$0] }
    }

    /// Parses `arguments`.
    public func parse(_ arguments: some Collection<Argument>) -> ParsedOptions {
        var result = ParsedOptions()
        let arguments = Array(arguments)
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            let text = argument.text
            if text == "--" {
                result.afterDoubleDash = Array(arguments[(index + 1)...])
                result.operands.append(contentsOf: arguments[(index + 1)...])
                return result
            }
            if argument.isDynamic, text.hasPrefix("$") || !text.hasPrefix("-") {
                // An unknown word could be an option or an operand; it is kept as an operand.
                result.operands.append(argument)
                if stopsAtFirstOperand {
                    result.remainder = Array(arguments[index...])
                    return result
                }
                index += 1
                continue
            }
            if text.hasPrefix("--"), text.count > 2 {
                let (spelling, attached) = Self.splitAttached(text)
                if let option = longOption(spelling) {
                    var value: Argument?
                    if option.takesValue {
                        if let attached {
                            value = Argument(attached, isDynamic: argument.isDynamic, span: argument.span)
                        } else if index + 1 < arguments.count, option.accepts(arguments[index + 1]) {
                            value = arguments[index + 1]
                            index += 1
                        }
                    }
                    result.found.append(ParsedOptions.Found(name: option.name, value: value, written: argument))
                } else {
                    result.unknown.append(argument)
                }
            } else if text.hasPrefix("-"), text.count > 1 {
                var letters = Substring(text.dropFirst())
                while let letter = letters.first {
                    letters = letters.dropFirst()
                    guard let optionIndex = bySpelling["-" + String(letter)] else {
                        result.unknown.append(argument)
                        break
                    }
                    let option = options[optionIndex]
                    if option.takesValue {
                        var value: Argument?
                        if !letters.isEmpty {
                            let attached = letters.hasPrefix("=") ? letters.dropFirst() : letters
                            value = Argument(String(attached), isDynamic: argument.isDynamic, span: argument.span)
                        } else if index + 1 < arguments.count, option.accepts(arguments[index + 1]) {
                            value = arguments[index + 1]
                            index += 1
                        }
                        result.found.append(ParsedOptions.Found(name: option.name, value: value, written: argument))
                        break
                    }
                    result.found.append(ParsedOptions.Found(name: option.name, value: nil, written: argument))
                }
            } else {
                result.operands.append(argument)
                if stopsAtFirstOperand {
                    result.remainder = Array(arguments[index...])
                    return result
                }
            }
            index += 1
        }
        return result
    }

    static func splitAttached(_ text: String) -> (String, String?) {
        guard let equals = text.firstIndex(of: "=") else { return (text, nil) }
        return (String(text[..<equals]), String(text[text.index(after: equals)...]))
    }
}

/// What `OptionGrammar.parse` found.
public struct ParsedOptions: Sendable {
    /// One option as found, under its canonical name.
    public struct Found: Sendable {
        /// The canonical name (`--target` for `-t`, `--tar`, `--target=x`).
        public let name: String
        /// Its value, for an option that takes one.
        public let value: Argument?
        /// The argument it was written in.
        public let written: Argument
    }

    /// Options in the order written.
    public var found: [Found] = []
    /// Operands (for a grammar that stops at the first operand: just that one).
    public var operands: [Argument] = []
    /// From the first operand on, for a grammar that stops there.
    public var remainder: [Argument] = []
    /// What came after `--`.
    public var afterDoubleDash: [Argument] = []
    /// Options the grammar does not know (or ambiguous abbreviations).
    public var unknown: [Argument] = []

    /// Whether the option was given.
    public func has(_ name: String) -> Bool { found.contains { $0.name == name } }
    /// The option's last value.
    public func value(_ name: String) -> Argument? { found.last { $0.name == name }?.value }
    /// All of the option's values, in order.
    public func values(_ name: String) -> [Argument] { found.filter { $0.name == name }.compactMap(\.value) }
    /// The first option of `names` given, last occurrence wins.
    public func last(of names: Set<String>) -> Found? { found.last { names.contains($0.name) } }
}

/// Writes words back as shell text, for fixes that a person or agent can paste.
public enum Quoting {
    /// Bytes that never need quoting (compared as bytes: every fix and explanation quotes its words).
    private static func isPlain(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "@"), UInt8(ascii: "%"),
            UInt8(ascii: "+"), UInt8(ascii: "="), UInt8(ascii: ":"), UInt8(ascii: ","), UInt8(ascii: "."),
            UInt8(ascii: "/"), UInt8(ascii: "-"):
            true
        default: false
        }
    }

    /// One word, quoted only when it needs to be: `requests`, `'requests>=2'`, `'it'\''s'`.
    public static func word(_ text: String) -> String {
        if !text.isEmpty, text.utf8.allSatisfy(isPlain), text.utf8.first != UInt8(ascii: "=") { return text }
        return "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// A command from its words.
    public static func command(_ words: [String]) -> String {
        words.map(word).joined(separator: " ")
    }

    /// An argument: static text is quoted as needed; a dynamic one is written in double quotes so its
    /// expansion still happens (`"$PKG"`).
    public static func argument(_ argument: Argument) -> String {
        guard argument.isDynamic else { return word(argument.text) }
        let escaped = argument.text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(
            of: "\"", with: "\\\"")
        return "\"" + escaped + "\""
    }
}

extension String {
    /// Replaces every occurrence of `target` (no Foundation in GuardKit).
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        guard !target.isEmpty, contains(target) else { return self }
        var result = ""
        var rest = self[...]
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        result += rest
        return result
    }
}

/// Writes words back as shell text, for fixes that a person or agent can paste.
public enum Quoting {
    /// Bytes that never need quoting.
    private static func isPlain(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber || "_@%+=:,./-".contains(character))
    }

    /// One word, quoted only when it needs to be: `requests`, `'requests>=2'`, `'it'\''s'`.
    public static func word(_ text: String) -> String {
        if !text.isEmpty, text.allSatisfy(isPlain), !text.hasPrefix("=") { return text }
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

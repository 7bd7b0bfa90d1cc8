/// One setting read from a flat TOML settings file (bunfig.toml, poetry's config.toml): enough TOML for
/// the files package managers write, not a TOML parser.
public enum TOMLSetting {
    /// The value of `key` under `[table]` (or of `table.key` at the top), as written, quotes and a trailing
    /// comment removed; the last one wins. `nil` when the file does not set it.
    public static func value(_ bytes: [UInt8], table: String, key: String) -> String? {
        let wanted = table + "." + key
        var section: Substring = ""
        var value: String?
        for line in String(decoding: bytes, as: UTF8.self).split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            let line = trimmed(line)
            if line.hasPrefix("[") {
                section = trimmed(line.dropFirst().prefix { $0 != "]" })
                continue
            }
            guard let equals = line.firstIndex(of: "=") else { continue }
            let name = line[..<equals].split(separator: ".").map { String(unquoted($0)) }.joined(separator: ".")
            let full = section.isEmpty ? name : section + "." + name
            guard full == wanted else { continue }
            var text = trimmed(line[line.index(after: equals)...])
            if let first = text.first, first == "\"" || first == "'" {
                // A quoted string ends at its closing quote; a `#` inside it is no comment.
                let body = text.dropFirst()
                text = body.prefix { $0 != first }
            } else if let hash = text.firstIndex(of: "#") {
                text = trimmed(text[..<hash])
            }
            value = String(text)
        }
        return value
    }

    static func trimmed(_ text: Substring) -> Substring {
        var text = text
        while let first = text.first, first == " " || first == "\t" { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\t" { text = text.dropLast() }
        return text
    }

    static func unquoted(_ text: Substring) -> Substring {
        let text = trimmed(text)
        guard text.count >= 2, let first = text.first, first == "\"" || first == "'", text.last == first else {
            return text
        }
        return text.dropFirst().dropLast()
    }
}

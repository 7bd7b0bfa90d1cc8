/// One top-level setting read from a flat YAML settings file (RubyGems' `.gemrc`, Bundler's `config`):
/// `key: value` lines, enough YAML for the files these tools write, not a YAML parser.
public enum YAMLSetting {
    /// The value of the top-level `key` (also written `:key`), as written, one pair of quotes and a trailing
    /// comment removed; the last one wins. `nil` when the file does not set it.
    public static func value(_ bytes: [UInt8], key: String) -> String? {
        var value: String?
        for line in String(decoding: bytes, as: UTF8.self).split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            // Indented lines belong to a nested mapping or a list.
            guard let first = line.first, first != " ", first != "\t", first != "#",
                let colon = line.firstIndex(of: ":") == line.startIndex
                    ? line.dropFirst().firstIndex(of: ":") : line.firstIndex(of: ":")
            else { continue }
            var name = unquoted(line[..<colon])
            if name.hasPrefix(":") { name = name.dropFirst() }
            guard name == key else { continue }
            var text = trimmed(line[line.index(after: colon)...])
            if let quote = text.first, quote == "\"" || quote == "'" {
                text = text.dropFirst().prefix { $0 != quote }
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
        if text.count >= 2, let first = text.first, first == text.last, first == "\"" || first == "'" {
            return text.dropFirst().dropLast()
        }
        return text
    }
}

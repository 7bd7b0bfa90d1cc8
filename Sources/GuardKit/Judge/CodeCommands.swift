/// Commands interpreter code hands to the system, written as string literals: `os.system("bash setup.sh")`,
/// `subprocess.run(["npm", "run", "setup"])`, `require('child_process').execSync('make install')`,
/// `system("…")`, `` `…` ``, `%x(…)`, `qx(…)`. They are judged as command lines typed in the same place, so
/// what they run is followed like anything else (a script, a makefile, a package script), beyond the words
/// the inline-code scan looks for.
extension ShellRules {
    /// Calls whose first argument (a string, or a list of strings) is a command line or an argv: Python's
    /// os and subprocess, Node's child_process, Ruby's, Perl's and PHP's. `exec` counts only as a method
    /// (`child_process.exec`), since Python's bare `exec` runs Python.
    static let commandAPIs: Set<String> = [
        "system", "popen", "Popen", "run", "call", "check_call", "check_output", "getoutput", "getstatusoutput",
        "execSync", "execFileSync", "spawn", "spawnSync", "execFile", "execa", "execaSync", "shell_exec", "passthru",
        "proc_open", "capture2", "capture2e", "capture3", "popen3", "spawnv", "spawnvp", "execvp", "execv",
    ]

    /// Interpreters in which a backtick string runs a command.
    static let backtickLanguages: Set<String> = ["ruby", "perl", "php"]

    /// At most this many commands are taken from one program's code.
    static let maximumCodeCommands = 16

    /// The command lines in `code`, as shell text (an argv is written out with each word quoted).
    static func commandLines(inCode code: String, backticksRunCommands: Bool) -> [String] {
        let bytes = Array(code.utf8)
        var commands: [String] = []
        var index = 0
        func skipBlanks() { while index < bytes.count, bytes[index] == .space || bytes[index] == .tab { index += 1 } }
        while index < bytes.count, commands.count < maximumCodeCommands {
            let byte = bytes[index]
            // Backticks and %x(…) / qx(…) run their text through a shell in Ruby, Perl and PHP (in JavaScript
            // and Python a backtick is no command).
            if byte == UInt8(ascii: "`"), backticksRunCommands {
                if let (text, next) = literal(bytes, at: index) {
                    commands.append(text)
                    index = next
                } else {
                    index += 1
                }
                continue
            }
            if (byte == UInt8(ascii: "%") && index + 2 < bytes.count && bytes[index + 1] == UInt8(ascii: "x"))
                || (byte == UInt8(ascii: "q") && index + 2 < bytes.count && bytes[index + 1] == UInt8(ascii: "x")
                    && (index == 0 || !isIdentifierByte(bytes[index - 1])))
            {
                let open = bytes[index + 2]
                let close: UInt8? =
                    switch open {
                    case .openParen: .closeParen
                    case .openBrace: .closeBrace
                    case UInt8(ascii: "["): UInt8(ascii: "]")
                    case UInt8(ascii: "|"), UInt8(ascii: "!"): open
                    default: nil
                    }
                if let close, let end = bytes[(index + 3)...].firstIndex(of: close) {
                    commands.append(String(decoding: bytes[(index + 3)..<end], as: UTF8.self))
                    index = end + 1
                    continue
                }
            }
            guard isIdentifierByte(byte), index == 0 || !isIdentifierByte(bytes[index - 1]) else {
                index += 1
                continue
            }
            let start = index
            while index < bytes.count, isIdentifierByte(bytes[index]) { index += 1 }
            let name = String(decoding: bytes[start..<index], as: UTF8.self)
            let isMethod = start > 0 && bytes[start - 1] == UInt8(ascii: ".")
            guard commandAPIs.contains(name) || (name == "exec" && isMethod) else { continue }
            skipBlanks()
            let parenthesized = index < bytes.count && bytes[index] == .openParen
            if parenthesized { index += 1 }
            skipBlanks()
            guard index < bytes.count else { break }
            if let (text, next) = literal(bytes, at: index) {
                index = next
                // `spawn('npm', ['i', '-g', 'x'])`: a program, then its arguments.
                skipBlanks()
                if index < bytes.count, bytes[index] == UInt8(ascii: ","), parenthesized {
                    index += 1
                    skipBlanks()
                    if let (words, after) = list(bytes, at: index) {
                        commands.append(([text] + words).map(quoted).joined(separator: " "))
                        index = after
                        continue
                    }
                }
                commands.append(text)
            } else if let (words, next) = list(bytes, at: index), !words.isEmpty {
                commands.append(words.map(quoted).joined(separator: " "))
                index = next
            }
        }
        return commands
    }

    /// A string literal starting at `index` (`'…'`, `"…"`, `` `…` ``, with Python's `r`/`f`/`b` prefixes
    /// already behind): its text with backslash escapes taken out, and the index after it.
    private static func literal(_ bytes: [UInt8], at start: Int) -> (String, Int)? {
        var index = start
        // Python's string prefixes (r"…", f"…", b"…").
        while index < bytes.count, index - start < 2,
            [UInt8(ascii: "r"), UInt8(ascii: "f"), UInt8(ascii: "b"), UInt8(ascii: "u")].contains(bytes[index] | 0x20)
        {
            index += 1
        }
        guard index < bytes.count else { return nil }
        let quote = bytes[index]
        guard quote == .singleQuote || quote == .doubleQuote || quote == UInt8(ascii: "`") else { return nil }
        var text: [UInt8] = []
        index += 1
        while index < bytes.count {
            let byte = bytes[index]
            if byte == quote { return (String(decoding: text, as: UTF8.self), index + 1) }
            if byte == .backslash, index + 1 < bytes.count {
                let next = bytes[index + 1]
                text.append(next == UInt8(ascii: "n") ? .newline : next == UInt8(ascii: "t") ? .tab : next)
                index += 2
                continue
            }
            text.append(byte)
            index += 1
        }
        return nil
    }

    /// A list of string literals (`["pip", "install", "x"]`, Ruby's `%w[…]` not included); `nil` when an
    /// item is not a literal (a variable), so the command is not known.
    private static func list(_ bytes: [UInt8], at start: Int) -> ([String], Int)? {
        guard start < bytes.count, bytes[start] == UInt8(ascii: "[") else { return nil }
        var index = start + 1
        var words: [String] = []
        while index < bytes.count {
            while index < bytes.count, [.space, .tab, .newline, UInt8(ascii: ",")].contains(bytes[index]) {
                index += 1
            }
            guard index < bytes.count else { return nil }
            if bytes[index] == UInt8(ascii: "]") { return (words, index + 1) }
            guard let (word, next) = literal(bytes, at: index) else { return nil }
            words.append(word)
            index = next
        }
        return nil
    }

    private static func quoted(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    private static func isIdentifierByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"):
            true
        default: false
        }
    }
}

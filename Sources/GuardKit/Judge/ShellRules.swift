/// The reader's own rules: the ones that need no ecosystem knowledge.
public enum ShellRules {
    /// The ecosystem id the reader's findings carry.
    public static let ecosystem = "shell"
    /// One line on what the reader's own rules guard, for `toolguard rules`.
    public static let summary =
        "The reader's own rules: what cannot be read before it runs, and package managers run as root."

    /// A dynamic command word whose arguments look like a package operation.
    public static let dynamicCommand = Rule(
        id: "shell.dynamic-command", verdict: .ask,
        summary:
            "The command word is only known when the line runs, and its arguments look like a package operation.")
    /// Text piped into a shell that toolguard cannot see.
    public static let pipedScript = Rule(
        id: "shell.piped-script", verdict: .ask,
        summary: "Text piped into a shell runs as commands that cannot be read before they run.")
    /// Inline interpreter code that visibly runs a package manager.
    public static let inlineCode = Rule(
        id: "shell.inline-code", verdict: .ask,
        summary: "Inline code runs a package manager in a way that cannot be judged statically.")
    /// Malformed input whose unreadable rest mentions a guarded tool.
    public static let unreadable = Rule(
        id: "shell.unreadable", verdict: .ask,
        summary: "Part of the line cannot be read, and that part mentions a package manager.")
    /// A project-local package operation run with elevated privileges.
    public static let elevated = Rule(
        id: "shell.elevated", verdict: .block,
        summary: "Running a package manager as root makes whatever it installs system-wide.")

    /// A runner whose command is built in a language toolguard does not read, mentioning a package manager.
    public static let hiddenCommand = Rule(
        id: "shell.hidden-command", verdict: .ask,
        summary:
            "A program runs a command that cannot be seen in the line, and the text mentions a package manager.")

    /// Every rule of the reader.
    public static let all = [dynamicCommand, pipedScript, inlineCode, unreadable, elevated, hiddenCommand]

    /// The code with the contents of its quoted string literals removed.
    static func outsideStringLiterals(_ code: String) -> String {
        var result = ""
        var quote: Character?
        var escaped = false
        for character in code {
            if let open = quote {
                if escaped {
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else if character == open {
                    quote = nil
                    result.append(character)
                }
                continue
            }
            if character == "\"" || character == "'" { quote = character }
            result.append(character)
        }
        return result
    }

    /// Whether text names a guarded program with one of the modules' operation words close after it
    /// (`<program> install`): what makes a command that cannot be read worth asking about.
    static func mentionsPackageOperation(_ text: String, programs: Set<String>, operations: Set<String>) -> Bool {
        let words = tokens(text)
        for (index, word) in words.enumerated() where programs.contains(ProgramName.normalize(String(word))) {
            let window = words[(index + 1)..<min(words.count, index + 7)]
            if window.contains(where: { operations.contains(String($0)) }) { return true }
        }
        return false
    }

    /// Interpreters that take inline code and that no ecosystem module speaks for, with the options that
    /// introduce it: code runners whose code may start any package manager. The modules name their own
    /// (``Ecosystem/inlineCodeOptions``).
    static let otherInterpreters: [String: Set<String>] = ["perl": ["-e", "-E"], "php": ["-r"]]

    /// Splits text into the tokens a program name or an operation word could be.
    static func tokens(_ text: String) -> [Substring] {
        text.split { character in
            !(character.isLetter || character.isNumber || character == "-" || character == "_" || character == "."
                || character == "+")
        }
    }

    /// Whether code joins two string literals (`"p" + "ip"`, `'p'.'ip'`): a closing quote, then `+` or `.`,
    /// then an opening quote, spaces between allowed.
    static func joinsLiterals(_ code: String) -> Bool {
        let bytes = Array(code.utf8)
        let quotes: Set<UInt8> = [.singleQuote, .doubleQuote, UInt8(ascii: "`")]
        var index = 0
        while index < bytes.count {
            defer { index += 1 }
            guard quotes.contains(bytes[index]) else { continue }
            var next = index + 1
            while next < bytes.count, bytes[next] == UInt8(ascii: " ") { next += 1 }
            guard next < bytes.count, bytes[next] == UInt8(ascii: "+") || bytes[next] == UInt8(ascii: ".") else {
                continue
            }
            next += 1
            while next < bytes.count, bytes[next] == UInt8(ascii: " ") { next += 1 }
            if next < bytes.count, quotes.contains(bytes[next]) { return true }
        }
        return false
    }

    /// Names through which code starts another program (or runs pip in-process): `os.system`,
    /// `subprocess.run`, `child_process.execSync`, Ruby's `system`, `pip.main`, `runpy.run_module` …
    static let processAPIs: Set<String> = [
        "system", "popen", "Popen", "subprocess", "check_call", "check_output", "call", "run", "exec", "execv",
        "execvp", "execSync", "execFileSync", "execFile", "spawn", "spawnSync", "child_process", "execa", "getoutput",
        "getstatusoutput", "main", "runpy", "run_module", "Open3", "capture2", "capture3", "shell_exec", "passthru",
        "proc_open", "Command", "ProcessBuilder", "Deno.Command", "Bun.spawn", "\u{60}",
    ]

    /// Whether code visibly runs one of `programs` with an operation word close after it, through an API
    /// that starts a program: `os.system("pip install x")` does, `print("pip install x")` does not.
    static func codeRunsPackageManager(
        _ code: String, programs: Set<String>, operations: Set<String>, arguments: [String] = []
    ) -> Bool {
        let words = tokens(code)
        // An API named inside a string literal (`puts "run: gem install rails"`) starts nothing.
        let startsPrograms =
            code.contains("`") || code.contains("%x") || code.contains("qx")
            || tokens(outsideStringLiterals(code)).contains { word in
                processAPIs.contains(String(word))
                    || word.split(separator: ".").contains { processAPIs.contains(String($0)) }
            }
        guard startsPrograms else { return false }
        for (index, word) in words.enumerated()
        where programs.contains(ProgramName.normalize(String(word)))
            || (word.contains(".") && programs.contains(String(word.prefix { $0 != "." })))
        {
            let window = words[(index + 1)..<min(words.count, index + 7)]
            if window.contains(where: { operations.contains(String($0)) }) { return true }
        }
        // A command built from pieces (`"p" + "ip"`, `"np".concat("m")`, `'p'.'ip'`) hides the program's name;
        // with an operation word in the code or its arguments, what it starts may be a package manager.
        let buildsNames = joinsLiterals(code) || code.contains(".join(") || code.contains(".concat(")
        let operationWords = operations.filter { $0.count >= 4 }
        return buildsNames
            && (words.contains { operationWords.contains(String($0)) }
                || arguments.contains(where: operationWords.contains))
    }
}

/// Program names as the dispatcher compares them.
public enum ProgramName {
    /// The base name without a version suffix or `.exe`: `pip3.12` → `pip`, `python3.13t` → `python`,
    /// `pip-3.12` → `pip`, `/usr/bin/python3` → `python`.
    public static func normalize(_ word: String) -> String {
        var name = Paths.basename(word)
        let bytes = name.utf8
        // Most command words (`git`, `ls`, `npm`) end in a letter and carry nothing to strip.
        guard let last = bytes.last,
            last.isDigit || last == UInt8(ascii: ".") || last == UInt8(ascii: "t")
                || last == UInt8(ascii: "e") || last == UInt8(ascii: "E") || last == UInt8(ascii: "-")
        else { return name }
        if name.lowercased().hasSuffix(".exe") { name = String(name.dropLast(4)) }
        var core = Array(name.utf8)
        let original = core.count
        if core.last == UInt8(ascii: "t"), core.count > 1, core[core.count - 2].isDigit { core.removeLast() }
        while let byte = core.last, byte.isDigit || byte == UInt8(ascii: ".") { core.removeLast() }
        if core.count < original, core.last == UInt8(ascii: "-") { core.removeLast() }
        return core.isEmpty || core.count == original ? name : String(decoding: core, as: UTF8.self)
    }
}

// MARK: Interpreter code that changes files (self-protection, SPEC §8)

extension ShellRules {
    /// Names through which interpreter code writes, moves, removes or changes the mode of a file, or starts
    /// a program that could: Python's `os`/`shutil`/`pathlib`, Node's `fs`, Ruby's `File`/`FileUtils`,
    /// Perl's builtins.
    static let fileChangingAPIs: Set<String> = [
        "write_text", "write_bytes", "unlink", "remove", "removedirs", "rmdir", "rmtree", "rename", "renames",
        "chmod", "lchmod", "chown", "lchown", "chflags", "truncate", "ftruncate", "symlink", "link", "copy", "copy2",
        "copyfile", "copytree", "copymode", "move", "writeFileSync", "writeFile", "appendFile", "appendFileSync",
        "unlinkSync", "rmSync", "rmdirSync", "renameSync", "chmodSync", "chownSync", "copyFileSync", "cpSync",
        "truncateSync", "symlinkSync", "linkSync", "createWriteStream", "rm", "rm_rf", "rm_r", "rm_f", "mv", "cp",
        "cp_r", "ln_s", "ln_sf", "binwrite", "delete", "sysopen", "install", "touch", "utime",
    ]

    /// Ways code opens a file, which write when a writing mode is given.
    static let openAPIs = ["open(", "open ", "fopen", "File.open", "File.new", "openSync", "IO.write", "File.write"]

    /// Ways code names the home directory or its own arguments: a path built from them is dynamic.
    static let dynamicPathAPIs = [
        "expanduser", "Path.home", "homedir", "environ", "getenv", "process.env", "ENV[", "$ENV{", "Dir.home",
        "argv", "ARGV", "os.path.join", "path.join", "File.join", "expand_path",
    ]

    /// Whether code may write, move, remove or change the mode of a file (or start a program).
    static func codeChangesFiles(_ code: String) -> Bool {
        for word in tokens(code) {
            for part in word.split(separator: ".") {
                let name = String(part)
                if fileChangingAPIs.contains(name) || processAPIs.contains(name) { return true }
            }
        }
        if code.contains("`") || code.contains("os.replace") { return true }
        guard openAPIs.contains(where: { code.contains($0) }) else { return false }
        if openAPIs.contains(where: { $0.hasSuffix("write") && code.contains($0) }) { return true }
        return stringLiterals(code).contains { literal in
            isWritingMode(literal) || literal.hasPrefix(">") || literal.hasPrefix("+<") || literal.hasPrefix("+>")
        }
    }

    /// `'w'`, `"a+"`, `'wb'`, `"r+"`, `'x'`: an `open` mode that writes.
    static func isWritingMode(_ literal: String) -> Bool {
        !literal.isEmpty && literal.count <= 3 && literal.allSatisfy({ "rwxabt+".contains($0) })
            && literal.contains(where: { "wax+".contains($0) })
    }

    /// Whether code builds paths from the home directory, the environment or its arguments.
    static func codeBuildsPaths(_ code: String) -> Bool {
        dynamicPathAPIs.contains { code.contains($0) }
    }

    /// The string literals in code (`'…'`, `"…"`, `` `…` ``), without their quotes; a backslash escapes the next
    /// character. Linear in the code's length.
    static func stringLiterals(_ code: String) -> [String] {
        var literals: [String] = []
        var quote: Character?
        var current = ""
        var escaped = false
        for character in code {
            if let open = quote {
                if escaped {
                    current.append(character)
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else if character == open {
                    literals.append(current)
                    current = ""
                    quote = nil
                } else {
                    current.append(character)
                }
            } else if character == "'" || character == "\"" || character == "`" {
                quote = character
            }
        }
        return literals
    }
}

// MARK: Text judged by its words alone (past a limit)

extension ShellRules {
    /// Finds, in text too long or too strange to read as shell, the first token that names one of `programs`
    /// and the first of `substrings` it contains once quotes and backslashes are taken out (`"to"ol'guard'`
    /// is still `toolguard`). One pass over the bytes: this runs on what was left of a megabyte line when
    /// the time to read it ran out, so it must cost little more than reading it.
    ///
    /// Tokens are runs of ASCII letters, digits and `-_.+`: anything else, non-ASCII bytes included, ends a
    /// token, so that `“pip”` in typographic quotes still shows `pip`.
    struct WordScan {
        let programs: Set<String>
        let words: Set<String>
        let substrings: [[UInt8]]
        /// For each first byte, one bit per length (up to 63) of the names starting with it: most tokens
        /// cost one look-up and no string.
        private let lengthsByFirstByte: [UInt64]
        /// The substrings by their first two bytes (one-byte ones under their only byte), so that each
        /// position of the text is compared with the few that could start there.
        private let substringsByStart: [Int: [Int]]
        /// One bit per pair of first bytes that some substring starts with: most positions stop here.
        private let startsSubstring: [UInt64]
        private let shortSubstrings: [Int]

        init(programs: Set<String>, words: Set<String>, substrings: [String]) {
            self.programs = programs
            self.words = words
            let substrings = substrings.map { Array($0.utf8) }.filter { !$0.isEmpty }
            self.substrings = substrings
            var lengths = [UInt64](repeating: 0, count: 256)
            for name in programs.union(words) {
                guard let first = name.utf8.first, name.utf8.count < 64 else { continue }
                lengths[Int(first)] |= 1 << UInt64(name.utf8.count)
            }
            lengthsByFirstByte = lengths
            var byStart: [Int: [Int]] = [:]
            var short: [Int] = []
            for (index, needle) in substrings.enumerated() {
                if needle.count == 1 {
                    short.append(index)
                } else {
                    byStart[Int(needle[0]) << 8 | Int(needle[1]), default: []].append(index)
                }
            }
            substringsByStart = byStart
            var bits = [UInt64](repeating: 0, count: 1024)
            for pair in byStart.keys { bits[pair >> 6] |= 1 << UInt64(pair & 63) }
            startsSubstring = bits
            shortSubstrings = short
        }

        /// The first program or word named, then the first substring contained.
        func firstMention(in bytes: ArraySlice<UInt8>) -> String? {
            if let name = firstName(in: bytes) { return name }
            return firstSubstring(in: bytes)
        }

        func firstName(in bytes: ArraySlice<UInt8>) -> String? {
            var index = bytes.startIndex
            let end = bytes.endIndex
            while index < end {
                guard Self.isTokenByte(bytes[index]) else {
                    index += 1
                    continue
                }
                let start = index
                while index < end, Self.isTokenByte(bytes[index]) { index += 1 }
                let token = bytes[start..<index]
                if isCandidate(token) || isCandidate(Self.unversioned(token)) {
                    let text = String(decoding: token, as: UTF8.self)
                    if words.contains(text) || programs.contains(ProgramName.normalize(text)) { return text }
                }
            }
            return nil
        }

        private func isCandidate(_ name: ArraySlice<UInt8>) -> Bool {
            guard let first = name.first, name.count < 64 else { return false }
            return lengthsByFirstByte[Int(first)] & (1 << UInt64(name.count)) != 0
        }

        /// A token without the version suffix ``ProgramName/normalize(_:)`` strips (`pip3.12`, `python3.13t`,
        /// `pip-3`, `node.exe`), in bytes.
        static func unversioned(_ token: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
            // Most tokens end in a letter that no suffix ends with: nothing to strip.
            guard let last = token.last,
                last.isDigit || last == UInt8(ascii: ".") || last == UInt8(ascii: "t")
                    || last | 0x20 == UInt8(ascii: "e")
                    || last == UInt8(ascii: "-")
            else { return token }
            var end = token.endIndex
            let start = token.startIndex
            if last | 0x20 == UInt8(ascii: "e"), end - start > 4,
                token[(end - 4)..<end].lazy.map({ $0 | 0x20 }).elementsEqual(".exe".utf8)
            {
                end -= 4
            }
            let original = end
            if end - start > 1, token[end - 1] == UInt8(ascii: "t"), token[end - 2].isDigit { end -= 1 }
            while end > start, token[end - 1].isDigit || token[end - 1] == UInt8(ascii: ".") { end -= 1 }
            if end < original, end > start, token[end - 1] == UInt8(ascii: "-") { end -= 1 }
            return end == start ? token : token[start..<end]
        }

        func firstSubstring(in bytes: ArraySlice<UInt8>) -> String? {
            guard !substrings.isEmpty else { return nil }
            // Quotes and backslashes taken out, as the shell would.
            var plain = [UInt8]()
            plain.reserveCapacity(bytes.count)
            for byte in bytes where byte != .singleQuote && byte != .doubleQuote && byte != .backslash {
                plain.append(byte)
            }
            if let index = shortSubstrings.first(where: { plain.contains(substrings[$0][0]) }) {
                return String(decoding: substrings[index], as: UTF8.self)
            }
            guard plain.count > 1 else { return nil }
            for start in 0..<(plain.count - 1) {
                let pair = Int(plain[start]) << 8 | Int(plain[start + 1])
                guard startsSubstring[pair >> 6] & (1 << UInt64(pair & 63)) != 0,
                    let candidates = substringsByStart[pair]
                else { continue }
                for index in candidates {
                    let needle = substrings[index]
                    if plain.count - start >= needle.count, plain[start..<(start + needle.count)].elementsEqual(needle)
                    {
                        return String(decoding: needle, as: UTF8.self)
                    }
                }
            }
            return nil
        }

        static func isTokenByte(_ byte: UInt8) -> Bool {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: "+"):
                true
            default: false
            }
        }
    }
}

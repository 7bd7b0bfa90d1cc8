/// A Claude Code permission rule — `Tool` or `Tool(specifier)` — and whether it matches a Bash command.
///
/// This exists to check layer 1 (SPEC §9): no deny pattern may match a command the hook allows. It
/// therefore **over-approximates** Claude Code's matching (reference `agent-hook-protocols.md` §1.6):
/// whenever Claude Code might match, this matches, so a pattern that could deny an allowed command is
/// caught. The decisions, each on the side of matching more:
///
/// - **Glob.** `*` matches any characters, spaces and newlines included; everything else is literal and
///   case-sensitive (there is no escape for a literal `*`). A pattern without `*` must match the whole text.
/// - **Word boundary.** A `*` with a space before it at the end (`Bash(ls *)`) matches `ls -la` and not
///   `lsof`, and also `ls` alone (as the old `ls:*` prefix rules did). By symmetry a leading `* ` may also
///   match nothing (`Bash(* install)` matches `install`) and an inner ` * ` may shrink to one space
///   (`Bash(git * main)` matches `git main`).
/// - **`:*`** at the very end means ` *`; a colon anywhere else is literal.
/// - `Bash`, `Bash(*)` and `Bash()` match every command. Rules for other tools match no Bash command.
/// - **Which texts are tried** is ``matchCandidates(for:)``: the whole command; each subcommand of a
///   compound command (split on `&&`, `||`, `;`, `|`, `|&`, `&`, newlines, parentheses, outside quotes);
///   the commands inside `$( … )`, backticks, `<( … )`, `>( … )`, `sh -c '…'`, `eval` and `env -S`; and
///   each of those again after every prefix Claude strips — leading `VAR=value` assignments, the wrappers
///   `timeout`, `time`, `nice`, `nohup`, `stdbuf`, `command`, `builtin`, `noglob`, `xargs`, `env`, `sudo`,
///   `watch`, `setsid` and similar ones (`doas`, `exec`, `ionice`, `flock`, …) with their options, shell
///   keywords (`if`, `then`, `do`, `!`, `{`, …) and leading redirections — each in three spellings: as
///   typed, with quotes removed and words joined by one space, and the same without redirections. A
///   wrapper option whose arity is unknown is read both ways. Heredoc bodies are not recognised as data:
///   their lines are tried as commands too.
public struct PermissionRule: Sendable, Hashable, CustomStringConvertible {
    /// The rule as written, e.g. `Bash(npm install -g *)`.
    public let text: String
    /// The tool name, e.g. `Bash`.
    public let tool: String
    /// The text between the parentheses, or `nil` for a bare tool name.
    public let specifier: String?
    /// The glob alternatives the specifier stands for (see the word-boundary rule); empty means "match all".
    private let globs: [[GlobToken]]

    /// Parses `Tool` or `Tool(specifier)`; `nil` when `text` has neither form.
    public init?(_ text: String) {
        self.text = text
        if let open = text.firstIndex(of: "(") {
            guard text.hasSuffix(")"), open > text.startIndex else { return nil }
            tool = String(text[..<open])
            specifier = String(text[text.index(after: open)..<text.index(before: text.endIndex)])
        } else {
            tool = text
            specifier = nil
        }
        guard !tool.isEmpty, tool.unicodeScalars.allSatisfy(Self.isToolNameScalar) else { return nil }
        globs = specifier.map(Self.compile) ?? []
    }

    /// The rule as written.
    public var description: String { text }

    /// Whether the rule could match the Bash command `command` (over-approximated, see the type).
    public func matches(bashCommand command: String) -> Bool {
        matchingCandidate(inBashCommand: command) != nil
    }

    /// The first of ``matchCandidates(for:)`` that the rule matches, for messages; `nil` when none does.
    public func matchingCandidate(inBashCommand command: String) -> String? {
        guard tool == "Bash" else { return nil }
        if globs.isEmpty { return command }
        for candidate in Self.matchCandidates(for: command) where matches(candidate: candidate) {
            return candidate
        }
        return nil
    }

    /// Whether the specifier's glob matches `text` exactly as given, with no splitting or stripping.
    public func matches(candidate text: String) -> Bool {
        if globs.isEmpty { return true }
        let scalars = Array(text.unicodeScalars)
        return globs.contains { Self.glob($0, matches: scalars) }
    }

    /// Every text Claude Code might match a Bash rule against for `command`, without duplicates.
    public static func matchCandidates(for command: String) -> [String] {
        var collector = CandidateCollector()
        collector.add(command.trimmingShellBlanks())
        collector.collect(command, depth: 0)
        return collector.candidates
    }

    // MARK: - Globs

    private enum GlobToken: Sendable, Hashable {
        case literal(Unicode.Scalar)
        case any
    }

    /// How many boundary stars get a "may match nothing" alternative; more are kept as plain stars.
    private static let maximumOptionalStars = 8

    private static func isToolNameScalar(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_" || scalar == "-"
            || scalar == "."
    }

    /// The alternatives for a specifier: each star beside a space may also vanish with one adjacent space.
    private static func compile(_ specifier: String) -> [[GlobToken]] {
        var text = specifier
        if text.hasSuffix(":*") {
            text = String(text.dropLast(2)) + " *"
        }
        let tokens = text.unicodeScalars.map { $0 == "*" ? GlobToken.any : .literal($0) }
        if tokens.allSatisfy({ $0 == .any }) { return [] }  // `*`, `**` or empty: everything
        let space = GlobToken.literal(" ")
        var optional: [Int] = []
        for (index, token) in tokens.enumerated() where token == .any {
            let before = index == 0 ? nil : tokens[index - 1]
            let after = index + 1 == tokens.count ? nil : tokens[index + 1]
            let bounded = (before == nil || before == space) && (after == nil || after == space)
            if bounded && (before == space || after == space) && optional.count < maximumOptionalStars {
                optional.append(index)
            }
        }
        var alternatives: [[GlobToken]] = []
        for mask in 0..<(1 << optional.count) {
            var removed: Set<Int> = []
            for (bit, index) in optional.enumerated() where mask & (1 << bit) != 0 {
                removed.insert(index)
                // Remove one adjacent space with the star: the one before it if there is one.
                if index > 0 && tokens[index - 1] == space && !removed.contains(index - 1) {
                    removed.insert(index - 1)
                } else {
                    removed.insert(index + 1)
                }
            }
            alternatives.append(tokens.enumerated().filter { !removed.contains($0.offset) }.map(\.element))
        }
        return alternatives
    }

    /// Classic wildcard matching with backtracking to the last star: O(pattern × text) at worst.
    private static func glob(_ pattern: [GlobToken], matches text: [Unicode.Scalar]) -> Bool {
        var p = 0
        var t = 0
        var star: Int? = nil
        var starText = 0
        while t < text.count {
            if p < pattern.count, case .literal(let scalar) = pattern[p], scalar == text[t] {
                p += 1
                t += 1
            } else if p < pattern.count, pattern[p] == .any {
                star = p
                starText = t
                p += 1
            } else if let star {
                p = star + 1
                starText += 1
                t = starText
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == .any { p += 1 }
        return p == pattern.count
    }
}

// MARK: - Candidates

/// Gathers match candidates in order, without duplicates.
private struct CandidateCollector {
    private(set) var candidates: [String] = []
    private var seen: Set<String> = []

    /// Nested command texts deeper than this are not looked into (pathological input only).
    static let maximumDepth = 8

    mutating func add(_ candidate: String) {
        guard !candidate.isEmpty, seen.insert(candidate).inserted else { return }
        candidates.append(candidate)
    }

    mutating func collect(_ command: String, depth: Int) {
        guard depth <= Self.maximumDepth else { return }
        var lexer = ClaudeCommandLexer(command)
        lexer.run()
        for segment in lexer.segments {
            collect(segment, in: lexer.scalars, depth: depth)
        }
        for nested in lexer.nested {
            collect(nested, depth: depth + 1)
        }
    }

    /// Adds the candidates of one simple command: from every position a stripped prefix may end at.
    private mutating func collect(_ words: [ShellWord], in scalars: [Unicode.Scalar], depth: Int) {
        var pending = [0]
        var visited: Set<Int> = []
        while let start = pending.popLast() {
            guard start < words.count, visited.insert(start).inserted else { continue }
            add(String(String.UnicodeScalarView(scalars[words[start].raw.lowerBound..<words.last!.raw.upperBound])))
            add(words[start...].map(\.value).joined(separator: " "))
            add(Self.withoutRedirections(words[start...]).map(\.value).joined(separator: " "))

            let word = words[start]
            let name = word.value.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? ""
            if word.isAssignment || ClaudeStripping.keywords.contains(word.value) {
                pending.append(start + 1)
            } else if let operatorLength = word.redirectionOperatorLength {
                pending.append(operatorLength == word.rawText.unicodeScalars.count ? start + 2 : start + 1)
            } else if let syntax = ClaudeStripping.wrappers[name] {
                let (positions, scripts) = ClaudeStripping.commandPositions(after: start, in: words, syntax: syntax)
                pending.append(contentsOf: positions)
                for script in scripts { collect(script, depth: depth + 1) }
            } else if ClaudeStripping.shells.contains(name) {
                if let script = ClaudeStripping.shellScript(after: start, in: words) {
                    collect(script, depth: depth + 1)
                }
            } else if name == "eval" {
                collect(words[(start + 1)...].map(\.value).joined(separator: " "), depth: depth + 1)
            }
        }
    }

    private static func withoutRedirections(_ words: ArraySlice<ShellWord>) -> [ShellWord] {
        var kept: [ShellWord] = []
        var skipNext = false
        for word in words {
            if skipNext {
                skipNext = false
            } else if let length = word.redirectionOperatorLength {
                skipNext = length == word.rawText.unicodeScalars.count
            } else {
                kept.append(word)
            }
        }
        return kept
    }
}

/// What Claude Code strips from the front of a command before matching, as far as it is known.
private enum ClaudeStripping {
    /// Shell keywords that can open a simple command's text after splitting.
    static let keywords: Set<String> = [
        "if", "then", "else", "elif", "fi", "do", "done", "while", "until", "!", "{", "}",
    ]

    /// Shells (and `su`) whose `-c` argument is a command line.
    static let shells: Set<String> = ["sh", "bash", "zsh", "dash", "ksh", "ash", "mksh", "su"]

    /// A wrapper's options: which take a value, how many operands come before the command.
    struct Syntax {
        var valueShort: Set<Character> = []
        var valueLong: Set<String> = []
        /// `timeout DURATION cmd`, `flock FILE cmd`.
        var leadingOperands = 0
        /// Options whose value is a command line (`env -S`, `flock -c`).
        var scriptShort: Set<Character> = []
        var scriptLong: Set<String> = []
    }

    /// Claude's documented list, the v2.1.113 additions and "similar" ones, keyed by program name.
    static let wrappers: [String: Syntax] = [
        "timeout": Syntax(valueShort: ["k", "s"], valueLong: ["--kill-after", "--signal"], leadingOperands: 1),
        "time": Syntax(valueShort: ["f", "o"], valueLong: ["--format", "--output"]),
        "nice": Syntax(valueShort: ["n"], valueLong: ["--adjustment"]),
        "nohup": Syntax(),
        "stdbuf": Syntax(valueShort: ["i", "o", "e"], valueLong: ["--input", "--output", "--error"]),
        "command": Syntax(),
        "builtin": Syntax(),
        "noglob": Syntax(),
        "exec": Syntax(valueShort: ["a"]),
        "xargs": Syntax(
            valueShort: ["a", "d", "E", "I", "L", "n", "P", "s"],
            valueLong: [
                "--arg-file", "--delimiter", "--eof", "--replace", "--max-lines", "--max-args", "--max-procs",
                "--max-chars", "--process-slot-var",
            ]),
        "env": Syntax(
            valueShort: ["u", "C"], valueLong: ["--unset", "--chdir"], scriptShort: ["S"],
            scriptLong: ["--split-string"]),
        "sudo": Syntax(
            valueShort: ["u", "g", "p", "C", "D", "R", "r", "t", "T", "U", "h"],
            valueLong: [
                "--user", "--group", "--prompt", "--close-from", "--chdir", "--chroot", "--role", "--type",
                "--command-timeout", "--other-user", "--host",
            ]),
        "doas": Syntax(valueShort: ["u", "C"]),
        "watch": Syntax(valueShort: ["n", "q"], valueLong: ["--interval", "--equexit"]),
        "setsid": Syntax(),
        "ionice": Syntax(valueShort: ["c", "n", "p", "P", "u"], valueLong: ["--class", "--classdata"]),
        "flock": Syntax(
            valueShort: ["w", "E"], valueLong: ["--timeout", "--conflict-exit-code"], leadingOperands: 1,
            scriptShort: ["c"], scriptLong: ["--command"]),
        "unbuffer": Syntax(),
        "eatmydata": Syntax(),
    ]

    /// Where the wrapped command may start after the wrapper at `index`, and any command-line values.
    ///
    /// Every reading is kept: an option not in the table may or may not take a value, so both follow.
    static func commandPositions(
        after index: Int, in words: [ShellWord], syntax: Syntax
    ) -> (positions: [Int], scripts: [String]) {
        struct State: Hashable {
            var position: Int
            var operandsLeft: Int
            var optionsEnded: Bool
        }
        var positions: [Int] = []
        var scripts: [String] = []
        var pending = [State(position: index + 1, operandsLeft: syntax.leadingOperands, optionsEnded: false)]
        var visited: Set<State> = []
        while let state = pending.popLast() {
            guard state.position < words.count, visited.insert(state).inserted else { continue }
            let word = words[state.position].value
            let next = State(position: state.position + 1, operandsLeft: state.operandsLeft, optionsEnded: false)
            let skipValue = State(position: state.position + 2, operandsLeft: state.operandsLeft, optionsEnded: false)
            if !state.optionsEnded && word == "--" {
                pending.append(
                    State(position: state.position + 1, operandsLeft: state.operandsLeft, optionsEnded: true))
            } else if !state.optionsEnded && word.hasPrefix("--") {
                let name = String(word.prefix { $0 != "=" })
                let hasValue = word.contains("=")
                if syntax.scriptLong.contains(name) {
                    let value =
                        hasValue ? String(word.drop { $0 != "=" }.dropFirst()) : valueAfter(state.position, in: words)
                    if let value { scripts.append(value) }
                }
                if hasValue {
                    pending.append(next)
                } else if syntax.valueLong.contains(name) || syntax.scriptLong.contains(name) {
                    pending.append(skipValue)
                } else {
                    pending.append(contentsOf: [next, skipValue])
                }
            } else if !state.optionsEnded && word.hasPrefix("-") && word.count > 1 {
                let letters = Array(word.dropFirst())
                var reading: [State] = [next, skipValue]  // unknown letters: both readings
                for (offset, letter) in letters.enumerated() {
                    let isScript = syntax.scriptShort.contains(letter)
                    guard isScript || syntax.valueShort.contains(letter) else { continue }
                    let attached = offset + 1 < letters.count
                    if isScript {
                        let value = attached ? String(letters[(offset + 1)...]) : valueAfter(state.position, in: words)
                        if let value { scripts.append(value) }
                    }
                    reading = [attached ? next : skipValue]
                    break
                }
                pending.append(contentsOf: reading)
            } else if state.operandsLeft > 0 {
                pending.append(
                    State(
                        position: state.position + 1, operandsLeft: state.operandsLeft - 1,
                        optionsEnded: state.optionsEnded))
            } else {
                positions.append(state.position)
            }
        }
        return (positions, scripts)
    }

    /// The command line given to a shell with `-c` (also bundled: `-lc`, `-ec`), if any.
    static func shellScript(after index: Int, in words: [ShellWord]) -> String? {
        var position = index + 1
        var sawC = false
        while position < words.count {
            let word = words[position].value
            if word.hasPrefix("-") && word.count > 1 && !word.hasPrefix("--") {
                if word.dropFirst().contains("c") { sawC = true }
            } else if !word.hasPrefix("--") {
                return sawC ? word : nil
            }
            position += 1
        }
        return nil
    }

    private static func valueAfter(_ index: Int, in words: [ShellWord]) -> String? {
        index + 1 < words.count ? words[index + 1].value : nil
    }
}

// MARK: - Lexing

/// One word of a simple command: where it is in the text and its value after quote removal.
private struct ShellWord {
    /// Scalar offsets of the word as typed.
    var raw: Range<Int>
    /// The word with quotes removed; substitutions are kept as typed.
    var value: String
    /// The word as typed.
    var rawText: String
    /// Whether any part was quoted or escaped.
    var quoted: Bool

    /// `NAME=value` or `NAME+=value`, unquoted up to the `=`.
    var isAssignment: Bool {
        var scalars = rawText.unicodeScalars.makeIterator()
        guard let first = scalars.next(), first == "_" || first.properties.isAlphabetic && first.isASCII else {
            return false
        }
        while let scalar = scalars.next() {
            if scalar == "=" { return true }
            if scalar == "+" { return scalars.next() == "=" }
            guard scalar == "_" || (scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)))
            else { return false }
        }
        return false
    }

    /// The length of a leading redirection operator (`2>`, `>>`, `&>`, `<<<`, `>&`, …), if the word starts with one.
    var redirectionOperatorLength: Int? {
        guard !quoted || rawText.first.map({ "0123456789<>&".contains($0) }) == true else { return nil }
        let scalars = Array(rawText.unicodeScalars)
        var index = 0
        while index < scalars.count, ("0"..."9").contains(scalars[index]) { index += 1 }
        let start = index
        if index < scalars.count, scalars[index] == "&" { index += 1 }
        guard index < scalars.count, scalars[index] == ">" || scalars[index] == "<" else { return nil }
        if scalars[start] == "&" && scalars[index] != ">" { return nil }
        let direction = scalars[index]
        index += 1
        while index < scalars.count,
            scalars[index] == direction || scalars[index] == "&" || scalars[index] == "|"
                || (direction == "<" && scalars[index] == "-")
        {
            index += 1
        }
        return index
    }
}

/// Splits a command line into simple commands the way a shell would at its top level, quote-aware,
/// and collects the texts of nested commands. Never fails: unreadable input is read as far as possible.
private struct ClaudeCommandLexer {
    let scalars: [Unicode.Scalar]
    private(set) var segments: [[ShellWord]] = []
    /// Command texts found inside `$( … )`, backticks and process substitutions.
    private(set) var nested: [String] = []

    private var index = 0
    private var words: [ShellWord] = []
    private var wordStart: Int? = nil
    private var value = String.UnicodeScalarView()
    private var quoted = false

    init(_ text: String) {
        scalars = Array(text.unicodeScalars)
    }

    mutating func run() {
        while index < scalars.count {
            let scalar = scalars[index]
            switch scalar {
            case " ", "\t", "\r":
                finishWord()
                index += 1
            case "\n", ";", "(", ")":
                if scalar == "(", let start = wordStart, index > start,
                    "$<>".unicodeScalars.contains(scalars[index - 1])
                {
                    substitution(openingAt: index)
                } else {
                    finishSegment()
                    index += 1
                }
            case "&", "|":
                let previous = index > 0 ? scalars[index - 1] : " "
                let next = index + 1 < scalars.count ? scalars[index + 1] : " "
                let inRedirection =
                    wordStart != nil && (previous == ">" || previous == "<")  // `2>&1`, `>|`
                    || scalar == "&" && next == ">"  // `&>file`
                if inRedirection {
                    append(scalar)
                    index += 1
                } else {
                    finishSegment()
                    index += 1
                }
            case "#" where wordStart == nil:
                while index < scalars.count, scalars[index] != "\n" { index += 1 }
            case "\\":
                if index + 1 < scalars.count, scalars[index + 1] == "\n" {
                    index += 2  // line continuation
                } else {
                    begin()
                    quoted = true
                    if index + 1 < scalars.count { value.append(scalars[index + 1]) }
                    index += 2
                }
            case "'":
                begin()
                quoted = true
                index += 1
                while index < scalars.count, scalars[index] != "'" {
                    value.append(scalars[index])
                    index += 1
                }
                index += 1
            case "$" where index + 1 < scalars.count && scalars[index + 1] == "'":
                begin()
                quoted = true
                index += 2
                while index < scalars.count, scalars[index] != "'" {
                    if scalars[index] == "\\", index + 1 < scalars.count { index += 1 }
                    value.append(scalars[index])
                    index += 1
                }
                index += 1
            case "\"":
                begin()
                quoted = true
                doubleQuoted()
            case "`":
                begin()
                backticks()
            default:
                append(scalar)
                index += 1
            }
        }
        finishSegment()
    }

    private mutating func begin() {
        if wordStart == nil { wordStart = index }
    }

    private mutating func append(_ scalar: Unicode.Scalar) {
        begin()
        value.append(scalar)
    }

    private mutating func finishWord() {
        guard let start = wordStart else { return }
        let raw = start..<min(index, scalars.count)
        words.append(
            ShellWord(
                raw: raw, value: String(value), rawText: String(String.UnicodeScalarView(scalars[raw])), quoted: quoted)
        )
        wordStart = nil
        value = String.UnicodeScalarView()
        quoted = false
    }

    private mutating func finishSegment() {
        finishWord()
        if !words.isEmpty { segments.append(words) }
        words = []
    }

    /// Reads `"…"` from its opening quote, noting nested commands.
    private mutating func doubleQuoted() {
        index += 1
        while index < scalars.count, scalars[index] != "\"" {
            let scalar = scalars[index]
            if scalar == "\\", index + 1 < scalars.count {
                let next = scalars[index + 1]
                if next != "\n" {
                    if !"$`\"\\".unicodeScalars.contains(next) { value.append(scalar) }
                    value.append(next)
                }
                index += 2
            } else if scalar == "$", index + 1 < scalars.count, scalars[index + 1] == "(" {
                value.append(scalar)
                index += 1
                substitution(openingAt: index)
            } else if scalar == "`" {
                backticks()
            } else {
                value.append(scalar)
                index += 1
            }
        }
        index += 1
    }

    /// Reads `( … )` after `$`, `<` or `>` up to the balancing parenthesis; the text inside is a command.
    private mutating func substitution(openingAt open: Int) {
        var depth = 0
        var position = open
        while position < scalars.count {
            let scalar = scalars[position]
            if scalar == "\\" {
                position += 2
                continue
            }
            if scalar == "'" || scalar == "\"" {
                position += 1
                while position < scalars.count, scalars[position] != scalar {
                    if scalar == "\"" && scalars[position] == "\\" { position += 1 }
                    position += 1
                }
            } else if scalar == "(" {
                depth += 1
            } else if scalar == ")" {
                depth -= 1
                if depth == 0 { break }
            }
            position += 1
        }
        let end = min(position, scalars.count)
        nested.append(String(String.UnicodeScalarView(scalars[min(open + 1, end)..<end])))
        for scalar in scalars[open..<min(end + 1, scalars.count)] { value.append(scalar) }
        index = end + 1
    }

    /// Reads `` `…` `` from its opening backtick; the text inside is a command.
    private mutating func backticks() {
        let open = index
        var position = index + 1
        var inner = String.UnicodeScalarView()
        while position < scalars.count, scalars[position] != "`" {
            if scalars[position] == "\\", position + 1 < scalars.count {
                position += 1
            }
            inner.append(scalars[position])
            position += 1
        }
        nested.append(String(inner))
        let end = min(position + 1, scalars.count)
        for scalar in scalars[open..<end] { value.append(scalar) }
        index = end
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs, carriage returns and newlines.
    fileprivate func trimmingShellBlanks() -> String {
        let blanks: Set<Character> = [" ", "\t", "\n", "\r"]
        guard let first = firstIndex(where: { !blanks.contains($0) }) else { return "" }
        let last = lastIndex(where: { !blanks.contains($0) })!
        return String(self[first...last])
    }
}

/// Reads a command line the way bash does, into a `Script`.
///
/// The reader never fails: what it cannot make sense of (an unclosed quote, a stray `)`, nesting
/// deeper than `maximumDepth`) ends the reading, and the rest of the text is reported as
/// `Script.unreadable`. It is a single pass over the bytes with bounded recursion, so its time is
/// linear in the input.
public struct ShellParser {
    /// Nesting deeper than this is not read: no real command needs it, and recursion must stay bounded.
    public static let maximumDepth = 48

    /// Reads `text`.
    public static func parse(_ text: String) -> Script {
        var parser = ShellParser(bytes: Array(text.utf8), spanMap: .exact(base: 0), depth: 0)
        return parser.parseScript()
    }

    /// Reads `text`, which stands inside another command line: at `base` when `exact`, else somewhere in
    /// `enclosing` (every span is then reported as that whole word).
    static func parse(_ text: String, nestedAt mapping: SpanMap, depth: Int) -> Script {
        var parser = ShellParser(bytes: Array(text.utf8), spanMap: mapping, depth: depth)
        return parser.parseScript()
    }

    /// How spans in the text being read map to spans in the original command line.
    enum SpanMap: Sendable {
        /// Offsets map one to one, shifted by `base`.
        case exact(base: Int)
        /// The text was unescaped from a word: every span is that word's.
        case enclosing(SourceSpan)
    }

    private let bytes: [UInt8]
    private let spanMap: SpanMap
    private var depth: Int
    private var position = 0
    private var end: Int
    private var unreadableStart: Int?
    private var lookahead: (token: Token, start: Int, end: Int)?
    /// After the newline at `newline`, reading continues at `resume`: heredoc bodies sit in between.
    private var heredocSkip: (newline: Int, resume: Int)?
    /// When reading must stop, for a line read as it is judged: one command can be a megabyte long.
    public var deadline: Deadline?
    /// Whether reading stopped at the deadline (what was not read is then ``unreadable``).
    public private(set) var ranOutOfTime = false
    private var tokensUntilClock = 0

    private init(bytes: [UInt8], spanMap: SpanMap, depth: Int) {
        self.bytes = bytes
        self.spanMap = spanMap
        self.depth = depth
        self.end = bytes.count
    }

    private init(slice parent: ShellParser, from start: Int, to end: Int) {
        self.bytes = parent.bytes
        self.spanMap = parent.spanMap
        self.depth = parent.depth
        self.position = start
        self.end = end
    }

    // MARK: Spans and errors

    private func span(_ lower: Int, _ upper: Int) -> SourceSpan {
        switch spanMap {
        case .exact(let base): return (base + lower)..<(base + max(lower, upper))
        case .enclosing(let whole): return whole
        }
    }

    /// Stops reading: everything from `offset` on is unreadable.
    private mutating func giveUp(at offset: Int) {
        if unreadableStart == nil { unreadableStart = offset }
        position = end
        lookahead = nil
    }

    private var hasGivenUp: Bool { unreadableStart != nil }

    /// Starts reading `text` one top-level command at a time (``nextCommand()``): a long line is judged
    /// as it is read, and never held whole in memory.
    public init(reading text: String) {
        self.init(bytes: Array(text.utf8), spanMap: .exact(base: 0), depth: 0)
    }

    /// The next top-level command (an and-or list), or `nil` at the end of what can be read.
    public mutating func nextCommand() -> Command? {
        while !hasGivenUp {
            let token = peek()
            switch token {
            case .end:
                return nil
            case .newline, .op(";"), .op("&"):
                advance()
                continue
            default:
                break
            }
            if let reserved = token.reservedWord, Self.listTerminators.contains(reserved) {
                giveUp(at: tokenStart)
                return nil
            }
            let before = tokenStart
            let command = parseAndOr()
            if !hasGivenUp, tokenStart == before, lookahead != nil {
                // No progress: the token cannot start a command here (a stray `)`).
                giveUp(at: before)
            }
            return backgrounded(command)
        }
        return nil
    }

    /// What could not be read, from where reading stopped to the end; final once ``nextCommand()`` is nil.
    public var unreadable: SourceSpan? { unreadableStart.map { span($0, bytes.count) } }

    private mutating func parseScript() -> Script {
        var commands: [Command] = []
        while let command = nextCommand() { commands.append(command) }
        return Script(command: .sequence(commands), unreadable: unreadable)
    }

    // MARK: Tokens

    private enum Token: Equatable {
        case word(Word)
        case op(String)
        case redirection(String)
        case newline
        case end

        static let reservedWords: Set<String> = [
            "if", "then", "elif", "else", "fi", "do", "done", "case", "esac", "while", "until", "for", "select", "in",
            "function", "{", "}", "!", "[[", "]]",
        ]

        /// The word, when it is unquoted and one of bash's reserved words.
        var reservedWord: String? {
            guard case .word(let word) = self, word.parts.count == 1,
                case .literal(let value, quoted: false) = word.parts[0], value.utf8.count <= 8,
                let first = value.utf8.first, Self.startsReservedWord[Int(first)],
                Self.reservedWords.contains(value)
            else { return nil }
            return value
        }

        /// The first bytes of the reserved words: every word of the line is asked, most answer here.
        static let startsReservedWord: [Bool] = {
            var table = [Bool](repeating: false, count: 256)
            for word in reservedWords { table[Int(word.utf8.first!)] = true }
            return table
        }()
    }

    private mutating func peek() -> Token {
        if let lookahead { return lookahead.token }
        let start = skipBlanks()
        let token = lexToken()
        lookahead = (token, start, position)
        return token
    }

    private mutating func advance() {
        if lookahead == nil { _ = peek() }
        lookahead = nil
    }

    private var tokenStart: Int { lookahead?.start ?? position }

    private func byte(_ offset: Int) -> UInt8? { offset < end ? bytes[offset] : nil }

    /// Skips blanks, comments and line continuations; returns where the next token starts.
    private mutating func skipBlanks() -> Int {
        while position < end {
            let c = bytes[position]
            if c == .space || c == .tab || c == .carriageReturn {
                position += 1
            } else if c == .backslash, byte(position + 1) == .newline {
                position += 2
            } else if c == .hash {
                while position < end, bytes[position] != .newline { position += 1 }
            } else {
                break
            }
        }
        return position
    }

    private mutating func skipBlanksAndNewlines() {
        while true {
            let token = peek()
            guard token == .newline else { return }
            advance()
        }
    }

    private mutating func lexToken() -> Token {
        guard position < end else { return .end }
        if let deadline {
            if tokensUntilClock == 0 {
                tokensUntilClock = 64
                if deadline.hasPassed {
                    ranOutOfTime = true
                    giveUp(at: position)
                    return .end
                }
            }
            tokensUntilClock -= 1
        }
        let c = bytes[position]
        switch c {
        case .newline:
            if let skip = heredocSkip, skip.newline == position {
                position = skip.resume
                heredocSkip = nil
            } else {
                position += 1
            }
            return .newline
        case .semicolon:
            if byte(position + 1) == .semicolon {
                position += byte(position + 2) == .ampersand ? 3 : 2
                return .op(";;")
            }
            if byte(position + 1) == .ampersand {
                position += 2
                return .op(";;")
            }
            position += 1
            return .op(";")
        case .ampersand:
            if byte(position + 1) == .ampersand {
                position += 2
                return .op("&&")
            }
            if byte(position + 1) == .greater {
                let appends = byte(position + 2) == .greater
                position += appends ? 3 : 2
                return .redirection(appends ? "&>>" : "&>")
            }
            position += 1
            return .op("&")
        case .pipe:
            if byte(position + 1) == .pipe {
                position += 2
                return .op("||")
            }
            if byte(position + 1) == .ampersand {
                position += 2
                return .op("|&")
            }
            position += 1
            return .op("|")
        case .openParen:
            position += 1
            return .op("(")
        case .closeParen:
            position += 1
            return .op(")")
        case .less, .greater:
            if byte(position + 1) == .openParen {
                return .word(lexWord())
            }
            return .redirection(lexRedirectionOperator())
        default:
            if c.isDigit {
                var probe = position
                while probe < end, bytes[probe].isDigit { probe += 1 }
                if let next = byte(probe), next == .less || next == .greater, byte(probe + 1) != .openParen {
                    position = probe
                    return .redirection(lexRedirectionOperator())
                }
            }
            return .word(lexWord())
        }
    }

    private mutating func lexRedirectionOperator() -> String {
        let first = bytes[position]
        position += 1
        if first == .less {
            if byte(position) == .less {
                position += 1
                if byte(position) == .less {
                    position += 1
                    return "<<<"
                }
                if byte(position) == .minus {
                    position += 1
                    return "<<-"
                }
                return "<<"
            }
            if byte(position) == .ampersand {
                position += 1
                return "<&"
            }
            if byte(position) == .greater {
                position += 1
                return "<>"
            }
            return "<"
        }
        if byte(position) == .greater {
            position += 1
            return ">>"
        }
        if byte(position) == .ampersand {
            position += 1
            return ">&"
        }
        if byte(position) == .pipe {
            position += 1
            return ">|"
        }
        return ">"
    }

    // MARK: Words

    private enum WordContext {
        /// An ordinary word: metacharacters end it.
        case plain
        /// Inside `${name op …}`: `}` ends it, blanks do not.
        case braceArgument
        /// A heredoc body: only `$`, backquote and backslash are special.
        case hereDocument
    }

    private mutating func lexWord(context: WordContext = .plain) -> Word {
        let start = position
        if context == .plain, let word = lexPlainWord() { return word }
        var parts: [WordPart] = []
        var literal: [UInt8] = []
        var literalQuoted = false

        func flush() {
            guard !literal.isEmpty else { return }
            parts.append(.literal(String(decoding: literal, as: UTF8.self), quoted: literalQuoted))
            literal.removeAll(keepingCapacity: true)
        }
        func append(_ bytes: some Sequence<UInt8>, quoted: Bool) {
            if quoted != literalQuoted, !literal.isEmpty { flush() }
            literalQuoted = quoted
            literal.append(contentsOf: bytes)
        }
        func add(_ part: WordPart) {
            flush()
            parts.append(part)
        }

        if context == .plain, let c = byte(position), c == .less || c == .greater, byte(position + 1) == .openParen {
            position += 2
            let inner = parseNested(until: .closeParen, openedAt: start)
            parts.append(.processSubstitution(inner))
            if hasGivenUp { return Word(parts: parts, span: span(start, position)) }
        }

        if context == .plain, byte(position) == .tilde {
            var probe = position + 1
            while probe < end, bytes[probe].isNameCharacter || bytes[probe] == .minus || bytes[probe] == .dot {
                probe += 1
            }
            if probe == end || bytes[probe] == .slash || bytes[probe].isMetacharacter {
                parts.append(.tilde(user: String(decoding: bytes[(position + 1)..<probe], as: UTF8.self)))
                position = probe
            }
        }

        scanning: while position < end {
            let c = bytes[position]
            switch context {
            case .plain where c.isMetacharacter:
                break scanning
            case .braceArgument where c == .closeBrace:
                break scanning
            default:
                break
            }
            switch c {
            case .backslash where context != .hereDocument:
                guard let next = byte(position + 1) else {
                    position += 1
                    break
                }
                position += 2
                if next != .newline { append([next], quoted: true) }
            case .backslash:
                // In a heredoc body only `\$`, backquote, `\\` and a line continuation are escapes.
                if let next = byte(position + 1), next == .dollar || next == .backquote || next == .backslash {
                    append([next], quoted: true)
                    position += 2
                } else if byte(position + 1) == .newline {
                    position += 2
                } else {
                    append([c], quoted: false)
                    position += 1
                }
            case .singleQuote where context != .hereDocument:
                let open = position
                position += 1
                let contentStart = position
                while position < end, bytes[position] != .singleQuote { position += 1 }
                if position >= end {
                    giveUp(at: open)
                    append(bytes[contentStart..<end], quoted: true)
                    break scanning
                }
                append(bytes[contentStart..<position], quoted: true)
                position += 1
            case .doubleQuote where context != .hereDocument:
                let open = position
                position += 1
                flush()
                let quotedParts = lexDoubleQuoted(openedAt: open)
                parts.append(contentsOf: quotedParts)
                if hasGivenUp { break scanning }
            case .dollar:
                if byte(position + 1) == .singleQuote, context != .hereDocument {
                    let open = position
                    position += 2
                    guard let decoded = lexANSIString() else {
                        giveUp(at: open)
                        break scanning
                    }
                    append(decoded, quoted: true)
                } else if byte(position + 1) == .doubleQuote, context != .hereDocument {
                    let open = position
                    position += 2
                    flush()
                    parts.append(contentsOf: lexDoubleQuoted(openedAt: open))
                    if hasGivenUp { break scanning }
                } else if let part = lexDollar(quoted: false) {
                    add(part)
                    if hasGivenUp { break scanning }
                } else {
                    append([c], quoted: false)
                    position += 1
                }
            case .backquote:
                add(.commandSubstitution(lexBackquoted(), quoted: false))
                if hasGivenUp { break scanning }
            case .equals
            where context == .plain && parts.isEmpty && byte(position + 1) == .openParen
                && isAssignmentName(literal.last == .plus ? Array(literal.dropLast()) : literal):
                // `name=( … )`: an array assignment; its elements are kept as one literal.
                append([c], quoted: false)
                position += 1
                let open = position
                var nesting = 0
                while position < end {
                    let b = bytes[position]
                    if b == .openParen { nesting += 1 }
                    if b == .closeParen {
                        nesting -= 1
                        if nesting == 0 { break }
                    }
                    position += 1
                }
                if position >= end {
                    giveUp(at: open)
                    break scanning
                }
                position += 1
                append(bytes[open..<position], quoted: false)
            default:
                append([c], quoted: false)
                position += 1
            }
        }
        flush()
        return Word(parts: parts, span: span(start, position))
    }

    /// Most words are plain runs of bytes with nothing to remove or expand (`git`, `status`, `-la`):
    /// they are read without building parts byte by byte.
    private mutating func lexPlainWord() -> Word? {
        let start = position
        var probe = position
        while probe < end {
            switch bytes[probe] {
            case .backslash, .singleQuote, .doubleQuote, .dollar, .backquote, .tilde, .equals, .openBrace:
                return nil
            case let byte where byte.isMetacharacter:
                break
            default:
                probe += 1
                continue
            }
            break
        }
        guard probe > start else { return nil }
        position = probe
        let text = String(decoding: bytes[start..<probe], as: UTF8.self)
        return Word(parts: [.literal(text, quoted: false)], span: span(start, probe))
    }

    private func isAssignmentName(_ literal: [UInt8]) -> Bool {
        guard let first = literal.first, first.isNameStart else { return false }
        return literal.allSatisfy(\.isNameCharacter)
    }

    /// Reads the inside of `"…"` up to and including the closing quote.
    private mutating func lexDoubleQuoted(openedAt open: Int) -> [WordPart] {
        var parts: [WordPart] = []
        var literal: [UInt8] = []
        func flush() {
            if !literal.isEmpty {
                parts.append(.literal(String(decoding: literal, as: UTF8.self), quoted: true))
                literal.removeAll(keepingCapacity: true)
            }
        }
        while position < end {
            let c = bytes[position]
            switch c {
            case .doubleQuote:
                position += 1
                flush()
                if parts.isEmpty { parts.append(.literal("", quoted: true)) }
                return parts
            case .backslash:
                if let next = byte(position + 1),
                    next == .dollar || next == .backquote || next == .doubleQuote || next == .backslash
                {
                    literal.append(next)
                    position += 2
                } else if byte(position + 1) == .newline {
                    position += 2
                } else {
                    literal.append(c)
                    position += 1
                }
            case .dollar:
                if let part = lexDollar(quoted: true) {
                    flush()
                    parts.append(part)
                    if hasGivenUp { return parts }
                } else {
                    literal.append(c)
                    position += 1
                }
            case .backquote:
                flush()
                parts.append(.commandSubstitution(lexBackquoted(), quoted: true))
                if hasGivenUp { return parts }
            default:
                literal.append(c)
                position += 1
            }
        }
        flush()
        giveUp(at: open)
        return parts
    }

    /// Reads `$'…'` after the opening quote, decoding ANSI-C escapes; `nil` when it is not closed.
    private mutating func lexANSIString() -> [UInt8]? {
        var decoded: [UInt8] = []
        while position < end {
            let c = bytes[position]
            if c == .singleQuote {
                position += 1
                return decoded
            }
            guard c == .backslash else {
                decoded.append(c)
                position += 1
                continue
            }
            let escape = BackslashEscapes.decode(bytes, at: position, octal: .digits)
            decoded += escape.decoded
            position = escape.next
        }
        return nil
    }

    /// Reads an expansion at a `$`; `nil` when the `$` is a literal dollar sign.
    private mutating func lexDollar(quoted: Bool) -> WordPart? {
        let start = position
        guard let next = byte(position + 1) else { return nil }
        if next == .openParen {
            if byte(position + 2) == .openParen {
                position += 3
                return .arithmetic(substitutions: scanArithmetic(depth: 2, openedAt: start))
            }
            position += 2
            return .commandSubstitution(parseNested(until: .closeParen, openedAt: start), quoted: quoted)
        }
        if next == .openBrace {
            position += 2
            guard enterNesting(at: start) else { return .arithmetic(substitutions: []) }
            defer { leaveNesting() }
            return lexBracedParameter(quoted: quoted, openedAt: start)
        }
        if next == .openBracket {
            position += 2
            skipBalanced(open: .openBracket, close: .closeBracket, depth: 1, openedAt: start)
            return .arithmetic(substitutions: [])
        }
        if next.isNameStart {
            var probe = position + 1
            while probe < end, bytes[probe].isNameCharacter { probe += 1 }
            let name = String(decoding: bytes[(position + 1)..<probe], as: UTF8.self)
            position = probe
            return .parameter(name, quoted: quoted)
        }
        if next.isDigit || "@*#?$!-".utf8.contains(next) {
            position += 2
            return .parameter(String(UnicodeScalar(next)), quoted: quoted)
        }
        return nil
    }

    private mutating func lexBracedParameter(quoted: Bool, openedAt open: Int) -> WordPart {
        var name: [UInt8] = []
        var indirect = false
        if let c = byte(position), c == .hash || c == .exclamation, byte(position + 1) != .closeBrace {
            indirect = true
            position += 1
        }
        if let c = byte(position), c.isDigit || "@*#?$!-".utf8.contains(c),
            !(byte(position + 1)?.isNameCharacter ?? false)
        {
            name.append(c)
            position += 1
        } else {
            while let c = byte(position), c.isNameCharacter {
                name.append(c)
                position += 1
            }
        }
        if byte(position) == .openBracket {
            let subscriptStart = position
            skipBalanced(open: .openBracket, close: .closeBracket, depth: 0, openedAt: open)
            name.append(contentsOf: bytes[subscriptStart..<min(position, end)])
        }
        let nameText = String(decoding: name, as: UTF8.self)
        if byte(position) == .closeBrace {
            position += 1
            return indirect
                ? .parameterOperation(nameText, operation: "!", argument: nil, quoted: quoted)
                : .parameter(nameText, quoted: quoted)
        }
        var operation: [UInt8] = []
        if byte(position) == .colon { operation.append(.colon); position += 1 }
        if let c = byte(position), "-=+?".utf8.contains(c) {
            operation.append(c)
            position += 1
            let argument = lexWord(context: .braceArgument)
            if hasGivenUp { return .arithmetic(substitutions: []) }
            guard byte(position) == .closeBrace else {
                giveUp(at: open)
                return .arithmetic(substitutions: [])
            }
            position += 1
            return .parameterOperation(
                nameText, operation: String(decoding: operation, as: UTF8.self), argument: argument, quoted: quoted)
        }
        // Pattern removal, substitution, case changes, substrings: the result is not known statically.
        skipBalanced(open: .openBrace, close: .closeBrace, depth: 1, openedAt: open)
        return .parameterOperation(nameText, operation: "…", argument: nil, quoted: quoted)
    }

    /// Skips an arithmetic expression to the close that balances `depth` opens, reading the command
    /// substitutions inside it (`$(( $(cmd) + 1 ))` runs cmd).
    private mutating func scanArithmetic(depth initial: Int, openedAt: Int) -> [Script] {
        var substitutions: [Script] = []
        var nesting = initial
        while position < end, !hasGivenUp {
            let c = bytes[position]
            if c == .backslash {
                position += 2
                continue
            }
            if c == .dollar, byte(position + 1) == .openParen, byte(position + 2) != .openParen {
                let open = position
                position += 2
                guard enterNesting(at: open) else { return substitutions }
                substitutions.append(parseNested(until: .closeParen, openedAt: open))
                leaveNesting()
                continue
            }
            if c == .backquote {
                guard enterNesting(at: position) else { return substitutions }
                substitutions.append(lexBackquoted())
                leaveNesting()
                continue
            }
            if c == .openParen {
                nesting += 1
            } else if c == .closeParen {
                nesting -= 1
                if nesting <= 0 {
                    position += 1
                    return substitutions
                }
            }
            position += 1
        }
        giveUp(at: openedAt)
        return substitutions
    }

    /// Skips to the close that balances `depth` opens already read, honouring quotes.
    private mutating func skipBalanced(open: UInt8, close: UInt8, depth initial: Int, openedAt: Int) {
        var nesting = initial
        while position < end {
            let c = bytes[position]
            if c == .backslash {
                position += 2
                continue
            }
            if c == .singleQuote {
                position += 1
                while position < end, bytes[position] != .singleQuote { position += 1 }
            } else if c == .doubleQuote {
                position += 1
                while position < end, bytes[position] != .doubleQuote {
                    position += bytes[position] == .backslash ? 2 : 1
                }
            } else if c == open {
                nesting += 1
            } else if c == close {
                nesting -= 1
                if nesting <= 0 {
                    position += 1
                    return
                }
            }
            position += 1
        }
        giveUp(at: openedAt)
    }

    /// Reads a backquoted substitution from its opening backquote.
    private mutating func lexBackquoted() -> Script {
        let open = position
        position += 1
        var content: [UInt8] = []
        var unescaped = false
        while position < end, bytes[position] != .backquote {
            if bytes[position] == .backslash, let next = byte(position + 1),
                next == .backquote || next == .backslash || next == .dollar
            {
                content.append(next)
                position += 2
                unescaped = true
                continue
            }
            content.append(bytes[position])
            position += 1
        }
        guard position < end else {
            giveUp(at: open)
            return Script(command: .sequence([]), unreadable: span(open, end))
        }
        position += 1
        guard depth < Self.maximumDepth else {
            giveUp(at: open)
            return Script(command: .sequence([]), unreadable: span(open, end))
        }
        let mapping: SpanMap
        switch spanMap {
        case .exact(let base) where !unescaped: mapping = .exact(base: base + open + 1)
        default: mapping = .enclosing(span(open, position))
        }
        let inner = ShellParser.parse(String(decoding: content, as: UTF8.self), nestedAt: mapping, depth: depth + 1)
        return inner
    }

    /// Reads a command list nested in `$( … )`, `<( … )`: up to and including the closing parenthesis.
    private mutating func parseNested(until close: UInt8, openedAt open: Int) -> Script {
        guard depth < Self.maximumDepth else {
            giveUp(at: open)
            return Script(command: .sequence([]), unreadable: span(open, end))
        }
        // The inner list is read by this same parser: a nested `)` ends it.
        lookahead = nil
        depth += 1
        let command = parseList(until: [")"])
        depth -= 1
        if hasGivenUp {
            return Script(command: command, unreadable: nil)
        }
        if peek() == .op(")") {
            advance()
        } else {
            giveUp(at: open)
        }
        return Script(command: command, unreadable: nil)
    }

    // MARK: Grammar

    private static let listTerminators: Set<String> = [
        "then", "elif", "else", "fi", "do", "done", "esac", "}",
    ]

    /// Reads commands separated by `;`, `&` and newlines until a token in `terminators` (or the end).
    private mutating func parseList(until terminators: Set<String>) -> Command {
        var items: [Command] = []
        while !hasGivenUp {
            let token = peek()
            switch token {
            case .end:
                return .sequence(items)
            case .newline, .op(";"), .op("&"):
                advance()
                continue
            case .op(let op) where terminators.contains(op):
                return .sequence(items)
            case .op(";;") where terminators.contains(";;"):
                return .sequence(items)
            default:
                break
            }
            if let reserved = token.reservedWord, Self.listTerminators.contains(reserved) {
                if terminators.contains(reserved) { return .sequence(items) }
                giveUp(at: tokenStart)
                return .sequence(items)
            }
            let before = tokenStart
            items.append(backgrounded(parseAndOr()))
            if !hasGivenUp, tokenStart == before, lookahead != nil {
                // No progress: the token cannot start a command here.
                giveUp(at: before)
            }
        }
        return .sequence(items)
    }

    /// A list ended by `&` runs as a background job, in a subshell: its `cd` and `source` do not last.
    private mutating func backgrounded(_ command: Command) -> Command {
        guard !hasGivenUp, peek() == .op("&") else { return command }
        return .subshell(command, redirections: [])
    }

    /// `A && B || C`: left to right, each operator's right side runs by how everything before it ended.
    private mutating func parseAndOr() -> Command {
        var command = parsePipeline()
        while !hasGivenUp {
            let token = peek()
            guard token == .op("&&") || token == .op("||") else { break }
            advance()
            skipBlanksAndNewlines()
            let next = parsePipeline()
            command =
                token == .op("&&")
                ? .conditional(condition: command, onSuccess: next, onFailure: nil)
                : .conditional(condition: command, onSuccess: nil, onFailure: next)
        }
        return command
    }

    private mutating func parsePipeline() -> Command {
        while peek().reservedWord == "!" { advance() }
        // `time [-p]` times a whole pipeline, compound commands included (`time { …; }`).
        if case .word(let word) = peek(), !word.hasQuoting, word.literalValue == "time" {
            advance()
            while case .word(let option) = peek(), option.literalValue == "-p" || option.literalValue == "--" {
                advance()
            }
        }
        var items = [parseCommand()]
        while !hasGivenUp {
            let token = peek()
            guard token == .op("|") || token == .op("|&") else { break }
            advance()
            skipBlanksAndNewlines()
            items.append(parseCommand())
        }
        return items.count == 1 ? items[0] : .pipeline(items)
    }

    private mutating func parseCommand() -> Command {
        let token = peek()
        let start = tokenStart
        if token == .op("(") {
            advance()
            if byte(start + 1) == .openParen {
                // `(( … ))`: an arithmetic command.
                position = start + 2
                lookahead = nil
                let substitutions = scanArithmetic(depth: 2, openedAt: start)
                guard !substitutions.isEmpty else { return .sequence([]) }
                // `(( $(cmd) ))`: the substitutions run.
                return .expansions([
                    Word(parts: [.arithmetic(substitutions: substitutions)], span: span(start, position))
                ])
            }
            guard enterNesting(at: start) else { return .sequence([]) }
            let body = parseList(until: [")"])
            leaveNesting()
            expect(.op(")"), openedAt: start)
            return .subshell(body, redirections: parseTrailingRedirections())
        }
        if let reserved = token.reservedWord {
            switch reserved {
            case "{":
                advance()
                guard enterNesting(at: start) else { return .sequence([]) }
                let body = parseList(until: ["}"])
                leaveNesting()
                expectReserved("}", openedAt: start)
                return withRedirections(body)
            case "if":
                return parseIf(start: start)
            case "while", "until":
                advance()
                guard enterNesting(at: start) else { return .sequence([]) }
                let isWhile = reserved == "while"
                let condition = parseList(until: ["do"])
                expectReserved("do", openedAt: start)
                let body = parseList(until: ["done"])
                leaveNesting()
                expectReserved("done", openedAt: start)
                return withRedirections(
                    .conditional(condition: condition, onSuccess: isWhile ? body : nil, onFailure: isWhile ? nil : body)
                )
            case "for", "select":
                return parseFor(start: start)
            case "case":
                return parseCase(start: start)
            case "function":
                advance()
                guard case .word(let name) = peek() else {
                    giveUp(at: start)
                    return .sequence([])
                }
                advance()
                if peek() == .op("(") {
                    advance()
                    expect(.op(")"), openedAt: start)
                }
                skipBlanksAndNewlines()
                return functionDefinition(name.literalValue ?? "", start: start)
            case "[[":
                return parseConditional(start: start)
            default:
                break
            }
        }
        if case .word(let word) = token, word.parts.count == 1, case .literal("coproc", quoted: false) = word.parts[0],
            let body = coprocBody()
        {
            return body
        }
        return parseSimpleCommand()
    }

    /// `coproc [NAME] COMPOUND`: the compound command runs in a subshell. `nil` (and nothing read) for
    /// `coproc CMD …`, a simple command that the evaluator sees through like a wrapper.
    private mutating func coprocBody() -> Command? {
        let rewind = (lookahead, position)
        let compoundStarts: Set<String> = ["{", "while", "until", "if", "for", "select", "case", "[["]
        func startsCompound(_ token: Token) -> Bool {
            token == .op("(") || token.reservedWord.map { compoundStarts.contains($0) } == true
        }
        let start = tokenStart
        advance()
        var next = peek()
        if !startsCompound(next), case .word(let name) = next, let text = name.literalValue, !text.isEmpty,
            text.utf8.allSatisfy(\.isNameCharacter)
        {
            advance()
            next = peek()
        }
        guard startsCompound(next), enterNesting(at: start) else {
            (lookahead, position) = rewind
            return nil
        }
        defer { leaveNesting() }
        return .subshell(parseCommand(), redirections: [])
    }

    /// A function's body is a command nested in the definition: it counts toward the depth limit, so that
    /// `f() g() h() …` cannot recurse without bound.
    private mutating func functionDefinition(_ name: String, start: Int) -> Command {
        guard enterNesting(at: start) else { return .sequence([]) }
        defer { leaveNesting() }
        return .function(name: name, body: parseCommand())
    }

    private mutating func enterNesting(at offset: Int) -> Bool {
        guard depth < Self.maximumDepth else {
            giveUp(at: offset)
            return false
        }
        depth += 1
        return true
    }

    private mutating func leaveNesting() { depth -= 1 }

    private mutating func expect(_ token: Token, openedAt open: Int) {
        guard !hasGivenUp else { return }
        if peek() == token {
            advance()
        } else {
            giveUp(at: open)
        }
    }

    private mutating func expectReserved(_ word: String, openedAt open: Int) {
        guard !hasGivenUp else { return }
        if peek().reservedWord == word {
            advance()
        } else {
            giveUp(at: open)
        }
    }

    private mutating func parseTrailingRedirections() -> [Redirection] {
        var redirections: [Redirection] = []
        while !hasGivenUp, case .redirection(let op) = peek() {
            let start = tokenStart
            advance()
            redirections.append(readRedirection(op, start: start))
        }
        return redirections
    }

    private mutating func withRedirections(_ command: Command) -> Command {
        let redirections = parseTrailingRedirections()
        return redirections.isEmpty ? command : .redirected(command, redirections)
    }

    private mutating func parseIf(start: Int) -> Command {
        advance()
        guard enterNesting(at: start) else { return .sequence([]) }
        // (condition, branch) pairs for `if` and each `elif`, then the `else` branch.
        var branches: [(Command, Command)] = []
        var otherwise: Command?
        let condition = parseList(until: ["then"])
        expectReserved("then", openedAt: start)
        branches.append((condition, parseList(until: ["elif", "else", "fi"])))
        while !hasGivenUp {
            let reserved = peek().reservedWord
            if reserved == "elif" {
                advance()
                let condition = parseList(until: ["then"])
                expectReserved("then", openedAt: start)
                branches.append((condition, parseList(until: ["elif", "else", "fi"])))
            } else if reserved == "else" {
                advance()
                otherwise = parseList(until: ["fi"])
            } else {
                break
            }
        }
        leaveNesting()
        expectReserved("fi", openedAt: start)
        var command = otherwise
        for (condition, branch) in branches.reversed() {
            command = .conditional(condition: condition, onSuccess: branch, onFailure: command)
        }
        return withRedirections(command ?? .sequence([]))
    }

    private mutating func parseFor(start: Int) -> Command {
        advance()
        if peek() == .op("(") {
            // `for (( … ))`: arithmetic loop header.
            let headerStart = tokenStart
            lookahead = nil
            position = headerStart
            skipBalanced(open: .openParen, close: .closeParen, depth: 0, openedAt: start)
        }
        var variable = ""
        if case .word(let name) = peek(), let value = name.literalValue, peek().reservedWord != "do" {
            variable = value
            advance()
        }
        var words: [Word] = []
        skipBlanksAndNewlines()
        if peek().reservedWord == "in" {
            advance()
            while case .word(let word) = peek() {
                words.append(word)
                advance()
            }
        }
        while peek() == .op(";") || peek() == .newline { advance() }
        guard enterNesting(at: start) else { return .sequence([]) }
        expectReserved("do", openedAt: start)
        let body = parseList(until: ["done"])
        leaveNesting()
        expectReserved("done", openedAt: start)
        return withRedirections(.forLoop(variable: variable, words: words, body: body))
    }

    private mutating func parseCase(start: Int) -> Command {
        advance()
        var parts: [Command] = []
        guard case .word(let subject) = peek() else {
            giveUp(at: start)
            return .sequence([])
        }
        advance()
        parts.append(.expansions([subject]))
        var arms: [(Command, Command)] = []
        skipBlanksAndNewlines()
        expectReserved("in", openedAt: start)
        guard enterNesting(at: start) else { return .sequence([]) }
        while !hasGivenUp {
            skipBlanksAndNewlines()
            if peek().reservedWord == "esac" { break }
            if peek() == .op("(") { advance() }
            // Patterns: words separated by `|`, closed by `)`.
            var patterns: [Word] = []
            while case .word(let pattern) = peek() {
                patterns.append(pattern)
                advance()
                if peek() == .op("|") { advance() } else { break }
            }
            expect(.op(")"), openedAt: start)
            arms.append((.expansions(patterns), parseList(until: [";;", "esac"])))
            if peek() == .op(";;") { advance() }
        }
        leaveNesting()
        expectReserved("esac", openedAt: start)
        // At most one arm runs: each arm's patterns are the condition of the arm, the next arms the rest.
        var command: Command?
        for (patterns, body) in arms.reversed() {
            command = .conditional(condition: patterns, onSuccess: body, onFailure: command)
        }
        if let command { parts.append(command) }
        return withRedirections(.sequence(parts))
    }

    private mutating func parseConditional(start: Int) -> Command {
        advance()
        // The keyword is kept as the first word, so that a test reads as one (a `case` arm's patterns do not).
        var words: [Word] = [Word(parts: [.literal("[[", quoted: false)], span: start..<(start + 2))]
        while !hasGivenUp {
            let token = peek()
            if token.reservedWord == "]]" {
                advance()
                return withRedirections(.expansions(words))
            }
            switch token {
            case .word(let word):
                words.append(word)
                advance()
            case .op, .redirection:
                // Inside `[[ … ]]`, `&&`, `<`, `(` … are operators of the test, not of the shell.
                advance()
            case .newline:
                advance()
            case .end:
                giveUp(at: start)
            }
        }
        return .expansions(words)
    }

    private mutating func parseSimpleCommand() -> Command {
        let start = tokenStart
        var assignments: [Assignment] = []
        var words: [Word] = []
        var redirections: [Redirection] = []
        var commandEnd = start
        loop: while !hasGivenUp {
            let token = peek()
            switch token {
            case .word(let word):
                advance()
                commandEnd = position
                if words.isEmpty, let assignment = Self.assignment(from: word) {
                    assignments.append(assignment)
                } else {
                    words.append(word)
                }
            case .redirection(let op):
                let redirectStart = tokenStart
                advance()
                redirections.append(readRedirection(op, start: redirectStart))
                commandEnd = position
            case .op("(") where words.count == 1 && assignments.isEmpty:
                // `name ( ) body`: a function definition.
                let name = words[0].literalValue ?? ""
                advance()
                expect(.op(")"), openedAt: start)
                skipBlanksAndNewlines()
                return functionDefinition(name, start: start)
            default:
                break loop
            }
        }
        return .simple(
            SimpleCommand(
                assignments: assignments, words: words, redirections: redirections, span: span(start, commandEnd)))
    }

    private mutating func readRedirection(_ op: String, start: Int) -> Redirection {
        guard case .word(let target) = peek() else {
            giveUp(at: start)
            return Redirection(operation: op, target: nil, hereDocument: nil, span: span(start, position))
        }
        advance()
        var body: Word?
        if op == "<<" || op == "<<-" {
            body = readHereDocumentBody(delimiter: target, stripTabs: op == "<<-")
        }
        return Redirection(operation: op, target: target, hereDocument: body, span: span(start, position))
    }

    /// Finds the body of a heredoc whose operator was just read: it starts after the current line.
    private mutating func readHereDocumentBody(delimiter: Word, stripTabs: Bool) -> Word {
        let delimiterText = Array(Self.rawDelimiter(delimiter).utf8)
        let bodyStart: Int
        let newline: Int
        if let skip = heredocSkip {
            newline = skip.newline
            bodyStart = skip.resume
        } else {
            guard let found = nextUnquotedNewline(from: position) else {
                // No newline: no body, and no later heredoc on this line has one either — remember that, so
                // `<<A <<A …` does not rescan to the end each time.
                heredocSkip = (end, end)
                return Word(parts: [], span: span(end, end))
            }
            newline = found
            bodyStart = found + 1
        }
        var lineStart = bodyStart
        var bodyEnd = end
        var resume = end
        while lineStart < end {
            var lineEnd = lineStart
            while lineEnd < end, bytes[lineEnd] != .newline { lineEnd += 1 }
            var contentStart = lineStart
            if stripTabs { while contentStart < lineEnd, bytes[contentStart] == .tab { contentStart += 1 } }
            if bytes[contentStart..<lineEnd].elementsEqual(delimiterText) {
                bodyEnd = lineStart
                resume = min(lineEnd + 1, end)
                break
            }
            lineStart = lineEnd + 1
        }
        heredocSkip = (newline, resume)
        let bodyRange = min(bodyStart, end)..<max(min(bodyEnd, end), min(bodyStart, end))
        if delimiter.hasQuoting {
            let text = String(decoding: bytes[bodyRange], as: UTF8.self)
            return Word(parts: [.literal(text, quoted: true)], span: span(bodyRange.lowerBound, bodyRange.upperBound))
        }
        var bodyParser = ShellParser(slice: self, from: bodyRange.lowerBound, to: bodyRange.upperBound)
        let word = bodyParser.lexWord(context: .hereDocument)
        return word
    }

    private static func rawDelimiter(_ word: Word) -> String {
        word.parts.map { part in
            switch part {
            case .literal(let text, _): return text
            case .parameter(let name, _): return "$" + name
            default: return ""
            }
        }.joined()
    }

    private func nextUnquotedNewline(from start: Int) -> Int? {
        var offset = start
        while offset < end {
            switch bytes[offset] {
            case .newline: return offset
            case .backslash: offset += 2
            case .singleQuote:
                offset += 1
                while offset < end, bytes[offset] != .singleQuote { offset += 1 }
                offset += 1
            case .doubleQuote:
                offset += 1
                while offset < end, bytes[offset] != .doubleQuote {
                    offset += bytes[offset] == .backslash ? 2 : 1
                }
                offset += 1
            default: offset += 1
            }
        }
        return nil
    }

    /// `NAME=value` or `NAME+=value` at the start of an unquoted word.
    static func assignment(from word: Word) -> Assignment? {
        guard case .literal(let text, quoted: false)? = word.parts.first,
            let equals = text.utf8.firstIndex(of: .equals)
        else { return nil }
        var nameEnd = equals
        var appends = false
        if equals > text.utf8.startIndex, text.utf8[text.utf8.index(before: equals)] == .plus {
            nameEnd = text.utf8.index(before: equals)
            appends = true
        }
        let name = Substring(text.utf8[text.utf8.startIndex..<nameEnd])
        guard let first = name.utf8.first, first.isNameStart, name.utf8.allSatisfy(\.isNameCharacter) else {
            return nil
        }
        let rest = String(Substring(text.utf8[text.utf8.index(after: equals)...]))
        var valueParts: [WordPart] = []
        if rest.hasPrefix("~") {
            let afterTilde = rest.dropFirst()
            let user = afterTilde.prefix { $0 != "/" && $0 != ":" }
            valueParts.append(.tilde(user: String(user)))
            let remainder = afterTilde.dropFirst(user.count)
            if !remainder.isEmpty { valueParts.append(.literal(String(remainder), quoted: false)) }
        } else if !rest.isEmpty {
            valueParts.append(.literal(rest, quoted: false))
        }
        valueParts.append(contentsOf: word.parts.dropFirst())
        let valueStart = min(word.span.lowerBound + name.utf8.count + (appends ? 2 : 1), word.span.upperBound)
        return Assignment(
            name: String(name), value: Word(parts: valueParts, span: valueStart..<word.span.upperBound),
            appends: appends, span: word.span)
    }
}

extension UInt8 {
    static let tab = UInt8(ascii: "\t")
    static let newline = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")
    static let space = UInt8(ascii: " ")
    static let exclamation = UInt8(ascii: "!")
    static let doubleQuote = UInt8(ascii: "\"")
    static let hash = UInt8(ascii: "#")
    static let dollar = UInt8(ascii: "$")
    static let ampersand = UInt8(ascii: "&")
    static let singleQuote = UInt8(ascii: "'")
    static let openParen = UInt8(ascii: "(")
    static let closeParen = UInt8(ascii: ")")
    static let plus = UInt8(ascii: "+")
    static let minus = UInt8(ascii: "-")
    static let dot = UInt8(ascii: ".")
    static let slash = UInt8(ascii: "/")
    static let colon = UInt8(ascii: ":")
    static let semicolon = UInt8(ascii: ";")
    static let less = UInt8(ascii: "<")
    static let equals = UInt8(ascii: "=")
    static let greater = UInt8(ascii: ">")
    static let openBracket = UInt8(ascii: "[")
    static let backslash = UInt8(ascii: "\\")
    static let closeBracket = UInt8(ascii: "]")
    static let backquote = UInt8(ascii: "`")
    static let openBrace = UInt8(ascii: "{")
    static let pipe = UInt8(ascii: "|")
    static let closeBrace = UInt8(ascii: "}")
    static let tilde = UInt8(ascii: "~")

    var isDigit: Bool { self >= UInt8(ascii: "0") && self <= UInt8(ascii: "9") }
    var isNameStart: Bool {
        (self >= UInt8(ascii: "a") && self <= UInt8(ascii: "z"))
            || (self >= UInt8(ascii: "A") && self <= UInt8(ascii: "Z"))
            || self == UInt8(ascii: "_")
    }
    var isNameCharacter: Bool { isNameStart || isDigit }
    /// Bytes that end an unquoted word.
    var isMetacharacter: Bool {
        switch self {
        case .space, .tab, .newline, .carriageReturn, .pipe, .ampersand, .semicolon, .openParen, .closeParen,
            .less, .greater:
            return true
        default:
            return false
        }
    }
    var hexValue: UInt8? {
        switch self {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return self - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return self - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return self - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

/// A half-open range of UTF-8 byte offsets into the command text a finding is about.
public typealias SourceSpan = Range<Int>

/// A shell word before expansion: the pieces it is made of, and where it stands in the text.
public struct Word: Sendable, Hashable {
    /// The pieces of the word, in order.
    public var parts: [WordPart]
    /// Where the word stands in the original text.
    public var span: SourceSpan

    /// The word's value when it holds no expansion at all (quotes removed), else `nil`.
    public var literalValue: String? {
        var value = ""
        for part in parts {
            guard case .literal(let text, _) = part else { return nil }
            value += text
        }
        return value
    }

    /// Whether any part of the word was quoted (a quoted word is never a reserved word or assignment).
    public var hasQuoting: Bool {
        parts.contains { part in
            switch part {
            case .literal(_, let quoted), .parameter(_, let quoted), .parameterOperation(_, _, _, let quoted),
                .commandSubstitution(_, let quoted):
                return quoted
            case .tilde, .arithmetic, .processSubstitution:
                return false
            }
        }
    }
}

/// One piece of a word.
public indirect enum WordPart: Sendable, Hashable {
    /// Literal text after quote removal; `quoted` when it came from quotes or an escape.
    case literal(String, quoted: Bool)
    /// `~` or `~user` at the start of a word.
    case tilde(user: String)
    /// `$NAME`, `${NAME}`, `$1`, `$@` …
    case parameter(String, quoted: Bool)
    /// `${NAME<op>word}`: `op` is one of `-`, `:-`, `=`, `:=`, `+`, `:+`, or anything else bash has.
    case parameterOperation(String, operation: String, argument: Word?, quoted: Bool)
    /// `$( … )` or backticks.
    case commandSubstitution(Script, quoted: Bool)
    /// `<( … )` or `>( … )`.
    case processSubstitution(Script)
    /// `$(( … ))`, with the command substitutions inside it.
    case arithmetic(substitutions: [Script])
}

/// An assignment written before a command or on its own: `NAME=value`, `NAME+=value`.
public struct Assignment: Sendable, Hashable {
    /// The variable's name.
    public var name: String
    /// The value, as a word.
    public var value: Word
    /// `+=` rather than `=`.
    public var appends: Bool
    /// Where the assignment stands in the text.
    public var span: SourceSpan
}

/// A redirection, kept out of argv.
public struct Redirection: Sendable, Hashable {
    /// The operator as written without its file-descriptor number: `>`, `>>`, `<`, `<<`, `<<-`, `<<<`, `&>` …
    public var operation: String
    /// The target word (file, descriptor, here-string or heredoc delimiter).
    public var target: Word?
    /// For `<<` and `<<-`: the heredoc body, expandable unless the delimiter was quoted.
    public var hereDocument: Word?
    /// Where the redirection stands in the text.
    public var span: SourceSpan

    /// The text this redirection feeds to the command's standard input, when it feeds text at all.
    public var suppliesInputText: Bool { operation == "<<" || operation == "<<-" || operation == "<<<" }
}

/// A simple command: assignments, words and redirections.
public struct SimpleCommand: Sendable, Hashable {
    /// Assignments written before the command word.
    public var assignments: [Assignment]
    /// The command word and its arguments, unexpanded.
    public var words: [Word]
    /// Redirections anywhere in the command.
    public var redirections: [Redirection]
    /// The whole command's span.
    public var span: SourceSpan
}

/// A parsed command line: a tree of commands in the order bash would run them.
public indirect enum Command: Sendable, Hashable {
    /// One simple command.
    case simple(SimpleCommand)
    /// Commands run one after another in the same shell (`;`, newline, `{ }`, loops' bodies).
    case sequence([Command])
    /// Commands that run or not by how `condition` ends: `A && B` (B on success), `A || B` (B on failure),
    /// `if C; then T; else E; fi`, a `while` or `until` loop's body, a `case` arm (its patterns the condition).
    case conditional(condition: Command, onSuccess: Command?, onFailure: Command?)
    /// A pipeline: each element runs in its own subshell, its output feeding the next one's input.
    case pipeline([Command])
    /// `( … )`: a subshell; state changes inside do not leak out.
    case subshell(Command, redirections: [Redirection])
    /// `for NAME in WORDS; do BODY; done`.
    case forLoop(variable: String, words: [Word], body: Command)
    /// Words that are expanded but do not form a command (a `case` subject, `[[ … ]]` operands).
    case expansions([Word])
    /// A function definition; its body is judged where it is defined.
    case function(name: String, body: Command)
    /// A compound command with redirections attached (`{ …; } > f`, `while …; done < f`).
    case redirected(Command, [Redirection])
}

/// What the reader made of a command line.
public struct Script: Sendable, Hashable {
    /// The commands, as a tree.
    public var command: Command
    /// The part of the text the reader could not make sense of, if any (from there to the end).
    public var unreadable: SourceSpan?
}

extension Command {
    /// A conditional's parts in the order they stand.
    var conditionalParts: [Command] {
        guard case .conditional(let condition, let onSuccess, let onFailure) = self else { return [] }
        return [condition] + [onSuccess, onFailure].compactMap { $0 }
    }
}

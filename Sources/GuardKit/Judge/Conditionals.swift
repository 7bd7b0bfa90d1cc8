/// Commands that run or not by how another ends (`A && B`, `A || B`, `if`, `while`, `case`): SPEC §3.1. What
/// such a branch changes (a venv activated, a directory entered, a variable exported) holds for what follows
/// only if it ran. When how the condition ends is known (`true`, `false`, `[ -d .venv ]`, `[ -n "$X" ]` with
/// the line's facts) only the branch that runs is walked. When it is not known, the line is followed both
/// ways: the branch taken here continues this walk, and the other, from the same state, becomes an
/// alternative that walks the rest of the line too; what it finds is judged with the rest (a block found
/// only when `source .venv/bin/activate` did not run is still a block).
extension Evaluator {
    /// A way the line may have gone: an evaluator at the same point of the line in another state.
    final class Alternative {
        var evaluator: Evaluator
        init(_ evaluator: Evaluator) { self.evaluator = evaluator }
    }

    /// At most this many alternatives are followed at once (each adds the work of what follows); a new one
    /// replaces the oldest.
    static let maximumAlternatives = 2

    mutating func walkConditional(_ condition: Command, onSuccess: Command?, onFailure: Command?, input: Input) {
        walk(condition, input: input)
        switch knownStatus(condition) {
        case true?:
            if let onSuccess { walk(onSuccess, input: .none) }
        case false?:
            if let onFailure { walk(onFailure, input: .none) }
        case nil:
            guard !isAlternative else {
                // An alternative does not fork again: both branches are walked one after the other.
                if let onSuccess { walk(onSuccess, input: .none) }
                if let onFailure { walk(onFailure, input: .none) }
                return
            }
            let before = stateStamp
            var other = alternativeCopy()
            let mainSince = findings.count
            if let onSuccess { walk(onSuccess, input: .none) }
            let seen = other.findings.count
            if let onFailure { other.walk(onFailure, input: .none) }
            absorb(from: &other, since: seen, mainSince: mainSince)
            // Only a branch that changed something makes the two ways differ for what follows. With the most
            // already followed, the oldest gives way: the nearest condition is the likeliest to matter next.
            if stateStamp != before || other.stateStamp != before {
                if alternatives.count >= Self.maximumAlternatives { alternatives.removeFirst() }
                alternatives.append(Alternative(other))
            }
        }
    }

    /// Walks the same part of the line in each alternative that was pending before it, keeping what they find
    /// that this walk did not (its findings for the part start at `mainSince`).
    mutating func walkInAlternatives(_ pending: [Alternative], mainSince: Int, _ step: (inout Evaluator) -> Void) {
        for alternative in pending {
            let seen = alternative.evaluator.findings.count
            step(&alternative.evaluator)
            absorb(from: &alternative.evaluator, since: seen, mainSince: mainSince)
        }
    }

    /// Takes what an alternative found after `seen` that is not among this walk's findings since `mainSince`
    /// (the same part of the line: a repeat of the same finding is one), and whether it ran out of time.
    mutating func absorb(from other: inout Evaluator, since seen: Int, mainSince: Int) {
        if other.ranOutOfTime { markOutOfTime() }
        guard other.findings.count > seen else { return }
        for finding in other.findings[seen...]
        where !findings[mainSince...].contains(where: { $0.span == finding.span && $0.rule == finding.rule }) {
            add(finding)
        }
    }

    /// How a condition ends, when the line's facts tell: `true`, `:`, `false`, `test`/`[ … ]`/`[[ … ]]` of
    /// known strings and files (`-d`, `-f`, `-e`, `-x`, `-n`, `-z`, `=`, `!=`, `!`); `nil` when only running it
    /// tells.
    mutating func knownStatus(_ command: Command) -> Bool? {
        switch command {
        case .sequence(let items):
            // A list ends as its last command does.
            guard let last = items.last else { return nil }
            return knownStatus(last)
        case .simple(let simple):
            guard simple.assignments.isEmpty else { return nil }
            var words: [String] = []
            for word in simple.words {
                guard let text = staticText(word) else { return nil }
                words.append(text)
            }
            guard let first = words.first else { return nil }
            switch first {
            case "true", ":": return words.count == 1 ? true : nil
            case "false": return words.count == 1 ? false : nil
            case "test": return testStatus(Array(words.dropFirst()))
            case "[":
                guard words.last == "]" else { return nil }
                return testStatus(Array(words.dropFirst().dropLast()))
            default: return nil
            }
        case .expansions(let words):
            // `[[ … ]]`: its operands as written, when none is only known when the line runs.
            var texts: [String] = []
            for word in words {
                guard let text = staticText(word) else { return nil }
                texts.append(text)
            }
            // A `case` arm's patterns are expansions too: only `[[ … ]]` (its keyword kept first) is a test.
            guard texts.first == "[[" else { return nil }
            return testStatus(Array(texts.dropFirst()))
        default:
            return nil
        }
    }

    /// `test`'s expression of one to three words (with a leading `!`), on the line's facts.
    func testStatus(_ words: [String]) -> Bool? {
        if words.first == "!" { return testStatus(Array(words.dropFirst())).map { !$0 } }
        switch words.count {
        case 1:
            return !words[0].isEmpty
        case 2:
            let operand = words[1]
            switch words[0] {
            case "-n": return !operand.isEmpty
            case "-z": return operand.isEmpty
            case "-e", "-d", "-f", "-x", "-L", "-h":
                guard let path = context.absolutePath(Value(operand), relativeTo: shell.directory) else { return nil }
                switch words[0] {
                case "-e": return files.exists(path)
                case "-d": return files.isDirectory(path)
                case "-f": return files.exists(path) && !files.isDirectory(path)
                case "-x": return files.isExecutableFile(path)
                default: return nil
                }
            default: return nil
            }
        case 3:
            switch words[1] {
            case "=", "==": return words[0] == words[2]
            case "!=": return words[0] != words[2]
            default: return nil
            }
        default:
            return nil
        }
    }
}

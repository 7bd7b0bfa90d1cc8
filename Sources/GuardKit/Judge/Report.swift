/// One part of a command line as toolguard read it: a command that runs.
public struct PartReport: Sendable, Hashable {
    /// argv after expansion and after the wrappers seen through.
    public var arguments: [String]
    /// The directory it runs in; `nil` when not known statically.
    public var directory: String?
    /// The module that judged it, if any.
    public var ecosystem: String?
    /// The wrappers seen through to reach it (`sudo`, `bash -c`, `xargs`, `uv run` …).
    public var wrappers: [String]
    /// How it was read: why this module, what it resolved.
    public var notes: [String]
    /// Its span in the text.
    public var span: SourceSpan
    /// Its own verdict.
    public var verdict: Verdict
    /// The findings about it.
    public var findings: [Finding]
}

/// Something an earlier part changed for the parts after it.
public struct StateChange: Sendable, Hashable {
    /// What changed, in words: `cd → /repo/src`, `VIRTUAL_ENV=/repo/.venv`.
    public var description: String
    /// Where in the text.
    public var span: SourceSpan
}

/// An entry of the reading, in the order the line runs.
public enum TraceEvent: Sendable, Hashable {
    /// A command that runs.
    case part(PartReport)
    /// A change of state (directory, environment, activation).
    case state(StateChange)
}

/// The judgement of a whole command line.
public struct Report: Sendable {
    /// The command line as given.
    public var command: String
    /// The strictest verdict of its parts.
    public var verdict: Verdict
    /// Every finding, in the order the parts run.
    public var findings: [Finding]
    /// The reading, in order.
    public var trace: [TraceEvent]
    /// The part of the text that could not be read, if any.
    public var unreadable: SourceSpan?

    /// The parts, in order.
    public var parts: [PartReport] {
        trace.compactMap { event in
            if case .part(let part) = event { return part }
            return nil
        }
    }

    /// The finding that decided the verdict: the first one with the line's verdict.
    public var decisiveFinding: Finding? {
        findings.first { $0.verdict == verdict && verdict >= .allow }
    }
}

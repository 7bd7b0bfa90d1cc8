/// What toolguard answers for a command line or one part of it, from least to most strict.
public enum Verdict: Int, Sendable, Hashable, Comparable, CaseIterable, CustomStringConvertible {
    /// Nothing toolguard guards.
    case pass
    /// A package-manager command recognised as project-local.
    case allow
    /// Cannot be decided statically and could be a global install: ask the person.
    case ask
    /// Installs, upgrades or removes packages in a global, system or user-wide location.
    case block

    public static func < (lhs: Verdict, rhs: Verdict) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The verdict's name as it appears in output and example files.
    public var description: String {
        switch self {
        case .pass: "pass"
        case .allow: "allow"
        case .ask: "ask"
        case .block: "block"
        }
    }

    /// Reads a verdict's name.
    public init?(name: String) {
        guard let verdict = Verdict.allCases.first(where: { $0.description == name }) else { return nil }
        self = verdict
    }
}

/// A rule: a stable id and the one-sentence reason it gives.
public struct Rule: Sendable, Hashable {
    /// A stable id, `<ecosystem>.<name>`, e.g. `python.bare-pip`.
    public let id: String
    /// The verdict the rule gives when it fires.
    public let verdict: Verdict
    /// A one-sentence summary of why the rule exists.
    public let summary: String

    /// Creates a rule.
    public init(id: String, verdict: Verdict, summary: String) {
        self.id = id
        self.verdict = verdict
        self.summary = summary
    }
}

/// One judgement about one part of a command line.
public struct Finding: Sendable, Hashable {
    /// The verdict for this part.
    public var verdict: Verdict
    /// The ecosystem that judged it (`python`, `node`, …, or `shell` for the reader's own rules).
    public var ecosystem: String
    /// The rule that fired.
    public var rule: String
    /// The span of the command text it is about.
    public var span: SourceSpan
    /// One sentence: why.
    public var reason: String
    /// A concrete command doing the same job the project-local way, when there is one. On an allow
    /// finding: the command written so that it is project-local by its words alone (the fix if sudo
    /// makes it global), when its environment is what made it project-local.
    public var fix: String?
    /// On a block or ask: the command that undoes what the part did, with the same tool that did it
    /// (`/usr/bin/pip3 uninstall -y requests`), when its module knows one (``Ecosystem/undo(_:finding:in:)``).
    /// `toolguard audit` shows it for what already ran.
    public var undo: String?

    /// Creates a finding.
    public init(
        verdict: Verdict, ecosystem: String, rule: String, span: SourceSpan, reason: String, fix: String? = nil,
        undo: String? = nil
    ) {
        self.verdict = verdict
        self.ecosystem = ecosystem
        self.rule = rule
        self.span = span
        self.reason = reason
        self.fix = fix
        self.undo = undo
    }
}

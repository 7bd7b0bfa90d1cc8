/// What the hook does with a decision before it answers (SPEC §12): a block or ask is appended to the
/// decision log; a block first looks for a person's allow-once grant, and otherwise tells how to give one.
/// Allow and pass return at once: the common path reads and writes nothing.
public struct HookRecord: Sendable {
    /// The decision log.
    public let log: DecisionLog
    /// The allow-once grants.
    public let allowOnce: AllowOnce
    /// The agent that asked.
    public let agent: Agent

    /// The records in `locations`' state directory; `nil` without a home directory (nothing is recorded).
    public init?(locations: Locations?, agent: Agent) {
        guard let locations else { return nil }
        log = DecisionLog(stateDirectory: locations.stateDirectory)
        allowOnce = AllowOnce(stateDirectory: locations.stateDirectory)
        self.agent = agent
    }

    /// The sentence a block's reason ends with.
    public static func allowOnceOffer(_ code: String) -> String {
        " — a person can allow it once: toolguard allow \(code)"
    }

    /// The decision to answer for `command` in `directory`, after the grants and the log.
    ///
    /// - Parameter finding: the finding that decided it; self-protection blocks offer no allow-once (the
    ///   person runs those commands themselves).
    public func decide(_ decision: HookDecision, finding: Finding?, command: String, directory: String, now: Int)
        -> HookDecision
    {
        switch decision {
        case .noDecision:
            return decision
        case .ask:
            record(.ask, finding: finding, command: command, directory: directory, code: nil, now: now)
            return decision
        case .block(let reason):
            let offers =
                finding?.ecosystem != SelfProtection.ecosystem
                && command.utf8.count <= DecisionLog.maximumCommandLength
            guard offers else {
                record(.block, finding: finding, command: command, directory: directory, code: nil, now: now)
                return decision
            }
            if allowOnce.consume(command: command, directory: directory, now: now) {
                record(.allowedOnce, finding: finding, command: command, directory: directory, code: nil, now: now)
                return .noDecision
            }
            // Without a code (the state directory cannot be written) the block stands, offering nothing.
            let code = try? allowOnce.code(command: command, directory: directory)
            record(.block, finding: finding, command: command, directory: directory, code: code, now: now)
            return .block(reason: reason + (code.map(Self.allowOnceOffer) ?? ""))
        }
    }

    /// Logs a file tool's block or ask (no allow-once: it is self-protection's).
    public func decide(
        _ decision: HookDecision, finding: Finding?, tool: String, path: String, directory: String, now: Int
    )
        -> HookDecision
    {
        guard case .block = decision else { return decision }
        record(.block, finding: finding, command: tool + " " + path, directory: directory, code: nil, now: now)
        return decision
    }

    func record(
        _ kind: DecisionLog.Kind, finding: Finding?, command: String, directory: String, code: String?, now: Int
    ) {
        let entry = DecisionLog.Entry(
            time: now, agent: agent.rawValue, directory: directory, command: command, kind: kind, rule: finding?.rule,
            code: code)
        // The decision stands whether or not it could be logged.
        try? log.append(entry)
    }
}

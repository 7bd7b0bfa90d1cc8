import GuardKit

// The hook's decision log and allow-once (SPEC §12), kept out of main.swift's dispatch: only a block or an
// ask reaches the state directory.

/// A shell command's decision after the grants and the log.
func recordShell(
    _ decision: HookDecision, _ report: Report, _ directory: String, _ setup: GuardSetup, _ agent: Agent
) -> HookDecision {
    guard decision != .noDecision, let record = HookRecord(locations: setup.locations, agent: agent) else {
        return decision
    }
    return record.decide(
        decision, finding: report.decisiveFinding, command: report.command, directory: directory,
        now: Timestamp.now())
}

/// A file tool's decision, logged.
func recordFileTool(
    _ decision: HookDecision, _ finding: Finding?, _ tool: String, _ path: String, _ directory: String,
    _ setup: GuardSetup, _ agent: Agent
) -> HookDecision {
    guard decision != .noDecision, let record = HookRecord(locations: setup.locations, agent: agent) else {
        return decision
    }
    return record.decide(decision, finding: finding, tool: tool, path: path, directory: directory, now: Timestamp.now())
}

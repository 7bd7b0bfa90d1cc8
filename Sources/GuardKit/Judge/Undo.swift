/// The undo command of a part that toolguard blocks or asks about (SPEC §12): its module knows the
/// package manager's words; the engine adds the elevation the part ran with.
extension Evaluator {
    /// Asks the module for the undo of each block or ask finding that has none yet.
    static func addUndo(
        to findings: inout [Finding], ecosystem: any Ecosystem, invocation: Invocation, context: JudgementContext
    ) {
        for index in findings.indices where findings[index].verdict >= .ask && findings[index].undo == nil {
            guard let undo = ecosystem.undo(invocation, finding: findings[index], in: context) else { continue }
            // What ran as root is removed as root.
            findings[index].undo = invocation.isElevated ? "sudo " + undo : undo
        }
    }
}

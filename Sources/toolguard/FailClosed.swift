import GuardKit

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The hook's last line of defence (SPEC §6): every agent lets a command through when its hook crashes, is
/// killed by a signal or runs past the agent's timeout, so the hook answers those itself. A crash (a Swift
/// trap, a stack overflow, an abort) and its own deadline, shorter than any timeout `install` registers, end
/// the process with the agent's deny and the blocking status, written from a signal handler.
///
/// The answers are compile-time constants (`StaticString`): a signal handler may only call async-signal-safe
/// functions (`write`, `_exit`), so nothing is formatted or allocated there. One handler per agent, because a C
/// signal handler captures nothing; `AgentHooksEndToEnd` checks every one by signalling a running hook.
enum FailClosed {
    /// The hook's own deadline: well inside the 10 s `install` registers, so the hook blocks before any agent
    /// gives up on it and lets the command through.
    static let deadlineMilliseconds = 5_000
    /// An environment variable that can only shorten the deadline (a longer one is ignored), for tests and
    /// for people who want a tighter bound.
    static let deadlineVariable = "TOOLGUARD_HOOK_DEADLINE_MS"

    /// The signals a crash or the deadline arrives as.
    static let signals: [Int32] = [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE, SIGABRT, SIGSYS, SIGALRM]

    /// Installs `agent`'s handlers for every crash signal and arms the deadline (once).
    static func arm(for agent: Agent, environment: [String: String], startDeadline: Bool) {
        prepareAlternateStack()
        let handler: @convention(c) (Int32) -> Void =
            switch agent {
            case .claude: { _ in FailClosed.emit(Answers.claudeOut, Answers.reason, status: 2) }
            case .codex: { _ in FailClosed.emit(Answers.claudeOut, Answers.reason, status: 2) }
            case .gemini: { _ in FailClosed.emit(Answers.geminiOut, Answers.reason, status: 2) }
            case .cursor: { _ in FailClosed.emit(Answers.cursorOut, Answers.reason, status: 2) }
            case .copilot: { _ in FailClosed.emit(Answers.copilotOut, Answers.reason, status: 0) }
            case .windsurf: { _ in FailClosed.emit(Answers.none, Answers.reason, status: 2) }
            }
        // The mask is inherited across exec: a parent that blocks these (a test runner, an agent's thread pool)
        // would otherwise hold the deadline and the crash handlers back forever.
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        for signal in signals { sigaddset(&unblocked, signal) }
        sigprocmask(SIG_UNBLOCK, &unblocked, nil)
        for signal in signals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = handler
            action.sa_flags = Int32(SA_ONSTACK) | Int32(bitPattern: UInt32(SA_RESETHAND))
            sigemptyset(&action.sa_mask)
            sigaction(signal, &action, nil)
        }
        guard startDeadline else { return }
        var milliseconds = deadlineMilliseconds
        if let text = environment[deadlineVariable], let requested = Int(text), requested > 0 {
            milliseconds = min(milliseconds, requested)
        }
        var timer = itimerval()
        timer.it_value.tv_sec = milliseconds / 1000
        timer.it_value.tv_usec = (milliseconds % 1000) * 1000
        setitimer(__itimer_which_t(ITIMER_REAL.rawValue), &timer, nil)
    }

    /// Stops the deadline and restores the default handlers, before the real answer is written: from then
    /// on nothing may write a second one.
    static func disarm() {
        var timer = itimerval()
        setitimer(__itimer_which_t(ITIMER_REAL.rawValue), &timer, nil)
        for signal in signals { Glibc.signal(signal, SIG_DFL) }
    }

    /// A stack of its own for the handlers, so that a stack overflow still reaches them.
    private static func prepareAlternateStack() {
        let size = 64 * 1024
        var stack = stack_t()
        guard sigaltstack(nil, &stack) == 0, stack.ss_sp == nil else { return }
        stack.ss_sp = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)  // lives as long as the process
        stack.ss_size = size
        stack.ss_flags = 0
        sigaltstack(&stack, nil)
    }

    /// Writes the constant answer and ends the process at once (async-signal-safe calls only).
    private static func emit(_ standardOutput: StaticString, _ standardError: StaticString, status: Int32) {
        write(1, standardOutput.utf8Start, standardOutput.utf8CodeUnitCount)
        write(2, standardError.utf8Start, standardError.utf8CodeUnitCount)
        _exit(status)
    }

    /// Each agent's deny for a hook that failed, as ``AgentHook/answer(_:)`` writes a block. Computed
    /// properties, not stored ones: a stored static is initialised lazily, which a signal handler must not do.
    private enum Answers {
        static var reason: StaticString {
            "toolguard: the hook failed (it crashed or ran past its deadline) — toolguard blocks the command rather than let it through unjudged; leave it to the person and run toolguard doctor\n"
        }
        static var claudeOut: StaticString {
            #"{"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"deny","permissionDecisionReason":"toolguard: the hook failed (it crashed or ran past its deadline) — toolguard blocks the command rather than let it through unjudged; leave it to the person and run toolguard doctor"}}\#n"#
        }
        static var geminiOut: StaticString {
            #"{"decision":"deny","reason":"toolguard: the hook failed (it crashed or ran past its deadline) — toolguard blocks the command rather than let it through unjudged; leave it to the person and run toolguard doctor"}\#n"#
        }
        static var cursorOut: StaticString {
            #"{"permission":"deny","user_message":"toolguard: the hook failed (it crashed or ran past its deadline) — toolguard blocks the command rather than let it through unjudged; leave it to the person and run toolguard doctor","agent_message":"toolguard: the hook failed (it crashed or ran past its deadline) — toolguard blocks the command rather than let it through unjudged; leave it to the person and run toolguard doctor"}\#n"#
        }
        static var copilotOut: StaticString {
            #"{"permissionDecision":"deny","permissionDecisionReason":"toolguard: the hook failed (it crashed or ran past its deadline) — toolguard blocks the command rather than let it through unjudged; leave it to the person and run toolguard doctor"}\#n"#
        }
        static var none: StaticString { "" }
    }
}

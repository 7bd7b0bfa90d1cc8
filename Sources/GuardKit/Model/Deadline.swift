import Glibc

/// The time a judgement may spend reading a line: a budget of the process's own CPU time.
///
/// A slow hook is an open hook (SPEC §6): every agent lets the command through when its hook times out.
/// Reading a line in full is linear, but a megabyte of commands can still take longer than an agent waits;
/// past the deadline the line is judged by its words alone (`Evaluator.judgeUnreadInTime()`, rule
/// `shell.unreadable`), which asks when they name a guarded program or a protected path. A limit is a reason
/// to be careful.
///
/// The budget counts CPU time, not time on the wall: on a machine busy with other work the same line gets
/// the same reading and so the same answer, instead of an ask that depends on the load. (What bounds the
/// wall time the agent waits is the hook's own 5 s deadline, which answers deny.) CPU time never runs ahead
/// of the wall clock, so the cheap monotonic clock is read first and the CPU clock, a system call, only once
/// the wall clock says the budget could be spent.
public struct Deadline: Sendable {
    private let budget: UInt64
    private let wallStart: UInt64
    private let cpuStart: UInt64

    /// A budget of `milliseconds` of CPU time from now.
    public init(milliseconds: Int) {
        budget = UInt64(max(0, milliseconds)) &* 1_000_000
        wallStart = Self.now(CLOCK_MONOTONIC)
        cpuStart = Self.now(CLOCK_PROCESS_CPUTIME_ID)
    }

    /// Whether the budget is spent.
    public var hasPassed: Bool {
        guard Self.now(CLOCK_MONOTONIC) &- wallStart >= budget else { return false }
        return Self.now(CLOCK_PROCESS_CPUTIME_ID) &- cpuStart >= budget
    }

    /// A clock's reading, in nanoseconds.
    static func now(_ clock: clockid_t) -> UInt64 {
        var time = timespec()
        clock_gettime(clock, &time)
        return UInt64(time.tv_sec) &* 1_000_000_000 &+ UInt64(time.tv_nsec)
    }
}

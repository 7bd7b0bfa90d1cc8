import Glibc

/// The instant by which a judgement must answer, on the monotonic clock.
///
/// A slow hook is an open hook (SPEC §6): every agent lets the command through when its hook times out.
/// Reading a line in full is linear, but a megabyte of commands can still take longer than an agent waits;
/// past the deadline the line is judged by its words alone (`Evaluator.judgeUnreadInTime()`, rule
/// `shell.unreadable`), which asks when they name a guarded program or a protected path. A limit is a reason
/// to be careful.
public struct Deadline: Sendable {
    /// Nanoseconds on `CLOCK_MONOTONIC`.
    public let instant: UInt64

    /// The deadline `milliseconds` from now.
    public init(milliseconds: Int) {
        instant = Self.now() &+ UInt64(max(0, milliseconds)) &* 1_000_000
    }

    /// Whether the deadline has passed.
    public var hasPassed: Bool { Self.now() >= instant }

    /// The monotonic clock, in nanoseconds.
    static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) &* 1_000_000_000 &+ UInt64(time.tv_nsec)
    }
}

/// A multiset of arguments: how many times each one is still to be taken.
///
/// Fix builders drop the options that made a command global, each as many times as it was written;
/// taking from a multiset keeps that linear, where searching and removing from an array was quadratic
/// on a line that repeats an option thousands of times.
public struct ArgumentCounts: Sendable {
    private var counts: [Argument: Int] = [:]

    /// An empty multiset.
    public init() {}

    /// The arguments given, each counted as often as it appears.
    public init(_ arguments: some Sequence<Argument>) {
        for argument in arguments { add(argument) }
    }

    /// Counts `argument` once more.
    public mutating func add(_ argument: Argument) {
        counts[argument, default: 0] += 1
    }

    /// Takes `argument` once, if it is still counted; `true` when it was.
    public mutating func take(_ argument: Argument) -> Bool {
        guard let count = counts[argument] else { return false }
        counts[argument] = count == 1 ? nil : count - 1
        return true
    }
}

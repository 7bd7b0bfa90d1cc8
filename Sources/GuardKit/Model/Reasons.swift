/// Reasons that several modules (and the engine) give in the same words, written once so that they read
/// alike wherever they fire and a change of wording is one edit.
public enum Reasons {
    /// The phrase for a value an expansion leaves open until the line runs.
    public static let onlyKnownWhenRun = "only known when the line runs"

    /// `what` cannot be read statically: "`GOBIN=$dir` is only known when the line runs."
    public static func onlyKnownWhenRun(_ what: String) -> String { "\(what) is \(onlyKnownWhenRun)." }

    /// A tool's subcommand is an expansion: "pip's command `$cmd` is only known when the line runs."
    /// `noun` is what the tool's documentation calls it (`command`, `subcommand`).
    public static func dynamicCommand(of tool: String, _ word: String, noun: String = "command") -> String {
        onlyKnownWhenRun("\(tool)'s \(noun) `\(word)`")
    }

    /// An explicit location option names a place inside the project: "`--target` points inside the project
    /// (/repo/vendor)."
    public static func pointsInside(_ option: String, _ path: String) -> String {
        "`\(option)` points inside the project (\(path))."
    }

    /// Why a file, script or recipe is not read: there is more of it than one line may cost.
    public static let pastLineBudget = "is past what toolguard judges per line"
}

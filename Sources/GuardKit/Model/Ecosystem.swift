/// A value after expansion: its text, and whether it still holds something not known statically.
public struct Value: Sendable, Hashable {
    /// The text; for a dynamic value, the best reading there is (unresolved parts kept as written).
    public var text: String
    /// Whether the text still holds an unresolved expansion.
    public var isDynamic: Bool

    /// Creates a value.
    public init(_ text: String, isDynamic: Bool = false) {
        self.text = text
        self.isDynamic = isDynamic
    }
}

/// One argument of a command after expansion, with the span of the word it came from.
public struct Argument: Sendable, Hashable {
    /// The argument's text after expansion and quote removal.
    public var text: String
    /// Whether it still holds an unresolved expansion.
    public var isDynamic: Bool
    /// The span of the word in the original text.
    public var span: SourceSpan

    /// Creates an argument.
    public init(_ text: String, isDynamic: Bool = false, span: SourceSpan) {
        self.text = text
        self.isDynamic = isDynamic
        self.span = span
    }

    /// The argument as a value.
    public var value: Value { Value(text, isDynamic: isDynamic) }
}

/// The exported environment a command runs with.
///
/// The hook's environment is shared, unchanged, by every command of the line; what the line changes sits
/// in layers over it, so that giving a command its own environment (`FOO=1 cmd`) copies almost nothing:
/// the last few changes in a short list, older ones in an overlay, which folds into the base once it is as
/// large as the base (each fold at least doubles what the next one needs, so a line of n exports costs
/// O(n), and n `A=1 cmd` after them cost O(1) each).
public struct Environment: Sendable, Hashable {
    private var base: [String: Value]
    /// Changes over `base`: a value, or `nil` for a variable the line unset.
    private var overlay: [String: Value?] = [:]
    /// The latest changes over `overlay`, newest last; at most ``recentLimit``.
    private var recent: [(name: String, value: Value?)] = []
    private static let recentLimit = 8

    /// Creates an environment from static values (the hook's own environment).
    public init(_ values: [String: String]) {
        base = values.mapValues { Value($0) }
    }

    /// Creates an environment from values.
    public init(values: [String: Value]) {
        base = values
    }

    /// Every variable that is set.
    public var variables: [String: Value] {
        guard !overlay.isEmpty || !recent.isEmpty else { return base }
        var merged = base
        for (name, value) in overlay { merged[name] = value }
        for (name, value) in recent { merged[name] = value }
        return merged
    }

    /// The variable's value, if set.
    public subscript(name: String) -> Value? {
        get {
            if let latest = recent.last(where: { $0.name == name }) { return latest.value }
            if let changed = overlay[name] { return changed }
            return base[name]
        }
        set {
            if recent.count == Self.recentLimit {
                for (name, value) in recent { overlay[name] = .some(value) }
                recent.removeAll(keepingCapacity: true)
                if overlay.count > max(32, base.count) {
                    base = variables
                    overlay = [:]
                }
            }
            recent.append((name, newValue))
        }
    }

    /// Equal when the same variables are set to the same values, however they were set.
    public static func == (lhs: Environment, rhs: Environment) -> Bool { lhs.variables == rhs.variables }

    public func hash(into hasher: inout Hasher) { hasher.combine(variables) }

    /// Whether the variable is set to a value that means "yes" to the tools that read it
    /// (`1`, `true`, `yes`, `on`, case-insensitively); a dynamic value is `nil`: not known.
    public func isTruthy(_ name: String) -> Bool? {
        guard let value = self[name] else { return false }
        if value.isDynamic { return nil }
        return ["1", "true", "yes", "on", "y"].contains(value.text.lowercased())
    }
}

/// A command as one part of the line runs it, with everything toolguard resolved about it.
public struct Invocation: Sendable {
    /// argv after expansion; `arguments[0]` is the command word as written (expanded).
    public var arguments: [Argument]
    /// The dispatch key: the command word's base name, normalized (`pip3.12` → `pip`).
    public var program: String
    /// The environment the command runs with.
    public var environment: Environment
    /// The directory it runs in; `nil` when it is not known statically.
    public var directory: String?
    /// Whether it runs with elevated privileges (`sudo`, `doas`, `su`).
    public var isElevated: Bool
    /// Whether it runs in the current shell (`source`, a function the shell defines), so that its
    /// environment changes last for the rest of the line.
    public var runsInCurrentShell: Bool
    /// Whether it is a file read by `source` or `.` (not executed).
    public var isSourced: Bool
    /// The span of the whole command in the original text.
    public var span: SourceSpan
    /// The span of the command without the wrappers seen through (`pip install x` in `sudo pip install x`).
    public var coreSpan: SourceSpan

    /// The arguments after the command word.
    public var operands: ArraySlice<Argument> { arguments.dropFirst() }
}

/// A change a command makes that later parts of the line may depend on.
public enum Effect: Sendable, Hashable {
    /// The command creates this file or directory (`python -m venv .venv` creates `.venv/pyvenv.cfg`).
    case creates(path: String)
    /// In the current shell, sets a variable (`source .venv/bin/activate` sets `VIRTUAL_ENV`).
    case setVariable(String, Value, exported: Bool)
    /// In the current shell, unsets a variable.
    case unsetVariable(String)
}

/// A command that another command runs (`npx …`, `uv run …`, `poetry run …`): it is judged too.
public struct NestedCommand: Sendable {
    /// The command's argv.
    public var arguments: [Argument]
    /// Variables the runner sets (a value) or removes (`nil`) for it.
    public var environmentChanges: [String: Value?]
    /// The directory it runs in, when the runner changes it.
    public var directory: String?
    /// What ran it, for the trace (`uv run`).
    public var runner: String

    /// Creates a nested command.
    public init(
        arguments: [Argument], environmentChanges: [String: Value?] = [:], directory: String? = nil, runner: String
    ) {
        self.arguments = arguments
        self.environmentChanges = environmentChanges
        self.directory = directory
        self.runner = runner
    }
}

/// Project scripts a command runs from a manifest (`npm run build` runs `prebuild`, `build`, `postbuild`
/// from package.json): the module says where they live and which run; GuardKit reads and judges them.
public struct ProjectScripts: Sendable, Hashable {
    /// The manifest, an absolute path (`/repo/package.json`). A JSON object.
    public var manifest: String
    /// The key of the manifest's object that maps script names to shell code (`scripts`).
    public var table: String
    /// The scripts that run, in order; a name the table does not hold runs nothing.
    public var names: [String]
    /// The directory they run in.
    public var directory: String
    /// Directories put first on `PATH`, in order (`node_modules/.bin` of the package and its ancestors).
    public var pathPrefixes: [String]
    /// Variables set (a value) or removed (`nil`) for the scripts.
    public var environmentChanges: [String: Value?]
    /// The script the command names (`build` in `npm run build -- ARGS`), which gets `extraArguments`.
    public var mainScript: String?
    /// The arguments appended to the main script's command (`npm run x -- ARGS`).
    public var extraArguments: [Argument]
    /// What runs them, for the trace and reasons (`npm run build`).
    public var runner: String
    /// How the entries are written: plain strings of shell code unless the manifest says otherwise.
    public var entries: ScriptEntries

    /// Creates a set of project scripts to run.
    public init(
        manifest: String, table: String, names: [String], directory: String, pathPrefixes: [String] = [],
        environmentChanges: [String: Value?] = [:], mainScript: String? = nil, extraArguments: [Argument] = [],
        runner: String, entries: ScriptEntries = ScriptEntries()
    ) {
        self.entries = entries
        self.manifest = manifest
        self.table = table
        self.names = names
        self.directory = directory
        self.pathPrefixes = pathPrefixes
        self.environmentChanges = environmentChanges
        self.mainScript = mainScript
        self.extraArguments = extraArguments
        self.runner = runner
    }
}

/// What an ecosystem module made of one invocation.
public struct Judgement: Sendable {
    /// Findings: block, ask, or allow for a recognised project-local operation. None means pass.
    public var findings: [Finding] = []
    /// Changes later parts of the line may depend on.
    public var effects: [Effect] = []
    /// A command this one runs, to be judged as well.
    public var nested: NestedCommand?
    /// Project scripts this command runs (package.json `scripts`), to be read and judged as shell code.
    public var scripts: [ProjectScripts] = []
    /// How the module read the command, for `explain` (`pip resolves to /usr/bin/pip: no pyvenv.cfg`).
    public var notes: [String] = []

    /// An empty judgement: pass.
    public init() {}

    /// A judgement with these findings.
    public init(findings: [Finding], notes: [String] = []) {
        self.findings = findings
        self.notes = notes
    }
}

/// An ecosystem module: the knowledge of one family of package managers.
///
/// A module describes itself (id, summary, programs, rules, deny patterns) and judges invocations of the
/// programs it claims. It carries no state: the line's state reaches it in the `Invocation` and the
/// `JudgementContext`.
public protocol Ecosystem: Sendable {
    /// A stable id: `python`, `node`, …
    var id: String { get }
    /// A one-line summary.
    var summary: String { get }
    /// The programs it claims, as normalized base names (`pip`, `python`, `uv`, …).
    var programs: [String] { get }
    /// File names that mark a project root for this ecosystem (`pyproject.toml`, `package.json`, …).
    var projectMarkers: [String] { get }
    /// Every rule the module can fire.
    var rules: [Rule] { get }
    /// Whether it guards where no config file says otherwise.
    var isEnabledByDefault: Bool { get }
    /// Claude Code permission patterns that are global in every context (SPEC §9, layer 1).
    var denyPatterns: [String] { get }
    /// The module language's interpreters that take code on the command line, and the options that give it
    /// (`python -c`, `node -e`): such code that visibly runs a package manager asks. Read from every built-in
    /// module, enabled or not: the code may run any ecosystem's package manager.
    var inlineCodeOptions: [String: Set<String>] { get }
    /// The arguments that, written after one of its programs, make text that cannot be read (a dynamic command
    /// word, inline code, a file's unreadable rest) look like a package operation (`install`, `add`, `-g`).
    var operationWords: Set<String> { get }
    /// Directories, relative to the home directory, where the module's tools put commands for the user
    /// (`.cargo/bin`): an executable written there is installed, not merely built.
    var userBinDirectories: [String] { get }
    /// Commands for `toolguard doctor`'s self-test of the installed hook, whose verdict does not depend on
    /// the machine.
    var selfTests: [SelfTest.Case] { get }
    /// Judges one invocation of a program it claims.
    func judge(_ invocation: Invocation, in context: JudgementContext) -> Judgement
    /// The command that undoes `invocation`, which `finding` (block or ask) says changes a global location:
    /// the same tool removing what it installed, or installing what it removed; `nil` when the module
    /// cannot tell (an upgrade, a package named only by a path). Asked only for block and ask findings, so it
    /// costs the common path nothing. Without `sudo`: the engine adds the elevation the part ran with.
    func undo(_ invocation: Invocation, finding: Finding, in context: JudgementContext) -> String?
}

extension Ecosystem {
    /// Whether it guards where no config file says otherwise (SPEC §8); `system` is off by default.
    public var isEnabledByDefault: Bool { true }
    /// No interpreter of its own, unless the module says otherwise.
    public var inlineCodeOptions: [String: Set<String>] { [:] }
    /// No operation words, unless the module says otherwise.
    public var operationWords: Set<String> { [] }
    /// No bin directory of its own, unless the module says otherwise.
    public var userBinDirectories: [String] { [] }
    /// No self-test, unless the module says otherwise.
    public var selfTests: [SelfTest.Case] { [] }
}

extension Ecosystem {
    /// No undo known, unless the module says otherwise.
    public func undo(_ invocation: Invocation, finding: Finding, in context: JudgementContext) -> String? { nil }
}

extension Ecosystem {
    /// A finding for `rule` about `invocation`, with the rule's verdict unless another is given.
    public func finding(
        _ rule: Rule, _ invocation: Invocation, reason: String, fix: String? = nil, verdict: Verdict? = nil,
        span: SourceSpan? = nil
    ) -> Finding {
        Finding(
            verdict: verdict ?? rule.verdict, ecosystem: id, rule: rule.id, span: span ?? invocation.span,
            reason: reason, fix: fix)
    }
}

#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Musl)
    internal import Musl
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// `toolguard audit` (SPEC §12): what agents and people already ran, judged as the hook would judge it
/// today in the directory it ran in; each global install or removal found, with the command that undoes it.
///
/// Nothing read is ever run: commands are only parsed and judged. Today's file system, PATH and
/// configuration stand in for the ones at the time, which are gone.
public struct Audit: Sendable {
    /// One command the hook would block or ask about.
    public struct Finding: Sendable, Hashable {
        /// Where it was recorded.
        public var record: RecordedCommand
        /// The directory it was judged in.
        public var directory: String
        /// block or ask.
        public var verdict: Verdict
        /// The ecosystem.
        public var ecosystem: String
        /// The rule.
        public var rule: String
        /// The command that undoes it, when its module knows one.
        public var undo: String?

        /// As the `--json` output writes it.
        public var json: JSONValue {
            .object([
                "source": .string(record.source), "line": JSONValue(record.line), "cwd": .string(directory),
                "command": .string(record.command), "verdict": .string(verdict.description),
                "ecosystem": .string(ecosystem), "rule": .string(rule), "undo": undo.map(JSONValue.string) ?? .null,
            ])
        }
    }

    /// What a command was found to do, remembered for its repetitions.
    struct Judged: Sendable {
        var verdict: Verdict
        var ecosystem: String
        var rule: String
        var undo: String?
    }

    /// Every built-in module; each directory enables those its configuration enables.
    public let builtIn: [any Ecosystem]
    /// The environment commands are judged with (today's).
    public let environment: [String: String]
    /// The directory of a command whose record names none (a shell history): the home directory.
    public let fallbackDirectory: String

    /// Creates an audit.
    public init(builtIn: [any Ecosystem], environment: [String: String], fallbackDirectory: String) {
        self.builtIn = builtIn
        self.environment = environment
        self.fallbackDirectory = fallbackDirectory
    }

    /// What judging a batch found.
    public struct Result: Sendable {
        /// Commands judged.
        public var commands = 0
        /// Findings, in the order read.
        public var findings: [Finding] = []

        /// Nothing judged yet.
        public init() {}
    }

    /// A judge per directory, built on first use (a transcript runs in a handful of directories), and the
    /// findings of each command already judged there: agents repeat themselves (`git status`, `npm test`),
    /// and today's file system does not change while the audit reads, so the same command in the same
    /// directory is judged once.
    public struct Judges {
        var byDirectory: [String: CommandJudge] = [:]
        var judged: [String: [Judged]] = [:]
        /// What the kernel said about each path, shared by every command judged: the audit runs nothing, so
        /// the file system does not change while it reads.
        var snapshot = FileSystemSnapshot()
        /// Past this many distinct commands the memory of judged ones (and of probed paths) starts over.
        static let memoryLimit = 200_000

        /// No judge yet.
        public init() {}
    }

    /// Judges `records`, adding to `result`; `progress` is called now and then with the counts so far.
    public func judge(
        _ records: [RecordedCommand], into result: inout Result, judges: inout Judges,
        progress: (_ commands: Int, _ findings: Int) -> Void = { _, _ in }
    ) {
        for record in records {
            result.commands += 1
            if result.commands & 0xFFF == 0 { progress(result.commands, result.findings.count) }
            var directory = fallbackDirectory
            if let recorded = record.directory, recorded.hasPrefix("/") { directory = Paths.normalize(recorded) }
            let judge: CommandJudge
            if let known = judges.byDirectory[directory] {
                judge = known
            } else {
                // The directory's configuration chooses the modules, as in the hook; self-protection is left
                // out: what it guards is toolguard's own files, not installs, and it costs path resolution.
                let setup = GuardSetup(
                    builtIn: builtIn, directory: directory, environment: environment, installedBinary: nil)
                judge = CommandJudge(
                    ecosystems: setup.judge.ecosystems,
                    policy: JudgementPolicy(allowsToolInstallers: setup.configuration.allowsToolInstallers),
                    protection: nil, projectMarkers: CommandJudge.projectMarkers(for: builtIn), known: builtIn)
                judges.byDirectory[directory] = judge
            }
            let key = directory + "\u{0}" + record.command
            let found: [Judged]
            if let known = judges.judged[key] {
                found = known
            } else {
                let report = judge.judge(
                    record.command, directory: directory, environment: environment, tracing: false,
                    findingUndo: true, snapshot: judges.snapshot,
                    deadline: Deadline(milliseconds: CommandJudge.readingBudgetMilliseconds))
                found =
                    report.verdict < .ask
                    ? []
                    : report.findings.filter { $0.verdict >= .ask }.map {
                        Judged(verdict: $0.verdict, ecosystem: $0.ecosystem, rule: $0.rule, undo: $0.undo)
                    }
                if judges.judged.count >= Judges.memoryLimit {
                    judges.judged = [:]
                    judges.snapshot = FileSystemSnapshot()
                }
                judges.judged[key] = found
            }
            for finding in found {
                result.findings.append(
                    Finding(
                        record: record, directory: directory, verdict: finding.verdict, ecosystem: finding.ecosystem,
                        rule: finding.rule, undo: finding.undo))
            }
        }
    }

    /// The JSON the `--json` output prints: `{"schema": 1, "commands": N, "findings": [...]}`.
    public static func json(_ result: Result) -> String {
        JSONValue.object([
            "schema": 1, "commands": JSONValue(result.commands), "findings": .array(result.findings.map(\.json)),
        ]).serialized(style: .pretty(indent: 2), trailingNewline: true)
    }

    // MARK: Where records are

    /// The records read by default: Claude Code's transcripts, Codex's sessions, bash's and zsh's histories.
    public static func defaultPaths(locations: Locations, environment: [String: String]) -> [String] {
        var codex = locations.home + "/.codex"
        if let home = environment["CODEX_HOME"], home.hasPrefix("/") { codex = Paths.normalize(home) }
        return [
            locations.claudeConfigDirectory + "/projects", codex + "/sessions", locations.home + "/.bash_history",
            locations.home + "/.zsh_history",
        ]
    }

    /// The files under `path`: itself when it is a file; in a directory, every `.jsonl` file and every
    /// `*history` file, recursively, in name order. Symbolic links to directories are not followed (no loops).
    public static func files(under path: String) -> [String] {
        var info = stat()
        guard stat(path, &info) == 0 else { return [] }
        if (info.st_mode & S_IFMT) != S_IFDIR { return [path] }
        var found: [String] = []
        var stack = [path]
        while let directory = stack.popLast() {
            guard let handle = opendir(directory) else { continue }
            var names: [String] = []
            while let entry = readdir(handle) {
                let name = withUnsafePointer(to: entry.pointee.d_name) {
                    $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
                }
                if name != ".", name != ".." { names.append(name) }
            }
            closedir(handle)
            var subdirectories: [String] = []
            for name in names.sorted() {
                let child = directory == "/" ? "/" + name : directory + "/" + name
                var childInfo = stat()
                guard lstat(child, &childInfo) == 0 else { continue }
                switch childInfo.st_mode & S_IFMT {
                case S_IFDIR: subdirectories.append(child)
                case S_IFREG where name.hasSuffix(".jsonl") || name.hasSuffix("history"): found.append(child)
                default: break
                }
            }
            stack += subdirectories.reversed()
        }
        return found.sorted()
    }
}

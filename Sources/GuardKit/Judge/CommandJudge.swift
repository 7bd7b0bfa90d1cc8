/// Judges command lines: reads them the way bash does and asks the ecosystem modules about each part.
///
/// The judge is a value built once from the enabled modules; judging is a pure function of the
/// command, the starting directory, the environment and the file system.
public struct CommandJudge: Sendable {
    /// The enabled modules, in registry order.
    public let ecosystems: [any Ecosystem]
    /// Program name → what the engine does with it: the dispatcher is this one lookup.
    let programs: [String: ProgramTraits]
    /// Every program name some module claims, for judging code toolguard cannot parse.
    let guardedPrograms: Set<String>
    /// Text that cannot be read, scanned for those programs (built when a line first needs it: most never do).
    var programScan: ShellRules.WordScan {
        ShellRules.WordScan(programs: guardedPrograms, words: [], substrings: [])
    }
    /// Text that cannot be read, scanned for self-protection's paths and toolguard's protected subcommands.
    var protectionScan: ShellRules.WordScan? {
        protection.map {
            ShellRules.WordScan(programs: [], words: SelfProtection.protectedSubcommands, substrings: $0.spellings)
        }
    }
    /// `.git` plus every module's manifest names.
    let projectMarkers: [String]
    /// Every known module's operation words (``Ecosystem/operationWords``).
    let operationWords: Set<String>
    /// Directories under home where commands are installed: the generic ones and every known module's.
    let userBinDirectories: [String]
    /// The judgement calls the user configured.
    let policy: JudgementPolicy
    /// Self-protection, when the caller knows what to protect.
    public let protection: SelfProtection?

    /// Project-root markers: version control and `.toolguard.json`, then every module's manifests.
    public static func projectMarkers(for ecosystems: [any Ecosystem]) -> [String] {
        var markers = [".git", ".hg", ".svn", ".toolguard.json"]
        for ecosystem in ecosystems {
            for marker in ecosystem.projectMarkers where !markers.contains(marker) { markers.append(marker) }
        }
        return markers
    }

    /// Creates a judge over `ecosystems`; when two claim a program, the first one wins. `projectMarkers`
    /// defaults to those of `ecosystems`; pass every built-in module's so that the project root does not
    /// depend on which modules are enabled. `known` (default: `ecosystems`) are every module toolguard has,
    /// enabled or not: how text that cannot be read is scanned (interpreters, operation words) and where
    /// commands are installed do not depend on which are enabled either.
    public init(
        ecosystems: [any Ecosystem], policy: JudgementPolicy = JudgementPolicy(), protection: SelfProtection? = nil,
        projectMarkers: [String]? = nil, known: [any Ecosystem]? = nil
    ) {
        self.policy = policy
        self.protection = protection
        self.ecosystems = ecosystems
        var programs: [String: ProgramTraits] = [:]
        for (index, ecosystem) in ecosystems.enumerated() {
            for program in ecosystem.programs where programs[program]?.module == nil {
                programs[program, default: ProgramTraits()].module = index
            }
        }
        self.guardedPrograms = Set(programs.keys)
        for name in Wrappers.names { programs[name, default: ProgramTraits()].isWrapper = true }
        var operationWords: Set<String> = []
        var userBinDirectories = JudgementContext.genericUserBinDirectories
        var interpreters = ShellRules.otherInterpreters
        for module in known ?? ecosystems {
            operationWords.formUnion(module.operationWords)
            for directory in module.userBinDirectories where !userBinDirectories.contains(directory) {
                userBinDirectories.append(directory)
            }
            interpreters.merge(module.inlineCodeOptions) { $0.union($1) }
        }
        for (name, options) in interpreters {
            programs[name, default: ProgramTraits()].inlineCodeOptions = options
        }
        self.operationWords = operationWords
        self.userBinDirectories = userBinDirectories
        if protection != nil {
            for name in FileOperations.names.union(["toolguard"]) {
                programs[name, default: ProgramTraits()].isSelfProtected = true
            }
        }
        self.programs = programs
        self.projectMarkers = projectMarkers ?? Self.projectMarkers(for: ecosystems)
    }

    /// The module that claims a program name, if any.
    public func ecosystem(for program: String) -> (any Ecosystem)? {
        programs[ProgramName.normalize(program)]?.module.map { ecosystems[$0] }
    }

    /// Judges `command` as if run in `directory` with `environment` (the hook's own environment).
    /// `tracing` keeps the reading for `explain`; the hook needs only the findings.
    /// `findingUndo` asks each module for the command that undoes a block or ask (``Finding/undo``), which only
    /// an audit reports: the hook answers before the command runs, so it has nothing to undo and skips the work.
    /// `snapshot` shares what the kernel says across judgements, for a batch over a file system that does not
    /// change meanwhile (an audit); the hook judges one line and leaves it `nil`.
    public func judge(
        _ command: String, directory: String, environment: [String: String], tracing: Bool = true,
        findingUndo: Bool = false, snapshot: FileSystemSnapshot? = nil, deadline: Deadline? = nil
    ) -> Report {
        var parser = ShellParser(reading: command)
        var evaluator = Evaluator(
            judge: self, source: Array(command.utf8), directory: Paths.normalize(directory), environment: environment,
            tracing: tracing, deadline: deadline)
        evaluator.findsUndo = findingUndo
        if let snapshot { evaluator.files = FileFacts(sharing: snapshot) }
        evaluator.walkReading(&parser)
        if evaluator.ranOutOfTime {
            evaluator.judgeUnreadInTime()
        } else {
            evaluator.judgeUncalledFunctions(since: 0)
        }
        let verdict = evaluator.findings.map(\.verdict).max() ?? .pass
        return Report(
            command: command, verdict: verdict, findings: evaluator.findings, trace: evaluator.trace,
            unreadable: parser.unreadable)
    }

    /// How much CPU time the hook spends reading a line before judging the rest by its words (``Deadline``):
    /// with the process's start and the word scan, a megabyte line is answered within SPEC §10's 100 ms
    /// whatever its shape.
    public static let readingBudgetMilliseconds = 30
}

/// What the engine knows about one program name.
struct ProgramTraits: Sendable {
    /// The index of the module that claims it.
    var module: Int?
    /// It runs another command (`sudo`, `env`, `bash -c` …).
    var isWrapper = false
    /// The options that give it inline code (`python -c`).
    var inlineCodeOptions: Set<String>?
    /// It may write or remove files self-protection guards (`rm`, `tee`, `toolguard` …).
    var isSelfProtected = false
}

public import GuardKit

/// Go: the go command.
///
/// `go install` writes executables to GOBIN, else the first GOPATH entry's `bin`, else `~/go/bin`,
/// with or without `@version`: it is the project's only when that directory is inside the project.
/// `go get` in module mode only edits go.mod/go.sum and fills the module cache (a cache keeping
/// versions side by side, not an install); in GOPATH mode it writes `$GOPATH/src` and `bin`.
public struct Go: DescribedEcosystem {
    public let id = "go"
    public let summary = "The go command: `go install` goes to a project-local GOBIN, `go get` edits the module."
    public let projectMarkers = ["go.mod", "go.work"]
    /// `go install` and (in GOPATH mode) `go get`.
    public let operationWords: Set<String> = ["install", "get"]
    /// The default GOBIN: `$GOPATH/bin` with GOPATH defaulting to `~/go`.
    public let userBinDirectories = ["go/bin"]
    /// Patterns that are global in every context: run as root, an install or a module change is never
    /// project-local. `go install *` is not one: with a project GOBIN it is allowed.
    public let denyPatterns = ["Bash(sudo go install *)", "Bash(sudo go get *)"]

    /// Creates the module.
    public init() {}

    /// `go.install`.
    public static let install = Rule(
        id: "go.install", verdict: .block,
        summary:
            "`go install` with neither GOBIN nor GOPATH set writes executables to ~/go/bin, shared by every project.")
    /// `go.install-location`.
    public static let installLocation = Rule(
        id: "go.install-location", verdict: .block,
        summary: "The GOBIN (or GOPATH/bin) that applies is outside the project.")
    /// `go.get-gopath`.
    public static let getGopath = Rule(
        id: "go.get-gopath", verdict: .block,
        summary: "`go get` outside a module or with GO111MODULE=off runs in GOPATH mode and writes $GOPATH/src and bin."
    )
    /// `go.env-write`.
    public static let envWrite = Rule(
        id: "go.env-write", verdict: .block,
        summary: "`go env -w` writes the user-wide Go configuration, which sends every later install there.")
    /// `go.build-output`.
    public static let buildOutput = Rule(
        id: "go.build-output", verdict: .block,
        summary: "`go build -o` writes the executable where commands are found (PATH, /usr, ~/bin …).")
    /// `go.local-location`.
    public static let localLocation = Rule(
        id: "go.local-location", verdict: .allow,
        summary: "GOBIN, GOPATH, the Go config file or the `-o` path is inside the project.")
    /// `go.module-command`.
    public static let moduleCommand = Rule(
        id: "go.module-command", verdict: .allow,
        summary: "The command works on the project's module (go.mod, go.sum, vendor/) and the shared module cache.")

    /// The programs its description claims, listed so that dispatching needs no description built.
    public let programs = ["go"]
    /// Built on first use: a line that runs no go command never builds it.
    public var descriptions: [PackageManagerDescription] { Go.all }

    static let all = [go]

    // MARK: The go command (Go's flag package: `-name` or `--name`, `=value` or a separate value)

    /// `-C DIR` changes the directory first (cmd/go's handleChdirFlag), before or right after the command.
    static let globalOptions = [
        DescribedOption("--C", value: true, role: .workingDirectory), DescribedOption("--h", "--help", role: .help),
    ]

    /// Build flags that take a value (`go help build`); every other flag is boolean.
    static let buildFlags =
        [
            "p", "asmflags", "buildmode", "compiler", "gccgoflags", "gcflags", "installsuffix", "ldflags", "mod",
            "modfile", "overlay", "pgo", "pkgdir", "tags", "toolexec", "o", "covermode", "coverpkg", "exec",
            "debug-actiongraph", "debug-runtime-trace", "debug-trace",
        ].map { DescribedOption(spellings: ["--" + $0], value: true) } + [DescribedOption("--n", role: .dryRun)]

    /// GOBIN, else the first GOPATH entry's bin, else ~/go/bin.
    static func installTarget() -> Target {
        Target(
            globalWhen: [], globalLocation: [.custom(goBin), .path("~/go/bin")], globalRule: install,
            locationRule: installLocation, explicitGlobalRule: true, allowRule: localLocation)
    }

    static let go = PackageManagerDescription(
        name: "go", programs: ["go"], style: .goFlags, globalOptions: globalOptions,
        commands: [
            // With no project to install into, the fix runs the tool instead (`go run pkg@version`), from
            // the same `-C` directory.
            CommandDescription(
                "install", action: .installs, options: buildFlags, target: installTarget(),
                fix: CommandTemplate(
                    "GOBIN={$project}/bin {written}",
                    withoutProjectCases: [TemplateCase(.always, "go run {--C:-C } {operand|.}")])),
            // `go clean -i` removes what `go install` installed, from the same directory.
            CommandDescription(
                "clean", action: .removes, options: buildFlags + [DescribedOption("--i", role: .globalOnly)],
                target: installTarget(),
                fix: CommandTemplate(
                    "GOBIN={$project}/bin {written}", withoutProjectCases: [TemplateCase(.always, "{command}")]),
                writesOnlyWith: ["--i"]),
            CommandDescription("get", action: .judgedBy(get), options: buildFlags),
            CommandDescription("build", action: .judgedBy(build), options: buildFlags),
            CommandDescription(
                "env", action: .judgedBy(env),
                options: [DescribedOption("--w"), DescribedOption("--u"), DescribedOption("--json")]),
            module("mod", ["download", "edit", "graph", "init", "tidy", "vendor", "verify", "why"], file: "go.mod"),
            module("work", ["edit", "init", "sync", "use", "vendor"], file: "go.work"),
        ],
        dynamicRule: install)

    /// `go mod …` and `go work …` work on the project's module files and the shared module cache; `init`
    /// creates the file.
    static func module(_ name: String, _ subcommands: [String], file: String) -> CommandDescription {
        CommandDescription(
            name, action: .group,
            subcommands: subcommands.map {
                CommandDescription(
                    $0, action: .worksOnProject(markers: [], manifestOption: nil), rule: moduleCommand,
                    creates: $0 == "init" ? [file] : [])
            })
    }

    // MARK: GOBIN and GOPATH

    /// Where `go install` writes when a setting says: GOBIN, else the first GOPATH entry's `bin`. go
    /// refuses a relative one, and then installs nothing.
    static let goBin = CustomLocation("GOBIN") { query in
        let settings = GoSettings(environment: query.environment, context: query.context, directory: query.directory)
        if let (gobin, source) = settings.setting("GOBIN") {
            if gobin.isDynamic { return CustomResolution(location: (gobin, nil, source)) }
            guard gobin.text.hasPrefix("/") else {
                return CustomResolution(refusal: "go refuses a relative GOBIN (\(gobin.text)): it installs nothing")
            }
            return CustomResolution(
                location: (gobin, nil, source), assignment: "GOBIN=" + Quoting.word(Paths.normalize(gobin.text)))
        }
        if let (gopath, source) = settings.setting("GOPATH") {
            if gopath.isDynamic { return CustomResolution(location: (gopath, nil, source)) }
            let entries = gopath.text.split(separator: ":").map(String.init)
            guard let first = entries.first, entries.allSatisfy({ $0.hasPrefix("/") }) else {
                return CustomResolution(refusal: "go refuses a relative GOPATH entry (\(gopath.text)): nothing runs")
            }
            return CustomResolution(
                location: (Value(first + "/bin"), nil, source),
                assignment: "GOPATH=" + Quoting.word(Paths.normalize(first)))
        }
        return CustomResolution()
    }
}

// MARK: - The go env file

/// Go's settings as go reads them: the environment variable when it is non-empty, else the user's go env
/// file, read through the judgement's file facts.
struct GoSettings {
    let environment: Environment
    let context: JudgementContext
    let directory: String?

    /// The value and where it came from (for reasons).
    func setting(_ name: String) -> (value: Value, source: String)? {
        if let value = environment[name], !value.text.isEmpty { return (value, name) }
        guard let file = goEnvFile(), let value = readGoEnv(file)[name], !value.isEmpty else { return nil }
        return (Value(value), "\(name) in \(file)")
    }

    /// The user's go env file: `$GOENV` (`off`: none), else `$XDG_CONFIG_HOME/go/env`, else
    /// `~/.config/go/env` (os.UserConfigDir). `nil` when there is none or it is not known.
    func goEnvFile() -> String? {
        if let file = environment["GOENV"], !file.text.isEmpty {
            if file.isDynamic || file.text == "off" { return nil }
            return context.absolutePath(file, relativeTo: directory)
        }
        if let config = environment["XDG_CONFIG_HOME"], !config.text.isEmpty {
            guard !config.isDynamic, config.text.hasPrefix("/") else { return nil }
            return Paths.normalize(config.text + "/go/env")
        }
        return context.home.map { $0 + "/.config/go/env" }
    }

    /// The `KEY=VALUE` lines of a go env file (cmd/go's initEnvCache); comments and malformed lines are
    /// skipped.
    func readGoEnv(_ path: String) -> [String: String] {
        guard let bytes = context.files.contents(of: path) else { return [:] }
        var values: [String: String] = [:]
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            let line = line.hasSuffix("\r") ? line.dropLast() : line
            guard !line.hasPrefix("#"), let equals = line.firstIndex(of: "="), equals != line.startIndex else {
                continue
            }
            values[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        return values
    }
}

/// What the go commands the module judges itself share: the command as written, settings, the project.
struct GoQuery {
    let query: CommandQuery

    var invocation: Invocation { query.invocation }
    var context: JudgementContext { query.context }
    var directory: String? { query.directory }
    var settings: GoSettings {
        GoSettings(environment: invocation.environment, context: context, directory: invocation.directory)
    }

    /// The command as written, for fixes that keep it whole.
    var asWritten: String { invocation.arguments.map(Quoting.argument).joined(separator: " ") }

    func pass(_ note: String) -> Judgement { Judgement(findings: [], notes: [note]) }

    func finding(_ rule: Rule, _ reason: String, fix: String? = nil, verdict: Verdict? = nil) -> Judgement {
        Judgement(findings: [query.finding(rule, reason, fix: fix, verdict: verdict)])
    }

    /// The project root as seen from the directory go runs in (after `-C`).
    var projectRoot: String? { directory.flatMap { context.projectRoot(of: $0) } }

    /// A path in the project, written for an assignment on the fix's command line: `$PWD/…` when the
    /// shell is in the project (it expands before go changes directory), else absolute.
    func projectPath(_ project: String, _ name: String) -> String {
        if let shell = invocation.directory, Paths.isInside(shell, project) {
            let relative = Paths.relative(project + "/" + name, from: shell)
            return "$PWD/" + (relative.hasPrefix("./") ? String(relative.dropFirst(2)) : relative)
        }
        return Quoting.word(project + "/" + name)
    }
}

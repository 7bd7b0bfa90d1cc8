public import GuardKit

/// Deno: `deno install -g` writes an executable into DENO_INSTALL_ROOT or ~/.deno/bin; Deno 2's
/// `deno install`/`add`/`remove` edit the project's deno.json. Deno 1's bare `deno install URL` was the
/// global installer: the project's deno.lock version tells the two apart.
public struct Deno: DescribedEcosystem {
    public let id = "deno"
    public let summary = "Deno: `deno install -g` and `deno upgrade` are global; dependencies in deno.json are local."
    public let projectMarkers = ["deno.json", "deno.jsonc"]
    /// Upgrading deno itself, bare or as root (`--dry-run` and `--output` after it are not global).
    public let denyPatterns = ["Bash(deno upgrade)", "Bash(sudo deno upgrade *)"]

    /// Creates the module.
    public init() {}

    /// The module's rules.
    public enum Rules {
        public static let globalInstall = Rule(
            id: "deno.global-install", verdict: .block,
            summary: "`deno install -g` writes an executable into ~/.deno/bin, user-wide.")
        public static let installLocation = Rule(
            id: "deno.install-location", verdict: .block,
            summary: "The install root or output is outside the project (block) or not known (ask).")
        public static let ambiguousInstall = Rule(
            id: "deno.ambiguous-install", verdict: .ask,
            summary:
                "`deno install SPEC` is global under Deno 1 and a dependency under Deno 2: the project does not say which."
        )
        public static let selfUpdate = Rule(
            id: "deno.self-update", verdict: .block, summary: "`deno upgrade` replaces the running deno.")
        public static let compileOutput = Rule(
            id: "deno.compile-output", verdict: .block,
            summary: "`deno compile -o` writes the executable where commands are found.")
        public static let dynamicCommand = Rule(
            id: "deno.dynamic-command", verdict: .ask, summary: "The deno subcommand is only known when the line runs.")
        public static let project = Rule(
            id: "deno.project", verdict: .allow, summary: "Project dependencies, or an install root inside the project."
        )
    }

    static let permissions: [DescribedOption] =
        [
            "--allow-read", "--allow-write", "--allow-net", "--allow-env", "--allow-run", "--allow-sys", "--allow-ffi",
            "--allow-import", "--allow-hrtime", "--allow-all", "--deny-read", "--deny-write", "--deny-net",
            "--deny-env", "--deny-run", "--deny-sys", "--deny-ffi", "--deny-import",
        ].map { DescribedOption(spellings: [$0], role: .refusedLocally) } + [
            DescribedOption("-A", "--allow-all", role: .refusedLocally), DescribedOption("-R", role: .refusedLocally),
            DescribedOption("-W", role: .refusedLocally), DescribedOption("-N", role: .refusedLocally),
            DescribedOption("-E", role: .refusedLocally), DescribedOption("-S", role: .refusedLocally),
            DescribedOption("-P", role: .refusedLocally),
        ]

    static func install(_ names: String..., action: CommandAction) -> CommandDescription {
        CommandDescription(
            names: names, action: action,
            options: [
                DescribedOption("-g", "--global"), DescribedOption("--root", value: true),
                DescribedOption("-n", "--name", value: true, role: .globalOnly),
                DescribedOption("-f", "--force", role: .globalOnly),
                DescribedOption("-c", "--config", value: true), DescribedOption("--entrypoint", value: true),
                DescribedOption("--compile"), DescribedOption("-h", "--help", role: .help),
            ] + permissions,
            target: Target(
                globalWhen: [.option("--global")],
                globalLocation: [
                    .option("--root", suffix: "bin"), .environment("DENO_INSTALL_ROOT", suffix: "bin"),
                    .path("~/.deno/bin"),
                ],
                localLocation: [.option("--root", suffix: "bin")],
                globalRule: Rules.globalInstall, locationRule: Rules.installLocation, explicitGlobalRule: true,
                allowRule: Rules.project,
                local: .versioned(
                    file: "deno.lock", key: "version", modern: 4, rule: Rules.ambiguousInstall, onlyWithOperands: true)),
            fix: CommandTemplate("deno run {arguments}"))
    }

    public let descriptions = [
        PackageManagerDescription(
            name: "deno", programs: ["deno"], style: .clap,
            globalOptions: [
                DescribedOption("-h", "--help", role: .help), DescribedOption("-V", "--version", role: .help),
            ],
            commands: [
                install("install", "i", action: .installs),
                install("uninstall", action: .removes),
                CommandDescription(
                    "remove", "rm", action: .removes,
                    options: [DescribedOption("-g", "--global"), DescribedOption("--root", value: true)],
                    target: Target(
                        globalWhen: [.option("--global")],
                        globalLocation: [
                            .option("--root", suffix: "bin"), .environment("DENO_INSTALL_ROOT", suffix: "bin"),
                            .path("~/.deno/bin"),
                        ],
                        globalRule: Rules.globalInstall, locationRule: Rules.installLocation, explicitGlobalRule: true,
                        allowRule: Rules.project),
                    fix: CommandTemplate("deno remove {operands}")),
                CommandDescription(
                    "add", action: .installs,
                    target: Target(
                        globalWhen: [.option("--global")], globalRule: Rules.globalInstall, allowRule: Rules.project)),
                CommandDescription(
                    "upgrade", action: .selfUpdate,
                    options: [DescribedOption("--dry-run", role: .dryRun), DescribedOption("--output", value: true)],
                    target: Target(
                        globalWhen: [], globalLocation: [.option("--output")], globalRule: Rules.selfUpdate,
                        locationRule: Rules.installLocation, explicitGlobalRule: true, allowRule: Rules.project,
                        globalPlaceDescription: "the running deno executable"),
                    fix: CommandTemplate("deno upgrade --dry-run")),
                CommandDescription(
                    "compile", action: .buildsExecutable(outputOption: "--output"),
                    options: [DescribedOption("-o", "--output", value: true)] + permissions, rule: Rules.compileOutput,
                    fix: CommandTemplate("deno compile -o bin/ {arguments}")),
                CommandDescription("task", action: .runsScript),
            ],
            dynamicRule: Rules.dynamicCommand,
            scripts: ScriptSource(
                manifest: "deno.json", table: "tasks",
                entries: ScriptEntries(
                    allowsLists: false, rewrites: [:], referenceMarker: nil, referenceRunner: "deno task",
                    objectCommandKey: "command", objectDependenciesKey: "dependencies")))
    ]
}

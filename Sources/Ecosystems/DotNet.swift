public import GuardKit

/// .NET tools: `dotnet tool install -g` and `--tool-path` outside the project are global; a local tool
/// recorded in the project's manifest (`.config/dotnet-tools.json`) is the project's.
public struct DotNet: DescribedEcosystem {
    public let id = "dotnet"
    public let summary = ".NET tools: global tools and template packs are user-wide; manifest tools are local."
    public let projectMarkers = [".config/dotnet-tools.json"]
    /// A global tool installed as root (`-g --help` alone passes, so the pattern needs sudo).
    public let denyPatterns = ["Bash(sudo dotnet tool install -g *)"]

    /// Creates the module.
    public init() {}

    /// The module's rules.
    public enum Rules {
        public static let globalTool = Rule(
            id: "dotnet.global-tool", verdict: .block,
            summary: "`dotnet tool … -g` writes or removes a tool in ~/.dotnet/tools, user-wide.")
        public static let toolPath = Rule(
            id: "dotnet.tool-path", verdict: .block,
            summary: "`--tool-path` is outside the project (block) or not known (ask).")
        public static let sharedManifest = Rule(
            id: "dotnet.shared-manifest", verdict: .block,
            summary: "The tool manifest is in the home directory or above it: every project below shares its tools.")
        public static let templateInstall = Rule(
            id: "dotnet.template-install", verdict: .block,
            summary: "`dotnet new install` adds a template pack for the user, not the project.")
        public static let dynamicCommand = Rule(
            id: "dotnet.dynamic-command", verdict: .ask, summary: "The dotnet command is only known when the line runs."
        )
        public static let project = Rule(
            id: "dotnet.project", verdict: .allow,
            summary: "A local tool in the project's manifest, or the project's own packages.")
    }

    static let manifests = [".config/dotnet-tools.json", "dotnet-tools.json"]
    static let newProject = "mkdir -p ~/dotnet-project && cd ~/dotnet-project && "

    static let toolOptions = [
        DescribedOption("-g", "--global"), DescribedOption("--local"),
        DescribedOption("--tool-path", value: true), DescribedOption("--version", value: true),
        DescribedOption("--add-source", value: true), DescribedOption("--source", value: true),
        DescribedOption("--configfile", value: true), DescribedOption("--framework", value: true),
        DescribedOption("-a", "--arch", value: true), DescribedOption("--tool-manifest", value: true),
        DescribedOption("-v", "--verbosity", value: true), DescribedOption("--create-manifest-if-needed"),
        DescribedOption("-h", "-?", "--help", role: .help),
    ]

    static func tool(_ name: String, action: CommandAction, undo: String?) -> CommandDescription {
        CommandDescription(
            name, action: action, options: toolOptions,
            target: Target(
                globalWhen: [.option("--global")], globalLocation: [.path("~/.dotnet/tools")],
                localLocation: [.option("--tool-path")], globalRule: Rules.globalTool, locationRule: Rules.toolPath,
                allowRule: Rules.project,
                local: .notShared(
                    markers: manifests, option: "--tool-manifest", fallsBackToProjectRoot: true,
                    rule: Rules.sharedManifest)),
            fix: CommandTemplate(
                "{command}", prefix: "dotnet new tool-manifest && ", unlessFound: manifests, withoutProject: newProject),
            undo: undo.map { CommandTemplate("dotnet tool \($0) -g {operands}") })
    }

    public let descriptions = [
        PackageManagerDescription(
            name: "dotnet", programs: ["dotnet"], style: .systemCommandLine,
            globalOptions: [
                DescribedOption("-h", "-?", "--help", role: .help), DescribedOption("--version", role: .help),
                DescribedOption("--info", role: .help), DescribedOption("-d", "--diagnostics"),
            ],
            commands: [
                CommandDescription(
                    "tool", action: .group,
                    subcommands: [
                        tool("install", action: .installs, undo: "uninstall"),
                        tool("update", action: .installs, undo: nil),
                        tool("uninstall", action: .removes, undo: nil),
                        CommandDescription(
                            "restore", action: .installs,
                            target: Target(
                                globalWhen: [.option("--global")], globalRule: Rules.globalTool,
                                allowRule: Rules.project)),
                        CommandDescription("list", action: .reads), CommandDescription("search", action: .reads),
                        CommandDescription("run", action: .reads), CommandDescription("exec", action: .reads),
                    ]),
                CommandDescription(
                    "new", action: .group,
                    options: [
                        DescribedOption("-i", "--install", value: true, role: .actsAs("install")),
                        DescribedOption("-u", "--uninstall", value: true, role: .actsAs("uninstall")),
                    ],
                    subcommands: [
                        CommandDescription(
                            "install", action: .installs,
                            target: Target(
                                globalWhen: [], globalRule: Rules.templateInstall, allowRule: Rules.project,
                                globalPlaceDescription: "the user's template packs (~/.templateengine)"),
                            fix: CommandTemplate("dotnet new search {operands}"),
                            undo: CommandTemplate("dotnet new uninstall {operands}")),
                        CommandDescription(
                            "uninstall", action: .removes,
                            target: Target(
                                globalWhen: [], globalRule: Rules.templateInstall, allowRule: Rules.project,
                                globalPlaceDescription: "the user's template packs (~/.templateengine)"),
                            fix: CommandTemplate("dotnet new list")),
                        CommandDescription("tool-manifest", action: .reads, creates: [".config/dotnet-tools.json"]),
                    ]),
                CommandDescription(
                    "add", action: .group,
                    subcommands: [
                        CommandDescription(
                            "package", action: .installs,
                            target: Target(
                                globalWhen: [.option("--global")], globalRule: Rules.globalTool,
                                allowRule: Rules.project)),
                        CommandDescription(
                            "reference", action: .installs,
                            target: Target(
                                globalWhen: [.option("--global")], globalRule: Rules.globalTool,
                                allowRule: Rules.project)),
                    ]),
                CommandDescription(
                    "restore", action: .installs,
                    target: Target(
                        globalWhen: [.option("--global")], globalRule: Rules.globalTool, allowRule: Rules.project)),
            ],
            dynamicRule: Rules.dynamicCommand)
    ]
}

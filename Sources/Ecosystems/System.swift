public import GuardKit

/// The operating system's package managers and Homebrew/MacPorts/snap: everything they install, upgrade
/// or remove is shared by every user and program. Off by default: a user or repository enables `system`.
public struct System: DescribedEcosystem {
    public let id = "system"
    public let summary = "System package managers (apt, dnf, pacman, apk, brew, …): every change is system-wide."
    public let projectMarkers: [String] = []
    /// Off unless a config file enables it (SPEC §13).
    public var isEnabledByDefault: Bool { false }
    /// Every install through these is system-wide, in every context.
    public let denyPatterns = ["Bash(sudo apt-get install *)"]

    /// Creates the module.
    public init() {}

    /// The module's rules.
    public enum Rules {
        public static let install = Rule(
            id: "system.install", verdict: .block,
            summary: "The system's package manager installs, upgrades or removes shared packages.")
        public static let bundle = Rule(
            id: "system.bundle", verdict: .block,
            summary: "`brew bundle` installs everything a Brewfile lists, and the Brewfile is code.")
        public static let selfUpdate = Rule(
            id: "system.self-update", verdict: .block, summary: "The package manager replaces itself.")
        public static let installRoot = Rule(
            id: "system.install-root", verdict: .block,
            summary: "The alternative install root is outside the project (block) or not known (ask).")
        public static let commandStream = Rule(
            id: "system.command-stream", verdict: .ask,
            summary: "The package manager reads its commands from a file or stdin.")
        public static let dynamicCommand = Rule(
            id: "system.dynamic-command", verdict: .ask,
            summary: "The package manager's operation is only known when the line runs.")
        public static let projectRoot = Rule(
            id: "system.project-root", verdict: .allow,
            summary: "The alternative install root is inside the project (an image it builds).")
    }

    static func container(_ image: String, _ manager: String) -> CommandTemplate {
        CommandTemplate(
            "docker run --rm -v \"$PWD\":/work -w /work \(image) \(manager) {arguments}")
    }

    static func changing(
        _ names: [String], rule: Rule = Rules.install, root: [LocationSource], fix: CommandTemplate,
        undo: CommandTemplate? = nil, options: [DescribedOption] = []
    ) -> CommandDescription {
        CommandDescription(
            names: names, action: .installs, options: options,
            target: Target(
                globalWhen: [], globalLocation: root, globalRule: rule, locationRule: Rules.installRoot,
                explicitGlobalRule: true, allowRule: Rules.projectRoot, globalPlaceDescription: "the system"),
            fix: fix, undo: undo)
    }

    static func reads(_ names: String...) -> [CommandDescription] {
        names.map { CommandDescription($0, action: .reads) }
    }

    static let aptOptions = [
        DescribedOption("-s", "--simulate", "--just-print", "--dry-run", "--recon", "--no-act", role: .dryRun),
        DescribedOption("-h", "--help", role: .help), DescribedOption("-v", "--version", role: .help),
        DescribedOption(
            "-o", "--option", value: true,
            role: .runsCode(keys: [
                "APT::Update::Pre-Invoke", "APT::Update::Post-Invoke", "APT::Update::Post-Invoke-Success",
                "DPkg::Pre-Invoke", "DPkg::Post-Invoke", "DPkg::Pre-Install-Pkgs",
            ])),
        DescribedOption("-c", "--config-file", value: true),
        DescribedOption("-t", "--target-release", value: true),
        DescribedOption("-a", "--host-architecture", value: true),
        DescribedOption("-y", "--yes", "--assume-yes"), DescribedOption("-q", "--quiet"), DescribedOption("-qq"),
    ]

    static func apt(_ name: String) -> PackageManagerDescription {
        let fix = container("debian:stable-slim", "sh -c 'apt-get update && apt-get install -y {operands}'")
        return PackageManagerDescription(
            name: name, programs: [name], style: .getopt, globalOptions: aptOptions,
            commands: [
                changing(
                    [
                        "install", "reinstall", "upgrade", "full-upgrade", "dist-upgrade", "dselect-upgrade",
                        "build-dep",
                        "satisfy",
                    ], root: [],
                    fix: CommandTemplate(
                        "docker run --rm -v \"$PWD\":/work -w /work debian:stable-slim sh -c 'apt-get update && apt-get install -y {operands}'"
                    ),
                    undo: CommandTemplate("\(name) remove {operands}")),
                changing(["remove", "purge", "autoremove", "auto-remove", "autopurge"], root: [], fix: fix),
            ]
                + reads(
                    "update", "search", "show", "list", "policy", "download", "source", "changelog", "check",
                    "indextargets", "depends", "rdepends", "showsrc", "autoclean", "clean", "moo"),
            dynamicRule: Rules.dynamicCommand)
    }

    static let docker = "docker run --rm -v \"$PWD\":/work -w /work "

    public let descriptions: [PackageManagerDescription] = [
        apt("apt-get"), apt("apt"),
        PackageManagerDescription(
            name: "dpkg", programs: ["dpkg"], style: .getopt,
            commands: [
                changing(
                    ["-i", "--install", "--unpack", "-r", "--remove", "-P", "--purge", "--configure"],
                    root: [.option("--root"), .option("--instdir")],
                    fix: CommandTemplate(
                        docker + "debian:stable-slim sh -c 'apt-get update && apt-get install -y {operands}'"),
                    options: [
                        DescribedOption("--no-act", "--dry-run", "--simulate", role: .dryRun),
                        DescribedOption("--root", value: true), DescribedOption("--instdir", value: true),
                        DescribedOption("--admindir", value: true),
                    ])
            ], selectsCommandByOption: true, dynamicRule: Rules.dynamicCommand),
        PackageManagerDescription(
            name: "rpm", programs: ["rpm"], style: .getopt,
            globalOptions: [DescribedOption("--test", role: .dryRun), DescribedOption("--root", value: true)],
            commands: [
                changing(
                    ["-i", "--install", "-U", "--upgrade", "-F", "--freshen", "-e", "--erase", "--reinstall"],
                    root: [.option("--root")], fix: CommandTemplate(docker + "fedora dnf install -y {operands}"),
                    options: [DescribedOption("-v"), DescribedOption("-h", "--hash")])
            ], selectsCommandByOption: true, dynamicRule: Rules.dynamicCommand),
        PackageManagerDescription(
            name: "dnf", programs: ["dnf", "yum", "microdnf"], style: .getopt,
            globalOptions: [
                DescribedOption("--assumeno", role: .dryRun), DescribedOption("--downloadonly", role: .dryRun),
                DescribedOption("-h", "--help", role: .help), DescribedOption("--version", role: .help),
                DescribedOption("-y", "--assumeyes"), DescribedOption("-q", "--quiet"),
                DescribedOption("--installroot", value: true), DescribedOption("--releasever", value: true),
                DescribedOption("--setopt", value: true), DescribedOption("-c", "--config", value: true),
                DescribedOption("--enablerepo", value: true), DescribedOption("--disablerepo", value: true),
            ],
            commands: [
                changing(
                    [
                        "install", "in", "localinstall", "remove", "rm", "erase", "upgrade", "up", "update",
                        "upgrade-to",
                        "update-to", "localupdate", "reinstall", "rei", "downgrade", "dg", "distro-sync", "dsync",
                        "autoremove", "swap", "group", "groupinstall", "groupremove", "history", "module",
                    ],
                    root: [.option("--installroot")], fix: container("fedora", "dnf install -y {operands}")),
                CommandDescription("shell", "sh", action: .asks, rule: Rules.commandStream),
            ]
                + reads(
                    "search", "se", "info", "if", "list", "ls", "repoquery", "rq", "provides", "check-update",
                    "repolist", "makecache", "clean", "help"),
            dynamicRule: Rules.dynamicCommand),
        PackageManagerDescription(
            name: "zypper", programs: ["zypper"], style: .getopt,
            globalOptions: [
                DescribedOption("-h", "--help", role: .help), DescribedOption("-V", "--version", role: .help),
                DescribedOption("-n", "--non-interactive"), DescribedOption("-q", "--quiet"),
                DescribedOption("-v", "--verbose"), DescribedOption("-x", "--xmlout"),
                DescribedOption("-R", "--root", value: true),
            ],
            commands: [
                changing(
                    [
                        "install", "in", "remove", "rm", "update", "up", "dist-upgrade", "dup", "patch",
                        "source-install",
                        "si", "install-new-recommends", "inr",
                    ],
                    root: [.option("--root")], fix: container("opensuse/tumbleweed", "zypper -n install {operands}"),
                    options: [DescribedOption("-D", "--dry-run", role: .dryRun), DescribedOption("-y", "--no-confirm")]),
                CommandDescription("shell", "sh", action: .asks, rule: Rules.commandStream),
            ]
                + reads(
                    "search", "se", "info", "if", "list-updates", "lu", "what-provides", "wp", "refresh", "ref",
                    "repos", "lr", "packages", "pa", "patches", "help"),
            unknownCommand: .runsProgram(prefix: "zypper-"), dynamicRule: Rules.dynamicCommand),
        PackageManagerDescription(
            name: "pacman", programs: ["pacman"], style: .getopt,
            globalOptions: [
                DescribedOption("-h", "--help", role: .help), DescribedOption("-V", "--version", role: .help),
                DescribedOption("-p", "--print", role: .dryRun), DescribedOption("--noconfirm"),
                DescribedOption("--needed"), DescribedOption("-r", "--root", value: true),
                DescribedOption("--sysroot", value: true), DescribedOption("-b", "--dbpath", value: true),
                DescribedOption("-v", "--verbose"),
            ],
            commands: [
                CommandDescription(
                    "-S", "--sync", action: .installs,
                    options: [
                        DescribedOption("-s", "--search", role: .reads), DescribedOption("-i", "--info", role: .reads),
                        DescribedOption("-l", "--list", role: .reads), DescribedOption("-g", "--groups", role: .reads),
                        DescribedOption("-w", "--downloadonly", role: .dryRun), DescribedOption("-y", "--refresh"),
                        DescribedOption("-u", "--sysupgrade"), DescribedOption("-c", "--clean"),
                    ],
                    target: Target(
                        globalWhen: [], globalLocation: [.option("--root"), .option("--sysroot")],
                        globalRule: Rules.install, locationRule: Rules.installRoot, explicitGlobalRule: true,
                        allowRule: Rules.projectRoot, globalPlaceDescription: "the system"),
                    fix: container("archlinux", "pacman -Sy --noconfirm {operands}"),
                    writesWithoutOperandsOnly: ["--sysupgrade", "--clean"]),
                changing(
                    ["-R", "--remove", "-U", "--upgrade", "-D", "--database"],
                    root: [.option("--root"), .option("--sysroot")],
                    fix: container("archlinux", "pacman -Sy --noconfirm {operands}"),
                    options: [
                        DescribedOption("-s", "--recursive"), DescribedOption("-n", "--nosave"),
                        DescribedOption("-c", "--cascade"), DescribedOption("-u", "--unneeded"),
                    ]),
                CommandDescription("-Q", "--query", action: .reads),
                CommandDescription("-F", "--files", action: .reads),
                CommandDescription("-T", "--deptest", action: .reads),
            ],
            selectsCommandByOption: true, dynamicRule: Rules.dynamicCommand),
        PackageManagerDescription(
            name: "apk", programs: ["apk"], style: .getopt,
            globalOptions: [
                DescribedOption("-h", "--help", role: .help), DescribedOption("-V", "--version", role: .help),
                DescribedOption("-s", "--simulate", role: .dryRun), DescribedOption("-p", "--root", value: true),
                DescribedOption("-X", "--repository", value: true), DescribedOption("--repositories-file", value: true),
                DescribedOption("-U", "--update-cache"), DescribedOption("--no-cache"),
                DescribedOption("-q", "--quiet"),
                DescribedOption("-v", "--verbose"), DescribedOption("--allow-untrusted"), DescribedOption("--initdb"),
                DescribedOption("-i", "--interactive"),
            ],
            commands: [
                changing(
                    ["add", "del", "upgrade", "fix", "cache"], root: [.option("--root")],
                    fix: container("alpine", "apk add {operands}"),
                    options: [
                        DescribedOption("-t", "--virtual", value: true), DescribedOption("-u", "--upgrade"),
                        DescribedOption("-l", "--latest"),
                    ])
            ]
                + reads(
                    "update", "search", "info", "list", "query", "policy", "dot", "fetch", "stats", "audit", "verify"),
            dynamicRule: Rules.dynamicCommand),
        PackageManagerDescription(
            name: "brew", programs: ["brew"], style: .optionParser,
            globalOptions: [
                DescribedOption("-h", "--help", role: .help), DescribedOption("--version", role: .help),
                DescribedOption("-n", "--dry-run", role: .dryRun), DescribedOption("-v", "--verbose"),
                DescribedOption("-d", "--debug"), DescribedOption("-q", "--quiet"), DescribedOption("-f", "--force"),
            ],
            commands: [
                CommandDescription(
                    "install", "reinstall", "upgrade", action: .installs,
                    options: [DescribedOption("--cask")],
                    target: Target(
                        globalWhen: [], globalRule: Rules.install, allowRule: Rules.projectRoot,
                        globalPlaceDescription: "Homebrew's prefix"),
                    fix: CommandTemplate("echo 'brew \"{operands}\"' >> Brewfile"),
                    undo: CommandTemplate("brew uninstall {operands}"),
                    fixWhenOption: ["--cask": CommandTemplate("echo 'cask \"{operands}\"' >> Brewfile")]),
                changing(
                    [
                        "uninstall", "remove", "rm", "tap", "untap", "link", "ln", "unlink", "autoremove", "cleanup",
                        "pin",
                        "unpin", "postinstall", "migrate",
                    ], root: [],
                    fix: CommandTemplate("brew list")),
                changing(["update", "up"], rule: Rules.selfUpdate, root: [], fix: CommandTemplate("brew outdated")),
                CommandDescription(
                    "bundle", action: .group,
                    subcommands: [
                        changing(
                            ["install", "upgrade", "cleanup"], rule: Rules.bundle, root: [],
                            fix: CommandTemplate("brew bundle check"),
                            options: [DescribedOption("--file", value: true), DescribedOption("-g", "--global")]),
                        CommandDescription("check", action: .reads), CommandDescription("list", action: .reads),
                        CommandDescription("dump", action: .reads),
                        CommandDescription("exec", "sh", "env", action: .runsCommand),
                    ], defaultSubcommand: "install"),
            ]
                + reads(
                    "list", "ls", "info", "abv", "search", "-S", "deps", "uses", "outdated", "tap-info", "config",
                    "doctor", "home", "desc", "leaves", "commands", "help", "--prefix", "--cellar", "--repository",
                    "shellenv", "log", "cat", "formulae", "casks"),
            commandLookup: .exact, unknownCommand: .runsProgram(prefix: "brew-"), dynamicRule: Rules.dynamicCommand),
        PackageManagerDescription(
            name: "port", programs: ["port"], style: .getopt,
            globalOptions: [
                DescribedOption("-y", role: .dryRun), DescribedOption("-N"), DescribedOption("-v"),
                DescribedOption("-q"),
                DescribedOption("-d"), DescribedOption("-f"), DescribedOption("-n"), DescribedOption("-R"),
                DescribedOption("-u"), DescribedOption("-s"), DescribedOption("-b"), DescribedOption("-c"),
                DescribedOption("-k"), DescribedOption("-o"), DescribedOption("-p"), DescribedOption("-t"),
                DescribedOption("-D", value: true), DescribedOption("-F", value: true, role: .actsAs("-F")),
            ],
            commands: [
                changing(
                    ["install", "uninstall", "upgrade", "activate", "deactivate", "sync", "clean", "select"], root: [],
                    fix: CommandTemplate("echo 'port install {operands}' >> system-packages.txt")),
                changing(["selfupdate"], rule: Rules.selfUpdate, root: [], fix: CommandTemplate("port outdated")),
            ]
                + reads(
                    "list", "search", "info", "installed", "outdated", "deps", "contents", "provides", "echo",
                    "help", "version", "variants", "dependents"),
            withoutCommand: .asks(Rules.commandStream), dynamicRule: Rules.dynamicCommand),
        PackageManagerDescription(
            name: "snap", programs: ["snap"], style: .getopt,
            globalOptions: [DescribedOption("-h", "--help", role: .help), DescribedOption("--version", role: .help)],
            commands: [
                changing(
                    ["install", "remove", "refresh", "revert", "enable", "disable"], root: [],
                    fix: CommandTemplate("echo 'snap {arguments}' >> system-packages.txt"),
                    options: [
                        DescribedOption("--list", role: .reads), DescribedOption("--channel", value: true),
                        DescribedOption("--revision", value: true), DescribedOption("--name", value: true),
                    ])
            ] + reads("list", "find", "info", "search", "version", "services", "changes", "connections", "help"),
            dynamicRule: Rules.dynamicCommand),
    ]
}

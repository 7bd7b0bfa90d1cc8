public import GuardKit

/// Composer (PHP): `composer global …` and a changed COMPOSER_HOME write the user-wide Composer project;
/// `composer require|install|update|remove` in a project write its `vendor/`.
public struct Composer: DescribedEcosystem {
    public let id = "php"
    public let summary = "Composer: `composer global` and self-update are global; the project's vendor/ is local."
    public let projectMarkers = ["composer.json"]
    /// A bare self-update, and any one run as root, is global in every context (`--help` after it would pass).
    public let denyPatterns = ["Bash(composer self-update)", "Bash(sudo composer self-update *)"]

    /// Creates the module.
    public init() {}

    /// The module's rules.
    public enum Rules {
        public static let global = Rule(
            id: "php.global", verdict: .block,
            summary: "`composer global` runs the command in COMPOSER_HOME: packages and bins shared by every project.")
        public static let selfUpdate = Rule(
            id: "php.self-update", verdict: .block,
            summary: "`composer self-update` replaces the running Composer: a change to itself.")
        public static let globalConfig = Rule(
            id: "php.global-config", verdict: .block,
            summary: "`composer config --global` of a location setting moves every project's later installs.")
        public static let installLocation = Rule(
            id: "php.install-location", verdict: .block,
            summary: "An explicit vendor, bin or home directory is outside the project (block) or not known (ask).")
        public static let noProject = Rule(
            id: "php.no-project", verdict: .block,
            summary: "Composer in the home directory writes ~/composer.json and ~/vendor.")
        public static let dynamicCommand = Rule(
            id: "php.dynamic-command", verdict: .ask, summary: "The composer command is only known when the line runs.")
        public static let project = Rule(
            id: "php.project", verdict: .allow, summary: "Composer works on the project's composer.json and vendor/.")
    }

    static let home: [LocationSource] = [
        .environment("COMPOSER_HOME"), .firstExisting(["~/.config/composer", "~/.composer"]),
    ]
    static let newProject = "mkdir -p ~/php-project && cd ~/php-project && "

    static func writing(
        _ names: String..., action: CommandAction, lifecycle: [String], withLock: [String]? = nil,
        fix: CommandTemplate? = nil
    ) -> CommandDescription {
        var command = CommandDescription(
            names: names, action: action,
            options: [
                DescribedOption("--dry-run", role: .dryRun), DescribedOption("--no-scripts", role: .disablesScripts),
            ],
            target: Target(
                globalWhen: [.scope, .directoryIs(.environment("COMPOSER_HOME"))], globalLocation: home,
                localLocation: [
                    .environment("COMPOSER_VENDOR_DIR"), .environment("COMPOSER_BIN_DIR"),
                    .projectJSON(file: "composer.json", keyPath: ["config", "vendor-dir"]),
                    .projectJSON(file: "composer.json", keyPath: ["config", "bin-dir"]),
                ],
                globalRule: Rules.global, locationRule: Rules.installLocation, allowRule: Rules.project,
                local: .notShared(markers: [], option: nil, fallsBackToProjectRoot: false, rule: Rules.noProject)),
            lifecycleScripts: lifecycle, fix: CommandTemplate("{command}", withoutProject: newProject),
            undo: nil, lifecycleScriptsWith: withLock.map { ("composer.lock", $0) })
        command.globalFix = fix
        return command
    }

    static let autoload = ["pre-autoload-dump", "post-autoload-dump"]
    static let update = ["pre-update-cmd", "post-update-cmd"] + autoload

    public let descriptions = [
        PackageManagerDescription(
            name: "composer", programs: ["composer"],
            launchers: [
                Launcher(interpreter: "php", scripts: ["composer.phar", "composer"], valueOptions: ["-d", "-c", "-z"])
            ],
            style: .symfony,
            globalOptions: [
                DescribedOption("-h", "--help", role: .help), DescribedOption("-V", "--version", role: .help),
                DescribedOption("-q", "--quiet"), DescribedOption("-v", "-vv", "-vvv", "--verbose"),
                DescribedOption("-n", "--no-interaction"), DescribedOption("--ansi"), DescribedOption("--no-ansi"),
                DescribedOption("--no-plugins"), DescribedOption("--no-scripts", role: .disablesScripts),
                DescribedOption("--no-cache"), DescribedOption("--profile"),
                DescribedOption("-d", "--working-dir", value: true, role: .workingDirectory),
            ],
            commands: [
                writing(
                    "require", "r", action: .installs, lifecycle: update,
                    fix: CommandTemplate("composer require --dev {operands}", withoutProject: newProject)),
                writing(
                    "install", "i", action: .installs, lifecycle: update,
                    withLock: ["pre-install-cmd", "post-install-cmd"] + autoload),
                writing("update", "u", "upgrade", action: .installs, lifecycle: update),
                writing("remove", "rm", "uninstall", action: .removes, lifecycle: update),
                writing("reinstall", action: .installs, lifecycle: autoload),
                writing("create-project", action: .installs, lifecycle: []),
                writing("dump-autoload", "dumpautoload", action: .installs, lifecycle: autoload),
                CommandDescription("global", action: .globalScope),
                CommandDescription(
                    "self-update", "selfupdate", action: .selfUpdate,
                    target: Target(
                        globalWhen: [], globalRule: Rules.selfUpdate, allowRule: Rules.project,
                        globalPlaceDescription: "the running composer"),
                    fix: CommandTemplate("composer --version")),
                CommandDescription(
                    "config", action: .changesSettings, options: [DescribedOption("-g", "--global")],
                    target: Target(
                        globalWhen: [.option("--global"), .scope], globalLocation: home,
                        globalRule: Rules.globalConfig, locationRule: Rules.installLocation, allowRule: Rules.project),
                    fix: CommandTemplate("{command}"), settingKeys: ["vendor-dir", "bin-dir", "home", "data-dir"]),
                CommandDescription("run-script", "run", action: .runsScript),
                CommandDescription("exec", action: .runsCommand),
            ]
                + [
                    "show", "info", "validate", "depends", "why", "prohibits", "why-not", "outdated", "audit",
                    "licenses",
                    "search", "check-platform-reqs", "diagnose", "list", "help", "about", "archive", "browse", "home",
                    "status", "suggests", "fund", "clear-cache", "clearcache", "cc", "init", "bump",
                ].map { CommandDescription($0, action: .reads) },
            commandLookup: .uniquePrefix, unknownCommand: .projectScript, dynamicRule: Rules.dynamicCommand,
            scripts: ScriptSource(
                manifest: "composer.json", pathPrefixes: ["vendor/bin"],
                entries: ScriptEntries(
                    allowsLists: true, rewrites: ["@php": "php", "@composer": "composer", "@putenv": "export"],
                    referenceMarker: "@", referenceRunner: "composer run-script"),
                manifestVariable: "COMPOSER"))
    ]
}

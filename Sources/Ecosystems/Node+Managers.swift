import GuardKit

// yarn (classic and berry), pnpm and bun as data (SPEC §13): their options, commands, global modes and
// the places a global install writes, read by the generic judge. What stays code is Node's own: the local
// root a project command installs into (the nearest package.json, else the working directory), where a
// fix must run to be project-local, the link fixes, and `yarn create`, whose meaning depends on the yarn.

extension NodeCommand {
    /// The package managers the generic judge reads.
    static let managerDescriptions = [yarnDescription, pnpmDescription, bunDescription]

    static let help = DescribedOption("-h", "--help", role: .help)
    static let version = DescribedOption("-v", "--version", role: .help)
    static let ignoreScripts = DescribedOption("--ignore-scripts", role: .disablesScripts)

    /// package.json's scripts: `run X` runs preX, X and postX with every `node_modules/.bin` from the
    /// package up first on PATH.
    static let packageScripts = ScriptSource(
        manifest: "package.json", pathPrefixes: ["node_modules/.bin"], around: ["pre{}", "{}", "post{}"],
        ancestorPathPrefixes: true)

    /// Commands that only read or print, or change nothing that is installed.
    static func reading(_ names: [String]) -> [CommandDescription] {
        names.map { CommandDescription($0, action: .reads) }
    }

    /// An install, update or removal: global in the manager's global mode, else the project's (Node's
    /// local root decides where that is).
    static func writing(
        _ names: String..., action: CommandAction = .installs, target: Target, globalFix: CommandTemplate? = nil,
        lifecycle: Bool = false, options: [DescribedOption] = []
    ) -> CommandDescription {
        var command = CommandDescription(
            names: names, action: action, options: options, target: target,
            lifecycleScripts: lifecycle ? installScripts : [], lifecycleScriptsOnlyWithoutOperands: true)
        command.globalFix = globalFix
        return command
    }

    // MARK: yarn

    /// yarn classic (commander) and berry (clipanion): options anywhere, `--cwd DIR` the working directory;
    /// `yarn global …` (classic) runs the command in yarn's user-wide global folder, with its bins under
    /// the prefix; bare `yarn` installs; an unknown word runs the project's script of that name.
    static let yarnDescription: PackageManagerDescription = {
        let target = Target(
            globalWhen: [.scope], globalLocation: [.option("--global-folder"), .path("~/.config/yarn/global")],
            globalCommandLocation: [.option("--prefix", suffix: "bin"), .path("~/.yarn/bin")],
            localLocation: [.option("--modules-folder")], globalRule: Node.yarnGlobal,
            locationRule: Node.installLocation, allowRule: Node.project)
        return PackageManagerDescription(
            name: "yarn", programs: ["yarn", "yarnpkg"], style: .getopt,
            globalOptions: [
                help, version, ignoreScripts,
                DescribedOption("--cwd", value: true, role: .workingDirectory),
                DescribedOption("--prefix", value: true), DescribedOption("--global-folder", value: true),
                DescribedOption("--modules-folder", value: true), DescribedOption("--link-folder", value: true),
                DescribedOption("--cache-folder", value: true),
                DescribedOption("--preferred-cache-folder", value: true),
                DescribedOption("--use-yarnrc", value: true), DescribedOption("--mutex", value: true),
                DescribedOption("--network-timeout", value: true),
                DescribedOption("--network-concurrency", value: true), DescribedOption("--proxy", value: true),
                DescribedOption("--https-proxy", value: true), DescribedOption("--registry", value: true),
                DescribedOption("--otp", value: true), DescribedOption("-s", "--silent"),
                DescribedOption("-D", "--dev"), DescribedOption("-P", "--peer"), DescribedOption("-O", "--optional"),
                DescribedOption("-E", "--exact"), DescribedOption("-T", "--tilde"),
                DescribedOption("-W", "--ignore-workspace-root-check"), DescribedOption("-g", "--global"),
            ],
            commands: [
                writing(
                    "install", target: target, globalFix: CommandTemplate("yarn install"), lifecycle: true),
                writing("add", target: target, globalFix: CommandTemplate("yarn add -D {operands}")),
                writing(
                    "remove", action: .removes, target: target, globalFix: CommandTemplate("yarn remove {operands}")),
                writing("upgrade", "up", target: target, globalFix: CommandTemplate("yarn upgrade {operands}")),
                writing(
                    "upgrade-interactive", target: target, globalFix: CommandTemplate("yarn upgrade-interactive")),
                writing("import", target: target), writing("dedupe", target: target),
                writing("unplug", target: target),
                CommandDescription("global", action: .globalScope),
                CommandDescription("workspace", action: .runsToolCommand(after: 1)),
                // Alone, it registers this package in the user-wide link folder; with packages it links them
                // into the project.
                CommandDescription(
                    "link", action: .installs,
                    target: Target(
                        globalWhen: [.withoutOperands], globalRule: Node.link, allowRule: Node.project,
                        globalPlaceDescription: "yarn's user-wide link folder")),
                CommandDescription(
                    "config", action: .group,
                    subcommands: [
                        CommandDescription(
                            "set", action: .changesSettings,
                            target: Target(
                                globalWhen: [], globalRule: Node.globalConfig, allowRule: Node.project,
                                globalPlaceDescription: "the user's .yarnrc (where later global installs go)"),
                            fix: CommandTemplate("yarn install"), settingKeys: ["prefix", "global-folder"]),
                        CommandDescription("get", action: .reads), CommandDescription("list", action: .reads),
                        CommandDescription("delete", action: .reads),
                    ]),
                // Classic runs `yarn global add create-<kit>`, berry a dlx: the module asks.
                CommandDescription("create", action: .runsCommand),
                CommandDescription(
                    "dlx", action: .runsPackage,
                    options: [DescribedOption("-p", "--package", value: true), DescribedOption("-q", "--quiet")]),
                CommandDescription("exec", action: .runsCommand),
                CommandDescription("run", action: .runsScript),
                CommandDescription("init", action: .reads, creates: ["package.json"]),
            ]
                + reading([
                    "audit", "autoclean", "bin", "cache", "check", "constraints", "explain", "generate-lock-entry",
                    "help", "info", "licenses", "list", "login", "logout", "node", "npm", "outdated", "owner", "pack",
                    "patch", "patch-commit", "plugin", "policies", "publish", "rebuild", "search", "set", "stage",
                    "tag", "team", "unlink", "version", "versions", "why", "workspaces",
                ]),
            withoutCommand: .command("install"), unknownCommand: .projectScript, dynamicRule: Node.dynamicCommand,
            scripts: packageScripts)
    }()

    // MARK: pnpm

    /// pnpm (nopt: options anywhere, unique prefixes): `-C/--dir DIR` the working directory; `-g` sends
    /// add, install, update and remove to the global packages (`--global-dir`, else the XDG data
    /// directory) with their bins under `--global-bin-dir`, else PNPM_HOME; an unknown word runs the
    /// project's script of that name, else the program.
    static let pnpmDescription: PackageManagerDescription = {
        let target = Target(
            globalWhen: [.option("--global")],
            globalLocation: [
                .option("--global-dir"), .environment("XDG_DATA_HOME", suffix: "pnpm/global"),
                .path("~/.local/share/pnpm/global"),
            ],
            globalCommandLocation: [
                .option("--global-bin-dir"), .environment("PNPM_HOME"), .environment("XDG_DATA_HOME", suffix: "pnpm"),
                .path("~/.local/share/pnpm"),
            ],
            globalRule: Node.globalFlag, locationRule: Node.installLocation, allowRule: Node.project,
            globalPlaceDescription: "the global packages under PNPM_HOME")
        let project = Target(globalWhen: [.never], globalRule: Node.globalFlag, allowRule: Node.project)
        let same = CommandTemplate("pnpm {name} {operands}")
        let runtime = Target(
            globalWhen: [.option("--global")], globalRule: Node.globalFlag, allowRule: Node.project, local: .refused,
            globalPlaceDescription: "the Node.js runtimes under PNPM_HOME and the user's default node")
        let node = CommandTemplate("pnpm add -D node@{operands}", withoutOperands: "pnpm add -D node")
        let shellMode = DescribedOption("-c", "--shell-mode", role: .shellMode)
        var settings = CommandDescription(
            "set", action: .changesSettings, options: [DescribedOption("--location", value: true)],
            target: Target(
                globalWhen: [], globalRule: Node.globalConfig, allowRule: Node.project,
                globalPlaceDescription: "pnpm's settings (where later global installs go)"),
            fix: CommandTemplate("pnpm install"), settingKeys: ["global-dir", "global-bin-dir"])
        settings.settingOperands = .keyValueOrAssignment
        return PackageManagerDescription(
            name: "pnpm", programs: ["pnpm", "pn"], style: .nopt,
            globalOptions: [
                help, version, ignoreScripts,
                DescribedOption("-C", "--dir", value: true, role: .workingDirectory),
                DescribedOption("-w", "--workspace-root"), DescribedOption("-r", "--recursive"),
                DescribedOption("-F", "--filter", value: true), DescribedOption("--filter-prod", value: true),
                DescribedOption("-g", "--global"), DescribedOption("-D", "--save-dev"),
                DescribedOption("-P", "--save-prod"), DescribedOption("-O", "--save-optional"),
                DescribedOption("-E", "--save-exact"), DescribedOption("--save-peer"),
                DescribedOption("--global-dir", value: true), DescribedOption("--global-bin-dir", value: true),
                DescribedOption("--modules-dir", value: true), DescribedOption("--store-dir", value: true),
                DescribedOption("--virtual-store-dir", value: true), DescribedOption("--lockfile-dir", value: true),
                DescribedOption("--reporter", value: true), DescribedOption("--loglevel", value: true),
                DescribedOption("--registry", value: true), DescribedOption("--node-linker", value: true),
                DescribedOption("--package-import-method", value: true),
                DescribedOption("--network-concurrency", value: true),
                DescribedOption("--child-concurrency", value: true),
                DescribedOption("--workspace-concurrency", value: true), DescribedOption("--test-pattern", value: true),
                DescribedOption("--changed-files-ignore-pattern", value: true),
                DescribedOption("--resume-from", value: true), DescribedOption("--use-node-version", value: true),
                DescribedOption("--allow-build", value: true), DescribedOption("--cpu", value: true),
                DescribedOption("--os", value: true), DescribedOption("--libc", value: true),
                DescribedOption("-s", "--silent"), DescribedOption("--frozen-lockfile"),
                DescribedOption("--prefer-offline"), DescribedOption("--offline"), DescribedOption("--save-catalog"),
                DescribedOption("--global-pnpmfile", value: true),
            ],
            commands: [
                writing(
                    "add", target: target, globalFix: CommandTemplate("pnpm add -D {operands}")),
                writing(
                    "install", "i", target: target,
                    globalFix: CommandTemplate("pnpm add -D {operands}", withoutOperands: "pnpm install"),
                    lifecycle: true),
                writing("update", "up", "upgrade", target: target, globalFix: same),
                writing("remove", "rm", "uninstall", "un", "uni", action: .removes, target: target, globalFix: same),
                writing("rebuild", "rb", target: target, globalFix: same),
                writing("prune", target: target, globalFix: same),
                // These have no global mode: -g changes nothing.
                writing("unlink", "dislink", target: project), writing("import", target: project),
                writing("fetch", target: project), writing("dedupe", target: project),
                writing("install-test", "it", target: project),
                // Alone, or with --global, it goes through pnpm's global space; with a directory it links
                // that into the project.
                CommandDescription(
                    "link", "ln", action: .installs,
                    target: Target(
                        globalWhen: [.option("--global"), .withoutOperands], globalRule: Node.link,
                        allowRule: Node.project, globalPlaceDescription: "pnpm's global space")),
                CommandDescription(
                    "env", action: .group,
                    subcommands: [
                        CommandDescription("use", action: .installs, target: runtime, fix: node),
                        CommandDescription("add", action: .installs, target: runtime, fix: node),
                        CommandDescription("remove", "rm", action: .removes, target: runtime, fix: node),
                        CommandDescription("list", "ls", action: .reads),
                    ]),
                // `pnpm config set` writes pnpm's user-wide settings unless told otherwise: the global
                // folders move every later global install, whatever the value (as npm's prefix does).
                CommandDescription(
                    "config", "c", action: .group,
                    subcommands: [settings] + reading(["get", "list", "delete"])),
                settings,
                CommandDescription(
                    "setup", action: .changesSettings,
                    target: Target(
                        globalWhen: [], globalRule: Node.pnpmSetup, allowRule: Node.project,
                        globalPlaceDescription: "the user's shell startup files and PATH, for global installs"),
                    fix: CommandTemplate("pnpm install")),
                CommandDescription(
                    "self-update", action: .selfUpdate,
                    target: Target(
                        globalWhen: [], globalRule: Node.selfUpdate, allowRule: Node.project,
                        globalPlaceDescription: "the installed pnpm"),
                    fix: CommandTemplate("corepack use pnpm@{operands}", withoutOperands: "corepack use pnpm@latest")),
                CommandDescription(
                    "dlx", action: .runsPackage,
                    options: [
                        DescribedOption("--package", value: true), DescribedOption("--allow-build", value: true),
                        shellMode,
                    ]),
                CommandDescription("exec", action: .runsCommand, options: [shellMode]),
                CommandDescription("run", "run-script", action: .runsScript),
                CommandDescription("test", "t", "tst", action: .runsScriptNamed("test")),
                CommandDescription("start", action: .runsScriptNamed("start")),
                CommandDescription("stop", action: .runsScriptNamed("stop")),
                CommandDescription("restart", action: .runsScriptNamed("restart")),
                CommandDescription("recursive", "multi", "m", action: .runsToolCommand(after: 0)),
                // Runs a starter kit from a temporary store.
                CommandDescription("create", action: .reads),
                CommandDescription("init", action: .reads, creates: ["package.json"]),
            ]
                + reading([
                    "patch", "patch-commit", "patch-remove", "audit", "list", "ls", "ll", "la", "outdated", "why",
                    "licenses", "store", "root", "bin", "publish", "pack", "server", "get",
                    "deploy", "doctor", "help", "approve-builds", "ignored-builds", "cat-file", "cat-index",
                    "find-hash", "completion",
                    // Passed through to npm.
                    "access", "adduser", "bugs", "deprecate", "dist-tag", "docs", "edit", "info", "login", "logout",
                    "owner", "ping", "prefix", "profile", "pkg", "repo", "s", "search", "set-script", "star", "stars",
                    "team", "token", "unpublish", "unstar", "v", "version", "view", "whoami", "xmas",
                ]),
            unknownCommand: .projectScriptOrProgram, dynamicRule: Node.dynamicCommand, scripts: packageScripts)
    }()

    // MARK: bun

    /// bun's package manager: `-g` sends add, install, update and remove to the global packages
    /// (BUN_INSTALL_GLOBAL_DIR, bunfig's `[install] globalDir`, $BUN_INSTALL/install/global, else
    /// ~/.bun/install/global) with their bins in BUN_INSTALL_BIN, `globalBinDir`, $BUN_INSTALL/bin, else
    /// ~/.bun/bin; an unknown word runs the project's script of that name (bun's own commands win).
    static let bunDescription: PackageManagerDescription = {
        // The project's bunfig.toml wins over the user's.
        let bunfigs = ["bunfig.toml", "$XDG_CONFIG_HOME/.bunfig.toml", "~/.bunfig.toml"]
        let target = Target(
            globalWhen: [.option("--global")],
            globalLocation: [
                .environment("BUN_INSTALL_GLOBAL_DIR"),
                .tomlSetting(files: bunfigs, table: "install", key: "globalDir"),
                .environment("BUN_INSTALL", suffix: "install/global"),
                .environment("XDG_CACHE_HOME", suffix: ".bun/install/global"), .path("~/.bun/install/global"),
            ],
            globalCommandLocation: [
                .environment("BUN_INSTALL_BIN"), .tomlSetting(files: bunfigs, table: "install", key: "globalBinDir"),
                .environment("BUN_INSTALL", suffix: "bin"), .environment("XDG_CACHE_HOME", suffix: ".bun/bin"),
                .path("~/.bun/bin"),
            ],
            globalRule: Node.globalFlag, locationRule: Node.installLocation, allowRule: Node.project,
            globalPlaceDescription: "the global packages in ~/.bun (BUN_INSTALL)")
        let same = CommandTemplate("bun {name} {operands}")
        return PackageManagerDescription(
            name: "bun", programs: ["bun"], style: .clap,
            globalOptions: [
                help, version, ignoreScripts, DescribedOption("--dry-run", role: .dryRun),
                DescribedOption("--cwd", value: true, role: .workingDirectory), DescribedOption("-g", "--global"),
                DescribedOption("-d", "-D", "--dev"), DescribedOption("-c", "--config", value: true),
                DescribedOption("--cache-dir", value: true), DescribedOption("--registry", value: true),
                DescribedOption("--cafile", value: true), DescribedOption("--ca", value: true),
                DescribedOption("--backend", value: true), DescribedOption("--network-concurrency", value: true),
                DescribedOption("--concurrent-scripts", value: true), DescribedOption("--omit", value: true),
                DescribedOption("-F", "--filter", value: true), DescribedOption("--linker", value: true),
                DescribedOption("-p", "--production"), DescribedOption("-y", "--yarn"),
                DescribedOption("-E", "--exact"), DescribedOption("--optional"), DescribedOption("--peer"),
                DescribedOption("-f", "--force"), DescribedOption("--silent"),
            ],
            commands: [
                writing("add", "a", target: target, globalFix: CommandTemplate("bun add -d {operands}")),
                writing(
                    "install", "i", target: target,
                    globalFix: CommandTemplate("bun add -d {operands}", withoutOperands: "bun install"),
                    lifecycle: true),
                writing("remove", "rm", "r", action: .removes, target: target, globalFix: same),
                writing("update", "up", target: target, globalFix: same),
                // Alone, it registers this package in bun's global link space.
                CommandDescription(
                    "link", action: .installs,
                    target: Target(
                        globalWhen: [.withoutOperands], globalRule: Node.link, allowRule: Node.project,
                        globalPlaceDescription: "bun's global link space")),
                CommandDescription(
                    "upgrade", action: .selfUpdate,
                    target: Target(
                        globalWhen: [], globalRule: Node.selfUpdate, allowRule: Node.project,
                        globalPlaceDescription: "the installed bun"),
                    fix: CommandTemplate("bun add -d bun")),
                CommandDescription(
                    "x", action: .runsPackage,
                    options: [DescribedOption("-p", "--package", value: true), DescribedOption("--bun")]),
                CommandDescription("run", action: .runsScript),
                CommandDescription("init", action: .reads, creates: ["package.json"]),
            ]
                + reading([
                    "test", "repl", "exec", "outdated", "unlink", "publish", "patch", "pm", "build", "create", "c",
                    "audit", "info", "why",
                ]),
            unknownCommand: .projectScript, dynamicRule: Node.dynamicCommand, scripts: packageScripts)
    }()

    /// The manager a program of the descriptions is.
    static func manager(_ program: String) -> Manager {
        switch program {
        case "yarn", "yarnpkg": .yarn
        case "pnpm", "pn": .pnpm
        default: .bun
        }
    }

    /// yarn, pnpm and bun: the generic judge, then what is Node's own.
    func describedManager() -> Judgement {
        let outcome = DescribedJudge(ecosystem: module.id, descriptions: Self.managerDescriptions)
            .judge(invocation, in: context)
        var judgement = outcome.judgement
        guard let command = outcome.command else { return judgement }
        let manager = Self.manager(invocation.program)
        let tool = manager.name
        if manager == .yarn, command.path == ["create"] {
            return yarnCreate(judgement.nested?.arguments ?? [])
        }
        let what = ([tool] + command.path).joined(separator: " ")
        if outcome.written == .project, judgement.findings.count == 1,
            judgement.findings[0].rule == Node.project.id
        {
            // Node's local root: the nearest package.json, else the directory itself; home is no project's.
            var local = judgeLocalRoot(
                what, manager: manager, from: command.directory,
                fix: projectFix(
                    localFixWords(command), needs: .localRoot(manager), fromManifest: command.operands.isEmpty),
                createsManifest: command.path.last == "add", hasPackages: !command.operands.isEmpty)
            if local.findings.contains(where: { $0.verdict == .allow }) { local.scripts = judgement.scripts }
            local.effects += judgement.effects
            return local
        }
        for index in judgement.findings.indices {
            // An explicit place inside the project, as npm's `--prefix` inside it.
            if judgement.findings[index].verdict == .allow, outcome.written == .explicit || outcome.written == .global {
                judgement.findings[index].rule = Node.localLocation.id
            }
            guard judgement.findings[index].verdict >= .ask else { continue }
            if judgement.findings[index].rule == Node.link.id {
                judgement.findings[index].fix = linkFix(manager, command)
            } else if let fix = judgement.findings[index].fix {
                judgement.findings[index].fix = placed(fix, manager: manager)
            }
        }
        return judgement
    }

    /// The command as written with the options that choose its directory left out: the fix runs where
    /// the agent is, and is placed from there.
    func localFixWords(_ command: DescribedJudge.ReadCommand) -> [String] {
        var moved: Set<Argument> = []
        for found in command.options where found.name == "--cwd" || found.name == "--dir" {
            moved.insert(found.written)
            if let value = found.value { moved.insert(value) }
        }
        return [Self.manager(invocation.program).name]
            + invocation.operands.filter { !moved.contains($0) }.map(Quoting.argument)
    }

    /// A fix command placed where it is project-local, by the local root of the manager it runs.
    func placed(_ fix: String, manager: Manager) -> String {
        let first = fix.prefix { $0 != " " }
        let runs: Manager =
            switch first {
            case "corepack": .corepack
            case "yarn": .yarn
            case "pnpm": .pnpm
            case "bun": .bun
            default: manager
            }
        return projectFix([fix], needs: .localRoot(runs))
    }

    /// A link through the user-wide space: alone, the other project should depend on this one by path;
    /// with directories, the project depends on them by path.
    func linkFix(_ manager: Manager, _ command: DescribedJudge.ReadCommand) -> String {
        if command.operands.isEmpty {
            return Self.otherProject + manager.name + " add "
                + Quoting.word(manager.linkProtocol + linkedPackage(manager, in: command.directory))
        }
        let dependencies = command.operands.map { operand in
            let text = operand.text
            let isPath = text.hasPrefix(".") || text.hasPrefix("/") || text.hasPrefix("~")
            return Quoting.word(isPath ? manager.linkProtocol + text : text)
        }
        return projectFix([manager.name, "add"] + dependencies, needs: .localRoot(manager))
    }

    /// `yarn create <kit> …` is `yarn global add create-<kit>` and then `create-<kit> …` in Yarn Classic,
    /// and a `yarn dlx` in Yarn Berry. Which yarn runs is not known statically: ask. `npm create <kit>`
    /// (npm init's initializer) maps the kit to the same package and runs it from the npx cache.
    func yarnCreate(_ tail: [Argument]) -> Judgement {
        guard let index = tail.firstIndex(where: { !$0.text.hasPrefix("-") }) else {
            return pass("`yarn create` names no starter kit")
        }
        let kit = tail[index]
        let arguments = tail[(index + 1)...]
        var fix = "npm create " + Quoting.argument(kit)
        if !arguments.isEmpty {
            // npm init reads options itself unless they come after `--`.
            let separator = arguments.contains(where: { $0.text.hasPrefix("-") }) ? " -- " : " "
            fix += separator + arguments.map(Quoting.argument).joined(separator: " ")
        }
        return Judgement(findings: [
            finding(
                Node.yarnGlobal,
                "`yarn create \(kit.text)` is `yarn global add` of the starter kit in Yarn Classic (a temporary run in "
                    + "Yarn Berry), and which yarn runs is only known when the line runs.",
                fix: fix, verdict: .ask)
        ])
    }
}

import GuardKit

// npm as data (SPEC §13): its option definitions and command table (npm 10.8's @npmcli/config definitions and
// lib/utils/cmd-list.js), read by the generic judge: help and `--version` pass, a dynamic command word asks, a
// word that is no command passes, reading commands pass. What stays code is npm's own, run as the commands'
// custom judges: global mode and the prefix as npm layers them (command line, then `npm_config_*`, then the
// project's and the user's npmrc), the local root it computes, and what its install, link, config, exec,
// explore, init and script commands do with them.

extension NodeCommand {
    /// npm, described.
    static let npmDescription: PackageManagerDescription = {
        var names: [String: [String]] = [:]
        for (alias, command) in NpmOptions.aliases.sorted(by: { $0.key < $1.key }) {
            names[command, default: []].append(alias)
        }
        let commands = NpmOptions.commands.sorted().map { command in
            CommandDescription(names: [command] + names[command, default: []], action: npmAction(command))
        }
        return PackageManagerDescription(
            name: "npm", programs: ["npm"], style: .nopt,
            globalOptions: [
                // `-h`, `--help` and `-?` are shorthands of `--usage`; `--version` prints npm's version and exits.
                DescribedOption("--usage", role: .help), DescribedOption("--version", role: .help),
            ],
            commands: commands, commandLookup: .nopt, dynamicRule: Node.dynamicCommand,
            noptDefinitions: NpmOptions.definitions)
    }()

    /// The commands that install, remove or rebuild packages, in the project or in global mode.
    static let npmPackageCommands: Set<String> = [
        "install", "install-test", "uninstall", "update", "rebuild", "prune", "ci", "install-ci-test", "dedupe",
    ]

    /// What an npm command does: most only read or print.
    static func npmAction(_ command: String) -> CommandAction {
        let rules = [
            Node.globalFlag, Node.globalEnvironment, Node.npmrc, Node.selfUpdate, Node.installLocation,
            Node.localLocation, Node.noProject, Node.project,
        ]
        switch command {
        case _ where npmPackageCommands.contains(command):
            return npmCustom(rules) { npm, operands in npm.npmPackagesCommand(command, operands) }
        case "link":
            return npmCustom([Node.link, Node.installLocation, Node.localLocation]) { $0.npmLinkCommand($1) }
        case "config":
            return npmCustom([Node.globalConfig, Node.dynamicCommand]) { npm, operands in
                guard let sub = operands.first else { return npm.pass("`npm config` changes nothing here") }
                if sub.isDynamic { return npm.dynamicCommand("npm config", sub) }
                guard sub.text == "set" else { return npm.pass("`npm config \(sub.text)` changes no install location") }
                return npm.npmConfigSet(Array(operands.dropFirst()))
            }
        case "set":
            return npmCustom([Node.globalConfig]) { $0.npmConfigSet($1) }
        case "exec":
            return npmCustom([]) { npm, operands in
                npm.npmExec(operands, settings: npm.npmSettings(), runner: "npm exec")
            }
        case "explore":
            return npmCustom([]) { $0.npmExplore($1) }
        case "init":
            return npmCustom([]) { $0.npmInit($1) }
        case "run-script":
            return npmCustom([]) { npm, operands in
                guard let name = operands.first else { return npm.pass("`npm run` alone lists the scripts") }
                if name.isDynamic { return npm.dynamicCommand("npm run", name) }
                return npm.npmScripts(name.text, arguments: Array(operands.dropFirst()), runner: "npm run \(name.text)")
            }
        case _ where npmScriptCommands.contains(command):
            return npmCustom([]) { npm, operands in
                npm.npmScripts(command, arguments: operands, runner: "npm \(command)")
            }
        default:
            return .reads
        }
    }

    /// A command npm judges itself, given the command's operands (the words after the command that are no
    /// option or option value).
    static func npmCustom(_ rules: [Rule], _ judge: @escaping @Sendable (NodeCommand, [Argument]) -> Judgement)
        -> CommandAction
    {
        .judgedBy(
            CustomCommand(rules: rules) { query in
                judge(NodeCommand(module: Node(), invocation: query.invocation, context: query.context), query.operands)
            })
    }

    /// npm judged by its description.
    func npm() -> Judgement {
        DescribedJudge(ecosystem: module.id, descriptions: [Self.npmDescription]).judge(invocation, in: context)
            .judgement
    }

    /// npm's settings of this command before any npmrc file is read: the generic parse leaves out what nopt
    /// sets false or null (`--no-global`), which npm's layers need, so the command line is read again here.
    func npmSettings() -> NpmSettings {
        NpmSettings(npm: NpmOptions.parse(invocation.operands).options, environment: environment)
    }

    /// install, uninstall, update and their relatives; a local install of the whole project runs the root
    /// package's lifecycle scripts (install.js), unless scripts are off or it is a dry run.
    func npmPackagesCommand(_ command: String, _ operands: [Argument]) -> Judgement {
        var settings = npmSettings()
        settings.files = npmrcFiles(settings)
        var judgement = npmPackages(command, operands, settings: settings)
        guard operands.isEmpty, ["install", "ci", "install-test", "install-ci-test"].contains(command),
            !judgement.findings.contains(where: { $0.verdict == .block }), case .local = settings.mode,
            settings.flag("ignore-scripts") == false, settings.flag("dry-run") != true
        else { return judgement }
        var names = Self.installScripts
        if command.hasSuffix("test") { names += around("test") }
        judgement.scripts += scripts(
            names, main: nil, from: npmScriptStart(settings), arguments: [], runner: "npm \(command)")
        return judgement
    }

    func npmLinkCommand(_ operands: [Argument]) -> Judgement {
        var settings = npmSettings()
        settings.files = npmrcFiles(settings)
        return npmLink(operands, settings: settings)
    }

    /// `npm init` alone writes package.json in the working directory; with an initializer it runs it from the
    /// npx cache.
    func npmInit(_ operands: [Argument]) -> Judgement {
        guard operands.isEmpty, npmSettings().commandLine["workspace"] == nil, let directory else {
            return pass("`npm init` with an initializer runs it from the npx cache")
        }
        var judgement = pass("`npm init` writes package.json in \(directory)")
        judgement.effects = [.creates(path: Self.join(directory, "package.json"))]
        return judgement
    }

    /// Where npm's scripts are looked for: the local prefix (`--prefix`), else the working directory.
    func npmScriptStart(_ settings: NpmSettings) -> String? {
        if let prefix = settings.commandLineText("prefix") {
            return context.absolutePath(prefix.value, relativeTo: directory)
        }
        return directory
    }

    /// `npm run NAME` and `npm test|start|stop|restart`: the script and its pre and post scripts, from the
    /// nearest package.json. `ignore-scripts` skips pre and post; the named one still runs (npm's docs).
    func npmScripts(_ name: String, arguments: [Argument], runner: String) -> Judgement {
        var judgement = pass("`\(runner)` runs the project's `\(name)` script")
        var settings = npmSettings()
        let start = npmScriptStart(settings)
        // No package.json above: no scripts, and no npmrc to read for them.
        guard let start, context.nearestAncestor(of: start, holding: "package.json") != nil else { return judgement }
        settings.files = npmrcFiles(settings)
        let ignores = settings.flag("ignore-scripts") == true
        judgement.scripts = scripts(
            ignores ? [name] : around(name), main: name, from: start, arguments: arguments, runner: runner)
        return judgement
    }
}

import GuardKit

// volta, nvm and corepack as data (SPEC §13): their commands, what each does and where, read by the generic
// judge. What stays code is Node's own: which of volta's tools are toolchains, nvm's optional version word
// before the command it runs, corepack use's local root, and where each fix must run to be project-local.

extension NodeCommand {
    /// The toolchain and version managers the generic judge reads.
    static let toolDescriptions = [voltaDescription, nvmDescription, corepackDescription]

    // MARK: volta

    /// volta (clap): `install` and `uninstall` change the user-wide tools and toolchains in ~/.volta; `pin`
    /// records a toolchain in the project's package.json; `run` runs a command with a chosen toolchain.
    static let voltaDescription: PackageManagerDescription = {
        let tools = Target(
            globalWhen: [], globalRule: Node.volta, allowRule: Node.project,
            globalPlaceDescription: "the user-wide tools and toolchains in ~/.volta")
        return PackageManagerDescription(
            name: "volta", programs: ["volta"], style: .clap,
            globalOptions: [help, version, DescribedOption("--verbose"), DescribedOption("--quiet")],
            commands: [
                CommandDescription("install", action: .installs, target: tools),
                CommandDescription("uninstall", action: .removes, target: tools),
                CommandDescription(
                    "pin", action: .worksOnProject(markers: [], manifestOption: nil), rule: Node.project),
                CommandDescription(
                    "run", action: .runsCommand,
                    options: [
                        DescribedOption("--node", value: true), DescribedOption("--npm", value: true),
                        DescribedOption("--pnpm", value: true), DescribedOption("--yarn", value: true),
                        DescribedOption("--env", value: true), DescribedOption("--bundled-npm"),
                        DescribedOption("--no-pnpm"), DescribedOption("--no-yarn"),
                    ]),
            ],
            dynamicRule: Node.dynamicCommand)
    }()

    /// Toolchains volta pins per project rather than installs as packages.
    static let voltaToolchains: Set<String> = ["node", "npm", "yarn", "pnpm"]

    /// The project-local way to do what `volta install|uninstall` does: pin the toolchains in the project,
    /// install the tools as its devDependencies.
    func voltaFix(_ command: DescribedJudge.ReadCommand) -> String {
        let tools = command.operands.map(\.text)
        let toolchains = tools.filter { Self.voltaToolchains.contains(Self.packageName($0)) }
        let packages = tools.filter { !Self.voltaToolchains.contains(Self.packageName($0)) }
        var fixes: [String] = []
        if command.path == ["install"] {
            if !toolchains.isEmpty {
                fixes.append(projectFix(["volta", "pin"] + toolchains.map(Quoting.word), needs: .projectRoot))
            }
            if !packages.isEmpty {
                fixes.append(
                    projectFix(npmWords("install", ["-D"] + packages.map(Quoting.word)), needs: .localRoot(.npm)))
            }
        } else {
            fixes.append(projectFix(npmWords("uninstall", tools.map(Quoting.word)), needs: .localRoot(.npm)))
        }
        return fixes.isEmpty ? "volta pin node" : fixes.joined(separator: " && ")
    }

    // MARK: nvm

    /// nvm, a shell function seen as a program: Node versions are not packages (SPEC §5), so `install`,
    /// `uninstall`, `use` and `alias` pass; copying another version's global packages (`reinstall-packages`,
    /// `install --reinstall-packages-from=V`) installs into a global prefix; `install-latest-npm` replaces the
    /// current Node's npm; `exec` and `run` run a command, which is judged.
    static let nvmDescription: PackageManagerDescription = {
        let copies = Target(
            globalWhen: [], globalRule: Node.nvm, allowRule: Node.project,
            globalPlaceDescription: "a Node version's global prefix")
        let flag = { (name: String) in DescribedOption(name) }
        // `--lts=NAME`, `--reinstall-packages-from=V`: nvm reads only the attached value.
        var exec = CommandDescription("exec", action: .judgedBy(nvmExec), options: [flag("--silent"), flag("--lts")])
        exec.stopsAtFirstOperand = true
        var run = CommandDescription("run", action: .judgedBy(nvmRun), options: [flag("--silent"), flag("--lts")])
        run.stopsAtFirstOperand = true
        return PackageManagerDescription(
            name: "nvm", programs: ["nvm"], style: .getopt,
            globalOptions: [help, version, flag("--silent"), flag("--no-colors")],
            commands: [
                CommandDescription(
                    "install", "i", action: .installs,
                    options: [
                        flag("--reinstall-packages-from"), flag("--lts"), flag("-s"), flag("-b"), flag("--latest-npm"),
                        flag("--skip-default-packages"), flag("--default"), flag("--save"), flag("--no-progress"),
                        flag("--alias"),
                    ],
                    target: copies, fix: CommandTemplate("nvm install {operands}"),
                    writesOnlyWith: ["--reinstall-packages-from"]),
                CommandDescription(
                    "reinstall-packages", "copy-packages", action: .installs, target: copies,
                    fix: CommandTemplate("npm install")),
                CommandDescription(
                    "install-latest-npm", action: .selfUpdate,
                    target: Target(
                        globalWhen: [], globalRule: Node.selfUpdate, allowRule: Node.project,
                        globalPlaceDescription: "the npm of the current Node version"),
                    fix: CommandTemplate("corepack use npm@latest")),
                exec, run,
            ],
            dynamicRule: Node.dynamicCommand)
    }()

    static let nvmExec = CustomCommand(rules: []) { nvmRuns($0, runner: "nvm exec", program: nil) }
    /// `nvm run` runs node with the arguments.
    static let nvmRun = CustomCommand(rules: []) { nvmRuns($0, runner: "nvm run", program: "node") }

    /// What nvm accepts as a version: `20`, `v20.1`, `lts/*`, `lts/iron`, and its built-in aliases.
    static func isNvmVersion(_ text: String) -> Bool {
        if ["node", "iojs", "stable", "unstable", "system", "default", "current", "latest"].contains(text) {
            return true
        }
        if text.hasPrefix("lts/") { return true }
        let digits = text.hasPrefix("v") ? text.dropFirst() : Substring(text)
        return digits.first?.isNumber == true
    }

    /// Programs an `nvm exec` command is likely to start with: a word before one of them is a version alias.
    static let nvmRunnables: Set<String> = [
        "node", "nodejs", "npm", "npx", "yarn", "yarnpkg", "pnpm", "pnpx", "bun", "bunx", "corepack",
    ]

    /// `nvm exec [version] CMD…` and `nvm run [version] ARGS…`: the version is optional (without one nvm
    /// reads .nvmrc and the whole rest is the command), and with `--lts` there is none.
    static func nvmRuns(_ query: CommandQuery, runner: String, program: String?) -> Judgement {
        var command = query.remainder.isEmpty ? query.operands : query.remainder
        if !query.has("--lts"), let first = command.first, !first.isDynamic {
            let next = command.dropFirst().first.map { ProgramName.normalize($0.text) }
            if isNvmVersion(first.text)
                || next.map({ nvmRunnables.contains($0) }) == true
                    && !nvmRunnables.contains(ProgramName.normalize(first.text))
            {
                command.removeFirst()
            }
        }
        if let program { command.insert(Argument(program, span: query.invocation.span), at: 0) }
        guard !command.isEmpty else { return Judgement(findings: [], notes: ["`\(runner)` runs nothing here"]) }
        var judgement = Judgement(
            findings: [], notes: ["`\(runner)` runs a command with a chosen Node version; the command is judged"])
        judgement.nested = NestedCommand(arguments: command, runner: runner)
        return judgement
    }

    // MARK: corepack

    /// corepack (clipanion): `enable` and `disable` write or remove shims next to the global node binary
    /// unless `--install-directory` says where; `prepare --activate` and `install --global` set the user-wide
    /// default version of a package manager; `use` and `up` pin it in the nearest package.json; a package
    /// manager's name (`corepack pnpm@9 install`) runs that package manager.
    static let corepackDescription: PackageManagerDescription = {
        let shims = Target(
            globalWhen: [], globalLocation: [.option("--install-directory")], globalRule: Node.corepack,
            locationRule: Node.installLocation, explicitGlobalRule: true, allowRule: Node.localLocation,
            globalPlaceDescription: "the package-manager shims next to the global node binary")
        // corepack does not create its install directory: the fix makes it first.
        let shimFix = CommandTemplate(
            "mkdir -p .corepack/bin && corepack {name} --install-directory .corepack/bin {operands}")
        let shimOptions = [DescribedOption("--install-directory", value: true)]
        let defaults = Target(
            globalWhen: [], globalRule: Node.corepack, allowRule: Node.project,
            globalPlaceDescription: "the user-wide default package-manager version")
        let pin = CommandTemplate("corepack use {operand}", withoutOperands: "corepack install")
        let activating = [
            DescribedOption("--activate"), DescribedOption("--all"), DescribedOption("--json"),
        ]
        let project = Target(globalWhen: [.never], globalRule: Node.corepack, allowRule: Node.project)
        return PackageManagerDescription(
            name: "corepack", programs: ["corepack"], style: .getopt, globalOptions: [help, version],
            commands: [
                CommandDescription("enable", action: .installs, options: shimOptions, target: shims, fix: shimFix),
                CommandDescription("disable", action: .removes, options: shimOptions, target: shims, fix: shimFix),
                // Without --activate they only fill corepack's cache.
                CommandDescription(
                    "prepare", action: .installs, options: activating, target: defaults, fix: pin,
                    writesOnlyWith: ["--activate"]),
                CommandDescription(
                    "hydrate", action: .installs, options: activating, target: defaults, fix: pin,
                    writesOnlyWith: ["--activate"]),
                // Without --global it fills corepack's cache with the project's package manager.
                CommandDescription(
                    "install", action: .installs,
                    options: [DescribedOption("-g", "--global"), DescribedOption("--cache-only")], target: defaults,
                    fix: pin, writesOnlyWith: ["--global"]),
                CommandDescription("use", action: .installs, target: project),
                CommandDescription("up", action: .installs, target: project),
            ],
            unknownCommand: .runsNamedProgram(["npm", "npx", "yarn", "yarnpkg", "pnpm", "pnpx"]),
            dynamicRule: Node.dynamicCommand)
    }()

    // MARK: Judging

    /// volta, nvm and corepack: the generic judge, then what is Node's own.
    func describedTool() -> Judgement {
        let outcome = DescribedJudge(ecosystem: module.id, descriptions: Self.toolDescriptions)
            .judge(invocation, in: context)
        var judgement = outcome.judgement
        guard let command = outcome.command else { return judgement }
        if outcome.written == .project, judgement.findings.count == 1,
            judgement.findings[0].rule == Node.project.id
        {
            // corepack use/up pin the version in the nearest package.json: Node's local root decides.
            let words = [invocation.program] + command.path
            return judgeLocalRoot(
                words.joined(separator: " "), manager: .corepack, from: command.directory,
                fix: projectFix(words + command.operands.map(Quoting.argument), needs: .localRoot(.corepack)),
                createsManifest: false, hasPackages: false)
        }
        for index in judgement.findings.indices where judgement.findings[index].verdict >= .ask {
            judgement.findings[index].fix =
                invocation.program == "volta"
                ? voltaFix(command) : placedToolFix(judgement.findings[index].fix ?? "")
        }
        return judgement
    }

    /// A fix placed where it is project-local: an npm command by npm's local root (switching off the
    /// global mode the environment sets), `corepack use` by the nearest package.json it edits, a directory
    /// made for shims inside a project. Others (`nvm install 20`, `corepack install`, which only reads the
    /// project's pin) run anywhere.
    func placedToolFix(_ fix: String) -> String {
        let words = fix.split(separator: " ").map(String.init)
        switch words.first {
        case "npm" where words.count > 1:
            return projectFix(npmWords(words[1], Array(words.dropFirst(2))), needs: .localRoot(.npm))
        case "corepack" where words.dropFirst().first == "use":
            return projectFix([fix], needs: .localRoot(.corepack))
        case "mkdir":
            return projectFix([fix], needs: .projectRoot)
        default:
            return fix
        }
    }
}

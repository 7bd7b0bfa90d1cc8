import GuardKit

// pipenv, pdm, hatch and poetry as data (SPEC §13): their options, commands and global modes, read by the
// generic judge. What stays code is Python's own: the project's venv that `run` runs in, and poetry's
// virtualenvs settings.

extension PythonCommand {
    /// The Python project managers the generic judge reads.
    static let projectManagers = [pipenvDescription, pdmDescription, hatchDescription, poetryDescription]

    static let help = DescribedOption("-h", "--help", role: .help)

    /// A package manager changing its own environment: global wherever it runs, and the fix is pipx, the
    /// installer these tools recommend.
    static func selfCommand(
        _ name: String, _ action: CommandAction, tool: String, fix: String, undo: String? = nil,
        options: [DescribedOption] = []
    ) -> CommandDescription {
        CommandDescription(
            name, action: action, options: options + [DescribedOption("--dry-run", role: .dryRun)],
            target: Target(
                globalWhen: [], globalRule: Python.selfUpdate, allowRule: Python.projectTool,
                globalPlaceDescription: "\(tool)'s own environment"),
            fix: CommandTemplate(fix), undo: undo.map { CommandTemplate($0) })
    }

    // MARK: pipenv

    /// pipenv (argparse since 2026.5, click before): general options before the command and after it;
    /// `--system` (or `PIPENV_SYSTEM`) sends install, upgrade, update, sync, uninstall and clean to the
    /// interpreter running pipenv instead of the project's virtualenv.
    static let pipenvDescription: PackageManagerDescription = {
        let system = DescribedOption("--system")
        let general = [
            DescribedOption("--pypi-mirror", value: true), DescribedOption("-v", "--verbose"),
            DescribedOption("-q", "--quiet"), DescribedOption("--clear"), DescribedOption("--python", value: true),
            DescribedOption("--site-packages"), DescribedOption("--no-site-packages"), help,
        ]
        let target = Target(
            globalWhen: [.option("--system"), .environment("PIPENV_SYSTEM")], globalRule: Python.pipenvSystem,
            allowRule: Python.projectTool, globalPlaceDescription: "the interpreter that runs pipenv (--system)")
        let installing = [
            system, DescribedOption("--deploy"), DescribedOption("--pre"),
            DescribedOption("--extra-pip-args", value: true), DescribedOption("--resolver", value: true),
            DescribedOption("-d", "--dev"), DescribedOption("--categories", value: true),
            DescribedOption("--extras", value: true), DescribedOption("--all"),
            DescribedOption("--config-settings", value: true), DescribedOption("-i", "--index", value: true),
            DescribedOption("-r", "--requirements", value: true), DescribedOption("--ignore-pipfile"),
            DescribedOption("-e", "--editable", value: true), DescribedOption("--skip-lock"),
            DescribedOption("--lock-only"), DescribedOption("--bare"),
        ]
        return PackageManagerDescription(
            name: "pipenv", programs: ["pipenv"], style: .optparse,
            globalOptions: general + [
                DescribedOption("--version", role: .help), DescribedOption("--where"), DescribedOption("--venv"),
                DescribedOption("--py"), DescribedOption("--envs"), DescribedOption("--rm"), DescribedOption("--bare"),
                DescribedOption("--man"), DescribedOption("--support"),
                // pipenv refuses --system before the command; it says system all the same.
                system,
            ],
            commands: [
                CommandDescription("install", action: .installs, options: installing, target: target),
                CommandDescription("upgrade", action: .installs, options: installing, target: target),
                CommandDescription(
                    "update", action: .installs,
                    options: installing + [
                        DescribedOption("--dry-run", role: .dryRun), DescribedOption("--outdated", role: .reads),
                    ], target: target),
                CommandDescription(
                    "sync", action: .installs, options: installing + [DescribedOption("--clean")], target: target),
                // Older pipenv took --system here too; every version reads PIPENV_SYSTEM.
                CommandDescription(
                    "uninstall", action: .removes,
                    options: installing + [DescribedOption("--all-dev")], target: target),
                CommandDescription(
                    "clean", action: .removes,
                    options: [DescribedOption("--dry-run", role: .dryRun), DescribedOption("--bare")], target: target),
                CommandDescription("run", action: .runsCommand, options: [system]),
                // `remove` removes the project's virtualenv, nothing else.
                CommandDescription("remove", action: .reads),
            ],
            dynamicRule: Python.dynamicCommand)
    }()

    // MARK: pdm

    /// pdm (argparse): its own options before the command; `-g/--global` of each project command selects
    /// the global project, which installs into the interpreter pdm finds rather than a virtualenv.
    static let pdmDescription: PackageManagerDescription = {
        let global = DescribedOption("-g", "--global")
        let project = [
            global, DescribedOption("-p", "--project", value: true), DescribedOption("-L", "--lockfile", value: true),
            DescribedOption("-G", "--group", value: true), DescribedOption("--without", value: true),
            DescribedOption("-k", "--skip", value: true), DescribedOption("--venv", value: true),
            DescribedOption("--override", value: true), DescribedOption("--config-setting", value: true),
            DescribedOption("-e", "--editable", value: true), DescribedOption("-d", "--dev"),
            DescribedOption("--dry-run", role: .dryRun), help,
        ]
        let target = Target(
            globalWhen: [.option("--global")], globalRule: Python.pdmGlobal, allowRule: Python.projectTool,
            globalPlaceDescription: "the global project's interpreter, not a virtualenv")
        func selfSub(_ name: String, _ action: CommandAction, fix: String, undo: String? = nil) -> CommandDescription {
            selfCommand(
                name, action, tool: "pdm", fix: fix, undo: undo, options: [DescribedOption("--pip-args", value: true)])
        }
        return PackageManagerDescription(
            name: "pdm", programs: ["pdm"], style: .optparse,
            globalOptions: [
                help, DescribedOption("-V", "--version", role: .help), DescribedOption("--pep582", role: .help),
                DescribedOption("-c", "--config", value: true), DescribedOption("-v", "--verbose"),
                DescribedOption("-q", "--quiet"), DescribedOption("--no-cache"),
                DescribedOption("-I", "--ignore-python"),
                DescribedOption("-n", "--non-interactive"),
                // pdm refuses -g before the command; it says global all the same.
                global,
            ],
            commands: [
                CommandDescription(
                    "add", action: .installs, options: project, target: target,
                    undo: CommandTemplate("pdm remove -g {operands}")),
                CommandDescription("install", action: .installs, options: project, target: target),
                CommandDescription("sync", action: .installs, options: project, target: target),
                CommandDescription("update", action: .installs, options: project, target: target),
                CommandDescription(
                    "remove", action: .removes, options: project, target: target,
                    undo: CommandTemplate("pdm add -g {operands}")),
                CommandDescription(
                    "run", action: .runsCommand,
                    options: project + [
                        DescribedOption("-l", "--list", role: .reads), DescribedOption("--env", value: true),
                        DescribedOption("--env-file", value: true),
                        // The command's directory, not the project's: the venv stays the project's.
                        DescribedOption("--working-dir", value: true),
                    ]),
                CommandDescription(
                    names: ["self", "plugin"], action: .group,
                    subcommands: [
                        selfSub(
                            "add", .installs, fix: "pipx inject pdm {operands}", undo: "pdm self remove {operands}"),
                        selfSub("remove", .removes, fix: "pipx uninject pdm {operands}"),
                        selfSub("update", .selfUpdate, fix: "pipx upgrade pdm"),
                    ]),
                // Interpreter versions are not packages (SPEC §5).
                CommandDescription(names: ["python", "py"], action: .reads),
                CommandDescription("init", action: .reads, creates: ["pyproject.toml"]),
            ],
            dynamicRule: Python.dynamicCommand)
    }()

    // MARK: hatch

    /// hatch (click): root options before the command; `self update|restore` replace hatch itself, and
    /// `run` runs a command in one of the project's environments.
    static let hatchDescription = PackageManagerDescription(
        name: "hatch", programs: ["hatch"], style: .getopt,
        globalOptions: [
            help, DescribedOption("--version", role: .help), DescribedOption("-e", "--env", value: true),
            DescribedOption("-p", "--project", value: true), DescribedOption("-v", "--verbose"),
            DescribedOption("-q", "--quiet"), DescribedOption("--color"), DescribedOption("--no-color"),
            DescribedOption("--interactive"), DescribedOption("--no-interactive"),
            DescribedOption("--data-dir", value: true), DescribedOption("--cache-dir", value: true),
            DescribedOption("--config", value: true),
        ],
        commands: [
            CommandDescription(
                "self", action: .group,
                subcommands: [
                    selfCommand("update", .selfUpdate, tool: "hatch", fix: "pipx upgrade hatch"),
                    selfCommand("restore", .selfUpdate, tool: "hatch", fix: "pipx upgrade hatch"),
                ]),
            CommandDescription("run", action: .runsCommand),
            // Interpreter versions are not packages (SPEC §5).
            CommandDescription("python", action: .reads),
        ],
        dynamicRule: Python.dynamicCommand)

    // MARK: poetry

    /// poetry (cleo): global options anywhere, `-C DIR` the working directory; project commands work in
    /// the project's virtualenv unless virtualenvs are turned off; `self …` changes poetry's own
    /// environment.
    static let poetryDescription: PackageManagerDescription = {
        let dryRun = DescribedOption("--dry-run", role: .dryRun)
        let groups = [
            DescribedOption("-G", "--group", value: true), DescribedOption("--with", value: true),
            DescribedOption("--without", value: true), DescribedOption("--only", value: true),
            DescribedOption("-E", "--extras", value: true), DescribedOption("--lock"), dryRun,
        ]
        let adding = [
            DescribedOption("--optional", value: true), DescribedOption("--python", value: true),
            DescribedOption("--platform", value: true), DescribedOption("--markers", value: true),
            DescribedOption("--source", value: true),
        ]
        // Without virtualenvs poetry installs into the interpreter it runs with: the module sees whether
        // that is a venv.
        let target = Target(
            globalWhen: [.environmentOff("POETRY_VIRTUALENVS_CREATE", on: ["true", "1"])],
            globalRule: Python.poetryNoVenv,
            allowRule: Python.projectTool,
            globalPlaceDescription: "the interpreter poetry runs with (POETRY_VIRTUALENVS_CREATE is off)")
        let installs = { (name: String, action: CommandAction) in
            CommandDescription(name, action: action, options: groups + adding, target: target)
        }
        return PackageManagerDescription(
            name: "poetry", programs: ["poetry"], style: .symfony,
            globalOptions: [
                help, DescribedOption("-V", "--version", role: .help), DescribedOption("-q", "--quiet"),
                DescribedOption("-v", "--verbose"), DescribedOption("-n", "--no-interaction"),
                DescribedOption("--ansi"),
                DescribedOption("--no-ansi"), DescribedOption("--no-plugins"), DescribedOption("--no-cache"),
                DescribedOption("-C", "--directory", value: true, role: .workingDirectory),
                DescribedOption("-P", "--project", value: true),
            ],
            commands: [
                installs("add", .installs), installs("remove", .removes), installs("install", .installs),
                installs("update", .installs), installs("sync", .installs),
                // Writes the lock file, installs nothing.
                CommandDescription(
                    "lock", action: .installs,
                    target: Target(globalWhen: [.never], globalRule: Python.poetryNoVenv, allowRule: Python.projectTool)
                ),
                CommandDescription("run", action: .runsCommand),
                CommandDescription(
                    "self", action: .group,
                    subcommands: [
                        selfCommand(
                            "add", .installs, tool: "poetry", fix: "pipx inject poetry {operands}",
                            undo: "poetry self remove {operands}"),
                        selfCommand("remove", .removes, tool: "poetry", fix: "pipx uninject poetry {operands}"),
                        selfCommand("update", .selfUpdate, tool: "poetry", fix: "pipx upgrade poetry"),
                        selfCommand("install", .installs, tool: "poetry", fix: "pipx upgrade poetry"),
                        selfCommand("sync", .installs, tool: "poetry", fix: "pipx upgrade poetry"),
                        selfCommand("lock", .installs, tool: "poetry", fix: "pipx upgrade poetry"),
                    ]),
                // Read by the module: only `virtualenvs.create` turned off matters (poetry's own settings).
                CommandDescription(
                    "config", action: .reads,
                    options: [
                        DescribedOption("--local"), DescribedOption("--unset"), DescribedOption("--list"),
                        DescribedOption("--migrate"),
                    ]),
            ],
            dynamicRule: Python.dynamicCommand)
    }()

    /// Where each manager keeps a project's virtualenv when the project has none of its own, under the
    /// home directory (their documented defaults).
    static let managerVenvHomes = [
        "pipenv": ".local/share/virtualenvs", "pdm": ".cache/pdm/venvs", "poetry": ".cache/pypoetry/virtualenvs",
        "hatch": ".local/share/hatch/env/virtual",
    ]

    /// pipenv, pdm, hatch and poetry: the generic judge, then what is Python's own.
    func projectManagerCommand() -> Judgement {
        let outcome = DescribedJudge(ecosystem: module.id, descriptions: Self.projectManagers)
            .judge(invocation, in: context)
        var judgement = outcome.judgement
        guard let command = outcome.command else { return judgement }
        let program = invocation.program
        if let nested = judgement.nested, command.path == ["run"] {
            // Outside the venv: pipenv's --system, pdm's global project.
            let system =
                command.has("--system") || command.has("--global")
                || (program == "pipenv" && environment.isTruthy("PIPENV_SYSTEM") == true)
                || (program == "pdm" && pdmFallsBackToGlobal(command))
            if !system { return managerRun(nested, venvHome: Self.managerVenvHomes[program] ?? ".cache/venvs") }
            return judgement
        }
        let allowed = judgement.findings.count == 1 && judgement.findings[0].rule == Python.projectTool.id
        let what = "`\(program) \(command.path.joined(separator: " "))`"
        if program == "pdm", allowed, pdmFallsBackToGlobal(command) {
            judgement.findings = [
                module.finding(
                    Python.pdmGlobal, invocation,
                    reason: "\(what) finds no pyproject.toml here or above, and global_project.fallback sends it to "
                        + "the global project, which installs into the interpreter pdm finds.",
                    fix: "mkdir -p ~/py-project && cd ~/py-project && pdm init -n && " + commandText)
            ]
            return judgement
        }
        guard program == "poetry" else { return judgement }
        if command.path == ["config"] { return poetryConfig(command) }
        // Without virtualenvs, an active venv is still the interpreter poetry installs into; `--lock` only
        // writes the lock file.
        let withoutVenv = judgement.findings.contains { $0.rule == Python.poetryNoVenv.id }
        if withoutVenv, environment["VIRTUAL_ENV"] != nil || command.has("--lock") {
            judgement.findings = [
                module.finding(
                    Python.projectTool, invocation,
                    reason: command.has("--lock")
                        ? "\(what) with `--lock` only writes the lock file."
                        : "\(what) installs into the active virtual environment.",
                    verdict: .allow)
            ]
        } else if allowed, !command.has("--lock"), command.path != ["lock"], environment["VIRTUAL_ENV"] == nil,
            environment["POETRY_VIRTUALENVS_CREATE"] == nil, let file = poetryVirtualenvsOff(command)
        {
            judgement.findings = [
                module.finding(
                    Python.poetryNoVenv, invocation,
                    reason: "`virtualenvs.create` is off in \(display(file)), so \(what) installs into the "
                        + "interpreter poetry runs with.",
                    fix: "POETRY_VIRTUALENVS_CREATE=true " + commandText)
            ]
        }
        return judgement
    }

    /// The command as written, without the assignments before it.
    var commandText: String { invocation.arguments.map(Quoting.argument).joined(separator: " ") }

    /// The user's configuration directory (`$XDG_CONFIG_HOME`, else `~/.config`).
    var configHome: String? {
        if let config = environment["XDG_CONFIG_HOME"], !config.isDynamic, config.text.hasPrefix("/") {
            return config.text
        }
        return context.home.map { $0 + "/.config" }
    }

    /// The poetry settings file that turns `virtualenvs.create` off, if one does: the project's
    /// `poetry.toml` (beside its pyproject.toml) wins over the user's `config.toml`.
    func poetryVirtualenvsOff(_ command: DescribedJudge.ReadCommand) -> String? {
        var files: [String] = []
        let start =
            command.options.last { $0.name == "--project" }?.value
            .flatMap { context.absolutePath($0.value, relativeTo: command.directory) } ?? command.directory
        if let start, let root = context.nearestAncestor(of: start, holding: "pyproject.toml") {
            files.append((root == "/" ? "" : root) + "/poetry.toml")
        }
        if let named = environment["POETRY_CONFIG_DIR"], !named.text.isEmpty {
            if let directory = context.absolutePath(named, relativeTo: command.directory) {
                files.append(directory + "/config.toml")
            }
        } else if let config = configHome {
            files.append(config + "/pypoetry/config.toml")
        }
        for file in files {
            guard let bytes = context.files.contents(of: file),
                let value = TOMLSetting.value(bytes, table: "virtualenvs", key: "create")
            else { continue }
            // poetry reads a setting as true only when it is `true` or `1`.
            return ["true", "1"].contains(value.lowercased()) ? nil : file
        }
        return nil
    }

    /// pdm's `global_project.fallback`: where pdm finds no pyproject.toml here or above (and no `-p` names
    /// a project), a project command works on the global project.
    func pdmFallsBackToGlobal(_ command: DescribedJudge.ReadCommand) -> Bool {
        guard !command.has("--project"), environment["PDM_PROJECT"] == nil, !command.has("--global"),
            let directory = command.directory, context.nearestAncestor(of: directory, holding: "pyproject.toml") == nil
        else { return false }
        let file: String?
        if let named = command.options.last(where: { $0.name == "--config" })?.value {
            file = context.absolutePath(named.value, relativeTo: directory)
        } else if let named = environment["PDM_CONFIG_FILE"], !named.text.isEmpty {
            file = context.absolutePath(named, relativeTo: directory)
        } else {
            file = configHome.map { $0 + "/pdm/config.toml" }
        }
        guard let file, let bytes = context.files.contents(of: file),
            let value = TOMLSetting.value(bytes, table: "global_project", key: "fallback")
        else { return false }
        return ["true", "1", "yes", "on"].contains(value.lowercased())
    }

    /// `poetry config virtualenvs.create false` without `--local`: every project's later installs go into
    /// the interpreter poetry runs with.
    func poetryConfig(_ command: DescribedJudge.ReadCommand) -> Judgement {
        let words = command.operands.map(\.text)
        guard words.count >= 2, words[0] == "virtualenvs.create", ["false", "0"].contains(words[1].lowercased()),
            !command.has("--local"), !command.has("--unset")
        else { return Judgement(findings: [], notes: ["`poetry config` sets nothing that moves installs"]) }
        return Judgement(findings: [
            module.finding(
                Python.poetryNoVenv, invocation,
                reason: "`virtualenvs.create false` makes poetry install into whatever interpreter it runs with, "
                    + "for every project.",
                fix: "poetry config virtualenvs.in-project true")
        ])
    }

    /// `poetry run`, `pdm run`, `pipenv run`, `hatch run`: the command runs inside the project's managed
    /// venv — the active one, the project's own, or the one the manager keeps under the home directory.
    func managerRun(_ nested: NestedCommand, venvHome: String) -> Judgement {
        let directory = nested.directory ?? self.directory
        let root = context.projectRoot(of: directory)
        let venv: String
        if let active = environment["VIRTUAL_ENV"], !active.isDynamic {
            venv = active.text
        } else if let local = projectVenv(of: root ?? directory) {
            venv = local
        } else {
            let name = Paths.basename(root ?? directory ?? "project")
            venv = (context.home ?? "") + "/" + venvHome + "/" + name + "-py3"
        }
        var judgement = Judgement()
        if !context.files.exists(venv + "/pyvenv.cfg") {
            judgement.effects = ["pyvenv.cfg", "bin/python", "bin/pip"].map { .creates(path: venv + "/" + $0) }
        }
        var inVenv = self.nested(nested.arguments, venv: venv, runner: nested.runner)
        inVenv.directory = nested.directory
        judgement.nested = inVenv
        return judgement
    }
}

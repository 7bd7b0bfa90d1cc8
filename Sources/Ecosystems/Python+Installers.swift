import GuardKit

// easy_install and conda/mamba/micromamba as data (SPEC §13): their options, commands and where each writes,
// read by the generic judge. What stays code is Python's own: which environment an interpreter belongs to
// (a venv's pyvenv.cfg, a conda environment's conda-meta), as location sources, and the fixes, which name the
// project's venv or conda environment.

extension PythonCommand {
    /// The environment the program's own interpreter belongs to (`easy_install`, or the interpreter running
    /// `-m easy_install`): a venv or a named conda environment is one of its own; anything else is global.
    static let interpreterEnvironment = CustomLocation("interpreter") { query in
        let reader = PythonCommand(module: .shared, invocation: query.invocation, context: query.context)
        let word = query.invocation.arguments[0].text
        return CustomResolution(isolated: reader.isolated(reader.environment(ofExecutable: reader.resolve(word))))
    }

    /// An environment of its own, described for reasons; `nil` for a global one.
    func isolated(_ environment: PythonEnvironment) -> String? {
        switch environment {
        case .venv(let root): "the virtual environment \(display(root))"
        case .condaEnvironment(let root): "the conda environment \(display(root))"
        case .global: nil
        }
    }

    // MARK: easy_install

    /// setuptools' easy_install (distutils' getopt, so a unique prefix of a long option stands for it): one
    /// command that installs into the site-packages of the interpreter it runs with. With nothing to install
    /// it stops with a usage error.
    static let easyInstallDescription = PackageManagerDescription(
        name: "easy_install", programs: ["easy_install"], style: .optparse,
        commands: [
            CommandDescription(
                "easy_install", action: .installs,
                options: [
                    DescribedOption("-h", "--help", role: .help), DescribedOption("--version", role: .help),
                    DescribedOption("-n", "--dry-run", role: .dryRun), DescribedOption("-v", "--verbose"),
                    DescribedOption("-q", "--quiet"), DescribedOption("--prefix", value: true),
                    DescribedOption("-z", "--zip-ok"), DescribedOption("-m", "--multi-version"),
                    DescribedOption("-U", "--upgrade"), DescribedOption("-d", "--install-dir", value: true),
                    DescribedOption("-s", "--script-dir", value: true), DescribedOption("-x", "--exclude-scripts"),
                    DescribedOption("-a", "--always-copy"), DescribedOption("-i", "--index-url", value: true),
                    DescribedOption("-f", "--find-links", value: true),
                    DescribedOption("-b", "--build-directory", value: true),
                    DescribedOption("-O", "--optimize", value: true), DescribedOption("--record", value: true),
                    DescribedOption("-Z", "--always-unzip"), DescribedOption("-S", "--site-dirs", value: true),
                    DescribedOption("-e", "--editable"), DescribedOption("-N", "--no-deps"),
                    DescribedOption("-H", "--allow-hosts", value: true), DescribedOption("-l", "--local-snapshots-ok"),
                    DescribedOption("--no-find-links"), DescribedOption("--user"),
                ],
                target: Target(
                    globalWhen: [], globalLocation: [.custom(interpreterEnvironment)], globalRule: Python.easyInstall,
                    allowRule: Python.venv,
                    globalPlaceDescription: "the site-packages of a Python that is not a virtual environment"),
                writesWithoutOperandsOnly: [])
        ],
        dynamicRule: Python.dynamicCommand, soleCommand: "easy_install")

    /// easy_install: the generic judge; the fix installs the same packages with the project venv's pip.
    func easyInstall() -> Judgement {
        let outcome = DescribedJudge(ecosystem: module.id, descriptions: [Self.easyInstallDescription])
            .judge(invocation, in: context)
        var judgement = outcome.judgement
        let packages = outcome.command?.operands.map(\.text) ?? []
        for index in judgement.findings.indices where judgement.findings[index].verdict >= .ask {
            judgement.findings[index].fix = venvCommand("pip", ["install"] + packages)
        }
        return judgement
    }
}

// MARK: - conda

extension PythonCommand {
    /// The environment a conda command changes when no `-p` names one: a named environment is one of its own;
    /// the base (named, or active) is global. `conda create` without `-n` (or `-p`) is refused.
    static let condaEnvironment = CustomLocation("conda environment") { query in
        PythonCommand(module: .shared, invocation: query.invocation, context: query.context)
            .condaEnvironment(query, creates: false)
    }

    /// The same for a command that creates the environment: only `-n` or `-p` names it.
    static let condaNewEnvironment = CustomLocation("new conda environment") { query in
        PythonCommand(module: .shared, invocation: query.invocation, context: query.context)
            .condaEnvironment(query, creates: true)
    }

    func condaEnvironment(_ query: LocationQuery, creates: Bool) -> CustomResolution {
        if query.value("--prefix") != nil { return CustomResolution() }
        let name = query.value("--name")
        if creates, name == nil {
            return CustomResolution(
                refusal: "`\(invocation.program) create` without -n or -p names its environment elsewhere")
        }
        let target =
            name?.text ?? environment["CONDA_DEFAULT_ENV"]?.text ?? (environment["CONDA_PREFIX"] == nil ? "base" : nil)
        // The active environment's prefix, when known, says whether it is base (activated by name or path).
        let activePrefix = environment["CONDA_PREFIX"].flatMap { context.absolutePath($0, relativeTo: directory) }
        let activeIsBase = name == nil && (activePrefix.map(isCondaBase) ?? (target == nil))
        if target == "base" || target == "root" || activeIsBase { return CustomResolution() }
        return CustomResolution(
            isolated: "the named environment \(target ?? "(active)"), isolated from the rest",
            rule: Python.projectTool)
    }

    /// conda, mamba and micromamba (argparse; CLI11 for micromamba): options after the command, and before
    /// it; each command that changes packages works on the environment `-p` or `-n` names, else the active
    /// one, else the base, which every shell activates.
    static let condaDescriptions = ["conda", "mamba", "micromamba"].map(condaDescription)

    static func condaDescription(_ program: String) -> PackageManagerDescription {
        let common = [
            DescribedOption("-h", "--help", role: .help), DescribedOption("-n", "--name", value: true),
            DescribedOption("-p", "--prefix", value: true), DescribedOption("-r", "--root-prefix", value: true),
            DescribedOption("-c", "--channel", value: true), DescribedOption("-f", "--file", value: true),
            DescribedOption("--override-channels"), DescribedOption("-y", "--yes"),
        ]
        let changing = [DescribedOption("-d", "--dry-run", role: .dryRun)]
        func target(_ environment: CustomLocation) -> Target {
            Target(
                globalWhen: [], globalLocation: [.option("--prefix"), .custom(environment)],
                globalRule: Python.condaBase, locationRule: Python.installLocation, explicitGlobalRule: true,
                allowRule: Python.localLocation,
                globalPlaceDescription: "conda's base environment, which every shell activates")
        }
        let existing = target(condaEnvironment)
        let new = target(condaNewEnvironment)
        return PackageManagerDescription(
            name: program, programs: [program], style: .getopt,
            globalOptions: common + [DescribedOption("-V", "--version", role: .help)],
            commands: [
                CommandDescription("install", action: .installs, options: changing, target: existing),
                CommandDescription(
                    names: ["update", "upgrade"], action: .installs, options: changing, target: existing),
                CommandDescription(
                    names: ["remove", "uninstall"], action: .removes, options: changing, target: existing),
                CommandDescription("create", action: .installs, options: changing, target: new),
                CommandDescription(
                    "env", action: .group,
                    subcommands: [
                        CommandDescription("create", action: .installs, options: changing, target: new),
                        CommandDescription("update", action: .installs, options: changing, target: existing),
                        CommandDescription("remove", action: .removes, options: changing, target: existing),
                    ]),
                // What it does to the shell is the module's: the environment later commands change.
                CommandDescription("activate", action: .reads),
                // `conda run [OPTIONS] EXE ARGS…`: the command's own options are not conda's.
                CommandDescription(
                    "run", action: .runsCommand,
                    options: [
                        DescribedOption("--cwd", value: true), DescribedOption("-v", "--verbose"),
                        DescribedOption("--dev"), DescribedOption("-s", "--no-capture-output"),
                        DescribedOption("--live-stream"), DescribedOption("--debug-wrapper-scripts"),
                    ]),
            ],
            dynamicRule: Python.dynamicCommand)
    }

    /// conda, mamba, micromamba: the generic judge, then what is conda's own: the environment `activate` and
    /// `run` put first on PATH, what `create` makes, and fixes that name the project's environment.
    func conda() -> Judgement {
        let outcome = DescribedJudge(ecosystem: module.id, descriptions: Self.condaDescriptions)
            .judge(invocation, in: context)
        var judgement = outcome.judgement
        guard let command = outcome.command, !command.has("--help"), !command.has("--version") else {
            return judgement
        }
        switch command.path {
        case ["activate"]:
            return condaActivate(command)
        case ["run"]:
            guard let nested = judgement.nested else { return judgement }
            judgement.nested = condaRun(command.options, command: nested.arguments)
            return judgement
        case ["create"], ["env", "create"]:
            judgement.effects = condaCreation(command)
        default:
            break
        }
        for index in judgement.findings.indices where judgement.findings[index].verdict >= .ask {
            judgement.findings[index].fix = condaFix(command)
        }
        return judgement
    }

    /// The environment `conda create` makes, for the parts of the line after it: `conda-meta/`, and the
    /// interpreter and pip when the environment gets Python (`python`, `python=3.12`, `-f environment.yml`).
    func condaCreation(_ command: DescribedJudge.ReadCommand) -> [Effect] {
        guard command.has("--prefix") || command.has("--name"), let prefix = condaPrefix(command.options, name: nil)
        else { return [] }
        var files = ["conda-meta/history"]
        let getsPython =
            command.has("--file") || command.operands.contains { $0.text == "python" || $0.text.hasPrefix("python=") }
        if getsPython { files += ["bin/python", "bin/python3", "bin/pip"] }
        return files.map { .creates(path: prefix + "/" + $0) }
    }

    /// The project-local way to run a conda command: the same words and options, with the target replaced
    /// by `./.conda` in the project (created by `create` when it does not exist yet), or by a named
    /// environment where there is no project to hold it.
    func condaFix(_ command: DescribedJudge.ReadCommand) -> String {
        var dropped = ArgumentCounts()
        for found in command.options where found.name == "--name" || found.name == "--prefix" {
            dropped.add(found.written)
            if let value = found.value, value != found.written { dropped.add(value) }
        }
        var words = command.path[...]
        var kept: [Argument] = []
        for argument in invocation.operands where !dropped.take(argument) {
            if let word = words.first, argument.text == word {
                words = words.dropFirst()
            } else {
                kept.append(argument)
            }
        }
        var fixWords = command.path
        let target: [String]
        if let root = projectRoot {
            let prefix = root + "/.conda"
            let shown = display(prefix)
            target = ["-p", shown.contains("/") ? shown : "./" + shown]
            if !isCondaPrefix(prefix) {
                if fixWords == ["install"] { fixWords = ["create"] }
                if fixWords == ["env", "update"] { fixWords = ["env", "create"] }
            }
        } else {
            let base = directory.map(Paths.basename) ?? ""
            target = ["-n", directory == context.home || base.isEmpty || base == "/" ? "env" : base]
            if fixWords == ["install"] { fixWords = ["create"] }
            if fixWords == ["env", "update"] { fixWords = ["env", "create"] }
        }
        return Quoting.command([invocation.program] + fixWords + target + kept.map(\.text))
    }

    /// The prefix of conda's base installation, from the conda executable's place.
    var condaBase: String? {
        if let exe = environment["CONDA_EXE"], !exe.isDynamic { return Paths.parent(Paths.parent(exe.text)) }
        if let conda = resolve(invocation.arguments[0].text) {
            let prefix = Paths.parent(Paths.parent(conda))
            return isCondaPrefix(prefix) ? prefix : nil
        }
        return nil
    }

    /// The environment's prefix: `-p`, else `-n` (or the name given as an operand), else the base.
    func condaPrefix(_ options: [ParsedOptions.Found], name operand: Argument?) -> String? {
        if let prefix = options.last(where: { $0.name == "--prefix" })?.value {
            return context.absolutePath(prefix.value, relativeTo: directory)
        }
        guard let base = condaBase else { return nil }
        let name = options.last(where: { $0.name == "--name" })?.value?.text ?? operand?.text ?? "base"
        return name == "base" || name == "root" ? base : base + "/envs/" + name
    }

    /// `conda activate [NAME|PATH]`: the environment later conda commands change. Tracked as far as it is
    /// known: the name always, the prefix and PATH when conda's base can be found (or a path was given).
    func condaActivate(_ command: DescribedJudge.ReadCommand) -> Judgement {
        guard invocation.runsInCurrentShell else { return Judgement() }
        let argument = command.operands.first
        if argument?.isDynamic == true {
            return Judgement(findings: [], notes: ["the environment activated is only known when the line runs"])
        }
        var name = argument?.text ?? "base"
        let prefix: String?
        if name.contains("/") {
            // conda activates a path as that prefix, and names it by its path.
            prefix = context.absolutePath(Value(name), relativeTo: directory)
            name = prefix ?? name
        } else {
            prefix = condaPrefix(command.options, name: argument)
        }
        return condaActivation(name: name, prefix: prefix)
    }

    /// What `conda activate` sets: the environment's name, and its prefix and `bin` on PATH when known.
    func condaActivation(name: String, prefix: String?) -> Judgement {
        var judgement = Judgement()
        judgement.effects = [.setVariable("CONDA_DEFAULT_ENV", Value(name), exported: true)]
        if let prefix {
            let path = environment["PATH"] ?? Value("")
            judgement.effects += [
                .setVariable("CONDA_PREFIX", Value(prefix), exported: true),
                .setVariable("PATH", Value(prefix + "/bin:" + path.text, isDynamic: path.isDynamic), exported: true),
            ]
            judgement.notes = ["activates the conda environment \(prefix)"]
        } else {
            // The prefix is somewhere under conda's base, which was not found: set, but not known.
            judgement.effects.append(
                .setVariable("CONDA_PREFIX", Value("$CONDA_PREFIX", isDynamic: true), exported: true))
            judgement.notes = ["activates the conda environment \(name) (its prefix is not known)"]
        }
        return judgement
    }

    /// `conda run`: the command runs with the environment's `bin` first on PATH.
    func condaRun(_ options: [ParsedOptions.Found], command rest: [Argument]) -> NestedCommand {
        guard let prefix = condaPrefix(options, name: nil) ?? condaBase else {
            return NestedCommand(arguments: rest, runner: "\(invocation.program) run")
        }
        let path = environment["PATH"] ?? Value("")
        return NestedCommand(
            arguments: rest,
            environmentChanges: [
                "PATH": Value(prefix + "/bin:" + path.text, isDynamic: path.isDynamic), "CONDA_PREFIX": Value(prefix),
            ], runner: "\(invocation.program) run")
    }
}

// MARK: - uv

extension PythonCommand {
    /// uv's global options (clap: no abbreviations), before the command and after it; `--directory` and
    /// `--project` choose where uv looks for the project and its environment. Also read by undo.
    static let uvGlobal = OptionGrammar(
        [
            .init("--directory", value: true), .init("--project", value: true), .init("--cache-dir", value: true),
            .init("--config-file", value: true), .init("--color", value: true),
            .init("--python-preference", value: true), .init("--allow-insecure-host", "--trusted-host", value: true),
            .init("--preview-features", value: true), .init("--python-fetch", value: true),
            .init("-p", "--python", value: true), .init("-q", "--quiet"), .init("-v", "--verbose"),
            .init("-n", "--no-cache"), .init("--offline"), .init("--no-config"), .init("--native-tls"),
            .init("--no-progress"), .init("--preview"), .init("--managed-python"), .init("--no-managed-python"),
        ], stopsAtFirstOperand: true)

    /// The options of the commands that install or run: where `uv pip` installs, what `uv run` adds.
    static let uvCommand = uvGlobal.adding([
        .init("-t", "--target", value: true), .init("--prefix", value: true), .init("--system"),
        .init("--break-system-packages"), .init("-r", "--requirement", value: true),
        .init("-c", "--constraint", value: true), .init("-e", "--editable", value: true),
        .init("-i", "--index-url", value: true), .init("--extra-index-url", value: true), .init("--index", value: true),
        .init("--default-index", value: true), .init("-f", "--find-links", value: true),
        .init("--with", value: true), .init("--with-editable", value: true),
        .init("--with-requirements", value: true), .init("--package", value: true), .init("--env-file", value: true),
        .init("--extra", value: true), .init("--group", value: true), .init("--only-group", value: true),
        .init("--no-group", value: true), .init("--script", value: true), .init("--from", value: true),
        .init("--dry-run"), .init("-m", "--module"), .init("--global"),
    ])

    static let uvRoles: [String: OptionRole] = [
        "--directory": .workingDirectory, "--project": .workingDirectory, "--dry-run": .dryRun,
    ]

    /// The interpreter `uv pip` installs into when no `--target` or `--prefix` says (uv's discovery):
    /// `--break-system-packages` opens the system Python; `--python` (or UV_PYTHON) names one; else the active
    /// venv, the active conda environment, a `.venv` here or above. With none, uv refuses to install.
    static let uvInterpreter = CustomLocation("uv's interpreter") { query in
        PythonCommand(module: .shared, invocation: query.invocation, context: query.context).uvInterpreter(query)
    }

    func uvInterpreter(_ query: LocationQuery) -> CustomResolution {
        let has = { (name: String) in query.options.contains { $0.name == name } }
        // `--system` (or UV_SYSTEM_PYTHON, or one only known when the line runs) is the target's global mode.
        if has("--system") || environment.isTruthy("UV_SYSTEM_PYTHON") != false { return CustomResolution() }
        if has("--break-system-packages") || environment.isTruthy("UV_BREAK_SYSTEM_PACKAGES") == true {
            return CustomResolution(
                shared: "the system Python, past its protection (--break-system-packages)",
                rule: Python.breakSystemPackages)
        }
        if has("--target") || has("--prefix") { return CustomResolution() }
        if let python = query.value("--python")
            ?? environment["UV_PYTHON"].map({ Argument($0.text, isDynamic: $0.isDynamic, span: invocation.span) })
        {
            // A version request lets uv pick any matching interpreter, which may be a system one.
            if python.text.first?.isNumber == true || python.isDynamic {
                return CustomResolution(
                    location: (Value(python.text, isDynamic: true), nil, "--python: any matching interpreter"),
                    rule: Python.uvSystem)
            }
            let target =
                python.text.contains("/") ? python : Argument(resolve(python.text) ?? python.text, span: python.span)
            if let found = environment(ofDirectoryOrExecutable: target), let own = isolated(found) {
                return CustomResolution(isolated: own, rule: Python.venv)
            }
            return CustomResolution(
                shared: "`--python \(python.text)`, which is not a virtual environment", rule: Python.uvSystem)
        }
        if let virtualEnv = environment["VIRTUAL_ENV"], !virtualEnv.isDynamic {
            return CustomResolution(
                isolated: "the active virtual environment \(virtualEnv.text)", rule: Python.venv)
        }
        if let condaPrefix = environment["CONDA_PREFIX"],
            let prefix = context.absolutePath(condaPrefix, relativeTo: query.directory)
        {
            if isCondaBase(prefix) || environment["CONDA_DEFAULT_ENV"]?.text == "base" {
                return CustomResolution(
                    shared: "the active conda environment, which is conda's base", rule: Python.condaBase)
            }
            return CustomResolution(isolated: "the active conda environment \(prefix)", rule: Python.venv)
        }
        guard let start = query.directory else {
            return CustomResolution(
                location: (Value("uv's directory", isDynamic: true), nil, "where uv looks for a venv"),
                rule: Python.uvSystem)
        }
        if let parent = context.nearestAncestor(of: start, holding: ".venv/pyvenv.cfg") {
            return CustomResolution(
                isolated: "the virtual environment \(display(parent + "/.venv"))", rule: Python.venv)
        }
        return CustomResolution(refusal: "uv finds no virtual environment here and refuses to install")
    }

    /// uv: `uv pip` installs where pip would (judged by the interpreter it finds), project commands work on
    /// the project's environment (UV_PROJECT_ENVIRONMENT moves it), `uv tool` gives each tool a venv of its own,
    /// `uv self update` replaces uv itself; interpreter versions are not packages (SPEC §5).
    static let uvDescription: PackageManagerDescription = {
        let global =
            described(uvGlobal.options, roles: uvRoles) + [
                DescribedOption("-h", "--help", role: .help), DescribedOption("-V", "--version", role: .help),
            ]
        let own = described(uvCommand.options.dropFirst(uvGlobal.options.count), roles: uvRoles)
        let pip = Target(
            globalWhen: [.option("--system"), .environment("UV_SYSTEM_PYTHON")],
            localLocation: [.option("--target"), .option("--prefix"), .custom(uvInterpreter)],
            globalRule: Python.uvSystem, locationRule: Python.installLocation, allowRule: Python.localLocation,
            globalPlaceDescription: "the system Python (--system)")
        let project = Target(
            globalWhen: [.never], localLocation: [.environment("UV_PROJECT_ENVIRONMENT")],
            globalRule: Python.uvSystem, allowRule: Python.projectTool)
        let projectCommand = { (name: String) in
            CommandDescription(
                name, action: .installs, options: own, target: project, fix: CommandTemplate("uv {name}"))
        }
        let tool = Target(globalWhen: [.never], globalRule: Python.toolInstaller, allowRule: Python.toolInstaller)
        return PackageManagerDescription(
            name: "uv", programs: ["uv"], style: .clap, globalOptions: global,
            commands: [
                CommandDescription(
                    "pip", action: .group,
                    subcommands: [
                        CommandDescription("install", action: .installs, options: own, target: pip),
                        CommandDescription("sync", action: .installs, options: own, target: pip),
                        CommandDescription("uninstall", action: .removes, options: own, target: pip),
                    ]),
                projectCommand("add"), projectCommand("remove"), projectCommand("sync"), projectCommand("upgrade"),
            ]
                + ["lock", "init", "export", "tree", "version", "build", "publish"].map {
                    CommandDescription(
                        $0, action: .worksOnProject(markers: [], manifestOption: nil), options: own,
                        rule: Python.projectTool)
                } + [
                    // The venv `run` puts first on PATH is the module's.
                    CommandDescription("run", action: .runsCommand, options: own),
                    // What `venv` creates is the module's.
                    CommandDescription("venv", action: .reads),
                    CommandDescription(
                        "tool", action: .group,
                        subcommands: ["install", "upgrade", "update", "uninstall"].map {
                            CommandDescription($0, action: .installs, options: own, target: tool)
                        }),
                    CommandDescription("python", action: .reads),
                    CommandDescription(
                        "self", action: .group,
                        subcommands: [selfCommand("update", .selfUpdate, tool: "uv", fix: "pipx upgrade uv")]),
                ],
            dynamicRule: Python.dynamicCommand)
    }()

    /// uv: the generic judge, then what is Python's own: the venv `run` and `venv` use, the user's policy on
    /// tool installers, and the fixes of `uv pip`, which name the project's venv or its uv commands.
    func uv() -> Judgement {
        let outcome = DescribedJudge(ecosystem: module.id, descriptions: [Self.uvDescription])
            .judge(invocation, in: context)
        var judgement = outcome.judgement
        guard let command = outcome.command, !command.has("--help"), !command.has("--version") else {
            return judgement
        }
        switch command.path.first {
        case "run":
            guard let nested = judgement.nested else { return judgement }
            return uvRun(nested.arguments, module: command.has("--module"), directory: command.directory)
        case "venv":
            return createVenv(arguments: ArraySlice(command.arguments), tool: .uv)
        case "tool":
            guard judgement.findings.first?.rule == Python.toolInstaller.id else { return judgement }
            return toolInstaller("uv " + command.path.joined(separator: " "))
        case "pip":
            guard command.path.count == 2 else { return judgement }
            for index in judgement.findings.indices where judgement.findings[index].verdict >= .ask {
                judgement.findings[index].fix = uvPipFix(command)
            }
            return judgement
        default:
            return judgement
        }
    }

    /// The project-local way to run a `uv pip` command: uv's global options kept in front, without what made
    /// it global; in a uv project `uv add` or `uv remove` for a plain list of packages.
    func uvPipFix(_ command: DescribedJudge.ReadCommand) -> String {
        let sub = command.path[1]
        let global = invocation.operands.prefix { $0.text != "pip" }
        let keptGlobal = keptArguments(global, found: command.options).map(Quoting.argument)
        let kept = keptArguments(command.arguments, found: command.options).filter { $0.text != "--system" }
        let packages = kept.filter { !$0.text.hasPrefix("-") }
        if projectManager == .uv, sub != "sync", !packages.isEmpty, packages.count == kept.count {
            return (["uv"] + keptGlobal + [sub == "install" ? "add" : "remove"] + packages.map(Quoting.argument))
                .joined(separator: " ")
        }
        return (projectVenv == nil ? "uv venv && " : "")
            + (["uv"] + keptGlobal + ["pip", sub] + kept.map(Quoting.argument)).joined(separator: " ")
    }

    /// `uv run CMD`: runs CMD with the project's venv first on PATH (created if missing, without pip).
    func uvRun(_ arguments: [Argument], module: Bool, directory uvDirectory: String?) -> Judgement {
        guard !module, let base = projectRoot ?? uvDirectory else { return Judgement() }
        let venv = environment["VIRTUAL_ENV"].flatMap { $0.isDynamic ? nil : $0.text } ?? base + "/.venv"
        var judgement = Judgement()
        if !context.files.exists(venv + "/pyvenv.cfg") {
            judgement.effects = ["pyvenv.cfg", "bin/python", "bin/python3"].map { .creates(path: venv + "/" + $0) }
        }
        judgement.nested = nested(arguments, venv: venv, runner: "uv run")
        return judgement
    }
}

// MARK: - setup.py

extension PythonCommand {
    /// Where `setup.py install|develop` writes when no location option says: `--user` the user-wide
    /// site-packages, else the site-packages of the interpreter running it.
    static let setupPyPlace = CustomLocation("setup.py") { query in
        let reader = PythonCommand(module: .shared, invocation: query.invocation, context: query.context)
        if query.options.contains(where: { $0.name == "--user" }) {
            return CustomResolution(shared: "the user-wide site-packages (--user)", rule: Python.userInstall)
        }
        let locations: Set<String> = ["--prefix", "--root", "--home", "--install-lib"]
        if query.options.contains(where: { locations.contains($0.name) }) { return CustomResolution() }
        let word = query.invocation.arguments[0].text
        if let own = reader.isolated(reader.environment(ofExecutable: reader.resolve(word))) {
            return CustomResolution(isolated: own, rule: Python.venv)
        }
        return CustomResolution(
            shared: "the site-packages of \(word), which is not a virtual environment", rule: Python.setupPyInstall)
    }

    /// distutils/setuptools' `setup.py` (getopt, so a unique prefix of a long option stands for it): global
    /// options, then commands; `install` and `develop` write into an interpreter's site-packages, or where
    /// `--prefix`, `--root`, `--home` or `--install-lib` say.
    static let setupPyDescriptions: [PackageManagerDescription] = {
        let target = Target(
            globalWhen: [.never],
            localLocation: [
                .custom(setupPyPlace), .option("--prefix"), .option("--root"), .option("--home"),
                .option("--install-lib"),
            ], globalRule: Python.setupPyInstall, locationRule: Python.installLocation,
            allowRule: Python.localLocation)
        let valued = [
            "--prefix", "--exec-prefix", "--home", "--install-base", "--install-platbase", "--root",
            "--install-purelib", "--install-platlib", "--install-headers", "--install-lib", "--install-scripts",
            "--install-data", "--record",
        ].map { DescribedOption($0, value: true) }
        let install =
            valued + [
                DescribedOption("--user"), DescribedOption("-c", "--compile"), DescribedOption("--no-compile"),
                DescribedOption("-O", "--optimize", value: true), DescribedOption("-f", "--force"),
                DescribedOption("--skip-build"), DescribedOption("--single-version-externally-managed"),
                DescribedOption("--old-and-unmanageable"),
            ]
        let develop = [
            DescribedOption("--user"), DescribedOption("-d", "--install-dir", value: true),
            DescribedOption("-s", "--script-dir", value: true), DescribedOption("-N", "--no-deps"),
            DescribedOption("-u", "--uninstall"), DescribedOption("--prefix", value: true),
        ]
        return [
            PackageManagerDescription(
                name: "setup.py", programs: ["setup.py"], style: .optparse,
                globalOptions: [
                    DescribedOption("-h", "--help", role: .help), DescribedOption("-n", "--dry-run", role: .dryRun),
                    DescribedOption("-v", "--verbose"), DescribedOption("-q", "--quiet"),
                    DescribedOption("--no-user-cfg"), DescribedOption("--command-packages", value: true),
                ],
                commands: [
                    CommandDescription("install", action: .installs, options: install, target: target),
                    CommandDescription("develop", action: .installs, options: develop, target: target),
                ],
                dynamicRule: Python.setupPyInstall)
        ]
    }()

    /// `python setup.py COMMAND …`: the generic judge; the fix installs the project with the venv's pip.
    func setupPy(_ rest: ArraySlice<Argument>) -> Judgement {
        var run = invocation
        run.program = "setup.py"
        run.arguments = [invocation.arguments[0]] + Array(rest)
        let outcome = DescribedJudge(ecosystem: module.id, descriptions: Self.setupPyDescriptions)
            .judge(run, in: context)
        var judgement = outcome.judgement
        guard let command = outcome.command else { return judgement }
        let fix = venvCommand("pip", ["install"] + (command.path == ["develop"] ? ["-e"] : []) + ["."])
        for index in judgement.findings.indices where judgement.findings[index].verdict >= .ask {
            judgement.findings[index].fix = fix
        }
        return judgement
    }
}

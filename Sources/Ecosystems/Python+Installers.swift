import GuardKit

// easy_install and conda/mamba/micromamba as data (SPEC §13): their options, commands and where each writes,
// read by the generic judge. What stays code is Python's own: which environment an interpreter belongs to
// (a venv's pyvenv.cfg, a conda environment's conda-meta), as location sources, and the fixes, which name the
// project's venv or conda environment.

extension PythonCommand {
    /// The environment the program's own interpreter belongs to (`easy_install`, or the interpreter running
    /// `-m easy_install`): a venv or a named conda environment is one of its own; anything else is global.
    static let interpreterEnvironment = CustomLocation("interpreter") { query in
        let reader = PythonCommand(module: Python(), invocation: query.invocation, context: query.context)
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
        PythonCommand(module: Python(), invocation: query.invocation, context: query.context)
            .condaEnvironment(query, creates: false)
    }

    /// The same for a command that creates the environment: only `-n` or `-p` names it.
    static let condaNewEnvironment = CustomLocation("new conda environment") { query in
        PythonCommand(module: Python(), invocation: query.invocation, context: query.context)
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
            allowRule: Python.projectTool)
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

import GuardKit

// pip (any pipX.Y, `python -m pip`, a pip script run by an interpreter), get-pip.py and pip-sync as data (SPEC
// §13): their options and commands, read by the generic judge. What stays code is Python's own: the
// interpreter a pip installs into (its venv, its script's `#!` line), pip's configuration files, and the
// precedence of `--user`, `--break-system-packages`, `--target/--prefix/--root` and `--python` over it, as one
// location source feeding the judge; and the fixes, which name the project's venv or its manager.

extension PythonCommand {
    /// Options as described from a grammar's, with the roles the judge needs.
    static func described(
        _ options: some Collection<OptionGrammar.Option>, roles: [String: OptionRole]
    ) -> [DescribedOption] {
        options.map { DescribedOption(spellings: $0.spellings, value: $0.takesValue, role: roles[$0.name] ?? .plain) }
    }

    static let pipRoles: [String: OptionRole] = ["--help": .help, "--version": .help, "--dry-run": .dryRun]

    /// Where the packages of a pip run go: the interpreter running it (`python -m pip`), else the pip program's.
    var interpreterSource: InterpreterSource {
        let word = invocation.arguments[0].text
        return ["python", "py", "pypy"].contains(ProgramName.normalize(word)) ? .interpreter(resolve(word)) : .program
    }

    /// pip's install place for one command (`get-pip.py` runs `pip install` itself).
    static func pipPlace(_ command: String, bootstrap: Bool = false) -> CustomLocation {
        CustomLocation(bootstrap ? "get-pip.py" : "pip " + command) { query in
            let place = PythonCommand(module: .shared, invocation: query.invocation, context: query.context)
                .pipPlace(options: query.options, operands: query.operands, command: command, bootstrap: bootstrap)
            var resolution = place.resolution
            resolution.fromSettingsFile = place.fromConfiguration
            return resolution
        }
    }

    /// Where a pip install or uninstall writes, as pip decides: with no requirement it stops with a usage
    /// error; `--user` (PIP_USER, `user = true` in its configuration) and `--break-system-packages` are global
    /// whatever else is given; an explicit `--target`, `--prefix` or `--root` (or PIP_TARGET …, or its
    /// configuration) decides on its own; `--python X` (PIP_PYTHON) re-runs pip under X; else the interpreter
    /// it runs in. Several at one level: the strictest. `fromConfiguration`: the deciding one came from pip's
    /// configuration files, which the fix then skips.
    func pipPlace(options: [ParsedOptions.Found], operands: [Argument], command: String, bootstrap: Bool)
        -> (resolution: CustomResolution, fromConfiguration: Bool)
    {
        let interpreter = interpreterSource
        func has(_ name: String) -> Bool { options.contains { $0.name == name } }
        func value(_ name: String) -> Argument? { options.last { $0.name == name }?.value }
        // pip reads PIP_<OPTION> from the environment unless run with exactly `--isolated`.
        let isolatedRun = invocation.arguments.contains { $0.text == "--isolated" }
        func environmentFlag(_ name: String) -> Bool? { isolatedRun ? false : environment.isTruthy(name) }
        func environmentValue(_ name: String) -> Argument? {
            guard !isolatedRun, let value = environment[name] else { return nil }
            return Argument(value.text, isDynamic: value.isDynamic, span: invocation.span)
        }
        // With no requirement at all pip stops with a usage error ("You must give at least one requirement").
        let requirementOptions = command == "install" ? ["--requirement", "--editable", "--group"] : ["--requirement"]
        let hasRequirement =
            !operands.isEmpty || requirementOptions.contains(where: has)
            || requirementOptions.contains { environmentValue("PIP_" + $0.dropFirst(2).uppercased()) != nil }
        if !bootstrap, !hasRequirement {
            return (CustomResolution(refusal: "`pip \(command)` with no requirement installs nothing"), false)
        }
        // pip's configuration files set the same options, below the environment in precedence.
        let configured = pipConfiguration(interpreter: interpreter, section: command, isolated: isolatedRun)
        func configuredFlag(_ key: String) -> Bool? {
            configured[key].map { ["1", "true", "yes", "on"].contains($0.lowercased()) }
        }
        var strictest: (resolution: CustomResolution, fromConfiguration: Bool, verdict: Verdict)?
        func consider(_ resolution: CustomResolution, _ fromConfiguration: Bool, _ verdict: Verdict) {
            if strictest == nil || verdict > strictest!.verdict {
                strictest = (resolution, fromConfiguration, verdict)
            }
        }
        func unknown(_ text: String, _ source: String, _ rule: Rule) -> CustomResolution {
            CustomResolution(location: (Value(text, isDynamic: true), nil, source), rule: rule)
        }
        // `nil`: only known when the line runs.
        let userSetting = environment["PIP_USER"] != nil ? environmentFlag("PIP_USER") : configuredFlag("user") ?? false
        if command == "install", !has("--no-user"), has("--user") || userSetting != false {
            let fromFlag = has("--user")
            let fromConfiguration = !fromFlag && environment["PIP_USER"] == nil
            let source = fromFlag ? "--user" : fromConfiguration ? "user = true in pip's configuration" : "PIP_USER"
            if userSetting == nil, !fromFlag {
                consider(unknown("the user-wide site-packages if it is on", source, Python.userInstall), false, .ask)
            } else {
                consider(
                    CustomResolution(
                        shared: "the user-wide site-packages, ~/.local (\(source))", rule: Python.userInstall),
                    fromConfiguration, .block)
            }
        }
        let breakFromEnvironment = environmentFlag("PIP_BREAK_SYSTEM_PACKAGES")
        if has("--break-system-packages") || breakFromEnvironment != false {
            if breakFromEnvironment == nil, !has("--break-system-packages") {
                consider(
                    unknown(
                        "the system Python if it is on", "PIP_BREAK_SYSTEM_PACKAGES", Python.breakSystemPackages),
                    false, .ask)
            } else {
                consider(
                    CustomResolution(
                        shared: "the system Python, past the distribution's protection (--break-system-packages)",
                        rule: Python.breakSystemPackages), false, .block)
            }
        }
        if let strictest { return (strictest.resolution, strictest.fromConfiguration) }

        // Explicit locations decide on their own; a fix skips the configuration when one came from it.
        var locations: [(String, Argument)] = []
        var fromConfiguration = false
        if command == "install" {
            for name in ["--target", "--prefix", "--root"] {
                if let argument = value(name) ?? environmentValue("PIP_" + name.dropFirst(2).uppercased()) {
                    locations.append((name, argument))
                } else if let setting = configured[String(name.dropFirst(2))] {
                    locations.append((name, Argument(setting, span: invocation.span)))
                    fromConfiguration = true
                }
            }
        } else if let root = value("--root") {
            locations.append(("--root", root))
        }
        for (name, argument) in locations {
            let resolution = { (rule: Rule) in CustomResolution(location: (argument.value, nil, name), rule: rule) }
            switch context.location(of: argument.value, from: directory) {
            case .inside: consider(resolution(Python.localLocation), fromConfiguration, .allow)
            case .outside: consider(resolution(Python.installLocation), fromConfiguration, .block)
            case .unresolvable: consider(resolution(Python.installLocation), fromConfiguration, .ask)
            }
        }
        if let strictest { return (strictest.resolution, strictest.fromConfiguration) }

        // `--python X` (or PIP_PYTHON) re-runs pip under X: X decides. Only as a general option, before the
        // command: after it pip refuses to run (or, re-executed already, ignores it).
        let general = bootstrap ? nil : Self.pipGeneral.parse(invocation.operands).value("--python")
        if let target = general ?? environmentValue("PIP_PYTHON") {
            guard let found = environment(ofDirectoryOrExecutable: target) else {
                return (unknown(target.text, "--python", Python.pipPython), false)
            }
            if let own = isolated(found) { return (CustomResolution(isolated: own, rule: Python.venv), false) }
            return (
                CustomResolution(
                    shared: "`\(target.text)`, which is not a virtual environment", rule: Python.pipPython), false
            )
        }
        let (word, path) = interpreterPath(interpreter)
        let found = environment(ofExecutable: path)
        if let own = isolated(found) { return (CustomResolution(isolated: own, rule: Python.venv), false) }
        return (
            CustomResolution(
                shared: "\(path ?? word), which is not a virtual environment", rule: interpreterRule(interpreter)),
            false
        )
    }

    /// `pip config` is judged by the module: what a setting does depends on which file it writes.
    static let pipConfigCommand = CustomCommand(rules: [Python.pipConfig, Python.venv]) { query in
        PythonCommand(module: .shared, invocation: query.invocation, context: query.context)
            .pipConfig(query.options, operands: query.operands)
    }

    /// pip (optparse): general options before the command and after it; `install` and `uninstall` change the
    /// packages of the interpreter pip installs into; `config` may redirect every later install; the rest read.
    /// Run by an interpreter (`python -m pip`), a dynamic command is the interpreter's.
    static func pipDescription(viaInterpreter: Bool) -> PackageManagerDescription {
        let generalCount = pipGeneral.options.count
        func target(_ command: String) -> Target {
            Target(
                globalWhen: [.never], localLocation: [.custom(pipPlace(command))],
                globalRule: viaInterpreter ? Python.systemInterpreter : Python.barePip,
                locationRule: Python.installLocation, allowRule: Python.venv)
        }
        return PackageManagerDescription(
            name: "pip", programs: ["pip"], style: .optparse,
            globalOptions: described(pipGeneral.options, roles: pipRoles),
            commands: [
                CommandDescription(
                    "install", action: .installs,
                    options: described(pipInstall.options.dropFirst(generalCount), roles: pipRoles),
                    target: target("install")),
                CommandDescription(
                    "uninstall", action: .removes,
                    options: described(pipUninstall.options.dropFirst(generalCount), roles: pipRoles),
                    target: target("uninstall")),
                CommandDescription(
                    "config", action: .judgedBy(pipConfigCommand),
                    options: described(pipConfig.options.dropFirst(generalCount), roles: [:])),
            ],
            dynamicRule: viaInterpreter ? Python.systemInterpreter : Python.barePip)
    }

    static let pipDescriptions = [pipDescription(viaInterpreter: false)]
    static let pipModuleDescriptions = [pipDescription(viaInterpreter: true)]

    /// `get-pip.py [pip install options]`: runs `pip install pip …` inside the interpreter that runs it.
    static let getPipDescriptions = [
        PackageManagerDescription(
            name: "get-pip.py", programs: ["get-pip.py"], style: .optparse,
            commands: [
                CommandDescription(
                    "get-pip.py", action: .installs, options: described(pipInstall.options, roles: pipRoles),
                    target: Target(
                        globalWhen: [.never], localLocation: [.custom(pipPlace("install", bootstrap: true))],
                        globalRule: Python.systemInterpreter, locationRule: Python.installLocation,
                        allowRule: Python.venv))
            ],
            dynamicRule: Python.systemInterpreter, soleCommand: "get-pip.py")
    ]

    /// A pip command: `arguments` follow the program (`pip`) or `-m pip` (an interpreter's).
    func pip(arguments: ArraySlice<Argument>, interpreter: InterpreterSource) -> Judgement {
        let viaInterpreter = isInterpreter(interpreter)
        var run = invocation
        run.program = "pip"
        run.arguments = [invocation.arguments[0]] + Array(arguments)
        let reader = PythonCommand(module: module, invocation: run, context: context)
        let outcome = DescribedJudge(
            ecosystem: module.id, descriptions: viaInterpreter ? Self.pipModuleDescriptions : Self.pipDescriptions
        ).judge(run, in: context)
        guard let command = outcome.command, command.path == ["install"] || command.path == ["uninstall"] else {
            return outcome.judgement
        }
        return reader.withPipFixes(outcome, command: command, bootstrap: nil)
    }

    /// The fixes of a pip install's block or ask: the project's way to install the same, without pip's
    /// configuration files when one of them made the command global.
    func withPipFixes(_ outcome: DescribedJudge.Outcome, command: DescribedJudge.ReadCommand, bootstrap fix: String?)
        -> Judgement
    {
        var judgement = outcome.judgement
        guard judgement.findings.contains(where: { $0.verdict >= .ask }) else { return judgement }
        let name = command.path.first == "uninstall" ? "uninstall" : "install"
        let fromConfiguration = outcome.resolutions.values.contains { $0.fromSettingsFile }
        let plain =
            fix
            ?? pipFix(
                command: name, arguments: keptArguments(command.arguments, found: command.parsed.found),
                viaInterpreter: isInterpreter(interpreterSource))
        for index in judgement.findings.indices where judgement.findings[index].verdict >= .ask {
            judgement.findings[index].fix = fromConfiguration ? "PIP_CONFIG_FILE=/dev/null " + plain : plain
        }
        return judgement
    }

    /// `python get-pip.py [pip install options]`: like ensurepip, with pip install's options.
    func getPip(_ script: Argument, _ rest: ArraySlice<Argument>) -> Judgement {
        let fix: String
        if projectVenv != nil {
            let kept = keptArguments(rest, parsed: Self.pipInstall.parse(rest)).map(\.text)
            fix = venvCommand("python", [script.text] + kept)
        } else {
            fix = "python3 -m venv " + Quoting.word(display((projectRoot ?? directory ?? ".") + "/.venv"))
        }
        var run = invocation
        run.program = "get-pip.py"
        run.arguments = [invocation.arguments[0]] + Array(rest)
        let outcome = DescribedJudge(ecosystem: module.id, descriptions: Self.getPipDescriptions)
            .judge(run, in: context)
        guard let command = outcome.command else { return outcome.judgement }
        return PythonCommand(module: module, invocation: run, context: context)
            .withPipFixes(outcome, command: command, bootstrap: fix)
    }

    // MARK: pip-sync

    /// pip-sync (pip-tools, click: no abbreviations): installs and uninstalls until the interpreter matches the files: the
    /// interpreter pip-sync runs under, or `--python-executable`; `--user` the user-wide site-packages.
    static let pipSyncPlace = CustomLocation("pip-sync") { query in
        PythonCommand(module: .shared, invocation: query.invocation, context: query.context).pipSyncPlace(query)
    }

    func pipSyncPlace(_ query: LocationQuery) -> CustomResolution {
        if query.options.contains(where: { $0.name == "--user" }) {
            return CustomResolution(shared: "the user-wide site-packages, ~/.local (--user)", rule: Python.userInstall)
        }
        if let target = query.value("--python-executable") {
            guard let found = environment(ofDirectoryOrExecutable: target) else {
                return CustomResolution(
                    location: (Value(target.text, isDynamic: true), nil, "--python-executable"), rule: Python.barePip)
            }
            if let own = isolated(found) { return CustomResolution(isolated: own, rule: Python.venv) }
            return CustomResolution(
                shared: "`\(target.text)`, which is not a virtual environment", rule: Python.barePip)
        }
        let interpreter = interpreterSource
        let (word, path) = interpreterPath(interpreter)
        let found = environment(ofExecutable: path)
        if let own = isolated(found) { return CustomResolution(isolated: own, rule: Python.venv) }
        return CustomResolution(
            shared: "the interpreter it runs under, \(path ?? word), which is not a virtual environment",
            rule: interpreterRule(interpreter))
    }

    static let pipSyncDescriptions = [
        PackageManagerDescription(
            name: "pip-sync", programs: ["pip-sync"], style: .getopt,
            commands: [
                CommandDescription(
                    "pip-sync", action: .installs,
                    options: described(pipSync.options, roles: pipRoles),
                    target: Target(
                        globalWhen: [.never], localLocation: [.custom(pipSyncPlace)], globalRule: Python.barePip,
                        allowRule: Python.venv))
            ],
            dynamicRule: Python.barePip, soleCommand: "pip-sync")
    ]

    /// `pip-sync [files]`, or `python -m piptools sync [files]` (`arguments` follow `sync`).
    func pipSync(_ arguments: ArraySlice<Argument>, interpreter: InterpreterSource) -> Judgement {
        var run = invocation
        run.program = "pip-sync"
        run.arguments = [invocation.arguments[0]] + Array(arguments)
        var judgement = DescribedJudge(ecosystem: module.id, descriptions: Self.pipSyncDescriptions)
            .judge(run, in: context).judgement
        guard judgement.findings.contains(where: { $0.verdict >= .ask }) else { return judgement }
        let operands = Self.pipSync.parse(arguments).operands
        let files = operands.isEmpty ? ["requirements.txt"] : operands.map(\.text)
        let fix: String
        if projectManager == .uv {
            fix = (projectVenv == nil ? "uv venv && " : "") + Quoting.command(["uv", "pip", "sync"] + files)
        } else {
            let venv = projectVenv ?? ((projectRoot ?? directory ?? ".") + "/.venv")
            let sync = Quoting.command(["pip-sync", "--python-executable", display(venv) + "/bin/python"] + files)
            fix = projectVenv == nil ? "python3 -m venv \(Quoting.word(display(venv))) && " + sync : sync
        }
        for index in judgement.findings.indices where judgement.findings[index].verdict >= .ask {
            judgement.findings[index].fix = fix
        }
        return judgement
    }
}

public import GuardKit

/// Python: pip (and `python -m pip`), uv, pipx, poetry, pdm, pipenv, conda/mamba, easy_install,
/// `setup.py install`, venv creation and activation.
///
/// The path of the toolchain carries the meaning: an interpreter is the project's when it belongs to a
/// virtual environment (a `pyvenv.cfg` next to it or one directory up, PEP 405, symlinks not resolved),
/// and global otherwise.
public struct Python: Ecosystem {
    public let id = "python"
    public let summary = "pip, uv, pipx, poetry, pdm, pipenv and conda: installs go into a virtual environment."
    public let programs = [
        "pip", "pip-sync", "python", "py", "pypy", "uv", "pipx", "poetry", "pdm", "pipenv", "conda", "mamba",
        "micromamba",
        "easy_install", "virtualenv", "hatch", "activate", "deactivate",
    ]
    public let projectMarkers = [
        "pyproject.toml", "setup.py", "setup.cfg", "requirements.txt", "Pipfile", "uv.lock", "poetry.lock",
        "pdm.lock",
    ]

    /// Creates the module.
    public init() {}

    /// The module the location sources of its descriptions read with (built once, not per command).
    static let shared = Python()

    /// `python -c CODE` (and PyPy's, the Windows launcher's).
    public let inlineCodeOptions: [String: Set<String>] = ["python": ["-c"], "pypy": ["-c"], "py": ["-c"]]
    /// pip's, uv's, poetry's and conda's install verbs, and the options that make an install user-wide or
    /// system-wide.
    public let operationWords: Set<String> = [
        "install", "uninstall", "remove", "update", "upgrade", "add", "sync", "--user", "--system",
    ]
    /// The hook must deny a global pip whatever the machine, and let a mere mention of one run.
    public let selfTests: [SelfTest.Case] = [
        .denies("sudo pip install requests"),
        .denies("python3 -m pip install --break-system-packages requests"),
        .denies("bash -c 'pip install --user black'"),
        .passes("echo pip install requests"),
    ]

    /// Every rule the module can fire.
    public let rules = [
        Python.barePip, Python.systemInterpreter, Python.setupPyInstall, Python.userInstall, Python.breakSystemPackages,
        Python.installLocation, Python.pipPython, Python.pipConfig, Python.uvSystem, Python.pipxGlobal,
        Python.dynamicPipx,
        Python.pipenvSystem, Python.condaBase, Python.easyInstall, Python.poetryNoVenv, Python.selfUpdate,
        Python.pdmGlobal, Python.venv, Python.projectTool, Python.createVenv, Python.toolInstaller,
        Python.localLocation, Python.dynamicCommand,
    ]

    /// `python.bare-pip`.
    public static let barePip = Rule(
        id: "python.bare-pip", verdict: .block,
        summary: "pip resolves to an interpreter that is not a virtual environment.")

    /// `python.system-interpreter`.
    public static let systemInterpreter = Rule(
        id: "python.system-interpreter", verdict: .block,
        summary: "`python -m pip` runs through an interpreter that is not a virtual environment.")

    /// `python.setup-py-install`.
    public static let setupPyInstall = Rule(
        id: "python.setup-py-install", verdict: .block,
        summary: "`setup.py install` writes into a non-venv interpreter's site-packages.")

    /// `python.user-install`.
    public static let userInstall = Rule(
        id: "python.user-install", verdict: .block,
        summary: "`--user` installs into the user-wide site-packages (~/.local).")

    /// `python.break-system-packages`.
    public static let breakSystemPackages = Rule(
        id: "python.break-system-packages", verdict: .block,
        summary: "`--break-system-packages` overrides the distribution's protection of the system Python.")

    /// `python.install-location`.
    public static let installLocation = Rule(
        id: "python.install-location", verdict: .block,
        summary: "An explicit install location outside the project is global.")

    /// `python.pip-python`.
    public static let pipPython = Rule(
        id: "python.pip-python", verdict: .block,
        summary: "`pip --python` points at an interpreter that is not a virtual environment.")

    /// `python.pip-config`.
    public static let pipConfig = Rule(
        id: "python.pip-config", verdict: .block,
        summary: "`pip config set` of an install location redirects every later install.")

    /// `python.uv-system`.
    public static let uvSystem = Rule(
        id: "python.uv-system", verdict: .block, summary: "uv is told to install into a system interpreter.")

    /// `python.dynamic-pipx`.
    public static let dynamicPipx = Rule(
        id: "python.dynamic-pipx", verdict: .ask, summary: "The pipx command is only known when the line runs.")
    /// `python.dynamic-command`.
    public static let dynamicCommand = Rule(
        id: "python.dynamic-command", verdict: .ask,
        summary: "The pipenv, pdm, hatch or poetry command is only known when the line runs.")
    /// `python.pipx-global`.
    public static let pipxGlobal = Rule(
        id: "python.pipx-global", verdict: .block,
        summary: "`pipx --global` installs for every user (/opt/pipx, /usr/local/bin).")

    /// `python.pipenv-system`.
    public static let pipenvSystem = Rule(
        id: "python.pipenv-system", verdict: .block,
        summary: "`pipenv --system` installs into the system interpreter instead of the project's venv.")

    /// `python.conda-base`.
    public static let condaBase = Rule(
        id: "python.conda-base", verdict: .block,
        summary: "conda changes its base environment, which every shell activates.")

    /// `python.easy-install`.
    public static let easyInstall = Rule(
        id: "python.easy-install", verdict: .block,
        summary: "easy_install writes into a non-venv interpreter's site-packages.")

    /// `python.poetry-no-venv`.
    public static let poetryNoVenv = Rule(
        id: "python.poetry-no-venv", verdict: .block,
        summary: "poetry without virtualenvs installs into the interpreter it runs with.")

    /// `python.self-update`.
    public static let selfUpdate = Rule(
        id: "python.self-update", verdict: .block,
        summary: "A package manager changing itself changes it for every project.")

    /// `python.pdm-global`.
    public static let pdmGlobal = Rule(
        id: "python.pdm-global", verdict: .block, summary: "`pdm --global` installs into a user-wide project.")

    /// `python.venv`.
    public static let venv = Rule(
        id: "python.venv", verdict: .allow, summary: "The interpreter belongs to a virtual environment.")

    /// `python.project-tool`.
    public static let projectTool = Rule(
        id: "python.project-tool", verdict: .allow,
        summary: "A project manager installs into the project's own environment.")

    /// `python.create-venv`.
    public static let createVenv = Rule(
        id: "python.create-venv", verdict: .allow, summary: "Creating a virtual environment is how a project gets one.")

    /// `python.tool-installer`.
    public static let toolInstaller = Rule(
        id: "python.tool-installer", verdict: .allow,
        summary: "pipx and uv tool give each tool a virtual environment of its own.")

    /// `python.local-location`.
    public static let localLocation = Rule(
        id: "python.local-location", verdict: .allow, summary: "The explicit install location is inside the project.")

    /// Patterns that are global in every context: `--user` and `--break-system-packages` are never
    /// project-local, whatever pip resolves to. Bare `pip install *` is not one: inside an activated
    /// venv it is the project's pip.
    public let denyPatterns = [
        "Bash(pip install --user *)", "Bash(pip3 install --user *)",
        "Bash(pip install --break-system-packages *)", "Bash(pip3 install --break-system-packages *)",
        "Bash(python -m pip install --user *)", "Bash(python3 -m pip install --user *)",
        "Bash(uv pip install --system *)", "Bash(pipx install --global *)", "Bash(pipx --global *)",
        "Bash(easy_install *)", "Bash(poetry self add *)", "Bash(poetry self update)", "Bash(uv self update*)",
        "Bash(pipenv install --system *)",
    ]

    public func judge(_ invocation: Invocation, in context: JudgementContext) -> Judgement {
        let reader = PythonCommand(module: self, invocation: invocation, context: context)
        switch invocation.program {
        case "pip": return reader.pip(arguments: invocation.operands, interpreter: .program)
        case "pip-sync": return reader.pipSync(invocation.operands, interpreter: .program)
        case "python", "py", "pypy": return reader.interpreter()
        case "uv": return reader.uv()
        case "pipx": return reader.pipx()
        case "poetry", "pdm", "pipenv", "hatch": return reader.projectManagerCommand()
        case "conda", "mamba", "micromamba": return reader.conda()
        case "easy_install": return reader.easyInstall()
        case "virtualenv": return reader.createVenv(arguments: invocation.operands, tool: .virtualenv)
        case "activate": return reader.activate()
        case "deactivate": return reader.deactivate()
        default: return Judgement()
        }
    }
}

// MARK: - Reading one command

/// One Python command being read: the invocation, the facts, and the module's rules.
struct PythonCommand {
    let module: Python
    let invocation: Invocation
    let context: JudgementContext

    var environment: Environment { invocation.environment }
    var directory: String? { invocation.directory }

    /// Where the packages of a pip run go, before any install-target option.
    enum InterpreterSource {
        /// The pip program itself (`pip`, `.venv/bin/pip`).
        case program
        /// An interpreter running `-m pip` (its path).
        case interpreter(String?)
    }

    // MARK: Environments

    /// What kind of Python environment an executable belongs to.
    enum PythonEnvironment {
        case venv(String)
        case condaEnvironment(String)
        case global(String?)

        var isIsolated: Bool {
            if case .global = self { return false }
            return true
        }
    }

    /// PEP 405: a venv's `pyvenv.cfg` sits next to the executable or one directory above it. The path is
    /// not resolved: a venv's `python` is a symlink to the base interpreter.
    func environment(ofExecutable path: String?) -> PythonEnvironment {
        guard let path else { return .global(nil) }
        let bin = Paths.parent(path)
        for candidate in [bin, Paths.parent(bin)] where context.files.exists(candidate + "/pyvenv.cfg") {
            return .venv(candidate)
        }
        let prefix = Paths.parent(bin)
        if isCondaPrefix(prefix), !isCondaBase(prefix) { return .condaEnvironment(prefix) }
        return .global(path)
    }

    /// A directory given as an environment (`pip --python .venv`, `uv pip -p .venv`).
    func environment(ofDirectoryOrExecutable value: Argument) -> PythonEnvironment? {
        guard let path = context.absolutePath(value.value, relativeTo: directory) else { return nil }
        if context.files.exists(path + "/pyvenv.cfg") { return .venv(path) }
        if context.files.isDirectory(path) {
            if isCondaPrefix(path), !isCondaBase(path) { return .condaEnvironment(path) }
            return .global(path)
        }
        return environment(ofExecutable: path)
    }

    func isCondaPrefix(_ prefix: String) -> Bool { context.files.isDirectory(prefix + "/conda-meta") }

    /// conda's base environment holds `condabin/` and `envs/`; a named environment does not.
    func isCondaBase(_ prefix: String) -> Bool {
        context.files.isDirectory(prefix + "/condabin") || context.files.isDirectory(prefix + "/envs")
    }

    func resolve(_ word: String) -> String? {
        context.resolveExecutable(word, environment: environment, directory: directory)
    }

    func describe(_ environment: PythonEnvironment, word: String) -> String {
        switch environment {
        case .venv(let root): return "`\(word)` belongs to the virtual environment \(display(root))"
        case .condaEnvironment(let root): return "`\(word)` belongs to the conda environment \(display(root))"
        case .global(let path?): return "`\(word)` resolves to \(path), which is not in a virtual environment"
        case .global(nil): return "`\(word)` is not found on PATH, so it is not a virtual environment's"
        }
    }

    func display(_ path: String) -> String { Paths.display(path, from: directory) }

    // MARK: The project, for fixes

    var projectRoot: String? { context.projectRoot(of: directory) }

    /// The project's existing virtual environment, if it has one.
    var projectVenv: String? { projectVenv(of: projectRoot ?? directory) }

    /// The existing virtual environment of the project at `base`, if it has one.
    func projectVenv(of base: String?) -> String? {
        guard let base else { return nil }
        for name in [".venv", "venv", "env", ".env"] where context.files.exists(base + "/" + name + "/pyvenv.cfg") {
            return base + "/" + name
        }
        return nil
    }

    enum ProjectManager { case uv, poetry, pdm, pipenv }

    var projectManager: ProjectManager? {
        guard let root = projectRoot else { return nil }
        if context.files.exists(root + "/uv.lock") { return .uv }
        if context.files.exists(root + "/poetry.lock") { return .poetry }
        if context.files.exists(root + "/pdm.lock") { return .pdm }
        if context.files.exists(root + "/Pipfile") { return .pipenv }
        return nil
    }

    /// A venv's executable for a fix, written from the current directory, creating the venv first when
    /// the project has none. A fix names an executable that exists or that the fix creates: a venv made
    /// without pip (`uv venv`, `--without-pip`) gets it from ensurepip, and pip runs as `python -m pip`.
    func venvCommand(_ executable: String, _ arguments: [String]) -> String {
        if let venv = projectVenv {
            let shown = display(venv)
            if executable == "pip", !context.files.exists(venv + "/bin/pip") {
                let python = shown + "/bin/python"
                return Quoting.command([python, "-m", "ensurepip"]) + " && "
                    + Quoting.command([python, "-m", "pip"] + arguments)
            }
            return Quoting.command([shown + "/bin/" + executable] + arguments)
        }
        let venv = (projectRoot ?? directory ?? ".") + "/.venv"
        let shown = display(venv)
        return "python3 -m venv \(Quoting.word(shown)) && "
            + Quoting.command([shown + "/bin/" + executable] + arguments)
    }

    /// The project-local way to run a pip command with these arguments.
    func pipFix(command: String, arguments: [Argument], viaInterpreter: Bool) -> String {
        let rendered = arguments.map(Quoting.argument)
        let packages = arguments.filter { !$0.text.hasPrefix("-") }
        // An uninstall's `-y` only skips pip's prompt; the project managers never ask.
        let confirmations =
            command == "uninstall" ? arguments.filter { $0.text == "-y" || $0.text == "--yes" }.count : 0
        let onlyPackages = !packages.isEmpty && packages.count + confirmations == arguments.count
        if let manager = projectManager, onlyPackages, command == "install" || command == "uninstall" {
            let names = packages.map(Quoting.argument).joined(separator: " ")
            let adds = command == "install"
            switch manager {
            case .uv: return (adds ? "uv add " : "uv remove ") + names
            case .poetry: return (adds ? "poetry add " : "poetry remove ") + names
            case .pdm: return (adds ? "pdm add " : "pdm remove ") + names
            case .pipenv: return (adds ? "pipenv install " : "pipenv uninstall ") + names
            }
        }
        // uv's venvs have no pip: in a uv project uv itself installs.
        if projectManager == .uv {
            // `uv pip uninstall` never prompts, and older uv rejects pip's `-y`.
            let uvArguments = command == "uninstall" ? rendered.filter { $0 != "-y" && $0 != "--yes" } : rendered
            return (projectVenv == nil ? "uv venv && " : "") + "uv pip "
                + ([command] + uvArguments).joined(separator: " ")
        }
        if viaInterpreter, let venv = projectVenv, !context.files.exists(venv + "/bin/pip") {
            return venvCommand("pip", []) + " " + ([command] + rendered).joined(separator: " ")
        }
        if viaInterpreter {
            return venvCommand("python", []) + " " + (["-m", "pip", command] + rendered).joined(separator: " ")
        }
        return venvCommand("pip", []) + " " + ([command] + rendered).joined(separator: " ")
    }

    // MARK: pip

    static let pipGeneral = OptionGrammar(
        [
            .init("-h", "--help"), .init("--debug"), .init("--isolated"),
            .init("--require-virtualenv", "--require-venv"), .init("--python", value: true), .init("-v", "--verbose"),
            .init("-V", "--version"), .init("-q", "--quiet"), .init("--log", "--log-file", "--local-log", value: true),
            .init("--no-input"), .init("--keyring-provider", value: true), .init("--proxy", value: true),
            .init("--retries", value: true), .init("--timeout", "--default-timeout", value: true),
            .init("--exists-action", value: true), .init("--trusted-host", value: true), .init("--cert", value: true),
            .init("--client-cert", value: true), .init("--cache-dir", value: true), .init("--no-cache-dir"),
            .init("--disable-pip-version-check"), .init("--no-color"), .init("--no-python-version-warning"),
            .init("--use-feature", value: true), .init("--use-deprecated", value: true),
            .init("--resume-retries", value: true),
        ], abbreviations: true, stopsAtFirstOperand: true)

    static let pipInstall = pipGeneral.adding([
        .init("-r", "--requirement", value: true), .init("-c", "--constraint", value: true), .init("--no-deps"),
        .init("--pre"), .init("-e", "--editable", value: true), .init("--dry-run"),
        .init("-t", "--target", value: true),
        .init("--platform", value: true), .init("--python-version", value: true),
        .init("--implementation", value: true), .init("--abi", value: true), .init("--user"), .init("--no-user"),
        .init("--root", value: true), .init("--prefix", value: true),
        .init("--src", "--source", "--source-dir", "--source-directory", value: true), .init("-U", "--upgrade"),
        .init("--upgrade-strategy", value: true), .init("--force-reinstall"), .init("-I", "--ignore-installed"),
        .init("--ignore-requires-python"), .init("--no-build-isolation"), .init("--use-pep517"),
        .init("--no-use-pep517"), .init("--check-build-dependencies"), .init("--break-system-packages"),
        .init("-C", "--config-settings", value: true), .init("--global-option", value: true), .init("--compile"),
        .init("--no-compile"), .init("--no-warn-script-location"), .init("--no-warn-conflicts"),
        .init("--no-binary", value: true), .init("--only-binary", value: true), .init("--prefer-binary"),
        .init("--require-hashes"), .init("--progress-bar", value: true), .init("--root-user-action", value: true),
        .init("--report", value: true), .init("--group", value: true), .init("-i", "--index-url", value: true),
        .init("--extra-index-url", value: true), .init("--no-index"), .init("-f", "--find-links", value: true),
    ])

    static let pipUninstall = pipGeneral.adding([
        .init("-r", "--requirement", value: true), .init("-y", "--yes"), .init("--root-user-action", value: true),
        .init("--break-system-packages"),
    ])

    static let pipConfig = pipGeneral.adding([
        .init("--editor", value: true), .init("--global"), .init("--user"), .init("--site"),
    ])

    /// Options that are dropped from a fix because they are what made the command global.
    static let globalOptions: Set<String> = [
        "--user", "--break-system-packages", "--target", "--prefix", "--root", "--python",
    ]

    func interpreterRule(_ source: InterpreterSource) -> Rule {
        if case .interpreter = source { return Python.systemInterpreter }
        return Python.barePip
    }

    func isInterpreter(_ source: InterpreterSource) -> Bool {
        if case .interpreter = source { return true }
        return false
    }

    func interpreterPath(_ source: InterpreterSource) -> (String, String?) {
        switch source {
        case .program:
            let word = invocation.arguments[0].text
            let resolved = resolve(word)
            guard let path = resolved, invocation.program != "python" else { return (word, resolved) }
            // A script (pip, pip-sync) runs with the interpreter its `#!` line names, wherever the script is
            // (`venv/bin/pip` linked to /usr/bin/pip runs /usr/bin/python3): that interpreter's environment is
            // where it installs. A script with no Python `#!` line is judged where it stands. Only a script that
            // stands in an environment is read: one outside is global either way.
            guard environment(ofExecutable: path).isIsolated,
                let interpreter = context.files.shebangInterpreter(of: path),
                ProgramName.normalize(interpreter) == "python"
            else { return (word, path) }
            return (word, interpreter.hasPrefix("/") ? interpreter : resolve(interpreter))
        case .interpreter(let path):
            return (invocation.arguments[0].text, path)
        }
    }

    func allowVenv(_ note: String) -> Judgement {
        Judgement(
            findings: [module.finding(Python.venv, invocation, reason: note + ".", verdict: .allow)], notes: [note])
    }

    /// The arguments of a pip command without the options that made it global.
    func keptArguments(_ rest: some Collection<Argument>, parsed: ParsedOptions) -> [Argument] {
        keptArguments(rest, found: parsed.found)
    }

    func keptArguments(_ rest: some Collection<Argument>, found options: [ParsedOptions.Found]) -> [Argument] {
        var dropped = ArgumentCounts()
        for found in options where Self.globalOptions.contains(found.name) {
            dropped.add(found.written)
            if let value = found.value, value != found.written { dropped.add(value) }
        }
        return rest.filter { !dropped.take($0) }
    }

    /// `pip config set NAME VALUE`: settings that send every later install somewhere global.
    func pipConfig(_ options: [ParsedOptions.Found], operands: [Argument]) -> Judgement {
        guard operands.first?.text == "set", operands.count >= 2 else { return Judgement() }
        let name = operands[1].text
        let key = name.split(separator: ".").last.map(String.init) ?? name
        let value = operands.count > 2 ? operands[2] : nil
        let isLocation: Bool
        switch key {
        case "user", "break-system-packages":
            guard !["false", "0", "no", "off"].contains(value?.text.lowercased() ?? "") else {
                return Judgement(findings: [], notes: ["`\(name)` set to false does not move installs"])
            }
            isLocation = false
        case "target", "prefix", "root": isLocation = true
        default: return Judgement(findings: [], notes: ["`\(name)` does not move installs"])
        }
        // `--site` writes the running interpreter's own pip.conf: in a venv only that venv's pip reads it.
        let site =
            options.contains(where: { $0.name == "--site" })
            && environment(ofExecutable: resolve(invocation.arguments[0].text)).isIsolated
        let location = value.map { context.location(of: $0.value, from: directory) }
        if site {
            guard isLocation, let location else {
                return allowVenv("`--site` writes the virtual environment's own pip.conf")
            }
            if case .inside = location {
                return allowVenv(
                    "`--site` writes the virtual environment's own pip.conf, and \(name) is inside the project")
            }
        }
        let fix: String
        if !isLocation {
            // The job of `user = true` or `break-system-packages` is letting pip install without touching the
            // system; a venv does that. Setting `user` inside the venv would make every install there fail.
            fix = projectVenv.map { "source " + Quoting.word(display($0) + "/bin/activate") } ?? "python3 -m venv .venv"
        } else if projectRoot == nil {
            // No project to point into: a venv is a location of its own.
            fix = "python3 -m venv .venv"
        } else {
            let kept: String
            if let value, case .inside = location {
                kept = value.text
            } else {
                kept = Self.projectLocations[key] ?? "./vendor"
            }
            fix = venvCommand("pip", ["config", "--site", "set", name, kept])
        }
        let reason: String
        switch (site, location) {
        case (true, .unresolvable(let text)?):
            return Judgement(findings: [
                module.finding(
                    Python.pipConfig, invocation, reason: Reasons.onlyKnownWhenRun("`\(name) \(text)`"),
                    fix: fix,
                    verdict: .ask)
            ])
        case (true, .outside(let path)?):
            reason =
                "`pip config set \(name)` sends every later install of this venv's pip to \(path), outside the project."
        default:
            reason = "`pip config set \(name)` makes every later pip install go to a global place."
        }
        return Judgement(findings: [module.finding(Python.pipConfig, invocation, reason: reason, fix: fix)])
    }

    /// Project-local install locations for a fix, one per pip setting.
    static let projectLocations = ["target": "./vendor", "prefix": "./.pyprefix", "root": "./stage"]

    // MARK: pip-sync

    static let pipSync = OptionGrammar([
        .init("--python-executable", value: true), .init("-n", "--dry-run"), .init("--user"), .init("--ask"),
        .init("-f", "--find-links", value: true), .init("-i", "--index-url", value: true),
        .init("--extra-index-url", value: true), .init("--trusted-host", value: true), .init("--cert", value: true),
        .init("--client-cert", value: true), .init("--pip-args", value: true), .init("--config", value: true),
        .init("--help"), .init("--version"),
    ])

    // MARK: python

    /// How a Python interpreter was asked to run.
    enum InterpreterRun {
        case module(String, ArraySlice<Argument>)
        case script(Argument, ArraySlice<Argument>)
        case other
    }

    /// Reads the interpreter's own options: flags bundle (`-Im pip`, `-mpip`, `-Esmpip`), `-W` and `-X`
    /// take a value, `-c` ends them, and `py` takes a version selector first.
    func interpreterRun() -> InterpreterRun {
        var arguments = invocation.operands
        if invocation.program == "py", let first = arguments.first, first.text.hasPrefix("-"),
            first.text.dropFirst().first?.isNumber == true || first.text.hasPrefix("-V:")
        {
            arguments = arguments.dropFirst()
        }
        while let argument = arguments.first {
            let text = argument.text
            arguments = arguments.dropFirst()
            if text == "--check-hash-based-pycs" {
                arguments = arguments.dropFirst()
                continue
            }
            if text.hasPrefix("--") { continue }
            guard text.hasPrefix("-"), text.count > 1 else {
                return text == "-" ? .other : .script(argument, arguments)
            }
            var letters = Substring(text.dropFirst())
            while let letter = letters.first {
                letters = letters.dropFirst()
                switch letter {
                case "m":
                    if !letters.isEmpty { return .module(String(letters), arguments) }
                    guard let name = arguments.first else { return .other }
                    return .module(name.text, arguments.dropFirst())
                case "c":
                    return .other
                case "W", "X":
                    if letters.isEmpty { arguments = arguments.dropFirst() }
                    letters = ""
                default:
                    continue
                }
            }
        }
        return .other
    }

    func interpreter() -> Judgement {
        let word = invocation.arguments[0].text
        switch interpreterRun() {
        case .module(let name, let rest):
            switch name {
            // `python -m pip.__main__` is pip's own entry point.
            case "pip", "pip.__main__": return pip(arguments: rest, interpreter: .interpreter(resolve(word)))
            case "ensurepip": return ensurepip()
            case "piptools" where rest.first?.text == "sync":
                return pipSync(rest.dropFirst(), interpreter: .interpreter(resolve(word)))
            case "venv": return createVenv(arguments: rest, tool: .venv)
            case "virtualenv": return createVenv(arguments: rest, tool: .virtualenv)
            case "uv": return PythonCommand(module: module, invocation: retargeted("uv", rest), context: context).uv()
            case "pipx":
                return PythonCommand(module: module, invocation: retargeted("pipx", rest), context: context).pipx()
            case "poetry", "pdm", "pipenv", "hatch":
                return PythonCommand(module: module, invocation: retargeted(name, rest), context: context)
                    .projectManagerCommand()
            case "easy_install":
                // The interpreter's own environment is where it installs: its word stays the program's.
                var run = retargeted("easy_install", rest)
                run.arguments[0] = invocation.arguments[0]
                return PythonCommand(module: module, invocation: run, context: context).easyInstall()
            default: return Judgement()
            }
        case .script(let script, let rest) where Self.isPipScript(script.text):
            // `python3 .venv/bin/pip …`, `python3 …/dist-packages/pip …`: pip runs inside this interpreter,
            // whatever directory its script or package lives in.
            return pip(arguments: rest, interpreter: .interpreter(resolve(word)))
        case .script(let script, let rest) where Paths.basename(script.text) == "setup.py":
            return setupPy(rest)
        case .script(let script, let rest) where Paths.basename(script.text) == "get-pip.py":
            return getPip(script, rest)
        case .script(let script, let rest)
        where script.isDynamic && rest.contains(where: { module.operationWords.contains($0.text) }):
            // `python3 $(which pip) install x`: the script is only known when the line runs, and may be pip's.
            return Judgement(findings: [
                module.finding(
                    Python.dynamicCommand, invocation,
                    reason: "`\(word)` runs a script only known when the line runs (`\(script.text)`), given "
                        + "`\(rest.first { module.operationWords.contains($0.text) }!.text)`: it may be pip's.",
                    fix: venvCommand("pip", rest.map(\.text)), verdict: .ask)
            ])
        default:
            return Judgement()
        }
    }

    /// The settings pip's configuration files give this command (pip's docs, "Configuration"): the global
    /// files, the user's, the site's (in the environment pip runs in), then `PIP_CONFIG_FILE`, each overriding
    /// the ones before; in each, `[global]` then the command's own section. `_` in a key reads as `-`. Read
    /// through the judgement's file facts, so a file the line wrote counts.
    func pipConfiguration(interpreter: InterpreterSource, section command: String, isolated: Bool) -> [String: String] {
        // As pip's configuration.py loads them: `PIP_CONFIG_FILE=/dev/null` loads no file at all (even with
        // `--isolated`); the user's files are skipped with `--isolated` or when PIP_CONFIG_FILE names a file
        // that exists.
        let configFile = environment["PIP_CONFIG_FILE"]
        if configFile?.text == "/dev/null" { return [:] }
        let configPath = configFile.flatMap { $0.isDynamic ? nil : context.absolutePath($0, relativeTo: directory) }
        // The site-wide files: each of XDG_CONFIG_DIRS (default /etc/xdg) then /etc, as pip's appdirs lists them.
        let configDirectories = environment["XDG_CONFIG_DIRS"].flatMap { $0.isDynamic ? nil : $0.text } ?? "/etc/xdg"
        var files = configDirectories.split(separator: ":").filter { $0.hasPrefix("/") }.map {
            String($0) + "/pip/pip.conf"
        }
        files.append("/etc/pip.conf")
        if !isolated, !(configPath.map(context.files.exists) ?? false), let home = context.home {
            files.append(home + "/.pip/pip.conf")
            let xdg = environment["XDG_CONFIG_HOME"].flatMap { $0.isDynamic ? nil : $0.text } ?? home + "/.config"
            files.append(xdg + "/pip/pip.conf")
        }
        if case .venv(let prefix) = environment(ofExecutable: interpreterPath(interpreter).1) {
            files.append(prefix + "/pip.conf")
        }
        if let configPath { files.append(configPath) }
        var settings: [String: String] = [:]
        for file in files {
            guard let bytes = context.files.contents(of: file) else { continue }
            var section = ""
            var global: [String: String] = [:]
            var own: [String: String] = [:]
            for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
                let text = line.trimmingBlanks
                if text.hasPrefix("[") {
                    section = String(text.dropFirst().prefix { $0 != "]" }).lowercased()
                    continue
                }
                guard !text.hasPrefix("#"), !text.hasPrefix(";"),
                    let separator = text.firstIndex(where: { $0 == "=" || $0 == ":" })
                else { continue }
                let key = String(text[..<separator].trimmingBlanks).lowercased().replacingUnderscores
                let value = String(text[text.index(after: separator)...].trimmingBlanks)
                if section == "global" { global[key] = value } else if section == command { own[key] = value }
            }
            settings.merge(global) { $1 }
            settings.merge(own) { $1 }
        }
        return settings
    }

    /// A path to pip's script (`bin/pip`, `bin/pip3.12`) or pip's package directory (`…-packages/pip/`).
    static func isPipScript(_ path: String) -> Bool {
        let name = Paths.basename(path)
        if name == "pip" || name == "pip3" || (name.hasPrefix("pip3.") && name.dropFirst(5).allSatisfy(\.isNumber)) {
            return true
        }
        return path.hasSuffix("-packages/pip/__main__.py") || path.hasSuffix("-packages/pip/")
    }

    /// The same invocation read as another program (`python -m uv …` as `uv …`).
    func retargeted(_ program: String, _ rest: ArraySlice<Argument>) -> Invocation {
        var copy = invocation
        copy.program = program
        copy.arguments = [Argument(program, span: invocation.arguments[0].span)] + Array(rest)
        return copy
    }

    func ensurepip() -> Judgement {
        let word = invocation.arguments[0].text
        let pythonEnvironment = environment(ofExecutable: resolve(word))
        if pythonEnvironment.isIsolated { return allowVenv(describe(pythonEnvironment, word: word)) }
        return Judgement(findings: [
            module.finding(
                Python.systemInterpreter, invocation,
                reason: "`ensurepip` installs pip into \(word), which is not a virtual environment.",
                fix: "python3 -m venv .venv")
        ])
    }

    // MARK: venv creation and activation

    enum VenvTool { case venv, virtualenv, uv }

    /// `python -m venv DIR`, `virtualenv DIR`, `uv venv [DIR]`: later parts may use the new venv.
    func createVenv(arguments: ArraySlice<Argument>, tool: VenvTool) -> Judgement {
        let grammar: OptionGrammar
        switch tool {
        case .venv: grammar = OptionGrammar([.init("--prompt", value: true)])
        case .virtualenv:
            grammar = OptionGrammar([
                .init("-p", "--python", value: true), .init("--prompt", value: true), .init("--seeder", value: true),
                .init("--activators", value: true), .init("--creator", value: true), .init("--pip", value: true),
                .init("--setuptools", value: true), .init("--wheel", value: true), .init("--app-data", value: true),
                .init("--discovery", value: true),
            ])
        case .uv:
            grammar = OptionGrammar([
                .init("-p", "--python", value: true), .init("--prompt", value: true), .init("--index-url", value: true),
                .init("--extra-index-url", value: true), .init("--index", value: true),
                .init("--cache-dir", value: true), .init("--directory", value: true), .init("--project", value: true),
                .init("--link-mode", value: true), .init("--index-strategy", value: true),
            ])
        }
        let parsed = grammar.parse(arguments)
        var targets = parsed.operands
        if targets.isEmpty, tool == .uv {
            targets = [Argument(environment["UV_PROJECT_ENVIRONMENT"]?.text ?? ".venv", span: invocation.span)]
        }
        let withPip: Bool
        switch tool {
        case .venv: withPip = !parsed.unknown.contains { $0.text == "--without-pip" }
        case .virtualenv: withPip = !parsed.unknown.contains { $0.text == "--no-pip" }
        case .uv: withPip = parsed.unknown.contains { $0.text == "--seed" }
        }
        var judgement = Judgement()
        for target in targets {
            guard let path = context.absolutePath(target.value, relativeTo: directory) else { continue }
            var files = ["pyvenv.cfg", "bin/python", "bin/python3", "bin/activate"]
            if withPip { files += ["bin/pip", "bin/pip3"] }
            judgement.effects += files.map { .creates(path: path + "/" + $0) }
            judgement.notes.append("creates the virtual environment \(display(path))")
        }
        judgement.findings = [
            module.finding(Python.createVenv, invocation, reason: "Creates a virtual environment.", verdict: .allow)
        ]
        return judgement
    }

    /// `source DIR/bin/activate`: what the activate script does to the shell (PATH, VIRTUAL_ENV).
    func activate() -> Judgement {
        // Run as a program (`.venv/bin/activate`), the script changes nothing in this shell.
        guard invocation.isSourced else {
            return Judgement(findings: [], notes: ["activate only activates when sourced"])
        }
        // `source activate`: a name without a slash is looked up through PATH, as bash's `source` does.
        let word = invocation.arguments[0].text
        guard
            let script = word.contains("/")
                ? context.absolutePath(invocation.arguments[0].value, relativeTo: directory) : resolve(word)
        else { return Judgement(findings: [], notes: ["`\(word)` is not found"]) }
        let venv = Paths.parent(Paths.parent(script))
        if isCondaPrefix(venv) {
            // conda's own activate script: `source …/bin/activate [NAME|PATH]` is `conda activate`.
            let name = invocation.operands.first?.text ?? "base"
            let prefix: String
            if name.contains("/") {
                prefix = context.absolutePath(Value(name), relativeTo: directory) ?? name
            } else {
                prefix = name == "base" || name == "root" ? venv : venv + "/envs/" + name
            }
            return condaActivation(name: name, prefix: prefix)
        }
        // activate first runs `deactivate nondestructive`, which puts back the PATH an earlier activation in
        // this shell saved: activating again replaces the venv's `bin` instead of stacking another in front.
        let saved = environment["_OLD_VIRTUAL_PATH"].flatMap { $0.isDynamic || !$0.text.isEmpty ? $0 : nil }
        let oldPath = saved ?? environment["PATH"] ?? Value("")
        var judgement = Judgement()
        judgement.effects = [
            // activate keeps this unexported; exporting it changes nothing a package manager reads.
            .setVariable("_OLD_VIRTUAL_PATH", oldPath, exported: true),
            .setVariable(
                "PATH",
                Value(venv + "/bin" + (oldPath.text.isEmpty ? "" : ":" + oldPath.text), isDynamic: oldPath.isDynamic),
                exported: true),
            .setVariable("VIRTUAL_ENV", Value(venv), exported: true),
            .unsetVariable("PYTHONHOME"),
        ]
        judgement.notes = ["activates \(display(venv))"]
        return judgement
    }

    /// `deactivate`: the function activate defined puts PATH back. For an activation inherited from the
    /// hook's environment the saved PATH is not visible (activate does not export `_OLD_VIRTUAL_PATH`), but
    /// it is the PATH without the venv's `bin`, which activate put first.
    func deactivate() -> Judgement {
        guard invocation.runsInCurrentShell else { return Judgement() }
        let oldPath: Value
        if let saved = environment["_OLD_VIRTUAL_PATH"] {
            oldPath = saved
        } else if let venv = environment["VIRTUAL_ENV"], !venv.isDynamic, let path = environment["PATH"] {
            let bin = Paths.normalize(venv.text + "/bin")
            let entries = path.text.split(separator: ":", omittingEmptySubsequences: false)
            oldPath = Value(
                entries.filter { $0.isEmpty || Paths.normalize(String($0)) != bin }.joined(separator: ":"),
                isDynamic: path.isDynamic)
        } else {
            return Judgement()
        }
        var judgement = Judgement()
        judgement.effects = [
            .setVariable("PATH", oldPath, exported: true), .unsetVariable("VIRTUAL_ENV"),
            .unsetVariable("_OLD_VIRTUAL_PATH"),
        ]
        judgement.notes = ["deactivates the virtual environment"]
        return judgement
    }

    func nested(_ arguments: [Argument], venv: String, runner: String) -> NestedCommand {
        let path = environment["PATH"]
        let newPath = Value(venv + "/bin" + (path.map { ":" + $0.text } ?? ""), isDynamic: path?.isDynamic ?? false)
        return NestedCommand(
            arguments: arguments, environmentChanges: ["PATH": newPath, "VIRTUAL_ENV": Value(venv)], runner: runner)
    }

    func toolInstaller(_ what: String) -> Judgement {
        if context.policy.allowsToolInstallers {
            return Judgement(findings: [
                module.finding(
                    Python.toolInstaller, invocation,
                    reason: "`\(what)` gives the tool a virtual environment of its own.", verdict: .allow)
            ])
        }
        // The user's configuration counts per-tool environments as user-wide (allowToolInstallers: false).
        let tools = invocation.operands.dropFirst().filter { !$0.text.hasPrefix("-") }.map(\.text)
        return Judgement(findings: [
            module.finding(
                Python.toolInstaller, invocation,
                reason: "`\(what)` installs a user-wide tool, and this configuration does not allow tool installers "
                    + "(allowToolInstallers is false).",
                fix: venvCommand("pip", ["install"] + tools), verdict: .block)
        ])
    }

    // MARK: pipx

    /// pipx as data: argparse options, the commands that change tools, and `--global` (pipx ≥ 1.5,
    /// before or after the command) choosing /opt/pipx and /usr/local/bin for every user.
    static let pipxDescription: PackageManagerDescription = {
        let global = DescribedOption("--global")
        let target = Target(
            globalWhen: [.option("--global")], globalRule: Python.pipxGlobal, allowRule: Python.toolInstaller,
            globalPlaceDescription: "every user of the machine (/opt/pipx, /usr/local/bin)")
        let changing = [
            "install", "install-all", "inject", "uninject", "upgrade", "upgrade-all", "upgrade-shared", "uninstall",
            "uninstall-all", "reinstall", "reinstall-all", "runpip", "pin", "unpin",
        ].map { CommandDescription(names: [$0], action: .installs, options: [global], target: target) }
        return PackageManagerDescription(
            name: "pipx", programs: ["pipx"], style: .optparse,
            globalOptions: [
                DescribedOption("-h", "--help", role: .help), DescribedOption("--version", role: .help),
                DescribedOption("-v", "--verbose"), DescribedOption("-q", "--quiet"), global,
            ],
            commands: changing, dynamicRule: Python.dynamicPipx)
    }()

    func pipx() -> Judgement {
        let outcome = DescribedJudge(ecosystem: module.id, descriptions: [Self.pipxDescription])
            .judge(invocation, in: context)
        // A per-tool venv is allowed or not by the user's policy, which only this module knows.
        guard let finding = outcome.judgement.findings.first, finding.rule == Python.toolInstaller.id else {
            return outcome.judgement
        }
        let command = invocation.operands.first { !$0.text.hasPrefix("-") }?.text ?? "install"
        return toolInstaller("pipx \(command)")
    }
}

extension Substring {
    /// Without leading and trailing spaces, tabs and carriage returns.
    fileprivate var trimmingBlanks: Substring {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
        guard let first = firstIndex(where: { !isBlank($0) }), let last = lastIndex(where: { !isBlank($0) }) else {
            return ""
        }
        return self[first...last]
    }
}

extension String {
    /// `_` read as `-`, as pip reads option names in its configuration files.
    fileprivate var replacingUnderscores: String { String(map { $0 == "_" ? "-" : $0 }) }
}

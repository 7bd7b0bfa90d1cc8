public import GuardKit

/// Node: npm (and npx), yarn, pnpm, bun, corepack and volta.
///
/// Unlike Python, the toolchain's path carries little meaning here: every npm installs into the project's
/// `node_modules` unless it runs in global mode (`-g`, `--location=global`, `npm_config_global`, …) or its
/// local root — the nearest ancestor holding `package.json` or `node_modules`, else the working directory —
/// is the home directory or above it, where every script under home resolves what it installs.
public struct Node: Ecosystem {
    public let id = "node"
    public let summary = "npm, npx, yarn, pnpm, bun, corepack and volta: packages go into the project's node_modules."
    public let programs = ["npm", "npx", "yarn", "yarnpkg", "pnpm", "pnpx", "pnx", "bun", "bunx", "corepack", "volta"]
    /// A manifest, a lockfile next to it, or a workspace file marks a Node project's root.
    public let projectMarkers = [
        "package.json", "package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml",
        "pnpm-workspace.yaml", "bun.lock", "bun.lockb",
    ]

    /// Creates the module.
    public init() {}

    public let rules = [
        Rule(RuleID.globalFlag, .block, "The command line puts the package manager in global mode, so packages land in the prefix every project shares."),
        Rule(RuleID.globalEnvironment, .block, "The environment (npm_config_global, npm_config_location=global) puts npm in global mode."),
        Rule(RuleID.yarnGlobal, .block, "`yarn global` works on yarn's user-wide global folder."),
        Rule(RuleID.link, .block, "Linking a package writes it into the user-wide global or link space."),
        Rule(RuleID.globalConfig, .block, "A persistent setting changes where every later install goes."),
        Rule(RuleID.noProject, .block, "The install's local root is the home directory or above it, so every project below sees what it installs."),
        Rule(RuleID.installLocation, .block, "An explicit install location outside the project is global."),
        Rule(RuleID.pnpmSetup, .block, "`pnpm setup` edits the user's shell startup files and PATH."),
        Rule(RuleID.selfUpdate, .block, "A package manager replacing itself changes it for every project."),
        Rule(RuleID.corepack, .block, "corepack writes or removes shims next to the global node, or sets a user-wide package-manager version."),
        Rule(RuleID.volta, .block, "volta install and uninstall change the user-wide tools and toolchains in ~/.volta."),
        Rule(RuleID.dynamicCommand, .ask, "The package manager's command is only known when the line runs."),
        Rule(RuleID.project, .allow, "A package-manager command that works on the project's own node_modules."),
        Rule(RuleID.localLocation, .allow, "The explicit install location is inside the project."),
    ]

    /// Rule ids, spelled once.
    public enum RuleID {
        public static let globalFlag = "node.global-flag"
        public static let globalEnvironment = "node.global-env"
        public static let yarnGlobal = "node.yarn-global"
        public static let link = "node.link"
        public static let globalConfig = "node.global-config"
        public static let noProject = "node.no-project"
        public static let installLocation = "node.install-location"
        public static let pnpmSetup = "node.pnpm-setup"
        public static let selfUpdate = "node.self-update"
        public static let corepack = "node.corepack"
        public static let volta = "node.volta"
        public static let dynamicCommand = "node.dynamic-command"
        public static let project = "node.project"
        public static let localLocation = "node.local-location"
    }

    /// Patterns that are global in every context. `npm install -g *` and `npm link` are not: with
    /// `--prefix` (or `npm_config_prefix`) inside the project, a global-layout install stays in the
    /// project (SPEC §4), so such a pattern would deny a command the hook allows.
    public let denyPatterns = [
        "Bash(yarn global add *)", "Bash(yarn global remove *)", "Bash(yarn global upgrade*)",
        "Bash(pnpm add -g *)", "Bash(pnpm add --global *)", "Bash(pnpm install -g *)", "Bash(pnpm i -g *)",
        "Bash(pnpm remove -g *)", "Bash(pnpm update -g*)", "Bash(pnpm setup)", "Bash(pnpm self-update)",
        "Bash(pnpm self-update *)", "Bash(bun add -g *)", "Bash(bun add --global *)", "Bash(bun install -g *)",
        "Bash(bun i -g *)", "Bash(bun remove -g *)", "Bash(bun upgrade)", "Bash(corepack enable)",
        "Bash(corepack disable)", "Bash(volta install *)", "Bash(volta uninstall *)",
        "Bash(npm config set prefix *)", "Bash(npm config set global *)", "Bash(npm config set location *)",
        "Bash(npm set prefix *)", "Bash(yarn config set prefix *)",
    ]

    public func judge(_ invocation: Invocation, in context: JudgementContext) -> Judgement {
        let reader = NodeCommand(module: self, invocation: invocation, context: context)
        switch invocation.program {
        case "npm": return reader.npm()
        case "npx": return reader.npx()
        case "yarn", "yarnpkg": return reader.yarn()
        case "pnpm": return reader.pnpm()
        case "pnpx", "pnx": return reader.runner(Array(invocation.operands), style: .pnpmDlx, runner: invocation.program)
        case "bun": return reader.bun()
        case "bunx": return reader.runner(Array(invocation.operands), style: .bunx, runner: "bunx")
        case "corepack": return reader.corepack()
        case "volta": return reader.volta()
        default: return Judgement()
        }
    }
}

// MARK: - Reading one command

/// One Node command being read: the invocation, the facts, and the module's rules.
struct NodeCommand {
    let module: Node
    let invocation: Invocation
    let context: JudgementContext
    typealias RuleID = Node.RuleID

    var environment: Environment { invocation.environment }
    var directory: String? { invocation.directory }

    /// The package managers, for local roots and for fixes.
    enum Manager {
        /// corepack's `use`/`up` act on the nearest package.json, like yarn, pnpm and bun.
        case npm, yarn, pnpm, bun, corepack

        /// The command that creates a `package.json` in the working directory.
        var initCommand: String {
            switch self {
            case .npm, .corepack: "npm init -y"
            case .yarn: "yarn init -y"
            case .pnpm: "pnpm init"
            case .bun: "bun init -y"
            }
        }

        /// npm also stops at a `node_modules` directory when it looks for its local root.
        var rootMarkers: [String] { self == .npm ? ["package.json", "node_modules"] : ["package.json"] }
    }

    /// Where a fix must run so that it is project-local.
    enum FixNeed {
        /// A local install by this manager: its local root must not be home or above.
        case localRoot(Manager)
        /// A path inside the project: there must be a project root.
        case projectRoot
    }

    // MARK: Paths and roots

    func display(_ path: String) -> String { Paths.display(path, from: directory) }

    static func join(_ directory: String, _ name: String) -> String {
        directory == "/" ? "/" + name : directory + "/" + name
    }

    /// The directory a manager installs into when it runs in `start`: the nearest ancestor holding one of
    /// its root markers, else `start` itself (npm's `loadLocalPrefix`, yarn's `findProjectRoot`).
    func localRoot(from start: String, manager: Manager) -> String {
        var candidate = start
        while true {
            if manager.rootMarkers.contains(where: { context.files.exists(Self.join(candidate, $0)) }) {
                return candidate
            }
            if candidate == "/" { return start }
            candidate = Paths.parent(candidate)
        }
    }

    /// Whether a `node_modules` in `root` is seen by every project under home: root is home or above it.
    func isUserWide(_ root: String) -> Bool {
        guard let home = context.home else { return root == "/" }
        return Paths.isInside(home, root)
    }

    // MARK: Fixes

    /// The new project a fix creates when the command runs where there is none.
    static let newProject = "~/node-project"

    /// A fix command written so that it is project-local when run from the current directory: as it is
    /// when it already would be, else in the enclosing project, else in a new project under home.
    func projectFix(_ words: [String], needs: FixNeed) -> String {
        let command = words.joined(separator: " ")
        guard let directory else { return command }
        let project = context.projectRoot(of: directory)
        switch needs {
        case .localRoot(let manager):
            let root = localRoot(from: directory, manager: manager)
            // corepack use/up edit an existing package.json; the others create one.
            let ready = manager != .corepack || context.files.exists(Self.join(root, "package.json"))
            if !isUserWide(root), ready { return command }
            if let project {
                if manager == .npm {
                    // `--prefix` makes the project npm's local root, wherever it is run from.
                    return (["npm", "--prefix", Quoting.word(display(project))] + words.dropFirst()).joined(separator: " ")
                }
                let enter = project == directory ? "" : "cd " + Quoting.word(project) + " && "
                return enter + manager.initCommand + " && " + command
            }
            return "mkdir -p \(Self.newProject) && cd \(Self.newProject) && \(manager.initCommand) && \(command)"
        case .projectRoot:
            if project != nil { return command }
            return "mkdir -p \(Self.newProject) && cd \(Self.newProject) && npm init -y && \(command)"
        }
    }

    /// The package name in a spec (`npm@10` → `npm`, `@scope/x@1` → `@scope/x`).
    static func packageName(_ spec: String) -> String {
        let start = spec.hasPrefix("@") ? spec.index(after: spec.startIndex) : spec.startIndex
        guard let at = spec[start...].firstIndex(of: "@") else { return spec }
        return String(spec[..<at])
    }

    // MARK: Findings

    func finding(_ rule: String, _ reason: String, fix: String? = nil, verdict: Verdict? = nil) -> Finding {
        module.finding(rule, invocation, reason: reason, fix: fix, verdict: verdict)
    }

    func block(_ rule: String, _ reason: String, fix: String, notes: [String] = []) -> Judgement {
        Judgement(findings: [finding(rule, reason, fix: fix)], notes: notes)
    }

    func allowProject(_ reason: String, effects: [Effect] = [], notes: [String] = []) -> Judgement {
        var judgement = Judgement(findings: [finding(RuleID.project, reason, verdict: .allow)], notes: notes)
        judgement.effects = effects
        return judgement
    }

    func pass(_ note: String) -> Judgement { Judgement(findings: [], notes: [note]) }

    func dynamicCommand(_ tool: String, _ word: Argument) -> Judgement {
        Judgement(findings: [
            finding(
                RuleID.dynamicCommand,
                "\(tool)'s command `\(word.text)` is only known when the line runs, and it could install globally.",
                fix: "Write the \(tool) command out, e.g. `\(tool) install -D <package>`.")
        ])
    }

    /// An option with its value as written: `--prefix /opt`, or `npm_config_prefix=/opt` for a variable.
    func shown(_ option: String, _ value: String) -> String {
        option.hasPrefix("-") ? option + " " + value : option + "=" + value
    }

    /// An explicit install location: inside the project allows, outside blocks, unknown asks.
    func judgeLocation(_ option: String, _ value: Value, from start: String?, fix: String, rule: String = RuleID.installLocation)
        -> Judgement
    {
        switch context.location(of: value, from: start) {
        case .inside(let path, _):
            return Judgement(findings: [
                finding(RuleID.localLocation, "`\(option)` points inside the project (\(path)).", verdict: .allow)
            ])
        case .outside(let path):
            return block(rule, "`\(shown(option, value.text))` installs into \(path), outside the project.", fix: fix)
        case .unresolvable(let text):
            return Judgement(findings: [
                finding(rule, "`\(shown(option, text))` is only known when the line runs.", fix: fix, verdict: .ask)
            ])
        }
    }

    /// A local install by `manager` running in `start`: allowed unless its local root is home or above.
    /// Without packages to add, a root with no manifest (nor npm's node_modules) has nothing to install:
    /// the managers stop there (pnpm's ERR_PNPM_NO_PKG_MANIFEST).
    func judgeLocalRoot(
        _ what: String, manager: Manager, from start: String?, fix: @autoclosure () -> String, createsManifest: Bool,
        hasPackages: Bool = true
    ) -> Judgement {
        guard let start else {
            return Judgement(findings: [
                finding(
                    RuleID.noProject, "`\(what)` runs in a directory only known when the line runs, which may be home.",
                    fix: fix(), verdict: .ask)
            ])
        }
        let root = localRoot(from: start, manager: manager)
        let note = "the local root is \(root)"
        if !hasPackages, !manager.rootMarkers.contains(where: { context.files.exists(Self.join(root, $0)) }) {
            return pass("`\(what)` finds no package.json, so it has nothing to install")
        }
        if isUserWide(root) {
            let marker = manager == .npm ? "package.json or node_modules" : "package.json"
            return block(
                RuleID.noProject,
                "`\(what)` installs into \(Self.join(root, "node_modules")): no \(marker) is nearer, and every "
                    + "project under \(root) would resolve it.",
                fix: fix(), notes: [note])
        }
        let effects: [Effect] =
            createsManifest && !context.files.exists(Self.join(root, "package.json"))
            ? [.creates(path: Self.join(root, "package.json"))] : []
        return allowProject("`\(what)` installs into \(Self.join(root, "node_modules")).", effects: effects, notes: [note])
    }

    // MARK: Commands that run another command

    /// How a runner reads its own options before the command it runs.
    enum RunnerStyle {
        case bunx, pnpmDlx, pnpmExec, yarnDlx, yarnExec, voltaRun

        /// Options that take a value.
        var valueOptions: Set<String> {
            switch self {
            case .bunx: ["-p", "--package"]
            case .pnpmDlx: ["--package", "--allow-build", "--reporter", "--loglevel"]
            case .pnpmExec: ["--resume-from", "--filter", "-F", "--workspace-concurrency", "--reporter", "--loglevel"]
            case .yarnDlx: ["-p", "--package"]
            case .yarnExec: []
            case .voltaRun: ["--node", "--npm", "--pnpm", "--yarn", "--env"]
            }
        }

        /// Options that make it run the rest as shell code.
        var shellOptions: Set<String> {
            switch self {
            case .pnpmDlx, .pnpmExec: ["-c", "--shell-mode"]
            default: []
            }
        }

        /// Whether the command word is a package spec (`cowsay@1`), not a program already installed.
        var fetchesPackage: Bool {
            switch self {
            case .bunx, .pnpmDlx, .yarnDlx: true
            default: false
            }
        }
    }

    /// The command a runner runs, to be judged in its own right: the runner itself installs nothing
    /// the project shares (its downloads go to a cache).
    func runner(_ tail: [Argument], style: RunnerStyle, runner: String, directory runDirectory: String? = nil)
        -> Judgement
    {
        var index = 0
        var shellMode = false
        while index < tail.count {
            let text = tail[index].text
            if text == "--" {
                index += 1
                break
            }
            guard text.hasPrefix("-"), text.count > 1, !tail[index].isDynamic else { break }
            if style.shellOptions.contains(text) { shellMode = true }
            index += style.valueOptions.contains(text) ? 2 : 1
        }
        let command = Array(tail[min(index, tail.count)...])
        guard !command.isEmpty else { return pass("`\(runner)` runs nothing here") }
        var judgement = pass("`\(runner)` installs into a cache; the command it runs is judged")
        judgement.nested = NestedCommand(
            arguments: shellMode ? shellCommand(command) : runnable(command, fetchesPackage: style.fetchesPackage),
            directory: runDirectory, runner: runner)
        return judgement
    }

    /// `sh -c '…'` for a runner that runs its arguments as shell code.
    func shellCommand(_ words: [Argument]) -> [Argument] {
        let span = words[0].span
        let code = Argument(
            words.map(\.text).joined(separator: " "), isDynamic: words.contains(where: \.isDynamic), span: span)
        return [Argument("sh", span: span), Argument("-c", span: span), code]
    }

    /// A runner's argv with the package spec's version dropped from the command word (`npm@10` runs npm).
    func runnable(_ command: [Argument], fetchesPackage: Bool) -> [Argument] {
        guard fetchesPackage, let first = command.first, !first.isDynamic else { return command }
        var word = Self.packageName(first.text)
        if word.hasPrefix("@"), let slash = word.firstIndex(of: "/") { word = String(word[word.index(after: slash)...]) }
        return [Argument(word, span: first.span)] + command.dropFirst()
    }
}

// MARK: - npm

extension NodeCommand {
    /// Whether npm runs in global mode, and what made it so.
    enum NpmMode: Equatable {
        case local
        case global(fromCommandLine: Bool)
        case unknown
    }

    func npm() -> Judgement {
        let parsed = NpmOptions.parse(invocation.operands)
        let settings = NpmSettings(commandLine: parsed.options, environment: environment)
        guard let word = parsed.positionals.first else { return pass("npm runs no command here") }
        if word.isDynamic { return dynamicCommand("npm", word) }
        guard let command = NpmOptions.command(word.text) else {
            return pass("`\(word.text)` is not an npm command")
        }
        let rest = Array(parsed.positionals.dropFirst())
        if settings.flag("usage") == true { return pass("`npm \(command) --help` shows help") }
        switch command {
        case "install", "install-test", "uninstall", "update", "rebuild", "prune", "ci", "install-ci-test", "dedupe":
            return npmPackages(command, rest, settings: settings)
        case "link":
            return npmLink(rest, settings: settings)
        case "config":
            guard let sub = rest.first else { return pass("`npm config` changes nothing here") }
            if sub.isDynamic { return dynamicCommand("npm config", sub) }
            guard sub.text == "set" else { return pass("`npm config \(sub.text)` changes no install location") }
            return npmConfigSet(Array(rest.dropFirst()))
        case "set":
            return npmConfigSet(rest)
        case "exec":
            return npmExec(rest, settings: settings, runner: "npm exec")
        case "explore":
            return npmExplore(rest)
        case "init":
            guard rest.isEmpty, settings.commandLine["workspace"] == nil, let directory else {
                return pass("`npm init` with an initializer runs it from the npx cache")
            }
            var judgement = pass("`npm init` writes package.json in \(directory)")
            judgement.effects = [.creates(path: Self.join(directory, "package.json"))]
            return judgement
        default:
            return pass("`npm \(command)` installs nothing")
        }
    }

    /// install, uninstall, update and their relatives: global mode, then the local root.
    func npmPackages(_ command: String, _ rest: [Argument], settings: NpmSettings) -> Judgement {
        if settings.flag("dry-run") == true { return pass("`--dry-run` installs nothing") }
        switch settings.mode {
        case .unknown:
            return Judgement(findings: [
                finding(
                    RuleID.globalEnvironment, "npm's global mode comes from a value only known when the line runs.",
                    fix: npmGlobalFix(command, rest), verdict: .ask)
            ])
        case .global(let fromCommandLine):
            if ["ci", "install-ci-test", "dedupe"].contains(command) {
                return pass("`npm \(command)` refuses to run in global mode")
            }
            return npmGlobal(command, rest, settings: settings, fromCommandLine: fromCommandLine)
        case .local:
            return npmLocal(command, rest, settings: settings)
        }
    }

    /// The global prefix npm would use, when something other than its default sets it.
    func npmGlobalPrefix(_ settings: NpmSettings) -> (String, Value)? {
        if case .text(let argument)? = settings.commandLine["prefix"] { return ("--prefix", argument.value) }
        if let value = settings.environmentValue("prefix") { return ("npm_config_prefix", value) }
        return nil
    }

    func npmGlobal(_ command: String, _ rest: [Argument], settings: NpmSettings, fromCommandLine: Bool) -> Judgement {
        let fix = npmGlobalFix(command, rest)
        if let (option, value) = npmGlobalPrefix(settings) {
            return judgeLocation(option, value, from: directory, fix: fix)
        }
        let replacesNpm =
            ["install", "install-test", "update"].contains(command)
            && rest.contains { !$0.isDynamic && Self.packageName($0.text) == "npm" }
        if replacesNpm {
            let spec = rest.first { Self.packageName($0.text) == "npm" }.map(\.text) ?? "npm"
            let version = spec.contains("@") ? spec : "npm@latest"
            return block(
                RuleID.selfUpdate,
                "`npm \(command) -g npm` replaces the npm every project on the machine uses; pin the project's own "
                    + "npm version instead.",
                fix: projectFix(["corepack", "use", Quoting.word(version)], needs: .localRoot(.corepack)))
        }
        let cause =
            fromCommandLine
            ? "global mode (-g, --global or --location=global)"
            : "the global mode the environment sets (npm_config_global or npm_config_location=global)"
        let root = directory.map { localRoot(from: $0, manager: .npm) }
        let named = rest.filter { context.absolutePath($0.value, relativeTo: directory) != root }
        let packages =
            named.isEmpty
            ? (command == "update" ? "every global package" : "the current package")
            : named.map(\.text).joined(separator: " ")
        return block(
            fromCommandLine ? RuleID.globalFlag : RuleID.globalEnvironment,
            "`npm \(command)` in \(cause) changes \(packages) in the global prefix, shared by every project; a tool "
                + "the project needs belongs in its devDependencies (run it with npx).",
            fix: fix)
    }

    /// An npm command for a fix: the environment's global mode (npm_config_global, npm_config_location)
    /// would make it global too, so the fix switches it off on its command line, which npm reads first.
    func npmWords(_ command: String, _ rest: [String]) -> [String] {
        let settings = NpmSettings(commandLine: [:], environment: environment)
        var overrides: [String] = []
        if settings.flag("global") != false { overrides.append("--no-global") }
        if settings.locationIsGlobal != false { overrides.append("--location=project") }
        return ["npm", command] + overrides + rest
    }

    /// The project-local way to do what a global npm command does.
    func npmGlobalFix(_ command: String, _ rest: [Argument]) -> String {
        let root = directory.map { localRoot(from: $0, manager: .npm) }
        // The package itself (`npm install -g .`) is already the project.
        let packages = rest.filter { context.absolutePath($0.value, relativeTo: directory) != root }
            .map(Quoting.argument)
        let words: [String]
        switch command {
        case "install", "install-test":
            words = npmWords("install", packages.isEmpty ? [] : ["-D"] + packages)
        case "uninstall", "update", "rebuild":
            words = npmWords(command, packages)
        default:
            words = npmWords("install", [])
        }
        return projectFix(words, needs: .localRoot(.npm))
    }

    func npmLocal(_ command: String, _ rest: [Argument], settings: NpmSettings) -> Judgement {
        let packages = rest.map(Quoting.argument)
        let dev = settings.flag("save-dev") == true && command == "install" ? ["-D"] : []
        let words = npmWords(command, dev + packages)
        if case .text(let prefix)? = settings.commandLine["prefix"] {
            return judgeLocation("--prefix", prefix.value, from: directory, fix: projectFix(words, needs: .localRoot(.npm)))
        }
        return judgeLocalRoot(
            "npm \(command)", manager: .npm, from: directory, fix: projectFix(words, needs: .localRoot(.npm)),
            createsManifest: command == "install" && !rest.isEmpty, hasPackages: !rest.isEmpty)
    }

    /// `npm link` symlinks this package into the global prefix; `npm link <pkg>` first installs missing
    /// packages there. Both write the global space.
    func npmLink(_ rest: [Argument], settings: NpmSettings) -> Judgement {
        if case .global = settings.mode { return pass("npm refuses `link` in global mode") }
        let root = directory.map { localRoot(from: $0, manager: .npm) }
        // npm drops arguments that name the package itself (`npm link .`).
        let packages = rest.filter { context.absolutePath($0.value, relativeTo: directory) != root }
        let fix: String
        if packages.isEmpty {
            fix = "npm install " + Quoting.word(root ?? ".")
        } else {
            fix = projectFix(npmWords("install", packages.map(Quoting.argument)), needs: .localRoot(.npm))
        }
        if let (option, value) = npmGlobalPrefix(settings) {
            return judgeLocation(option, value, from: directory, fix: fix)
        }
        let reason =
            packages.isEmpty
            ? "`npm link` symlinks this package into the global prefix; install it by path from the project that "
                + "uses it instead."
            : "`npm link \(packages.map(\.text).joined(separator: " "))` installs missing packages into the global "
                + "prefix before linking them; install them into the project instead."
        return block(RuleID.link, reason, fix: fix)
    }

    /// `npm config set KEY VALUE` / `KEY=VALUE`: prefix, global and location move every later install.
    func npmConfigSet(_ pairs: [Argument]) -> Judgement {
        var index = 0
        var keys: [String] = []
        while index < pairs.count {
            let argument = pairs[index]
            if argument.isDynamic, !argument.text.contains("=") {
                return Judgement(findings: [
                    finding(
                        RuleID.globalConfig, "The npm setting `\(argument.text)` is only known when the line runs.",
                        fix: projectFix(npmWords("install", []), needs: .localRoot(.npm)), verdict: .ask)
                ])
            }
            if let equals = argument.text.firstIndex(of: "=") {
                keys.append(String(argument.text[..<equals]))
                index += 1
            } else {
                keys.append(argument.text)
                index += 2
            }
        }
        guard let key = keys.first(where: { ["prefix", "global", "location"].contains($0) }) else {
            return pass("`npm config set \(keys.joined(separator: " "))` does not move installs")
        }
        return block(
            RuleID.globalConfig,
            "`npm config set \(key)` writes npm's configuration so that every later install goes to a global place; "
                + "install into the project instead (`npm install -D <tool>`, run it with npx).",
            fix: projectFix(npmWords("install", []), needs: .localRoot(.npm)))
    }

    /// `npm exec` and `npx` pass npm's own settings to what they run as `npm_config_*` variables.
    func npmEnvironmentChanges(_ settings: NpmSettings) -> [String: Value?] {
        var changes: [String: Value?] = [:]
        for key in ["global", "location", "prefix"] {
            guard let value = settings.commandLine[key] else { continue }
            let name = "npm_config_" + key
            for existing in environment.variables.keys where existing.lowercased() == name && existing != name {
                changes[existing] = .some(nil)
            }
            switch value {
            case .flag(let flag): changes[name] = Value(flag ? "true" : "")
            case .null: changes[name] = Value("")
            case .text(let argument): changes[name] = argument.value
            }
        }
        return changes
    }

    func npmExec(_ rest: [Argument], settings: NpmSettings, runner: String) -> Judgement {
        var command = runnable(rest, fetchesPackage: true)
        if case .text(let call)? = settings.commandLine["call"] {
            command = shellCommand([call])
        }
        guard !command.isEmpty else { return pass("`\(runner)` runs nothing here") }
        var judgement = pass("`\(runner)` installs into the npx cache; the command it runs is judged")
        judgement.nested = NestedCommand(
            arguments: command, environmentChanges: npmEnvironmentChanges(settings), runner: runner)
        return judgement
    }

    /// `npx`: its own option loop (npx-cli.js) finds the command; the options before it are npm's.
    func npx() -> Judgement {
        var arguments = Array(invocation.operands)
        var index = 0
        var optionsEnd = arguments.count
        var commandStart = arguments.count
        while index < arguments.count {
            let argument = arguments[index]
            let text = argument.text
            if text == "--" {
                optionsEnd = index
                commandStart = index + 1
                break
            }
            guard text.hasPrefix("-"), text.count > 1 else {
                optionsEnd = index
                commandStart = index
                break
            }
            let stripped = String(text.drop { $0 == "-" })
            let parts = stripped.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = String(parts[0])
            let attached = parts.count > 1 ? String(parts[1]) : nil
            switch key {
            case "p":
                arguments[index] = Argument("--package" + (attached.map { "=" + $0 } ?? ""), span: argument.span)
            case "shell":
                arguments[index] = Argument("--script-shell" + (attached.map { "=" + $0 } ?? ""), span: argument.span)
            case "no-install":
                arguments[index] = Argument("--yes=false", span: argument.span)
            default:
                if let expansion = NpmOptions.shorthands[key], !NpmOptions.npxRemoved.contains(key) {
                    let words = expansion + (attached.map { [$0] } ?? [])
                    arguments.replaceSubrange(index...index, with: words.map { Argument($0, span: argument.span) })
                    continue
                }
            }
            if NpmOptions.npxRemoved.contains(key) {
                arguments.remove(at: index)
                continue
            }
            let next = index + 1 < arguments.count ? arguments[index + 1].text : nil
            if attached == nil, !NpmOptions.npxSwitches(key),
                NpmOptions.npxValueOptions.contains(key) || next.map({ !$0.hasPrefix("-") }) ?? false
            {
                index += 1
            }
            index += 1
        }
        let options = arguments[..<min(optionsEnd, arguments.count)]
        let command = Array(arguments[min(commandStart, arguments.count)...])
        let settings = NpmSettings(commandLine: NpmOptions.parse(options).options, environment: environment)
        return npmExec(command, settings: settings, runner: "npx")
    }

    /// `npm explore <pkg> -- <cmd>` runs cmd as shell code inside node_modules/<pkg>.
    func npmExplore(_ rest: [Argument]) -> Judgement {
        guard let package = rest.first, rest.count > 1 else { return pass("`npm explore` opens a shell") }
        let root = directory.map { localRoot(from: $0, manager: .npm) }
        var judgement = pass("`npm explore` runs its command inside node_modules/\(package.text)")
        judgement.nested = NestedCommand(
            arguments: shellCommand(Array(rest.dropFirst())),
            directory: root.map { Self.join($0, "node_modules/" + package.text) }, runner: "npm explore")
        return judgement
    }
}

/// npm's settings as one command sees them: the command line over the environment (`npm_config_*`,
/// case-insensitive). npmrc files are not read.
struct NpmSettings {
    let commandLine: [String: NpmValue]
    let environment: Environment

    /// The environment's value for a setting: `npm_config_<key>` in any case, `-` written as `_`;
    /// empty values are ignored, as npm ignores them. When spellings disagree, a global one wins.
    func environmentValues(_ key: String) -> [Value] {
        let name = "npm_config_" + String(key.map { $0 == "-" ? "_" : $0 })
        return environment.variables.compactMap { variable, value in
            variable.lowercased() == name && (value.isDynamic || !value.text.isEmpty) ? value : nil
        }
    }

    func environmentValue(_ key: String) -> Value? { environmentValues(key).first }

    /// A boolean setting: `nil` when it depends on a value only known when the line runs. npm reads
    /// `true`/`false`/`null` from the environment and keeps any other text, which is truthy.
    func flag(_ key: String) -> Bool? {
        if let value = commandLine[key] {
            switch value {
            case .flag(let flag): return flag
            case .null: return false
            case .text(let argument): return argument.isDynamic ? nil : !argument.text.isEmpty
            }
        }
        var unknown = false
        for value in environmentValues(key) {
            if value.isDynamic {
                unknown = true
            } else if !["false", "null", "undefined"].contains(value.text) {
                return true
            }
        }
        return unknown ? nil : false
    }

    /// Whether `location` is `global` (exactly: npm compares the value as written).
    var locationIsGlobal: Bool? {
        if let value = commandLine["location"] {
            guard case .text(let argument) = value else { return false }
            return argument.isDynamic ? nil : argument.text == "global"
        }
        var unknown = false
        for value in environmentValues("location") {
            if value.isDynamic { unknown = true } else if value.text == "global" { return true }
        }
        return unknown ? nil : false
    }

    /// npm's `npm.global`: `global` is truthy or `location` is `global`, each read command line first.
    var mode: NodeCommand.NpmMode {
        let global = flag("global")
        let location = locationIsGlobal
        if global == true || location == true {
            var fromCommandLine = false
            if case .flag(true)? = commandLine["global"] { fromCommandLine = true }
            if case .text(let argument)? = commandLine["location"], argument.text == "global" { fromCommandLine = true }
            return .global(fromCommandLine: fromCommandLine)
        }
        if global == nil || location == nil { return .unknown }
        return .local
    }
}

/// A setting's value as nopt leaves it.
enum NpmValue {
    case flag(Bool)
    case text(Argument)
    case null
}

/// npm's command table and option parser (`lib/utils/cmd-list.js` and `@npmcli/config`'s definitions as
/// nopt reads them, npm 10.8). nopt reads options anywhere, splits unknown `-xy`/`--xy` into single-letter
/// shorthands, expands unique prefixes of option names, and lets boolean options take `true`/`false`.
enum NpmOptions {
    /// How nopt reads one option.
    enum Kind {
        /// Boolean: takes a following `true`/`false` and nothing else.
        case flag
        /// Boolean or text (`browser`, `color`): also takes a following word it accepts.
        case flagOrText(values: Set<String>, anyText: Bool)
        /// Plain `String`: takes the next word unless it looks like an option.
        case text
        /// Any other type: takes the next word; `nullable` ones also read a following `false` as a flag.
        case value(nullable: Bool)
    }

    static let flags = [
        "all", "allow-same-version", "audit", "bin-links", "commit-hooks", "description", "dev",
        "diff-ignore-all-space", "diff-name-only", "diff-no-prefix", "diff-text", "dry-run", "engine-strict",
        "expect-results", "force", "foreground-scripts", "format-package-lock", "fund", "git-tag-version", "global",
        "global-style", "if-present", "ignore-scripts", "include-staged", "include-workspace-root", "install-links",
        "json", "legacy-bundling", "legacy-peer-deps", "link", "long", "offline", "omit-lockfile-registry-resolved",
        "optional", "package-lock", "package-lock-only", "parseable", "prefer-dedupe", "prefer-offline",
        "prefer-online", "production", "progress", "provenance", "read-only", "rebuild-bundle", "save", "save-bundle",
        "save-dev", "save-exact", "save-optional", "save-peer", "save-prod", "shrinkwrap", "sign-git-commit",
        "sign-git-tag", "strict-peer-deps", "strict-ssl", "timing", "unicode", "update-notifier", "usage", "version",
        "versions", "workspaces", "workspaces-update", "yes",
    ]
    static let texts = [
        "call", "diff-dst-prefix", "diff-src-prefix", "editor", "git", "heading", "init-author-email",
        "init-author-name", "init-license", "init.author.email", "init.author.name", "init.license", "message",
        "pack-destination", "preid", "save-prefix", "scope", "searchexclude", "searchopts", "shell", "tag",
        "tag-version-prefix", "user-agent", "viewer",
    ]
    static let nullableValues = [
        "_auth", "access", "also", "audit-level", "before", "ca", "cert", "cidr", "cpu", "depth", "expect-result-count",
        "https-proxy", "key", "libc", "local-address", "lockfile-version", "logs-dir", "node-options", "only", "os",
        "otp", "proxy", "script-shell", "which",
    ]
    static let values = [
        "auth-type", "cache", "cache-max", "cache-min", "cafile", "diff", "diff-unified", "fetch-retries",
        "fetch-retry-factor", "fetch-retry-maxtimeout", "fetch-retry-mintimeout", "fetch-timeout", "globalconfig",
        "include", "init-author-url", "init-module", "init-version", "init.author.url", "init.module", "init.version",
        "install-strategy", "location", "loglevel", "logs-max", "maxsockets", "noproxy", "omit", "package", "prefix",
        "provenance-file", "registry", "replace-registry-host", "sbom-format", "sbom-type", "searchlimit",
        "searchstaleness", "umask", "userconfig", "workspace",
    ]

    static let kinds: [String: Kind] = {
        var kinds: [String: Kind] = [:]
        for name in flags { kinds[name] = .flag }
        for name in texts { kinds[name] = .text }
        for name in nullableValues { kinds[name] = .value(nullable: true) }
        for name in values { kinds[name] = .value(nullable: false) }
        kinds["browser"] = .flagOrText(values: [], anyText: true)
        kinds["color"] = .flagOrText(values: ["always"], anyText: false)
        return kinds
    }()

    static let names = Array(kinds.keys)

    static let shorthands: [String: [String]] = [
        "enjoy-by": ["--before"], "d": ["--loglevel", "info"], "dd": ["--loglevel", "verbose"],
        "ddd": ["--loglevel", "silly"], "quiet": ["--loglevel", "warn"], "q": ["--loglevel", "warn"],
        "s": ["--loglevel", "silent"], "silent": ["--loglevel", "silent"], "verbose": ["--loglevel", "verbose"],
        "desc": ["--description"], "help": ["--usage"], "local": ["--no-global"], "n": ["--no-yes"],
        "no": ["--no-yes"], "porcelain": ["--parseable"], "readonly": ["--read-only"], "reg": ["--registry"],
        "iwr": ["--include-workspace-root"], "a": ["--all"], "c": ["--call"], "f": ["--force"], "g": ["--global"],
        "L": ["--location"], "l": ["--long"], "m": ["--message"], "p": ["--parseable"], "C": ["--prefix"],
        "S": ["--save"], "B": ["--save-bundle"], "D": ["--save-dev"], "E": ["--save-exact"],
        "O": ["--save-optional"], "P": ["--save-prod"], "?": ["--usage"], "H": ["--usage"], "h": ["--usage"],
        "v": ["--version"], "w": ["--workspace"], "ws": ["--workspaces"], "y": ["--yes"],
    ]

    static let shorthandNames = Array(shorthands.keys)
    static let singleLetters = Set(shorthands.keys.filter { $0.count == 1 }.map { $0.first! })

    /// abbrev: the name `prefix` stands for — itself when it is a name, else the one name it starts.
    static func abbreviation(_ prefix: String, among names: [String]) -> String? {
        guard !prefix.isEmpty else { return nil }
        var match: String?
        for name in names where name.hasPrefix(prefix) {
            if name == prefix { return name }
            if match != nil { return nil }
            match = name
        }
        return match
    }

    /// nopt's `resolveShort`: what a shorthand (or a run of single-letter shorthands) expands to.
    static func resolveShort(_ text: String) -> [String]? {
        let name = String(text.drop { $0 == "-" })
        guard !name.isEmpty, kinds[name] == nil else { return nil }
        if let expansion = shorthands[name] { return expansion }
        if name.allSatisfy({ singleLetters.contains($0) }) {
            return name.flatMap { shorthands[String($0)] ?? [] }
        }
        if abbreviation(name, among: names) != nil { return nil }
        return abbreviation(name, among: shorthandNames).flatMap { shorthands[$0] }
    }

    /// What nopt leaves of argv: the settings given, and the positionals (command first).
    struct Parsed {
        var options: [String: NpmValue] = [:]
        var positionals: [Argument] = []
    }

    static func isDoubleDash(_ text: String) -> Bool { text.count >= 2 && text.allSatisfy { $0 == "-" } }

    /// nopt's parse loop, over npm's definitions.
    static func parse(_ arguments: some Collection<Argument>) -> Parsed {
        var queue = Array(arguments)
        var result = Parsed()
        var index = 0
        while index < queue.count {
            let argument = queue[index]
            var text = argument.text
            if isDoubleDash(text) {
                result.positionals += queue[(index + 1)...]
                break
            }
            guard text.hasPrefix("-"), text.count > 1 else {
                result.positionals.append(argument)
                index += 1
                continue
            }
            var hadEquals = false
            if let equals = text.firstIndex(of: "=") {
                hadEquals = true
                let name = Argument(String(text[..<equals]), isDynamic: argument.isDynamic, span: argument.span)
                let value = Argument(
                    String(text[text.index(after: equals)...]), isDynamic: argument.isDynamic, span: argument.span)
                queue.replaceSubrange(index...index, with: [name, value])
                text = name.text
            }
            if let expansion = resolveShort(text) {
                queue.replaceSubrange(index...index, with: expansion.map { Argument($0, span: argument.span) })
                if text != expansion[0] { continue }
            }
            var key = String(text.drop { $0 == "-" })
            var negated: Bool?
            while key.lowercased().hasPrefix("no-") {
                negated = !(negated ?? false)
                key = String(key.dropFirst(3))
            }
            if let full = abbreviation(key, among: names) { key = full }
            let kind = kinds[key]
            var lookahead = index + 1 < queue.count ? queue[index + 1] : nil
            var isFlag = negated != nil || (kind == nil && !hadEquals)
            switch kind {
            case .flag?, .flagOrText?: isFlag = true
            case .value(nullable: true)? where lookahead?.text == "false": isFlag = true
            default: break
            }
            index += 1
            if isFlag {
                var value = NpmValue.flag(!(negated ?? false))
                if let word = lookahead?.text, word == "true" || word == "false" {
                    value = .flag((word == "true") != (negated == true))
                    index += 1
                    lookahead = nil
                }
                if case .flagOrText(let accepted, let anyText)? = kind, let word = lookahead {
                    let looksLikeOption = word.text.hasPrefix("-") && word.text.dropFirst().first.map { $0 != "-" } == true
                    if accepted.contains(word.text) || anyText && !looksLikeOption {
                        value = .text(word)
                        index += 1
                    }
                }
                result.options[key] = value
                continue
            }
            if case .text? = kind, let word = lookahead?.text {
                let dashes = word.prefix { $0 == "-" }.count
                if (1...2).contains(dashes), word.count > dashes { lookahead = nil }
            }
            if let word = lookahead?.text, isDoubleDash(word) { lookahead = nil }
            if let lookahead {
                result.options[key] = .text(lookahead)
                index += 1
            } else if case .text? = kind {
                result.options[key] = .text(Argument("", span: argument.span))
            } else {
                result.options[key] = .flag(true)
            }
        }
        return result
    }

    // MARK: Commands

    static let commands: Set<String> = [
        "access", "adduser", "audit", "bugs", "cache", "ci", "completion", "config", "dedupe", "deprecate", "diff",
        "dist-tag", "docs", "doctor", "edit", "exec", "explain", "explore", "find-dupes", "fund", "get", "help",
        "help-search", "hook", "init", "install", "install-ci-test", "install-test", "link", "ll", "login", "logout",
        "ls", "org", "outdated", "owner", "pack", "ping", "pkg", "prefix", "profile", "prune", "publish", "query",
        "rebuild", "repo", "restart", "root", "run-script", "sbom", "search", "set", "shrinkwrap", "star", "stars",
        "start", "stop", "team", "test", "token", "uninstall", "unpublish", "unstar", "update", "version", "view",
        "whoami",
    ]

    static let aliases: [String: String] = [
        "author": "owner", "home": "docs", "issues": "bugs", "info": "view", "show": "view", "find": "search",
        "add": "install", "unlink": "uninstall", "remove": "uninstall", "rm": "uninstall", "r": "uninstall",
        "un": "uninstall", "rb": "rebuild", "list": "ls", "ln": "link", "create": "init", "i": "install",
        "it": "install-test", "cit": "install-ci-test", "up": "update", "c": "config", "s": "search", "se": "search",
        "tst": "test", "t": "test", "ddp": "dedupe", "v": "view", "run": "run-script", "clean-install": "ci",
        "clean-install-test": "install-ci-test", "x": "exec", "why": "explain", "la": "ll", "verison": "version",
        "ic": "ci", "innit": "init", "in": "install", "ins": "install", "inst": "install", "insta": "install",
        "instal": "install", "isnt": "install", "isnta": "install", "isntal": "install", "isntall": "install",
        "install-clean": "ci", "isntall-clean": "ci", "hlep": "help", "dist-tags": "dist-tag", "upgrade": "update",
        "udpate": "update", "rum": "run-script", "sit": "install-ci-test", "urn": "run-script", "ogr": "org",
        "add-user": "adduser",
    ]

    static let commandWords = Array(commands) + Array(aliases.keys)

    /// cmd-list.js `deref`: camelCase to kebab-case, the command, an alias, or a unique prefix of either.
    static func command(_ word: String) -> String? {
        var name = ""
        for character in word {
            if character.isUppercase { name += "-" + character.lowercased() } else { name.append(character) }
        }
        if commands.contains(name) { return name }
        if let alias = aliases[name] { return alias }
        guard var resolved = abbreviation(name, among: commandWords) else { return nil }
        while let alias = aliases[resolved] { resolved = alias }
        return resolved
    }

    // MARK: npx

    /// Options npx drops (npx-cli.js `removed`).
    static let npxRemoved: Set<String> = ["always-spawn", "ignore-existing", "shell-auto-fallback", "npm", "node-arg", "n"]
    /// Options npx knows take a value.
    static let npxValueOptions: Set<String> = [
        "npm", "node-arg", "n", "package", "p", "cache", "userconfig", "call", "c", "shell",
    ]

    /// Options npx knows take no value: npm's booleans and a few of its own.
    static func npxSwitches(_ key: String) -> Bool {
        switch kinds[key] {
        case .flag?, .flagOrText?: return true
        default:
            return ["always-spawn", "ignore-existing", "shell-auto-fallback", "no-install", "quiet", "q", "version", "v", "help", "h"]
                .contains(key)
        }
    }
}

// MARK: - yarn

extension NodeCommand {
    /// yarn's options that take a value (classic's global options; berry's are a subset). commander reads
    /// options anywhere; the command is the first word not bound to such an option.
    static let yarnGrammar = OptionGrammar(
        [
            .init("--cwd", value: true), .init("--prefix", value: true), .init("--global-folder", value: true),
            .init("--modules-folder", value: true), .init("--link-folder", value: true),
            .init("--cache-folder", value: true), .init("--preferred-cache-folder", value: true),
            .init("--use-yarnrc", value: true), .init("--mutex", value: true), .init("--network-timeout", value: true),
            .init("--network-concurrency", value: true), .init("--proxy", value: true),
            .init("--https-proxy", value: true), .init("--registry", value: true), .init("--otp", value: true),
            .init("-h", "--help"), .init("-v", "--version"), .init("-s", "--silent"), .init("-D", "--dev"),
            .init("-P", "--peer"), .init("-O", "--optional"), .init("-E", "--exact"), .init("-T", "--tilde"),
            .init("-W", "--ignore-workspace-root-check"), .init("-g", "--global"),
        ], stopsAtFirstOperand: true)

    static let yarnLocalCommands: Set<String> = [
        "install", "add", "remove", "upgrade", "up", "upgrade-interactive", "import", "dedupe", "unplug",
    ]

    func yarn() -> Judgement {
        let general = Self.yarnGrammar.parse(invocation.operands)
        let word = general.remainder.first
        let later = Self.yarnGrammar.adding([]).parse(general.remainder.dropFirst())
        let options = general.found + later.found
        let operands = later.operands
        if options.contains(where: { $0.name == "--help" || $0.name == "--version" }) {
            return pass("yarn shows help or its version")
        }
        if let word, word.isDynamic { return dynamicCommand("yarn", word) }
        var yarnDirectory = directory
        if let cwd = options.last(where: { $0.name == "--cwd" })?.value {
            yarnDirectory = context.absolutePath(cwd.value, relativeTo: directory)
        }
        let command = word?.text ?? "install"
        switch command {
        case _ where Self.yarnLocalCommands.contains(command):
            return yarnLocal(command, operands, options: options, in: yarnDirectory)
        case "workspace":
            guard operands.count > 1, Self.yarnLocalCommands.contains(operands[1].text) else {
                return pass("`yarn workspace` runs a workspace command that installs nothing")
            }
            return yarnLocal(command, operands, options: options, in: yarnDirectory)
        case "global":
            guard let sub = operands.first?.text, ["add", "remove", "upgrade", "upgrade-interactive"].contains(sub) else {
                return pass("`yarn global \(operands.first?.text ?? "")` changes nothing")
            }
            let packages = operands.dropFirst().map(Quoting.argument)
            let local = sub == "add" ? ["yarn", "add", "-D"] : ["yarn", sub == "remove" ? "remove" : "upgrade"]
            return block(
                RuleID.yarnGlobal,
                "`yarn global \(sub)` changes yarn's user-wide global folder, shared by every project; a tool the "
                    + "project needs belongs in its devDependencies.",
                fix: projectFix(local + packages, needs: .localRoot(.yarn)))
        case "link":
            guard operands.isEmpty else {
                return yarnLocal(command, operands, options: options, in: yarnDirectory)
            }
            let root = yarnDirectory.map { localRoot(from: $0, manager: .yarn) } ?? "."
            return block(
                RuleID.link,
                "`yarn link` registers this package in yarn's user-wide link folder; add it by path from the project "
                    + "that uses it instead.",
                fix: "yarn add " + Quoting.word("link:" + root))
        case "config":
            guard operands.first?.text == "set", operands.count > 1 else { return pass("`yarn config` moves no install") }
            let key = operands[1]
            if key.isDynamic {
                return Judgement(findings: [
                    finding(
                        RuleID.globalConfig, "The yarn setting `\(key.text)` is only known when the line runs.",
                        fix: projectFix(["yarn", "install"], needs: .localRoot(.yarn)), verdict: .ask)
                ])
            }
            guard ["prefix", "global-folder"].contains(key.text) else {
                return pass("`yarn config set \(key.text)` does not move installs")
            }
            return block(
                RuleID.globalConfig,
                "`yarn config set \(key.text)` writes the user's .yarnrc so that later global installs go there; "
                    + "install into the project instead.",
                fix: projectFix(["yarn", "install"], needs: .localRoot(.yarn)))
        case "dlx":
            return runner(Array(general.remainder.dropFirst()), style: .yarnDlx, runner: "yarn dlx")
        case "exec":
            return runner(Array(general.remainder.dropFirst()), style: .yarnExec, runner: "yarn exec")
        case "init":
            return initializes(yarnDirectory, tool: "yarn init")
        default:
            return pass("`yarn \(command)` installs nothing")
        }
    }

    func yarnLocal(_ command: String, _ operands: [Argument], options: [ParsedOptions.Found], in yarnDirectory: String?)
        -> Judgement
    {
        let words = ["yarn", command == "install" && operands.isEmpty ? "install" : command] + operands.map(Quoting.argument)
        let fix = projectFix(words, needs: .localRoot(.yarn))
        if let folder = options.last(where: { $0.name == "--modules-folder" })?.value {
            return judgeLocation("--modules-folder", folder.value, from: yarnDirectory, fix: fix)
        }
        let hasPackages = command == "workspace" ? operands.count > 2 : !operands.isEmpty
        return judgeLocalRoot(
            "yarn \(command)", manager: .yarn, from: yarnDirectory, fix: fix, createsManifest: command == "add",
            hasPackages: hasPackages)
    }

    /// `npm init`, `yarn init`, `pnpm init`, `bun init`: a package.json in the directory.
    func initializes(_ initDirectory: String?, tool: String) -> Judgement {
        guard let initDirectory else { return pass("`\(tool)` writes package.json in an unknown directory") }
        var judgement = pass("`\(tool)` writes package.json in \(initDirectory)")
        judgement.effects = [.creates(path: Self.join(initDirectory, "package.json"))]
        return judgement
    }
}

// MARK: - pnpm

extension NodeCommand {
    /// pnpm's options (it reads them with nopt, anywhere in argv; unique prefixes expand).
    static let pnpmOptions: [OptionGrammar.Option] = [
        .init("-C", "--dir", value: true), .init("-w", "--workspace-root"), .init("-r", "--recursive"),
        .init("-F", "--filter", value: true), .init("--filter-prod", value: true), .init("-g", "--global"),
        .init("-D", "--save-dev"), .init("-P", "--save-prod"), .init("-O", "--save-optional"),
        .init("-E", "--save-exact"), .init("--save-peer"), .init("--global-dir", value: true),
        .init("--global-bin-dir", value: true), .init("--modules-dir", value: true), .init("--store-dir", value: true),
        .init("--virtual-store-dir", value: true), .init("--lockfile-dir", value: true),
        .init("--reporter", value: true), .init("--loglevel", value: true), .init("--registry", value: true),
        .init("--node-linker", value: true), .init("--package-import-method", value: true),
        .init("--network-concurrency", value: true), .init("--child-concurrency", value: true),
        .init("--workspace-concurrency", value: true), .init("--test-pattern", value: true),
        .init("--changed-files-ignore-pattern", value: true), .init("--resume-from", value: true),
        .init("--use-node-version", value: true), .init("--allow-build", value: true), .init("--cpu", value: true),
        .init("--os", value: true), .init("--libc", value: true), .init("-s", "--silent"), .init("-h", "--help"),
        .init("-v", "--version"), .init("--frozen-lockfile"), .init("--prefer-offline"), .init("--offline"),
        .init("--ignore-scripts"), .init("--save-catalog"), .init("--global-pnpmfile", value: true),
    ]
    static let pnpmCommandGrammar = OptionGrammar(pnpmOptions, abbreviations: true, stopsAtFirstOperand: true)
    static let pnpmGrammar = OptionGrammar(pnpmOptions, abbreviations: true)

    static let pnpmAliases: [String: String] = [
        "i": "install", "it": "install-test", "up": "update", "upgrade": "update", "rm": "remove",
        "uninstall": "remove", "un": "remove", "uni": "remove", "ln": "link", "dislink": "unlink", "rb": "rebuild",
        "t": "test", "tst": "test", "run-script": "run", "ls": "list", "c": "config", "multi": "recursive",
        "m": "recursive",
    ]

    /// pnpm's own commands; anything else runs a script or a program (`pnpm tsc`), which is judged.
    static let pnpmCommands: Set<String> = [
        "add", "install", "install-test", "update", "remove", "link", "unlink", "import", "rebuild", "prune", "fetch",
        "dedupe", "patch", "patch-commit", "patch-remove", "audit", "list", "ll", "la", "outdated", "why", "licenses",
        "run", "test", "exec", "dlx", "create", "start", "store", "root", "bin", "setup", "init", "publish", "pack",
        "env", "server", "self-update", "config", "get", "set", "deploy", "doctor", "recursive", "help",
        "approve-builds", "ignored-builds", "cat-file", "cat-index", "find-hash", "completion", "restart", "stop",
        // Passed through to npm.
        "access", "adduser", "bugs", "deprecate", "dist-tag", "docs", "edit", "info", "login", "logout", "owner",
        "ping", "prefix", "profile", "pkg", "repo", "s", "search", "set-script", "star", "stars", "team", "token",
        "unpublish", "unstar", "v", "version", "view", "whoami", "xmas",
    ]

    func pnpm() -> Judgement {
        let general = Self.pnpmCommandGrammar.parse(invocation.operands)
        guard let word = general.remainder.first else { return pass("pnpm runs no command here") }
        if word.isDynamic { return dynamicCommand("pnpm", word) }
        let command = Self.pnpmAliases[word.text] ?? word.text
        let tail = Array(general.remainder.dropFirst())
        var pnpmDirectory = directory
        if let dir = general.value("--dir") { pnpmDirectory = context.absolutePath(dir.value, relativeTo: directory) }
        switch command {
        case "dlx": return runner(tail, style: .pnpmDlx, runner: "pnpm dlx")
        case "exec": return runner(tail, style: .pnpmExec, runner: "pnpm exec", directory: pnpmDirectory)
        case "create": return pass("`pnpm create` runs a starter kit from a temporary store")
        case _ where !Self.pnpmCommands.contains(command):
            var judgement = pass("`pnpm \(word.text)` runs a script or a program, which is judged")
            judgement.nested = NestedCommand(arguments: general.remainder, directory: pnpmDirectory, runner: "pnpm")
            return judgement
        default: break
        }
        let later = Self.pnpmGrammar.parse(tail)
        let options = general.found + later.found
        let operands = later.operands
        if options.contains(where: { $0.name == "--help" || $0.name == "--version" }) {
            return pass("pnpm shows help or its version")
        }
        if let dir = later.value("--dir") { pnpmDirectory = context.absolutePath(dir.value, relativeTo: directory) }
        let isGlobal = options.contains { $0.name == "--global" }
        let packages = operands.map(Quoting.argument)
        switch command {
        case "add", "install", "update", "remove", "rebuild", "prune":
            if isGlobal {
                let local: [String]
                switch command {
                case "add", "install": local = packages.isEmpty ? ["pnpm", "install"] : ["pnpm", "add", "-D"] + packages
                default: local = ["pnpm", command] + packages
                }
                return block(
                    RuleID.globalFlag,
                    "`pnpm \(command) --global` changes the global packages under PNPM_HOME, shared by every project; "
                        + "a tool the project needs belongs in its devDependencies.",
                    fix: projectFix(local, needs: .localRoot(.pnpm)))
            }
            return pnpmLocal(command, packages, in: pnpmDirectory)
        case "link":
            if isGlobal || operands.isEmpty {
                let root = pnpmDirectory.map { localRoot(from: $0, manager: .pnpm) } ?? "."
                return block(
                    RuleID.link,
                    "`pnpm link --global` (and `pnpm link` alone) registers this package in pnpm's global space; add "
                        + "it by path from the project that uses it instead.",
                    fix: "pnpm add " + Quoting.word("link:" + root))
            }
            return pnpmLocal(command, packages, in: pnpmDirectory)
        case "unlink", "import", "fetch", "dedupe", "install-test":
            return pnpmLocal(command, packages, in: pnpmDirectory)
        case "env":
            guard isGlobal, let sub = operands.first?.text, ["use", "add", "remove", "rm"].contains(sub) else {
                return pass("`pnpm env` without --global changes nothing")
            }
            let version = operands.dropFirst().first.map { "node@" + $0.text } ?? "node"
            return block(
                RuleID.globalFlag,
                "`pnpm env \(sub) --global` changes the Node.js runtimes under PNPM_HOME and the user's default node.",
                fix: projectFix(["pnpm", "add", "-D", Quoting.word(version)], needs: .localRoot(.pnpm)))
        case "setup":
            return block(
                RuleID.pnpmSetup,
                "`pnpm setup` writes PNPM_HOME into the user's shell startup files and PATH, for global installs.",
                fix: projectFix(["pnpm", "install"], needs: .localRoot(.pnpm)))
        case "self-update":
            let version = operands.first.map { "pnpm@" + $0.text } ?? "pnpm@latest"
            return block(
                RuleID.selfUpdate,
                "`pnpm self-update` replaces the pnpm every project uses; pin the project's own pnpm version instead.",
                fix: projectFix(["corepack", "use", Quoting.word(version)], needs: .localRoot(.corepack)))
        case "init":
            return initializes(pnpmDirectory, tool: "pnpm init")
        default:
            return pass("`pnpm \(command)` installs nothing")
        }
    }

    func pnpmLocal(_ command: String, _ packages: [String], in pnpmDirectory: String?) -> Judgement {
        judgeLocalRoot(
            "pnpm \(command)", manager: .pnpm, from: pnpmDirectory,
            fix: projectFix(["pnpm", command] + packages, needs: .localRoot(.pnpm)),
            createsManifest: command == "add", hasPackages: !packages.isEmpty)
    }
}

// MARK: - bun

extension NodeCommand {
    static let bunOptions: [OptionGrammar.Option] = [
        .init("-g", "--global"), .init("-d", "-D", "--dev"), .init("--cwd", value: true),
        .init("-c", "--config", value: true), .init("--cache-dir", value: true), .init("--registry", value: true),
        .init("--cafile", value: true), .init("--ca", value: true), .init("--backend", value: true),
        .init("--network-concurrency", value: true), .init("--concurrent-scripts", value: true),
        .init("--omit", value: true), .init("-F", "--filter", value: true), .init("--linker", value: true),
        .init("-p", "--production"), .init("-h", "--help"), .init("--dry-run"), .init("-y", "--yarn"),
        .init("-E", "--exact"), .init("--optional"), .init("--peer"), .init("-f", "--force"), .init("-v", "--version"),
    ]
    static let bunCommandGrammar = OptionGrammar(bunOptions, stopsAtFirstOperand: true)
    static let bunGrammar = OptionGrammar(bunOptions)

    static let bunAliases: [String: String] = ["a": "add", "i": "install", "rm": "remove", "r": "remove", "up": "update"]

    func bun() -> Judgement {
        let general = Self.bunCommandGrammar.parse(invocation.operands)
        guard let word = general.remainder.first else { return pass("bun runs no command here") }
        if word.isDynamic { return dynamicCommand("bun", word) }
        let command = Self.bunAliases[word.text] ?? word.text
        let tail = Array(general.remainder.dropFirst())
        if command == "x" { return runner(tail, style: .bunx, runner: "bun x") }
        guard ["add", "install", "remove", "update", "link", "upgrade", "init"].contains(command) else {
            return pass("`bun \(word.text)` installs nothing")
        }
        let later = Self.bunGrammar.parse(tail)
        let options = general.found + later.found
        if options.contains(where: { ["--help", "--version", "--dry-run"].contains($0.name) }) {
            return pass("bun shows help, its version, or installs nothing (`--dry-run`)")
        }
        var bunDirectory = directory
        if let cwd = options.last(where: { $0.name == "--cwd" })?.value {
            bunDirectory = context.absolutePath(cwd.value, relativeTo: directory)
        }
        let isGlobal = options.contains { $0.name == "--global" }
        let packages = later.operands.map(Quoting.argument)
        switch command {
        case "add", "install", "remove", "update":
            if isGlobal {
                let local: [String]
                switch command {
                case "add", "install": local = packages.isEmpty ? ["bun", "install"] : ["bun", "add", "-d"] + packages
                default: local = ["bun", command] + packages
                }
                return block(
                    RuleID.globalFlag,
                    "`bun \(command) --global` changes the global packages in ~/.bun (BUN_INSTALL), shared by every "
                        + "project; a tool the project needs belongs in its devDependencies.",
                    fix: projectFix(local, needs: .localRoot(.bun)))
            }
            return judgeLocalRoot(
                "bun \(command)", manager: .bun, from: bunDirectory,
                fix: projectFix(["bun", command] + packages, needs: .localRoot(.bun)), createsManifest: command == "add",
                hasPackages: !packages.isEmpty)
        case "link":
            guard packages.isEmpty else {
                return judgeLocalRoot(
                    "bun link", manager: .bun, from: bunDirectory,
                    fix: projectFix(["bun", "link"] + packages, needs: .localRoot(.bun)), createsManifest: false)
            }
            let root = bunDirectory.map { localRoot(from: $0, manager: .bun) } ?? "."
            return block(
                RuleID.link,
                "`bun link` registers this package in bun's global link space; add it by path from the project that "
                    + "uses it instead.",
                fix: "bun add " + Quoting.word("file:" + root))
        case "upgrade":
            return block(
                RuleID.selfUpdate,
                "`bun upgrade` replaces the bun every project uses; pin the project's own bun as a dev dependency instead.",
                fix: projectFix(["bun", "add", "-d", "bun"], needs: .localRoot(.bun)))
        default:
            return initializes(bunDirectory, tool: "bun init")
        }
    }
}

// MARK: - corepack and volta

extension NodeCommand {
    /// The package managers corepack runs (`corepack pnpm@9 install`).
    static let corepackManagers: Set<String> = ["npm", "npx", "yarn", "yarnpkg", "pnpm", "pnpx"]

    func corepack() -> Judgement {
        let operands = Array(invocation.operands)
        if operands.contains(where: { ["-h", "--help", "-v", "--version"].contains($0.text) }) {
            return pass("corepack shows help or its version")
        }
        guard let index = operands.firstIndex(where: { !$0.text.hasPrefix("-") }) else {
            return pass("corepack runs no command here")
        }
        let word = operands[index]
        if word.isDynamic { return dynamicCommand("corepack", word) }
        let rest = Array(operands[(index + 1)...])
        let name = Self.packageName(word.text)
        if Self.corepackManagers.contains(name) {
            var judgement = pass("corepack runs \(name), which is judged")
            judgement.nested = NestedCommand(
                arguments: [Argument(name, span: word.span)] + rest, runner: "corepack")
            return judgement
        }
        let others = operands[..<index] + rest
        switch word.text {
        case "enable", "disable":
            var installDirectory: Value?
            var names: [Argument] = []
            var position = others.startIndex
            while position < others.endIndex {
                let text = others[position].text
                if text == "--install-directory", position + 1 < others.endIndex {
                    installDirectory = others[position + 1].value
                    position += 2
                    continue
                }
                if text.hasPrefix("--install-directory=") {
                    installDirectory = Value(
                        String(text.dropFirst("--install-directory=".count)), isDynamic: others[position].isDynamic)
                } else if !text.hasPrefix("-") {
                    names.append(others[position])
                }
                position += 1
            }
            let fix = projectFix(
                ["corepack", word.text, "--install-directory", ".corepack/bin"] + names.map(Quoting.argument),
                needs: .projectRoot)
            if let installDirectory {
                return judgeLocation("--install-directory", installDirectory, from: directory, fix: fix)
            }
            return block(
                RuleID.corepack,
                "`corepack \(word.text)` \(word.text == "enable" ? "writes" : "removes") package-manager shims next to "
                    + "the global node binary, for every user of that node.",
                fix: fix)
        case "prepare", "hydrate":
            guard others.contains(where: { $0.text == "--activate" }) else {
                return pass("`corepack \(word.text)` without --activate only fills corepack's cache")
            }
            return corepackDefault("corepack \(word.text) --activate", specs: names(others))
        case "install":
            guard others.contains(where: { $0.text == "-g" || $0.text == "--global" }) else {
                return pass("`corepack install` fills corepack's cache with the project's package manager")
            }
            return corepackDefault("corepack install --global", specs: names(others))
        case "use", "up":
            return judgeLocalRoot(
                "corepack \(word.text)", manager: .corepack, from: directory,
                fix: projectFix(["corepack", word.text] + names(others).map(Quoting.word), needs: .localRoot(.corepack)),
                createsManifest: false, hasPackages: false)
        default:
            return pass("`corepack \(word.text)` installs nothing")
        }
    }

    func names(_ arguments: some Collection<Argument>) -> [String] {
        arguments.filter { !$0.text.hasPrefix("-") }.map(\.text)
    }

    /// `prepare --activate` and `install --global` set the user-wide default version of a package manager.
    func corepackDefault(_ what: String, specs: [String]) -> Judgement {
        let fix =
            specs.isEmpty
            ? "corepack install"
            : projectFix(["corepack", "use", Quoting.word(specs[0])], needs: .localRoot(.corepack))
        return block(
            RuleID.corepack,
            "`\(what)` makes a package-manager version the user-wide default; pin the project's own version instead.",
            fix: fix)
    }

    /// Toolchains volta pins per project rather than installs as packages.
    static let voltaToolchains: Set<String> = ["node", "npm", "yarn", "pnpm"]

    func volta() -> Judgement {
        let operands = Array(invocation.operands)
        if operands.contains(where: { ["-h", "--help", "-v", "--version"].contains($0.text) }) {
            return pass("volta shows help or its version")
        }
        guard let index = operands.firstIndex(where: { !$0.text.hasPrefix("-") }) else {
            return pass("volta runs no command here")
        }
        let word = operands[index]
        if word.isDynamic { return dynamicCommand("volta", word) }
        let rest = Array(operands[(index + 1)...])
        switch word.text {
        case "install", "uninstall":
            let tools = names(rest)
            let toolchains = tools.filter { Self.voltaToolchains.contains(Self.packageName($0)) }
            let packages = tools.filter { !Self.voltaToolchains.contains(Self.packageName($0)) }
            var fixes: [String] = []
            if word.text == "install" {
                if !toolchains.isEmpty {
                    fixes.append(projectFix(["volta", "pin"] + toolchains.map(Quoting.word), needs: .projectRoot))
                }
                if !packages.isEmpty {
                    fixes.append(projectFix(npmWords("install", ["-D"] + packages.map(Quoting.word)), needs: .localRoot(.npm)))
                }
            } else {
                fixes.append(projectFix(npmWords("uninstall", tools.map(Quoting.word)), needs: .localRoot(.npm)))
            }
            return block(
                RuleID.volta,
                "`volta \(word.text)` changes the user-wide tools and toolchains in ~/.volta; pin toolchains in the "
                    + "project and install tools as its devDependencies instead.",
                fix: fixes.isEmpty ? "volta pin node" : fixes.joined(separator: " && "))
        case "pin":
            return allowProject("`volta pin` records the toolchain in the project's package.json.")
        case "run":
            return runner(rest, style: .voltaRun, runner: "volta run")
        default:
            return pass("`volta \(word.text)` installs nothing")
        }
    }
}

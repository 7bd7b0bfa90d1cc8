public import GuardKit

/// Node: npm (and npx), yarn, pnpm, bun, corepack, volta and nvm, and node running a package manager's
/// entry point.
///
/// Unlike Python, the toolchain's path carries little meaning here: every npm installs into the project's
/// `node_modules` unless it runs in global mode (`-g`, `--location=global`, `npm_config_global`, …) or its
/// local root — the nearest ancestor holding `package.json` or `node_modules`, else the working directory —
/// is the home directory or above it, where every script under home resolves what it installs.
public struct Node: Ecosystem {
    public let id = "node"
    public let summary =
        "npm, npx, yarn, pnpm, bun, corepack, volta and nvm: packages go into the project's node_modules."
    /// `nvm` is a shell function; the reader sees it as a program of that name. `node` is claimed for
    /// `node path/to/npm-cli.js …`, which runs npm.
    public let programs = [
        "npm", "npx", "yarn", "yarnpkg", "pnpm", "pn", "pnpx", "pnx", "bun", "bunx", "corepack", "volta", "nvm",
        "node", "nodejs",
    ]
    /// A manifest, a lockfile next to it, or a workspace file marks a Node project's root.
    public let projectMarkers = [
        "package.json", "package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml",
        "pnpm-workspace.yaml", "bun.lock", "bun.lockb",
    ]

    /// Creates the module.
    public init() {}

    /// JavaScript runtimes' `-e`/`--eval`/`-p`/`--print` (Deno's `eval` subcommand).
    public let inlineCodeOptions: [String: Set<String>] = [
        "node": ["-e", "--eval", "-p", "--print"], "nodejs": ["-e", "--eval", "-p", "--print"],
        "bun": ["-e", "--eval", "-p", "--print"], "deno": ["eval"],
    ]
    /// npm's, yarn's, pnpm's and bun's install verbs and aliases, and global mode.
    public let operationWords: Set<String> = [
        "install", "i", "add", "ci", "uninstall", "remove", "rm", "update", "upgrade", "up", "link", "global", "-g",
        "--global",
    ]
    /// Where the npm documentation tells users to put a global prefix they own.
    public let userBinDirectories = [".npm-global/bin"]

    /// Every rule the module can fire.
    public let rules = [
        Node.globalFlag, Node.globalEnvironment, Node.yarnGlobal, Node.link, Node.globalConfig, Node.noProject,
        Node.installLocation, Node.pnpmSetup, Node.selfUpdate, Node.corepack, Node.volta, Node.npmrc, Node.nvm,
        Node.dynamicCommand, Node.project, Node.localLocation,
    ]

    /// `node.global-flag`.
    public static let globalFlag = Rule(
        id: "node.global-flag", verdict: .block,
        summary:
            "The command line puts the package manager in global mode, so packages land in the prefix every project shares."
    )

    /// `node.global-env`.
    public static let globalEnvironment = Rule(
        id: "node.global-env", verdict: .block,
        summary: "The environment (npm_config_global, npm_config_location=global) puts npm in global mode.")

    /// `node.yarn-global`.
    public static let yarnGlobal = Rule(
        id: "node.yarn-global", verdict: .block, summary: "`yarn global` works on yarn's user-wide global folder.")

    /// `node.link`.
    public static let link = Rule(
        id: "node.link", verdict: .block,
        summary: "Linking a package writes it into the user-wide global or link space.")

    /// `node.global-config`.
    public static let globalConfig = Rule(
        id: "node.global-config", verdict: .block,
        summary: "A persistent setting changes where every later install goes.")

    /// `node.no-project`.
    public static let noProject = Rule(
        id: "node.no-project", verdict: .block,
        summary:
            "The install's local root is the home directory or above it, so every project below sees what it installs.")

    /// `node.install-location`.
    public static let installLocation = Rule(
        id: "node.install-location", verdict: .block,
        summary: "An explicit install location outside the project is global.")

    /// `node.pnpm-setup`.
    public static let pnpmSetup = Rule(
        id: "node.pnpm-setup", verdict: .block, summary: "`pnpm setup` edits the user's shell startup files and PATH.")

    /// `node.self-update`.
    public static let selfUpdate = Rule(
        id: "node.self-update", verdict: .block,
        summary: "A package manager replacing itself changes it for every project.")

    /// `node.corepack`.
    public static let corepack = Rule(
        id: "node.corepack", verdict: .block,
        summary:
            "corepack writes or removes shims next to the global node, or sets a user-wide package-manager version.")

    /// `node.volta`.
    public static let volta = Rule(
        id: "node.volta", verdict: .block,
        summary: "volta install and uninstall change the user-wide tools and toolchains in ~/.volta.")

    /// `node.npmrc`.
    public static let npmrc = Rule(
        id: "node.npmrc", verdict: .block,
        summary: "An npmrc file (the project's or the user's) puts npm in global mode or sets its global prefix.")

    /// `node.nvm`.
    public static let nvm = Rule(
        id: "node.nvm", verdict: .block,
        summary: "nvm copies another Node version's global packages into a global prefix (versions themselves pass).")

    /// `node.dynamic-command`.
    public static let dynamicCommand = Rule(
        id: "node.dynamic-command", verdict: .ask,
        summary: "The package manager's command is only known when the line runs.")

    /// `node.project`.
    public static let project = Rule(
        id: "node.project", verdict: .allow,
        summary: "A package-manager command that works on the project's own node_modules.")

    /// `node.local-location`.
    public static let localLocation = Rule(
        id: "node.local-location", verdict: .allow, summary: "The explicit install location is inside the project.")

    /// Patterns that are global in every context. `npm install -g *` and `npm link` are not: with
    /// `--prefix` (or `npm_config_prefix`) inside the project, a global-layout install stays in the
    /// project (SPEC §4), so such a pattern would deny a command the hook allows.
    /// The same holds for yarn's, pnpm's and bun's global installs: with their global package and bin
    /// directories inside the project (`--global-dir`, PNPM_HOME, BUN_INSTALL, bunfig.toml) they stay there.
    public let denyPatterns = [
        "Bash(pnpm setup)", "Bash(pnpm self-update)", "Bash(bun upgrade)",
        "Bash(corepack enable)",
        "Bash(corepack disable)", "Bash(volta install *)", "Bash(volta uninstall *)",
        "Bash(npm config set prefix *)", "Bash(npm config set global *)", "Bash(npm config set location *)",
        "Bash(npm set prefix *)", "Bash(yarn config set prefix *)",
    ]

    public func judge(_ invocation: Invocation, in context: JudgementContext) -> Judgement {
        judgeCommand(NodeCommand(module: self, invocation: invocation, context: context))
    }

    func judgeCommand(_ reader: NodeCommand) -> Judgement {
        let invocation = reader.invocation
        switch invocation.program {
        case "npm": return reader.npm()
        case "npx": return reader.npx()
        case "yarn", "yarnpkg", "pnpm", "pn", "bun": return reader.describedManager()
        case "pnpx", "pnx":
            return reader.runner(Array(invocation.operands), style: .pnpmDlx, runner: invocation.program)
        case "bunx": return reader.runner(Array(invocation.operands), style: .bunx, runner: "bunx")
        case "corepack", "volta", "nvm": return reader.describedTool()
        case "node", "nodejs": return reader.node()
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

        /// The program.
        var name: String {
            switch self {
            case .npm: "npm"
            case .yarn: "yarn"
            case .pnpm: "pnpm"
            case .bun: "bun"
            case .corepack: "corepack"
            }
        }

        /// How a dependency on a local directory is written (`yarn add link:../lib`, `bun add file:../lib`).
        var linkProtocol: String { self == .bun ? "file:" : "link:" }

        /// npm also stops at a `node_modules` directory when it looks for its local root.
        var rootMarkers: [String] { self == .npm ? ["package.json", "node_modules"] : ["package.json"] }

        /// The lockfiles an install from the manifest reads.
        var lockfiles: [String] {
            switch self {
            case .npm, .corepack: ["package-lock.json", "npm-shrinkwrap.json"]
            case .yarn: ["yarn.lock"]
            case .pnpm: ["pnpm-lock.yaml"]
            case .bun: ["bun.lock", "bun.lockb"]
            }
        }
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
    /// Whether a local root is shared beyond one project (SPEC §5): home or one of its ancestors, whose
    /// node_modules every script below resolves, or a system directory that npm fell back to because no
    /// package.json is there (`cd /usr/local && npm i x`). A package under /usr or /opt with its own
    /// package.json (`WORKDIR /usr/src/app` in a Dockerfile) is that package's project.
    func isUserWide(_ root: String) -> Bool {
        if let home = context.home, Paths.isInside(home, root) { return true }
        if root == "/" { return true }
        return JudgementContext.isSystemLocation(root) && !context.files.exists(Self.join(root, "package.json"))
    }

    // MARK: Fixes

    /// The fix where there is no project and the local root would be shared (home, or above it): toolguard does
    /// not invent a directory, it says plainly that the project-local way needs a project. A comment, so that
    /// pasting it runs nothing.
    func needsAProject(_ command: String, root: String, initCommand: String) -> String {
        "# no project here, and \(root == context.home ? "~" : homeRelative(root)) is shared by every project below it: in the project that"
            + " needs it (\(initCommand) there first if it has none), run: \(command)"
    }

    /// A path as a fix writes it so that it still names the same file after a `cd`: `~/…` under home,
    /// else absolute.
    func homeRelative(_ path: String) -> String {
        if let home = context.home, path != home, Paths.isInside(path, home) {
            return "~/" + Quoting.word(String(path.dropFirst(home.count + 1)))
        }
        return Quoting.word(path)
    }

    /// A fix command written so that it is project-local when run from the current directory: as it is
    /// when it already would be, else in the enclosing project, else in a new project under home.
    /// `fromManifest`: the command installs what the manifest lists (`npm ci`, bare `yarn install`), so a
    /// new project gets a copy of the manifest (and lockfile) that the command would have read.
    func projectFix(_ words: [String], needs: FixNeed, fromManifest: Bool = false) -> String {
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
                    return (["npm", "--prefix", Quoting.word(display(project))] + words.dropFirst()).joined(
                        separator: " ")
                }
                let enter = project == directory ? "" : "cd " + Quoting.word(project) + " && "
                return enter + manager.initCommand + " && " + command
            }
            return needsAProject(command, root: root, initCommand: manager.initCommand)
        case .projectRoot:
            if project != nil { return command }
            // Where nothing is shared, the project can be made right here.
            if !isUserWide(directory) { return "npm init -y && " + command }
            return needsAProject(command, root: directory, initCommand: "npm init -y")
        }
    }

    /// The package name in a spec (`npm@10` → `npm`, `@scope/x@1` → `@scope/x`).
    static func packageName(_ spec: String) -> String {
        let start = spec.hasPrefix("@") ? spec.index(after: spec.startIndex) : spec.startIndex
        guard let at = spec[start...].firstIndex(of: "@") else { return spec }
        return String(spec[..<at])
    }

    // MARK: Findings

    func finding(_ rule: Rule, _ reason: String, fix: String? = nil, verdict: Verdict? = nil) -> Finding {
        module.finding(rule, invocation, reason: reason, fix: fix, verdict: verdict)
    }

    func block(_ rule: Rule, _ reason: String, fix: String, notes: [String] = []) -> Judgement {
        Judgement(findings: [finding(rule, reason, fix: fix)], notes: notes)
    }

    func allowProject(_ reason: String, effects: [Effect] = [], notes: [String] = []) -> Judgement {
        var judgement = Judgement(findings: [finding(Node.project, reason, verdict: .allow)], notes: notes)
        judgement.effects = effects
        return judgement
    }

    func pass(_ note: String) -> Judgement { Judgement(findings: [], notes: [note]) }

    func dynamicCommand(_ tool: String, _ word: Argument) -> Judgement {
        Judgement(findings: [
            finding(
                Node.dynamicCommand,
                "\(tool)'s command `\(word.text)` is only known when the line runs, and it could install globally.",
                fix: "Write the \(tool) command out, e.g. `\(tool) install -D <package>`.")
        ])
    }

    /// An option with its value as written: `--prefix /opt`, or `npm_config_prefix=/opt` for a variable.
    func shown(_ option: String, _ value: String) -> String {
        option.hasPrefix("-") ? option + " " + value : option + "=" + value
    }

    /// An explicit install location: inside the project allows, outside blocks, unknown asks.
    func judgeLocation(
        _ option: String, _ value: Value, from start: String?, fix: String, rule: Rule = Node.installLocation
    )
        -> Judgement
    {
        switch context.location(of: value, from: start) {
        case .inside(let path, _):
            return Judgement(findings: [
                finding(Node.localLocation, Reasons.pointsInside(option, path), verdict: .allow)
            ])
        case .outside(let path):
            return block(rule, "`\(shown(option, value.text))` installs into \(path), outside the project.", fix: fix)
        case .unresolvable(let text):
            return Judgement(findings: [
                finding(rule, Reasons.onlyKnownWhenRun("`\(shown(option, text))`"), fix: fix, verdict: .ask)
            ])
        }
    }

    /// A local install by `manager` running in `start`: allowed unless its local root is home or above.
    /// Without packages to add, a root with no manifest (nor npm's node_modules) has nothing to install:
    /// the managers stop there (pnpm's ERR_PNPM_NO_PKG_MANIFEST).
    func judgeLocalRoot(
        _ what: String, manager: Manager, from start: String?, fix: @autoclosure () -> String, createsManifest: Bool,
        hasPackages: Bool = true, needsLockfile: Bool = false
    ) -> Judgement {
        guard let start else {
            return Judgement(findings: [
                finding(
                    Node.noProject, "`\(what)` runs in a directory only known when the line runs, which may be home.",
                    fix: fix(), verdict: .ask)
            ])
        }
        let root = localRoot(from: start, manager: manager)
        let note = "the local root is \(root)"
        if !hasPackages, !manager.rootMarkers.contains(where: { context.files.exists(Self.join(root, $0)) }) {
            return pass("`\(what)` finds no package.json, so it has nothing to install")
        }
        if needsLockfile, !manager.lockfiles.contains(where: { context.files.exists(Self.join(root, $0)) }) {
            return pass("`\(what)` refuses to run without a lockfile in \(root), so it installs nothing")
        }
        if isUserWide(root) {
            let marker = manager == .npm ? "package.json or node_modules" : "package.json"
            return block(
                Node.noProject,
                "`\(what)` installs into \(Self.join(root, "node_modules")): no \(marker) is nearer, and every "
                    + "project under \(root) would resolve it.",
                fix: fix(), notes: [note])
        }
        let effects: [Effect] =
            createsManifest && !context.files.exists(Self.join(root, "package.json"))
            ? [.creates(path: Self.join(root, "package.json"))] : []
        return allowProject(
            "`\(what)` installs into \(Self.join(root, "node_modules")).", effects: effects, notes: [note])
    }

    // MARK: Commands that run another command

    /// How a runner reads its own options before the command it runs.
    enum RunnerStyle {
        case bunx, pnpmDlx

        /// Options that take a value.
        var valueOptions: Set<String> {
            switch self {
            case .bunx: ["-p", "--package"]
            case .pnpmDlx: ["--package", "--allow-build", "--reporter", "--loglevel"]
            }
        }

        /// Options that make it run the rest as shell code.
        var shellOptions: Set<String> {
            switch self {
            case .pnpmDlx: ["-c", "--shell-mode"]
            default: []
            }
        }

        /// Whether the command word is a package spec (`cowsay@1`), not a program already installed.
        var fetchesPackage: Bool {
            switch self {
            case .bunx, .pnpmDlx: true
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
        if word.hasPrefix("@"), let slash = word.firstIndex(of: "/") {
            word = String(word[word.index(after: slash)...])
        }
        return [Argument(word, span: first.span)] + command.dropFirst()
    }
}

// MARK: - npm

extension NodeCommand {
    /// Whether npm runs in global mode, and what made it so.
    enum NpmMode: Equatable {
        case local
        case global(source: NpmSource)
        case unknown
    }

    /// Where a setting came from, in @npmcli/config's order.
    typealias NpmSource = LayeredSettings.Source

    // MARK: npmrc

    /// The npmrc files npm reads for this command, highest precedence first: the project's `.npmrc` at
    /// npm's local root (only when neither the command line nor the environment set global mode, and not
    /// when it is the user's file), then the user's (`--userconfig`, `npm_config_userconfig`, `~/.npmrc`).
    /// Read only for commands that install or link, so other commands cost nothing.
    func npmrcFiles(_ settings: NpmSettings) -> [LayeredSettings.File] {
        var userPath: String?
        if let argument = settings.commandLineText("userconfig") {
            userPath = context.absolutePath(argument.value, relativeTo: directory)
        } else if let value = settings.environmentValue("userconfig") {
            userPath = context.absolutePath(value, relativeTo: directory)
        } else if let home = context.home {
            userPath = Self.join(home, ".npmrc")
        }
        var paths: [String] = []
        if settings.mode == .local || settings.mode == .unknown, let directory {
            var root: String?
            if let prefix = settings.commandLineText("prefix") {
                root = context.absolutePath(prefix.value, relativeTo: directory)
            } else {
                root = localRoot(from: directory, manager: .npm)
            }
            if let root, Self.join(root, ".npmrc") != userPath { paths.append(Self.join(root, ".npmrc")) }
        }
        if let userPath { paths.append(userPath) }
        return paths.compactMap { path in
            // Read once per judgement: every npm command of a long line asks for the same files.
            guard let bytes = context.files.contents(of: path) else { return nil }
            return NpmrcFile(path: path, text: String(decoding: bytes, as: UTF8.self), environment: environment).layer
        }
    }

    /// install, uninstall, update and their relatives: global mode, then the local root.
    func npmPackages(_ command: String, _ rest: [Argument], settings: NpmSettings) -> Judgement {
        if settings.flag("dry-run") == true { return pass("`--dry-run` installs nothing") }
        switch settings.mode {
        case .unknown:
            return Judgement(findings: [
                finding(
                    Node.globalEnvironment, "npm's global mode comes from a value only known when the line runs.",
                    fix: npmGlobalFix(command, rest, settings: settings), verdict: .ask)
            ])
        case .global(let source):
            if ["ci", "install-ci-test", "dedupe"].contains(command) {
                return pass("`npm \(command)` refuses to run in global mode")
            }
            return npmGlobal(command, rest, settings: settings, source: source)
        case .local:
            return npmLocal(command, rest, settings: settings)
        }
    }

    /// The global prefix npm would use, when something other than its default sets it.
    func npmGlobalPrefix(_ settings: NpmSettings) -> (String, Value)? {
        if let argument = settings.commandLineText("prefix") { return ("--prefix", argument.value) }
        if let value = settings.environmentValue("prefix") { return ("npm_config_prefix", value) }
        if let file = settings.files.first(where: { $0.values["prefix"] != nil }), let value = file.values["prefix"] {
            return ("prefix", value)
        }
        return nil
    }

    /// Whether an argument names the package npm runs in (`npm install -g .`, `npm link .`): npm drops it.
    /// Only when both are known: a name relative to an unknown directory is a package like any other.
    func namesLocalRoot(_ argument: Argument) -> Bool {
        guard let directory, let path = context.absolutePath(argument.value, relativeTo: directory) else {
            return false
        }
        return path == localRoot(from: directory, manager: .npm)
    }

    func npmGlobal(_ command: String, _ rest: [Argument], settings: NpmSettings, source: NpmSource) -> Judgement {
        let fix = npmGlobalFix(command, rest, settings: settings)
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
                Node.selfUpdate,
                "`npm \(command) -g npm` replaces the npm every project on the machine uses; pin the project's own "
                    + "npm version instead.",
                fix: projectFix(["corepack", "use", Quoting.word(version)], needs: .localRoot(.corepack)))
        }
        let cause: String
        let rule: Rule
        switch source {
        case .commandLine:
            cause = "global mode (-g, --global or --location=global)"
            rule = Node.globalFlag
        case .environment:
            cause = "the global mode the environment sets (npm_config_global or npm_config_location=global)"
            rule = Node.globalEnvironment
        case .file(let path):
            cause = "the global mode \(path) sets (global or location=global)"
            rule = Node.npmrc
        }
        let named = rest.filter { !namesLocalRoot($0) }
        let packages =
            named.isEmpty
            ? (command == "update" ? "every global package" : "the current package")
            : named.map(\.text).joined(separator: " ")
        return block(
            rule,
            "`npm \(command)` in \(cause) changes \(packages) in the global prefix, shared by every project; a tool "
                + "the project needs belongs in its devDependencies (run it with npx).",
            fix: fix)
    }

    /// An npm command for a fix: the environment's or an npmrc's global mode (npm_config_global, location)
    /// would make it global too, so the fix switches it off on its command line, which npm reads first.
    func npmWords(_ command: String, _ rest: [String], files: [LayeredSettings.File] = []) -> [String] {
        var settings = NpmSettings(npm: [:], environment: environment)
        settings.files = files
        var overrides: [String] = []
        if settings.flag("global") != false { overrides.append("--no-global") }
        if settings.locationIsGlobal != false { overrides.append("--location=project") }
        return ["npm", command] + overrides + rest
    }

    /// The project-local way to do what a global npm command does. With -g on the command line the
    /// package is a tool, so it becomes a devDependency; when global mode comes from the environment or an
    /// npmrc, the command was meant as the local one it looks like.
    func npmGlobalFix(_ command: String, _ rest: [Argument], settings: NpmSettings) -> String {
        // The package itself (`npm install -g .`) is already the project.
        let packages = rest.filter { !namesLocalRoot($0) }.map(Quoting.argument)
        var fromCommandLine = false
        if case .global(.commandLine) = settings.mode { fromCommandLine = true }
        let dev = fromCommandLine || settings.flag("save-dev") == true ? ["-D"] : []
        let words: [String]
        switch command {
        case "install", "install-test":
            words = npmWords("install", packages.isEmpty ? [] : dev + packages, files: settings.files)
        case "uninstall", "update", "rebuild":
            words = npmWords(command, packages, files: settings.files)
        default:
            words = npmWords("install", [], files: settings.files)
        }
        return projectFix(words, needs: .localRoot(.npm), fromManifest: packages.isEmpty)
    }

    func npmLocal(_ command: String, _ rest: [Argument], settings: NpmSettings) -> Judgement {
        let packages = rest.map(Quoting.argument)
        let dev = settings.flag("save-dev") == true && command == "install" ? ["-D"] : []
        let words = npmWords(command, dev + packages, files: settings.files)
        let fix = projectFix(words, needs: .localRoot(.npm), fromManifest: rest.isEmpty)
        if let prefix = settings.commandLineText("prefix") {
            return judgeLocation("--prefix", prefix.value, from: directory, fix: fix)
        }
        return judgeLocalRoot(
            "npm \(command)", manager: .npm, from: directory, fix: fix,
            createsManifest: command == "install" && !rest.isEmpty, hasPackages: !rest.isEmpty,
            needsLockfile: ["ci", "install-ci-test"].contains(command))
    }

    /// Where a fix for a bare link runs: the project that wants to use this package, which the command
    /// does not name. The placeholder makes the fix fail harmlessly if it is run as written.
    static let otherProject = "# in the project that uses this package, run: "
    static let otherProjectNote = " (the fix says what to run there)."

    /// The package a bare link publishes, as a path another project can depend on.
    func linkedPackage(_ manager: Manager, in linkDirectory: String?) -> String {
        linkDirectory.map { localRoot(from: $0, manager: manager) } ?? "/path/to/this-package"
    }

    /// `npm link` symlinks this package into the global prefix; `npm link <pkg>` first installs missing
    /// packages there. Both write the global space.
    func npmLink(_ rest: [Argument], settings: NpmSettings) -> Judgement {
        if case .global = settings.mode { return pass("npm refuses `link` in global mode") }
        // npm drops arguments that name the package itself (`npm link .`).
        let packages = rest.filter { !namesLocalRoot($0) }
        let fix: String
        if packages.isEmpty {
            fix = Self.otherProject + "npm install " + Quoting.word(linkedPackage(.npm, in: directory))
        } else {
            fix = projectFix(
                npmWords("install", packages.map(Quoting.argument), files: settings.files), needs: .localRoot(.npm))
        }
        if let (option, value) = npmGlobalPrefix(settings) {
            return judgeLocation(option, value, from: directory, fix: fix)
        }
        let reason =
            packages.isEmpty
            ? "`npm link` symlinks this package into the global prefix for other projects; instead, install it by "
                + "path from the project that uses it" + Self.otherProjectNote
            : "`npm link \(packages.map(\.text).joined(separator: " "))` installs missing packages into the global "
                + "prefix before linking them; install them into the project instead (a directory by path)."
        return block(Node.link, reason, fix: fix)
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
                        Node.globalConfig, Reasons.onlyKnownWhenRun("The npm setting `\(argument.text)`"),
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
            Node.globalConfig,
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
        if let call = settings.commandLineText("call") {
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
        // Expansions go on a stack read before the rest of argv, and options to an output array: no splice
        // into argv, so a long argv costs linear time.
        let source = Array(invocation.operands)
        var next = 0
        var pending: [Argument] = []
        func peek() -> Argument? { pending.last ?? (next < source.count ? source[next] : nil) }
        func advance() { if pending.popLast() == nil { next += 1 } }
        func rest() -> [Argument] { pending.reversed() + source[min(next, source.count)...] }
        var options: [Argument] = []
        var command: [Argument] = []
        while let argument = peek() {
            let text = argument.text
            if text == "--" {
                advance()
                command = rest()
                break
            }
            guard text.hasPrefix("-"), text.count > 1 else {
                command = rest()
                break
            }
            let stripped = String(text.drop { $0 == "-" })
            let parts = stripped.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = String(parts[0])
            let attached = parts.count > 1 ? String(parts[1]) : nil
            var current = argument
            switch key {
            case "p":
                current = Argument("--package" + (attached.map { "=" + $0 } ?? ""), span: argument.span)
            case "shell":
                current = Argument("--script-shell" + (attached.map { "=" + $0 } ?? ""), span: argument.span)
            case "no-install":
                current = Argument("--yes=false", span: argument.span)
            default:
                if let expansion = NpmOptions.shorthands[key], !NpmOptions.npxRemoved.contains(key) {
                    let words = expansion + (attached.map { [$0] } ?? [])
                    advance()
                    pending.append(contentsOf: words.reversed().map { Argument($0, span: argument.span) })
                    continue
                }
            }
            advance()
            if NpmOptions.npxRemoved.contains(key) { continue }
            options.append(current)
            if attached == nil, !NpmOptions.npxSwitches(key), let value = peek(),
                NpmOptions.npxValueOptions.contains(key) || !value.text.hasPrefix("-")
            {
                options.append(value)
                advance()
            }
        }
        let settings = NpmSettings(npm: NpmOptions.parse(options).options, environment: environment)
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

/// npm's settings as one command sees them: the command line, then the environment (`npm_config_*`), then
/// the npmrc files read for it (highest precedence first).
typealias NpmSettings = LayeredSettings

extension LayeredSettings {
    /// npm's settings of one command, before any npmrc file is read.
    init(npm commandLine: [String: NoptDefinitions.Value], environment: Environment) {
        self.init(commandLine: commandLine, environment: environment, environmentPrefix: "npm_config_")
    }

    /// Whether `location` is `global` (exactly: npm compares the value as written).
    var locationIsGlobal: Bool? { isText("location", "global").value }

    /// npm's `npm.global`: `global` is truthy or `location` is `global`, each read command line first.
    var mode: NodeCommand.NpmMode {
        let global = flagAndSource("global")
        let location = isText("location", "global")
        if global.value == true { return .global(source: global.source) }
        if location.value == true { return .global(source: location.source) }
        if global.value == nil || location.value == nil { return .unknown }
        return .local
    }
}

/// One npmrc file's top-level settings (ini: `key = value`, `;`/`#` comments, `[section]`s, whose keys
/// are not top-level settings). Values are unquoted and `${VAR}` is replaced from the environment, as
/// @npmcli/config does; a variable only known when the line runs makes the value dynamic.
struct NpmrcFile {
    let path: String
    let values: [String: Value]

    /// The file as a layer of npm's settings.
    var layer: LayeredSettings.File { LayeredSettings.File(path: path, values: values) }

    init(path: String, text: String, environment: Environment) {
        self.path = path
        var values: [String: Value] = [:]
        var inSection = false
        for rawLine in text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            let line = Self.trimmed(Substring(rawLine))
            guard let first = line.first, first != ";", first != "#" else { continue }
            if first == "[" {
                inSection = true
                continue
            }
            guard !inSection else { continue }
            var key = line
            var value: Substring = "true"
            if let equals = line.firstIndex(of: "=") {
                key = Self.trimmed(line[..<equals])
                value = Self.trimmed(line[line.index(after: equals)...])
            }
            if value.count >= 2, let quote = value.first, quote == "\"" || quote == "'", value.last == quote {
                value = value.dropFirst().dropLast()
            }
            values[String(key)] = Self.expand(value, environment: environment)
        }
        self.values = values
    }

    static func trimmed(_ text: Substring) -> Substring {
        var text = text
        while let first = text.first, first == " " || first == "\t" { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\t" { text = text.dropLast() }
        return text
    }

    /// `${NAME}` from the environment; an unset one stays as written (`${NAME?}` becomes empty).
    static func expand(_ text: Substring, environment: Environment) -> Value {
        var result = ""
        var isDynamic = false
        var rest = text
        while let dollar = rest.firstIndex(of: "$") {
            let brace = rest.index(after: dollar)
            guard brace < rest.endIndex, rest[brace] == "{",
                let end = rest[brace...].firstIndex(of: "}")
            else {
                result += rest[...dollar]
                rest = rest[rest.index(after: dollar)...]
                continue
            }
            result += rest[..<dollar]
            var name = rest[rest.index(after: brace)..<end]
            let optional = name.hasSuffix("?")
            if optional { name = name.dropLast() }
            if let value = environment[String(name)] {
                result += value.text
                isDynamic = isDynamic || value.isDynamic
            } else if !optional {
                result += rest[dollar...end]
            }
            rest = rest[rest.index(after: end)...]
        }
        result += rest
        return Value(result, isDynamic: isDynamic)
    }
}

/// npm's command table and option definitions (`lib/utils/cmd-list.js` and `@npmcli/config`'s definitions,
/// npm 10.8), read by GuardKit's nopt parser.
enum NpmOptions {
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

    static let kinds: [String: NoptDefinitions.Kind] = {
        var kinds: [String: NoptDefinitions.Kind] = [:]
        for name in flags { kinds[name] = .flag }
        for name in texts { kinds[name] = .text }
        for name in nullableValues { kinds[name] = .value(nullable: true) }
        for name in values { kinds[name] = .value(nullable: false) }
        kinds["browser"] = .flagOrText(values: [], anyText: true)
        kinds["color"] = .flagOrText(values: ["always"], anyText: false)
        return kinds
    }()

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

    /// npm's options as nopt reads them.
    static let definitions = NoptDefinitions(kinds: kinds, shorthands: shorthands)

    /// nopt's parse of argv over npm's definitions.
    static func parse(_ arguments: some Collection<Argument>) -> NoptDefinitions.Parsed {
        definitions.parse(arguments)
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

    static let commandTable = NoptCommands(commands: commands, aliases: aliases)

    /// cmd-list.js `deref`: the command a word names.
    static func command(_ word: String) -> String? { commandTable.command(word) }

    // MARK: npx

    /// Options npx drops (npx-cli.js `removed`).
    static let npxRemoved: Set<String> = [
        "always-spawn", "ignore-existing", "shell-auto-fallback", "npm", "node-arg", "n",
    ]
    /// Options npx knows take a value.
    static let npxValueOptions: Set<String> = [
        "npm", "node-arg", "n", "package", "p", "cache", "userconfig", "call", "c", "shell",
    ]

    /// Options npx knows take no value: npm's booleans and a few of its own.
    static func npxSwitches(_ key: String) -> Bool {
        switch kinds[key] {
        case .flag?, .flagOrText?: return true
        default:
            return [
                "always-spawn", "ignore-existing", "shell-auto-fallback", "no-install", "quiet", "q", "version", "v",
                "help", "h",
            ]
            .contains(key)
        }
    }
}

// MARK: - node

extension NodeCommand {
    /// node's options that take the next word as their value.
    static let nodeValueOptions: Set<String> = [
        "-r", "--require", "--import", "--loader", "--experimental-loader", "-C", "--conditions", "--env-file",
        "--env-file-if-exists", "--input-type", "--title", "--inspect-port", "--debug-port", "--redirect-warnings",
        "--openssl-config", "--icu-data-dir", "--diagnostic-dir", "--report-dir", "--report-directory",
        "--report-filename", "--secure-heap", "--secure-heap-min", "--heapsnapshot-signal", "--stack-trace-limit",
        "--disable-warning", "--watch-path", "--experimental-config-file", "--localstorage-file",
    ]

    /// The package manager an entry-point file runs, by its name: npm's `bin/npm-cli.js` (or `bin/npm`),
    /// npx's, yarn's (`yarn.js`, a Berry release `yarn-4.1.0.cjs`), pnpm's (`pnpm.cjs`).
    static func packageManager(forScript path: String) -> String? {
        var name = Paths.basename(path)
        for suffix in [".js", ".cjs", ".mjs"] where name.hasSuffix(suffix) {
            name = String(name.dropLast(suffix.count))
        }
        switch name {
        case "npm", "npm-cli": return "npm"
        case "npx", "npx-cli": return "npx"
        case "yarn", "yarnpkg": return "yarn"
        case "pnpm", "pnpx": return "pnpm"
        default:
            if name.hasPrefix("yarn-"), name.dropFirst(5).first?.isNumber == true { return "yarn" }
            return nil
        }
    }

    /// `node <script> …`: a package manager's entry point runs that package manager, as `python -m pip`
    /// runs pip. A script only known when the line runs, whose arguments npm would read as a global
    /// install, could be npm: ask.
    func node() -> Judgement {
        let arguments = Array(invocation.operands)
        var index = 0
        while index < arguments.count {
            let text = arguments[index].text
            if text == "--" {
                index += 1
                break
            }
            guard text.hasPrefix("-"), text.count > 1, !arguments[index].isDynamic else { break }
            if ["-e", "--eval", "-p", "--print", "-c", "--check", "--test", "--run", "-v", "--version", "-h", "--help"]
                .contains(text)
            {
                return pass("node runs inline code, a check, tests or a package.json script, not a package manager")
            }
            index += Self.nodeValueOptions.contains(text) ? 2 : 1
        }
        guard index < arguments.count else { return pass("node runs no script here") }
        let script = arguments[index]
        let rest = Array(arguments[(index + 1)...])
        if script.isDynamic {
            return nodeDynamicScript(script, rest)
        }
        guard let manager = Self.packageManager(forScript: script.text) else {
            return pass("`node \(script.text)` runs a script, not a package manager")
        }
        var judgement = pass("`\(script.text)` is \(manager)'s entry point: node runs \(manager), which is judged")
        judgement.nested = NestedCommand(arguments: [Argument(manager, span: script.span)] + rest, runner: "node")
        return judgement
    }

    /// A script only known when the line runs (`node $(which npm) i -g x`): judged as npm would judge
    /// the rest, and asked when that would not be project-local.
    func nodeDynamicScript(_ script: Argument, _ rest: [Argument]) -> Judgement {
        var asNpm = invocation
        asNpm.arguments = [Argument("npm", span: script.span)] + rest
        asNpm.program = "npm"
        let judgement = NodeCommand(module: module, invocation: asNpm, context: context).npm()
        guard let strictest = judgement.findings.first(where: { $0.verdict == .block || $0.verdict == .ask }) else {
            return pass("node runs a script only known when the line runs")
        }
        return Judgement(findings: [
            finding(
                Node.dynamicCommand,
                "node runs a script only known when the line runs (`\(script.text)`); if it is npm, "
                    + strictest.reason.prefix(1).lowercased() + strictest.reason.dropFirst(),
                fix: strictest.fix, verdict: .ask)
        ])
    }
}

// MARK: - Project scripts

/// Which of package.json's `scripts` a command runs (npm's using-npm/scripts, yarn's, pnpm's and bun's docs;
/// shared/reference/more-package-managers.md §6). GuardKit reads them and judges them as shell code.
extension NodeCommand {
    /// What an install in a project runs from the root package, in npm's order.
    static let installScripts = [
        "preinstall", "install", "postinstall", "prepublish", "preprepare", "prepare", "postprepare",
    ]
    /// npm commands that run the script of their own name (with its pre and post scripts).
    static let npmScriptCommands: Set<String> = ["test", "start", "stop", "restart"]
    /// `preX`, `X`, `postX`.
    func around(_ name: String) -> [String] { ["pre" + name, name, "post" + name] }

    /// The scripts of the nearest package.json at or above `start`, run in its directory with every
    /// `node_modules/.bin` from there up first on PATH (npm's run-script adds each ancestor's).
    func scripts(_ names: [String], main: String?, from start: String?, arguments: [Argument], runner: String)
        -> [ProjectScripts]
    {
        guard let start, let root = context.nearestAncestor(of: start, holding: "package.json") else { return [] }
        var bins: [String] = []
        var candidate = root
        while true {
            bins.append(Self.join(candidate, "node_modules/.bin"))
            if candidate == "/" { break }
            candidate = Paths.parent(candidate)
        }
        return [
            ProjectScripts(
                manifest: Self.join(root, "package.json"), table: "scripts", names: names, directory: root,
                pathPrefixes: bins, mainScript: main, extraArguments: arguments, runner: runner)
        ]
    }
}

import Ecosystems
import GuardKit

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// toolguard's command line: argument handling, I/O and exit statuses; the judging is GuardKit's.

func fail(_ message: String, status: Int32) -> Never {
    Process.err("toolguard: \(message)\n")
    exit(status)
}

let environment = Process.environment()
let currentDirectory = Process.currentDirectory()

func setup(for directory: String) -> GuardSetup {
    GuardSetup(
        builtIn: builtInEcosystems, directory: directory, environment: environment,
        installedBinary: Process.executablePath())
}

func absolute(_ path: String) -> String {
    path.hasPrefix("/") ? Paths.normalize(path) : Paths.absolute(path, relativeTo: currentDirectory)
}

/// `path` made absolute, or a usage error when it is not an existing directory.
func existingDirectory(_ path: String, for option: String) -> String {
    let directory = absolute(path)
    guard Process.isDirectory(directory) else {
        fail("\(option) \(path): no such directory — give an existing directory", status: ExitStatus.usage)
    }
    return directory
}

/// `toolguard hook`. It never exits with anything but 0 or 2 and never fails open by itself: its own usage
/// errors, a crash and its deadline are answered with the agent's deny (SPEC §6).
func runHook(_ arguments: ArraySlice<String>) -> Int32 {
    // Until the agent is known, a crash or the deadline answers in the fallback agent's words.
    FailClosed.arm(for: AgentHooks.fallback, environment: environment, startDeadline: true)
    var agent: Agent?
    var usageProblem: String?
    var rest = arguments
    while let argument = rest.popFirst(), usageProblem == nil {
        let value: String?
        if argument == "--agent" {
            value = rest.popFirst()
        } else if argument.hasPrefix("--agent=") {
            value = String(argument.dropFirst(8))
        } else if argument == "--help" || argument == "-h", Process.isTerminal(0) {
            // Only for a person at a terminal: an agent that ran `hook --help` would read help as no decision.
            Process.out(CommandTable.named("hook")?.help ?? CommandTable.usage)
            return ExitStatus.success
        } else {
            usageProblem = "unknown argument '\(argument)' for toolguard hook"
            break
        }
        let names = Agent.allCases.map(\.rawValue).joined(separator: ", ")
        guard let value, let named = Agent(rawValue: value) else {
            usageProblem = "--agent \(value.map { "'\($0)'" } ?? "without a name") is not one of \(names)"
            break
        }
        agent = named
        FailClosed.arm(for: named, environment: environment, startDeadline: false)
    }
    let reading = AgentHooks.read(Process.readStandardInput(), agent: usageProblem == nil ? agent : nil)
    FailClosed.arm(for: reading.agent, environment: environment, startDeadline: false)
    let answer: HookAnswer
    if let usageProblem {
        // A typo in the registration must not let every command through: fail closed, whatever the fail mode.
        answer = reading.agent.hook.answer(
            .block(
                reason: "toolguard: \(usageProblem) — the hook's registration is wrong, so toolguard blocks every"
                    + " call until it is fixed: run toolguard install, or correct the command in the agent's settings"))
    } else {
        switch reading.request {
        case .failure(let error):
            // The configured fail mode decides; closed (the call is blocked) unless the user chose open.
            answer = reading.agent.hook.answer(
                unreadable: error, failMode: setup(for: currentDirectory).configuration.failMode)
        case .success(.otherTool):
            answer = reading.answer(.noDecision)
        case .success(.fileWrite(let tool, let path, let directory)):
            let start = directory.map(absolute) ?? currentDirectory
            let guardSetup = setup(for: start)
            let finding = guardSetup.judge.protection?.judgeFileTool(
                path: path, directory: start, span: 0..<0)
            answer = reading.answer(
                recordFileTool(
                    finding.map { HookDecision(finding: $0) } ?? .noDecision, finding, tool, path, start, guardSetup,
                    reading.agent))
        case .success(.shell(let command, let directory)):
            let start = directory.map(absolute) ?? currentDirectory
            let guardSetup = setup(for: start)
            for error in guardSetup.configuration.errors { Process.err(error.description + "\n") }
            let report = guardSetup.judge.judge(
                command, directory: start, environment: environment, tracing: false,
                deadline: Deadline(milliseconds: CommandJudge.readingBudgetMilliseconds))
            let decision = HookDecision(report: report, notices: guardSetup.notices(for: report.decisiveFinding))
            answer = reading.answer(recordShell(decision, report, start, guardSetup, reading.agent))
        }
    }
    FailClosed.disarm()
    Process.out(answer.standardOutput)
    Process.err(answer.standardError)
    return answer.exitStatus
}

func runExplain(_ arguments: ArraySlice<String>) -> Int32 {
    var directory: String?
    var json = false
    var command: String?
    var rest = arguments
    while let argument = rest.popFirst() {
        switch argument {
        case "--json": json = true
        case "--cwd":
            guard let value = rest.popFirst() else {
                fail("--cwd needs a directory — e.g. --cwd /path/to/repo", status: ExitStatus.usage)
            }
            directory = existingDirectory(value, for: "--cwd")
        case "-":
            command = String(decoding: Process.readStandardInput(), as: UTF8.self)
        case "--":
            // Everything after `--` is the command, even when it starts with `-`.
            guard command == nil, !rest.isEmpty else {
                fail("explain takes one command — quote it: toolguard explain -- \"-x …\"", status: ExitStatus.usage)
            }
            command = rest.joined(separator: " ")
            rest = []
        default:
            if argument.hasPrefix("--cwd=") {
                directory = existingDirectory(String(argument.dropFirst(6)), for: "--cwd")
            } else if argument.hasPrefix("-"), argument.count > 1 {
                fail("unknown option \(argument) for explain — see 'toolguard help'", status: ExitStatus.usage)
            } else if command == nil {
                command = argument
            } else {
                fail(
                    "explain takes one command — quote it: toolguard explain \"pip install x\"",
                    status: ExitStatus.usage)
            }
        }
    }
    guard let command else {
        fail("explain needs a command — e.g. toolguard explain \"pip install requests\"", status: ExitStatus.usage)
    }
    let start = directory.map(absolute) ?? currentDirectory
    let guardSetup = setup(for: start)
    // The hook's own reading budget, so that explain says what the hook would.
    let report = guardSetup.judge.judge(
        command, directory: start, environment: environment,
        deadline: Deadline(milliseconds: CommandJudge.readingBudgetMilliseconds))
    // Configuration errors are the person's to fix, not part of the judgement: standard error.
    let errors = guardSetup.configuration.errors.map(\.description)
    for error in errors { Process.err(error + "\n") }
    let notices = (guardSetup.notices(for: report.decisiveFinding) + guardSetup.configuration.notices).filter {
        !errors.contains($0)
    }
    let unique = notices.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
    if json {
        Process.out(Explanation.json(report, notices: unique))
    } else {
        let colour = Process.isTerminal(1) && environment["NO_COLOR"] == nil
        Process.out(Explanation.text(report, directory: start, notices: unique, colour: colour))
    }
    switch report.verdict {
    case .block: return ExitStatus.blocked
    case .ask: return ExitStatus.asks
    case .allow, .pass: return ExitStatus.success
    }
}

/// The project root a person means by `toolguard trust [DIR]`: the same root the hook would use there.
func repoFile(_ arguments: ArraySlice<String>) -> (root: String, file: String) {
    guard arguments.count <= 1 else {
        fail("expected at most one directory — e.g. toolguard trust .", status: ExitStatus.usage)
    }
    let directory = arguments.first.map { existingDirectory($0, for: "directory") } ?? currentDirectory
    guard let root = setup(for: directory).projectRoot else {
        fail(
            "\(directory) is not inside a project (no .git or manifest found) — run it in the repository",
            status: ExitStatus.usage)
    }
    return (root, Locations.repoFile(inProjectRoot: root))
}

func runTrust(_ arguments: ArraySlice<String>, trusting: Bool) -> Int32 {
    let (_, file) = repoFile(arguments)
    guard let locations = Locations(environment: environment) else {
        fail("no home directory — set HOME", status: ExitStatus.usage)
    }
    let store = TrustStore(locations: locations)
    do {
        if trusting {
            let loaded: ConfigFile?
            do { loaded = try ConfigFile.load(path: file, builtIn: builtInEcosystems.map(\.id)) } catch {
                fail("\(error.reason) — fix \(file) before trusting it", status: ExitStatus.badInput)
            }
            guard let loaded else { fail("there is no \(file) to trust — create it first", status: ExitStatus.usage) }
            try store.trust(repoFile: file, sha256: loaded.sha256)
            Process.out("trusted \(file) (sha256 \(loaded.sha256))\n")
            Process.out(String(decoding: loaded.contents, as: UTF8.self))
        } else {
            let removed = try store.untrust(repoFile: file)
            Process.out(removed ? "no longer trusted: \(file)\n" : "\(file) was not trusted\n")
        }
    } catch {
        fail("\(error) — check \(locations.trustStore)", status: ExitStatus.fileError)
    }
    return ExitStatus.success
}

func runStatus(_ arguments: ArraySlice<String>) -> Int32 {
    let json = arguments.contains("--json")
    let operand = arguments.first { $0 != "--json" && $0 != "--" }
    let directory = operand.map { existingDirectory($0, for: "directory") } ?? currentDirectory
    let guardSetup = setup(for: directory)
    Process.out(
        json ? StatusReport.json(guardSetup, directory: directory) : StatusReport.text(guardSetup, directory: directory)
    )
    return guardSetup.configuration.errors.isEmpty ? ExitStatus.success : ExitStatus.badInput
}

func runDenyRules() -> Int32 {
    let rules = builtInEcosystems.flatMap(\.denyPatterns)
    Process.out(
        JSONValue.array(rules.map(JSONValue.string)).serialized(style: .pretty(indent: 2), trailingNewline: true))
    return ExitStatus.success
}

func runRules(_ arguments: ArraySlice<String>) -> Int32 {
    let catalogue = RuleCatalogue(ecosystems: builtInEcosystems)
    Process.out(arguments.contains("--json") ? catalogue.json : catalogue.text)
    return ExitStatus.success
}

func installer() -> Installer {
    guard let locations = Locations(environment: environment) else {
        fail("no home directory — set HOME", status: ExitStatus.usage)
    }
    guard let binary = Process.executablePath() else {
        fail("cannot tell where this binary is — run it by its absolute path", status: ExitStatus.fileError)
    }
    let enabled = setup(for: currentDirectory).judge.ecosystems
    return Installer(locations: locations, binaryPath: binary, denyRules: enabled.flatMap(\.denyPatterns))
}

func settingsPath(_ installer: Installer, _ scope: ClaudeSettings.Scope) -> String {
    guard let path = installer.settingsPath(scope, projectRoot: setup(for: currentDirectory).projectRoot) else {
        fail("--scope \(scope.rawValue) needs a project — run it inside the repository", status: ExitStatus.usage)
    }
    return path
}

/// For `--scope managed`: refuses clearly, before anything is written, without the rights to write there.
func requireManagedRights(_ installer: Installer) {
    var directory = installer.locations.claudeManagedDirectory
    while !Process.isDirectory(directory), directory != "/" { directory = Paths.parent(directory) }
    guard access(directory, W_OK) == 0 else {
        fail(
            "--scope managed writes \(installer.locations.claudeManagedDropIn), and \(directory) is not writable"
                + " by this user — nothing was changed; run it as root (sudo toolguard …) or with your"
                + " configuration management", status: ExitStatus.fileError)
    }
}

func runInstall(_ arguments: ArraySlice<String>) -> Int32 { runAgentInstall(arguments) }

func runUninstall(_ arguments: ArraySlice<String>) -> Int32 { runAgentUninstall(arguments) }

func runPin() -> Int32 {
    let installer = installer()
    do {
        let manifest = try Pin.pin(binaryPath: installer.binaryPath, manifestPath: installer.locations.pinManifest)
        Process.out("pinned \(manifest.path) sha256 \(manifest.sha256) in \(installer.locations.pinManifest)\n")
    } catch {
        fail(error.description, status: ExitStatus.fileError)
    }
    return ExitStatus.success
}

func runVerify() -> Int32 {
    let result = Pin.verify(manifestPath: installer().locations.pinManifest)
    if result.isOK {
        Process.out("\(result.description)\n")
        return ExitStatus.success
    }
    Process.err("toolguard: \(result.description)\n")
    return ExitStatus.verifyFailed
}

func runDoctor(_ arguments: ArraySlice<String>) -> Int32 { runAgentDoctor(arguments) }

let arguments = CommandLine.arguments.dropFirst()
let name = arguments.first
if name == "--version" || name == "-V" {
    Process.out(Version.text(executable: Process.executablePath()))
    exit(ExitStatus.success)
}
// The hook runs before every command the agent runs: it goes straight to work, without building the table of
// every command's help text that the other commands are checked against.
if name == "hook" { exit(runHook(arguments.dropFirst())) }
if name == nil || name == "--help" || name == "-h" {
    if name == nil { Process.err(CommandTable.usage) } else { Process.out(CommandTable.usage) }
    exit(name == nil ? ExitStatus.usage : ExitStatus.success)
}
guard let spec = CommandTable.named(name!) else {
    fail("unknown command '\(name!)' — run 'toolguard help'", status: ExitStatus.usage)
}
let rest = arguments.dropFirst()
if spec.checkedByDispatcher {
    switch CommandTable.check(rest, against: spec) {
    case .run: break
    case .help:
        Process.out(spec.help)
        exit(ExitStatus.success)
    case .usage(let message):
        fail("\(message) — see 'toolguard help \(spec.name)'", status: ExitStatus.usage)
    }
}
let status: Int32
switch spec.name {
case "explain": status = runExplain(rest)
case "status": status = runStatus(rest)
case "trust": status = runTrust(rest, trusting: true)
case "untrust": status = runTrust(rest, trusting: false)
case "deny-rules": status = runDenyRules()
case "rules": status = runRules(rest)
case "install": status = runInstall(rest)
case "uninstall": status = runUninstall(rest)
case "pin": status = runPin()
case "verify": status = runVerify()
case "doctor": status = runDoctor(rest)
case "log": status = runLog(rest)
case "audit": status = runAudit(rest)
case "allow": status = runAllow(rest)
case "version":
    Process.out(Version.text(executable: Process.executablePath()))
    status = ExitStatus.success
case "help":
    if let topic = rest.first {
        guard let named = CommandTable.named(topic) else {
            fail("no command '\(topic)' — run 'toolguard help'", status: ExitStatus.usage)
        }
        Process.out(named.help)
    } else {
        Process.out(CommandTable.usage)
    }
    status = ExitStatus.success
default:
    fail("unknown command '\(spec.name)' — run 'toolguard help'", status: ExitStatus.usage)
}
exit(status)

import Ecosystems
import GuardKit

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// toolguard's command line: argument handling, I/O and exit statuses; the judging is GuardKit's.

let usage = """
    usage: toolguard hook [--agent AGENT]         judge an agent's hook input on stdin; AGENT is claude, codex,
                                                  gemini, cursor, copilot or windsurf (default: from the input)
           toolguard explain [--cwd DIR] [--json] (COMMAND | -)
                                                  show how a command is read and judged
           toolguard status [DIR]                 the ecosystems in effect here, and why
           toolguard trust [DIR]                  let DIR's .toolguard.json switch protection off (a person only)
           toolguard untrust [DIR]                withdraw that trust
           toolguard deny-rules                   print the deny rules (layer 1) as JSON
           toolguard install [--scope user|project|local]
                                                  register the hook and deny rules in Claude Code, then pin
           toolguard uninstall [--scope user|project|local]
                                                  remove exactly what install added
           toolguard pin | verify                 record / check the installed binary's SHA-256
           toolguard doctor                       check the three layers and self-test the hook
           toolguard log [--json] [--since DURATION|DATE] [--limit N]
                                                  what the hook blocked and asked about
           toolguard audit [--json] [PATH…]       global installs agents already made, and how to undo them
           toolguard allow CODE | --command CMD [--cwd DIR]
                                                  let one blocked command through once (a person only)
           toolguard help

    """

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

func runHook(_ arguments: ArraySlice<String>) -> Int32 {
    var agent: Agent?
    var rest = arguments
    while let argument = rest.popFirst() {
        let value: String?
        if argument == "--agent" {
            value = rest.popFirst()
        } else if argument.hasPrefix("--agent=") {
            value = String(argument.dropFirst(8))
        } else {
            fail("unknown argument \(argument) for hook — see 'toolguard help'", status: ExitStatus.usage)
        }
        guard let value, let named = Agent(rawValue: value) else {
            let names = Agent.allCases.map(\.rawValue).joined(separator: ", ")
            fail("--agent takes one of \(names)", status: ExitStatus.usage)
        }
        agent = named
    }
    let reading = AgentHooks.read(Process.readStandardInput(), agent: agent)
    let hook = reading.agent.hook
    let answer: HookAnswer
    switch reading.request {
    case .failure(let error):
        // The configured fail mode decides; closed (the call is blocked) unless the user chose open.
        answer = hook.answer(unreadable: error, failMode: setup(for: currentDirectory).configuration.failMode)
    case .success(.otherTool):
        answer = hook.answer(.noDecision)
    case .success(.fileWrite(let tool, let path, let directory)):
        let start = directory.map(absolute) ?? currentDirectory
        let guardSetup = setup(for: start)
        let finding = guardSetup.judge.protection?.judgeFileTool(path: path, directory: start, span: 0..<0)
        answer = hook.answer(
            recordFileTool(
                finding.map { HookDecision(finding: $0) } ?? .noDecision, finding, tool, path, start, guardSetup,
                reading.agent))
    case .success(.shell(let command, let directory)):
        let start = directory.map(absolute) ?? currentDirectory
        let guardSetup = setup(for: start)
        for error in guardSetup.configuration.errors { Process.err(error.description + "\n") }
        let report = guardSetup.judge.judge(command, directory: start, environment: environment, tracing: false)
        let decision = HookDecision(report: report, notices: guardSetup.notices(for: report.decisiveFinding))
        answer = hook.answer(recordShell(decision, report, start, guardSetup, reading.agent))
    }
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
            directory = value
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
                directory = String(argument.dropFirst(6))
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
    let report = guardSetup.judge.judge(command, directory: start, environment: environment)
    let notices = guardSetup.notices(for: report.decisiveFinding) + guardSetup.configuration.notices
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
    let directory = arguments.first.map(absolute) ?? currentDirectory
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
    let directory = arguments.first.map(absolute) ?? currentDirectory
    let guardSetup = setup(for: directory)
    Process.out(StatusReport.text(guardSetup, directory: directory))
    return guardSetup.configuration.errors.isEmpty ? ExitStatus.success : ExitStatus.badInput
}

func runDenyRules() -> Int32 {
    let rules = builtInEcosystems.flatMap(\.denyPatterns)
    Process.out(
        JSONValue.array(rules.map(JSONValue.string)).serialized(style: .pretty(indent: 2), trailingNewline: true))
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

func scope(_ arguments: ArraySlice<String>) -> ClaudeSettings.Scope? {
    var rest = arguments
    var chosen: ClaudeSettings.Scope?
    while let argument = rest.popFirst() {
        var value: String?
        if argument == "--scope" {
            value = rest.popFirst()
        } else if argument.hasPrefix("--scope=") {
            value = String(argument.dropFirst(8))
        } else {
            fail("unknown argument \(argument) — use --scope user|project|local", status: ExitStatus.usage)
        }
        guard let value, let parsed = ClaudeSettings.Scope(rawValue: value) else {
            fail("--scope takes user, project or local", status: ExitStatus.usage)
        }
        chosen = parsed
    }
    return chosen
}

func settingsPath(_ installer: Installer, _ scope: ClaudeSettings.Scope) -> String {
    guard let path = installer.settingsPath(scope, projectRoot: setup(for: currentDirectory).projectRoot) else {
        fail("--scope \(scope.rawValue) needs a project — run it inside the repository", status: ExitStatus.usage)
    }
    return path
}

func runInstall(_ arguments: ArraySlice<String>) -> Int32 {
    let installer = installer()
    do {
        for line in try installer.install(into: settingsPath(installer, scope(arguments) ?? .user)) {
            Process.out(line + "\n")
        }
    } catch {
        fail(error.description, status: ExitStatus.fileError)
    }
    return ExitStatus.success
}

func runUninstall(_ arguments: ArraySlice<String>) -> Int32 {
    let installer = installer()
    let paths = scope(arguments).map { [settingsPath(installer, $0)] }
    do {
        for line in try installer.uninstall(from: paths) { Process.out(line + "\n") }
    } catch {
        fail(error.description, status: ExitStatus.fileError)
    }
    return ExitStatus.success
}

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

func runDoctor() -> Int32 {
    let installer = installer()
    let guardSetup = setup(for: currentDirectory)
    var healthy = true
    for check in installer.checkLayers(projectRoot: guardSetup.projectRoot) {
        Process.out("\(check.passed ? "✓" : "✗") \(check.detail)\n")
        healthy = healthy && check.passed
    }
    // The self-test runs the binary the pin names (the installed one), else this one.
    let pinned = Pin.verify(manifestPath: installer.locations.pinManifest)
    var binary = installer.binaryPath
    if case .ok(let manifest) = pinned { binary = manifest.path }
    var failures = 0
    for testCase in SelfTest.cases {
        let input = SelfTest.input(for: testCase, directory: "/")
        let result = Process.run(binary, ["hook"], input: input, environment: environment)
        if let problem = SelfTest.problem(with: testCase, status: result.status, output: result.output) {
            Process.out("✗ self-test: `\(testCase.command)`: \(problem)\n")
            failures += 1
        }
    }
    if failures == 0 {
        Process.out("✓ self-test: \(binary) answered \(SelfTest.cases.count) known commands correctly\n")
    }
    return healthy && failures == 0 ? ExitStatus.success : ExitStatus.doctorFailed
}

let arguments = CommandLine.arguments.dropFirst()
let status: Int32
switch arguments.first {
case "hook": status = runHook(arguments.dropFirst())
case "explain": status = runExplain(arguments.dropFirst())
case "status": status = runStatus(arguments.dropFirst())
case "trust": status = runTrust(arguments.dropFirst(), trusting: true)
case "untrust": status = runTrust(arguments.dropFirst(), trusting: false)
case "deny-rules": status = runDenyRules()
case "install": status = runInstall(arguments.dropFirst())
case "uninstall": status = runUninstall(arguments.dropFirst())
case "pin": status = runPin()
case "verify": status = runVerify()
case "doctor": status = runDoctor()
case "log": status = runLog(arguments.dropFirst())
case "audit": status = runAudit(arguments.dropFirst())
case "allow": status = runAllow(arguments.dropFirst())
case "help", "--help", "-h":
    Process.out(usage)
    status = ExitStatus.success
case nil:
    Process.err(usage)
    status = ExitStatus.usage
case let other?:
    fail("unknown command '\(other)' — run 'toolguard help'", status: ExitStatus.usage)
}
exit(status)

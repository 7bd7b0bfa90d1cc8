import Ecosystems
import GuardKit

// `toolguard install|uninstall|doctor [--agent AGENT|all] [--scope …]`: which agents and which file, then
// GuardKit's Installer (Claude Code) and AgentInstaller (the others) do the work. The per-agent facts are in
// GuardKit's AgentHookFile table, not here.

/// What `--agent`, `--scope` and `--json` chose.
struct AgentChoice {
    /// The agents named (`all`: those whose configuration directory exists).
    var agents: [Agent]
    /// Whether `--agent all` was given.
    var all: Bool
    /// `--scope`, as typed.
    var scope: String?
    /// `--json` (doctor).
    var json: Bool
}

/// The `--agent` values, for messages.
let agentNames = Agent.allCases.map(\.rawValue).joined(separator: "|") + "|all"

func agentChoice(_ arguments: ArraySlice<String>, command: String, agentInstaller: AgentInstaller) -> AgentChoice {
    var rest = arguments
    var named: String?
    var scope: String?
    var json = false
    while let argument = rest.popFirst() {
        func value(_ option: String) -> String {
            if argument.hasPrefix(option + "=") { return String(argument.dropFirst(option.count + 1)) }
            guard let value = rest.popFirst() else {
                fail("\(option) needs a value — see 'toolguard help \(command)'", status: ExitStatus.usage)
            }
            return value
        }
        if argument == "--agent" || argument.hasPrefix("--agent=") {
            named = value("--agent")
        } else if command != "doctor", argument == "--scope" || argument.hasPrefix("--scope=") {
            scope = value("--scope")
        } else if command == "doctor", argument == "--json" {
            json = true
        } else {
            fail(
                "unknown argument \(argument) for \(command) — see 'toolguard help \(command)'",
                status: ExitStatus.usage)
        }
    }
    if let scope, ClaudeSettings.Scope(rawValue: scope) == nil {
        fail("--scope takes user, project, local or managed", status: ExitStatus.usage)
    }
    let name = named ?? Agent.claude.rawValue
    if name == "all" {
        return AgentChoice(agents: agentInstaller.detected(), all: true, scope: scope, json: json)
    }
    guard let agent = Agent(rawValue: name) else {
        fail("--agent '\(name)' is not one of \(agentNames)", status: ExitStatus.usage)
    }
    return AgentChoice(agents: [agent], all: false, scope: scope, json: json)
}

/// `--agent all` that found no agent: say where it looked.
func requireDetected(_ choice: AgentChoice, _ agentInstaller: AgentInstaller) {
    guard choice.all, choice.agents.isEmpty else { return }
    let looked = AgentHookFile.all.map { agentInstaller.configDirectory($0) }.joined(separator: ", ")
    fail(
        "--agent all found no agent's configuration directory (looked for \(looked)) — start the agent once,"
            + " or name it with --agent \(Agent.allCases.map(\.rawValue).joined(separator: "|"))",
        status: ExitStatus.usage)
}

/// The other agents' files of a scope; local and managed are Claude Code's only.
func agentFiles(_ agents: [Agent], scope: String?, _ agentInstaller: AgentInstaller) -> [(
    file: AgentHookFile, path: String
)] {
    let others = agents.filter { $0 != .claude }
    guard !others.isEmpty else { return [] }
    let chosen: AgentInstaller.Scope
    switch scope {
    case nil, "user": chosen = .user
    case "project": chosen = .project
    default:
        fail(
            "--scope \(scope!) is Claude Code's only — use --scope user or project with --agent"
                + " \(others.map(\.rawValue).joined(separator: ", "))", status: ExitStatus.usage)
    }
    let projectRoot = setup(for: currentDirectory).projectRoot
    return others.map { agent in
        let file = AgentHookFile.row(agent)
        guard let path = agentInstaller.hookFilePath(file, scope: chosen, projectRoot: projectRoot) else {
            fail(
                "--scope project needs a project — run it inside the repository (\(agent.name) reads"
                    + " <repo>/\(file.projectFile ?? file.userFile))", status: ExitStatus.usage)
        }
        return (file, path)
    }
}

func runAgentInstall(_ arguments: ArraySlice<String>) -> Int32 {
    let installer = installer()
    let agentInstaller = AgentInstaller(installer: installer, environment: environment)
    let choice = agentChoice(arguments, command: "install", agentInstaller: agentInstaller)
    requireDetected(choice, agentInstaller)
    let files = agentFiles(choice.agents, scope: choice.scope, agentInstaller)
    var claudePath: String?
    if choice.agents.contains(.claude) {
        let chosen = choice.scope.flatMap(ClaudeSettings.Scope.init(rawValue:)) ?? .user
        if chosen == .managed { requireManagedRights(installer) }
        claudePath = settingsPath(installer, chosen)
    }
    do {
        // Every file is read and checked before any is written: an invalid one changes nothing anywhere.
        if let claudePath, let settings = try ClaudeSettings.readSettings(at: claudePath) {
            do throws(SettingsError) {
                _ = try ClaudeSettings.install(
                    into: .object(settings), hookCommand: installer.hookCommand, denyRules: installer.denyRules)
            } catch {
                throw SettingsError(path: claudePath, problem: error.problem)
            }
        }
        _ = try agentInstaller.plan(files)
    } catch {
        fail("\(error)", status: ExitStatus.fileError)
    }
    do {
        var lines: [String] = []
        if let claudePath { lines += try installer.install(into: claudePath) }
        if !files.isEmpty { lines += try agentInstaller.install(files) }
        // Each install pins the same binary: one line says so.
        for (index, line) in lines.enumerated() where !lines[..<index].contains(line) { Process.out(line + "\n") }
    } catch {
        fail(error.description, status: ExitStatus.fileError)
    }
    for (file, _) in files {
        if let step = file.nextStep { Process.out("next, for \(file.agent.name): \(step)\n") }
    }
    return ExitStatus.success
}

func runAgentUninstall(_ arguments: ArraySlice<String>) -> Int32 {
    let installer = installer()
    let agentInstaller = AgentInstaller(installer: installer, environment: environment)
    var choice = agentChoice(arguments, command: "uninstall", agentInstaller: agentInstaller)
    // Without --scope, uninstall is driven by what install recorded, whether or not the directory is still there.
    if choice.all && choice.scope == nil { choice.agents = Agent.allCases }
    requireDetected(choice, agentInstaller)
    do {
        let files =
            choice.scope == nil
            ? try agentInstaller.recordedFiles(for: choice.agents.filter { $0 != .claude })
            : agentFiles(choice.agents, scope: choice.scope, agentInstaller)
        var lines: [String] = []
        if !files.isEmpty { lines += try agentInstaller.uninstall(files) }
        if choice.agents.contains(.claude) {
            let chosen = choice.scope.flatMap(ClaudeSettings.Scope.init(rawValue:))
            if chosen == .managed { requireManagedRights(installer) }
            let claudeLines = try installer.uninstall(from: chosen.map { [settingsPath(installer, $0)] })
            // With other agents done, "nothing recorded" for Claude Code is no news.
            if files.isEmpty || claudeLines != ["nothing to uninstall: no installation is recorded"] {
                lines += claudeLines
            }
            // The drop-in is toolguard's alone: once nothing of it is left, the file goes (even without a record).
            let dropIn = installer.locations.claudeManagedDropIn
            if chosen == .managed, (try? ClaudeSettings.readSettings(at: dropIn))??.isEmpty == true {
                try? FileIO.removeFile(atPath: dropIn)
                lines.append("\(dropIn): removed")
            }
        } else if files.isEmpty {
            lines.append(
                "nothing to uninstall: no installation is recorded for \(choice.agents.map(\.name).joined(separator: ", "))"
            )
        }
        for line in lines { Process.out(line + "\n") }
    } catch {
        fail(error.description, status: ExitStatus.fileError)
    }
    return ExitStatus.success
}

func runAgentDoctor(_ arguments: ArraySlice<String>) -> Int32 {
    let installer = installer()
    let agentInstaller = AgentInstaller(installer: installer, environment: environment)
    let choice = agentChoice(arguments, command: "doctor", agentInstaller: agentInstaller)
    requireDetected(choice, agentInstaller)
    let projectRoot = setup(for: currentDirectory).projectRoot
    // The hook entries and the self-test must name the binary the pin names (the installed one), else this one.
    let pinned = Pin.verify(manifestPath: installer.locations.pinManifest)
    var binary = installer.binaryPath
    if case .ok(let manifest) = pinned { binary = manifest.path }
    var checks: [Installer.Check] = []
    if choice.agents.contains(.claude) {
        checks += installer.checkLayers(projectRoot: projectRoot)
    } else {
        checks.append(Installer.Check(passed: pinned.isOK, detail: "pin: \(pinned.description)"))
    }
    for agent in choice.agents {
        if agent != .claude {
            checks += agentInstaller.check(AgentHookFile.row(agent), projectRoot: projectRoot, expectedBinary: binary)
        }
        checks += selfTest(agent, binary: binary)
    }
    let healthy = checks.allSatisfy(\.passed)
    if choice.json {
        let value: JSONValue = [
            "schema": 1, "healthy": .bool(healthy),
            "checks": .array(checks.map { ["passed": .bool($0.passed), "detail": .string($0.detail)] as JSONValue }),
        ]
        Process.out(value.serialized(style: .pretty(indent: 2), trailingNewline: true))
    } else {
        for check in checks { Process.out("\(check.passed ? "✓" : "✗") \(check.detail)\n") }
    }
    return healthy ? ExitStatus.success : ExitStatus.doctorFailed
}

/// Runs `binary hook --agent AGENT` on the known commands, in the agent's own input shape.
func selfTest(_ agent: Agent, binary: String) -> [Installer.Check] {
    var checks: [Installer.Check] = []
    let label = agent == .claude ? "self-test" : "\(agent.name): self-test"
    let cases = SelfTest.cases(for: builtInEcosystems)
    for testCase in cases {
        let input = AgentSelfTest.input(testCase, agent: agent, directory: "/")
        let result = Process.run(binary, ["hook", "--agent", agent.rawValue], input: input, environment: environment)
        if let problem = AgentSelfTest.problem(
            testCase, agent: agent, status: result.status, output: result.output, error: result.error)
        {
            checks.append(Installer.Check(passed: false, detail: "\(label): `\(testCase.command)`: \(problem)"))
        }
    }
    if checks.isEmpty {
        checks.append(
            Installer.Check(
                passed: true,
                detail: "\(label): \(binary) answered \(cases.count) known commands correctly"
                    + (agent == .claude ? "" : " in \(agent.name)'s protocol")))
    }
    return checks
}

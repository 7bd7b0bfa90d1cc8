import Foundation
import Ecosystems
import GuardKit
import Testing

/// Issue 12 §1: `install|uninstall|doctor --agent …|all`, through the built binary, in a scratch HOME.
@Suite struct AllAgentsEndToEnd {
    /// Each agent's configuration directory under HOME, and its user hook file.
    static let directories: [Agent: String] = [
        .claude: ".claude", .codex: ".codex", .gemini: ".gemini", .cursor: ".cursor", .copilot: ".copilot",
        .windsurf: ".codeium/windsurf",
    ]
    static let userFiles: [Agent: String] = [
        .claude: ".claude/settings.json", .codex: ".codex/hooks.json", .gemini: ".gemini/settings.json",
        .cursor: ".cursor/hooks.json", .copilot: ".copilot/hooks/toolguard.json",
        .windsurf: ".codeium/windsurf/hooks.json",
    ]

    static func makeDirectories(_ installed: LayersEndToEnd.Installed, _ agents: [Agent]) throws {
        for agent in agents {
            try FileManager.default.createDirectory(
                atPath: installed.workspace.home + "/" + directories[agent]!, withIntermediateDirectories: true)
        }
    }

    /// Every regular file under HOME (but toolguard's own state and config) with its bytes.
    static func snapshot(_ home: String) -> [String: Data] {
        var files: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(atPath: home)
        while let relative = enumerator?.nextObject() as? String {
            if relative.hasPrefix(".local/state/toolguard") || relative.hasPrefix(".config/toolguard") { continue }
            if relative.hasSuffix(".bak") { continue }
            var isDirectory: ObjCBool = false
            let path = home + "/" + relative
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                files[relative] = FileManager.default.contents(atPath: path)
            }
        }
        return files
    }

    /// The command line toolguard registered in `path`, found wherever the agent's shape puts it.
    static func registeredCommands(in path: String) throws -> [String] {
        let value = try JSONValue.parse(String(contentsOfFile: path, encoding: .utf8))
        var found: [String] = []
        func walk(_ value: JSONValue) {
            switch value {
            case .object(let object):
                for (key, member) in object {
                    if key == "command" || key == "bash", let text = member.stringValue, text.contains(" hook --agent ")
                    {
                        found.append(text)
                    }
                    walk(member)
                }
            case .array(let array): array.forEach(walk)
            default: break
            }
        }
        walk(value)
        return found
    }

    @Test func oneCommandRegistersSixAgentsAndOneUninstallRestoresThem() throws {
        let installed = try LayersEndToEnd.Installed()
        defer { installed.workspace.remove() }
        let home = installed.workspace.home
        try Self.makeDirectories(installed, Agent.allCases)
        // Files the person already has, in their own formatting, with entries of their own.
        let existing = [
            ".gemini/settings.json": "{\"model\":{\"name\":\"gemini-2.5-pro\"},\n   \"hooks\": {\"AfterTool\": []}}\n",
            ".cursor/hooks.json":
                "{ \"version\": 1, \"hooks\": { \"beforeShellExecution\": [ { \"command\": \"./audit.sh\" } ] } }",
            ".codex/hooks.json":
                "{\"hooks\":{\"Stop\":[{\"hooks\":[{\"type\":\"command\",\"command\":\"say done\"}]}]}}",
            ".claude/settings.json": "{\n    \"model\": \"opus\"\n}\n",
        ]
        for (relative, text) in existing {
            try text.write(toFile: home + "/" + relative, atomically: false, encoding: .utf8)
        }
        let before = Self.snapshot(home)

        let install = try installed.run(["install", "--agent", "all"])
        #expect(install.status == 0, "\(install.standardError)")
        for agent in Agent.allCases {
            let commands = try Self.registeredCommands(in: home + "/" + Self.userFiles[agent]!)
            #expect(
                !commands.isEmpty && commands.allSatisfy { $0 == installed.binary + " hook --agent " + agent.rawValue })
        }
        #expect(install.standardOutput.contains("/hooks"), "Codex's trust step is printed")
        #expect(install.standardOutput.components(separatedBy: "pinned ").count == 2, "one pin line")
        // The person's own entries are still there.
        let cursor = try JSONValue.parse(String(contentsOfFile: home + "/.cursor/hooks.json", encoding: .utf8))
        #expect(cursor["hooks"]?["beforeShellExecution"]?.arrayValue?.count == 2)
        #expect(cursor["hooks"]?["beforeShellExecution"]?[1]?["failClosed"] == .bool(true))
        let gemini = try JSONValue.parse(String(contentsOfFile: home + "/.gemini/settings.json", encoding: .utf8))
        #expect(gemini["model"]?["name"]?.stringValue == "gemini-2.5-pro")
        #expect(gemini["hooks"]?["AfterTool"] == .array([]))
        #expect(
            FileManager.default.contents(atPath: home + "/.gemini/settings.json.bak") == before[".gemini/settings.json"]
        )

        // Idempotent: a second run changes no byte.
        let afterFirst = Self.snapshot(home)
        let again = try installed.run(["install", "--agent", "all"])
        #expect(again.status == 0)
        #expect(Self.snapshot(home) == afterFirst)
        #expect(!again.standardOutput.contains(": updated") && !again.standardOutput.contains(": created"))

        let doctor = try installed.run(["doctor", "--agent", "all"])
        #expect(doctor.status == 0, "\(doctor.standardOutput)")
        for agent in Agent.allCases where agent != .claude {
            #expect(doctor.standardOutput.contains("✓ \(agent.name): self-test"))
        }

        let uninstall = try installed.run(["uninstall", "--agent", "all"])
        #expect(uninstall.status == 0, "\(uninstall.standardError)")
        #expect(Self.snapshot(home) == before, "every hook file back byte for byte, the created ones gone")
        #expect(!FileManager.default.fileExists(atPath: home + "/.copilot/hooks"), "the directory install created")
        #expect(!FileManager.default.fileExists(atPath: home + "/.config/toolguard/pin.json"))
        #expect(!FileManager.default.fileExists(atPath: home + "/.local/state/toolguard/agent-installs.json"))
    }

    /// Each agent alone: its file, the registered command run as the agent runs it (`sh -c`) blocks a global
    /// install in the agent's own protocol and lets `ls` through, and uninstall takes it out.
    @Test(arguments: Agent.allCases)
    func eachAgentInstallsRunsAndUninstalls(_ agent: Agent) throws {
        let installed = try LayersEndToEnd.Installed()
        defer { installed.workspace.remove() }
        let home = installed.workspace.home
        try Self.makeDirectories(installed, [agent])
        let install = try installed.run(["install", "--agent", agent.rawValue])
        #expect(install.status == 0, "\(install.standardError)")
        let path = home + "/" + Self.userFiles[agent]!
        let command = try #require(try Self.registeredCommands(in: path).first)
        #expect(command.hasSuffix(" hook --agent " + agent.rawValue))
        let cases = SelfTest.cases(for: builtInEcosystems)
        let oneDeniedOnePassed = [cases.first { $0.status == 2 }, cases.first { $0.status == 0 }].compactMap { $0 }
        #expect(oneDeniedOnePassed.count == 2)
        for testCase in oneDeniedOnePassed {
            let input = AgentSelfTest.input(testCase, agent: agent, directory: installed.workspace.project)
            var environment = installed.workspace.environment
            environment["PATH"] = "/usr/bin:/bin"
            let result = try Binary.run(["-c", command], input: input, environment: environment, executable: "/bin/sh")
            #expect(
                AgentSelfTest.problem(
                    testCase, agent: agent, status: result.status, output: result.standardOutput,
                    error: result.standardError) == nil, "\(testCase.command): \(result)")
        }
        let doctor = try installed.run(["doctor", "--agent", agent.rawValue])
        #expect(doctor.status == 0, "\(doctor.standardOutput)")
        let uninstall = try installed.run(["uninstall", "--agent", agent.rawValue])
        #expect(uninstall.status == 0)
        #expect(!FileManager.default.fileExists(atPath: path))
        let after = try installed.run(["doctor", "--agent", agent.rawValue])
        #expect(after.status == 6)
    }

    @Test func anInvalidFileIsRefusedAndNothingChangesAnywhere() throws {
        let installed = try LayersEndToEnd.Installed()
        defer { installed.workspace.remove() }
        let home = installed.workspace.home
        try Self.makeDirectories(installed, Agent.allCases)
        try "{\"hooks\": {\"PreToolUse\": [".write(
            toFile: home + "/.codex/hooks.json", atomically: false, encoding: .utf8)
        try "{\"hooks\": []}".write(toFile: home + "/.cursor/hooks.json", atomically: false, encoding: .utf8)
        let before = Self.snapshot(home)
        let result = try installed.run(["install", "--agent", "all"])
        #expect(result.status == 74)
        let lines = result.standardError.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasPrefix("toolguard: ") && lines[0].contains(" — "))
        #expect(Self.snapshot(home) == before)
        #expect(!FileManager.default.fileExists(atPath: home + "/.config/toolguard/pin.json"))
        let cursorOnly = try installed.run(["install", "--agent", "cursor"])
        #expect(cursorOnly.status == 74 && cursorOnly.standardError.contains("`hooks`"))
    }

    @Test func projectScopeAndUsageErrors() throws {
        let installed = try LayersEndToEnd.Installed()
        defer { installed.workspace.remove() }
        let project = installed.workspace.project
        let none = try installed.run(["install", "--agent", "all"])
        #expect(none.status == 64 && none.standardError.contains("no agent's configuration directory"))
        #expect(try installed.run(["install", "--agent", "codex", "--scope", "local"]).status == 64)
        #expect(try installed.run(["install", "--agent", "vim"]).status == 64)
        let cursor = try installed.run(["install", "--agent", "cursor", "--scope", "project"])
        #expect(cursor.status == 0, "\(cursor.standardError)")
        #expect(!(try Self.registeredCommands(in: project + "/.cursor/hooks.json")).isEmpty)
        let copilot = try installed.run(["install", "--agent", "copilot", "--scope", "project"])
        #expect(copilot.status == 0)
        #expect(FileManager.default.fileExists(atPath: project + "/.github/hooks/toolguard.json"))
        // Without --scope, uninstall takes out what install recorded.
        #expect(try installed.run(["uninstall", "--agent", "all"]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: project + "/.cursor/hooks.json"))
        #expect(!FileManager.default.fileExists(atPath: project + "/.github"))
    }
}

import Foundation
import GuardKit
import Testing

/// Issue 12 §2 and §3: the Claude Code plugin in the repository, and `--scope managed`.
@Suite struct PluginAndManagedEndToEnd {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    func json(_ relative: String) throws -> JSONValue {
        try JSONValue.parse(String(contentsOfFile: Self.repository + "/" + relative, encoding: .utf8))
    }

    @Test func thePluginFilesHaveTheShapesClaudeCodeLoads() throws {
        let plugin = try json(".claude-plugin/plugin.json")
        #expect(plugin["name"]?.stringValue == "toolguard")
        let marketplace = try json(".claude-plugin/marketplace.json")
        #expect(marketplace["owner"]?["name"]?.stringValue != nil)
        #expect(marketplace["plugins"]?[0]?["name"] == plugin["name"])
        #expect(marketplace["plugins"]?[0]?["source"]?.stringValue == "./")
        #expect(plugin["hooks"] == nil, "hooks/hooks.json is loaded by itself: listing it again loads it twice")
        let hooks = try json("hooks/hooks.json")
        let groups = try #require(hooks["hooks"]?["PreToolUse"]?.arrayValue)
        #expect(groups.compactMap { $0["matcher"]?.stringValue } == ["Bash", "Write|Edit|MultiEdit"])
        for handler in groups.flatMap({ $0["hooks"]?.arrayValue ?? [] }) {
            #expect(handler["command"]?.stringValue?.contains("${CLAUDE_PLUGIN_ROOT}") == true)
            #expect(handler["onFailure"]?.stringValue == "block")
            #expect((handler["timeout"]?.doubleValue ?? 0) > 0)
        }
    }

    /// The plugin's command, run as Claude Code runs it (`sh -c` with the plugin root substituted).
    func runPluginHook(_ workspace: Workspace, binary: String?, command: String) throws -> Binary.Result {
        let hooks = try json("hooks/hooks.json")
        let line = try #require(hooks["hooks"]?["PreToolUse"]?[0]?["hooks"]?[0]?["command"]?.stringValue)
            .replacingOccurrences(of: "${CLAUDE_PLUGIN_ROOT}", with: Self.repository)
        var environment = workspace.environment
        environment["PATH"] = "/usr/bin:/bin"
        environment["TOOLGUARD_BIN"] = binary
        return try Binary.run(
            ["-c", line], input: workspace.hookInput(command), environment: environment, executable: "/bin/sh")
    }

    @Test func thePluginRunsTheBinaryAndBlocksWithoutOne() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let blocked = try runPluginHook(workspace, binary: Binary.path, command: "pip install requests")
        #expect(blocked.status == 2)
        #expect(blocked.standardError.contains("python.bare-pip"))
        let passed = try runPluginHook(workspace, binary: Binary.path, command: "ls")
        #expect(passed.status == 0 && passed.standardOutput.isEmpty)
        let missing = try runPluginHook(workspace, binary: nil, command: "ls")
        #expect(missing.status == 2, "no binary is a block, not a pass")
        #expect(missing.standardError.hasPrefix("toolguard: "))
    }

    @Test func managedScopeRoundTrips() throws {
        let installed = try LayersEndToEnd.Installed()
        defer { installed.workspace.remove() }
        let managed = installed.workspace.root + "/etc/claude-code/managed-settings.d"
        var environment = installed.workspace.environment
        environment["TOOLGUARD_CLAUDE_MANAGED_DIR"] = managed
        environment["PATH"] = "/usr/bin:/bin"
        func run(_ arguments: [String]) throws -> Binary.Result {
            try Binary.run(arguments, environment: environment, executable: installed.binary)
        }
        #expect(try run(["install", "--scope", "managed"]).status == 0)
        let dropIn = managed + "/toolguard.json"
        let written = try JSONValue.parse(String(contentsOfFile: dropIn, encoding: .utf8))
        #expect(written["hooks"]?["PreToolUse"]?.arrayValue?.count == 2)
        #expect((written["permissions"]?["deny"]?.arrayValue?.count ?? 0) > 0)
        let mode = try FileManager.default.attributesOfItem(atPath: dropIn)[.posixPermissions] as? Int
        #expect(mode == 0o644, "every user's Claude Code reads it")
        #expect(try run(["doctor"]).standardOutput.contains(dropIn))
        #expect(try run(["install", "--scope", "managed"]).status == 0)
        #expect(try run(["uninstall", "--scope", "managed"]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: dropIn))
        #expect(!FileManager.default.fileExists(atPath: installed.workspace.home + "/.claude/settings.json"))
    }
}

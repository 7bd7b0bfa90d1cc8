import Foundation
import GuardKit
import Testing

/// Issue 4's acceptance, end to end: a temporary HOME and XDG directories, the built binary, real files.
@Suite struct ConfigurationEndToEnd {
    func write(_ text: String, to path: String) throws {
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: false, encoding: .utf8)
    }

    @Test func repoFileWeakeningAppliesOnlyWhileTrustedAndUnchanged() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let repoFile = workspace.project + "/.toolguard.json"
        try write("{\"enable\": []}\n", to: repoFile)

        // Untrusted: leaving python out does not switch it off, and the reason says why.
        let untrusted = try workspace.hook("pip install x")
        #expect(untrusted.status == 2)
        #expect(untrusted.standardOutput.contains("toolguard trust"))
        #expect(untrusted.standardOutput.contains("not trusted"))

        // A person trusts it: now python is off in this repository.
        let trust = try Binary.run(["trust", workspace.project], environment: workspace.environment)
        #expect(trust.status == 0, "\(trust.standardError)")
        let trusted = try workspace.hook("pip install x")
        #expect(trusted.status == 0)
        #expect(trusted.standardOutput.isEmpty)

        // The file changes: its weakening stops applying until it is trusted again.
        try write("{\"enable\": [] }\n", to: repoFile)
        let changed = try workspace.hook("pip install x")
        #expect(changed.status == 2)
        #expect(changed.standardOutput.contains("changed since it was trusted"))

        // untrust withdraws it.
        #expect(try Binary.run(["trust", workspace.project], environment: workspace.environment).status == 0)
        #expect(try workspace.hook("pip install x").status == 0)
        #expect(try Binary.run(["untrust", workspace.project], environment: workspace.environment).status == 0)
        #expect(try workspace.hook("pip install x").status == 2)
    }

    @Test func repoFileMaySwitchProtectionOnWithoutTrust() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try write("{\"enable\": []}\n", to: workspace.home + "/.config/toolguard/config.json")
        #expect(try workspace.hook("pip install x").status == 0, "the user config switched python off")
        try write("{\"enable\": [\"python\"]}\n", to: workspace.project + "/.toolguard.json")
        #expect(try workspace.hook("pip install x").status == 2, "the repo file switches it back on, untrusted")
    }

    @Test(arguments: [
        "toolguard trust", "toolguard untrust .", "sudo toolguard uninstall", "bash -c 'toolguard trust'",
        "echo '{}' > ~/.local/state/toolguard/trusted.json", "rm -rf ~/.config/toolguard",
        "tee ~/.claude/settings.json < /dev/null", "sed -i s/x/y/ .claude/settings.json", "mv ~/.config ~/old",
    ])
    func hookBlocksTheAgentFromSwitchingItOff(_ command: String) throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let result = try workspace.hook(command)
        #expect(result.status == 2)
        #expect(result.standardOutput.contains("toolguard.self-protection"))
    }

    @Test(arguments: ["Write", "Edit", "MultiEdit"])
    func fileToolsMayNotWriteTheTrustStoreOrSettings(_ tool: String) throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        for path in [
            workspace.home + "/.local/state/toolguard/trusted.json", workspace.home + "/.config/toolguard/config.json",
            workspace.project + "/.claude/settings.local.json",
        ] {
            let input: JSONValue = .object([
                "cwd": .string(workspace.project), "hook_event_name": "PreToolUse", "tool_name": .string(tool),
                "tool_input": .object(["file_path": .string(path), "content": "{}"]),
            ])
            let result = try Binary.run(["hook"], input: input.serialized(), environment: workspace.environment)
            #expect(result.status == 2, "\(tool) \(path)")
            #expect(result.standardOutput.contains("\"deny\""))
        }
        let harmless: JSONValue = .object([
            "cwd": .string(workspace.project), "tool_name": .string(tool),
            "tool_input": .object(["file_path": .string(workspace.project + "/notes.md")]),
        ])
        #expect(try Binary.run(["hook"], input: harmless.serialized(), environment: workspace.environment).status == 0)
    }

    @Test func brokenConfigGivesOneClearErrorAndTheStrictestBehaviour() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let userConfig = workspace.home + "/.config/toolguard/config.json"
        try write("{\"enable\": [\"python\",]}\n", to: userConfig)
        let result = try workspace.hook("pipx install black")
        #expect(result.status == 2, "the strictest setting blocks even per-tool installers")
        let errorLine = try #require(result.standardError.split(separator: "\n").first { $0.contains(userConfig) })
        #expect(errorLine.hasPrefix("toolguard: "))
        #expect(errorLine.contains("line 1"))
        #expect(try workspace.hook("pip install x").status == 2)

        try write("{\"enable\": [\"cobol\"]}\n", to: userConfig)
        let unknown = try workspace.hook("pip install x")
        #expect(unknown.status == 2)
        #expect(unknown.standardError.contains("cobol"))

        let status = try Binary.run(["status", workspace.project], environment: workspace.environment)
        #expect(status.status != 0)
        #expect(status.standardOutput.contains(userConfig))
    }

    @Test func statusSaysWhatIsInEffectAndWhy() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let result = try Binary.run(["status", workspace.project], environment: workspace.environment)
        #expect(result.status == 0)
        #expect(result.standardOutput.contains("python"))
        #expect(result.standardOutput.contains("built-in default"))
        #expect(result.standardOutput.contains(workspace.home + "/.config/toolguard/config.json"))
    }
}

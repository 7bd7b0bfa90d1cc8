import Foundation
import GuardKit
import Testing

/// Issue 5's acceptance, end to end in a temporary HOME: a copy of the built binary is installed, so it can
/// be tampered with.
@Suite struct LayersEndToEnd {
    struct Installed {
        let workspace: Workspace
        let binary: String
        var settings: String { workspace.home + "/.claude/settings.json" }

        init() throws {
            workspace = try Workspace()
            binary = workspace.root + "/bin/toolguard"
            try FileManager.default.createDirectory(atPath: workspace.root + "/bin", withIntermediateDirectories: true)
            // Tests run in parallel: a child forked by another test may briefly hold a descriptor open for
            // writing (ETXTBSY, "Text file busy"); the copy is tried again rather than failing the test.
            var attempt = 0
            while true {
                do {
                    try? FileManager.default.removeItem(atPath: binary)
                    try FileManager.default.copyItem(atPath: Binary.path, toPath: binary)
                    break
                } catch {
                    attempt += 1
                    if attempt >= 20 { throw error }
                    usleep(50_000)
                }
            }
        }

        func run(_ arguments: [String]) throws -> Binary.Result {
            var environment = workspace.environment
            environment["PATH"] = (environment["PATH"] ?? "") + ":/usr/bin:/bin"
            return try Binary.run(arguments, environment: environment, directory: workspace.project, executable: binary)
        }

        func bytes(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }
    }

    @Test func installDoctorReinstallVerifyUninstall() throws {
        let installed = try Installed()
        defer { installed.workspace.remove() }
        let original = """
            {
              "model": "opus",
              "hooks": {
                "PreToolUse": [
                  { "matcher": "Read", "hooks": [{ "type": "command", "command": "/opt/other-hook" }] }
                ]
              },
              "permissions": { "deny": ["Bash(rm -rf /)"], "allow": ["Bash(git status)"] }
            }

            """
        try FileManager.default.createDirectory(
            atPath: installed.workspace.home + "/.claude", withIntermediateDirectories: true)
        try original.write(toFile: installed.settings, atomically: false, encoding: .utf8)

        let install = try installed.run(["install"])
        #expect(install.status == 0, "\(install.standardError)")
        let settings = try JSONValue.parse(String(decoding: installed.bytes(installed.settings)!, as: UTF8.self))
        #expect(settings["model"]?.stringValue == "opus", "unrelated keys are kept")
        #expect(settings["permissions"]?["allow"]?[0]?.stringValue == "Bash(git status)")
        #expect(
            settings["permissions"]?["deny"]?[0]?.stringValue == "Bash(rm -rf /)", "existing entries keep their order")
        #expect(settings["hooks"]?["PreToolUse"]?[0]?["matcher"]?.stringValue == "Read")
        let matchers = settings["hooks"]?["PreToolUse"]?.arrayValue?.compactMap { $0["matcher"]?.stringValue } ?? []
        #expect(matchers.contains("Bash") && matchers.contains("Write|Edit|MultiEdit"))
        #expect(FileManager.default.fileExists(atPath: installed.settings + ".bak"), "the previous file is backed up")

        let doctor = try installed.run(["doctor"])
        #expect(doctor.status == 0, "\(doctor.standardOutput)")
        #expect(!doctor.standardOutput.contains("✗"))
        #expect(doctor.standardOutput.components(separatedBy: "✓").count >= 5)

        let before = installed.bytes(installed.settings)
        #expect(try installed.run(["install"]).status == 0)
        #expect(installed.bytes(installed.settings) == before, "a second install leaves the file byte-identical")

        #expect(try installed.run(["verify"]).status == 0)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: installed.binary))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data([0x00]))
        try handle.close()
        let tampered = try installed.run(["verify"])
        #expect(tampered.status != 0)
        #expect(tampered.standardError.hasPrefix("toolguard: "))
        #expect(try installed.run(["doctor"]).status != 0)

        let uninstall = try installed.run(["uninstall"])
        #expect(uninstall.status == 0, "\(uninstall.standardError)")
        let after = try JSONValue.parse(String(decoding: installed.bytes(installed.settings)!, as: UTF8.self))
        #expect(after == (try JSONValue.parse(original)), "uninstall leaves only what was there before")
        #expect(!FileManager.default.fileExists(atPath: installed.workspace.home + "/.config/toolguard/pin.json"))
    }

    @Test func brokenSettingsAreRefusedAndLeftUntouched() throws {
        let installed = try Installed()
        defer { installed.workspace.remove() }
        try FileManager.default.createDirectory(
            atPath: installed.workspace.home + "/.claude", withIntermediateDirectories: true)
        let broken = "{ \"model\": \"opus\", }\n"
        try broken.write(toFile: installed.settings, atomically: false, encoding: .utf8)
        let result = try installed.run(["install"])
        #expect(result.status != 0)
        #expect(result.standardError.hasPrefix("toolguard: "))
        #expect(result.standardError.contains(installed.settings))
        #expect(installed.bytes(installed.settings) == Data(broken.utf8))
        #expect(!FileManager.default.fileExists(atPath: installed.workspace.home + "/.config/toolguard/pin.json"))
    }

    @Test func projectScopeAndUninstallOfAnEmptyInstall() throws {
        let installed = try Installed()
        defer { installed.workspace.remove() }
        #expect(try installed.run(["install", "--scope", "project"]).status == 0)
        let path = installed.workspace.project + "/.claude/settings.json"
        #expect(FileManager.default.fileExists(atPath: path))
        #expect(try installed.run(["uninstall"]).status == 0)
        #expect(
            !FileManager.default.fileExists(atPath: path), "a file install created, holding nothing else, is removed")
        #expect(try installed.run(["install", "--scope", "nowhere"]).status == 64)
    }

    @Test func denyRulesPrintAJSONArrayOfPermissionRules() throws {
        let installed = try Installed()
        defer { installed.workspace.remove() }
        let result = try installed.run(["deny-rules"])
        let rules = try #require(try JSONValue.parse(result.standardOutput).arrayValue)
        #expect(!rules.isEmpty)
        for rule in rules { #expect(rule.stringValue.flatMap(PermissionRule.init) != nil) }
    }
}

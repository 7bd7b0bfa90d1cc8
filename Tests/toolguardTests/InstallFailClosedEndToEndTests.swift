import Foundation
import GuardKit
import Testing

/// Issue 14 §4, install's side: the handlers it writes fail closed and name their agent, doctor checks them,
/// uninstall still removes the older format, and the backup of the settings from before install survives.
@Suite struct InstallFailClosedEndToEnd {
    typealias Installed = LayersEndToEnd.Installed

    func settings(_ installed: Installed) throws -> JSONValue {
        try JSONValue.parse(String(decoding: installed.bytes(installed.settings)!, as: UTF8.self))
    }

    func handlers(_ settings: JSONValue) -> [JSONValue] {
        (settings["hooks"]?["PreToolUse"]?.arrayValue ?? []).flatMap { $0["hooks"]?.arrayValue ?? [] }
    }

    func write(_ text: String, to path: String) throws {
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: false, encoding: .utf8)
    }

    @Test func installWritesTheAgentATimeoutAndOnFailureBlock() throws {
        let installed = try Installed()
        defer { installed.workspace.remove() }
        #expect(try installed.run(["install"]).status == 0)
        let written = handlers(try settings(installed))
        #expect(written.count == 2)
        for handler in written {
            #expect(handler["command"]?.stringValue == installed.binary + " hook --agent claude")
            #expect(handler["onFailure"]?.stringValue == "block")
            #expect((handler["timeout"]?.doubleValue ?? 0) > 0)
        }
        // What install registered really runs: a blocked command through that exact command line.
        let command = try #require(written.first?["command"]?.stringValue)
        let shell = try Binary.run(
            ["-c", command], input: installed.workspace.hookInput("pip install requests"),
            environment: installed.workspace.environment, executable: "/bin/sh")
        #expect(shell.status == 2)
    }

    @Test func doctorFlagsTheOlderFormatAndInstallUpgradesIt() throws {
        let installed = try Installed()
        defer { installed.workspace.remove() }
        let old = installed.binary + " hook"
        let older = """
            {"hooks":{"PreToolUse":[
              {"matcher":"Bash","hooks":[{"type":"command","command":"\(old)"}]},
              {"matcher":"Write|Edit|MultiEdit","hooks":[{"type":"command","command":"\(old)","timeout":30}]}]}}
            """
        try write(older, to: installed.settings)
        #expect(try installed.run(["pin"]).status == 0)
        let doctor = try installed.run(["doctor"])
        #expect(doctor.status != 0)
        #expect(doctor.standardOutput.contains("lack `--agent claude`, a `timeout`, `\"onFailure\": \"block\"`"))
        #expect(doctor.standardOutput.contains("lets the command through"))

        #expect(try installed.run(["install"]).status == 0)
        let upgraded = handlers(try settings(installed))
        #expect(upgraded.count == 2, "the old handlers are updated in place, not duplicated")
        #expect(upgraded.allSatisfy { $0["onFailure"]?.stringValue == "block" })
        #expect(upgraded.allSatisfy { $0["command"]?.stringValue == installed.binary + " hook --agent claude" })
        #expect(upgraded[1]["timeout"]?.intValue == 30, "a timeout of the person's own is kept")
        let healthy = try installed.run(["doctor"])
        #expect(healthy.status == 0, "\(healthy.standardOutput)")
        #expect(healthy.standardOutput.contains("older than 2.1.295"))
    }

    @Test func uninstallRemovesEntriesOfTheOlderFormat() throws {
        let installed = try Installed()
        defer { installed.workspace.remove() }
        let older = """
            {"model":"opus","hooks":{"PreToolUse":[
              {"matcher":"Bash","hooks":[{"type":"command","command":"/usr/local/bin/toolguard hook"},
                                         {"type":"command","command":"/opt/mine"}]}]}}
            """
        try write(older, to: installed.settings)
        #expect(try installed.run(["uninstall", "--scope", "user"]).status == 0)
        let after = try settings(installed)
        #expect(handlers(after).compactMap { $0["command"]?.stringValue } == ["/opt/mine"])
        #expect(after["model"]?.stringValue == "opus")
    }

    @Test func theBackupFromBeforeInstallSurvivesReinstallAndUninstall() throws {
        let installed = try Installed()
        defer { installed.workspace.remove() }
        let original = "{ \"model\": \"opus\",\n  \"env\": { \"A\": \"1\" } }\n"
        try write(original, to: installed.settings)
        let backup = installed.settings + ".bak"
        #expect(try installed.run(["install"]).status == 0)
        #expect(installed.bytes(backup) == Data(original.utf8), "the bytes as they were, not re-serialised")
        #expect(try installed.run(["install"]).status == 0)
        #expect(installed.bytes(backup) == Data(original.utf8))
        // A person edits the installed file; install again (a change: a deny rule was removed by hand).
        var edited = try settings(installed)
        if case .object(var root) = edited, case .object(var permissions)? = root["permissions"],
            case .array(var deny)? = permissions["deny"]
        {
            deny.removeLast()
            permissions["deny"] = .array(deny)
            root["permissions"] = .object(permissions)
            edited = .object(root)
        }
        try write(edited.serialized(style: .pretty(indent: 2), trailingNewline: true), to: installed.settings)
        #expect(try installed.run(["install"]).status == 0)
        #expect(installed.bytes(backup) == Data(original.utf8))
        #expect(try installed.run(["uninstall"]).status == 0)
        #expect(installed.bytes(backup) == Data(original.utf8), "uninstall keeps the backup from before install")
        let mode = try FileManager.default.attributesOfItem(atPath: backup)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test func concurrentInstallsBackUpTheOriginal() throws {
        for _ in 0..<6 {
            let installed = try Installed()
            defer { installed.workspace.remove() }
            let original = "{\"model\": \"opus\"}\n"
            try write(original, to: installed.settings)
            var environment = installed.workspace.environment
            environment["PATH"] = "/usr/bin:/bin"
            let processes = (0..<3).map { _ in
                let process = Foundation.Process()
                process.executableURL = URL(fileURLWithPath: installed.binary)
                process.arguments = ["install"]
                process.environment = environment
                process.standardOutput = FileHandle.nullDevice
                process.standardError = FileHandle.nullDevice
                return process
            }
            for process in processes { try process.run() }
            for process in processes { process.waitUntilExit() }
            #expect(processes.allSatisfy { $0.terminationStatus == 0 })
            #expect(installed.bytes(installed.settings + ".bak") == Data(original.utf8))
            #expect(handlers(try settings(installed)).count == 2)
        }
    }

    @Test func temporaryFilesOfAKilledInstallAreCleanedUp() throws {
        let installed = try Installed()
        defer { installed.workspace.remove() }
        let directory = installed.workspace.home + "/.claude"
        let state = installed.workspace.home + "/.local/state/toolguard"
        let stale = [
            directory + "/.settings.json.tmp.Ab12Cd", directory + "/.settings.json.bak.tmp.xY9zQ1",
            state + "/.claude-installs.json.tmp.q1w2e3",
        ]
        let unrelated = [directory + "/.settings.json.tmp.notours", directory + "/notes.txt"]
        for path in stale + unrelated { try write("{", to: path) }
        #expect(try installed.run(["install"]).status == 0)
        for path in stale { #expect(!FileManager.default.fileExists(atPath: path), "\(path)") }
        for path in unrelated { #expect(FileManager.default.fileExists(atPath: path), "\(path)") }
        try write("{", to: stale[0])
        #expect(try installed.run(["uninstall"]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: stale[0]))
    }
}

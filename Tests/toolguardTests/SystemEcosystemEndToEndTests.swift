import Foundation
import GuardKit
import Testing

/// Issue 11: `system` is off by default and on where a config file enables it; `status` says which and why.
@Suite struct SystemEcosystemEndToEnd {
    func write(_ text: String, to path: String) throws {
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: false, encoding: .utf8)
    }

    func systemLine(_ workspace: Workspace) throws -> String {
        let status = try Binary.run(["status", workspace.project], environment: workspace.environment)
        #expect(status.status == 0, "\(status.standardError)")
        return String(status.standardOutput.split(separator: "\n").first { $0.contains(" system ") } ?? "")
    }

    @Test func offByDefaultOnWhereARepoFileEnablesIt() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        #expect(try systemLine(workspace).contains("off  system    built-in default"))
        #expect(try workspace.hook("apt-get install -y curl").status == 0)
        // Enabling is tightening: a repo file needs no trust to switch it on.
        try write("{\"enable\": [\"system\"]}\n", to: workspace.project + "/.toolguard.json")
        #expect(try systemLine(workspace).contains("on   system    repo file"))
        let blocked = try workspace.hook("apt-get install -y curl")
        #expect(blocked.status == 2)
        #expect(blocked.standardOutput.contains("docker run --rm"))
    }

    @Test func onWhereTheUserConfigEnablesIt() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try write("{\"enable\": [\"python\", \"system\"]}\n", to: workspace.home + "/.config/toolguard/config.json")
        #expect(try systemLine(workspace).contains("on   system    user config"))
        #expect(try workspace.hook("brew install jq").status == 2)
    }
}

import Ecosystems
import Foundation
import GuardKit
import Testing

/// Issue 12 §5: the conventions people expect from a command line.
@Suite struct CommandLineEndToEnd {
    static let commands = [
        "hook", "explain", "status", "trust", "untrust", "deny-rules", "install", "uninstall", "pin", "verify",
        "doctor", "log", "audit", "allow", "help", "version", "rules",
    ]

    @Test(arguments: commands)
    func everyCommandHasHelp(_ command: String) throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let viaHelp = try Binary.run(["help", command], environment: workspace.environment)
        #expect(viaHelp.status == 0)
        #expect(viaHelp.standardOutput.hasPrefix("usage: toolguard \(command)"))
        #expect(try Binary.run(["help"], environment: workspace.environment).standardOutput.contains("  \(command) "))
        guard command != "hook" else { return }  // hook --help only at a terminal: see AgentHooksEndToEnd
        let viaFlag = try Binary.run([command, "--help"], environment: workspace.environment)
        #expect(viaFlag.status == 0)
        #expect(viaFlag.standardOutput == viaHelp.standardOutput)
    }

    @Test(arguments: [
        ["doctor", "extra"], ["pin", "extra"], ["rules", "x"], ["rules", "--jsn"], ["verify", "x"],
        ["deny-rules", "x"], ["install", "x"],
        ["uninstall", "--scope", "user", "x"], ["status", "a", "b"], ["trust", "a", "b"], ["install", "--bogus"],
        ["status", "--jsn"], ["explain", "a", "b"], ["help", "nonsense"], ["version", "x"], ["install", "--scope"],
        ["explain", "--cwd", "/nonexistent/dir", "ls"], ["status", "/nonexistent/dir"],
        ["explain", "--cwd=/nonexistent/dir", "ls"],
    ])
    func everyUnknownOrExtraArgumentIsAUsageError(_ arguments: [String]) throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let result = try Binary.run(arguments, environment: workspace.environment, directory: workspace.project)
        #expect(result.status == 64, "\(arguments): \(result.standardOutput)")
        #expect(result.standardError.hasPrefix("toolguard: "))
        #expect(result.standardError.contains(" — "))
        #expect(result.standardOutput.isEmpty)
    }

    @Test func rulesListsEveryRuleOnce() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let expected =
            builtInEcosystems.flatMap { module in module.rules.map { (module.id, $0) } }
            + ShellRules.all.map { (ShellRules.ecosystem, $0) }
            + SelfProtection.all.map { (SelfProtection.ecosystem, $0) }
        let result = try Binary.run(["rules", "--json"], environment: workspace.environment)
        #expect(result.status == 0)
        #expect(result.standardError.isEmpty)
        let listing = try JSONValue.parse(result.standardOutput)
        #expect(listing["schema"]?.intValue == 1)
        let rules = listing["rules"]?.arrayValue ?? []
        #expect(rules.count == expected.count)
        #expect(Set(rules.compactMap { $0["id"]?.stringValue }).count == rules.count, "an id is listed twice")
        for (row, (ecosystem, rule)) in zip(rules, expected) {
            #expect(row["id"]?.stringValue == rule.id)
            #expect(row["ecosystem"]?.stringValue == ecosystem)
            #expect(row["verdict"]?.stringValue == rule.verdict.description)
            #expect(row["summary"]?.stringValue == rule.summary)
            #expect(rule.id.hasPrefix(ecosystem + "."), "\(rule.id) is not named after \(ecosystem)")
            #expect(!rule.summary.isEmpty && !rule.summary.contains("\n"), "\(rule.id): one line")
        }

        let text = try Binary.run(["rules"], environment: workspace.environment)
        #expect(text.status == 0)
        let lines = text.standardOutput.split(separator: "\n")
        for (_, rule) in expected {
            #expect(lines.contains { $0.hasPrefix("  \(rule.verdict)") && $0.contains(" \(rule.id) ") }, "\(rule.id)")
        }
        for module in builtInEcosystems {
            #expect(lines.contains("\(module.id) — \(module.summary)"))
        }
    }

    @Test func versionNamesTheRelease() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        for arguments in [["--version"], ["version"]] {
            let result = try Binary.run(arguments, environment: workspace.environment)
            #expect(result.status == 0)
            #expect(result.standardOutput.hasPrefix("toolguard "))
            #expect(result.standardOutput.split(separator: "\n").count == 1)
        }
    }

    @Test func statusAndDoctorSpeakJSON() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let status = try Binary.run(["status", "--json", workspace.project], environment: workspace.environment)
        #expect(status.status == 0)
        let report = try JSONValue.parse(status.standardOutput)
        #expect(report["schema"]?.intValue == 1)
        #expect(report["directory"]?.stringValue == workspace.project)
        #expect(report["projectRoot"]?.stringValue == workspace.project)
        #expect((report["ecosystems"]?.arrayValue?.count ?? 0) > 0)

        let doctor = try Binary.run(["doctor", "--json"], environment: workspace.environment)
        #expect(doctor.status == 6, "nothing is installed")
        let checks = try JSONValue.parse(doctor.standardOutput)
        #expect(checks["healthy"] == .bool(false))
        #expect((checks["checks"]?.arrayValue ?? []).contains { $0["passed"] == .bool(false) })
    }

    @Test func explainPrintsConfigurationErrorsToStandardError() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let config = workspace.home + "/.config/toolguard/config.json"
        try FileManager.default.createDirectory(
            atPath: workspace.home + "/.config/toolguard", withIntermediateDirectories: true)
        try "{ not json".write(toFile: config, atomically: false, encoding: .utf8)
        let result = try Binary.run(
            ["explain", "--json", "--cwd", workspace.project, "ls"], environment: workspace.environment)
        #expect(result.standardError.contains(config))
        #expect(!result.standardOutput.contains(config))
        #expect(try JSONValue.parse(result.standardOutput)["verdict"]?.stringValue == "pass")
    }
}

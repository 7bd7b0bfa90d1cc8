import Ecosystems
import GuardKit
import Testing

/// Layer 1 (SPEC §9): a deny pattern must never deny a command the hook allows or passes. Every pattern of
/// every module is matched, the way Claude Code matches, against every allowed and passed example.
@Suite struct DenyRuleTests {
    static let rules: [PermissionRule] = builtInEcosystems.flatMap(\.denyPatterns).compactMap(PermissionRule.init)

    @Test func everyPatternIsAValidPermissionRule() {
        let patterns = builtInEcosystems.flatMap(\.denyPatterns)
        #expect(Self.rules.count == patterns.count)
        for pattern in patterns { #expect(pattern.hasPrefix("Bash("), "\(pattern)") }
    }

    static let harmless = ExampleCorpus.all.filter { example in
        (example.verdict == .allow || example.verdict == .pass)
            && (ExampleCorpusTests.engineCorpora.contains(example.ecosystem)
                || builtInEcosystems.contains { $0.id == example.ecosystem })
    }

    @Test(arguments: harmless)
    func noPatternDeniesAnAllowedOrPassedCommand(_ example: Example) throws {
        let fixture = try Fixture(example.fixtures)
        defer { fixture.remove() }
        let command = fixture.substitute(example.command)
        for rule in Self.rules {
            #expect(
                !rule.matches(bashCommand: command),
                "\(rule) would deny `\(command)`, which toolguard \(example.verdict)s",
                sourceLocation: example.sourceLocation)
        }
    }

    /// The patterns are not empty promises: each one denies the blocked examples it was written for.
    @Test func everyPatternDeniesSomeBlockedExample() throws {
        let blocked = ExampleCorpus.all.filter { $0.verdict == .block }
        for rule in Self.rules {
            let commands = blocked.map { $0.command }
            #expect(commands.contains { rule.matches(bashCommand: $0) }, "\(rule) matches no blocked example")
        }
    }
}

import Ecosystems
import GuardKit
import Testing

/// Every example of every ecosystem module, judged exactly as the hook judges a command.
@Suite struct ExampleCorpusTests {
    static let judge = CommandJudge(ecosystems: builtInEcosystems)

    @Test("the corpus is not empty, and every module has examples")
    func corpusCoversEveryModule() {
        let ecosystems = Set(ExampleCorpus.all.map(\.ecosystem))
        for module in builtInEcosystems {
            #expect(ecosystems.contains(module.id), "no examples for \(module.id)")
        }
    }

    /// Examples of the registered modules; a corpus written ahead of its module waits for it.
    static let examples = ExampleCorpus.all.filter { example in
        builtInEcosystems.contains { $0.id == example.ecosystem }
    }

    @Test(arguments: examples)
    func example(_ example: Example) throws {
        let location = SourceLocation(
            fileID: "ecosystems/\(example.ecosystem)/examples.txt", filePath: example.file, line: example.line,
            column: 1)
        #expect(example.rule != "malformed-line", "malformed example line", sourceLocation: location)
        let fixture = try Fixture(example.fixtures)
        defer { fixture.remove() }
        let command = fixture.substitute(example.command)
        let report = Self.judge.judge(command, directory: fixture.directory, environment: fixture.environment)
        let decisive = report.decisiveFinding
        #expect(
            report.verdict == example.verdict,
            "\(command)\n  expected \(example.verdict), got \(report.verdict) (\(decisive?.rule ?? "no rule")): \(decisive?.reason ?? "")",
            sourceLocation: location)
        if let rule = example.rule {
            #expect(
                decisive?.rule == rule, "\(command)\n  expected rule \(rule), got \(decisive?.rule ?? "none")",
                sourceLocation: location)
        }
        for expected in example.fixContains {
            #expect(
                decisive?.fix?.contains(fixture.substitute(expected)) == true,
                "\(command)\n  fix `\(decisive?.fix ?? "none")` does not contain `\(expected)`",
                sourceLocation: location)
        }
        if report.verdict == .block {
            let fix = try #require(decisive?.fix, "\(command)\n  a block carries a fix", sourceLocation: location)
            // SPEC §2: a fix is never a command toolguard would block. Judging writes nothing, so the
            // same fixture serves.
            let fixReport = Self.judge.judge(fix, directory: fixture.directory, environment: fixture.environment)
            #expect(
                fixReport.verdict != .block,
                "\(command)\n  its fix `\(fix)` is itself blocked: \(fixReport.decisiveFinding?.reason ?? "")",
                sourceLocation: location)
        }
    }
}

import Ecosystems
import GuardKit
import Testing

/// Every example of every ecosystem module, judged exactly as the hook judges a command.
@Suite struct ExampleCorpusTests {
    /// The corpus directories that hold no module's examples: the engine's own rules — the reader's
    /// (`shell`) and self-protection's (`toolguard`).
    static let engineCorpora: Set<String> = [ShellRules.ecosystem, SelfProtection.ecosystem]

    /// The judge the hook builds in a fixture: every module, and self-protection for the fixture's home,
    /// its project and the installed binary at `{home}/.local/bin/toolguard`.
    /// The modules are those the fixture's configuration enables (SPEC §8): every default-on module, and
    /// an off-by-default one (`system`) where the user config or the repo file turns it on.
    static func judge(in fixture: Fixture) -> CommandJudge {
        let locations = Locations(environment: fixture.environment)
        let paths = ProtectedPaths(
            locations: locations, installedBinary: fixture.installedBinary, projectDirectories: [fixture.project])
        let configuration = Configuration.resolve(
            builtIn: builtInEcosystems.map(\.id), offByDefault: offByDefault, locations: locations,
            projectRoot: fixture.project)
        return CommandJudge(
            ecosystems: builtInEcosystems.filter { configuration.isEnabled($0.id) },
            protection: SelfProtection(paths: paths),
            projectMarkers: CommandJudge.projectMarkers(for: builtInEcosystems))
    }

    static let offByDefault = Set(builtInEcosystems.filter { !$0.isEnabledByDefault }.map(\.id))

    @Test("every corpus directory is a module's id or an engine corpus")
    func corpusDirectoriesAreKnown() {
        let known = Set(builtInEcosystems.map(\.id)).union(Self.engineCorpora)
        for directory in ExampleCorpus.directories {
            #expect(known.contains(directory), "ecosystems/\(directory) is no module's id: misspelled?")
        }
    }

    @Test("the corpus is not empty, and every module has examples")
    func corpusCoversEveryModule() {
        let ecosystems = Set(ExampleCorpus.all.map(\.ecosystem))
        for module in builtInEcosystems {
            #expect(ecosystems.contains(module.id), "no examples for \(module.id)")
        }
    }

    @Test("every rule is named by an example: its documentation and its test")
    func everyRuleIsNamedByAnExample() {
        let named = Set(ExampleCorpus.all.compactMap(\.rule))
        let rules = builtInEcosystems.flatMap(\.rules) + ShellRules.all + SelfProtection.all
        for rule in rules {
            #expect(named.contains(rule.id), "no example names \(rule.id)")
        }
    }

    @Test("the fixture's versioned program names are registry programs under another spelling")
    func versionedSpellingsAreRegistryPrograms() {
        let programs = Set(builtInEcosystems.flatMap(\.programs))
        for name in Fixture.versionedSpellings {
            #expect(programs.contains(ProgramName.normalize(name)), "\(name) names no module's program")
        }
    }

    /// Examples of the registered modules; a corpus written ahead of its module waits for it.
    static let examples = ExampleCorpus.all.filter { example in
        engineCorpora.contains(example.ecosystem) || builtInEcosystems.contains { $0.id == example.ecosystem }
    }

    @Test(arguments: examples)
    func example(_ example: Example) throws {
        let location = example.sourceLocation
        #expect(example.rule != "malformed-line", "malformed example line", sourceLocation: location)
        let fixture = try Fixture(example.fixtures)
        defer { fixture.remove() }
        let command = fixture.substitute(example.command)
        let judge = Self.judge(in: fixture)
        // Judged as the hook judges it: without keeping the reading, so repeated commands are walked once.
        let report = judge.judge(
            command, directory: fixture.directory, environment: fixture.environment, tracing: false)
        let decisive = report.decisiveFinding
        // explain walks every command and keeps the reading: it must say what the hook says.
        let explained = judge.judge(command, directory: fixture.directory, environment: fixture.environment)
        #expect(
            explained.verdict == report.verdict && explained.decisiveFinding?.rule == decisive?.rule,
            "\(command)\n  explain says \(explained.verdict) (\(explained.decisiveFinding?.rule ?? "-")), the hook \(report.verdict)",
            sourceLocation: location)
        // A repeat walked once (the hook) is judged as a repeat walked twice (explain).
        let twice = command.contains("\n") ? command + "\n" + command : command + "; " + command
        let repeatedOnce = judge.judge(
            twice, directory: fixture.directory, environment: fixture.environment, tracing: false)
        let repeatedTwice = judge.judge(twice, directory: fixture.directory, environment: fixture.environment)
        #expect(
            repeatedOnce.verdict == repeatedTwice.verdict,
            "\(twice)\n  walking a repeat once gives \(repeatedOnce.verdict), twice \(repeatedTwice.verdict)",
            sourceLocation: location)
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
        // Derived variants, as SwiftLint derives its examples: the same command run through another shell or
        // after a round trip of the directory is judged the same, and a command quoted as data runs nothing.
        if !command.contains("'") {
            if example.verdict == .block {
                for variant in ["bash -c '\(command)'", "cd .. && cd - && \(command)"] {
                    let derived = judge.judge(variant, directory: fixture.directory, environment: fixture.environment)
                    #expect(
                        derived.verdict == .block, "\(variant)\n  expected block, got \(derived.verdict)",
                        sourceLocation: location)
                }
            }
            if example.verdict == .pass {
                let variant = "echo '\(command)'"
                let derived = judge.judge(variant, directory: fixture.directory, environment: fixture.environment)
                #expect(
                    derived.verdict == .pass, "\(variant)\n  expected pass, got \(derived.verdict)",
                    sourceLocation: location)
            }
        }
        if report.verdict == .block {
            let fix = try #require(decisive?.fix, "\(command)\n  a block carries a fix", sourceLocation: location)
            // SPEC §2: a fix is never a command toolguard would block. Judging writes nothing, so the
            // same fixture serves.
            let fixReport = judge.judge(fix, directory: fixture.directory, environment: fixture.environment)
            #expect(
                fixReport.verdict != .block,
                "\(command)\n  its fix `\(fix)` is itself blocked: \(fixReport.decisiveFinding?.reason ?? "")",
                sourceLocation: location)
        }
    }
}

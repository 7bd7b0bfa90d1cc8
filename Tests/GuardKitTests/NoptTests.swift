import GuardKit
import Testing

/// nopt's parse as the generic judge reads it: each setting with the argument it was written in, and a
/// parse that stops at the command word.
@Suite("Nopt") struct NoptTests {
    static let definitions = NoptDefinitions(
        kinds: ["global": .flag, "dir": .value(nullable: false), "loglevel": .text, "save-dev": .flag],
        shorthands: ["g": ["--global"], "C": ["--dir"], "D": ["--save-dev"], "s": ["--loglevel", "silent"]])

    static func arguments(_ words: String...) -> [Argument] {
        words.enumerated().map { Argument($0.element, span: $0.offset..<($0.offset + 1)) }
    }

    @Test func aShorthandIsRecordedWithTheArgumentItWasWrittenIn() {
        let parsed = Self.definitions.parse(Self.arguments("-gD", "add", "x"))
        #expect(parsed.occurrences.map(\.key) == ["global", "save-dev"])
        #expect(parsed.occurrences.allSatisfy { $0.written.text == "-gD" })
        #expect(parsed.positionals.map(\.text) == ["add", "x"])
    }

    @Test func anExpansionWithAValueKeepsItsWrittenArgument() {
        let parsed = Self.definitions.parse(Self.arguments("-s", "add"))
        #expect(parsed.occurrences.count == 1)
        #expect(parsed.occurrences[0].key == "loglevel")
        #expect(parsed.occurrences[0].written.text == "-s")
        #expect(parsed.occurrences[0].valueArgument?.text == "silent")
    }

    @Test func theLastSettingWins() {
        let parsed = Self.definitions.parse(Self.arguments("-g", "--no-global", "add"))
        #expect(parsed.occurrences.count == 2)
        guard case .flag(false)? = parsed.options["global"] else {
            Issue.record("global is not false")
            return
        }
    }

    @Test func aBooleanTakesAFollowingTrueOrFalse() {
        let parsed = Self.definitions.parse(Self.arguments("--global", "false", "x"))
        #expect(parsed.occurrences.first?.valueArgument?.text == "false")
        #expect(parsed.positionals.map(\.text) == ["x"])
    }

    @Test func aParseStopsAtTheFirstPositionalWhenAsked() {
        let parsed = Self.definitions.parse(Self.arguments("--dir=a", "add", "-g", "x"), stopsAtFirstPositional: true)
        #expect(parsed.occurrences.map(\.key) == ["dir"])
        #expect(parsed.occurrences.first?.written.text == "--dir=a")
        #expect(parsed.occurrences.first?.valueArgument?.text == "a")
        #expect(parsed.remainder.map(\.text) == ["add", "-g", "x"])
        #expect(parsed.positionals.map(\.text) == ["add"])
    }

    @Test func wordsAfterDoubleDashArePositionals() {
        let parsed = Self.definitions.parse(Self.arguments("-g", "--", "-D", "x"), stopsAtFirstPositional: true)
        #expect(parsed.afterDoubleDash.map(\.text) == ["-D", "x"])
        #expect(parsed.positionals.map(\.text) == ["-D", "x"])
        #expect(parsed.remainder.isEmpty)
    }

    @Test func anUnknownOptionIsRecordedAsUnknown() {
        let parsed = Self.definitions.parse(Self.arguments("--frozen", "add"))
        #expect(parsed.occurrences.map(\.isKnown) == [false])
    }
}

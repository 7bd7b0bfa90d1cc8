import Testing

@testable import GuardKit

/// A small deterministic generator (SplitMix64): the same seed gives the same inputs on every run.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct Robustness {
    static let fragments = [
        "pip", " install ", "x", "'", "\"", "$'", "\\", "`", "$(", ")", "(", "{", "}", ";", "&&", "||", "|", "&",
        "\n", "<<EOF\n", "EOF\n", "<<<", ">", "<(", "$((", "${", "${X:-", "#", "if ", "then ", "fi", "for ", "do ",
        "done", "case ", " in ", "esac", ";;", "sudo ", "bash -c ", "eval ", "xargs ", "env ", "=", "X=", "~", "[[",
        "]]", "\t", "é", "💥", "\u{0}",
    ]

    static let seeds: [UInt64] = Array(1...40)

    /// Generated and mutated command lines: the reader never crashes or hangs, and every span it reports
    /// lies inside the text.
    @Test(arguments: seeds)
    func generatedInputNeverBreaksTheReader(seed: UInt64) {
        var generator = SeededGenerator(state: seed)
        let judge = CommandJudge(ecosystems: [Recorder()])
        for _ in 0..<60 {
            var command = ""
            for _ in 0..<Int.random(in: 1...80, using: &generator) {
                command += Self.fragments.randomElement(using: &generator)!
            }
            let report = judge.judge(command, directory: "/w", environment: ["HOME": "/h"])
            let length = command.utf8.count
            for finding in report.findings {
                #expect(
                    finding.span.lowerBound >= 0 && finding.span.upperBound <= length, "\(command.debugDescription)")
            }
        }
    }

    /// Past the depth limit the reader stops, and a limit is a reason to be careful, never to pass: where bash
    /// would run the `pip install x` at the bottom, it is either judged (the recorder blocks every pip) or,
    /// left unread, asked about. Two openers never run it, and pass: `bash -c '` repeated pairs its quotes,
    /// so the outermost `bash -c` runs `bash -c bash` and `pip` is one of its positional parameters; an
    /// unclosed `${X:-…` is a syntax error in which `pip install x` is the default value's text, not a command.
    @Test(arguments: [
        ("(", true), ("$(", true), ("`", true), ("{ ", true), ("if true; then ", true), ("\"$(", true),
        ("<(", true), ("bash -c '", false), ("${X:-", false),
    ])
    func deepNestingIsBounded(_ opener: String, runsPip: Bool) {
        let command = String(repeating: opener, count: 20_000) + "pip install x"
        let report = CommandJudge(ecosystems: [Recorder()]).judge(command, directory: "/w", environment: [:])
        if runsPip {
            #expect(report.verdict >= .ask, "\(opener): \(report.findings.map(\.reason))")
        } else {
            #expect(report.verdict == .pass, "\(opener): \(report.findings.map(\.reason))")
        }
        #expect(report.findings.allSatisfy { $0.span.upperBound <= command.utf8.count })
    }

    @Test func veryLongWordsAndLines() {
        let word = String(repeating: "a", count: 1 << 20)
        let judge = CommandJudge(ecosystems: [Recorder()])
        #expect(judge.judge("probe " + word, directory: "/w", environment: [:]).findings.count == 1)
        #expect(judge.judge("echo '" + word, directory: "/w", environment: [:]).unreadable != nil)
    }

    @Test func nestedLoopsDoNotMultiplyWithoutBound() {
        let loop = "for x in a b c d e f g h i j k l m n o p; do "
        let command = String(repeating: loop, count: 12) + "probe $x" + String(repeating: "; done", count: 12)
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            _ = CommandJudge(ecosystems: [Recorder()]).judge(command, directory: "/w", environment: [:])
        }
        // A bound against blow-ups only (a debug build on a loaded 2-core machine); speed is measured by
        // scripts/bench.sh on the release binary.
        #expect(elapsed < .seconds(60))
    }

    @Test(arguments: ["a() ", "function a ", "a()\n"])
    func chainedFunctionDefinitionsAreBounded(_ unit: String) {
        let command = String(repeating: unit, count: 50_000) + "probe"
        let report = CommandJudge(ecosystems: [Recorder()]).judge(command, directory: "/w", environment: [:])
        #expect(report.unreadable != nil)
    }

    /// A 64 KB value re-read as code (or expanded) over and over costs a bounded multiple of the line.
    @Test(arguments: ["eval \"$X\"; ", "bash -c \"$X\"; ", "echo \"$X\" | sh; ", "probe $X; "])
    func valuesReusedManyTimesStayCheap(_ use: String) {
        let grow = "X=\"echo a;\"; " + String(repeating: "X=\"$X$X\"; ", count: 13)
        let command = grow + String(repeating: use, count: 3000)
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            _ = CommandJudge(ecosystems: [Recorder()]).judge(command, directory: "/w", environment: [:])
        }
        // A bound against blow-ups only (quadratic would be minutes); speed is measured by scripts/bench.sh.
        #expect(elapsed < .seconds(90), "\(use) took \(elapsed)")
    }

    @Test func exponentialVariableGrowthIsCapped() {
        let command = "X=ab; " + String(repeating: "X=$X$X; ", count: 64) + "probe $X"
        let report = CommandJudge(ecosystems: [Recorder()]).judge(command, directory: "/w", environment: [:])
        #expect(report.findings.count == 1)
    }

    /// Judging ten times the input takes about ten times as long: the reader is linear, not quadratic.
    @Test func timeGrowsLinearly() {
        let judge = CommandJudge(ecosystems: [Recorder()])
        let unit = "cd ../sub && X=$(probe \"a b\" 'c') ; echo x | grep y; "
        func cost(_ repetitions: Int) -> Duration {
            let command = String(repeating: unit, count: repetitions)
            let clock = ContinuousClock()
            var best = Duration.seconds(1000)
            for _ in 0..<3 {
                let elapsed = clock.measure { _ = judge.judge(command, directory: "/w", environment: [:]) }
                best = min(best, elapsed)
            }
            return best
        }
        let small = cost(500)
        let large = cost(5000)
        // In floating point: a loaded machine can take over 9.2 s, which overflows attoseconds in Int64.
        func seconds(_ duration: Duration) -> Double {
            Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
        }
        let ratio = seconds(large) / max(seconds(small), 1e-9)
        // Linear would be 10; allow generous noise, but a quadratic reader would be near 100.
        #expect(ratio < 30, "10× the input took \(ratio)× the time")
    }
}

/// Past the reading deadline (SPEC §6, §10: a slow hook is an open hook) the line is judged by its words: a
/// deadline already passed is the same path as one a megabyte line reaches, without depending on speed.
@Suite struct ReadingDeadline {
    static let paths = ProtectedPaths(
        locations: Locations(environment: ["HOME": "/h"]), installedBinary: "/h/.local/bin/toolguard",
        projectDirectories: [])
    static let judge = CommandJudge(ecosystems: [Recorder()], protection: SelfProtection(paths: paths))

    static func judged(_ command: String) -> Report {
        judge.judge(
            command, directory: "/w", environment: ["HOME": "/h"], tracing: false, deadline: Deadline(milliseconds: 0))
    }

    @Test("a guarded program anywhere in a line not read in time asks, whatever else the line holds")
    func guardedProgramAsks() {
        for command in ["pip install x", "echo a; echo b; pip install x", "c=pip; $c install x", "ls\nprobe"] {
            let report = Self.judged(command)
            #expect(report.verdict == .ask, "\(command): \(report.verdict)")
            #expect(report.decisiveFinding?.rule == ShellRules.unreadable.id)
            #expect(report.decisiveFinding?.reason.contains("too long to read in full") == true)
        }
    }

    @Test("a protected path or toolguard's own subcommands in a line not read in time ask")
    func protectedMentionAsks() {
        for command in [
            "rm ~/.claude/settings.json", "echo {} > /h/.cl''aude/settings.json", "toolguard trust",
            "x=tr; toolguard ${x}ust", "cp f /h/.local/bin/toolguard",
        ] {
            #expect(Self.judged(command).verdict == .ask, "\(command)")
        }
    }

    @Test("a line that names nothing guarded passes even when not read in time")
    func plainLinePasses() {
        for command in ["ls -la", "rm -f f0 f1 f2", "echo “done”", "git status && make -j4"] {
            #expect(Self.judged(command).verdict == .pass, "\(command)")
        }
    }

    @Test("versioned and typographically quoted spellings are still found")
    func spellingsFound() {
        for command in ["pip3.12 install x", "“pip” install x", "/usr/bin/pip-3 install", "PIP.EXE x"] {
            let report = Self.judged(command)
            #expect(report.verdict == .ask || command.hasPrefix("PIP"), "\(command)")
        }
        // ProgramName.normalize keeps case: `PIP.EXE` is not `pip` to the reader either.
        #expect(ProgramName.normalize("PIP.EXE") != "pip")
    }

    @Test("without a deadline, the same lines are read in full")
    func noDeadlineReadsEverything() {
        let report = Self.judge.judge("echo a; pip install x", directory: "/w", environment: ["HOME": "/h"])
        #expect(report.decisiveFinding?.rule == Recorder.seen.id)
    }
}

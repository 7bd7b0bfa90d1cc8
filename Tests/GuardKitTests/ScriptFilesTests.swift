import Glibc
import Testing

@testable import GuardKit

/// What a line runs from files (SPEC §3.1): findings name the file and line, limits are careful.
@Suite struct ScriptFiles {
    func judge(_ command: String, in directory: TemporaryDirectory) -> Report {
        CommandJudge(ecosystems: [Recorder()]).judge(
            command, directory: directory.file(""), environment: ["HOME": "/nonexistent-home", "PATH": "/usr/bin"])
    }

    @Test("a finding inside a script points at the command in the line and names the file and line")
    func findingNamesFileAndLine() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("setup.sh", "set -e\necho start\n  pip install -r requirements.txt\n")
        let command = "ls && bash setup.sh"
        let report = judge(command, in: directory)
        let finding = try #require(report.findings.first { $0.rule == "recorder.seen" })
        #expect(finding.reason.hasPrefix("setup.sh:3: pip install -r requirements.txt — "))
        #expect(finding.span == 6..<command.utf8.count)
        #expect(report.parts.contains { $0.notes.first == "setup.sh:3: pip install -r requirements.txt" })
    }

    @Test("scripts running scripts: the reason names each file and line")
    func nestedNames() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("a.sh", "echo a\nbash b.sh\n")
        try directory.write("b.sh", "pip install x\n")
        let finding = try #require(judge("bash a.sh", in: directory).findings.first { $0.rule == "recorder.seen" })
        #expect(finding.reason.hasPrefix("a.sh:2: bash b.sh — b.sh:1: pip install x — "))
        #expect(finding.span == 0..<9)
    }

    @Test("a makefile recipe line is named by its line in the makefile")
    func makefileLine() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("Makefile", "# tools\nPIP ?= pip\n\ninstall:\n\t@echo go\n\t$(PIP) install x\n")
        let finding = try #require(judge("make install", in: directory).findings.first { $0.rule == "recorder.seen" })
        #expect(finding.reason.hasPrefix("Makefile:6: pip install x — "))
    }

    @Test("past the 1 MB read limit, the unread rest of a script asks")
    func byteLimit() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let line = "echo harmless line of a long generated script\n"
        try directory.write("big.sh", String(repeating: line, count: (FileRuns.maximumBytes / line.utf8.count) + 10))
        let report = judge("bash big.sh", in: directory)
        #expect(report.verdict == .ask)
        #expect(report.findings.contains { $0.rule == ShellRules.unreadable.id && $0.reason.contains("big.sh") })
    }

    @Test("a FIFO is never opened for a blocking read; running it asks")
    func fifo() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        #expect(mkfifo(directory.file("pipe.sh"), 0o644) == 0)
        let report = judge("bash pipe.sh", in: directory)
        #expect(report.verdict == .ask)
        #expect(report.findings.first?.rule == ShellRules.unreadable.id)
    }

    @Test("each file is read once per line, however often it runs")
    func readOnce() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("s.sh", "echo hi\n")
        var evaluator = Evaluator(
            judge: CommandJudge(ecosystems: [Recorder()]), source: [], directory: directory.file(""),
            environment: [:], tracing: false)
        let path = directory.file("s.sh")
        _ = evaluator.diskText(path)
        try directory.write("s.sh", "pip install x\n")
        #expect(evaluator.diskText(path)?.bytes == Array("echo hi\n".utf8))
        #expect(evaluator.fileRuns.bytesLeft == FileRuns.maximumBytes - 8)
    }

    @Test("reading, printing or linting a script runs nothing")
    func commonPathReadsNothing() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("setup.sh", "pip install x\n")
        let report = judge("cat setup.sh && echo bash setup.sh && shellcheck setup.sh", in: directory)
        #expect(report.verdict == .pass)
    }
}

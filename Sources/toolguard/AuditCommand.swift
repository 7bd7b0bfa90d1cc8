import Ecosystems
import GuardKit

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// `toolguard audit [--json] [PATH…]`: the global installs agents and people already made (SPEC §12).

/// The note every text report carries: the judgement is today's.
let auditCaveat =
    "judged as the hook would judge them today: today's file system, PATH and configuration stand in for the ones at the time"

func runAudit(_ arguments: ArraySlice<String>) -> Int32 {
    var json = false
    var paths: [String] = []
    var rest = arguments
    while let argument = rest.popFirst() {
        if argument == "--json" {
            json = true
        } else if argument == "--" {
            paths += rest.map(absolute)
            rest = []
        } else if argument.hasPrefix("-"), argument.count > 1 {
            fail("unknown option \(argument) for audit — see 'toolguard help'", status: ExitStatus.usage)
        } else {
            paths.append(absolute(argument))
        }
    }
    guard let locations = Locations(environment: environment) else {
        fail("no home directory — set HOME", status: ExitStatus.usage)
    }
    let explicit = !paths.isEmpty
    if !explicit { paths = Audit.defaultPaths(locations: locations, environment: environment) }
    var files: [String] = []
    for path in paths {
        let found = Audit.files(under: path)
        if found.isEmpty, explicit {
            fail("cannot read \(path): no such file, or no .jsonl or history file in it", status: ExitStatus.usage)
        }
        files += found
    }

    let audit = Audit(builtIn: builtInEcosystems, environment: environment, fallbackDirectory: locations.home)
    var result = Audit.Result()
    var judges = Audit.Judges()
    var malformed: [(String, Int)] = []
    var blockedThen = 0
    var historyFiles = 0
    let showsProgress = Process.isTerminal(2)
    var lastProgress = Timestamp.now()
    var progressShown = false
    for file in files {
        let bytes: [UInt8]
        do { bytes = try FileIO.readBytes(atPath: file, maximumByteCount: 1 << 32) } catch {
            Process.err("toolguard: skipped \(file): \(error)\n")
            continue
        }
        let records = CommandRecords.read(bytes, source: file)
        if CommandRecords.format(of: bytes) != .jsonLines, !records.commands.isEmpty { historyFiles += 1 }
        if records.malformed > 0 { malformed.append((file, records.malformed)) }
        blockedThen += records.blockedThen
        audit.judge(records.commands, into: &result, judges: &judges) { count, found in
            guard showsProgress, Timestamp.now() != lastProgress else { return }
            lastProgress = Timestamp.now()
            progressShown = true
            Process.err("\rtoolguard audit: \(count) commands judged, \(found) findings…")
        }
    }
    if progressShown { Process.err("\r\u{1B}[K") }
    for (file, count) in malformed {
        Process.err("toolguard: skipped \(count) malformed line(s) in \(file)\n")
    }
    if json {
        Process.out(Audit.json(result))
    } else {
        Process.out(auditText(result, files: files.count, historyFiles: historyFiles, blockedThen: blockedThen))
    }
    return result.findings.isEmpty ? ExitStatus.success : ExitStatus.blocked
}

func auditText(_ result: Audit.Result, files: Int, historyFiles: Int, blockedThen: Int) -> String {
    var text = "toolguard audit: \(result.commands) commands from \(files) file(s), \(auditCaveat).\n"
    if historyFiles > 0 {
        text += "Shell histories record no directory: their commands are judged from the home directory.\n"
    }
    if blockedThen > 0 {
        text += "\(blockedThen) command(s) the hook blocked at the time are left out: they never ran.\n"
    }
    guard !result.findings.isEmpty else {
        return text + "No global install or removal found.\n"
    }
    text += "\(result.findings.count) global install(s) or removal(s) went through (or would have needed asking):\n"
    for finding in result.findings {
        let record = finding.record
        text += "\n\(record.source):\(record.line)"
        if let time = record.time { text += "  \(Timestamp.iso(time))" }
        text += "  in \(finding.directory)\n"
        text += "  \(record.command)\n"
        text += "  \(finding.verdict) \(finding.rule)\n"
        text += "  undo: \(finding.undo ?? "unknown — check what the command installed or removed")\n"
    }
    var byEcosystem: [String: (block: Int, ask: Int, undo: Int)] = [:]
    for finding in result.findings {
        var counts = byEcosystem[finding.ecosystem] ?? (0, 0, 0)
        if finding.verdict == .block { counts.block += 1 } else { counts.ask += 1 }
        if finding.undo != nil { counts.undo += 1 }
        byEcosystem[finding.ecosystem] = counts
    }
    text += "\nSummary by ecosystem:\n"
    let width = byEcosystem.keys.map(\.count).max() ?? 0
    for (ecosystem, counts) in byEcosystem.sorted(by: { $0.key < $1.key }) {
        let name = ecosystem + String(repeating: " ", count: width - ecosystem.count)
        text += "  \(name)  \(counts.block) blocked, \(counts.ask) asked, \(counts.undo) with an undo\n"
    }
    return text
}

import GuardKit

// `toolguard log [--json] [--since DURATION|DATE] [--limit N]`: what the hook decided (SPEC §12).

func runLog(_ arguments: ArraySlice<String>) -> Int32 {
    var json = false
    var since: Int?
    var limit: Int?
    var rest = arguments
    func value(_ option: String, _ argument: String) -> String {
        if argument.hasPrefix(option + "=") { return String(argument.dropFirst(option.count + 1)) }
        guard let next = rest.popFirst() else {
            fail("\(option) needs a value — see 'toolguard help'", status: ExitStatus.usage)
        }
        return next
    }
    while let argument = rest.popFirst() {
        if argument == "--json" {
            json = true
        } else if argument == "--since" || argument.hasPrefix("--since=") {
            let text = value("--since", argument)
            if let duration = Timestamp.parseDuration(text) {
                since = Timestamp.now() - duration
            } else if let date = Timestamp.parse(text) {
                since = date
            } else {
                fail(
                    "--since takes a duration (30m, 2h, 7d) or a date (2026-12-01, 2026-12-01T10:00:00Z), not '\(text)'",
                    status: ExitStatus.usage)
            }
        } else if argument == "--limit" || argument.hasPrefix("--limit=") {
            let text = value("--limit", argument)
            guard let count = Int(text), count >= 0 else {
                fail("--limit takes a number of entries, not '\(text)'", status: ExitStatus.usage)
            }
            limit = count
        } else {
            fail("unknown argument \(argument) for log — see 'toolguard help'", status: ExitStatus.usage)
        }
    }
    guard let locations = Locations(environment: environment) else {
        fail("no home directory — set HOME", status: ExitStatus.usage)
    }
    let log = DecisionLog(stateDirectory: locations.stateDirectory)
    let read: (entries: [DecisionLog.Entry], malformed: Int)
    do { read = try log.entries() } catch { fail("\(error) — check \(log.path)", status: ExitStatus.fileError) }
    if read.malformed > 0 {
        Process.err("toolguard: skipped \(read.malformed) malformed line(s) in \(log.path)\n")
    }
    var entries = read.entries
    if let since { entries = entries.filter { $0.time >= since } }
    if let limit { entries = Array(entries.suffix(limit)) }
    if json {
        let object: JSONValue = .object(["schema": 1, "decisions": .array(entries.map(\.json))])
        Process.out(object.serialized(style: .pretty(indent: 2), trailingNewline: true))
        return ExitStatus.success
    }
    if entries.isEmpty {
        Process.out("no decisions logged\(since == nil ? "" : " in that time") (\(log.path))\n")
        return ExitStatus.success
    }
    for entry in entries {
        var line = "\(Timestamp.iso(entry.time))  \(entry.kind.rawValue)"
        if let rule = entry.rule { line += "  \(rule)" }
        line += "  \(entry.agent)  in \(entry.directory)\n    \(entry.command)"
        if let code = entry.code, entry.kind == .block { line += "    (toolguard allow \(code))" }
        Process.out(line + "\n")
    }
    return ExitStatus.success
}

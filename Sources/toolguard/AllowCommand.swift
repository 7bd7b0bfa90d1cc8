import GuardKit

// `toolguard allow CODE | --command "…" [--cwd DIR]`: a person lets one blocked command through once
// (SPEC §12). Only at a terminal; self-protection keeps the agent from running it at all.

extension ExitStatus {
    /// `allow`: standard input is not a terminal, so no person is there (sysexits' EX_NOPERM).
    static let notAPerson: Int32 = 77
}

func runAllow(_ arguments: ArraySlice<String>) -> Int32 {
    var code: String?
    var command: String?
    var directory: String?
    var rest = arguments
    while let argument = rest.popFirst() {
        if argument == "--command" || argument == "--cwd" {
            guard let value = rest.popFirst() else {
                fail("\(argument) needs a value — see 'toolguard help'", status: ExitStatus.usage)
            }
            if argument == "--command" { command = value } else { directory = value }
        } else if argument.hasPrefix("--command=") {
            command = String(argument.dropFirst(10))
        } else if argument.hasPrefix("--cwd=") {
            directory = String(argument.dropFirst(6))
        } else if !argument.hasPrefix("-"), code == nil {
            code = argument
        } else {
            fail("unknown argument \(argument) for allow — see 'toolguard help'", status: ExitStatus.usage)
        }
    }
    guard (code == nil) != (command == nil) else {
        fail(
            "allow takes the code a block printed, or --command \"…\" — e.g. toolguard allow 7f3a2c",
            status: ExitStatus.usage)
    }
    guard Process.isTerminal(0) else {
        fail(
            "allow only works for a person at a terminal (standard input is not one) — run it yourself in a terminal",
            status: ExitStatus.notAPerson)
    }
    guard let locations = Locations(environment: environment) else {
        fail("no home directory — set HOME", status: ExitStatus.usage)
    }
    let log = DecisionLog(stateDirectory: locations.stateDirectory)
    let allowOnce = AllowOnce(stateDirectory: locations.stateDirectory)
    var target: (command: String, directory: String)
    if let command {
        target = (command, directory.map(absolute) ?? currentDirectory)
    } else {
        let code = code!.lowercased()
        let entries: [DecisionLog.Entry]
        do { entries = try log.entries().entries } catch {
            fail("\(error) — check \(log.path)", status: ExitStatus.fileError)
        }
        guard let blocked = entries.last(where: { $0.kind == .block && $0.code == code }) else {
            fail(
                "no blocked command with code \(code) in \(log.path) — check 'toolguard log', or use --command \"…\"",
                status: ExitStatus.usage)
        }
        target = (blocked.command, blocked.directory)
    }
    let now = Timestamp.now()
    do {
        let grant = try allowOnce.grant(command: target.command, directory: target.directory, now: now)
        try log.append(
            DecisionLog.Entry(
                time: now, agent: "person", directory: grant.directory, command: grant.command, kind: .granted,
                code: grant.code))
        Process.out(
            "allowed once, until \(Timestamp.iso(grant.expires)) (10 minutes), in \(grant.directory):\n    \(grant.command)\n"
        )
    } catch {
        fail("\(error) — check \(locations.stateDirectory)", status: ExitStatus.fileError)
    }
    return ExitStatus.success
}

import Ecosystems
import GuardKit

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// toolguard's command line: argument handling, I/O and exit statuses; the judging is GuardKit's.
let usage = """
    usage: toolguard hook                         judge Claude Code's PreToolUse input on stdin
           toolguard explain [--cwd DIR] [--json] (COMMAND | -)
                                                  show how a command is read and judged
           toolguard deny-rules                   print the deny rules (layer 1) as JSON
           toolguard help

    """

func fail(_ message: String, status: Int32) -> Never {
    Process.err("toolguard: \(message)\n")
    exit(status)
}

func runHook(environment: [String: String]) -> Int32 {
    let input = Process.readStandardInput()
    let request: ClaudeHook.Request
    do {
        request = try ClaudeHook.parse(input)
    } catch {
        // Unreadable input fails closed: exit 2 blocks the tool call.
        Process.err(error.description + "\n")
        return ExitStatus.hookBlocks
    }
    switch request {
    case .otherTool:
        return ExitStatus.success
    case .shell(let command, let directory):
        let judge = CommandJudge(ecosystems: builtInEcosystems)
        let report = judge.judge(
            command, directory: directory ?? Process.currentDirectory(), environment: environment, tracing: false)
        let answer = ClaudeHook.answer(for: report)
        Process.out(answer.standardOutput)
        Process.err(answer.standardError)
        return answer.exitStatus
    }
}

func runExplain(_ arguments: ArraySlice<String>, environment: [String: String]) -> Int32 {
    var directory: String?
    var json = false
    var command: String?
    var rest = arguments
    while let argument = rest.popFirst() {
        switch argument {
        case "--json": json = true
        case "--cwd":
            guard let value = rest.popFirst() else { fail("--cwd needs a directory — e.g. --cwd /path/to/repo", status: ExitStatus.usage) }
            directory = value
        case "-":
            command = String(decoding: Process.readStandardInput(), as: UTF8.self)
        case "--":
            command = rest.joined(separator: " ")
            rest = []
        default:
            if argument.hasPrefix("--cwd=") {
                directory = String(argument.dropFirst(6))
            } else if argument.hasPrefix("-"), argument.count > 1, command == nil {
                fail("unknown option \(argument) for explain — see 'toolguard help'", status: ExitStatus.usage)
            } else if command == nil {
                command = argument
            } else {
                fail("explain takes one command — quote it: toolguard explain \"pip install x\"", status: ExitStatus.usage)
            }
        }
    }
    guard let command else {
        fail("explain needs a command — e.g. toolguard explain \"pip install requests\"", status: ExitStatus.usage)
    }
    let current = Process.currentDirectory()
    let start = directory.map { $0.hasPrefix("/") ? Paths.normalize($0) : Paths.absolute($0, relativeTo: current) } ?? current
    let report = CommandJudge(ecosystems: builtInEcosystems).judge(command, directory: start, environment: environment)
    if json {
        Process.out(Explanation.json(report))
    } else {
        let colour = Process.isTerminal(1) && environment["NO_COLOR"] == nil
        Process.out(Explanation.text(report, directory: start, colour: colour))
    }
    switch report.verdict {
    case .block: return ExitStatus.blocked
    case .ask: return ExitStatus.asks
    case .allow, .pass: return ExitStatus.success
    }
}

func runDenyRules() -> Int32 {
    let rules = builtInEcosystems.flatMap(\.denyPatterns)
    Process.out(JSONValue.array(rules.map(JSONValue.string)).serialized(style: .pretty(indent: 2), trailingNewline: true))
    return ExitStatus.success
}

let arguments = CommandLine.arguments.dropFirst()
let environment = Process.environment()
let status: Int32
switch arguments.first {
case "hook": status = runHook(environment: environment)
case "explain": status = runExplain(arguments.dropFirst(), environment: environment)
case "deny-rules": status = runDenyRules()
case "help", "--help", "-h":
    Process.out(usage)
    status = ExitStatus.success
case nil:
    Process.err(usage)
    status = ExitStatus.usage
case let other?:
    fail("unknown command '\(other)' — run 'toolguard help'", status: ExitStatus.usage)
}
exit(status)

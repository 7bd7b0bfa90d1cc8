import GuardKit

// The command table: each subcommand's name, synopsis, help and the arguments it accepts, in one place, so
// that `help`, `help COMMAND`, `COMMAND --help` and the usage errors all come from the same entry. A new
// subcommand is one more entry here and one more case in main.swift's dispatch.

/// One subcommand of `toolguard`.
struct CommandSpec: Sendable {
    /// The name typed after `toolguard`.
    let name: String
    /// The arguments, as in a usage line: `[--cwd DIR] [--json] (COMMAND | -)`.
    let synopsis: String
    /// One line for `toolguard help`.
    let summary: String
    /// The paragraph `help COMMAND` adds.
    let details: String
    /// Options that take a value (`--cwd DIR`, also `--cwd=DIR`).
    var valueOptions: [String] = []
    /// Options without a value.
    var flags: [String] = []
    /// How many operands it takes at most.
    var maxOperands: Int = 0
    /// Whether the dispatcher checks the arguments; `hook` answers its own usage errors (it must fail closed).
    var checkedByDispatcher = true

    /// The help `help COMMAND` and `COMMAND --help` print.
    var help: String {
        "usage: toolguard \(name)\(synopsis.isEmpty ? "" : " " + synopsis)\n\n\(summary)\n\n\(details)\n"
    }
}

/// What the dispatcher found in a subcommand's arguments.
enum ArgumentCheck: Equatable {
    /// Run the command.
    case run
    /// Print its help.
    case help
    /// A usage error: the message.
    case usage(String)
}

enum CommandTable {
    static let agents = Agent.allCases.map(\.rawValue).joined(separator: "|")

    static let all: [CommandSpec] = [
        CommandSpec(
            name: "hook", synopsis: "[--agent AGENT]",
            summary: "Judge one agent hook input read from standard input, and answer in that agent's protocol.",
            details: """
                AGENT is \(agents) (default: told from the input's shape). Exits 0 or 2, nothing
                else: its own usage errors, a crash and its 5 s deadline are answered with the agent's deny.
                `--help` works only at a terminal (an agent would read help as "no decision").
                """,
            valueOptions: ["--agent"], checkedByDispatcher: false),
        CommandSpec(
            name: "explain", synopsis: "[--cwd DIR] [--json] (COMMAND | -)",
            summary: "Show how a command is read and judged: its parts, the rule, the verdict and the fix.",
            details: """
                --cwd DIR sets the starting directory (it must exist); - reads the command from standard input;
                -- ends the options. --json prints a stable, versioned object. Exit status: 0 the command would
                run (allow, pass), 1 blocked, 3 toolguard would ask, 64 usage error. Configuration errors go to
                standard error.
                """,
            valueOptions: ["--cwd"], flags: ["--json"], maxOperands: 1),
        CommandSpec(
            name: "status", synopsis: "[--json] [DIR]",
            summary: "The ecosystems in effect in DIR (default: here), where each setting comes from, and why.",
            details: "DIR must exist. Exit status 65 when a configuration file has an error.",
            flags: ["--json"], maxOperands: 1),
        CommandSpec(
            name: "trust", synopsis: "[DIR]",
            summary: "Let the project's .toolguard.json switch protection off (run by a person, never by the agent).",
            details:
                "Records the file's SHA-256; if it changes, its weakening parts stop applying until trusted again.",
            maxOperands: 1),
        CommandSpec(
            name: "untrust", synopsis: "[DIR]", summary: "Withdraw the trust given with toolguard trust.",
            details: "The repo file may still switch protection on; it can no longer switch it off.", maxOperands: 1),
        CommandSpec(
            name: "deny-rules", synopsis: "", summary: "Print the deny rules (layer 1) as a JSON array.",
            details: "Only patterns that are global in every context: they never deny what the hook allows."),
        CommandSpec(
            name: "rules", synopsis: "[--json]",
            summary: "List every rule: its id, ecosystem (or shell, toolguard), verdict and one-line summary.",
            details: """
                The id is what explain, the hook's reasons and the decision log name. --json prints
                {"schema": 1, "rules": [{"id", "ecosystem", "verdict", "summary"}]}.
                """,
            flags: ["--json"]),
        CommandSpec(
            name: "install", synopsis: "[--agent AGENT|all] [--scope user|project|local|managed]",
            summary:
                "Register the hook in an agent's own hook file (Claude Code: also the deny rules), then pin this binary.",
            details: """
                AGENT is \(agents) (default claude); all is every agent whose configuration directory exists
                under HOME (~/.claude, ~/.codex, ~/.gemini, ~/.cursor, ~/.copilot, ~/.codeium/windsurf). Files:
                claude ~/.claude/settings.json, codex ~/.codex/hooks.json, gemini ~/.gemini/settings.json, cursor
                ~/.cursor/hooks.json, copilot ~/.copilot/hooks/toolguard.json, windsurf
                ~/.codeium/windsurf/hooks.json; --scope project writes the project's own file instead. local
                (<repo>/.claude/settings.local.json) and managed (a drop-in in Claude Code's managed-settings
                directory, /etc/claude-code/managed-settings.d on Linux, which users cannot override; it needs
                root) are Claude Code's only. Every other key is kept; the write is atomic; the file from before
                the first install is kept beside it as .bak; a second run changes nothing; an invalid file is
                refused, changing nothing (exit 74). What the agent still needs (Codex: trust the hook in /hooks)
                is printed.
                """,
            valueOptions: ["--agent", "--scope"]),
        CommandSpec(
            name: "uninstall", synopsis: "[--agent AGENT|all] [--scope user|project|local|managed]",
            summary: "Remove exactly what install added (from every file it installed into, without --scope).",
            details: """
                AGENT as for install (default claude); all takes out every agent's recorded installation. A file
                left as it was before install is written back byte for byte from its backup. The pin is removed
                when no installation is left.
                """,
            valueOptions: ["--agent", "--scope"]),
        CommandSpec(
            name: "pin", synopsis: "", summary: "Record this binary's SHA-256 in the pin manifest (layer 3).",
            details: "The manifest is ~/.config/toolguard/pin.json."),
        CommandSpec(
            name: "verify", synopsis: "", summary: "Check the pinned binary against its SHA-256.",
            details: "Exit status 5 on a mismatch or when nothing is pinned."),
        CommandSpec(
            name: "doctor", synopsis: "[--agent AGENT|all] [--json]",
            summary: "Check each agent's hook, the pin, and self-test the installed hook on known commands.",
            details: """
                AGENT as for install (default claude; all: every agent found). For each: the hook is registered,
                runs the pinned binary with every field install writes, and answers known commands in that
                agent's protocol. Exit status 6 when anything fails. --json prints the checks.
                """,
            valueOptions: ["--agent"], flags: ["--json"]),
        CommandSpec(
            name: "log", synopsis: "[--json] [--since DURATION|DATE] [--limit N]",
            summary: "What the hook blocked and asked about.",
            details: "--since 2h, 3d or a date; --limit the newest N entries; --json one object per entry.",
            valueOptions: ["--since", "--limit"], flags: ["--json"]),
        CommandSpec(
            name: "audit", synopsis: "[--json] [PATH…]",
            summary: "Global installs agents and people already made, and how to undo them.",
            details: """
                Reads Claude Code transcripts, Codex sessions and shell histories (or the PATHs given) and judges
                each command as the hook would today.
                """,
            flags: ["--json"], maxOperands: Int.max),
        CommandSpec(
            name: "allow", synopsis: "CODE | --command CMD [--cwd DIR]",
            summary: "Let one blocked command through once (a person at a terminal only).",
            details: "CODE is the one a block printed; --command names the command itself instead.",
            valueOptions: ["--command", "--cwd"], maxOperands: 1),
        CommandSpec(
            name: "help", synopsis: "[COMMAND]", summary: "Print this help, or one command's.",
            details: "Also: toolguard COMMAND --help.", maxOperands: 1),
        CommandSpec(
            name: "version", synopsis: "", summary: "Print toolguard's version (also: toolguard --version).",
            details: "With the commit it was built from, where known."),
    ]

    static func named(_ name: String) -> CommandSpec? { all.first { $0.name == name } }

    /// `toolguard help`.
    static var usage: String {
        var lines = ["usage: toolguard COMMAND [ARGUMENTS]", ""]
        for spec in all {
            let head = "  \(spec.name) \(spec.synopsis)"
            lines.append(head)
            lines.append("      \(spec.summary)")
        }
        lines.append("")
        lines.append("toolguard help COMMAND (or toolguard COMMAND --help) for one command; toolguard --version.")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Checks `arguments` against `spec`: every unknown option, missing value and extra operand is an error.
    static func check(_ arguments: ArraySlice<String>, against spec: CommandSpec) -> ArgumentCheck {
        var operands = 0
        var rest = arguments
        while let argument = rest.popFirst() {
            if argument == "--" {
                // Everything after `--` is one operand (explain's command), however many words.
                if !rest.isEmpty { operands += 1 }
                break
            }
            if argument == "--help" || argument == "-h" { return .help }
            if argument.hasPrefix("-"), argument != "-" {
                let name = argument.split(separator: "=", maxSplits: 1).first.map(String.init) ?? argument
                if spec.valueOptions.contains(name) {
                    if name == argument, rest.popFirst() == nil { return .usage("\(name) needs a value") }
                } else if spec.flags.contains(argument) {
                    continue
                } else {
                    return .usage("unknown option \(argument) for \(spec.name)")
                }
                continue
            }
            operands += 1
        }
        if operands > spec.maxOperands {
            return .usage(
                spec.maxOperands == 0
                    ? "\(spec.name) takes no operands"
                    : "\(spec.name) takes at most \(spec.maxOperands) operand (quote a command with spaces)")
        }
        return .run
    }
}

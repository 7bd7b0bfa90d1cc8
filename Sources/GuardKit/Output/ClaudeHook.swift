/// Claude Code's PreToolUse hook protocol (SPEC §6): the input toolguard reads and the answer it gives.
public enum ClaudeHook {
    /// What the hook was asked about.
    public enum Request: Sendable, Hashable {
        /// A shell command for the Bash tool, to run in `directory` (nil: the hook's own directory).
        case shell(command: String, directory: String?)
        /// Another tool; `path` is `tool_input.file_path` when it has one (Write, Edit, MultiEdit).
        case otherTool(name: String, path: String?, directory: String?)
    }

    /// Input the hook cannot read.
    public struct InputError: Error, Sendable, Hashable, CustomStringConvertible {
        /// What was wrong with it.
        public let problem: String
        /// One line for stderr: `toolguard: <what> — <what to do>`.
        public var description: String {
            "toolguard: \(problem) — the hook expects Claude Code's PreToolUse JSON on standard input"
        }
    }

    /// Reads the PreToolUse input.
    public static func parse(_ bytes: [UInt8]) throws(InputError) -> Request {
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            throw InputError(problem: "the hook input is empty")
        }
        let value: JSONValue
        do {
            value = try JSONValue.parse(bytes)
        } catch {
            throw InputError(problem: "the hook input is not valid JSON (\(error))")
        }
        guard value.objectValue != nil else { throw InputError(problem: "the hook input is not a JSON object") }
        guard let tool = value["tool_name"]?.stringValue else {
            throw InputError(problem: "the hook input has no tool_name")
        }
        let directory = value["cwd"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        guard tool == "Bash" else {
            let path =
                value["tool_input"]?["file_path"]?.stringValue ?? value["tool_input"]?["notebook_path"]?.stringValue
            return .otherTool(name: tool, path: path, directory: directory)
        }
        guard let command = value["tool_input"]?["command"]?.stringValue else {
            throw InputError(problem: "the Bash hook input has no tool_input.command string")
        }
        return .shell(command: command, directory: directory)
    }

    /// The hook's answer: what to print and how to exit.
    public struct Answer: Sendable, Hashable {
        /// Standard output (empty for no decision).
        public var standardOutput: String
        /// Standard error.
        public var standardError: String
        /// The exit status: 2 blocks even where the JSON is not read.
        public var exitStatus: Int32
    }

    /// The answer for a judged command: deny for block, ask for ask, nothing otherwise (toolguard never
    /// answers `allow`: it never widens permissions).
    public static func answer(for report: Report, notices: [String] = []) -> Answer {
        guard report.verdict >= .ask, let finding = report.decisiveFinding else {
            return Answer(standardOutput: "", standardError: "", exitStatus: 0)
        }
        return answer(for: finding, notices: notices)
    }

    /// The answer for one deciding finding (block or ask).
    public static func answer(for finding: Finding, notices: [String] = []) -> Answer {
        var reason = Explanation.sentence(for: finding)
        for notice in notices { reason += " (\(notice))" }
        let decision = finding.verdict == .block ? "deny" : "ask"
        let output: JSONValue = .object([
            "hookSpecificOutput": .object([
                "hookEventName": "PreToolUse", "permissionDecision": .string(decision),
                "permissionDecisionReason": .string(reason),
            ])
        ])
        let json = output.serialized(style: .compact, trailingNewline: true)
        if finding.verdict == .block {
            return Answer(standardOutput: json, standardError: reason + "\n", exitStatus: 2)
        }
        return Answer(standardOutput: json, standardError: "", exitStatus: 0)
    }
}

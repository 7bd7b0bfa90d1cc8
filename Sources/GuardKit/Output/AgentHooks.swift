// Each agent's hook protocol, as in `reference/agent-hook-protocols.md` (§1 Claude Code, §2 Cursor, §3 the
// others, §5 the implications). toolguard never answers "allow": allow and pass are every agent's no decision.

/// Claude Code's `PreToolUse` (reference §1): `tool_input.command` for `Bash`, `tool_input.file_path` for the
/// file tools; deny as `hookSpecificOutput` JSON plus the reason on stderr and exit 2 (blocks even where the
/// JSON is not read), ask as JSON with exit 0 — or a deny where `permission_mode` says the person will not be
/// asked —, nothing otherwise.
public struct ClaudeCodeHook: AgentHook {
    /// The shell tool.
    public static let shellTool = "Bash"

    /// Creates the adapter.
    public init() {}

    /// The agent.
    public var agent: Agent { .claude }
    /// The input expected.
    public var expectedInput: String { "Claude Code's PreToolUse JSON" }

    /// Reads the PreToolUse input.
    public func request(from input: JSONValue) throws(HookInputError) -> HookRequest {
        try PreToolUse.request(
            from: input, shellTools: [Self.shellTool], fileTools: SelfProtection.fileTools, error: error)
    }

    /// Deny (exit 2) for block, ask for ask, empty for no decision.
    public func answer(_ decision: HookDecision) -> HookAnswer {
        PreToolUse.answer(decision)
    }

    /// The `permission_mode` values in which the person is not asked: `auto` (a hook's ask has been seen to
    /// let the call run, anthropics/claude-code#89561) and `dontAsk` (whatever is not allowed beforehand is
    /// refused without a question).
    public static let modesWithoutAsking: Set<String> = ["auto", "dontAsk"]

    /// The mode's own words when `permission_mode` is one in which the person is not asked.
    public func personNotAsked(_ input: JSONValue) -> String? {
        guard let mode = input["permission_mode"]?.stringValue, Self.modesWithoutAsking.contains(mode) else {
            return nil
        }
        return "Claude Code runs in \(mode) mode, where the person is not asked"
    }
}

/// Codex CLI's `PreToolUse` (reference §3): Claude's input and output shape, but a deny needs a non-empty
/// reason, exit 2 blocks only with stderr, and `ask` (like `allow`) is rejected as unsupported — so ask
/// becomes deny, saying the person must decide. `apply_patch` is not read: the reference does not give its
/// input, so it passes like any other tool.
public struct CodexHook: AgentHook {
    /// Creates the adapter.
    public init() {}

    /// The agent.
    public var agent: Agent { .codex }
    /// The input expected.
    public var expectedInput: String { "Codex's PreToolUse JSON" }

    /// Reads the PreToolUse input.
    public func request(from input: JSONValue) throws(HookInputError) -> HookRequest {
        try PreToolUse.request(from: input, shellTools: [ClaudeCodeHook.shellTool], fileTools: [], error: error)
    }

    /// Deny (exit 2, reason on stderr) for block and for ask; empty for no decision.
    public func answer(_ decision: HookDecision) -> HookAnswer {
        PreToolUse.answer(decision.askingImpossible(for: agent))
    }
}

/// Gemini CLI's `BeforeTool` (reference §3): `tool_input.command` for `run_shell_command` (in
/// `tool_input.directory`, relative to `cwd`), `tool_input.file_path` for `write_file` and `replace`. Stdout
/// must be JSON only: `{"decision":"deny","reason":…}` with the reason on stderr and exit 2 for block, `{}`
/// for no decision. Its decisions are allow and deny only, so ask becomes deny.
public struct GeminiHook: AgentHook {
    /// The shell tool.
    public static let shellTool = "run_shell_command"
    /// The file tools that write `tool_input.file_path`.
    public static let fileTools: Set<String> = ["write_file", "replace"]

    /// Creates the adapter.
    public init() {}

    /// The agent.
    public var agent: Agent { .gemini }
    /// The input expected.
    public var expectedInput: String { "Gemini CLI's BeforeTool JSON" }

    /// Reads the BeforeTool input.
    public func request(from input: JSONValue) throws(HookInputError) -> HookRequest {
        guard let tool = input["tool_name"]?.stringValue else { throw error("the hook input has no tool_name") }
        var directory = input.nonEmptyString("cwd")
        if let subdirectory = input["tool_input"]?.nonEmptyString("directory") {
            directory = directory.map { Paths.absolute(subdirectory, relativeTo: $0) } ?? subdirectory
        }
        if tool == Self.shellTool {
            guard let command = input["tool_input"]?["command"]?.stringValue else {
                throw error("the run_shell_command hook input has no tool_input.command string")
            }
            return .shell(command: command, directory: directory)
        }
        if Self.fileTools.contains(tool), let path = input["tool_input"]?.nonEmptyString("file_path") {
            return .fileWrite(tool: tool, path: path, directory: directory)
        }
        return .otherTool(name: tool)
    }

    /// Deny JSON, stderr and exit 2 for block and ask; `{}` for no decision.
    public func answer(_ decision: HookDecision) -> HookAnswer {
        switch decision.askingImpossible(for: agent) {
        case .block(let reason), .ask(let reason):
            let output: JSONValue = .object(["decision": "deny", "reason": .string(reason)])
            return HookAnswer(
                standardOutput: output.serialized(trailingNewline: true), standardError: reason + "\n",
                exitStatus: HookAnswer.blockingStatus)
        case .noDecision:
            return HookAnswer(standardOutput: "{}\n")
        }
    }
}

/// Cursor's `beforeShellExecution` (reference §2): top-level `command` and `cwd` (which may be empty: then the
/// first workspace root). `{"permission":…,"user_message":…,"agent_message":…}`; exit 2 is deny, so block
/// exits 2 as well (register with `"failClosed": true`); ask is Cursor's own ask, exit 0; no decision is
/// empty output.
public struct CursorHook: AgentHook {
    /// The event.
    public static let event = "beforeShellExecution"

    /// Creates the adapter.
    public init() {}

    /// The agent.
    public var agent: Agent { .cursor }
    /// The input expected.
    public var expectedInput: String { "Cursor's beforeShellExecution JSON" }

    /// Reads the beforeShellExecution input; Cursor's other events are no decision.
    public func request(from input: JSONValue) throws(HookInputError) -> HookRequest {
        if let event = input["hook_event_name"]?.stringValue, event != Self.event { return .otherTool(name: event) }
        guard let command = input["command"]?.stringValue else {
            throw error("the beforeShellExecution hook input has no command string")
        }
        let directory = input.nonEmptyString("cwd") ?? input["workspace_roots"]?[0]?.stringValue
        return .shell(command: command, directory: directory.flatMap { $0.isEmpty ? nil : $0 })
    }

    /// deny (exit 2) for block, ask (exit 0) for ask, empty for no decision.
    public func answer(_ decision: HookDecision) -> HookAnswer {
        func output(_ permission: String, _ reason: String) -> String {
            JSONValue.object([
                "permission": .string(permission), "user_message": .string(reason), "agent_message": .string(reason),
            ]).serialized(trailingNewline: true)
        }
        switch decision {
        case .block(let reason):
            return HookAnswer(
                standardOutput: output("deny", reason), standardError: reason + "\n",
                exitStatus: HookAnswer.blockingStatus)
        case .ask(let reason):
            return HookAnswer(standardOutput: output("ask", reason))
        case .noDecision:
            return HookAnswer()
        }
    }
}

/// GitHub Copilot CLI's `preToolUse` (reference §3): camelCase `toolName` and `toolArgs`, a JSON string decoded
/// a second time (an object is read as well); or, registered as `PreToolUse`, snake_case `tool_name` and
/// `tool_input`. Non-zero exits are logged and skipped, never blocking, so every answer exits 0: block is
/// `{"permissionDecision":"deny","permissionDecisionReason":…}`, and failing closed on unreadable input is
/// that deny too. Only deny is documented, so ask becomes deny. Copilot's file tools are not in the
/// reference; they pass.
public struct CopilotHook: AgentHook {
    /// The shell tool.
    public static let shellTool = "bash"

    /// Creates the adapter.
    public init() {}

    /// The agent.
    public var agent: Agent { .copilot }
    /// The input expected.
    public var expectedInput: String { "Copilot CLI's preToolUse JSON" }

    /// Reads the preToolUse input, in either casing.
    public func request(from input: JSONValue) throws(HookInputError) -> HookRequest {
        let camelCase = input["toolName"] != nil
        let nameKey = camelCase ? "toolName" : "tool_name"
        let argumentsKey = camelCase ? "toolArgs" : "tool_input"
        guard let tool = input[nameKey]?.stringValue else { throw error("the hook input has no \(nameKey)") }
        guard tool == Self.shellTool || tool == ClaudeCodeHook.shellTool else { return .otherTool(name: tool) }
        var arguments = input[argumentsKey]
        if let text = arguments?.stringValue {
            do {
                arguments = try JSONValue.parse(text)
            } catch {
                throw self.error("the hook input's \(argumentsKey) string is not valid JSON (\(error))")
            }
        }
        guard let command = arguments?["command"]?.stringValue else {
            throw error("the \(tool) hook input has no command string in \(argumentsKey)")
        }
        return .shell(command: command, directory: input.nonEmptyString("cwd"))
    }

    /// Deny JSON with exit 0 for block and ask (reason also on stderr, for the log); empty for no decision.
    public func answer(_ decision: HookDecision) -> HookAnswer {
        guard case .block(let reason) = decision.askingImpossible(for: agent) else { return HookAnswer() }
        return Self.deny(reason)
    }

    /// Closed: deny JSON with exit 0 (a non-zero exit would let the call through); open: nothing.
    public func answer(unreadable error: HookInputError, failMode: FailMode) -> HookAnswer {
        switch failMode {
        case .closed: Self.deny(error.description)
        case .open: HookAnswer(standardError: error.description + "\n")
        }
    }

    static func deny(_ reason: String) -> HookAnswer {
        let output: JSONValue = .object([
            "permissionDecision": "deny", "permissionDecisionReason": .string(reason),
        ])
        return HookAnswer(standardOutput: output.serialized(trailingNewline: true), standardError: reason + "\n")
    }
}

/// Windsurf (Cascade) pre-hooks (reference §3): `tool_info.command_line` and `tool_info.cwd` for
/// `pre_run_command`, `tool_info.file_path` for `pre_write_code`. Only exit 2 blocks, with the reason on
/// stderr and nothing on stdout; there is no ask, so ask becomes that block too.
public struct WindsurfHook: AgentHook {
    /// The shell event.
    public static let shellEvent = "pre_run_command"
    /// The file-write event.
    public static let writeEvent = "pre_write_code"

    /// Creates the adapter.
    public init() {}

    /// The agent.
    public var agent: Agent { .windsurf }
    /// The input expected.
    public var expectedInput: String { "Windsurf's pre_run_command JSON" }

    /// Reads the pre-hook input.
    public func request(from input: JSONValue) throws(HookInputError) -> HookRequest {
        guard let event = input["agent_action_name"]?.stringValue else {
            throw error("the hook input has no agent_action_name")
        }
        let info = input["tool_info"]
        let directory = info?.nonEmptyString("cwd")
        switch event {
        case Self.shellEvent:
            guard let command = info?["command_line"]?.stringValue else {
                throw error("the pre_run_command hook input has no tool_info.command_line string")
            }
            return .shell(command: command, directory: directory)
        case Self.writeEvent:
            guard let path = info?.nonEmptyString("file_path") else { return .otherTool(name: event) }
            return .fileWrite(tool: event, path: path, directory: directory)
        default:
            return .otherTool(name: event)
        }
    }

    /// Exit 2 with the reason on stderr for block and ask; exit 0 and silence otherwise.
    public func answer(_ decision: HookDecision) -> HookAnswer {
        guard case .block(let reason) = decision.askingImpossible(for: agent) else { return HookAnswer() }
        return HookAnswer(standardError: reason + "\n", exitStatus: HookAnswer.blockingStatus)
    }
}

/// The `PreToolUse` shape Claude Code and Codex share.
enum PreToolUse {
    static func request(
        from input: JSONValue, shellTools: Set<String>, fileTools: Set<String>,
        error: (String) -> HookInputError
    ) throws(HookInputError) -> HookRequest {
        guard let tool = input["tool_name"]?.stringValue else { throw error("the hook input has no tool_name") }
        let directory = input.nonEmptyString("cwd")
        guard shellTools.contains(tool) else {
            guard fileTools.contains(tool),
                let path = input["tool_input"]?.nonEmptyString("file_path")
                    ?? input["tool_input"]?.nonEmptyString("notebook_path")
            else { return .otherTool(name: tool) }
            return .fileWrite(tool: tool, path: path, directory: directory)
        }
        guard let command = input["tool_input"]?["command"]?.stringValue else {
            throw error("the \(tool) hook input has no tool_input.command string")
        }
        return .shell(command: command, directory: directory)
    }

    static func answer(_ decision: HookDecision) -> HookAnswer {
        func output(_ permission: String, _ reason: String) -> String {
            JSONValue.object([
                "hookSpecificOutput": .object([
                    "hookEventName": "PreToolUse", "permissionDecision": .string(permission),
                    "permissionDecisionReason": .string(reason),
                ])
            ]).serialized(trailingNewline: true)
        }
        switch decision {
        case .block(let reason):
            return HookAnswer(
                standardOutput: output("deny", reason), standardError: reason + "\n",
                exitStatus: HookAnswer.blockingStatus)
        case .ask(let reason):
            return HookAnswer(standardOutput: output("ask", reason))
        case .noDecision:
            return HookAnswer()
        }
    }
}

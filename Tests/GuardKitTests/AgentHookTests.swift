import Testing

@testable import GuardKit

private func json(_ text: String) throws -> JSONValue { try JSONValue.parse(text) }

private let blockFinding = Finding(
    verdict: .block, ecosystem: "python", rule: "python.bare-pip", span: 0..<3, reason: "pip is global here.",
    fix: ".venv/bin/pip install x")
private let blockReason =
    "toolguard blocked this (python.bare-pip): pip is global here. Instead: .venv/bin/pip install x"
private let askFinding = Finding(
    verdict: .ask, ecosystem: "shell", rule: "shell.pipe-to-shell", span: 0..<3, reason: "It runs a script.")
private let askReason = "toolguard asks about this (shell.pipe-to-shell): It runs a script."

@Suite struct AgentDetection {
    @Test(arguments: [
        (#"{"hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":"ls"}}"#, Agent.claude),
        (
            #"{"hook_event_name":"PreToolUse","turn_id":"t","model":"gpt-5","tool_name":"Bash","tool_input":{"command":"ls"}}"#,
            .codex
        ),
        (#"{"hook_event_name":"PreToolUse","model":"gpt-5","tool_name":"Bash"}"#, .codex),
        (#"{"hook_event_name":"BeforeTool","tool_name":"run_shell_command"}"#, .gemini),
        (#"{"hook_event_name":"beforeShellExecution","command":"ls","cwd":""}"#, .cursor),
        (#"{"cursor_version":"2.0.77","command":"ls"}"#, .cursor),
        (#"{"toolName":"bash","toolArgs":"{\"command\":\"ls\"}"}"#, .copilot),
        (#"{"hook_event_name":"PreToolUse","tool_name":"bash","tool_input":{"command":"ls"}}"#, .copilot),
        (#"{"agent_action_name":"pre_run_command","tool_info":{"command_line":"ls"}}"#, .windsurf),
    ])
    func detectsTheAgentFromTheShape(_ input: String, _ agent: Agent) throws {
        #expect(Agent.detect(try json(input)) == agent)
    }

    @Test(arguments: [#"{"tool_name":"Bash"}"#, #"{"hook_event_name":"SessionStart"}"#, "{}"])
    func unknownShapesAreNoAgentAndReadAsClaude(_ input: String) throws {
        #expect(Agent.detect(try json(input)) == nil)
        #expect(AgentHooks.read(Array(input.utf8)).agent == .claude)
    }

    @Test func aForcedAgentWinsOverTheShape() {
        let input = #"{"hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":"ls"}}"#
        let reading = AgentHooks.read(Array(input.utf8), agent: .codex)
        #expect(reading.agent == .codex)
        #expect(reading.request == .success(.shell(command: "ls", directory: nil)))
        // Forced to an agent whose shape it is not, the input is unreadable, in that agent's words.
        let windsurf = AgentHooks.read(Array(input.utf8), agent: .windsurf)
        guard case .failure(let error) = windsurf.request else {
            Issue.record("read Claude's input as Windsurf's")
            return
        }
        #expect(windsurf.agent == .windsurf)
        #expect(error.description.contains("agent_action_name"))
        #expect(error.description.contains("Windsurf's pre_run_command JSON"))
    }

    @Test(arguments: ["", "  \n", "nope", "[1]"])
    func unreadableBytesFailWithOneLine(_ input: String) {
        let reading = AgentHooks.read(Array(input.utf8))
        guard case .failure(let error) = reading.request else {
            Issue.record("read \(input.debugDescription)")
            return
        }
        #expect(reading.agent == .claude)
        #expect(error.description.hasPrefix("toolguard: "))
        #expect(error.description.contains(" — "))
        #expect(!error.description.contains("\n"))
    }

    @Test func clineIsNamedAndNotRead() {
        let reading = AgentHooks.read(Array(#"{"clineVersion":"3.36","hookName":"PreToolUse"}"#.utf8))
        guard case .failure(let error) = reading.request else {
            Issue.record("read Cline's input")
            return
        }
        #expect(error.problem.contains("Cline"))
    }
}

@Suite struct AgentHookParsing {
    @Test(arguments: [
        // Claude Code
        (
            Agent.claude,
            #"{"hook_event_name":"PreToolUse","cwd":"/p","tool_name":"Bash","tool_input":{"command":"npm test"}}"#,
            HookRequest.shell(command: "npm test", directory: "/p")
        ),
        (
            .claude, #"{"cwd":"","tool_name":"Write","tool_input":{"file_path":"/h/.claude/settings.json"}}"#,
            .fileWrite(tool: "Write", path: "/h/.claude/settings.json", directory: nil)
        ),
        (
            .claude, #"{"cwd":"/p","tool_name":"NotebookEdit","tool_input":{"notebook_path":"n.ipynb"}}"#,
            .fileWrite(tool: "NotebookEdit", path: "n.ipynb", directory: "/p")
        ),
        (.claude, #"{"cwd":"/p","tool_name":"Read","tool_input":{"file_path":"x"}}"#, .otherTool(name: "Read")),
        // Codex CLI
        (
            .codex,
            #"{"turn_id":"t","cwd":"/p","hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":"pip install requests"}}"#,
            .shell(command: "pip install requests", directory: "/p")
        ),
        (
            .codex,
            #"{"hook_event_name":"PreToolUse","turn_id":"t","tool_name":"apply_patch","tool_input":{"command":"*** Begin Patch"}}"#,
            .otherTool(name: "apply_patch")
        ),
        // Gemini CLI
        (
            .gemini,
            #"{"cwd":"/p","hook_event_name":"BeforeTool","tool_name":"run_shell_command","tool_input":{"command":"ls"}}"#,
            .shell(command: "ls", directory: "/p")
        ),
        (
            .gemini,
            #"{"cwd":"/p","hook_event_name":"BeforeTool","tool_name":"run_shell_command","tool_input":{"command":"ls","directory":"api"}}"#,
            .shell(command: "ls", directory: "/p/api")
        ),
        (
            .gemini,
            #"{"cwd":"/p","hook_event_name":"BeforeTool","tool_name":"write_file","tool_input":{"file_path":"/p/x","content":""}}"#,
            .fileWrite(tool: "write_file", path: "/p/x", directory: "/p")
        ),
        (
            .gemini, #"{"cwd":"/p","hook_event_name":"BeforeTool","tool_name":"read_file","tool_input":{}}"#,
            .otherTool(name: "read_file")
        ),
        // Cursor
        (
            .cursor,
            #"{"hook_event_name":"beforeShellExecution","cursor_version":"2.0.77","workspace_roots":["/p"],"command":"npm install express","cwd":"/p/web"}"#,
            .shell(command: "npm install express", directory: "/p/web")
        ),
        (
            .cursor, #"{"hook_event_name":"beforeShellExecution","workspace_roots":["/p"],"command":"ls","cwd":""}"#,
            .shell(command: "ls", directory: "/p")
        ),
        (
            .cursor, #"{"hook_event_name":"beforeReadFile","cursor_version":"2.0.77","file_path":"/p/.env"}"#,
            .otherTool(name: "beforeReadFile")
        ),
        // Copilot CLI: toolArgs decoded twice, or an object; and the snake_case variant.
        (
            .copilot,
            #"{"sessionId":"s","timestamp":1,"cwd":"/p","toolName":"bash","toolArgs":"{\"command\":\"rm -rf dist\",\"description\":\"d\"}"}"#,
            .shell(command: "rm -rf dist", directory: "/p")
        ),
        (
            .copilot, #"{"cwd":"/p","toolName":"bash","toolArgs":{"command":"ls"}}"#,
            .shell(command: "ls", directory: "/p")
        ),
        (
            .copilot,
            #"{"hook_event_name":"PreToolUse","session_id":"s","cwd":"/p","tool_name":"bash","tool_input":{"command":"ls"}}"#,
            .shell(command: "ls", directory: "/p")
        ),
        (.copilot, #"{"cwd":"/p","toolName":"view","toolArgs":"{\"path\":\"x\"}"}"#, .otherTool(name: "view")),
        // Windsurf
        (
            .windsurf,
            #"{"agent_action_name":"pre_run_command","trajectory_id":"t","tool_info":{"command_line":"npm install x","cwd":"/p"}}"#,
            .shell(command: "npm install x", directory: "/p")
        ),
        (
            .windsurf, #"{"agent_action_name":"pre_write_code","tool_info":{"file_path":"/p/a.py","edits":[]}}"#,
            .fileWrite(tool: "pre_write_code", path: "/p/a.py", directory: nil)
        ),
        (.windsurf, #"{"agent_action_name":"pre_read_code","tool_info":{}}"#, .otherTool(name: "pre_read_code")),
    ])
    func readsEachAgentsInput(_ agent: Agent, _ input: String, _ expected: HookRequest) throws {
        #expect(try agent.hook.request(from: try json(input)) == expected)
        // Detection reads the same input as the same agent.
        #expect(AgentHooks.read(Array(input.utf8)) == AgentHooks.Reading(agent: agent, request: .success(expected)))
    }

    @Test(arguments: [
        (Agent.claude, #"{"tool_name":"Bash","tool_input":{"command":42}}"#, "tool_input.command"),
        (.claude, #"{"tool_input":{}}"#, "tool_name"),
        (.codex, #"{"turn_id":"t","tool_name":"Bash","tool_input":{}}"#, "tool_input.command"),
        (.gemini, #"{"tool_name":"run_shell_command","tool_input":{}}"#, "tool_input.command"),
        (.cursor, #"{"hook_event_name":"beforeShellExecution","cwd":"/p"}"#, "command"),
        (.copilot, #"{"toolName":"bash","toolArgs":"{not json"}"#, "toolArgs string is not valid JSON"),
        (.copilot, #"{"toolName":"bash","toolArgs":"{}"}"#, "no command string in toolArgs"),
        (.windsurf, #"{"agent_action_name":"pre_run_command","tool_info":{}}"#, "tool_info.command_line"),
    ])
    func inputWithoutTheCommandIsUnreadable(_ agent: Agent, _ input: String, _ named: String) throws {
        let value = try json(input)
        #expect {
            _ = try agent.hook.request(from: value)
        } throws: { error in
            guard let error = error as? HookInputError else { return false }
            return error.problem.contains(named) && error.expected == agent.hook.expectedInput
        }
    }
}

@Suite struct AgentHookAnswers {
    static let block = HookDecision(finding: blockFinding)
    static let ask = HookDecision(finding: askFinding)

    @Test func decisionsComeFromTheDecisiveFinding() {
        #expect(Self.block == .block(reason: blockReason))
        #expect(Self.ask == .ask(reason: askReason))
        #expect(HookDecision(finding: blockFinding, notices: ["n"]) == .block(reason: blockReason + " (n)"))
        let allow = Finding(verdict: .allow, ecosystem: "python", rule: "r", span: 0..<1, reason: "venv")
        #expect(HookDecision(finding: allow) == .noDecision)
    }

    static func cannotAsk(_ agent: Agent) -> String {
        "\(agent.name)'s hook cannot ask the person, so toolguard blocks what it would ask about"
            + " — leave this command to the person. " + askReason
    }

    static func hookSpecific(_ decision: String, _ reason: String) -> String {
        JSONValue.object([
            "hookSpecificOutput": .object([
                "hookEventName": "PreToolUse", "permissionDecision": .string(decision),
                "permissionDecisionReason": .string(reason),
            ])
        ]).serialized() + "\n"
    }

    @Test func claude() {
        let hook = Agent.claude.hook
        #expect(
            hook.answer(Self.block)
                == HookAnswer(
                    standardOutput: Self.hookSpecific("deny", blockReason), standardError: blockReason + "\n",
                    exitStatus: 2))
        #expect(hook.answer(Self.ask) == HookAnswer(standardOutput: Self.hookSpecific("ask", askReason)))
        #expect(hook.answer(.noDecision) == HookAnswer())
    }

    @Test func codexAnswersAskAsDeny() {
        let hook = Agent.codex.hook
        #expect(
            hook.answer(Self.block)
                == HookAnswer(
                    standardOutput: Self.hookSpecific("deny", blockReason), standardError: blockReason + "\n",
                    exitStatus: 2))
        let reason = Self.cannotAsk(.codex)
        #expect(
            hook.answer(Self.ask)
                == HookAnswer(
                    standardOutput: Self.hookSpecific("deny", reason), standardError: reason + "\n", exitStatus: 2))
        #expect(hook.answer(.noDecision) == HookAnswer())
    }

    @Test func geminiPrintsOnlyJSON() throws {
        let hook = Agent.gemini.hook
        let blocked = hook.answer(Self.block)
        #expect(blocked.standardOutput == #"{"decision":"deny","reason":"\#(blockReason)"}"# + "\n")
        #expect(blocked.standardError == blockReason + "\n")
        #expect(blocked.exitStatus == 2)
        let asked = hook.answer(Self.ask)
        #expect(try JSONValue.parse(asked.standardOutput)["reason"]?.stringValue == Self.cannotAsk(.gemini))
        #expect(try JSONValue.parse(asked.standardOutput)["decision"]?.stringValue == "deny")
        #expect(asked.exitStatus == 2)
        #expect(hook.answer(.noDecision) == HookAnswer(standardOutput: "{}\n"))
    }

    @Test func cursor() throws {
        let hook = Agent.cursor.hook
        let blocked = hook.answer(Self.block)
        let expected = #"{"permission":"deny","user_message":"\#(blockReason)","agent_message":"\#(blockReason)"}"#
        #expect(
            blocked == HookAnswer(standardOutput: expected + "\n", standardError: blockReason + "\n", exitStatus: 2))
        let asked = hook.answer(Self.ask)
        let output = try JSONValue.parse(asked.standardOutput)
        #expect(output.objectValue?.keys == ["permission", "user_message", "agent_message"])
        #expect(output["permission"]?.stringValue == "ask")
        #expect(output["agent_message"]?.stringValue == askReason)
        #expect(asked.exitStatus == 0)
        #expect(hook.answer(.noDecision) == HookAnswer())
    }

    @Test func copilotDeniesWithExitZero() throws {
        let hook = Agent.copilot.hook
        let expected = #"{"permissionDecision":"deny","permissionDecisionReason":"\#(blockReason)"}"#
        #expect(
            hook.answer(Self.block)
                == HookAnswer(standardOutput: expected + "\n", standardError: blockReason + "\n", exitStatus: 0))
        let asked = hook.answer(Self.ask)
        #expect(try JSONValue.parse(asked.standardOutput)["permissionDecision"]?.stringValue == "deny")
        #expect(
            try JSONValue.parse(asked.standardOutput)["permissionDecisionReason"]?.stringValue
                == Self.cannotAsk(.copilot))
        #expect(asked.exitStatus == 0)
        #expect(hook.answer(.noDecision) == HookAnswer())
    }

    @Test func windsurfBlocksByExitStatusOnly() {
        let hook = Agent.windsurf.hook
        #expect(hook.answer(Self.block) == HookAnswer(standardError: blockReason + "\n", exitStatus: 2))
        #expect(hook.answer(Self.ask) == HookAnswer(standardError: Self.cannotAsk(.windsurf) + "\n", exitStatus: 2))
        #expect(hook.answer(.noDecision) == HookAnswer())
    }

    @Test func noAgentAnswersAllow() {
        for agent in Agent.allCases {
            for decision in [Self.block, Self.ask, .noDecision] {
                #expect(!agent.hook.answer(decision).standardOutput.contains("allow"), "\(agent)")
            }
        }
    }

    static let unreadable = HookInputError(problem: "the hook input is empty", expected: "x")

    @Test(arguments: Agent.allCases)
    func unreadableInputFollowsTheFailMode(_ agent: Agent) throws {
        let line = Self.unreadable.description + "\n"
        let closed = agent.hook.answer(unreadable: Self.unreadable, failMode: .closed)
        let open = agent.hook.answer(unreadable: Self.unreadable, failMode: .open)
        #expect(closed.standardError == line)
        #expect(open.standardError == line)
        #expect(open.exitStatus == 0)
        #expect(open.standardOutput == agent.hook.answer(.noDecision).standardOutput)
        if agent == .copilot {
            // Copilot skips a failing hook, so closed must be a deny it reads.
            #expect(closed.exitStatus == 0)
            #expect(try JSONValue.parse(closed.standardOutput)["permissionDecision"]?.stringValue == "deny")
        } else {
            #expect(closed.exitStatus == 2)
            #expect(closed.standardOutput.isEmpty)
        }
    }
}

/// The hook (SPEC §6) as adapters over one judgement: each coding agent hands toolguard its own JSON on stdin
/// and expects its own answer; in between, every agent's input becomes a ``HookRequest`` and every judgement a
/// ``HookDecision``. The protocols are in `reference/agent-hook-protocols.md`.

/// A coding agent whose hook protocol toolguard speaks.
public enum Agent: String, Sendable, Hashable, CaseIterable {
    /// Claude Code, `PreToolUse`.
    case claude
    /// OpenAI Codex CLI, `PreToolUse` (Claude's shape, stricter output).
    case codex
    /// Gemini CLI, `BeforeTool`.
    case gemini
    /// Cursor, `beforeShellExecution`.
    case cursor
    /// GitHub Copilot CLI, `preToolUse` (camelCase) or `PreToolUse` (snake_case).
    case copilot
    /// Windsurf (Cascade), `pre_run_command` and `pre_write_code`.
    case windsurf

    /// The agent's name, for messages.
    public var name: String {
        switch self {
        case .claude: "Claude Code"
        case .codex: "Codex CLI"
        case .gemini: "Gemini CLI"
        case .cursor: "Cursor"
        case .copilot: "Copilot CLI"
        case .windsurf: "Windsurf"
        }
    }

    /// The adapter that reads this agent's input and writes its answer.
    public var hook: any AgentHook {
        switch self {
        case .claude: ClaudeCodeHook()
        case .codex: CodexHook()
        case .gemini: GeminiHook()
        case .cursor: CursorHook()
        case .copilot: CopilotHook()
        case .windsurf: WindsurfHook()
        }
    }

    /// The agent whose input this is, by its shape (reference §5.1); `nil` when no agent's shape fits.
    public static func detect(_ input: JSONValue) -> Agent? {
        if input["agent_action_name"] != nil { return .windsurf }
        if input["toolName"] != nil || input["toolArgs"] != nil { return .copilot }
        let event = input["hook_event_name"]?.stringValue
        if event == "beforeShellExecution" || input["cursor_version"] != nil { return .cursor }
        if event == "BeforeTool" { return .gemini }
        guard event == "PreToolUse" else { return nil }
        if input["turn_id"] != nil || input["model"] != nil { return .codex }
        // Copilot's snake_case variant looks like Claude's, but names its shell tool `bash`, not `Bash`.
        if input["tool_name"]?.stringValue == CopilotHook.shellTool { return .copilot }
        return .claude
    }
}

/// What the hook was asked about, whichever agent asked.
public enum HookRequest: Sendable, Hashable {
    /// A shell command, to run in `directory` (nil: the hook's own directory).
    case shell(command: String, directory: String?)
    /// One of the agent's file tools writing `path` (judged only by self-protection, SPEC §8).
    case fileWrite(tool: String, path: String, directory: String?)
    /// Any other tool or event: no decision.
    case otherTool(name: String)
}

/// What toolguard decided, before it is put in an agent's words.
public enum HookDecision: Sendable, Hashable {
    /// Stop the call.
    case block(reason: String)
    /// Ask the person first.
    case ask(reason: String)
    /// Leave it to the agent's own permissions: toolguard never answers `allow`, it never widens them.
    case noDecision

    /// The reason given when a finding's sentence is somehow empty: Codex and Copilot reject a deny without one.
    public static let fallbackReason = "toolguard blocked this command."

    /// The decision for a judged command: block and ask carry the deciding finding's sentence and notices;
    /// allow and pass are no decision.
    public init(report: Report, notices: [String] = []) {
        guard report.verdict >= .ask, let finding = report.decisiveFinding else {
            self = .noDecision
            return
        }
        self.init(finding: finding, notices: notices)
    }

    /// The decision for one deciding finding.
    public init(finding: Finding, notices: [String] = []) {
        var reason = Explanation.sentence(for: finding)
        for notice in notices { reason += " (\(notice))" }
        if reason.isEmpty { reason = Self.fallbackReason }
        switch finding.verdict {
        case .block: self = .block(reason: reason)
        case .ask: self = .ask(reason: reason)
        case .allow, .pass: self = .noDecision
        }
    }

    /// For an agent whose hook cannot ask: ask becomes block, saying so (fail closed, as toolguard does when
    /// it cannot decide), and telling the agent to leave the command to the person.
    public func askingImpossible(for agent: Agent) -> HookDecision {
        notAsked(because: "\(agent.name)'s hook cannot ask the person")
    }

    /// Where the person will not be asked although the agent could ask (Claude Code in `auto` or `dontAsk`
    /// mode, where an ask has been seen to let the call run): ask becomes block, saying why.
    public func notAsked(because why: String) -> HookDecision {
        guard case .ask(let reason) = self else { return self }
        return .block(
            reason: "\(why), so toolguard blocks what it would ask about — leave this command to the person. "
                + reason)
    }
}

/// What the hook prints and how it exits.
public struct HookAnswer: Sendable, Hashable {
    /// Standard output.
    public var standardOutput: String
    /// Standard error.
    public var standardError: String
    /// The exit status.
    public var exitStatus: Int32

    /// Creates an answer.
    public init(standardOutput: String = "", standardError: String = "", exitStatus: Int32 = 0) {
        self.standardOutput = standardOutput
        self.standardError = standardError
        self.exitStatus = exitStatus
    }

    /// The status that blocks in Claude Code, Codex, Gemini CLI, Cursor and Windsurf even where no JSON is read.
    public static let blockingStatus: Int32 = 2
}

/// Input the hook cannot read.
public struct HookInputError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was wrong with it.
    public let problem: String
    /// What the hook expected instead, e.g. "Claude Code's PreToolUse JSON".
    public let expected: String

    /// Creates an error.
    public init(problem: String, expected: String) {
        self.problem = problem
        self.expected = expected
    }

    /// One line for stderr: `toolguard: <what> — <what to do>`.
    public var description: String {
        "toolguard: \(problem) — the hook expects \(expected) on standard input"
    }
}

/// One agent's hook protocol: its input read into a ``HookRequest``, a ``HookDecision`` written as its answer.
public protocol AgentHook: Sendable {
    /// The agent.
    var agent: Agent { get }
    /// The input expected, for messages: "Claude Code's PreToolUse JSON".
    var expectedInput: String { get }
    /// Reads the agent's input, already parsed as a JSON object.
    func request(from input: JSONValue) throws(HookInputError) -> HookRequest
    /// The answer for a decision, in exactly the agent's stdout, stderr and exit status.
    func answer(_ decision: HookDecision) -> HookAnswer
    /// The answer for input that cannot be read: the error's line on stderr, and the fail mode decides.
    func answer(unreadable error: HookInputError, failMode: FailMode) -> HookAnswer
    /// Why the person will not be asked, although this agent's hook can ask, as the input says; `nil` when
    /// an ask reaches the person (or the agent cannot ask at all, which its ``answer(_:)`` handles).
    func personNotAsked(_ input: JSONValue) -> String?
}

extension AgentHook {
    /// Closed: the blocking status with empty stdout; open: the agent's no decision. Either way one line on stderr.
    public func answer(unreadable error: HookInputError, failMode: FailMode) -> HookAnswer {
        let line = error.description + "\n"
        switch failMode {
        case .closed: return HookAnswer(standardError: line, exitStatus: HookAnswer.blockingStatus)
        case .open: return HookAnswer(standardOutput: answer(.noDecision).standardOutput, standardError: line)
        }
    }

    /// By default the input says nothing about whether the person is asked.
    public func personNotAsked(_ input: JSONValue) -> String? { nil }

    func error(_ problem: String) -> HookInputError {
        HookInputError(problem: problem, expected: expectedInput)
    }
}

/// Reading the hook's stdin: which agent sent it, and what it asks.
public enum AgentHooks {
    /// The agent assumed when the input fits no agent's shape: the protocol toolguard spoke first.
    public static let fallback = Agent.claude

    /// What the hook read.
    public struct Reading: Sendable, Hashable {
        /// The agent to answer: the one forced, else the one detected, else ``AgentHooks/fallback``.
        public let agent: Agent
        /// The request, or why the input cannot be read.
        public let request: Result<HookRequest, HookInputError>
        /// Why the person will not be asked, from the input (``AgentHook/personNotAsked(_:)``); `nil` when
        /// an ask reaches them.
        public var personNotAsked: String? = nil

        /// The answer for a decision, in the agent's words; an ask becomes a block where the input says the
        /// person will not be asked.
        public func answer(_ decision: HookDecision) -> HookAnswer {
            agent.hook.answer(personNotAsked.map { decision.notAsked(because: $0) } ?? decision)
        }
    }

    /// Reads stdin's bytes as `forced`'s input, or as the input of the agent its shape shows.
    public static func read(_ bytes: [UInt8], agent forced: Agent? = nil) -> Reading {
        let expected = forced.map { $0.hook.expectedInput } ?? "a coding agent's hook JSON (or name it with --agent)"
        func failure(_ problem: String) -> Reading {
            Reading(
                agent: forced ?? fallback, request: .failure(HookInputError(problem: problem, expected: expected)))
        }
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            return failure("the hook input is empty")
        }
        let value: JSONValue
        do {
            value = try JSONValue.parse(bytes)
        } catch {
            return failure("the hook input is not valid JSON (\(error))")
        }
        guard value.objectValue != nil else { return failure("the hook input is not a JSON object") }
        if forced == nil, value["clineVersion"] != nil {
            return failure("this is Cline's hook input, which toolguard does not read")
        }
        let agent = forced ?? Agent.detect(value) ?? fallback
        do {
            let request = try agent.hook.request(from: value)
            return Reading(agent: agent, request: .success(request), personNotAsked: agent.hook.personNotAsked(value))
        } catch {
            return Reading(agent: agent, request: .failure(error))
        }
    }
}

extension JSONValue {
    /// A non-empty string member, or nil: agents send `"cwd": ""` for "unknown".
    func nonEmptyString(_ key: String) -> String? {
        guard let text = self[key]?.stringValue, !text.isEmpty else { return nil }
        return text
    }
}

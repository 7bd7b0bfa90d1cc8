/// Where each coding agent keeps its hook file, and what toolguard's entry in it looks like: one row per agent,
/// read by ``AgentHookSettings`` (the edit), ``AgentInstaller`` (the files) and `doctor` (the self-test input).
///
/// Every row was checked against the agent's own documentation (2026-12, with the reference in
/// `reference/agent-hook-protocols.md`); the `source` of each row names the page. Claude Code's row is here for
/// detection and the self-test; its settings file is written by ``ClaudeSettings`` (hook, deny rules, scopes).
///
/// | agent | configuration directory | user file | project file | event → entry |
/// |---|---|---|---|---|
/// | claude | `~/.claude` (`CLAUDE_CONFIG_DIR`) | `settings.json` | `.claude/settings.json` | `PreToolUse` → `{matcher, hooks: [handler]}` |
/// | codex | `~/.codex` (`CODEX_HOME`) | `hooks.json` | `.codex/hooks.json` | `PreToolUse` → `{matcher: "Bash", hooks: [handler]}` |
/// | gemini | `~/.gemini` | `settings.json` | `.gemini/settings.json` | `BeforeTool` → `{matcher, hooks: [handler]}` |
/// | cursor | `~/.cursor` | `hooks.json` | `.cursor/hooks.json` | `beforeShellExecution` → `[handler]`, `"version": 1` |
/// | copilot | `~/.copilot` (`COPILOT_HOME`) | `hooks/toolguard.json` | `.github/hooks/toolguard.json` | `preToolUse` → `[handler]`, `"version": 1` |
/// | windsurf | `~/.codeium/windsurf` | `hooks.json` | `.windsurf/hooks.json` | `pre_run_command`, `pre_write_code` → `[handler]` |
public struct AgentHookFile: Sendable {
    /// How the agent nests its handlers under an event.
    public enum Shape: Sendable, Hashable {
        /// `event → [ {matcher, hooks: [handler]} ]` (Claude Code, Codex, Gemini CLI).
        case grouped
        /// `event → [handler]` (Cursor, Copilot CLI, Windsurf).
        case flat
    }

    /// One event toolguard registers under, with the group's matcher when the shape is ``Shape/grouped``.
    public struct Registration: Sendable, Hashable {
        /// The event key under `hooks`.
        public let event: String
        /// The group's matcher (grouped shapes only).
        public let matcher: String?
    }

    /// The agent.
    public let agent: Agent
    /// The configuration directory under the home directory (its existence is what `--agent all` looks for).
    public let configDirectory: String
    /// The variable that moves the configuration directory, when the agent has one (used when absolute).
    public let configDirectoryVariable: String?
    /// The user-scope hook file, relative to the configuration directory.
    public let userFile: String
    /// The project-scope hook file, relative to the project root; `nil` when the agent has none.
    public let projectFile: String?
    /// How handlers nest under an event.
    public let shape: Shape
    /// The events (and matchers) toolguard's handler is registered under.
    public let registrations: [Registration]
    /// The handler key that holds the command line (`command`, or Copilot's `bash`).
    public let commandKey: String
    /// The handler's other fields, as install writes them.
    public let handlerFields: JSONObject
    /// Top-level keys the file needs, added when absent (Cursor and Copilot refuse a file without `version`).
    public let topLevelFields: JSONObject
    /// What the person still has to do that toolguard cannot, printed after install; `nil` when nothing.
    public let nextStep: String?
    /// Where the row's facts come from.
    public let source: String
    /// The agent's hook input for a shell command run in a directory, for `doctor`'s self-test.
    public let sampleInput: @Sendable (_ command: String, _ directory: String) -> JSONValue

    /// The handler install writes, running `hookCommand`.
    public func handler(_ hookCommand: String) -> JSONObject {
        // The command right after `type` (first without one), as the agents' own examples write it.
        var handler: JSONObject = [:]
        if let type = handlerFields["type"] { handler["type"] = type }
        handler[commandKey] = .string(hookCommand)
        for (key, value) in handlerFields where handler[key] == nil { handler[key] = value }
        return handler
    }

    /// The command line registered for the binary at `binaryPath`: it names its agent.
    public func hookCommand(binaryPath: String) -> String {
        ClaudeSettings.shellQuoted(binaryPath) + " " + ClaudeSettings.hookSubcommand + " --agent " + agent.rawValue
    }
}

extension AgentHookFile {
    /// The hook timeout install writes, in seconds (the hook blocks by itself after 5 s).
    static let timeoutSeconds = 10

    /// One row per agent, in ``Agent`` order.
    public static let all: [AgentHookFile] = [claude, codex, gemini, cursor, copilot, windsurf]

    /// The row of `agent`.
    public static func row(_ agent: Agent) -> AgentHookFile {
        all.first { $0.agent == agent }!
    }

    /// Claude Code: code.claude.com/docs/en/hooks ("Hook locations", "Configuration").
    static let claude = AgentHookFile(
        agent: .claude, configDirectory: ".claude", configDirectoryVariable: "CLAUDE_CONFIG_DIR",
        userFile: "settings.json", projectFile: ".claude/settings.json", shape: .grouped,
        registrations: ClaudeSettings.matchers.map { Registration(event: "PreToolUse", matcher: $0) },
        commandKey: "command",
        handlerFields: [
            "type": "command", "timeout": JSONValue(timeoutSeconds),
            "onFailure": .string(ClaudeSettings.failClosedValue),
        ],
        topLevelFields: [:], nextStep: nil, source: "https://code.claude.com/docs/en/hooks",
        sampleInput: { command, directory in
            [
                "session_id": "toolguard-doctor", "cwd": .string(directory), "hook_event_name": "PreToolUse",
                "tool_name": "Bash", "tool_input": .object(["command": .string(command)]),
            ]
        })

    /// Codex CLI: developers.openai.com/codex/hooks ("Where Codex looks for hooks": `~/.codex/hooks.json`,
    /// `<repo>/.codex/hooks.json`; Claude's three levels; `timeout` in seconds; non-managed hooks must be
    /// reviewed and trusted in `/hooks`, an untrusted or changed one is skipped; hooks on by default since
    /// 0.124.0, before that behind `[features] codex_hooks = true`).
    static let codex = AgentHookFile(
        agent: .codex, configDirectory: ".codex", configDirectoryVariable: "CODEX_HOME", userFile: "hooks.json",
        projectFile: ".codex/hooks.json", shape: .grouped,
        registrations: [Registration(event: "PreToolUse", matcher: "Bash")], commandKey: "command",
        handlerFields: ["type": "command", "timeout": JSONValue(timeoutSeconds)], topLevelFields: [:],
        nextStep: "Codex runs a new or changed hook only once you trust it: start codex, type /hooks and trust"
            + " toolguard's PreToolUse hook (until then Codex skips it without a word). Codex older than 0.124"
            + " also needs `[features]` `codex_hooks = true` in ~/.codex/config.toml.",
        source: "https://developers.openai.com/codex/hooks",
        sampleInput: { command, directory in
            [
                "session_id": "toolguard-doctor", "turn_id": "toolguard-doctor", "cwd": .string(directory),
                "hook_event_name": "PreToolUse", "model": "toolguard-doctor", "permission_mode": "default",
                "tool_name": "Bash", "tool_input": .object(["command": .string(command)]),
            ]
        })

    /// Gemini CLI: geminicli.com/docs/hooks/reference ("Configuration schema": `hooks.<event>` holds
    /// `{matcher, hooks: [{name, type, command, timeout}]}`, the matcher a regex on the tool name, `timeout` in
    /// milliseconds; `~/.gemini/settings.json` and `.gemini/settings.json`).
    static let gemini = AgentHookFile(
        agent: .gemini, configDirectory: ".gemini", configDirectoryVariable: nil, userFile: "settings.json",
        projectFile: ".gemini/settings.json", shape: .grouped,
        registrations: [
            Registration(
                event: "BeforeTool",
                matcher: ([GeminiHook.shellTool] + GeminiHook.fileTools.sorted()).joined(separator: "|"))
        ],
        commandKey: "command",
        handlerFields: ["name": "toolguard", "type": "command", "timeout": JSONValue(timeoutSeconds * 1000)],
        topLevelFields: [:],
        nextStep: "Gemini CLI releases before hooks were on by default also need `\"hooksConfig\": {\"enabled\": true}`"
            + " in ~/.gemini/settings.json; restart gemini to load the hook.",
        source: "https://geminicli.com/docs/hooks/reference",
        sampleInput: { command, directory in
            [
                "session_id": "toolguard-doctor", "cwd": .string(directory), "hook_event_name": "BeforeTool",
                "timestamp": "1970-01-01T00:00:00Z", "tool_name": .string(GeminiHook.shellTool),
                "tool_input": .object(["command": .string(command)]),
            ]
        })

    /// Cursor: cursor.com/docs/agent/hooks, via the third-party-hooks page and the reference's §2 (`{"version": 1,
    /// "hooks": {"beforeShellExecution": [{"command": …, "failClosed": true}]}}` in `~/.cursor/hooks.json` or
    /// `.cursor/hooks.json`; Cursor rejects a file without `version`). No `timeout`: its unit is not documented
    /// consistently, and a too-short one with `failClosed` would block every command.
    static let cursor = AgentHookFile(
        agent: .cursor, configDirectory: ".cursor", configDirectoryVariable: nil, userFile: "hooks.json",
        projectFile: ".cursor/hooks.json", shape: .flat,
        registrations: [Registration(event: CursorHook.event, matcher: nil)], commandKey: "command",
        handlerFields: ["failClosed": true], topLevelFields: ["version": 1],
        nextStep: "Cursor reads ~/.cursor/hooks.json when it starts: reload its window.",
        source: "https://cursor.com/docs/agent/hooks",
        sampleInput: { command, directory in
            [
                "hook_event_name": .string(CursorHook.event), "conversation_id": "toolguard-doctor",
                "generation_id": "toolguard-doctor", "workspace_roots": [.string(directory)],
                "cursor_version": "toolguard-doctor", "command": .string(command), "cwd": .string(directory),
            ]
        })

    /// GitHub Copilot CLI: docs.github.com/en/copilot/reference/hooks-reference ("Hooks locations": personal
    /// hooks are `*.json` in `~/.copilot/hooks/`, or under `COPILOT_HOME`; repository hooks `.github/hooks/*.json`;
    /// `{"version": 1, "hooks": {"preToolUse": [{"type": "command", "bash": …, "timeoutSec": …}]}}`). toolguard
    /// writes its own file, `toolguard.json`, in those directories.
    static let copilot = AgentHookFile(
        agent: .copilot, configDirectory: ".copilot", configDirectoryVariable: "COPILOT_HOME",
        userFile: "hooks/toolguard.json", projectFile: ".github/hooks/toolguard.json", shape: .flat,
        registrations: [Registration(event: "preToolUse", matcher: nil)], commandKey: "bash",
        handlerFields: ["type": "command", "timeoutSec": JSONValue(timeoutSeconds)], topLevelFields: ["version": 1],
        nextStep: nil, source: "https://docs.github.com/en/copilot/reference/hooks-reference",
        sampleInput: { command, directory in
            [
                "timestamp": 0, "cwd": .string(directory), "toolName": .string(CopilotHook.shellTool),
                "toolArgs": .string(JSONValue.object(["command": .string(command)]).serialized()),
            ]
        })

    /// Windsurf (Cascade): docs.windsurf.com/windsurf/cascade/hooks ("Configuration": user level
    /// `~/.codeium/windsurf/hooks.json`, workspace `.windsurf/hooks.json`; `{"hooks": {"pre_run_command":
    /// [{"command": …, "show_output": true}]}}`; exit 2 blocks a pre-hook).
    static let windsurf = AgentHookFile(
        agent: .windsurf, configDirectory: ".codeium/windsurf", configDirectoryVariable: nil, userFile: "hooks.json",
        projectFile: ".windsurf/hooks.json", shape: .flat,
        registrations: [WindsurfHook.shellEvent, WindsurfHook.writeEvent].map { Registration(event: $0, matcher: nil) },
        commandKey: "command", handlerFields: ["show_output": true], topLevelFields: [:],
        nextStep: "Windsurf reads hooks.json when Cascade starts: reload its window.",
        source: "https://docs.windsurf.com/windsurf/cascade/hooks",
        sampleInput: { command, directory in
            [
                "agent_action_name": .string(WindsurfHook.shellEvent), "trajectory_id": "toolguard-doctor",
                "execution_id": "toolguard-doctor", "timestamp": "1970-01-01T00:00:00Z",
                "tool_info": .object(["command_line": .string(command), "cwd": .string(directory)]),
            ]
        })
}

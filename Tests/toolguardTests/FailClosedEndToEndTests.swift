import Foundation
import GuardKit
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Issue 14 §4: the hook fails closed wherever the agent allows it — its usage errors (in
/// `AgentHooksEndToEnd`), a crash, its own deadline, and an ask where the person will not be asked.
@Suite struct FailClosedEndToEnd {
    /// Starts the hook with stdin held open (so it is still running), lets `act` do something to it, and
    /// returns what it answered.
    func runHeld(
        _ arguments: [String], environment: [String: String], act: (Foundation.Process) -> Void
    ) throws -> Binary.Result {
        let process = Foundation.Process()
        process.executableURL = URL(fileURLWithPath: Binary.path)
        process.arguments = arguments
        process.environment = environment
        let stdin = Pipe()
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        act(process)
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        let error = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try? stdin.fileHandleForWriting.close()
        #expect(process.terminationReason == .exit, "the hook ended by a signal, which every agent lets through")
        return Binary.Result(
            status: process.terminationStatus, standardOutput: String(decoding: output, as: UTF8.self),
            standardError: String(decoding: error, as: UTF8.self))
    }

    /// Past its deadline the hook blocks by itself, before any agent's timeout lets the command through.
    @Test(arguments: AgentShape.allCases)
    func theDeadlineBlocks(_ shape: AgentShape) throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        var environment = workspace.environment
        environment["TOOLGUARD_HOOK_DEADLINE_MS"] = "200"
        let result = try runHeld(["hook", "--agent", shape.agent], environment: environment) { _ in }
        #expect(result.status == shape.blocked.status)
        #expect(try shape.decision(in: result.standardOutput) == shape.blocked.decision)
        #expect(result.standardError.contains("ran past its deadline"))
    }

    /// The variable only shortens the deadline: a huge value leaves the built-in one (the hook still ends).
    @Test func theDeadlineCannotBeLengthened() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        var environment = workspace.environment
        environment["TOOLGUARD_HOOK_DEADLINE_MS"] = "999999999"
        let started = Date()
        let result = try runHeld(["hook", "--agent", "claude"], environment: environment) { _ in }
        #expect(result.status == 2)
        #expect(Date().timeIntervalSince(started) < 60)
    }

    /// A crash — a trap, a segmentation fault, an abort — answers the agent's deny, not a signal death.
    @Test(arguments: AgentShape.allCases, [SIGSEGV, SIGILL, SIGABRT, SIGBUS])
    func aCrashBlocks(_ shape: AgentShape, signal: Int32) throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let result = try runHeld(["hook", "--agent", shape.agent], environment: workspace.environment) { process in
            usleep(300_000)
            kill(process.processIdentifier, signal)
        }
        #expect(result.status == shape.blocked.status)
        #expect(try shape.decision(in: result.standardOutput) == shape.blocked.decision)
        #expect(result.standardError.contains("the hook failed"))
    }

    /// Claude Code's `auto` and `dontAsk` modes do not ask the person: what toolguard would ask about is denied,
    /// leaving it to the person; in the other modes the ask stands.
    @Test(arguments: [
        ("auto", false), ("dontAsk", false), ("default", true), ("plan", true), ("acceptEdits", true),
        ("bypassPermissions", true),
    ])
    func claudeModesWithoutAskingDeny(_ mode: String, asks: Bool) throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let input: JSONValue = [
            "session_id": "s", "cwd": .string(workspace.project), "permission_mode": .string(mode),
            "hook_event_name": "PreToolUse", "tool_name": "Bash",
            "tool_input": ["command": .string(AgentHooksEndToEnd.askedCommand)],
        ]
        for arguments in [["hook"], ["hook", "--agent", "claude"]] {
            let result = try Binary.run(arguments, input: input.serialized(), environment: workspace.environment)
            let decision = try JSONValue.parse(result.standardOutput)["hookSpecificOutput"]?["permissionDecision"]
            if asks {
                #expect(result.status == 0)
                #expect(decision?.stringValue == "ask")
            } else {
                #expect(result.status == 2)
                #expect(decision?.stringValue == "deny")
                #expect(result.standardError.contains("\(mode) mode, where the person is not asked"))
                #expect(result.standardError.contains("leave this command to the person"))
            }
        }
        // A block is a block in every mode, and a command toolguard passes stays silent.
        let blocked: JSONValue = [
            "cwd": .string(workspace.project), "permission_mode": .string(mode), "hook_event_name": "PreToolUse",
            "tool_name": "Bash", "tool_input": ["command": "pip install requests"],
        ]
        #expect(try Binary.run(["hook"], input: blocked.serialized(), environment: workspace.environment).status == 2)
        let passed: JSONValue = [
            "cwd": .string(workspace.project), "permission_mode": .string(mode), "hook_event_name": "PreToolUse",
            "tool_name": "Bash", "tool_input": ["command": "ls"],
        ]
        let silent = try Binary.run(["hook"], input: passed.serialized(), environment: workspace.environment)
        #expect(silent.status == 0 && silent.standardOutput.isEmpty)
    }

    /// A line too long to read before the agent gives up on its hook is judged by its words (SPEC §10): a
    /// megabyte of harmless commands ending in a global install is still stopped (deny when read in full,
    /// ask by its words past the reading deadline — or the hook's own deadline on a slow machine: deny);
    /// the same megabyte naming no guarded program runs. Timing is the benchmark's; this checks the answer.
    @Test func aMegabyteLineIsStillJudged() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let filler = String(repeating: "echo x > /dev/null; ", count: 50_000)
        for (command, stopped) in [(filler + "pip install requests", true), (filler + "ls -la", false)] {
            let input: JSONValue = [
                "cwd": .string(workspace.project), "hook_event_name": "PreToolUse", "tool_name": "Bash",
                "tool_input": ["command": .string(command)],
            ]
            let result = try Binary.run(
                ["hook", "--agent", "claude"], input: input.serialized(), environment: workspace.environment)
            if stopped {
                let decision = try JSONValue.parse(result.standardOutput)["hookSpecificOutput"]?["permissionDecision"]
                #expect(decision?.stringValue == "deny" || decision?.stringValue == "ask", "\(result.standardError)")
            } else if !result.standardError.contains("ran past its deadline") {
                #expect(result.status == 0 && result.standardOutput.isEmpty, "\(result.standardOutput)")
            }
        }
    }
}

#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Musl)
    internal import Musl
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// `toolguard install|uninstall|doctor --agent codex|gemini|cursor|copilot|windsurf`: the hook registered in
/// each agent's own hook file (``AgentHookFile``, ``AgentHookSettings``), recorded in a ledger of its own,
/// pinned like Claude Code's. Claude Code itself goes through ``Installer`` (its file also carries deny rules).
public struct AgentInstaller: Sendable {
    /// Claude Code's installer: locations, binary, lock.
    public let installer: Installer
    /// The environment, for the variables that move an agent's configuration directory.
    public let environment: [String: String]

    /// Creates an agent installer.
    public init(installer: Installer, environment: [String: String]) {
        self.installer = installer
        self.environment = environment
    }

    /// Where a scope's hook file is.
    public enum Scope: String, Sendable, Hashable {
        /// The user's own file, for every project.
        case user
        /// The project's file.
        case project
    }

    /// The ledger of what install added to other agents' hook files.
    public var ledgerPath: String { installer.locations.stateDirectory + "/agent-installs.json" }

    /// The agent's configuration directory: its variable when set to an absolute path, else under HOME.
    public func configDirectory(_ file: AgentHookFile) -> String {
        if let variable = file.configDirectoryVariable, let value = environment[variable], value.hasPrefix("/") {
            return Paths.normalize(value)
        }
        return Paths.normalize(installer.locations.home + "/" + file.configDirectory)
    }

    /// The agents whose configuration directory exists, in ``Agent`` order.
    public func detected() -> [Agent] {
        AgentHookFile.all.filter { HookFileSystem.isDirectory(configDirectory($0)) }.map(\.agent)
    }

    /// The hook file of `file` at `scope`; `nil` for project scope without a project or a project file.
    public func hookFilePath(_ file: AgentHookFile, scope: Scope, projectRoot: String?) -> String? {
        switch scope {
        case .user: return configDirectory(file) + "/" + file.userFile
        case .project:
            guard let projectRoot, let relative = file.projectFile else { return nil }
            return Paths.normalize(projectRoot + "/" + relative)
        }
    }

    /// The command registered for `file`'s agent.
    public func hookCommand(_ file: AgentHookFile) -> String { file.hookCommand(binaryPath: installer.binaryPath) }

    /// Computes every agent's install without writing anything: an invalid file is refused before any is changed.
    public func plan(_ files: [(file: AgentHookFile, path: String)]) throws(InstallerError) -> [AgentHookSettings.Plan?]
    {
        var plans: [AgentHookSettings.Plan?] = []
        for (file, path) in files {
            do {
                plans.append(try AgentHookSettings.plan(at: path, file: file, hookCommand: hookCommand(file)))
            } catch {
                throw InstallerError(message: error.description)
            }
        }
        return plans
    }

    /// Registers the hook in each file (after planning them all), then pins the binary; one line per thing done.
    public func install(_ files: [(file: AgentHookFile, path: String)]) throws(InstallerError) -> [String] {
        try InstallFiles.withLock(at: installer.lockPath) { () throws(InstallerError) -> [String] in
            for (_, path) in files { InstallFiles.removeStaleTemporaries(besides: path) }
            let plans = try plan(files)
            var lines: [String] = []
            for ((file, path), plan) in zip(files, plans) {
                var outcome = SettingsFileOutcome.unchanged
                if let plan {
                    do throws(SettingsError) {
                        outcome = try AgentHookSettings.apply(
                            plan, file: file, hookCommand: hookCommand(file), ledgerPath: ledgerPath)
                    } catch {
                        throw InstallerError(message: error.description)
                    }
                }
                lines.append("\(file.agent.name): \(path): \(outcome) (hook: \(hookCommand(file)))")
            }
            do throws(PinError) {
                let manifest = try Pin.pin(
                    binaryPath: installer.binaryPath, manifestPath: installer.locations.pinManifest)
                lines.append("pinned \(manifest.path) sha256 \(manifest.sha256) in \(installer.locations.pinManifest)")
            } catch {
                throw InstallerError(message: error.description)
            }
            return lines
        }
    }

    /// The files install recorded for `agents`.
    public func recordedFiles(for agents: [Agent]) throws(InstallerError) -> [(file: AgentHookFile, path: String)] {
        let ledger: InstallLedger
        do { ledger = try InstallLedger.read(at: ledgerPath) } catch {
            throw InstallerError(message: error.description)
        }
        return ledger.settingsPaths.compactMap { path in
            guard let command = ledger[path]?.hookCommand,
                let agent = agents.first(where: { command.hasSuffix(" --agent " + $0.rawValue) })
            else { return nil }
            return (AgentHookFile.row(agent), path)
        }
    }

    /// Removes exactly what install added to each file; removes the pin when no installation of any agent is left.
    public func uninstall(_ files: [(file: AgentHookFile, path: String)]) throws(InstallerError) -> [String] {
        try InstallFiles.withLock(at: installer.lockPath) { () throws(InstallerError) -> [String] in
            var lines: [String] = []
            for (file, path) in files {
                InstallFiles.removeStaleTemporaries(besides: path)
                do throws(SettingsError) {
                    let outcome = try AgentHookSettings.uninstall(at: path, file: file, ledgerPath: ledgerPath)
                    lines.append("\(file.agent.name): \(path): \(outcome)")
                } catch {
                    throw InstallerError(message: error.description)
                }
            }
            if ((try? InstallLedger.read(at: ledgerPath).settingsPaths) ?? []).isEmpty {
                _ = try? FileIO.removeFile(atPath: ledgerPath)
            }
            if !installer.anyInstallationLeft,
                (try? FileIO.removeFile(atPath: installer.locations.pinManifest)) == true
            {
                lines.append("removed the pin \(installer.locations.pinManifest)")
            }
            return lines
        }
    }

    /// `doctor`'s checks of one agent's hook files (user, and project when in one): registered, running the
    /// expected binary, with every field install writes.
    public func check(_ file: AgentHookFile, projectRoot: String?, expectedBinary: String) -> [Installer.Check] {
        var checks: [Installer.Check] = []
        var registered = false
        for scope in [Scope.user, .project] {
            guard let path = hookFilePath(file, scope: scope, projectRoot: projectRoot) else { continue }
            let settings: JSONObject?
            do { settings = try ClaudeSettings.readSettings(at: path) } catch {
                checks.append(Installer.Check(passed: false, detail: "\(file.agent.name): \(error.description)"))
                continue
            }
            guard let settings else { continue }
            for handler in AgentHookSettings.registrations(in: settings, file: file) {
                registered = true
                let command = handler[file.commandKey]?.stringValue ?? ""
                let binary = ClaudeSettings.leadingWords(of: command, count: 1).first ?? ""
                let expected = file.hookCommand(binaryPath: expectedBinary)
                let missing = file.handlerFields.filter { handler[$0.key] == nil }.map(\.key)
                if command == expected && missing.isEmpty {
                    // One line per file, though Windsurf's handler sits under two events.
                    if checks.contains(where: { $0.passed && $0.detail.hasSuffix(" \(path): \(command)") }) { continue }
                    checks.append(
                        Installer.Check(passed: true, detail: "\(file.agent.name): hook in \(path): \(command)"))
                } else if binary != expectedBinary {
                    checks.append(
                        Installer.Check(
                            passed: false,
                            detail:
                                "\(file.agent.name): the hook in \(path) runs \(binary), not \(expectedBinary) — run"
                                + " toolguard install --agent \(file.agent.rawValue) again"))
                } else {
                    let lacking = missing.isEmpty ? "`--agent \(file.agent.rawValue)`" : missing.joined(separator: ", ")
                    checks.append(
                        Installer.Check(
                            passed: false,
                            detail: "\(file.agent.name): the hook in \(path) lacks \(lacking) — run toolguard install"
                                + " --agent \(file.agent.rawValue) again"))
                }
            }
        }
        if !registered {
            let path = hookFilePath(file, scope: .user, projectRoot: projectRoot) ?? file.userFile
            checks.insert(
                Installer.Check(
                    passed: false,
                    detail: "\(file.agent.name): no toolguard hook in \(path) — run toolguard install --agent"
                        + " \(file.agent.rawValue)"),
                at: 0)
        }
        return checks
    }
}

extension Installer {
    /// Whether any agent's hook file (Claude Code's or another's) still has a recorded installation.
    public var anyInstallationLeft: Bool {
        let agentLedger = locations.stateDirectory + "/agent-installs.json"
        return [locations.installLedger, agentLedger].contains {
            !((try? InstallLedger.read(at: $0).settingsPaths) ?? []).isEmpty
        }
    }
}

/// The two file-system facts the agent installer needs beyond ``FileIO``.
enum HookFileSystem {
    /// Whether `path` is a directory (or a link to one).
    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// Removes the directory at `path` when it is empty (anything else is left); whether it was removed.
    @discardableResult
    static func removeEmptyDirectory(_ path: String) -> Bool {
        rmdir(path) == 0
    }
}

/// `doctor`'s self-test for any agent: the answer the hook gives must be the agent's own answer to the expected
/// decision, byte for byte (a block's reason is taken from standard error, where every agent's block puts it).
public enum AgentSelfTest {
    /// The input for a case.
    public static func input(_ testCase: SelfTest.Case, agent: Agent, directory: String) -> String {
        AgentHookFile.row(agent).sampleInput(testCase.command, directory).serialized()
    }

    /// `nil` when the hook answered as `agent` must; else what was wrong.
    public static func problem(
        _ testCase: SelfTest.Case, agent: Agent, status: Int32, output: String, error: String
    ) -> String? {
        let reason = error.hasSuffix("\n") ? String(error.dropLast()) : error
        let expected = agent.hook.answer(testCase.decision == nil ? .noDecision : .block(reason: reason))
        if testCase.decision != nil && reason.isEmpty { return "no reason on standard error, expected a block" }
        if status != expected.exitStatus { return "exit \(status), expected \(expected.exitStatus)" }
        if output != expected.standardOutput {
            return testCase.decision == nil
                ? "printed \(output.debugDescription), expected no decision" : "not \(agent.name)'s deny"
        }
        return nil
    }
}

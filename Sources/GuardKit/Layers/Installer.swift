/// `toolguard install`, `uninstall` and `doctor` (SPEC §9): the three layers put in place, taken away,
/// and checked. File changes go through `ClaudeSettings` (atomic, backed up, refused on invalid JSON).
public struct Installer: Sendable {
    /// Where toolguard's own files are.
    public let locations: Locations
    /// The absolute path of the binary the hook entry runs.
    public let binaryPath: String
    /// Every enabled module's deny patterns (layer 1).
    public let denyRules: [String]

    /// Creates an installer.
    public init(locations: Locations, binaryPath: String, denyRules: [String]) {
        self.locations = locations
        self.binaryPath = binaryPath
        self.denyRules = denyRules
    }

    /// The hook command written into settings.
    public var hookCommand: String { ClaudeSettings.hookCommand(binaryPath: binaryPath) }

    /// The settings file of a scope; project scopes need a project root.
    public func settingsPath(_ scope: ClaudeSettings.Scope, projectRoot: String?) -> String? {
        if scope == .managed { return locations.claudeManagedDropIn }
        if scope != .user, projectRoot == nil { return nil }
        return scope.settingsPath(home: locations.home, projectRoot: projectRoot ?? "/")
    }

    /// The lock every install and uninstall holds (``InstallFiles``).
    public var lockPath: String { locations.stateDirectory + "/" + InstallFiles.lockFileName }

    /// Under the lock, after removing what a killed run left beside the files it writes.
    private func exclusively<T>(touching paths: [String], _ body: () throws(InstallerError) -> T)
        throws(InstallerError) -> T
    {
        try InstallFiles.withLock(at: lockPath) { () throws(InstallerError) -> T in
            for path in paths + [locations.installLedger, locations.pinManifest] {
                InstallFiles.removeStaleTemporaries(besides: path)
            }
            return try body()
        }
    }

    /// Registers the hook and the deny rules in the scope's settings file, then pins the binary.
    /// Returns one line per thing done.
    public func install(into path: String) throws(InstallerError) -> [String] {
        try exclusively(touching: [path]) { () throws(InstallerError) -> [String] in try installLocked(into: path) }
    }

    private func installLocked(into path: String) throws(InstallerError) -> [String] {
        let outcome: SettingsFileOutcome
        do {
            outcome = try ClaudeSettings.installSettings(
                at: path, hookCommand: hookCommand, denyRules: denyRules, ledgerPath: locations.installLedger)
        } catch {
            throw InstallerError(message: error.description)
        }
        let manifest: PinManifest
        do {
            manifest = try Pin.pin(binaryPath: binaryPath, manifestPath: locations.pinManifest)
        } catch {
            throw InstallerError(message: error.description)
        }
        return [
            "\(path): \(outcome) (hook: \(hookCommand); \(denyRules.count) deny rules)",
            "pinned \(manifest.path) sha256 \(manifest.sha256) in \(locations.pinManifest)",
        ]
    }

    /// Removes exactly what install added: from the given settings files, or from every file install
    /// recorded; removes the pin when no installation is left.
    public func uninstall(from paths: [String]?) throws(InstallerError) -> [String] {
        try exclusively(touching: paths ?? []) { () throws(InstallerError) -> [String] in
            try uninstallLocked(from: paths)
        }
    }

    private func uninstallLocked(from paths: [String]?) throws(InstallerError) -> [String] {
        var targets: [String]
        if let paths {
            targets = paths
        } else {
            do throws(SettingsError) {
                targets = try InstallLedger.read(at: locations.installLedger).settingsPaths
            } catch {
                throw InstallerError(message: error.description)
            }
        }
        var lines: [String] = []
        for path in targets {
            InstallFiles.removeStaleTemporaries(besides: path)
            do {
                let outcome = try ClaudeSettings.uninstallSettings(
                    at: path, denyRules: denyRules, ledgerPath: locations.installLedger)
                lines.append("\(path): \(outcome)")
            } catch {
                throw InstallerError(message: error.description)
            }
        }
        // The pin stays while any agent's hook file (``AgentInstaller``) still runs the binary.
        if !anyInstallationLeft {
            if (try? FileIO.removeFile(atPath: locations.pinManifest)) == true {
                lines.append("removed the pin \(locations.pinManifest)")
            }
            _ = try? FileIO.removeFile(atPath: locations.installLedger)
        }
        if lines.isEmpty { lines.append("nothing to uninstall: no installation is recorded") }
        return lines
    }

    /// One line of `doctor`'s report.
    public struct Check: Sendable, Hashable {
        /// Whether the layer is in place.
        public var passed: Bool
        /// What was checked and found.
        public var detail: String

        /// Creates a line.
        public init(passed: Bool, detail: String) {
            self.passed = passed
            self.detail = detail
        }
    }

    /// Checks the three layers in the settings files that apply to `projectRoot`.
    public func checkLayers(projectRoot: String?) -> [Check] {
        var checks: [Check] = []
        var registeredIn: [String] = []
        var bestMissing: [String]?
        for scope in ClaudeSettings.Scope.allCases {
            guard let path = settingsPath(scope, projectRoot: projectRoot) else { continue }
            let settings: JSONObject?
            do {
                settings = try ClaudeSettings.readSettings(at: path)
            } catch {
                checks.append(Check(passed: false, detail: "\(path): \(error.description)"))
                continue
            }
            guard let settings else { continue }
            let status = ClaudeSettings.status(of: .object(settings), hookCommand: nil, denyRules: denyRules)
            if status.hasBashHook {
                registeredIn.append(path)
                let files = status.hasFileToolsHook ? "" : " (the Write|Edit|MultiEdit entry is missing)"
                let commands = Set(status.registrations.map(\.command)).sorted().joined(separator: ", ")
                checks.append(
                    Check(passed: status.hasFileToolsHook, detail: "hook registered in \(path): \(commands)\(files)"))
                checks.append(Self.failClosedCheck(status.registrations, in: path))
            }
            if bestMissing == nil || status.missingDenyRules.count < bestMissing!.count {
                bestMissing = status.missingDenyRules
            }
        }
        if registeredIn.isEmpty {
            checks.insert(
                Check(
                    passed: false,
                    detail: "hook: not registered in any Claude Code settings file — run toolguard install"),
                at: 0)
        }
        let missing = bestMissing ?? denyRules
        if missing.isEmpty {
            checks.append(Check(passed: true, detail: "deny rules: all \(denyRules.count) present"))
        } else {
            checks.append(
                Check(passed: false, detail: "deny rules: \(missing.count) missing: \(missing.joined(separator: ", "))")
            )
        }
        let verification = Pin.verify(manifestPath: locations.pinManifest)
        checks.append(Check(passed: verification.isOK, detail: "pin: \(verification.description)"))
        return checks
    }
}

extension Installer {
    /// What an older Claude Code does with the handlers install writes.
    public static let olderClaudeCode =
        "Claude Code older than \(ClaudeSettings.onFailureSince) ignores onFailure: there a hook that cannot"
        + " start, times out or crashes lets the command through; toolguard's own 5 s deadline still blocks a slow hook"

    /// Whether every toolguard handler in a settings file names its agent and fails closed.
    static func failClosedCheck(_ registrations: [InstallStatus.Registration], in path: String) -> Check {
        let lacking = registrations.filter { !$0.missing.isEmpty }
        guard let first = lacking.first else {
            return Check(
                passed: true,
                detail: "fails closed in \(path): --agent claude, a timeout and onFailure block on every handler"
                    + " (\(olderClaudeCode))")
        }
        return Check(
            passed: false,
            detail: "\(path): \(lacking.count) of toolguard's handlers lack \(first.missing.joined(separator: ", "))"
                + " — run toolguard install again; without them a hook that cannot start, times out or crashes"
                + " lets the command through, and an unnamed agent is guessed from the input's shape")
    }
}

/// An install, uninstall or pin that could not be done; nothing was half-changed.
public struct InstallerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong and what to do.
    public let message: String
    /// The message.
    public var description: String { message }
}

/// The hook self-test `doctor` runs against the installed binary: known commands through the hook
/// protocol, and what must come back.
public enum SelfTest {
    /// A command and the exit status and decision the hook must give.
    public struct Case: Sendable, Hashable {
        /// The command sent as Claude Code's PreToolUse input.
        public let command: String
        /// The expected exit status.
        public let status: Int32
        /// The expected `permissionDecision`, or `nil` for empty output.
        public let decision: String?

        /// A command the hook must deny (exit 2, `deny`).
        public static func denies(_ command: String) -> Case { Case(command: command, status: 2, decision: "deny") }
        /// A command the hook must let run without a word (exit 0, no output).
        public static func passes(_ command: String) -> Case { Case(command: command, status: 0, decision: nil) }
    }

    /// Commands no module speaks for, whose verdict does not depend on the machine.
    static let engineCases = [Case.passes("ls -la && git status")]

    /// The self-test: the modules' global installs and plain commands (``Ecosystem/selfTests``), then the
    /// engine's.
    public static func cases(for ecosystems: [any Ecosystem]) -> [Case] {
        ecosystems.flatMap(\.selfTests) + engineCases
    }

    /// The PreToolUse input for a case.
    public static func input(for testCase: Case, directory: String) -> String {
        JSONValue.object([
            "session_id": "toolguard-doctor", "cwd": .string(directory), "hook_event_name": "PreToolUse",
            "tool_name": "Bash", "tool_input": .object(["command": .string(testCase.command)]),
        ]).serialized()
    }

    /// Whether the hook's answer is the expected one; `nil` when it is, else what was wrong.
    public static func problem(with testCase: Case, status: Int32, output: String) -> String? {
        if status != testCase.status { return "exit \(status), expected \(testCase.status)" }
        guard let decision = testCase.decision else {
            return output.isEmpty ? nil : "printed output, expected none"
        }
        let parsed = try? JSONValue.parse(output)
        let found = parsed?["hookSpecificOutput"]?["permissionDecision"]?.stringValue
        return found == decision ? nil : "decision \(found ?? "none"), expected \(decision)"
    }
}

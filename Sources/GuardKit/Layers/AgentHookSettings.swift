/// Registering toolguard in another agent's hook file, and taking it out again, with the guarantees SPEC §9
/// gives Claude Code's settings (``ClaudeSettings``), driven by the agent's row in ``AgentHookFile``.
///
/// - Every other key, entry and order is kept; what is missing is appended; nothing is duplicated, so a second
///   install gives the identical value and leaves the file untouched.
/// - **toolguard's handlers** are those whose command key (`command`, Copilot's `bash`) runs
///   `<…/>toolguard hook[ …]`; a re-install from another binary path updates the first in place and drops
///   further ones under the same event (and matcher).
/// - **What uninstall removes** is what the ``InstallRecord`` says install created (the file, its directory, the
///   `hooks` object, an event's array, a top-level key such as `version`), besides every toolguard handler and
///   the groups that removal empties. When the result equals the file as it was before the first install (its
///   backup), the backup's own bytes are written back, so the file is restored byte for byte.
/// - A file that is not a JSON object, or a key of the wrong type where install must write, is refused with
///   the key path, never overwritten; nothing is changed.
public enum AgentHookSettings {
    /// The record's key for "install created the file's directory, up to this one": the prefix, then the path.
    static let createdDirectoryKey = "(directory) "

    // MARK: - Pure edits

    /// `settings` with toolguard's handler registered as `file` describes.
    public static func install(into settings: JSONObject, file: AgentHookFile, hookCommand: String)
        throws(SettingsError) -> JSONObject
    {
        var root = settings
        for (key, value) in file.topLevelFields where root[key] == nil { root[key] = value }
        var hooks =
            try ClaudeSettings.member(of: root, "hooks", keyPath: "hooks", as: \.objectValue, expected: "an object")
            ?? [:]
        for registration in file.registrations {
            let keyPath = "hooks." + registration.event
            var entries =
                try ClaudeSettings.member(
                    of: hooks, registration.event, keyPath: keyPath, as: \.arrayValue, expected: "an array") ?? []
            switch file.shape {
            case .flat: register(hookCommand, file: file, in: &entries)
            case .grouped: registerGrouped(hookCommand, file: file, matcher: registration.matcher, in: &entries)
            }
            hooks[registration.event] = .array(entries)
        }
        root["hooks"] = .object(hooks)
        return root
    }

    /// `settings` without toolguard's handlers and without what `record` says install created.
    public static func uninstall(from settings: JSONObject, file: AgentHookFile, record: InstallRecord?)
        throws(SettingsError) -> JSONObject
    {
        var root = settings
        guard
            var hooks = try ClaudeSettings.member(
                of: root, "hooks", keyPath: "hooks", as: \.objectValue, expected: "an object")
        else { return root }
        var emptiedByUs: Set<String> = []
        for event in Set(file.registrations.map(\.event)).sorted() {
            let keyPath = "hooks." + event
            guard
                let entries = try ClaudeSettings.member(
                    of: hooks, event, keyPath: keyPath, as: \.arrayValue, expected: "an array")
            else { continue }
            var kept: [JSONValue] = []
            for entry in entries {
                if file.shape == .flat {
                    if !isToolguardHandler(entry, file: file, hookCommand: record?.hookCommand) { kept.append(entry) }
                    continue
                }
                guard case .object(var group) = entry, case .array(let handlers)? = group["hooks"] else {
                    kept.append(entry)
                    continue
                }
                let remaining = handlers.filter {
                    !isToolguardHandler($0, file: file, hookCommand: record?.hookCommand)
                }
                if remaining.count == handlers.count {
                    kept.append(entry)
                } else if !remaining.isEmpty {
                    group["hooks"] = .array(remaining)
                    kept.append(.object(group))
                }
            }
            if kept.isEmpty && !entries.isEmpty { emptiedByUs.insert(keyPath) }
            hooks[event] = .array(kept)
            let created = record.map { $0.createdKeys.contains(keyPath) } ?? emptiedByUs.contains(keyPath)
            if created && kept.isEmpty { hooks.removeValue(forKey: event) }
        }
        root["hooks"] = .object(hooks)
        if hooks.isEmpty, record?.createdKeys.contains("hooks") ?? !emptiedByUs.isEmpty {
            root.removeValue(forKey: "hooks")
        }
        for (key, value) in file.topLevelFields where record?.createdKeys.contains(key) == true && root[key] == value {
            root.removeValue(forKey: key)
        }
        return root
    }

    /// The handler commands of toolguard in `settings` under `file`'s events, with the handler objects.
    public static func registrations(in settings: JSONObject, file: AgentHookFile) -> [JSONObject] {
        var found: [JSONObject] = []
        for event in Set(file.registrations.map(\.event)).sorted() {
            for entry in settings["hooks"]?[event]?.arrayValue ?? [] {
                let handlers = file.shape == .flat ? [entry] : entry["hooks"]?.arrayValue ?? []
                for handler in handlers where isToolguardHandler(handler, file: file, hookCommand: nil) {
                    if let object = handler.objectValue { found.append(object) }
                }
            }
        }
        return found
    }

    /// What an install created, from the settings before (`nil`: no file) and after it.
    static func record(
        before: JSONObject?, after: JSONObject, file: AgentHookFile, hookCommand: String, createdDirectory: String?
    ) -> InstallRecord {
        let old = JSONValue.object(before ?? [:])
        let new = JSONValue.object(after)
        var keys = file.registrations.map { "hooks." + $0.event } + ["hooks"] + file.topLevelFields.map(\.key)
        keys = keys.reduce(into: []) { if !$0.contains($1) { $0.append($1) } }
        func value(_ keyPath: String, in root: JSONValue) -> JSONValue? {
            keyPath.split(separator: ".", maxSplits: 1).reduce(root) { $0?[String($1)] }
        }
        var created = keys.filter { value($0, in: old) == nil && value($0, in: new) != nil }
        if let createdDirectory { created.append(createdDirectoryKey + createdDirectory) }
        return InstallRecord(
            hookCommand: hookCommand, createdFile: before == nil, createdKeys: created, addedDenyRules: [])
    }

    // MARK: - Files

    /// What a file-level install would write, computed without writing: `nil` when nothing would change.
    public struct Plan: Sendable {
        /// The hook file.
        public let path: String
        /// The bytes read (`nil`: no file).
        let original: [UInt8]?
        /// The value read.
        let before: JSONObject?
        /// The value to write.
        let after: JSONObject
    }

    /// Reads the hook file at `path` and computes the install, refusing an invalid file; changes nothing.
    public static func plan(at path: String, file: AgentHookFile, hookCommand: String) throws(SettingsError) -> Plan? {
        let read = try ClaudeSettings.readSettingsFile(at: path)
        let after: JSONObject
        do throws(SettingsError) {
            after = try install(into: read?.object ?? [:], file: file, hookCommand: hookCommand)
        } catch {
            throw SettingsError(path: path, problem: error.problem)
        }
        if let before = read?.object, before == after { return nil }
        return Plan(path: path, original: read?.bytes, before: read?.object, after: after)
    }

    /// Writes a plan: the record into the ledger first, then the backup (from a file without toolguard's
    /// handlers, or when there is none yet), then the file, each atomically.
    public static func apply(_ plan: Plan, file: AgentHookFile, hookCommand: String, ledgerPath: String)
        throws(SettingsError) -> SettingsFileOutcome
    {
        // The outermost directory the write will create (`.github` for `.github/hooks/toolguard.json`).
        var createdDirectory: String?
        var directory = Paths.parent(plan.path)
        while directory != "/", !HookFileSystem.isDirectory(directory) {
            createdDirectory = directory
            directory = Paths.parent(directory)
        }
        var ledger = try InstallLedger.read(at: ledgerPath)
        let record = Self.record(
            before: plan.before, after: plan.after, file: file, hookCommand: hookCommand,
            createdDirectory: createdDirectory)
        ledger[plan.path] = ledger[plan.path].map { $0.merging(record) } ?? record
        try ledger.write(to: ledgerPath)
        do throws(FileIOError) {
            if let original = plan.original, let before = plan.before,
                registrations(in: before, file: file).isEmpty || !ClaudeSettings.hasBackup(plan.path)
            {
                try FileIO.writeAtomically(
                    path: ClaudeSettings.backupPath(of: plan.path), contents: original,
                    mode: ClaudeSettings.backupMode, directoryMode: 0o755)
            }
            try FileIO.writeAtomically(
                path: plan.path, contents: ClaudeSettings.serialized(plan.after), directoryMode: 0o755)
        } catch {
            throw SettingsError(path: plan.path, problem: .file(error))
        }
        return plan.before == nil ? .created : .updated
    }

    /// Uninstalls from the hook file at `path`, using and then dropping its record in `ledgerPath`. A file
    /// install created that would be left as `{}` is removed (and its directory, when install created it and it
    /// is empty); a result equal to the backup is written back as the backup's bytes.
    public static func uninstall(at path: String, file: AgentHookFile, ledgerPath: String)
        throws(SettingsError) -> SettingsFileOutcome
    {
        var ledger = try InstallLedger.read(at: ledgerPath)
        let record = ledger[path]
        var outcome = SettingsFileOutcome.unchanged
        if let read = try ClaudeSettings.readSettingsFile(at: path) {
            let after: JSONObject
            do throws(SettingsError) {
                after = try uninstall(from: read.object, file: file, record: record)
            } catch {
                throw SettingsError(path: path, problem: error.problem)
            }
            do throws(FileIOError) {
                if after.isEmpty && record?.createdFile == true {
                    try FileIO.removeFile(atPath: path)
                    if let key = record?.createdKeys.first(where: { $0.hasPrefix(createdDirectoryKey) }) {
                        let outermost = String(key.dropFirst(createdDirectoryKey.count))
                        var directory = Paths.parent(path)
                        while Paths.isInside(directory, outermost), HookFileSystem.removeEmptyDirectory(directory),
                            directory != outermost
                        {
                            directory = Paths.parent(directory)
                        }
                    }
                    outcome = .removed
                } else if after != read.object {
                    try FileIO.writeAtomically(
                        path: path, contents: restoredBytes(after, backupOf: path), directoryMode: 0o755)
                    outcome = .updated
                }
            } catch {
                throw SettingsError(path: path, problem: .file(error))
            }
        }
        if record != nil {
            ledger[path] = nil
            try ledger.write(to: ledgerPath)
        }
        return outcome
    }

    /// The bytes to write for `settings`: the backup's own, when it holds exactly this value (nothing else
    /// changed since install), else the serialized value.
    static func restoredBytes(_ settings: JSONObject, backupOf path: String) -> [UInt8] {
        if let backup = try? FileIO.readBytesIfPresent(atPath: ClaudeSettings.backupPath(of: path)),
            case .object(let object)? = try? JSONValue.parse(backup), object == settings
        {
            return backup
        }
        return ClaudeSettings.serialized(settings)
    }

    // MARK: - Helpers

    /// Whether `handler` is toolguard's: its command key runs `hookCommand` or `…/toolguard hook`.
    static func isToolguardHandler(_ handler: JSONValue, file: AgentHookFile, hookCommand: String?) -> Bool {
        guard let command = handler[file.commandKey]?.stringValue else { return false }
        return command == hookCommand || ClaudeSettings.isToolguardHookCommand(command)
    }

    /// Updates the first toolguard handler among `handlers` (command and missing fields), drops further ones,
    /// or appends one; returns whether one was there.
    @discardableResult
    static func register(_ hookCommand: String, file: AgentHookFile, in handlers: inout [JSONValue]) -> Bool {
        var found = false
        var index = 0
        while index < handlers.count {
            guard isToolguardHandler(handlers[index], file: file, hookCommand: hookCommand),
                case .object(var handler) = handlers[index]
            else {
                index += 1
                continue
            }
            if found {
                handlers.remove(at: index)
                continue
            }
            found = true
            handler[file.commandKey] = .string(hookCommand)
            for (key, value) in file.handlerFields where handler[key] == nil { handler[key] = value }
            handlers[index] = .object(handler)
            index += 1
        }
        if !found { handlers.append(.object(file.handler(hookCommand))) }
        return found
    }

    /// The grouped form: toolguard's handler in a group of `matcher`, updated in place or appended as a group.
    static func registerGrouped(
        _ hookCommand: String, file: AgentHookFile, matcher: String?, in groups: inout [JSONValue]
    ) {
        var found = false
        var index = 0
        while index < groups.count {
            guard case .object(var group) = groups[index], group["matcher"]?.stringValue == matcher,
                case .array(var handlers)? = group["hooks"],
                handlers.contains(where: { isToolguardHandler($0, file: file, hookCommand: hookCommand) })
            else {
                index += 1
                continue
            }
            if found {
                // A second group of the same matcher: its toolguard handlers go, and the group if that empties it.
                handlers.removeAll { isToolguardHandler($0, file: file, hookCommand: hookCommand) }
                if handlers.isEmpty {
                    groups.remove(at: index)
                    continue
                }
            } else {
                found = true
                register(hookCommand, file: file, in: &handlers)
            }
            group["hooks"] = .array(handlers)
            groups[index] = .object(group)
            index += 1
        }
        if !found {
            var group: JSONObject = [:]
            if let matcher { group["matcher"] = .string(matcher) }
            group["hooks"] = [.object(file.handler(hookCommand))]
            groups.append(.object(group))
        }
    }
}

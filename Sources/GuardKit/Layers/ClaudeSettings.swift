/// Registering toolguard in a Claude Code settings file, and taking it out again (SPEC §9).
///
/// What install writes into the settings object:
///
/// ```json
/// { "hooks": { "PreToolUse": [
///     { "matcher": "Bash", "hooks": [ { "type": "command", "command": "/abs/toolguard hook --agent claude",
///                                       "timeout": 10, "onFailure": "block" } ] },
///     { "matcher": "Write|Edit|MultiEdit", "hooks": [ { … the same handler … } ] } ] },
///   "permissions": { "deny": [ "Bash(npm install -g *)", … ] } }
/// ```
///
/// Decisions:
/// - Every other key, entry and order is kept; what is missing is appended at the end; nothing is
///   duplicated, so installing twice gives the identical value.
/// - **toolguard's handlers** are `"type": "command"` handlers whose command equals the given one or is
///   `<…/>toolguard hook[ …]` (``isToolguardHookCommand(_:)``), so a re-install from a new binary path
///   updates the old handler in place (older installs wrote `…/toolguard hook`, without `--agent`: those are
///   toolguard's too, and are rewritten). A group of one of the two matchers that already holds such a handler
///   counts as registered (even a group the user wrote); otherwise a new group is appended. Further
///   toolguard handlers under the same matcher are removed.
/// - **What uninstall removes** is decided by an ``InstallRecord``, which install derives by comparing the
///   settings before and after and keeps outside the settings file (Claude Code validates its settings, so no
///   marker goes in there), in an ``InstallLedger``. Uninstall removes every toolguard handler from
///   `hooks.PreToolUse` and the matcher groups that removal leaves empty; the deny rules the record lists as
///   added (a rule that was there before install stays); and the containers (`hooks.PreToolUse`, `hooks`,
///   `permissions.deny`, `permissions`) the record lists as created, when they are empty. So install then
///   uninstall gives back the original value. **Without a record** (ledger lost, older install) uninstall
///   removes every rule of toolguard's current list and the containers that its own removals emptied.
/// - **Failing closed.** Every handler install writes or updates carries `"onFailure": "block"` (Claude Code
///   ≥ 2.1.295: a hook that cannot start, times out or exits unexpectedly then blocks instead of letting the
///   call through) and an explicit `"timeout"` (``hookTimeoutSeconds``), unless the handler already has a
///   positive timeout of its own. An older Claude Code ignores both keys and lets such a call through.
/// - **The backup** `settings.json.bak` holds the settings as they were before toolguard was installed: it is
///   written from the very bytes that were parsed, and only when those hold no toolguard handler (or there is no
///   backup yet), so a second install and uninstall keep it.
/// - A value of the wrong type where install must write (`"hooks": []`, `"permissions": {"deny": "x"}`) is
///   refused with the key path, never overwritten.
public enum ClaudeSettings {
    /// The matcher of the group that sends shell commands to the hook.
    public static let bashMatcher = "Bash"
    /// The matcher of the group that sends the file tools to the hook, for self-protection (SPEC §8).
    public static let fileToolsMatcher = "Write|Edit|MultiEdit"
    /// The matchers install registers, in the order it appends them.
    public static let matchers = [bashMatcher, fileToolsMatcher]

    /// The hook subcommand that follows the binary path.
    public static let hookSubcommand = "hook"
    /// The arguments after the subcommand: the input's shape never has to be guessed.
    public static let hookArguments = "--agent claude"
    /// The `timeout` install writes on its handlers, in seconds: well above the hook's own deadline (it
    /// blocks by itself after 5 s), well below Claude Code's default of 600.
    public static let hookTimeoutSeconds = 10
    /// The `onFailure` value that makes Claude Code (≥ 2.1.295) block when the hook fails.
    public static let failClosedValue = "block"
    /// The first Claude Code version that reads `onFailure`.
    public static let onFailureSince = "2.1.295"
    /// The binary's name, by which handlers from an older install are recognised.
    public static let binaryName = "toolguard"

    /// Key paths install may create, innermost first (the order uninstall empties them in).
    static let containerKeyPaths = ["hooks.PreToolUse", "hooks", "permissions.deny", "permissions"]

    // MARK: - Hook command

    /// The handler command for a binary: its path, single-quoted for `sh -c` when needed, then
    /// ` hook --agent claude`.
    public static func hookCommand(binaryPath: String) -> String {
        shellQuoted(binaryPath) + " " + hookSubcommand + " " + hookArguments
    }

    /// The handler install writes for `hookCommand`.
    public static func handler(_ hookCommand: String) -> JSONObject {
        [
            "type": "command", "command": .string(hookCommand), "timeout": JSONValue(hookTimeoutSeconds),
            "onFailure": .string(failClosedValue),
        ]
    }

    /// Whether `command` runs toolguard's hook: first word's last path component is `toolguard`, second word `hook`.
    public static func isToolguardHookCommand(_ command: String) -> Bool {
        let words = leadingWords(of: command, count: 2)
        guard words.count == 2, words[1] == hookSubcommand else { return false }
        return words[0].split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) == binaryName
    }

    // MARK: - Pure edits

    /// `settings` with toolguard's hook groups and every rule of `denyRules` present (see the type for the rules).
    public static func install(
        into settings: JSONValue, hookCommand: String, denyRules: [String]
    ) throws(SettingsError) -> JSONValue {
        .object(try install(into: try rootObject(settings), hookCommand: hookCommand, denyRules: denyRules))
    }

    /// `settings` without what install added: as `record` says, or by toolguard's `denyRules` without one.
    public static func uninstall(
        from settings: JSONValue, record: InstallRecord?, denyRules: [String]
    ) throws(SettingsError) -> JSONValue {
        .object(try uninstall(from: try rootObject(settings), record: record, denyRules: denyRules))
    }

    /// What of toolguard is present in `settings`, for `toolguard doctor`.
    public static func status(of settings: JSONValue, hookCommand: String?, denyRules: [String]) -> InstallStatus {
        var registrations: [InstallStatus.Registration] = []
        for group in settings["hooks"]?["PreToolUse"]?.arrayValue ?? [] {
            for handler in group["hooks"]?.arrayValue ?? [] where isToolguardHandler(handler, hookCommand: hookCommand)
            {
                registrations.append(
                    .init(
                        matcher: group["matcher"]?.stringValue, command: handler["command"]!.stringValue!,
                        timeout: handler["timeout"]?.doubleValue,
                        failsClosed: handler["onFailure"]?.stringValue == failClosedValue))
            }
        }
        let present = Set((settings["permissions"]?["deny"]?.arrayValue ?? []).compactMap(\.stringValue))
        return InstallStatus(
            registrations: registrations, presentDenyRules: denyRules.filter(present.contains),
            missingDenyRules: denyRules.filter { !present.contains($0) })
    }

    static func install(into original: JSONObject, hookCommand: String, denyRules: [String]) throws(SettingsError)
        -> JSONObject
    {
        var root = original
        var hooks = try member(of: root, "hooks", keyPath: "hooks", as: \.objectValue, expected: "an object") ?? [:]
        var groups =
            try member(of: hooks, "PreToolUse", keyPath: "hooks.PreToolUse", as: \.arrayValue, expected: "an array")
            ?? []
        for matcher in matchers {
            register(hookCommand, under: matcher, in: &groups)
        }
        hooks["PreToolUse"] = .array(groups)
        root["hooks"] = .object(hooks)

        var permissions =
            try member(of: root, "permissions", keyPath: "permissions", as: \.objectValue, expected: "an object") ?? [:]
        let existingDeny = try member(
            of: permissions, "deny", keyPath: "permissions.deny", as: \.arrayValue, expected: "an array")
        var deny = existingDeny ?? []
        for rule in denyRules where !deny.contains(.string(rule)) {
            deny.append(.string(rule))
        }
        // Nothing to add: leave `permissions` exactly as it was, absent included.
        if deny != existingDeny ?? [] {
            permissions["deny"] = .array(deny)
            root["permissions"] = .object(permissions)
        }
        return root
    }

    static func uninstall(from original: JSONObject, record: InstallRecord?, denyRules: [String]) throws(SettingsError)
        -> JSONObject
    {
        var root = original
        var emptiedByUs: Set<String> = []

        if var hooks = try member(of: root, "hooks", keyPath: "hooks", as: \.objectValue, expected: "an object"),
            let groups = try member(
                of: hooks, "PreToolUse", keyPath: "hooks.PreToolUse", as: \.arrayValue, expected: "an array")
        {
            var kept: [JSONValue] = []
            for group in groups {
                guard case .object(var object) = group, case .array(let handlers)? = object["hooks"] else {
                    kept.append(group)
                    continue
                }
                let remaining = handlers.filter { !isToolguardHandler($0, hookCommand: record?.hookCommand) }
                if remaining.count == handlers.count {
                    kept.append(group)
                } else if !remaining.isEmpty {
                    object["hooks"] = .array(remaining)
                    kept.append(.object(object))
                }
            }
            if kept.isEmpty && !groups.isEmpty { emptiedByUs.insert("hooks.PreToolUse") }
            hooks["PreToolUse"] = .array(kept)
            root["hooks"] = .object(hooks)
        }

        if var permissions = try member(
            of: root, "permissions", keyPath: "permissions", as: \.objectValue, expected: "an object"),
            let deny = try member(
                of: permissions, "deny", keyPath: "permissions.deny", as: \.arrayValue, expected: "an array")
        {
            let removed = Set(record?.addedDenyRules ?? denyRules)
            let kept = deny.filter { !($0.stringValue.map(removed.contains) ?? false) }
            if kept.isEmpty && !deny.isEmpty { emptiedByUs.insert("permissions.deny") }
            permissions["deny"] = .array(kept)
            root["permissions"] = .object(permissions)
        }

        // Remove empty containers install created, innermost first, so an emptied parent goes too.
        for keyPath in containerKeyPaths {
            let created = record.map { $0.createdKeys.contains(keyPath) } ?? emptiedByUs.contains(keyPath)
            guard created, isEmptyContainer(root, keyPath) else { continue }
            let parts = keyPath.split(separator: ".").map(String.init)
            if parts.count == 1 {
                root.removeValue(forKey: parts[0])
            } else if case .object(var parent)? = root[parts[0]] {
                parent.removeValue(forKey: parts[1])
                root[parts[0]] = .object(parent)
                if parent.isEmpty && record == nil { emptiedByUs.insert(parts[0]) }
            }
        }
        return root
    }

    // MARK: - Files

    /// Installs into the settings file at `path` (absolute): reads it (missing means `{}`), refuses
    /// anything but a JSON object — changing nothing —, and writes pretty JSON (2-space indent, trailing
    /// newline) atomically with a backup of the previous file, or nothing at all when the value would not
    /// change. With a `ledgerPath`, what install added is recorded there first, merged with any earlier record.
    @discardableResult
    public static func installSettings(
        at path: String, hookCommand: String, denyRules: [String], ledgerPath: String?
    ) throws(SettingsError) -> SettingsFileOutcome {
        let file = try readSettingsFile(at: path)
        let before = file?.object
        let after: JSONObject
        do throws(SettingsError) {
            after = try install(into: before ?? [:], hookCommand: hookCommand, denyRules: denyRules)
        } catch {
            throw SettingsError(path: path, problem: error.problem)
        }
        if let before, before == after { return .unchanged }

        if let ledgerPath {
            var ledger = try InstallLedger.read(at: ledgerPath)
            let record = InstallRecord(before: before, after: after, hookCommand: hookCommand)
            ledger[path] = ledger[path].map { $0.merging(record) } ?? record
            try ledger.write(to: ledgerPath)
        }
        // The backup is of the settings before toolguard: refreshed only from a file without its handlers.
        let backUp = file.map { !hasToolguardHandler($0.object) || !hasBackup(path) } ?? false
        try writeSettings(after, to: path, backingUp: backUp ? file?.bytes : nil)
        return before == nil ? .created : .updated
    }

    /// Uninstalls from the settings file at `path`, using and then dropping the record in `ledgerPath`.
    /// A file install created and that would be left as `{}` is removed; a missing file is left missing.
    @discardableResult
    public static func uninstallSettings(
        at path: String, denyRules: [String], ledgerPath: String?
    ) throws(SettingsError) -> SettingsFileOutcome {
        let ledger: InstallLedger? = if let ledgerPath { try InstallLedger.read(at: ledgerPath) } else { nil }
        let record = ledger?[path]
        var outcome = SettingsFileOutcome.unchanged
        if let file = try readSettingsFile(at: path) {
            let before = file.object
            let after: JSONObject
            do throws(SettingsError) {
                after = try uninstall(from: before, record: record, denyRules: denyRules)
            } catch {
                throw SettingsError(path: path, problem: error.problem)
            }
            if after.isEmpty && record?.createdFile == true {
                // Nothing of the user's is in it (it would still be there), so no backup is needed.
                do throws(FileIOError) { try FileIO.removeFile(atPath: path) } catch {
                    throw SettingsError(path: path, problem: .file(error))
                }
                outcome = .removed
            } else if after != before {
                // The backup from before install is kept; the installed file is backed up only without one.
                try writeSettings(after, to: path, backingUp: hasBackup(path) ? nil : file.bytes)
                outcome = .updated
            }
        }
        // Dropped after the settings are written, so a failed write can be retried with the record.
        if let ledgerPath, var remaining = ledger, record != nil {
            remaining[path] = nil
            try remaining.write(to: ledgerPath)
        }
        return outcome
    }

    /// The settings object in the file at `path`, `nil` when there is no file; invalid JSON or a
    /// non-object is an error naming the file, the line and the column.
    public static func readSettings(at path: String) throws(SettingsError) -> JSONObject? {
        try readSettingsFile(at: path)?.object
    }

    /// The settings file's bytes and the object they hold, `nil` when there is no file: the bytes are what a
    /// backup is made from, so that it holds exactly what was parsed, whatever another process wrote since.
    static func readSettingsFile(at path: String) throws(SettingsError) -> (bytes: [UInt8], object: JSONObject)? {
        let bytes: [UInt8]?
        do throws(FileIOError) { bytes = try FileIO.readBytesIfPresent(atPath: path) } catch {
            throw SettingsError(path: path, problem: .file(error))
        }
        guard let bytes else { return nil }
        let value: JSONValue
        do throws(JSONError) { value = try JSONValue.parse(bytes) } catch {
            throw SettingsError(path: path, problem: .invalidJSON(error))
        }
        guard case .object(let object) = value else {
            throw SettingsError(path: path, problem: .notAnObject(found: value.kindDescription))
        }
        return (bytes, object)
    }

    /// The backup of the settings file at `path`: `<path>.bak`, beside it (beside the link, for a linked file).
    public static func backupPath(of path: String) -> String { path + FileIO.backupSuffix }

    /// Whether a backup exists (or something is there that cannot be read, which is not overwritten either).
    static func hasBackup(_ path: String) -> Bool {
        do throws(FileIOError) {
            return try FileIO.readBytesIfPresent(atPath: backupPath(of: path)) != nil
        } catch {
            return true
        }
    }

    /// Whether any `hooks.PreToolUse` handler is toolguard's.
    static func hasToolguardHandler(_ settings: JSONObject) -> Bool {
        !status(of: .object(settings), hookCommand: nil, denyRules: []).registrations.isEmpty
    }

    /// The bytes install writes for `settings`: `JSON.stringify(settings, null, 2)` and a newline.
    public static func serialized(_ settings: JSONObject) -> [UInt8] {
        Array(JSONValue.object(settings).serialized(style: .pretty(indent: 2), trailingNewline: true).utf8)
    }

    /// The permissions of a backup written where none was: owner only, as settings can hold secrets (`env`).
    static let backupMode = 0o600

    /// Writes `settings` atomically, after writing `backup` (the bytes parsed) to the backup when given.
    private static func writeSettings(_ settings: JSONObject, to path: String, backingUp backup: [UInt8]?)
        throws(SettingsError)
    {
        do throws(FileIOError) {
            if let backup {
                try FileIO.writeAtomically(
                    path: backupPath(of: path), contents: backup, mode: backupMode, directoryMode: 0o755)
            }
            // Back to exactly the settings from before install: the backup's own bytes, formatting included.
            try FileIO.writeAtomically(
                path: path, contents: AgentHookSettings.restoredBytes(settings, backupOf: path), directoryMode: 0o755)
        } catch {
            throw SettingsError(path: path, problem: .file(error))
        }
    }

    // MARK: - Helpers

    private static func rootObject(_ settings: JSONValue) throws(SettingsError) -> JSONObject {
        guard case .object(let object) = settings else {
            throw SettingsError(path: nil, problem: .notAnObject(found: settings.kindDescription))
        }
        return object
    }

    /// The member `key` of `object` as the expected kind; `nil` when absent; an error when of another kind.
    /// (Every agent's hook file is read with it.)
    static func member<T>(
        of object: JSONObject, _ key: String, keyPath: String, as extract: (JSONValue) -> T?, expected: String
    ) throws(SettingsError) -> T? {
        guard let value = object[key] else { return nil }
        guard let typed = extract(value) else {
            throw SettingsError(
                path: nil, problem: .unexpectedType(keyPath: keyPath, found: value.kindDescription, expected: expected))
        }
        return typed
    }

    /// Puts toolguard's handler under `matcher`: updates the first one found there, drops any further
    /// ones (and groups that leaves empty), or appends a new group.
    private static func register(_ hookCommand: String, under matcher: String, in groups: inout [JSONValue]) {
        var found = false
        var index = 0
        while index < groups.count {
            guard case .object(var group) = groups[index], group["matcher"] == .string(matcher),
                case .array(var handlers)? = group["hooks"]
            else {
                index += 1
                continue
            }
            let countBefore = handlers.count
            var position = 0
            while position < handlers.count {
                guard isToolguardHandler(handlers[position], hookCommand: hookCommand),
                    case .object(var handler) = handlers[position]
                else {
                    position += 1
                    continue
                }
                if found {
                    handlers.remove(at: position)
                } else {
                    found = true
                    handler["command"] = .string(hookCommand)
                    if !(handler["timeout"]?.doubleValue.map { $0 > 0 } ?? false) {
                        handler["timeout"] = JSONValue(hookTimeoutSeconds)
                    }
                    handler["onFailure"] = .string(failClosedValue)
                    handlers[position] = .object(handler)
                    position += 1
                }
            }
            if handlers.isEmpty && countBefore > 0 {
                groups.remove(at: index)
                continue
            }
            group["hooks"] = .array(handlers)
            groups[index] = .object(group)
            index += 1
        }
        if !found {
            groups.append(.object(["matcher": .string(matcher), "hooks": [.object(handler(hookCommand))]]))
        }
    }

    /// Whether `handler` is one of toolguard's: a command handler running `hookCommand` or `…/toolguard hook`.
    static func isToolguardHandler(_ handler: JSONValue, hookCommand: String?) -> Bool {
        guard handler["type"] == "command", let command = handler["command"]?.stringValue else { return false }
        return command == hookCommand || isToolguardHookCommand(command)
    }

    private static func isEmptyContainer(_ root: JSONObject, _ keyPath: String) -> Bool {
        var value: JSONValue? = .object(root)
        for part in keyPath.split(separator: ".") {
            value = value?[String(part)]
        }
        switch value {
        case .object(let object)?: return object.isEmpty
        case .array(let array)?: return array.isEmpty
        default: return false
        }
    }

    /// `path` as one `sh` word: unchanged when it has only safe characters, else in single quotes.
    static func shellQuoted(_ path: String) -> String {
        let safe = path.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII
                && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                    || "/._-+:@%,=".unicodeScalars.contains(scalar))
        }
        if safe && !path.isEmpty { return path }
        return "'" + path.replacing("'", with: "'\\''") + "'"
    }

    /// The first `count` words of a command as `sh` would split them (quotes and backslashes removed).
    static func leadingWords(of command: String, count: Int) -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var scalars = command.unicodeScalars.makeIterator()
        while words.count < count, let scalar = scalars.next() {
            switch scalar {
            case " ", "\t", "\n":
                if inWord { words.append(current) }
                current = ""
                inWord = false
            case "'":
                inWord = true
                while let next = scalars.next(), next != "'" { current.unicodeScalars.append(next) }
            case "\"":
                inWord = true
                while let next = scalars.next(), next != "\"" {
                    if next == "\\", let escaped = scalars.next() {
                        current.unicodeScalars.append(escaped)
                    } else {
                        current.unicodeScalars.append(next)
                    }
                }
            case "\\":
                inWord = true
                if let escaped = scalars.next() { current.unicodeScalars.append(escaped) }
            default:
                inWord = true
                current.unicodeScalars.append(scalar)
            }
        }
        if inWord && words.count < count { words.append(current) }
        return words
    }
}

// MARK: - Scopes

extension ClaudeSettings {
    /// Which Claude Code settings file `toolguard install --scope` writes.
    public enum Scope: String, Sendable, Hashable, CaseIterable {
        /// `~/.claude/settings.json`: every project of this user.
        case user
        /// `<root>/.claude/settings.json`: this project, usually committed.
        case project
        /// `<root>/.claude/settings.local.json`: this project, this user, git-ignored.
        case local
        /// A drop-in in Claude Code's managed-settings directory (`/etc/claude-code/managed-settings.d/` on
        /// Linux): every user of the machine, and users cannot override it.
        case managed

        /// The settings file of this scope, from the home directory and the project root (both absolute).
        public func settingsPath(home: String, projectRoot: String) -> String {
            switch self {
            case .user: Paths.normalize(home + "/.claude/settings.json")
            case .project: Paths.normalize(projectRoot + "/.claude/settings.json")
            case .local: Paths.normalize(projectRoot + "/.claude/settings.local.json")
            case .managed: Locations.claudeManagedSettings[1] + "/" + Locations.managedDropInName
            }
        }
    }
}

// MARK: - Results

/// What a file-level install or uninstall did.
public enum SettingsFileOutcome: String, Sendable, Hashable, CustomStringConvertible {
    /// The file did not exist and was written.
    case created
    /// The file was rewritten (and the previous one backed up).
    case updated
    /// Nothing needed to change; the file was not touched.
    case unchanged
    /// Uninstall removed a file that install had created and that held nothing else.
    case removed

    /// The raw value: `created`, `updated`, `unchanged` or `removed`.
    public var description: String { rawValue }
}

/// Where toolguard is registered in one settings value, and which deny rules are there.
public struct InstallStatus: Sendable, Hashable {
    /// One toolguard handler in `hooks.PreToolUse`.
    public struct Registration: Sendable, Hashable {
        /// The group's matcher (`nil` when it has none, which matches every tool).
        public var matcher: String?
        /// The handler's command.
        public var command: String
        /// Its `timeout` in seconds, if it has a numeric one.
        public var timeout: Double? = nil
        /// Whether it has `"onFailure": "block"`.
        public var failsClosed: Bool = false

        /// Whether the command names its agent (`--agent claude`), as install writes it.
        public var namesItsAgent: Bool {
            command.hasSuffix(" " + ClaudeSettings.hookSubcommand + " " + ClaudeSettings.hookArguments)
        }

        /// What is missing for the handler to fail closed and be read without guessing, in words; empty when
        /// nothing is.
        public var missing: [String] {
            var missing: [String] = []
            if !namesItsAgent { missing.append("`--agent claude`") }
            if !(timeout.map { $0 > 0 } ?? false) { missing.append("a `timeout`") }
            if !failsClosed { missing.append("`\"onFailure\": \"block\"`") }
            return missing
        }
    }

    /// toolguard's handlers, in file order.
    public var registrations: [Registration]
    /// The deny rules asked about that are present, in the order asked.
    public var presentDenyRules: [String]
    /// The deny rules asked about that are missing, in the order asked.
    public var missingDenyRules: [String]

    /// Whether a handler sits under the exact `Bash` matcher.
    public var hasBashHook: Bool {
        registrations.contains { $0.matcher == ClaudeSettings.bashMatcher }
    }

    /// Whether a handler sits under the exact `Write|Edit|MultiEdit` matcher.
    public var hasFileToolsHook: Bool {
        registrations.contains { $0.matcher == ClaudeSettings.fileToolsMatcher }
    }

    /// Both hooks registered and no deny rule missing.
    public var isComplete: Bool {
        hasBashHook && hasFileToolsHook && missingDenyRules.isEmpty
    }
}

/// A settings file toolguard cannot work with, and why; nothing was changed.
public struct SettingsError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was wrong.
    public enum Problem: Sendable, Hashable {
        /// The file is not valid JSON (the error has the line and column).
        case invalidJSON(JSONError)
        /// The top-level value is not an object.
        case notAnObject(found: String)
        /// A key install writes under holds another kind of value, e.g. `hooks.PreToolUse` is a string.
        case unexpectedType(keyPath: String, found: String, expected: String)
        /// The install ledger holds something install did not write.
        case invalidLedger(String)
        /// Reading or writing failed.
        case file(FileIOError)
    }

    /// The file concerned, or `nil` for a pure edit of a value.
    public var path: String?
    /// What was wrong.
    public var problem: Problem

    /// Creates an error.
    public init(path: String?, problem: Problem) {
        self.path = path
        self.problem = problem
    }

    /// One line: what went wrong — what to do (the caller adds `toolguard: `).
    public var description: String {
        let file = path ?? "the settings"
        let unchanged = "nothing was changed"
        switch problem {
        case .invalidJSON(let error):
            return
                "\(file): not valid JSON: \(error) — \(unchanged); fix the file or move it away, then run the command again"
        case .notAnObject(let found):
            return
                "\(file): the top level is \(found), not a JSON object — \(unchanged); fix the file or move it away, then run the command again"
        case .unexpectedType(let keyPath, let found, let expected):
            return
                "\(file): `\(keyPath)` is \(found), expected \(expected) — \(unchanged); fix that key, then run the command again"
        case .invalidLedger(let reason):
            return
                "\(file): \(reason) — \(unchanged); remove the file to forget toolguard's install records, then run the command again"
        case .file(let error):
            return "\(error) — \(unchanged); check the file's permissions, then run the command again"
        }
    }
}

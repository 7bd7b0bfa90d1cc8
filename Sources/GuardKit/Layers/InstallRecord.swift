/// What one or more installs added to one settings file, so that uninstall removes exactly that.
///
/// Derived by comparing the settings before and after install, never written into the settings file.
public struct InstallRecord: Sendable, Hashable {
    /// The hook command of the latest install (handlers running it are toolguard's even if renamed).
    public var hookCommand: String
    /// Whether install created the settings file.
    public var createdFile: Bool
    /// Containers install created, as key paths: `hooks`, `hooks.PreToolUse`, `permissions`, `permissions.deny`.
    public var createdKeys: [String]
    /// Deny rules that were not there before install, in the order added.
    public var addedDenyRules: [String]

    /// Creates a record.
    public init(hookCommand: String, createdFile: Bool, createdKeys: [String], addedDenyRules: [String]) {
        self.hookCommand = hookCommand
        self.createdFile = createdFile
        self.createdKeys = createdKeys
        self.addedDenyRules = addedDenyRules
    }

    /// What an install changed, from the settings before (`nil`: no file) and after it.
    public init(before: JSONObject?, after: JSONObject, hookCommand: String) {
        let old = JSONValue.object(before ?? [:])
        let new = JSONValue.object(after)
        func value(_ keyPath: String, in root: JSONValue) -> JSONValue? {
            keyPath.split(separator: ".").reduce(root) { $0?[String($1)] }
        }
        let oldDeny = Set((value("permissions.deny", in: old)?.arrayValue ?? []).compactMap(\.stringValue))
        var added: [String] = []
        for rule in (value("permissions.deny", in: new)?.arrayValue ?? []).compactMap(\.stringValue)
        where !oldDeny.contains(rule) && !added.contains(rule) {
            added.append(rule)
        }
        self.init(
            hookCommand: hookCommand, createdFile: before == nil,
            createdKeys: ClaudeSettings.containerKeyPaths.filter {
                value($0, in: old) == nil && value($0, in: new) != nil
            },
            addedDenyRules: added)
    }

    /// This record followed by a later install's: everything either added, the later hook command.
    public func merging(_ later: InstallRecord) -> InstallRecord {
        InstallRecord(
            hookCommand: later.hookCommand, createdFile: createdFile || later.createdFile,
            createdKeys: createdKeys + later.createdKeys.filter { !createdKeys.contains($0) },
            addedDenyRules: addedDenyRules + later.addedDenyRules.filter { !addedDenyRules.contains($0) })
    }
}

/// toolguard's install records for every settings file it installed into, kept in one JSON file.
///
/// The file (``Locations/installLedger``, in the state directory that self-protection keeps the
/// agent from writing to):
///
/// ```json
/// {
///   "schema": 1,
///   "installs": {
///     "/home/u/.claude/settings.json": {
///       "hookCommand": "/usr/local/bin/toolguard hook",
///       "createdFile": false,
///       "createdKeys": ["permissions", "permissions.deny"],
///       "addedDenyRules": ["Bash(npm install -g *)"]
///     }
///   }
/// }
/// ```
public struct InstallLedger: Sendable, Hashable {
    /// The format version written in `schema`.
    public static let schema = 1

    /// One settings file's record (a struct, as tuples cannot be `Hashable`).
    private struct Entry: Sendable, Hashable {
        var path: String
        var record: InstallRecord
    }

    /// Records keyed by settings path, in the order first installed.
    private var records: [Entry] = []

    /// An empty ledger.
    public init() {}

    /// The settings paths with a record.
    public var settingsPaths: [String] { records.map(\.path) }

    /// The record for the settings file at `path` (normalized); setting `nil` removes it.
    public subscript(path: String) -> InstallRecord? {
        get { records.first { $0.path == Self.key(path) }?.record }
        set {
            let key = Self.key(path)
            let index = records.firstIndex { $0.path == key }
            switch (index, newValue) {
            case (let index?, let record?): records[index].record = record
            case (let index?, nil): records.remove(at: index)
            case (nil, let record?): records.append(Entry(path: key, record: record))
            case (nil, nil): break
            }
        }
    }

    /// Reads the ledger at `path`; a missing file is an empty ledger.
    public static func read(at path: String) throws(SettingsError) -> InstallLedger {
        let bytes: [UInt8]?
        do throws(FileIOError) { bytes = try FileIO.readBytesIfPresent(atPath: path) } catch {
            throw SettingsError(path: path, problem: .file(error))
        }
        guard let bytes else { return InstallLedger() }
        let value: JSONValue
        do throws(JSONError) { value = try JSONValue.parse(bytes) } catch {
            throw SettingsError(path: path, problem: .invalidJSON(error))
        }
        guard value["schema"]?.intValue == schema, case .object(let installs)? = value["installs"] else {
            throw SettingsError(
                path: path, problem: .invalidLedger("not a toolguard install ledger of schema \(schema)"))
        }
        var ledger = InstallLedger()
        for (settingsPath, entry) in installs {
            guard let hookCommand = entry["hookCommand"]?.stringValue,
                let createdFile = entry["createdFile"]?.boolValue,
                let createdKeys = strings(entry["createdKeys"]),
                let addedDenyRules = strings(entry["addedDenyRules"])
            else {
                throw SettingsError(path: path, problem: .invalidLedger("the record for \(settingsPath) is incomplete"))
            }
            let record = InstallRecord(
                hookCommand: hookCommand, createdFile: createdFile, createdKeys: createdKeys,
                addedDenyRules: addedDenyRules)
            ledger.records.append(Entry(path: settingsPath, record: record))
        }
        return ledger
    }

    /// Writes the ledger to `path` atomically (no backup: it is toolguard's own file).
    public func write(to path: String) throws(SettingsError) {
        var installs = JSONObject()
        for entry in records {
            let record = entry.record
            installs[entry.path] = [
                "hookCommand": .string(record.hookCommand),
                "createdFile": .bool(record.createdFile),
                "createdKeys": .array(record.createdKeys.map(JSONValue.string)),
                "addedDenyRules": .array(record.addedDenyRules.map(JSONValue.string)),
            ]
        }
        let document: JSONValue = ["schema": JSONValue(Self.schema), "installs": .object(installs)]
        let bytes = Array(document.serialized(style: .pretty(indent: 2), trailingNewline: true).utf8)
        do throws(FileIOError) { try FileIO.writeAtomically(path: path, contents: bytes) } catch {
            throw SettingsError(path: path, problem: .file(error))
        }
    }

    private static func key(_ path: String) -> String {
        path.hasPrefix("/") ? Paths.normalize(path) : path
    }

    private static func strings(_ value: JSONValue?) -> [String]? {
        guard let array = value?.arrayValue else { return nil }
        let strings = array.compactMap(\.stringValue)
        return strings.count == array.count ? strings : nil
    }
}

#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Musl)
    internal import Musl
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// The files the agent must not change, because changing them would switch toolguard off (SPEC §8).
///
/// Protected: toolguard's user config directory (config file and pin manifest included), its state
/// directory (the trust store), the installed binary, and the Claude Code settings files that can
/// register the hook: the user settings (`~/.claude/settings.json`, and `$CLAUDE_CONFIG_DIR/settings.json`
/// when set), each project's `.claude/settings.json` and `.claude/settings.local.json`, and the managed
/// settings (`/etc/claude-code/managed-settings.json` and its `managed-settings.d` directory on Linux).
///
/// A path is compared after lexical normalization (`..`, `.`, `//`) with the protected paths as
/// configured; then with the symbolic links in the existing part of both resolved (`realpath`), so
/// `ln -s ~/.config/toolguard /tmp/x` followed by a write to `/tmp/x/config.json` is caught. A write to an
/// existing file with more than one hard link is also compared by inode.
public struct ProtectedPaths: Sendable, Hashable {
    /// What a command or file tool is about to do to a path.
    public enum Operation: Sendable, Hashable {
        /// Create, overwrite, append to, truncate, edit in place, change the mode of, or move something
        /// onto the path (`>`, `tee`, `sed -i`, `cp`/`mv` destinations, `Write`, `Edit`, `MultiEdit`).
        case write
        /// Delete or move away the path (`rm`, `rm -r`, `rmdir`, `mv` sources, `unlink`). Removing a
        /// directory that contains a protected path is protected too (`rm -rf ~/.config`).
        case remove
        /// Change the mode, owner, attributes or ACL of the path (`chmod`, `chown`, `chattr`, `setfacl`).
        /// Like ``remove``, a directory that contains a protected path matches (relation `contains`): the
        /// caller decides whether the change reaches it (`chmod -R`, or a mode that cuts the owner off).
        case attributes
    }

    /// What a protected path is.
    public enum Kind: String, Sendable, Hashable {
        /// toolguard's user config directory (`config.json`, `pin.json`).
        case userConfig
        /// toolguard's state directory (the trust store).
        case state
        /// The pin manifest, which records the binary's SHA-256.
        case pinManifest
        /// The installed toolguard binary.
        case binary
        /// A Claude Code settings file or directory that can register the hook.
        case agentSettings

        /// How messages name it, e.g. `toolguard's user configuration`.
        public var summary: String {
            switch self {
            case .userConfig: ProtectionMessage.userConfig
            case .state: ProtectionMessage.state
            case .pinManifest: ProtectionMessage.pinManifest
            case .binary: ProtectionMessage.binary
            case .agentSettings: ProtectionMessage.agentSettings
            }
        }
    }

    /// One protected file or directory.
    public struct Entry: Sendable, Hashable {
        /// Its absolute, normalized path.
        public var path: String
        /// What it is.
        public var kind: Kind
        /// Whether everything below it is protected too.
        public var isDirectory: Bool

        /// Creates an entry; `path` is normalized.
        public init(path: String, kind: Kind, isDirectory: Bool) {
            self.path = Paths.normalize(path)
            self.kind = kind
            self.isDirectory = isDirectory
        }
    }

    /// The protected files and directories.
    public var entries: [Entry]

    /// The protected paths for a user (`locations`; `nil` protects only the binary and project and
    /// managed settings), the installed binary if known, and the project directories in play — pass
    /// both the hook's project root and `CLAUDE_PROJECT_DIR` when they differ.
    public init(locations: Locations?, installedBinary: String?, projectDirectories: [String]) {
        var entries: [Entry] = []
        if let locations {
            entries.append(Entry(path: locations.configDirectory, kind: .userConfig, isDirectory: true))
            entries.append(Entry(path: locations.pinManifest, kind: .pinManifest, isDirectory: false))
            entries.append(Entry(path: locations.stateDirectory, kind: .state, isDirectory: true))
            entries.append(
                Entry(path: locations.home + "/.claude/settings.json", kind: .agentSettings, isDirectory: false))
            entries.append(Entry(path: locations.claudeUserSettings, kind: .agentSettings, isDirectory: false))
        }
        if let installedBinary, installedBinary.hasPrefix("/") {
            entries.append(Entry(path: installedBinary, kind: .binary, isDirectory: false))
        }
        for project in projectDirectories where project.hasPrefix("/") {
            entries.append(
                Entry(
                    path: Locations.claudeProjectSettings(inProjectRoot: project), kind: .agentSettings,
                    isDirectory: false))
            entries.append(
                Entry(
                    path: Locations.claudeLocalSettings(inProjectRoot: project), kind: .agentSettings,
                    isDirectory: false))
        }
        for managed in Locations.claudeManagedSettings {
            entries.append(Entry(path: managed, kind: .agentSettings, isDirectory: !managed.hasSuffix(".json")))
        }
        self.init(entries: entries)
    }

    /// Protects exactly `entries` (later duplicates are dropped).
    public init(entries: [Entry]) {
        var unique: [Entry] = []
        for entry in entries where !unique.contains(where: { $0.path == entry.path }) {
            unique.append(entry)
        }
        self.entries = unique
    }

    /// The protection `path` falls under for `operation`, or `nil` when the agent may go ahead.
    ///
    /// `path` is absolute, or relative to `directory` (a relative path with no directory is taken
    /// from `/`, which errs toward matching). `~` is not expanded here: expand it first.
    public func protects(_ path: String, operation: Operation, relativeTo directory: String? = nil) -> ProtectedPath? {
        let raw = path.hasPrefix("/") ? path : (directory ?? "") + "/" + path
        let lexical = Paths.normalize(raw)
        let lexicalEntries = entries.map(\.path)
        // The common case costs no system call: the path as written, against the paths as configured.
        if let found = match(lexical, operation: operation, against: lexicalEntries) {
            return ProtectedPath(target: lexical, entry: found.entry, relation: found.relation, operation: operation)
        }

        // The kernel resolves symbolic links (and `..` after them) physically; check that reading too.
        // Removing a link removes the link itself, so its last component is not followed then.
        let physical = Self.physicalPath(raw, followLast: operation != .remove || path.hasSuffix("/"))
        let physicalEntries = entries.map { Self.physicalPath($0.path, followLast: true) }
        if let found = match(physical, operation: operation, against: physicalEntries) {
            return ProtectedPath(target: lexical, entry: found.entry, relation: found.relation, operation: operation)
        }
        if operation != .remove, let entry = sameFile(as: physical) {
            return ProtectedPath(target: lexical, entry: entry, relation: .same, operation: operation)
        }
        return nil
    }

    // MARK: Helpers

    /// The first entry `candidate` falls under, with `protectedPaths[i]` standing for `entries[i]`.
    private func match(
        _ candidate: String, operation: Operation, against protectedPaths: [String]
    ) -> (entry: Entry, relation: ProtectedPath.Relation)? {
        let key = Self.comparable(candidate)
        for (entry, path) in zip(entries, protectedPaths) {
            let protected = Self.comparable(path)
            if key == protected { return (entry, .same) }
            if entry.isDirectory, Paths.isInside(key, protected) { return (entry, .inside) }
            if operation != .write, Paths.isInside(protected, key) { return (entry, .contains) }
        }
        return nil
    }

    /// An existing protected file that `path` is another hard link to.
    private func sameFile(as path: String) -> Entry? {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_nlink > 1 else { return nil }
        for entry in entries where !entry.isDirectory {
            var other = stat()
            if stat(entry.path, &other) == 0, other.st_dev == info.st_dev, other.st_ino == info.st_ino {
                return entry
            }
        }
        return nil
    }

    /// `path` with the symbolic links in its longest existing prefix resolved (`realpath`), and the
    /// rest appended and normalized; with `followLast` false the last component is kept as it is.
    static func physicalPath(_ path: String, followLast: Bool) -> String {
        var components = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        var suffix: [String] = []
        if !followLast, let last = components.popLast() {
            suffix.append(last)
        }
        while true {
            let prefix = "/" + components.joined(separator: "/")
            if let resolved = realpath(prefix, nil) {
                defer { free(resolved) }
                return Paths.normalize(String(cString: resolved) + "/" + suffix.joined(separator: "/"))
            }
            guard let last = components.popLast() else { return Paths.normalize(path) }
            suffix.insert(last, at: 0)
        }
    }

    /// The form paths are compared in: case-folded where the usual file system ignores case.
    private static func comparable(_ path: String) -> String {
        #if os(macOS)
            path.lowercased()
        #else
            path
        #endif
    }
}

/// A path the agent may not change, and why.
public struct ProtectedPath: Sendable, Hashable, CustomStringConvertible {
    /// How the path asked about relates to the protected one.
    public enum Relation: Sendable, Hashable {
        /// It is the protected path.
        case same
        /// It lies inside a protected directory.
        case inside
        /// It is a directory that contains the protected path (only for ``ProtectedPaths/Operation/remove``).
        case contains
    }

    /// The path asked about, normalized.
    public var target: String
    /// The protected file or directory it touches.
    public var entry: ProtectedPaths.Entry
    /// How ``target`` relates to ``entry``.
    public var relation: Relation
    /// What was about to be done.
    public var operation: ProtectedPaths.Operation

    /// Creates a match.
    public init(target: String, entry: ProtectedPaths.Entry, relation: Relation, operation: ProtectedPaths.Operation) {
        self.target = target
        self.entry = entry
        self.relation = relation
        self.operation = operation
    }

    /// The one-sentence reason for a deny, e.g. `/home/u/.config contains toolguard's user configuration
    /// (/home/u/.config/toolguard), which the agent may not remove or move — a person can do this outside the agent`.
    public var reason: String {
        let what = entry.kind.summary
        let subject: String
        switch relation {
        case .same: subject = "\(target) is \(what)"
        case .inside: subject = "\(target) is inside \(what) (\(entry.path))"
        case .contains: subject = "\(target) contains \(what) (\(entry.path))"
        }
        let verb: String
        switch operation {
        case .write: verb = ProtectionMessage.writeVerb
        case .remove: verb = ProtectionMessage.removeVerb
        case .attributes: verb = ProtectionMessage.attributesVerb
        }
        return "\(subject), which the agent may not \(verb) — \(ProtectionMessage.advice)"
    }

    /// The same as ``reason``.
    public var description: String { reason }
}

/// The self-protection text, in one place.
enum ProtectionMessage {
    static let userConfig = "toolguard's user configuration"
    static let state = "toolguard's state (its trust store)"
    static let pinManifest = "toolguard's pin manifest"
    static let binary = "the installed toolguard binary"
    static let agentSettings = "an agent settings file that registers toolguard"
    static let writeVerb = "change"
    static let removeVerb = "remove or move"
    static let attributesVerb = "change the mode, owner or attributes of"
    static let advice = "a person can do this outside the agent"
}

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
/// settings (`/etc/claude-code/managed-settings.json` and its `managed-settings.d` directory on Linux); and the
/// other agents' hook files, user and project (``AgentHookFile``).
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
            // Every other agent's hook file too: `install --agent codex` registers toolguard there, and an agent
            // that rewrote it would switch the guard off for that agent.
            for file in AgentHookFile.all where file.agent != .claude {
                entries.append(
                    Entry(
                        path: locations.home + "/" + file.configDirectory + "/" + file.userFile, kind: .agentSettings,
                        isDirectory: false))
            }
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
            for file in AgentHookFile.all where file.agent != .claude {
                guard let projectFile = file.projectFile else { continue }
                entries.append(Entry(path: project + "/" + projectFile, kind: .agentSettings, isDirectory: false))
            }
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
    ///
    /// Pass the judgement's `files` so that each distinct path is resolved once per command line and the
    /// protected paths' own physical forms once per judgement; without it, every call starts afresh.
    public func protects(
        _ path: String, operation: Operation, relativeTo directory: String? = nil, files: FileFacts = FileFacts()
    ) -> ProtectedPath? {
        let raw = path.hasPrefix("/") ? path : (directory ?? "") + "/" + path
        // Once per distinct path and operation per judgement: a line may name `/dev/null` fifty thousand times.
        let probes = files.probes
        let formsIndex = self.formsIndex(probes)
        let key = Forms.Key(path: PathKey(raw), operation: operation)
        if let known = probes.state.withLock({ $0.protectedForms[formsIndex].results[key] }) { return known }
        let result = judge(raw, asGiven: path, operation: operation, probes: probes, formsIndex: formsIndex)
        probes.state.withLock { $0.protectedForms[formsIndex].results[key] = .some(result) }
        return result
    }

    private func judge(
        _ raw: String, asGiven path: String, operation: Operation, probes: FileProbes, formsIndex: Int
    ) -> ProtectedPath? {
        let lexical = Paths.normalize(raw)
        // The common case costs no system call: the path as written, against the paths as configured.
        if let found = match(lexical, operation: operation, physical: nil) {
            return ProtectedPath(target: lexical, entry: found.entry, relation: found.relation, operation: operation)
        }
        // The kernel refuses a path this long (ENAMETOOLONG): it names nothing that can be opened, and it is
        // not walked. It stays suspect when it names what is protected.
        if path.utf8.count >= Paths.maximumLength || lexical.utf8.count >= Paths.maximumLength {
            return unresolvable(lexical, operation: operation)
        }

        // The kernel resolves symbolic links (and `..` after them) physically; check that reading too.
        // Removing a link removes the link itself, so its last component is not followed then.
        // Not the whole `Forms`: a copy of its results alive while they grow would copy them every time.
        let (physicalEntries, linkedFiles) = probes.state.withLock {
            ($0.protectedForms[formsIndex].physical, $0.protectedForms[formsIndex].linkedFiles)
        }
        guard
            let physical = Self.physicalPath(
                raw, followLast: operation != .remove || path.hasSuffix("/"), probes: probes, links: 0)
        else {
            // More symbolic links than the kernel follows (ELOOP), or a resolution past PATH_MAX.
            return unresolvable(lexical, operation: operation)
        }
        if let found = match(physical, operation: operation, physical: physicalEntries) {
            return ProtectedPath(target: lexical, entry: found.entry, relation: found.relation, operation: operation)
        }
        if operation != .remove, !linkedFiles.isEmpty, let identity = probes.identity(physical),
            identity.isRegularFile, identity.links > 1,
            let linked = linkedFiles.first(where: {
                $0.identity.device == identity.device && $0.identity.inode == identity.inode
            })
        {
            return ProtectedPath(target: lexical, entry: linked.entry, relation: .same, operation: operation)
        }
        return nil
    }

    // MARK: Helpers

    /// What one judgement compares paths against, found once: each entry's physical path, the protected
    /// files that have other hard links, and the names that make an unresolvable path suspect.
    struct Forms: Sendable {
        var entries: [Entry]
        var physical: [String]
        var linkedFiles: [(entry: Entry, identity: FileProbes.Identity)]
        /// What each path asked about was found to be, by path as given and operation.
        var results: [Key: ProtectedPath?] = [:]

        struct Key: Hashable, Sendable {
            var path: PathKey
            var operation: Operation
        }
    }

    /// Where this judgement's forms of these entries are kept in `probes`, found on first use.
    private func formsIndex(_ probes: FileProbes) -> Int {
        // Copies of one `ProtectedPaths` share their entries' storage, so this comparison is one check.
        if let known = probes.state.withLock({ state in state.protectedForms.firstIndex { $0.entries == entries } }) {
            return known
        }
        var forms = Forms(entries: entries, physical: [], linkedFiles: [])
        for entry in entries {
            forms.physical.append(
                Self.physicalPath(entry.path, followLast: true, probes: probes, links: 0) ?? entry.path)
            if !entry.isDirectory, let identity = probes.identity(entry.path), identity.isRegularFile,
                identity.links > 1
            {
                forms.linkedFiles.append((entry, identity))
            }
        }
        return probes.state.withLock { state in
            state.protectedForms.append(forms)
            return state.protectedForms.count - 1
        }
    }

    /// The first entry `candidate` falls under, compared with the entries as configured (`physical` nil)
    /// or with their physical forms.
    private func match(
        _ candidate: String, operation: Operation, physical: [String]?
    ) -> (entry: Entry, relation: ProtectedPath.Relation)? {
        let key = Self.comparable(candidate)
        for index in entries.indices {
            let entry = entries[index]
            let protected = Self.comparable(physical?[index] ?? entry.path)
            if key == protected { return (entry, .same) }
            if entry.isDirectory, Paths.isInside(key, protected) { return (entry, .inside) }
            if operation != .write, Paths.isInside(protected, key) { return (entry, .contains) }
        }
        return nil
    }

    /// A path that cannot be resolved (longer than PATH_MAX, or a loop of links) is judged by what it names:
    /// it is suspect when one of its components is the name of a protected file or directory, or, for a
    /// removal, when its last component names a directory on the way to one.
    private func unresolvable(_ lexical: String, operation: Operation) -> ProtectedPath? {
        let slash = UInt8(ascii: "/")
        let names = entries.map { Array($0.path.utf8.split(separator: slash).last ?? []) }
        var isNameLength = [Bool](repeating: false, count: 256)
        for name in names where name.count < 256 { isNameLength[name.count] = true }
        let bytes = Array(lexical.utf8)
        var last = 0..<0
        var found: Int?
        // One pass over the path's components (no array of them: a path may have half a million), comparing
        // only names of the same length.
        var start = 0
        while start < bytes.count, found == nil {
            var end = start
            while end < bytes.count, bytes[end] != slash { end += 1 }
            if end > start {
                if end - start < 256, isNameLength[end - start] {
                    found = names.firstIndex { $0.elementsEqual(bytes[start..<end]) }
                }
                last = start..<end
            }
            start = end + 1
        }
        if let found {
            return ProtectedPath(
                target: lexical, entry: entries[found], relation: .same, operation: operation, isUnresolved: true)
        }
        guard operation != .write, !last.isEmpty else { return nil }
        let lastName = bytes[last]
        for entry in entries
        where entry.path.utf8.split(separator: slash).contains(where: { $0.elementsEqual(lastName) }) {
            return ProtectedPath(
                target: lexical, entry: entry, relation: .contains, operation: operation, isUnresolved: true)
        }
        return nil
    }

    /// The physical form of `path`: the symbolic links and `..` in its longest existing directory prefix
    /// resolved by the kernel in one walk, the rest appended and normalized; with `followLast` false the
    /// last component is kept as it is. `nil` when the kernel would give up (a loop of links, PATH_MAX).
    ///
    /// Each distinct directory is resolved once per judgement (`probes`), so a thousand files in one
    /// directory cost one resolution and no probe each (a removal) or one `lstat` each (a write).
    static func physicalPath(_ path: String, followLast: Bool, probes: FileProbes, links: Int) -> String? {
        guard links <= maximumLinks, path.utf8.count < Paths.maximumLength else { return nil }
        let bytes = Array(path.utf8)
        var end = bytes.count
        while end > 1, bytes[end - 1] == UInt8(ascii: "/") { end -= 1 }
        let slash = bytes[..<end].lastIndex(of: UInt8(ascii: "/")) ?? -1
        let last = String(decoding: bytes[(slash + 1)..<end], as: UTF8.self)
        let directoryPart = slash <= 0 ? "/" : String(decoding: bytes[..<slash], as: UTF8.self)
        if last.isEmpty || last == "." || last == ".." {
            return resolvedDirectory(path, probes: probes).path
        }
        let directory = resolvedDirectory(directoryPart, probes: probes)
        let candidate = directory.path == "/" ? "/" + last : directory.path + "/" + last
        guard followLast, directory.exists, probes.kind(candidate, following: false) == .symlink,
            let target = probes.linkTarget(candidate)
        else { return candidate }
        let next = target.hasPrefix("/") ? target : directory.path + "/" + target
        return physicalPath(next, followLast: true, probes: probes, links: links + 1)
    }

    /// How many symbolic links the kernel follows in one lookup before it gives up (ELOOP).
    static let maximumLinks = 40

    /// A directory's physical path; when it does not exist, its longest existing prefix's physical path
    /// with the rest appended lexically. The prefix is found by bisection: a prefix the kernel can enter
    /// has every shorter prefix enterable too.
    private static func resolvedDirectory(_ path: String, probes: FileProbes) -> (path: String, exists: Bool) {
        if let physical = probes.physicalDirectory(path) { return (physical, true) }
        let bytes = Array(path.utf8)
        // Where each component ends, so that prefix `i` is `bytes[..<ends[i]]`.
        var ends: [Int] = []
        for index in bytes.indices where bytes[index] != UInt8(ascii: "/") {
            if index + 1 == bytes.count || bytes[index + 1] == UInt8(ascii: "/") { ends.append(index + 1) }
        }
        // Prefixes 0..<low are known enterable ("/" always is); the whole path is not.
        var low = 0
        var high = ends.count
        var resolved = "/"
        while low < high {
            let middle = (low + high) / 2
            let prefix = String(decoding: bytes[..<ends[middle]], as: UTF8.self)
            if let physical = probes.physicalDirectory(prefix) {
                resolved = physical
                low = middle + 1
            } else {
                high = middle
            }
        }
        // `low` moved only on success, so `resolved` is prefix `low - 1`'s.
        let rest = low == 0 ? bytes[...] : bytes[ends[low - 1]...]
        return (Paths.normalize(resolved + "/" + String(decoding: rest, as: UTF8.self)), false)
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
    /// Whether the path could not be resolved (longer than PATH_MAX, a loop of links) and is suspect only
    /// because of what it names.
    public var isUnresolved: Bool

    /// Creates a match.
    public init(
        target: String, entry: ProtectedPaths.Entry, relation: Relation, operation: ProtectedPaths.Operation,
        isUnresolved: Bool = false
    ) {
        self.target = target
        self.entry = entry
        self.relation = relation
        self.operation = operation
        self.isUnresolved = isUnresolved
    }

    /// The one-sentence reason for a deny, e.g. `/home/u/.config contains toolguard's user configuration
    /// (/home/u/.config/toolguard), which the agent may not remove or move — a person can do this outside the agent`.
    public var reason: String {
        let what = entry.kind.summary
        let target = self.target.utf8.count > 200 ? String(self.target.prefix(96)) + "…" : self.target
        let subject: String
        let verb: String
        switch operation {
        case .write: verb = ProtectionMessage.writeVerb
        case .remove: verb = ProtectionMessage.removeVerb
        case .attributes: verb = ProtectionMessage.attributesVerb
        }
        if isUnresolved {
            return "\(target) cannot be resolved (longer than the system allows, or a loop of links) and names "
                + "\(what) (\(entry.path)), which the agent may not \(verb) — \(ProtectionMessage.advice)"
        }
        switch relation {
        case .same: subject = "\(target) is \(what)"
        case .inside: subject = "\(target) is inside \(what) (\(entry.path))"
        case .contains: subject = "\(target) contains \(what) (\(entry.path))"
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

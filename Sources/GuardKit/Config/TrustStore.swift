/// The record of repo files a person has trusted: absolute path → SHA-256 of the contents trusted.
///
/// Kept in the state directory (``Locations/trustStore``, `$XDG_STATE_HOME/toolguard/trusted.json`),
/// out of reach of the repositories it describes. The file is JSON, written atomically, mode 0600,
/// in an owner-only directory:
///
/// ```json
/// {
///   "version": 1,
///   "trusted": {
///     "/home/u/src/app/.toolguard.json": {
///       "sha256": "3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b"
///     }
///   }
/// }
/// ```
///
/// Keys are repo file paths made absolute and normalized lexically (``key(for:)``; symbolic links are
/// not resolved), so the hook and `toolguard trust` must name the file the same way — both use
/// ``Locations/repoFile(inProjectRoot:)``. A trusted file whose contents change no longer matches its
/// digest, so its weakening parts stop applying until it is trusted again.
///
/// Read-modify-write is not locked: two `toolguard trust` commands at the same instant may lose one
/// record, never corrupt the file.
public struct TrustStore: Sendable, Hashable {
    /// The format version this code writes and reads.
    public static let formatVersion = 1

    /// One trusted repo file.
    public struct Entry: Sendable, Hashable {
        /// The repo file's absolute, normalized path.
        public var repoFile: String
        /// The lowercase hex SHA-256 of the contents that were trusted.
        public var sha256: String

        /// Creates an entry.
        public init(repoFile: String, sha256: String) {
            self.repoFile = repoFile
            self.sha256 = sha256
        }
    }

    /// The trust store file.
    public var path: String

    /// A trust store kept in the file at `path`.
    public init(path: String) {
        self.path = path
    }

    /// The trust store at ``Locations/trustStore``.
    public init(locations: Locations) {
        self.init(path: locations.trustStore)
    }

    /// The key a repo file is recorded under: its path made absolute (against `/`) and normalized.
    public static func key(for repoFile: String) -> String {
        Paths.normalize(repoFile)
    }

    /// The recorded digest for `repoFile`, or `nil` when it was never trusted (or there is no store yet).
    public func trustedDigest(for repoFile: String) throws(TrustStoreError) -> String? {
        let key = Self.key(for: repoFile)
        return try entries().first { $0.repoFile == key }?.sha256
    }

    /// Every trusted repo file, sorted by path; empty when there is no store yet.
    public func entries() throws(TrustStoreError) -> [Entry] {
        let contents: [UInt8]
        do {
            contents = try FileIO.readBytes(atPath: path, maximumByteCount: FileIO.defaultMaximumByteCount)
        } catch {
            if error.isMissing { return [] }
            throw TrustStoreError(path: path, problem: .io(error))
        }
        return try Self.decode(contents, path: path)
    }

    /// Hashes `repoFile` now and records it as trusted; returns what was recorded.
    @discardableResult
    public func trust(repoFile: String) throws(TrustStoreError) -> Entry {
        let contents: [UInt8]
        do {
            contents = try FileIO.readBytes(atPath: repoFile, maximumByteCount: ConfigFile.maximumByteCount)
        } catch {
            throw TrustStoreError(path: repoFile, problem: .repoFile(error))
        }
        return try trust(repoFile: repoFile, sha256: SHA256.hexDigest(SHA256.hash(contents)))
    }

    /// Records `sha256` as the trusted digest of `repoFile`, replacing any earlier record.
    ///
    /// Use this form to trust exactly the bytes that were shown to the person (``ConfigFile/sha256``).
    @discardableResult
    public func trust(repoFile: String, sha256: String) throws(TrustStoreError) -> Entry {
        let entry = Entry(repoFile: Self.key(for: repoFile), sha256: sha256)
        var all = try entries().filter { $0.repoFile != entry.repoFile }
        all.append(entry)
        try save(all)
        return entry
    }

    /// Removes the record for `repoFile`; returns `false` when there was none (and writes nothing).
    @discardableResult
    public func untrust(repoFile: String) throws(TrustStoreError) -> Bool {
        let key = Self.key(for: repoFile)
        let all = try entries()
        let kept = all.filter { $0.repoFile != key }
        guard kept.count != all.count else { return false }
        try save(kept)
        return true
    }

    /// Writes `entries` atomically, sorted by path so the file diffs well.
    private func save(_ entries: [Entry]) throws(TrustStoreError) {
        var trusted = JSONObject()
        for entry in entries.sorted(by: { $0.repoFile < $1.repoFile }) {
            trusted[entry.repoFile] = .object(["sha256": .string(entry.sha256)])
        }
        let document: JSONValue = ["version": JSONValue(Self.formatVersion), "trusted": .object(trusted)]
        do {
            try FileIO.writeAtomically(
                path: path, text: document.serialized(style: .pretty(indent: 2), trailingNewline: true),
                mode: 0o600, directoryMode: FileIO.privateDirectoryMode)
        } catch {
            throw TrustStoreError(path: path, problem: .io(error))
        }
    }

    /// Reads the store's JSON, checking its version and every entry.
    private static func decode(_ contents: [UInt8], path: String) throws(TrustStoreError) -> [Entry] {
        let document: JSONValue
        do {
            document = try JSONValue.parse(contents)
        } catch {
            throw TrustStoreError(path: path, problem: .invalid(error.description))
        }
        guard let version = document["version"]?.intValue else {
            throw TrustStoreError(path: path, problem: .invalid(TrustMessage.missingVersion))
        }
        guard version == formatVersion else {
            throw TrustStoreError(path: path, problem: .invalid(TrustMessage.unsupportedVersion(version)))
        }
        guard let trusted = document["trusted"]?.objectValue else {
            throw TrustStoreError(path: path, problem: .invalid(TrustMessage.missingTrusted))
        }
        var entries: [Entry] = []
        for (repoFile, record) in trusted {
            guard let digest = record["sha256"]?.stringValue, isHexDigest(digest) else {
                throw TrustStoreError(path: path, problem: .invalid(TrustMessage.badEntry(repoFile)))
            }
            entries.append(Entry(repoFile: repoFile, sha256: digest))
        }
        return entries
    }

    /// Whether `text` is 64 lowercase hex digits.
    private static func isHexDigest(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}

/// The trust store, or the repo file to trust, could not be used.
public struct TrustStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public enum Problem: Sendable, Hashable {
        /// The store could not be read or written.
        case io(FileIOError)
        /// The store is not in the expected format; the text says how.
        case invalid(String)
        /// The repo file to trust could not be read.
        case repoFile(FileIOError)
    }

    /// The file concerned: the store, or the repo file for ``Problem/repoFile(_:)``.
    public var path: String
    /// What went wrong.
    public var problem: Problem

    /// Creates an error.
    public init(path: String, problem: Problem) {
        self.path = path
        self.problem = problem
    }

    /// The problem and the way out, without the `toolguard:` prefix.
    public var reason: String {
        switch problem {
        case .io(let error): "\(error.description) — \(TrustMessage.ioAdvice)"
        case .invalid(let what): "\(path) is not a valid trust store: \(what) — \(TrustMessage.invalidAdvice)"
        case .repoFile(let error): "\(error.description) — \(TrustMessage.repoFileAdvice)"
        }
    }

    /// Reads like `toolguard: /home/u/.local/state/toolguard/trusted.json is not a valid trust store: …
    /// — remove it and trust your repositories again`.
    public var description: String {
        "toolguard: \(reason)"
    }
}

/// The trust store's user-facing text, in one place.
enum TrustMessage {
    static let missingVersion = "no \"version\" number"
    static let missingTrusted = "no \"trusted\" object"
    static func unsupportedVersion(_ version: Int) -> String {
        "version \(version) is not supported (this toolguard reads version \(TrustStore.formatVersion))"
    }
    static func badEntry(_ repoFile: String) -> String {
        "the entry for \(repoFile) has no valid \"sha256\""
    }
    static let ioAdvice = "check the state directory's permissions"
    static let invalidAdvice = "remove it and trust your repositories again"
    static let repoFileAdvice = "run `toolguard trust` in a project that has a .toolguard.json"
}

#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Musl)
    internal import Musl
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// Allow once (SPEC §12): a person at a terminal lets one blocked command through, once, in the directory
/// it was blocked in, within ``validity`` seconds.
///
/// A block's reason offers a short code derived from the command, the directory and a secret kept in the
/// state directory (`allow-secret`), so the code names exactly that command there. `toolguard allow CODE`
/// writes a grant to `allow-once.json`; the next time the hook would block that exact command in that
/// directory it consumes the grant and lets it through. Only a block reads the grants: the common path
/// (allow, pass) never does. Both files sit in the state directory, which the agent may not write, and
/// self-protection keeps the agent from running `toolguard allow`.
public struct AllowOnce: Sendable {
    /// How long a grant lasts: ten minutes.
    public static let validity = 600
    /// The number of hex digits of a code.
    public static let codeLength = 6
    /// The secret's name in the state directory.
    public static let secretFileName = "allow-secret"
    /// The grants' name in the state directory.
    public static let grantsFileName = "allow-once.json"

    /// One grant.
    public struct Grant: Sendable, Hashable {
        /// The exact command line.
        public var command: String
        /// The directory it may run in.
        public var directory: String
        /// Its code.
        public var code: String
        /// Seconds since the epoch after which it no longer applies.
        public var expires: Int
    }

    /// toolguard's state directory.
    public let stateDirectory: String

    /// Allow-once state in `stateDirectory`.
    public init(stateDirectory: String) {
        self.stateDirectory = stateDirectory
    }

    var secretPath: String { stateDirectory + "/" + Self.secretFileName }
    var grantsPath: String { stateDirectory + "/" + Self.grantsFileName }

    /// The code for `command` in `directory`, creating the secret on first use.
    public func code(command: String, directory: String) throws(FileIOError) -> String {
        let secret = try self.secret()
        let digest = SHA256.hash(secret + [0] + Array(Paths.normalize(directory).utf8) + [0] + Array(command.utf8))
        return String(SHA256.hexDigest(digest).prefix(Self.codeLength))
    }

    /// The secret: 32 random bytes, written once with owner-only permissions.
    func secret() throws(FileIOError) -> [UInt8] {
        if let bytes = try FileIO.readBytesIfPresent(atPath: secretPath), bytes.count >= 32 { return bytes }
        var random = [UInt8](repeating: 0, count: 32)
        let source = open("/dev/urandom", O_RDONLY | O_CLOEXEC)
        guard source >= 0 else { throw FileIOError(path: "/dev/urandom", operation: .read, code: errno) }
        let count = random.withUnsafeMutableBytes { read(source, $0.baseAddress, $0.count) }
        close(source)
        guard count == random.count else { throw FileIOError(path: "/dev/urandom", operation: .read, code: errno) }
        let hex = Array(SHA256.hexDigest(random).utf8)
        try FileIO.createDirectories(atPath: stateDirectory)
        // O_EXCL: when two hooks create it at once, the second reads the first one's.
        let descriptor = open(secretPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if descriptor < 0 {
            guard errno == EEXIST, let bytes = try FileIO.readBytesIfPresent(atPath: secretPath) else {
                throw FileIOError(path: secretPath, operation: .write, code: errno)
            }
            return bytes
        }
        defer { close(descriptor) }
        let written = hex.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == hex.count else { throw FileIOError(path: secretPath, operation: .write, code: errno) }
        return hex
    }

    /// The grants not yet expired at `now`.
    public func grants(now: Int) throws(FileIOError) -> [Grant] {
        guard let bytes = try FileIO.readBytesIfPresent(atPath: grantsPath),
            let list = (try? JSONValue.parse(bytes))?["grants"]?.arrayValue
        else { return [] }
        return list.compactMap { value in
            guard let command = value["command"]?.stringValue, let directory = value["cwd"]?.stringValue,
                let code = value["code"]?.stringValue, let expires = value["expires"]?.intValue, expires > now
            else { return nil }
            return Grant(command: command, directory: directory, code: code, expires: expires)
        }
    }

    func save(_ grants: [Grant]) throws(FileIOError) {
        let list = grants.map { grant -> JSONValue in
            .object([
                "command": .string(grant.command), "cwd": .string(grant.directory), "code": .string(grant.code),
                "expires": JSONValue(grant.expires),
            ])
        }
        let text = JSONValue.object(["grants": .array(list)]).serialized(trailingNewline: true)
        try FileIO.writeAtomically(path: grantsPath, text: text, mode: 0o600)
    }

    /// Grants one run of `command` in `directory` from `now` on; returns the grant.
    @discardableResult
    public func grant(command: String, directory: String, now: Int) throws(FileIOError) -> Grant {
        let directory = Paths.normalize(directory)
        let grant = Grant(
            command: command, directory: directory, code: try code(command: command, directory: directory),
            expires: now + Self.validity)
        var grants = try self.grants(now: now).filter { $0.command != command || $0.directory != directory }
        grants.append(grant)
        try save(grants)
        return grant
    }

    /// Whether a grant lets `command` run in `directory` now; the grant is used up. Called only for a block.
    public func consume(command: String, directory: String, now: Int) -> Bool {
        let directory = Paths.normalize(directory)
        guard let grants = try? self.grants(now: now),
            let index = grants.firstIndex(where: { $0.command == command && $0.directory == directory })
        else { return false }
        var rest = grants
        rest.remove(at: index)
        // A grant that cannot be removed is not used: it would let the command through again.
        do { try save(rest) } catch { return false }
        return true
    }
}

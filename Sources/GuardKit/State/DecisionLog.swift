#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Musl)
    internal import Musl
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// What the hook decided (SPEC §12): every block and ask, and every allow-once grant and use, one JSON
/// object a line in `$XDG_STATE_HOME/toolguard/decisions.jsonl`.
///
/// Allow and pass write nothing, so the common path never touches the log. An entry is one `write` to a
/// descriptor opened with `O_APPEND`: concurrent hooks never interleave lines. The log is bounded: past
/// ``maximumByteCount`` it is renamed to `decisions.jsonl.1` (replacing the previous one) and begun anew,
/// so at most two files of a few MB are kept. It lives in the state directory, which self-protection
/// keeps the agent from writing.
public struct DecisionLog: Sendable {
    /// The log's name in the state directory.
    public static let fileName = "decisions.jsonl"
    /// The size past which the log is rotated.
    public static let maximumByteCount = 4 << 20
    /// Commands longer than this are shortened in the log (and get no allow-once code).
    public static let maximumCommandLength = 16_384

    /// What an entry records.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// The hook blocked the command.
        case block
        /// The hook asked the person (or blocked for an agent that cannot ask).
        case ask
        /// A person granted one run with `toolguard allow`.
        case granted
        /// The hook let a blocked command through once, on a grant.
        case allowedOnce = "allowed-once"
    }

    /// One decision.
    public struct Entry: Sendable, Hashable {
        /// Seconds since the epoch.
        public var time: Int
        /// The agent whose hook asked (`claude`, `codex` …), or `person` for a grant.
        public var agent: String
        /// The directory the command runs in.
        public var directory: String
        /// The command line (or, for a file tool, the tool and its path).
        public var command: String
        /// What happened.
        public var kind: Kind
        /// The rule that decided it.
        public var rule: String?
        /// The allow-once code the block's reason offered.
        public var code: String?

        /// Creates an entry.
        public init(
            time: Int, agent: String, directory: String, command: String, kind: Kind, rule: String? = nil,
            code: String? = nil
        ) {
            self.time = time
            self.agent = agent
            self.directory = directory
            self.command = command
            self.kind = kind
            self.rule = rule
            self.code = code
        }

        /// The entry as one JSON object.
        public var json: JSONValue {
            var object: JSONObject = [
                "time": .string(Timestamp.iso(time)), "agent": .string(agent), "cwd": .string(directory),
                "command": .string(command), "verdict": .string(kind.rawValue),
            ]
            object["rule"] = rule.map(JSONValue.string) ?? .null
            object["code"] = code.map(JSONValue.string) ?? .null
            return .object(object)
        }

        /// Reads an entry written by ``json``; `nil` when the object is not one.
        public init?(json value: JSONValue) {
            guard let timeText = value["time"]?.stringValue, let time = Timestamp.parse(timeText),
                let agent = value["agent"]?.stringValue, let directory = value["cwd"]?.stringValue,
                let command = value["command"]?.stringValue,
                let kind = value["verdict"]?.stringValue.flatMap(Kind.init(rawValue:))
            else { return nil }
            self.init(
                time: time, agent: agent, directory: directory, command: command, kind: kind,
                rule: value["rule"]?.stringValue, code: value["code"]?.stringValue)
        }
    }

    /// The log file.
    public let path: String

    /// The log in `stateDirectory`.
    public init(stateDirectory: String) {
        path = stateDirectory + "/" + Self.fileName
    }

    /// The previous log, kept after a rotation.
    public var rotatedPath: String { path + ".1" }

    /// Appends an entry: one `write`, rotating first when the log is full.
    public func append(_ entry: Entry) throws(FileIOError) {
        var entry = entry
        if entry.command.utf8.count > Self.maximumCommandLength {
            entry.command = String(entry.command.prefix(Self.maximumCommandLength)) + "…"
            entry.code = nil
        }
        let line = Array(entry.json.serialized().utf8) + [0x0A]
        var descriptor = try open()
        var info = stat()
        if fstat(descriptor, &info) == 0, Int(info.st_size) + line.count > Self.maximumByteCount, info.st_size > 0 {
            close(descriptor)
            // Another hook may rotate at the same moment; either rename wins and both append to a new log.
            _ = rename(path, rotatedPath)
            descriptor = try open()
        }
        defer { close(descriptor) }
        let written = line.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        guard written == line.count else { throw FileIOError(path: path, operation: .write, code: errno) }
    }

    private func open() throws(FileIOError) -> Int32 {
        let flags = O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC
        var descriptor = Glibc.open(path, flags, 0o600)
        if descriptor < 0, errno == ENOENT {
            try FileIO.createDirectories(atPath: Paths.parent(path))
            descriptor = Glibc.open(path, flags, 0o600)
        }
        guard descriptor >= 0 else { throw FileIOError(path: path, operation: .write, code: errno) }
        return descriptor
    }

    /// Every entry, oldest first (the rotated log, then the current one), and how many lines were not
    /// entries.
    public func entries() throws(FileIOError) -> (entries: [Entry], malformed: Int) {
        var entries: [Entry] = []
        var malformed = 0
        for file in [rotatedPath, path] {
            guard let bytes = try FileIO.readBytesIfPresent(atPath: file) else { continue }
            for line in bytes.split(separator: 0x0A) where !line.allSatisfy({ $0 == 0x20 || $0 == 0x0D }) {
                if let value = try? JSONValue.parse(Array(line)), let entry = Entry(json: value) {
                    entries.append(entry)
                } else {
                    malformed += 1
                }
            }
        }
        return (entries, malformed)
    }
}

/// What toolguard does when it cannot judge a tool call (input it cannot read, an internal failure).
public enum FailMode: String, Sendable, Hashable, CaseIterable {
    /// Block the call: the default, and what a broken config falls back to.
    case closed
    /// Let the call through.
    case open
}

/// One config file as read: the user config or a project's `.toolguard.json`.
///
/// Both files have the same format; every key is optional:
///
/// ```json
/// {
///   "enable": ["python", "node"],
///   "failMode": "closed",
///   "allowToolInstallers": true
/// }
/// ```
///
/// - `enable`: the ecosystem ids that guard commands (built-in ids only). In the user config, absent
///   means every built-in ecosystem; in a repo file, absent means "as the user config says".
/// - `failMode`: `"closed"` (default) or `"open"`; see ``FailMode``.
/// - `allowToolInstallers`: whether installers that give each tool its own environment
///   (`pipx install`, `uv tool install`) count as allowed; default `true`.
///
/// Any other key is an error, so that a misspelt key (`"enabled"`) is reported instead of silently
/// doing nothing.
public struct ConfigFile: Sendable, Hashable {
    /// The keys a config file may have.
    public enum Key {
        /// The list of enabled ecosystem ids.
        public static let enable = "enable"
        /// The fail mode, `"closed"` or `"open"`.
        public static let failMode = "failMode"
        /// Whether per-tool installers such as `pipx install` are allowed.
        public static let allowToolInstallers = "allowToolInstallers"
        /// All keys, in documentation order.
        public static let all = [enable, failMode, allowToolInstallers]
    }

    /// The largest config file toolguard reads: 1 MiB, far beyond any real one.
    public static let maximumByteCount = 1 << 20

    /// The file's path, as given.
    public var path: String
    /// The `enable` list, without repeats, in the order written; `nil` when the key is absent.
    public var enable: [String]?
    /// The `failMode`, or `nil` when absent.
    public var failMode: FailMode?
    /// The `allowToolInstallers` flag, or `nil` when absent.
    public var allowToolInstallers: Bool?
    /// The exact bytes that were parsed, so a digest describes what was actually applied.
    public var contents: [UInt8]

    /// Creates a config file value directly (for tests and callers that build one).
    public init(
        path: String, enable: [String]? = nil, failMode: FailMode? = nil, allowToolInstallers: Bool? = nil,
        contents: [UInt8] = []
    ) {
        self.path = path
        self.enable = enable
        self.failMode = failMode
        self.allowToolInstallers = allowToolInstallers
        self.contents = contents
    }

    /// The lowercase hex SHA-256 of ``contents``; computed on each call, so only ask when it is needed.
    public var sha256: String { SHA256.hexDigest(SHA256.hash(contents)) }

    /// Reads and checks the file at `path`; `nil` when there is no such file.
    ///
    /// One `open` when the file is missing, which is the common case on every hook call.
    public static func load(path: String, builtIn: [String]) throws(ConfigError) -> ConfigFile? {
        let contents: [UInt8]
        do {
            contents = try FileIO.readBytes(atPath: path, maximumByteCount: maximumByteCount)
        } catch {
            if error.isMissing { return nil }
            throw ConfigError(path: path, problem: .unreadable(error))
        }
        return try parse(contents, path: path, builtIn: builtIn)
    }

    /// Parses and checks config text; `builtIn` lists the ecosystem ids `enable` may name.
    public static func parse(_ contents: [UInt8], path: String, builtIn: [String]) throws(ConfigError) -> ConfigFile {
        let document: JSONValue
        do {
            document = try JSONValue.parse(contents)
        } catch {
            throw ConfigError(path: path, problem: .invalidJSON(error))
        }
        guard case .object(let object) = document else {
            throw ConfigError(path: path, problem: .notAnObject(found: document.kindDescription))
        }

        func failure(_ problem: ConfigError.Problem) -> ConfigError { ConfigError(path: path, problem: problem) }
        func wrongType(_ key: String, _ expected: String, _ found: JSONValue) -> ConfigError {
            failure(.wrongType(key: key, expected: expected, found: found.kindDescription))
        }

        var file = ConfigFile(path: path, contents: contents)
        for (key, value) in object {
            switch key {
            case Key.enable:
                guard case .array(let elements) = value else {
                    throw wrongType(key, ConfigMessage.enableValues, value)
                }
                var ids: [String] = []
                for element in elements {
                    guard case .string(let id) = element else {
                        throw wrongType(key, ConfigMessage.enableElements, element)
                    }
                    guard builtIn.contains(id) else { throw failure(.unknownEcosystem(id, known: builtIn)) }
                    if !ids.contains(id) { ids.append(id) }
                }
                file.enable = ids
            case Key.failMode:
                guard case .string(let text) = value else { throw wrongType(key, ConfigMessage.failModeValues, value) }
                guard let mode = FailMode(rawValue: text) else {
                    throw failure(
                        .invalidValue(key: key, expected: ConfigMessage.failModeValues, found: value.serialized()))
                }
                file.failMode = mode
            case Key.allowToolInstallers:
                guard case .bool(let flag) = value else { throw wrongType(key, ConfigMessage.booleanValues, value) }
                file.allowToolInstallers = flag
            default:
                throw failure(.unknownKey(key))
            }
        }
        return file
    }
}

/// A config file that toolguard could not use; toolguard then applies its strictest settings.
public struct ConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was wrong with the file.
    public enum Problem: Sendable, Hashable {
        /// The file exists but could not be read.
        case unreadable(FileIOError)
        /// The file is not valid JSON.
        case invalidJSON(JSONError)
        /// The top level is not an object; `found` is the kind of value it is.
        case notAnObject(found: String)
        /// A key toolguard does not know.
        case unknownKey(String)
        /// A value of the wrong JSON type for its key.
        case wrongType(key: String, expected: String, found: String)
        /// A value of the right type that is not one of the allowed values; `found` is its JSON text.
        case invalidValue(key: String, expected: String, found: String)
        /// An `enable` entry that names no built-in ecosystem.
        case unknownEcosystem(String, known: [String])
    }

    /// The file's path.
    public var path: String
    /// What was wrong.
    public var problem: Problem

    /// Creates an error for `path`.
    public init(path: String, problem: Problem) {
        self.path = path
        self.problem = problem
    }

    /// The problem alone, e.g. `line 2, column 5: expected ',' or '}' after an object member, found '"'`.
    public var reason: String {
        switch problem {
        case .unreadable(let error): error.reason
        case .invalidJSON(let error): error.description
        case .notAnObject(let found): "expected a JSON object at the top level, found \(found)"
        case .unknownKey(let key):
            "unknown key \"\(key)\" (known keys: \(ConfigFile.Key.all.joined(separator: ", ")))"
        case .wrongType(let key, let expected, let found): "\"\(key)\" must be \(expected), found \(found)"
        case .invalidValue(let key, let expected, let found): "\"\(key)\" must be \(expected), found \(found)"
        case .unknownEcosystem(let id, let known):
            "unknown ecosystem \"\(id)\" in \"enable\" (known: \(known.joined(separator: ", ")))"
        }
    }

    /// The one-line message for a person:
    /// `toolguard: <path>: <reason> — fix or remove the file; until then toolguard uses its strictest settings`.
    public var description: String {
        "toolguard: \(path): \(reason) — \(ConfigMessage.errorAdvice)"
    }
}

/// The config layer's user-facing text, in one place.
enum ConfigMessage {
    static let enableValues = "an array of ecosystem ids"
    static let enableElements = "an array of ecosystem ids (strings)"
    static let failModeValues = "\"closed\" or \"open\""
    static let booleanValues = "true or false"
    static let errorAdvice = "fix or remove the file; until then toolguard uses its strictest settings"
}

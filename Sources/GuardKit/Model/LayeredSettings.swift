/// A nopt tool's settings as one command sees them, read in layers, highest first: the command line (as nopt
/// left it), then the environment (``environmentPrefix`` and the key, in any case, `-` written as `_`; an
/// empty value is ignored), then settings files (``files``, highest first).
///
/// What the layers say is read the way such a tool reads it: a boolean setting is on unless it is
/// `false`, `null`, `undefined` or empty (any other text is truthy), and a value only known when the line
/// runs makes the answer unknown (`nil`).
public struct LayeredSettings: Sendable {
    /// Where a setting came from.
    public enum Source: Sendable, Equatable {
        /// The command line.
        case commandLine
        /// An environment variable (also the answer when no layer sets it: the default).
        case environment
        /// A settings file, by path.
        case file(String)
    }

    /// One settings file's top-level values.
    public struct File: Sendable {
        /// Its path.
        public let path: String
        /// Its values, by key.
        public let values: [String: Value]

        /// Creates a file's layer.
        public init(path: String, values: [String: Value]) {
            self.path = path
            self.values = values
        }
    }

    /// The command line's settings, as nopt left them.
    public let commandLine: [String: NoptDefinitions.Value]
    /// The command's environment.
    public let environment: Environment
    /// What a variable's name starts with (`tool_config_`), compared without case.
    public let environmentPrefix: String
    /// The settings files, highest precedence first; read only for the commands whose judgement needs them.
    public var files: [File] = []

    /// Creates the settings of one command.
    public init(commandLine: [String: NoptDefinitions.Value], environment: Environment, environmentPrefix: String) {
        self.commandLine = commandLine
        self.environment = environment
        self.environmentPrefix = environmentPrefix.lowercased()
    }

    /// The environment's values for a setting: every spelling of its variable that is set and not empty.
    public func environmentValues(_ key: String) -> [Value] {
        let name = environmentPrefix + String(key.map { $0 == "-" ? "_" : $0 })
        return environment.variables.compactMap { variable, value in
            variable.lowercased() == name && (value.isDynamic || !value.text.isEmpty) ? value : nil
        }
    }

    /// The environment's value for a setting, if any.
    public func environmentValue(_ key: String) -> Value? { environmentValues(key).first }

    /// The values the layers below the command line give a setting: the environment's, else the first
    /// file's that sets it, with where it came from.
    public func lowerValues(_ key: String) -> (values: [Value], source: Source)? {
        let values = environmentValues(key)
        if !values.isEmpty { return (values, .environment) }
        for file in files {
            if let value = file.values[key] { return ([value], .file(file.path)) }
        }
        return nil
    }

    /// A boolean setting; `nil` when it depends on a value only known when the line runs.
    public func flag(_ key: String) -> Bool? { flagAndSource(key).value }

    /// A boolean setting and the layer that decided it. When spellings of a variable disagree, an on one wins.
    public func flagAndSource(_ key: String) -> (value: Bool?, source: Source) {
        if let value = commandLine[key] {
            switch value {
            case .flag(let flag): return (flag, .commandLine)
            case .null: return (false, .commandLine)
            case .text(let argument): return (argument.isDynamic ? nil : !argument.text.isEmpty, .commandLine)
            }
        }
        guard let (values, source) = lowerValues(key) else { return (false, .environment) }
        var unknown = false
        for value in values {
            if value.isDynamic {
                unknown = true
            } else if !["false", "null", "undefined", ""].contains(value.text) {
                return (true, source)
            }
        }
        return (unknown ? nil : false, source)
    }

    /// Whether a setting is exactly `text` (compared as written), and the layer that decided it.
    public func isText(_ key: String, _ text: String) -> (value: Bool?, source: Source) {
        if let value = commandLine[key] {
            guard case .text(let argument) = value else { return (false, .commandLine) }
            return (argument.isDynamic ? nil : argument.text == text, .commandLine)
        }
        guard let (values, source) = lowerValues(key) else { return (false, .environment) }
        var unknown = false
        for value in values {
            if value.isDynamic { unknown = true } else if value.text == text { return (true, source) }
        }
        return (unknown ? nil : false, source)
    }

    /// The command line's text value of a setting.
    public func commandLineText(_ key: String) -> Argument? {
        if case .text(let argument)? = commandLine[key] { return argument }
        return nil
    }
}

#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Musl)
    internal import Musl
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// Where toolguard keeps its configuration and state, and where Claude Code keeps the settings that
/// register the hook, computed from an environment.
///
/// Follows the XDG Base Directory specification: `XDG_CONFIG_HOME` and `XDG_STATE_HOME` are used only
/// when they are absolute paths; empty or relative values are ignored in favour of the defaults
/// under `HOME`. Pure path arithmetic: nothing here touches the file system.
///
/// | what | path |
/// |---|---|
/// | user config | `$XDG_CONFIG_HOME/toolguard/config.json`, default `~/.config/toolguard/config.json` |
/// | pin manifest | `$XDG_CONFIG_HOME/toolguard/pin.json` |
/// | state directory | `$XDG_STATE_HOME/toolguard`, default `~/.local/state/toolguard` |
/// | trust store | `$XDG_STATE_HOME/toolguard/trusted.json` |
/// | repo file | `<project root>/.toolguard.json` |
public struct Locations: Sendable, Hashable {
    /// The name of toolguard's directories under the XDG base directories.
    public static let directoryName = "toolguard"
    /// The user config file's name, in ``configDirectory``.
    public static let userConfigFileName = "config.json"
    /// The pin manifest's name, in ``configDirectory``.
    public static let pinManifestFileName = "pin.json"
    /// The trust store's name, in ``stateDirectory``.
    public static let trustStoreFileName = "trusted.json"
    /// The repo file's name, at a project root.
    public static let repoFileName = ".toolguard.json"

    /// The home directory: `HOME` when it is absolute, else the user's entry in the password database.
    public var home: String
    /// toolguard's user config directory, `$XDG_CONFIG_HOME/toolguard`.
    public var configDirectory: String
    /// toolguard's state directory, `$XDG_STATE_HOME/toolguard`.
    public var stateDirectory: String
    /// Claude Code's user settings directory: `CLAUDE_CONFIG_DIR` when set to an absolute path, else `~/.claude`.
    public var claudeConfigDirectory: String

    /// The user config file.
    public var userConfigFile: String { configDirectory + "/" + Self.userConfigFileName }
    /// The pin manifest, which records the installed binary's SHA-256.
    public var pinManifest: String { configDirectory + "/" + Self.pinManifestFileName }
    /// The trust store, which records trusted repo files' SHA-256.
    public var trustStore: String { stateDirectory + "/" + Self.trustStoreFileName }
    /// What `toolguard install` added to each settings file, so that uninstall removes exactly that.
    public var installLedger: String { stateDirectory + "/claude-installs.json" }
    /// Claude Code's user settings file, where `toolguard install --scope user` registers the hook.
    public var claudeUserSettings: String { claudeConfigDirectory + "/settings.json" }
    /// Claude Code's managed-settings drop-in directory, where `install --scope managed` writes: the platform's
    /// own, or `TOOLGUARD_CLAUDE_MANAGED_DIR` when set to an absolute path (a staging root for an image, tests).
    public var claudeManagedDirectory: String
    /// The variable that moves ``claudeManagedDirectory``.
    public static let managedDirectoryVariable = "TOOLGUARD_CLAUDE_MANAGED_DIR"
    /// The drop-in's name: the whole file is toolguard's.
    public static let managedDropInName = "toolguard.json"
    /// toolguard's drop-in in the managed-settings directory.
    public var claudeManagedDropIn: String { claudeManagedDirectory + "/" + Self.managedDropInName }

    /// Computes the locations from `environment`; `nil` when no home directory can be found.
    public init?(environment: [String: String]) {
        // The password database is consulted only when HOME is unusable: it costs file reads.
        let fallback = Self.absolute(environment["HOME"]) == nil ? Self.passwordDatabaseHome() : nil
        self.init(environment: environment, fallbackHome: fallback)
    }

    /// Computes the locations from `environment`, using `fallbackHome` when `HOME` is unset or relative.
    public init?(environment: [String: String], fallbackHome: String?) {
        guard let home = Self.absolute(environment["HOME"]) ?? Self.absolute(fallbackHome) else { return nil }
        self.home = home
        let configBase = Self.absolute(environment["XDG_CONFIG_HOME"]) ?? home + "/.config"
        let stateBase = Self.absolute(environment["XDG_STATE_HOME"]) ?? home + "/.local/state"
        configDirectory = Paths.normalize(configBase + "/" + Self.directoryName)
        stateDirectory = Paths.normalize(stateBase + "/" + Self.directoryName)
        claudeConfigDirectory = Self.absolute(environment["CLAUDE_CONFIG_DIR"]) ?? Paths.normalize(home + "/.claude")
        claudeManagedDirectory =
            Self.absolute(environment[Self.managedDirectoryVariable]) ?? Self.claudeManagedSettings[1]
    }

    /// The repo file of the project rooted at `projectRoot` (absolute): `<root>/.toolguard.json`.
    public static func repoFile(inProjectRoot projectRoot: String) -> String {
        Paths.normalize(projectRoot + "/" + repoFileName)
    }

    /// Claude Code's project settings, `<root>/.claude/settings.json` (committed with the project).
    public static func claudeProjectSettings(inProjectRoot projectRoot: String) -> String {
        Paths.normalize(projectRoot + "/.claude/settings.json")
    }

    /// Claude Code's local project settings, `<root>/.claude/settings.local.json` (not committed).
    public static func claudeLocalSettings(inProjectRoot projectRoot: String) -> String {
        Paths.normalize(projectRoot + "/.claude/settings.local.json")
    }

    /// Claude Code's managed (policy) settings file and drop-in directory on this platform.
    public static var claudeManagedSettings: [String] {
        #if os(macOS)
            let base = "/Library/Application Support/ClaudeCode"
        #else
            let base = "/etc/claude-code"
        #endif
        return [base + "/managed-settings.json", base + "/managed-settings.d"]
    }

    /// `value` normalized when it is a non-empty absolute path, else `nil` (the XDG rule for base directories).
    private static func absolute(_ value: String?) -> String? {
        guard let value, value.hasPrefix("/") else { return nil }
        return Paths.normalize(value)
    }

    /// The current user's home directory from the password database, as `~` does when `HOME` is unset.
    public static func passwordDatabaseHome() -> String? {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 4096)
        return buffer.withUnsafeMutableBufferPointer { storage -> String? in
            guard getpwuid_r(getuid(), &entry, storage.baseAddress!, storage.count, &result) == 0,
                result != nil, let directory = entry.pw_dir
            else { return nil }
            return String(cString: directory)
        }
    }
}

/// The settings in effect for one project: which ecosystems guard it, the fail mode, the judgement
/// calls, and where each came from.
///
/// Built by ``resolve(builtIn:environment:projectRoot:)`` from three layers (SPEC §8):
///
/// 1. Built-in defaults: every built-in ecosystem enabled, fail closed, tool installers allowed.
/// 2. The user config (``Locations/userConfigFile``) replaces any of them.
/// 3. The project's `.toolguard.json` (``Locations/repoFile(inProjectRoot:)``). Whatever makes
///    protection stricter applies as written: enabling an ecosystem, `"failMode": "closed"`,
///    `"allowToolInstallers": false`. Whatever makes it weaker — leaving out an ecosystem the layers
///    below enable, `"failMode": "open"`, `"allowToolInstallers": true` — applies only while the file
///    is trusted: its SHA-256 equals the one `toolguard trust` recorded in the ``TrustStore``.
///    Otherwise those parts are ignored and ``notices`` says so and how to trust the file.
///
/// A config file that cannot be used (unreadable, invalid JSON, wrong types, unknown keys or
/// ecosystems) is reported in ``errors`` and everything falls back to ``strictest(builtIn:)``:
/// never to less protection.
public struct Configuration: Sendable, Hashable {
    /// Where a setting's value came from.
    public enum Origin: String, Sendable, Hashable, CustomStringConvertible {
        /// No config file set it.
        case builtInDefault = "built-in default"
        /// The user config set it.
        case userConfig = "user config"
        /// The repo file set it, and it does not weaken protection, so no trust was needed.
        case repoFile = "repo file"
        /// The repo file weakened it, and the file is trusted and unchanged.
        case trustedRepoFile = "trusted repo file"
        /// A config file was broken, so the strictest value applies.
        case strictFallback = "strictest setting, because of a config error"

        /// The origin as a person reads it, e.g. `user config`.
        public var description: String { rawValue }
    }

    /// One setting's value and origin.
    public struct Setting<Value: Sendable & Hashable>: Sendable, Hashable {
        /// The value in effect.
        public var value: Value
        /// Where ``value`` came from.
        public var origin: Origin
        /// The weaker value an untrusted (or changed) repo file asked for and did not get, if any.
        public var ignoredRepoValue: Value?

        /// Creates a setting.
        public init(_ value: Value, origin: Origin, ignoredRepoValue: Value? = nil) {
            self.value = value
            self.origin = origin
            self.ignoredRepoValue = ignoredRepoValue
        }
    }

    /// Whether one ecosystem is enabled, and why.
    public struct EcosystemSetting: Sendable, Hashable {
        /// The ecosystem id.
        public var id: String
        /// `true` when the ecosystem guards this project.
        public var enabled: Setting<Bool>

        /// Creates an ecosystem setting.
        public init(id: String, enabled: Setting<Bool>) {
            self.id = id
            self.enabled = enabled
        }
    }

    /// What became of a config file toolguard looked for.
    public enum FileStatus: String, Sendable, Hashable {
        /// Not looked for: no home directory (user config) or no project root (repo file).
        case notLookedFor = "not looked for"
        /// No such file.
        case absent
        /// Read and applied.
        case loaded
        /// Present but unusable; see ``Configuration/errors``.
        case invalid
    }

    /// Whether the repo file's weakening parts are trusted.
    public enum TrustStatus: String, Sendable, Hashable {
        /// Not checked, because the repo file weakens nothing (or there is none).
        case notNeeded = "not needed"
        /// Trusted, and unchanged since.
        case trusted
        /// Never trusted.
        case untrusted = "not trusted"
        /// Trusted once, but its contents have changed since.
        case changedSinceTrusted = "changed since it was trusted"
    }

    /// The files consulted and the origin of every decision, for `toolguard status`.
    public struct Sources: Sendable, Hashable {
        /// The user config path, or `nil` when there is no home directory.
        public var userConfig: String?
        /// What became of the user config.
        public var userConfigStatus: FileStatus
        /// The repo file path, or `nil` when there is no project root.
        public var repoFile: String?
        /// What became of the repo file.
        public var repoFileStatus: FileStatus
        /// The trust store path, or `nil` when there is no home directory.
        public var trustStore: String?
        /// Whether the repo file's weakening parts are trusted.
        public var trust: TrustStatus
        /// Every built-in ecosystem, in built-in order, with whether it is enabled and why.
        public var ecosystems: [EcosystemSetting]
        /// The fail mode and why.
        public var failMode: Setting<FailMode>
        /// Whether per-tool installers (`pipx install`, `uv tool install`) are allowed, and why.
        public var allowsToolInstallers: Setting<Bool>
    }

    /// The weakening parts of a repo file that were ignored because it is not trusted (or changed).
    public struct IgnoredWeakening: Sendable, Hashable {
        /// The repo file.
        public var repoFile: String
        /// The project root holding it; the argument for `toolguard trust`.
        public var projectRoot: String
        /// ``TrustStatus/untrusted`` or ``TrustStatus/changedSinceTrusted``.
        public var trust: TrustStatus
        /// Ecosystems the file leaves out that stayed enabled, in built-in order.
        public var disabledEcosystems: [String]
        /// Whether the file's `"failMode": "open"` was ignored.
        public var failOpen: Bool
        /// Whether the file's `"allowToolInstallers": true` was ignored.
        public var allowToolInstallers: Bool
        /// The command a person runs to trust the file: `toolguard trust <project root>`.
        public var trustCommand: String { Quoting.command(["toolguard", "trust", projectRoot]) }

        /// One line for people and the agent, e.g. `toolguard: ignoring the parts of /r/.toolguard.json
        /// that weaken protection (it leaves out python) because it is not trusted — to apply them, a
        /// person (not the agent) can run: toolguard trust /r`.
        public var notice: String {
            var parts: [String] = []
            if !disabledEcosystems.isEmpty {
                parts.append("it leaves out " + disabledEcosystems.joined(separator: ", "))
            }
            if failOpen { parts.append(ConfigNotice.failOpenPart) }
            if allowToolInstallers { parts.append(ConfigNotice.toolInstallersPart) }
            let why = trust == .changedSinceTrusted ? ConfigNotice.changed : ConfigNotice.untrusted
            let advice = trust == .changedSinceTrusted ? ConfigNotice.reviewAdvice : ConfigNotice.trustAdvice
            let what = parts.joined(separator: "; ")
            return "toolguard: ignoring the parts of \(repoFile) that weaken protection (\(what)) "
                + "because \(why) — \(advice) \(trustCommand)"
        }
    }

    /// The enabled ecosystem ids, in built-in order.
    public var enabledEcosystems: [String]
    /// What to do when toolguard cannot judge a tool call.
    public var failMode: FailMode
    /// Whether per-tool installers (`pipx install`, `uv tool install`) count as allowed.
    public var allowsToolInstallers: Bool
    /// The files consulted and the origin of every decision.
    public var sources: Sources
    /// The repo file's weakening parts that were ignored, if any.
    public var ignoredWeakening: IgnoredWeakening?
    /// One-line messages for people: ignored weakenings and trust store problems. Not errors.
    public var notices: [String]
    /// Config files that could not be used; when not empty, the strictest settings apply.
    public var errors: [ConfigError]

    /// Whether `id` guards this project.
    public func isEnabled(_ id: String) -> Bool {
        enabledEcosystems.contains(id)
    }

    /// Whether a config error forced the strictest settings.
    public var isStrictFallback: Bool { !errors.isEmpty }

    // MARK: Resolving

    /// The configuration for the project at `projectRoot` (absolute; `nil` outside any project),
    /// with locations taken from `environment` (`HOME`, `XDG_CONFIG_HOME`, `XDG_STATE_HOME`).
    ///
    /// `builtIn` lists every built-in ecosystem id in registry order. Cheap when there are no config
    /// files: one failed `open` for each of the user config and the repo file. The trust store is read,
    /// and the repo file hashed, only when the repo file weakens something.
    public static func resolve(
        builtIn: [String], offByDefault: Set<String> = [], environment: [String: String], projectRoot: String?
    ) -> Configuration {
        resolve(
            builtIn: builtIn, offByDefault: offByDefault, locations: Locations(environment: environment),
            projectRoot: projectRoot)
    }

    /// The configuration for `projectRoot` with explicit locations (`nil`: no home, so no user config and no trust).
    /// `offByDefault` are the built-in ecosystems that guard only where a config file enables them (`system`).
    public static func resolve(
        builtIn: [String], offByDefault: Set<String> = [], locations: Locations?, projectRoot: String?
    ) -> Configuration {
        var errors: [ConfigError] = []

        func load(_ path: String?) -> (ConfigFile?, FileStatus) {
            guard let path else { return (nil, .notLookedFor) }
            do {
                let file = try ConfigFile.load(path: path, builtIn: builtIn)
                return (file, file == nil ? .absent : .loaded)
            } catch {
                errors.append(error)
                return (nil, .invalid)
            }
        }
        let userPath = locations?.userConfigFile
        let repoPath = projectRoot.map(Locations.repoFile(inProjectRoot:))
        let (user, userStatus) = load(userPath)
        let (repo, repoStatus) = load(repoPath)

        var sources = Sources(
            userConfig: userPath, userConfigStatus: userStatus, repoFile: repoPath, repoFileStatus: repoStatus,
            trustStore: locations?.trustStore, trust: .notNeeded, ecosystems: [],
            failMode: Setting(.closed, origin: .builtInDefault),
            allowsToolInstallers: Setting(true, origin: .builtInDefault))
        guard errors.isEmpty else {
            return strictest(builtIn: builtIn, sources: sources, errors: errors)
        }

        // Layers 1 and 2: built-in defaults, replaced by whatever the user config sets.
        let baseOrigin: Origin = user?.enable == nil ? .builtInDefault : .userConfig
        let baseEnabled = user?.enable ?? builtIn.filter { !offByDefault.contains($0) }
        let baseFailMode = Setting(
            user?.failMode ?? .closed, origin: user?.failMode == nil ? .builtInDefault : .userConfig)
        let baseToolInstallers = Setting(
            user?.allowToolInstallers ?? true, origin: user?.allowToolInstallers == nil ? .builtInDefault : .userConfig)

        guard let repo, let repoPath, let projectRoot else {
            sources.ecosystems = builtIn.map {
                EcosystemSetting(id: $0, enabled: Setting(baseEnabled.contains($0), origin: baseOrigin))
            }
            sources.failMode = baseFailMode
            sources.allowsToolInstallers = baseToolInstallers
            return Configuration(sources: sources, ignoredWeakening: nil, notices: [], errors: [])
        }

        // Layer 3: the repo file. Find what it weakens before deciding whether trust matters.
        let leftOut =
            repo.enable.map { list in builtIn.filter { baseEnabled.contains($0) && !list.contains($0) } } ?? []
        let opensFailMode = repo.failMode == .open && baseFailMode.value == .closed
        let allowsInstallers = repo.allowToolInstallers == true && !baseToolInstallers.value
        var notices: [String] = []
        if !leftOut.isEmpty || opensFailMode || allowsInstallers {
            sources.trust = trustStatus(of: repo, at: repoPath, locations: locations, notices: &notices)
        }
        let trusted = sources.trust == .trusted

        sources.ecosystems = builtIn.map { id in
            let inBase = baseEnabled.contains(id)
            let setting: Setting<Bool>
            if let list = repo.enable {
                if list.contains(id) {
                    setting = Setting(true, origin: .repoFile)
                } else if inBase {
                    setting =
                        trusted
                        ? Setting(false, origin: .trustedRepoFile)
                        : Setting(true, origin: baseOrigin, ignoredRepoValue: false)
                } else {
                    setting = Setting(false, origin: baseOrigin)
                }
            } else {
                setting = Setting(inBase, origin: baseOrigin)
            }
            return EcosystemSetting(id: id, enabled: setting)
        }
        sources.failMode = layered(base: baseFailMode, repo: repo.failMode, weakens: opensFailMode, trusted: trusted)
        sources.allowsToolInstallers = layered(
            base: baseToolInstallers, repo: repo.allowToolInstallers, weakens: allowsInstallers, trusted: trusted)

        var ignored: IgnoredWeakening?
        if !trusted, sources.trust != .notNeeded {
            let weakening = IgnoredWeakening(
                repoFile: repoPath, projectRoot: projectRoot, trust: sources.trust, disabledEcosystems: leftOut,
                failOpen: opensFailMode, allowToolInstallers: allowsInstallers)
            notices.insert(weakening.notice, at: 0)
            ignored = weakening
        }
        return Configuration(sources: sources, ignoredWeakening: ignored, notices: notices, errors: [])
    }

    /// The strictest settings: every built-in ecosystem enabled, fail closed, per-tool installers not allowed.
    ///
    /// What a broken config falls back to; also the safe answer for a caller that cannot resolve at all.
    public static func strictest(builtIn: [String]) -> Configuration {
        let sources = Sources(
            userConfig: nil, userConfigStatus: .notLookedFor, repoFile: nil, repoFileStatus: .notLookedFor,
            trustStore: nil, trust: .notNeeded, ecosystems: [], failMode: Setting(.closed, origin: .strictFallback),
            allowsToolInstallers: Setting(false, origin: .strictFallback))
        return strictest(builtIn: builtIn, sources: sources, errors: [])
    }

    // MARK: Helpers

    /// Builds the result from the per-setting decisions, so the summary fields cannot disagree with them.
    private init(sources: Sources, ignoredWeakening: IgnoredWeakening?, notices: [String], errors: [ConfigError]) {
        enabledEcosystems = sources.ecosystems.filter(\.enabled.value).map(\.id)
        failMode = sources.failMode.value
        allowsToolInstallers = sources.allowsToolInstallers.value
        self.sources = sources
        self.ignoredWeakening = ignoredWeakening
        self.notices = notices
        self.errors = errors
    }

    private static func strictest(builtIn: [String], sources: Sources, errors: [ConfigError]) -> Configuration {
        var sources = sources
        sources.trust = .notNeeded
        sources.ecosystems = builtIn.map { EcosystemSetting(id: $0, enabled: Setting(true, origin: .strictFallback)) }
        sources.failMode = Setting(.closed, origin: .strictFallback)
        sources.allowsToolInstallers = Setting(false, origin: .strictFallback)
        return Configuration(sources: sources, ignoredWeakening: nil, notices: [], errors: errors)
    }

    /// A scalar setting after the repo file: a value that does not weaken applies; a weakening one
    /// applies only when trusted, and is otherwise remembered as ignored.
    private static func layered<Value>(
        base: Setting<Value>, repo: Value?, weakens: Bool, trusted: Bool
    ) -> Setting<Value> {
        guard let repo else { return base }
        if !weakens { return Setting(repo, origin: .repoFile) }
        return trusted
            ? Setting(repo, origin: .trustedRepoFile) : Setting(base.value, origin: base.origin, ignoredRepoValue: repo)
    }

    /// Compares the repo file's digest with the trust store's record. A store that cannot be read
    /// trusts nothing, and says so in `notices`.
    private static func trustStatus(
        of repo: ConfigFile, at repoPath: String, locations: Locations?, notices: inout [String]
    ) -> TrustStatus {
        guard let locations else { return .untrusted }
        let recorded: String?
        do {
            recorded = try TrustStore(locations: locations).trustedDigest(for: repoPath)
        } catch {
            notices.append(error.description)
            return .untrusted
        }
        guard let recorded else { return .untrusted }
        return recorded == repo.sha256 ? .trusted : .changedSinceTrusted
    }
}

/// The text of the ignored-weakening notice, in one place.
enum ConfigNotice {
    static let failOpenPart = "it sets \"failMode\": \"open\""
    static let toolInstallersPart = "it sets \"allowToolInstallers\": true"
    static let untrusted = "it is not trusted"
    static let changed = "it changed since it was trusted"
    static let trustAdvice = "to apply them, a person (not the agent) can run:"
    static let reviewAdvice = "after reviewing the change, a person (not the agent) can run:"
}

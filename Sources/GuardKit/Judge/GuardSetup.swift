/// Everything one hook call or `explain` needs, from the environment: the configuration in effect for
/// the directory, the judge over the enabled modules, and self-protection.
public struct GuardSetup: Sendable {
    /// Where toolguard's files are, when there is a home directory.
    public let locations: Locations?
    /// The configuration in effect.
    public let configuration: Configuration
    /// The project root of the starting directory.
    public let projectRoot: String?
    /// The judge over the enabled modules.
    public let judge: CommandJudge

    /// Resolves the configuration for `directory` and builds the judge.
    ///
    /// - Parameters:
    ///   - builtIn: every built-in module, in registry order.
    ///   - installedBinary: the running binary's path, protected from the agent.
    public init(
        builtIn: [any Ecosystem], directory: String, environment: [String: String], installedBinary: String?
    ) {
        let locations = Locations(environment: environment)
        let markers = CommandJudge.projectMarkers(for: builtIn)
        let home = environment["HOME"].map(Paths.normalize)
        let projectRoot = JudgementContext(files: FileFacts(), home: home, projectMarkers: markers).projectRoot(
            of: directory)
        let configuration = Configuration.resolve(
            builtIn: builtIn.map(\.id), offByDefault: Set(builtIn.filter { !$0.isEnabledByDefault }.map(\.id)),
            locations: locations, projectRoot: projectRoot)
        var projects: [String] = []
        if let projectRoot { projects.append(projectRoot) }
        // A nested project (`sub/package.json` inside a repository) does not hide the settings of the one
        // around it: every directory above that holds a `.claude` directory is protected too.
        projects += Self.settingsDirectories(above: Paths.normalize(directory), home: home, except: projectRoot)
        if let claudeProject = environment["CLAUDE_PROJECT_DIR"], claudeProject.hasPrefix("/") {
            projects.append(Paths.normalize(claudeProject))
        }
        let protection = SelfProtection(
            paths: ProtectedPaths(locations: locations, installedBinary: installedBinary, projectDirectories: projects))
        self.locations = locations
        self.configuration = configuration
        self.projectRoot = projectRoot
        self.judge = CommandJudge(
            ecosystems: builtIn.filter { configuration.isEnabled($0.id) },
            policy: JudgementPolicy(allowsToolInstallers: configuration.allowsToolInstallers),
            protection: protection, projectMarkers: markers, known: builtIn)
    }

    /// The directories at or above `directory` (home and `except` left out) that hold a `.claude` directory:
    /// one `stat` per level.
    static func settingsDirectories(above directory: String, home: String?, except: String?) -> [String] {
        let files = FileFacts()
        var found: [String] = []
        var candidate = directory
        while candidate.hasPrefix("/") {
            if candidate != home, candidate != except,
                files.isDirectory(candidate == "/" ? "/.claude" : candidate + "/.claude")
            {
                found.append(candidate)
            }
            if candidate == "/" { break }
            candidate = Paths.parent(candidate)
        }
        return found
    }

    /// Notices that belong with a finding: an ignored weakening of the repo file, when it concerns the
    /// finding's ecosystem, and every configuration error.
    public func notices(for finding: Finding?) -> [String] {
        var notices = configuration.errors.map(\.description)
        if let ignored = configuration.ignoredWeakening {
            let concernsFinding = finding.map { ignored.disabledEcosystems.contains($0.ecosystem) } ?? false
            if concernsFinding || ignored.failOpen || ignored.allowToolInstallers { notices.append(ignored.notice) }
        }
        return notices
    }
}

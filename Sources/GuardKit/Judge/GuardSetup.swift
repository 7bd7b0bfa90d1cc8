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
            builtIn: builtIn.map(\.id), locations: locations, projectRoot: projectRoot)
        var projects: [String] = []
        if let projectRoot { projects.append(projectRoot) }
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
            protection: protection, projectMarkers: markers)
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

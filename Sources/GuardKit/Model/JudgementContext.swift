/// Where an explicit install location points, relative to the project.
public enum Location: Sendable, Hashable {
    /// Inside the project root.
    case inside(path: String, project: String)
    /// Outside the project (or there is no project).
    case outside(path: String)
    /// Not known statically (an unresolved expansion, an unknown directory).
    case unresolvable(text: String)
}

/// The judgement calls SPEC leaves to the user (set in the user config).
public struct JudgementPolicy: Sendable, Hashable {
    /// Whether installers that give each tool its own venv (`pipx install`, `uv tool install`) are allowed.
    public var allowsToolInstallers: Bool

    /// Creates a policy; the defaults are SPEC's.
    public init(allowsToolInstallers: Bool = true) {
        self.allowsToolInstallers = allowsToolInstallers
    }
}

/// The facts a module may ask about while judging: files, the project, `PATH`.
public struct JudgementContext: Sendable {
    /// The file system, with the paths created earlier in the line.
    public let files: FileFacts
    /// The home directory, if known.
    public let home: String?
    /// The file names that mark a project root, from `.git` and every enabled module.
    public let projectMarkers: [String]
    /// The user's judgement calls.
    public let policy: JudgementPolicy

    /// Creates a context.
    public init(files: FileFacts, home: String?, projectMarkers: [String], policy: JudgementPolicy = JudgementPolicy())
    {
        self.files = files
        self.home = home
        self.projectMarkers = projectMarkers
        self.policy = policy
    }

    /// The nearest ancestor of `directory` (itself included) that holds `.git` or a project marker.
    /// The home directory itself is never a project root.
    public func projectRoot(of directory: String?) -> String? {
        guard var candidate = directory else { return nil }
        while true {
            if candidate != home, projectMarkers.contains(where: { files.exists(candidate + "/" + $0) }) {
                return candidate
            }
            if candidate == "/" { return nil }
            candidate = Paths.parent(candidate)
        }
    }

    /// The nearest ancestor of `directory` (itself included) holding `name`, up to and including `/`.
    public func nearestAncestor(of directory: String, holding name: String) -> String? {
        var candidate = directory
        while true {
            if files.exists(candidate == "/" ? "/" + name : candidate + "/" + name) { return candidate }
            if candidate == "/" { return nil }
            candidate = Paths.parent(candidate)
        }
    }

    /// The absolute path a value names, resolving `~` and a relative path against `directory`;
    /// `nil` when it is dynamic or relative to an unknown directory.
    public func absolutePath(_ value: Value, relativeTo directory: String?) -> String? {
        guard !value.isDynamic, !value.text.isEmpty else { return nil }
        var text = value.text
        if text == "~" || text.hasPrefix("~/") {
            guard let home else { return nil }
            text = home + text.dropFirst()
        }
        if text.hasPrefix("/") { return Paths.normalize(text) }
        guard let directory else { return nil }
        return Paths.absolute(text, relativeTo: directory)
    }

    /// Where an explicit install location points: inside the project root of `directory`, outside it,
    /// or not known.
    public func location(of value: Value, from directory: String?) -> Location {
        guard let path = absolutePath(value, relativeTo: directory) else {
            return .unresolvable(text: value.text)
        }
        if let project = projectRoot(of: directory), Paths.isInside(path, project) {
            return .inside(path: path, project: project)
        }
        return .outside(path: path)
    }

    /// The directories the operating system and its package manager own.
    public static let systemPrefixes = ["/usr", "/bin", "/sbin", "/lib", "/lib64", "/opt", "/etc", "/snap", "/var/lib"]

    /// Whether `path` lies in a directory the operating system owns (`/usr`, `/opt`, `/etc` …).
    public static func isSystemLocation(_ path: String) -> Bool {
        systemPrefixes.contains { Paths.isInside(path, $0) }
    }

    /// Whether an executable written at `path` is installed where commands are found: a directory on
    /// `PATH`, a system location (`/usr`, `/opt`, `/bin` …), or a user's bin directory. A build artifact
    /// elsewhere (`/tmp/app`) is not an install.
    public func isCommandLocation(_ path: String, environment: Environment) -> Bool {
        let directory = Paths.parent(path)
        if Self.isSystemLocation(path) { return true }
        if let home {
            for bin in ["/bin", "/.local/bin", "/go/bin", "/.cargo/bin", "/.npm-global/bin"] where directory == home + bin {
                return true
            }
        }
        guard let searchPath = environment["PATH"], !searchPath.isDynamic else { return false }
        return searchPath.text.split(separator: ":").contains { entry in
            entry.hasPrefix("/") && Paths.normalize(String(entry)) == directory
        }
    }

    /// The file a command word runs: a word with a slash is a path; a bare name is looked up through
    /// the environment's `PATH`, as the shell does. `nil` when it is not found.
    public func resolveExecutable(_ word: String, environment: Environment, directory: String?) -> String? {
        if word.utf8.contains(UInt8(ascii: "/")) {
            return absolutePath(Value(word), relativeTo: directory)
        }
        guard let path = environment["PATH"], !path.isDynamic else { return nil }
        for entry in path.text.split(separator: ":", omittingEmptySubsequences: false) {
            let directoryEntry = entry.isEmpty ? "." : String(entry)
            guard let base = absolutePath(Value(directoryEntry), relativeTo: directory) else { continue }
            let candidate = base == "/" ? "/" + word : base + "/" + word
            if files.isExecutableFile(candidate) { return candidate }
        }
        return nil
    }
}

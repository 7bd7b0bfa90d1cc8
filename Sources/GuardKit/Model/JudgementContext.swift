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
    /// Directories, relative to home, where commands are installed for the user: the generic ones and every
    /// module's (``Ecosystem/userBinDirectories``).
    public let userBinDirectories: [String]
    /// When the judgement must answer: a loop over a command's operands stops past it (the line is then
    /// judged by its words).
    public let deadline: Deadline?

    /// The user bin directories no ecosystem owns: `~/bin` and the XDG `~/.local/bin`.
    public static let genericUserBinDirectories = ["bin", ".local/bin"]

    /// Creates a context.
    public init(
        files: FileFacts, home: String?, projectMarkers: [String], policy: JudgementPolicy = JudgementPolicy(),
        userBinDirectories: [String] = JudgementContext.genericUserBinDirectories, deadline: Deadline? = nil
    ) {
        self.deadline = deadline
        self.files = files
        self.home = home
        self.projectMarkers = projectMarkers
        self.policy = policy
        self.userBinDirectories = userBinDirectories
    }

    /// The nearest ancestor of `directory` (itself included) that holds `.git` or a project marker.
    /// The home directory itself is never a project root.
    ///
    /// Found once per directory per judgement (and again only after the line creates a file): every
    /// command of a long line asks it, and it probes a marker name in every ancestor.
    public func projectRoot(of directory: String?) -> String? {
        guard let directory else { return nil }
        let generation = files.generation
        // The directories not asked about yet, deepest first, up to one already known.
        var chain: [String] = []
        var known: String??
        var candidate = directory
        while true {
            if let memo = files.probes.state.withLock({ $0.projectRoots[PathKey(candidate)] }),
                memo.generation == generation
            {
                known = .some(memo.root)
                break
            }
            chain.append(candidate)
            if candidate == "/" { break }
            candidate = Paths.parent(candidate)
        }
        // A directory that neither exists nor holds anything the line created holds no marker, and neither
        // do its descendants: find the deepest one that does by bisection, not by a probe per ancestor.
        // (A short walk probes its markers directly, as it always did.)
        var low = 0
        var high = chain.count > 16 ? chain.count : 0
        while low < high {
            let middle = (low + high) / 2
            if holdsAnything(chain[middle]) { high = middle } else { low = middle + 1 }
        }
        var result = known ?? nil
        var walked = chain.count
        for index in low..<chain.count {
            let candidate = chain[index]
            if candidate != home, candidate.utf8.count < Paths.maximumLength,
                projectMarkers.contains(where: { files.exists(candidate == "/" ? "/" + $0 : candidate + "/" + $0) })
            {
                result = candidate
                walked = index + 1
                break
            }
        }
        let root = result
        files.probes.state.withLock { state in
            // Every directory between the one asked about and its root has that root.
            for directory in chain[..<walked] { state.projectRoots[PathKey(directory)] = (generation, root) }
        }
        return result
    }

    /// Whether `directory` exists, or the line created something in it.
    private func holdsAnything(_ directory: String) -> Bool {
        directory == "/" || files.created.contains(directory) || files.isDirectory(directory)
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
        let path: String
        if text.hasPrefix("/") {
            path = Paths.normalize(text)
        } else {
            guard let directory else { return nil }
            path = Paths.absolute(text, relativeTo: directory)
        }
        // A link made earlier in the line points elsewhere: `ln -s /usr/local/bin ./bin` makes `./bin` global.
        return files.hasLinks ? files.linkTarget(of: path, symbolicOnly: true) ?? path : path
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
            for bin in userBinDirectories where directory == home + "/" + bin { return true }
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

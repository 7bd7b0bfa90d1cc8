#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What toolguard asks the file system: whether paths exist, as files or directories.
///
/// Paths that an earlier part of the command line creates (`python -m venv .venv && …`) count as
/// existing: they are kept in `created`. Symlinks are followed by `stat` but never resolved into the
/// path itself: a venv's `bin/python` is a symlink to the base interpreter, and the path carries the
/// meaning (PEP 405).
public struct FileFacts: Sendable {
    /// Paths created earlier in the line, with all their ancestors.
    public private(set) var created: Set<String> = []
    /// Paths created as directories.
    private var createdDirectories: Set<String> = []

    /// Symbolic links made earlier in the line: absolute link path → absolute target. (Self-protection's
    /// own small record; a fuller overlay of links, removals and moves may replace it.)
    public private(set) var links: [String: String] = [:]
    /// Files copied or hard-linked earlier in the line: absolute new path → the path it was made from.
    public private(set) var copies: [String: String] = [:]

    /// Creates file facts with nothing created yet.
    public init() {}

    /// Records that `path` is now a symbolic link to `target`, or (not symbolic) a copy of it; both absolute.
    public mutating func recordLink(_ path: String, to target: String, symbolic: Bool) {
        if symbolic { links[path] = target } else { copies[path] = target }
        recordCreation(of: path)
    }

    /// `path` with the links made earlier in the line followed, as the kernel would (at most 8 deep).
    public func resolvingLinks(_ path: String) -> String {
        guard !links.isEmpty else { return path }
        var path = path
        for _ in 0..<8 {
            var prefix = ""
            var resolved: String?
            let components = path.split(separator: "/")
            for (index, component) in components.enumerated() {
                prefix += "/" + component
                if let target = links[prefix] {
                    let rest = components[(index + 1)...].joined(separator: "/")
                    resolved = Paths.normalize(rest.isEmpty ? target : target + "/" + rest)
                    break
                }
            }
            guard let next = resolved, next != path else { return path }
            path = next
        }
        return path
    }

    /// The file `path` was copied or linked from earlier in the line, followed back (at most 8 deep).
    public func origin(of path: String) -> String {
        var path = resolvingLinks(path)
        for _ in 0..<8 {
            guard let source = copies[path] else { break }
            path = resolvingLinks(source)
        }
        return path
    }

    /// Records that `path` (absolute) now exists; its ancestors become directories.
    public mutating func recordCreation(of path: String, isDirectory: Bool = false) {
        created.insert(path)
        if isDirectory { createdDirectories.insert(path) }
        var ancestor = Paths.parent(path)
        while ancestor != "/", !createdDirectories.contains(ancestor) {
            created.insert(ancestor)
            createdDirectories.insert(ancestor)
            ancestor = Paths.parent(ancestor)
        }
    }

    /// Whether `path` exists (or was created earlier in the line).
    public func exists(_ path: String) -> Bool {
        if created.contains(path) { return true }
        var info = stat()
        return stat(path, &info) == 0
    }

    /// Whether `path` is a directory.
    public func isDirectory(_ path: String) -> Bool {
        if createdDirectories.contains(path) { return true }
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// The paths an absolute glob pattern matches, sorted, as the shell expands them (no matches: empty).
    public static func glob(_ pattern: String) -> [String] {
        var matches = glob_t()
        defer { globfree(&matches) }
        #if canImport(Glibc)
            guard Glibc.glob(pattern, 0, nil, &matches) == 0 else { return [] }
        #else
            guard Darwin.glob(pattern, 0, nil, &matches) == 0 else { return [] }
        #endif
        return (0..<Int(matches.gl_pathc)).compactMap { index in
            matches.gl_pathv[index].map { String(cString: $0) }
        }
    }

    // MARK: Written content (files the line writes before it runs them)

    /// What an earlier part of the line wrote into a file (`cat > s.sh <<EOF`, `echo … >> s.sh`, `cp a b`).
    public enum WrittenContent: Sendable, Hashable {
        /// Exactly this text.
        case text(String)
        /// The file's content before the line (if any), then this text (`>>`).
        case appended(String)
        /// A copy of another file as it stands at that point of the line (`cp a.sh b.sh`).
        case copy(of: String)
        /// Output only known when the line runs (`curl … > s.sh`), written by the command at this span.
        case unknown(SourceSpan)
    }

    /// Content written earlier in the line, by absolute path. Kept apart from `created` so that the
    /// common path never consults it.
    public private(set) var writtenContent: [String: WrittenContent] = [:]

    /// Records what a command writes into `path` (absolute); the file now exists.
    public mutating func recordContent(_ content: WrittenContent, of path: String) {
        switch content {
        case .appended(let text):
            switch writtenContent[path] {
            case .text(let old)?: writtenContent[path] = .text(old + text)
            case .appended(let old)?: writtenContent[path] = .appended(old + text)
            case .unknown?, .copy?: break
            case nil: writtenContent[path] = content
            }
        case .copy(let source):
            // A copy of a file the line wrote is that content.
            writtenContent[path] = writtenContent[source] ?? content
        default:
            writtenContent[path] = content
        }
        recordCreation(of: path)
    }

    /// What an earlier part of the line wrote into `path`, if anything.
    public func content(of path: String) -> WrittenContent? {
        writtenContent.isEmpty ? nil : writtenContent[path]
    }

    // MARK: Programs

    /// Whether `path` is a file a shell could run (a created path counts).
    public func isExecutableFile(_ path: String) -> Bool {
        if created.contains(path) { return !createdDirectories.contains(path) }
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) != S_IFDIR else { return false }
        return access(path, X_OK) == 0
    }
}

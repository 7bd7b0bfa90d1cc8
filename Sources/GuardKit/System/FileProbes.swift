internal import Synchronization

#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Musl)
    internal import Musl
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// A path compared byte for byte: Swift's `String` equality is Unicode-canonical, but a file name on
/// Linux is bytes, and `café` written two ways names two files.
struct PathKey: Hashable, Sendable {
    let path: String

    init(_ path: String) { self.path = path }

    /// Byte equality (a path is bytes: two spellings Unicode calls equal are two files), compared in one call
    /// rather than byte by byte: every probe of the judgement's cache compares keys.
    static func == (lhs: PathKey, rhs: PathKey) -> Bool {
        var left = lhs.path
        var right = rhs.path
        return left.withUTF8 { a in
            right.withUTF8 { b in
                a.count == b.count && (a.isEmpty || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0)
            }
        }
    }

    func hash(into hasher: inout Hasher) {
        var copy = path
        copy.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}

/// The file system as one judgement sees it: every question about a distinct path goes to the kernel
/// once (SPEC §10: a system call is slow; a line may name the same path thousands of times).
///
/// One cache per judgement, shared by every copy of the judgement's ``FileFacts``: it is created with the
/// facts and dropped with them, so a later judgement sees the file system afresh.
final class FileProbes: Sendable {
    /// What `lstat` says a path is.
    enum Kind: UInt8, Sendable {
        case missing, directory, file, symlink, other
    }

    /// What the kernel said about one path.
    struct Entry: Sendable {
        /// The path itself (`lstat`).
        var own: Kind?
        /// What it names after symbolic links (`stat`).
        var followed: Kind?
        /// Whether `access(X_OK)` allows running it.
        var executable: Bool?
        /// Device, inode and link count of what it names (`stat`), when it exists.
        var identity: Identity??
        /// `readlink`, for a symbolic link.
        var linkTarget: String??
        /// The directory's physical path (no symbolic link, no `..`), found by the kernel; `nil` when it
        /// cannot be opened as a directory.
        var physicalDirectory: String??
        /// The file's bytes (config files), `nil` when absent or unreadable.
        var contents: [UInt8]??
        var firstLine: String??
    }

    /// Which file a path names.
    struct Identity: Sendable, Hashable {
        var device: UInt64
        var inode: UInt64
        var links: UInt64
        var isRegularFile: Bool
        var size: Int64
    }

    struct State: Sendable {
        var entries: [PathKey: Entry] = [:]
        /// Project roots already found, with the creation count they were found at.
        var projectRoots: [PathKey: (generation: Int, root: String?)] = [:]
        /// Memos for protected paths (`ProtectedPaths`), keyed by their entries.
        var protectedForms: [ProtectedPaths.Forms] = []
        /// The last generation handed out: every change to the file facts of any judgement sharing this cache
        /// gets its own number, so a memo made after one line's changes never serves another's.
        var generations = 0
    }

    let state = Mutex(State())

    init() {}

    /// A generation number no judgement sharing this cache has used.
    func nextGeneration() -> Int {
        state.withLock { state in
            state.generations += 1
            return state.generations
        }
    }

    // MARK: Probes

    private func cached<T>(_ path: String, _ read: (Entry) -> T?, _ compute: () -> T, _ store: (inout Entry, T) -> Void)
        -> T
    {
        let key = PathKey(path)
        let entry = state.withLock { $0.entries[key] }
        if let known = entry.flatMap(read) { return known }
        let value = compute()
        state.withLock { state in
            var entry = state.entries[key] ?? Entry()
            store(&entry, value)
            state.entries[key] = entry
        }
        return value
    }

    /// What `path` is, following symbolic links (`stat`) or not (`lstat`).
    func kind(_ path: String, following: Bool) -> Kind {
        if following {
            return cached(path, \.followed, { Self.statKind(path, following: true) }, { $0.followed = $1 })
        }
        return cached(path, \.own, { Self.statKind(path, following: false) }, { $0.own = $1 })
    }

    /// Whether `path` is a file the caller may run.
    func isExecutable(_ path: String) -> Bool {
        cached(path, \.executable, { access(path, X_OK) == 0 }, { $0.executable = $1 })
    }

    /// Device, inode, link count and size of the file `path` names.
    func identity(_ path: String) -> Identity? {
        cached(
            path, \.identity,
            {
                var info = stat()
                guard stat(path, &info) == 0 else { return nil }
                return Identity(
                    device: UInt64(info.st_dev), inode: UInt64(info.st_ino), links: UInt64(info.st_nlink),
                    isRegularFile: (info.st_mode & S_IFMT) == S_IFREG, size: Int64(info.st_size))
            }, { $0.identity = .some($1) })
    }

    /// Where the symbolic link `path` points, as written in it.
    func linkTarget(_ path: String) -> String? {
        cached(
            path, \.linkTarget,
            {
                var buffer = [CChar](repeating: 0, count: Int(Paths.maximumLength) + 1)
                let count = readlink(path, &buffer, buffer.count - 1)
                guard count > 0 else { return nil }
                return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            }, { $0.linkTarget = .some($1) })
    }

    /// The physical path of the directory `path` (symbolic links and `..` resolved by the kernel in one
    /// walk); `nil` when it cannot be entered.
    func physicalDirectory(_ path: String) -> String? {
        cached(path, \.physicalDirectory, { Self.resolveDirectory(path) }, { $0.physicalDirectory = .some($1) })
    }

    /// The bytes of the file at `path` (at most `FileIO.defaultMaximumByteCount`), `nil` when it is absent
    /// or cannot be read.
    func contents(_ path: String) -> [UInt8]? {
        cached(
            path, \.contents,
            {
                do throws(FileIOError) { return try FileIO.readBytesIfPresent(atPath: path) } catch { return nil }
            }, { $0.contents = .some($1) })
    }

    /// The first line of a file (at most 256 bytes: a `#!` line), following links; `nil` when it cannot be read.
    func firstLine(_ path: String) -> String? {
        cached(
            path, \.firstLine,
            {
                let descriptor = open(path, O_RDONLY | O_CLOEXEC)
                guard descriptor >= 0 else { return nil }
                defer { close(descriptor) }
                var bytes = [UInt8](repeating: 0, count: 256)
                let count = bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                guard count > 0 else { return nil }
                let line = bytes[..<count].prefix { $0 != UInt8(ascii: "\n") }
                return String(decoding: line, as: UTF8.self)
            }, { $0.firstLine = .some($1) })
    }

    // MARK: System calls

    private static func statKind(_ path: String, following: Bool) -> Kind {
        var info = stat()
        let result = following ? stat(path, &info) : lstat(path, &info)
        guard result == 0 else { return .missing }
        switch info.st_mode & S_IFMT {
        case S_IFDIR: return .directory
        case S_IFREG: return .file
        case S_IFLNK: return .symlink
        default: return .other
        }
    }

    /// Linux's `O_PATH` (x86-64 and AArch64): open for what the path names, without reading it, so that a
    /// directory the user cannot list still resolves. Glibc shows it only under `_GNU_SOURCE`.
    static let openPathOnly: Int32 = 0o10_000_000

    /// The kernel's own reading of a directory path: open it, then ask what it opened.
    private static func resolveDirectory(_ path: String) -> String? {
        guard path.utf8.count < Paths.maximumLength else { return nil }
        #if os(Linux)
            let descriptor = open(path, Self.openPathOnly | O_DIRECTORY | O_CLOEXEC)
            guard descriptor >= 0 else { return nil }
            defer { close(descriptor) }
            var buffer = [CChar](repeating: 0, count: Int(Paths.maximumLength) + 1)
            let count = readlink("/proc/self/fd/\(descriptor)", &buffer, buffer.count - 1)
            if count > 0, buffer[0] == CChar(UInt8(ascii: "/")) {
                return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            }
        #endif
        // No /proc: the C library's walk.
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        let text = String(cString: resolved)
        return statKind(text, following: true) == .directory ? text : nil
    }
}

/// What the kernel says about paths, kept across many judgements of a file system that does not change
/// meanwhile: `toolguard audit` judges thousands of recorded commands and runs none of them.
public struct FileSystemSnapshot: Sendable {
    let probes = FileProbes()

    /// An empty snapshot: each path is asked about once, on first use.
    public init() {}
}

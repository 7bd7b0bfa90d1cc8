#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Musl)
    internal import Musl
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// Reading whole files, and replacing them so that a reader sees either the old bytes or the new ones.
///
/// How a write goes (``writeAtomically(_:_:backup:)``):
/// 1. Missing parent directories are created (mode 0755 less the umask).
/// 2. If `path` is a symbolic link, the file it points to is the one replaced, so a settings file kept in
///    a dotfiles repository stays linked. A dangling link is replaced by a regular file.
/// 3. With `backup`, the current bytes are first written — by this same procedure — to `<path>.bak`
///    beside the given path, replacing any older backup: one generation, the file as it was just before
///    the latest write. Nothing is backed up when there is no current file.
/// 4. The new bytes go to a fresh temporary file in the same directory (`.<name>.tmp-<random>`), created
///    exclusively, given the old file's permission bits (or 0666 less the umask for a new file), and
///    `fsync`ed.
/// 5. `rename(2)` puts it in place (atomic within one file system), then the directory is `fsync`ed so
///    the rename survives a crash. On any failure the temporary file is removed and the old file is untouched.
///
/// Kept small and self-contained on purpose (another branch has its own; they are to be merged).
public enum AtomicFile {
    /// The suffix of the single backup generation.
    public static let backupSuffix = ".bak"

    /// Where ``writeAtomically(_:_:backup:)`` keeps the previous contents of `path`.
    public static func backupPath(for path: String) -> String {
        path + backupSuffix
    }

    /// The whole file at `path`, or `nil` when it does not exist.
    public static func readFile(_ path: String) throws(AtomicFileError) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        if descriptor < 0 {
            let code = errno
            if code == ENOENT { return nil }
            throw AtomicFileError(path: path, operation: .open, code: code)
        }
        defer { _ = close(descriptor) }
        var contents: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { return contents }
            if count < 0 {
                let code = errno
                if code == EINTR { continue }
                throw AtomicFileError(path: path, operation: .read, code: code)
            }
            contents.append(contentsOf: chunk[0..<count])
        }
    }

    /// Replaces the file at `path` with `bytes` atomically, keeping the previous contents in
    /// ``backupPath(for:)`` when `backup` is set (see the type's documentation for the steps).
    public static func writeAtomically(_ path: String, _ bytes: [UInt8], backup: Bool) throws(AtomicFileError) {
        if backup, let previous = try readFile(path) {
            try writeAtomically(backupPath(for: path), previous, backup: false)
        }
        let target = resolvedTarget(of: path)
        let directory = parentDirectory(of: target)
        try createDirectories(directory)

        var existing = stat()
        let mode: mode_t? = stat(target, &existing) == 0 ? existing.st_mode & 0o7777 : nil

        let (temporary, descriptor) = try createTemporaryFile(beside: target, in: directory)
        var renamed = false
        defer { if !renamed { _ = unlink(temporary) } }
        try fill(descriptor, path: temporary, with: bytes, mode: mode)
        guard rename(temporary, target) == 0 else {
            throw AtomicFileError(path: target, operation: .rename, code: errno)
        }
        renamed = true
        syncDirectory(directory)
    }

    /// Removes the file at `path`; a missing file is not an error.
    public static func removeFile(_ path: String) throws(AtomicFileError) {
        if unlink(path) != 0 && errno != ENOENT {
            throw AtomicFileError(path: path, operation: .remove, code: errno)
        }
    }

    /// Creates `path` and any missing ancestors as directories, like `mkdir -p`.
    public static func createDirectories(_ path: String) throws(AtomicFileError) {
        var info = stat()
        if stat(path, &info) == 0 {
            guard (info.st_mode & S_IFMT) == S_IFDIR else {
                throw AtomicFileError(path: path, operation: .createDirectory, code: ENOTDIR)
            }
            return
        }
        let parent = parentDirectory(of: path)
        if parent != path {
            try createDirectories(parent)
        }
        if mkdir(path, 0o755) != 0 && errno != EEXIST {
            throw AtomicFileError(path: path, operation: .createDirectory, code: errno)
        }
    }

    // MARK: - Steps

    /// The file a write to `path` should replace: the final target when `path` is a symlink that resolves.
    private static func resolvedTarget(of path: String) -> String {
        var info = stat()
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK,
            let resolved = realpath(path, nil)
        else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// The directory part of `path`, relative paths included (`settings.json` → `.`).
    private static func parentDirectory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        if slash == path.startIndex { return "/" }
        return String(path[..<slash])
    }

    /// Creates a new, empty, exclusively owned file beside `target`.
    private static func createTemporaryFile(
        beside target: String, in directory: String
    ) throws(AtomicFileError) -> (String, Int32) {
        let name = target.split(separator: "/").last.map(String.init) ?? "file"
        var attempts = 0
        while true {
            let suffix = String(UInt64.random(in: 0...UInt64.max), radix: 36)
            let temporary = directory + "/." + name + ".tmp-" + suffix
            let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
            if descriptor >= 0 { return (temporary, descriptor) }
            let code = errno
            attempts += 1
            if code != EEXIST || attempts >= 16 {
                throw AtomicFileError(path: temporary, operation: .open, code: code)
            }
        }
    }

    /// Writes, sets the permission bits of, flushes and closes the temporary file.
    private static func fill(_ descriptor: Int32, path: String, with bytes: [UInt8], mode: mode_t?)
        throws(AtomicFileError)
    {
        defer { _ = close(descriptor) }
        if let mode, fchmod(descriptor, mode) != 0 {
            throw AtomicFileError(path: path, operation: .write, code: errno)
        }
        try writeAll(bytes, to: descriptor, path: path)
        if fsync(descriptor) != 0 {
            throw AtomicFileError(path: path, operation: .sync, code: errno)
        }
    }

    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32, path: String) throws(AtomicFileError) {
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeBytes { buffer in
                write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            }
            if count < 0 {
                let code = errno
                if code == EINTR { continue }
                throw AtomicFileError(path: path, operation: .write, code: code)
            }
            offset += count
        }
    }

    /// Makes a rename in `directory` durable; best effort, as some file systems refuse `fsync` on directories.
    private static func syncDirectory(_ directory: String) {
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        _ = close(descriptor)
    }
}

/// A file operation failed, with the system's reason.
public struct AtomicFileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The step that failed.
    public enum Operation: String, Sendable, Hashable {
        /// Opening or creating a file.
        case open
        /// Reading from a file.
        case read
        /// Writing to a file (or setting its permissions).
        case write
        /// Flushing a file to disk.
        case sync = "flush"
        /// Moving the new file into place.
        case rename = "replace"
        /// Removing a file.
        case remove
        /// Creating a directory.
        case createDirectory = "create directory"
    }

    /// The path the operation was about.
    public var path: String
    /// The step that failed.
    public var operation: Operation
    /// The `errno` value.
    public var code: Int32
    /// The system's text for `code`.
    public var reason: String

    /// Creates an error, reading the system's text for `code` now.
    public init(path: String, operation: Operation, code: Int32) {
        self.path = path
        self.operation = operation
        self.code = code
        reason = strerror(code).map { String(cString: $0) } ?? "errno \(code)"
    }

    /// Reads like `cannot replace '/x/settings.json': Permission denied (errno 13)`.
    public var description: String {
        "cannot \(operation.rawValue) '\(path)': \(reason) (errno \(code))"
    }
}

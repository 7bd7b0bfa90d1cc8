#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Musl)
    internal import Musl
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// Reading, writing and removing whole files with plain system calls, for config, trust and settings files.
///
/// No Foundation (see STYLE.md). Files that toolguard rewrites are written atomically: a temporary
/// file in the same directory is written and `fsync`ed, then renamed over the target, so a crash or a
/// full disk leaves either the old file or the new one, never half of each.
public enum FileIO {
    /// The largest file ``readBytes(atPath:maximumByteCount:)`` reads unless told otherwise: 16 MiB.
    public static let defaultMaximumByteCount = 16 << 20

    /// The suffix of the backup that ``writeAtomically(path:contents:backup:mode:directoryMode:)`` keeps:
    /// `settings.json` is backed up as `settings.json.bak`.
    public static let backupSuffix = ".bak"

    /// The permissions of directories toolguard creates for its own config and state: owner only.
    public static let privateDirectoryMode = 0o700

    /// The permissions of a file written where none existed, unless the caller says otherwise.
    public static let defaultFileMode = 0o644

    // MARK: Reading

    /// The file's bytes, or `nil` when there is no file at `path`.
    public static func readBytesIfPresent(atPath path: String) throws(FileIOError) -> [UInt8]? {
        do throws(FileIOError) {
            return try readBytes(atPath: path)
        } catch {
            if error.isMissing { return nil }
            throw error
        }
    }

    /// Reads the whole regular file at `path`.
    ///
    /// Throws ``FileIOError/Problem/missing`` when nothing is there, and another problem when something
    /// is there but cannot be read: a directory, a FIFO or device (never opened for blocking reads, so a
    /// FIFO planted in a repository cannot hang the hook), a file larger than `maximumByteCount`, or a
    /// system error such as `EACCES`.
    public static func readBytes(
        atPath path: String, maximumByteCount: Int = defaultMaximumByteCount
    ) throws(FileIOError) -> [UInt8] {
        // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever.
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { throw FileIOError(path: path, operation: .read, code: errno) }
        defer { _ = close(descriptor) }

        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw FileIOError(path: path, operation: .read, code: errno) }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw FileIOError(path: path, operation: .read, problem: .notRegularFile)
        }
        let expected = Int(info.st_size)
        guard expected <= maximumByteCount else {
            throw FileIOError(path: path, operation: .read, problem: .tooLarge(limit: maximumByteCount))
        }

        var contents: [UInt8] = []
        contents.reserveCapacity(expected)
        // Read until end of file rather than trusting st_size: the file may grow while we read it.
        let chunkSize = 16 * 1024
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { chunk.deallocate() }
        while true {
            let count = read(descriptor, chunk.baseAddress, chunkSize)
            if count == 0 { break }
            if count < 0 {
                let code = errno
                if code == EINTR { continue }
                throw FileIOError(path: path, operation: .read, code: code)
            }
            guard contents.count + count <= maximumByteCount else {
                throw FileIOError(path: path, operation: .read, problem: .tooLarge(limit: maximumByteCount))
            }
            contents.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[0..<count]))
        }
        return contents
    }

    /// Reads the whole regular file at `path` as UTF-8 text; invalid UTF-8 is ``FileIOError/Problem/invalidUTF8``.
    public static func readString(
        atPath path: String, maximumByteCount: Int = defaultMaximumByteCount
    ) throws(FileIOError) -> String {
        let bytes = try readBytes(atPath: path, maximumByteCount: maximumByteCount)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw FileIOError(path: path, operation: .read, problem: .invalidUTF8)
        }
        return text
    }

    // MARK: Writing

    /// Replaces the file at `path` with `contents` atomically, creating missing parent directories.
    ///
    /// - The bytes go to a temporary file `.<name>.tmp.XXXXXX` in the target's directory, which is
    ///   `fsync`ed and then renamed over the target; the directory is `fsync`ed after the rename.
    /// - With `backup`, an existing target is first copied (atomically too) to `<path>.bak`
    ///   (``backupSuffix``), replacing any older backup. Nothing is backed up when there was no file.
    /// - An existing file keeps its permission bits; a new one gets `mode` (default ``defaultFileMode``).
    /// - Missing parent directories are created with `directoryMode` (`mkdir -p`; default owner-only,
    ///   ``privateDirectoryMode``); existing ones are left as they are.
    /// - If `path` is a symbolic link to an existing file (dotfiles managed with links), the file it
    ///   points to is replaced and the link is kept.
    ///
    /// On failure the target is unchanged and the temporary file is removed.
    public static func writeAtomically(
        path: String, contents: [UInt8], backup: Bool = false, mode: Int = defaultFileMode,
        directoryMode: Int = privateDirectoryMode
    ) throws(FileIOError) {
        let target = symlinkTarget(of: path) ?? path
        try createDirectories(atPath: parentDirectory(of: target), mode: directoryMode)

        var info = stat()
        var existingMode: Int?
        if stat(target, &info) == 0 {
            guard (info.st_mode & S_IFMT) == S_IFREG else {
                throw FileIOError(path: target, operation: .write, problem: .notRegularFile)
            }
            existingMode = Int(info.st_mode & 0o7777)
        } else if errno != ENOENT {
            throw FileIOError(path: target, operation: .write, code: errno)
        }

        if backup, let existingMode {
            let previous = try readBytes(atPath: target, maximumByteCount: Int.max)
            try replace(path: target + backupSuffix, contents: previous, mode: existingMode, operation: .backup)
        }
        try replace(path: target, contents: contents, mode: existingMode ?? mode, operation: .write)
    }

    /// Replaces the file at `path` with UTF-8 `text` atomically;
    /// see ``writeAtomically(path:contents:backup:mode:directoryMode:)``.
    public static func writeAtomically(
        path: String, text: String, backup: Bool = false, mode: Int = defaultFileMode,
        directoryMode: Int = privateDirectoryMode
    ) throws(FileIOError) {
        try writeAtomically(
            path: path, contents: Array(text.utf8), backup: backup, mode: mode, directoryMode: directoryMode)
    }

    /// Creates `path` and any missing ancestors as directories with `mode` (`mkdir -p`).
    ///
    /// Directories that already exist, or symbolic links to directories, are accepted as they are;
    /// anything else in the way is an error.
    public static func createDirectories(atPath path: String, mode: Int = privateDirectoryMode) throws(FileIOError) {
        if isDirectory(path) { return }
        // Like `mkdir -p`: components are taken as written, relative paths stay relative.
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += prefix.isEmpty || prefix.hasSuffix("/") ? component : "/" + component
            if mkdir(prefix, mode_t(truncatingIfNeeded: mode)) == 0 { continue }
            let code = errno
            guard code == EEXIST else { throw FileIOError(path: prefix, operation: .createDirectory, code: code) }
            guard isDirectory(prefix) else {
                throw FileIOError(path: prefix, operation: .createDirectory, problem: .notDirectory)
            }
        }
    }

    // MARK: Removing

    /// Removes the file (not a directory) at `path`; returns `false` when there was nothing to remove.
    @discardableResult
    public static func removeFile(atPath path: String) throws(FileIOError) -> Bool {
        guard unlink(path) == 0 else {
            let code = errno
            if code == ENOENT { return false }
            throw FileIOError(path: path, operation: .remove, code: code)
        }
        return true
    }

    // MARK: Helpers

    /// Writes `contents` to a fresh temporary file beside `path`, syncs it, and renames it over `path`.
    private static func replace(
        path: String, contents: [UInt8], mode: Int, operation: FileIOError.Operation
    ) throws(FileIOError) {
        let directory = parentDirectory(of: path)
        var template = Array("\(directory)/.\(Paths.basename(path)).tmp.XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw FileIOError(path: path, operation: operation, code: errno) }
        let temporary = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }

        var failure: FileIOError?
        if fchmod(descriptor, mode_t(truncatingIfNeeded: mode)) != 0 {
            failure = FileIOError(path: temporary, operation: operation, code: errno)
        }
        if failure == nil {
            failure = writeAll(contents, to: descriptor, path: temporary, operation: operation)
        }
        if failure == nil, fsync(descriptor) != 0 {
            failure = FileIOError(path: temporary, operation: operation, code: errno)
        }
        // close can report a deferred write error (NFS); a file we could not close is not written.
        if close(descriptor) != 0, failure == nil {
            failure = FileIOError(path: temporary, operation: operation, code: errno)
        }
        if failure == nil, rename(temporary, path) != 0 {
            failure = FileIOError(path: path, operation: .rename, code: errno)
        }
        if let failure {
            _ = unlink(temporary)
            throw failure
        }
        syncDirectory(directory)
    }

    /// Writes every byte, retrying short writes and `EINTR`; returns the error instead of throwing
    /// so the caller can clean up in one place.
    private static func writeAll(
        _ contents: [UInt8], to descriptor: Int32, path: String, operation: FileIOError.Operation
    ) -> FileIOError? {
        contents.withUnsafeBytes { buffer -> FileIOError? in
            var offset = 0
            while offset < buffer.count {
                let count = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if count < 0 {
                    let code = errno
                    if code == EINTR { continue }
                    return FileIOError(path: path, operation: operation, code: code)
                }
                offset += count
            }
            return nil
        }
    }

    /// Makes a rename durable; failure is ignored because the rename itself already happened.
    private static func syncDirectory(_ directory: String) {
        let descriptor = open(directory, O_RDONLY | O_CLOEXEC | O_DIRECTORY)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        _ = close(descriptor)
    }

    /// The file a symbolic link at `path` finally points to, or `nil` when `path` is not a link or dangles.
    private static func symlinkTarget(of path: String) -> String? {
        var info = stat()
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK else { return nil }
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// The directory holding `path`, which may be relative (`settings.json` is in `.`).
    private static func parentDirectory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// Whether `path` is a directory or a symbolic link to one.
    private static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }
}

/// A file could not be read, written, created or removed.
public struct FileIOError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What toolguard was doing.
    public enum Operation: String, Sendable, Hashable {
        /// Reading a file.
        case read
        /// Writing a file.
        case write
        /// Copying the previous file to its `.bak` backup.
        case backup = "back up"
        /// Renaming the finished temporary file over the target.
        case rename = "replace"
        /// Creating a directory.
        case createDirectory = "create directory"
        /// Removing a file.
        case remove
    }

    /// What was wrong.
    public enum Problem: Sendable, Hashable {
        /// Nothing exists at the path (`ENOENT`, or `ENOTDIR` for a missing parent).
        case missing
        /// The path names a directory, FIFO, device or socket where a regular file was expected.
        case notRegularFile
        /// Something other than a directory is in the way of a directory to create.
        case notDirectory
        /// The file is larger than the reader's limit, in bytes.
        case tooLarge(limit: Int)
        /// The file is not valid UTF-8 text.
        case invalidUTF8
        /// Any other system error: its `errno` and the system's text for it.
        case system(code: Int32, reason: String)
    }

    /// The path the operation was about.
    public var path: String
    /// What toolguard was doing.
    public var operation: Operation
    /// What was wrong.
    public var problem: Problem

    /// Whether the error only says that the file does not exist.
    public var isMissing: Bool { problem == .missing }

    /// Creates an error with a known problem.
    public init(path: String, operation: Operation, problem: Problem) {
        self.path = path
        self.operation = operation
        self.problem = problem
    }

    /// Creates an error from an `errno` value, reading the system's text for it now.
    public init(path: String, operation: Operation, code: Int32) {
        let problem: Problem
        switch code {
        case ENOENT, ENOTDIR: problem = .missing
        case EISDIR: problem = .notRegularFile
        default:
            let reason = strerror(code).map { String(cString: $0) } ?? "errno \(code)"
            problem = .system(code: code, reason: reason)
        }
        self.init(path: path, operation: operation, problem: problem)
    }

    /// The problem alone, e.g. `no such file` or `Permission denied (errno 13)`.
    public var reason: String {
        switch problem {
        case .missing: "no such file"
        case .notRegularFile: "not a regular file"
        case .notDirectory: "not a directory"
        case .tooLarge(let limit): "larger than \(limit) bytes"
        case .invalidUTF8: "not valid UTF-8 text"
        case .system(let code, let reason): "\(reason) (errno \(code))"
        }
    }

    /// Reads like `cannot read /home/u/.config/toolguard/config.json: Permission denied (errno 13)`.
    public var description: String {
        "cannot \(operation.rawValue) \(path): \(reason)"
    }
}

#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Musl)
    internal import Musl
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// What keeps `install` and `uninstall` safe against each other and against being killed half-way: one lock
/// that serialises toolguard's own installs, and the removal of the temporary files a killed run left behind.
public enum InstallFiles {
    /// The lock file's name, in toolguard's state directory.
    public static let lockFileName = "install.lock"

    /// Runs `body` while holding an exclusive `flock` on `lockPath` (created, owner-only, with its directory),
    /// so that two installs never read each other's half-finished state. Without a lock (the file cannot be
    /// created) `body` still runs: the writes themselves are atomic.
    public static func withLock<T, E: Error>(at lockPath: String, _ body: () throws(E) -> T) throws(E) -> T {
        let directory = Paths.parent(lockPath)
        _ = try? FileIO.createDirectories(atPath: directory)
        let descriptor = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        if descriptor >= 0 {
            while flock(descriptor, LOCK_EX) != 0, errno == EINTR {}
        }
        defer { if descriptor >= 0 { _ = close(descriptor) } }
        return try body()
    }

    /// Removes the temporary files `FileIO.writeAtomically` makes beside `path` and its backup
    /// (`.<name>.tmp.XXXXXX`, `.<name>.bak.tmp.XXXXXX`) that a killed run left behind. Only regular files
    /// with exactly that shape are removed; call it under ``withLock(at:_:)``, so that no live run's file is
    /// among them. Returns the paths removed.
    @discardableResult
    public static func removeStaleTemporaries(besides path: String) -> [String] {
        let directory = Paths.parent(path)
        let name = Paths.basename(path)
        let prefixes = [".\(name).tmp.", ".\(name)\(FileIO.backupSuffix).tmp."]
        guard let stream = opendir(directory) else { return [] }
        defer { closedir(stream) }
        var removed: [String] = []
        while let entry = readdir(stream) {
            let entryName = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard
                let prefix = prefixes.first(where: { entryName.hasPrefix($0) }),
                entryName.utf8.count == prefix.utf8.count + 6
            else { continue }
            let candidate = directory == "/" ? "/" + entryName : directory + "/" + entryName
            var info = stat()
            guard lstat(candidate, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
            if unlink(candidate) == 0 { removed.append(candidate) }
        }
        return removed
    }
}

/// Path arithmetic on plain strings: no file system access, no symlink resolution.
public enum Paths {
    /// Joins `path` to `directory` unless it is already absolute, and normalizes the result.
    public static func absolute(_ path: String, relativeTo directory: String) -> String {
        if path.hasPrefix("/") { return normalize(path) }
        // The common case, `cd src` from a normalized directory, needs no normalizing pass.
        if isSimpleRelative(path) { return directory == "/" ? "/" + path : directory + "/" + path }
        return normalize(directory + "/" + path)
    }

    /// A relative path with no `.` or `..` component, no empty component and no trailing slash.
    static func isSimpleRelative(_ path: String) -> Bool {
        var previous: UInt8 = UInt8(ascii: "/")
        var componentStart = true
        var dots = 0
        for byte in path.utf8 {
            if byte == UInt8(ascii: "/") {
                if previous == UInt8(ascii: "/") || (componentStart && dots > 0 && dots <= 2) { return false }
                componentStart = true
                dots = 0
            } else {
                if componentStart, byte == UInt8(ascii: ".") { dots += 1 } else { componentStart = false }
            }
            previous = byte
        }
        return !path.isEmpty && previous != UInt8(ascii: "/") && !(componentStart && dots > 0 && dots <= 2)
    }

    /// Removes `.`, `..` and repeated slashes without touching the file system.
    ///
    /// `..` is resolved lexically, as `cd` does by default: `a/b/../c` is `a/c`.
    public static func normalize(_ path: String) -> String {
        var components: [Substring] = []
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch component {
            case ".": continue
            case "..": if !components.isEmpty { components.removeLast() }
            default: components.append(component)
            }
        }
        return "/" + components.joined(separator: "/")
    }

    /// The directory part of an absolute, normalized path (`/` for `/` itself).
    public static func parent(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/"), path != "/" else { return "/" }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// The last component of a path.
    public static func basename(_ path: String) -> String {
        let bytes = path.utf8
        guard let slash = bytes.lastIndex(of: UInt8(ascii: "/")) else { return path }
        return String(Substring(bytes[bytes.index(after: slash)...]))
    }

    /// Whether `path` is `directory` or lies below it (both absolute and normalized).
    public static func isInside(_ path: String, _ directory: String) -> Bool {
        if directory == "/" { return true }
        return path == directory || path.hasPrefix(directory + "/")
    }

    /// `path` written relative to `directory` for a fix a person can paste: `./.tools` inside it,
    /// `../.tools` above it (`..` steps only while they stay below `/`), else `path` unchanged.
    public static func relative(_ path: String, from directory: String) -> String {
        if path == directory { return "." }
        if isInside(path, directory) { return "./" + path.dropFirst(directory == "/" ? 1 : directory.count + 1) }
        var ancestor = directory
        var steps: [String] = []
        while !isInside(path, ancestor) {
            ancestor = parent(ancestor)
            steps.append("..")
        }
        if ancestor == "/" { return path }
        if path != ancestor { steps.append(String(path.dropFirst(ancestor.count + 1))) }
        return steps.joined(separator: "/")
    }

    /// `path` relative to `directory` when it lies inside it (`.venv/bin/pip`), else `path` unchanged.
    public static func display(_ path: String, from directory: String?) -> String {
        guard let directory, isInside(path, directory) else { return path }
        if path == directory { return "." }
        return String(path.dropFirst(directory == "/" ? 1 : directory.count + 1))
    }
}

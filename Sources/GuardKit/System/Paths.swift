/// Path arithmetic on plain strings: no file system access, no symlink resolution.
public enum Paths {
    /// `PATH_MAX` on Linux, the terminating NUL included: the kernel refuses a longer path
    /// (`ENAMETOOLONG`), so a path this long or longer names nothing a command can open.
    public static let maximumLength = 4096

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
        if let normalized = path.utf8.withContiguousStorageIfAvailable({ normalize(bytes: $0) }) { return normalized }
        return Array(path.utf8).withUnsafeBufferPointer { normalize(bytes: $0) }
    }

    /// One pass over the bytes, keeping where each kept component starts so `..` can drop the last one.
    private static func normalize(bytes: UnsafeBufferPointer<UInt8>) -> String {
        let slash = UInt8(ascii: "/")
        let dot = UInt8(ascii: ".")
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + 1)
        var starts: [Int] = []
        var index = 0
        while index < bytes.count {
            while index < bytes.count, bytes[index] == slash { index += 1 }
            var end = index
            while end < bytes.count, bytes[end] != slash { end += 1 }
            let length = end - index
            if length == 0 { break }
            if length == 1, bytes[index] == dot {
                // `.`: nothing.
            } else if length == 2, bytes[index] == dot, bytes[index + 1] == dot {
                if let start = starts.popLast() { output.removeSubrange(start...) }
            } else {
                starts.append(output.count)
                output.append(slash)
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<end]))
            }
            index = end
        }
        return output.isEmpty ? "/" : String(decoding: output, as: UTF8.self)
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
        // Byte comparison over contiguous storage, no concatenation: this runs for every protected path on
        // every target a line writes.
        var inner = path
        var outer = directory
        return inner.withUTF8 { inner in
            outer.withUTF8 { outer in
                guard inner.count >= outer.count else { return false }
                for index in 0..<outer.count where inner[index] != outer[index] { return false }
                return inner.count == outer.count || inner[outer.count] == UInt8(ascii: "/")
            }
        }
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

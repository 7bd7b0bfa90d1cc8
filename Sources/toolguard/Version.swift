import GuardKit

/// `toolguard --version`: the release, and the commit where the binary still sits in the checkout it was
/// built in (`<repo>/.build/…`): read from `.git` directly, no `git` process.
enum Version {
    /// The release.
    static let release = "0.1.0"

    /// `toolguard 0.1.0 (commit 1a2b3c4d5e6f)` or `toolguard 0.1.0`.
    static func text(executable: String?) -> String {
        guard let executable, let commit = commit(besides: executable) else { return "toolguard \(release)\n" }
        return "toolguard \(release) (commit \(commit.prefix(12)))\n"
    }

    static func commit(besides executable: String) -> String? {
        let parts = executable.split(separator: "/.build/", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        let root = String(parts[0])
        var gitDirectory = root + "/.git"
        if let file = read(gitDirectory), file.hasPrefix("gitdir: ") {
            // A worktree: `.git` is a file naming the real directory.
            let named = String(file.dropFirst(8))
            gitDirectory = named.hasPrefix("/") ? named : root + "/" + named
        }
        guard let head = read(gitDirectory + "/HEAD") else { return nil }
        guard head.hasPrefix("ref: ") else { return isCommit(head) ? head : nil }
        let reference = String(head.dropFirst(5))
        var directories = [gitDirectory]
        if let common = read(gitDirectory + "/commondir") {
            directories.append(common.hasPrefix("/") ? common : gitDirectory + "/" + common)
        }
        for directory in directories {
            if let value = read(directory + "/" + reference), isCommit(value) { return value }
            for line in (read(directory + "/packed-refs") ?? "").split(separator: "\n")
            where line.hasSuffix(" " + reference) {
                let value = String(line.prefix { $0 != " " })
                if isCommit(value) { return value }
            }
        }
        return nil
    }

    private static func read(_ path: String) -> String? {
        guard let bytes = try? FileIO.readBytesIfPresent(atPath: path) else { return nil }
        let text = String(decoding: bytes, as: UTF8.self)
        return String(text.prefix { $0 != "\n" })
    }

    private static func isCommit(_ text: String) -> Bool {
        text.count >= 40 && text.allSatisfy { $0.isHexDigit }
    }
}

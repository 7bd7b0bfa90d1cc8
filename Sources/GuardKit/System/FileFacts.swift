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
///
/// Every question goes to the kernel once per distinct path: the answers are kept in a cache that all
/// copies of these facts share, so one judgement probes each path once, however often the line names it.
public struct FileFacts: Sendable {
    /// Paths created earlier in the line, with all their ancestors.
    public private(set) var created: Set<String> = []
    /// Paths created as directories.
    private var createdDirectories: Set<String> = []
    /// Every change the line makes, in order: the overlay `lookup` reads it backwards. Creations are also
    /// kept in the sets above for the common case of a line that only creates.
    public private(set) var changes: [Change] = []
    /// Whether the line made a link (a command word may run through it).
    public private(set) var hasLinks = false
    /// How many creations were recorded: answers derived from `created` are valid for one count.
    public private(set) var generation = 0
    /// How many times anything the overlay holds changed (a creation, a change, written content, a link):
    /// equal versions are the same overlay, so a command walked again at the same version finds nothing new.
    public private(set) var version = 0
    /// What the kernel said, once per path.
    let probes: FileProbes

    /// One change the line makes to the file system.
    public enum Change: Sendable, Hashable {
        /// A path now exists (`python -m venv DIR`, `mkdir`).
        case created(String, isDirectory: Bool)
        /// A path and everything under it no longer exists (`rm -r`).
        case removed(String)
        /// `link` now stands for `target`: a symbolic link (`ln -s`), or a copy or hard link (`cp`, `ln`),
        /// which has the same content but is a path of its own.
        case linked(link: String, target: String, symbolic: Bool)
        /// What was at `from` is now at `to` (`mv`).
        case moved(from: String, to: String)
        /// A file written with this content (`cat > f <<EOF`, `printf … > f`): recorded by script reading.
        case written(String, content: String)
        /// Everything below `root` whose name matches `pattern` (a glob, `*` for all) no longer exists, nor
        /// what is under it (`find ROOT -name PATTERN -delete`). Narrower tests `find` applies are not known
        /// statically, so this may say more is gone than is: a venv whose marker may be gone is no venv.
        case removedMatching(pattern: String, under: String)
    }

    /// The overlay never grows past this: a line with more changes keeps its first ones (each probe reads
    /// the list, so it must stay short).
    public static let maximumChanges = 256

    /// Whether the line made more changes than the overlay keeps (later ones were not recorded).
    public private(set) var isIncomplete = false

    /// Whether the line changed the file system in ways other than creating paths.
    public var hasChanges: Bool { !changes.isEmpty }

    /// Symbolic links made earlier in the line: absolute link path → absolute target (self-protection's
    /// record; the same links are in the overlay, `changes`).
    public private(set) var links: [String: String] = [:]
    /// Files copied or hard-linked earlier in the line: absolute new path → the path it was made from.
    public private(set) var copies: [String: String] = [:]

    /// Creates file facts with nothing created yet, and an empty cache.
    public init() {
        probes = FileProbes()
    }

    /// File facts whose kernel answers come from, and go to, `snapshot` (a batch of judgements).
    public init(sharing snapshot: FileSystemSnapshot) {
        probes = snapshot.probes
    }

    /// Records that `path` is now a symbolic link to `target`, or (not symbolic) a copy of it; both absolute.
    public mutating func recordLink(_ path: String, to target: String, symbolic: Bool) {
        if symbolic { links[path] = target } else { copies[path] = target }
        version &+= 1
        // The overlay: later parts of the line that run or probe `path` reach `target`. (Not a creation:
        // self-protection also records `DEST/NAME` in case DEST is a directory, and a creation there would
        // make DEST a directory.)
        // When `path` is already a directory, the link or copy lands inside it (self-protection records
        // both readings); the overlay keeps only the true one.
        if !isDirectory(path) { record(.linked(link: path, target: target, symbolic: symbolic)) }
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
        // The kernel creates nothing at a path of PATH_MAX or more (ENAMETOOLONG): nothing to record, and
        // recording its thousands of ancestors would cost the square of its length.
        guard path.utf8.count < Paths.maximumLength else { return }
        // Created again with nothing in between that order matters for (`echo x > /dev/null` repeated):
        // nothing changes, and answers derived from the file system stay valid.
        if changes.isEmpty, created.contains(path), !isDirectory || createdDirectories.contains(path) { return }
        generation = probes.nextGeneration()
        version &+= 1
        if !changes.isEmpty, changes.count < Self.maximumChanges {
            changes.append(.created(path, isDirectory: isDirectory))
        }
        created.insert(path)
        if isDirectory { createdDirectories.insert(path) }
        var ancestor = Paths.parent(path)
        while ancestor != "/", !createdDirectories.contains(ancestor) {
            created.insert(ancestor)
            createdDirectories.insert(ancestor)
            ancestor = Paths.parent(ancestor)
        }
    }

    /// Records a change other than a creation.
    public mutating func record(_ change: Change) {
        guard changes.count < Self.maximumChanges else {
            // Not recorded: what later parts see of the file system may be wrong, and the judgement says so.
            isIncomplete = true
            version &+= 1
            return
        }
        // Answers derived from the file system's state (project roots) are stale after any change.
        generation = probes.nextGeneration()
        version &+= 1
        if changes.isEmpty {
            // From now on order matters (`rm -rf .venv && python -m venv .venv`): earlier creations join the list.
            for path in created.sorted() {
                changes.append(.created(path, isDirectory: createdDirectories.contains(path)))
            }
        }
        if case .linked = change { hasLinks = true }
        changes.append(change)
    }

    /// What the overlay says about `path`: created (and whether as a directory), absent, or the path on
    /// disk that stands for it (through links and moves made in the line).
    public enum Lookup: Sendable, Hashable {
        case created(isDirectory: Bool)
        case absent
        case disk(String)
        case written(content: String)
    }

    /// Reads the line's changes backwards for `path`; `symbolicOnly` follows only symbolic links (where
    /// a path leads), not copies (what content it has).
    public func lookup(_ path: String, symbolicOnly: Bool = false) -> Lookup {
        resolve(path, symbolicOnly: symbolicOnly).lookup
    }

    /// `lookup`, and whether a link was followed on the way (a moved file is itself, not a link).
    private func resolve(_ path: String, symbolicOnly: Bool) -> (lookup: Lookup, throughLink: Bool) {
        var path = path
        var throughLink = false
        for change in changes.reversed() {
            switch change {
            case .created(let created, let isDirectory):
                if path == created { return (.created(isDirectory: isDirectory), throughLink) }
                if Paths.isInside(created, path), created != path { return (.created(isDirectory: true), throughLink) }
            case .written(let written, let content):
                if path == written { return (.written(content: content), throughLink) }
                if Paths.isInside(written, path) { return (.created(isDirectory: true), throughLink) }
            case .removed(let removed):
                if Paths.isInside(path, removed) { return (.absent, throughLink) }
            case .removedMatching(let pattern, let root):
                if path != root, Paths.isInside(path, root),
                    path.dropFirst(root == "/" ? 1 : root.utf8.count + 1).split(separator: "/").contains(where: {
                        fnmatch(pattern, String($0), 0) == 0
                    })
                {
                    return (.absent, throughLink)
                }
            case .moved(let from, let to):
                if Paths.isInside(path, to) {
                    path = from + path.dropFirst(to.count)
                } else if Paths.isInside(path, from) {
                    return (.absent, throughLink)
                }
            case .linked(let link, let target, let symbolic):
                if Paths.isInside(path, link), symbolic || !symbolicOnly {
                    path = target + path.dropFirst(link.count)
                    throughLink = true
                }
            }
        }
        return (.disk(path), throughLink)
    }

    /// The file a path made in the line stands for, when links made in the line lead elsewhere;
    /// `symbolicOnly` ignores copies (a write to a copy does not reach the original).
    public func linkTarget(of path: String, symbolicOnly: Bool = false) -> String? {
        guard hasLinks else { return nil }
        let (found, throughLink) = resolve(path, symbolicOnly: symbolicOnly)
        guard throughLink, case .disk(let resolved) = found, resolved != path else { return nil }
        return resolved
    }

    /// Whether `path` exists (or was created earlier in the line).
    public func exists(_ path: String) -> Bool {
        if !changes.isEmpty {
            switch lookup(path) {
            case .created, .written: return true
            case .absent: return false
            case .disk(let resolved): return probes.kind(resolved, following: true) != .missing
            }
        }
        if created.contains(path) { return true }
        return probes.kind(path, following: true) != .missing
    }

    /// Whether `path` is a directory.
    public func isDirectory(_ path: String) -> Bool {
        var path = path
        if !changes.isEmpty {
            switch lookup(path) {
            case .created(let isDirectory): return isDirectory
            case .written, .absent: return false
            case .disk(let resolved): path = resolved
            }
        }
        if createdDirectories.contains(path) { return true }
        return probes.kind(path, following: true) == .directory
    }

    /// The bytes of a file (a config file a module reads) as the line has left it: what an earlier part
    /// wrote (`echo 'global=true' > .npmrc && npm i x`), else the disk's, read once per judgement; `nil`
    /// when it is absent, removed by the line, or cannot be read.
    public func contents(of path: String) -> [UInt8]? {
        contents(of: path, copies: 0)
    }

    /// The bytes of written content that names no other file.
    private static func bytes(of content: WrittenContent, at path: String, probes: FileProbes) -> [UInt8]? {
        switch content {
        case .text(let text): return Array(text.utf8)
        case .appended(let text): return (probes.contents(path) ?? []) + Array(text.utf8)
        case .edited(let base?, _): return bytes(of: base, at: path, probes: probes)
        case .copy(let source): return probes.contents(source)
        case .unknown, .edited: return probes.contents(path)
        }
    }

    /// The interpreter a script's `#!` line names (`/usr/bin/python3`; for `#!/usr/bin/env python3`, the word
    /// `python3`, to be found on PATH), as the line leaves the file; `nil` when it has none.
    public func shebangInterpreter(of path: String) -> String? {
        let line: String?
        switch content(of: path) {
        case .text(let text)?:
            line = text.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init)
        case .unknown?: return nil
        default: line = probes.firstLine(path)
        }
        guard let line, line.hasPrefix("#!") else { return nil }
        let words = line.dropFirst(2).split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard let first = words.first else { return nil }
        if Paths.basename(first) == "env" {
            return words.dropFirst().first { !$0.hasPrefix("-") && !$0.contains("=") }
        }
        return first
    }

    private func contents(of path: String, copies: Int) -> [UInt8]? {
        switch content(of: path) {
        case .text(let text)?: return Array(text.utf8)
        case .appended(let text)?: return (probes.contents(path) ?? []) + Array(text.utf8)
        case .copy(let source)?: return copies < 8 ? contents(of: source, copies: copies + 1) : nil
        case .edited(let base?, _)?: return Self.bytes(of: base, at: path, probes: probes)
        case .unknown?, .edited?, nil: break
        }
        if !changes.isEmpty, case .absent = lookup(path) { return nil }
        return probes.contents(path)
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
        /// The content before (`base`: written earlier in the line; `nil`: the disk's), edited in place by a
        /// command whose edit is not followed (`sed -i …`, `perl -pi …`, `dd of=…`, `truncate`); `by` is
        /// that command's words. What it holds now can only be bounded by the words of both.
        indirect case edited(base: WrittenContent?, by: String)
    }

    /// Content written earlier in the line, by absolute path. Kept apart from `created` so that the
    /// common path never consults it.
    public private(set) var writtenContent: [String: WrittenContent] = [:]

    /// Records what a command writes into `path` (absolute); the file now exists.
    public mutating func recordContent(_ content: WrittenContent, of path: String) {
        let before = writtenContent[path]
        defer { if writtenContent[path] != before { version &+= 1 } }
        switch content {
        case .appended(let text):
            switch writtenContent[path] {
            case .text(let old)?: writtenContent[path] = .text(old + text)
            case .appended(let old)?: writtenContent[path] = .appended(old + text)
            case .unknown?, .copy?, .edited?: break
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

    /// Records that a command edited the file at `path` in place in a way not followed (`sed -i`): it keeps
    /// existing, its content is its old content edited by `editor`'s words. A dictionary entry, not an
    /// overlay change, so that `sed -i … f0 … f99999` costs one entry per file, with no limit to reach.
    public mutating func recordEdit(of path: String, by editor: String) {
        writtenContent[path] = .edited(base: writtenContent[path], by: editor)
        version &+= 1
    }

    /// What an earlier part of the line wrote into `path`, if anything.
    public func content(of path: String) -> WrittenContent? {
        writtenContent.isEmpty ? nil : writtenContent[path]
    }

    // MARK: Programs

    /// Whether `path` is a file a shell could run (a created path counts).
    public func isExecutableFile(_ path: String) -> Bool {
        var path = path
        if !changes.isEmpty {
            switch lookup(path) {
            case .created(let isDirectory): return !isDirectory
            case .written: return true
            case .absent: return false
            case .disk(let resolved): path = resolved
            }
        }
        if created.contains(path) { return !createdDirectories.contains(path) }
        let kind = probes.kind(path, following: true)
        guard kind != .missing, kind != .directory else { return false }
        return probes.isExecutable(path)
    }
}

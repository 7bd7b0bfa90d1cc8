import Foundation
import GuardKit
import Testing

/// A fresh directory under the system's temporary directory, removed by ``remove()``.
struct TemporaryDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "toolguard-layers-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// `path/relative`.
    func file(_ relative: String) -> String {
        path + "/" + relative
    }

    func write(_ relative: String, _ text: String) throws {
        let full = file(relative)
        try FileManager.default.createDirectory(
            atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: full))
    }

    func bytes(_ relative: String) -> [UInt8]? {
        FileManager.default.contents(atPath: file(relative)).map { Array($0) }
    }

    func text(_ relative: String) -> String? {
        bytes(relative).map { String(decoding: $0, as: UTF8.self) }
    }

    func exists(_ relative: String) -> Bool {
        FileManager.default.fileExists(atPath: file(relative))
    }

    /// The inode number: a write by rename gives the path a new one.
    func inode(_ relative: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: file(relative))
        return (attributes[.systemFileNumber] as! NSNumber).intValue
    }

    func entries() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: path).sorted()
    }
}

@Suite("Atomic file writing")
struct LayersAtomicFileTests {
    @Test("a missing file reads as nil, an existing one as its bytes")
    func reading() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        #expect(try AtomicFile.readFile(directory.file("absent")) == nil)
        try directory.write("present", "héllo\n")
        #expect(try AtomicFile.readFile(directory.file("present")) == Array("héllo\n".utf8))
    }

    @Test("reading a directory is an error, not nil")
    func readingDirectory() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        #expect(throws: AtomicFileError.self) { try AtomicFile.readFile(directory.path) }
    }

    @Test("a write replaces the file and leaves no temporary file behind")
    func replaces() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("a.json", "old")
        let before = try directory.inode("a.json")
        try AtomicFile.writeAtomically(directory.file("a.json"), Array("new".utf8), backup: false)
        #expect(directory.text("a.json") == "new")
        #expect(try directory.inode("a.json") != before, "written by rename, not in place")
        #expect(try directory.entries() == ["a.json"])
    }

    @Test("with backup, the previous bytes go to <path>.bak")
    func backup() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("a.json", "first")
        try AtomicFile.writeAtomically(directory.file("a.json"), Array("second".utf8), backup: true)
        #expect(directory.text("a.json.bak") == "first")
        try AtomicFile.writeAtomically(directory.file("a.json"), Array("third".utf8), backup: true)
        #expect(directory.text("a.json.bak") == "second")
        #expect(directory.text("a.json") == "third")
        #expect(AtomicFile.backupPath(for: "/x/a.json") == "/x/a.json.bak")
    }

    @Test("no backup is made of a file that did not exist")
    func noBackupOfNothing() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try AtomicFile.writeAtomically(directory.file("a.json"), Array("x".utf8), backup: true)
        #expect(try directory.entries() == ["a.json"])
    }

    @Test("missing parent directories are created")
    func createsParents() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try AtomicFile.writeAtomically(directory.file("one/two/a.json"), Array("x".utf8), backup: false)
        #expect(directory.text("one/two/a.json") == "x")
    }

    @Test("the previous file's permission bits are kept")
    func keepsMode() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("a.json", "x")
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: directory.file("a.json"))
        try AtomicFile.writeAtomically(directory.file("a.json"), Array("y".utf8), backup: false)
        let attributes = try FileManager.default.attributesOfItem(atPath: directory.file("a.json"))
        #expect((attributes[.posixPermissions] as! NSNumber).intValue == 0o600)
    }

    @Test("a symlinked file is written through, and the link stays a link")
    func symlink() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("dotfiles/settings.json", "old")
        try FileManager.default.createSymbolicLink(
            atPath: directory.file("settings.json"), withDestinationPath: directory.file("dotfiles/settings.json"))
        try AtomicFile.writeAtomically(directory.file("settings.json"), Array("new".utf8), backup: true)
        let type =
            try FileManager.default.attributesOfItem(atPath: directory.file("settings.json"))[.type]
            as? FileAttributeType
        #expect(type == .typeSymbolicLink)
        #expect(directory.text("dotfiles/settings.json") == "new")
        #expect(directory.text("settings.json.bak") == "old")
    }

    @Test("removing a missing file is not an error; removing a file removes it")
    func removing() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try AtomicFile.removeFile(directory.file("absent"))
        try directory.write("a", "x")
        try AtomicFile.removeFile(directory.file("a"))
        #expect(!directory.exists("a"))
    }
}

import Foundation
import GuardKit
import Testing

@Suite("File reading and atomic writing")
struct ConfigFileIOTests {
    @Test("Reading tells a missing file from one that is there but cannot be read")
    func readErrors() throws {
        let fixture = try TemporaryHome()
        #expect(throws: FileIOError(path: fixture.root + "/none", operation: .read, problem: .missing)) {
            try FileIO.readBytes(atPath: fixture.root + "/none")
        }
        #expect(throws: FileIOError(path: fixture.root + "/none/x", operation: .read, problem: .missing)) {
            try FileIO.readBytes(atPath: fixture.root + "/none/x")
        }
        #expect(throws: FileIOError(path: fixture.home, operation: .read, problem: .notRegularFile)) {
            try FileIO.readBytes(atPath: fixture.home)
        }
        try fixture.write("12345", to: fixture.root + "/five")
        #expect(throws: FileIOError(path: fixture.root + "/five", operation: .read, problem: .tooLarge(limit: 4))) {
            try FileIO.readBytes(atPath: fixture.root + "/five", maximumByteCount: 4)
        }
        #expect(try FileIO.readBytes(atPath: fixture.root + "/five", maximumByteCount: 5) == Array("12345".utf8))
    }

    @Test("A FIFO planted as a config file is refused at once instead of hanging the reader")
    func fifo() throws {
        let fixture = try TemporaryHome()
        let path = fixture.root + "/fifo"
        #expect(mkfifo(path, 0o644) == 0)
        // A blocking open would wait for a writer forever; this one turns up after 2 s so that a
        // regression fails on the time below instead of hanging the test run.
        Thread.detachNewThread {
            Thread.sleep(forTimeInterval: 2)
            let deadline = Date().addingTimeInterval(2)
            while Date() < deadline {
                let writer = open(path, O_WRONLY | O_NONBLOCK)
                if writer >= 0 {
                    close(writer)
                    return
                }
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
        let start = ContinuousClock.now
        #expect(throws: FileIOError(path: path, operation: .read, problem: .notRegularFile)) {
            try FileIO.readBytes(atPath: path)
        }
        #expect(ContinuousClock.now - start < .seconds(1))
    }

    @Test("Text must be UTF-8")
    func readString() throws {
        let fixture = try TemporaryHome()
        let path = fixture.root + "/latin1"
        try Data([0x63, 0x61, 0x66, 0xE9]).write(to: URL(fileURLWithPath: path))
        #expect(throws: FileIOError(path: path, operation: .read, problem: .invalidUTF8)) {
            try FileIO.readString(atPath: path)
        }
        try fixture.write("café", to: path)
        #expect(try FileIO.readString(atPath: path) == "café")
    }

    @Test("A write creates owner-only parent directories and a file with the default mode")
    func createsParents() throws {
        let fixture = try TemporaryHome()
        let path = fixture.home + "/.config/toolguard/config.json"
        try FileIO.writeAtomically(path: path, text: "{}\n")
        #expect(try fixture.read(path) == "{}\n")
        #expect(try fixture.permissions(fixture.home + "/.config") == 0o700)
        #expect(try fixture.permissions(fixture.home + "/.config/toolguard") == 0o700)
        #expect(try fixture.permissions(path) == 0o644)
    }

    @Test("Writing the same file twice with a backup keeps the previous content intact in <path>.bak")
    func backup() throws {
        let fixture = try TemporaryHome()
        let directory = fixture.home + "/.claude"
        let path = directory + "/settings.json"

        try FileIO.writeAtomically(path: path, text: "first", backup: true)
        #expect(try fixture.read(path) == "first")
        #expect(!FileManager.default.fileExists(atPath: path + ".bak"))

        try FileIO.writeAtomically(path: path, text: "second", backup: true)
        #expect(try fixture.read(path) == "second")
        #expect(try fixture.read(path + ".bak") == "first")

        try FileIO.writeAtomically(path: path, text: "third", backup: true)
        #expect(try fixture.read(path) == "third")
        #expect(try fixture.read(path + ".bak") == "second")

        try FileIO.writeAtomically(path: path, text: "fourth")
        #expect(try fixture.read(path + ".bak") == "second")
        // No temporary files are left behind.
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == [
                "settings.json", "settings.json.bak",
            ])
    }

    @Test("Replacing a file keeps its permission bits")
    func keepsMode() throws {
        let fixture = try TemporaryHome()
        let path = fixture.root + "/settings.json"
        try fixture.write("old", to: path)
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: path)
        try FileIO.writeAtomically(path: path, text: "new", backup: true)
        #expect(try fixture.permissions(path) == 0o640)
        #expect(try fixture.permissions(path + ".bak") == 0o640)
    }

    @Test("Writing through a symbolic link replaces the file it points to and keeps the link")
    func symlink() throws {
        let fixture = try TemporaryHome()
        let real = fixture.root + "/dotfiles/settings.json"
        let link = fixture.home + "/settings.json"
        try fixture.write("old", to: real)
        try FileManager.default.createDirectory(atPath: fixture.home, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: real)

        try FileIO.writeAtomically(path: link, text: "new", backup: true)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == real)
        #expect(try fixture.read(real) == "new")
        #expect(try fixture.read(real + ".bak") == "old")
    }

    @Test("A failed write changes nothing: a directory in the way, or a file where a parent should be")
    func failures() throws {
        let fixture = try TemporaryHome()
        #expect(throws: FileIOError(path: fixture.project, operation: .write, problem: .notRegularFile)) {
            try FileIO.writeAtomically(path: fixture.project, text: "x")
        }
        let file = fixture.root + "/file"
        try fixture.write("keep", to: file)
        #expect(throws: FileIOError(path: file, operation: .createDirectory, problem: .notDirectory)) {
            try FileIO.writeAtomically(path: file + "/sub/x.json", text: "x")
        }
        #expect(try fixture.read(file) == "keep")
    }

    @Test("When the final rename fails, the target is unchanged and no temporary file is left")
    func renameFailure() throws {
        let fixture = try TemporaryHome()
        let directory = fixture.root + "/settings"
        let path = directory + "/settings.json"
        try fixture.write("old", to: path)
        // A directory where the backup goes: renaming the finished backup over it fails (EISDIR).
        try FileManager.default.createDirectory(atPath: path + ".bak", withIntermediateDirectories: false)
        #expect(throws: FileIOError.self) {
            try FileIO.writeAtomically(path: path, text: "new", backup: true)
        }
        #expect(try fixture.read(path) == "old")
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == [
                "settings.json", "settings.json.bak",
            ])
    }

    @Test("Removing reports whether there was a file")
    func remove() throws {
        let fixture = try TemporaryHome()
        let path = fixture.root + "/gone"
        try fixture.write("x", to: path)
        #expect(try FileIO.removeFile(atPath: path))
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(try !FileIO.removeFile(atPath: path))
    }

    @Test("Errors read as one line naming the path")
    func errorText() {
        let error = FileIOError(path: "/x/config.json", operation: .read, code: EACCES)
        #expect(error.description == "cannot read /x/config.json: Permission denied (errno 13)")
        #expect(!error.isMissing)
        #expect(FileIOError(path: "/x", operation: .read, code: ENOENT).isMissing)
    }
}

import Foundation
import GuardKit
import Testing

/// A throwaway home directory with a project in it, so tests never touch the real home.
///
/// Layout: `<root>/home` is `HOME`, `<root>/home/src/app` is a project (it has `.git`). Removed on deinit.
final class TemporaryHome {
    /// The ecosystem ids the config tests treat as built in, in registry order.
    static let builtIn = ["python", "node", "ruby", "rust", "go"]

    /// The fixture's root, with symbolic links resolved (macOS's `/tmp` is one).
    let root: String
    /// `HOME`.
    let home: String
    /// A project root inside the home directory.
    let project: String
    /// Extra environment variables beside `HOME`.
    var extraEnvironment: [String: String] = [:]

    init() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("toolguard-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        root = base.resolvingSymlinksInPath().path
        home = root + "/home"
        project = home + "/src/app"
        try FileManager.default.createDirectory(atPath: project + "/.git", withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: root)
    }

    /// The environment the code under test sees.
    var environment: [String: String] {
        extraEnvironment.merging(["HOME": home]) { _, home in home }
    }

    /// The locations for ``environment``.
    func locations() throws -> Locations {
        try #require(Locations(environment: environment, fallbackHome: nil))
    }

    /// The user config file.
    var userConfig: String { home + "/.config/toolguard/config.json" }
    /// The project's repo file.
    var repoFile: String { project + "/.toolguard.json" }

    /// Writes `text` to `path`, creating parent directories.
    func write(_ text: String, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    /// The file's contents as text.
    func read(_ path: String) throws -> String {
        try String(contentsOfFile: path, encoding: .utf8)
    }

    /// The configuration for the project, as the hook would resolve it.
    func resolve(projectRoot: String? = nil) -> Configuration {
        Configuration.resolve(builtIn: Self.builtIn, environment: environment, projectRoot: projectRoot ?? project)
    }

    /// Permission bits of the file at `path`.
    func permissions(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return try #require((attributes[.posixPermissions] as? NSNumber)?.intValue)
    }
}

@Suite("Config test fixture")
struct ConfigFixtureTests {
    @Test("The fixture's home is a fresh, empty temporary directory, never the real home")
    func fixtureIsIsolated() throws {
        let fixture = try TemporaryHome()
        #expect(fixture.home != NSHomeDirectory())
        #expect(fixture.home.hasPrefix(fixture.root))
        #expect(!FileManager.default.fileExists(atPath: fixture.userConfig))
        #expect(FileManager.default.fileExists(atPath: fixture.project + "/.git"))
    }
}

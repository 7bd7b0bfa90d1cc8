import Foundation
import GuardKit
import Testing

/// A module that claims nothing and only names an interpreter, as the Python module names `python -c`:
/// self-protection reads inline code of every interpreter the modules name.
struct CodeRunner: Ecosystem {
    let id = "runner"
    let summary = "names an interpreter"
    let programs: [String] = []
    let projectMarkers: [String] = []
    let rules: [Rule] = []
    let denyPatterns: [String] = []
    let inlineCodeOptions: [String: Set<String>] = ["python": ["-c"]]

    func judge(_ invocation: Invocation, in context: JudgementContext) -> Judgement { Judgement() }
}

@Suite("Protected paths")
struct ProtectedPathsTests {
    /// A user `u` with toolguard in `~/.local/bin` and a project in `~/src/app`; nothing on disk.
    static let paths = ProtectedPaths(
        locations: Locations(environment: ["HOME": "/home/u"], fallbackHome: nil),
        installedBinary: "/home/u/.local/bin/toolguard", projectDirectories: ["/home/u/src/app"])

    typealias Kind = ProtectedPaths.Kind

    static let protectedWrites: [(path: String, kind: Kind)] = [
        ("/home/u/.config/toolguard/config.json", .userConfig),
        ("/home/u/.config/toolguard", .userConfig),
        ("/home/u/.config/toolguard/new-file", .userConfig),
        ("/home/u/.config/toolguard/pin.json", .userConfig),
        ("/home/u/.local/state/toolguard/trusted.json", .state),
        ("/home/u/.local/bin/toolguard", .binary),
        ("/home/u/.claude/settings.json", .agentSettings),
        ("/home/u/src/app/.claude/settings.json", .agentSettings),
        ("/home/u/src/app/.claude/settings.local.json", .agentSettings),
        ("/etc/claude-code/managed-settings.json", .agentSettings),
        ("/etc/claude-code/managed-settings.d/50-hooks.json", .agentSettings),
        // `..`, `.` and `//` tricks.
        ("/home/u/src/app/../../.config/toolguard/config.json", .userConfig),
        ("//home//u/.config/./toolguard//config.json", .userConfig),
        ("/tmp/../home/u/.claude/settings.json", .agentSettings),
        ("/home/u/.local/state/toolguard/../toolguard/trusted.json", .state),
    ]

    @Test("Writes to toolguard's files and the agent settings are protected", arguments: protectedWrites)
    func protectedWrite(path: String, kind: Kind) throws {
        let match = try #require(Self.paths.protects(path, operation: .write))
        #expect(match.entry.kind == kind)
        #expect(match.target == Paths.normalize(path))
    }

    @Test("A relative path is resolved against the given directory first")
    func relative() throws {
        let match = try #require(
            Self.paths.protects("../../.config/toolguard/config.json", operation: .write, relativeTo: "/home/u/src/app")
        )
        #expect(match.target == "/home/u/.config/toolguard/config.json")
        #expect(Self.paths.protects("notes.txt", operation: .write, relativeTo: "/home/u/src/app") == nil)
    }

    static let allowedWrites = [
        "/home/u/.config/other/config.json",
        "/home/u/.config/toolguard-old/config.json",  // a shared prefix is not containment
        "/home/u/.config",  // touching the parent directory itself changes nothing inside it
        "/home/u/.claude/CLAUDE.md",
        "/home/u/src/app/.toolguard.json",  // guarded by trust instead
        "/home/u/src/app/.claude/settings.json.bak",
        "/home/u/src/app/src/main.swift",
        "/home/u/.local/bin/other-tool",
        "/etc/claude-code/other.json",
    ]

    @Test("Ordinary writes, including ones near protected paths, are not protected", arguments: allowedWrites)
    func allowedWrite(path: String) {
        #expect(Self.paths.protects(path, operation: .write) == nil)
    }

    static let protectedRemovals: [(path: String, relation: ProtectedPath.Relation)] = [
        ("/home/u/.config/toolguard", .same),
        ("/home/u/.config/toolguard/config.json", .inside),
        ("/home/u/.config", .contains),
        ("/home/u/.config/", .contains),
        ("/home/u", .contains),
        ("/", .contains),
        ("/home/u/.local", .contains),
        ("/home/u/.local/state", .contains),
        ("/home/u/.local/bin", .contains),
        ("/home/u/.claude", .contains),
        ("/home/u/src/app/.claude", .contains),
        ("/home/u/src", .contains),
        ("/etc/claude-code", .contains),
        ("/home/u/src/app/x/../../../.config", .contains),
    ]

    @Test(
        "Deleting or moving a protected path, or a directory that contains one, is protected",
        arguments: protectedRemovals)
    func protectedRemoval(path: String, relation: ProtectedPath.Relation) throws {
        let match = try #require(Self.paths.protects(path, operation: .remove))
        #expect(match.relation == relation)
    }

    static let allowedRemovals = [
        "/home/u/.cache", "/home/u/src/app/node_modules", "/home/u/.config/other", "/home/u/.claude/projects",
        "/home/u/src/other", "/tmp",
    ]

    @Test("Ordinary deletes are not protected", arguments: allowedRemovals)
    func allowedRemoval(path: String) {
        #expect(Self.paths.protects(path, operation: .remove) == nil)
    }

    @Test("The reason names the path, what it protects, and what to do")
    func reasons() throws {
        let removal = try #require(Self.paths.protects("/home/u/.config", operation: .remove))
        #expect(
            removal.reason
                == "/home/u/.config contains toolguard's user configuration (/home/u/.config/toolguard), "
                + "which the agent may not remove or move — a person can do this outside the agent")
        let write = try #require(Self.paths.protects("/home/u/.local/state/toolguard/trusted.json", operation: .write))
        #expect(
            write.reason
                == "/home/u/.local/state/toolguard/trusted.json is inside toolguard's state (its trust store) "
                + "(/home/u/.local/state/toolguard), which the agent may not change — a person can do this outside the agent"
        )
    }

    @Test("Without locations, the binary, project and managed settings are still protected")
    func withoutLocations() {
        let paths = ProtectedPaths(locations: nil, installedBinary: "/opt/toolguard", projectDirectories: ["/r"])
        #expect(paths.protects("/opt/toolguard", operation: .write)?.entry.kind == .binary)
        #expect(paths.protects("/r/.claude/settings.local.json", operation: .write) != nil)
        #expect(paths.protects("/etc/claude-code/managed-settings.json", operation: .write) != nil)
        #expect(paths.protects("/home/u/.config/toolguard/config.json", operation: .write) == nil)
    }

    @Test("A symbolic link into a protected directory does not get around the protection")
    func symlinkIntoProtected() throws {
        let fixture = try TemporaryHome()
        let locations = try fixture.locations()
        try fixture.write("{}", to: locations.userConfigFile)
        let link = fixture.root + "/innocent"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: locations.configDirectory)
        let paths = ProtectedPaths(locations: locations, installedBinary: nil, projectDirectories: [fixture.project])

        #expect(paths.protects(link + "/config.json", operation: .write)?.entry.kind == .userConfig)
        #expect(paths.protects(link + "/new.json", operation: .write)?.entry.kind == .userConfig)
        #expect(paths.protects(link + "/", operation: .remove) != nil)
        // Removing the link itself leaves the directory alone.
        #expect(paths.protects(link, operation: .remove) == nil)
    }

    @Test("A home whose config directory is a symbolic link is protected at the link's target too")
    func symlinkedConfigHome() throws {
        let fixture = try TemporaryHome()
        let dotfiles = fixture.root + "/dotfiles/config"
        try fixture.write("{}", to: dotfiles + "/toolguard/config.json")
        try FileManager.default.createSymbolicLink(atPath: fixture.home + "/.config", withDestinationPath: dotfiles)
        let paths = ProtectedPaths(locations: try fixture.locations(), installedBinary: nil, projectDirectories: [])

        #expect(paths.protects(dotfiles + "/toolguard/config.json", operation: .write)?.entry.kind == .userConfig)
        #expect(paths.protects(fixture.root + "/dotfiles", operation: .remove)?.relation == .contains)
        #expect(paths.protects(dotfiles + "/other.json", operation: .write) == nil)
    }

    @Test("Another hard link to a protected file is protected for writes")
    func hardLink() throws {
        let fixture = try TemporaryHome()
        let locations = try fixture.locations()
        try fixture.write("{}", to: locations.claudeUserSettings)
        let alias = fixture.root + "/alias.json"
        try FileManager.default.linkItem(atPath: locations.claudeUserSettings, toPath: alias)
        let paths = ProtectedPaths(locations: locations, installedBinary: nil, projectDirectories: [])

        let match = try #require(paths.protects(alias, operation: .write))
        #expect(match.entry.path == locations.claudeUserSettings)
        try fixture.write("{}", to: fixture.root + "/unrelated.json")
        #expect(paths.protects(fixture.root + "/unrelated.json", operation: .write) == nil)
    }

    // MARK: Self-protection through the agent's file tools and through Bash (issue 14)

    /// `HOME` with an installed toolguard and Claude Code settings on disk, a project in `~/src/app`
    /// with a nested package in `sub`.
    static func installed() throws -> (TemporaryHome, SelfProtection) {
        let fixture = try TemporaryHome()
        let locations = try fixture.locations()
        try fixture.write("#!/bin/sh\n", to: fixture.home + "/.local/bin/toolguard")
        try fixture.write("{}", to: locations.claudeUserSettings)
        try fixture.write("{}", to: fixture.project + "/.claude/settings.json")
        try fixture.write("{}", to: fixture.project + "/sub/package.json")
        let paths = ProtectedPaths(
            locations: locations, installedBinary: fixture.home + "/.local/bin/toolguard",
            projectDirectories: [fixture.project])
        return (fixture, SelfProtection(paths: paths))
    }

    static let fileToolWrites: [(path: String, directory: String)] = [
        ("{home}/.claude/settings.json", "{project}"),
        ("{home}/.local/bin/toolguard", "{project}"),
        ("/proc/self/cwd/.claude/settings.json", "{home}"),
        ("/proc/self/cwd/../.claude/settings.json", "{project}/sub"),
        ("../.claude/settings.local.json", "{project}/sub"),
        ("{project}/sub/../.claude/settings.json", "{project}/sub"),
        ("{home}/.config/toolguard/config.json", "{project}"),
        ("{home}/.local/state/toolguard/trusted.json", "{project}"),
    ]

    @Test("Write and Edit of toolguard's files are blocked however the path is spelled", arguments: fileToolWrites)
    func fileToolWrite(path: String, directory: String) throws {
        let (fixture, protection) = try Self.installed()
        let resolve = { (text: String) in
            text.replacingOccurrences(of: "{home}", with: fixture.home).replacingOccurrences(
                of: "{project}", with: fixture.project)
        }
        let finding = protection.judgeFileTool(path: resolve(path), directory: resolve(directory), span: 0..<0)
        #expect(finding?.verdict == .block, "\(path) from \(directory)")
    }

    @Test("Write and Edit of ordinary files, and of files near toolguard's, pass")
    func fileToolOrdinary() throws {
        let (fixture, protection) = try Self.installed()
        for path in [
            fixture.project + "/notes.txt", fixture.home + "/.claude/CLAUDE.md", fixture.home + "/notes.txt",
            fixture.project + "/sub/.claude.json", "/proc/self/cwd/notes.txt",
        ] {
            #expect(protection.judgeFileTool(path: path, directory: fixture.project, span: 0..<0) == nil, "\(path)")
        }
    }

    static let commands: [(command: String, verdict: Verdict)] = [
        ("chmod -x ~/.local/bin/toolguard", .block),
        ("chmod -R 000 ~/.local/bin", .block),
        ("chmod -R u+w ~/.local", .pass),
        ("chmod -x build.sh", .pass),
        ("sed -Ei 's/a/b/' ~/.claude/settings.json", .block),
        ("sed -n p ~/.claude/settings.json", .pass),
        ("cp settings.json ~/.claude/", .block),
        ("mv -t ~ ./notes.txt", .pass),
        ("tar -xf a.tar -C ~/.claude", .block),
        ("rm ~/.claude/setting[s].json", .block),
        ("rm ~/.claude/{settings,x}.json", .block),
        ("ln -s ~/.claude /tmp/l && echo {} > /tmp/l/settings.json", .block),
        ("cp ~/.local/bin/toolguard /tmp/x && /tmp/x trust", .block),
        // `$(echo trust)` prints known text (issue 8): this is `toolguard trust`.
        ("toolguard $(echo trust)", .block),
        ("$(which toolguard) trust", .ask),
        ("python3 -c \"import os; os.remove(os.path.expanduser('~/.claude/settings.json'))\"", .block),
        ("python3 -c \"print(open('/etc/hosts').read())\"", .pass),
        ("cd sub && rm ../.claude/settings.json", .block),
        ("git restore .claude/settings.json", .block),
        ("find ~/.claude -delete", .block),
        ("find . -name '*.pyc' -delete", .pass),
    ]

    @Test("Commands that change toolguard's files are stopped; ordinary ones pass", arguments: commands)
    func command(command: String, verdict: Verdict) throws {
        let (fixture, protection) = try Self.installed()
        let judge = CommandJudge(ecosystems: [CodeRunner()], protection: protection)
        let report = judge.judge(
            command, directory: fixture.project, environment: ["HOME": fixture.home, "PATH": "/usr/bin:/bin"])
        #expect(report.verdict == verdict, "\(command): \(report.findings.map(\.reason))")
    }

    @Test("The hook protects the settings of every project above a nested one")
    func nestedProjectSettings() throws {
        let (fixture, _) = try Self.installed()
        // `sub` is a project of its own (a repository inside the repository).
        try fixture.write("ref: refs/heads/main\n", to: fixture.project + "/sub/.git/HEAD")
        let setup = GuardSetup(
            builtIn: [], directory: fixture.project + "/sub", environment: ["HOME": fixture.home],
            installedBinary: nil)
        let finding = setup.judge.protection?.judgeFileTool(
            path: fixture.project + "/.claude/settings.json", directory: fixture.project + "/sub", span: 0..<0)
        #expect(finding?.verdict == .block)
    }
}

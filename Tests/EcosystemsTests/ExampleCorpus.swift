import Ecosystems
import Foundation
import GuardKit
import Testing

/// One example from `ecosystems/<id>/examples.txt`.
struct Example: Sendable, CustomTestStringConvertible {
    let ecosystem: String
    let file: String
    let line: Int
    let verdict: Verdict
    let rule: String?
    let fixtures: [String]
    let command: String
    var fixContains: [String] = []

    var testDescription: String { "\(ecosystem)/\(fileName):\(line) \(verdict) \(command)" }
    /// The corpus file's name (`examples.txt`).
    var fileName: String { String(file.split(separator: "/").last ?? "") }
    /// Where a failure is reported: the example's own file and line.
    var sourceLocation: SourceLocation {
        SourceLocation(fileID: "ecosystems/\(ecosystem)/\(fileName)", filePath: file, line: line, column: 1)
    }
}

/// Reads every example corpus in the repository.
enum ExampleCorpus {
    static let repositoryRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        fatalError("cannot find the repository root from \(#filePath)")
    }()

    /// The directories under `ecosystems/` (one per corpus).
    static let directories: [String] = {
        let directory = repositoryRoot.appendingPathComponent("ecosystems")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { name in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(
                atPath: directory.appendingPathComponent(name).path, isDirectory: &isDirectory) && isDirectory.boolValue
        }.sorted()
    }()

    static let all: [Example] = {
        let directory = repositoryRoot.appendingPathComponent("ecosystems")
        var examples: [Example] = []
        for id in directories {
            // Every `.txt` file of a corpus holds examples (`examples.txt`, and topic files such as `runners.txt`).
            let folder = directory.appendingPathComponent(id)
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
                .filter { $0.hasSuffix(".txt") }.sorted()
            for name in names {
                let file = folder.appendingPathComponent(name)
                guard let text = try? String(contentsOf: file, encoding: .utf8) else { continue }
                examples += parse(text, ecosystem: id, file: file.path)
            }
        }
        return examples
    }()

    static func parse(_ text: String, ecosystem: String, file: String) -> [Example] {
        var examples: [Example] = []
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(rawLine)
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            if line.hasPrefix(" "), trimmed.hasPrefix("fix:") {
                let expected = trimmed.dropFirst(4).trimmingCharacters(in: .whitespaces)
                if !examples.isEmpty { examples[examples.count - 1].fixContains.append(expected) }
                continue
            }
            var rest = Substring(line)
            func column() -> String {
                rest = rest.drop { $0 == " " || $0 == "\t" }
                let value = rest.prefix { $0 != " " && $0 != "\t" }
                rest = rest.dropFirst(value.count)
                return String(value)
            }
            let verdictName = column()
            let rule = column()
            let fixtures = column()
            let command = String(rest.drop { $0 == " " || $0 == "\t" }).replacingOccurrences(of: "⏎", with: "\n")
            guard let verdict = Verdict(name: verdictName), !command.isEmpty else {
                // A malformed line is reported as a failing example rather than silently skipped.
                examples.append(
                    Example(
                        ecosystem: ecosystem, file: file, line: index + 1, verdict: .pass, rule: "malformed-line",
                        fixtures: [], command: line))
                continue
            }
            examples.append(
                Example(
                    ecosystem: ecosystem, file: file, line: index + 1, verdict: verdict,
                    rule: rule == "-" ? nil : rule,
                    fixtures: fixtures == "-" ? [] : fixtures.split(separator: ",").map(String.init),
                    command: command))
        }
        return examples
    }
}

/// A fixture built in a temporary directory, as `ecosystems/README.md` describes.
struct Fixture {
    let root: String
    var home: String { root + "/home" }
    var project: String { home + "/project" }
    var directory: String
    var environment: [String: String]
    /// Where the fixture's toolguard is installed (protected by self-protection).
    var installedBinary: String { home + "/.local/bin/toolguard" }
    /// What the fixture's installed binary holds.
    static let installedBinaryText = "#!/bin/sh\n# toolguard\nexit 0\n"

    /// The system toolchain in `/sys/bin`: every program a built-in module claims or reads inline code of
    /// (from the registry, so a new module's programs are there without editing this list), the versioned
    /// names distributions install for them, and toolguard itself.
    static let systemPrograms: [String] = {
        var programs = builtInEcosystems.flatMap { $0.programs + $0.inlineCodeOptions.keys.sorted() }
        programs += versionedSpellings + ["toolguard"]
        var seen: Set<String> = []
        return programs.filter { seen.insert($0).inserted }
    }()

    /// Names a distribution installs next to the plain one (`python3.12`): each reads as a registry program.
    static let versionedSpellings = ["pip3", "pip3.12", "python3", "python3.12"]

    init(_ names: [String]) throws {
        let fileManager = FileManager.default
        root = NSTemporaryDirectory() + "toolguard-fixture-" + UUID().uuidString
        try fileManager.createDirectory(atPath: root, withIntermediateDirectories: true)
        directory = ""
        environment = [:]
        directory = project
        let sysBin = root + "/sys/bin"
        // The system toolchain is the same in every fixture: one shared, read-only copy, linked in. Making
        // forty stubs per example cost most of the corpus's time on a machine with slow file systems.
        try FileManager.default.createSymbolicLink(atPath: root + "/sys", withDestinationPath: try Self.sharedSystem())
        try Self.makeDirectory(project)
        try Self.makeDirectory(root + "/tmp")
        // What a real installation leaves: the binary and the Claude Code settings that register it.
        // Its own bytes, unlike the toolchain's stubs: a copy of it is recognised by them (`exec:` fixtures can
        // make one with `installedBinaryText`).
        try Self.write(installedBinary, Self.installedBinaryText)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: installedBinary)
        try Self.write(home + "/.claude/settings.json", "{}")
        environment = [
            "HOME": home, "PATH": sysBin, "XDG_CONFIG_HOME": home + "/.config",
            "XDG_STATE_HOME": home + "/.local/state",
        ]
        var hasGit = true
        for name in names {
            try apply(name, hasGit: &hasGit)
        }
        if hasGit { try Self.makeDirectory(project + "/.git") }
    }

    /// A directory holding `bin/` with a stub for every system program, made once and reused across runs
    /// (its name carries a hash of the program list, so a changed list makes a new one).
    static func sharedSystem() throws -> String {
        try sharedSystemDirectory.get()
    }

    private static let sharedSystemDirectory: Result<String, any Error> = Result {
        var hash: UInt64 = 14_695_981_039_346_656_037
        for byte in systemPrograms.joined(separator: "\n").utf8 { hash = (hash ^ UInt64(byte)) &* 1_099_511_628_211 }
        let directory = NSTemporaryDirectory() + "toolguard-fixture-sys-" + String(hash, radix: 16)
        if FileManager.default.fileExists(atPath: directory + "/bin/" + systemPrograms.last!) { return directory }
        // Built aside and renamed into place, so concurrent test processes never see half a directory.
        let staging = directory + ".staging-" + UUID().uuidString
        for program in systemPrograms { try makeExecutable(staging + "/bin/" + program) }
        if rename(staging, directory) != 0 { try? FileManager.default.removeItem(atPath: staging) }
        return directory
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: root)
    }

    func substitute(_ text: String) -> String {
        text.replacingOccurrences(of: "{project}", with: project).replacingOccurrences(of: "{home}", with: home)
            .replacingOccurrences(of: "{root}", with: root)
    }

    private func path(_ written: String) -> String {
        if written.hasPrefix("~/") { return home + "/" + written.dropFirst(2) }
        if written.hasPrefix("/") { return written }
        return project + "/" + written
    }

    private func venv(at venv: String) throws {
        try Self.write(venv + "/pyvenv.cfg", "home = \(root)/sys/bin\n")
        for program in ["python", "python3", "pip", "pip3"] { try Self.makeExecutable(venv + "/bin/" + program) }
        try Self.write(venv + "/bin/activate", "# activate\n")
    }

    private mutating func apply(_ name: String, hasGit: inout Bool) throws {
        switch name {
        case "home": directory = home
        case "outside": directory = root + "/tmp"
        case "subdir":
            directory = project + "/src"
            try Self.makeDirectory(directory)
        case "venv": try venv(at: project + "/.venv")
        case "active":
            try venv(at: project + "/.venv")
            environment["VIRTUAL_ENV"] = project + "/.venv"
            environment["PATH"] = project + "/.venv/bin:" + (environment["PATH"] ?? "")
        case "fakevenv":
            for program in ["python", "pip"] { try Self.makeExecutable(project + "/.venv/bin/" + program) }
        case "pyenv":
            for program in ["pip", "pip3", "python", "python3"] {
                try Self.makeExecutable(home + "/.pyenv/shims/" + program)
                try Self.makeExecutable(home + "/.pyenv/versions/3.12.0/bin/" + program)
            }
            environment["PATH"] = home + "/.pyenv/shims:" + (environment["PATH"] ?? "")
        case "conda":
            let base = home + "/miniconda3"
            for directory in ["conda-meta", "condabin", "envs", "pkgs"] {
                try Self.makeDirectory(base + "/" + directory)
            }
            for program in ["python", "pip", "conda"] { try Self.makeExecutable(base + "/bin/" + program) }
            environment["PATH"] = base + "/bin:" + (environment["PATH"] ?? "")
            environment["CONDA_PREFIX"] = base
            environment["CONDA_DEFAULT_ENV"] = "base"
        case "pyproject": try Self.write(project + "/pyproject.toml", "[project]\nname = \"demo\"\n")
        case "uv":
            try Self.write(project + "/pyproject.toml", "[project]\nname = \"demo\"\n")
            try Self.write(project + "/uv.lock", "")
        case "poetry":
            try Self.write(project + "/pyproject.toml", "[tool.poetry]\nname = \"demo\"\n")
            try Self.write(project + "/poetry.lock", "")
        case "pdm":
            try Self.write(project + "/pyproject.toml", "[project]\nname = \"demo\"\n")
            try Self.write(project + "/pdm.lock", "")
        case "pipenv": try Self.write(project + "/Pipfile", "")
        case "requirements": try Self.write(project + "/requirements.txt", "requests\n")
        case "package": try Self.write(project + "/package.json", "{\"name\": \"demo\"}\n")
        case "node_modules": try Self.makeDirectory(project + "/node_modules")
        case "home_node_modules": try Self.makeDirectory(home + "/node_modules")
        case "gemfile": try Self.write(project + "/Gemfile", "source \"https://rubygems.org\"\n")
        case "cargo": try Self.write(project + "/Cargo.toml", "[package]\nname = \"demo\"\n")
        case "gomod": try Self.write(project + "/go.mod", "module example.com/demo\n")
        case "composer": try Self.write(project + "/composer.json", "{}")
        case "deno": try Self.write(project + "/deno.json", "{}")
        case "dotnet-manifest":
            try Self.write(project + "/.config/dotnet-tools.json", "{\"version\": 1, \"isRoot\": true, \"tools\": {}}")
        case "system-enabled": try Self.write(project + "/.toolguard.json", "{\"enable\": [\"system\"]}")
        case "nogit": hasGit = false
        default:
            if name.hasPrefix("write:") || name.hasPrefix("exec:"), let equals = name.firstIndex(of: "=") {
                let isExecutable = name.hasPrefix("exec:")
                let written = substitute(
                    String(name[name.index(name.startIndex, offsetBy: isExecutable ? 5 : 6)..<equals]))
                let text = Self.unescape(substitute(String(name[name.index(after: equals)...])))
                try Self.write(path(written), text.hasSuffix("\n") ? text : text + "\n")
                if isExecutable {
                    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path(written))
                }
            } else if name.hasPrefix("file:") {
                // A file in a `bin/` directory is a program: it is made executable, so PATH lookup finds it.
                let file = path(String(name.dropFirst(5)))
                if (file as NSString).deletingLastPathComponent.hasSuffix("/bin") {
                    try Self.makeExecutable(file)
                } else {
                    try Self.write(file, "")
                }
            } else if name.hasPrefix("dir:") {
                try Self.makeDirectory(path(String(name.dropFirst(4))))
            } else if name.hasPrefix("env:"), let equals = name.firstIndex(of: "=") {
                let variable = String(name[name.index(name.startIndex, offsetBy: 4)..<equals])
                environment[variable] = substitute(String(name[name.index(after: equals)...]))
            } else if name.hasPrefix("cwd:") {
                directory = path(String(name.dropFirst(4)))
                try Self.makeDirectory(directory)
            } else {
                throw FixtureError.unknown(name)
            }
        }
    }

    enum FixtureError: Error { case unknown(String) }

    /// A `write:` or `exec:` fixture's text: `\n` is a newline, `\s` a space, `\t` a tab and `\c` a comma
    /// (the fixture column holds no spaces, and commas separate fixtures).
    static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "\\n", with: "\n").replacingOccurrences(of: "\\s", with: " ")
            .replacingOccurrences(of: "\\t", with: "\t").replacingOccurrences(of: "\\c", with: ",")
    }

    static func makeDirectory(_ path: String) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    static func write(_ path: String, _ text: String) throws {
        try makeDirectory((path as NSString).deletingLastPathComponent)
        try text.write(toFile: path, atomically: false, encoding: .utf8)
    }

    static func makeExecutable(_ path: String) throws {
        try write(path, "#!/bin/sh\nexit 0\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
    }
}

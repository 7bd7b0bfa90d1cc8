import Foundation
import GuardKit
import Testing

private let command = "/usr/local/bin/toolguard hook"
private let rules = ["Bash(npm install -g *)", "Bash(pip install --user *)"]

private func handler(_ command: String) -> JSONValue {
    ["type": "command", "command": .string(command)]
}

/// A handler as install writes it: failing closed with a timeout.
private func installed(_ command: String) -> JSONValue {
    .object(ClaudeSettings.handler(command))
}

private func group(_ matcher: String, _ handlers: JSONValue...) -> JSONValue {
    ["matcher": .string(matcher), "hooks": .array(handlers)]
}

private func parse(_ text: String) throws -> JSONValue {
    try JSONValue.parse(text)
}

/// A settings file with keys, hooks and rules of the user's own.
private let userSettings = """
    {
      "model": "opus",
      "hooks": {
        "PostToolUse": [{"matcher": "Edit", "hooks": [{"type": "command", "command": "prettier --write"}]}],
        "PreToolUse": [
          {"matcher": "Bash", "hooks": [{"type": "command", "command": "~/bin/audit-log", "timeout": 5}]},
          {"matcher": "Read", "hooks": [{"type": "command", "command": "~/bin/secrets-guard"}]}
        ]
      },
      "permissions": {"allow": ["Bash(npm test)"], "deny": ["Bash(rm -rf *)", "Bash(npm install -g *)"], "defaultMode": "default"},
      "env": {"FOO": "1"}
    }
    """

@Suite("Claude settings: editing values")
struct SettingsEditingTests {
    @Test("install into {} adds both hook groups and the deny rules")
    func installIntoEmpty() throws {
        let result = try ClaudeSettings.install(into: [:], hookCommand: command, denyRules: rules)
        let expected: JSONValue = [
            "hooks": [
                "PreToolUse": [group("Bash", installed(command)), group("Write|Edit|MultiEdit", installed(command))]
            ],
            "permissions": ["deny": ["Bash(npm install -g *)", "Bash(pip install --user *)"]],
        ]
        #expect(result == expected)
    }

    @Test("install keeps every other key, entry and order, appends at the end, duplicates nothing")
    func installKeepsEverything() throws {
        let original = try parse(userSettings)
        let result = try ClaudeSettings.install(into: original, hookCommand: command, denyRules: rules)

        #expect(result.objectValue?.keys == ["model", "hooks", "permissions", "env"])
        #expect(result["model"] == "opus")
        #expect(result["env"] == original["env"])
        #expect(result["hooks"]?.objectValue?.keys == ["PostToolUse", "PreToolUse"])
        #expect(result["hooks"]?["PostToolUse"] == original["hooks"]?["PostToolUse"])
        let groups = try #require(result["hooks"]?["PreToolUse"]?.arrayValue)
        #expect(groups.count == 4)
        #expect(groups[0] == original["hooks"]?["PreToolUse"]?[0])
        #expect(groups[1] == original["hooks"]?["PreToolUse"]?[1])
        #expect(groups[2] == group("Bash", installed(command)))
        #expect(groups[3] == group("Write|Edit|MultiEdit", installed(command)))
        #expect(result["permissions"]?.objectValue?.keys == ["allow", "deny", "defaultMode"])
        #expect(result["permissions"]?["allow"] == original["permissions"]?["allow"])
        #expect(
            result["permissions"]?["deny"]
                == ["Bash(rm -rf *)", "Bash(npm install -g *)", "Bash(pip install --user *)"])
    }

    @Test("installing twice gives the identical value")
    func idempotent() throws {
        for original in [JSONValue.object([:]), try parse(userSettings)] {
            let once = try ClaudeSettings.install(into: original, hookCommand: command, denyRules: rules)
            let twice = try ClaudeSettings.install(into: once, hookCommand: command, denyRules: rules)
            #expect(twice == once)
        }
    }

    @Test("a re-install from a new path updates the old handlers in place")
    func reinstallReplaces() throws {
        let old = try ClaudeSettings.install(
            into: try parse(userSettings), hookCommand: "/old/toolguard hook", denyRules: rules)
        let new = try ClaudeSettings.install(into: old, hookCommand: "'/new place/toolguard' hook", denyRules: rules)
        let groups = try #require(new["hooks"]?["PreToolUse"]?.arrayValue)
        #expect(groups.count == 4)
        #expect(groups[2] == group("Bash", installed("'/new place/toolguard' hook")))
        #expect(groups[3] == group("Write|Edit|MultiEdit", installed("'/new place/toolguard' hook")))
    }

    @Test("a toolguard handler in the user's own group counts, keeping the group's other handlers and fields")
    func handlerInUserGroup() throws {
        let original: JSONValue = [
            "hooks": [
                "PreToolUse": [
                    group(
                        "Bash", handler("~/bin/audit-log"),
                        ["type": "command", "command": "/opt/toolguard hook", "timeout": 5])
                ]
            ]
        ]
        let result = try ClaudeSettings.install(into: original, hookCommand: command, denyRules: [])
        let groups = try #require(result["hooks"]?["PreToolUse"]?.arrayValue)
        #expect(groups.count == 2)
        #expect(
            groups[0]
                == group(
                    "Bash", handler("~/bin/audit-log"),
                    ["type": "command", "command": .string(command), "timeout": 5, "onFailure": "block"]))
        #expect(groups[1] == group("Write|Edit|MultiEdit", installed(command)))
        #expect(result["permissions"] == nil, "no deny rules to add: permissions is not created")
    }

    @Test("duplicate toolguard handlers under one matcher are reduced to one")
    func duplicatesRemoved() throws {
        let original: JSONValue = [
            "hooks": ["PreToolUse": [group("Bash", handler(command)), group("Bash", handler("/x/toolguard hook"))]]
        ]
        let result = try ClaudeSettings.install(into: original, hookCommand: command, denyRules: [])
        #expect(
            result["hooks"]?["PreToolUse"]
                == [group("Bash", installed(command)), group("Write|Edit|MultiEdit", installed(command))])
    }

    @Test(
        "values of the wrong type are refused with their key path",
        arguments: [
            (#"{"hooks": []}"#, "hooks"),
            (#"{"hooks": {"PreToolUse": {}}}"#, "hooks.PreToolUse"),
            (#"{"permissions": null}"#, "permissions"),
            (#"{"permissions": {"deny": "Bash(x)"}}"#, "permissions.deny"),
        ])
    func wrongTypes(_ text: String, _ keyPath: String) throws {
        let error = try #require(throws: SettingsError.self) {
            try ClaudeSettings.install(into: try parse(text), hookCommand: command, denyRules: rules)
        }
        guard case .unexpectedType(let reportedKeyPath, _, _) = error.problem else {
            Issue.record("unexpected problem \(error.problem)")
            return
        }
        #expect(reportedKeyPath == keyPath)
        #expect(error.description.contains("`\(keyPath)`"))
    }

    @Test("a top level that is not an object is refused")
    func notAnObject() throws {
        let error = try #require(throws: SettingsError.self) {
            try ClaudeSettings.install(into: ["a", "b"], hookCommand: command, denyRules: rules)
        }
        #expect(error.problem == .notAnObject(found: "an array"))
    }

    static let originals: [String] = [
        "{}",
        userSettings,
        #"{"hooks": {}, "permissions": {"deny": []}}"#,
        #"{"hooks": {"PreToolUse": []}, "permissions": {}}"#,
        #"{"hooks": {"PreToolUse": [{"matcher": "Bash", "hooks": []}]}}"#,
        #"{"permissions": {"deny": ["Bash(pip install --user *)"]}, "z": 1}"#,
    ]

    @Test("install then uninstall with the derived record gives back the original", arguments: originals)
    func roundTrip(_ text: String) throws {
        let original = try parse(text)
        let installed = try ClaudeSettings.install(into: original, hookCommand: command, denyRules: rules)
        let record = InstallRecord(before: original.objectValue, after: installed.objectValue!, hookCommand: command)
        let uninstalled = try ClaudeSettings.uninstall(from: installed, record: record, denyRules: rules)
        #expect(uninstalled == original)
    }

    @Test("the record lists exactly what install added")
    func record() throws {
        let original = try parse(#"{"permissions": {"deny": ["Bash(npm install -g *)"]}}"#)
        let installed = try ClaudeSettings.install(into: original, hookCommand: command, denyRules: rules)
        let record = InstallRecord(before: original.objectValue, after: installed.objectValue!, hookCommand: command)
        #expect(
            record
                == InstallRecord(
                    hookCommand: command, createdFile: false, createdKeys: ["hooks.PreToolUse", "hooks"],
                    addedDenyRules: ["Bash(pip install --user *)"]))
        let fresh = InstallRecord(before: nil, after: installed.objectValue!, hookCommand: command)
        #expect(fresh.createdFile)
        #expect(fresh.createdKeys == ["hooks.PreToolUse", "hooks", "permissions.deny", "permissions"])
    }

    @Test("without a record, uninstall removes toolguard's handlers, its rules and what that empties")
    func uninstallWithoutRecord() throws {
        let installed = try ClaudeSettings.install(
            into: try parse(userSettings), hookCommand: "/old/toolguard hook", denyRules: rules)
        let result = try ClaudeSettings.uninstall(from: installed, record: nil, denyRules: rules)
        var expected = try parse(userSettings).objectValue!
        var permissions = expected["permissions"]!.objectValue!
        permissions["deny"] = ["Bash(rm -rf *)"]  // the user's own copy of a toolguard rule goes too
        expected["permissions"] = .object(permissions)
        #expect(result == .object(expected))

        let fromEmpty = try ClaudeSettings.install(into: [:], hookCommand: command, denyRules: rules)
        #expect(try ClaudeSettings.uninstall(from: fromEmpty, record: nil, denyRules: rules) == [:])
    }

    @Test("uninstall keeps handlers that only look similar")
    func uninstallKeepsOthers() throws {
        let original: JSONValue = [
            "hooks": [
                "PreToolUse": [
                    group(
                        "Bash", handler("toolguard explain"), handler("/bin/toolguard-old hook"),
                        ["type": "http", "command": "/x/toolguard hook"])
                ]
            ]
        ]
        #expect(try ClaudeSettings.uninstall(from: original, record: nil, denyRules: rules) == original)
    }

    @Test("status reports the registrations and the missing deny rules")
    func status() throws {
        let installed = try ClaudeSettings.install(into: [:], hookCommand: command, denyRules: [rules[0]])
        let status = ClaudeSettings.status(of: installed, hookCommand: command, denyRules: rules)
        #expect(status.hasBashHook && status.hasFileToolsHook)
        #expect(status.presentDenyRules == [rules[0]])
        #expect(status.missingDenyRules == [rules[1]])
        #expect(!status.isComplete)
        let complete = try ClaudeSettings.install(into: installed, hookCommand: command, denyRules: rules)
        #expect(ClaudeSettings.status(of: complete, hookCommand: command, denyRules: rules).isComplete)
        #expect(ClaudeSettings.status(of: [:], hookCommand: command, denyRules: rules).registrations.isEmpty)
    }

    @Test(
        "hook commands are quoted for sh and recognised",
        arguments: [
            ("/usr/local/bin/toolguard", "/usr/local/bin/toolguard hook --agent claude"),
            ("/Users/Jo Doe/bin/toolguard", "'/Users/Jo Doe/bin/toolguard' hook --agent claude"),
            ("/tmp/it's/toolguard", #"'/tmp/it'\''s/toolguard' hook --agent claude"#),
        ])
    func hookCommand(_ binary: String, _ expected: String) {
        let command = ClaudeSettings.hookCommand(binaryPath: binary)
        #expect(command == expected)
        #expect(ClaudeSettings.isToolguardHookCommand(command))
    }

    @Test(
        "other commands are not toolguard's hook",
        arguments: [
            "toolguard explain x", "/bin/toolguard-old hook", "~/bin/audit-log", "toolguard", "hook toolguard", "",
        ])
    func notHookCommand(_ command: String) {
        #expect(!ClaudeSettings.isToolguardHookCommand(command))
    }

    @Test("scopes map to Claude Code's settings files")
    func scopes() {
        #expect(
            ClaudeSettings.Scope.user.settingsPath(home: "/home/u", projectRoot: "/repo")
                == "/home/u/.claude/settings.json")
        #expect(
            ClaudeSettings.Scope.project.settingsPath(home: "/home/u", projectRoot: "/repo")
                == "/repo/.claude/settings.json")
        #expect(
            ClaudeSettings.Scope.local.settingsPath(home: "/home/u", projectRoot: "/repo/")
                == "/repo/.claude/settings.local.json")
        #expect(ClaudeSettings.Scope(rawValue: "project") == .project)
    }
}

@Suite("Claude settings: files")
struct SettingsFileTests {
    @Test("install into a missing file creates it in the pretty format; a second run changes nothing")
    func createThenUnchanged() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("home/.claude/settings.json")
        let ledger = directory.file("state/claude-installs.json")

        #expect(
            try ClaudeSettings.installSettings(at: path, hookCommand: command, denyRules: rules, ledgerPath: ledger)
                == .created)
        let expected = try ClaudeSettings.install(into: [:], hookCommand: command, denyRules: rules)
        let written = try #require(directory.bytes("home/.claude/settings.json"))
        #expect(written == Array(expected.serialized(style: .pretty(indent: 2), trailingNewline: true).utf8))
        #expect(written.last == UInt8(ascii: "\n"))
        #expect(String(decoding: written, as: UTF8.self).hasPrefix("{\n  \"hooks\": {\n    \"PreToolUse\": [\n"))
        #expect(!directory.exists("home/.claude/settings.json.bak"), "there was nothing to back up")

        let inode = try directory.inode("home/.claude/settings.json")
        #expect(
            try ClaudeSettings.installSettings(at: path, hookCommand: command, denyRules: rules, ledgerPath: ledger)
                == .unchanged)
        #expect(directory.bytes("home/.claude/settings.json") == written)
        #expect(try directory.inode("home/.claude/settings.json") == inode, "not rewritten")
    }

    @Test("install into an existing file keeps its content, backs it up, and a second run is byte-identical")
    func existingFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("settings.json", userSettings)
        let path = directory.file("settings.json")

        #expect(
            try ClaudeSettings.installSettings(at: path, hookCommand: command, denyRules: rules, ledgerPath: nil)
                == .updated)
        #expect(directory.text("settings.json.bak") == userSettings)
        let first = try #require(directory.bytes("settings.json"))
        let value = try JSONValue.parse(first)
        #expect(
            value == (try ClaudeSettings.install(into: try parse(userSettings), hookCommand: command, denyRules: rules))
        )

        #expect(
            try ClaudeSettings.installSettings(at: path, hookCommand: command, denyRules: rules, ledgerPath: nil)
                == .unchanged)
        #expect(directory.bytes("settings.json") == first)
        #expect(directory.text("settings.json.bak") == userSettings, "the backup is not overwritten by a no-op")
    }

    @Test("install then uninstall gives back the original value, and the original bytes when it was in our format")
    func roundTripFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("settings.json")
        let ledger = directory.file("state/ledger.json")
        for original in SettingsEditingTests.originals {
            let pretty = try parse(original).serialized(style: .pretty(indent: 2), trailingNewline: true)
            for text in [original, pretty] {
                try directory.write("settings.json", text)
                try ClaudeSettings.installSettings(at: path, hookCommand: command, denyRules: rules, ledgerPath: ledger)
                try ClaudeSettings.uninstallSettings(at: path, denyRules: rules, ledgerPath: ledger)
                #expect(try JSONValue.parse(directory.bytes("settings.json")!) == (try parse(original)))
                if text == pretty {
                    #expect(directory.text("settings.json") == pretty)
                }
                #expect(try InstallLedger.read(at: ledger).settingsPaths.isEmpty, "the record is dropped")
            }
        }
    }

    @Test("a deny rule the user had before install survives uninstall")
    func preexistingRuleSurvives() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let original = #"{"permissions": {"deny": ["Bash(npm install -g *)"]}}"#
        try directory.write("settings.json", original)
        let path = directory.file("settings.json")
        let ledger = directory.file("ledger.json")
        try ClaudeSettings.installSettings(at: path, hookCommand: command, denyRules: rules, ledgerPath: ledger)
        // A second install with a newer rule list records the new rule as well.
        try ClaudeSettings.installSettings(
            at: path, hookCommand: "/new/toolguard hook", denyRules: rules + ["Bash(gem install *)"], ledgerPath: ledger
        )
        let record = try #require(try InstallLedger.read(at: ledger)[path])
        #expect(record.addedDenyRules == ["Bash(pip install --user *)", "Bash(gem install *)"])
        #expect(record.hookCommand == "/new/toolguard hook")

        #expect(try ClaudeSettings.uninstallSettings(at: path, denyRules: rules, ledgerPath: ledger) == .updated)
        #expect(try JSONValue.parse(directory.bytes("settings.json")!) == (try parse(original)))
    }

    @Test("a file install created is removed by uninstall when nothing else is in it")
    func createdFileRemoved() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file(".claude/settings.json")
        let ledger = directory.file("ledger.json")
        try ClaudeSettings.installSettings(at: path, hookCommand: command, denyRules: rules, ledgerPath: ledger)
        #expect(try ClaudeSettings.uninstallSettings(at: path, denyRules: rules, ledgerPath: ledger) == .removed)
        #expect(!directory.exists(".claude/settings.json"))
        #expect(try ClaudeSettings.uninstallSettings(at: path, denyRules: rules, ledgerPath: ledger) == .unchanged)
        #expect(!directory.exists(".claude/settings.json"), "uninstall does not create a file")
    }

    @Test("a file install created but the user added to is kept")
    func createdFileWithUserContentKept() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("settings.json")
        let ledger = directory.file("ledger.json")
        try ClaudeSettings.installSettings(at: path, hookCommand: command, denyRules: rules, ledgerPath: ledger)
        var value = try #require(try ClaudeSettings.readSettings(at: path))
        value["model"] = "opus"
        try FileIO.writeAtomically(path: path, contents: ClaudeSettings.serialized(value))
        #expect(try ClaudeSettings.uninstallSettings(at: path, denyRules: rules, ledgerPath: ledger) == .updated)
        #expect(try ClaudeSettings.readSettings(at: path) == ["model": "opus"])
    }

    @Test(
        "a file that is not a JSON object is refused and left untouched",
        arguments: [
            ("{\n  \"model\": \"opus\",\n}\n", 3, 1),  // trailing comma
            ("{\"a\": 1} // comment", 1, 10),
            ("", 1, 1),
            ("[1, 2]", nil, nil),
        ] as [(String, Int?, Int?)])
    func brokenFileRefused(_ text: String, _ line: Int?, _ column: Int?) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("settings.json", text)
        let path = directory.file("settings.json")
        let ledger = directory.file("ledger.json")
        let before = try #require(directory.bytes("settings.json"))

        for operation in ["install", "uninstall"] {
            let error = try #require(throws: SettingsError.self) {
                if operation == "install" {
                    try ClaudeSettings.installSettings(
                        at: path, hookCommand: command, denyRules: rules, ledgerPath: ledger)
                } else {
                    try ClaudeSettings.uninstallSettings(at: path, denyRules: rules, ledgerPath: ledger)
                }
            }
            #expect(error.path == path)
            #expect(error.description.hasPrefix(path + ": "))
            #expect(error.description.contains("nothing was changed"))
            switch error.problem {
            case .invalidJSON(let json):
                #expect(json.line == line)
                #expect(json.column == column)
                #expect(error.description.contains("line \(line ?? 0), column \(column ?? 0)"))
            case .notAnObject:
                #expect(line == nil)
            default:
                Issue.record("unexpected problem \(error.problem)")
            }
            #expect(directory.bytes("settings.json") == before)
            #expect(try directory.entries() == ["settings.json"], "no backup, no ledger, no temporary file")
        }
    }

    @Test("a settings file behind a symlink stays a symlink")
    func symlinkedSettings() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("dotfiles/settings.json", "{}\n")
        try FileManager.default.createSymbolicLink(
            atPath: directory.file("settings.json"), withDestinationPath: directory.file("dotfiles/settings.json"))
        try ClaudeSettings.installSettings(
            at: directory.file("settings.json"), hookCommand: command, denyRules: rules, ledgerPath: nil)
        let destination = try FileManager.default.destinationOfSymbolicLink(atPath: directory.file("settings.json"))
        #expect(destination == directory.file("dotfiles/settings.json"))
        #expect(try ClaudeSettings.readSettings(at: directory.file("dotfiles/settings.json"))?["hooks"] != nil)
    }

    @Test("the ledger round-trips and refuses what it did not write")
    func ledger() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var ledger = InstallLedger()
        let record = InstallRecord(
            hookCommand: command, createdFile: true, createdKeys: ["hooks"], addedDenyRules: rules)
        ledger["/home/u//.claude/settings.json"] = record
        #expect(ledger["/home/u/.claude/settings.json"] == record, "paths are normalized")
        try ledger.write(to: directory.file("ledger.json"))
        #expect(try InstallLedger.read(at: directory.file("ledger.json")) == ledger)
        #expect(try InstallLedger.read(at: directory.file("absent.json")) == InstallLedger())

        try directory.write("bad.json", #"{"schema": 2, "installs": {}}"#)
        #expect(throws: SettingsError.self) { try InstallLedger.read(at: directory.file("bad.json")) }
        let locations = try #require(Locations(environment: ["HOME": "/home/u", "XDG_STATE_HOME": "/s"]))
        #expect(locations.installLedger == "/s/toolguard/claude-installs.json")
    }
}

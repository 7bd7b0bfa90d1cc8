import Foundation
import GuardKit
import Testing

@Suite("Configuration resolution")
struct ConfigurationTests {
    typealias Origin = Configuration.Origin

    @Test("With no config at all, every built-in ecosystem is on, fail closed, tool installers allowed")
    func defaults() throws {
        let fixture = try TemporaryHome()
        let config = fixture.resolve()
        #expect(config.enabledEcosystems == TemporaryHome.builtIn)
        #expect(config.failMode == .closed)
        #expect(config.allowsToolInstallers)
        #expect(config.errors.isEmpty)
        #expect(config.notices.isEmpty)
        #expect(config.ignoredWeakening == nil)
        #expect(config.sources.userConfig == fixture.userConfig)
        #expect(config.sources.userConfigStatus == .absent)
        #expect(config.sources.repoFile == fixture.repoFile)
        #expect(config.sources.repoFileStatus == .absent)
        #expect(config.sources.ecosystems.map(\.enabled.origin) == Array(repeating: Origin.builtInDefault, count: 5))
        #expect(config.sources.failMode.origin == .builtInDefault)
    }

    @Test("The user config restricts the ecosystems, in built-in order")
    func userConfigRestricts() throws {
        let fixture = try TemporaryHome()
        try fixture.write(#"{"enable": ["node", "python"]}"#, to: fixture.userConfig)
        let config = fixture.resolve()
        #expect(config.enabledEcosystems == ["python", "node"])
        #expect(config.isEnabled("python"))
        #expect(!config.isEnabled("ruby"))
        #expect(config.sources.userConfigStatus == .loaded)
        let ruby = try #require(config.sources.ecosystems.first { $0.id == "ruby" })
        #expect(ruby.enabled == .init(false, origin: .userConfig))
    }

    @Test("The user config sets the fail mode and the tool-installer judgement call")
    func userConfigScalars() throws {
        let fixture = try TemporaryHome()
        try fixture.write(#"{"failMode": "open", "allowToolInstallers": false}"#, to: fixture.userConfig)
        let config = fixture.resolve()
        #expect(config.failMode == .open)
        #expect(!config.allowsToolInstallers)
        #expect(config.sources.failMode.origin == .userConfig)
        #expect(config.sources.allowsToolInstallers.origin == .userConfig)
        #expect(config.enabledEcosystems == TemporaryHome.builtIn)
    }

    @Test("XDG_CONFIG_HOME moves the user config; a relative XDG_CONFIG_HOME is ignored")
    func xdgConfigHome() throws {
        let fixture = try TemporaryHome()
        let xdg = fixture.root + "/xdg-config"
        try fixture.write(#"{"enable": ["go"]}"#, to: xdg + "/toolguard/config.json")
        fixture.extraEnvironment = ["XDG_CONFIG_HOME": xdg]
        #expect(fixture.resolve().enabledEcosystems == ["go"])

        fixture.extraEnvironment = ["XDG_CONFIG_HOME": "relative/xdg-config"]
        #expect(fixture.resolve().enabledEcosystems == TemporaryHome.builtIn)
    }

    @Test("A repo file switches an ecosystem on without being trusted")
    func repoFileAddsEcosystem() throws {
        let fixture = try TemporaryHome()
        try fixture.write(#"{"enable": ["python"]}"#, to: fixture.userConfig)
        try fixture.write(#"{"enable": ["python", "node"]}"#, to: fixture.repoFile)
        let config = fixture.resolve()
        #expect(config.enabledEcosystems == ["python", "node"])
        #expect(config.notices.isEmpty)
        #expect(config.ignoredWeakening == nil)
        #expect(config.sources.trust == .notNeeded)
        let node = try #require(config.sources.ecosystems.first { $0.id == "node" })
        #expect(node.enabled == .init(true, origin: .repoFile))
    }

    @Test("An untrusted repo file that leaves an ecosystem out is ignored for it, with a notice naming the fix")
    func untrustedRepoFileCannotDisable() throws {
        let fixture = try TemporaryHome()
        try fixture.write(#"{"enable": ["python", "node"]}"#, to: fixture.userConfig)
        try fixture.write(#"{"enable": ["node"]}"#, to: fixture.repoFile)
        let config = fixture.resolve()
        #expect(config.enabledEcosystems == ["python", "node"])
        #expect(config.sources.trust == .untrusted)
        let python = try #require(config.sources.ecosystems.first { $0.id == "python" })
        #expect(python.enabled == .init(true, origin: .userConfig, ignoredRepoValue: false))

        let ignored = try #require(config.ignoredWeakening)
        #expect(ignored.disabledEcosystems == ["python"])
        #expect(ignored.trustCommand == "toolguard trust \(fixture.project)")
        #expect(
            config.notices == [
                "toolguard: ignoring the parts of \(fixture.repoFile) that weaken protection (it leaves out python) "
                    + "because it is not trusted — to apply them, a person (not the agent) can run: "
                    + "toolguard trust \(fixture.project)"
            ])
    }

    @Test("After `trust`, the repo file's weakening parts apply; after it changes, they are ignored again")
    func trustLifecycle() throws {
        let fixture = try TemporaryHome()
        try fixture.write(#"{"enable": ["node"], "failMode": "open"}"#, to: fixture.repoFile)
        let store = TrustStore(locations: try fixture.locations())

        try store.trust(repoFile: fixture.repoFile)
        let trusted = fixture.resolve()
        #expect(trusted.enabledEcosystems == ["node"])
        #expect(trusted.failMode == .open)
        #expect(trusted.sources.trust == .trusted)
        #expect(trusted.sources.failMode.origin == .trustedRepoFile)
        #expect(trusted.sources.ecosystems.first?.enabled == .init(false, origin: .trustedRepoFile))
        #expect(trusted.notices.isEmpty)

        try fixture.write(#"{"enable": ["node"], "failMode": "open" }"#, to: fixture.repoFile)
        let changed = fixture.resolve()
        #expect(changed.enabledEcosystems == TemporaryHome.builtIn)
        #expect(changed.failMode == .closed)
        #expect(changed.sources.trust == .changedSinceTrusted)
        #expect(changed.ignoredWeakening?.failOpen == true)
        let notice = try #require(changed.notices.first)
        #expect(notice.contains("because it changed since it was trusted"))
        #expect(notice.contains("it leaves out python, ruby, rust, go; it sets \"failMode\": \"open\""))
        #expect(notice.hasSuffix("toolguard trust \(fixture.project)"))

        try store.trust(repoFile: fixture.repoFile)
        #expect(fixture.resolve().enabledEcosystems == ["node"])
        try store.untrust(repoFile: fixture.repoFile)
        #expect(fixture.resolve().enabledEcosystems == TemporaryHome.builtIn)
    }

    @Test("Stricter scalar settings in a repo file apply without trust; weaker ones do not")
    func repoScalars() throws {
        let fixture = try TemporaryHome()
        try fixture.write(#"{"failMode": "open", "allowToolInstallers": true}"#, to: fixture.userConfig)
        try fixture.write(#"{"failMode": "closed", "allowToolInstallers": false}"#, to: fixture.repoFile)
        let stricter = fixture.resolve()
        #expect(stricter.failMode == .closed)
        #expect(!stricter.allowsToolInstallers)
        #expect(stricter.sources.failMode.origin == .repoFile)
        #expect(stricter.sources.trust == .notNeeded)

        try fixture.write(#"{"allowToolInstallers": false}"#, to: fixture.userConfig)
        try fixture.write(#"{"allowToolInstallers": true}"#, to: fixture.repoFile)
        let weaker = fixture.resolve()
        #expect(!weaker.allowsToolInstallers)
        #expect(weaker.sources.allowsToolInstallers == .init(false, origin: .userConfig, ignoredRepoValue: true))
        #expect(weaker.ignoredWeakening?.allowToolInstallers == true)
        #expect(weaker.notices.first?.contains("it sets \"allowToolInstallers\": true") == true)
    }

    @Test("The trust store is not even read unless the repo file weakens something")
    func trustStoreReadLazily() throws {
        let fixture = try TemporaryHome()
        try fixture.write("not json", to: try fixture.locations().trustStore)
        try fixture.write(#"{"enable": ["python", "node", "ruby", "rust", "go"]}"#, to: fixture.repoFile)
        let strengthening = fixture.resolve()
        #expect(strengthening.notices.isEmpty)
        #expect(strengthening.sources.trust == .notNeeded)

        // Weakening: now the store is read, found broken, and the file treated as untrusted.
        try fixture.write(#"{"enable": ["node"]}"#, to: fixture.repoFile)
        let weakening = fixture.resolve()
        #expect(weakening.enabledEcosystems == TemporaryHome.builtIn)
        #expect(weakening.sources.trust == .untrusted)
        #expect(weakening.notices.count == 2)
        #expect(weakening.notices.last?.contains("is not a valid trust store") == true)
    }

    @Test("Outside a project only the user config applies")
    func noProject() throws {
        let fixture = try TemporaryHome()
        try fixture.write(#"{"enable": ["rust"]}"#, to: fixture.userConfig)
        let config = Configuration.resolve(
            builtIn: TemporaryHome.builtIn, environment: fixture.environment, projectRoot: nil)
        #expect(config.enabledEcosystems == ["rust"])
        #expect(config.sources.repoFile == nil)
        #expect(config.sources.repoFileStatus == .notLookedFor)
    }

    enum Which: Sendable { case user, repo }

    /// Broken files, which file holds it, and the exact reason the error must give.
    static let brokenFiles: [(which: Which, text: String, reason: String)] = [
        (
            .user, "{\"enable\": [\"python\"]\n \"failMode\": \"open\"}",
            "line 2, column 2: expected ',' or '}' after an object member, found '\"'"
        ),
        (.repo, "", "line 1, column 1: expected a value, found end of input"),
        (.user, "[\"python\"]", "expected a JSON object at the top level, found an array"),
        (.repo, #"{"enable": "python"}"#, #""enable" must be an array of ecosystem ids, found a string"#),
        (.user, #"{"enable": [1]}"#, #""enable" must be an array of ecosystem ids (strings), found a number"#),
        (.repo, #"{"failMode": false}"#, #""failMode" must be "closed" or "open", found a boolean"#),
        (.user, #"{"failMode": "opn"}"#, #""failMode" must be "closed" or "open", found "opn""#),
        (.repo, #"{"allowToolInstallers": "yes"}"#, #""allowToolInstallers" must be true or false, found a string"#),
        (
            .repo, #"{"enable": ["pyton"]}"#,
            #"unknown ecosystem "pyton" in "enable" (known: python, node, ruby, rust, go)"#
        ),
        (.user, #"{"enabled": []}"#, #"unknown key "enabled" (known keys: enable, failMode, allowToolInstallers)"#),
    ]

    @Test(
        "A broken config file gives one line naming the file and the problem, and the strictest settings",
        arguments: brokenFiles)
    func brokenFile(which: Which, text: String, reason: String) throws {
        let fixture = try TemporaryHome()
        // The other file is valid and as weak as possible, to show the fallback overrides it.
        let weak = #"{"enable": [], "failMode": "open", "allowToolInstallers": true}"#
        let broken = which == .user ? fixture.userConfig : fixture.repoFile
        try fixture.write(text, to: broken)
        try fixture.write(weak, to: which == .user ? fixture.repoFile : fixture.userConfig)

        let config = fixture.resolve()
        let error = try #require(config.errors.first)
        #expect(config.errors.count == 1)
        #expect(error.path == broken)
        #expect(error.reason == reason)
        #expect(
            error.description
                == "toolguard: \(broken): \(reason) — fix or remove the file; until then toolguard uses its strictest settings"
        )
        #expect(!error.description.contains("\n"))

        #expect(config.isStrictFallback)
        #expect(config.enabledEcosystems == TemporaryHome.builtIn)
        #expect(config.failMode == .closed)
        #expect(!config.allowsToolInstallers)
        #expect(config.sources.ecosystems.allSatisfy { $0.enabled.origin == .strictFallback })
        #expect((which == .user ? config.sources.userConfigStatus : config.sources.repoFileStatus) == .invalid)
    }

    @Test("A config path that is a directory is an unreadable file, and falls back to the strictest settings")
    func unreadableConfig() throws {
        let fixture = try TemporaryHome()
        try FileManager.default.createDirectory(atPath: fixture.userConfig, withIntermediateDirectories: true)
        let config = fixture.resolve()
        #expect(config.errors.first?.reason == "not a regular file")
        #expect(config.errors.first?.path == fixture.userConfig)
        #expect(!config.allowsToolInstallers)
    }

    @Test("`strictest` is every ecosystem on, fail closed, tool installers not allowed")
    func strictest() {
        let config = Configuration.strictest(builtIn: ["a", "b"])
        #expect(config.enabledEcosystems == ["a", "b"])
        #expect(config.failMode == .closed)
        #expect(!config.allowsToolInstallers)
    }

    @Test("A repo file repeated ids and key order do not matter; its digest is of the bytes read")
    func parsedFile() throws {
        let text = #"{"allowToolInstallers": false, "enable": ["go", "go"]}"#
        let file = try ConfigFile.parse(Array(text.utf8), path: "/p/.toolguard.json", builtIn: TemporaryHome.builtIn)
        #expect(file.enable == ["go"])
        #expect(file.allowToolInstallers == false)
        #expect(file.failMode == nil)
        // From `printf '%s' "$text" | sha256sum`.
        #expect(file.sha256 == "737eee29437a67a1e43ec4460149db3a586da9b46cd64a409a9e5a5cb0439250")
    }
}

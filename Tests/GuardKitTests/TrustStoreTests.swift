import Foundation
import GuardKit
import Testing

@Suite("Trust store")
struct TrustStoreTests {
    @Test("`trust` records the repo file's SHA-256 under its path, in the documented format")
    func trustWritesFormat() throws {
        let fixture = try TemporaryHome()
        let text = #"{"enable": ["node"]}"#
        try fixture.write(text, to: fixture.repoFile)
        let locations = try fixture.locations()
        let store = TrustStore(locations: locations)
        #expect(store.path == fixture.home + "/.local/state/toolguard/trusted.json")

        let entry = try store.trust(repoFile: fixture.repoFile)
        // From `printf '%s' "$text" | sha256sum`.
        let digest = "d2b2375afe70a5d1f6da675f5da558b9749c5b95f824581341d7ec1e501b5f63"
        #expect(entry == TrustStore.Entry(repoFile: fixture.repoFile, sha256: digest))
        #expect(try store.trustedDigest(for: fixture.repoFile) == digest)

        let written = try fixture.read(store.path)
        #expect(
            written == """
                {
                  "version": 1,
                  "trusted": {
                    "\(fixture.repoFile)": {
                      "sha256": "\(digest)"
                    }
                  }
                }

                """)
        #expect(try fixture.permissions(store.path) == 0o600)
        #expect(try fixture.permissions(locations.stateDirectory) == 0o700)
    }

    @Test("Paths are compared after normalization; other entries are kept; untrust removes one")
    func keysAndUntrust() throws {
        let fixture = try TemporaryHome()
        let store = TrustStore(path: fixture.root + "/state/trusted.json")
        let a = String(repeating: "a", count: 64)
        let b = String(repeating: "b", count: 64)
        try store.trust(repoFile: "/p//one/./sub/../.toolguard.json", sha256: a)
        try store.trust(repoFile: "/p/two/.toolguard.json", sha256: b)
        #expect(try store.trustedDigest(for: "/p/one/.toolguard.json") == a)
        #expect(try store.entries().map(\.repoFile) == ["/p/one/.toolguard.json", "/p/two/.toolguard.json"])

        #expect(try store.untrust(repoFile: "/p/one/.toolguard.json"))
        #expect(try store.trustedDigest(for: "/p/one/.toolguard.json") == nil)
        #expect(try store.trustedDigest(for: "/p/two/.toolguard.json") == b)
        #expect(try !store.untrust(repoFile: "/p/one/.toolguard.json"))
    }

    @Test("No store yet means nothing is trusted")
    func missingStore() throws {
        let store = TrustStore(path: try TemporaryHome().root + "/nowhere/trusted.json")
        #expect(try store.entries().isEmpty)
        #expect(try store.trustedDigest(for: "/p/.toolguard.json") == nil)
    }

    static let invalidStores: [(text: String, problem: String)] = [
        ("{", "line 1, column 2: expected a string key, found end of input"),
        (#"{"trusted": {}}"#, #"no "version" number"#),
        (#"{"version": 2, "trusted": {}}"#, "version 2 is not supported (this toolguard reads version 1)"),
        (#"{"version": 1}"#, #"no "trusted" object"#),
        (
            #"{"version": 1, "trusted": {"/p/.toolguard.json": {"sha256": "XYZ"}}}"#,
            #"the entry for /p/.toolguard.json has no valid "sha256""#
        ),
    ]

    @Test("A damaged store is an error that says so, and `trust` refuses to overwrite it", arguments: invalidStores)
    func invalidStore(text: String, problem: String) throws {
        let fixture = try TemporaryHome()
        let path = fixture.root + "/trusted.json"
        try fixture.write(text, to: path)
        let store = TrustStore(path: path)
        #expect(throws: TrustStoreError(path: path, problem: .invalid(problem))) {
            try store.trustedDigest(for: "/p/.toolguard.json")
        }
        #expect(throws: TrustStoreError.self) {
            try store.trust(repoFile: "/p/.toolguard.json", sha256: String(repeating: "0", count: 64))
        }
        #expect(try fixture.read(path) == text)
    }

    @Test("Trusting a repo file that does not exist fails and records nothing")
    func trustMissingRepoFile() throws {
        let fixture = try TemporaryHome()
        let store = TrustStore(locations: try fixture.locations())
        do {
            try store.trust(repoFile: fixture.repoFile)
            Issue.record("trusting a missing file succeeded")
        } catch {
            guard case .repoFile(let io) = error.problem else {
                Issue.record("unexpected problem \(error.problem)")
                return
            }
            #expect(io.isMissing)
            #expect(error.description.hasPrefix("toolguard: cannot read \(fixture.repoFile): no such file — "))
        }
        #expect(!FileManager.default.fileExists(atPath: store.path))
    }
}

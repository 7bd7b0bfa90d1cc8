import Foundation
import GuardKit
import Testing

@Suite("Pin and verify")
struct PinManifestTests {
    /// SHA-256 of "abc" (FIPS 180-4 example).
    static let abcDigest = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"

    @Test("pin writes the manifest; verify then succeeds")
    func pinThenVerify() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("bin/toolguard", "abc")
        let manifestPath = directory.file("config/toolguard/pin.json")

        let manifest = try Pin.pin(binaryPath: directory.file("bin/toolguard"), manifestPath: manifestPath)
        #expect(manifest == PinManifest(path: directory.file("bin/toolguard"), sha256: Self.abcDigest))
        let expectedText = """
            {
              "schema": 1,
              "path": "\(directory.file("bin/toolguard"))",
              "sha256": "\(Self.abcDigest)"
            }

            """
        #expect(directory.text("config/toolguard/pin.json") == expectedText)

        let result = Pin.verify(manifestPath: manifestPath)
        #expect(result == .ok(manifest))
        #expect(result.isOK)
        #expect(result.description.contains(Self.abcDigest))
    }

    @Test("a changed binary is a mismatch naming both hashes")
    func tampered() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("toolguard", "abc")
        let manifestPath = directory.file("pin.json")
        try Pin.pin(binaryPath: directory.file("toolguard"), manifestPath: manifestPath)
        try directory.write("toolguard", "abd")

        let result = Pin.verify(manifestPath: manifestPath)
        let actual = SHA256.hexDigest(SHA256.hash(Array("abd".utf8)))
        #expect(result == .mismatch(path: directory.file("toolguard"), expected: Self.abcDigest, actual: actual))
        #expect(!result.isOK)
        #expect(result.description.contains(Self.abcDigest) && result.description.contains(actual))
        #expect(result.description.contains("toolguard pin"))
    }

    @Test("no manifest means nothing is pinned")
    func missingManifest() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let result = Pin.verify(manifestPath: directory.file("pin.json"))
        #expect(result == .missingManifest(manifestPath: directory.file("pin.json")))
        #expect(!result.isOK)
        #expect(result.description.contains(directory.file("pin.json")))
    }

    @Test("a pinned binary that is gone is reported as missing")
    func missingBinary() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("toolguard", "abc")
        try Pin.pin(binaryPath: directory.file("toolguard"), manifestPath: directory.file("pin.json"))
        try FileManager.default.removeItem(atPath: directory.file("toolguard"))
        #expect(
            Pin.verify(manifestPath: directory.file("pin.json")) == .missingBinary(path: directory.file("toolguard")))
    }

    @Test(
        "a malformed manifest is unreadable, naming the manifest",
        arguments: [
            "not json",
            "[]",
            #"{"schema": 2, "path": "/x", "sha256": "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"}"#,
            #"{"schema": 1, "path": "x", "sha256": "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"}"#,
            #"{"schema": 1, "path": "/x", "sha256": "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD"}"#,
            #"{"schema": 1, "path": "/x", "sha256": "abc"}"#,
        ])
    func malformedManifest(_ text: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("pin.json", text)
        guard case .unreadable(let path, _) = Pin.verify(manifestPath: directory.file("pin.json")) else {
            Issue.record("expected unreadable")
            return
        }
        #expect(path == directory.file("pin.json"))
    }

    @Test("pinning a relative or missing path fails and writes nothing")
    func pinErrors() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        #expect(throws: PinError.self) {
            try Pin.pin(binaryPath: "toolguard", manifestPath: directory.file("pin.json"))
        }
        #expect(throws: PinError.self) {
            try Pin.pin(binaryPath: directory.file("absent"), manifestPath: directory.file("pin.json"))
        }
        #expect(!directory.exists("pin.json"))
    }

    @Test("the manifest parses what it serializes, and its path follows XDG")
    func manifestFormat() throws {
        let manifest = PinManifest(path: "/usr/local/bin/toolguard", sha256: Self.abcDigest)
        #expect(try PinManifest(parsing: manifest.serialized) == manifest)
        #expect(Locations(environment: ["HOME": "/home/u"])?.pinManifest == "/home/u/.config/toolguard/pin.json")
        #expect(
            Locations(environment: ["HOME": "/home/u", "XDG_CONFIG_HOME": "/cfg"])?.pinManifest
                == "/cfg/toolguard/pin.json")
    }
}

import Foundation
import GuardKit
import Testing

@Suite("SHA-256")
struct SHA256Tests {
    /// FIPS 180-4 example messages (NIST CSRC "Examples with Intermediate Values") and their digests.
    static let nistVectors: [(message: String, digest: String)] = [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        ),
        (
            "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
        ),
    ]

    @Test("NIST vectors hash to their published digests", arguments: nistVectors)
    func nistVector(message: String, digest: String) {
        #expect(SHA256.hexDigest(SHA256.hash(Array(message.utf8))) == digest)
    }

    @Test("One million 'a' hashes to the published digest")
    func millionA() {
        let digest = SHA256.hash([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000))
        #expect(SHA256.hexDigest(digest) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test("One million 'a' fed in 1000-byte updates hashes to the published digest")
    func millionAIncremental() {
        var hasher = SHA256()
        let piece = [UInt8](repeating: UInt8(ascii: "a"), count: 1000)
        for _ in 0..<1000 { hasher.update(piece) }
        #expect(
            SHA256.hexDigest(hasher.finalize()) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test("A digest is 32 bytes")
    func digestLength() {
        #expect(SHA256.hash([1, 2, 3]).count == SHA256.digestByteCount)
        #expect(SHA256.digestByteCount == 32)
    }

    @Test("Hex formatting is lowercase, two digits per byte, zero-padded")
    func hexFormatting() {
        #expect(SHA256.hexDigest([0x00, 0x0f, 0xa0, 0xff]) == "000fa0ff")
        #expect(SHA256.hexDigest([]) == "")
    }

    @Test(
        "Updates split at awkward boundaries equal the one-shot hash",
        arguments: [1, 55, 56, 63, 64, 65])
    func splitUpdates(pieceSize: Int) {
        let message = Self.pseudoRandomBytes(count: 1000, seed: UInt64(pieceSize))
        var hasher = SHA256()
        var start = 0
        while start < message.count {
            let end = min(start + pieceSize, message.count)
            hasher.update(Array(message[start..<end]))
            start = end
        }
        #expect(hasher.finalize() == SHA256.hash(message))
    }

    @Test(
        "A message of awkward length split once at every awkward boundary equals the one-shot hash",
        arguments: [1, 55, 56, 63, 64, 65], [0, 1, 55, 56, 63, 64, 65, 119, 120, 128])
    func splitOnce(firstPart: Int, length: Int) {
        let message = Self.pseudoRandomBytes(count: length, seed: 7)
        let split = min(firstPart, length)
        var hasher = SHA256()
        hasher.update(Array(message[..<split]))
        hasher.update(Array(message[split...]))
        #expect(hasher.finalize() == SHA256.hash(message))
    }

    @Test("The generic, array and raw-buffer updates agree")
    func updateVariants() {
        let text = "The quick brown fox jumps over the lazy dog"
        var fromUTF8View = SHA256()
        fromUTF8View.update(text.utf8)
        var fromLazySequence = SHA256()
        fromLazySequence.update(text.utf8.lazy.map { $0 })  // not contiguous: takes the chunked path
        var fromBuffer = SHA256()
        Array(text.utf8).withUnsafeBytes { fromBuffer.update($0) }

        let expected = "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592"
        #expect(SHA256.hexDigest(fromUTF8View.finalize()) == expected)
        #expect(SHA256.hexDigest(fromLazySequence.finalize()) == expected)
        #expect(SHA256.hexDigest(fromBuffer.finalize()) == expected)
    }

    @Test("finalize leaves the hasher usable: more input after it extends the message")
    func finalizeDoesNotConsume() {
        var hasher = SHA256()
        hasher.update(Array("ab".utf8))
        #expect(hasher.finalize() == SHA256.hash(Array("ab".utf8)))
        hasher.update(Array("c".utf8))
        #expect(
            SHA256.hexDigest(hasher.finalize())
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test(
        "File digests match the system sha256sum",
        arguments: [0, 1, 63, 64, 65, 1000, 100_000, 200_000])
    func matchesSystemTool(size: Int) throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/data-\(size).bin"
        try Data(Self.pseudoRandomBytes(count: size, seed: UInt64(size) &+ 1)).write(to: URL(fileURLWithPath: path))

        let ours = try SHA256.hexDigest(ofFileAt: path)
        let theirs = try Self.systemSHA256(path: path)
        #expect(ours == theirs)
    }

    @Test("A missing file throws an error naming the path and the system's reason")
    func missingFile() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/does-not-exist"
        let error = try #require(throws: SHA256.FileError.self) { try SHA256.hexDigest(ofFileAt: path) }
        #expect(error.operation == .open)
        #expect(error.code == ENOENT)
        #expect(error.path == path)
        #expect(error.description == "cannot open '\(path)': No such file or directory (errno \(ENOENT))")
    }

    @Test("A directory opens but fails to read, and says so")
    func directoryPath() throws {
        let directory = try TemporaryDirectory()
        let error = try #require(throws: SHA256.FileError.self) {
            try SHA256.hexDigest(ofFileAt: directory.path)
        }
        #expect(error.operation == .read)
        #expect(error.code == EISDIR)
        #expect(error.description.contains("Is a directory"))
    }

    // MARK: - Helpers

    /// Deterministic bytes from a SplitMix64 generator, so failures reproduce.
    private static func pseudoRandomBytes(count: Int, seed: UInt64) -> [UInt8] {
        var state = seed
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count)
        while bytes.count < count {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            for shift in stride(from: 0, to: 64, by: 8) where bytes.count < count {
                bytes.append(UInt8(truncatingIfNeeded: z >> UInt64(shift)))
            }
        }
        return bytes
    }

    /// A fresh directory under the system temporary directory, removed when the value is released.
    private final class TemporaryDirectory {
        let path: String

        init() throws {
            let url = FileManager.default.temporaryDirectory
                .appendingPathComponent("guardkit-tests-\(UUID().uuidString)", isDirectory: true)
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            path = url.path
        }

        deinit {
            try? FileManager.default.removeItem(atPath: path)
        }
    }

    private struct ToolFailure: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs `/usr/bin/sha256sum` on `path` and returns the hex digest it prints.
    private static func systemSHA256(path: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = [path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ToolFailure(description: "sha256sum exited with status \(process.terminationStatus)")
        }
        let text = String(decoding: data, as: UTF8.self)
        guard let digest = text.split(separator: " ").first, digest.count == 64 else {
            throw ToolFailure(description: "unexpected sha256sum output: \(text)")
        }
        return String(digest)
    }
}

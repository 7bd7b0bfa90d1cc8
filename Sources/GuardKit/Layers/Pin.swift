#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Musl)
    internal import Musl
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// Layer 3 (SPEC §9): the SHA-256 of the installed binary, recorded by `toolguard pin` and checked by
/// `toolguard verify`. The hook never hashes itself per call; only these two commands (and doctor) do.
///
/// The manifest, written pretty (2-space indent, trailing newline) in this key order:
///
/// ```json
/// {
///   "schema": 1,
///   "path": "/usr/local/bin/toolguard",
///   "sha256": "<64 lowercase hex digits>"
/// }
/// ```
public struct PinManifest: Sendable, Hashable {
    /// The format version written in `schema`.
    public static let schema = 1

    /// The pinned binary's absolute path, as given to ``Pin/pin(binaryPath:manifestPath:)`` (symlinks not resolved).
    public var path: String
    /// The binary's SHA-256 as 64 lowercase hexadecimal digits.
    public var sha256: String

    /// Creates a manifest value.
    public init(path: String, sha256: String) {
        self.path = path
        self.sha256 = sha256
    }

    /// Reads a manifest; `reason` in the error says what is wrong with it.
    public init(parsing bytes: [UInt8]) throws(PinManifestError) {
        let value: JSONValue
        do throws(JSONError) { value = try JSONValue.parse(bytes) } catch {
            throw PinManifestError(reason: "not valid JSON (\(error))")
        }
        guard case .object = value else { throw PinManifestError(reason: "not a JSON object") }
        guard value["schema"]?.intValue == Self.schema else {
            throw PinManifestError(
                reason: "unsupported schema \(value["schema"].map(String.init(describing:)) ?? "(none)")")
        }
        guard let path = value["path"]?.stringValue, path.hasPrefix("/") else {
            throw PinManifestError(reason: "`path` is not an absolute path")
        }
        guard let sha256 = value["sha256"]?.stringValue, Self.isHexDigest(sha256) else {
            throw PinManifestError(reason: "`sha256` is not 64 lowercase hexadecimal digits")
        }
        self.init(path: path, sha256: sha256)
    }

    /// The manifest file's bytes.
    public var serialized: [UInt8] {
        let value: JSONValue = ["schema": JSONValue(Self.schema), "path": .string(path), "sha256": .string(sha256)]
        return Array(value.serialized(style: .pretty(indent: 2), trailingNewline: true).utf8)
    }

    private static func isHexDigest(_ text: String) -> Bool {
        text.utf8.count == 2 * SHA256.digestByteCount
            && text.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
    }
}

/// Why a pin manifest could not be read.
public struct PinManifestError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong with it.
    public var reason: String
    /// The reason.
    public var description: String { reason }
}

/// Recording and checking the binary's hash.
public enum Pin {
    /// Hashes the binary at `binaryPath` (absolute) and writes the manifest atomically to `manifestPath`.
    @discardableResult
    public static func pin(binaryPath: String, manifestPath: String) throws(PinError) -> PinManifest {
        guard binaryPath.hasPrefix("/") else {
            throw PinError(path: binaryPath, reason: "not an absolute path — pass the installed binary's absolute path")
        }
        let path = Paths.normalize(binaryPath)
        let digest: String
        do throws(SHA256.FileError) { digest = try SHA256.hexDigest(ofFileAt: path) } catch {
            throw PinError(path: path, reason: "\(error) — nothing was pinned; check the binary's path")
        }
        let manifest = PinManifest(path: path, sha256: digest)
        do throws(FileIOError) {
            try FileIO.writeAtomically(path: manifestPath, contents: manifest.serialized)
        } catch {
            throw PinError(
                path: manifestPath, reason: "\(error) — the pin was not recorded; check the directory's permissions")
        }
        return manifest
    }

    /// Reads the manifest at `manifestPath` and compares its hash with the binary's current one.
    public static func verify(manifestPath: String) -> VerifyResult {
        let bytes: [UInt8]?
        do throws(FileIOError) { bytes = try FileIO.readBytesIfPresent(atPath: manifestPath) } catch {
            return .unreadable(path: manifestPath, reason: error.description)
        }
        guard let bytes else { return .missingManifest(manifestPath: manifestPath) }
        let manifest: PinManifest
        do throws(PinManifestError) { manifest = try PinManifest(parsing: bytes) } catch {
            return .unreadable(path: manifestPath, reason: "invalid pin manifest: \(error)")
        }
        let actual: String
        do throws(SHA256.FileError) { actual = try SHA256.hexDigest(ofFileAt: manifest.path) } catch {
            if error.operation == .open && error.code == ENOENT { return .missingBinary(path: manifest.path) }
            return .unreadable(path: manifest.path, reason: error.description)
        }
        guard actual == manifest.sha256 else {
            return .mismatch(path: manifest.path, expected: manifest.sha256, actual: actual)
        }
        return .ok(manifest)
    }
}

/// The outcome of ``Pin/verify(manifestPath:)``.
public enum VerifyResult: Sendable, Hashable, CustomStringConvertible {
    /// The binary's hash equals the pinned one.
    case ok(PinManifest)
    /// The binary changed since it was pinned.
    case mismatch(path: String, expected: String, actual: String)
    /// There is no manifest: nothing was pinned.
    case missingManifest(manifestPath: String)
    /// The pinned binary does not exist any more.
    case missingBinary(path: String)
    /// The manifest or the binary could not be read, or the manifest is malformed; `path` says which.
    case unreadable(path: String, reason: String)

    /// Whether the pin holds.
    public var isOK: Bool {
        if case .ok = self { true } else { false }
    }

    /// One line: for failures, what went wrong — what to do.
    public var description: String {
        switch self {
        case .ok(let manifest):
            "\(manifest.path) matches its pin (SHA-256 \(manifest.sha256))"
        case .mismatch(let path, let expected, let actual):
            "\(path) has changed since it was pinned: its SHA-256 is \(actual), the pin says \(expected)"
                + " — if you updated toolguard yourself, run `toolguard pin`; otherwise reinstall it"
        case .missingManifest(let manifestPath):
            "no pin manifest at \(manifestPath) — run `toolguard pin` (install does it too)"
        case .missingBinary(let path):
            "the pinned binary \(path) does not exist — reinstall toolguard, or run `toolguard pin` from its new place"
        case .unreadable(let path, let reason):
            "cannot verify the pin: \(path): \(reason) — fix or remove it, then run `toolguard pin`"
        }
    }
}

/// Pinning failed; nothing, or nothing new, was recorded.
public struct PinError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The binary or manifest concerned.
    public var path: String
    /// What went wrong — what to do.
    public var reason: String

    /// Reads like `/x/toolguard: cannot open '/x/toolguard': No such file or directory (errno 2) — …`.
    public var description: String { "\(path): \(reason)" }
}

#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Musl)
    internal import Musl
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// SHA-256 (FIPS 180-4), computed incrementally or in one call.
///
/// Implemented here rather than taken from CryptoKit or a package: GuardKit has no dependencies and
/// must not import Foundation. The compression loop works on raw buffers, so hashing a large binary
/// costs no per-byte allocation.
public struct SHA256: Sendable {
    /// Length of a digest in bytes.
    public static let digestByteCount = 32

    /// Length of one compression block in bytes.
    public static let blockByteCount = 64

    /// The eight working hash words H0…H7.
    private var state: State

    /// Bytes received but not yet compressed; always shorter than one block.
    private var pending: [UInt8]

    /// Total bytes received, needed for the length field of the final padding.
    private var messageByteCount: UInt64

    /// Creates a hasher in the initial state.
    public init() {
        state = State()
        pending = []
        pending.reserveCapacity(Self.blockByteCount)
        messageByteCount = 0
    }

    /// Feeds bytes from a raw buffer; the fastest way in.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty else { return }
        messageByteCount &+= UInt64(bytes.count)
        var start = 0

        if !pending.isEmpty {
            let taken = min(Self.blockByteCount - pending.count, bytes.count)
            pending.append(contentsOf: bytes[0..<taken])
            start = taken
            guard pending.count == Self.blockByteCount else { return }
            var words = state
            pending.withUnsafeBytes { Self.compress(&words, blocks: $0) }
            state = words
            pending.removeAll(keepingCapacity: true)
        }

        let remaining = bytes.count - start
        let wholeBlocks = remaining - remaining % Self.blockByteCount
        if wholeBlocks > 0 {
            Self.compress(&state, blocks: UnsafeRawBufferPointer(rebasing: bytes[start..<(start + wholeBlocks)]))
        }
        if wholeBlocks < remaining {
            pending.append(contentsOf: bytes[(start + wholeBlocks)...])
        }
    }

    /// Feeds the bytes of an array.
    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// Feeds any sequence of bytes, such as `string.utf8`.
    public mutating func update<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
        // Contiguous storage (arrays, native strings' UTF-8) goes straight to the buffer path.
        let done: Void? = bytes.withContiguousStorageIfAvailable { update(UnsafeRawBufferPointer($0)) }
        if done != nil { return }
        var chunk: [UInt8] = []
        chunk.reserveCapacity(4096)
        for byte in bytes {
            chunk.append(byte)
            if chunk.count == 4096 {
                update(chunk)
                chunk.removeAll(keepingCapacity: true)
            }
        }
        update(chunk)
    }

    /// Returns the 32-byte digest of everything fed so far; the hasher itself is left unchanged.
    public func finalize() -> [UInt8] {
        var words = state
        let bitCount = messageByteCount &* 8

        // Padding: a 1 bit, zeros up to 56 mod 64, then the message length in bits, big-endian.
        var tail = pending
        tail.reserveCapacity(2 * Self.blockByteCount)
        tail.append(0x80)
        while tail.count % Self.blockByteCount != 56 {
            tail.append(0)
        }
        for shift in stride(from: 56, through: 0, by: -8) {
            tail.append(UInt8(truncatingIfNeeded: bitCount &>> UInt64(shift)))
        }
        tail.withUnsafeBytes { Self.compress(&words, blocks: $0) }

        var digest: [UInt8] = []
        digest.reserveCapacity(Self.digestByteCount)
        for word in [words.h0, words.h1, words.h2, words.h3, words.h4, words.h5, words.h6, words.h7] {
            digest.append(UInt8(truncatingIfNeeded: word &>> 24))
            digest.append(UInt8(truncatingIfNeeded: word &>> 16))
            digest.append(UInt8(truncatingIfNeeded: word &>> 8))
            digest.append(UInt8(truncatingIfNeeded: word))
        }
        return digest
    }

    /// Returns the digest of `bytes` in one call.
    public static func hash(_ bytes: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// Formats bytes as lowercase hexadecimal, the form `sha256sum` prints.
    public static func hexDigest(_ bytes: [UInt8]) -> String {
        let digits: StaticString = "0123456789abcdef"
        return String(unsafeUninitializedCapacity: bytes.count * 2) { out in
            digits.withUTF8Buffer { digit in
                for (index, byte) in bytes.enumerated() {
                    out[2 * index] = digit[Int(byte &>> 4)]
                    out[2 * index + 1] = digit[Int(byte & 0x0F)]
                }
            }
            return bytes.count * 2
        }
    }

    /// Size of each `read` when hashing a file: large enough that system calls are a small cost.
    private static let fileChunkByteCount = 64 * 1024

    /// Hashes the file at `path`, streaming it in 64 KiB reads, and returns the lowercase hex digest.
    public static func hexDigest(ofFileAt path: String) throws(FileError) -> String {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileError(path: path, operation: .open, code: errno) }
        defer { _ = close(descriptor) }

        // Heap, not stack: 64 KiB is too big to put on a task's stack.
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: fileChunkByteCount, alignment: 16)
        defer { chunk.deallocate() }

        var hasher = SHA256()
        while true {
            let count = read(descriptor, chunk.baseAddress, chunk.count)
            if count == 0 { break }
            if count < 0 {
                let code = errno
                if code == EINTR { continue }
                throw FileError(path: path, operation: .read, code: code)
            }
            hasher.update(UnsafeRawBufferPointer(rebasing: chunk[0..<count]))
        }
        return hexDigest(hasher.finalize())
    }

    /// A file could not be opened or read while hashing it.
    public struct FileError: Error, Sendable, Hashable, CustomStringConvertible {
        /// The step that failed.
        public enum Operation: String, Sendable, Hashable {
            /// Opening the file.
            case open
            /// Reading from the open file.
            case read
        }

        /// The path as given by the caller.
        public var path: String
        /// The step that failed.
        public var operation: Operation
        /// The `errno` value reported by the system.
        public var code: Int32
        /// The system's text for `code`, captured when the error happened.
        public var reason: String

        /// Creates an error for `path`, reading the system's text for `code` now.
        public init(path: String, operation: Operation, code: Int32) {
            self.path = path
            self.operation = operation
            self.code = code
            if let text = strerror(code) {
                reason = String(cString: text)
            } else {
                reason = "errno \(code)"
            }
        }

        /// Reads like `cannot open '/x': No such file or directory (errno 2)`.
        public var description: String {
            "cannot \(operation.rawValue) '\(path)': \(reason) (errno \(code))"
        }
    }

    /// The working hash words, as plain stored properties so the compression loop keeps them in registers.
    private struct State: Sendable {
        // FIPS 180-4 §5.3.3: the first 32 bits of the fractional parts of the square roots of the first 8 primes.
        var h0: UInt32 = 0x6a09_e667
        var h1: UInt32 = 0xbb67_ae85
        var h2: UInt32 = 0x3c6e_f372
        var h3: UInt32 = 0xa54f_f53a
        var h4: UInt32 = 0x510e_527f
        var h5: UInt32 = 0x9b05_688c
        var h6: UInt32 = 0x1f83_d9ab
        var h7: UInt32 = 0x5be0_cd19
    }

    // FIPS 180-4 §4.2.2: the first 32 bits of the fractional parts of the cube roots of the first 64 primes.
    private static let roundConstants: [UInt32] = [
        0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
        0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
        0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
        0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
        0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
        0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
        0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
        0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
    ]

    /// Runs the compression function over every 64-byte block in `blocks`.
    private static func compress(_ state: inout State, blocks: UnsafeRawBufferPointer) {
        assert(blocks.count % blockByteCount == 0)
        // One schedule buffer for all blocks of this call, small enough for the stack.
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { schedule in
            roundConstants.withUnsafeBufferPointer { k in
                var offset = 0
                while offset < blocks.count {
                    for t in 0..<16 {
                        schedule[t] = UInt32(
                            bigEndian: blocks.loadUnaligned(fromByteOffset: offset + 4 * t, as: UInt32.self))
                    }
                    for t in 16..<64 {
                        let w15 = schedule[t - 15]
                        let w2 = schedule[t - 2]
                        let sigma0 = rotateRight(w15, 7) ^ rotateRight(w15, 18) ^ (w15 &>> 3)
                        let sigma1 = rotateRight(w2, 17) ^ rotateRight(w2, 19) ^ (w2 &>> 10)
                        schedule[t] = sigma1 &+ schedule[t - 7] &+ sigma0 &+ schedule[t - 16]
                    }

                    var a = state.h0
                    var b = state.h1
                    var c = state.h2
                    var d = state.h3
                    var e = state.h4
                    var f = state.h5
                    var g = state.h6
                    var h = state.h7
                    for t in 0..<64 {
                        let sum1 = rotateRight(e, 6) ^ rotateRight(e, 11) ^ rotateRight(e, 25)
                        let choice = (e & f) ^ (~e & g)
                        let temp1 = h &+ sum1 &+ choice &+ k[t] &+ schedule[t]
                        let sum0 = rotateRight(a, 2) ^ rotateRight(a, 13) ^ rotateRight(a, 22)
                        let majority = (a & b) ^ (a & c) ^ (b & c)
                        let temp2 = sum0 &+ majority
                        h = g
                        g = f
                        f = e
                        e = d &+ temp1
                        d = c
                        c = b
                        b = a
                        a = temp1 &+ temp2
                    }
                    state.h0 &+= a
                    state.h1 &+= b
                    state.h2 &+= c
                    state.h3 &+= d
                    state.h4 &+= e
                    state.h5 &+= f
                    state.h6 &+= g
                    state.h7 &+= h
                    offset += blockByteCount
                }
            }
        }
    }

    @inline(__always)
    private static func rotateRight(_ value: UInt32, _ count: UInt32) -> UInt32 {
        (value &>> count) | (value &<< (32 &- count))
    }
}

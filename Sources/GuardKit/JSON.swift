// A small, strict JSON (RFC 8259) reader and writer.
//
// Our own rather than Foundation's: the hook reads Claude Code's input on every tool call and
// Foundation costs milliseconds of start-up (see STYLE.md), and the settings installer must keep a
// user's keys in their order, which JSONSerialization and Codable do not.

/// A JSON value: the six kinds of RFC 8259, with numbers kept as their literal text.
///
/// Numbers are stored as text so that they round-trip exactly (`1.0`, `1e400`, 20-digit integers);
/// two numbers are equal when their texts are equal, so `1.0 != 1`. Use ``intValue`` or
/// ``doubleValue`` to interpret one.
extension JSONValue {
    /// How the value's kind is named in messages: `a string`, `an array`, `null`, …
    public var kindDescription: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

public enum JSONValue: Sendable, Hashable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number, as its literal JSON text; the writer emits it verbatim, so it must be valid JSON
    /// (``init(numberLiteral:)`` checks).
    case number(String)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object, with its members in order.
    case object(JSONObject)

    /// The deepest nesting of arrays and objects that the parser accepts by default.
    public static let defaultMaximumDepth = 512
}

// MARK: - Objects

/// A JSON object: unique keys, kept in the order they were first added.
///
/// Lookup is a linear scan, which beats hashing for the handful of keys the hook and config files
/// have. Equality and hashing respect member order, as for an ordered dictionary.
public struct JSONObject: Sendable, Hashable {
    /// One member, stored as a struct because tuples cannot be `Hashable`.
    private struct Member: Sendable, Hashable {
        var key: String
        var value: JSONValue
    }

    private var members: [Member]

    /// Creates an empty object.
    public init() {
        members = []
    }

    /// Creates an object from key-value pairs in order; a repeated key keeps its first position and its last value.
    public init(_ pairs: some Sequence<(String, JSONValue)>) {
        members = []
        for (key, value) in pairs {
            self[key] = value
        }
    }

    /// The keys in order.
    public var keys: [String] {
        members.map(\.key)
    }

    /// The values in key order.
    public var values: [JSONValue] {
        members.map(\.value)
    }

    /// The value for `key`; setting replaces it in place or appends it, setting `nil` removes it.
    public subscript(key: String) -> JSONValue? {
        get {
            guard let index = index(forKey: key) else { return nil }
            return members[index].value
        }
        set {
            if let index = index(forKey: key) {
                if let newValue {
                    members[index].value = newValue
                } else {
                    members.remove(at: index)
                }
            } else if let newValue {
                members.append(Member(key: key, value: newValue))
            }
        }
    }

    /// Removes `key` and returns its value, or returns `nil` if it is absent; other members keep their order.
    @discardableResult
    public mutating func removeValue(forKey key: String) -> JSONValue? {
        guard let index = index(forKey: key) else { return nil }
        return members.remove(at: index).value
    }

    /// The position of `key` among the members, or `nil`.
    public func index(forKey key: String) -> Int? {
        members.firstIndex { $0.key == key }
    }

    /// Appends a member the caller knows to be new, skipping the duplicate check.
    fileprivate mutating func appendNew(key: String, value: JSONValue) {
        members.append(Member(key: key, value: value))
    }

    /// Replaces the value at a position found with ``index(forKey:)``.
    fileprivate mutating func replaceValue(at index: Int, with value: JSONValue) {
        members[index].value = value
    }
}

extension JSONObject: RandomAccessCollection {
    /// The position of the first member.
    public var startIndex: Int { members.startIndex }

    /// The position after the last member.
    public var endIndex: Int { members.endIndex }

    /// The member at `position`, as a labelled pair so `for (key, value) in object` reads naturally.
    public subscript(position: Int) -> (key: String, value: JSONValue) {
        let member = members[position]
        return (member.key, member.value)
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    /// Creates an object from a literal, keeping the order written.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(elements)
    }
}

extension JSONObject: CustomStringConvertible {
    /// The object as compact JSON.
    public var description: String {
        JSONValue.object(self).serialized()
    }
}

// MARK: - Convenience

extension JSONValue {
    /// The string, if this is a string.
    public var stringValue: String? {
        if case .string(let value) = self { value } else { nil }
    }

    /// The Boolean, if this is `true` or `false`.
    public var boolValue: Bool? {
        if case .bool(let value) = self { value } else { nil }
    }

    /// The literal text, if this is a number.
    public var numberLiteral: String? {
        if case .number(let text) = self { text } else { nil }
    }

    /// The number as an `Int`, if this is a number written as an integer (no fraction or exponent) that fits.
    public var intValue: Int? {
        if case .number(let text) = self { Int(text) } else { nil }
    }

    /// The number as the nearest `Double`, if this is a number (`±infinity` when out of range).
    public var doubleValue: Double? {
        if case .number(let text) = self { Double(text) } else { nil }
    }

    /// The elements, if this is an array.
    public var arrayValue: [JSONValue]? {
        if case .array(let value) = self { value } else { nil }
    }

    /// The object, if this is an object.
    public var objectValue: JSONObject? {
        if case .object(let value) = self { value } else { nil }
    }

    /// Whether this is `null`.
    public var isNull: Bool {
        self == .null
    }

    /// The member named `key`, if this is an object that has one.
    public subscript(key: String) -> JSONValue? {
        objectValue?[key]
    }

    /// The element at `index`, if this is an array and `index` is in range.
    public subscript(index: Int) -> JSONValue? {
        guard case .array(let elements) = self, elements.indices.contains(index) else { return nil }
        return elements[index]
    }

    /// A number from an integer.
    public init(_ value: Int) {
        self = .number(String(value))
    }

    /// A number from a `Double`, or `nil` for infinities and NaN, which JSON cannot represent.
    public init?(_ value: Double) {
        guard value.isFinite else { return nil }
        // Swift prints finite doubles in shortest round-trip form, which is always a valid JSON number.
        self = .number(value.description)
    }

    /// A number from literal text, or `nil` if `text` is not a valid JSON number.
    public init?(numberLiteral text: String) {
        var copy = text
        let valid = copy.withUTF8 { bytes in
            var parser = JSONParser(bytes: bytes, maximumDepth: 0)
            return (try? parser.scanNumber()) != nil && parser.index == bytes.count
        }
        guard valid else { return nil }
        self = .number(text)
    }
}

extension JSONValue: ExpressibleByNilLiteral {
    /// `null`.
    public init(nilLiteral: ()) {
        self = .null
    }
}

extension JSONValue: ExpressibleByBooleanLiteral {
    /// `true` or `false`.
    public init(booleanLiteral value: Bool) {
        self = .bool(value)
    }
}

extension JSONValue: ExpressibleByIntegerLiteral {
    /// An integer number.
    public init(integerLiteral value: Int) {
        self.init(value)
    }
}

extension JSONValue: ExpressibleByStringLiteral {
    /// A string.
    public init(stringLiteral value: String) {
        self = .string(value)
    }
}

extension JSONValue: ExpressibleByArrayLiteral {
    /// An array.
    public init(arrayLiteral elements: JSONValue...) {
        self = .array(elements)
    }
}

extension JSONValue: ExpressibleByDictionaryLiteral {
    /// An object, keeping the order written.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(JSONObject(elements))
    }
}

extension JSONValue: CustomStringConvertible {
    /// The value as compact JSON.
    public var description: String {
        serialized()
    }
}

// MARK: - Errors

/// Why a JSON text was rejected, and where.
public struct JSONError: Error, Sendable, Hashable, CustomStringConvertible {
    /// 1-based line of the offending character.
    public var line: Int
    /// 1-based column of the offending character, counted in Unicode scalars.
    public var column: Int
    /// 0-based byte offset of the offending character in the UTF-8 input.
    public var byteOffset: Int
    /// What was wrong, e.g. `expected ',' or '}' after an object member, found ']'`.
    public var message: String

    /// Creates an error at a known position.
    public init(line: Int, column: Int, byteOffset: Int, message: String) {
        self.line = line
        self.column = column
        self.byteOffset = byteOffset
        self.message = message
    }

    /// Reads like `line 3, column 14: expected ',' or '}' after an object member, found ']'`.
    public var description: String {
        "line \(line), column \(column): \(message)"
    }
}

// MARK: - Reading

extension JSONValue {
    /// Parses a complete JSON text strictly (RFC 8259).
    ///
    /// Rejected: trailing commas, comments, leading zeros, `NaN`/`Infinity`, single quotes, unescaped
    /// control characters in strings, lone surrogates in `\u` escapes, a byte order mark, whitespace
    /// other than space, tab, line feed and carriage return, anything after the value, and nesting
    /// deeper than `maximumDepth` arrays and objects. A key repeated within one object keeps its
    /// first position and its last value, which is what JavaScript's `JSON.parse` does.
    public static func parse(_ text: String, maximumDepth: Int = defaultMaximumDepth) throws(JSONError) -> JSONValue {
        var text = text
        // `withUTF8` is `rethrows`, which would widen the error to `any Error`; carry it out in a `Result`.
        let result = text.withUTF8 { bytes in
            Result { () throws(JSONError) in try parse(bytes: bytes, maximumDepth: maximumDepth) }
        }
        return try result.get()
    }

    /// Parses a complete JSON text given as UTF-8 bytes, such as standard input; invalid UTF-8 is an error.
    public static func parse(_ bytes: [UInt8], maximumDepth: Int = defaultMaximumDepth) throws(JSONError) -> JSONValue {
        try bytes.withUnsafeBufferPointer { buffer throws(JSONError) in
            try parse(bytes: buffer, maximumDepth: maximumDepth)
        }
    }

    private static func parse(bytes: UnsafeBufferPointer<UInt8>, maximumDepth: Int) throws(JSONError) -> JSONValue {
        var parser = JSONParser(bytes: bytes, maximumDepth: maximumDepth)
        do {
            return try parser.parseDocument()
        } catch {
            throw error.located(in: bytes)
        }
    }
}

/// A parse failure before its line and column are worked out, which only happens once, on failure.
fileprivate struct UnlocatedJSONError: Error {
    var offset: Int
    var message: String

    func located(in bytes: UnsafeBufferPointer<UInt8>) -> JSONError {
        var line = 1
        var column = 1
        for byte in bytes[0..<min(offset, bytes.count)] {
            if byte == JSONByte.lineFeed {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {  // count scalars: skip UTF-8 continuation bytes
                column += 1
            }
        }
        return JSONError(line: line, column: column, byteOffset: offset, message: message)
    }
}

/// Byte values the reader and writer test for.
fileprivate enum JSONByte {
    static let tab: UInt8 = 0x09
    static let lineFeed: UInt8 = 0x0A
    static let carriageReturn: UInt8 = 0x0D
    static let space: UInt8 = 0x20
    static let quote = UInt8(ascii: "\"")
    static let backslash = UInt8(ascii: "\\")
    static let slash = UInt8(ascii: "/")
    static let comma = UInt8(ascii: ",")
    static let colon = UInt8(ascii: ":")
    static let openBracket = UInt8(ascii: "[")
    static let closeBracket = UInt8(ascii: "]")
    static let openBrace = UInt8(ascii: "{")
    static let closeBrace = UInt8(ascii: "}")
    static let minus = UInt8(ascii: "-")
    static let plus = UInt8(ascii: "+")
    static let dot = UInt8(ascii: ".")
    static let zero = UInt8(ascii: "0")
    static let nine = UInt8(ascii: "9")
    static let lowerE = UInt8(ascii: "e")
    static let upperE = UInt8(ascii: "E")
}

/// The reader's messages, in one place so they stay consistent.
fileprivate enum JSONMessage {
    static let value = "expected a value"
    static let afterArrayElement = "expected ',' or ']' after an array element"
    static let afterObjectMember = "expected ',' or '}' after an object member"
    static let key = "expected a string key"
    static let colon = "expected ':' after an object key"
    static let endOfInput = "expected end of input after the value"
    static let trailingComma = "(trailing commas are not allowed)"
    static let comment = "(comments are not allowed)"
    static let leadingZero = "invalid number: leading zeros are not allowed"
    static let digitAfterMinus = "invalid number: expected a digit after '-'"
    static let digitAfterDot = "invalid number: expected a digit after '.'"
    static let digitInExponent = "invalid number: expected a digit in the exponent"
    static let unterminatedString = "unterminated string"
    static let invalidUTF8 = "invalid UTF-8 in string"
    static let hexDigits = "invalid \\u escape: expected four hexadecimal digits"
    static func tooDeep(_ limit: Int) -> String { "nesting deeper than \(limit) arrays and objects" }
    static func invalidLiteral(_ literal: String) -> String { "invalid literal, expected '\(literal)'" }
    static func controlCharacter(_ byte: UInt8) -> String {
        "unescaped control character \(scalarName(UInt32(byte))) in string"
    }
    static func invalidEscape(_ byte: UInt8) -> String {
        "invalid escape sequence: '\\' followed by \(describe(byte: byte))"
    }
    static func loneHighSurrogate(_ unit: UInt32) -> String {
        "lone surrogate \\u\(hex4(unit)): a high surrogate must be followed by a \\u escape of a low surrogate"
    }
    static func loneLowSurrogate(_ unit: UInt32) -> String {
        "lone surrogate \\u\(hex4(unit)): a low surrogate must follow a high surrogate"
    }

    static func hex4(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    static func scalarName(_ value: UInt32) -> String {
        "U+" + hex4(value)
    }

    /// Describes what was found at `index`: `end of input`, `']'`, `U+00A0`, or `byte 0xFF`.
    static func found(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> String {
        guard index < bytes.count else { return "end of input" }
        let lead = bytes[index]
        if lead >= 0x80 {
            // Non-ASCII: name the scalar if the bytes are valid UTF-8 there.
            var iterator = bytes[index..<min(index + 4, bytes.count)].makeIterator()
            var decoder = UTF8()
            if case .scalarValue(let scalar) = decoder.decode(&iterator) {
                let name = scalarName(scalar.value)
                return scalar.value == 0xFEFF ? name + " (byte order mark)" : name
            }
        }
        return describe(byte: lead)
    }

    /// `'x'` for printable ASCII, `U+000B` for other ASCII, `byte 0xFF` otherwise.
    static func describe(byte: UInt8) -> String {
        if byte == UInt8(ascii: "'") {
            return "\"'\""
        }
        if byte >= 0x21 && byte < 0x7F {
            return "'\(Character(Unicode.Scalar(byte)))'"
        }
        if byte < 0x80 {
            return scalarName(UInt32(byte))
        }
        return "byte 0x" + String(byte, radix: 16, uppercase: true)
    }
}

/// The reader: an explicit stack instead of recursion, so depth costs heap, not thread stack.
fileprivate struct JSONParser {
    /// A container being filled. A struct rather than an enum so elements are appended in place
    /// (`stack[last].elements.append`) without copying the array out and back.
    private struct Frame {
        var isObject: Bool
        var elements: [JSONValue] = []
        var object = JSONObject()
        /// The key whose value is being read.
        var key = ""
        /// Key positions, built once an object is large enough that a linear duplicate check
        /// would make hostile input quadratic.
        var keyIndex: [String: Int]? = nil

        /// Objects with more members than this get a hash index while they are parsed.
        static let linearKeyCheckLimit = 16

        /// Adds the value for `key`; a repeated key keeps its first position and takes the last value.
        mutating func insertMember(_ value: JSONValue) {
            if keyIndex == nil && object.count >= Self.linearKeyCheckLimit {
                var built: [String: Int] = [:]
                built.reserveCapacity(object.count * 2)
                for (position, member) in object.enumerated() {
                    built[member.key] = position
                }
                keyIndex = built
            }
            if keyIndex != nil {
                if let position = keyIndex![key] {
                    object.replaceValue(at: position, with: value)
                } else {
                    keyIndex![key] = object.count
                    object.appendNew(key: key, value: value)
                }
            } else if let position = object.index(forKey: key) {
                object.replaceValue(at: position, with: value)
            } else {
                object.appendNew(key: key, value: value)
            }
        }
    }

    let bytes: UnsafeBufferPointer<UInt8>
    let maximumDepth: Int
    private(set) var index = 0
    /// Reused for strings with escapes, so each one does not allocate a new buffer.
    private var scratch: [UInt8] = []

    init(bytes: UnsafeBufferPointer<UInt8>, maximumDepth: Int) {
        self.bytes = bytes
        self.maximumDepth = maximumDepth
    }

    private func error(_ message: String, at offset: Int? = nil) -> UnlocatedJSONError {
        UnlocatedJSONError(offset: offset ?? index, message: message)
    }

    /// `expected X, found Y`, pointing at the current byte.
    private func unexpected(_ expectation: String, note: String? = nil) -> UnlocatedJSONError {
        var message = expectation + ", found " + JSONMessage.found(bytes, at: index)
        if let note {
            message += " " + note
        } else if current == JSONByte.slash {
            message += " " + JSONMessage.comment
        }
        return error(message)
    }

    private var current: UInt8? {
        index < bytes.count ? bytes[index] : nil
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case JSONByte.space, JSONByte.lineFeed, JSONByte.carriageReturn, JSONByte.tab: index += 1
            default: return
            }
        }
    }

    mutating func parseDocument() throws(UnlocatedJSONError) -> JSONValue {
        var stack: [Frame] = []
        while true {
            // Read one value; an opening bracket pushes a frame and goes round again for its first element.
            skipWhitespace()
            guard let byte = current else { throw unexpected(JSONMessage.value) }
            var value: JSONValue
            switch byte {
            case JSONByte.openBracket:
                guard stack.count < maximumDepth else { throw error(JSONMessage.tooDeep(maximumDepth)) }
                index += 1
                skipWhitespace()
                guard current != JSONByte.closeBracket else {
                    index += 1
                    value = .array([])
                    break
                }
                stack.append(Frame(isObject: false))
                continue
            case JSONByte.openBrace:
                guard stack.count < maximumDepth else { throw error(JSONMessage.tooDeep(maximumDepth)) }
                index += 1
                skipWhitespace()
                guard current != JSONByte.closeBrace else {
                    index += 1
                    value = .object(JSONObject())
                    break
                }
                let key = try parseKey(afterComma: false)
                stack.append(Frame(isObject: true, key: key))
                continue
            case JSONByte.quote:
                value = .string(try parseString())
            case UInt8(ascii: "t"):
                try expectLiteral("true")
                value = .bool(true)
            case UInt8(ascii: "f"):
                try expectLiteral("false")
                value = .bool(false)
            case UInt8(ascii: "n"):
                try expectLiteral("null")
                value = .null
            case JSONByte.minus, JSONByte.zero...JSONByte.nine:
                let start = index
                try scanNumber()
                value = .number(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self))
            default:
                // An empty array was handled above, so `]` here must follow a comma.
                let trailingComma = byte == JSONByte.closeBracket && stack.last?.isObject == false
                throw unexpected(JSONMessage.value, note: trailingComma ? JSONMessage.trailingComma : nil)
            }

            // Hand the finished value to its container; a closing bracket finishes that one in turn.
            while true {
                guard !stack.isEmpty else {
                    skipWhitespace()
                    guard index == bytes.count else { throw unexpected(JSONMessage.endOfInput) }
                    return value
                }
                let top = stack.count - 1
                skipWhitespace()
                if stack[top].isObject {
                    stack[top].insertMember(value)
                    if current == JSONByte.comma {
                        index += 1
                        skipWhitespace()
                        stack[top].key = try parseKey(afterComma: true)
                        break
                    }
                    guard current == JSONByte.closeBrace else { throw unexpected(JSONMessage.afterObjectMember) }
                    index += 1
                    value = .object(stack.removeLast().object)
                } else {
                    stack[top].elements.append(value)
                    if current == JSONByte.comma {
                        index += 1
                        break
                    }
                    guard current == JSONByte.closeBracket else { throw unexpected(JSONMessage.afterArrayElement) }
                    index += 1
                    value = .array(stack.removeLast().elements)
                }
            }
        }
    }

    /// Reads `"key"` and the `:` after it, leaving the index at the start of the value.
    private mutating func parseKey(afterComma: Bool) throws(UnlocatedJSONError) -> String {
        guard current == JSONByte.quote else {
            let closer = afterComma && current == JSONByte.closeBrace
            throw unexpected(JSONMessage.key, note: closer ? JSONMessage.trailingComma : nil)
        }
        let key = try parseString()
        skipWhitespace()
        guard current == JSONByte.colon else { throw unexpected(JSONMessage.colon) }
        index += 1
        return key
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(UnlocatedJSONError) {
        let start = index
        let matches = literal.withUTF8Buffer { expected in
            guard bytes.count - start >= expected.count else { return false }
            for offset in 0..<expected.count where bytes[start + offset] != expected[offset] {
                return false
            }
            return true
        }
        guard matches else { throw error(JSONMessage.invalidLiteral(literal.description), at: start) }
        index += literal.utf8CodeUnitCount
    }

    /// Advances over a number (RFC 8259 §6), checking its grammar.
    mutating func scanNumber() throws(UnlocatedJSONError) {
        if current == JSONByte.minus {
            index += 1
        }
        guard let first = current, first >= JSONByte.zero && first <= JSONByte.nine else {
            throw error(JSONMessage.digitAfterMinus)
        }
        index += 1
        if first == JSONByte.zero {
            if let next = current, next >= JSONByte.zero && next <= JSONByte.nine {
                throw error(JSONMessage.leadingZero, at: index - 1)
            }
        } else {
            skipDigits()
        }
        if current == JSONByte.dot {
            index += 1
            guard skipDigits() else { throw error(JSONMessage.digitAfterDot) }
        }
        if current == JSONByte.lowerE || current == JSONByte.upperE {
            index += 1
            if current == JSONByte.plus || current == JSONByte.minus {
                index += 1
            }
            guard skipDigits() else { throw error(JSONMessage.digitInExponent) }
        }
    }

    /// Advances over ASCII digits and reports whether there was at least one.
    @discardableResult
    private mutating func skipDigits() -> Bool {
        let start = index
        while let byte = current, byte >= JSONByte.zero && byte <= JSONByte.nine {
            index += 1
        }
        return index > start
    }

    /// Reads a string starting at its opening quote and leaves the index after the closing one.
    private mutating func parseString() throws(UnlocatedJSONError) -> String {
        let opening = index
        index += 1
        let start = index
        // Fast path: no escapes, so the string is a slice of the input. ASCII needs no validation, and most keys
        // and values are ASCII: an audit reads hundreds of thousands of them.
        var isASCII = true
        while index < bytes.count {
            let byte = bytes[index]
            if byte == JSONByte.quote {
                let slice = UnsafeBufferPointer(rebasing: bytes[start..<index])
                index += 1
                if isASCII { return String(decoding: slice, as: UTF8.self) }
                guard let string = String(validating: slice, as: UTF8.self) else {
                    throw error(JSONMessage.invalidUTF8, at: invalidUTF8Offset(in: start..<index - 1))
                }
                return string
            }
            if byte >= 0x80 { isASCII = false }
            if byte == JSONByte.backslash { break }
            if byte < JSONByte.space { throw error(JSONMessage.controlCharacter(byte)) }
            index += 1
        }
        guard index < bytes.count else { throw error(JSONMessage.unterminatedString, at: opening) }

        // Slow path: copy into the scratch buffer, decoding escapes.
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: bytes[start..<index])
        while index < bytes.count {
            let byte = bytes[index]
            if byte == JSONByte.quote {
                guard let string = String(validating: scratch, as: UTF8.self) else {
                    throw error(JSONMessage.invalidUTF8, at: invalidUTF8Offset(in: start..<index))
                }
                index += 1
                return string
            }
            if byte < JSONByte.space { throw error(JSONMessage.controlCharacter(byte)) }
            if byte != JSONByte.backslash {
                scratch.append(byte)
                index += 1
                continue
            }
            let escapeStart = index
            index += 1
            guard let escaped = current else { break }
            index += 1
            switch escaped {
            case JSONByte.quote, JSONByte.backslash, JSONByte.slash: scratch.append(escaped)
            case UInt8(ascii: "b"): scratch.append(0x08)
            case UInt8(ascii: "f"): scratch.append(0x0C)
            case UInt8(ascii: "n"): scratch.append(JSONByte.lineFeed)
            case UInt8(ascii: "r"): scratch.append(JSONByte.carriageReturn)
            case UInt8(ascii: "t"): scratch.append(JSONByte.tab)
            case UInt8(ascii: "u"):
                let unit = try readHex4()
                var scalarValue = unit
                if (0xD800...0xDBFF).contains(unit) {
                    let lowFollows =
                        index + 1 < bytes.count && bytes[index] == JSONByte.backslash
                        && bytes[index + 1] == UInt8(ascii: "u")
                    guard lowFollows else { throw error(JSONMessage.loneHighSurrogate(unit), at: escapeStart) }
                    index += 2
                    let low = try readHex4()
                    guard (0xDC00...0xDFFF).contains(low) else {
                        throw error(JSONMessage.loneHighSurrogate(unit), at: escapeStart)
                    }
                    scalarValue = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00...0xDFFF).contains(unit) {
                    throw error(JSONMessage.loneLowSurrogate(unit), at: escapeStart)
                }
                // Surrogates were handled above, so this is always a valid scalar.
                let scalar = Unicode.Scalar(scalarValue)!
                scratch.append(contentsOf: UTF8.encode(scalar)!)
            default:
                throw error(JSONMessage.invalidEscape(escaped), at: escapeStart)
            }
        }
        throw error(JSONMessage.unterminatedString, at: opening)
    }

    private mutating func readHex4() throws(UnlocatedJSONError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = current else { throw error(JSONMessage.hexDigits) }
            let digit: UInt8
            switch byte {
            case JSONByte.zero...JSONByte.nine: digit = byte - JSONByte.zero
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw error(JSONMessage.hexDigits)
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    /// The offset of the first byte that breaks UTF-8 in `range`, for the error position.
    private func invalidUTF8Offset(in range: Range<Int>) -> Int {
        var offset = range.lowerBound
        while offset < range.upperBound {
            var iterator = bytes[offset..<range.upperBound].makeIterator()
            var decoder = UTF8()
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): offset += UTF8.width(scalar)
            case .emptyInput, .error: return offset
            }
        }
        return range.lowerBound
    }
}

// MARK: - Writing

extension JSONValue {
    /// How ``serialized(style:trailingNewline:)`` lays out its output.
    public enum SerializationStyle: Sendable, Hashable {
        /// No whitespace at all: `{"a":[1,2]}`.
        case compact
        /// One member or element per line, indented by `indent` spaces per level, like
        /// `JSON.stringify(value, null, indent)`; as there, `indent` is clamped to 0…10 and 0 means compact.
        case pretty(indent: Int)
    }

    /// The value as JSON text, optionally followed by a line feed.
    ///
    /// Strings escape `"`, `\`, and control characters (`\b \f \n \r \t`, others as lowercase
    /// `\u00xx`, as `JSON.stringify` writes them); all other characters, `/` included, are written
    /// as they are. Numbers are written as their literal text. Parsing the output gives back an
    /// equal value, and pretty output re-serializes byte for byte.
    public func serialized(style: SerializationStyle = .compact, trailingNewline: Bool = false) -> String {
        var writer = JSONWriter()
        switch style {
        case .compact: writer.indent = 0
        case .pretty(let indent): writer.indent = min(10, max(0, indent))
        }
        writer.write(self, depth: 0)
        if trailingNewline {
            writer.output.append(JSONByte.lineFeed)
        }
        return String(decoding: writer.output, as: UTF8.self)
    }
}

/// Builds the output as UTF-8 bytes and makes one `String` at the end.
fileprivate struct JSONWriter {
    var output: [UInt8] = []
    /// Spaces per level; 0 means compact.
    var indent = 0

    mutating func write(_ value: JSONValue, depth: Int) {
        switch value {
        case .null: append("null")
        case .bool(let flag): append(flag ? "true" : "false")
        case .number(let text): output.append(contentsOf: text.utf8)
        case .string(let string): writeString(string)
        case .array(let elements):
            guard !elements.isEmpty else { return append("[]") }
            output.append(JSONByte.openBracket)
            for (position, element) in elements.enumerated() {
                if position > 0 { output.append(JSONByte.comma) }
                newline(depth: depth + 1)
                write(element, depth: depth + 1)
            }
            newline(depth: depth)
            output.append(JSONByte.closeBracket)
        case .object(let object):
            guard !object.isEmpty else { return append("{}") }
            output.append(JSONByte.openBrace)
            for (position, member) in object.enumerated() {
                if position > 0 { output.append(JSONByte.comma) }
                newline(depth: depth + 1)
                writeString(member.key)
                output.append(JSONByte.colon)
                if indent > 0 { output.append(JSONByte.space) }
                write(member.value, depth: depth + 1)
            }
            newline(depth: depth)
            output.append(JSONByte.closeBrace)
        }
    }

    private mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { output.append(contentsOf: $0) }
    }

    private mutating func newline(depth: Int) {
        guard indent > 0 else { return }
        output.append(JSONByte.lineFeed)
        output.append(contentsOf: repeatElement(JSONByte.space, count: indent * depth))
    }

    private mutating func writeString(_ string: String) {
        output.append(JSONByte.quote)
        for byte in string.utf8 {
            switch byte {
            case JSONByte.quote: append("\\\"")
            case JSONByte.backslash: append("\\\\")
            case 0x08: append("\\b")
            case 0x0C: append("\\f")
            case JSONByte.lineFeed: append("\\n")
            case JSONByte.carriageReturn: append("\\r")
            case JSONByte.tab: append("\\t")
            case 0..<JSONByte.space:
                let digits: StaticString = "0123456789abcdef"
                append("\\u00")
                digits.withUTF8Buffer { digit in
                    output.append(digit[Int(byte >> 4)])
                    output.append(digit[Int(byte & 0x0F)])
                }
            default: output.append(byte)
            }
        }
        output.append(JSONByte.quote)
    }
}

import GuardKit
import Testing

@Suite("JSON reading")
struct JSONReadingTests {
    static let validDocuments: [(text: String, value: JSONValue)] = [
        ("null", .null),
        ("true", .bool(true)),
        ("false", .bool(false)),
        ("0", .number("0")),
        ("-0", .number("-0")),
        ("123", .number("123")),
        ("-12.5e+3", .number("-12.5e+3")),
        ("1E-7", .number("1E-7")),
        ("0.0", .number("0.0")),
        ("1e400", .number("1e400")),
        ("123456789012345678901234567890", .number("123456789012345678901234567890")),
        ("\"\"", .string("")),
        ("\"abc\"", .string("abc")),
        ("\"é中😀\"", .string("é中😀")),
        (" \t\r\n 1 \n", .number("1")),
        ("[]", .array([])),
        ("{}", .object(JSONObject())),
        ("[ ]", .array([])),
        ("{ \n }", .object(JSONObject())),
        ("[1,\"a\",null,true]", .array([.number("1"), .string("a"), .null, .bool(true)])),
        ("[ 1 , [ 2 , [ ] ] ]", .array([.number("1"), .array([.number("2"), .array([])])])),
        ("{\"a\":1,\"b\":[true,false]}", .object(["a": .number("1"), "b": .array([.bool(true), .bool(false)])])),
        ("{ \"a\" : { \"b\" : { \"c\" : [ ] } } }", .object(["a": .object(["b": .object(["c": .array([])])])])),
        ("{\"\":0}", .object(["": .number("0")])),
        ("[{},[],\"\",0]", .array([.object(JSONObject()), .array([]), .string(""), .number("0")])),
    ]

    @Test("Valid documents parse to their values", arguments: validDocuments)
    func validDocument(text: String, value: JSONValue) throws {
        #expect(try JSONValue.parse(text) == value)
    }

    @Test("The byte overload parses the same documents", arguments: validDocuments)
    func validDocumentFromBytes(text: String, value: JSONValue) throws {
        #expect(try JSONValue.parse(Array(text.utf8)) == value)
    }

    /// Invalid documents and the exact error each must produce.
    static let invalidDocuments: [(text: String, error: String)] = [
        ("", "line 1, column 1: expected a value, found end of input"),
        ("   ", "line 1, column 4: expected a value, found end of input"),
        ("[", "line 1, column 2: expected a value, found end of input"),
        ("[1,2,]", "line 1, column 6: expected a value, found ']' (trailing commas are not allowed)"),
        ("{\"a\":1,}", "line 1, column 8: expected a string key, found '}' (trailing commas are not allowed)"),
        ("{\"a\":]", "line 1, column 6: expected a value, found ']'"),
        ("[,1]", "line 1, column 2: expected a value, found ','"),
        ("// note\n1", "line 1, column 1: expected a value, found '/' (comments are not allowed)"),
        (
            "[1 /* c */]",
            "line 1, column 4: expected ',' or ']' after an array element, found '/' (comments are not allowed)"
        ),
        ("01", "line 1, column 1: invalid number: leading zeros are not allowed"),
        ("-012", "line 1, column 2: invalid number: leading zeros are not allowed"),
        ("1.", "line 1, column 3: invalid number: expected a digit after '.'"),
        ("1.e5", "line 1, column 3: invalid number: expected a digit after '.'"),
        (".5", "line 1, column 1: expected a value, found '.'"),
        ("-", "line 1, column 2: invalid number: expected a digit after '-'"),
        ("-a", "line 1, column 2: invalid number: expected a digit after '-'"),
        ("1e", "line 1, column 3: invalid number: expected a digit in the exponent"),
        ("1e+", "line 1, column 4: invalid number: expected a digit in the exponent"),
        ("+1", "line 1, column 1: expected a value, found '+'"),
        ("0x10", "line 1, column 2: expected end of input after the value, found 'x'"),
        ("NaN", "line 1, column 1: expected a value, found 'N'"),
        ("-Infinity", "line 1, column 2: invalid number: expected a digit after '-'"),
        ("tru", "line 1, column 1: invalid literal, expected 'true'"),
        ("[nul]", "line 1, column 2: invalid literal, expected 'null'"),
        ("falsey", "line 1, column 6: expected end of input after the value, found 'y'"),
        ("True", "line 1, column 1: expected a value, found 'T'"),
        ("'a'", "line 1, column 1: expected a value, found \"'\""),
        ("\"abc", "line 1, column 1: unterminated string"),
        ("\"ab\\", "line 1, column 1: unterminated string"),
        ("\"a\nb\"", "line 1, column 3: unescaped control character U+000A in string"),
        ("\"a\tb\"", "line 1, column 3: unescaped control character U+0009 in string"),
        ("\"\\n\u{1F}\"", "line 1, column 4: unescaped control character U+001F in string"),
        ("\"\\x\"", "line 1, column 2: invalid escape sequence: '\\' followed by 'x'"),
        ("\"\\u12\"", "line 1, column 6: invalid \\u escape: expected four hexadecimal digits"),
        ("\"\\u12G4\"", "line 1, column 6: invalid \\u escape: expected four hexadecimal digits"),
        (
            "\"\\uD800\"",
            "line 1, column 2: lone surrogate \\uD800: a high surrogate must be followed by a \\u escape of a low surrogate"
        ),
        (
            "\"\\uD83D\\u0041\"",
            "line 1, column 2: lone surrogate \\uD83D: a high surrogate must be followed by a \\u escape of a low surrogate"
        ),
        (
            "\"\\uD83Dx\"",
            "line 1, column 2: lone surrogate \\uD83D: a high surrogate must be followed by a \\u escape of a low surrogate"
        ),
        ("\"\\uDE00\"", "line 1, column 2: lone surrogate \\uDE00: a low surrogate must follow a high surrogate"),
        ("{\"a\" 1}", "line 1, column 6: expected ':' after an object key, found '1'"),
        ("{\"a\":1 \"b\":2}", "line 1, column 8: expected ',' or '}' after an object member, found '\"'"),
        ("[1 2]", "line 1, column 4: expected ',' or ']' after an array element, found '2'"),
        ("{a:1}", "line 1, column 2: expected a string key, found 'a'"),
        ("{1:1}", "line 1, column 2: expected a string key, found '1'"),
        ("1 2", "line 1, column 3: expected end of input after the value, found '2'"),
        ("{\"a\":1}}", "line 1, column 8: expected end of input after the value, found '}'"),
        ("\u{FEFF}{}", "line 1, column 1: expected a value, found U+FEFF (byte order mark)"),
        ("[1,\u{A0}2]", "line 1, column 4: expected a value, found U+00A0"),
        ("\u{0B}1", "line 1, column 1: expected a value, found U+000B"),
        ("\u{0C}1", "line 1, column 1: expected a value, found U+000C"),
        ("[\"é\", x]", "line 1, column 7: expected a value, found 'x'"),
        (
            "{\n  \"tool_name\": \"Bash\",\n  \"tool_input\": {\"a\": 1]\n}",
            "line 3, column 24: expected ',' or '}' after an object member, found ']'"
        ),
    ]

    @Test("Invalid documents throw an error that says what and where", arguments: invalidDocuments)
    func invalidDocument(text: String, expected: String) {
        let error = #expect(throws: JSONError.self) { try JSONValue.parse(text) }
        #expect(error?.description == expected)
    }

    @Test("Invalid documents throw the same error through the byte overload", arguments: invalidDocuments)
    func invalidDocumentFromBytes(text: String, expected: String) {
        let error = #expect(throws: JSONError.self) { try JSONValue.parse(Array(text.utf8)) }
        #expect(error?.description == expected)
    }

    static let invalidUTF8: [(bytes: [UInt8], error: String)] = [
        ([0x22, 0xFF, 0x22], "line 1, column 2: invalid UTF-8 in string"),
        ([0x22, 0x61, 0xC3, 0x22], "line 1, column 3: invalid UTF-8 in string"),
        ([0x22, 0x5C, 0x6E, 0xED, 0xA0, 0x80, 0x22], "line 1, column 4: invalid UTF-8 in string"),  // encoded surrogate
        ([0xFF], "line 1, column 1: expected a value, found byte 0xFF"),
    ]

    @Test("Invalid UTF-8 is rejected with its position", arguments: invalidUTF8)
    func invalidUTF8Bytes(bytes: [UInt8], expected: String) {
        let error = #expect(throws: JSONError.self) { try JSONValue.parse(bytes) }
        #expect(error?.description == expected)
    }

    @Test("The error carries line, column and byte offset as fields")
    func errorFields() throws {
        let error = try #require(throws: JSONError.self) { try JSONValue.parse("[\n  1,\n  \"é\" x]") }
        #expect(error.line == 3)
        #expect(error.column == 7)
        #expect(error.byteOffset == 14)
        #expect(error.message == "expected ',' or ']' after an array element, found 'x'")
    }

    @Test("Every escape decodes, including surrogate pairs")
    func escapes() throws {
        let text = #""\"\\\/\b\f\n\r\t\u0041\u00e9\u00E9\u4e2d\ud83d\ude00\uD83D\uDE00\u0000""#
        let value = try JSONValue.parse(text)
        #expect(value == .string("\"\\/\u{08}\u{0C}\n\r\tAéé中😀😀\u{0}"))
    }

    @Test("Escapes and raw UTF-8 mix in one string")
    func mixedEscapes() throws {
        #expect(try JSONValue.parse(#""é\n😀\u00e9x""#) == .string("é\n😀éx"))
    }

    @Test("A repeated key keeps its first position and its last value, as JSON.parse does")
    func duplicateKeys() throws {
        let object = try #require(try JSONValue.parse(#"{"a":1,"b":2,"a":3}"#).objectValue)
        #expect(object.keys == ["a", "b"])
        #expect(object["a"] == .number("3"))
    }

    @Test("Duplicate keys in a large object behave the same as in a small one")
    func duplicateKeysLargeObject() throws {
        let members = (0..<40).map { "\"k\($0)\":\($0)" } + ["\"k3\":\"last\"", "\"k39\":null"]
        let object = try #require(try JSONValue.parse("{" + members.joined(separator: ",") + "}").objectValue)
        #expect(object.keys == (0..<40).map { "k\($0)" })
        #expect(object["k3"] == .string("last"))
        #expect(object["k39"] == .null)
        #expect(object["k4"] == .number("4"))
    }

    @Test("Nesting up to the limit parses")
    func nestingAtLimit() throws {
        let depth = JSONValue.defaultMaximumDepth
        var value = try JSONValue.parse(String(repeating: "[", count: depth) + String(repeating: "]", count: depth))
        var levels = 0
        while case .array(let elements) = value {
            levels += 1
            value = elements.first ?? .null
        }
        #expect(levels == depth)
    }

    @Test(
        "Nesting beyond the limit throws instead of overflowing the stack",
        arguments: [JSONValue.defaultMaximumDepth + 1, 100_000])
    func nestingBeyondLimit(depth: Int) {
        let limit = JSONValue.defaultMaximumDepth
        let arrays = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        let arrayError = #expect(throws: JSONError.self) { try JSONValue.parse(arrays) }
        #expect(
            arrayError?.description == "line 1, column \(limit + 1): nesting deeper than \(limit) arrays and objects")

        let objects = String(repeating: #"{"a":"#, count: depth) + "1" + String(repeating: "}", count: depth)
        let objectError = #expect(throws: JSONError.self) { try JSONValue.parse(objects) }
        #expect(objectError?.message == "nesting deeper than \(limit) arrays and objects")
    }

    @Test("A caller can choose a smaller depth limit")
    func customDepthLimit() throws {
        #expect(try JSONValue.parse("[[{}]]", maximumDepth: 3) == [[.object(JSONObject())]])
        #expect(throws: JSONError.self) { try JSONValue.parse("[[[[]]]]", maximumDepth: 3) }
    }

    @Test("A 1 MB string value parses")
    func largeString() throws {
        let payload = String(repeating: "x", count: 1_000_000)
        let value = try JSONValue.parse(#"{"big":""# + payload + #""}"#)
        #expect(value["big"]?.stringValue?.utf8.count == 1_000_000)
    }

    @Test("A 1 MB string with escapes parses")
    func largeEscapedString() throws {
        let payload = String(repeating: #"ab\n\u00e9"#, count: 100_000)
        let value = try JSONValue.parse("\"" + payload + "\"")
        #expect(value.stringValue == String(repeating: "ab\né", count: 100_000))
    }

    @Test("Large arrays and objects parse")
    func largeContainers() throws {
        let array = try JSONValue.parse("[" + Array(repeating: "1", count: 200_000).joined(separator: ",") + "]")
        #expect(array.arrayValue?.count == 200_000)
        let object = try JSONValue.parse("{" + (0..<50_000).map { "\"k\($0)\":\($0)" }.joined(separator: ",") + "}")
        #expect(object.objectValue?.count == 50_000)
        #expect(object["k49999"] == 49_999)
    }

    @Test("A Claude Code PreToolUse input yields tool_input.command")
    func preToolUseInput() throws {
        let input = """
            {"session_id":"abc","cwd":"/home/u/p","hook_event_name":"PreToolUse","tool_name":"Bash",\
            "tool_input":{"command":"pip install requests","description":"x"}}
            """
        let value = try JSONValue.parse(Array(input.utf8))
        #expect(value["tool_input"]?["command"]?.stringValue == "pip install requests")
        #expect(value["tool_name"]?.stringValue == "Bash")
        #expect(value["hook_event_name"] == "PreToolUse")
        #expect(value["tool_input"]?["missing"] == nil)
    }
}

@Suite("JSON values")
struct JSONValueTests {
    @Test("Accessors return the payload of the matching kind and nil otherwise")
    func accessors() {
        let string: JSONValue = "s"
        #expect(string.stringValue == "s")
        #expect(string.boolValue == nil)
        #expect(JSONValue.bool(false).boolValue == false)
        #expect(JSONValue.number("2").stringValue == nil)
        #expect(JSONValue.array([1]).arrayValue == [1])
        #expect(JSONValue.array([1]).objectValue == nil)
        #expect(JSONValue.object(["k": 1]).objectValue?["k"] == 1)
        #expect(JSONValue.null.isNull)
        #expect(!JSONValue.bool(false).isNull)
    }

    @Test("Subscripts look into objects and arrays and return nil elsewhere")
    func subscripts() {
        let value: JSONValue = ["list": [10, 20], "name": "n"]
        #expect(value["list"]?[1] == 20)
        #expect(value["list"]?[2] == nil)
        #expect(value["list"]?[-1] == nil)
        #expect(value["name"]?["x"] == nil)
        #expect(value[0] == nil)
    }

    @Test("Numbers keep their text; intValue and doubleValue interpret it")
    func numbers() throws {
        #expect(try JSONValue.parse("12").intValue == 12)
        #expect(try JSONValue.parse("-7").intValue == -7)
        #expect(try JSONValue.parse("1.5").intValue == nil)
        #expect(try JSONValue.parse("1e2").intValue == nil)
        #expect(try JSONValue.parse("99999999999999999999").intValue == nil)
        #expect(try JSONValue.parse("1.5").doubleValue == 1.5)
        #expect(try JSONValue.parse("1e2").doubleValue == 100)
        #expect(try JSONValue.parse("1.0") != JSONValue.parse("1"))
        #expect(try JSONValue.parse("1.0").numberLiteral == "1.0")
    }

    @Test("Numbers can be made from Int and finite Double only")
    func numberInitializers() {
        #expect(JSONValue(42) == .number("42"))
        #expect(JSONValue(-1.5) == .number("-1.5"))
        #expect(JSONValue(Double.nan) == nil)
        #expect(JSONValue(Double.infinity) == nil)
        #expect(JSONValue(1e300)?.serialized() == "1e+300")
    }

    @Test(
        "A number literal is accepted only if it is valid JSON",
        arguments: [
            ("0", true), ("-1.5e+10", true), ("01", false), ("1.", false), ("", false), ("1 ", false), ("0x1", false),
        ]
    )
    func numberLiteralValidation(text: String, valid: Bool) {
        #expect((JSONValue(numberLiteral: text) != nil) == valid)
    }

    @Test("Literals build the same values as the cases")
    func literals() {
        let built: JSONValue = ["a": [1, true, nil, "s"]]
        let cases = JSONValue.object(
            JSONObject([("a", .array([.number("1"), .bool(true), .null, .string("s")]))]))
        #expect(built == cases)
    }
}

@Suite("JSON objects")
struct JSONObjectTests {
    @Test("Parsed keys keep document order")
    func parsedOrder() throws {
        let value = try JSONValue.parse(#"{"z":1,"a":2,"m":3}"#)
        #expect(value.objectValue?.keys == ["z", "a", "m"])
        #expect(value.serialized() == #"{"z":1,"a":2,"m":3}"#)
    }

    @Test("Setting an existing key replaces it in place; a new key is appended")
    func setting() {
        var object: JSONObject = ["z": 1, "a": 2]
        object["z"] = "new"
        object["m"] = 3
        #expect(object.keys == ["z", "a", "m"])
        #expect(object["z"] == "new")
        #expect(object.values == ["new", 2, 3])
    }

    @Test("Removing a key keeps the others in order, by removeValue or by setting nil")
    func removing() {
        var object: JSONObject = ["a": 1, "b": 2, "c": 3, "d": 4]
        #expect(object.removeValue(forKey: "b") == 2)
        #expect(object.removeValue(forKey: "missing") == nil)
        object["d"] = nil
        #expect(object.keys == ["a", "c"])
        #expect(object.count == 2)
    }

    @Test("Iteration yields key-value pairs in order")
    func iteration() {
        let object: JSONObject = ["b": 1, "a": 2]
        var seen: [String] = []
        for (key, value) in object {
            seen.append("\(key)=\(value)")
        }
        #expect(seen == ["b=1", "a=2"])
        #expect(object.index(forKey: "a") == 1)
    }

    @Test("Equality depends on member order")
    func orderedEquality() {
        let ab: JSONObject = ["a": 1, "b": 2]
        let ba: JSONObject = ["b": 2, "a": 1]
        #expect(ab != ba)
        #expect(ab == JSONObject([("a", 1), ("b", 2)]))
    }

    @Test("Building from pairs with a repeated key keeps its first position and last value")
    func pairsWithDuplicates() {
        let object = JSONObject([("a", 1), ("b", 2), ("a", 3)])
        #expect(object.keys == ["a", "b"])
        #expect(object["a"] == 3)
    }
}

@Suite("JSON writing")
struct JSONWritingTests {
    static let sample: JSONValue = [
        "name": "toolguard",
        "empty": [:],
        "list": [],
        "nested": ["n": .number("1.5"), "flags": [true, false, nil]],
        "numbers": [0, -1, .number("1e400"), .number("2.50")],
    ]

    @Test("Compact output has no whitespace at all")
    func compact() {
        #expect(
            Self.sample.serialized(style: .compact)
                == #"{"name":"toolguard","empty":{},"list":[],"nested":{"n":1.5,"flags":[true,false,null]},"numbers":[0,-1,1e400,2.50]}"#
        )
    }

    @Test("Pretty output matches JSON.stringify(value, null, 2)")
    func prettyLikeJavaScript() {
        let expected = """
            {
              "name": "toolguard",
              "empty": {},
              "list": [],
              "nested": {
                "n": 1.5,
                "flags": [
                  true,
                  false,
                  null
                ]
              },
              "numbers": [
                0,
                -1,
                1e400,
                2.50
              ]
            }
            """
        #expect(Self.sample.serialized(style: .pretty(indent: 2)) == expected)
        #expect(Self.sample.serialized(style: .pretty(indent: 2), trailingNewline: true) == expected + "\n")
    }

    @Test("Pretty indentation follows the requested width")
    func prettyIndentWidth() {
        let value: JSONValue = ["a": [1]]
        #expect(value.serialized(style: .pretty(indent: 4)) == "{\n    \"a\": [\n        1\n    ]\n}")
    }

    @Test("Indent widths are clamped to 0...10 as JSON.stringify does, and 0 is compact")
    func indentClamping() {
        #expect(Self.sample.serialized(style: .pretty(indent: 0)) == Self.sample.serialized(style: .compact))
        #expect(Self.sample.serialized(style: .pretty(indent: -3)) == Self.sample.serialized(style: .compact))
        #expect(
            Self.sample.serialized(style: .pretty(indent: 25)) == Self.sample.serialized(style: .pretty(indent: 10)))
    }

    @Test("Scalars and empty containers serialize on their own")
    func scalars() {
        #expect(JSONValue.null.serialized(style: .pretty(indent: 2)) == "null")
        #expect(JSONValue.array([]).serialized(style: .pretty(indent: 2)) == "[]")
        #expect(JSONValue.object(JSONObject()).serialized(style: .pretty(indent: 2)) == "{}")
        #expect(JSONValue.string("x").serialized(trailingNewline: true) == "\"x\"\n")
    }

    @Test("Strings escape quotes, backslashes and control characters, and nothing else")
    func stringEscaping() {
        let value = JSONValue.string("\"\\\u{01}\u{1F}\u{08}\u{0C}\n\r\t/é😀\u{7F}\u{0}")
        #expect(value.serialized() == #""\"\\\u0001\u001f\b\f\n\r\t/é😀"# + "\u{7F}" + #"\u0000""#)
    }

    @Test("Keys are escaped like strings")
    func keyEscaping() {
        let value: JSONValue = ["a\"b\n": 1]
        #expect(value.serialized() == #"{"a\"b\n":1}"#)
    }

    static let roundTripValues: [JSONValue] = [
        sample,
        .string("\"\\\u{01}\n/é😀\u{0}"),
        .number("-0.0e-0"),
        [[[[]]], [:], ["": ""]],
        ["tool_input": ["command": "echo \"hi\" > /tmp/x\t# é"]],
    ]

    @Test("Parsing serialized output gives back the value", arguments: roundTripValues)
    func roundTrip(value: JSONValue) throws {
        #expect(try JSONValue.parse(value.serialized(style: .compact)) == value)
        #expect(try JSONValue.parse(value.serialized(style: .pretty(indent: 2))) == value)
        #expect(try JSONValue.parse(value.serialized(style: .pretty(indent: 3), trailingNewline: true)) == value)
    }

    @Test("Pretty output is a fixed point: re-serializing parsed pretty output reproduces it byte for byte")
    func prettyFixedPoint() throws {
        let settings = """
            {
              "$schema": "https://json.schemastore.org/claude-code-settings.json",
              "permissions": {
                "allow": [
                  "Bash(npm run lint)",
                  "Read(~/.zshrc)"
                ],
                "deny": []
              },
              "hooks": {
                "PreToolUse": [
                  {
                    "matcher": "Bash",
                    "hooks": [
                      {
                        "type": "command",
                        "command": "toolguard hook",
                        "timeout": 1.50
                      }
                    ]
                  }
                ]
              },
              "env": {
                "PATH_NOTE": "tab\\there, quote \\" and \\u0001 é"
              },
              "zz": null
            }

            """
        let parsed = try JSONValue.parse(settings)
        #expect(parsed.serialized(style: .pretty(indent: 2), trailingNewline: true) == settings)
        #expect(parsed.objectValue?.keys == ["$schema", "permissions", "hooks", "env", "zz"])
    }

    @Test("Compact output is a fixed point too")
    func compactFixedPoint() throws {
        let text = #"{"b":[1,2.0,{"c":"\u001f\"\\"}],"a":{}}"#
        #expect(try JSONValue.parse(text).serialized() == text)
    }

    @Test("description is compact JSON")
    func description() {
        let value: JSONValue = ["a": [1, "x"]]
        #expect(value.description == #"{"a":[1,"x"]}"#)
        #expect(value.objectValue?.description == #"{"a":[1,"x"]}"#)
    }
}

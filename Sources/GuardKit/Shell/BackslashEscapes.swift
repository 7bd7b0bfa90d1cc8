/// Backslash escapes as bash decodes them in `$'…'`, in printf's format and in `echo -e` (bash's manual,
/// "ANSI-C Quoting" and the `printf` and `echo` builtins): `\n`, `\t`, … , `\xHH`, `\uHHHH`, `\UHHHHHHHH` and
/// octal, which `$'…'` and printf write as `\NNN` and `echo -e` as `\0NNN`.
enum BackslashEscapes {
    enum Octal {
        /// `\NNN`: one to three octal digits (`$'…'`, printf's format).
        case digits
        /// `\0NNN`: a zero, then up to three octal digits (`echo -e`).
        case afterZero
    }

    /// Decodes the escape whose backslash is at `index` of `bytes`: what it stands for, and the index after it.
    /// An escape that stands for nothing special keeps its backslash (`\q` is `\q`); `\\`, `\'`, `\"` and `\?`
    /// stand for their second character.
    static func decode(_ bytes: [UInt8], at index: Int, octal: Octal) -> (decoded: [UInt8], next: Int) {
        var position = index + 1
        guard position < bytes.count else { return ([.backslash], position) }
        let next = bytes[position]
        position += 1
        func number(radix: UInt32, maximumDigits: Int) -> (value: UInt32, digits: Int) {
            var value: UInt32 = 0
            var digits = 0
            while digits < maximumDigits, position < bytes.count {
                let digit: UInt8?
                if radix == 16 {
                    digit = bytes[position].hexValue
                } else {
                    let byte = bytes[position]
                    digit = byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "7") ? byte - UInt8(ascii: "0") : nil
                }
                guard let digit else { break }
                value = value * radix + UInt32(digit)
                position += 1
                digits += 1
            }
            return (value, digits)
        }
        switch next {
        case UInt8(ascii: "n"): return ([.newline], position)
        case UInt8(ascii: "t"): return ([.tab], position)
        case UInt8(ascii: "r"): return ([.carriageReturn], position)
        case UInt8(ascii: "a"): return ([7], position)
        case UInt8(ascii: "b"): return ([8], position)
        case UInt8(ascii: "e"), UInt8(ascii: "E"): return ([27], position)
        case UInt8(ascii: "f"): return ([12], position)
        case UInt8(ascii: "v"): return ([11], position)
        case UInt8(ascii: "x"):
            let (value, digits) = number(radix: 16, maximumDigits: 2)
            return digits == 0 ? ([.backslash, next], position) : ([UInt8(truncatingIfNeeded: value)], position)
        case UInt8(ascii: "u"), UInt8(ascii: "U"):
            let (value, digits) = number(radix: 16, maximumDigits: next == UInt8(ascii: "u") ? 4 : 8)
            guard digits > 0, let scalar = Unicode.Scalar(value) else { return ([.backslash, next], position) }
            return (Array(String(Character(scalar)).utf8), position)
        case UInt8(ascii: "0")...UInt8(ascii: "7"):
            if octal == .afterZero {
                guard next == UInt8(ascii: "0") else { return ([.backslash, next], position) }
                let (value, _) = number(radix: 8, maximumDigits: 3)
                return ([UInt8(truncatingIfNeeded: value)], position)
            }
            position -= 1
            let (value, _) = number(radix: 8, maximumDigits: 3)
            return ([UInt8(truncatingIfNeeded: value)], position)
        case .backslash, .singleQuote, .doubleQuote, UInt8(ascii: "?"):
            return ([next], position)
        default:
            return ([.backslash, next], position)
        }
    }

    /// `text` with every escape decoded.
    static func decodeAll(_ text: String, octal: Octal) -> String {
        let bytes = Array(text.utf8)
        guard bytes.contains(.backslash) else { return text }
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            guard bytes[index] == .backslash else {
                result.append(bytes[index])
                index += 1
                continue
            }
            let (decoded, next) = decode(bytes, at: index, octal: octal)
            result += decoded
            index = next
        }
        return String(decoding: result, as: UTF8.self)
    }
}

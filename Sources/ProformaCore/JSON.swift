/// A JSON value. Objects are written with their keys sorted, so output never depends on dictionary order.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    /// A number written exactly as given (a decimal's text), never through a binary floating-point number.
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public static func string(_ value: String?) -> JSONValue {
        value.map { .string($0) } ?? .null
    }

    public static func int(_ value: Int?) -> JSONValue {
        value.map { .int($0) } ?? .null
    }

    public static func number(_ value: ExactDecimal) -> JSONValue { .number(value.description) }
}

/// Writes JSON deterministically: keys sorted by their UTF-8 bytes, two-space indentation, `"key": value`, empty
/// arrays and objects as `[]` and `{}`, a newline at the end. Strings escape `"`, `\` and every control character
/// (`\n`, `\r`, `\t`, `\b`, `\f`, otherwise `\u00XX`), DEL and the C1 controls, U+2028 and U+2029 so the text is
/// also valid JavaScript, and the bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069),
/// so that no control character reaches a terminal that shows the JSON; everything else is written as UTF-8,
/// unescaped (`/` included).
public enum JSONWriter {
    public static func write(_ value: JSONValue) -> String {
        var output = ""
        write(value, indent: 0, into: &output)
        output += "\n"
        return output
    }

    private static func write(_ value: JSONValue, indent: Int, into output: inout String) {
        switch value {
        case .null:
            output += "null"
        case .bool(let flag):
            output += flag ? "true" : "false"
        case .int(let number):
            output += String(number)
        case .number(let text):
            output += text
        case .string(let text):
            writeString(text, into: &output)
        case .array(let elements):
            guard !elements.isEmpty else {
                output += "[]"
                return
            }
            output += "[\n"
            for (index, element) in elements.enumerated() {
                output += String(repeating: "  ", count: indent + 1)
                write(element, indent: indent + 1, into: &output)
                output += index == elements.count - 1 ? "\n" : ",\n"
            }
            output += String(repeating: "  ", count: indent) + "]"
        case .object(let members):
            guard !members.isEmpty else {
                output += "{}"
                return
            }
            output += "{\n"
            let keys = members.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            for (index, key) in keys.enumerated() {
                output += String(repeating: "  ", count: indent + 1)
                writeString(key, into: &output)
                output += ": "
                write(members[key]!, indent: indent + 1, into: &output)
                output += index == keys.count - 1 ? "\n" : ",\n"
            }
            output += String(repeating: "  ", count: indent) + "}"
        }
    }

    public static func writeString(_ text: String, into output: inout String) {
        // Most strings need no escaping: append them whole.
        // 0x7F is DEL, 0xC2 leads C1 controls, 0xE2 U+2028, U+2029 and the bidirectional controls.
        if !text.utf8.contains(where: {
            $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 == 0x7F || $0 == 0xC2 || $0 == 0xE2
        }) {
            output += "\""
            output += text
            output += "\""
            return
        }
        output += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{08}": output += "\\b"
            case "\u{0C}": output += "\\f"
            case "\u{00}"..."\u{1F}", "\u{7F}"..."\u{9F}", "\u{2028}", "\u{2029}", "\u{202A}"..."\u{202E}",
                "\u{2066}"..."\u{2069}":
                output += "\\u" + hex4(scalar.value)
            default:
                output.unicodeScalars.append(scalar)
            }
        }
        output += "\""
    }

    private static func hex4(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}

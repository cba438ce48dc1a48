/// How other YAML tools read a plain scalar that proforma reads as text.
///
/// proforma resolves nothing by itself: a plain scalar in a text field is its text (YAML 1.2's core schema keeps
/// `no` and `012` as written where text is expected). Tools that resolve plain scalars by the YAML 1.1 types, or by
/// YAML 1.2's core schema, read some of them as booleans or as numbers whose text is not the one written, so the
/// same file means something else to them. This names those readings, for a warning.
public enum OtherYAMLReadings {
    /// How YAML 1.1 or YAML 1.2 core tools read `text`, a plain scalar, when they read it as something other
    /// than the text itself; nil when they read it as that text (or as a number written the way it reads, such
    /// as `12` or `-3.5`, which a tool writes back unchanged).
    ///
    /// Booleans: `y`, `yes`, `n`, `no`, `on`, `off` in YAML 1.1 (in lower case, capitalised or upper case) and
    /// `true`, `false` in both. Numbers: octal (`012` in YAML 1.1, `0o12` in YAML 1.2), hexadecimal (`0x1F`),
    /// binary (`0b101`), base 60 (`1:20`, `1:20:30.5`), digits with `_` separators (`1_000`), a leading `+`, a
    /// leading or trailing point (`.5`, `5.`), exponents (`1e3`, `1.5E-3`), infinities and not-a-numbers
    /// (`.inf`, `-.Inf`, `.nan`). Nulls are left out: proforma reads `~`, `null` and an empty value as null too.
    public static func reading(ofPlain text: String) -> String? {
        switch text {
        case "y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "true", "True", "TRUE":
            return "the boolean true"
        case "n", "N", "no", "No", "NO", "off", "Off", "OFF", "false", "False", "FALSE":
            return "the boolean false"
        default:
            break
        }
        let bytes = Array(text.utf8)
        guard let first = bytes.first,
            first == UInt8(ascii: "-") || first == UInt8(ascii: "+")
                || first == UInt8(ascii: ".") || isDigit(first)
        else { return nil }
        var body = bytes[...]
        let signed = first == UInt8(ascii: "+") || first == UInt8(ascii: "-")
        if signed { body = body.dropFirst() }
        guard let lead = body.first else { return nil }
        let lowered = String(decoding: body, as: UTF8.self).lowercased()
        if lowered == ".inf" || (!signed && lowered == ".nan") {
            return lowered == ".nan" ? "not-a-number" : "an infinite number"
        }
        if body.count > 2, lead == UInt8(ascii: "0") {
            let rest = body.dropFirst(2)
            switch body[body.startIndex + 1] {
            case UInt8(ascii: "x"):
                if rest.allSatisfy({ isHexDigit($0) || $0 == UInt8(ascii: "_") }) { return "a hexadecimal number" }
            case UInt8(ascii: "o"):
                if rest.allSatisfy(isOctalDigit) { return "an octal number (YAML 1.2)" }
            case UInt8(ascii: "b"):
                if rest.allSatisfy({ $0 == 0x30 || $0 == 0x31 || $0 == UInt8(ascii: "_") }) {
                    return "a binary number (YAML 1.1)"
                }
            default:
                break
            }
        }
        if isSexagesimal(body) { return "a base-60 number (YAML 1.1)" }
        guard let shape = decimalShape(body) else { return nil }
        if !shape.hasPoint && !shape.hasExponent && body.count > 1 && lead == UInt8(ascii: "0") && !shape.hasUnderscore
            && body.allSatisfy(isOctalDigit)
        {
            return "an octal number (YAML 1.1)"
        }
        let leadingZero = !shape.hasPoint && !shape.hasExponent && body.count > 1 && lead == UInt8(ascii: "0")
        if first == UInt8(ascii: "+") || shape.hasUnderscore || shape.hasExponent || leadingZero
            || body.first == UInt8(ascii: ".") || body.last == UInt8(ascii: ".")
        {
            return "a number"
        }
        return nil
    }

    private struct DecimalShape {
        var hasPoint = false
        var hasExponent = false
        var hasUnderscore = false
    }

    /// The shape of `digits[.digits][e[+-]digits]` (with `_` among the digits, and either side of the point
    /// possibly empty but not both); nil when `body` is not such a number.
    private static func decimalShape(_ body: ArraySlice<UInt8>) -> DecimalShape? {
        var shape = DecimalShape()
        var digits = 0
        var index = body.startIndex
        while index < body.endIndex {
            let byte = body[index]
            if isDigit(byte) {
                digits += 1
            } else if byte == UInt8(ascii: "_") {
                guard digits > 0 else { return nil }
                shape.hasUnderscore = true
            } else if byte == UInt8(ascii: "."), !shape.hasPoint {
                shape.hasPoint = true
            } else if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
                guard digits > 0 else { return nil }
                var exponent = body[(index + 1)...]
                if let sign = exponent.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                    exponent = exponent.dropFirst()
                }
                guard !exponent.isEmpty, exponent.allSatisfy(isDigit) else { return nil }
                shape.hasExponent = true
                return shape
            } else {
                return nil
            }
            index += 1
        }
        return digits > 0 ? shape : nil
    }

    /// YAML 1.1's base-60 integers and floats: `[1-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?`.
    private static func isSexagesimal(_ body: ArraySlice<UInt8>) -> Bool {
        var parts = body.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
        guard parts.count >= 2, let head = parts.first, let lead = head.first, lead != UInt8(ascii: "0"),
            isDigit(lead), head.allSatisfy({ isDigit($0) || $0 == UInt8(ascii: "_") })
        else { return false }
        var last = parts.removeLast()
        if let point = last.firstIndex(of: UInt8(ascii: ".")) {
            guard last[(point + 1)...].allSatisfy({ isDigit($0) || $0 == UInt8(ascii: "_") }) else { return false }
            last = last[..<point]
        }
        let sixties = parts.dropFirst() + [last]
        return sixties.allSatisfy { part in
            guard (1...2).contains(part.count), part.allSatisfy(isDigit) else { return false }
            return part.count == 1 || part[part.startIndex] <= UInt8(ascii: "5")
        }
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
    private static func isOctalDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x37 }
    private static func isHexDigit(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66)
    }
}

import ProformaCore

extension ExactDecimal {
    /// `ExactDecimal.parse(bytes)`, with a quicker path for the short numbers of usage files: up to 19 characters,
    /// digits gathered in a 64-bit integer. Anything else goes to `ExactDecimal.parse`, so the results are the same.
    @inline(__always)
    static func parseUsageNumber(_ bytes: UnsafeBufferPointer<UInt8>) -> ExactDecimal? {
        let count = bytes.count
        guard count > 0 && count <= 19 else { return parse(bytes) }
        var i = 0
        var negative = false
        if bytes[0] == UInt8(ascii: "-") {
            negative = true
            i = 1
        } else if bytes[0] == UInt8(ascii: "+") {
            i = 1
        }
        // At most 19 digits: below 10^19, within UInt64.
        var significand: UInt64 = 0
        var anyDigit = false
        var fractionDigits = 0
        var seenPoint = false
        while i < count {
            let byte = bytes[i]
            let digit = byte &- 48
            if digit < 10 {
                significand = significand &* 10 &+ UInt64(digit)
                anyDigit = true
                if seenPoint { fractionDigits &+= 1 }
            } else if byte == UInt8(ascii: ".") && !seenPoint {
                seenPoint = true
            } else {
                break
            }
            i &+= 1
        }
        guard anyDigit else { return nil }
        var exponent = 0
        if i < count {
            let byte = bytes[i]
            guard byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") else { return nil }
            i &+= 1
            var exponentNegative = false
            if i < count && (bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+")) {
                exponentNegative = bytes[i] == UInt8(ascii: "-")
                i &+= 1
            }
            var anyExponentDigit = false
            while i < count {
                let digit = bytes[i] &- 48
                guard digit < 10 else { return nil }
                anyExponentDigit = true
                exponent = exponent &* 10 &+ Int(digit)
                i &+= 1
            }
            guard anyExponentDigit else { return nil }
            if exponentNegative { exponent = -exponent }
        }
        let scale = fractionDigits - exponent
        // Exponents that move digits left of the point, or past the largest scale: the general parser decides.
        guard scale >= 0 && scale <= ExactDecimal.maxScale else { return parse(bytes) }
        let magnitude = Int128(significand)
        return ExactDecimal(significand: negative ? -magnitude : magnitude, scale: scale)
    }
}

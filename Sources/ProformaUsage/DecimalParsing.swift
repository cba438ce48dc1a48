import ProformaCore

/// A number column's value as the usage reader takes it.
enum UsageNumber: Equatable {
    /// The value, and whether digits beyond `UsageReader.decimalPlaces` were rounded away (half-even).
    case value(ExactDecimal, rounded: Bool)
    /// A number, but not below 10^`UsageReader.integerDigits` in magnitude (after rounding).
    case outOfRange
    /// Not a decimal number.
    case invalid
}

extension ExactDecimal {
    /// Reads a number of a usage file: an optional sign, digits with an optional point, an optional exponent
    /// (`4.0E-7`, `2.8054406810350956e-05`), with any number of digits. Digits beyond `UsageReader.decimalPlaces`
    /// places are rounded half-even (and the result says so when a dropped digit was not zero); a value that is not
    /// below 10^`UsageReader.integerDigits` is out of range.
    ///
    /// Short numbers (up to 19 characters, at most `decimalPlaces` places, the usual case) take a quicker path:
    /// their digits are gathered in a 64-bit integer.
    @inline(__always)
    static func parseUsageNumber(_ bytes: UnsafeBufferPointer<UInt8>) -> UsageNumber {
        let count = bytes.count
        guard count > 0 && count <= 19 else { return parseUsageNumberRounding(bytes) }
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
        guard anyDigit else { return .invalid }
        var exponent = 0
        if i < count {
            let byte = bytes[i]
            guard byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") else { return .invalid }
            i &+= 1
            var exponentNegative = false
            if i < count && (bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+")) {
                exponentNegative = bytes[i] == UInt8(ascii: "-")
                i &+= 1
            }
            var anyExponentDigit = false
            while i < count {
                let digit = bytes[i] &- 48
                guard digit < 10 else { return .invalid }
                anyExponentDigit = true
                exponent = exponent &* 10 &+ Int(digit)
                i &+= 1
            }
            guard anyExponentDigit else { return .invalid }
            if exponentNegative { exponent = -exponent }
        }
        let scale = fractionDigits - exponent
        // Exponents that move digits left of the point, or past the places kept: the general path decides.
        guard scale >= 0 && scale <= UsageReader.decimalPlaces else { return parseUsageNumberRounding(bytes) }
        // Below 10^integerDigits: significand < 10^(integerDigits + scale), always true past 10^19.
        let bound = UsageReader.integerDigits + scale
        if bound < smallPowersOfTen.count && significand >= smallPowersOfTen[bound] { return .outOfRange }
        let magnitude = Int128(significand)
        return .value(ExactDecimal(significand: negative ? -magnitude : magnitude, scale: scale), rounded: false)
    }

    /// The general path of `parseUsageNumber`: any number of digits and any exponent. The text is read twice: once
    /// to check it and find the exponent, once to gather the digits that are kept.
    static func parseUsageNumberRounding(_ bytes: UnsafeBufferPointer<UInt8>) -> UsageNumber {
        let count = bytes.count
        guard count > 0 else { return .invalid }
        var i = 0
        var negative = false
        if bytes[0] == UInt8(ascii: "-") || bytes[0] == UInt8(ascii: "+") {
            negative = bytes[0] == UInt8(ascii: "-")
            i = 1
        }
        let mantissaStart = i
        var digitCount = 0  // digits of the mantissa, leading zeros included
        var integerDigitCount = 0  // of which before the point
        var firstNonZero = -1  // index among the digits
        var seenPoint = false
        while i < count {
            let byte = bytes[i]
            if byte >= 48 && byte <= 57 {
                if firstNonZero < 0 && byte != 48 { firstNonZero = digitCount }
                digitCount += 1
                if !seenPoint { integerDigitCount += 1 }
            } else if byte == UInt8(ascii: ".") && !seenPoint {
                seenPoint = true
            } else {
                break
            }
            i += 1
        }
        guard digitCount > 0 else { return .invalid }
        let mantissaEnd = i
        var exponent = 0
        if i < count {
            guard bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") else { return .invalid }
            i += 1
            var exponentNegative = false
            if i < count && (bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+")) {
                exponentNegative = bytes[i] == UInt8(ascii: "-")
                i += 1
            }
            var anyExponentDigit = false
            while i < count {
                let byte = bytes[i]
                guard byte >= 48 && byte <= 57 else { return .invalid }
                anyExponentDigit = true
                // Saturates: an exponent this large makes any non-zero value out of range, or rounds it to zero.
                exponent = min(exponent * 10 + Int(byte - 48), 1_000_000)
                i += 1
            }
            guard anyExponentDigit else { return .invalid }
            if exponentNegative { exponent = -exponent }
        }
        let places = UsageReader.decimalPlaces
        guard firstNonZero >= 0 else { return .value(ExactDecimal(significand: 0, scale: 0), rounded: false) }
        // Digit k of the mantissa (0-based, leading zeros included) stands for 10^(pointWeight - k).
        let pointWeight = integerDigitCount + exponent - 1
        if pointWeight - firstNonZero >= UsageReader.integerDigits { return .outOfRange }
        // Digits kept: weight ≥ -places, that is k ≤ lastKept.
        let lastKept = pointWeight + places
        var significand: Int128 = 0
        var firstDropped: UInt8 = 0
        var stickyDropped = false  // a non-zero digit after the first one dropped
        var k = 0
        var lastTaken = -1
        for j in mantissaStart..<mantissaEnd {
            let byte = bytes[j]
            guard byte != UInt8(ascii: ".") else { continue }
            let digit = byte - 48
            if k <= lastKept {
                if k >= firstNonZero { significand = significand * 10 + Int128(digit) }
                lastTaken = k
            } else if k == lastKept + 1 {
                firstDropped = digit
            } else if digit != 0 {
                stickyDropped = true
            }
            k += 1
        }
        let scale: Int
        var rounded = false
        if lastKept < digitCount - 1 {
            // Digits were dropped: the value is kept at `places` places.
            scale = places
            if lastKept < -1 {
                // Even the first dropped digit lies past the mantissa's start: every digit is dropped, and the
                // value is below half a unit of the last place kept.
                stickyDropped = true
                firstDropped = 0
            }
            rounded = firstDropped != 0 || stickyDropped
            if firstDropped > 5 || (firstDropped == 5 && (stickyDropped || significand % 2 != 0)) {
                significand += 1
            }
        } else {
            // Every digit kept: the last one's weight gives the scale; a positive weight adds zeros.
            let lastWeight = pointWeight - lastTaken
            if lastWeight > 0 {
                significand *= largePowersOfTen[lastWeight]
                scale = 0
            } else {
                scale = -lastWeight
            }
        }
        if significand >= largePowersOfTen[UsageReader.integerDigits + scale] { return .outOfRange }
        return .value(ExactDecimal(significand: negative ? -significand : significand, scale: scale), rounded: rounded)
    }
}

/// 10⁰ … 10¹⁹.
private let smallPowersOfTen: [UInt64] = {
    var powers: [UInt64] = [1]
    for _ in 1...19 { powers.append(powers[powers.count - 1] * 10) }
    return powers
}()

/// 10⁰ … 10³⁸.
private let largePowersOfTen: [Int128] = {
    var powers: [Int128] = [1]
    for _ in 1...38 { powers.append(powers[powers.count - 1] * 10) }
    return powers
}()

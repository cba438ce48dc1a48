/// An exact decimal number: `significand × 10^(−scale)`.
///
/// Money, rates and percentages are carried as `ExactDecimal` from the text they are read from to the text they are
/// printed as; no binary floating-point number is ever involved. Addition, subtraction and multiplication are exact;
/// division and rounding take an explicit scale and rounding mode.
///
/// Values compare and hash by their numeric value: `1.5 == 1.50`. The scale is kept for presentation
/// (`description` prints `50.00` for a value parsed from "50.00").
public struct ExactDecimal: Sendable, CustomStringConvertible {
    /// The integer whose value, divided by `10^scale`, is this number.
    public private(set) var significand: Int128
    /// How many digits stand after the decimal point.
    public private(set) var scale: Int

    /// The largest scale a value may carry.
    public static let maxScale = 36
    /// The most significant digits a parsed value may have.
    public static let maxDigits = 34

    public static let zero = ExactDecimal(significand: 0, scale: 0)
    public static let one = ExactDecimal(significand: 1, scale: 0)
    public static let hundred = ExactDecimal(significand: 100, scale: 0)

    public init(significand: Int128, scale: Int) {
        precondition(scale >= 0 && scale <= Self.maxScale, "ExactDecimal scale out of range")
        self.significand = significand
        self.scale = scale
    }

    public init(_ value: Int) {
        self.init(significand: Int128(value), scale: 0)
    }

    /// Parses a decimal from text: an optional sign, digits with an optional point, and an optional exponent
    /// (`4.0E-7`). Returns nil for anything else, including empty text, more than `maxDigits` significant digits,
    /// or a value whose scale would exceed `maxScale`.
    public init?(_ text: String) {
        var text = text
        let parsed: ExactDecimal? = text.withUTF8 { ExactDecimal.parse($0) }
        guard let parsed else { return nil }
        self = parsed
    }

    /// Parses ASCII bytes (see `init?(_: String)`).
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> ExactDecimal? {
        var index = 0
        let count = bytes.count
        guard count > 0 else { return nil }
        var negative = false
        if bytes[0] == UInt8(ascii: "-") {
            negative = true
            index = 1
        } else if bytes[0] == UInt8(ascii: "+") {
            index = 1
        }
        var significand: Int128 = 0
        var digits = 0  // significant digits taken (leading zeros excluded)
        var anyDigit = false
        var fractionDigits = 0
        var seenPoint = false
        while index < count {
            let byte = bytes[index]
            if byte >= 48 && byte <= 57 {
                anyDigit = true
                if significand != 0 || byte != 48 { digits += 1 }
                if digits > maxDigits { return nil }
                significand = significand * 10 + Int128(byte - 48)
                if seenPoint { fractionDigits += 1 }
            } else if byte == UInt8(ascii: ".") && !seenPoint {
                seenPoint = true
            } else {
                break
            }
            index += 1
        }
        guard anyDigit else { return nil }
        var exponent = 0
        if index < count {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") else { return nil }
            index += 1
            var exponentNegative = false
            if index < count && (bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+")) {
                exponentNegative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            var anyExponentDigit = false
            while index < count {
                let byte = bytes[index]
                guard byte >= 48 && byte <= 57 else { return nil }
                anyExponentDigit = true
                exponent = exponent * 10 + Int(byte - 48)
                if exponent > 1000 { return nil }
                index += 1
            }
            guard anyExponentDigit else { return nil }
            if exponentNegative { exponent = -exponent }
        }
        var scale = fractionDigits - exponent
        if scale < 0 {
            // Move the exponent into the significand.
            while scale < 0 {
                if significand != 0 {
                    digits += 1
                    if digits > maxDigits { return nil }
                }
                significand *= 10
                scale += 1
            }
        }
        guard scale <= maxScale else {
            if significand == 0 { return ExactDecimal(significand: 0, scale: 0) }
            return nil
        }
        return ExactDecimal(significand: negative ? -significand : significand, scale: scale)
    }

    /// Whether the value has at most `integerDigits` digits before the point and `fractionDigits` after it
    /// (trailing zeros not counted): the bound that keeps sums and products of amounts far inside the range.
    public func fits(integerDigits: Int, fractionDigits: Int) -> Bool {
        var value = self
        if value.scale > fractionDigits {
            value = value.normalized
            guard value.scale <= fractionDigits else { return false }
        }
        let magnitude = value.significand < 0 ? -value.significand : value.significand
        return magnitude < Self.powerOfTen(integerDigits + value.scale)
    }

    public var isZero: Bool { significand == 0 }
    public var isNegative: Bool { significand < 0 }
    public var signum: Int { significand == 0 ? 0 : (significand < 0 ? -1 : 1) }
    public var magnitude: ExactDecimal { ExactDecimal(significand: significand < 0 ? -significand : significand, scale: scale) }

    /// The same value with trailing fractional zeros removed (`1.500` → `1.5`, `2.00` → `2`).
    public var normalized: ExactDecimal {
        var s = significand
        var sc = scale
        while sc > 0 && s % 10 == 0 {
            s /= 10
            sc -= 1
        }
        return ExactDecimal(significand: s, scale: sc)
    }

    /// How many digits after the point the normalized value needs.
    public var significantFractionDigits: Int { normalized.scale }

    /// The same value at a larger scale (exact). `newScale` must not be smaller than `scale`.
    public func rescaled(to newScale: Int) -> ExactDecimal {
        precondition(newScale >= scale)
        return ExactDecimal(significand: significand * Self.powerOfTen(newScale - scale), scale: newScale)
    }

    public var description: String {
        let negative = significand < 0
        let digits = String(negative ? -significand : significand)
        var text: String
        if scale == 0 {
            text = digits
        } else if digits.count > scale {
            let split = digits.index(digits.endIndex, offsetBy: -scale)
            text = String(digits[..<split]) + "." + String(digits[split...])
        } else {
            text = "0." + String(repeating: "0", count: scale - digits.count) + digits
        }
        return negative ? "-" + text : text
    }

    /// The text at exactly `places` decimal places, rounding with `mode` where digits are dropped.
    public func formatted(places: Int, rounding mode: RoundingMode = .halfEven) -> String {
        let value = places >= scale ? rescaled(to: places) : rounded(scale: places, mode)
        return value.description
    }

    static func powerOfTen(_ exponent: Int) -> Int128 {
        precondition(exponent >= 0 && exponent <= 38)
        return powersOfTen[exponent]
    }

    /// 10⁰ … 10³⁸.
    static let powersOfTen: [Int128] = {
        var powers: [Int128] = [1]
        for _ in 1...38 { powers.append(powers.last! * 10) }
        return powers
    }()
}

/// How a value is rounded to fewer decimal places.
public enum RoundingMode: String, Sendable, CaseIterable, Codable {
    /// Ties go to the even neighbour (banker's rounding).
    case halfEven = "half_even"
    /// Ties go away from zero.
    case halfUp = "half_up"
    /// Toward zero.
    case down
}

extension ExactDecimal {
    /// This value rounded to `scale` decimal places (a no-op when it already has no more).
    public func rounded(scale newScale: Int, _ mode: RoundingMode = .halfEven) -> ExactDecimal {
        guard newScale < scale else { return self }
        let divisor = Self.powerOfTen(scale - newScale)
        return ExactDecimal(
            significand: Self.divide(significand, by: divisor, mode), scale: newScale)
    }

    /// `self / other` rounded to `scale` decimal places. Returns nil when `other` is zero.
    public func divided(by other: ExactDecimal, scale resultScale: Int, _ mode: RoundingMode = .halfEven) -> ExactDecimal? {
        guard other.significand != 0, resultScale >= 0, resultScale <= Self.maxScale else { return nil }
        // self / other = (s1 / 10^a) / (s2 / 10^b) = s1 * 10^(b - a) / s2; want result * 10^resultScale. Computed at
        // double width, so no intermediate product overflows; nil when the quotient itself does not fit.
        let shift = resultScale + other.scale - scale
        let negative = (significand < 0) != (other.significand < 0)
        var numerator: (high: UInt128, low: UInt128) = (0, significand.magnitude)
        var denominator = other.significand.magnitude
        if shift >= 0 {
            guard let factor = Self.powerOfTenChecked(shift) else { return nil }
            numerator = significand.magnitude.multipliedFullWidth(by: UInt128(factor))
        } else {
            guard let factor = Self.powerOfTenChecked(-shift),
                case (let scaled, false) = denominator.multipliedReportingOverflow(by: UInt128(factor))
            else {
                // The divisor exceeds 2^128 units while the dividend is below 2^127: less than half a unit.
                return ExactDecimal(significand: 0, scale: resultScale)
            }
            denominator = scaled
        }
        guard let magnitude = Self.roundedQuotient(numerator, by: denominator, negative: negative, mode) else {
            return nil
        }
        return ExactDecimal(significand: negative ? -magnitude : magnitude, scale: resultScale)
    }

    /// `dividend / divisor` rounded with `mode` (for a value of the given sign), or nil when it exceeds `Int128.max`.
    static func roundedQuotient(
        _ dividend: (high: UInt128, low: UInt128), by divisor: UInt128, negative: Bool, _ mode: RoundingMode
    ) -> Int128? {
        guard dividend.high < divisor else { return nil }
        let (quotient, remainder) = divisor.dividingFullWidth(dividend)
        var magnitude = quotient
        if remainder != 0 {
            let twice = remainder.multipliedReportingOverflow(by: 2)
            // Twice the remainder against the divisor: above, at or below one half.
            let comparison =
                twice.overflow || twice.partialValue > divisor ? 1 : (twice.partialValue == divisor ? 0 : -1)
            let away: Bool
            switch mode {
            case .down: away = false
            case .halfUp: away = comparison >= 0
            case .halfEven: away = comparison > 0 || (comparison == 0 && quotient % 2 == 1)
            }
            if away { magnitude += 1 }
        }
        guard magnitude <= UInt128(Int128.max) else { return nil }
        return Int128(magnitude)
    }

    /// Integer division with the given rounding of the remainder.
    static func divide(_ numerator: Int128, by denominator: Int128, _ mode: RoundingMode) -> Int128 {
        let quotient = numerator / denominator
        let remainder = numerator % denominator
        if remainder == 0 { return quotient }
        let negative = (numerator < 0) != (denominator < 0)
        let twiceRemainder = (remainder < 0 ? -remainder : remainder) * 2
        let absDenominator = denominator < 0 ? -denominator : denominator
        let roundAway: Bool
        switch mode {
        case .down:
            roundAway = false
        case .halfUp:
            roundAway = twiceRemainder >= absDenominator
        case .halfEven:
            if twiceRemainder == absDenominator {
                roundAway = quotient % 2 != 0
            } else {
                roundAway = twiceRemainder > absDenominator
            }
        }
        guard roundAway else { return quotient }
        return negative ? quotient - 1 : quotient + 1
    }
}

extension ExactDecimal: AdditiveArithmetic {
    public static func + (lhs: ExactDecimal, rhs: ExactDecimal) -> ExactDecimal {
        if lhs.scale == rhs.scale {
            return ExactDecimal(significand: lhs.significand + rhs.significand, scale: lhs.scale)
        }
        let scale = max(lhs.scale, rhs.scale)
        return ExactDecimal(
            significand: lhs.rescaled(to: scale).significand + rhs.rescaled(to: scale).significand, scale: scale)
    }

    public static func - (lhs: ExactDecimal, rhs: ExactDecimal) -> ExactDecimal {
        lhs + (-rhs)
    }

    public static prefix func - (value: ExactDecimal) -> ExactDecimal {
        ExactDecimal(significand: -value.significand, scale: value.scale)
    }

    /// Exact product. The scale is the sum of the scales; when that exceeds `maxScale`, the product is rounded
    /// half-even to `maxScale` places.
    public static func * (lhs: ExactDecimal, rhs: ExactDecimal) -> ExactDecimal {
        let scale = lhs.scale + rhs.scale
        let product = lhs.significand * rhs.significand
        if scale <= maxScale { return ExactDecimal(significand: product, scale: scale) }
        return ExactDecimal(significand: divide(product, by: powerOfTen(scale - maxScale), .halfEven), scale: maxScale)
    }

    public static func += (lhs: inout ExactDecimal, rhs: ExactDecimal) { lhs = lhs + rhs }
    public static func -= (lhs: inout ExactDecimal, rhs: ExactDecimal) { lhs = lhs - rhs }
}

extension ExactDecimal {
    /// `self + other`, and whether the exact sum overflowed the significand (the sum is then meaningless).
    public func addingReportingOverflow(_ other: ExactDecimal) -> (partialValue: ExactDecimal, overflow: Bool) {
        let scale = max(self.scale, other.scale)
        func lifted(_ value: ExactDecimal) -> (Int128, Bool) {
            guard value.scale < scale else { return (value.significand, false) }
            return value.significand.multipliedReportingOverflow(by: Self.powerOfTen(scale - value.scale))
        }
        let (a, overflowA) = lifted(self)
        let (b, overflowB) = lifted(other)
        let (sum, overflowSum) = a.addingReportingOverflow(b)
        return (ExactDecimal(significand: overflowA || overflowB || overflowSum ? 0 : sum, scale: scale),
                overflowA || overflowB || overflowSum)
    }
}

extension ExactDecimal {
    /// The same value at a larger scale, or nil when its significand would not fit (or `newScale` is out of range).
    public func rescaledReportingOverflow(to newScale: Int) -> ExactDecimal? {
        guard newScale >= scale, newScale <= Self.maxScale else { return nil }
        let (product, overflow) = significand.multipliedReportingOverflow(by: Self.powerOfTen(newScale - scale))
        return overflow ? nil : ExactDecimal(significand: product, scale: newScale)
    }

    /// `self × other` at the summed scale, and whether it overflowed (the product is then meaningless).
    public func multipliedReportingOverflow(by other: ExactDecimal) -> (partialValue: ExactDecimal, overflow: Bool) {
        let scale = self.scale + other.scale
        let (product, overflow) = significand.multipliedReportingOverflow(by: other.significand)
        guard !overflow else { return (.zero, true) }
        if scale <= Self.maxScale { return (ExactDecimal(significand: product, scale: scale), false) }
        return (ExactDecimal(significand: Self.divide(product, by: Self.powerOfTen(scale - Self.maxScale), .halfEven), scale: Self.maxScale), false)
    }

    /// `self × other` rounded to `resultScale` places with `mode`, computed at double width so that no intermediate
    /// product overflows; nil when the result does not fit.
    public func multiplied(by other: ExactDecimal, scale resultScale: Int, _ mode: RoundingMode = .halfEven)
        -> ExactDecimal?
    {
        guard resultScale >= 0, resultScale <= Self.maxScale else { return nil }
        let productScale = scale + other.scale
        let negative = (significand < 0) != (other.significand < 0)
        let product = significand.magnitude.multipliedFullWidth(by: other.significand.magnitude)
        let magnitude: UInt128
        if productScale <= resultScale {
            guard product.high == 0, let factor = Self.powerOfTenChecked(resultScale - productScale) else { return nil }
            let (lifted, overflow) = product.low.multipliedReportingOverflow(by: UInt128(factor))
            guard !overflow else { return nil }
            magnitude = lifted
        } else {
            let drop = productScale - resultScale
            guard let divisor = Self.powerOfTenChecked(drop).map(UInt128.init) else {
                // More than 38 places dropped: the product is below one unit of the result, or too large to matter.
                return product.high == 0 && product.low < UInt128(Int128.max)
                    ? ExactDecimal(significand: 0, scale: resultScale) : nil
            }
            guard let value = Self.roundedQuotient(product, by: divisor, negative: negative, mode) else { return nil }
            return ExactDecimal(significand: negative ? -value : value, scale: resultScale)
        }
        guard magnitude <= UInt128(Int128.max) else { return nil }
        let value = Int128(magnitude)
        return ExactDecimal(significand: negative ? -value : value, scale: resultScale)
    }

    static func powerOfTenChecked(_ exponent: Int) -> Int128? {
        exponent >= 0 && exponent <= 38 ? powersOfTen[exponent] : nil
    }

    /// How many decimal digits the significand has (1 for zero).
    public var significandDigits: Int {
        var magnitude = significand < 0 ? -significand : significand
        var digits = 1
        while magnitude >= 10 {
            magnitude /= 10
            digits += 1
        }
        return digits
    }
}

extension ExactDecimal: Comparable, Hashable {
    public static func == (lhs: ExactDecimal, rhs: ExactDecimal) -> Bool {
        compare(lhs, rhs) == 0
    }

    public static func < (lhs: ExactDecimal, rhs: ExactDecimal) -> Bool {
        compare(lhs, rhs) < 0
    }

    /// Never overflows: a value that cannot be written at the other's scale is larger in magnitude than it.
    static func compare(_ lhs: ExactDecimal, _ rhs: ExactDecimal) -> Int {
        if lhs.scale == rhs.scale {
            return lhs.significand == rhs.significand ? 0 : (lhs.significand < rhs.significand ? -1 : 1)
        }
        if lhs.scale < rhs.scale {
            guard let a = lhs.rescaledReportingOverflow(to: rhs.scale) else { return lhs.significand < 0 ? -1 : 1 }
            return compare(a, rhs)
        }
        guard let b = rhs.rescaledReportingOverflow(to: lhs.scale) else { return rhs.significand < 0 ? 1 : -1 }
        return compare(lhs, b)
    }

    public func hash(into hasher: inout Hasher) {
        let n = normalized
        hasher.combine(n.significand)
        hasher.combine(n.scale)
    }
}

extension ExactDecimal: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int) { self.init(value) }
}

extension ExactDecimal: Codable {
    /// Encoded as a decimal string, never as a JSON number.
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = ExactDecimal(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a decimal: \(text)")
        }
        self = value
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension Sequence where Element == ExactDecimal {
    /// The exact sum.
    public func sum() -> ExactDecimal { reduce(.zero, +) }
}

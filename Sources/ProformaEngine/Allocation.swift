import ProformaCore

/// Splitting an amount into parts that add up to it exactly, whatever the signs (billing-semantics.md §7).
///
/// Every split is by largest remainder: each part is its exact share rounded toward negative infinity, and the units
/// left over go one each to the parts with the largest remainders (equal remainders: the earlier part). The
/// arithmetic is on integers, with products held at double width, so shares and remainders are exact and the split
/// never overflows or traps.
public enum Allocation {
    /// Splits `total` in proportion to `weights` at `scale` places (or at `total`'s own places, if it has more), by
    /// largest remainder, so the parts add up to `total` exactly.
    ///
    /// Pro rata means in proportion to the signed weights: part i is `total × wᵢ / Σw`, so a fee split over a credit
    /// and a charge gives the credit a negative part (an ITEMIZED item's part is its percentage of the base line).
    /// When the weights cancel out to zero, or so nearly that the parts could not be held exactly, the split is in
    /// proportion to the weights' absolute values, every part then having the sign of `total`; with all weights zero,
    /// it is even.
    public static func proRata(_ total: ExactDecimal, weights: [ExactDecimal], scale: Int) -> [ExactDecimal] {
        guard !weights.isEmpty else { return [] }
        let scale = max(0, min(ExactDecimal.maxScale, scale))
        // The parts' scale: `scale`, or the total's own if it has more places, or fewer when the total could not be
        // written at `scale` (a total beyond 10^(38 − scale)).
        var partScale = max(scale, total.normalized.scale)
        var units = Wide.significand(of: total, at: partScale)
        if units == nil {
            partScale = total.normalized.scale
            units = total.normalized.significand
        }
        guard let totalUnits = units else { return weights.map { _ in .zero } }
        let integers = Wide.integerWeights(weights)
        let shares: [Int128]
        if integers.allSatisfy({ $0 == 0 }) {
            shares = largestRemainder(totalUnits, weights: integers.map { _ in 1 }, sum: Int128(integers.count)) ?? []
        } else if let sum = Wide.checkedSum(integers), sum != 0,
            let signed = largestRemainder(totalUnits, weights: integers, sum: sum)
        {
            shares = signed
        } else {
            // `integerWeights` keeps the sum of the magnitudes in range, and each part is at most `total`.
            let magnitudes = integers.map { Int128($0.magnitude) }
            shares = largestRemainder(totalUnits, weights: magnitudes, sum: Wide.checkedSum(magnitudes) ?? 1) ?? []
        }
        guard shares.count == weights.count else {
            // Only a total near the end of the range gets here: it goes whole to the first of the heaviest weights.
            let heaviest = integers.indices.max { integers[$0].magnitude < integers[$1].magnitude } ?? 0
            return weights.indices.map { $0 == heaviest ? total : .zero }
        }
        return shares.map { ExactDecimal(significand: $0, scale: partScale) }
    }

    /// Each amount rounded to `places` so that the rounded parts add up to the rounded total of the amounts
    /// (`mode`), by largest remainder: the split of §7 for presentation.
    public static func roundedParts(
        _ amounts: [ExactDecimal], places: Int, mode: RoundingMode
    ) -> (parts: [ExactDecimal], total: ExactDecimal) {
        let total = Wide.checkedSum(amounts).rounded(scale: places, mode)
        return (split(total, like: amounts, places: places), total)
    }

    /// Splits `total`, a figure at `places`, into parts at `places` that follow `amounts` (exact figures): each
    /// part is its amount rounded down to `places`, and the units that `total` leaves over are handed out by
    /// largest remainder. When `total` is the amounts' sum rounded (or within one unit of it), every part is its
    /// amount rounded up or down; any other difference is spread evenly first. The parts add up to `total` exactly.
    public static func split(_ total: ExactDecimal, like amounts: [ExactDecimal], places: Int) -> [ExactDecimal] {
        guard !amounts.isEmpty else { return [] }
        let places = max(0, min(ExactDecimal.maxScale, places))
        let step = unit(places)
        var parts = amounts.map { floor($0, places) }
        // Remainders in [0, 1) unit; sorted largest first, equal ones in order.
        let order = amounts.indices.sorted {
            let a = amounts[$0] - parts[$0]
            let b = amounts[$1] - parts[$1]
            return a != b ? a > b : $0 < $1
        }
        let target = total.rounded(scale: places, .halfEven)
        guard let leftUnits = Wide.significand(of: target - Wide.checkedSum(parts), at: places) else { return parts }
        let count = Int128(amounts.count)
        // Whole units for every part first (only when `total` is far from the amounts), then one each by remainder.
        var (each, extra) = leftUnits.quotientAndRemainder(dividingBy: count)
        if extra < 0 {
            each -= 1
            extra += count
        }
        if each != 0 {
            let share = ExactDecimal(significand: each, scale: places)
            parts = parts.map { $0 + share }
        }
        for index in order.prefix(Int(extra)) { parts[index] += step }
        return parts
    }

    /// Largest remainder of `total` (integer units) over integer `weights` summing to `sum` (not zero). Nil when a
    /// share, or the sum of their magnitudes, would leave the range of `Int128`.
    static func largestRemainder(_ total: Int128, weights: [Int128], sum: Int128) -> [Int128]? {
        let totalMagnitude = total.magnitude
        let sumMagnitude = sum.magnitude
        // Σ|shareᵢ| = |total| × Σ|wᵢ| / |Σw| must fit, so that every partial sum of the parts does.
        guard let magnitudes = Wide.magnitudeSum(weights),
            let bound = Wide.quotient(totalMagnitude, times: magnitudes, over: sumMagnitude),
            bound.0 <= UInt128(Int128.max / 2)
        else { return nil }
        var parts: [Int128] = []
        parts.reserveCapacity(weights.count)
        var remainders: [UInt128] = []
        remainders.reserveCapacity(weights.count)
        for weight in weights {
            guard let (quotient, remainder) = Wide.quotient(totalMagnitude, times: weight.magnitude, over: sumMagnitude)
            else { return nil }
            let negative = weight != 0 && total != 0 && [total < 0, weight < 0, sum < 0].filter { $0 }.count % 2 == 1
            if !negative || remainder == 0 {
                parts.append(negative ? -Int128(quotient) : Int128(quotient))
                remainders.append(negative ? 0 : remainder)
            } else {
                // −(q + r/d): floor is −q − 1, remainder (d − r)/d.
                parts.append(-Int128(quotient) - 1)
                remainders.append(sumMagnitude - remainder)
            }
        }
        // Σ|parts| ≤ Σ|shares| + one unit each, in range by the check above; Σ parts is within one unit per part of
        // `total`, so 0 ≤ left < number of parts: each floor lost less than one unit.
        guard let sum = Wide.checkedSum(parts) else { return nil }
        var left = total - sum
        let order = weights.indices.sorted {
            remainders[$0] != remainders[$1] ? remainders[$0] > remainders[$1] : $0 < $1
        }
        var cursor = 0
        while left > 0 {
            parts[order[cursor % order.count]] += 1
            left -= 1
            cursor += 1
        }
        return parts
    }

    static func unit(_ scale: Int) -> ExactDecimal { ExactDecimal(significand: 1, scale: scale) }

    /// `value` rounded toward negative infinity at `places`.
    static func floor(_ value: ExactDecimal, _ places: Int) -> ExactDecimal {
        let truncated = value.rounded(scale: places, .down)
        return truncated > value ? truncated - unit(places) : truncated
    }
}

/// Integer arithmetic for splits, checked or at double width.
enum Wide {
    /// `a × b / d` (d > 0) as quotient and remainder, or nil when the quotient exceeds `Int128.max`.
    static func quotient(_ a: UInt128, times b: UInt128, over d: UInt128) -> (UInt128, UInt128)? {
        let product = a.multipliedFullWidth(by: b)
        guard product.high < d else { return nil }
        let (quotient, remainder) = d.dividingFullWidth(product)
        guard quotient <= UInt128(Int128.max) - 1 else { return nil }
        return (quotient, remainder)
    }

    /// The significand of `value` at `scale` places (rounded half-even when it has more), or nil when it does not
    /// fit.
    static func significand(of value: ExactDecimal, at scale: Int) -> Int128? {
        if value.scale >= scale { return value.rounded(scale: scale).significand }
        return value.rescaledReportingOverflow(to: scale)?.significand
    }

    /// Σ|wᵢ|, or nil when it exceeds `Int128.max`.
    static func magnitudeSum(_ values: [Int128]) -> UInt128? {
        var sum: UInt128 = 0
        for value in values {
            let (next, overflow) = sum.addingReportingOverflow(value.magnitude)
            guard !overflow, next <= UInt128(Int128.max) else { return nil }
            sum = next
        }
        return sum
    }

    static func checkedSum(_ values: [Int128]) -> Int128? {
        var sum: Int128 = 0
        for value in values {
            let (next, overflow) = sum.addingReportingOverflow(value)
            guard !overflow else { return nil }
            sum = next
        }
        return sum
    }

    /// The sum of decimals, exact when it fits; a sum beyond range is replaced by its parts summed at fewer places
    /// (only values far beyond any bill get there).
    static func checkedSum(_ values: [ExactDecimal]) -> ExactDecimal {
        var sum = ExactDecimal.zero
        for value in values {
            let (next, overflow) = sum.addingReportingOverflow(value)
            if !overflow {
                sum = next
                continue
            }
            let scale = max(0, min(sum.scale, value.scale) - 1)
            sum = checkedSum([sum.rounded(scale: scale), value.rounded(scale: scale)])
        }
        return sum
    }

    /// The weights as integers at one scale, with the sum of their magnitudes in range: at the largest scale any
    /// of them needs, or as many fewer places (down to whole tens, hundreds, …) as that takes.
    static func integerWeights(_ weights: [ExactDecimal]) -> [Int128] {
        let normalized = weights.map(\.normalized)
        var scale = normalized.map(\.scale).max() ?? 0
        var shift = 0  // places dropped below the units, for weights beyond 10^38 in sum
        while true {
            var integers: [Int128] = []
            integers.reserveCapacity(normalized.count)
            var fits = true
            for weight in normalized {
                var value: Int128
                if let lifted = significand(of: weight, at: scale) {
                    value = lifted
                } else {
                    fits = false
                    break
                }
                if shift > 0 { value = ExactDecimal(significand: value, scale: shift).rounded(scale: 0).significand }
                integers.append(value)
            }
            if fits, magnitudeSum(integers) != nil { return integers }
            if scale > 0 {
                scale -= 1
            } else if shift < ExactDecimal.maxScale {
                shift += 1
            } else {
                return normalized.map { _ in 0 }
            }
        }
    }
}

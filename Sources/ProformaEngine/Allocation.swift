import ProformaCore

/// Splitting an amount into parts that add up to it exactly.
public enum Allocation {
    /// Splits `total` in proportion to `weights` at `scale` places, by largest remainder, so the parts sum to
    /// `total` exactly (`total` must have at most `scale` places). With all weights zero, the parts are split
    /// evenly.
    public static func proRata(_ total: ExactDecimal, weights: [ExactDecimal], scale: Int) -> [ExactDecimal] {
        guard !weights.isEmpty else { return [] }
        let sum = weights.sum()
        let effective = sum.isZero ? Array(repeating: ExactDecimal.one, count: weights.count) : weights
        let weightSum = sum.isZero ? ExactDecimal(weights.count) : sum
        // Floor each exact share toward negative infinity at `scale`, then hand out the remaining units.
        var parts: [ExactDecimal] = []
        var remainders: [(index: Int, remainder: ExactDecimal)] = []
        for (index, weight) in effective.enumerated() {
            // total × (weight / Σ weights), the ratio to 14 places: exact enough to order the remainders, and
            // small enough that the product stays far inside the significand's range. The parts still add up to
            // `total` exactly, whatever the ratio's precision, because the remainder is handed out below.
            // Fewer places for a very large total, so the product always fits; only the order of remainders can
            // depend on them.
            let ratioScale = max(0, min(14, 36 - total.significandDigits))
            let ratio = weight.divided(by: weightSum, scale: ratioScale, .down)!
            let exact = total * ratio
            var floor = exact.rounded(scale: scale, .down)
            if floor > exact { floor -= unit(scale) }  // .down truncates toward zero; floor negatives
            parts.append(floor)
            remainders.append((index, exact - floor))
        }
        var left = total - parts.sum()
        let step = unit(scale)
        // With a coarse ratio (a very large total) more than one unit per part may be left: the surplus goes to the
        // heaviest part, so what remains is handed out unit by unit below.
        let units = step * ExactDecimal(parts.count)
        if left > units, let heaviest = effective.indices.max(by: { effective[$0] < effective[$1] }) {
            let surplus = left - units
            parts[heaviest] += surplus
            left -= surplus
        }
        let order = remainders.sorted { $0.remainder != $1.remainder ? $0.remainder > $1.remainder : $0.index < $1.index }
        var cursor = 0
        while left >= step && !order.isEmpty {
            parts[order[cursor % order.count].index] += step
            left -= step
            cursor += 1
        }
        return parts
    }

    /// Rounds each amount to `places` so that the rounded parts add up to `total` rounded to `places`: the
    /// largest-remainder method over the rounding differences (§7).
    public static func roundedParts(
        _ amounts: [ExactDecimal], places: Int, mode: RoundingMode
    ) -> (parts: [ExactDecimal], total: ExactDecimal) {
        let total = amounts.sum().rounded(scale: places, mode)
        guard !amounts.isEmpty else { return ([], total) }
        var parts = amounts.map { floor($0, places) }
        var left = total - parts.sum()
        let step = unit(places)
        let order = amounts.indices.sorted {
            let a = amounts[$0] - parts[$0]
            let b = amounts[$1] - parts[$1]
            return a != b ? a > b : $0 < $1
        }
        var cursor = 0
        while left >= step {
            parts[order[cursor % order.count]] += step
            left -= step
            cursor += 1
        }
        while left <= -step {
            // Cannot happen with floors, kept for safety: take back from the smallest remainders.
            parts[order[order.count - 1 - cursor % order.count]] -= step
            left += step
            cursor += 1
        }
        return (parts, total)
    }

    static func unit(_ scale: Int) -> ExactDecimal { ExactDecimal(significand: 1, scale: scale) }

    static func floor(_ value: ExactDecimal, _ places: Int) -> ExactDecimal {
        let truncated = value.rounded(scale: places, .down)
        return truncated > value ? truncated - unit(places) : truncated
    }
}

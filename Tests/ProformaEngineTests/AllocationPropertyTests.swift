import ProformaCore
import ProformaEngine
import ProformaTestSupport
import Testing

/// The seeded generator of the test support (SplitMix64), so that every property run sees the same cases.
typealias SplitMix = Mutator

extension Mutator {

    /// A decimal with up to `digits` significant digits at 0…`maxScale` places, of either sign unless `positive`.
    mutating func decimal(digits: Int = 12, maxScale: Int = 10, positive: Bool = false) -> ExactDecimal {
        var significand: Int128 = 0
        for _ in 0..<Int.random(in: 1...digits, using: &self) { significand = significand * 10 + Int128(next() % 10) }
        if !positive && Bool.random(using: &self) { significand = -significand }
        return ExactDecimal(significand: significand, scale: Int.random(in: 0...maxScale, using: &self))
    }
}

@Suite struct ProRataAnySignTests {
    static let unit = ExactDecimal(significand: 1, scale: 10)

    /// The case users met: a negative total over three weights lost a part of a unit.
    @Test func negativeTotalsAddUpExactly() {
        let total = d("-20693.4765")
        let parts = Allocation.proRata(total, weights: [d("1"), d("2"), d("3")], scale: 10)
        #expect(parts.sum() == total)
        #expect(parts == [d("-3448.9127500000"), d("-6897.8255000000"), d("-10346.7382500000")])
        let thirds = Allocation.proRata(d("-10"), weights: [d("1"), d("1"), d("1")], scale: 2)
        #expect(thirds.sum() == d("-10"))
        // Largest remainder, toward negative infinity: −3.333… floors to −3.34 for every part, and the two units
        // left go to the first two parts (equal remainders: the earlier one).
        #expect(thirds == [d("-3.33"), d("-3.33"), d("-3.34")])
    }

    /// Mixed signs: each part is total × weight / Σ weights, so a credit line gets a negative share of a fee.
    @Test func mixedSignWeightsAreSignedShares() {
        let parts = Allocation.proRata(d("2.1"), weights: [d("100"), d("-30")], scale: 10)
        #expect(parts == [d("3"), d("-0.9")])
        let credit = Allocation.proRata(d("-7.7"), weights: [d("400"), d("-15")], scale: 2)
        #expect(credit == [d("-8.00"), d("0.30")])
        #expect(credit.sum() == d("-7.7"))
    }

    /// Weights that cancel out have no signed proportion: the split is by absolute weight, every part with the
    /// sign of the total.
    @Test func cancellingWeightsSplitByAbsoluteWeight() {
        let parts = Allocation.proRata(d("-9"), weights: [d("5"), d("-5"), d("10")].dropLast() + [d("0")], scale: 2)
        #expect(parts == [d("-4.50"), d("-4.50"), d("0")])
        #expect(
            Allocation.proRata(d("1"), weights: [d("0"), d("0"), d("0")], scale: 2) == [
                d("0.34"), d("0.33"), d("0.33"),
            ])
        #expect(Allocation.proRata(d("1"), weights: [], scale: 2).isEmpty)
    }

    /// Near-cancelling weights would give parts beyond the exact range: split by absolute weight, still exact.
    @Test func nearlyCancellingHugeWeightsStayExact() {
        let huge = d("99999999999999999.9999999999")
        let total = d("12345678901234567.8901234567")
        let parts = Allocation.proRata(total, weights: [huge, -huge + d("0.0000000001")], scale: 10)
        #expect(parts.sum() == total)
        #expect(parts.allSatisfy { !$0.isNegative })
    }

    @Test func aTotalWithMorePlacesThanTheScaleIsSplitAtItsOwnPlaces() {
        let total = d("1.005")
        let parts = Allocation.proRata(total, weights: [d("1"), d("1")], scale: 2)
        #expect(parts.sum() == total)
    }

    /// Random totals and weights of every sign and size: parts add up exactly, every part is within one unit of
    /// its exact share, same-sign weights give parts of the total's sign, and the split is deterministic.
    @Test(arguments: [UInt64(1), 2, 3])
    func propertiesHoldForRandomSplits(seed: UInt64) {
        var random = SplitMix(seed: seed)
        for round in 0..<400 {
            let huge = round % 4 == 3
            let total = random.decimal(digits: huge ? 27 : 12)
            let count = Int.random(in: 1...9, using: &random)
            let sameSign = round % 3 == 0
            let weights = (0..<count).map { _ in
                random.decimal(digits: huge ? 27 : 10, positive: sameSign)
            }
            let parts = Allocation.proRata(total, weights: weights, scale: 10)
            #expect(parts.count == count)
            #expect(parts.sum() == total, "total \(total) weights \(weights)")
            #expect(parts == Allocation.proRata(total, weights: weights, scale: 10))
            let sum = weights.sum()
            if sameSign && !sum.isZero {
                #expect(parts.allSatisfy { $0.isZero || $0.isNegative == total.isNegative })
            }
            // |part × Σw − total × w| < one unit × |Σw| (checked where the products are exact).
            if !huge && !sum.isZero {
                for (part, weight) in zip(parts, weights) {
                    let (a, overflowA) = part.multipliedReportingOverflow(by: sum)
                    let (b, overflowB) = total.multipliedReportingOverflow(by: weight)
                    guard !overflowA, !overflowB, a.scale < ExactDecimal.maxScale else { continue }
                    #expect((a - b).magnitude < Self.unit * sum.magnitude)
                }
            }
        }
    }
}

@Suite struct SplitToARoundedTotalTests {
    @Test func aSectionIsSplitOverItsLinesWhateverTheSign() {
        // −1.005 − 2.005 shown as −3.01 (one unit off each line's own rounding): the lines still add up.
        let parts = Allocation.split(d("-3.01"), like: [d("-1.005"), d("-2.005")], places: 2)
        #expect(parts.sum() == d("-3.01"))
        #expect(parts == [d("-1.01"), d("-2.00")] || parts == [d("-1.00"), d("-2.01")])
        // A target far from the amounts is spread evenly first, then by remainder.
        let far = Allocation.split(d("10.00"), like: [d("1"), d("2"), d("3")], places: 2)
        #expect(far == [d("2.34"), d("3.33"), d("4.33")])
        #expect(Allocation.split(d("-5"), like: [d("1"), d("2")], places: 0) == [d("-3"), d("-2")])
    }

    @Test(arguments: [RoundingMode.halfEven, .halfUp])
    func roundedPartsOfAnySignAddUp(mode: RoundingMode) {
        var random = SplitMix(seed: mode == .halfEven ? 11 : 12)
        for _ in 0..<500 {
            let amounts = (0..<Int.random(in: 1...12, using: &random)).map { _ in random.decimal(digits: 9) }
            let (parts, total) = Allocation.roundedParts(amounts, places: 2, mode: mode)
            #expect(parts.sum() == total)
            #expect(total == amounts.sum().rounded(scale: 2, mode))
            for (part, amount) in zip(parts, amounts) { #expect((part - amount).magnitude < d("0.01")) }
        }
    }
}

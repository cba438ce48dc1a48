import ProformaCore

/// How many digits stand after the decimal point in an amount of a currency (ISO 4217 minor units).
public enum CurrencyMinorUnits {
    /// Currencies without a minor unit.
    static let zero: Set<String> = [
        "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND", "VUV", "XAF",
        "XOF", "XPF",
    ]
    /// Currencies with three decimal places.
    static let three: Set<String> = ["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"]
    /// Currencies with four decimal places.
    static let four: Set<String> = ["CLF", "UYW"]

    /// The places of `code` (case-insensitive); 2 for every code not listed (USD, EUR, GBP, and unknown codes).
    public static func places(for code: String) -> Int {
        let code = code.uppercased()
        if zero.contains(code) { return 0 }
        if three.contains(code) { return 3 }
        if four.contains(code) { return 4 }
        return 2
    }
}

/// An exact figure and the figure shown for it.
public struct PresentedAmount: Sendable, Hashable {
    /// As computed (§7: line amounts at 10 places, sums exact).
    public var exact: ExactDecimal
    /// Rounded to the currency's minor unit: the figure every document shows.
    public var rounded: ExactDecimal

    public init(exact: ExactDecimal, rounded: ExactDecimal) {
        self.exact = exact
        self.rounded = rounded
    }
}

/// The figures of one billing group (or of the accounts in no group, in one currency) for one period, each rounded
/// once from its exact value: the one figure every document shows for them (billing-semantics.md §7).
///
/// The pro forma cost and the AWS cost are rounded to the currency's minor unit; the margin shown is the pro forma
/// shown minus the AWS cost shown; the margin % is computed from the exact figures (§6). Invoices, the margin and
/// costs reports, and every other document take their figures from here, and split them further only by largest
/// remainder, so a group's figures are the same everywhere.
public struct RoundedFigures: Sendable, Hashable {
    public var currency: String
    /// The places every figure is rounded to.
    public var places: Int
    public var rounding: RoundingMode
    public var proForma: PresentedAmount
    public var awsCost: PresentedAmount
    /// Exact: pro forma − AWS cost. Rounded: pro forma shown − AWS cost shown.
    public var margin: PresentedAmount
    /// margin / pro forma × 100 from the exact figures, to 10 places; nil when the pro forma cost is 0.
    public var marginPercentage: ExactDecimal?

    /// Rounds `proForma` and `awsCost` to `places` (default: the currency's minor unit) with `rounding`.
    public init(
        currency: String, proForma: ExactDecimal, awsCost: ExactDecimal, places: Int? = nil,
        rounding: RoundingMode = .halfEven
    ) {
        self.currency = currency
        let places = places ?? CurrencyMinorUnits.places(for: currency)
        self.places = places
        self.rounding = rounding
        func round(_ value: ExactDecimal) -> ExactDecimal {
            let rounded = value.rounded(scale: places, rounding)
            return rounded.scale < places ? rounded.rescaledReportingOverflow(to: places) ?? rounded : rounded
        }
        self.proForma = PresentedAmount(exact: proForma, rounded: round(proForma))
        self.awsCost = PresentedAmount(exact: awsCost, rounded: round(awsCost))
        self.margin = PresentedAmount(
            exact: proForma - awsCost, rounded: self.proForma.rounded - self.awsCost.rounded)
        self.marginPercentage = Self.percentage(margin: proForma - awsCost, of: proForma)
    }

    /// margin / pro forma × 100, from both figures to 10 places, so the quotient is exact to its 10 places whatever
    /// the data's scale; nil when the pro forma cost is 0.
    public static func percentage(margin: ExactDecimal, of proForma: ExactDecimal) -> ExactDecimal? {
        let cost = proForma.rounded(scale: 10)
        guard !cost.isZero else { return nil }
        return (margin.rounded(scale: 10) * .hundred).divided(by: cost, scale: 10)
    }
}

extension GroupResult {
    /// The group's pro forma cost, AWS cost and margin for the period, each rounded once (§7).
    public func figures(places: Int? = nil, rounding: RoundingMode = .halfEven) -> RoundedFigures {
        RoundedFigures(currency: currency, proForma: proFormaCost, awsCost: awsCost, places: places, rounding: rounding)
    }
}

extension BillingResult {
    /// The AWS cost of the accounts in no group in `period`, one figure per currency (sorted), rounded once each;
    /// their pro forma cost is 0 (nobody is billed for them). `fallbackCurrency` stands for rows without one.
    public func unassignedFigures(
        period: BillingPeriod, rounding: RoundingMode = .halfEven, fallbackCurrency: String = "USD"
    ) -> [RoundedFigures] {
        var costs: [String: ExactDecimal] = [:]
        for row in unassigned where row.key.period == period && row.key.category != .tax {
            costs[row.key.currency.isEmpty ? fallbackCurrency : row.key.currency, default: .zero] +=
                row.figures.actualCost
        }
        return costs.sorted { $0.key < $1.key }.map {
            RoundedFigures(currency: $0.key, proForma: .zero, awsCost: $0.value, rounding: rounding)
        }
    }
}

extension CostFigures {
    /// The figures of `count` lines from those of one (the quantity already being their sum): amounts times
    /// `multiplier` (`count` as a decimal; nil when the amounts are sums already), line counts times `count`.
    mutating func multiply(by multiplier: ExactDecimal?, count: Int, _ source: () -> String) throws(EngineError) {
        if let multiplier {
            func times(_ value: ExactDecimal) throws(EngineError) -> ExactDecimal {
                let (product, overflow) = value.multipliedReportingOverflow(by: multiplier)
                guard !overflow else { throw PricingEngine.amountLimitError(source) }
                return product
            }
            proForma = try times(proForma)
            actualCost = try times(actualCost)
            publicCost = try times(publicCost)
        }
        lines *= count
        missingPublicCost *= count
    }
}

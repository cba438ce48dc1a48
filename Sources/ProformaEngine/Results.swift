import ProformaCore
import ProformaModel

/// How a usage line is counted (billing-semantics.md §3).
public enum LineCategory: String, Sendable, Hashable, CaseIterable, Comparable {
    /// Priced from the public on-demand cost by the winning pricing rule (§3.4).
    case onDemand = "on-demand"
    /// Given free by AWS (free tier or allowance) and kept free while the free tier is active (§3.4).
    case free
    /// Covered by a commitment owned in the group, at actual cost (§3.2).
    case covered
    /// The fee of a commitment owned in the group, at actual cost (§3.2).
    case commitmentFee = "commitment-fee"
    /// Anything else (e.g. Fee lines), at actual cost (§3.5).
    case other
    /// A share of a cost allocation's pool charged to the group; in the data totals, the lines the pools consumed.
    case allocated
    /// Not billed pro forma: credits, refunds, discounts, support, commitments owned elsewhere (§3.1, §3.3).
    case excluded
    /// Tax: neither billed pro forma nor part of the AWS cost.
    case tax
    /// A line of an account in no billing group.
    case unassigned

    /// Whether the line counts towards the pro forma cost (and a percentage custom line item's base).
    public var isCounted: Bool {
        switch self {
        case .onDemand, .free, .covered, .commitmentFee, .other, .allocated: true
        case .excluded, .tax, .unassigned: false
        }
    }

    var rank: Int {
        switch self {
        case .onDemand: 0
        case .free: 1
        case .covered: 2
        case .commitmentFee: 3
        case .other: 4
        case .allocated: 5
        case .excluded: 6
        case .tax: 7
        case .unassigned: 8
        }
    }
    public static func < (lhs: LineCategory, rhs: LineCategory) -> Bool { lhs.rank < rhs.rank }
}

/// What cost rows are grouped by.
public struct CostKey: Sendable, Hashable, Comparable {
    public var period: BillingPeriod
    public var account: String
    public var service: String
    public var lineItemType: String
    public var category: LineCategory
    /// The currency of the lines (the engine always sets it; empty means not known, and readers then take the
    /// group's currency or a fallback). Amounts of different currencies are never summed into one row.
    public var currency: String

    public init(
        period: BillingPeriod, account: String, service: String, lineItemType: String, category: LineCategory,
        currency: String = ""
    ) {
        self.period = period
        self.account = account
        self.service = service
        self.lineItemType = lineItemType
        self.category = category
        self.currency = currency
    }

    /// The key of the data totals this key's figures count in: its period, category and currency alone.
    var dataTotalKey: CostKey {
        CostKey(period: period, account: "", service: "", lineItemType: "", category: category, currency: currency)
    }

    public static func < (lhs: CostKey, rhs: CostKey) -> Bool {
        (lhs.period, lhs.account, lhs.service, lhs.lineItemType, lhs.category.rank, lhs.currency)
            < (rhs.period, rhs.account, rhs.service, rhs.lineItemType, rhs.category.rank, rhs.currency)
    }
}

/// The sums of the usage lines that share a `CostKey`.
public struct CostFigures: Sendable, Hashable {
    /// The pro forma amount: each line's amount rounded to 10 places, summed exactly.
    public var proForma: ExactDecimal = .zero
    /// The actual cost (CUR unblended, FOCUS BilledCost).
    public var actualCost: ExactDecimal = .zero
    /// The public on-demand cost, where the data has it.
    public var publicCost: ExactDecimal = .zero
    /// The usage quantity, where the data has it.
    public var quantity: ExactDecimal = .zero
    public var lines: Int = 0
    /// Lines priced from their actual cost because the public on-demand cost was missing.
    public var missingPublicCost: Int = 0

    public init() {}

    public static func += (lhs: inout CostFigures, rhs: CostFigures) {
        lhs.proForma += rhs.proForma
        lhs.actualCost += rhs.actualCost
        lhs.publicCost += rhs.publicCost
        lhs.quantity += rhs.quantity
        lhs.lines += rhs.lines
        lhs.missingPublicCost += rhs.missingPublicCost
    }
}

public struct CostRow: Sendable, Hashable {
    public var key: CostKey
    public var figures: CostFigures

    public init(key: CostKey, figures: CostFigures) {
        self.key = key
        self.figures = figures
    }
}

/// One custom line item's charge in one period.
public struct CustomLineItemCharge: Sendable, Hashable {
    public var name: String
    public var description: String
    public var type: CustomLineItemType
    /// The account charged.
    public var account: String
    /// The signed amount (a CREDIT is negative), rounded to 10 places.
    public var amount: ExactDecimal
    /// For a percentage charge: the base it was computed on and its percentage.
    public var base: ExactDecimal?
    public var percentage: ExactDecimal?
    public var computationRule: ComputationRule
    /// ITEMIZED: the amount split across the lines of its base (presentation only; sums to `amount`).
    public var items: [ItemizedPart]
    public var presentationService: String?

    public struct ItemizedPart: Sendable, Hashable {
        /// The account and service of the base line, or the name of a flat custom line item.
        public var account: String
        public var service: String
        public var amount: ExactDecimal
    }
}

/// A problem the engine noticed, counted rather than fatal.
public struct EngineWarning: Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// One billing group's pro forma result for one period.
public struct GroupResult: Sendable, Hashable {
    public var group: String
    public var period: BillingPeriod
    public var primaryAccount: String
    /// The data's currency for the group's lines (the project's currency when there are none).
    public var currency: String
    /// Every usage line of the group's accounts in the period, grouped; counted and not counted.
    public var rows: [CostRow]
    public var customLineItems: [CustomLineItemCharge]
    public var warnings: [EngineWarning]

    /// Σ counted lines after pricing rules, before custom line items.
    public var usageTotal: ExactDecimal { rows.filter { $0.key.category.isCounted }.map(\.figures.proForma).sum() }
    public var customLineItemTotal: ExactDecimal { customLineItems.map(\.amount).sum() }
    /// Pro forma cost = Σ counted lines + Σ active custom line items (§6).
    public var proFormaCost: ExactDecimal { usageTotal + customLineItemTotal }
    /// AWS cost = Σ actual cost of every line except Tax (§6).
    public var awsCost: ExactDecimal { rows.filter { $0.key.category != .tax }.map(\.figures.actualCost).sum() }
    public var margin: ExactDecimal { proFormaCost - awsCost }
    /// margin / pro forma cost × 100, to 10 places; nil when the pro forma cost is 0.
    public var marginPercentage: ExactDecimal? { RoundedFigures.percentage(margin: margin, of: proFormaCost) }
}

/// Everything computed from one run over usage data.
public struct BillingResult: Sendable, Hashable {
    public var periods: [BillingPeriod]
    /// Sorted by group name, then period.
    public var groups: [GroupResult]
    /// Lines of accounts in no billing group, grouped (by currency too).
    public var unassigned: [CostRow]
    /// Every line read, grouped by period, category and currency only: the whole data set, for the "adds up" check
    /// (per currency).
    public var dataTotals: [CostRow]
    public var warnings: [EngineWarning]
    /// Each cost allocation's pool and split, per period it was active in (by name, then period).
    public var allocations: [AllocationResult] = []

    public func group(_ name: String, period: BillingPeriod) -> GroupResult? {
        groups.first { $0.group == name && $0.period == period }
    }
}

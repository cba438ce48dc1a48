import ProformaCore

/// One line of usage data, with what the pricing engine needs from it (billing-semantics.md §2 and §3).
///
/// Text fields are taken as they are in the file; an absent column or an empty (or `NULL`) value reads as "".
public struct UsageLine: Sendable, Hashable {
    /// The 1-based line of the file on which the row starts (the header is line 1).
    public var row: Int
    /// The billing period: year and month of the billing period start.
    public var period: BillingPeriod
    /// The account that used the service (CUR `lineItem/UsageAccountId`, FOCUS `SubAccountId`), as written.
    public var usageAccountID: String
    /// The payer (CUR `bill/PayerAccountId`, FOCUS `BillingAccountId`); nil when the file has no such column.
    public var payerAccountID: String?
    /// The CUR line item type; for FOCUS derived from `ChargeCategory` and `CommitmentDiscountId`.
    public var lineItemType: LineItemType
    /// FOCUS `ChargeCategory` as written (`Usage`, `Purchase`, `Tax`, `Credit`, `Adjustment`); nil for CUR.
    public var chargeCategory: String?
    /// The service code (`AmazonEC2`); FOCUS `x_ServiceCode`, else `ServiceName`.
    public var serviceCode: String
    public var usageType: String
    public var operation: String
    /// `AWS`, `AWS Marketplace`, `AISPL`…; "AWS" when the file has no such column or the value is empty.
    public var billingEntity: String
    /// The public on-demand cost; nil when empty, `NULL` or not in the file.
    public var publicOnDemandCost: ExactDecimal?
    /// The actual cost: CUR unblended cost, FOCUS `BilledCost`.
    public var actualCost: ExactDecimal
    /// The usage quantity (FOCUS `ConsumedQuantity`); nil when empty, `NULL` or not in the file.
    public var usageAmount: ExactDecimal?
    /// The currency of the amounts (`USD`).
    public var currency: String
    /// The account that owns the reservation or Savings Plan behind this line, taken from its ARN; "" when none.
    public var commitmentOwnerAccountID: String
    /// The resource ID; nil unless `UsageReadOptions.readsResourceIDs` is set (and then "" when empty).
    public var resourceID: String?

    public init(
        row: Int, period: BillingPeriod, usageAccountID: String, payerAccountID: String? = nil,
        lineItemType: LineItemType, chargeCategory: String? = nil, serviceCode: String, usageType: String = "",
        operation: String = "", billingEntity: String = "AWS", publicOnDemandCost: ExactDecimal? = nil,
        actualCost: ExactDecimal, usageAmount: ExactDecimal? = nil, currency: String,
        commitmentOwnerAccountID: String = "", resourceID: String? = nil
    ) {
        self.row = row
        self.period = period
        self.usageAccountID = usageAccountID
        self.payerAccountID = payerAccountID
        self.lineItemType = lineItemType
        self.chargeCategory = chargeCategory
        self.serviceCode = serviceCode
        self.usageType = usageType
        self.operation = operation
        self.billingEntity = billingEntity
        self.publicOnDemandCost = publicOnDemandCost
        self.actualCost = actualCost
        self.usageAmount = usageAmount
        self.currency = currency
        self.commitmentOwnerAccountID = commitmentOwnerAccountID
        self.resourceID = resourceID
    }
}

/// The CUR line item type (`lineItem/LineItemType`).
public enum LineItemType: Sendable, Hashable, CustomStringConvertible {
    case usage
    case discountedUsage
    case savingsPlanCoveredUsage
    case savingsPlanNegation
    case savingsPlanRecurringFee
    case savingsPlanUpfrontFee
    case riFee
    case fee
    case tax
    case credit
    case refund
    case edpDiscount
    case privateRateDiscount
    case bundledDiscount
    case sppDiscount
    case distributorDiscount
    /// Any other value, as written.
    case other(String)

    /// Every named case, in the order above.
    public static let known: [LineItemType] = [
        .usage, .discountedUsage, .savingsPlanCoveredUsage, .savingsPlanNegation, .savingsPlanRecurringFee,
        .savingsPlanUpfrontFee, .riFee, .fee, .tax, .credit, .refund, .edpDiscount, .privateRateDiscount,
        .bundledDiscount, .sppDiscount, .distributorDiscount,
    ]

    /// The value as CUR writes it (`SavingsPlanCoveredUsage`).
    public var rawValue: String {
        switch self {
        case .usage: "Usage"
        case .discountedUsage: "DiscountedUsage"
        case .savingsPlanCoveredUsage: "SavingsPlanCoveredUsage"
        case .savingsPlanNegation: "SavingsPlanNegation"
        case .savingsPlanRecurringFee: "SavingsPlanRecurringFee"
        case .savingsPlanUpfrontFee: "SavingsPlanUpfrontFee"
        case .riFee: "RIFee"
        case .fee: "Fee"
        case .tax: "Tax"
        case .credit: "Credit"
        case .refund: "Refund"
        case .edpDiscount: "EdpDiscount"
        case .privateRateDiscount: "PrivateRateDiscount"
        case .bundledDiscount: "BundledDiscount"
        case .sppDiscount: "SppDiscount"
        case .distributorDiscount: "DistributorDiscount"
        case .other(let text): text
        }
    }

    /// The case for a CUR value, matched case-insensitively; anything else is `.other` with the text as written.
    public init(rawValue: String) {
        let lower = rawValue.lowercased()
        self = Self.known.first { $0.rawValue.lowercased() == lower } ?? .other(rawValue)
    }

    public var description: String { rawValue }
}

import ProformaCore

/// The kinds of resource a configuration holds.
public enum ResourceKind: String, Sendable, Hashable, CaseIterable, Codable, Comparable {
    case project = "Project"
    case account = "Account"
    case billingGroup = "BillingGroup"
    case pricingPlan = "PricingPlan"
    case pricingRule = "PricingRule"
    case customLineItem = "CustomLineItem"
    case parentGroup = "ParentGroup"
    case costAllocation = "CostAllocation"

    /// Order of kinds in listings and diffs.
    var rank: Int { Self.allCases.firstIndex(of: self)! }

    public static func < (lhs: ResourceKind, rhs: ResourceKind) -> Bool { lhs.rank < rhs.rank }
}

/// A resource's identity: its kind and its name (names are unique per kind).
public struct ResourceID: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    public var kind: ResourceKind
    public var name: String

    public init(_ kind: ResourceKind, _ name: String) {
        self.kind = kind
        self.name = name
    }

    /// `BillingGroup/retail`.
    public var description: String { "\(kind.rawValue)/\(name)" }

    public static func < (lhs: ResourceID, rhs: ResourceID) -> Bool {
        (lhs.kind, lhs.name) < (rhs.kind, rhs.name)
    }
}

/// Free-form key/value tags, as ABC's tag maps.
public typealias Tags = [String: String]

// MARK: - Project

/// Where usage data comes from.
public struct UsageSource: Sendable, Hashable, Codable {
    public enum Format: String, Sendable, Hashable, Codable, CaseIterable {
        case auto
        case cur
        case cur2
        case focus
    }

    /// A file path, relative to the configuration root unless absolute.
    public var path: String
    public var format: Format

    public init(path: String, format: Format = .auto) {
        self.path = path
        self.format = format
    }
}

/// Where applied state is kept.
public struct StateBackend: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case sqlite
    }

    public var backend: Kind
    /// The SQLite file, relative to the configuration root unless absolute.
    public var path: String

    public init(backend: Kind = .sqlite, path: String = ".proforma/state.db") {
        self.backend = backend
        self.path = path
    }
}

/// A policy a plan is checked against before it may be applied.
public struct Guardrail: Sendable, Hashable, Codable {
    /// What a guardrail's limits are measured on.
    public enum Scope: String, Sendable, Hashable, Codable, CaseIterable {
        /// Each billing group's invoice.
        case group
        /// The sum of every group's invoice, per currency.
        case total
    }

    public var name: String
    /// The largest increase of a group's pro forma total a plan may cause, in percent.
    public var maxIncreasePercentage: ExactDecimal?
    /// The largest decrease of a group's pro forma total a plan may cause, in percent.
    public var maxDecreasePercentage: ExactDecimal?
    /// The largest increase a plan may cause, in the currency.
    public var maxIncreaseAmount: ExactDecimal?
    /// The largest decrease a plan may cause, in the currency.
    public var maxDecreaseAmount: ExactDecimal?
    /// The smallest margin, in percent of the pro forma total, a group the plan changes may be left with.
    public var minMarginPercentage: ExactDecimal?
    /// Each group's invoice, or the total.
    public var scope: Scope
    /// A plan may not leave an account with usage in no billing group.
    public var noUnassignedAccounts: Bool
    /// The billing groups it applies to; empty means every group.
    public var billingGroups: [String]

    public init(
        name: String, maxIncreasePercentage: ExactDecimal? = nil, maxDecreasePercentage: ExactDecimal? = nil,
        maxIncreaseAmount: ExactDecimal? = nil, maxDecreaseAmount: ExactDecimal? = nil,
        minMarginPercentage: ExactDecimal? = nil, scope: Scope = .group, noUnassignedAccounts: Bool = false,
        billingGroups: [String] = []
    ) {
        self.name = name
        self.maxIncreasePercentage = maxIncreasePercentage
        self.maxDecreasePercentage = maxDecreasePercentage
        self.maxIncreaseAmount = maxIncreaseAmount
        self.maxDecreaseAmount = maxDecreaseAmount
        self.minMarginPercentage = minMarginPercentage
        self.scope = scope
        self.noUnassignedAccounts = noUnassignedAccounts
        self.billingGroups = billingGroups
    }

    /// Whether it sets any limit at all.
    public var hasLimit: Bool {
        maxIncreasePercentage != nil || maxDecreasePercentage != nil || maxIncreaseAmount != nil
            || maxDecreaseAmount != nil || minMarginPercentage != nil || noUnassignedAccounts
    }
}

/// Who issues the invoices: the project's `issuer`, printed at the head of every invoice.
public struct Issuer: Sendable, Hashable {
    /// The issuer's legal name.
    public var name: String
    /// Postal address, one line each.
    public var address: [String]
    public var taxID: String?
    public var email: String?
    /// An image file (PNG, JPEG, GIF, WebP or SVG) relative to the configuration root, embedded in HTML invoices.
    public var logo: String?
    /// Days from the issue date to the due date (default 30).
    public var paymentTermsDays: Int?
    /// The invoice number pattern (`InvoiceNumberPattern`; default `PF-{yyyy}{mm}-{hash}`).
    public var invoiceNumber: String?
    /// Day of the month after the period on which invoices are issued (default 1).
    public var issueDay: Int?
    /// Payment instructions (bank details, a reference to quote), one line each.
    public var paymentInstructions: [String]

    public init(
        name: String, address: [String] = [], taxID: String? = nil, email: String? = nil, logo: String? = nil,
        paymentTermsDays: Int? = nil, invoiceNumber: String? = nil, issueDay: Int? = nil,
        paymentInstructions: [String] = []
    ) {
        self.name = name
        self.address = address
        self.taxID = taxID
        self.email = email
        self.logo = logo
        self.paymentTermsDays = paymentTermsDays
        self.invoiceNumber = invoiceNumber
        self.issueDay = issueDay
        self.paymentInstructions = paymentInstructions
    }
}

/// The project file, `proforma.yaml`: marks the root of a configuration.
public struct Project: Sendable, Hashable {
    public var name: String
    public var description: String?
    /// The format version of the configuration; this proforma reads 1.
    public var version: Int
    /// The payer (management) account of the organization.
    public var payerAccountID: String?
    /// ISO 4217 code of the currency invoices are made in.
    public var currency: String
    /// How presented amounts are rounded to the currency's minor unit.
    public var rounding: RoundingMode
    public var usage: [UsageSource]
    public var state: StateBackend
    public var guardrails: [Guardrail]
    /// Glob patterns (relative to the root) of files that are not configuration.
    public var exclude: [String]
    /// Who issues the invoices.
    public var issuer: Issuer?

    public init(
        name: String, description: String? = nil, version: Int = 1, payerAccountID: String? = nil,
        currency: String = "USD", rounding: RoundingMode = .halfEven, usage: [UsageSource] = [],
        state: StateBackend = StateBackend(), guardrails: [Guardrail] = [], exclude: [String] = [],
        issuer: Issuer? = nil
    ) {
        self.name = name
        self.description = description
        self.version = version
        self.payerAccountID = payerAccountID
        self.currency = currency
        self.rounding = rounding
        self.usage = usage
        self.state = state
        self.guardrails = guardrails
        self.exclude = exclude
        self.issuer = issuer
    }
}

// MARK: - Account

/// An account of the organization.
public struct Account: Sendable, Hashable {
    public var name: String
    public var accountID: String
    public var email: String?
    public var description: String?
    public var tags: Tags
    /// The account's state in AWS Organizations; nil for an account not imported from it.
    public var state: AccountState?
    /// Its organizational unit, as a path of OU names from the root (`/`, `/Customers/Harbor`).
    public var ouPath: String?
    /// The account is meant to be in no billing group (no warning that it is in none).
    public var unassigned: Bool

    public init(
        name: String, accountID: String, email: String? = nil, description: String? = nil, tags: Tags = [:],
        state: AccountState? = nil, ouPath: String? = nil, unassigned: Bool = false
    ) {
        self.name = name
        self.accountID = accountID
        self.email = email
        self.description = description
        self.tags = tags
        self.state = state
        self.ouPath = ouPath
        self.unassigned = unassigned
    }
}

// MARK: - Billing group

/// Who a billing group's invoices are addressed to: its `customer`.
public struct Customer: Sendable, Hashable {
    public var legalName: String
    /// Postal address, one line each.
    public var address: [String]
    public var taxID: String?
    public var email: String?
    /// The customer's purchase-order reference, printed on its invoices.
    public var purchaseOrder: String?

    public init(
        legalName: String, address: [String] = [], taxID: String? = nil, email: String? = nil,
        purchaseOrder: String? = nil
    ) {
        self.legalName = legalName
        self.address = address
        self.taxID = taxID
        self.email = email
        self.purchaseOrder = purchaseOrder
    }
}

/// A primary account plus linked accounts, priced by exactly one pricing plan.
public struct BillingGroup: Sendable, Hashable {
    public var name: String
    public var description: String?
    public var primaryAccountID: String
    /// The member accounts (a set; the primary account is one of them).
    public var accountIDs: [String]
    public var pricingPlan: String
    /// Accounts of the organization in no group join this one.
    public var autoAssociate: Bool
    /// The parent group it rolls up to in the billing hierarchy; nil at the top.
    public var parent: String?
    public var tags: Tags
    /// Who the group's invoices are addressed to.
    public var customer: Customer?
    /// Selects members among the declared accounts; the loader adds them to `accountIDs`.
    public var accountSelector: AccountSelector?

    public init(
        name: String, description: String? = nil, primaryAccountID: String, accountIDs: [String],
        pricingPlan: String, autoAssociate: Bool = false, parent: String? = nil, tags: Tags = [:],
        customer: Customer? = nil, accountSelector: AccountSelector? = nil
    ) {
        self.parent = parent
        self.accountSelector = accountSelector
        self.name = name
        self.description = description
        self.primaryAccountID = primaryAccountID
        self.accountIDs = accountIDs
        self.pricingPlan = pricingPlan
        self.autoAssociate = autoAssociate
        self.tags = tags
        self.customer = customer
    }
}

// MARK: - Pricing

/// A set of pricing rules. One plan may serve many groups.
public struct PricingPlan: Sendable, Hashable {
    public var name: String
    public var description: String?
    /// Names of pricing rules (a set).
    public var pricingRules: [String]
    public var tags: Tags

    public init(name: String, description: String? = nil, pricingRules: [String], tags: Tags = [:]) {
        self.name = name
        self.description = description
        self.pricingRules = pricingRules
        self.tags = tags
    }
}

/// What a pricing rule applies to.
public enum PricingRuleScope: String, Sendable, Hashable, CaseIterable, Codable {
    case global = "GLOBAL"
    case service = "SERVICE"
    case billingEntity = "BILLING_ENTITY"
    case sku = "SKU"

    /// Precedence: the most granular matching rule wins (SKU > SERVICE > BILLING_ENTITY > GLOBAL).
    public var precedence: Int {
        switch self {
        case .sku: 3
        case .service: 2
        case .billingEntity: 1
        case .global: 0
        }
    }
}

/// What a pricing rule does.
public enum PricingRuleType: String, Sendable, Hashable, CaseIterable, Codable {
    case markup = "MARKUP"
    case discount = "DISCOUNT"
    case tiering = "TIERING"
}

/// One tier of a custom tiering rule: the usage quantity in `[begin, end)` is charged `rateValue` per unit.
public struct PricingTier: Sendable, Hashable {
    public var begin: ExactDecimal
    /// Nil: no upper bound.
    public var end: ExactDecimal?
    public var rateValue: ExactDecimal

    public init(begin: ExactDecimal, end: ExactDecimal?, rateValue: ExactDecimal) {
        self.begin = begin
        self.end = end
        self.rateValue = rateValue
    }
}

/// The tiering settings of a TIERING rule: ABC's free tier switch, or custom tiers (SKU scope).
public struct Tiering: Sendable, Hashable {
    /// `free_tier.activated`; nil when the rule does not set it.
    public var freeTierActivated: Bool?
    public var tiers: [PricingTier]

    public init(freeTierActivated: Bool? = nil, tiers: [PricingTier] = []) {
        self.freeTierActivated = freeTierActivated
        self.tiers = tiers
    }
}

/// A markup, discount or tiering applied to a scope of usage.
public struct PricingRule: Sendable, Hashable {
    public var name: String
    public var description: String?
    public var scope: PricingRuleScope
    public var type: PricingRuleType
    /// Percentage for MARKUP and DISCOUNT.
    public var modifierPercentage: ExactDecimal?
    /// Service code (`AmazonEC2`), for SERVICE and SKU scope.
    public var service: String?
    /// `AWS`, `AWS Marketplace` or `AISPL`, for BILLING_ENTITY scope.
    public var billingEntity: String?
    /// For SKU scope.
    public var usageType: String?
    /// For SKU scope.
    public var operation: String?
    public var tiering: Tiering?
    public var tags: Tags

    public init(
        name: String, description: String? = nil, scope: PricingRuleScope, type: PricingRuleType,
        modifierPercentage: ExactDecimal? = nil, service: String? = nil, billingEntity: String? = nil,
        usageType: String? = nil, operation: String? = nil, tiering: Tiering? = nil, tags: Tags = [:]
    ) {
        self.name = name
        self.description = description
        self.scope = scope
        self.type = type
        self.modifierPercentage = modifierPercentage
        self.service = service
        self.billingEntity = billingEntity
        self.usageType = usageType
        self.operation = operation
        self.tiering = tiering
        self.tags = tags
    }

    /// What the rule targets, for "two rules with the same target" checks: scope plus qualifiers.
    public var target: String {
        switch scope {
        case .global: "GLOBAL"
        case .service: "SERVICE \(service ?? "")"
        case .billingEntity: "BILLING_ENTITY \(billingEntity ?? "")"
        case .sku: "SKU \(service ?? "") usage_type=\(usageType ?? "*") operation=\(operation ?? "*")"
        }
    }
}

// MARK: - Custom line items

public enum CustomLineItemType: String, Sendable, Hashable, CaseIterable, Codable {
    case fee = "FEE"
    case credit = "CREDIT"
}

public enum ComputationRule: String, Sendable, Hashable, CaseIterable, Codable {
    case consolidated = "CONSOLIDATED"
    case itemized = "ITEMIZED"
}

/// A filter on the lines a percentage custom line item is computed on.
public struct LineItemFilter: Sendable, Hashable {
    public enum Attribute: String, Sendable, Hashable, CaseIterable, Codable {
        case lineItemType = "LINE_ITEM_TYPE"
        case service = "SERVICE"
    }

    public enum MatchOption: String, Sendable, Hashable, CaseIterable, Codable {
        case equal = "EQUAL"
        case notEqual = "NOT_EQUAL"
    }

    public var attribute: Attribute
    public var matchOption: MatchOption
    /// For LINE_ITEM_TYPE: `SAVINGS_PLAN_NEGATION`; for SERVICE: service codes. A set.
    public var values: [String]

    public init(attribute: Attribute, matchOption: MatchOption, values: [String]) {
        self.attribute = attribute
        self.matchOption = matchOption
        self.values = values
    }
}

/// The charge of a custom line item.
public enum Charge: Sendable, Hashable {
    /// A fixed amount every active period.
    case flat(chargeValue: ExactDecimal)
    /// A percentage of the associated values: the CLI's own billing group and/or flat CLIs of that group.
    case percentage(percentageValue: ExactDecimal, associatedValues: [String])
}

/// The periods a custom line item is active in: `inclusiveStart ≤ P < exclusiveEnd`.
public struct BillingPeriodRange: Sendable, Hashable {
    public var inclusiveStart: BillingPeriod
    public var exclusiveEnd: BillingPeriod?

    public init(inclusiveStart: BillingPeriod, exclusiveEnd: BillingPeriod? = nil) {
        self.inclusiveStart = inclusiveStart
        self.exclusiveEnd = exclusiveEnd
    }

    public func contains(_ period: BillingPeriod) -> Bool {
        inclusiveStart <= period && (exclusiveEnd.map { period < $0 } ?? true)
    }
}

/// A fee or credit added to a billing group's pro forma bill.
public struct CustomLineItem: Sendable, Hashable {
    public var name: String
    public var description: String?
    public var billingGroup: String
    /// The account charged; nil means the group's primary account.
    public var accountID: String?
    public var type: CustomLineItemType
    /// Nil only when the file gave neither or both of `flat` and `percentage` (an error).
    public var charge: Charge?
    public var lineItemFilters: [LineItemFilter]
    /// Nil means active from the first period on.
    public var billingPeriodRange: BillingPeriodRange?
    public var computationRule: ComputationRule
    /// The service the line is presented under on the invoice.
    public var presentationService: String?
    public var tags: Tags

    public init(
        name: String, description: String? = nil, billingGroup: String, accountID: String? = nil,
        type: CustomLineItemType, charge: Charge?, lineItemFilters: [LineItemFilter] = [],
        billingPeriodRange: BillingPeriodRange? = nil, computationRule: ComputationRule = .consolidated,
        presentationService: String? = nil, tags: Tags = [:]
    ) {
        self.name = name
        self.description = description
        self.billingGroup = billingGroup
        self.accountID = accountID
        self.type = type
        self.charge = charge
        self.lineItemFilters = lineItemFilters
        self.billingPeriodRange = billingPeriodRange
        self.computationRule = computationRule
        self.presentationService = presentationService
        self.tags = tags
    }

    public var isPercentage: Bool {
        if case .percentage = charge { return true }
        return false
    }

    public func isActive(in period: BillingPeriod) -> Bool {
        billingPeriodRange?.contains(period) ?? true
    }
}

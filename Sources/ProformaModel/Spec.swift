import ProformaCore

/// The type of a field, as the loader reads it and as the JSON Schemas describe it. One description serves both,
/// so the schemas in `schemas/` and the loader can never disagree.
public indirect enum FieldType: Sendable, Hashable {
    /// Text, with optional length bounds and a regular expression (anchored) it must match.
    case text(minLength: Int?, maxLength: Int?, pattern: String?)
    /// The name of a resource (ABC's name rules).
    case name
    /// A 12-digit AWS account ID, kept as text.
    case accountID
    /// An exact decimal written as a YAML number.
    case decimal(minimum: ExactDecimal?, maximum: ExactDecimal?)
    case integer(minimum: Int?, maximum: Int?)
    case boolean
    /// `YYYY-MM`.
    case period
    case enumeration([String])
    case list(of: FieldType, maxItems: Int?)
    case object([FieldSpec])
    /// A map of text to text (tags).
    case tags

    public static let text = FieldType.text(minLength: nil, maxLength: nil, pattern: nil)

    /// In words, for messages: "text", "a number", "a list".
    public var expectation: String {
        switch self {
        case .text, .name, .accountID, .period, .enumeration: "text"
        case .decimal: "a number"
        case .integer: "a whole number"
        case .boolean: "true or false"
        case .list: "a list"
        case .object, .tags: "a mapping"
        }
    }
}

/// One field of a kind.
public struct FieldSpec: Sendable, Hashable {
    public var name: String
    public var type: FieldType
    public var required: Bool
    public var summary: String

    public init(_ name: String, _ type: FieldType, required: Bool = false, _ summary: String) {
        self.name = name
        self.type = type
        self.required = required
        self.summary = summary
    }
}

/// The fields of one kind of resource (besides `kind` itself).
public struct KindSpec: Sendable, Hashable {
    public var kind: ResourceKind
    public var summary: String
    public var fields: [FieldSpec]

    public func field(_ name: String) -> FieldSpec? { fields.first { $0.name == name } }
}

/// Limits from AWS Billing Conductor (billing-semantics.md §9).
public enum Limits {
    public static let nameLength = 128
    public static let namePattern = "[a-zA-Z0-9_+=.@-]+"
    public static let descriptionLength = 1_024
    public static let customLineItemDescriptionLength = 255
    public static let billingGroupsPerPayer = 5_000
    public static let pricingPlansPerPayer = 5_000
    public static let pricingRulesPerPayer = 50_000
    public static let customLineItemsPerPayer = 50_000
    public static let accountsPerBillingGroup = 1_000
    public static let rulesPerPricingPlan = 500
    public static let associatedValuesPerCustomLineItem = 100
    public static let filteredCustomLineItemsPerGroup = 10
    public static let itemizedCustomLineItemsPerGroup = 5
    public static let maxChargeValue = ExactDecimal(1_000_000)
    public static let maxPercentageValue = ExactDecimal(10_000)
    public static let billingEntities = ["AWS", "AWS Marketplace", "AISPL"]
    public static let tagKeyLength = 128
    public static let tagValueLength = 256
    public static let tagsPerResource = 200
}

/// The specification of every kind.
public enum ModelSpec {
    static let description = FieldSpec(
        "description", .text(minLength: nil, maxLength: Limits.descriptionLength, pattern: nil), "What it is for.")
    static let tags = FieldSpec("tags", .tags, "Key/value tags (keys up to 128, values up to 256 characters).")
    static let name = FieldSpec("name", .name, required: true, "Unique name within its kind.")
    static let percentage = FieldType.decimal(minimum: .zero, maximum: nil)
    static let addressLines = FieldType.list(of: .text(minLength: 1, maxLength: 80, pattern: nil), maxItems: 6)

    public static let project = KindSpec(
        kind: .project,
        summary: "The project file `proforma.yaml`: marks the root of a configuration and sets project-wide options.",
        fields: [
            name,
            description,
            FieldSpec("version", .integer(minimum: 1, maximum: 1), required: true, "Configuration format version: 1."),
            FieldSpec("payer_account_id", .accountID, "The payer (management) account of the organization."),
            FieldSpec(
                "currency", .text(minLength: 3, maxLength: 3, pattern: "[A-Z]{3}"),
                "ISO 4217 code of the invoice currency (default USD)."),
            FieldSpec(
                "rounding", .enumeration(RoundingMode.allCases.filter { $0 != .down }.map(\.rawValue)),
                "How presented amounts are rounded (default half_even)."),
            FieldSpec(
                "usage",
                .list(
                    of: .object([
                        FieldSpec("path", .text(minLength: 1, maxLength: nil, pattern: nil), required: true,
                            "Usage file, relative to the configuration root unless absolute."),
                        FieldSpec(
                            "format", .enumeration(UsageSource.Format.allCases.map(\.rawValue)),
                            "File format (default auto: recognised from the header)."),
                    ]), maxItems: nil),
                "Usage data files (CUR, CUR 2.0 or FOCUS CSV, plain or gzip)."),
            FieldSpec(
                "state",
                .object([
                    FieldSpec(
                        "backend", .enumeration(StateBackend.Kind.allCases.map(\.rawValue)), "State backend."),
                    FieldSpec(
                        "path", .text(minLength: 1, maxLength: nil, pattern: nil),
                        "State database file (default .proforma/state.db)."),
                ]),
                "Where applied state is kept."),
            FieldSpec(
                "guardrails",
                .list(
                    of: .object([
                        FieldSpec("name", .name, required: true, "Name of the policy."),
                        FieldSpec(
                            "max_increase_percentage", percentage,
                            "Largest increase of a group's pro forma total a plan may cause, in percent."),
                        FieldSpec(
                            "max_decrease_percentage", percentage,
                            "Largest decrease of a group's pro forma total a plan may cause, in percent."),
                        FieldSpec(
                            "max_increase_amount", .decimal(minimum: .zero, maximum: nil),
                            "Largest increase of a pro forma total a plan may cause, in the currency."),
                        FieldSpec(
                            "max_decrease_amount", .decimal(minimum: .zero, maximum: nil),
                            "Largest decrease of a pro forma total a plan may cause, in the currency."),
                        FieldSpec(
                            "min_margin_percentage", .decimal(minimum: nil, maximum: nil),
                            "Smallest margin a group the plan changes may be left with, in percent of its pro forma total."),
                        FieldSpec(
                            "applies_to", .enumeration(Guardrail.Scope.allCases.map(\.rawValue)),
                            "group (default): each billing group's invoice; total: the sum of every group's, per currency."),
                        FieldSpec(
                            "no_unassigned_accounts", .boolean,
                            "Fail a plan that leaves an account with usage in no billing group."),
                        FieldSpec(
                            "billing_groups", .list(of: .name, maxItems: nil),
                            "Billing groups it applies to (default: all)."),
                    ]), maxItems: nil),
                "Policies every plan is checked against."),
            FieldSpec(
                "exclude", .list(of: .text(minLength: 1, maxLength: nil, pattern: nil), maxItems: nil),
                "Glob patterns of files below the root that are not configuration."),
            FieldSpec(
                "issuer",
                .object([
                    FieldSpec(
                        "name", .text(minLength: 1, maxLength: 128, pattern: nil), required: true,
                        "The issuer's legal name."),
                    FieldSpec("address", addressLines, "Postal address, one line each (at most 6 of 80 characters)."),
                    FieldSpec("tax_id", .text(minLength: 1, maxLength: 64, pattern: nil), "Tax or VAT number."),
                    FieldSpec("email", .text(minLength: 1, maxLength: 254, pattern: nil), "Billing contact address."),
                    FieldSpec(
                        "logo", .text(minLength: 1, maxLength: 1_024, pattern: nil),
                        "Logo image (.png, .jpg, .jpeg, .gif, .webp or .svg) relative to the configuration root, "
                            + "embedded in HTML and PDF invoices."),
                    FieldSpec(
                        "payment_terms_days", .integer(minimum: 0, maximum: 365),
                        "Days from the issue date to the due date (default 30)."),
                    FieldSpec(
                        "issue_day", .integer(minimum: 1, maximum: 28),
                        "Day of the month after the period on which invoices are issued (default 1)."),
                    FieldSpec(
                        "invoice_number", .text(minLength: 1, maxLength: 128, pattern: nil),
                        "Invoice number pattern: text and {group}, {period}, {yyyy}, {mm}, {hash}, {seq} "
                            + "(default PF-{yyyy}{mm}-{hash})."),
                    FieldSpec(
                        "payment_instructions", addressLines,
                        "How to pay (bank details, the reference to quote), one line each "
                            + "(at most 6 of 80 characters)."),
                ]), "Who issues the invoices: printed at the head of every invoice."),
        ])

    public static let account = KindSpec(
        kind: .account,
        summary: "An account of the organization.",
        fields: [
            name,
            FieldSpec("account_id", .accountID, required: true, "The 12-digit AWS account ID."),
            FieldSpec("email", .text(minLength: 1, maxLength: 254, pattern: nil), "The account's email address."),
            description,
            tags,
            FieldSpec(
                "state", .enumeration(AccountState.allCases.map(\.rawValue)),
                "Its state in AWS Organizations (written by `proforma import organizations`)."),
            FieldSpec(
                "ou_path", .text(minLength: 1, maxLength: 4_096, pattern: "/.*"),
                "Its organizational unit, as OU names from the root: / or /Customers/Harbor (written by the import)."),
            FieldSpec(
                "unassigned", .boolean, "The account is meant to be in no billing group: no warning that it is in none."),
        ])

    public static let billingGroup = KindSpec(
        kind: .billingGroup,
        summary: "A primary account plus linked accounts, priced by one pricing plan.",
        fields: [
            name,
            description,
            FieldSpec(
                "primary_account_id", .accountID, required: true,
                "The account that receives the group's pro forma bill; must be a member, not the payer."),
            FieldSpec(
                "account_ids", .list(of: .accountID, maxItems: Limits.accountsPerBillingGroup),
                "The member accounts (at most 1,000, with those the selector adds); account_ids, account_selector or "
                    + "both."),
            FieldSpec(
                "account_selector",
                .object([
                    FieldSpec(
                        "ou_paths", .list(of: .text(minLength: 1, maxLength: 4_096, pattern: "/.*"), maxItems: nil),
                        "Accounts in these organizational units or below them (/Customers selects /Customers/Harbor)."),
                    FieldSpec("tags", .tags, "Accounts carrying every one of these tags, with these values."),
                ]),
                "Members selected among the accounts of accounts.yaml by OU path and tag (never CLOSED accounts)."),
            FieldSpec("pricing_plan", .name, required: true, "The pricing plan that prices the group."),
            FieldSpec(
                "auto_associate", .boolean,
                "Accounts of the organization in no group join this one (at most one group)."),
            FieldSpec("parent", .name, "The parent group it rolls up to in the billing hierarchy."),
            tags,
            FieldSpec(
                "customer",
                .object([
                    FieldSpec(
                        "legal_name", .text(minLength: 1, maxLength: 128, pattern: nil), required: true,
                        "The customer's legal name, which invoices are addressed to."),
                    FieldSpec("address", addressLines, "Postal address, one line each (at most 6 of 80 characters)."),
                    FieldSpec("tax_id", .text(minLength: 1, maxLength: 64, pattern: nil), "Tax or VAT number."),
                    FieldSpec("email", .text(minLength: 1, maxLength: 254, pattern: nil), "Billing contact address."),
                    FieldSpec(
                        "purchase_order", .text(minLength: 1, maxLength: 64, pattern: nil),
                        "The customer's purchase-order reference, printed on its invoices."),
                ]), "Who the group's invoices are addressed to."),
        ])

    public static let pricingPlan = KindSpec(
        kind: .pricingPlan,
        summary: "A set of pricing rules; one plan may serve many billing groups.",
        fields: [
            name,
            description,
            FieldSpec(
                "pricing_rules", .list(of: .name, maxItems: Limits.rulesPerPricingPlan), required: true,
                "Names of the plan's pricing rules (at most 500)."),
            tags,
        ])

    public static let pricingRule = KindSpec(
        kind: .pricingRule,
        summary: "A markup, discount or tiering applied to a scope of usage.",
        fields: [
            name,
            description,
            FieldSpec(
                "scope", .enumeration(PricingRuleScope.allCases.map(\.rawValue)), required: true,
                "What the rule applies to."),
            FieldSpec("type", .enumeration(PricingRuleType.allCases.map(\.rawValue)), required: true, "What it does."),
            FieldSpec(
                "modifier_percentage", percentage,
                "Markup or discount in percent, at most 2 decimals (MARKUP and DISCOUNT; a discount at most 100)."),
            FieldSpec(
                "service", .text(minLength: 1, maxLength: 128, pattern: AWSServiceCatalogue.pattern),
                "Service code or name as usage data writes it, e.g. AmazonEC2 or Amazon Elastic Compute Cloud "
                    + "(SERVICE and SKU scope)."),
            FieldSpec(
                "billing_entity", .enumeration(Limits.billingEntities), "Billing entity (BILLING_ENTITY scope)."),
            FieldSpec(
                "usage_type", .text(minLength: 1, maxLength: 256, pattern: "\\S+"), "Usage type (SKU scope)."),
            FieldSpec(
                "operation", .text(minLength: 1, maxLength: 256, pattern: "\\S+"), "Operation (SKU scope)."),
            FieldSpec(
                "tiering",
                .object([
                    FieldSpec(
                        "free_tier",
                        .object([
                            FieldSpec("activated", .boolean, required: true, "Whether AWS's free tier applies.")
                        ]), "The free tier switch (GLOBAL and SERVICE scope)."),
                    FieldSpec(
                        "tiers",
                        .list(
                            of: .object([
                                FieldSpec(
                                    "begin", .decimal(minimum: .zero, maximum: nil), required: true,
                                    "Start of the tier's quantity range (inclusive)."),
                                FieldSpec(
                                    "end", .decimal(minimum: .zero, maximum: nil),
                                    "End of the range (exclusive); omitted on the last tier."),
                                FieldSpec(
                                    "rate_value", .decimal(minimum: .zero, maximum: nil), required: true,
                                    "Price per unit of usage within the tier."),
                            ]), maxItems: nil),
                        "Custom tiers (SKU scope), from quantity 0 up, without gaps."),
                ]), "Tiering settings (TIERING type)."),
            tags,
        ])

    public static let customLineItem = KindSpec(
        kind: .customLineItem,
        summary: "A fee or credit added to a billing group's pro forma bill.",
        fields: [
            name,
            FieldSpec(
                "description", .text(minLength: 1, maxLength: Limits.customLineItemDescriptionLength, pattern: nil),
                "Shown on the invoice (at most 255 characters)."),
            FieldSpec("billing_group", .name, required: true, "The billing group it belongs to."),
            FieldSpec("account_id", .accountID, "The account charged (default: the group's primary account)."),
            FieldSpec(
                "type", .enumeration(CustomLineItemType.allCases.map(\.rawValue)), required: true,
                "FEE adds, CREDIT subtracts."),
            FieldSpec(
                "flat",
                .object([
                    FieldSpec(
                        "charge_value", .decimal(minimum: .zero, maximum: Limits.maxChargeValue), required: true,
                        "The amount, every active period (0 to 1,000,000).")
                ]), "A fixed charge (exactly one of flat and percentage)."),
            FieldSpec(
                "percentage",
                .object([
                    FieldSpec(
                        "percentage_value", .decimal(minimum: .zero, maximum: Limits.maxPercentageValue),
                        required: true, "The percentage (0 to 10,000)."),
                    FieldSpec(
                        "associated_values", .list(of: .name, maxItems: Limits.associatedValuesPerCustomLineItem),
                        "What the percentage is of: the line item's own billing group and/or flat custom line items of that group."
                    ),
                ]), "A percentage charge (exactly one of flat and percentage)."),
            FieldSpec(
                "line_item_filters",
                .list(
                    of: .object([
                        FieldSpec(
                            "attribute", .enumeration(LineItemFilter.Attribute.allCases.map(\.rawValue)),
                            required: true, "What the filter looks at."),
                        FieldSpec(
                            "match_option", .enumeration(LineItemFilter.MatchOption.allCases.map(\.rawValue)),
                            required: true, "Keep the matching lines (EQUAL) or the others (NOT_EQUAL)."),
                        FieldSpec(
                            "values", .list(of: .text(minLength: 1, maxLength: 128, pattern: nil), maxItems: nil),
                            required: true,
                            "SAVINGS_PLAN_NEGATION for LINE_ITEM_TYPE; service codes or names for SERVICE."),
                    ]), maxItems: nil),
                "At most one filter on the lines a percentage charge is computed on."),
            FieldSpec(
                "billing_period_range",
                .object([
                    FieldSpec("inclusive_start", .period, required: true, "First period (YYYY-MM)."),
                    FieldSpec("exclusive_end", .period, "First period it no longer applies to (YYYY-MM)."),
                ]), "The periods it is active in (default: all)."),
            FieldSpec(
                "computation_rule", .enumeration(ComputationRule.allCases.map(\.rawValue)),
                "CONSOLIDATED (default) or ITEMIZED (split across the lines of its base)."),
            FieldSpec(
                "presentation_details",
                .object([
                    FieldSpec(
                        "service", .text(minLength: 1, maxLength: 128, pattern: nil), required: true,
                        "The service it is shown under on the invoice.")
                ]), "How it is shown on the invoice."),
            tags,
        ])

    public static let parentGroup = KindSpec(
        kind: .parentGroup,
        summary: "A parent in the billing hierarchy: billing groups and other parents roll up to it; it has no accounts.",
        fields: [
            name,
            description,
            FieldSpec("parent", .name, "The parent group above it (default: none, a top of the hierarchy)."),
            tags,
        ])

    static func allocationFilter(withBillingEntities: Bool) -> FieldType {
        var fields = [
            FieldSpec(
                "services",
                .list(of: .text(minLength: 1, maxLength: 128, pattern: AWSServiceCatalogue.pattern), maxItems: nil),
                "Service codes or names, e.g. AWSSupportBusiness or AWS Support (Business)."),
            FieldSpec("account_ids", .list(of: .accountID, maxItems: nil), "Usage accounts."),
            FieldSpec(
                "line_item_types", .list(of: .text(minLength: 1, maxLength: 128, pattern: "\\S+"), maxItems: nil),
                "Line item types as the data writes them (Usage, SavingsPlanRecurringFee, …; without case)."),
        ]
        if withBillingEntities {
            fields.insert(
                FieldSpec("billing_groups", .list(of: .name, maxItems: nil), "The accounts of these billing groups."),
                at: 2)
            fields.append(
                FieldSpec(
                    "billing_entities", .list(of: .enumeration(Limits.billingEntities), maxItems: nil),
                    "Billing entities."))
        }
        return .object(fields)
    }

    public static let costAllocation = KindSpec(
        kind: .costAllocation,
        summary: "A shared cost (usage lines and/or a fixed amount) split over billing groups.",
        fields: [
            name,
            description,
            FieldSpec(
                "source", allocationFilter(withBillingEntities: true),
                "The usage lines of the pool: every line matching all the fields given (tax never). Each line goes to "
                    + "the first allocation by name that selects it and leaves the invoice it would have been on."),
            FieldSpec(
                "fixed_amount", .decimal(minimum: nil, maximum: Limits.maxChargeValue),
                "A fixed amount charged each active period instead of the pool's AWS cost (at most 10 decimals)."),
            FieldSpec(
                "percentage_of_basis", .decimal(minimum: .zero, maximum: Limits.maxPercentageValue),
                "proportional: charge each target this percentage of its basis instead of its share of the pool "
                    + "(at most 4 decimals); the pool's AWS cost is still split by the basis."),
            FieldSpec(
                "targets", .list(of: .name, maxItems: nil),
                "Billing groups, or parent groups standing for every billing group below them (even, proportional)."),
            FieldSpec(
                "method", .enumeration(AllocationMethod.allCases.map(\.rawValue)), required: true,
                "even, proportional (to each target's basis) or fixed (percentages)."),
            FieldSpec(
                "basis", .enumeration(AllocationBasis.allCases.map(\.rawValue)),
                "proportional: pro_forma (default; counted usage after rules) or aws_cost."),
            FieldSpec(
                "basis_filter", allocationFilter(withBillingEntities: false),
                "proportional: only the target's lines matching it weigh."),
            FieldSpec(
                "percentages",
                .list(
                    of: .object([
                        FieldSpec("target", .name, required: true, "A billing group."),
                        FieldSpec(
                            "percentage", .decimal(minimum: .zero, maximum: ExactDecimal(100)), required: true,
                            "Its share in percent, at most 4 decimals."),
                    ]), maxItems: nil),
                "fixed: each billing group's percentage; they add up to 100."),
            FieldSpec(
                "billing_period_range",
                .object([
                    FieldSpec("inclusive_start", .period, required: true, "First period (YYYY-MM)."),
                    FieldSpec("exclusive_end", .period, "First period it no longer applies to (YYYY-MM)."),
                ]), "The periods it is active in (default: all)."),
            FieldSpec(
                "presentation_details",
                .object([
                    FieldSpec(
                        "service", .text(minLength: 1, maxLength: 128, pattern: nil), required: true,
                        "The service the allocated lines are shown under, followed by the allocation's name.")
                ]), "How it is shown on the invoices (default service: Shared costs)."),
            tags,
        ])

    public static let all: [KindSpec] = [
        project, account, billingGroup, pricingPlan, pricingRule, customLineItem, parentGroup, costAllocation,
    ]

    public static func spec(for kind: ResourceKind) -> KindSpec {
        switch kind {
        case .project: project
        case .account: account
        case .billingGroup: billingGroup
        case .pricingPlan: pricingPlan
        case .pricingRule: pricingRule
        case .customLineItem: customLineItem
        case .parentGroup: parentGroup
        case .costAllocation: costAllocation
        }
    }
}

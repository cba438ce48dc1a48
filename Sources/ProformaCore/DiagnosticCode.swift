/// The catalogue of diagnostic codes. Codes are stable: once published, a code keeps its meaning forever and is
/// never reused. `docs/diagnostics.md` is generated from this catalogue (`proforma explain --all`).
public enum DiagnosticCode: String, Sendable, Hashable, Codable, CaseIterable {
    // Files and YAML
    case yamlSyntax = "PF100"
    case invalidUTF8 = "PF101"
    case tabIndentation = "PF102"
    case duplicateKey = "PF103"
    case yamlLimit = "PF104"
    case emptyFile = "PF105"
    case unreadableFile = "PF106"
    case lfsPointer = "PF107"
    case skippedEntry = "PF108"
    case unsupportedYAML = "PF109"

    // Structure of a document
    case notAMapping = "PF200"
    case missingKind = "PF201"
    case unknownKind = "PF202"
    case unknownField = "PF203"
    case missingField = "PF204"
    case wrongType = "PF205"
    case invalidValue = "PF206"
    case invalidDecimal = "PF207"
    case invalidPeriod = "PF208"
    case invalidName = "PF209"
    case invalidAccountID = "PF210"
    case numericAccountID = "PF211"
    case tooLong = "PF212"
    case projectFile = "PF213"
    case unsupportedVersion = "PF214"
    case otherYAMLReading = "PF215"
    case guardrailsWithoutUsage = "PF216"
    case invalidInvoiceNumber = "PF217"
    case invalidLogo = "PF218"

    // Names and references
    case duplicateName = "PF300"
    case unknownPricingPlan = "PF301"
    case unknownPricingRule = "PF302"
    case unknownBillingGroup = "PF303"
    case unknownAccount = "PF304"
    case unknownAssociatedValue = "PF305"
    case percentageOfPercentage = "PF306"
    case foreignAssociatedValue = "PF307"
    case duplicateListEntry = "PF308"
    case reservedFileName = "PF309"
    case namesDifferInCase = "PF310"
    case unknownParentGroup = "PF311"
    case unknownAllocationTarget = "PF312"
    case parentNamedLikeGroup = "PF313"

    // Billing groups
    case accountInTwoGroups = "PF400"
    case primaryNotMember = "PF401"
    case primaryIsPayer = "PF402"
    case multipleAutoAssociate = "PF403"
    case chargedAccountNotMember = "PF404"
    case unusedPricingPlan = "PF405"
    // The organization (accounts imported from AWS Organizations, account selectors)
    case accountInNoGroup = "PF406"
    case memberLeftOrganization = "PF407"
    case selectorSelectsNothing = "PF408"

    // Pricing rules and plans
    case scopeQualifier = "PF500"
    case typeNotAllowed = "PF501"
    case modifierPrecision = "PF502"
    case modifierRange = "PF503"
    case duplicateRuleTarget = "PF504"
    case ambiguousSKURules = "PF505"
    case invalidTiers = "PF506"
    case unusedPricingRule = "PF507"
    case unknownService = "PF508"

    // Custom line items
    case chargeKind = "PF600"
    case chargeRange = "PF601"
    case periodOrder = "PF602"
    case noAssociatedValues = "PF603"
    case invalidFilter = "PF604"

    // Quotas
    case quotaExceeded = "PF700"
    // Billing hierarchy and cost allocations
    case hierarchyCycle = "PF800"
    case allocationSourceIsTarget = "PF801"
    case allocationPercentages = "PF802"
    case allocationEmptySource = "PF803"
    case allocationMethodFields = "PF804"

    /// A short kebab-case name, used as the rule id's name in SARIF and in the catalogue.
    public var name: String {
        switch self {
        case .yamlSyntax: "yaml-syntax"
        case .invalidUTF8: "invalid-utf8"
        case .tabIndentation: "tab-indentation"
        case .duplicateKey: "duplicate-key"
        case .yamlLimit: "yaml-limit"
        case .emptyFile: "empty-file"
        case .unreadableFile: "unreadable-file"
        case .lfsPointer: "lfs-pointer"
        case .skippedEntry: "skipped-entry"
        case .unsupportedYAML: "unsupported-yaml"
        case .notAMapping: "not-a-mapping"
        case .missingKind: "missing-kind"
        case .unknownKind: "unknown-kind"
        case .unknownField: "unknown-field"
        case .missingField: "missing-field"
        case .wrongType: "wrong-type"
        case .invalidValue: "invalid-value"
        case .invalidDecimal: "invalid-decimal"
        case .invalidPeriod: "invalid-period"
        case .invalidName: "invalid-name"
        case .invalidAccountID: "invalid-account-id"
        case .numericAccountID: "numeric-account-id"
        case .tooLong: "too-long"
        case .projectFile: "project-file"
        case .unsupportedVersion: "unsupported-version"
        case .otherYAMLReading: "other-yaml-reading"
        case .guardrailsWithoutUsage: "guardrails-without-usage"
        case .invalidInvoiceNumber: "invalid-invoice-number"
        case .invalidLogo: "invalid-logo"
        case .duplicateName: "duplicate-name"
        case .unknownPricingPlan: "unknown-pricing-plan"
        case .unknownPricingRule: "unknown-pricing-rule"
        case .unknownBillingGroup: "unknown-billing-group"
        case .unknownAccount: "unknown-account"
        case .unknownAssociatedValue: "unknown-associated-value"
        case .percentageOfPercentage: "percentage-of-percentage"
        case .foreignAssociatedValue: "foreign-associated-value"
        case .duplicateListEntry: "duplicate-list-entry"
        case .reservedFileName: "reserved-file-name"
        case .namesDifferInCase: "names-differ-in-case"
        case .unknownParentGroup: "unknown-parent-group"
        case .unknownAllocationTarget: "unknown-allocation-target"
        case .parentNamedLikeGroup: "parent-named-like-group"
        case .accountInTwoGroups: "account-in-two-groups"
        case .primaryNotMember: "primary-not-member"
        case .primaryIsPayer: "primary-is-payer"
        case .multipleAutoAssociate: "multiple-auto-associate"
        case .chargedAccountNotMember: "charged-account-not-member"
        case .unusedPricingPlan: "unused-pricing-plan"
        case .scopeQualifier: "scope-qualifier"
        case .typeNotAllowed: "type-not-allowed"
        case .modifierPrecision: "modifier-precision"
        case .modifierRange: "modifier-range"
        case .duplicateRuleTarget: "duplicate-rule-target"
        case .ambiguousSKURules: "ambiguous-sku-rules"
        case .invalidTiers: "invalid-tiers"
        case .unusedPricingRule: "unused-pricing-rule"
        case .unknownService: "unknown-service"
        case .chargeKind: "charge-kind"
        case .chargeRange: "charge-range"
        case .periodOrder: "period-order"
        case .noAssociatedValues: "no-associated-values"
        case .invalidFilter: "invalid-filter"
        case .quotaExceeded: "quota-exceeded"
        case .hierarchyCycle: "hierarchy-cycle"
        case .allocationSourceIsTarget: "allocation-source-is-target"
        case .allocationPercentages: "allocation-percentages"
        case .allocationEmptySource: "allocation-empty-source"
        case .allocationMethodFields: "allocation-method-fields"
        case .accountInNoGroup: "account-in-no-group"
        case .memberLeftOrganization: "member-left-organization"
        case .selectorSelectsNothing: "selector-selects-nothing"
        }
    }

    /// One sentence: what the code means.
    public var summary: String {
        switch self {
        case .yamlSyntax: "The file is not well-formed YAML."
        case .invalidUTF8: "The file is not valid UTF-8 text."
        case .tabIndentation: "A tab character is used for indentation; YAML indents with spaces."
        case .duplicateKey: "A mapping has the same key twice."
        case .yamlLimit: "The file exceeds a safety limit: size, nesting depth or alias expansion."
        case .emptyFile: "A configuration file holds no document."
        case .unreadableFile: "A file of the configuration cannot be read."
        case .lfsPointer: "A Git LFS pointer stands where a YAML file is expected."
        case .skippedEntry: "An entry of the tree (symbolic link or submodule) is not read."
        case .unsupportedYAML: "A YAML feature that configuration files do not use (tags, complex keys)."
        case .notAMapping: "A document (or a value that must be a mapping) is not a mapping."
        case .missingKind: "A document has no `kind`."
        case .unknownKind: "A document's `kind` is not one proforma knows."
        case .unknownField: "A field is not part of its kind."
        case .missingField: "A required field is missing."
        case .wrongType: "A value has the wrong type (text, number, boolean, list or mapping)."
        case .invalidValue: "A value is not one of the values the field allows."
        case .invalidDecimal: "A number is not an exact decimal proforma can read."
        case .invalidPeriod: "A billing period is not of the form YYYY-MM."
        case .invalidName: "A name does not match ABC's name rules (1–128 of [a-zA-Z0-9_+=.-@])."
        case .invalidAccountID: "An AWS account ID is not 12 digits."
        case .numericAccountID: "An account ID is written as an unquoted number; other YAML tools read it as a number."
        case .tooLong: "A text is longer than its field allows."
        case .projectFile: "The project file `proforma.yaml` is missing, misplaced, or not a single Project."
        case .unsupportedVersion: "The project file's `version` is not one this proforma reads."
        case .otherYAMLReading:
            "An unquoted value read as text is a boolean or another number to other YAML tools (`no`, `on`, `012`, `1:20`)."
        case .guardrailsWithoutUsage:
            "The project has guardrails but lists no usage data, so `plan` cannot evaluate them without `--usage`."
        case .invalidInvoiceNumber:
            "The issuer's invoice number pattern has an unknown placeholder or character, or does not tell billing groups and periods apart."
        case .invalidLogo:
            "The issuer's logo is not an image file in the configuration (missing, outside the root, a link, or of another type)."
        case .duplicateName: "Two resources of one kind have the same name."
        case .unknownPricingPlan: "A billing group names a pricing plan that does not exist."
        case .unknownPricingRule: "A pricing plan names a pricing rule that does not exist."
        case .unknownBillingGroup: "A custom line item (or its associated values) names a billing group that does not exist."
        case .unknownAccount: "An account ID is not among the declared accounts."
        case .unknownAssociatedValue: "An associated value names neither a billing group nor a custom line item."
        case .percentageOfPercentage: "A percentage custom line item is computed on another percentage custom line item."
        case .foreignAssociatedValue: "An associated value belongs to another billing group."
        case .duplicateListEntry: "A list that is a set names the same value twice."
        case .reservedFileName:
            "A name that becomes a file name (a billing group's, for its invoices) starts with a dot: `.`, `..` or hidden."
        case .namesDifferInCase:
            "Two names that become file names differ only in case, so their files collide on case-insensitive systems."
        case .unknownParentGroup: "A billing group or parent group names a parent group that does not exist."
        case .unknownAllocationTarget:
            "A cost allocation names a billing group or parent group (target or source) that does not exist."
        case .parentNamedLikeGroup: "A parent group has the name of a billing group; `invoice --group` could not tell them apart."
        case .accountInTwoGroups: "An account is a member of two billing groups."
        case .primaryNotMember: "A billing group's primary account is not among its accounts."
        case .primaryIsPayer: "A billing group's primary account is the payer account."
        case .multipleAutoAssociate: "More than one billing group has `auto_associate`."
        case .chargedAccountNotMember: "A custom line item is charged to an account outside its billing group."
        case .unusedPricingPlan: "A pricing plan is used by no billing group."
        case .scopeQualifier: "A pricing rule's qualifiers do not fit its scope."
        case .typeNotAllowed: "A pricing rule's type is not allowed for its scope."
        case .modifierPrecision: "A modifier percentage has more than 2 decimal places."
        case .modifierRange: "A modifier percentage is negative, or a discount is above 100."
        case .duplicateRuleTarget: "Two price-modifying rules of one plan have the same target."
        case .ambiguousSKURules: "Two SKU rules of one plan could both match a line with equal precedence."
        case .invalidTiers: "A tiering rule's tiers are malformed."
        case .unusedPricingRule: "A pricing rule is in no pricing plan."
        case .unknownService:
            "A rule or filter names a service proforma does not know by code or name; it matches only as written."
        case .chargeKind: "A custom line item needs exactly one of `flat` and `percentage`."
        case .chargeRange: "A custom line item's charge is out of range."
        case .periodOrder: "A billing period range ends before it starts."
        case .noAssociatedValues: "A percentage custom line item has no associated values, so it amounts to 0."
        case .invalidFilter: "A custom line item's filter is malformed."
        case .quotaExceeded: "A quota of AWS Billing Conductor is exceeded."
        case .hierarchyCycle: "Parent groups form a cycle: a group would roll up to itself."
        case .allocationSourceIsTarget: "A cost allocation charges its pool to a billing group whose lines are its source."
        case .allocationPercentages:
            "A fixed cost allocation's percentages do not name each billing group once or do not add up to 100."
        case .allocationEmptySource: "A cost allocation has neither source filters nor a fixed amount, or a source field is empty."
        case .allocationMethodFields:
            "A cost allocation's fields do not fit its method (targets, basis, percentages), or it charges no billing group."
        case .accountInNoGroup: "An ACTIVE account of the organization is in no billing group."
        case .memberLeftOrganization:
            "A billing group's member is suspended, closing or closed in the organization, or not in it."
        case .selectorSelectsNothing: "A billing group's account selector selects no account of accounts.yaml."
        }
    }

    /// The severity this code is reported with.
    public var defaultSeverity: Severity {
        switch self {
        case .emptyFile, .numericAccountID, .otherYAMLReading, .noAssociatedValues, .unusedPricingPlan,
            .unusedPricingRule, .unknownService, .accountInNoGroup, .memberLeftOrganization, .selectorSelectsNothing:
            .warning
        case .skippedEntry, .guardrailsWithoutUsage:
            .note
        default:
            .error
        }
    }
}

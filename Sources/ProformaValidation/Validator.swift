import ProformaCore
import ProformaLoader
import ProformaModel

/// The semantic checks of billing-semantics.md §1 and §9: references, membership, the scope/qualifier matrix,
/// rule conflicts, ranges, periods and quotas. Every problem is collected; nothing stops at the first.
public struct Validator {
    public init() {}

    /// The loader's diagnostics plus every semantic problem, sorted by path and position.
    public func validate(_ loaded: LoadedConfiguration) -> [Diagnostic] {
        var run = ValidationRun(configuration: loaded.configuration, sourceMap: loaded.sourceMap)
        run.checkAccounts()
        run.checkBillingGroups()
        run.checkOrganization()
        run.checkFileNames()
        run.checkPricingRules()
        run.checkPricingPlans()
        run.checkCustomLineItems()
        run.checkHierarchy()
        run.checkCostAllocations()
        run.checkProject()
        run.checkQuotas()
        return (loaded.diagnostics + run.diagnostics).sorted()
    }
}

struct ValidationRun {
    let configuration: Configuration
    let sourceMap: SourceMap
    var diagnostics: [Diagnostic] = []

    /// Indexes into the configuration's arrays, by name (no copies of the resources).
    let groupIndex: [String: Int]
    let ruleIndex: [String: Int]
    let itemIndex: [String: Int]
    /// Declared account IDs; nil when the configuration declares no accounts (then IDs are not checked).
    let declaredAccounts: Set<String>?
    /// The declared names of each kind, sorted, built once.
    let namesByKind: [ResourceKind: [String]]
    /// How many more names "did you mean" suggestions may compare in this run. Each suggestion compares a name
    /// with every name of a kind, so without a budget thousands of unresolved references among thousands of names
    /// would take time quadratic in the configuration's size; the budget suggests for the first unresolved names
    /// (all of them in any configuration of a realistic size) and then stops suggesting.
    var suggestionBudget = Self.suggestionComparisons
    static let suggestionComparisons = 2_000_000

    init(configuration: Configuration, sourceMap: SourceMap) {
        self.configuration = configuration
        self.sourceMap = sourceMap
        func index<T>(_ items: [T], _ name: (T) -> String) -> [String: Int] {
            var result: [String: Int] = [:]
            result.reserveCapacity(items.count)
            for (position, item) in items.enumerated() where result[name(item)] == nil { result[name(item)] = position }
            return result
        }
        groupIndex = index(configuration.billingGroups, \.name)
        ruleIndex = index(configuration.pricingRules, \.name)
        itemIndex = index(configuration.customLineItems, \.name)
        declaredAccounts = configuration.accounts.isEmpty ? nil : Set(configuration.accounts.map(\.accountID))
        var namesByKind: [ResourceKind: [String]] = [:]
        for id in sourceMap.resources.keys { namesByKind[id.kind, default: []].append(id.name) }
        self.namesByKind = namesByKind.mapValues { $0.sorted() }
    }

    func group(_ name: String) -> BillingGroup? { groupIndex[name].map { configuration.billingGroups[$0] } }
    func rule(_ name: String) -> PricingRule? { ruleIndex[name].map { configuration.pricingRules[$0] } }
    func item(_ name: String) -> CustomLineItem? { itemIndex[name].map { configuration.customLineItems[$0] } }

    /// `items` in the order they were written (by the location of their names).
    func inWrittenOrder<T>(_ items: [T], _ kind: ResourceKind, _ name: (T) -> String) -> [T] {
        items.map { (location(kind, name($0)), $0) }
            .sorted { a, b in
                switch (a.0, b.0) {
                case (let x?, let y?): return x < y
                case (nil, .some): return false
                case (.some, nil): return true
                case (nil, nil): return name(a.1) < name(b.1)
                }
            }
            .map(\.1)
    }

    func location(_ kind: ResourceKind, _ name: String, _ field: String? = nil) -> SourceLocation? {
        sourceMap.location(of: ResourceID(kind, name), field: field)
    }

    func has(_ kind: ResourceKind, _ name: String, field: String) -> Bool {
        sourceMap.resources[ResourceID(kind, name)]?.has(field) ?? false
    }

    /// Whether a resource of `kind` named `name` was declared, complete or not.
    func exists(_ kind: ResourceKind, _ name: String) -> Bool {
        sourceMap.resources[ResourceID(kind, name)] != nil
    }

    mutating func report(
        _ code: DiagnosticCode, _ message: String, at location: SourceLocation?, hint: String? = nil
    ) {
        diagnostics.append(Diagnostic(code.defaultSeverity, code, message, at: location, hint: hint))
    }

    func names(_ kind: ResourceKind) -> [String] {
        namesByKind[kind] ?? []
    }

    /// A "did you mean" hint for `word` among `candidates`, within the run's budget of comparisons.
    mutating func suggestion<C: Collection>(for word: String, among candidates: C) -> String?
    where C.Element == String {
        guard suggestionBudget >= candidates.count else { return nil }
        suggestionBudget -= candidates.count
        return Suggestions.hint(for: word, among: candidates)
    }

    // MARK: Accounts

    mutating func checkAccounts() {
        var firstByID: [String: String] = [:]
        for account in inWrittenOrder(configuration.accounts, .account, \.name)
        where !account.accountID.isEmpty {
            if let first = firstByID[account.accountID] {
                report(
                    .duplicateName, "account ID \(account.accountID) is declared by both \"\(first)\" and \"\(account.name)\"",
                    at: location(.account, account.name, "account_id"), hint: "declare each account once")
            } else {
                firstByID[account.accountID] = account.name
            }
        }
    }

    mutating func checkDeclared(_ accountID: String, at location: SourceLocation?) {
        guard let declaredAccounts, !accountID.isEmpty, !declaredAccounts.contains(accountID) else { return }
        report(
            .unknownAccount, "account \(accountID) is not declared", at: location,
            hint: suggestion(for: accountID, among: declaredAccounts)
                ?? "declare it as an Account, e.g. in accounts.yaml")
    }

    // MARK: Billing groups

    mutating func checkBillingGroups() {
        let payer = configuration.project?.payerAccountID
        // Groups in the order they were written, so the second claim of an account is the one reported.
        let groups = inWrittenOrder(configuration.billingGroups, .billingGroup, \.name)
        var owner: [String: String] = [:]
        var autoAssociate: String?
        for group in groups {
            let name = group.name
            if !group.pricingPlan.isEmpty && !exists(.pricingPlan, group.pricingPlan) {
                report(
                    .unknownPricingPlan, "billing group \"\(name)\" names pricing plan \"\(group.pricingPlan)\", which does not exist",
                    at: location(.billingGroup, name, "pricing_plan"),
                    hint: suggestion(for: group.pricingPlan, among: names(.pricingPlan)))
            }
            var seen: Set<String> = []
            for (index, account) in group.accountIDs.enumerated() {
                let field = "account_ids[\(index)]"
                guard seen.insert(account).inserted else { continue }  // the loader reported it
                if let first = owner[account] {
                    report(
                        .accountInTwoGroups, "account \(account) is in billing groups \"\(first)\" and \"\(name)\"",
                        at: location(.billingGroup, name, field),
                        hint: "an account belongs to at most one billing group in a period")
                } else {
                    owner[account] = name
                }
                checkDeclared(account, at: location(.billingGroup, name, field))
                if let payer, account == payer {
                    report(
                        .primaryIsPayer, "billing group \"\(name)\" includes the payer account \(payer)",
                        at: location(.billingGroup, name, field),
                        hint: "the payer account cannot be part of a billing group")
                }
            }
            if !group.primaryAccountID.isEmpty {
                let primaryLocation = location(.billingGroup, name, "primary_account_id")
                if let payer, group.primaryAccountID == payer {
                    report(
                        .primaryIsPayer, "the primary account of billing group \"\(name)\" is the payer account \(payer)",
                        at: primaryLocation, hint: "choose a linked account as the primary account")
                } else if has(.billingGroup, name, field: "account_ids")
                    || has(.billingGroup, name, field: "account_selector"), !seen.contains(group.primaryAccountID)
                {
                    report(
                        .primaryNotMember,
                        "primary account \(group.primaryAccountID) of billing group \"\(name)\" is not among its account_ids",
                        at: primaryLocation, hint: "add it to account_ids, or make a member the primary account")
                }
            }
            if group.autoAssociate {
                if let first = autoAssociate {
                    report(
                        .multipleAutoAssociate,
                        "billing groups \"\(first)\" and \"\(name)\" both have auto_associate",
                        at: location(.billingGroup, name, "auto_associate"),
                        hint: "at most one billing group may auto-associate accounts")
                } else {
                    autoAssociate = name
                }
            }
            if group.accountIDs.count > Limits.accountsPerBillingGroup {
                report(
                    .quotaExceeded,
                    "billing group \"\(name)\" has \(group.accountIDs.count) accounts; at most \(Limits.accountsPerBillingGroup) are allowed",
                    at: location(.billingGroup, name, "account_ids"))
            }
        }
    }

    // MARK: Names that are file names

    /// Names that become file names: a billing group's invoice is written as `invoices/PERIOD/GROUP.EXT`.
    /// Such a name may not start with a dot (`.` and `..` name folders, and `.x.csv` is hidden), and no two may
    /// differ only in case (their files are one on case-insensitive file systems, macOS's and Windows' defaults).
    mutating func checkFileNames() {
        let named = sourceMap.resources.filter { $0.key.kind == .billingGroup }
            .map { (name: $0.key.name, location: $0.value.location) }
            .sorted { ($0.location, $0.name) < ($1.location, $1.name) }
        var firstByFoldedName: [String: (name: String, location: SourceLocation)] = [:]
        for (name, location) in named {
            if name.hasPrefix(".") {
                let what = name.allSatisfy { $0 == "." } && name.count <= 2 ? "names a folder" : "is hidden"
                report(
                    .reservedFileName,
                    "billing group name \"\(name)\" starts with a dot: its invoices are files named after it, and \"\(name)\" \(what)",
                    at: location, hint: "start the name with a letter or digit")
                continue
            }
            let folded = String(name.lowercased())
            if let first = firstByFoldedName[folded] {
                report(
                    .namesDifferInCase,
                    "billing groups \"\(first.name)\" (\(first.location)) and \"\(name)\" differ only in case, so their invoice files collide on case-insensitive file systems",
                    at: location, hint: "rename one of them")
            } else {
                firstByFoldedName[folded] = (name, location)
            }
        }
    }

    // MARK: Pricing rules

    mutating func checkPricingRules() {
        for rule in configuration.pricingRules {
            let name = rule.name
            let qualifiers: [(field: String, value: String?)] = [
                ("service", rule.service), ("billing_entity", rule.billingEntity), ("usage_type", rule.usageType),
                ("operation", rule.operation),
            ]
            let allowed: Set<String> =
                switch rule.scope {
                case .global: []
                case .service: ["service"]
                case .billingEntity: ["billing_entity"]
                case .sku: ["service", "usage_type", "operation"]
                }
            for (field, value) in qualifiers where value != nil && !allowed.contains(field) {
                report(
                    .scopeQualifier, "a \(rule.scope.rawValue) rule does not take \"\(field)\"",
                    at: location(.pricingRule, name, field),
                    hint: allowed.isEmpty
                        ? "remove it, or choose the scope that fits it"
                        : "\(rule.scope.rawValue) rules take \(allowed.sorted().joined(separator: ", "))")
            }
            if let service = rule.service, rule.scope == .service || rule.scope == .sku {
                checkKnownService(service, at: location(.pricingRule, name, "service"))
            }
            let scopeLocation = location(.pricingRule, name, "scope")
            switch rule.scope {
            case .global:
                break
            case .service where rule.service == nil:
                report(.scopeQualifier, "a SERVICE rule needs \"service\"", at: scopeLocation, hint: "e.g. service: AmazonEC2")
            case .billingEntity where rule.billingEntity == nil:
                report(
                    .scopeQualifier, "a BILLING_ENTITY rule needs \"billing_entity\"", at: scopeLocation,
                    hint: "one of \(Limits.billingEntities.joined(separator: ", "))")
            case .sku:
                if rule.service == nil {
                    report(.scopeQualifier, "a SKU rule needs \"service\"", at: scopeLocation)
                }
                if rule.usageType == nil && rule.operation == nil {
                    report(
                        .scopeQualifier, "a SKU rule needs \"usage_type\", \"operation\" or both", at: scopeLocation)
                }
            default:
                break
            }
            if rule.scope == .billingEntity && rule.type == .tiering {
                report(
                    .typeNotAllowed, "a BILLING_ENTITY rule cannot be TIERING", at: location(.pricingRule, name, "type"),
                    hint: "BILLING_ENTITY rules are MARKUP or DISCOUNT")
            }
            checkModifier(rule)
            checkTiering(rule)
        }
    }

    mutating func checkModifier(_ rule: PricingRule) {
        let name = rule.name
        let field = "modifier_percentage"
        switch rule.type {
        case .markup, .discount:
            guard let modifier = rule.modifierPercentage else {
                if !has(.pricingRule, name, field: field) {
                    report(
                        .missingField, "a \(rule.type.rawValue) rule needs \"modifier_percentage\"",
                        at: location(.pricingRule, name, "type"), hint: "e.g. modifier_percentage: 10")
                }
                return
            }
            if modifier.significantFractionDigits > 2 {
                report(
                    .modifierPrecision, "modifier_percentage \(modifier) has more than 2 decimal places",
                    at: location(.pricingRule, name, field), hint: "round it to 2 decimals, e.g. \(modifier.formatted(places: 2))")
            }
            if modifier.isNegative {
                report(
                    .modifierRange, "modifier_percentage must not be negative",
                    at: location(.pricingRule, name, field),
                    hint: rule.type == .markup ? "use a DISCOUNT rule to lower prices" : "use a MARKUP rule to raise prices")
            } else if rule.type == .discount && modifier > .hundred {
                report(
                    .modifierRange, "a discount of \(modifier) % is more than 100 %",
                    at: location(.pricingRule, name, field))
            } else if rule.type == .markup && modifier > Self.maxMarkup {
                report(
                    .modifierRange, "a markup of \(modifier) % is out of range; at most 10,000 %",
                    at: location(.pricingRule, name, field))
            }
        case .tiering:
            if rule.modifierPercentage != nil {
                report(
                    .invalidValue, "a TIERING rule does not take \"modifier_percentage\"",
                    at: location(.pricingRule, name, field), hint: "remove it; tiering sets prices through \"tiering\"")
            }
        }
    }

    mutating func checkTiering(_ rule: PricingRule) {
        let name = rule.name
        guard rule.type == .tiering else {
            if has(.pricingRule, name, field: "tiering") {
                report(
                    .invalidTiers, "a \(rule.type.rawValue) rule does not take \"tiering\"",
                    at: location(.pricingRule, name, "tiering"), hint: "tiering belongs to TIERING rules")
            }
            return
        }
        guard let tiering = rule.tiering else {
            if !has(.pricingRule, name, field: "tiering") {
                report(
                    .missingField, "a TIERING rule needs \"tiering\"", at: location(.pricingRule, name, "type"),
                    hint: rule.scope == .sku
                        ? "give custom tiers under tiering.tiers" : "e.g. tiering: { free_tier: { activated: false } }")
            }
            return
        }
        if rule.scope == .sku {
            if has(.pricingRule, name, field: "tiering.free_tier") {
                report(
                    .invalidTiers, "a SKU TIERING rule sets custom tiers, not the free tier",
                    at: location(.pricingRule, name, "tiering.free_tier"),
                    hint: "switch the free tier with a GLOBAL or SERVICE TIERING rule")
            }
            guard !tiering.tiers.isEmpty else {
                if !has(.pricingRule, name, field: "tiering.tiers") {
                    report(
                        .invalidTiers, "a SKU TIERING rule needs custom tiers", at: location(.pricingRule, name, "tiering"),
                        hint: "add tiering.tiers: [{ begin: 0, end: 100, rate_value: 0.10 }, { begin: 100, rate_value: 0.08 }]")
                }
                return
            }
            var expectedBegin = ExactDecimal.zero
            for (index, tier) in tiering.tiers.enumerated() {
                let field = "tiering.tiers[\(index)]"
                for (key, value) in [("begin", tier.begin), ("end", tier.end), ("rate_value", tier.rateValue)]
                where (value?.significantFractionDigits ?? 0) > Self.chargePlaces || !(value?.fits(integerDigits: 15, fractionDigits: 10) ?? true)
                {
                    report(
                        .invalidTiers, "\(key) \(value!) is out of range: at most 15 digits before the point and 10 after it",
                        at: location(.pricingRule, name, field + "." + key))
                }
                if tier.begin != expectedBegin {
                    report(
                        .invalidTiers,
                        index == 0 ? "the first tier must begin at 0, not \(tier.begin)"
                            : "tier \(index + 1) begins at \(tier.begin) but the tier before it ends at \(expectedBegin)",
                        at: location(.pricingRule, name, field + ".begin"), hint: "tiers run from 0 up without gaps or overlaps")
                }
                if let end = tier.end {
                    if end <= tier.begin {
                        report(
                            .invalidTiers, "tier \(index + 1) ends at \(end), not after its begin \(tier.begin)",
                            at: location(.pricingRule, name, field + ".end"))
                    }
                    expectedBegin = end
                } else if index != tiering.tiers.count - 1 {
                    report(
                        .invalidTiers, "only the last tier may be open-ended; tier \(index + 1) has no end",
                        at: location(.pricingRule, name, field))
                }
            }
            if tiering.tiers.last?.end != nil {
                report(
                    .invalidTiers, "the last tier must have no end, so every quantity is priced",
                    at: location(.pricingRule, name, "tiering.tiers[\(tiering.tiers.count - 1)].end"),
                    hint: "remove \"end\" from the last tier")
            }
        } else {
            if has(.pricingRule, name, field: "tiering.tiers") {
                report(
                    .invalidTiers, "custom tiers are for SKU rules only",
                    at: location(.pricingRule, name, "tiering.tiers"))
            }
            if tiering.freeTierActivated == nil && !has(.pricingRule, name, field: "tiering.free_tier") {
                report(
                    .missingField, "a \(rule.scope.rawValue) TIERING rule needs \"free_tier\"",
                    at: location(.pricingRule, name, "tiering"), hint: "e.g. free_tier: { activated: false }")
            }
        }
    }

    // MARK: Pricing plans

    mutating func checkPricingPlans() {
        var usedRules: Set<String> = []
        for plan in configuration.pricingPlans {
            let name = plan.name
            var seen: Set<String> = []
            var targets: [String: String] = [:]
            var skuRules: [PricingRule] = []
            for (index, ruleName) in plan.pricingRules.enumerated() {
                let field = "pricing_rules[\(index)]"
                usedRules.insert(ruleName)
                guard seen.insert(ruleName).inserted else { continue }  // the loader reported it
                guard exists(.pricingRule, ruleName) else {
                    report(
                        .unknownPricingRule, "pricing plan \"\(name)\" names pricing rule \"\(ruleName)\", which does not exist",
                        at: location(.pricingPlan, name, field),
                        hint: suggestion(for: ruleName, among: names(.pricingRule)))
                    continue
                }
                guard let rule = self.rule(ruleName) else { continue }
                let freeTierSwitch = rule.type == .tiering && rule.scope != .sku
                // A service by code or by name is the same target.
                var target = rule
                target.service = rule.service.map(AWSServiceCatalogue.code)
                let key = (freeTierSwitch ? "free tier " : "") + target.target
                if let other = targets[key] {
                    report(
                        .duplicateRuleTarget,
                        "pricing rules \"\(other)\" and \"\(ruleName)\" of plan \"\(name)\" have the same target (\(rule.target))",
                        at: location(.pricingPlan, name, field), hint: "rules never stack: keep one of them")
                } else {
                    targets[key] = ruleName
                }
                if rule.scope == .sku && !freeTierSwitch { skuRules.append(rule) }
            }
            checkAmbiguousSKURules(skuRules, plan: plan)
            if plan.pricingRules.count > Limits.rulesPerPricingPlan {
                report(
                    .quotaExceeded,
                    "pricing plan \"\(name)\" has \(plan.pricingRules.count) rules; at most \(Limits.rulesPerPricingPlan) are allowed",
                    at: location(.pricingPlan, name, "pricing_rules"))
            }
        }
        let usedPlans = Set(configuration.billingGroups.map(\.pricingPlan))
        for plan in configuration.pricingPlans where !usedPlans.contains(plan.name) {
            report(
                .unusedPricingPlan, "pricing plan \"\(plan.name)\" is used by no billing group",
                at: location(.pricingPlan, plan.name), hint: "assign it to a billing group, or remove it")
        }
        for rule in configuration.pricingRules where !usedRules.contains(rule.name) {
            report(
                .unusedPricingRule, "pricing rule \"\(rule.name)\" is in no pricing plan",
                at: location(.pricingRule, rule.name), hint: "add it to a plan's pricing_rules, or remove it")
        }
    }

    /// Two SKU rules for one service, one qualified only by usage type and the other only by operation, tie on a
    /// line that matches both.
    mutating func checkAmbiguousSKURules(_ rules: [PricingRule], plan: PricingPlan) {
        let byService = Dictionary(grouping: rules) { AWSServiceCatalogue.code($0.service ?? "") }
        for service in byService.keys.sorted() {
            let group = byService[service]!
            let usageOnly = group.filter { $0.usageType != nil && $0.operation == nil }
            let operationOnly = group.filter { $0.operation != nil && $0.usageType == nil }
            guard let first = usageOnly.min(by: { $0.name < $1.name }),
                let second = operationOnly.min(by: { $0.name < $1.name })
            else { continue }
            let index = plan.pricingRules.firstIndex(of: second.name) ?? 0
            report(
                .ambiguousSKURules,
                "SKU rules \"\(first.name)\" (usage_type only) and \"\(second.name)\" (operation only) of plan \"\(plan.name)\" could both match the same \(service) line",
                at: location(.pricingPlan, plan.name, "pricing_rules[\(index)]"),
                hint: "give one of them both usage_type and operation, so the more specific one wins")
        }
    }

    // MARK: Custom line items

    mutating func checkCustomLineItems() {
        var filtered: [String: Int] = [:]
        var itemized: [String: Int] = [:]
        for item in inWrittenOrder(configuration.customLineItems, .customLineItem, \.name) {
            let name = item.name
            let group = self.group(item.billingGroup)
            if !item.billingGroup.isEmpty && !exists(.billingGroup, item.billingGroup) {
                report(
                    .unknownBillingGroup, "custom line item \"\(name)\" names billing group \"\(item.billingGroup)\", which does not exist",
                    at: location(.customLineItem, name, "billing_group"),
                    hint: suggestion(for: item.billingGroup, among: names(.billingGroup)))
            }
            if let accountID = item.accountID {
                let accountLocation = location(.customLineItem, name, "account_id")
                if let group, !group.accountIDs.contains(accountID) {
                    report(
                        .chargedAccountNotMember,
                        "custom line item \"\(name)\" is charged to account \(accountID), which is not in billing group \"\(group.name)\"",
                        at: accountLocation, hint: "charge a member account, or omit account_id to charge the primary account")
                }
                checkDeclared(accountID, at: accountLocation)
            }
            checkCharge(item, group: group)
            checkFilters(item)
            if let range = item.billingPeriodRange, let end = range.exclusiveEnd, end <= range.inclusiveStart {
                report(
                    .periodOrder,
                    "billing_period_range ends (\(end), exclusive) before it starts (\(range.inclusiveStart))",
                    at: location(.customLineItem, name, "billing_period_range.exclusive_end"),
                    hint: "exclusive_end must be a later period than inclusive_start")
            }
            if item.computationRule == .itemized {
                if case .flat = item.charge {
                    report(
                        .invalidValue, "ITEMIZED applies to percentage custom line items only",
                        at: location(.customLineItem, name, "computation_rule"), hint: "use CONSOLIDATED for a flat charge")
                }
                itemized[item.billingGroup, default: 0] += 1
                if itemized[item.billingGroup]! == Limits.itemizedCustomLineItemsPerGroup + 1 {
                    report(
                        .quotaExceeded,
                        "billing group \"\(item.billingGroup)\" has more than \(Limits.itemizedCustomLineItemsPerGroup) ITEMIZED custom line items",
                        at: location(.customLineItem, name, "computation_rule"))
                }
            }
            if !item.lineItemFilters.isEmpty {
                filtered[item.billingGroup, default: 0] += 1
                if filtered[item.billingGroup]! == Limits.filteredCustomLineItemsPerGroup + 1 {
                    report(
                        .quotaExceeded,
                        "billing group \"\(item.billingGroup)\" has more than \(Limits.filteredCustomLineItemsPerGroup) custom line items with filters",
                        at: location(.customLineItem, name, "line_item_filters"))
                }
            }
        }
    }

    mutating func checkCharge(_ item: CustomLineItem, group: BillingGroup?) {
        let name = item.name
        let hasFlat = has(.customLineItem, name, field: "flat")
        let hasPercentage = has(.customLineItem, name, field: "percentage")
        if hasFlat && hasPercentage {
            report(
                .chargeKind, "custom line item \"\(name)\" has both \"flat\" and \"percentage\"",
                at: location(.customLineItem, name, "percentage"), hint: "keep exactly one of them")
        } else if !hasFlat && !hasPercentage {
            report(
                .chargeKind, "custom line item \"\(name)\" has neither \"flat\" nor \"percentage\"",
                at: location(.customLineItem, name), hint: "add flat: { charge_value: … } or percentage: { percentage_value: … }")
        }
        switch item.charge {
        case .flat(let value):
            if value.significantFractionDigits > Self.chargePlaces {
                report(
                    .chargeRange, "charge_value \(value) has more than \(Self.chargePlaces) decimal places",
                    at: location(.customLineItem, name, "flat.charge_value"))
            }
            if value.isNegative || value > Limits.maxChargeValue {
                report(
                    .chargeRange, "charge_value \(value) is outside 0 to 1,000,000",
                    at: location(.customLineItem, name, "flat.charge_value"),
                    hint: value.isNegative ? "use type: CREDIT for a negative amount" : nil)
            }
        case .percentage(let value, let associated):
            if value.significantFractionDigits > Self.percentagePlaces {
                report(
                    .chargeRange, "percentage_value \(value) has more than \(Self.percentagePlaces) decimal places",
                    at: location(.customLineItem, name, "percentage.percentage_value"))
            }
            if value.isNegative || value > Limits.maxPercentageValue {
                report(
                    .chargeRange, "percentage_value \(value) is outside 0 to 10,000",
                    at: location(.customLineItem, name, "percentage.percentage_value"),
                    hint: value.isNegative ? "use type: CREDIT for a negative amount" : nil)
            }
            checkAssociatedValues(item, associated)
        case nil:
            break
        }
    }

    mutating func checkAssociatedValues(_ item: CustomLineItem, _ associated: [String]) {
        let name = item.name
        if associated.isEmpty {
            report(
                .noAssociatedValues, "percentage custom line item \"\(name)\" has no associated values, so it amounts to 0",
                at: location(.customLineItem, name, "percentage"),
                hint: "add associated_values: [\(item.billingGroup.isEmpty ? "GROUP" : item.billingGroup)]")
            return
        }
        if associated.count > Limits.associatedValuesPerCustomLineItem {
            report(
                .quotaExceeded,
                "custom line item \"\(name)\" has \(associated.count) associated values; at most \(Limits.associatedValuesPerCustomLineItem) are allowed",
                at: location(.customLineItem, name, "percentage.associated_values"))
        }
        var seen: Set<String> = []
        for (index, value) in associated.enumerated() {
            let at = location(.customLineItem, name, "percentage.associated_values[\(index)]")
            guard seen.insert(value).inserted else { continue }  // the loader reported it
            if exists(.billingGroup, value) {
                if value != item.billingGroup {
                    report(
                        .foreignAssociatedValue,
                        "custom line item \"\(name)\" of billing group \"\(item.billingGroup)\" is computed on another billing group, \"\(value)\"",
                        at: at, hint: "a percentage custom line item is computed on its own billing group only")
                }
            } else if let other = self.item(value) {
                if other.name == name || other.isPercentage {
                    report(
                        .percentageOfPercentage,
                        "custom line item \"\(name)\" is computed on \"\(value)\", which is a percentage custom line item",
                        at: at, hint: "associated values are the billing group and flat custom line items")
                } else if other.billingGroup != item.billingGroup {
                    report(
                        .foreignAssociatedValue,
                        "custom line item \"\(value)\" belongs to billing group \"\(other.billingGroup)\", not \"\(item.billingGroup)\"",
                        at: at, hint: "associate flat custom line items of the same billing group")
                }
            } else if !exists(.customLineItem, value) {
                report(
                    .unknownAssociatedValue, "associated value \"\(value)\" is neither a billing group nor a custom line item",
                    at: at,
                    hint: suggestion(for: value, among: names(.billingGroup) + names(.customLineItem)))
            }
        }
    }

    mutating func checkFilters(_ item: CustomLineItem) {
        let name = item.name
        guard has(.customLineItem, name, field: "line_item_filters") else { return }
        if item.lineItemFilters.count > 1 {
            report(
                .invalidFilter, "custom line item \"\(name)\" has \(item.lineItemFilters.count) line item filters; at most one is allowed",
                at: location(.customLineItem, name, "line_item_filters[1]"))
        }
        if case .flat = item.charge {
            report(
                .invalidFilter, "a line item filter applies to percentage custom line items only",
                at: location(.customLineItem, name, "line_item_filters"), hint: "remove it, or make the charge a percentage")
        }
        for (index, filter) in item.lineItemFilters.enumerated() {
            let field = "line_item_filters[\(index)]"
            if filter.values.isEmpty {
                report(.invalidFilter, "the line item filter has no values", at: location(.customLineItem, name, field + ".values"))
            }
            switch filter.attribute {
            case .lineItemType:
                if filter.matchOption != .notEqual {
                    report(
                        .invalidFilter, "a LINE_ITEM_TYPE filter only takes match_option NOT_EQUAL",
                        at: location(.customLineItem, name, field + ".match_option"))
                }
                for (valueIndex, value) in filter.values.enumerated() where value != "SAVINGS_PLAN_NEGATION" {
                    report(
                        .invalidFilter, "a LINE_ITEM_TYPE filter only takes the value SAVINGS_PLAN_NEGATION, not \"\(value)\"",
                        at: location(.customLineItem, name, field + ".values[\(valueIndex)]"))
                }
            case .service:
                for (valueIndex, value) in filter.values.enumerated() {
                    let at = location(.customLineItem, name, field + ".values[\(valueIndex)]")
                    if !AWSServiceCatalogue.isWellFormed(value) {
                        report(
                            .invalidFilter, "\"\(value)\" is not a service code or name", at: at,
                            hint: "write it as usage data does, e.g. AmazonEC2 or Amazon Elastic Compute Cloud")
                    } else {
                        checkKnownService(value, at: at)
                    }
                }
            }
        }
    }

    /// The largest markup (decided: ABC sets none; this keeps prices within exact arithmetic).
    static let maxMarkup = ExactDecimal(10_000)
    /// Decimal places of custom line item charges (decided).
    static let chargePlaces = 10
    static let percentagePlaces = 4

    /// A service `AWSServiceCatalogue` does not know is a warning (decided): the catalogue cannot list every AWS
    /// service, and such a service is still matched as written; a misspelt one gets the closest known code or name.
    mutating func checkKnownService(_ service: String, at location: SourceLocation?) {
        guard AWSServiceCatalogue.service(service) == nil else { return }
        let suggestion = Suggestions.closest(to: service, among: AWSServiceCatalogue.allSpellings)
        let known = "a service proforma does not know matches the usage data only as written"
        report(
            .unknownService, "service \"\(service)\" is not one proforma knows by code or name", at: location,
            hint: suggestion.map { "did you mean \"\($0)\"? \(known)" } ?? known)
    }

    // MARK: Project

    mutating func checkProject() {
        guard let project = configuration.project else { return }
        if let pattern = project.issuer?.invoiceNumber {
            do {
                _ = try InvoiceNumberPattern(pattern)
            } catch {
                report(
                    .invalidInvoiceNumber, "invoice number pattern \"\(pattern)\": \(error.message)",
                    at: location(.project, project.name, "issuer.invoice_number"), hint: error.hint)
            }
        }
        if !project.guardrails.isEmpty && project.usage.isEmpty {
            let names = project.guardrails.map { "\"\($0.name)\"" }.joined(separator: ", ")
            report(
                .guardrailsWithoutUsage,
                "guardrail\(project.guardrails.count == 1 ? "" : "s") \(names) cannot be evaluated: the project lists no usage data",
                at: location(.project, project.name, "guardrails"),
                hint: "list usage files under `usage:`, or pass `--usage FILE` to `proforma plan`")
        }
        for (index, guardrail) in project.guardrails.enumerated() {
            for (groupIndex, group) in guardrail.billingGroups.enumerated() where !exists(.billingGroup, group) {
                report(
                    .unknownBillingGroup, "guardrail \"\(guardrail.name)\" names billing group \"\(group)\", which does not exist",
                    at: location(.project, project.name, "guardrails[\(index)].billing_groups[\(groupIndex)]"),
                    hint: suggestion(for: group, among: names(.billingGroup)))
            }
            if !guardrail.hasLimit {
                report(
                    .missingField, "guardrail \"\(guardrail.name)\" sets no limit",
                    at: location(.project, project.name, "guardrails[\(index)]"),
                    hint:
                        "set max_increase_percentage, max_decrease_percentage, max_increase_amount, max_decrease_amount, min_margin_percentage or no_unassigned_accounts"
                )
            }
            if guardrail.scope == .total && (guardrail.minMarginPercentage != nil || !guardrail.billingGroups.isEmpty) {
                report(
                    .invalidValue,
                    "guardrail \"\(guardrail.name)\" applies to the total, so min_margin_percentage and billing_groups do not apply",
                    at: location(.project, project.name, "guardrails[\(index)].applies_to"),
                    hint: "use a second guardrail with applies_to: group for them")
            }
        }
    }

    // MARK: Quotas

    mutating func checkQuotas() {
        func check(_ kind: ResourceKind, count: Int, limit: Int, what: String) {
            guard count > limit else { return }
            let ids = sourceMap.resources.filter { $0.key.kind == kind }.sorted { $0.value.location < $1.value.location }
            report(
                .quotaExceeded, "the configuration has \(count) \(what); at most \(limit) are allowed per payer account",
                at: ids[limit].value.location)
        }
        check(.billingGroup, count: configuration.billingGroups.count, limit: Limits.billingGroupsPerPayer, what: "billing groups")
        check(.pricingPlan, count: configuration.pricingPlans.count, limit: Limits.pricingPlansPerPayer, what: "pricing plans")
        check(.pricingRule, count: configuration.pricingRules.count, limit: Limits.pricingRulesPerPayer, what: "pricing rules")
        check(
            .customLineItem, count: configuration.customLineItems.count, limit: Limits.customLineItemsPerPayer,
            what: "custom line items")
    }
}

import ProformaCore
import ProformaModel

/// What the engine needs of a configuration, checked by the engine itself: a configuration built in code, or
/// loaded without validation, is refused with an `EngineError` instead of being priced wrongly or trapping.
///
/// `proforma validate` reports the same problems with positions and hints; this check only has to name the first
/// one. The ranges are those of the Decisions in the README: they keep every product and sum the engine makes inside
/// exact arithmetic.
enum Preconditions {
    /// The largest markup, in percent.
    static let maxMarkup = ExactDecimal(10_000)
    /// Decimal places of a modifier, a flat charge, a percentage charge, a tier bound or rate.
    static let modifierPlaces = 2
    static let chargePlaces = 10
    static let percentagePlaces = 4
    static let tierPlaces = 10
    static let tierIntegerDigits = 15

    /// The first problem that keeps the engine from pricing `configuration`, or nil.
    static func problem(in configuration: Configuration) -> EngineError? {
        var messages: [String] = []
        func fail(_ message: String) { if messages.isEmpty { messages.append(message) } }

        for (kind, names) in [
            ("billing group", configuration.billingGroups.map(\.name)),
            ("pricing plan", configuration.pricingPlans.map(\.name)),
            ("pricing rule", configuration.pricingRules.map(\.name)),
            ("custom line item", configuration.customLineItems.map(\.name)),
        ] {
            var seen: Set<String> = []
            for name in names where !seen.insert(name).inserted { fail("two \(kind)s are named \"\(name)\"") }
        }
        let plans = Set(configuration.pricingPlans.map(\.name))
        let rules = Dictionary(configuration.pricingRules.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var owner: [String: String] = [:]
        for group in configuration.billingGroups {
            if !plans.contains(group.pricingPlan) {
                fail(
                    "billing group \"\(group.name)\" names pricing plan \"\(group.pricingPlan)\", which does not exist")
            }
            for account in group.accountIDs {
                if let other = owner[account], other != group.name {
                    fail("account \(account) is in two billing groups, \"\(other)\" and \"\(group.name)\"")
                }
                owner[account] = group.name
            }
        }
        let autoAssociating = configuration.billingGroups.filter(\.autoAssociate).map(\.name)
        if autoAssociating.count > 1 {
            fail("more than one billing group auto-associates accounts: \(autoAssociating.joined(separator: ", "))")
        }
        for plan in configuration.pricingPlans {
            for name in plan.pricingRules where rules[name] == nil {
                fail("pricing plan \"\(plan.name)\" names pricing rule \"\(name)\", which does not exist")
            }
        }
        for rule in configuration.pricingRules {
            if let problem = problem(in: rule) { fail("pricing rule \"\(rule.name)\": \(problem)") }
        }
        let groups = Dictionary(configuration.billingGroups.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let items = Dictionary(configuration.customLineItems.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        for item in configuration.customLineItems {
            if let problem = problem(in: item, groups: groups, items: items) {
                fail("custom line item \"\(item.name)\": \(problem)")
            }
        }
        for allocation in configuration.costAllocations {
            if let problem = problem(in: allocation, configuration: configuration, groups: groups) {
                fail("cost allocation \"\(allocation.name)\": \(problem)")
            }
        }
        guard let message = messages.first else { return nil }
        return EngineError(
            message: "the configuration cannot be priced: \(message)",
            hint: "run `proforma validate` to see every problem with its position")
    }

    static func problem(in rule: PricingRule) -> String? {
        switch rule.type {
        case .markup, .discount:
            guard let modifier = rule.modifierPercentage else {
                return "a \(rule.type.rawValue) rule needs modifier_percentage"
            }
            if modifier.significantFractionDigits > modifierPlaces {
                return "modifier_percentage \(modifier) has more than \(modifierPlaces) decimal places"
            }
            if modifier.isNegative { return "modifier_percentage \(modifier) is negative" }
            if rule.type == .discount && modifier > .hundred { return "a discount of \(modifier) % is more than 100 %" }
            if rule.type == .markup && modifier > maxMarkup {
                return "a markup of \(modifier) % is out of range; at most 10,000 %"
            }
        case .tiering:
            guard rule.scope == .sku else { return nil }
            let tiers = rule.tiering?.tiers ?? []
            var expectedBegin = ExactDecimal.zero
            for (index, tier) in tiers.enumerated() {
                for (key, value) in [("begin", tier.begin), ("end", tier.end), ("rate_value", tier.rateValue)] {
                    guard let value else { continue }
                    if !value.fits(integerDigits: tierIntegerDigits, fractionDigits: tierPlaces) {
                        return
                            "tier \(index + 1)'s \(key) \(value) is out of range: at most \(tierIntegerDigits) digits before the point and \(tierPlaces) after it"
                    }
                }
                if tier.begin != expectedBegin {
                    return "tier \(index + 1) begins at \(tier.begin), not at \(expectedBegin)"
                }
                if let end = tier.end {
                    if end <= tier.begin {
                        return "tier \(index + 1) ends at \(end), not after its begin \(tier.begin)"
                    }
                    expectedBegin = end
                } else if index != tiers.count - 1 {
                    return "only the last tier may be open-ended; tier \(index + 1) has no end"
                }
            }
            if tiers.last?.end != nil { return "the last tier must have no end, so every quantity is priced" }
        }
        return nil
    }

    static func problem(
        in item: CustomLineItem, groups: [String: BillingGroup], items: [String: CustomLineItem]
    ) -> String? {
        guard let group = groups[item.billingGroup] else {
            return "names billing group \"\(item.billingGroup)\", which does not exist"
        }
        if let account = item.accountID, !group.accountIDs.contains(account) {
            return "is charged to account \(account), which is not in billing group \"\(group.name)\""
        }
        if let range = item.billingPeriodRange, let end = range.exclusiveEnd, end <= range.inclusiveStart {
            return "its billing_period_range ends (\(end), exclusive) before it starts (\(range.inclusiveStart))"
        }
        switch item.charge {
        case nil:
            return "has neither a flat nor a percentage charge"
        case .flat(let value):
            if value.significantFractionDigits > chargePlaces {
                return "charge_value \(value) has more than \(chargePlaces) decimal places"
            }
            if value.isNegative || value > Limits.maxChargeValue {
                return "charge_value \(value) is outside 0 to 1,000,000"
            }
        case .percentage(let value, let associated):
            if value.significantFractionDigits > percentagePlaces {
                return "percentage_value \(value) has more than \(percentagePlaces) decimal places"
            }
            if value.isNegative || value > Limits.maxPercentageValue {
                return "percentage_value \(value) is outside 0 to 10,000"
            }
            if associated.count > Limits.associatedValuesPerCustomLineItem {
                return "has more than \(Limits.associatedValuesPerCustomLineItem) associated values"
            }
            for value in associated where value != group.name {
                if groups[value] != nil { return "is computed on another billing group, \"\(value)\"" }
                guard let other = items[value] else {
                    return "associated value \"\(value)\" is neither its billing group nor a custom line item"
                }
                if other.isPercentage { return "is computed on \"\(value)\", a percentage custom line item" }
                if other.billingGroup != group.name {
                    return "is computed on \"\(value)\" of another billing group, \"\(other.billingGroup)\""
                }
            }
            if item.lineItemFilters.count > 1 { return "has more than one line item filter" }
            for filter in item.lineItemFilters where filter.attribute == .lineItemType {
                if filter.matchOption != .notEqual || filter.values.contains(where: { $0 != "SAVINGS_PLAN_NEGATION" }) {
                    return "a LINE_ITEM_TYPE filter is only NOT_EQUAL SAVINGS_PLAN_NEGATION"
                }
            }
        }
        return nil
    }
}

extension Preconditions {
    /// What keeps a cost allocation from being priced: references and amounts out of range.
    static func problem(
        in allocation: CostAllocation, configuration: Configuration, groups: [String: BillingGroup]
    ) -> String? {
        let parents = Set(configuration.parentGroups.map(\.name))
        for target in allocation.targetNames where groups[target] == nil && !parents.contains(target) {
            return "target \"\(target)\" is neither a billing group nor a parent group"
        }
        for group in allocation.source.billingGroups where groups[group] == nil {
            return "its source names billing group \"\(group)\", which does not exist"
        }
        if let amount = allocation.fixedAmount,
            amount.magnitude > Limits.maxChargeValue || amount.normalized.scale > chargePlaces
        {
            return "the fixed amount \(amount) is out of range"
        }
        if let percentage = allocation.percentageOfBasis,
            percentage < .zero || percentage > Limits.maxPercentageValue
                || percentage.normalized.scale > percentagePlaces
        {
            return "percentage_of_basis \(percentage) is out of range"
        }
        for share in allocation.percentages
        where share.percentage < .zero || share.percentage > ExactDecimal(100)
            || share.percentage.normalized.scale > percentagePlaces
        {
            return "the percentage \(share.percentage) of \"\(share.target)\" is out of range"
        }
        return nil
    }
}

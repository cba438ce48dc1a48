import ProformaCore
import ProformaModel

/// The price-modifying rule a line gets, and the free-tier switches, for one pricing plan (§4).
///
/// A rule's service is keyed by every spelling `AWSServiceCatalogue` knows for it (code and names), so that a line
/// whose data names the service by code (`AmazonEC2`) or by name (`Amazon Elastic Compute Cloud`, FOCUS without
/// `x_ServiceCode`) matches a rule written either way, at no cost per line.
struct PlanRules {
    var global: PricingRule?
    var byBillingEntity: [String: PricingRule] = [:]
    var byService: [String: PricingRule] = [:]
    /// SKU rules by service.
    var skuByService: [String: [PricingRule]] = [:]
    /// `free_tier.activated` of a GLOBAL TIERING rule, if any.
    var globalFreeTier: Bool?
    /// `free_tier.activated` of SERVICE TIERING rules by service.
    var serviceFreeTier: [String: Bool] = [:]

    init(plan: PricingPlan?, rules: [String: PricingRule]) {
        guard let plan else { return }
        for name in plan.pricingRules {
            guard let rule = rules[name] else { continue }
            let isFreeTierSwitch = rule.type == .tiering && rule.scope != .sku
            if isFreeTierSwitch {
                let activated = rule.tiering?.freeTierActivated ?? true
                switch rule.scope {
                case .global: globalFreeTier = activated
                case .service:
                    for spelling in rule.service.map(AWSServiceCatalogue.spellings) ?? [] {
                        serviceFreeTier[spelling] = activated
                    }
                default: break
                }
                continue
            }
            switch rule.scope {
            case .global: global = rule
            case .billingEntity: if let entity = rule.billingEntity { byBillingEntity[entity] = rule }
            case .service:
                for spelling in rule.service.map(AWSServiceCatalogue.spellings) ?? [] { byService[spelling] = rule }
            case .sku:
                for spelling in rule.service.map(AWSServiceCatalogue.spellings) ?? [] {
                    skuByService[spelling, default: []].append(rule)
                }
            }
        }
        for service in skuByService.keys {
            // More qualifiers first; ties (validation forbids ambiguous ones) by name, for determinism.
            skuByService[service]?.sort {
                let a = ($0.usageType != nil ? 1 : 0) + ($0.operation != nil ? 1 : 0)
                let b = ($1.usageType != nil ? 1 : 0) + ($1.operation != nil ? 1 : 0)
                return a != b ? a > b : $0.name < $1.name
            }
        }
    }

    /// The single most granular matching rule: SKU > SERVICE > BILLING_ENTITY > GLOBAL; nil when none matches.
    func rule(service: String, usageType: String, operation: String, billingEntity: String) -> PricingRule? {
        if let candidates = skuByService[service] {
            for rule in candidates
            where (rule.usageType == nil || rule.usageType == usageType)
                && (rule.operation == nil || rule.operation == operation)
            {
                return rule
            }
        }
        if let rule = byService[service] { return rule }
        if let rule = byBillingEntity[billingEntity] { return rule }
        return global
    }

    /// Whether AWS's free tier stays applied for a service (default true; SERVICE beats GLOBAL).
    func freeTierActivated(service: String) -> Bool {
        serviceFreeTier[service] ?? globalFreeTier ?? true
    }
}

extension PricingRule {
    /// The multiplier of a MARKUP or DISCOUNT rule: 1 ± m/100, exact.
    var factor: ExactDecimal? {
        guard let modifier = modifierPercentage?.normalized else { return nil }
        // Exact: the engine's preconditions allow at most 2 decimal places.
        let fraction = modifier.divided(by: .hundred, scale: min(ExactDecimal.maxScale, modifier.scale + 2)) ?? .zero
        switch type {
        case .markup: return .one + fraction
        case .discount: return .one - fraction
        case .tiering: return nil
        }
    }

    /// The amount for `quantity` units under custom tiers: Σ over tiers of the quantity within `[begin, end)` ×
    /// rate.
    /// Nil when the amount exceeds what exact arithmetic can hold.
    func tieredAmount(quantity: ExactDecimal) -> ExactDecimal? {
        var total = ExactDecimal.zero
        for tier in tiering?.tiers ?? [] where quantity > tier.begin {
            let upper = tier.end.map { min($0, quantity) } ?? quantity
            let (amount, overflow) = (upper - tier.begin).multipliedReportingOverflow(by: tier.rateValue)
            guard !overflow else { return nil }
            let (sum, sumOverflow) = total.addingReportingOverflow(amount)
            guard !sumOverflow else { return nil }
            total = sum
        }
        return total
    }
}

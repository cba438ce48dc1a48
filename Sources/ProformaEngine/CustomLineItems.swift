import ProformaCore
import ProformaModel

/// Custom line items of one group in one period (billing-semantics.md §5).
enum CustomLineItems {
    static func charges(
        for group: BillingGroup, in period: BillingPeriod, rows: [CostRow], configuration: Configuration,
        warnings: inout [EngineWarning]
    ) throws(EngineError) -> [CustomLineItemCharge] {
        let items = configuration.customLineItems.filter { $0.billingGroup == group.name && $0.isActive(in: period) }
        let itemsByName = Dictionary(configuration.customLineItems.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var charges: [CustomLineItemCharge] = []
        for item in items {
            let sign: ExactDecimal = item.type == .credit ? -1 : 1
            let account = item.accountID ?? group.primaryAccountID
            var charge = CustomLineItemCharge(
                name: item.name, description: item.description ?? item.name, type: item.type, account: account,
                amount: .zero, base: nil, percentage: nil, computationRule: item.computationRule, items: [],
                presentationService: item.presentationService)
            switch item.charge {
            case .flat(let value):
                charge.amount = (value * sign).rounded(scale: PricingEngine.lineScale)
            case .percentage(let percentage, let associated):
                var parts: [CustomLineItemCharge.ItemizedPart] = []
                if associated.isEmpty {
                    warnings.append(
                        EngineWarning(message: "custom line item \(item.name) has no associated values, so it amounts to 0"))
                }
                for value in associated {
                    if value == group.name {
                        for row in rows where row.key.category.isCounted && passes(row, item.lineItemFilters) {
                            parts.append(.init(account: row.key.account, service: row.key.service, amount: row.figures.proForma))
                        }
                    } else if let other = itemsByName[value], other.billingGroup == group.name,
                        case .flat(let flatValue) = other.charge, other.isActive(in: period)
                    {
                        let otherSign: ExactDecimal = other.type == .credit ? -1 : 1
                        parts.append(.init(account: other.accountID ?? group.primaryAccountID, service: other.name, amount: flatValue * otherSign))
                    }
                }
                let base = parts.map(\.amount).sum()
                // base × percentage / 100, exact at double width and rounded once to 10 places.
                guard
                    let amount = base.multiplied(
                        by: (percentage.normalized * sign).divided(
                            by: .hundred, scale: min(ExactDecimal.maxScale, percentage.normalized.scale + 2)) ?? .zero,
                        scale: PricingEngine.lineScale)
                else {
                    throw EngineError(
                        message: "custom line item \(item.name) of \(group.name) in \(period) amounts to more than can be computed exactly (\(percentage) % of \(base))",
                        hint: "check the custom line item's percentage and the usage data")
                }
                charge.base = base
                charge.percentage = percentage
                charge.amount = amount
                if item.computationRule == .itemized {
                    // Merge the base by account and service, then split pro rata by amount (presentation only).
                    var merged: [String: (account: String, service: String, amount: ExactDecimal)] = [:]
                    for part in parts {
                        let key = part.account + "\u{1F}" + part.service
                        merged[key, default: (part.account, part.service, .zero)].amount += part.amount
                    }
                    let ordered = merged.values.sorted { ($0.account, $0.service) < ($1.account, $1.service) }
                    let shares = Allocation.proRata(amount, weights: ordered.map(\.amount), scale: PricingEngine.lineScale)
                    charge.items = zip(ordered, shares).map { .init(account: $0.0.account, service: $0.0.service, amount: $0.1) }
                }
            case nil:
                continue
            }
            charges.append(charge)
        }
        return charges.sorted { $0.name < $1.name }
    }

    /// Whether a row passes a custom line item's filter (at most one, by validation).
    static func passes(_ row: CostRow, _ filters: [LineItemFilter]) -> Bool {
        filters.allSatisfy { filter in
            switch filter.attribute {
            case .service:
                // By code or name alike (see `AWSServiceCatalogue`).
                let service = AWSServiceCatalogue.code(row.key.service)
                let matches = filter.values.contains { AWSServiceCatalogue.code($0) == service }
                return filter.matchOption == .equal ? matches : !matches
            case .lineItemType:
                let isNegation = row.key.lineItemType == "SavingsPlanNegation"
                let named = filter.values.contains("SAVINGS_PLAN_NEGATION") && isNegation
                return filter.matchOption == .equal ? named : !named
            }
        }
    }
}

import ProformaCore
import ProformaModel
import ProformaUsage

/// How one usage line is priced, line by line: for writing a billing group's usage out again at pro forma cost.
public struct LinePricing: Sendable, Hashable {
    /// The billing group the line belongs to; nil for an account in no group.
    public var group: String?
    /// The invoice row the line is summed into.
    public var key: CostKey
    /// The line's pro forma amount (§3, §4), to 10 places; 0 for lines not billed (tax, excluded) and for lines
    /// priced by custom tiers, whose amount is their share of the row's tier amount.
    public var amount: ExactDecimal
    /// Whether custom tiers price the line (its amount is then a share of its row's).
    public var customTiers: Bool
    /// Whether a cost allocation takes the line into its pool: it then leaves the group's own lines (amount 0), and
    /// the group's share of the pool, if any, is a line of its own.
    public var consumed: Bool = false
}

extension PricingEngine {
    /// How `line` is priced, without adding it: the same category and amount `add` gives it.
    public func pricing(of line: UsageLine) -> LinePricing {
        let typeName = line.lineItemType.rawValue
        if consumingMatcher(line, group: groupIndexByAccount[line.usageAccountID]) != nil {
            let key = CostKey(
                period: line.period, account: line.usageAccountID, service: line.serviceCode, lineItemType: typeName,
                category: .allocated, currency: line.currency)
            let group = groupIndexByAccount[line.usageAccountID].map { groups[$0].name }
            return LinePricing(group: group, key: key, amount: .zero, customTiers: false, consumed: true)
        }
        guard let groupIndex = groupIndexByAccount[line.usageAccountID] else {
            let key = CostKey(
                period: line.period, account: line.usageAccountID, service: line.serviceCode, lineItemType: typeName,
                category: isTax(line) ? .tax : .unassigned, currency: line.currency)
            return LinePricing(group: nil, key: key, amount: .zero, customTiers: false)
        }
        let (category, amount, _, tieringRule) = classify(line, groupIndex: groupIndex)
        let key = CostKey(
            period: line.period, account: line.usageAccountID, service: line.serviceCode, lineItemType: typeName,
            category: category, currency: line.currency)
        return LinePricing(group: groups[groupIndex].name, key: key, amount: amount, customTiers: tieringRule != nil)
    }
}

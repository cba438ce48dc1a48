import ProformaCore
import ProformaModel

/// What a change from one configuration to another can reach, so that a plan prices twice only what may differ.
///
/// A billing group is unchanged when everything its figures depend on is the same, value for value and written
/// alike, at both sides: the group itself (accounts, primary account, pricing plan, auto-association), its pricing
/// plan, every rule the plan names, its custom line items (in order), the accounts the engine assigns to it (which
/// the auto-associating group's depend on every other group and every declared account), and the project's currency.
/// Every figure of such a group is computed from its own lines with these inputs only (commitment ownership asks
/// whether the owner is one of the group's accounts), so the base's result for it is the head's. When either
/// configuration cannot be priced, or has cost allocations (which move lines and shares between groups), no group is
/// unchanged.
///
/// The head engine then needs only the lines of accounts that are in no unchanged group (`headNeeds`), and
/// `headResult(base:partial:)` puts the head's result together. The engine's bound on the sum of every amount's
/// magnitude is global; `isExact(base:head:)` tells whether the partial pricing could have missed it.
public struct PricingReach: Sendable {
    /// The groups whose figures are the same under both configurations.
    public let unchangedGroups: Set<String>
    /// The accounts of the unchanged groups: their lines are priced once.
    public let sharedAccounts: Set<String>

    /// Whether every group may differ, so both sides price every line.
    public var isFull: Bool { unchangedGroups.isEmpty }

    public init(base: Configuration, head: Configuration) {
        let before = PricingEngine(configuration: base)
        let after = PricingEngine(configuration: head)
        // Cost allocations move lines and shares between groups (a share depends on every target's weight), so
        // no group's figures are its own alone while either side has one.
        guard before.configurationProblem == nil, after.configurationProblem == nil,
            before.defaultCurrency == after.defaultCurrency, base.costAllocations.isEmpty,
            head.costAllocations.isEmpty
        else {
            unchangedGroups = []
            sharedAccounts = []
            return
        }
        let beforeMembers = Self.members(of: before)
        let afterMembers = Self.members(of: after)
        let beforeInputs = Self.inputs(of: before)
        var unchanged: Set<String> = []
        var shared: Set<String> = []
        for (name, inputs) in Self.inputs(of: after) {
            guard let other = beforeInputs[name], other == inputs else { continue }
            let members = afterMembers[name] ?? []
            guard members == (beforeMembers[name] ?? []) else { continue }
            unchanged.insert(name)
            shared.formUnion(members)
        }
        unchangedGroups = unchanged
        sharedAccounts = shared
    }

    /// Whether the head configuration must price the lines of `account`.
    @inline(__always)
    public func headNeeds(_ account: String) -> Bool { !sharedAccounts.contains(account) }

    /// The accounts the engine assigns to each group, by group name (first group with the name).
    static func members(of engine: PricingEngine) -> [String: Set<String>] {
        var members: [String: Set<String>] = [:]
        for (account, index) in engine.groupIndexByAccount {
            members[engine.groups[index].name, default: []].insert(account)
        }
        return members
    }

    /// Everything but the members that a group's figures depend on: the group, its plan, the plan's rules and the
    /// group's custom line items, and their decimals as written (equality of decimals is by value, and `12.0` and
    /// `12.00` may price to amounts written differently). By group name, the first group of each name.
    struct GroupInputs: Equatable {
        var group: BillingGroup
        var plan: PricingPlan?
        var rules: [PricingRule?]
        var items: [CustomLineItem]
        var written: [String]
    }

    static func inputs(of engine: PricingEngine) -> [String: GroupInputs] {
        let configuration = engine.configuration
        var plans: [String: PricingPlan] = [:]
        for plan in configuration.pricingPlans where plans[plan.name] == nil { plans[plan.name] = plan }
        var items: [String: [CustomLineItem]] = [:]
        for item in configuration.customLineItems { items[item.billingGroup, default: []].append(item) }
        var inputs: [String: GroupInputs] = [:]
        for group in engine.groups where inputs[group.name] == nil {
            let plan = plans[group.pricingPlan]
            let rules = (plan?.pricingRules ?? []).map { engine.rulesByName[$0] }
            let groupItems = items[group.name] ?? []
            let written = rules.map { PricingEngine.written($0) } + groupItems.map(PricingEngine.written)
            inputs[group.name] = GroupInputs(
                group: group, plan: plan, rules: rules, items: groupItems, written: written)
        }
        return inputs
    }

    /// The head's result for `periods` put together from the base's result (for the unchanged groups) and `partial`,
    /// the result of a head engine that was given the lines `headNeeds` asks for, for the same periods. Nil when
    /// the base's result lacks an unchanged group's figures (then price the head in full).
    public func headResult(base: BillingResult, partial: BillingResult) -> BillingResult? {
        guard base.periods == partial.periods else { return nil }
        // Nothing shared: the partial result priced every line (and carries what only a whole pricing has, such as
        // cost allocations and the lines they took).
        if isFull { return partial }
        var known: [String: [BillingPeriod: GroupResult]] = [:]
        for result in base.groups where unchangedGroups.contains(result.group) {
            known[result.group, default: [:]][result.period] = result
        }
        var groups: [GroupResult] = []
        groups.reserveCapacity(partial.groups.count)
        for result in partial.groups {
            if unchangedGroups.contains(result.group) {
                guard let shared = known[result.group]?[result.period] else { return nil }
                groups.append(shared)
            } else {
                groups.append(result)
            }
        }
        return BillingResult(
            periods: partial.periods, groups: groups, unassigned: partial.unassigned,
            dataTotals: Self.dataTotals(groups: groups, unassigned: partial.unassigned),
            warnings: groups.flatMap(\.warnings))
    }

    /// Every row of `groups` and `unassigned` summed by period, category and currency, as the engine sums them.
    static func dataTotals(groups: [GroupResult], unassigned: [CostRow]) -> [CostRow] {
        var totals: [CostKey: CostFigures] = [:]
        func add(_ row: CostRow) {
            totals[row.key.dataTotalKey, default: CostFigures()] += row.figures
        }
        for group in groups { group.rows.forEach(add) }
        unassigned.forEach(add)
        return totals.map { CostRow(key: $0.key, figures: $0.value) }.sorted { $0.key < $1.key }
    }

    /// Whether a head engine given part of the lines, after its result, is known to have priced as one given every
    /// line would: the sum of magnitudes the full head engine would reach is at most the base's and the partial
    /// head's together (both after their results), so below the bound neither could have met it.
    public static func isExact(base: PricingEngine, head: PricingEngine) -> Bool {
        let (sum, overflow) = base.magnitudes.addingReportingOverflow(head.magnitudes)
        return !overflow && sum < PricingEngine.amountLimit
    }
}

extension PricingEngine {
    /// Every decimal of `configuration`'s rules and custom line items as written, one line each: with a canonical
    /// form that compares decimals by value, what tells apart configurations that may price to amounts written
    /// differently.
    public static func writtenDecimals(of configuration: Configuration) -> String {
        var text = ""
        for rule in configuration.pricingRules { text += "rule \(rule.name) \(written(rule))\n" }
        for item in configuration.customLineItems { text += "item \(item.name) \(written(item))\n" }
        return text
    }

    static func written(_ rule: PricingRule?) -> String {
        guard let rule else { return "-" }
        var parts = [rule.modifierPercentage?.description ?? "-"]
        for tier in rule.tiering?.tiers ?? [] {
            parts.append("\(tier.begin) \(tier.end?.description ?? "-") \(tier.rateValue)")
        }
        return parts.joined(separator: " ")
    }

    static func written(_ item: CustomLineItem) -> String {
        switch item.charge {
        case .flat(let value): "flat \(value)"
        case .percentage(let value, _): "percentage \(value)"
        case nil: "-"
        }
    }

    /// The sum of the magnitudes of every amount the engine has added and computed so far (see `amountLimit`).
    public var magnitudeSum: ExactDecimal { magnitudes }
}

extension PricingReach {
    /// `isExact(base:head:)` for sums of magnitudes known apart (a result kept from an earlier run stands for its
    /// engine).
    public static func isExact(_ shared: ExactDecimal, _ partial: ExactDecimal) -> Bool {
        let (sum, overflow) = shared.addingReportingOverflow(partial)
        return !overflow && sum < PricingEngine.amountLimit
    }
}

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
/// configuration cannot be priced, no group is unchanged.
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
        guard before.configurationProblem == nil, after.configurationProblem == nil,
            before.defaultCurrency == after.defaultCurrency
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

    /// Everything but the members that a group's figures depend on, written out so that values written
    /// differently (`12.0` and `12.00`) differ: by group name, the first group of each name.
    static func inputs(of engine: PricingEngine) -> [String: String] {
        let configuration = engine.configuration
        var plans: [String: PricingPlan] = [:]
        for plan in configuration.pricingPlans where plans[plan.name] == nil { plans[plan.name] = plan }
        var items: [String: [CustomLineItem]] = [:]
        for item in configuration.customLineItems { items[item.billingGroup, default: []].append(item) }
        var inputs: [String: String] = [:]
        // Tags never reach a figure, and a dictionary's order is not its content.
        for group in engine.groups where inputs[group.name] == nil {
            var plan = plans[group.pricingPlan]
            plan?.tags = [:]
            let rules = (plan?.pricingRules ?? []).map { name in
                var rule = engine.rulesByName[name]
                rule?.tags = [:]
                return rule
            }
            var groupItems = items[group.name] ?? []
            for index in groupItems.indices { groupItems[index].tags = [:] }
            var bare = group
            bare.tags = [:]
            var text = ""
            debugPrint(bare, plan as Any, rules, groupItems, separator: "\n", to: &text)
            inputs[group.name] = text
        }
        return inputs
    }

    /// The head's result for `periods` put together from the base's result (for the unchanged groups) and `partial`,
    /// the result of a head engine that was given the lines `headNeeds` asks for, for the same periods. Nil when
    /// the base's result lacks an unchanged group's figures (then price the head in full).
    public func headResult(base: BillingResult, partial: BillingResult) -> BillingResult? {
        guard base.periods == partial.periods else { return nil }
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
            let key = CostKey(
                period: row.key.period, account: "", service: "", lineItemType: "", category: row.key.category,
                currency: row.key.currency)
            totals[key, default: CostFigures()] += row.figures
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
    /// Everything of `configuration` that pricing may read, written out with every value as it is written (`12.0`
    /// and `12.00` differ) and without tags, which never reach a figure: equal texts price equal data alike.
    public static func inputText(of configuration: Configuration) -> String {
        var bare = configuration
        for index in bare.accounts.indices { bare.accounts[index].tags = [:] }
        for index in bare.billingGroups.indices { bare.billingGroups[index].tags = [:] }
        for index in bare.pricingPlans.indices { bare.pricingPlans[index].tags = [:] }
        for index in bare.pricingRules.indices { bare.pricingRules[index].tags = [:] }
        for index in bare.customLineItems.indices { bare.customLineItems[index].tags = [:] }
        var text = ""
        debugPrint(bare, to: &text)
        return text
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

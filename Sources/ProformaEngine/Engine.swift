import ProformaCore
import ProformaModel
import ProformaUsage

/// Why usage data cannot be priced (as opposed to warnings, which are counted).
public struct EngineError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var hint: String?
    public var description: String { message }
}

/// Prices usage lines with a configuration, following billing-semantics.md. Feed every line with `add`, then
/// take the result. Memory grows with the number of distinct (period, account, service, line item type)
/// combinations, never with the number of lines.
public final class PricingEngine {
    /// Amounts computed per line are rounded to this many places (§7).
    public static let lineScale = 10

    let configuration: Configuration
    let groups: [BillingGroup]
    let groupIndexByAccount: [String: Int]
    let planRules: [PlanRules]
    let rulesByName: [String: PricingRule]
    let defaultCurrency: String

    /// Per group: rows by key.
    var rows: [[CostKey: CostFigures]]
    /// Per group and period: the currency of its lines, with the first line that set it.
    var currencies: [Int: [BillingPeriod: (currency: String, source: String)]] = [:]
    /// Lines priced by custom tiers, held until their group's total quantity is known: by group, rule, row key.
    var tiered: [Int: [String: [CostKey: CostFigures]]] = [:]
    var unassigned: [CostKey: CostFigures] = [:]
    /// Per group and period: where the first line priced from its actual cost was read (`file:row`). Only the
    /// first: lines counted together in a digest name only their first row, and the warning must read the same.
    var missingPublicCostSources: [Int: [BillingPeriod: String]] = [:]
    var lastCurrency: (group: Int, period: BillingPeriod, currency: String)?
    /// Σ of the magnitudes of every amount added and computed (actual, public and pro forma costs, custom tier and
    /// custom line item amounts), checked against `amountLimit`: below it, every sum and difference the engine and the
    /// renderers make of these figures stays exact.
    var magnitudes = ExactDecimal.zero
    /// Σ of the magnitudes of the usage quantities, checked for overflow: quantities are summed apart from amounts.
    var quantityMagnitudes = ExactDecimal.zero
    /// Why the configuration cannot be priced, found when the engine was made; thrown by `add` and `result`.
    let configurationProblem: EngineError?
    var periods: Set<BillingPeriod> = []
    /// The sources of the cost allocations, in name order (the first that selects a line consumes it).
    let matchers: [AllocationMatcher]
    /// Per allocation (index in name order): the lines its source consumed, by key.
    var pools: [Int: [CostKey: CostFigures]] = [:]
    /// Per allocation and period: the currency of its pool, with the first line that set it.
    var poolCurrencies: [Int: [BillingPeriod: (currency: String, source: String)]] = [:]

    /// Takes any configuration; one the engine cannot price (see `Preconditions`: unknown references, an account in
    /// two groups, values out of range) makes `add` and `result` throw an `EngineError` naming the problem.
    public init(configuration: Configuration) {
        self.configuration = configuration
        configurationProblem = Preconditions.problem(in: configuration)
        groups = configuration.billingGroups
        var index: [String: Int] = [:]
        for (position, group) in groups.enumerated() {
            for account in group.accountIDs where index[account] == nil { index[account] = position }
        }
        // The auto-associating group takes every declared account that is in no other group (§2).
        if let auto = groups.firstIndex(where: \.autoAssociate) {
            for account in configuration.accounts where index[account.accountID] == nil {
                index[account.accountID] = auto
            }
        }
        groupIndexByAccount = index
        rulesByName = Dictionary(configuration.pricingRules.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let plans = Dictionary(configuration.pricingPlans.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let rules = rulesByName
        planRules = groups.map { PlanRules(plan: plans[$0.pricingPlan], rules: rules) }
        rows = Array(repeating: [:], count: groups.count)
        defaultCurrency = configuration.project?.currency ?? "USD"
        matchers = Self.matchers(for: configuration, groups: groups)
    }

    static let excludedTypes: Set<String> = [
        "Tax", "Credit", "Refund", "EdpDiscount", "PrivateRateDiscount", "BundledDiscount", "SppDiscount",
        "DistributorDiscount",
    ]
    static let excludedFocusCategories: Set<String> = ["tax", "credit", "adjustment"]

    /// The bound on the sum of every amount's magnitude (decided): 10^17, far beyond any bill, and small enough
    /// that sums of such figures at 20 decimal places stay exact.
    public static let amountLimit = ExactDecimal(significand: 100_000_000_000_000_000, scale: 0)
    /// The range of a number in a usage line, as the usage reader guarantees: below 10^12, at most 20 decimals.
    static let lineIntegerDigits = 12
    static let lineFractionDigits = 20

    /// Adds one line. `source` names it in errors (`file:row`).
    public func add(_ line: UsageLine, source: @autoclosure () -> String) throws(EngineError) {
        try addLines(line, count: 1, quantityMagnitude: nil, source: source)
    }

    /// How `count` lines added at once stand for the lines they count.
    public enum Multiplicity: Sendable, Hashable {
        /// Each line has the line's costs: every amount is the line's times the count (§7 rounds each line's
        /// amount before it is counted).
        case equal
        /// The line's costs are the sums of the lines' costs, of one sign each, and every line's costs have at most
        /// `summableScale` decimal places: no line's amount is rounded (a factor has at most 4), so pricing the
        /// sums gives the sum of the lines' amounts.
        case summed
    }

    /// The places a cost may have for lines to be priced by their sums (`Multiplicity.summed`).
    public static let summableScale = lineScale - 4

    /// Adds `count` lines that are equal in everything the engine reads but their quantities (whose sum
    /// `line.usageAmount` holds) and, when `summed`, their costs. `quantityMagnitude` is the sum of the quantities'
    /// magnitudes (default: the magnitude of the sum). The result is the same as adding each line.
    public func add(
        _ line: UsageLine, count: Int, _ multiplicity: Multiplicity = .equal, quantityMagnitude: ExactDecimal? = nil,
        source: @autoclosure () -> String
    ) throws(EngineError) {
        guard count > 0 else {
            throw EngineError(
                message: "\(source()): a line counted \(count) times", hint: "a line is added once or more")
        }
        if multiplicity == .summed {
            guard line.actualCost.scale <= Self.summableScale,
                (line.publicOnDemandCost?.scale ?? 0) <= Self.summableScale
            else {
                throw EngineError(
                    message: "\(source()): summed costs have more than \(Self.summableScale) decimal places",
                    hint: "only lines whose amounts are not rounded can be priced by their sums")
            }
        }
        try addLines(
            line, count: count, summed: multiplicity == .summed, quantityMagnitude: quantityMagnitude, source: source)
    }

    @inline(__always)
    func addLines(
        _ line: UsageLine, count: Int, summed: Bool = false, quantityMagnitude: ExactDecimal?, source: () -> String
    ) throws(EngineError) {
        if let configurationProblem { throw configurationProblem }
        // Equal lines: amounts times the count. Summed lines: their sums, which may pass one line's bounds.
        let multiplier = count == 1 || summed ? nil : ExactDecimal(count)
        let single = count == 1
        if single { try check(line.actualCost, "actual cost", source) }
        try account(line.actualCost, times: multiplier, source)
        if let value = line.publicOnDemandCost {
            if single { try check(value, "public on-demand cost", source) }
            try account(value, times: multiplier, source)
        }
        if let value = line.usageAmount {
            // A sum of quantities may pass the bound of one line's; the reader checked each.
            if single { try check(value, "usage amount", source) }
            let (sum, overflow) = quantityMagnitudes.addingReportingOverflow(quantityMagnitude ?? value.magnitude)
            guard !overflow else {
                throw EngineError(
                    message: "\(source()): the usage quantities of the data add up beyond what can be summed exactly",
                    hint: "split the data into smaller files, or check it for quantities far beyond real usage")
            }
            quantityMagnitudes = sum
        }
        periods.insert(line.period)
        let typeName = line.lineItemType.rawValue
        let owningGroup = groupIndexByAccount[line.usageAccountID]
        if try consume(line, group: owningGroup, multiplier: multiplier, count: count, source: source) { return }
        guard let groupIndex = owningGroup else {
            let key = CostKey(
                period: line.period, account: line.usageAccountID, service: line.serviceCode, lineItemType: typeName,
                category: isTax(line) ? .tax : .unassigned, currency: line.currency)
            var figures = Self.figures(of: line, proForma: .zero)
            if !single { try figures.multiply(by: multiplier, count: count, source) }
            unassigned[key, default: CostFigures()] += figures
            return
        }
        try checkCurrency(line, group: groupIndex, source: source)
        let (category, proForma, missingPublic, tieringRule) = classify(line, groupIndex: groupIndex)
        try account(proForma, times: multiplier, source)
        let key = CostKey(
            period: line.period, account: line.usageAccountID, service: line.serviceCode, lineItemType: typeName,
            category: category, currency: line.currency)
        var figures = Self.figures(of: line, proForma: proForma)
        figures.missingPublicCost = missingPublic
        if missingPublic > 0, missingPublicCostSources[groupIndex]?[line.period] == nil {
            missingPublicCostSources[groupIndex, default: [:]][line.period] = source()
        }
        if !single { try figures.multiply(by: multiplier, count: count, source) }
        if let tieringRule {
            tiered[groupIndex, default: [:]][tieringRule.name, default: [:]][key, default: CostFigures()] += figures
        } else {
            rows[groupIndex][key, default: CostFigures()] += figures
        }
    }

    /// How a line of the group at `groupIndex` is counted (§3) and priced (§4): its category, its pro forma amount
    /// (0 when custom tiers price it: `tieringRule`), and whether its public cost was missing (1) or not (0).
    func classify(_ line: UsageLine, groupIndex: Int) -> (LineCategory, ExactDecimal, Int, PricingRule?) {
        let group = groups[groupIndex]
        var proForma = ExactDecimal.zero
        var missingPublic = 0
        let category: LineCategory
        var tieringRule: PricingRule?

        if isTax(line) {
            category = .tax
        } else if isExcluded(line) {
            category = .excluded
        } else {
            switch line.lineItemType {
            case .discountedUsage, .savingsPlanCoveredUsage:
                if ownsCommitment(line, group: group) {
                    category = .covered
                    proForma = line.actualCost
                } else {
                    (category, proForma, missingPublic, tieringRule) = priceOnDemand(line, groupIndex: groupIndex)
                }
            case .savingsPlanNegation, .riFee, .savingsPlanRecurringFee, .savingsPlanUpfrontFee:
                if ownsCommitment(line, group: group) {
                    category = line.lineItemType == .savingsPlanNegation ? .covered : .commitmentFee
                    proForma = line.actualCost
                } else {
                    category = .excluded
                }
            case .usage:
                (category, proForma, missingPublic, tieringRule) = priceOnDemand(line, groupIndex: groupIndex)
            default:
                category = .other
                proForma = line.actualCost
            }
        }
        return (category, proForma, missingPublic, tieringRule)
    }

    /// Accounts `value`, or `value × multiplier` (the amount of several equal lines), in the sum of magnitudes.
    @inline(__always)
    func account(_ value: ExactDecimal, times multiplier: ExactDecimal?, _ source: () -> String) throws(EngineError) {
        guard let multiplier else { return try account(value, source) }
        let (product, overflow) = value.magnitude.multipliedReportingOverflow(by: multiplier)
        guard !overflow else { throw Self.amountLimitError(source) }
        try account(product, source)
    }

    static func amountLimitError(_ source: () -> String) -> EngineError {
        EngineError(
            message: "\(source()): the amounts of the usage data add up to more than 10^17, beyond what is computed exactly",
            hint: "split the data into smaller files, or check it for amounts far beyond real bills")
    }

    func account(_ value: ExactDecimal, _ source: () -> String) throws(EngineError) {
        let (sum, overflow) = magnitudes.addingReportingOverflow(value.magnitude)
        guard !overflow, sum < Self.amountLimit else { throw Self.amountLimitError(source) }
        magnitudes = sum
    }

    /// A number of a usage line in the range the usage reader guarantees.
    func check(_ value: ExactDecimal, _ name: String, _ source: () -> String) throws(EngineError) {
        guard value.fits(integerDigits: Self.lineIntegerDigits, fractionDigits: Self.lineFractionDigits) else {
            throw EngineError(
                message: "\(source()): the \(name) \(value) is out of range: at most 12 digits before the point and 20 after it",
                hint: "usage lines are read with these bounds; a line made in code must keep them too")
        }
    }

    static func figures(of line: UsageLine, proForma: ExactDecimal) -> CostFigures {
        var figures = CostFigures()
        figures.proForma = proForma
        figures.actualCost = line.actualCost
        figures.publicCost = line.publicOnDemandCost ?? .zero
        figures.quantity = line.usageAmount ?? .zero
        figures.lines = 1
        return figures
    }

    func isTax(_ line: UsageLine) -> Bool {
        if case .tax = line.lineItemType { return true }
        guard let category = line.chargeCategory else { return false }
        return category == "Tax" || category.lowercased() == "tax"
    }

    /// §3.1, without hashing a string per line: the line type is an enum, support services share a prefix.
    func isExcluded(_ line: UsageLine) -> Bool {
        switch line.lineItemType {
        case .tax, .credit, .refund, .edpDiscount, .privateRateDiscount, .bundledDiscount, .sppDiscount, .distributorDiscount:
            return true
        case .other(let text) where Self.excludedTypes.contains(text):
            return true
        default:
            break
        }
        switch line.serviceCode {
        case "AWSSupportBusiness", "AWSSupportEnterprise", "AWSSupportEnterpriseOnRamp", "AWSDeveloperSupport",
            "AWS Support (Business)", "AWS Support (Enterprise)", "AWS Support (Enterprise On-Ramp)",
            "AWS Support (Developer)":
            // By code, or by name as FOCUS without `x_ServiceCode` writes it.
            return true
        default:
            break
        }
        if let category = line.chargeCategory, Self.excludedFocusCategories.contains(category.lowercased()) {
            return true
        }
        return false
    }

    /// Whether the commitment behind a line is owned by a member of the group. A commitment line without an owner
    /// in the data is taken as owned by the account it is billed to (decided).
    func ownsCommitment(_ line: UsageLine, group: BillingGroup) -> Bool {
        let owner = line.commitmentOwnerAccountID.isEmpty ? line.usageAccountID : line.commitmentOwnerAccountID
        return groupIndexByAccount[owner].map { groups[$0].name == group.name } ?? false
    }

    /// §3.4: base = public on-demand cost (else actual cost, counted), free lines, the winning rule.
    func priceOnDemand(_ line: UsageLine, groupIndex: Int) -> (LineCategory, ExactDecimal, Int, PricingRule?) {
        let rules = planRules[groupIndex]
        let isFree = line.lineItemType == .usage && line.actualCost.isZero && (line.publicOnDemandCost ?? .zero) > .zero
        if isFree && rules.freeTierActivated(service: line.serviceCode) {
            return (.free, .zero, 0, nil)
        }
        var missing = 0
        let base: ExactDecimal
        if let publicCost = line.publicOnDemandCost {
            base = publicCost
        } else {
            base = line.actualCost
            missing = 1
        }
        let rule = rules.rule(
            service: line.serviceCode, usageType: line.usageType, operation: line.operation,
            billingEntity: line.billingEntity)
        guard let rule else { return (.onDemand, base.rounded(scale: Self.lineScale), missing, nil) }
        if rule.type == .tiering { return (.onDemand, .zero, missing, rule) }
        let amount = rule.factor.map { base * $0 } ?? base
        return (.onDemand, amount.rounded(scale: Self.lineScale), missing, nil)
    }

    func checkCurrency(_ line: UsageLine, group: Int, source: () -> String) throws(EngineError) {
        // Consecutive lines mostly share group, period and currency.
        if let last = lastCurrency, last.group == group, last.period == line.period, last.currency == line.currency {
            return
        }
        defer { lastCurrency = (group, line.period, line.currency) }
        if let known = currencies[group]?[line.period] {
            guard known.currency == line.currency else {
                throw EngineError(
                    message: "\(source()): billing group \"\(groups[group].name)\" has lines in two currencies in \(line.period): \(known.currency) (first at \(known.source)) and \(line.currency)",
                    hint: "amounts in different currencies are never summed; split the data by currency")
            }
            return
        }
        currencies[group, default: [:]][line.period] = (line.currency, source())
    }

    /// The result for `periods` (default: every period in the data), each group in each period.
    public func result(periods requested: [BillingPeriod]? = nil) throws(EngineError) -> BillingResult {
        try result(periods: requested, consuming: false)
    }

    /// The result for `periods`, as `result(periods:)` gives it, made from the rows the engine holds without a copy
    /// of them: each group's rows are let go once its results are made, so the rows are never held twice. The
    /// engine has no rows left afterwards; call this last.
    public func finalResult(periods requested: [BillingPeriod]? = nil) throws(EngineError) -> BillingResult {
        try result(periods: requested, consuming: true)
    }

    func result(periods requested: [BillingPeriod]?, consuming: Bool) throws(EngineError) -> BillingResult {
        if let configurationProblem { throw configurationProblem }
        let periods = (requested ?? Array(self.periods)).sorted()
        var warnings: [EngineWarning] = []
        var groupResults: [GroupResult] = []
        var allRows = rows
        if consuming {
            // The only reference to the rows from here on, so they are changed in place and let go group by group.
            rows = Array(repeating: [:], count: groups.count)
        }
        // Custom tiers: price the group's total quantity of the SKU, then attribute it pro rata by quantity (§4).
        for (groupIndex, byRule) in tiered {
            for (ruleName, keyed) in byRule {
                guard let rule = rulesByName[ruleName] else { continue }
                for period in Set(keyed.keys.map(\.period)) {
                    let entries = keyed.filter { $0.key.period == period }.sorted { $0.key < $1.key }
                    // Quantities to 10 places for the tiers and the shares (decided), so the products stay exact.
                    let weights = entries.map { $0.value.quantity.rounded(scale: Self.lineScale) }
                    guard let amount = rule.tieredAmount(quantity: weights.sum()) else {
                        throw EngineError(
                            message: "custom tiers of pricing rule \"\(rule.name)\" price a quantity of \(weights.sum()) beyond what can be computed exactly",
                            hint: "check the tiers' rates and the usage quantities of \(period)")
                    }
                    let total = amount.rounded(scale: Self.lineScale)
                    try account(total) { "custom tiers of pricing rule \"\(rule.name)\" in \(period)" }
                    let shares = Allocation.proRata(total, weights: weights, scale: Self.lineScale)
                    for (entry, share) in zip(entries, shares) {
                        var figures = entry.value
                        figures.proForma = share
                        allRows[groupIndex][entry.key, default: CostFigures()] += figures
                    }
                }
            }
        }
        if consuming { tiered = [:] }
        // The whole data set by period and category: every line is in exactly one row of a group or unassigned.
        var totals: [CostKey: CostFigures] = [:]
        func total(_ row: (key: CostKey, value: CostFigures)) {
            totals[row.key.dataTotalKey, default: CostFigures()] += row.value
        }
        // Row by row, without gathering every row into one array first.
        for groupRows in allRows { groupRows.forEach(total) }
        unassigned.forEach(total)
        // Lines cost allocations took from groups and unassigned accounts: still part of the data.
        for pool in pools.values { pool.forEach(total) }
        for (index, group) in groups.enumerated().sorted(by: { $0.element.name < $1.element.name }) {
            defer { if consuming { allRows[index] = [:] } }
            for period in periods {
                // Straight into one array, sorted in place: no copy of the rows on the way.
                var groupRows: [CostRow] = []
                for (key, figures) in allRows[index] where key.period == period {
                    groupRows.append(CostRow(key: key, figures: figures))
                }
                groupRows.sort { $0.key < $1.key }
                var result = GroupResult(
                    group: group.name, period: period, primaryAccount: group.primaryAccountID,
                    currency: currencies[index]?[period]?.currency ?? defaultCurrency, rows: groupRows,
                    customLineItems: [], warnings: [])
                let missing = groupRows.map(\.figures.missingPublicCost).reduce(0, +)
                if missing > 0 {
                    result.warnings.append(
                        EngineWarning(
                            message: "\(missing) on-demand line\(missing == 1 ? "" : "s") of \(group.name) in \(period) \(missing == 1 ? "has" : "have") no public on-demand cost and \(missing == 1 ? "was" : "were") priced from the actual cost: \(Positions.list(missingPublicCostSources[index]?[period].map { [$0] } ?? [], total: missing))"))
                }
                result.customLineItems = try CustomLineItems.charges(
                    for: group, in: period, rows: groupRows, configuration: configuration, warnings: &result.warnings)
                for charge in result.customLineItems {
                    try account(charge.amount) { "custom line item \(charge.name) of \(group.name) in \(period)" }
                }
                groupResults.append(result)
            }
        }
        // Cost allocations: after every group's own lines and custom line items are known.
        let allocations = try allocate(&groupResults, periods: periods)
        if consuming { pools = [:] }
        for result in groupResults { warnings += result.warnings }
        let unassignedRows = unassigned.filter { requested == nil || periods.contains($0.key.period) }
            .map { CostRow(key: $0.key, figures: $0.value) }.sorted { $0.key < $1.key }
        let totalRows = totals.filter { requested == nil || periods.contains($0.key.period) }
            .map { CostRow(key: $0.key, figures: $0.value) }.sorted { $0.key < $1.key }
        return BillingResult(
            periods: periods, groups: groupResults, unassigned: unassignedRows, dataTotals: totalRows, warnings: warnings,
            allocations: allocations)
    }
}

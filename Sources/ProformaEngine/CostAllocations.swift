import ProformaCore
import ProformaModel
import ProformaUsage

/// One cost allocation's pool and split in one period.
public struct AllocationResult: Sendable, Hashable {
    /// One billing group's share.
    public struct Share: Sendable, Hashable {
        public var group: String
        /// What the share was weighed by: the target's basis (proportional), its percentage (fixed), 1 (even).
        public var weight: ExactDecimal
        /// The pro forma amount charged to the group (its invoice line), at 10 places.
        public var amount: ExactDecimal
        /// The group's share of the pool's AWS cost, which moves to its AWS cost.
        public var awsCost: ExactDecimal
    }

    public var name: String
    public var description: String?
    public var period: BillingPeriod
    public var currency: String
    public var method: AllocationMethod
    public var basis: AllocationBasis?
    /// The service the shares are shown under on the invoices.
    public var service: String
    /// The lines the source consumed, by account, service and line item type (category `allocated`): before the
    /// split.
    public var sources: [CostRow]
    /// The fixed amount charged instead of the pool, if any.
    public var fixedAmount: ExactDecimal?
    /// The percentage of each target's basis charged instead of the pool, if any.
    public var percentageOfBasis: ExactDecimal?
    /// Each target's share, by group name: after the split.
    public var shares: [Share]
    /// Proportional weights that were all zero (or negative): the split fell back to even.
    public var fellBackToEven: Bool

    /// The pool's AWS cost: Σ actual cost of the lines consumed.
    public var pool: ExactDecimal { sources.map(\.figures.actualCost).sum() }
    /// The lines consumed.
    public var lines: Int { sources.map(\.figures.lines).reduce(0, +) }
    /// What the targets were charged: Σ shares (the pool, or the fixed amount).
    public var charged: ExactDecimal { shares.map(\.amount).sum() }
    /// Charged − pool: over-recovery when positive, under-recovery when negative; 0 without a fixed amount.
    public var recovery: ExactDecimal { charged - pool }
}

/// Selects the usage lines of a cost allocation's source.
struct AllocationMatcher {
    let index: Int
    let services: Set<String>?
    let accounts: Set<String>?
    let groups: Set<Int>?
    let lineItemTypes: Set<String>?
    let billingEntities: Set<String>?
    let range: BillingPeriodRange?

    init(index: Int, allocation: CostAllocation, groupIndex: [String: Int]) {
        self.index = index
        let filter = allocation.source
        func set(_ values: [String]) -> Set<String>? { values.isEmpty ? nil : Set(values) }
        // A service by code or name matches the data's code or name alike.
        services = set(filter.services.flatMap { AWSServiceCatalogue.spellings($0) + [$0] })
        accounts = set(filter.accountIDs)
        groups = filter.billingGroups.isEmpty ? nil : Set(filter.billingGroups.map { groupIndex[$0] ?? -1 })
        lineItemTypes = set(filter.lineItemTypes.map { $0.lowercased() })
        billingEntities = set(filter.billingEntities)
        range = allocation.billingPeriodRange
    }

    func matches(_ line: UsageLine, group: Int?) -> Bool {
        if let range, !range.contains(line.period) { return false }
        if let services, !services.contains(line.serviceCode) { return false }
        if let accounts, !accounts.contains(line.usageAccountID) { return false }
        if let groups, !groups.contains(group ?? -1) { return false }
        if let billingEntities, !billingEntities.contains(line.billingEntity) { return false }
        if let lineItemTypes, !lineItemTypes.contains(line.lineItemType.rawValue.lowercased()) { return false }
        return true
    }
}

extension PricingEngine {
    static func matchers(for configuration: Configuration, groups: [BillingGroup]) -> [AllocationMatcher] {
        var groupIndex: [String: Int] = [:]
        for (position, group) in groups.enumerated() where groupIndex[group.name] == nil {
            groupIndex[group.name] = position
        }
        // Configurations are sorted by name: the first allocation by name that selects a line consumes it.
        return configuration.costAllocations.sorted { $0.name < $1.name }.enumerated()
            .filter { !$0.element.source.isEmpty }
            .map { AllocationMatcher(index: $0.offset, allocation: $0.element, groupIndex: groupIndex) }
    }

    /// The allocations in the order of `matchers`' indices.
    var sortedAllocations: [CostAllocation] { configuration.costAllocations.sorted { $0.name < $1.name } }

    /// The allocation whose pool takes `line`: the first by name whose source selects it; nil for tax, or when none
    /// does.
    func consumingMatcher(_ line: UsageLine, group: Int?) -> AllocationMatcher? {
        guard !matchers.isEmpty, !isTax(line) else { return nil }
        return matchers.first { $0.matches(line, group: group) }
    }

    /// Takes a line into the pool of the first allocation that selects it; false when none does. Tax never.
    func consume(
        _ line: UsageLine, group: Int?, multiplier: ExactDecimal?, count: Int, source: () -> String
    ) throws(EngineError) -> Bool {
        guard let matcher = consumingMatcher(line, group: group) else { return false }
        if let known = poolCurrencies[matcher.index]?[line.period] {
            guard known.currency == line.currency else {
                let name = sortedAllocations[matcher.index].name
                throw EngineError(
                    message:
                        "\(source()): the pool of cost allocation \"\(name)\" has lines in two currencies in \(line.period): \(known.currency) (first at \(known.source)) and \(line.currency)",
                    hint:
                        "amounts in different currencies are never summed; narrow the source or split the data by currency"
                )
            }
        } else {
            poolCurrencies[matcher.index, default: [:]][line.period] = (line.currency, source())
        }
        let key = CostKey(
            period: line.period, account: line.usageAccountID, service: line.serviceCode,
            lineItemType: line.lineItemType.rawValue, category: .allocated, currency: line.currency)
        var figures = Self.figures(of: line, proForma: .zero)
        if count != 1 { try figures.multiply(by: multiplier, count: count, source) }
        pools[matcher.index, default: [:]][key, default: CostFigures()] += figures
        return true
    }

    /// Splits every active allocation's pool (and fixed amount) over its targets for `periods`, adding each share
    /// to its target's rows as a line of category `allocated`. The targets' custom line items were computed before,
    /// so they never see the shares.
    func allocate(
        _ results: inout [GroupResult], periods: [BillingPeriod]
    ) throws(EngineError) -> [AllocationResult] {
        let allocations = sortedAllocations
        guard !allocations.isEmpty else { return [] }
        var position: [String: [BillingPeriod: Int]] = [:]
        for (index, result) in results.enumerated() { position[result.group, default: [:]][result.period] = index }
        var primary: [String: String] = [:]
        for group in groups { primary[group.name] = group.primaryAccountID }
        var output: [AllocationResult] = []
        let hierarchy = BillingHierarchy(configuration)
        for (index, allocation) in allocations.enumerated() {
            let targets = Array(Set(allocation.targetNames.flatMap { hierarchy.leaves(of: $0) })).sorted()
            for period in periods where allocation.isActive(in: period) {
                let sources = (pools[index] ?? [:]).filter { $0.key.period == period }
                    .map { CostRow(key: $0.key, figures: $0.value) }.sorted { $0.key < $1.key }
                let pool = sources.map(\.figures.actualCost).sum()
                let charge = allocation.fixedAmount ?? pool
                guard !targets.isEmpty else {
                    if sources.isEmpty && charge.isZero && allocation.percentageOfBasis == nil { continue }
                    throw EngineError(
                        message: "cost allocation \"\(allocation.name)\" has no billing group to charge in \(period)",
                        hint: "name billing groups, or parents with billing groups below them, as its targets")
                }
                let indices = try targets.map { target throws(EngineError) -> Int in
                    guard let found = position[target]?[period] else {
                        throw EngineError(
                            message:
                                "cost allocation \"\(allocation.name)\" names billing group \"\(target)\", which has no result for \(period)",
                            hint: "check its targets")
                    }
                    return found
                }
                let currency = poolCurrencies[index]?[period]?.currency ?? results[indices[0]].currency
                for target in indices where results[target].currency != currency && !results[target].rows.isEmpty {
                    throw EngineError(
                        message:
                            "cost allocation \"\(allocation.name)\" charges a pool in \(currency) to billing group \"\(results[target].group)\", whose lines are in \(results[target].currency) in \(period)",
                        hint: "amounts in different currencies are never summed")
                }
                var weights: [ExactDecimal]
                var fellBack = false
                switch allocation.method {
                case .even:
                    weights = indices.map { _ in ExactDecimal(1) }
                case .fixed:
                    let byTarget = Dictionary(
                        allocation.percentages.map { ($0.target, $0.percentage) }, uniquingKeysWith: { a, _ in a })
                    weights = targets.map { byTarget[$0] ?? .zero }
                case .proportional:
                    weights = indices.map { Self.basis(of: results[$0], allocation) }
                    // A target whose basis is negative (a net credit) weighs nothing: it is never given a share of the
                    // opposite sign. When nothing weighs, the split is even.
                    weights = weights.map { $0 > .zero ? $0 : .zero }
                    if weights.allSatisfy(\.isZero) {
                        fellBack = true
                        weights = indices.map { _ in ExactDecimal(1) }
                        let message =
                            "cost allocation \(allocation.name) in \(period): no target has a positive \(allocation.basis.rawValue) basis, so it is split evenly"
                        for target in indices { results[target].warnings.append(EngineWarning(message: message)) }
                    }
                }
                var amounts: [ExactDecimal]
                if let percentage = allocation.percentageOfBasis, allocation.method == .proportional {
                    // Each target pays the percentage of its own basis (0 when it weighs nothing), rounded once.
                    amounts = try indices.map { target throws(EngineError) -> ExactDecimal in
                        let basis = max(.zero, Self.basis(of: results[target], allocation))
                        guard
                            let amount = basis.multiplied(
                                by: percentage.normalized.divided(
                                    by: .hundred, scale: min(ExactDecimal.maxScale, percentage.normalized.scale + 2))
                                    ?? .zero,
                                scale: Self.lineScale)
                        else {
                            throw EngineError(
                                message: "cost allocation \(allocation.name) in \(period) amounts to more than can be computed exactly (\(percentage) % of \(basis))",
                                hint: "check its percentage_of_basis")
                        }
                        return amount
                    }
                } else {
                    amounts = Allocation.proRata(charge, weights: weights, scale: Self.lineScale)
                }
                try account(amounts.sum()) { "cost allocation \(allocation.name) in \(period)" }
                let awsShares = Allocation.proRata(pool, weights: weights, scale: Self.lineScale)
                var shares: [AllocationResult.Share] = []
                for (offset, target) in indices.enumerated() {
                    let group = results[target].group
                    var figures = CostFigures()
                    figures.proForma = amounts[offset]
                    figures.actualCost = awsShares[offset]
                    let key = CostKey(
                        period: period, account: primary[group] ?? "", service: allocation.shownService,
                        lineItemType: Self.allocationLineItemType, category: .allocated, currency: currency)
                    if let existing = results[target].rows.firstIndex(where: { $0.key == key }) {
                        results[target].rows[existing].figures += figures
                    } else {
                        results[target].rows.append(CostRow(key: key, figures: figures))
                        results[target].rows.sort { $0.key < $1.key }
                    }
                    shares.append(
                        .init(
                            group: group, weight: weights[offset], amount: amounts[offset], awsCost: awsShares[offset]))
                }
                output.append(
                    AllocationResult(
                        name: allocation.name, description: allocation.description, period: period, currency: currency,
                        method: allocation.method, basis: allocation.method == .proportional ? allocation.basis : nil,
                        service: allocation.shownService, sources: sources, fixedAmount: allocation.fixedAmount,
                        percentageOfBasis: allocation.method == .proportional ? allocation.percentageOfBasis : nil,
                        shares: shares, fellBackToEven: fellBack))
            }
        }
        return output
    }

    /// The line item type of the lines that carry allocated shares.
    public static let allocationLineItemType = "Allocation"

    /// A target's weight for a proportional split: its counted usage after rules (pro_forma) or its AWS cost, before
    /// any allocation, restricted by the basis filter.
    static func basis(of result: GroupResult, _ allocation: CostAllocation) -> ExactDecimal {
        let filter = allocation.basisFilter
        let services = filter.map { Set($0.services.flatMap { AWSServiceCatalogue.spellings($0) + [$0] }) } ?? []
        let accounts = Set(filter?.accountIDs ?? [])
        let types = Set((filter?.lineItemTypes ?? []).map { $0.lowercased() })
        var sum = ExactDecimal.zero
        for row in result.rows where row.key.category != .allocated {
            if !services.isEmpty && !services.contains(row.key.service) { continue }
            if !accounts.isEmpty && !accounts.contains(row.key.account) { continue }
            if !types.isEmpty && !types.contains(row.key.lineItemType.lowercased()) { continue }
            switch allocation.basis {
            case .proForma:
                if row.key.category.isCounted { sum += row.figures.proForma }
            case .awsCost:
                if row.key.category != .tax { sum += row.figures.actualCost }
            }
        }
        return sum
    }
}

import ProformaCore

// MARK: - Billing hierarchy

/// A parent in the billing hierarchy: a name that billing groups (and other parents) roll up to. It has no
/// accounts, pricing plan or custom line items of its own (those stay on the billing groups, as in AWS Billing
/// Conductor); its invoice is its children's, consolidated.
public struct ParentGroup: Sendable, Hashable {
    public var name: String
    public var description: String?
    /// The parent group above it; nil at the top.
    public var parent: String?
    public var tags: Tags

    public init(name: String, description: String? = nil, parent: String? = nil, tags: Tags = [:]) {
        self.name = name
        self.description = description
        self.parent = parent
        self.tags = tags
    }
}

// MARK: - Cost allocation

/// Which usage lines a filter selects: a line must match every field given, and within a field any of its values.
/// An empty field is no condition.
public struct AllocationFilter: Sendable, Hashable {
    /// Service codes or names (`AWSSupportBusiness`, `AWS Support (Business)`).
    public var services: [String]
    /// Usage accounts.
    public var accountIDs: [String]
    /// The accounts of these billing groups.
    public var billingGroups: [String]
    /// Line item types as the data writes them (`Usage`, `SavingsPlanRecurringFee`, …), compared without case.
    public var lineItemTypes: [String]
    /// `AWS`, `AWS Marketplace`, `AISPL`.
    public var billingEntities: [String]

    public init(
        services: [String] = [], accountIDs: [String] = [], billingGroups: [String] = [],
        lineItemTypes: [String] = [], billingEntities: [String] = []
    ) {
        self.services = services
        self.accountIDs = accountIDs
        self.billingGroups = billingGroups
        self.lineItemTypes = lineItemTypes
        self.billingEntities = billingEntities
    }

    /// Whether it selects anything at all (a filter without a condition would select every line).
    public var isEmpty: Bool {
        services.isEmpty && accountIDs.isEmpty && billingGroups.isEmpty && lineItemTypes.isEmpty
            && billingEntities.isEmpty
    }
}

/// How a cost pool is split over its targets.
public enum AllocationMethod: String, Sendable, Hashable, CaseIterable, Codable {
    /// Equal shares.
    case even
    /// In proportion to each target's cost in the period (its `basis`).
    case proportional
    /// Fixed percentages that add up to 100.
    case fixed
}

/// What a proportional split weighs each target by.
public enum AllocationBasis: String, Sendable, Hashable, CaseIterable, Codable {
    /// The target's counted usage after pricing rules, before custom line items and allocations.
    case proForma = "pro_forma"
    /// The target's AWS cost (every line but tax), before allocations.
    case awsCost = "aws_cost"
}

/// One target's fixed percentage.
public struct AllocationShare: Sendable, Hashable {
    public var target: String
    public var percentage: ExactDecimal

    public init(target: String, percentage: ExactDecimal) {
        self.target = target
        self.percentage = percentage
    }
}

/// A shared cost and how it is split: the usage lines its `source` selects (consumed: they leave the invoice they
/// would have been on) and/or a fixed monthly amount, charged to billing groups (a parent stands for the billing
/// groups below it) even, in proportion to their costs, or by fixed percentages.
public struct CostAllocation: Sendable, Hashable {
    public var name: String
    public var description: String?
    /// The lines that make up the pool; empty when the pool is only `fixedAmount`.
    public var source: AllocationFilter
    /// A fixed amount charged each active period instead of the pool's AWS cost; with a `source`, the difference
    /// is the over- or under-recovery.
    public var fixedAmount: ExactDecimal?
    /// For proportional: charge each target this percentage of its basis instead of its share of the pool (a fee
    /// such as Support at 7 % of usage); the pool's AWS cost is still split by the basis, and the difference is the
    /// over- or under-recovery.
    public var percentageOfBasis: ExactDecimal?
    /// Billing groups and parent groups (even and proportional); for fixed, the targets of `percentages`.
    public var targets: [String]
    public var method: AllocationMethod
    /// For proportional: what each target is weighed by.
    public var basis: AllocationBasis
    /// For proportional: only the target's lines this filter selects weigh (services, accounts, line item types).
    public var basisFilter: AllocationFilter?
    /// For fixed: each billing group's percentage.
    public var percentages: [AllocationShare]
    public var billingPeriodRange: BillingPeriodRange?
    /// The service the allocated lines are shown under (default `Shared costs`).
    public var presentationService: String?
    public var tags: Tags

    public static let defaultPresentationService = "Shared costs"

    public init(
        name: String, description: String? = nil, source: AllocationFilter = AllocationFilter(),
        fixedAmount: ExactDecimal? = nil, percentageOfBasis: ExactDecimal? = nil, targets: [String] = [],
        method: AllocationMethod,
        basis: AllocationBasis = .proForma, basisFilter: AllocationFilter? = nil, percentages: [AllocationShare] = [],
        billingPeriodRange: BillingPeriodRange? = nil, presentationService: String? = nil, tags: Tags = [:]
    ) {
        self.name = name
        self.description = description
        self.source = source
        self.fixedAmount = fixedAmount
        self.percentageOfBasis = percentageOfBasis
        self.targets = targets
        self.method = method
        self.basis = basis
        self.basisFilter = basisFilter
        self.percentages = percentages
        self.billingPeriodRange = billingPeriodRange
        self.presentationService = presentationService
        self.tags = tags
    }

    /// The targets as written: `targets`, or for a fixed split the targets of `percentages`.
    public var targetNames: [String] { method == .fixed ? percentages.map(\.target) : targets }

    public func isActive(in period: BillingPeriod) -> Bool {
        billingPeriodRange?.contains(period) ?? true
    }

    /// The service its lines are shown under on the targets' invoices, naming the source: `Shared costs (support)`.
    public var shownService: String {
        "\(presentationService ?? Self.defaultPresentationService) (\(name))"
    }
}

/// The billing hierarchy of a configuration, indexed once: which billing groups and parent groups are below each
/// parent group.
public struct BillingHierarchy: Sendable {
    let groups: Set<String>
    let childGroups: [String: [String]]
    let childParents: [String: [String]]

    public init(_ configuration: Configuration) {
        groups = Set(configuration.billingGroups.map(\.name))
        var childGroups: [String: [String]] = [:]
        for group in configuration.billingGroups {
            if let parent = group.parent { childGroups[parent, default: []].append(group.name) }
        }
        var childParents: [String: [String]] = [:]
        for parent in configuration.parentGroups {
            if let above = parent.parent { childParents[above, default: []].append(parent.name) }
        }
        self.childGroups = childGroups
        self.childParents = childParents
    }

    /// The billing groups a target name stands for: the group itself, or every billing group below a parent (sorted
    /// by name). Empty for an unknown name; a cycle in the hierarchy is not followed twice. Time in proportion to the
    /// part of the tree below the target.
    public func leaves(of target: String) -> [String] {
        if groups.contains(target) { return [target] }
        var leaves: Set<String> = []
        var seen: Set<String> = [target]
        var stack = [target]
        while let next = stack.popLast() {
            leaves.formUnion(childGroups[next] ?? [])
            for child in childParents[next] ?? [] where seen.insert(child).inserted { stack.append(child) }
        }
        return leaves.sorted()
    }
}

extension Configuration {
    /// The billing groups a target name stands for: the group itself, or every billing group below a parent
    /// (sorted by name). Empty for an unknown name.
    public func leafGroups(of target: String) -> [String] {
        BillingHierarchy(self).leaves(of: target)
    }

    /// The billing groups a cost allocation charges, each once, in name order.
    public func targetGroups(of allocation: CostAllocation) -> [String] {
        let hierarchy = BillingHierarchy(self)
        return Array(Set(allocation.targetNames.flatMap { hierarchy.leaves(of: $0) })).sorted()
    }
}

import ProformaCore
import ProformaModel

/// Checks of the billing hierarchy (parent groups) and of cost allocations.
extension ValidationRun {
    // MARK: Hierarchy

    mutating func checkHierarchy() {
        let parents = Dictionary(
            configuration.parentGroups.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for group in inWrittenOrder(configuration.billingGroups, .billingGroup, \.name) {
            guard let parent = group.parent, parents[parent] == nil else { continue }
            report(
                .unknownParentGroup,
                "billing group \"\(group.name)\" names parent group \"\(parent)\", which does not exist",
                at: location(.billingGroup, group.name, "parent"),
                hint: suggestion(for: parent, among: names(.parentGroup))
                    ?? "declare it with kind: ParentGroup (a parent has no accounts of its own)")
        }
        for parent in inWrittenOrder(configuration.parentGroups, .parentGroup, \.name) {
            if exists(.billingGroup, parent.name) {
                report(
                    .parentNamedLikeGroup, "parent group \"\(parent.name)\" has the name of a billing group",
                    at: location(.parentGroup, parent.name),
                    hint: "rename one of them: `invoice --group` and allocation targets name either")
            }
            guard let above = parent.parent else { continue }
            guard parents[above] != nil else {
                report(
                    .unknownParentGroup,
                    "parent group \"\(parent.name)\" names parent group \"\(above)\", which does not exist",
                    at: location(.parentGroup, parent.name, "parent"),
                    hint: suggestion(for: above, among: names(.parentGroup)))
                continue
            }
        }
        // Cycles, in time linear in the number of parents: each parent is walked up from once; a walk stops at a
        // parent already done. Each cycle is reported once, at the member whose name sorts first.
        var state: [String: Int] = [:]  // 1: on the current walk, 2: done
        for parent in configuration.parentGroups where state[parent.name] == nil {
            var path: [String] = []
            var next: String? = parent.name
            while let name = next, parents[name] != nil, state[name] == nil {
                state[name] = 1
                path.append(name)
                next = parents[name]?.parent
            }
            if let name = next, state[name] == 1, let start = path.firstIndex(of: name) {
                let cycle = Array(path[start...])
                let first = cycle.min() ?? name
                let rotation = cycle.firstIndex(of: first) ?? 0
                let ordered = Array(cycle[rotation...] + cycle[..<rotation]) + [first]
                report(
                    .hierarchyCycle,
                    "parent groups form a cycle: \(ordered.map { "\"\($0)\"" }.joined(separator: " → "))",
                    at: location(.parentGroup, first, "parent"),
                    hint: "a parent group may not be below itself; remove one of these parents")
            }
            for name in path { state[name] = 2 }
        }
    }

    // MARK: Cost allocations

    mutating func checkCostAllocations() {
        guard !configuration.costAllocations.isEmpty else { return }
        var shared = AllocationIndex(hierarchy: BillingHierarchy(configuration))
        for group in configuration.billingGroups {
            for account in group.accountIDs where shared.owners[account] == nil { shared.owners[account] = group.name }
        }
        for allocation in inWrittenOrder(configuration.costAllocations, .costAllocation, \.name) {
            checkCostAllocation(allocation, &shared)
        }
    }

    /// What the checks of every cost allocation share: the hierarchy, the leaves of each target asked for, and each
    /// account's billing group.
    struct AllocationIndex {
        let hierarchy: BillingHierarchy
        var cache: [String: [String]] = [:]
        var owners: [String: String] = [:]

        init(hierarchy: BillingHierarchy) {
            self.hierarchy = hierarchy
        }

        mutating func leaves(of target: String) -> [String] {
            if let known = cache[target] { return known }
            let leaves = hierarchy.leaves(of: target)
            cache[target] = leaves
            return leaves
        }
    }

    mutating func checkCostAllocation(_ allocation: CostAllocation, _ shared: inout AllocationIndex) {
        let name = allocation.name
        func at(_ field: String? = nil) -> SourceLocation? { location(.costAllocation, name, field) }

        // The source: filters and/or a fixed amount.
        let hasSource = has(.costAllocation, name, field: "source")
        if !hasSource && allocation.fixedAmount == nil && allocation.percentageOfBasis == nil {
            report(
                .allocationEmptySource,
                "cost allocation \"\(name)\" has no source and no fixed amount, so it shares nothing",
                at: at(), hint: "add source: { services: [...] } or accounts, or fixed_amount")
        } else if hasSource && allocation.source.isEmpty
            && !["services", "account_ids", "billing_groups", "line_item_types", "billing_entities"].contains(where: {
                has(.costAllocation, name, field: "source.\($0)")
            })
        {
            report(
                .allocationEmptySource,
                "the source of cost allocation \"\(name)\" sets no filter, so it would select every line",
                at: at("source"),
                hint: "name services, account_ids, billing_groups, line_item_types or billing_entities")
        }
        for field in ["source", "basis_filter"] {
            for list in ["services", "account_ids", "billing_groups", "line_item_types", "billing_entities"]
            where has(.costAllocation, name, field: "\(field).\(list)") {
                let filter = field == "source" ? allocation.source : allocation.basisFilter ?? AllocationFilter()
                let values: [String] =
                    switch list {
                    case "services": filter.services
                    case "account_ids": filter.accountIDs
                    case "billing_groups": filter.billingGroups
                    case "line_item_types": filter.lineItemTypes
                    default: filter.billingEntities
                    }
                if values.isEmpty {
                    report(
                        .allocationEmptySource, "\"\(field).\(list)\" of cost allocation \"\(name)\" is empty",
                        at: at("\(field).\(list)"), hint: "name at least one value, or remove the field")
                }
            }
        }
        for filter in [("source", allocation.source), ("basis_filter", allocation.basisFilter ?? AllocationFilter())] {
            for (index, service) in filter.1.services.enumerated() {
                checkKnownService(service, at: at("\(filter.0).services[\(index)]"))
            }
            for (index, account) in filter.1.accountIDs.enumerated() {
                checkDeclared(account, at: at("\(filter.0).account_ids[\(index)]"))
            }
        }
        for (index, group) in allocation.source.billingGroups.enumerated() where !exists(.billingGroup, group) {
            report(
                .unknownAllocationTarget,
                "the source of cost allocation \"\(name)\" names billing group \"\(group)\", which does not exist",
                at: at("source.billing_groups[\(index)]"), hint: suggestion(for: group, among: names(.billingGroup)))
        }
        if let percentage = allocation.percentageOfBasis {
            if allocation.method != .proportional {
                report(
                    .allocationMethodFields,
                    "percentage_of_basis applies to method proportional only, not \(allocation.method.rawValue)",
                    at: at("percentage_of_basis"), hint: "remove it, or set method: proportional")
            } else if allocation.fixedAmount != nil {
                report(
                    .allocationMethodFields,
                    "a cost allocation charges a fixed amount or a percentage of its basis, not both",
                    at: at("percentage_of_basis"), hint: "keep one of fixed_amount and percentage_of_basis")
            } else if percentage.normalized.scale > Self.percentagePlaces {
                report(
                    .allocationMethodFields,
                    "percentage_of_basis has more than \(Self.percentagePlaces) decimal places",
                    at: at("percentage_of_basis"))
            }
        }
        if let amount = allocation.fixedAmount, amount.normalized.scale > Self.chargePlaces {
            report(
                .allocationMethodFields,
                "the fixed amount of cost allocation \"\(name)\" has more than \(Self.chargePlaces) decimal places",
                at: at("fixed_amount"))
        }

        // Fields against the method.
        switch allocation.method {
        case .fixed:
            if has(.costAllocation, name, field: "targets") {
                report(
                    .allocationMethodFields, "a fixed cost allocation names its targets in percentages, not in targets",
                    at: at("targets"), hint: "move each target into percentages: [{ target: …, percentage: … }]")
            }
            checkPercentages(allocation, &shared)
        case .even, .proportional:
            if has(.costAllocation, name, field: "percentages") {
                report(
                    .allocationMethodFields,
                    "percentages apply to method fixed only, not \(allocation.method.rawValue)",
                    at: at("percentages"), hint: "remove them, or set method: fixed")
            }
            if !has(.costAllocation, name, field: "targets") {
                report(
                    .allocationMethodFields, "cost allocation \"\(name)\" has no targets",
                    at: at("method"), hint: "add targets: [GROUP or PARENT, …]")
            }
            checkTargets(allocation, field: "targets", names: allocation.targets, parentsAllowed: true, &shared)
        }
        if allocation.method != .proportional {
            for field in ["basis", "basis_filter"] where has(.costAllocation, name, field: field) {
                report(
                    .allocationMethodFields,
                    "\(field) applies to method proportional only, not \(allocation.method.rawValue)",
                    at: at(field), hint: "remove it, or set method: proportional")
            }
        }
        if let range = allocation.billingPeriodRange, let end = range.exclusiveEnd, end <= range.inclusiveStart {
            report(
                .periodOrder, "billing_period_range ends (\(end)) before it starts (\(range.inclusiveStart))",
                at: at("billing_period_range.exclusive_end"))
        }

        // A source billing group (or a member of one) may not also be a target.
        let targets = Set(allocation.targetNames.flatMap { shared.leaves(of: $0) })
        for (index, group) in allocation.source.billingGroups.enumerated() where targets.contains(group) {
            report(
                .allocationSourceIsTarget,
                "billing group \"\(group)\" is both the source and a target of cost allocation \"\(name)\"",
                at: at("source.billing_groups[\(index)]"), hint: "a pool is never shared with the group it comes from")
        }
        for (index, account) in allocation.source.accountIDs.enumerated() {
            guard let group = shared.owners[account], targets.contains(group) else { continue }
            report(
                .allocationSourceIsTarget,
                "account \(account) of the source of cost allocation \"\(name)\" belongs to billing group \"\(group)\", one of its targets",
                at: at("source.account_ids[\(index)]"), hint: "a pool is never shared with the group it comes from")
        }
    }

    /// Targets must exist; each billing group is charged once (a group named directly and through a parent, or
    /// under two parents, is an error).
    mutating func checkTargets(
        _ allocation: CostAllocation, field: String, names targets: [String], parentsAllowed: Bool,
        _ shared: inout AllocationIndex
    ) {
        let name = allocation.name
        var chargedBy: [String: String] = [:]
        for (index, target) in targets.enumerated() {
            let at = location(
                .costAllocation, name, field == "targets" ? "targets[\(index)]" : "percentages[\(index)].target")
            let isGroup = exists(.billingGroup, target)
            let isParent = exists(.parentGroup, target)
            guard isGroup || isParent else {
                report(
                    .unknownAllocationTarget,
                    "cost allocation \"\(name)\" names target \"\(target)\", which is neither a billing group nor a parent group",
                    at: at, hint: suggestion(for: target, among: self.names(.billingGroup) + self.names(.parentGroup)))
                continue
            }
            if isParent && !parentsAllowed {
                report(
                    .allocationPercentages, "a fixed percentage names a billing group, not parent group \"\(target)\"",
                    at: at, hint: "give each billing group below it a percentage of its own")
                continue
            }
            let leaves = shared.leaves(of: target)
            if leaves.isEmpty {
                report(
                    .allocationMethodFields,
                    "parent group \"\(target)\" has no billing group below it, so it cannot be charged",
                    at: at, hint: "name billing groups with parent: \(target), or remove the target")
            }
            for leaf in leaves {
                if let first = chargedBy[leaf] {
                    report(
                        .allocationMethodFields,
                        "billing group \"\(leaf)\" is a target of cost allocation \"\(name)\" twice, through \"\(first)\" and \"\(target)\"",
                        at: at, hint: "name each billing group once, directly or through one parent")
                } else {
                    chargedBy[leaf] = target
                }
            }
        }
    }

    mutating func checkPercentages(_ allocation: CostAllocation, _ shared: inout AllocationIndex) {
        let name = allocation.name
        guard has(.costAllocation, name, field: "percentages"), !allocation.percentages.isEmpty else {
            report(
                .allocationPercentages, "fixed cost allocation \"\(name)\" has no percentages",
                at: location(.costAllocation, name, "method"),
                hint: "add percentages: [{ target: GROUP, percentage: 60 }, …] adding up to 100")
            return
        }
        checkTargets(
            allocation, field: "percentages", names: allocation.percentages.map(\.target), parentsAllowed: false,
            &shared)
        for (index, share) in allocation.percentages.enumerated()
        where share.percentage.normalized.scale > Self.percentagePlaces {
            report(
                .allocationPercentages,
                "the percentage of \"\(share.target)\" has more than \(Self.percentagePlaces) decimal places",
                at: location(.costAllocation, name, "percentages[\(index)].percentage"))
        }
        let sum = allocation.percentages.map(\.percentage).sum()
        if sum != ExactDecimal(100) {
            report(
                .allocationPercentages,
                "the percentages of cost allocation \"\(name)\" add up to \(sum.normalized), not 100",
                at: location(.costAllocation, name, "percentages"), hint: "make them add up to exactly 100")
        }
    }
}

import ProformaCore
import ProformaEngine
import ProformaModel
import ProformaPlan

/// One amount before and after a change: a service's usage, or a custom line item, of one group.
public struct AmountChange: Sendable, Hashable {
    public var name: String
    public var before: ExactDecimal
    public var after: ExactDecimal
    public var delta: ExactDecimal { after - before }
}

/// What a change does to one billing group's invoice for a period.
public struct GroupImpact: Sendable, Hashable {
    public var group: String
    /// Nil when the group does not exist on that side.
    public var before: RoundedFigures?
    public var after: RoundedFigures?
    /// Usage by service (after rules), rounded to the currency's minor unit, where it changed; largest change first.
    public var services: [AmountChange]
    /// Custom line items, rounded, where they changed; largest change first.
    public var customLineItems: [AmountChange]
    /// Accounts that joined or left the group.
    public var accountsAdded: [String]
    public var accountsRemoved: [String]

    public var currency: String { after?.currency ?? before?.currency ?? "" }
    /// Δ of the pro forma total as shown.
    public var delta: ExactDecimal { (after?.proForma.rounded ?? .zero) - (before?.proForma.rounded ?? .zero) }
    /// Δ in percent of the total before, to 2 places; nil for a new group or one at 0 before.
    public var deltaPercentage: ExactDecimal? {
        guard let before, !before.proForma.rounded.isZero else { return nil }
        return (delta * .hundred).divided(by: before.proForma.rounded.magnitude, scale: 2)
    }

    /// Whether anything a reader of the invoice or of the margin report would see differs.
    public var changed: Bool {
        before != after || !services.isEmpty || !customLineItems.isEmpty || !accountsAdded.isEmpty
            || !accountsRemoved.isEmpty
    }
}

/// A guardrail a plan breaks.
public struct GuardrailViolation: Sendable, Hashable, CustomStringConvertible {
    public var guardrail: String
    /// The group, or nil for the total.
    public var group: String?
    public var period: BillingPeriod
    /// What was measured, e.g. "invoice increase +12.50 %".
    public var figure: String
    /// The limit, e.g. "at most 10 %".
    public var limit: String

    public var description: String {
        "guardrail \"\(guardrail)\": \(group.map { "billing group \"\($0)\"" } ?? "the total") in \(period): \(figure), \(limit)"
    }
}

/// A total per currency, before and after.
public struct CurrencyTotal: Sendable, Hashable {
    public var currency: String
    public var before: ExactDecimal
    public var after: ExactDecimal
    public var delta: ExactDecimal { after - before }
    public var deltaPercentage: ExactDecimal? {
        guard !before.isZero else { return nil }
        return (delta * .hundred).divided(by: before.magnitude, scale: 2)
    }
}

/// What a plan does to every invoice of one period, priced from the same usage data under both configurations.
public struct PeriodImpact: Sendable, Hashable {
    public var period: BillingPeriod
    /// Every group of either side, by name.
    public var groups: [GroupImpact]
    /// Pro forma totals per currency over every group, as shown.
    public var totals: [CurrencyTotal]
    /// Accounts with usage in the period that no group takes after the change, with their usage lines' count.
    public var unassignedAfter: [String]
    /// Accounts with usage that the change leaves in no group (they were in one before).
    public var newlyUnassigned: [String]

    public var changedGroups: [GroupImpact] { groups.filter(\.changed) }
}

/// The invoice impact of a plan: per period, and the guardrails it breaks.
public struct InvoiceImpact: Sendable, Hashable {
    public var periods: [PeriodImpact]
    /// For each changed pricing rule, plan or custom line item, the groups it reaches (on either side).
    public var reach: [ResourceID: [String]]
    public var violations: [GuardrailViolation]
    /// The usage files the impact was priced from, and their digest, for the saved plan.
    public var usageFiles: [String]
    /// Guardrails that could not be evaluated, with why.
    public var notes: [String]
    /// Account names by ID, from both sides.
    public var accountNames: [String: String]
    /// Names of the services in the usage data, for the text and markdown details (JSON keeps the codes); nil shows
    /// the codes.
    public var serviceNames: ServiceNames?

    public init(
        before: BillingResult, after: BillingResult, base: Configuration, head: Configuration, diff: ConfigurationDiff,
        periods: [BillingPeriod], usageFiles: [String]
    ) {
        let rounding = head.project?.rounding ?? .halfEven
        var periodImpacts: [PeriodImpact] = []
        for period in periods {
            periodImpacts.append(
                Self.impact(before: before, after: after, base: base, head: head, period: period, rounding: rounding))
        }
        self.periods = periodImpacts
        self.reach = Self.reach(diff: diff, base: base, head: head)
        self.usageFiles = usageFiles
        self.notes = []
        var names: [String: String] = [:]
        for account in base.accounts + head.accounts { names[account.accountID] = account.name }
        self.accountNames = names
        self.violations = Guardrails.check(periodImpacts, guardrails: head.project?.guardrails ?? [])
    }

    static func impact(
        before: BillingResult, after: BillingResult, base: Configuration, head: Configuration, period: BillingPeriod,
        rounding: RoundingMode
    ) -> PeriodImpact {
        let names = Set(base.billingGroups.map(\.name)).union(head.billingGroups.map(\.name)).sorted()
        var groups: [GroupImpact] = []
        var totals: [String: (before: ExactDecimal, after: ExactDecimal)] = [:]
        for name in names {
            let old = before.group(name, period: period)
            let new = after.group(name, period: period)
            let oldMembers = Set(base.billingGroups.first { $0.name == name }?.accountIDs ?? [])
            let newMembers = Set(head.billingGroups.first { $0.name == name }?.accountIDs ?? [])
            let currency = new?.currency ?? old?.currency ?? "USD"
            let places = CurrencyMinorUnits.places(for: currency)
            // Equal results have equal invoices, so no line changes (and the invoices need not be laid out);
            // otherwise each side's invoice is laid out once.
            let same = old != nil && old == new
            let oldLines = same ? ([:], [:]) : invoiceLines(old, rounding: rounding)
            let newLines = same ? ([:], [:]) : invoiceLines(new, rounding: rounding)
            let impact = GroupImpact(
                group: name, before: old?.figures(rounding: rounding), after: new?.figures(rounding: rounding),
                services: same ? [] : changes(oldLines.0, newLines.0, places: places, rounding: rounding),
                customLineItems: same ? [] : changes(oldLines.1, newLines.1, places: places, rounding: rounding),
                accountsAdded: newMembers.subtracting(oldMembers).sorted(),
                accountsRemoved: oldMembers.subtracting(newMembers).sorted())
            groups.append(impact)
            var total = totals[currency] ?? (.zero, .zero)
            total.before += impact.before?.proForma.rounded ?? .zero
            total.after += impact.after?.proForma.rounded ?? .zero
            totals[currency] = total
        }
        let unassignedBefore = Set(before.unassigned.filter { $0.key.period == period }.map(\.key.account))
        let unassignedAfter = Set(after.unassigned.filter { $0.key.period == period }.map(\.key.account))
        return PeriodImpact(
            period: period, groups: groups,
            totals: totals.keys.sorted().map {
                CurrencyTotal(currency: $0, before: totals[$0]!.before, after: totals[$0]!.after)
            },
            unassignedAfter: unassignedAfter.sorted(),
            newlyUnassigned: unassignedAfter.subtracting(unassignedBefore).sorted())
    }

    /// A group's usage by service as `report margin --by service` shows it (the group's total split over its
    /// services, the invoice showing each service per account), and its custom line items as its invoice shows them.
    static func invoiceLines(_ result: GroupResult?, rounding: RoundingMode) -> (
        services: [String: ExactDecimal], items: [String: ExactDecimal]
    ) {
        guard let result else { return ([:], [:]) }
        let layout = layout(result, rounding: rounding)
        let report = MarginReport(
            result: .combining(periods: [result.period], groups: [result]), by: .service,
            options: CostReportOptions(period: result.period, rounding: rounding))
        let table = CostReportRenderer.MarginTable(report)
        var services: [String: ExactDecimal] = [:]
        for (row, shown) in zip(table.rows, table.columns.shown)
        where row.group == result.group && row.key != CostReportRenderer.customLineItemsService {
            if let key = row.key { services[key, default: .zero] += shown[0] }
        }
        var items: [String: ExactDecimal] = [:]
        for line in layout.customLines {
            items[line.charge.name, default: .zero] += line.amount.rounded
        }
        return (services, items)
    }

    static func layout(_ result: GroupResult, rounding: RoundingMode) -> InvoiceLayout {
        InvoiceLayout(InvoiceDocument(result: result, rounding: rounding, provenance: Provenance(toolVersion: "")))
    }

    /// The entries whose rounded amount changed, largest change first (then by name).
    static func changes(
        _ before: [String: ExactDecimal], _ after: [String: ExactDecimal], places: Int, rounding: RoundingMode
    ) -> [AmountChange] {
        Set(before.keys).union(after.keys)
            .map {
                AmountChange(
                    name: $0, before: (before[$0] ?? .zero).rounded(scale: places, rounding),
                    after: (after[$0] ?? .zero).rounded(scale: places, rounding))
            }
            .filter { $0.before != $0.after }
            .sorted {
                $0.delta.magnitude != $1.delta.magnitude ? $0.delta.magnitude > $1.delta.magnitude : $0.name < $1.name
            }
    }

    /// The groups each changed rule, plan, item or group reaches, on either side of the change.
    static func reach(diff: ConfigurationDiff, base: Configuration, head: Configuration) -> [ResourceID: [String]] {
        var reach: [ResourceID: [String]] = [:]
        for change in diff.changes {
            var groups = Set<String>()
            for configuration in [base, head] {
                switch change.id.kind {
                case .pricingRule:
                    let plans = Set(
                        configuration.pricingPlans.filter { $0.pricingRules.contains(change.id.name) }.map(\.name))
                    groups.formUnion(configuration.billingGroups.filter { plans.contains($0.pricingPlan) }.map(\.name))
                case .pricingPlan:
                    groups.formUnion(
                        configuration.billingGroups.filter { $0.pricingPlan == change.id.name }.map(\.name))
                case .customLineItem:
                    groups.formUnion(
                        configuration.customLineItems.filter { $0.name == change.id.name }.map(\.billingGroup))
                case .billingGroup:
                    if configuration.billingGroups.contains(where: { $0.name == change.id.name }) {
                        groups.insert(change.id.name)
                    }
                case .account:
                    let id = configuration.accounts.first { $0.name == change.id.name }?.accountID
                    groups.formUnion(
                        configuration.billingGroups.filter { group in id.map { group.accountIDs.contains($0) } ?? false
                        }.map(\.name))
                case .project:
                    groups.formUnion(configuration.billingGroups.map(\.name))
                case .parentGroup:
                    groups.formUnion(configuration.leafGroups(of: change.id.name))
                case .costAllocation:
                    if let allocation = configuration.costAllocations.first(where: { $0.name == change.id.name }) {
                        groups.formUnion(configuration.targetGroups(of: allocation))
                        groups.formUnion(allocation.source.billingGroups)
                        let accounts = Set(allocation.source.accountIDs)
                        groups.formUnion(
                            configuration.billingGroups.filter { !accounts.isDisjoint(with: $0.accountIDs) }.map(\.name))
                    }
                }
            }
            reach[change.id] = groups.sorted()
        }
        return reach
    }
}

/// The project's guardrails checked against an impact.
enum Guardrails {
    static func check(_ periods: [PeriodImpact], guardrails: [Guardrail]) -> [GuardrailViolation] {
        var violations: [GuardrailViolation] = []
        for period in periods {
            for guardrail in guardrails {
                func violation(_ group: String?, _ figure: String, _ limit: String) {
                    violations.append(
                        GuardrailViolation(
                            guardrail: guardrail.name, group: group, period: period.period, figure: figure, limit: limit
                        ))
                }
                switch guardrail.scope {
                case .group:
                    let scope = Set(guardrail.billingGroups)
                    for group in period.groups where scope.isEmpty || scope.contains(group.group) {
                        check(
                            before: group.before?.proForma.rounded ?? .zero,
                            after: group.after?.proForma.rounded ?? .zero,
                            currency: group.currency, guardrail: guardrail
                        ) { violation(group.group, $0, $1) }
                        if let limit = guardrail.minMarginPercentage, group.changed, let after = group.after,
                            let margin = after.marginPercentage, margin < limit
                        {
                            violation(
                                group.group, "margin \(margin.formatted(places: 2, rounding: .halfEven)) %",
                                "at least \(limit) %")
                        }
                    }
                case .total:
                    for total in period.totals {
                        check(before: total.before, after: total.after, currency: total.currency, guardrail: guardrail)
                        {
                            violation(nil, $0, $1)
                        }
                    }
                }
                if guardrail.noUnassignedAccounts {
                    for account in period.newlyUnassigned {
                        violation(
                            nil, "account \(account) has usage and is left in no billing group", "no account unassigned"
                        )
                    }
                }
            }
        }
        return violations
    }

    /// The change from `before` to `after` against the guardrail's percentage and amount limits.
    static func check(
        before: ExactDecimal, after: ExactDecimal, currency: String, guardrail: Guardrail,
        _ violation: (String, String) -> Void
    ) {
        let delta = after - before
        guard !delta.isZero else { return }
        let increase = !delta.isNegative
        let shown = ImpactRenderer.money(delta.magnitude, currency)
        if increase, let limit = guardrail.maxIncreaseAmount, delta > limit {
            violation("invoice +\(shown) \(currency)", "at most +\(limit) \(currency)")
        }
        if !increase, let limit = guardrail.maxDecreaseAmount, delta.magnitude > limit {
            violation("invoice −\(shown) \(currency)", "at most −\(limit) \(currency)")
        }
        let limit = increase ? guardrail.maxIncreasePercentage : guardrail.maxDecreasePercentage
        guard let limit else { return }
        let sign = increase ? "+" : "−"
        guard !before.isZero else {
            // From nothing to something is an unbounded change.
            violation(
                "invoice from 0 to \(ImpactRenderer.money(after, currency)) \(currency)", "at most \(sign)\(limit) %")
            return
        }
        guard let percentage = (delta.magnitude * .hundred).divided(by: before.magnitude, scale: 2), percentage > limit
        else { return }
        violation("invoice \(sign)\(percentage) %", "at most \(sign)\(limit) %")
    }
}

import ProformaCore
import ProformaEngine
import ProformaModel

/// The cost allocations report: for each allocation and period, the pool before the split (the lines its source
/// consumed, by account, service and line type), what each target received after it (its invoice line and the AWS
/// cost that moved with it), and what was left: the fixed amount charged minus the pool, an over-recovery when
/// positive, an under-recovery when negative (0 when the pool itself is charged).
///
/// Shown figures balance to the minor unit: the pool and the charge are each rounded once, the pool is split over its
/// source rows and over the targets' AWS cost, and the charge over the targets' amounts, by largest remainder;
/// left = charged shown − pool shown. A target's amount here is its exact share rounded give or take one minor unit,
/// as its invoice line is.
public struct AllocationReport: Sendable, Hashable {
    public var allocations: [AllocationResult]
    public var options: CostReportOptions

    public init(result: BillingResult, options: CostReportOptions = CostReportOptions()) {
        allocations = result.allocations.filter { options.includes($0.period) }
            .sorted { ($0.period, $0.name) < ($1.period, $1.name) }
        self.options = options
    }
}

/// One allocation's figures as shown.
struct ShownAllocation {
    var allocation: AllocationResult
    var places: Int
    var pool: ExactDecimal
    var charged: ExactDecimal
    var sources: [ExactDecimal]
    var amounts: [ExactDecimal]
    var awsCosts: [ExactDecimal]
    var left: ExactDecimal { charged - pool }

    init(_ allocation: AllocationResult, rounding: RoundingMode) {
        self.allocation = allocation
        places = CurrencyMinorUnits.places(for: allocation.currency)
        pool = allocation.pool.rounded(scale: places, rounding)
        charged = allocation.charged.rounded(scale: places, rounding)
        sources = Allocation.split(pool, like: allocation.sources.map(\.figures.actualCost), places: places)
        amounts = Allocation.split(charged, like: allocation.shares.map(\.amount), places: places)
        awsCosts = Allocation.split(pool, like: allocation.shares.map(\.awsCost), places: places)
    }
}

extension AllocationReport {
    /// Each allocation's shown figures, in the report's order.
    var shown: [ShownAllocation] { allocations.map { ShownAllocation($0, rounding: options.rounding) } }

    /// Per currency (sorted): Σ pool, Σ charged and Σ left as shown.
    var totals: [(currency: String, pool: ExactDecimal, charged: ExactDecimal)] {
        let shown = self.shown
        return Set(shown.map(\.allocation.currency)).sorted().map { currency in
            let mine = shown.filter { $0.allocation.currency == currency }
            return (currency, mine.map(\.pool).sum(), mine.map(\.charged).sum())
        }
    }
}

public enum AllocationReportRenderer {
    /// Text, CSV or JSON; `report allocations` refuses `html` and `svg`, which render the text here.
    public static func render(_ report: AllocationReport, as format: CostReportFormat) -> String {
        switch format {
        case .text, .html, .svg, .costExplorer: text(report)
        case .csv: csv(report)
        case .json: JSONWriter.write(json(report))
        }
    }

    static func money(_ value: ExactDecimal, _ currency: String) -> String {
        MoneyText.grouped(value, places: CurrencyMinorUnits.places(for: currency))
    }

    static func plain(_ value: ExactDecimal, _ currency: String) -> String {
        MoneyText.plain(value, places: CurrencyMinorUnits.places(for: currency))
    }

    static func exact(_ value: ExactDecimal, _ currency: String) -> String {
        MoneyText.exact(value, places: CurrencyMinorUnits.places(for: currency))
    }

    static func method(_ allocation: AllocationResult) -> String {
        var text = allocation.method.rawValue
        if let basis = allocation.basis { text += " by \(basis.rawValue)" }
        if allocation.fellBackToEven { text += " (no positive basis: split evenly)" }
        if let amount = allocation.fixedAmount { text += ", fixed amount \(amount.normalized)" }
        if let percentage = allocation.percentageOfBasis { text += ", \(percentage.normalized) % of each basis" }
        return text
    }

    static func share(_ amount: ExactDecimal, of total: ExactDecimal) -> String {
        guard !total.isZero, let ratio = (amount * 100).divided(by: total, scale: 10) else { return "" }
        return ratio.formatted(places: 2, rounding: .halfEven) + " %"
    }

    static func text(_ report: AllocationReport) -> String {
        let options = report.options
        let periods = Set(report.allocations.map(\.period)).sorted()
        var output =
            "Cost allocations: \(periods.isEmpty ? "no period" : periods.map(\.description).joined(separator: ", "))\n\n"
        if report.allocations.isEmpty { output += "No cost allocation is active in the periods reported.\n" }
        for shown in report.shown {
            let allocation = shown.allocation
            let currency = allocation.currency
            output += "\(allocation.name) \(allocation.period)"
            if let description = allocation.description { output += ": \(description)" }
            output += "\n  \(method(allocation)); shown as \"\(allocation.service)\"\n\n"
            var before = TextTable([.left, .left, .left, .right, .right])
            before.add(["Before: pool", "Service", "Line type", "Lines", "AWS cost"])
            before.rule()
            for (row, value) in zip(allocation.sources, shown.sources) {
                before.add([
                    CostReportRenderer.accountLabel(row.key.account, options), row.key.service, row.key.lineItemType,
                    String(row.figures.lines), money(value, currency),
                ])
            }
            before.rule()
            before.add(["Pool", "", "", String(allocation.lines), money(shown.pool, currency)])
            output += before.render(indent: "  ") + "\n"
            var after = TextTable([.left, .right, .right, .right, .right])
            after.add(["After: target", "Weight", "Share", "Charged", "AWS cost"])
            after.rule()
            let weights = allocation.shares.map(\.weight).sum()
            for (index, target) in allocation.shares.enumerated() {
                after.add([
                    target.group, MoneyText.grouped(target.weight.rounded(scale: 2), places: 2),
                    share(target.weight, of: weights), money(shown.amounts[index], currency),
                    money(shown.awsCosts[index], currency),
                ])
            }
            after.rule()
            after.add(["Charged", "", "", money(shown.charged, currency), money(shown.pool, currency)])
            output += after.render(indent: "  ")
            let label =
                shown.left > .zero ? "over-recovery" : shown.left < .zero ? "under-recovery" : "nothing left"
            output +=
                "  Left: charged \(money(shown.charged, currency)) − pool \(money(shown.pool, currency)) = \(money(shown.left, currency)) \(currency) (\(label))\n\n"
        }
        let totals = report.totals
        if !totals.isEmpty {
            var table = TextTable([.left, .right, .right, .right])
            table.add(["Total", "Pool", "Charged", "Left"])
            table.rule()
            for total in totals {
                table.add([
                    total.currency, money(total.pool, total.currency), money(total.charged, total.currency),
                    money(total.charged - total.pool, total.currency),
                ])
            }
            output += table.render() + "\n"
        }
        output +=
            "Amounts rounded to the currency's minor unit (\(options.rounding.rawValue)): each pool and charge once, split over its rows by largest remainder; an invoice line is its exact share rounded, give or take one minor unit.\n"
        if let provenance = options.provenance { output += "\n" + CostReportRenderer.provenanceText(provenance) }
        return output
    }

    static func csv(_ report: AllocationReport) -> String {
        let options = report.options
        var output = CSV.row(
            ([
                "row_type", "period", "allocation", "currency", "account_id", "service", "line_type", "billing_group",
                "lines", "weight", "charged", "aws_cost", "charged_exact", "aws_cost_exact",
            ] + CostReportRenderer.provenanceColumns(options)).map { .text($0) })
        let provenance = CostReportRenderer.provenanceCells(options)
        for shown in report.shown {
            let allocation = shown.allocation
            let currency = allocation.currency
            let head: [CSV.Cell] = [.text(allocation.period.description), .text(allocation.name), .text(currency)]
            for (row, value) in zip(allocation.sources, shown.sources) {
                output += CSV.row(
                    [.text("source")] + head + [
                        .text(row.key.account), .text(row.key.service), .text(row.key.lineItemType), .empty,
                        .number(String(row.figures.lines)), .empty, .empty, .number(plain(value, currency)),
                        .empty, .number(exact(row.figures.actualCost, currency)),
                    ] + provenance)
            }
            for (index, target) in allocation.shares.enumerated() {
                output += CSV.row(
                    [.text("target")] + head + [
                        .empty, .empty, .empty, .text(target.group), .empty,
                        .number(target.weight.normalized.description),
                        .number(plain(shown.amounts[index], currency)), .number(plain(shown.awsCosts[index], currency)),
                        .number(exact(target.amount, currency)), .number(exact(target.awsCost, currency)),
                    ] + provenance)
            }
        }
        return output
    }

    static func json(_ report: AllocationReport) -> JSONValue {
        let options = report.options
        func figure(_ exactValue: ExactDecimal, _ shown: ExactDecimal, _ currency: String) -> JSONValue {
            .object(["exact": .string(exact(exactValue, currency)), "rounded": .string(plain(shown, currency))])
        }
        let allocations: [JSONValue] = report.shown.map { shown in
            let allocation = shown.allocation
            let currency = allocation.currency
            return .object([
                "name": .string(allocation.name),
                "description": allocation.description.map { .string($0) } ?? .null,
                "period": .string(allocation.period.description),
                "currency": .string(currency),
                "method": .string(allocation.method.rawValue),
                "basis": allocation.basis.map { .string($0.rawValue) } ?? .null,
                "fell_back_to_even": .bool(allocation.fellBackToEven),
                "service": .string(allocation.service),
                "fixed_amount": allocation.fixedAmount.map { .string($0.normalized.description) } ?? .null,
                "percentage_of_basis": allocation.percentageOfBasis.map { .string($0.normalized.description) } ?? .null,
                "pool": figure(allocation.pool, shown.pool, currency),
                "lines": .int(allocation.lines),
                "sources": .array(
                    zip(allocation.sources, shown.sources).map { row, value in
                        .object([
                            "account_id": .string(row.key.account), "service": .string(row.key.service),
                            "line_type": .string(row.key.lineItemType), "lines": .int(row.figures.lines),
                            "aws_cost": figure(row.figures.actualCost, value, currency),
                        ])
                    }),
                "targets": .array(
                    allocation.shares.enumerated().map { index, target in
                        .object([
                            "billing_group": .string(target.group),
                            "weight": .string(target.weight.normalized.description),
                            "charged": figure(target.amount, shown.amounts[index], currency),
                            "aws_cost": figure(target.awsCost, shown.awsCosts[index], currency),
                        ])
                    }),
                "charged": figure(allocation.charged, shown.charged, currency),
                "left": figure(allocation.recovery, shown.left, currency),
            ])
        }
        var members: [String: JSONValue] = [
            "format_version": .int(1),
            "allocations": .array(allocations),
            "totals": .array(
                report.totals.map { total in
                    .object([
                        "currency": .string(total.currency),
                        "pool": .string(plain(total.pool, total.currency)),
                        "charged": .string(plain(total.charged, total.currency)),
                        "left": .string(plain(total.charged - total.pool, total.currency)),
                    ])
                }),
        ]
        if let provenance = options.provenance { members["provenance"] = provenance.json }
        return .object(members)
    }
}

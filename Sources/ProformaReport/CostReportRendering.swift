import ProformaCore
import ProformaEngine
import ProformaModel

/// The output formats of `proforma report margin` and `proforma report costs`.
public enum CostReportFormat: String, CaseIterable, Sendable, Hashable {
    /// An aligned table for people.
    case text
    /// RFC 4180, one row per figure row (no total rows: `totalsCSV` writes them apart); text cells neutralised
    /// against formula injection.
    case csv
    /// `format_version` 1, sorted keys, money as decimal strings, exact and rounded.
    case json
    /// A self-contained page (no script, no external resource, printable) with SVG charts and the report's table.
    case html
    /// The page's charts alone, as one SVG document.
    case svg
    /// The costs report as Cost Explorer's `GetCostAndUsage` response (`CostExplorerRenderer`); costs only.
    case costExplorer = "cost-explorer"
}

/// What the rows of a margin report are.
public enum MarginBreakdown: String, CaseIterable, Sendable, Hashable {
    /// One row per billing group and period.
    case group
    /// One row per billing group, service and period; custom line items form the pseudo-service
    /// `(custom line items)`.
    case service
    /// One row per billing group, account and period; a custom line item counts for the account it is charged to.
    case account
}

/// A dimension of the costs report.
public enum CostDimension: String, CaseIterable, Sendable, Hashable {
    case group
    case account
    case service
    /// The usage line item type (`Usage`, `DiscountedUsage`, `RIFee`, …).
    case lineType = "line_type"
    /// How the line is counted (`on-demand`, `free`, `covered`, …; billing-semantics.md §3).
    case category
    case period

    var title: String {
        switch self {
        case .group: "Group"
        case .account: "Account"
        case .service: "Service"
        case .lineType: "Line type"
        case .category: "Category"
        case .period: "Period"
        }
    }
}

/// Options shared by the margin and costs reports.
public struct CostReportOptions: Sendable, Hashable {
    /// The period reported; nil reports every period of the result (rows then differ by period).
    public var period: BillingPeriod?
    /// Account names by account ID, where known.
    public var accountNames: [String: String]
    /// The currency taken for rows that carry none (the engine gives every row its line's currency; rows built
    /// without one, and the `(unassigned)` row of a period with no such lines, take this): the project's.
    public var unassignedCurrency: String
    /// The project's rounding mode for presentation.
    public var rounding: RoundingMode
    /// Which configuration and usage data priced the report; printed on every format when given.
    public var provenance: Provenance?
    /// The characters of the text format's sparklines and bars.
    public var textGraphics: TextGraphics
    /// Names for service codes, used where a chart labels services; nil labels them by code.
    public var serviceNames: ServiceNames?

    public init(
        period: BillingPeriod? = nil, accountNames: [String: String] = [:], unassignedCurrency: String = "USD",
        rounding: RoundingMode = .halfEven, provenance: Provenance? = nil, textGraphics: TextGraphics = .ascii,
        serviceNames: ServiceNames? = nil
    ) {
        self.serviceNames = serviceNames
        self.period = period
        self.accountNames = accountNames
        self.unassignedCurrency = unassignedCurrency
        self.rounding = rounding
        self.provenance = provenance
        self.textGraphics = textGraphics
    }

    func includes(_ period: BillingPeriod) -> Bool { self.period.map { $0 == period } ?? true }
}

/// The margin report: pro forma cost, AWS cost, margin and margin % per group (or per service or account within
/// each group), plus the AWS cost of accounts in no group, plus a total per currency.
///
/// Unassigned rows have no pro forma cost (nobody is billed for them), so their margin is minus their AWS cost:
/// the total margin is what the payer keeps after paying AWS for everything in the data. Each group shows its one
/// figure (`RoundedFigures`, the invoice's; by service or account split over its rows by largest remainder, §7), the
/// unassigned accounts theirs per currency; the total row of a currency is the sum of its shown rows, and each shown
/// margin is the shown pro forma cost minus the shown AWS cost. The AWS cost of the groups plus the unassigned
/// accounts is checked against the data's AWS cost (every line but tax), per currency, and the result is printed.
public struct MarginReport: Sendable, Hashable {
    public var result: BillingResult
    public var by: MarginBreakdown
    public var options: CostReportOptions

    public init(result: BillingResult, by: MarginBreakdown = .group, options: CostReportOptions = CostReportOptions()) {
        self.result = result
        self.by = by
        self.options = options
    }
}

/// The costs report, in the manner of Cost Explorer: pro forma cost, AWS cost (actual cost, tax excluded), public
/// on-demand cost and the number of usage lines, summed by the chosen dimensions and sorted by their values.
///
/// Tax lines are left out (they are neither pro forma nor AWS cost). Accounts in no group appear under the group
/// `(unassigned)` with category `unassigned`. Custom line items appear as the service `(custom line items)`, line
/// type `CustomLineItem` and category `custom-line-item`, charged to their account, with no lines. With no
/// dimension, the report is one total per currency.
///
/// Shown figures: each group's pro forma and AWS cost for a period are its one figure (`RoundedFigures`), split by
/// largest remainder over the rows its lines fall into (public cost likewise, rounded once per group and period); the
/// unassigned accounts' per period and currency. A row by group and period therefore shows the group's invoice
/// figures, and the total row of a currency is the sum of its rows.
public struct CostsReport: Sendable, Hashable {
    public var result: BillingResult
    public var groupBy: [CostDimension]
    public var options: CostReportOptions

    public init(result: BillingResult, groupBy: [CostDimension], options: CostReportOptions = CostReportOptions()) {
        self.result = result
        var seen = Set<CostDimension>()
        self.groupBy = groupBy.filter { seen.insert($0).inserted }
        self.options = options
    }
}

/// Renders margin and costs reports. Pure: values in, text out.
public enum CostReportRenderer {
    /// The group name shown for accounts in no group.
    public static let unassignedGroup = "(unassigned)"
    /// The service name shown for custom line items.
    public static let customLineItemsService = "(custom line items)"
    static let customLineItemType = "CustomLineItem"
    static let customLineItemCategory = "custom-line-item"

    public static func render(_ report: MarginReport, as format: CostReportFormat) -> String {
        let table = MarginTable(report)
        return switch format {
        case .text: marginText(report, table)
        case .csv: marginCSV(report, table)
        case .json: JSONWriter.write(marginJSON(report, table))
        case .html: marginHTML(report, table)
        case .svg: marginSVG(report, table)
        case .json, .costExplorer: JSONWriter.write(marginJSON(report, table))
        }
    }

    public static func render(_ report: CostsReport, as format: CostReportFormat) -> String {
        let table = CostsTable(report)
        return switch format {
        case .text: costsText(report, table)
        case .csv: costsCSV(report, table)
        case .json: JSONWriter.write(costsJSON(report, table))
        case .html: costsHTML(report, table)
        case .svg: costsSVG(report, table)
        case .costExplorer: CostExplorerRenderer.render(report)
        }
    }

    // MARK: - Shared

    static func periods(_ result: BillingResult, _ options: CostReportOptions) -> [BillingPeriod] {
        options.period.map { [$0] } ?? result.periods
    }

    static func periodsText(_ periods: [BillingPeriod]) -> String {
        periods.isEmpty ? "no period" : periods.map(\.description).joined(separator: ", ")
    }

    static func accountLabel(_ id: String, _ options: CostReportOptions) -> String {
        guard let name = options.accountNames[id], !name.isEmpty, name != id else { return id }
        return "\(id) (\(name))"
    }

    static func roundingNote(_ options: CostReportOptions) -> String {
        "Amounts rounded to the currency's minor unit (\(options.rounding.rawValue)): each group's figures once, as on its invoice, split over its rows by largest remainder; totals are the sums of the rows shown, per currency."
    }

    static func provenanceText(_ provenance: Provenance?) -> String {
        guard let provenance else { return "" }
        var table = TextTable([.left, .left])
        for (label, value) in InvoiceRenderer.provenanceLines(provenance) { table.add([label, value]) }
        return table.render()
    }

    static func percentText(_ value: ExactDecimal?, _ options: CostReportOptions) -> String {
        MoneyText.percentage(value, rounding: options.rounding).map { $0 + "%" } ?? "n/a"
    }

    /// margin / pro forma × 100 to 10 places; nil when the pro forma cost is 0 (§6).
    static func marginPercentage(_ margin: ExactDecimal, _ proForma: ExactDecimal) -> ExactDecimal? {
        RoundedFigures.percentage(margin: margin, of: proForma)
    }

    /// Amount columns of rows in several currencies: each row's shown values, and per currency the exact totals and
    /// the shown totals, which are the sums of the shown rows (never rounded on their own, never across currencies).
    struct Columns {
        /// Shown values, per row and column.
        var shown: [[ExactDecimal]]
        /// Per currency (sorted): the exact and shown totals per column.
        var totals: [(currency: String, exact: [ExactDecimal], shown: [ExactDecimal])]

        init(currencies: [String], exact: [[ExactDecimal]], shown: [[ExactDecimal]], columns: Int) {
            self.shown = shown
            totals = []
            for currency in Set(currencies).sorted() {
                let indices = currencies.indices.filter { currencies[$0] == currency }
                let places = CurrencyMinorUnits.places(for: currency)
                totals.append(
                    (
                        currency, (0..<columns).map { column in indices.map { exact[$0][column] }.sum() },
                        (0..<columns).map { column in
                            let sum = indices.map { shown[$0][column] }.sum()
                            return sum.rescaledReportingOverflow(to: max(sum.scale, places)) ?? sum
                        }
                    ))
            }
        }
    }

    /// One group's (or the unassigned accounts') figures for a period, split over the report rows they fall into:
    /// each column's figure, rounded once, is split by largest remainder over the rows' exact values, so the rows of
    /// a group add up to the group's figures as every other document shows them.
    struct Unit {
        /// Per row key: the exact values of each column.
        var cells: [[String]: [ExactDecimal]] = [:]
        var columns: Int

        mutating func add(_ key: [String], _ values: [ExactDecimal]) {
            let current = cells[key] ?? Array(repeating: .zero, count: columns)
            cells[key] = zip(current, values).map { $0 + $1 }
        }

        /// The shown values per key, splitting `targets` (one rounded figure per column) at `places`.
        func split(_ targets: [ExactDecimal], places: Int) -> [[String]: [ExactDecimal]] {
            let keys = cells.keys.sorted { $0.lexicographicallyPrecedes($1) }
            var shown: [[String]: [ExactDecimal]] = [:]
            for key in keys { shown[key] = [] }
            for column in 0..<columns {
                let parts = Allocation.split(
                    targets[column], like: keys.map { cells[$0]?[column] ?? .zero }, places: places)
                for (key, part) in zip(keys, parts) { shown[key]?.append(part) }
            }
            return shown
        }
    }

    static func plain(_ value: ExactDecimal, _ currency: String) -> String {
        MoneyText.plain(value, places: CurrencyMinorUnits.places(for: currency))
    }

    static func grouped(_ value: ExactDecimal, _ currency: String) -> String {
        MoneyText.grouped(value, places: CurrencyMinorUnits.places(for: currency))
    }

    static func exact(_ value: ExactDecimal, _ currency: String) -> String {
        MoneyText.exact(value, places: CurrencyMinorUnits.places(for: currency))
    }

    // MARK: - Margin report

    struct MarginRow {
        var period: BillingPeriod
        /// Nil for accounts in no group.
        var group: String?
        /// The service or account, for the service and account breakdowns.
        var key: String?
        var currency: String
        var proForma: ExactDecimal
        var awsCost: ExactDecimal
        var margin: ExactDecimal { proForma - awsCost }
    }

    struct MarginTable {
        var rows: [MarginRow]
        var columns: Columns
        /// Per currency (sorted): Σ AWS cost of every line of the reported periods but tax, from the data totals,
        /// and Σ AWS cost of the rows.
        var checks: [(currency: String, data: ExactDecimal, reported: ExactDecimal)]
        var addsUp: Bool { checks.allSatisfy { $0.data == $0.reported } }

        init(_ report: MarginReport) {
            let result = report.result
            let options = report.options
            var rows: [(row: MarginRow, shown: [ExactDecimal])] = []
            for group in result.groups where options.includes(group.period) {
                let figures = group.figures(rounding: options.rounding)
                switch report.by {
                case .group:
                    rows.append(
                        (
                            MarginRow(
                                period: group.period, group: group.group, key: nil, currency: group.currency,
                                proForma: group.proFormaCost, awsCost: group.awsCost),
                            [figures.proForma.rounded, figures.awsCost.rounded]
                        ))
                case .service, .account:
                    var sums: [String: (proForma: ExactDecimal, aws: ExactDecimal)] = [:]
                    for row in group.rows where row.key.category != .tax {
                        let key = report.by == .service ? row.key.service : row.key.account
                        sums[key, default: (.zero, .zero)].aws += row.figures.actualCost
                        if row.key.category.isCounted {
                            sums[key, default: (.zero, .zero)].proForma += row.figures.proForma
                        }
                    }
                    for charge in group.customLineItems {
                        let key = report.by == .service ? customLineItemsService : charge.account
                        sums[key, default: (.zero, .zero)].proForma += charge.amount
                    }
                    let keys = sums.keys.sorted { Self.sortKey($0, report.by) < Self.sortKey($1, report.by) }
                    let proForma = Allocation.split(
                        figures.proForma.rounded, like: keys.map { sums[$0]?.proForma ?? .zero },
                        places: figures.places)
                    let aws = Allocation.split(
                        figures.awsCost.rounded, like: keys.map { sums[$0]?.aws ?? .zero }, places: figures.places)
                    for (index, key) in keys.enumerated() {
                        rows.append(
                            (
                                MarginRow(
                                    period: group.period, group: group.group, key: key, currency: group.currency,
                                    proForma: sums[key]?.proForma ?? .zero, awsCost: sums[key]?.aws ?? .zero),
                                [proForma[index], aws[index]]
                            ))
                    }
                }
            }
            // Accounts in no group: AWS cost only, one figure per period and currency.
            for period in periods(result, options) {
                var figures = result.unassignedFigures(
                    period: period, rounding: options.rounding, fallbackCurrency: options.unassignedCurrency)
                if figures.isEmpty && report.by == .group {
                    figures = [RoundedFigures(currency: options.unassignedCurrency, proForma: .zero, awsCost: .zero)]
                }
                for unit in figures {
                    switch report.by {
                    case .group:
                        rows.append(
                            (
                                MarginRow(
                                    period: period, group: nil, key: nil, currency: unit.currency, proForma: .zero,
                                    awsCost: unit.awsCost.exact),
                                [.zero.rounded(scale: unit.places), unit.awsCost.rounded]
                            ))
                    case .service, .account:
                        var sums: [String: ExactDecimal] = [:]
                        for line in result.unassigned
                        where line.key.period == period && line.key.category != .tax
                            && (line.key.currency.isEmpty ? options.unassignedCurrency : line.key.currency)
                                == unit.currency
                        {
                            sums[report.by == .service ? line.key.service : line.key.account, default: .zero] +=
                                line.figures.actualCost
                        }
                        let keys = sums.keys.sorted()
                        let aws = Allocation.split(
                            unit.awsCost.rounded, like: keys.map { sums[$0] ?? .zero }, places: unit.places)
                        for (index, key) in keys.enumerated() {
                            rows.append(
                                (
                                    MarginRow(
                                        period: period, group: nil, key: key, currency: unit.currency,
                                        proForma: .zero, awsCost: sums[key] ?? .zero),
                                    [ExactDecimal.zero.rescaledReportingOverflow(to: unit.places) ?? .zero, aws[index]]
                                ))
                        }
                    }
                }
            }
            let order = rows.indices.sorted { i, j in
                let a = rows[i].row
                let b = rows[j].row
                if a.period != b.period { return a.period < b.period }
                if (a.group == nil) != (b.group == nil) { return b.group == nil }
                if a.group != b.group { return (a.group ?? "") < (b.group ?? "") }
                return i < j  // keep the order within a group
            }
            self.rows = order.map { rows[$0].row }
            columns = Columns(
                currencies: order.map { rows[$0].row.currency },
                exact: order.map { [rows[$0].row.proForma, rows[$0].row.awsCost] }, shown: order.map { rows[$0].shown },
                columns: 2)
            var data: [String: ExactDecimal] = [:]
            for row in result.dataTotals where options.includes(row.key.period) && row.key.category != .tax {
                data[row.key.currency.isEmpty ? options.unassignedCurrency : row.key.currency, default: .zero] +=
                    row.figures.actualCost
            }
            var reported: [String: ExactDecimal] = [:]
            for (row, _) in rows { reported[row.currency, default: .zero] += row.awsCost }
            checks = Set(data.keys).union(reported.keys).sorted().map {
                ($0, data[$0] ?? .zero, reported[$0] ?? .zero)
            }
        }

        /// Real services and accounts first, by name; the custom line items pseudo-service last.
        static func sortKey(_ key: String, _ by: MarginBreakdown) -> (Int, String) {
            (by == .service && key == customLineItemsService ? 1 : 0, key)
        }
    }

    static func marginKeyTitle(_ by: MarginBreakdown) -> String? {
        switch by {
        case .group: nil
        case .service: "Service"
        case .account: "Account"
        }
    }

    static func marginText(_ report: MarginReport, _ table: MarginTable) -> String {
        let options = report.options
        let keyTitle = marginKeyTitle(report.by)
        var output = "Margin report by \(report.by.rawValue): \(periodsText(periods(report.result, options)))\n\n"
        var text = TextTable(
            [.left, .left] + (keyTitle == nil ? [] : [.left]) + [.left, .right, .right, .right, .right])
        text.add(
            ["Period", "Group"] + (keyTitle.map { [$0] } ?? []) + [
                "Currency", "Pro forma", "AWS cost", "Margin", "Margin %",
            ])
        text.rule()
        for (row, shown) in zip(table.rows, table.columns.shown) {
            let key = row.key.map { report.by == .account ? accountLabel($0, options) : $0 }
            text.add(
                [row.period.description, row.group ?? unassignedGroup] + (keyTitle == nil ? [] : [key ?? ""]) + [
                    row.currency, grouped(shown[0], row.currency), grouped(shown[1], row.currency),
                    grouped(shown[0] - shown[1], row.currency),
                    percentText(marginPercentage(row.margin, row.proForma), options),
                ])
        }
        text.rule()
        for total in table.columns.totals {
            text.add(
                ["Total", ""] + (keyTitle == nil ? [] : [""]) + [
                    total.currency, grouped(total.shown[0], total.currency), grouped(total.shown[1], total.currency),
                    grouped(total.shown[0] - total.shown[1], total.currency),
                    percentText(marginPercentage(total.exact[0] - total.exact[1], total.exact[0]), options),
                ])
        }
        output += text.render() + "\n"
        output += marginTrendText(report, table)
        output += roundingNote(options) + "\n"
        output +=
            "Unassigned: accounts in no billing group; their AWS cost is not billed, so it counts against the margin.\n"
        output += checkText(table) + "\n"
        if let provenance = options.provenance { output += "\n" + provenanceText(provenance) }
        return output
    }

    /// Over several periods, each group's margin shown per period as a sparkline (from its lowest to its highest
    /// margin), with its first and last margin; nothing for one period.
    static func marginTrendText(_ report: MarginReport, _ table: MarginTable) -> String {
        let periods = periods(report.result, report.options)
        guard periods.count > 1, let first = periods.first, let last = periods.last else { return "" }
        var text = TextTable([.left, .left, .left, .right, .right])
        text.add(["Group", "Currency", "Margin trend", first.description, last.description])
        text.rule()
        for series in marginSeries(table, periods: periods) {
            text.add([
                series.group ?? unassignedGroup, series.currency,
                report.options.textGraphics.sparkline(series.margins),
                grouped(series.margins.first ?? .zero, series.currency),
                grouped(series.margins.last ?? .zero, series.currency),
            ])
        }
        return "Margin by month, \(first) to \(last):\n\n" + text.render() + "\n"
    }

    /// Each group's (and the unassigned accounts') shown figures per period and currency: the sums of its rows shown
    /// (its figures as every document shows them), 0 in a period without rows. Groups by name, the unassigned last.
    static func marginSeries(_ table: MarginTable, periods: [BillingPeriod]) -> [(
        group: String?, currency: String, proForma: [ExactDecimal], awsCost: [ExactDecimal], margins: [ExactDecimal]
    )] {
        struct Key: Hashable {
            var group: String?
            var currency: String
        }
        var sums: [Key: [BillingPeriod: [ExactDecimal]]] = [:]
        for (row, shown) in zip(table.rows, table.columns.shown) {
            let key = Key(group: row.group, currency: row.currency)
            let current = sums[key]?[row.period] ?? [.zero, .zero]
            sums[key, default: [:]][row.period] = [current[0] + shown[0], current[1] + shown[1]]
        }
        let keys = sums.keys.sorted { a, b in
            if (a.group == nil) != (b.group == nil) { return b.group == nil }
            return (a.group ?? "", a.currency) < (b.group ?? "", b.currency)
        }
        return keys.map { key in
            let places = CurrencyMinorUnits.places(for: key.currency)
            let zero = ExactDecimal.zero.rescaled(to: places)
            let values = periods.map { sums[key]?[$0] ?? [zero, zero] }
            return (
                key.group, key.currency, values.map { $0[0] }, values.map { $0[1] }, values.map { $0[0] - $0[1] }
            )
        }
    }

    static func checkText(_ table: MarginTable) -> String {
        let currencies = table.checks.map(\.currency)
        if table.addsUp {
            let each = currencies.count > 1 ? " in each currency (\(currencies.joined(separator: ", ")))" : ""
            return
                "Check: the AWS cost of the groups and the unassigned accounts adds up to the data's AWS cost (tax excluded)\(each)."
        }
        let differences = table.checks.filter { $0.data != $0.reported }.map {
            "\($0.currency) \($0.reported.normalized) against \($0.data.normalized)"
        }
        return
            "Check FAILED: the AWS cost of the groups and the unassigned accounts differs from the data's AWS cost (tax excluded): \(differences.joined(separator: "; ")). This is a bug; please report it."
    }

    static let marginFigureColumns = [
        "currency", "pro_forma", "aws_cost", "margin", "margin_percentage", "pro_forma_exact", "aws_cost_exact",
        "margin_exact",
    ]

    /// One row per figure row, no total row: `row_type` says whether a row is a billing group's (`billing_group`)
    /// or the unassigned accounts' (`unassigned`); the totals are in `marginTotalsCSV` and the JSON.
    static func marginCSV(_ report: MarginReport, _ table: MarginTable) -> String {
        let options = report.options
        let keyColumns: [String] =
            switch report.by {
            case .group: []
            case .service: ["service"]
            case .account: ["account_id", "account_name"]
            }
        var output = CSV.row(
            (["row_type", "period", "billing_group"] + keyColumns + marginFigureColumns + provenanceColumns(options))
                .map { .text($0) })
        for (row, shown) in zip(table.rows, table.columns.shown) {
            var keyCells: [CSV.Cell] = []
            switch report.by {
            case .group: break
            case .service: keyCells = [.text(row.key ?? "")]
            case .account:
                keyCells = [
                    .text(row.key ?? ""), row.key.flatMap { options.accountNames[$0] }.map { .text($0) } ?? .empty,
                ]
            }
            output += CSV.row(
                [
                    .text(row.group == nil ? "unassigned" : "billing_group"), .text(row.period.description),
                    row.group.map { .text($0) } ?? .empty,
                ] + keyCells
                    + marginFigureCells(
                        currency: row.currency, exact: [row.proForma, row.awsCost], shown: shown, options: options)
                    + provenanceCells(options))
        }
        return output
    }

    /// The currency, the shown figures, the margin % and the exact figures of a margin row or total.
    static func marginFigureCells(
        currency: String, exact: [ExactDecimal], shown: [ExactDecimal], options: CostReportOptions
    ) -> [CSV.Cell] {
        let margin = exact[0] - exact[1]
        let percentage = MoneyText.percentage(marginPercentage(margin, exact[0]), rounding: options.rounding)
        return [
            .text(currency), .number(plain(shown[0], currency)), .number(plain(shown[1], currency)),
            .number(plain(shown[0] - shown[1], currency)), percentage.map { .number($0) } ?? .empty,
            .number(Self.exact(exact[0], currency)), .number(Self.exact(exact[1], currency)),
            .number(Self.exact(margin, currency)),
        ]
    }

    /// The margin report's totals as CSV: one row per currency, the columns of `marginCSV`'s figures. Each total is
    /// the sum of that currency's rows in `marginCSV`.
    public static func totalsCSV(_ report: MarginReport) -> String {
        let table = MarginTable(report)
        let options = report.options
        var output = CSV.row((marginFigureColumns + provenanceColumns(options)).map { .text($0) })
        for total in table.columns.totals {
            output += CSV.row(
                marginFigureCells(currency: total.currency, exact: total.exact, shown: total.shown, options: options)
                    + provenanceCells(options))
        }
        return output
    }

    static func provenanceColumns(_ options: CostReportOptions) -> [String] {
        options.provenance == nil
            ? [] : ["configuration_revision", "configuration_commit", "usage_files", "tool_version"]
    }

    static func provenanceCells(_ options: CostReportOptions) -> [CSV.Cell] {
        guard let provenance = options.provenance else { return [] }
        return [
            provenance.revision.map { .text($0) } ?? .empty, provenance.commit.map { .text($0) } ?? .empty,
            .text(provenance.usageFiles.joined(separator: "; ")), .text(provenance.toolVersion),
        ]
    }

    static func figures(_ exactValue: ExactDecimal, _ shown: ExactDecimal, _ name: String, _ currency: String)
        -> [String: JSONValue]
    {
        [name: .string(exact(exactValue, currency)), name + "_rounded": .string(plain(shown, currency))]
    }

    static func percentageJSON(_ value: ExactDecimal?, _ options: CostReportOptions) -> [String: JSONValue] {
        [
            "margin_percentage": value.map { .string($0.normalized.description) } ?? .null,
            "margin_percentage_rounded": MoneyText.percentage(value, rounding: options.rounding).map { .string($0) }
                ?? .null,
        ]
    }

    static func marginJSON(_ report: MarginReport, _ table: MarginTable) -> JSONValue {
        let options = report.options
        let rows: [JSONValue] = zip(table.rows, table.columns.shown).map { row, shown in
            var members: [String: JSONValue] = [
                "period": .string(row.period.description), "billing_group": .string(row.group),
                "unassigned": .bool(row.group == nil), "currency": .string(row.currency),
            ]
            switch report.by {
            case .group: break
            case .service: members["service"] = .string(row.key)
            case .account:
                members["account_id"] = .string(row.key)
                members["account_name"] = .string(row.key.flatMap { options.accountNames[$0] })
            }
            members.merge(figures(row.proForma, shown[0], "pro_forma", row.currency)) { a, _ in a }
            members.merge(figures(row.awsCost, shown[1], "aws_cost", row.currency)) { a, _ in a }
            members.merge(figures(row.margin, shown[0] - shown[1], "margin", row.currency)) { a, _ in a }
            members.merge(percentageJSON(marginPercentage(row.margin, row.proForma), options)) { a, _ in a }
            return .object(members)
        }
        let totals: [JSONValue] = table.columns.totals.map { total in
            let margin = total.exact[0] - total.exact[1]
            var members: [String: JSONValue] = ["currency": .string(total.currency)]
            members.merge(figures(total.exact[0], total.shown[0], "pro_forma", total.currency)) { a, _ in a }
            members.merge(figures(total.exact[1], total.shown[1], "aws_cost", total.currency)) { a, _ in a }
            members.merge(figures(margin, total.shown[0] - total.shown[1], "margin", total.currency)) { a, _ in a }
            members.merge(percentageJSON(marginPercentage(margin, total.exact[0]), options)) { a, _ in a }
            return .object(members)
        }
        return .object([
            "format_version": .int(1),
            "kind": .string("margin_report"),
            "by": .string(report.by.rawValue),
            "periods": .array(periods(report.result, options).map { .string($0.description) }),
            "rounding": .string(options.rounding.rawValue),
            "rows": .array(rows),
            "totals": .array(totals),
            "check": .object([
                "adds_up": .bool(table.addsUp),
                "currencies": .array(
                    table.checks.map { check in
                        .object([
                            "currency": .string(check.currency),
                            "data_aws_cost": .string(check.data.normalized.description),
                            "reported_aws_cost": .string(check.reported.normalized.description),
                            "adds_up": .bool(check.data == check.reported),
                        ])
                    }),
            ]),
            "provenance": options.provenance?.json ?? .null,
        ])
    }

    // MARK: - Costs report

    struct CostsRow {
        var values: [String]
        var currency: String
        var proForma: ExactDecimal = .zero
        var awsCost: ExactDecimal = .zero
        var publicCost: ExactDecimal = .zero
        var lines = 0
    }

    struct CostsTable {
        var rows: [CostsRow]
        var columns: Columns

        init(_ report: CostsReport) {
            let options = report.options
            let dimensions = report.groupBy
            var sums: [[String]: CostsRow] = [:]
            var shown: [[String]: [ExactDecimal]] = [:]
            // One unit per group and period, and per period and currency for the accounts in no group: its figures
            // are rounded once and split over its rows.
            var unit = Unit(columns: 3)
            func add(
                group: String, account: String, service: String, lineType: String, category: String,
                period: BillingPeriod,
                currency: String, proForma: ExactDecimal, aws: ExactDecimal, publicCost: ExactDecimal, lines: Int
            ) {
                let values = dimensions.map { dimension in
                    switch dimension {
                    case .group: group
                    case .account: account
                    case .service: service
                    case .lineType: lineType
                    case .category: category
                    case .period: period.description
                    }
                }
                let key = values + [currency]
                var row = sums[key] ?? CostsRow(values: values, currency: currency)
                row.proForma += proForma
                row.awsCost += aws
                row.publicCost += publicCost
                row.lines += lines
                sums[key] = row
                unit.add(key, [proForma, aws, publicCost])
            }
            func close(_ targets: [ExactDecimal], places: Int) {
                for (key, values) in unit.split(targets, places: places) {
                    let current = shown[key] ?? Array(repeating: .zero, count: 3)
                    shown[key] = zip(current, values).map { $0 + $1 }
                }
                unit = Unit(columns: 3)
            }
            for group in report.result.groups where options.includes(group.period) {
                var publicCost = ExactDecimal.zero
                for row in group.rows where row.key.category != .tax {
                    add(
                        group: group.group, account: row.key.account, service: row.key.service,
                        lineType: row.key.lineItemType, category: row.key.category.rawValue, period: row.key.period,
                        currency: group.currency, proForma: row.key.category.isCounted ? row.figures.proForma : .zero,
                        aws: row.figures.actualCost, publicCost: row.figures.publicCost, lines: row.figures.lines)
                    publicCost += row.figures.publicCost
                }
                for charge in group.customLineItems {
                    add(
                        group: group.group, account: charge.account, service: customLineItemsService,
                        lineType: customLineItemType, category: customLineItemCategory, period: group.period,
                        currency: group.currency, proForma: charge.amount, aws: .zero, publicCost: .zero, lines: 0)
                }
                let figures = group.figures(rounding: options.rounding)
                close(
                    [
                        figures.proForma.rounded, figures.awsCost.rounded,
                        publicCost.rounded(scale: figures.places, options.rounding),
                    ], places: figures.places)
            }
            let unassignedPeriods = Set(report.result.unassigned.map(\.key.period)).filter(options.includes).sorted()
            for period in unassignedPeriods {
                for figures in report.result.unassignedFigures(
                    period: period, rounding: options.rounding, fallbackCurrency: options.unassignedCurrency)
                {
                    var publicCost = ExactDecimal.zero
                    for row in report.result.unassigned
                    where row.key.period == period && row.key.category != .tax
                        && (row.key.currency.isEmpty ? options.unassignedCurrency : row.key.currency)
                            == figures.currency
                    {
                        add(
                            group: unassignedGroup, account: row.key.account, service: row.key.service,
                            lineType: row.key.lineItemType, category: row.key.category.rawValue,
                            period: row.key.period, currency: figures.currency, proForma: .zero,
                            aws: row.figures.actualCost, publicCost: row.figures.publicCost, lines: row.figures.lines)
                        publicCost += row.figures.publicCost
                    }
                    close(
                        [
                            ExactDecimal.zero.rounded(scale: figures.places), figures.awsCost.rounded,
                            publicCost.rounded(scale: figures.places, options.rounding),
                        ], places: figures.places)
                }
            }
            let keys = sums.sorted { a, b in
                let rowA = a.value
                let rowB = b.value
                for (index, dimension) in dimensions.enumerated() where rowA.values[index] != rowB.values[index] {
                    return Self.sortKey(rowA.values[index], dimension) < Self.sortKey(rowB.values[index], dimension)
                }
                return rowA.currency < rowB.currency
            }.map(\.key)
            rows = keys.compactMap { sums[$0] }
            columns = Columns(
                currencies: rows.map(\.currency), exact: rows.map { [$0.proForma, $0.awsCost, $0.publicCost] },
                shown: keys.map { key in
                    (shown[key] ?? Array(repeating: .zero, count: 3)).map {
                        $0.rescaledReportingOverflow(to: max($0.scale, CurrencyMinorUnits.places(for: key.last ?? "")))
                            ?? $0
                    }
                }, columns: 3)
        }

        /// Values sort by name, categories in their order of §3; the pseudo values `(unassigned)` and
        /// `(custom line items)` come after the real ones.
        static func sortKey(_ value: String, _ dimension: CostDimension) -> (Int, Int, String) {
            switch dimension {
            case .group where value == unassignedGroup: return (1, 0, value)
            case .service where value == customLineItemsService: return (1, 0, value)
            case .lineType where value == customLineItemType: return (1, 0, value)
            case .category:
                if let category = LineCategory(rawValue: value) {
                    return (0, LineCategory.allCases.firstIndex(of: category) ?? 0, value)
                }
                return (1, 0, value)
            default: return (0, 0, value)
            }
        }
    }

    static func costsTitle(_ report: CostsReport) -> String {
        let by = report.groupBy.isEmpty ? "" : " by " + report.groupBy.map(\.rawValue).joined(separator: ", ")
        return "Costs\(by): \(periodsText(periods(report.result, report.options)))"
    }

    static func costsText(_ report: CostsReport, _ table: CostsTable) -> String {
        let options = report.options
        var output = costsTitle(report) + "\n\n"
        let dimensions = report.groupBy
        let shares = !dimensions.isEmpty
        var text = TextTable(
            dimensions.map { _ in .left } + [.left, .right, .right, .right, .right] + (shares ? [.left] : []))
        text.add(
            dimensions.map(\.title) + ["Currency", "Pro forma", "AWS cost", "Public cost", "Lines"]
                + (shares ? ["Share of pro forma"] : []))
        text.rule()
        let totals = Dictionary(
            table.columns.totals.map { ($0.currency, $0.shown[0]) }, uniquingKeysWith: { a, _ in a })
        for (row, shown) in zip(table.rows, table.columns.shown) {
            let values = zip(dimensions, row.values).map { dimension, value in
                dimension == .account ? accountLabel(value, options) : value
            }
            text.add(
                values + [
                    row.currency, grouped(shown[0], row.currency), grouped(shown[1], row.currency),
                    grouped(shown[2], row.currency), String(row.lines),
                ] + (shares ? [shareText(shown[0], of: totals[row.currency] ?? .zero, options.textGraphics)] : []))
        }
        if !dimensions.isEmpty { text.rule() }
        for total in table.columns.totals {
            let lines = table.rows.filter { $0.currency == total.currency }.map(\.lines).reduce(0, +)
            text.add(
                (dimensions.isEmpty ? [] : ["Total"] + dimensions.dropFirst().map { _ in "" }) + [
                    total.currency, grouped(total.shown[0], total.currency), grouped(total.shown[1], total.currency),
                    grouped(total.shown[2], total.currency), String(lines),
                ])
        }
        output += text.render() + "\n"
        output += "AWS cost is the actual cost without tax. " + roundingNote(options) + "\n"
        if let provenance = options.provenance { output += "\n" + provenanceText(provenance) }
        return output
    }

    static let costsFigureColumns = [
        "currency", "pro_forma", "aws_cost", "public_cost", "lines", "pro_forma_exact", "aws_cost_exact",
        "public_cost_exact",
    ]

    /// One row per figure row, no total row (`totalsCSV` writes them): every row is a sum of one kind, by the
    /// report's dimensions.
    static func costsCSV(_ report: CostsReport, _ table: CostsTable) -> String {
        let options = report.options
        var output = CSV.row(
            (report.groupBy.map(\.rawValue) + costsFigureColumns + provenanceColumns(options)).map { .text($0) })
        for (row, shown) in zip(table.rows, table.columns.shown) {
            output += CSV.row(
                row.values.map { .text($0) }
                    + costsFigureCells(
                        currency: row.currency, exact: [row.proForma, row.awsCost, row.publicCost], shown: shown,
                        lines: row.lines)
                    + provenanceCells(options))
        }
        return output
    }

    static func costsFigureCells(currency: String, exact: [ExactDecimal], shown: [ExactDecimal], lines: Int)
        -> [CSV.Cell]
    {
        [
            .text(currency), .number(plain(shown[0], currency)), .number(plain(shown[1], currency)),
            .number(plain(shown[2], currency)), .number(String(lines)), .number(Self.exact(exact[0], currency)),
            .number(Self.exact(exact[1], currency)), .number(Self.exact(exact[2], currency)),
        ]
    }

    /// The costs report's totals as CSV: one row per currency, the columns of `costsCSV`'s figures. Each total is
    /// the sum of that currency's rows in `costsCSV`.
    public static func totalsCSV(_ report: CostsReport) -> String {
        let table = CostsTable(report)
        let options = report.options
        var output = CSV.row((costsFigureColumns + provenanceColumns(options)).map { .text($0) })
        for total in table.columns.totals {
            let lines = table.rows.filter { $0.currency == total.currency }.map(\.lines).reduce(0, +)
            output += CSV.row(
                costsFigureCells(currency: total.currency, exact: total.exact, shown: total.shown, lines: lines)
                    + provenanceCells(options))
        }
        return output
    }

    /// A row's share of its currency's pro forma total, as a bar of 10 cells and a percentage to one place; empty
    /// when the total is not positive.
    static func shareText(_ value: ExactDecimal, of total: ExactDecimal, _ graphics: TextGraphics) -> String {
        guard total > .zero, let share = value.divided(by: total, scale: 6) else { return "" }
        let percent = (value * .hundred).divided(by: total, scale: 1)?.description ?? ""
        return graphics.bar(share, width: 10) + " " + percent + "%"
    }

    static func costsJSON(_ report: CostsReport, _ table: CostsTable) -> JSONValue {
        let options = report.options
        let rows: [JSONValue] = zip(table.rows, table.columns.shown).map { row, shown in
            var members: [String: JSONValue] = [
                "dimensions": .object(
                    Dictionary(
                        uniqueKeysWithValues: zip(report.groupBy.map(\.rawValue), row.values.map { .string($0) }))),
                "currency": .string(row.currency), "lines": .int(row.lines),
            ]
            members.merge(figures(row.proForma, shown[0], "pro_forma", row.currency)) { a, _ in a }
            members.merge(figures(row.awsCost, shown[1], "aws_cost", row.currency)) { a, _ in a }
            members.merge(figures(row.publicCost, shown[2], "public_cost", row.currency)) { a, _ in a }
            return .object(members)
        }
        let totals: [JSONValue] = table.columns.totals.map { total in
            var members: [String: JSONValue] = [
                "currency": .string(total.currency),
                "lines": .int(table.rows.filter { $0.currency == total.currency }.map(\.lines).reduce(0, +)),
            ]
            members.merge(figures(total.exact[0], total.shown[0], "pro_forma", total.currency)) { a, _ in a }
            members.merge(figures(total.exact[1], total.shown[1], "aws_cost", total.currency)) { a, _ in a }
            members.merge(figures(total.exact[2], total.shown[2], "public_cost", total.currency)) { a, _ in a }
            return .object(members)
        }
        return .object([
            "format_version": .int(1),
            "kind": .string("costs_report"),
            "group_by": .array(report.groupBy.map { .string($0.rawValue) }),
            "periods": .array(periods(report.result, options).map { .string($0.description) }),
            "rounding": .string(options.rounding.rawValue),
            "rows": .array(rows),
            "totals": .array(totals),
            "provenance": options.provenance?.json ?? .null,
        ])
    }
}

import ProformaCore
import ProformaEngine
import ProformaModel

/// A parent group's consolidated invoice for one period: a section per child (billing groups and parent groups, to
/// any depth), each billing group's invoice in full. Every total is the sum of its children's totals as their own
/// invoices show them, so the parent's total equals the sum of its billing groups' invoices exactly.
public struct ParentInvoiceDocument: Sendable, Hashable {
    public indirect enum Child: Sendable, Hashable {
        case group(InvoiceDocument)
        case parent(ParentInvoiceDocument)

        public var name: String {
            switch self {
            case .group(let document): document.result.group
            case .parent(let document): document.name
            }
        }

        /// The child's total as its own invoice shows it.
        public var total: ExactDecimal {
            switch self {
            case .group(let document):
                document.result.figures(places: document.currencyPlaces, rounding: document.rounding).proForma.rounded
            case .parent(let document): document.total
            }
        }

        /// The billing groups' invoices at and below it, in order.
        public var invoices: [InvoiceDocument] {
            switch self {
            case .group(let document): [document]
            case .parent(let document): document.invoices
            }
        }
    }

    public var name: String
    public var description: String?
    public var period: BillingPeriod
    public var currency: String
    /// Sorted by name.
    public var children: [Child]
    public var provenance: Provenance

    public init(
        name: String, description: String?, period: BillingPeriod, currency: String, children: [Child],
        provenance: Provenance
    ) {
        self.name = name
        self.description = description
        self.period = period
        self.currency = currency
        self.children = children
        self.provenance = provenance
    }

    public var places: Int { CurrencyMinorUnits.places(for: currency) }

    /// Σ the children's totals as shown.
    public var total: ExactDecimal {
        let sum = children.map(\.total).sum()
        return sum.rescaledReportingOverflow(to: max(sum.scale, places)) ?? sum
    }

    /// Every billing group's invoice below it, depth first in name order.
    public var invoices: [InvoiceDocument] { children.flatMap(\.invoices) }

    /// The summary rows: each child, indented by its depth below this parent.
    var summary: [(depth: Int, name: String, isParent: Bool, total: ExactDecimal)] {
        var rows: [(Int, String, Bool, ExactDecimal)] = []
        func walk(_ children: [Child], depth: Int) {
            for child in children {
                switch child {
                case .group:
                    rows.append((depth, child.name, false, child.total))
                case .parent(let document):
                    rows.append((depth, child.name, true, child.total))
                    walk(document.children, depth: depth + 1)
                }
            }
        }
        walk(children, depth: 0)
        return rows
    }
}

public enum ParentInvoiceRenderer {
    public static func render(_ document: ParentInvoiceDocument, as format: InvoiceFormat) -> String {
        switch format {
        case .text: text(document)
        case .markdown: markdown(document)
        case .csv: csv(document)
        case .json: JSONWriter.write(json(document))
        case .html, .pdf: html(document)
        }
    }

    static func money(_ value: ExactDecimal, _ document: ParentInvoiceDocument) -> String {
        MoneyText.grouped(value, places: document.places)
    }

    static func text(_ document: ParentInvoiceDocument) -> String {
        var output = "CONSOLIDATED PRO FORMA INVOICE\n\n"
        var header = TextTable([.left, .left])
        header.add(["Parent group", document.name])
        if let description = document.description, !description.isEmpty { header.add(["Description", description]) }
        header.add(["Period", document.period.description])
        header.add(["Currency", document.currency])
        output += header.render() + "\n"
        var table = TextTable([.left, .left, .right])
        table.add(["Billing group", "Kind", "Total"])
        table.rule()
        for row in document.summary {
            table.add([
                String(repeating: "  ", count: row.depth) + row.name, row.isParent ? "parent" : "billing group",
                money(row.total, document),
            ])
        }
        table.rule()
        table.add(["Total", "", money(document.total, document)])
        output += table.render() + "\n"
        output +=
            "Each total is the sum of its children's totals as their own invoices show them; each billing group's invoice follows.\n"
        for invoice in document.invoices {
            output += "\n" + String(repeating: "=", count: 72) + "\n\n"
            output += InvoiceRenderer.render(invoice, as: .text)
        }
        return output
    }

    static func markdown(_ document: ParentInvoiceDocument) -> String {
        var output = "# Consolidated pro forma invoice: \(Markdown.code(document.name))\n\n"
        if let description = document.description, !description.isEmpty {
            output += Markdown.text(description) + "\n\n"
        }
        output +=
            "Period \(Markdown.code(document.period.description)), currency \(Markdown.code(document.currency))\n\n"
        output += "| Billing group | Kind | Total |\n|---|---|---:|\n"
        for row in document.summary {
            let indent = String(repeating: "&nbsp;&nbsp;", count: row.depth)
            output +=
                "| \(indent)\(Markdown.code(row.name)) | \(row.isParent ? "parent" : "billing group") | \(money(row.total, document)) |\n"
        }
        output += "| **Total** | | **\(money(document.total, document))** |\n"
        for invoice in document.invoices {
            output += "\n---\n\n" + InvoiceRenderer.render(invoice, as: .markdown)
        }
        return output
    }

    static func csv(_ document: ParentInvoiceDocument) -> String {
        var output = CSV.row(
            ["record", "parent_group", "period", "currency", "name", "kind", "depth", "total"].map { .text($0) })
        let head: [CSV.Cell] = [.text(document.name), .text(document.period.description), .text(document.currency)]
        for row in document.summary {
            output += CSV.row(
                [.text("child")] + head + [
                    .text(row.name), .text(row.isParent ? "parent" : "billing_group"), .number(String(row.depth)),
                    .number(MoneyText.plain(row.total, places: document.places)),
                ])
        }
        output += CSV.row(
            [.text("total")] + head + [
                .empty, .empty, .empty, .number(MoneyText.plain(document.total, places: document.places)),
            ])
        return output
    }

    static func json(_ document: ParentInvoiceDocument) -> JSONValue {
        func node(_ document: ParentInvoiceDocument) -> [String: JSONValue] {
            [
                "name": .string(document.name),
                "description": document.description.map { .string($0) } ?? .null,
                "total": .string(MoneyText.plain(document.total, places: document.places)),
                "children": .array(
                    document.children.map { child in
                        switch child {
                        case .group(let invoice):
                            return .object([
                                "kind": .string("billing_group"), "name": .string(child.name),
                                "total": .string(MoneyText.plain(child.total, places: document.places)),
                                "invoice": InvoiceRenderer.json(invoice, InvoiceLayout(invoice)),
                            ])
                        case .parent(let parent):
                            var members = node(parent)
                            members["kind"] = .string("parent")
                            return .object(members)
                        }
                    }),
            ]
        }
        var members = node(document)
        members["format_version"] = .int(1)
        members["kind"] = .string("parent")
        members["period"] = .string(document.period.description)
        members["currency"] = .string(document.currency)
        members["provenance"] = document.provenance.json
        return .object(members)
    }

    static func html(_ document: ParentInvoiceDocument) -> String {
        let e = HTML.escape
        var output = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Consolidated pro forma invoice: \(e(document.name)), \(e(document.period.description))</title>
            <style>
            \(InvoiceRenderer.css)
            </style>
            </head>
            <body>
            <h1>Consolidated pro forma invoice: \(e(document.name))</h1>

            """
        if let description = document.description, !description.isEmpty {
            output += "<p class=\"description\">\(e(description))</p>\n"
        }
        output += "<p>Period \(e(document.period.description)), currency \(e(document.currency))</p>\n"
        output +=
            "<table class=\"lines\">\n<thead><tr><th>Billing group</th><th>Kind</th><th class=\"amount\">Total</th></tr></thead>\n<tbody>\n"
        for row in document.summary {
            let indent = String(repeating: "&nbsp;&nbsp;&nbsp;&nbsp;", count: row.depth)
            output +=
                "<tr><td>\(indent)\(e(row.name))</td><td>\(row.isParent ? "parent" : "billing group")</td><td class=\"amount\">\(e(money(row.total, document)))</td></tr>\n"
        }
        output +=
            "</tbody>\n<tfoot><tr><th scope=\"row\">Total</th><td></td><td class=\"amount\">\(e(money(document.total, document)))</td></tr></tfoot>\n</table>\n"
        for invoice in document.invoices {
            // Each billing group's invoice as its own page would show it, between this page's head and foot.
            let page = InvoiceRenderer.render(invoice, as: .html)
            if let start = page.range(of: "<body>\n"), let end = page.range(of: "</body>", options: .backwards) {
                output += "<section class=\"child\">\n" + page[start.upperBound..<end.lowerBound] + "</section>\n"
            }
        }
        output += "</body>\n</html>\n"
        return output
    }
}

/// The margin report rolled up the billing hierarchy: each billing group to its direct parent (a group without a
/// parent stays itself), plus the unassigned accounts. A parent's figures are the sums of its groups' figures as
/// their invoices and the margin report show them, so the rows add up to the same totals as the report by group.
public struct HierarchyMarginReport: Sendable, Hashable {
    public struct Row: Sendable, Hashable {
        public var period: BillingPeriod
        /// The parent (or the group itself); nil for accounts in no group.
        public var name: String?
        public var isParent: Bool
        /// The billing groups rolled into it, by name.
        public var groups: [String]
        public var currency: String
        /// Sums of the groups' figures as shown.
        public var proForma: ExactDecimal
        public var awsCost: ExactDecimal
        /// Exact sums, for the margin %.
        public var proFormaExact: ExactDecimal
        public var awsCostExact: ExactDecimal
    }

    public var rows: [Row]
    public var options: CostReportOptions

    public init(result: BillingResult, configuration: Configuration, options: CostReportOptions = CostReportOptions()) {
        self.init(result: result, configurations: { _ in configuration }, options: options)
    }

    /// `configurations` gives the configuration that priced each period (their hierarchies may differ).
    public init(
        result: BillingResult, configurations: (BillingPeriod) -> Configuration,
        options: CostReportOptions = CostReportOptions()
    ) {
        self.options = options
        var parents: [BillingPeriod: [String: String?]] = [:]
        for period in Set(result.groups.map(\.period)) {
            parents[period] = Dictionary(
                configurations(period).billingGroups.map { ($0.name, $0.parent) }, uniquingKeysWith: { a, _ in a })
        }
        var rows: [String: Row] = [:]
        for group in result.groups where options.includes(group.period) {
            let parent = parents[group.period]?[group.group] ?? nil
            let name = parent ?? group.group
            let figures = group.figures(rounding: options.rounding)
            let key = "\(group.period)\u{1F}\(name)\u{1F}\(group.currency)"
            var row =
                rows[key]
                ?? Row(
                    period: group.period, name: name, isParent: parent != nil, groups: [], currency: group.currency,
                    proForma: .zero, awsCost: .zero, proFormaExact: .zero, awsCostExact: .zero)
            row.groups.append(group.group)
            row.proForma += figures.proForma.rounded
            row.awsCost += figures.awsCost.rounded
            row.proFormaExact += group.proFormaCost
            row.awsCostExact += group.awsCost
            rows[key] = row
        }
        var sorted = rows.values.sorted {
            ($0.period, $0.name ?? "", $0.currency) < ($1.period, $1.name ?? "", $1.currency)
        }
        let periods = options.period.map { [$0] } ?? result.periods
        for period in periods {
            for unit in result.unassignedFigures(
                period: period, rounding: options.rounding, fallbackCurrency: options.unassignedCurrency)
            {
                sorted.append(
                    Row(
                        period: period, name: nil, isParent: false, groups: [], currency: unit.currency,
                        proForma: .zero, awsCost: unit.awsCost.rounded, proFormaExact: .zero,
                        awsCostExact: unit.awsCost.exact))
            }
        }
        self.rows = sorted
    }

    /// Per currency (sorted): Σ shown pro forma, Σ shown AWS cost, and the exact sums.
    var totals: [(currency: String, proForma: ExactDecimal, awsCost: ExactDecimal, exact: (ExactDecimal, ExactDecimal))]
    {
        Set(rows.map(\.currency)).sorted().map { currency in
            let mine = rows.filter { $0.currency == currency }
            return (
                currency, mine.map(\.proForma).sum(), mine.map(\.awsCost).sum(),
                (mine.map(\.proFormaExact).sum(), mine.map(\.awsCostExact).sum())
            )
        }
    }
}

public enum HierarchyReportRenderer {
    static func money(_ value: ExactDecimal, _ currency: String) -> String {
        MoneyText.grouped(value, places: CurrencyMinorUnits.places(for: currency))
    }

    static func plain(_ value: ExactDecimal, _ currency: String) -> String {
        MoneyText.plain(value, places: CurrencyMinorUnits.places(for: currency))
    }

    static func percentage(_ proForma: ExactDecimal, _ aws: ExactDecimal, _ options: CostReportOptions) -> String? {
        MoneyText.percentage(
            RoundedFigures.percentage(margin: proForma - aws, of: proForma), rounding: options.rounding)
    }

    /// The totals of the CSV, one row per currency, as `--totals FILE` writes them; the CSV itself has no total row.
    public static func totalsCSV(_ report: HierarchyMarginReport) -> String {
        let options = report.options
        var output = CSV.row(
            (["currency", "pro_forma", "aws_cost", "margin", "margin_percentage"]
                + CostReportRenderer.provenanceColumns(options)).map { .text($0) })
        let provenance = CostReportRenderer.provenanceCells(options)
        for total in report.totals {
            output += CSV.row(
                [
                    .text(total.currency), .number(plain(total.proForma, total.currency)),
                    .number(plain(total.awsCost, total.currency)),
                    .number(plain(total.proForma - total.awsCost, total.currency)),
                    percentage(total.exact.0, total.exact.1, options).map { .number($0) } ?? .empty,
                ] + provenance)
        }
        return output
    }

    /// Text, CSV or JSON; the report commands draw charts by group, service or account only, so `html` and `svg`
    /// are refused before this is called and render the text here.
    public static func render(_ report: HierarchyMarginReport, as format: CostReportFormat) -> String {
        let options = report.options
        switch format {
        case .text, .html, .svg, .costExplorer:
            let periods = Set(report.rows.map(\.period)).sorted().map(\.description).joined(separator: ", ")
            var output = "Margin report by parent: \(periods.isEmpty ? "no period" : periods)\n\n"
            var table = TextTable([.left, .left, .left, .left, .right, .right, .right, .right])
            table.add(["Period", "Parent", "Groups", "Currency", "Pro forma", "AWS cost", "Margin", "Margin %"])
            table.rule()
            for row in report.rows {
                table.add([
                    row.period.description, row.name ?? CostReportRenderer.unassignedGroup,
                    row.isParent ? row.groups.joined(separator: ", ") : "", row.currency,
                    money(row.proForma, row.currency), money(row.awsCost, row.currency),
                    money(row.proForma - row.awsCost, row.currency),
                    percentage(row.proFormaExact, row.awsCostExact, options).map { $0 + "%" } ?? "n/a",
                ])
            }
            table.rule()
            for total in report.totals {
                table.add([
                    "Total", "", "", total.currency, money(total.proForma, total.currency),
                    money(total.awsCost, total.currency), money(total.proForma - total.awsCost, total.currency),
                    percentage(total.exact.0, total.exact.1, options).map { $0 + "%" } ?? "n/a",
                ])
            }
            output += table.render() + "\n"
            output +=
                "Each billing group rolls up to its direct parent (a group without one stays itself); a parent's figures are the sums of its groups' figures as their invoices show them.\n"
            if let provenance = options.provenance { output += "\n" + CostReportRenderer.provenanceText(provenance) }
            return output
        case .csv:
            var output = CSV.row(
                ([
                    "row_type", "period", "parent", "billing_groups", "currency", "pro_forma", "aws_cost", "margin",
                    "margin_percentage",
                ] + CostReportRenderer.provenanceColumns(options)).map { .text($0) })
            let provenance = CostReportRenderer.provenanceCells(options)
            for row in report.rows {
                output += CSV.row(
                    [
                        .text(row.name == nil ? "unassigned" : row.isParent ? "parent" : "group"),
                        .text(row.period.description), row.name.map { .text($0) } ?? .empty,
                        .text(row.groups.joined(separator: " ")), .text(row.currency),
                        .number(plain(row.proForma, row.currency)), .number(plain(row.awsCost, row.currency)),
                        .number(plain(row.proForma - row.awsCost, row.currency)),
                        percentage(row.proFormaExact, row.awsCostExact, options).map { .number($0) } ?? .empty,
                    ] + provenance)
            }
            return output
        case .json:
            var members: [String: JSONValue] = [
                "format_version": .int(1),
                "by": .string("parent"),
                "rows": .array(
                    report.rows.map { row in
                        .object([
                            "period": .string(row.period.description),
                            "parent": row.name.map { .string($0) } ?? .null,
                            "is_parent": .bool(row.isParent), "unassigned": .bool(row.name == nil),
                            "billing_groups": .array(row.groups.map { .string($0) }),
                            "currency": .string(row.currency),
                            "pro_forma": .string(plain(row.proForma, row.currency)),
                            "aws_cost": .string(plain(row.awsCost, row.currency)),
                            "margin": .string(plain(row.proForma - row.awsCost, row.currency)),
                            "margin_percentage": percentage(row.proFormaExact, row.awsCostExact, options).map {
                                .string($0)
                            } ?? .null,
                        ])
                    }),
                "totals": .array(
                    report.totals.map { total in
                        .object([
                            "currency": .string(total.currency),
                            "pro_forma": .string(plain(total.proForma, total.currency)),
                            "aws_cost": .string(plain(total.awsCost, total.currency)),
                            "margin": .string(plain(total.proForma - total.awsCost, total.currency)),
                        ])
                    }),
            ]
            if let provenance = options.provenance { members["provenance"] = provenance.json }
            return JSONWriter.write(.object(members))
        }
    }
}

extension BillingResult {
    /// The result with each billing group named as its direct parent (groups without one keep their names), for the
    /// costs report rolled up the hierarchy: each group's figures are still rounded on their own, then summed.
    public func rolledUpToParents(_ configuration: Configuration) -> BillingResult {
        rolledUpToParents { _ in configuration }
    }

    /// The same, with the configuration that priced each period.
    public func rolledUpToParents(_ configurations: (BillingPeriod) -> Configuration) -> BillingResult {
        var parents: [BillingPeriod: [String: String?]] = [:]
        for period in Set(groups.map(\.period)) {
            parents[period] = Dictionary(
                configurations(period).billingGroups.map { ($0.name, $0.parent) }, uniquingKeysWith: { a, _ in a })
        }
        var copy = self
        for index in copy.groups.indices {
            let group = copy.groups[index]
            if let parent = parents[group.period]?[group.group] ?? nil { copy.groups[index].group = parent }
        }
        return copy
    }
}

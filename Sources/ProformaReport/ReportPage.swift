import ProformaCore
import ProformaEngine

/// The HTML and SVG formats of the margin and costs reports: charts drawn from the figures the report's table shows
/// (sums of its rows shown, never figures computed apart), then the table itself.
///
/// The page is self-contained (no script, no external resource; a Content-Security-Policy that allows neither),
/// printable, and written as well-formed XML (void elements closed, no named entity but XML's), so any XML parser
/// reads it.
extension CostReportRenderer {
    /// A chart of a page: its heading and its SVG.
    struct PageChart {
        var heading: String
        var svg: SVGBuilder
    }

    /// How many services the services chart shows before "other".
    static let topServices = 10

    static func currencySuffix(_ currency: String, _ currencies: [String]) -> String {
        currencies.count > 1 ? " (\(currency))" : ""
    }

    static func rangeText(_ periods: [BillingPeriod]) -> String {
        guard let first = periods.first, let last = periods.last else { return "no period" }
        return first == last ? first.description : "\(first) to \(last)"
    }

    // MARK: - Margin

    static func marginCharts(_ report: MarginReport, _ table: MarginTable) -> [PageChart] {
        let periods = periods(report.result, report.options)
        let labels = periods.map(\.description)
        // Each group's figures: the rows of the report by group (a group's rows by service or account add up to them).
        let groups =
            report.by == .group
            ? table : MarginTable(MarginReport(result: report.result, by: .group, options: report.options))
        let series = marginSeries(groups, periods: periods)
        let currencies = Array(Set(series.map(\.currency))).sorted()
        var charts: [PageChart] = []
        for currency in currencies {
            let mine = series.filter { $0.currency == currency }
            let suffix = currencySuffix(currency, currencies)
            let zeros = periods.map { _ in ExactDecimal.zero }
            let sum = { (values: [[ExactDecimal]]) in
                values.reduce(zeros) { total, next in zip(total, next).map { $0 + $1 } }
            }
            let total = MonthlyPanel(
                title: "Total" + suffix, periods: labels,
                bars: [
                    ChartSeries(name: "Pro forma", className: "pf-pro-forma", values: sum(mine.map(\.proForma))),
                    ChartSeries(name: "AWS cost", className: "pf-aws-cost", values: sum(mine.map(\.awsCost))),
                ],
                line: ChartSeries(name: "Margin", className: "pf-margin", values: sum(mine.map(\.margins))))
            let slug = "margin-\(currency.lowercased())"
            charts.append(
                PageChart(
                    heading: "Total per month" + suffix,
                    svg: ReportCharts.monthly(
                        [total], currency: currency, title: "Pro forma cost, AWS cost and margin per month" + suffix,
                        description:
                            "All billing groups and the unassigned accounts, \(rangeText(periods)), in \(currency): pro forma cost and AWS cost as bars, the margin as a line.",
                        id: slug + "-total", valueLabels: periods.count <= 12)))
            let panels = mine.map { entry in
                MonthlyPanel(
                    title: entry.group ?? unassignedGroup, periods: labels,
                    bars: [
                        ChartSeries(name: "Pro forma", className: "pf-pro-forma", values: entry.proForma),
                        ChartSeries(name: "AWS cost", className: "pf-aws-cost", values: entry.awsCost),
                    ],
                    line: ChartSeries(name: "Margin", className: "pf-margin", values: entry.margins))
            }
            charts.append(
                PageChart(
                    heading: "Per billing group" + suffix,
                    svg: ReportCharts.monthly(
                        panels, currency: currency,
                        title: "Pro forma cost, AWS cost and margin per billing group" + suffix,
                        description:
                            "One panel per billing group, the unassigned accounts last, each on its own scale, \(rangeText(periods)), in \(currency): pro forma cost and AWS cost as bars, the margin as a line.",
                        id: slug + "-groups", columns: panels.count <= 1 ? 1 : (panels.count <= 4 ? 2 : 3))))
        }
        // The services: the rows of the margin report by service (this report's own when it is by service).
        let services =
            report.by == .service
            ? table : MarginTable(MarginReport(result: report.result, by: .service, options: report.options))
        for currency in currencies {
            var sums: [String: [ExactDecimal]] = [:]
            for (row, shown) in zip(services.rows, services.columns.shown) where row.currency == currency {
                let current = sums[row.key ?? "", default: [.zero, .zero]]
                sums[row.key ?? ""] = [current[0] + shown[0], current[1] + shown[1]]
            }
            let items = ReportCharts.top(
                sums.map { RankedItem(label: serviceLabel($0.key, report.options), values: $0.value) },
                count: topServices,
                otherLabel: { "Other (\($0) services)" })
            let suffix = currencySuffix(currency, currencies)
            charts.append(
                PageChart(
                    heading: "Largest services" + suffix,
                    svg: ReportCharts.ranking(
                        items, series: [("Pro forma", "pf-pro-forma"), ("AWS cost", "pf-aws-cost")], currency: currency,
                        title: "The \(topServices) services with the largest pro forma cost" + suffix,
                        description:
                            "Pro forma cost and AWS cost per service over \(rangeText(periods)), in \(currency), largest pro forma cost first; the other services summed.",
                        id: "margin-\(currency.lowercased())-services")))
        }
        return charts
    }

    static func marginHTML(_ report: MarginReport, _ table: MarginTable) -> String {
        let options = report.options
        let e = HTML.escape
        let keyTitle = marginKeyTitle(report.by)
        let title = "Margin report by \(report.by.rawValue): \(rangeText(periods(report.result, options)))"
        var output = pageHead(title)
        output += "<section class=\"charts\">\n"
        for chart in marginCharts(report, table) {
            output += "<h2>\(e(chart.heading))</h2>\n<figure>\n\(chart.svg.render(style: false))</figure>\n"
        }
        output += "</section>\n<h2>Figures</h2>\n<table>\n<thead><tr>"
        for header in ["Period", "Group"] + (keyTitle.map { [$0] } ?? []) + ["Currency"] {
            output += "<th scope=\"col\">\(e(header))</th>"
        }
        for header in ["Pro forma", "AWS cost", "Margin", "Margin %"] {
            output += "<th scope=\"col\" class=\"amount\">\(e(header))</th>"
        }
        output += "</tr></thead>\n<tbody>\n"
        for (row, shown) in zip(table.rows, table.columns.shown) {
            let key = row.key.map { report.by == .account ? accountLabel($0, options) : $0 }
            let cells =
                [row.period.description, row.group ?? unassignedGroup] + (keyTitle == nil ? [] : [key ?? ""])
                + [row.currency]
            output += "<tr\(row.group == nil ? " class=\"unassigned\"" : "")>"
            output += cells.map { "<td>\(e($0))</td>" }.joined()
            output += [
                grouped(shown[0], row.currency), grouped(shown[1], row.currency),
                grouped(shown[0] - shown[1], row.currency),
                percentText(marginPercentage(row.margin, row.proForma), options),
            ].map { "<td class=\"amount\">\(e($0))</td>" }.joined()
            output += "</tr>\n"
        }
        output += "</tbody>\n<tfoot>\n"
        for total in table.columns.totals {
            output +=
                "<tr class=\"total\"><td colspan=\"\(keyTitle == nil ? 2 : 3)\">Total</td><td>\(e(total.currency))</td>"
            output += [
                grouped(total.shown[0], total.currency), grouped(total.shown[1], total.currency),
                grouped(total.shown[0] - total.shown[1], total.currency),
                percentText(marginPercentage(total.exact[0] - total.exact[1], total.exact[0]), options),
            ].map { "<td class=\"amount\">\(e($0))</td>" }.joined()
            output += "</tr>\n"
        }
        output += "</tfoot>\n</table>\n"
        output += pageFooter(
            [
                roundingNote(options),
                "Unassigned: accounts in no billing group; their AWS cost is not billed, so it counts against the margin.",
                checkText(table),
            ], options.provenance)
        return output
    }

    static func marginSVG(_ report: MarginReport, _ table: MarginTable) -> String {
        stacked(
            marginCharts(report, table),
            title: "Margin report by \(report.by.rawValue): \(rangeText(periods(report.result, report.options)))")
    }

    // MARK: - Costs

    static func costsCharts(_ report: CostsReport, _ table: CostsTable) -> [PageChart] {
        let options = report.options
        let periods = periods(report.result, options)
        let currencies = table.columns.totals.map(\.currency)
        var charts: [PageChart] = []
        if periods.count > 1 {
            // Per period: the sums of the rows of the report by period (each group's figures, summed).
            let byPeriod = CostsTable(CostsReport(result: report.result, groupBy: [.period], options: options))
            for currency in currencies {
                let suffix = currencySuffix(currency, currencies)
                var values: [String: [ExactDecimal]] = [:]
                for (row, shown) in zip(byPeriod.rows, byPeriod.columns.shown) where row.currency == currency {
                    values[row.values.first ?? ""] = shown
                }
                let zero = [ExactDecimal.zero, .zero, .zero]
                let column = { (index: Int) in periods.map { (values[$0.description] ?? zero)[index] } }
                let panel = MonthlyPanel(
                    title: "Total" + suffix, periods: periods.map(\.description),
                    bars: [
                        ChartSeries(name: "Pro forma", className: "pf-pro-forma", values: column(0)),
                        ChartSeries(name: "AWS cost", className: "pf-aws-cost", values: column(1)),
                        ChartSeries(name: "Public cost", className: "pf-public-cost", values: column(2)),
                    ], line: nil)
                charts.append(
                    PageChart(
                        heading: "Total per month" + suffix,
                        svg: ReportCharts.monthly(
                            [panel], currency: currency, title: "Pro forma, AWS and public cost per month" + suffix,
                            description:
                                "Every billing group and the unassigned accounts, \(rangeText(periods)), in \(currency): pro forma, AWS and public cost as bars.",
                            id: "costs-\(currency.lowercased())-months")))
            }
        }
        // The services: this report's rows summed by service when it has that dimension, else the report by service.
        let serviceTable: CostsTable
        let column: Int
        if let index = report.groupBy.firstIndex(of: .service) {
            (serviceTable, column) = (table, index)
        } else {
            serviceTable = CostsTable(CostsReport(result: report.result, groupBy: [.service], options: options))
            column = 0
        }
        for currency in currencies {
            var sums: [String: [ExactDecimal]] = [:]
            for (row, shown) in zip(serviceTable.rows, serviceTable.columns.shown) where row.currency == currency {
                let key = row.values.count > column ? row.values[column] : ""
                let current = sums[key, default: [.zero, .zero]]
                sums[key] = [current[0] + shown[0], current[1] + shown[1]]
            }
            let items = ReportCharts.top(
                sums.map { RankedItem(label: serviceLabel($0.key, report.options), values: $0.value) },
                count: topServices,
                otherLabel: { "Other (\($0) services)" })
            let suffix = currencySuffix(currency, currencies)
            charts.append(
                PageChart(
                    heading: "Largest services" + suffix,
                    svg: ReportCharts.ranking(
                        items, series: [("Pro forma", "pf-pro-forma"), ("AWS cost", "pf-aws-cost")], currency: currency,
                        title: "The \(topServices) services with the largest pro forma cost" + suffix,
                        description:
                            "Pro forma cost and AWS cost per service over \(rangeText(periods)), in \(currency), largest pro forma cost first; the other services summed.",
                        id: "costs-\(currency.lowercased())-services")))
        }
        return charts
    }

    static func costsHTML(_ report: CostsReport, _ table: CostsTable) -> String {
        let options = report.options
        let e = HTML.escape
        let dimensions = report.groupBy
        var output = pageHead(costsTitle(report))
        output += "<section class=\"charts\">\n"
        for chart in costsCharts(report, table) {
            output += "<h2>\(e(chart.heading))</h2>\n<figure>\n\(chart.svg.render(style: false))</figure>\n"
        }
        output += "</section>\n<h2>Figures</h2>\n<table>\n<thead><tr>"
        for header in dimensions.map(\.title) + ["Currency"] { output += "<th scope=\"col\">\(e(header))</th>" }
        for header in ["Pro forma", "AWS cost", "Public cost", "Lines"] {
            output += "<th scope=\"col\" class=\"amount\">\(e(header))</th>"
        }
        output += "</tr></thead>\n<tbody>\n"
        for (row, shown) in zip(table.rows, table.columns.shown) {
            let values = zip(dimensions, row.values).map { dimension, value in
                dimension == .account ? accountLabel(value, options) : value
            }
            output += "<tr>" + (values + [row.currency]).map { "<td>\(e($0))</td>" }.joined()
            output += [
                grouped(shown[0], row.currency), grouped(shown[1], row.currency), grouped(shown[2], row.currency),
                String(row.lines),
            ].map { "<td class=\"amount\">\(e($0))</td>" }.joined()
            output += "</tr>\n"
        }
        output += "</tbody>\n<tfoot>\n"
        for total in table.columns.totals {
            let lines = table.rows.filter { $0.currency == total.currency }.map(\.lines).reduce(0, +)
            output += "<tr class=\"total\">"
            if !dimensions.isEmpty { output += "<td colspan=\"\(dimensions.count)\">Total</td>" }
            output += "<td>\(e(total.currency))</td>"
            output += [
                grouped(total.shown[0], total.currency), grouped(total.shown[1], total.currency),
                grouped(total.shown[2], total.currency), String(lines),
            ].map { "<td class=\"amount\">\(e($0))</td>" }.joined()
            output += "</tr>\n"
        }
        output += "</tfoot>\n</table>\n"
        output += pageFooter(
            ["AWS cost is the actual cost without tax. " + roundingNote(options)], options.provenance)
        return output
    }

    static func costsSVG(_ report: CostsReport, _ table: CostsTable) -> String {
        stacked(costsCharts(report, table), title: costsTitle(report))
    }

    // MARK: - Page

    static let pageCSS = """
        body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #1a1a1a; margin: 2rem auto; max-width: 62rem; padding: 0 1rem; }
        h1 { font-size: 1.5rem; margin-bottom: 0.25rem; }
        h2 { font-size: 1.1rem; margin-top: 2rem; }
        figure { margin: 0; }
        figure svg { max-width: 100%; height: auto; }
        table { border-collapse: collapse; width: 100%; }
        th, td { padding: 0.3rem 0.6rem; text-align: left; vertical-align: top; border-bottom: 1px solid #ddd; }
        th { background: #f3f3f3; }
        td.amount, th.amount { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        tr.unassigned td { color: #555; }
        tr.total td { font-weight: bold; border-top: 2px solid #333; }
        footer { margin-top: 2rem; font-size: 0.85rem; color: #555; }
        footer dl { display: grid; grid-template-columns: max-content auto; gap: 0.2rem 1rem; }
        footer dd { margin: 0; word-break: break-all; }
        @media print {
          body { margin: 0; max-width: none; font-size: 10pt; }
          th { background: none; }
          h2 { page-break-after: avoid; }
          figure, tr { page-break-inside: avoid; }
          thead { display: table-header-group; }
        }
        """

    static func pageHead(_ title: String) -> String {
        let e = HTML.escape
        return """
            <!DOCTYPE html>
            <html lang="en" xmlns="http://www.w3.org/1999/xhtml">
            <head>
            <meta charset="utf-8"/>
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"/>
            <meta name="viewport" content="width=device-width, initial-scale=1"/>
            <title>\(e(title))</title>
            <style>
            \(pageCSS)
            \(ChartStyle.css)
            </style>
            </head>
            <body>
            <h1>\(e(title))</h1>

            """
    }

    static func pageFooter(_ notes: [String], _ provenance: Provenance?) -> String {
        let e = HTML.escape
        var output = "<footer>\n"
        for note in notes { output += "<p>\(e(note))</p>\n" }
        if let provenance {
            output += "<dl>\n"
            for (label, value) in InvoiceRenderer.provenanceLines(provenance) {
                output += "<dt>\(e(label))</dt><dd>\(e(value))</dd>\n"
            }
            output += "</dl>\n"
        }
        output += "</footer>\n</body>\n</html>\n"
        return output
    }

    /// The charts one below the other in one SVG document.
    static func stacked(_ charts: [PageChart], title: String) -> String {
        let width = charts.map(\.svg.width).max() ?? ExactDecimal(960)
        let gap = ExactDecimal(16)
        let headingHeight = ExactDecimal(28)
        var y = ExactDecimal.zero
        var inner = ""
        for chart in charts {
            inner +=
                "<text x=\"8\" y=\"\(SVGBuilder.number(y + ExactDecimal(20)))\" font-family=\"Helvetica, Arial, sans-serif\""
                + " font-size=\"15\" font-weight=\"bold\">\(XML.text(TerminalText.inline(chart.heading)))</text>\n"
            inner += chart.svg.render(x: .zero, y: y + headingHeight, style: false)
            y += headingHeight + chart.svg.height + gap
        }
        let height = max(y - gap, .zero)
        let w = SVGBuilder.number(width)
        let h = SVGBuilder.number(height)
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" width="\(w)" height="\(h)" viewBox="0 0 \(w) \(h)" role="img" aria-labelledby="report-title">
              <title id="report-title">\(XML.text(title))</title>
              <style>
            \(ChartStyle.css)
              </style>
              <rect x="0" y="0" width="\(w)" height="\(h)" fill="#fff"/>

            """ + inner + "</svg>\n"
    }
}

/// A service's label in a chart: its name where the options carry names, else its code.
func serviceLabel(_ code: String, _ options: CostReportOptions) -> String {
    guard let names = options.serviceNames, !code.isEmpty else { return code }
    return names.name(for: code)
}

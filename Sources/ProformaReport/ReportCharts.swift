import ProformaCore

/// One measure across the periods of a chart (pro forma cost, AWS cost, margin): the figures a report shows.
struct ChartSeries: Equatable {
    var name: String
    /// The CSS class that colours it (see `ChartStyle`).
    var className: String
    /// One figure per period of the chart.
    var values: [ExactDecimal]
}

/// A chart across months: for each period, a bar per bar series side by side, and the line series as a line through
/// a point per period (a single period is one point).
struct MonthlyPanel: Equatable {
    var title: String
    var periods: [String]
    var bars: [ChartSeries]
    var line: ChartSeries?
}

/// A horizontal bar chart of items ranked by their first figure (the largest services).
struct RankedItem: Equatable {
    var label: String
    /// One figure per series of the chart.
    var values: [ExactDecimal]
}

/// Draws report charts as SVG. Geometry is exact decimal arithmetic on the figures as shown, so every bar's length
/// is its figure in proportion to the axis, and every bar and point carries its figure as text (its `<title>`, and
/// `data-value`) exactly as the report's table shows it.
enum ReportCharts {
    static func d(_ text: String) -> ExactDecimal { ExactDecimal(text) ?? .zero }

    /// The integer part of a value (a count of labels or cells, never money).
    static func whole(_ value: ExactDecimal) -> Int { Int(value.rounded(scale: 0, .down).description) ?? 0 }

    /// Names longer than this are cut with an ellipsis in a chart (the full name stays in the tooltip).
    static let labelLimit = 26

    static func shortLabel(_ text: String, limit: Int = labelLimit) -> String {
        let inline = TerminalText.inline(text)
        guard inline.count > limit else { return inline }
        return String(inline.prefix(limit - 1)) + "…"
    }

    // MARK: - Months

    /// One chart of `panels`, laid out in a grid of `columns` (one panel is the whole width), with a legend.
    static func monthly(
        _ panels: [MonthlyPanel], currency: String, title: String, description: String, id: String,
        columns requested: Int = 1, valueLabels: Bool = false
    ) -> SVGBuilder {
        let columns = max(1, min(requested, panels.count))
        let totalWidth = ExactDecimal(960)
        let panelWidth = (totalWidth.divided(by: ExactDecimal(columns), scale: 2) ?? totalWidth)
        let panelHeight = ExactDecimal(columns == 1 ? 300 : 190)
        let legendHeight = ExactDecimal(28)
        let rows = (panels.count + columns - 1) / columns
        var svg = SVGBuilder(
            width: totalWidth, height: legendHeight + panelHeight * ExactDecimal(max(1, rows)), title: title,
            description: description, id: id)
        let series = (panels.first?.bars ?? []) + [panels.first?.line].compactMap { $0 }
        legend(series, currency: currency, in: &svg)
        for (index, panel) in panels.enumerated() {
            let x = panelWidth * ExactDecimal(index % columns)
            let y = legendHeight + panelHeight * ExactDecimal(index / columns)
            svg.open(className: "pf-panel", x: x, y: y)
            draw(panel, currency: currency, width: panelWidth, height: panelHeight, valueLabels: valueLabels, in: &svg)
            svg.close()
        }
        return svg
    }

    static func legend(_ series: [ChartSeries], currency: String, in svg: inout SVGBuilder) {
        svg.open(className: "pf-legend", x: d("8"), y: d("6"))
        var x = ExactDecimal.zero
        for item in series {
            svg.rect(x: x, y: d("2"), width: d("12"), height: d("12"), className: item.className)
            svg.text(item.name, x: x + d("16"), y: d("12"), className: "pf-label")
            x += ExactDecimal(36 + 7 * item.name.count)
        }
        svg.text("Amounts in \(currency)", x: x + d("8"), y: d("12"), className: "pf-tick")
        svg.close()
    }

    /// Draws one panel with its top left corner at the origin.
    static func draw(
        _ panel: MonthlyPanel, currency: String, width: ExactDecimal, height: ExactDecimal, valueLabels: Bool,
        in svg: inout SVGBuilder
    ) {
        let left = d("62")
        let right = d("12")
        let top = d("26")
        let bottom = d("24")
        let plotWidth = width - left - right
        let plotHeight = height - top - bottom
        let all = panel.bars.flatMap(\.values) + (panel.line?.values ?? [])
        let scale = NiceScale(covering: all, targetTicks: height > d("200") ? 6 : 4)
        func y(_ value: ExactDecimal) -> ExactDecimal { top + plotHeight - scale.offset(value, in: plotHeight) }

        svg.text(
            shortLabel(panel.title, limit: width > d("400") ? 80 : labelLimit), x: left, y: d("16"),
            className: "pf-title", title: panel.title)
        for tick in scale.ticks {
            svg.line(
                x1: left, y1: y(tick), x2: left + plotWidth, y2: y(tick), className: tick.isZero ? "pf-zero" : "pf-grid"
            )
            svg.text(scale.label(tick), x: left - d("6"), y: y(tick) + d("4"), anchor: .end, className: "pf-tick")
        }
        let count = max(1, panel.periods.count)
        let slot = plotWidth.divided(by: ExactDecimal(count), scale: 4) ?? plotWidth
        // Bars of at most 40 units each, so that a few periods do not make slabs.
        let groupWidth = min((slot * d("0.7")).rounded(scale: 4), ExactDecimal(40 * max(1, panel.bars.count)))
        let barWidth =
            panel.bars.isEmpty ? .zero : groupWidth.divided(by: ExactDecimal(panel.bars.count), scale: 4) ?? .zero
        // Period labels: as many as fit, evenly spaced, always the first.
        let fitting = max(1, whole(plotWidth.divided(by: d("56"), scale: 0, .down) ?? .one))
        let every = (panel.periods.count + fitting - 1) / fitting
        for (index, period) in panel.periods.enumerated() where every <= 1 || index % every == 0 {
            let center = left + slot * ExactDecimal(index) + slot * d("0.5")
            svg.text(period, x: center, y: top + plotHeight + d("16"), anchor: .middle, className: "pf-tick")
        }
        for (seriesIndex, series) in panel.bars.enumerated() {
            for (index, value) in series.values.enumerated() where index < panel.periods.count {
                let x =
                    left + slot * ExactDecimal(index) + (slot - groupWidth) * d("0.5")
                    + barWidth * ExactDecimal(seriesIndex)
                let text = CostReportRenderer.grouped(value, currency)
                svg.rect(
                    x: x, y: y(value), width: barWidth, height: y(.zero) - y(value), className: series.className,
                    title: "\(panel.title), \(panel.periods[index]): \(series.name) \(text) \(currency)",
                    data: [
                        ("series", series.name), ("period", panel.periods[index]),
                        ("value", CostReportRenderer.plain(value, currency)),
                    ])
            }
        }
        if let line = panel.line {
            let points = line.values.prefix(panel.periods.count).enumerated().map { index, value in
                (x: left + slot * ExactDecimal(index) + slot * d("0.5"), y: y(value))
            }
            svg.polyline(points, className: line.className)
            for (index, value) in line.values.enumerated() where index < panel.periods.count {
                let text = CostReportRenderer.grouped(value, currency)
                svg.circle(
                    x: points[index].x, y: points[index].y, radius: d("3.5"), className: line.className,
                    title: "\(panel.title), \(panel.periods[index]): \(line.name) \(text) \(currency)",
                    data: [
                        ("series", line.name), ("period", panel.periods[index]),
                        ("value", CostReportRenderer.plain(value, currency)),
                    ])
                if valueLabels {
                    svg.text(
                        text, x: points[index].x, y: points[index].y - d("8"), anchor: .middle,
                        className: "pf-value")
                }
            }
        }
    }

    // MARK: - Ranking

    /// The `count` items with the largest first figure (ties by label), and the rest summed into one "other" item.
    static func top(_ items: [RankedItem], count: Int, otherLabel: (Int) -> String) -> [RankedItem] {
        let sorted = items.sorted { a, b in
            let x = a.values.first ?? .zero
            let y = b.values.first ?? .zero
            return x != y ? x > y : a.label < b.label
        }
        guard sorted.count > count else { return sorted }
        let rest = sorted[count...]
        let width = rest.map(\.values.count).max() ?? 0
        let sums = (0..<width).map { column in rest.map { $0.values.count > column ? $0.values[column] : .zero }.sum() }
        return Array(sorted.prefix(count)) + [RankedItem(label: otherLabel(rest.count), values: sums)]
    }

    /// A horizontal bar chart: per item a bar per series, the first labelled with its figure.
    static func ranking(
        _ items: [RankedItem], series: [(name: String, className: String)], currency: String, title: String,
        description: String, id: String
    ) -> SVGBuilder {
        let width = ExactDecimal(960)
        let labelWidth = d("200")
        let valueWidth = d("110")
        let top = d("52")
        let rowHeight = ExactDecimal(8 + 11 * max(1, series.count))
        let barHeight = d("10")
        let plotWidth = width - labelWidth - valueWidth - d("16")
        let height = top + rowHeight * ExactDecimal(max(1, items.count)) + d("12")
        var svg = SVGBuilder(width: width, height: height, title: title, description: description, id: id)
        legend(
            series.map { ChartSeries(name: $0.name, className: $0.className, values: []) }, currency: currency,
            in: &svg)
        let scale = NiceScale(covering: items.flatMap(\.values), targetTicks: 6)
        func x(_ value: ExactDecimal) -> ExactDecimal { labelWidth + scale.offset(value, in: plotWidth) }
        let bottom = top + rowHeight * ExactDecimal(max(1, items.count))
        for tick in scale.ticks {
            svg.line(
                x1: x(tick), y1: top - d("4"), x2: x(tick), y2: bottom, className: tick.isZero ? "pf-zero" : "pf-grid")
            svg.text(scale.label(tick), x: x(tick), y: top - d("10"), anchor: .middle, className: "pf-tick")
        }
        if items.isEmpty {
            svg.text("No amounts.", x: labelWidth, y: top + d("14"), className: "pf-label")
        }
        for (row, item) in items.enumerated() {
            let rowTop = top + rowHeight * ExactDecimal(row)
            svg.text(
                shortLabel(item.label), x: labelWidth - d("8"), y: rowTop + d("4") + barHeight, anchor: .end,
                className: "pf-label", title: item.label)
            for (index, entry) in series.enumerated() where index < item.values.count {
                let value = item.values[index]
                let text = CostReportRenderer.grouped(value, currency)
                let barTop = rowTop + d("4") + (barHeight + d("1")) * ExactDecimal(index)
                svg.rect(
                    x: x(.zero), y: barTop, width: x(value) - x(.zero), height: barHeight, className: entry.className,
                    title: "\(item.label): \(entry.name) \(text) \(currency)",
                    data: [
                        ("series", entry.name), ("item", item.label),
                        ("value", CostReportRenderer.plain(value, currency)),
                    ])
                if index == 0 {
                    let end = value.isNegative ? x(.zero) : x(value)
                    svg.text(text, x: end + d("6"), y: barTop + barHeight - d("1"), className: "pf-value")
                }
            }
        }
        return svg
    }
}

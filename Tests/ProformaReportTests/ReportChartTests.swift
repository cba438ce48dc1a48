import Foundation
import ProformaCore
import ProformaModel
import ProformaTestSupport
import Testing

@testable import ProformaEngine
@testable import ProformaReport

/// The margin and costs reports' pages and charts, read back as XML: every bar and point stands for the figure the
/// report's table shows, in proportion to the axis, and names from the configuration are escaped.
@Suite struct ReportChartTests {
    static let d = BillingFixtures.d
    static let april = BillingFixtures.period.next

    /// March as in the fixtures; in April retail sells below cost (a negative margin) and wholesale has no usage.
    static var twoMonths: BillingResult {
        let aprilRows = [
            BillingFixtures.row(
                "111111111111", "AmazonEC2", "Usage", .onDemand, proForma: "10.00", actual: "18.004", period: april),
            BillingFixtures.row(
                "555555555555", "AmazonS3", "Usage", .unassigned, proForma: "0", actual: "2.50", period: april),
        ]
        let aprilRetail = BillingFixtures.groupResult(
            BillingFixtures.retail, rows: [aprilRows[0]], items: [], period: april)
        let aprilWholesale = BillingFixtures.groupResult(BillingFixtures.wholesale, rows: [], items: [], period: april)
        let march = BillingFixtures.billingResult
        return BillingFixtures.result(
            groups: march.groups + [aprilRetail, aprilWholesale], unassigned: march.unassigned + [aprilRows[1]])
    }

    static var allPeriods: CostReportOptions {
        var options = BillingFixtures.reportOptions
        options.period = nil
        return options
    }

    /// The shown figures of the margin report's JSON rows, by group (`(unassigned)` for the unassigned accounts) and
    /// period.
    static func marginRows(_ report: MarginReport) throws -> [String: (proForma: String, aws: String, margin: String)] {
        let json = try RenderedOutput.json(CostReportRenderer.render(report, as: .json))
        var rows: [String: (String, String, String)] = [:]
        for row in try #require(json["rows"] as? [[String: Any]]) {
            let group = row["billing_group"] as? String ?? CostReportRenderer.unassignedGroup
            let key = "\(group) \(row["period"] as? String ?? "")"
            rows[key] = (
                row["pro_forma_rounded"] as? String ?? "", row["aws_cost_rounded"] as? String ?? "",
                row["margin_rounded"] as? String ?? ""
            )
        }
        return rows
    }

    static func panels(_ root: XMLNode) -> [(title: String, node: XMLNode)] {
        root.all("g", className: "pf-panel").map { panel in
            (panel.all("text", className: "pf-title").first?.title ?? "", panel)
        }
    }

    static func number(_ text: String?) throws -> Double {
        try #require(text.flatMap(Double.init), "not a number: \(text ?? "nil")")
    }

    /// Bars stand on the zero line, above it for positive figures and below for negative ones, and their heights
    /// are in proportion to their figures.
    static func checkProportions(_ panel: XMLNode, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let zero = try number(
            try #require(panel.all("line", className: "pf-zero").first, sourceLocation: sourceLocation)["y1"])
        var ratios: [Double] = []
        for bar in panel.all("rect") where bar["data-value"] != nil {
            let value = try number(bar["data-value"])
            let y = try number(bar["y"])
            let height = try number(bar["height"])
            #expect(height >= 0, sourceLocation: sourceLocation)
            if value > 0 {
                #expect(
                    abs(y + height - zero) < 0.011, "bar of \(value) stands on the zero line",
                    sourceLocation: sourceLocation)
            } else if value < 0 {
                #expect(
                    abs(y - zero) < 0.011, "bar of \(value) hangs from the zero line", sourceLocation: sourceLocation)
            } else {
                #expect(height < 0.011, sourceLocation: sourceLocation)
            }
            if abs(value) >= 1 { ratios.append(height / abs(value)) }
        }
        if let low = ratios.min(), let high = ratios.max() {
            #expect((high - low) / high < 0.01, "heights in proportion: \(ratios)", sourceLocation: sourceLocation)
        }
        // The margin's points: above the zero line for a positive margin, below for a negative one.
        for point in panel.all("circle") {
            let value = try number(point["data-value"])
            let y = try number(point["cy"])
            if value > 0 { #expect(y < zero, sourceLocation: sourceLocation) }
            if value < 0 { #expect(y > zero, sourceLocation: sourceLocation) }
            if value == 0 { #expect(abs(y - zero) < 0.011, sourceLocation: sourceLocation) }
        }
    }

    // MARK: - Margin page

    @Test func everyBarAndPointIsAFigureOfTheReport() throws {
        let report = MarginReport(result: Self.twoMonths, by: .group, options: Self.allPeriods)
        let rows = try Self.marginRows(report)
        let root = try XMLNode.parse(CostReportRenderer.render(report, as: .html))
        let panels = Self.panels(root)
        // The total, then one panel per group and the unassigned accounts.
        #expect(panels.map(\.title) == ["Total", "retail", "wholesale", "(unassigned)"])
        var checked = 0
        for (title, panel) in panels.dropFirst() {
            try Self.checkProportions(panel)
            for mark in panel.all("rect") + panel.all("circle") where mark["data-value"] != nil {
                let period = try #require(mark["data-period"])
                let row = try #require(rows["\(title) \(period)"], "\(title) \(period)")
                let expected =
                    switch mark["data-series"] {
                    case "Pro forma": row.proForma
                    case "AWS cost": row.aws
                    default: row.margin
                    }
                #expect(mark["data-value"] == expected, "\(title) \(period) \(mark["data-series"] ?? "")")
                // The tooltip shows the figure as the table does.
                let shown = MoneyText.grouped(Self.d(expected), places: 2)
                #expect(mark.title?.hasSuffix(": \(mark["data-series"] ?? "") \(shown) USD") == true)
                checked += 1
            }
        }
        #expect(checked == 3 * 3 * 2)
        // The total panel: the sums of the rows of each period, as the table's total row sums them.
        let total = try #require(panels.first?.node)
        try Self.checkProportions(total)
        for period in ["2025-03", "2025-04"] {
            let mine = rows.filter { $0.key.hasSuffix(period) }.values
            let proForma = mine.map { Self.d($0.proForma) }.sum()
            let margin = mine.map { Self.d($0.margin) }.sum()
            let bar = try #require(
                total.all("rect").first { $0["data-period"] == period && $0["data-series"] == "Pro forma" })
            #expect(bar["data-value"].flatMap(ExactDecimal.init) == proForma)
            let point = try #require(total.all("circle").first { $0["data-period"] == period })
            #expect(point["data-value"].flatMap(ExactDecimal.init) == margin)
        }
        // A negative margin: retail in April, below the zero line (checked above), and labelled so.
        #expect(rows["retail 2025-04"]?.margin == "-8.00")
        // Accessible: every chart has a title and a description that it is labelled by.
        for svg in root.all("svg") {
            let labels = try #require(svg["aria-labelledby"]).split(separator: " ").map(String.init)
            #expect(labels.count == 2)
            #expect(svg.children.first { $0.name == "title" }?["id"] == labels[0])
            #expect(svg.children.first { $0.name == "desc" }?["id"] == labels[1])
            #expect(svg.children.first { $0.name == "desc" }?.allText.isEmpty == false)
        }
    }

    @Test func thePageCarriesTheReportsTable() throws {
        let report = MarginReport(result: Self.twoMonths, by: .group, options: Self.allPeriods)
        let rows = try Self.marginRows(report)
        let root = try XMLNode.parse(CostReportRenderer.render(report, as: .html))
        let table = try #require(root.all("table").first)
        let body = try #require(table.all("tbody").first).all("tr")
        #expect(body.count == rows.count)
        for tr in body {
            let cells = tr.all("td").map(\.allText)
            let row = try #require(rows["\(cells[1]) \(cells[0])"])
            #expect(cells[3] == MoneyText.grouped(Self.d(row.proForma), places: 2))
            #expect(cells[4] == MoneyText.grouped(Self.d(row.aws), places: 2))
            #expect(cells[5] == MoneyText.grouped(Self.d(row.margin), places: 2))
        }
        let json = try RenderedOutput.json(CostReportRenderer.render(report, as: .json))
        let total = try #require((json["totals"] as? [[String: Any]])?.first)
        let foot = try #require(table.all("tfoot").first?.all("td").map(\.allText))
        #expect(foot[2] == MoneyText.grouped(Self.d(total["pro_forma_rounded"] as? String ?? ""), places: 2))
        // Self-contained: no script, no link, no external reference.
        let page = CostReportRenderer.render(report, as: .html)
        #expect(root.all("script").isEmpty && root.all("link").isEmpty && root.all("img").isEmpty)
        let outside = page.replacingOccurrences(of: "http://www.w3.org/", with: "")
        #expect(
            !outside.contains("http:") && !outside.contains("https:") && !outside.contains("src=")
                && !outside.contains("href="))
        #expect(!page.contains("NaN") && !page.contains("inf"))
        #expect(page.contains("@media print"))
    }

    @Test func aSingleMonthIsOnePointAndNoLine() throws {
        let report = MarginReport(
            result: BillingFixtures.billingResult, by: .group, options: BillingFixtures.reportOptions)
        let root = try XMLNode.parse(CostReportRenderer.render(report, as: .html))
        for (_, panel) in Self.panels(root) {
            #expect(panel.all("polyline").isEmpty)
            #expect(panel.all("circle").count == 1)
            try Self.checkProportions(panel)
        }
        // The text report has no trend section for a single month.
        #expect(!CostReportRenderer.render(report, as: .text).contains("Margin trend"))
    }

    @Test func zeroFiguresRenderWithoutDividingByZero() throws {
        let empty = BillingFixtures.groupResult(BillingFixtures.wholesale, rows: [], items: [])
        let result = BillingFixtures.result(groups: [empty], unassigned: [])
        for by in MarginBreakdown.allCases {
            let report = MarginReport(result: result, by: by, options: BillingFixtures.reportOptions)
            for format in [CostReportFormat.html, .svg] {
                let output = CostReportRenderer.render(report, as: format)
                #expect(!output.contains("NaN"))
                let root = try XMLNode.parse(output)
                for (_, panel) in Self.panels(root) {
                    try Self.checkProportions(panel)
                    // The scale of nothing but zeros is 0 to 1.
                    #expect(panel.all("text", className: "pf-tick").map(\.allText).contains("0"))
                }
                #expect(root.all("rect").allSatisfy { ($0["height"].flatMap(Double.init) ?? -1) >= 0 })
                // No service has an amount.
                #expect(root.all("text").contains { $0.allText == "No amounts." })
            }
        }
        // A costs report without rows has no chart, and its page is still well-formed.
        let costs = CostsReport(result: result, groupBy: [.service], options: BillingFixtures.reportOptions)
        let root = try XMLNode.parse(CostReportRenderer.render(costs, as: .html))
        #expect(root.all("svg").isEmpty)
        #expect(try XMLNode.parse(CostReportRenderer.render(costs, as: .svg)).all("rect").count == 1)
    }

    @Test func namesAreEscapedEverywhere() throws {
        let hostile = "a<b>&\"c\"'d"
        var group = BillingFixtures.retail
        group.name = hostile
        let retail = BillingFixtures.groupResult(
            group,
            rows: [
                BillingFixtures.row(
                    "111111111111", "</svg><script>alert(1)</script>", "Usage", .onDemand, proForma: "12.00",
                    actual: "10.00")
            ], items: [])
        let result = BillingFixtures.result(groups: [retail], unassigned: [])
        for format in [CostReportFormat.html, .svg] {
            let margin = CostReportRenderer.render(
                MarginReport(result: result, by: .group, options: BillingFixtures.reportOptions), as: format)
            let root = try XMLNode.parse(margin)
            #expect(root.all("script").isEmpty)
            #expect(Self.panels(root).map(\.title).contains(hostile))
            #expect(root.all("rect").contains { $0["data-item"] == "</svg><script>alert(1)</script>" })
            let costs = CostReportRenderer.render(
                CostsReport(result: result, groupBy: [.group, .service], options: BillingFixtures.reportOptions),
                as: format)
            let costsRoot = try XMLNode.parse(costs)
            #expect(costsRoot.all("script").isEmpty)
            if format == .html {
                #expect(costsRoot.all("td").contains { $0.allText == hostile })
            }
        }
    }

    @Test func manyGroupsAreSmallMultiplesInColumns() throws {
        let groups = (1...24).map { index in
            var group = BillingFixtures.wholesale
            group.name = String(format: "customer-%02d-with-a-rather-long-name", index)
            return BillingFixtures.groupResult(
                group,
                rows: [
                    BillingFixtures.row(
                        "444444444444", "AmazonEC2", "Usage", .onDemand, proForma: "\(index * 100).00",
                        actual: "\(index * 90).00")
                ], items: [])
        }
        let report = MarginReport(
            result: BillingFixtures.result(groups: groups, unassigned: []), by: .group,
            options: BillingFixtures.reportOptions)
        let root = try XMLNode.parse(CostReportRenderer.render(report, as: .svg))
        let panels = Self.panels(root).dropFirst()
        #expect(panels.count == 25)
        let positions = Set(panels.compactMap { $0.node["transform"] })
        #expect(positions.count == 25)
        // Three columns; long names cut in the panel, whole in its tooltip.
        #expect(Set(positions.map { $0.split(separator: " ").first ?? "" }).count == 3)
        for (title, panel) in panels {
            let shown = try #require(panel.all("text", className: "pf-title").first?.text)
            #expect(shown.count <= ReportCharts.labelLimit)
            #expect(title.hasPrefix(String(shown.dropLast())))
            try Self.checkProportions(panel)
        }
    }

    @Test func twoYearsOfMonthsLabelAsManyPeriodsAsFit() throws {
        var groups: [GroupResult] = []
        var period = BillingFixtures.period
        for month in 0..<24 {
            groups.append(
                BillingFixtures.groupResult(
                    BillingFixtures.retail,
                    rows: [
                        BillingFixtures.row(
                            "111111111111", "AmazonEC2", "Usage", .onDemand, proForma: "\(100 + month).00",
                            actual: "\(120 - month).00", period: period)
                    ], items: [], period: period))
            period = period.next
        }
        let report = MarginReport(
            result: BillingFixtures.result(groups: groups, unassigned: []), by: .group, options: Self.allPeriods)
        let root = try XMLNode.parse(CostReportRenderer.render(report, as: .svg))
        for (title, panel) in Self.panels(root) {
            try Self.checkProportions(panel)
            #expect(panel.all("circle").count == 24, "\(title)")
            #expect(panel.all("polyline").count == 1)
            let labels = panel.all("text", className: "pf-tick").map(\.allText).filter { $0.hasPrefix("20") }
            #expect(labels.first == "2025-03")
            #expect(labels.count < 24 && labels.count >= 4, "\(title): \(labels)")
        }
        // The margin crosses zero: from -20.00 in the first month to +26.00 in the last.
        let points = try #require(Self.panels(root).first { $0.title == "retail" }?.node.all("circle"))
        #expect(points.first?["data-value"] == "-20.00" && points.last?["data-value"] == "26.00")
    }

    // MARK: - Services

    @Test func servicesAreLabelledByNameWhereTheOptionsCarryNames() throws {
        let rows = [
            BillingFixtures.row("111111111111", "AmazonEC2", "Usage", .onDemand, proForma: "20.00", actual: "15"),
            BillingFixtures.row("111111111111", "awskms", "Usage", .onDemand, proForma: "5.00", actual: "4"),
            BillingFixtures.row("111111111111", "Custom9", "Usage", .onDemand, proForma: "1.00", actual: "1"),
        ]
        let group = BillingFixtures.groupResult(BillingFixtures.retail, rows: rows, items: [])
        let result = BillingFixtures.result(groups: [group], unassigned: [])
        func labels(_ names: ServiceNames?) throws -> [String] {
            var options = BillingFixtures.reportOptions
            options.serviceNames = names
            let page = CostReportRenderer.render(MarginReport(result: result, by: .group, options: options), as: .html)
            let bars = try XMLNode.parse(page).all("rect").filter {
                $0["data-item"] != nil && $0["data-series"] == "Pro forma"
            }
            return bars.compactMap { $0["data-item"] }
        }
        #expect(try labels(nil) == ["AmazonEC2", "awskms", "Custom9"])
        // The data's name first, then the catalogue's, then the code.
        #expect(
            try labels(ServiceNames(fromData: ["AmazonEC2": "Amazon EC2 (from the data)"]))
                == ["Amazon EC2 (from the data)", ServiceNames.catalogue.name(for: "awskms"), "Custom9"])
        #expect(ServiceNames.catalogue.name(for: "awskms") != "awskms")
    }

    @Test func theLargestServicesAreTheReportsServiceRows() throws {
        var rows: [CostRow] = []
        for index in 1...13 {
            rows.append(
                BillingFixtures.row(
                    "111111111111", "Service\(index)", "Usage", .onDemand, proForma: "\(index).50", actual: "\(index)"))
        }
        let group = BillingFixtures.groupResult(BillingFixtures.retail, rows: rows, items: [])
        let result = BillingFixtures.result(groups: [group], unassigned: [])
        let report = MarginReport(result: result, by: .group, options: BillingFixtures.reportOptions)
        let root = try XMLNode.parse(CostReportRenderer.render(report, as: .html))
        let services = root.all("rect").filter { $0["data-item"] != nil && $0["data-series"] == "Pro forma" }
        let labels = services.compactMap { $0["data-item"] }
        #expect(labels == (4...13).reversed().map { "Service\($0)" } + ["Other (3 services)"])
        #expect(services.last?["data-value"] == "7.50")  // 1.50 + 2.50 + 3.50
        // The figures are those of the report by service.
        let byService = try RenderedOutput.json(
            CostReportRenderer.render(
                MarginReport(result: result, by: .service, options: BillingFixtures.reportOptions), as: .json))
        let serviceRows = try #require(byService["rows"] as? [[String: Any]])
        for bar in services.dropLast() {
            let row = try #require(serviceRows.first { $0["service"] as? String == bar["data-item"] })
            #expect(bar["data-value"] == row["pro_forma_rounded"] as? String)
        }
        let rest = serviceRows.filter { ["Service1", "Service2", "Service3"].contains($0["service"] as? String) }
        #expect(
            try services.last.flatMap { $0["data-value"] }.flatMap(ExactDecimal.init)
                == rest.map { try RenderedOutput.decimal($0["pro_forma_rounded"]) }.sum())
        // Bars in proportion along the axis, from the zero line.
        let zero = try Self.number(root.all("svg").last?.all("line", className: "pf-zero").first?["x1"])
        for bar in services {
            #expect(abs(try Self.number(bar["x"]) - zero) < 0.011)
            #expect(
                abs(
                    try Self.number(bar["width"]) / Self.number(bar["data-value"])
                        - Self.number(services[0]["width"]) / Self.number(services[0]["data-value"])) < 0.05)
        }
    }

    @Test func costsPageChartsTheMonthsAndServices() throws {
        let report = CostsReport(result: Self.twoMonths, groupBy: [.group, .service], options: Self.allPeriods)
        let json = try RenderedOutput.json(CostReportRenderer.render(report, as: .json))
        let root = try XMLNode.parse(CostReportRenderer.render(report, as: .html))
        let months = try #require(Self.panels(root).first?.node)
        try Self.checkProportions(months)
        let byPeriod = try RenderedOutput.json(
            CostReportRenderer.render(
                CostsReport(result: Self.twoMonths, groupBy: [.period], options: Self.allPeriods), as: .json))
        for row in try #require(byPeriod["rows"] as? [[String: Any]]) {
            let period = (row["dimensions"] as? [String: String])?["period"]
            for (series, column) in [
                ("Pro forma", "pro_forma"), ("AWS cost", "aws_cost"), ("Public cost", "public_cost"),
            ] {
                let bar = try #require(
                    months.all("rect").first { $0["data-period"] == period && $0["data-series"] == series })
                #expect(bar["data-value"] == row[column + "_rounded"] as? String)
            }
        }
        // Services: the rows of this report summed by service.
        let rows = try #require(json["rows"] as? [[String: Any]])
        let ec2 = try rows.filter { ($0["dimensions"] as? [String: String])?["service"] == "AmazonEC2" }
            .map { try RenderedOutput.decimal($0["pro_forma_rounded"]) }.sum()
        let bar = try #require(
            root.all("rect").first { $0["data-item"] == "AmazonEC2" && $0["data-series"] == "Pro forma" })
        #expect(bar["data-value"].flatMap(ExactDecimal.init) == ec2)
    }

    /// The pages `make docs` commits are well-formed, with their charts.
    @Test func theCommittedDocsAreWellFormed() throws {
        let docs = TestSupport.packageRoot.appendingPathComponent("docs")
        for name in ["margin-chart.html", "margin-chart.svg"] {
            let text = try String(contentsOf: docs.appendingPathComponent(name), encoding: .utf8)
            let root = try XMLNode.parse(text)
            #expect(root.all("g", className: "pf-panel").count > 2, "\(name)")
            #expect(!text.contains("NaN"))
        }
    }

    // MARK: - Scale and builder

    @Test(arguments: [
        ("0", "4497.50", "1000", "0", "5000"),
        ("-4761.79", "2065.78", "2000", "-6000", "4000"),
        ("0", "0", "0.2", "0", "1"),
        ("0", "0.03", "0.01", "0", "0.03"),
        ("-13100.40", "41000", "20000", "-20000", "60000"),
        ("7", "7", "2", "0", "8"),
    ])
    func niceScales(low: String, high: String, step: String, minimum: String, maximum: String) {
        let scale = NiceScale(covering: [Self.d(low), Self.d(high)])
        #expect(scale.step == Self.d(step))
        #expect(scale.minimum == Self.d(minimum))
        #expect(scale.maximum == Self.d(maximum))
        #expect(scale.ticks.contains(.zero))
        #expect(scale.ticks.first == scale.minimum && scale.ticks.last == scale.maximum)
    }

    @Test func tickLabelsAreShortAndExact() {
        let scale = NiceScale(covering: [Self.d("0"), Self.d("41000")])
        #expect(scale.ticks.map(scale.label) == ["0", "10k", "20k", "30k", "40k", "50k"])
        let small = NiceScale(covering: [Self.d("-2.5"), Self.d("7")])
        #expect(small.ticks.map(small.label) == ["-4", "-2", "0", "2", "4", "6", "8"])
        let fine = NiceScale(covering: [Self.d("0"), Self.d("6000")])
        #expect(fine.ticks.map(fine.label) == ["0", "2,000", "4,000", "6,000"])
    }

    @Test func theBuilderEscapesAndNeverWritesNaN() throws {
        var svg = SVGBuilder(
            width: Self.d("100"), height: Self.d("50"), title: "T & <t>", description: "d \"q\" 'a'", id: "x\"y")
        svg.open(className: "g&", x: Self.d("1.005"), y: .zero)
        svg.rect(
            x: .zero, y: Self.d("10"), width: Self.d("5"), height: Self.d("-4"), className: "c", title: "<&>",
            data: [("value", "1\"2")])
        svg.text("A\u{1B}[31m <b>", x: .zero, y: .zero, className: "t")
        svg.polyline([(x: .zero, y: .zero)], className: "single")
        svg.close()
        let output = svg.render()
        let root = try XMLNode.parse(output)
        #expect(root.title == "T & <t>")
        #expect(root.all("desc").first?.allText == "d \"q\" 'a'")
        let rect = try #require(root.all("rect").first)
        #expect(rect.title == "<&>")
        #expect(rect["data-value"] == "1\"2")
        // A negative height is drawn from the other edge.
        #expect(rect["y"] == "6" && rect["height"] == "4")
        #expect(root.all("text").first?.allText == "A␛[31m <b>")
        #expect(root.all("polyline").isEmpty)
        #expect(root.all("g").first?["transform"] == "translate(1 0)")  // 1.005 to two places, half-even
    }

    // MARK: - Text

    @Test func sparklinesAndBars() {
        let values = ["-3", "0", "5", "5"].map(Self.d)
        #expect(TextGraphics.unicode.sparkline(values) == "▁▄██")
        #expect(TextGraphics.ascii.sparkline(values) == "_-^^")
        #expect(TextGraphics.unicode.sparkline([.zero, .zero]) == "▄▄")
        #expect(TextGraphics.ascii.sparkline([]) == "")
        #expect(TextGraphics.unicode.bar(Self.d("0.5"), width: 10) == "█████     ")
        #expect(TextGraphics.unicode.bar(Self.d("0.0625"), width: 2) == "▏ ")
        #expect(TextGraphics.ascii.bar(Self.d("0.26"), width: 10) == "###       ")
        #expect(TextGraphics.ascii.bar(Self.d("-1"), width: 3) == "   ")
        #expect(TextGraphics.ascii.bar(Self.d("2"), width: 3) == "###")
    }

    @Test func theMarginTextShowsEachGroupsTrend() throws {
        var options = Self.allPeriods
        let rows = try Self.marginRows(MarginReport(result: Self.twoMonths, by: .group, options: options))
        for graphics in TextGraphics.allCases {
            options.textGraphics = graphics
            let text = CostReportRenderer.render(
                MarginReport(result: Self.twoMonths, by: .service, options: options), as: .text)
            #expect(text.contains("Margin by month, 2025-03 to 2025-04:"))
            let retail = try #require(text.split(separator: "\n").first { $0.hasPrefix("retail ") })
            let cells = retail.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            // Retail's margin fell from March to April: high, then low.
            #expect(cells[2] == (graphics == .unicode ? "█▁" : "^_"))
            #expect(cells[3] == MoneyText.grouped(Self.d(rows["retail 2025-03"]?.margin ?? ""), places: 2))
            #expect(cells[4] == MoneyText.grouped(Self.d(rows["retail 2025-04"]?.margin ?? ""), places: 2))
            if graphics == .ascii { #expect(cells[2].unicodeScalars.allSatisfy { $0.isASCII }) }
        }
    }

    @Test func theCostsTextShowsEachRowsShare() throws {
        var options = BillingFixtures.reportOptions
        options.textGraphics = .unicode
        let text = CostReportRenderer.render(
            CostsReport(result: BillingFixtures.billingResult, groupBy: [.group], options: options), as: .text)
        // retail 440.35 and wholesale 125.00 of 565.35.
        #expect(text.contains("Share of pro forma"))
        let retail = try #require(text.split(separator: "\n").first { $0.hasPrefix("retail") })
        #expect(retail.hasSuffix("███████▊   77.9%"))
        let unassigned = try #require(text.split(separator: "\n").first { $0.hasPrefix("(unassigned)") })
        #expect(unassigned.hasSuffix("0.0%"))
    }
}

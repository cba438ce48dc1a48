import Foundation
import ProformaCore
import ProformaEngine
import ProformaLoader
import ProformaModel
import ProformaReport
import ProformaTestSupport
import ProformaUsage
import Testing

/// billing-semantics.md §7, "one figure everywhere": a group's pro forma cost and AWS cost for a period are rounded
/// once from their exact values, and every document shows those figures (the margin as their difference): the
/// invoice in every format, the margin report by group, service and account, the costs report by group. Checked
/// over both examples, priced in-process from their usage files, and over generated usage.
@Suite struct OneFigureEverywhereTests {
    struct Figures: Equatable, CustomStringConvertible {
        var proForma: ExactDecimal
        var awsCost: ExactDecimal?
        var margin: ExactDecimal?
        var description: String {
            "\(proForma) / \(awsCost.map(\.description) ?? "-") / \(margin.map(\.description) ?? "-")"
        }
    }

    // MARK: - Pricing

    /// The example's configuration (every YAML file below its folder, and the issuer's logo) and its usage files.
    static func example(_ name: String) throws -> (Configuration, [String]) {
        let root = TestSupport.packageRoot.appendingPathComponent("examples/\(name)")
        var files: [String: String] = [:]
        let enumerator = FileManager.default.enumerator(atPath: root.path)
        while let path = enumerator?.nextObject() as? String {
            guard path.hasSuffix(".yaml") || path.hasSuffix(".svg"),
                !path.split(separator: "/").contains(where: { $0.hasPrefix(".") })
            else {
                continue
            }
            files[path] = try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
        }
        let loaded = try ConfigurationLoader().load(from: InMemoryFileTree(files: files))
        #expect(!loaded.diagnostics.contains { $0.severity == .error }, "\(loaded.diagnostics)")
        let usage = (loaded.configuration.project?.usage ?? []).map { root.appendingPathComponent($0.path).path }
        #expect(!usage.isEmpty)
        return (loaded.configuration, usage)
    }

    static func price(_ configuration: Configuration, files: [String]) throws -> BillingResult {
        let pipeline = PricingPipeline(engine: PricingEngine(configuration: configuration))
        for file in files {
            let reader = try UsageReader(path: file)
            while let line = try reader.next() { try pipeline.add(line, file: file) }
        }
        return try pipeline.finish().result()
    }

    // MARK: - Reading every document back

    static func amount(_ text: Substring) throws -> ExactDecimal {
        let plain = text.filter { $0 != "," && $0 != "*" && $0 != " " }
        guard let value = ExactDecimal(plain) else { throw RenderedOutput.Failure("not an amount: \(text)") }
        return value
    }

    /// The figures each invoice format shows: the pro forma total in every format, AWS cost and margin in JSON.
    static func invoiceFigures(_ document: InvoiceDocument) throws -> [String: Figures] {
        var shown: [String: Figures] = [:]
        let currency = document.result.currency
        for format in InvoiceFormat.allCases {
            let output = InvoiceRenderer.render(document, as: format)
            let lines = output.split(separator: "\n")
            switch format {
            case .text:
                let line = try #require(lines.first { $0.hasPrefix("Total (\(currency))") })
                shown["invoice text"] = Figures(proForma: try amount(try #require(line.split(separator: " ").last)))
            case .markdown:
                let line = try #require(lines.first { $0.hasPrefix("| **Total (") })
                let cells = line.split(separator: "|")
                shown["invoice markdown"] = Figures(proForma: try amount(try #require(cells.last)))
            case .html:
                let line = try #require(lines.first { $0.contains(">Total (\(currency))</td>") })
                let cell = try #require(line.split(separator: "<td class=\"amount\">").last)
                shown["invoice html"] = Figures(proForma: try amount(try #require(cell.split(separator: "<").first)))
            case .pdf:
                continue  // the HTML page, printed by a converter
            case .csv:
                // No total row: the lines add up to the total.
                var sum = ExactDecimal.zero
                for record in try RenderedOutput.csvRecords(output) {
                    sum += try amount(Substring(try #require(record["amount"])))
                }
                shown["invoice csv"] = Figures(proForma: sum)
            case .json:
                let json = try RenderedOutput.json(output)
                let totals = try #require(json["totals"] as? [String: Any])
                let internalFigures = try #require(json["internal"] as? [String: Any])
                shown["invoice json"] = Figures(
                    proForma: try RenderedOutput.decimal(totals["total_rounded"]),
                    awsCost: try RenderedOutput.decimal(internalFigures["aws_cost_rounded"]),
                    margin: try RenderedOutput.decimal(internalFigures["margin_rounded"]))
                try checkBreakdown(json, places: document.currencyPlaces)
            }
        }
        return shown
    }

    /// Inside an invoice: every column adds up, and every section is its exact figure rounded ± one minor unit.
    static func checkBreakdown(_ json: [String: Any], places: Int) throws {
        let unit = ExactDecimal(significand: 1, scale: places)
        let totals = try #require(json["totals"] as? [String: Any])
        let lines = try #require(json["lines"] as? [[String: Any]])
        let items = try #require(json["custom_line_items"] as? [[String: Any]])
        let usage = try RenderedOutput.decimal(totals["usage_rounded"])
        let custom = try RenderedOutput.decimal(totals["custom_line_items_rounded"])
        #expect(try lines.map { try RenderedOutput.decimal($0["amount_rounded"]) }.sum() == usage)
        #expect(try items.map { try RenderedOutput.decimal($0["amount_rounded"]) }.sum() == custom)
        #expect(try usage + custom == RenderedOutput.decimal(totals["total_rounded"]))
        #expect(try (usage - RenderedOutput.decimal(totals["usage"])).magnitude < unit)
        for item in items {
            let shown = try RenderedOutput.decimal(item["amount_rounded"])
            #expect(try (shown - RenderedOutput.decimal(item["amount"])).magnitude < unit)
            let parts = try #require(item["parts"] as? [[String: Any]])
            if !parts.isEmpty {
                #expect(try parts.map { try RenderedOutput.decimal($0["amount_rounded"]) }.sum() == shown)
            }
            if let base = item["base"] as? String, base == totals["usage"] as? String {
                // The base printed beside a percentage of the whole usage is the subtotal as shown.
                #expect(item["base_rounded"] as? String == totals["usage_rounded"] as? String)
            }
        }
    }

    /// The figures of every group and period in a margin report (JSON and CSV; by service and account the group's
    /// rows summed).
    static func marginFigures(_ result: BillingResult, by: MarginBreakdown, options: CostReportOptions) throws
        -> [String: Figures]
    {
        let report = MarginReport(result: result, by: by, options: options)
        var figures: [String: Figures] = [:]
        let json = try RenderedOutput.json(CostReportRenderer.render(report, as: .json))
        #expect((json["check"] as? [String: Any])?["adds_up"] as? Bool == true)
        for row in try #require(json["rows"] as? [[String: Any]]) {
            guard let group = row["billing_group"] as? String else { continue }
            let key = "\(group) \(row["period"] as? String ?? "")"
            let old = figures[key] ?? Figures(proForma: .zero, awsCost: .zero, margin: .zero)
            figures[key] = Figures(
                proForma: old.proForma + (try RenderedOutput.decimal(row["pro_forma_rounded"])),
                awsCost: (old.awsCost ?? .zero) + (try RenderedOutput.decimal(row["aws_cost_rounded"])),
                margin: (old.margin ?? .zero) + (try RenderedOutput.decimal(row["margin_rounded"])))
        }
        if by == .group {
            for record in RenderedOutput.csvRecords(CostReportRenderer.render(report, as: .csv))
            where record["row_type"] == "billing_group" {
                let key = "\(record["billing_group"] ?? "") \(record["period"] ?? "")"
                let csv = Figures(
                    proForma: try amount(Substring(record["pro_forma"] ?? "")),
                    awsCost: try amount(Substring(record["aws_cost"] ?? "")),
                    margin: try amount(Substring(record["margin"] ?? "")))
                #expect(csv == figures[key], "margin CSV of \(key)")
            }
        }
        return figures
    }

    static func costsFigures(_ result: BillingResult, options: CostReportOptions) throws -> [String: Figures] {
        let report = CostsReport(result: result, groupBy: [.group, .period], options: options)
        let json = try RenderedOutput.json(CostReportRenderer.render(report, as: .json))
        var figures: [String: Figures] = [:]
        for row in try #require(json["rows"] as? [[String: Any]]) {
            let dimensions = try #require(row["dimensions"] as? [String: String])
            guard let group = dimensions["group"], group != CostReportRenderer.unassignedGroup else { continue }
            let proForma = try RenderedOutput.decimal(row["pro_forma_rounded"])
            let aws = try RenderedOutput.decimal(row["aws_cost_rounded"])
            figures["\(group) \(dimensions["period"] ?? "")"] = Figures(
                proForma: proForma, awsCost: aws, margin: proForma - aws)
        }
        return figures
    }

    /// Every document agrees on every group's figures, and those are the exact figures rounded once.
    static func checkEveryDocument(_ result: BillingResult, configuration: Configuration) throws {
        let rounding = configuration.project?.rounding ?? .halfEven
        #expect(!result.groups.isEmpty)
        for period in result.periods {
            let options = CostReportOptions(period: period, rounding: rounding)
            let margins = try MarginBreakdown.allCases.map { try marginFigures(result, by: $0, options: options) }
            let costs = try costsFigures(result, options: options)
            for group in result.groups where group.period == period {
                let key = "\(group.group) \(period)"
                let places = CurrencyMinorUnits.places(for: group.currency)
                let proForma = group.proFormaCost.rounded(scale: places, rounding)
                let aws = group.awsCost.rounded(scale: places, rounding)
                let expected = Figures(proForma: proForma, awsCost: aws, margin: proForma - aws)
                let document = InvoiceDocument(
                    result: group, group: configuration.billingGroups.first { $0.name == group.group },
                    accounts: configuration.accounts, rounding: rounding, provenance: Provenance(toolVersion: "test"))
                for (name, shown) in try invoiceFigures(document) {
                    if shown.awsCost == nil {
                        #expect(shown.proForma == expected.proForma, "\(name) of \(key)")
                    } else {
                        #expect(shown == expected, "\(name) of \(key)")
                    }
                }
                // A group without lines in the period (a cost allocation's source group, whose lines it consumed)
                // has no row to show by service or account, nor in the costs report: its figures are 0.
                let none = Figures(proForma: .zero, awsCost: .zero, margin: .zero)
                let absent = expected == none ? none : nil
                for (by, figures) in zip(MarginBreakdown.allCases, margins) {
                    #expect((figures[key] ?? absent) == expected, "margin report by \(by.rawValue) of \(key)")
                }
                #expect((costs[key] ?? absent) == expected, "costs report of \(key)")
            }
        }
    }

    // MARK: - Tests

    @Test(arguments: ["msp", "enterprise"])
    func examples(name: String) throws {
        let (configuration, files) = try Self.example(name)
        let result = try Self.price(configuration, files: files)
        #expect(result.periods.count == 2)
        try Self.checkEveryDocument(result, configuration: configuration)
    }

    /// The examples' configurations over generated usage: random accounts (some in no group, some of those in
    /// NOK), line types, services, signs and scales.
    @Test(arguments: [("msp", UInt64(1)), ("msp", 2), ("enterprise", 3), ("enterprise", 4)])
    func generatedUsage(example: String, seed: UInt64) throws {
        let (configuration, _) = try Self.example(example)
        var random = SeededGenerator(seed: seed)
        let members = configuration.billingGroups.flatMap(\.accountIDs)
        let strangers = ["900000000001", "900000000002"]
        let services = ["AmazonEC2", "AmazonS3", "AmazonRDS", "AWSLambda", "AmazonCloudWatch", "AWSDataTransfer"]
        let types: [LineItemType] = [
            .usage, .usage, .usage, .discountedUsage, .savingsPlanCoveredUsage, .savingsPlanNegation, .riFee, .fee,
            .credit, .tax,
        ]
        let periods = [BillingPeriod("2026-09")!, BillingPeriod("2026-10")!]
        func amount(negative: Bool = false) -> ExactDecimal {
            let value = ExactDecimal(
                significand: Int128(Int64.random(in: 0...9_999_999_999, using: &random)),
                scale: Int.random(in: 2...12, using: &random))
            return negative ? -value : value
        }
        var lines: [UsageLine] = []
        for row in 0..<3_000 {
            let stranger = Int.random(in: 0..<8, using: &random) == 0
            let account = stranger ? strangers.randomElement(using: &random)! : members.randomElement(using: &random)!
            let type = types.randomElement(using: &random)!
            let negative = type == .credit || type == .savingsPlanNegation
            let publicCost: ExactDecimal? =
                Int.random(in: 0..<20, using: &random) == 0 ? nil : amount(negative: negative)
            lines.append(
                UsageLine(
                    row: row + 2, period: periods.randomElement(using: &random)!, usageAccountID: account,
                    lineItemType: type, serviceCode: services.randomElement(using: &random)!,
                    usageType: "USE1-BoxUsage:m5.large", operation: "RunInstances", billingEntity: "AWS",
                    publicOnDemandCost: publicCost,
                    actualCost: Int.random(in: 0..<10, using: &random) == 0 ? .zero : amount(negative: negative),
                    usageAmount: amount(), currency: stranger && account == strangers[1] ? "NOK" : "USD",
                    commitmentOwnerAccountID: ""))
        }
        let engine = PricingEngine(configuration: configuration)
        for line in lines { try engine.add(line, source: "generated:\(line.row)") }
        let result = try engine.result()
        try Self.checkEveryDocument(result, configuration: configuration)
        // Currencies are never added: the unassigned NOK and USD lines stay apart in every report total.
        let report = MarginReport(
            result: result, by: .group, options: CostReportOptions(period: periods[0], rounding: .halfEven))
        let json = try RenderedOutput.json(CostReportRenderer.render(report, as: .json))
        let currencies = try #require(json["totals"] as? [[String: Any]]).compactMap { $0["currency"] as? String }
        #expect(currencies == ["NOK", "USD"])
    }
}

import Foundation
import ProformaCore
import ProformaEngine
import ProformaReport
import Testing

/// `report costs --format cost-explorer`: the shape of Cost Explorer's GetCostAndUsage response, with the report's
/// figures.
@Suite struct CostExplorerTests {
    static func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test(arguments: [
        [CostDimension.group, .service], [.service, .category], [.account], [.period, .lineType], [.group],
    ])
    func amountsEqualTheReportsRows(groupBy: [CostDimension]) throws {
        // The report split by period, as Cost Explorer's results are by time.
        let dimensions = groupBy.contains(.period) ? groupBy : groupBy + [.period]
        let report = CostsReport(
            result: BillingFixtures.billingResult, groupBy: dimensions, options: BillingFixtures.reportOptions)
        let json = try Self.object(CostReportRenderer.render(report, as: .json))
        let explorer = try Self.object(
            CostReportRenderer.render(
                CostsReport(
                    result: BillingFixtures.billingResult, groupBy: groupBy, options: BillingFixtures.reportOptions),
                as: .costExplorer))
        let keyDimensions = dimensions.filter { $0 != .period }
        // Expected: every report row, by period and keys.
        var expected: [String: [String]] = [:]
        for row in try #require(json["rows"] as? [[String: Any]]) {
            let values = try #require(row["dimensions"] as? [String: String])
            let period = try #require(values["period"])
            let key = period + "|" + keyDimensions.map { values[$0.rawValue]! }.joined(separator: "|")
            expected[key] = [
                row["pro_forma_rounded"] as! String, row["aws_cost_rounded"] as! String,
                row["public_cost_rounded"] as! String, row["currency"] as! String,
            ]
        }
        var seen: [String: [String]] = [:]
        let definitions = try #require(explorer["GroupDefinitions"] as? [[String: String]])
        #expect(definitions.count == keyDimensions.count)
        #expect(explorer["DimensionValueAttributes"] is [Any])
        for result in try #require(explorer["ResultsByTime"] as? [[String: Any]]) {
            let time = try #require(result["TimePeriod"] as? [String: String])
            let start = try #require(time["Start"])
            #expect(start.hasSuffix("-01") && time["End"]!.hasSuffix("-01") && time["End"]! > start)
            #expect(result["Estimated"] as? Bool == false)
            var totals: [ExactDecimal] = [.zero, .zero, .zero]
            for group in try #require(result["Groups"] as? [[String: Any]]) {
                let keys = try #require(group["Keys"] as? [String])
                let metrics = try #require(group["Metrics"] as? [String: [String: String]])
                let amounts = CostExplorerRenderer.metrics.map { metrics[$0]!["Amount"]! }
                seen[String(start.prefix(7)) + "|" + keys.joined(separator: "|")] =
                    amounts + [metrics["ProformaCost"]!["Unit"]!]
                totals = zip(totals, amounts).map { $0 + ExactDecimal($1)! }
            }
            let total = try #require(result["Total"] as? [String: [String: String]])
            if let proForma = total["ProformaCost"] {
                #expect(ExactDecimal(proForma["Amount"]!)! == totals[0])
                #expect(ExactDecimal(total["AWSCost"]!["Amount"]!)! == totals[1])
            }
        }
        #expect(seen == expected)
        #expect(!seen.isEmpty)
    }

    @Test func withoutDimensionsTheFiguresAreInTotal() throws {
        let report = CostsReport(
            result: BillingFixtures.billingResult, groupBy: [.period], options: BillingFixtures.reportOptions)
        let json = try Self.object(CostReportRenderer.render(report, as: .json))
        let explorer = try Self.object(CostReportRenderer.render(report, as: .costExplorer))
        #expect((explorer["GroupDefinitions"] as? [Any])?.isEmpty == true)
        var expected: [String: String] = [:]
        for row in try #require(json["rows"] as? [[String: Any]]) {
            let period = try #require((row["dimensions"] as? [String: String])?["period"])
            expected[period] = try #require(row["pro_forma_rounded"] as? String)
        }
        var seen: [String: String] = [:]
        for result in try #require(explorer["ResultsByTime"] as? [[String: Any]]) {
            #expect((result["Groups"] as? [Any])?.isEmpty == true)
            let start = try #require((result["TimePeriod"] as? [String: String])?["Start"])
            let total = try #require(result["Total"] as? [String: [String: String]])
            seen[String(start.prefix(7))] = total["ProformaCost"]?["Amount"]
        }
        #expect(seen == expected && !seen.isEmpty)
    }

    @Test func theMarginReportHasNoCostExplorerShape() {
        // The CLI refuses it; the renderer falls back to the margin report's JSON.
        let report = MarginReport(result: BillingFixtures.billingResult, options: BillingFixtures.reportOptions)
        #expect(CostReportRenderer.render(report, as: .costExplorer) == CostReportRenderer.render(report, as: .json))
    }
}

import Foundation
import ProformaCore
import ProformaModel
import Testing

@testable import ProformaEngine
@testable import ProformaReport

@Suite struct CostReportRenderingTests {
    static let d = BillingFixtures.d

    static func marginJSON(_ report: MarginReport) throws -> [String: Any] {
        try RenderedOutput.json(CostReportRenderer.render(report, as: .json))
    }

    /// Σ rows = total per column, margin = pro forma − AWS cost per row, as shown; returns the totals.
    static func checkColumnsAddUp(_ json: [String: Any]) throws -> [String: [String: Any]] {
        let rows = try #require(json["rows"] as? [[String: Any]])
        let totals = try #require(json["totals"] as? [[String: Any]])
        var byCurrency: [String: [String: Any]] = [:]
        for total in totals {
            let currency = try #require(total["currency"] as? String)
            byCurrency[currency] = total
            let mine = rows.filter { $0["currency"] as? String == currency }
            for column in ["pro_forma", "aws_cost", "margin"] {
                let shown = try mine.map { try RenderedOutput.decimal($0[column + "_rounded"]) }.sum()
                #expect(try shown == RenderedOutput.decimal(total[column + "_rounded"]), "\(column) in \(currency)")
                let exact = try mine.map { try RenderedOutput.decimal($0[column]) }.sum()
                #expect(try exact == RenderedOutput.decimal(total[column]), "exact \(column) in \(currency)")
            }
            for row in mine + [total] {
                #expect(
                    try RenderedOutput.decimal(row["pro_forma_rounded"])
                        - RenderedOutput.decimal(row["aws_cost_rounded"])
                        == RenderedOutput.decimal(row["margin_rounded"]))
            }
        }
        return byCurrency
    }

    // MARK: - Margin report

    @Test(arguments: MarginBreakdown.allCases)
    func marginReportAddsUp(by: MarginBreakdown) throws {
        let report = MarginReport(result: BillingFixtures.billingResult, by: by, options: BillingFixtures.reportOptions)
        let json = try Self.marginJSON(report)
        #expect(json["format_version"] as? Int == 1)
        let totals = try Self.checkColumnsAddUp(json)
        let usd = try #require(totals["USD"])
        // The same totals whatever the breakdown: both groups' pro forma cost, and every AWS cost in the data.
        #expect(usd["pro_forma"] as? String == "565.3539")
        #expect(usd["aws_cost"] as? String == "460.8006333333")
        #expect(usd["pro_forma_rounded"] as? String == "565.35")
        #expect(usd["aws_cost_rounded"] as? String == "460.80")
        let check = try #require(json["check"] as? [String: Any])
        #expect(check["adds_up"] as? Bool == true)
        let currencies = try #require(check["currencies"] as? [[String: Any]])
        #expect(currencies.count == 1)
        #expect(currencies.first?["currency"] as? String == "USD")
        #expect(currencies.first?["data_aws_cost"] as? String == "460.8006333333")
        #expect(currencies.first?["reported_aws_cost"] as? String == "460.8006333333")
        #expect(
            CostReportRenderer.render(report, as: .text).contains(
                "Check: the AWS cost of the groups and the unassigned accounts adds up"))
    }

    @Test func unassignedRowHasAWSCostOnly() throws {
        let report = MarginReport(
            result: BillingFixtures.billingResult, by: .group, options: BillingFixtures.reportOptions)
        let rows = try #require(try Self.marginJSON(report)["rows"] as? [[String: Any]])
        let unassigned = try #require(rows.last)
        #expect(unassigned["unassigned"] as? Bool == true)
        #expect(unassigned["billing_group"] is NSNull)
        #expect(unassigned["pro_forma"] as? String == "0.00")
        #expect(unassigned["aws_cost"] as? String == "20.4583")  // tax of 1.00 left out
        #expect(unassigned["margin"] as? String == "-20.4583")
        #expect(unassigned["margin_percentage"] is NSNull)
        let csv = RenderedOutput.csvRecords(CostReportRenderer.render(report, as: .csv))
        let row = try #require(csv.first { $0["row_type"] == "unassigned" })
        #expect(row["billing_group"] == "")
        #expect(row["margin"] == "-20.46")
        #expect(row["margin_percentage"] == "")
    }

    @Test func serviceRowsOfAGroupAddUpToItsProFormaCost() throws {
        let report = MarginReport(
            result: BillingFixtures.billingResult, by: .service, options: BillingFixtures.reportOptions)
        let rows = try #require(try Self.marginJSON(report)["rows"] as? [[String: Any]])
        for group in BillingFixtures.billingResult.groups {
            let mine = rows.filter { $0["billing_group"] as? String == group.group }
            #expect(try mine.map { try RenderedOutput.decimal($0["pro_forma"]) }.sum() == group.proFormaCost)
            #expect(try mine.map { try RenderedOutput.decimal($0["aws_cost"]) }.sum() == group.awsCost)
            #expect(mine.last?["service"] as? String == CostReportRenderer.customLineItemsService)
        }
    }

    @Test func accountRowsCarryTheCustomLineItemsOfTheirAccount() throws {
        let report = MarginReport(
            result: BillingFixtures.billingResult, by: .account, options: BillingFixtures.reportOptions)
        let rows = try #require(try Self.marginJSON(report)["rows"] as? [[String: Any]])
        let primary = try #require(rows.first { $0["account_id"] as? String == "111111111111" })
        // Usage 285.00 plus 55.35 of custom line items, all charged to the primary account.
        #expect(primary["pro_forma"] as? String == "340.35")
        #expect(primary["account_name"] as? String == "Retail production")
    }

    @Test func aMissingAWSCostIsReported() throws {
        var result = BillingFixtures.billingResult
        result.unassigned.removeLast()  // the data totals still hold it
        let report = MarginReport(result: result, by: .group, options: BillingFixtures.reportOptions)
        let check = try #require(try Self.marginJSON(report)["check"] as? [String: Any])
        #expect(check["adds_up"] as? Bool == false)
        #expect(CostReportRenderer.render(report, as: .text).contains("Check FAILED"))
    }

    @Test func currenciesAreNeverSummed() throws {
        let euro = BillingFixtures.groupResult(
            BillingFixtures.wholesale, rows: BillingFixtures.wholesaleRows, items: BillingFixtures.wholesaleItems,
            currency: "EUR")
        let result = BillingFixtures.result(
            groups: [BillingFixtures.retailResult, euro], unassigned: BillingFixtures.unassignedRows)
        let report = MarginReport(result: result, by: .group, options: BillingFixtures.reportOptions)
        let totals = try Self.checkColumnsAddUp(try Self.marginJSON(report))
        #expect(Set(totals.keys) == ["EUR", "USD"])
        #expect(totals["EUR"]?["pro_forma_rounded"] as? String == "125.00")
        #expect(totals["USD"]?["pro_forma_rounded"] as? String == "440.35")
        let text = CostReportRenderer.render(report, as: .text)
        #expect(text.split(separator: "\n").filter { $0.hasPrefix("Total") }.count == 2)

        let costs = CostsReport(result: result, groupBy: [.service], options: BillingFixtures.reportOptions)
        let costsJSON = try RenderedOutput.json(CostReportRenderer.render(costs, as: .json))
        #expect((costsJSON["totals"] as? [[String: Any]])?.compactMap { $0["currency"] as? String } == ["EUR", "USD"])
    }

    @Test func periodsAreReportedSeparately() throws {
        let april = BillingFixtures.period.next
        let aprilRows = [
            BillingFixtures.row(
                "111111111111", "AmazonEC2", "Usage", .onDemand, proForma: "10.00", actual: "8.00", period: april)
        ]
        let aprilResult = BillingFixtures.groupResult(BillingFixtures.retail, rows: aprilRows, items: [], period: april)
        let result = BillingFixtures.result(
            groups: [BillingFixtures.retailResult, aprilResult], unassigned: BillingFixtures.unassignedRows)

        var options = BillingFixtures.reportOptions
        options.period = nil
        let all = try #require(
            try Self.marginJSON(MarginReport(result: result, by: .group, options: options))["rows"] as? [[String: Any]])
        #expect(all.map { $0["period"] as? String } == ["2025-03", "2025-03", "2025-04", "2025-04"])
        #expect(all.map { $0["billing_group"] as? String } == ["retail", nil, "retail", nil])

        options.period = april
        let report = MarginReport(result: result, by: .group, options: options)
        let json = try Self.marginJSON(report)
        let rows = try #require(json["rows"] as? [[String: Any]])
        #expect(rows.map { $0["period"] as? String } == ["2025-04", "2025-04"])
        #expect(rows.first?["pro_forma"] as? String == "10.00")
        #expect((json["check"] as? [String: Any])?["adds_up"] as? Bool == true)
    }

    // MARK: - Costs report

    @Test func costsWithoutDimensionsIsOneTotal() throws {
        let report = CostsReport(
            result: BillingFixtures.billingResult, groupBy: [], options: BillingFixtures.reportOptions)
        let json = try RenderedOutput.json(CostReportRenderer.render(report, as: .json))
        let rows = try #require(json["rows"] as? [[String: Any]])
        #expect(rows.count == 1)
        let total = try #require((json["totals"] as? [[String: Any]])?.first)
        // The same totals as the margin report.
        #expect(total["pro_forma_rounded"] as? String == "565.35")
        #expect(total["aws_cost_rounded"] as? String == "460.80")
        #expect(total["lines"] as? Int == 3433)
    }

    @Test func costsDimensionsAreTakenOnceInTheirOrder() {
        let report = CostsReport(
            result: BillingFixtures.billingResult, groupBy: [.category, .group, .category, .period])
        #expect(report.groupBy == [.category, .group, .period])
    }

    @Test func costsSortByDimensionValues() throws {
        let report = CostsReport(
            result: BillingFixtures.billingResult, groupBy: [.group, .category], options: BillingFixtures.reportOptions)
        let json = try RenderedOutput.json(CostReportRenderer.render(report, as: .json))
        let rows = try #require(json["rows"] as? [[String: Any]])
        let keys = rows.map { row -> String in
            let dimensions = row["dimensions"] as? [String: String] ?? [:]
            return "\(dimensions["group"] ?? "?")/\(dimensions["category"] ?? "?")"
        }
        #expect(
            keys == [
                "retail/on-demand", "retail/free", "retail/covered", "retail/commitment-fee", "retail/other",
                "retail/excluded",
                "retail/custom-line-item", "wholesale/on-demand", "wholesale/custom-line-item",
                "(unassigned)/unassigned",
            ])
        let columns = ["pro_forma", "aws_cost", "public_cost"]
        let total = try #require((json["totals"] as? [[String: Any]])?.first)
        for column in columns {
            #expect(
                try rows.map { try RenderedOutput.decimal($0[column + "_rounded"]) }.sum()
                    == RenderedOutput.decimal(total[column + "_rounded"]))
        }
    }

    @Test func costsCSVNeutralisesTextButNotAmounts() throws {
        var result = BillingFixtures.billingResult
        result.unassigned.append(
            BillingFixtures.row(
                "777777777777", "=cmd|' /C calc'!A0", "Usage", .unassigned, proForma: "0", actual: "-3.50"))
        result.dataTotals = []
        let report = CostsReport(result: result, groupBy: [.service], options: BillingFixtures.reportOptions)
        let records = RenderedOutput.csvRecords(CostReportRenderer.render(report, as: .csv))
        let hostile = try #require(records.first { $0["service"]?.contains("calc") == true })
        #expect(hostile["service"] == "'=cmd|' /C calc'!A0")
        #expect(hostile["aws_cost"] == "-3.50")
        #expect(hostile["aws_cost_exact"] == "-3.50")
    }

    // MARK: - Property: every column adds up

    @Test(arguments: [RoundingMode.halfEven, .halfUp])
    func reportColumnsAlwaysAddUp(mode: RoundingMode) throws {
        var generator = SeededGenerator(seed: mode == .halfEven ? 7 : 8)
        for _ in 0..<60 {
            let retail = InvoiceRenderingTests.randomResult(&generator)
            var other = InvoiceRenderingTests.randomResult(&generator)
            other.group = "wholesale"
            other.currency = ["USD", "JPY", "KWD"].randomElement(using: &generator)!
            let unassigned = (0..<Int.random(in: 0...5, using: &generator)).map { _ in
                BillingFixtures.row(
                    "555555555555", "AmazonEC2", "Usage", .unassigned, proForma: "0",
                    actual: InvoiceRenderingTests.randomAmount(&generator).description)
            }
            let result = BillingFixtures.result(groups: [retail, other], unassigned: unassigned)
            let options = CostReportOptions(period: BillingFixtures.period, rounding: mode)
            for by in MarginBreakdown.allCases {
                let json = try Self.marginJSON(MarginReport(result: result, by: by, options: options))
                _ = try Self.checkColumnsAddUp(json)
                #expect((json["check"] as? [String: Any])?["adds_up"] as? Bool == true)
            }
            let costs = CostsReport(result: result, groupBy: [.account, .service], options: options)
            let json = try RenderedOutput.json(CostReportRenderer.render(costs, as: .json))
            let rows = try #require(json["rows"] as? [[String: Any]])
            for total in try #require(json["totals"] as? [[String: Any]]) {
                let mine = rows.filter { $0["currency"] as? String == total["currency"] as? String }
                for column in ["pro_forma", "aws_cost", "public_cost"] {
                    #expect(
                        try mine.map { try RenderedOutput.decimal($0[column + "_rounded"]) }.sum()
                            == RenderedOutput.decimal(total[column + "_rounded"]))
                }
            }
        }
    }
}

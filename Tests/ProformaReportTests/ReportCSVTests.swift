import Foundation
import ProformaCore
import ProformaModel
import Testing

@testable import ProformaEngine
@testable import ProformaReport

/// The report CSVs are tidy: one row per figure row, no total row; their columns sum to the JSON totals exactly, and
/// the totals file holds those totals.
@Suite struct ReportCSVTests {
    /// Two currencies over two periods, with unassigned accounts.
    static var result: BillingResult {
        let euro = BillingFixtures.groupResult(
            BillingFixtures.wholesale, rows: BillingFixtures.wholesaleRows, items: BillingFixtures.wholesaleItems,
            currency: "EUR")
        let april = BillingFixtures.period.next
        let aprilRetail = BillingFixtures.groupResult(
            BillingFixtures.retail,
            rows: [
                BillingFixtures.row(
                    "111111111111", "AmazonEC2", "Usage", .onDemand, proForma: "10.005", actual: "18.0049",
                    publicCost: "11.1111", lines: 3, period: april)
            ], items: BillingFixtures.retailItems, period: april)
        return BillingFixtures.result(
            groups: [BillingFixtures.retailResult, euro, aprilRetail], unassigned: BillingFixtures.unassignedRows)
    }

    static var options: CostReportOptions {
        var options = BillingFixtures.reportOptions
        options.period = nil
        return options
    }

    /// Per currency, the sum of each figure column of `records`.
    static func sums(_ records: [[String: String]], _ columns: [String]) throws -> [String: [String: ExactDecimal]] {
        var sums: [String: [String: ExactDecimal]] = [:]
        for record in records {
            let currency = try #require(record["currency"])
            for column in columns {
                let value = try #require(ExactDecimal(record[column] ?? ""), "\(column): \(record[column] ?? "nil")")
                sums[currency, default: [:]][column, default: .zero] += value
            }
        }
        return sums
    }

    @Test(arguments: MarginBreakdown.allCases)
    func marginCSVColumnsSumToTheJSONTotals(by: MarginBreakdown) throws {
        let report = MarginReport(result: Self.result, by: by, options: Self.options)
        let records = RenderedOutput.csvRecords(CostReportRenderer.render(report, as: .csv))
        // One kind per row_type, no total among them.
        #expect(Set(records.compactMap { $0["row_type"] }) == ["billing_group", "unassigned"])
        #expect(records.allSatisfy { !($0["period"] ?? "").isEmpty })
        #expect(records.filter { $0["row_type"] == "unassigned" }.allSatisfy { $0["billing_group"] == "" })
        let columns = ["pro_forma", "aws_cost", "margin", "pro_forma_exact", "aws_cost_exact", "margin_exact"]
        let sums = try Self.sums(records, columns)
        let json = try RenderedOutput.json(CostReportRenderer.render(report, as: .json))
        let totals = try #require(json["totals"] as? [[String: Any]])
        #expect(Set(sums.keys) == ["EUR", "USD"])
        #expect(totals.count == 2)
        let totalsRecords = RenderedOutput.csvRecords(CostReportRenderer.totalsCSV(report))
        #expect(totalsRecords.map { $0["currency"] } == ["EUR", "USD"])
        for total in totals {
            let currency = try #require(total["currency"] as? String)
            let mine = try #require(sums[currency])
            let file = try #require(totalsRecords.first { $0["currency"] == currency })
            for (column, key) in [
                ("pro_forma", "pro_forma_rounded"), ("aws_cost", "aws_cost_rounded"), ("margin", "margin_rounded"),
                ("pro_forma_exact", "pro_forma"), ("aws_cost_exact", "aws_cost"), ("margin_exact", "margin"),
            ] {
                let expected = try RenderedOutput.decimal(total[key])
                #expect(mine[column] == expected, "\(currency) \(column)")
                #expect(file[column].flatMap(ExactDecimal.init) == expected, "totals file \(currency) \(column)")
            }
            #expect(file["margin_percentage"] == total["margin_percentage_rounded"] as? String ?? "")
        }
    }

    @Test(arguments: [[CostDimension.group, .period], [.service, .category], [.account], []])
    func costsCSVColumnsSumToTheJSONTotals(groupBy: [CostDimension]) throws {
        let report = CostsReport(result: Self.result, groupBy: groupBy, options: Self.options)
        let text = CostReportRenderer.render(report, as: .csv)
        let header = try #require(RenderedOutput.csv(text).first)
        #expect(header.prefix(groupBy.count) == ArraySlice(groupBy.map(\.rawValue)))
        #expect(!header.contains("row_type") && !header.contains("record"))
        let records = RenderedOutput.csvRecords(text)
        let columns = [
            "pro_forma", "aws_cost", "public_cost", "lines", "pro_forma_exact", "aws_cost_exact", "public_cost_exact",
        ]
        let sums = try Self.sums(records, columns)
        let json = try RenderedOutput.json(CostReportRenderer.render(report, as: .json))
        let totals = try #require(json["totals"] as? [[String: Any]])
        let totalsRecords = RenderedOutput.csvRecords(CostReportRenderer.totalsCSV(report))
        #expect(totalsRecords.count == totals.count)
        for total in totals {
            let currency = try #require(total["currency"] as? String)
            let file = try #require(totalsRecords.first { $0["currency"] == currency })
            for (column, key) in [
                ("pro_forma", "pro_forma_rounded"), ("aws_cost", "aws_cost_rounded"),
                ("public_cost", "public_cost_rounded"), ("pro_forma_exact", "pro_forma"),
                ("aws_cost_exact", "aws_cost"), ("public_cost_exact", "public_cost"),
            ] {
                let expected = try RenderedOutput.decimal(total[key])
                #expect(sums[currency]?[column] == expected, "\(currency) \(column)")
                #expect(file[column].flatMap(ExactDecimal.init) == expected)
            }
            #expect(sums[currency]?["lines"] == ExactDecimal(total["lines"] as? Int ?? -1))
            #expect(file["lines"] == String(total["lines"] as? Int ?? -1))
        }
    }

    @Test func totalsFilesCarryTheProvenanceAndNeutraliseText() throws {
        var options = Self.options
        options.provenance = Provenance(revision: "=HYPERLINK(\"x\")", usageFiles: ["a.csv"], toolVersion: "0.1.0")
        let margin = CostReportRenderer.totalsCSV(MarginReport(result: Self.result, options: options))
        let records = RenderedOutput.csvRecords(margin)
        #expect(records.count == 2)
        #expect(records.allSatisfy { $0["configuration_revision"] == "'=HYPERLINK(\"x\")" })
        #expect(records.allSatisfy { $0["usage_files"] == "a.csv" })
    }
}

import Foundation
import ProformaCore
import ProformaModel
import Testing

@testable import ProformaEngine
@testable import ProformaReport

/// The two-level breakdown inside an invoice, the base printed beside a percentage item, report rows that are
/// each group's one figure, and currencies that are never added (billing-semantics.md §2, §7).
@Suite struct FigureRenderingTests {
    static let d = BillingFixtures.d
    static let cent = d("0.01")

    static func usage(_ amounts: [String], account: String = "111111111111") -> [CostRow] {
        amounts.enumerated().map { index, amount in
            BillingFixtures.row(account, "Service\(index)", "Usage", .onDemand, proForma: amount, actual: "0")
        }
    }

    // MARK: - Inside an invoice

    /// Cents were spread across every line, so a subtotal drifted from its exact figure by several cents; now the
    /// subtotal is its exact figure rounded ± one cent, whatever the number of lines.
    @Test func theSubtotalStaysWithinOneCentOfItsExactFigure() {
        // Ten usage lines of x.004 (the subtotal 10.04 exactly) and five flat items of 1.006 (5.03).
        let rows = Self.usage(Array(repeating: "1.004", count: 10))
        let items = (0..<5).map { index in
            CustomLineItem(
                name: "fee\(index)", billingGroup: "retail", type: .fee, charge: .flat(chargeValue: Self.d("1.006")))
        }
        let result = BillingFixtures.groupResult(BillingFixtures.retail, rows: rows, items: items)
        let layout = InvoiceLayout(
            InvoiceDocument(result: result, rounding: .halfEven, provenance: BillingFixtures.provenance))
        #expect(layout.total.rounded == Self.d("15.07"))
        #expect(layout.usageTotal.exact == Self.d("10.04"))
        #expect(layout.usageTotal.rounded == Self.d("10.04"))
        #expect(layout.usageLines.map(\.amount.rounded).sum() == Self.d("10.04"))
        // Each section is its exact figure rounded up or down: the three cents left go to the first three items.
        #expect(layout.customLines.map(\.amount.rounded) == ["1.01", "1.01", "1.01", "1.00", "1.00"].map(Self.d))
        #expect(layout.customLineItemTotal.rounded == Self.d("5.03"))
    }

    @Test(arguments: [RoundingMode.halfEven, .halfUp])
    func sectionsAreTheirExactFiguresRoundedGiveOrTakeOneUnit(mode: RoundingMode) {
        var generator = SeededGenerator(seed: mode == .halfEven ? 31 : 32)
        for _ in 0..<300 {
            let result = InvoiceRenderingTests.randomResult(&generator)
            let places = [0, 2, 3].randomElement(using: &generator) ?? 2
            let unit = ExactDecimal(significand: 1, scale: places)
            let layout = InvoiceLayout(
                InvoiceDocument(
                    result: result, currencyPlaces: places, rounding: mode, provenance: BillingFixtures.provenance))
            #expect(layout.total.rounded == result.proFormaCost.rounded(scale: places, mode))
            #expect(layout.total == layout.figures.proForma)
            #expect((layout.usageTotal.rounded - result.usageTotal).magnitude < unit)
            #expect(layout.usageLines.map(\.amount.rounded).sum() == layout.usageTotal.rounded)
            for line in layout.customLines {
                #expect((line.amount.rounded - line.amount.exact).magnitude < unit)
                if line.isItemized { #expect(line.parts.map(\.amount.rounded).sum() == line.amount.rounded) }
            }
            #expect(layout.customLines.map(\.amount.rounded).sum() == layout.customLineItemTotal.rounded)
            #expect(layout.usageTotal.rounded + layout.customLineItemTotal.rounded == layout.total.rounded)
        }
    }

    /// "7 % of 414.49" was printed under a subtotal of 414.50: the base of a percentage of the whole usage is now
    /// the subtotal as shown, and any other base its exact figure rounded.
    @Test func theBaseOfAPercentageOfTheUsageIsTheSubtotalAsShown() throws {
        // Usage 100.004 rounds to 100.00 on its own, but the total (108.00735 → 108.01) leaves one cent that the
        // first level gives to the usage, whose remainder is the largest: the subtotal shows 100.01.
        let items = [
            CustomLineItem(
                name: "support", description: "Support", billingGroup: "retail", type: .fee,
                charge: .percentage(percentageValue: 7, associatedValues: ["retail"])),
            CustomLineItem(
                name: "with-fee", description: "On usage and fee", billingGroup: "retail", type: .fee,
                charge: .percentage(percentageValue: 1, associatedValues: ["retail", "flat"])),
            CustomLineItem(
                name: "flat", description: "Flat", billingGroup: "retail", type: .fee,
                charge: .flat(chargeValue: Self.d("0.003"))),
        ]
        let result = BillingFixtures.groupResult(BillingFixtures.retail, rows: Self.usage(["100.004"]), items: items)
        let invoice = InvoiceDocument(result: result, rounding: .halfEven, provenance: BillingFixtures.provenance)
        let layout = InvoiceLayout(invoice)
        #expect(layout.total.rounded == Self.d("108.01"))
        #expect(layout.usageTotal.rounded == Self.d("100.01"))
        let support = try #require(layout.customLines.first { $0.charge.name == "support" })
        let withFee = try #require(layout.customLines.first { $0.charge.name == "with-fee" })
        #expect(support.charge.base == Self.d("100.004"))
        #expect(support.base == Self.d("100.01"))
        #expect(withFee.charge.base == Self.d("100.007"))
        #expect(withFee.base == Self.d("100.01"))
        for format in [InvoiceFormat.text, .markdown, .html] {
            let output = InvoiceRenderer.render(invoice, as: format)
            #expect(output.contains("7% of 100.01"), "\(format)")
            #expect(!output.contains("7% of 100.00"), "\(format)")
        }
        let json = try RenderedOutput.json(InvoiceRenderer.render(invoice, as: .json))
        let supportJSON = (json["custom_line_items"] as? [[String: Any]])?.first { $0["name"] as? String == "support" }
        #expect(supportJSON?["base"] as? String == "100.004")
        #expect(supportJSON?["base_rounded"] as? String == "100.01")
    }

    // MARK: - Reports

    /// A group at 1.004 showed 1.01 in the report (adjusted to the report's total) and 1.00 on its invoice; now
    /// each row is its group's figure, and the total row their sum.
    @Test func reportRowsAreEachGroupsFigureAndTheTotalTheirSum() throws {
        let groups = ["1.004", "2.004", "3.004"].enumerated().map { index, amount in
            var result = BillingFixtures.groupResult(
                BillingFixtures.retail, rows: Self.usage([amount]), items: [])
            result.group = "g\(index)"
            return result
        }
        let result = BillingFixtures.result(groups: groups, unassigned: [])
        let options = CostReportOptions(period: BillingFixtures.period)
        let json = try RenderedOutput.json(
            CostReportRenderer.render(MarginReport(result: result, by: .group, options: options), as: .json))
        let rows = try #require(json["rows"] as? [[String: Any]]).filter { $0["billing_group"] is String }
        #expect(rows.map { $0["pro_forma_rounded"] as? String } == ["1.00", "2.00", "3.00"])
        let total = try #require((json["totals"] as? [[String: Any]])?.first)
        #expect(total["pro_forma_rounded"] as? String == "6.00")
        #expect(total["pro_forma"] as? String == "6.012")
        for group in groups {
            let invoice = InvoiceDocument(result: group, provenance: BillingFixtures.provenance)
            let row = rows.first { $0["billing_group"] as? String == group.group }
            #expect(
                row?["pro_forma_rounded"] as? String == MoneyText.plain(InvoiceLayout(invoice).total.rounded, places: 2)
            )
        }
    }

    /// Unassigned lines of 100 NOK and 7 USD were shown as 107.00 USD; now each currency has its own rows,
    /// totals and check.
    @Test func currenciesAreNeverAdded() throws {
        var nok = BillingFixtures.row("555555555555", "AmazonEC2", "Usage", .unassigned, proForma: "0", actual: "100")
        nok.key.currency = "NOK"
        var usd = BillingFixtures.row("666666666666", "AmazonS3", "Usage", .unassigned, proForma: "0", actual: "7")
        usd.key.currency = "USD"
        let result = BillingFixtures.result(groups: [BillingFixtures.retailResult], unassigned: [nok, usd])
        let options = CostReportOptions(period: BillingFixtures.period)
        for by in MarginBreakdown.allCases {
            let report = MarginReport(result: result, by: by, options: options)
            let text = CostReportRenderer.render(report, as: .text)
            #expect(!text.contains("107.00"), "by \(by)")
            let json = try RenderedOutput.json(CostReportRenderer.render(report, as: .json))
            let totals = try #require(json["totals"] as? [[String: Any]])
            #expect(totals.compactMap { $0["currency"] as? String } == ["NOK", "USD"])
            let nokTotal = totals.first { $0["currency"] as? String == "NOK" }
            #expect(nokTotal?["aws_cost_rounded"] as? String == "100.00")
            #expect(nokTotal?["pro_forma_rounded"] as? String == "0.00")
            let check = try #require(json["check"] as? [String: Any])
            #expect(check["adds_up"] as? Bool == true)
            let checked = try #require(check["currencies"] as? [[String: Any]])
            #expect(checked.compactMap { $0["currency"] as? String } == ["NOK", "USD"])
            #expect(text.contains("in each currency (NOK, USD)"))
            let unassigned = try #require(json["rows"] as? [[String: Any]]).filter { $0["unassigned"] as? Bool == true }
            #expect(Set(unassigned.compactMap { $0["currency"] as? String }) == ["NOK", "USD"])
        }
        let costs = CostsReport(result: result, groupBy: [.group], options: options)
        let json = try RenderedOutput.json(CostReportRenderer.render(costs, as: .json))
        let unassigned = try #require(json["rows"] as? [[String: Any]]).filter {
            ($0["dimensions"] as? [String: String])?["group"] == CostReportRenderer.unassignedGroup
        }
        #expect(unassigned.map { $0["currency"] as? String } == ["NOK", "USD"])
        #expect(unassigned.map { $0["aws_cost_rounded"] as? String } == ["100.00", "7.00"])
    }

    /// A check that does not add up names each currency that differs, and says it is a bug.
    @Test func aFailedCheckNamesTheCurrency() {
        var result = BillingFixtures.result(groups: [BillingFixtures.retailResult], unassigned: [])
        result.dataTotals = result.dataTotals.map { row in
            var row = row
            row.figures.actualCost += 1
            return row
        }
        let text = CostReportRenderer.render(
            MarginReport(result: result, options: CostReportOptions(period: BillingFixtures.period)), as: .text)
        #expect(text.contains("Check FAILED"))
        #expect(text.contains("USD "))
        #expect(text.contains("This is a bug"))
    }

    @Test func marginRowsByServiceAddUpToTheGroupsFigure() throws {
        let result = BillingFixtures.billingResult
        let options = BillingFixtures.reportOptions
        for by in [MarginBreakdown.service, .account] {
            let json = try RenderedOutput.json(
                CostReportRenderer.render(MarginReport(result: result, by: by, options: options), as: .json))
            for group in result.groups {
                let rows = try #require(json["rows"] as? [[String: Any]]).filter {
                    $0["billing_group"] as? String == group.group
                }
                let shown = try rows.map { try RenderedOutput.decimal($0["pro_forma_rounded"]) }.sum()
                #expect(shown == group.figures(rounding: options.rounding).proForma.rounded, "\(group.group) by \(by)")
                let aws = try rows.map { try RenderedOutput.decimal($0["aws_cost_rounded"]) }.sum()
                #expect(aws == group.figures(rounding: options.rounding).awsCost.rounded)
            }
        }
    }
}

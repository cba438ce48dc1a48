import Foundation
import ProformaCore
import ProformaModel
import Testing

@testable import ProformaEngine
@testable import ProformaReport

@Suite struct InvoiceRenderingTests {
    static let d = BillingFixtures.d

    // MARK: - Adding up

    @Test func shownLinesAddUpToTheShownTotal() {
        let layout = InvoiceLayout(BillingFixtures.retailInvoice)
        #expect(layout.total.exact == Self.d("440.35"))
        #expect(layout.total.rounded == Self.d("440.35"))
        #expect(layout.shownAmounts.sum() == layout.total.rounded)
        #expect(layout.usageTotal.rounded + layout.customLineItemTotal.rounded == layout.total.rounded)
        #expect(layout.usageTotal.rounded == Self.d("385.00"))
        #expect(layout.customLineItemTotal.rounded == Self.d("55.35"))
        for line in layout.customLines where line.isItemized {
            #expect(line.parts.map(\.amount.rounded).sum() == line.amount.rounded)
        }
        // Every shown line is within one cent of its exact amount.
        let exact =
            layout.usageLines.map(\.amount.exact)
            + layout.customLines.flatMap { $0.isItemized ? $0.parts.map(\.amount.exact) : [$0.amount.exact] }
        for (shown, exact) in zip(layout.shownAmounts, exact) {
            #expect((shown - exact).magnitude < Self.d("0.01"))
        }
    }

    /// The fixture is chosen so that rounding each line on its own does not add up: the adjustment is needed.
    @Test func roundingEachLineOnItsOwnWouldNotAddUp() {
        let layout = InvoiceLayout(BillingFixtures.retailInvoice)
        let independent = layout.usageLines.map { $0.amount.exact.rounded(scale: 2, .halfEven) }.sum()
        #expect(independent == Self.d("384.99"))
        #expect(layout.usageTotal.rounded == Self.d("385.00"))
        let adjusted = layout.usageLines.filter { $0.amount.rounded != $0.amount.exact.rounded(scale: 2, .halfEven) }
        #expect(adjusted.map(\.service) == ["AmazonEC2"])
        #expect(adjusted.first?.amount.rounded == Self.d("40.01"))
    }

    @Test func csvHasOneRowPerLineAndItsAmountsAddUpToTheJSONTotal() throws {
        let invoice = BillingFixtures.retailInvoice
        let records = RenderedOutput.csvRecords(InvoiceRenderer.render(invoice, as: .csv))
        let json = try RenderedOutput.json(InvoiceRenderer.render(invoice, as: .json))
        let totals = try #require(json["totals"] as? [String: Any])
        #expect(records.count == 15)  // 7 usage lines, 2 consolidated items, 6 parts; no subtotal or total rows
        #expect(Set(records.compactMap { $0["row_type"] }) == ["line", "custom_item", "custom_item_part"])
        #expect(records.filter { $0["row_type"] == "line" }.count == 7)
        let sum = try records.map { try RenderedOutput.decimal($0["amount"]) }.sum()
        #expect(try sum == RenderedOutput.decimal(totals["total_rounded"]))
        #expect(sum == Self.d("440.35"))
        let usage = try records.filter { $0["row_type"] == "line" }.map { try RenderedOutput.decimal($0["amount"]) }
        #expect(try usage.sum() == RenderedOutput.decimal(totals["usage_rounded"]))
        // The service code and its name, the invoice number on every row.
        let lambda = try #require(records.first { $0["service_code"] == "AWSLambda" })
        #expect(lambda["service_name"] == "AWS Lambda")
        #expect(records.allSatisfy { $0["invoice_number"] == invoice.heading.number })
    }

    @Test func theProjectsRoundingModeDecidesTies() {
        let row = BillingFixtures.row("111111111111", "AmazonEC2", "Usage", .onDemand, proForma: "10.125", actual: "9")
        let result = BillingFixtures.groupResult(BillingFixtures.retail, rows: [row], items: [])
        let even = InvoiceDocument(result: result, rounding: .halfEven, provenance: BillingFixtures.provenance)
        let up = InvoiceDocument(result: result, rounding: .halfUp, provenance: BillingFixtures.provenance)
        #expect(InvoiceLayout(even).total.rounded == Self.d("10.12"))
        #expect(InvoiceLayout(up).total.rounded == Self.d("10.13"))
        #expect(InvoiceRenderer.render(up, as: .text).contains("(half_up)"))
    }

    // MARK: - JSON

    @Test func jsonParsesAndCarriesExactAndRoundedFigures() throws {
        let json = try RenderedOutput.json(InvoiceRenderer.render(BillingFixtures.retailInvoice, as: .json))
        #expect(json["format_version"] as? Int == 1)
        #expect(json["currency"] as? String == "USD")
        let lines = try #require(json["lines"] as? [[String: Any]])
        #expect(lines.count == 7)
        var shown: [ExactDecimal] = []
        for line in lines {
            #expect(line["amount"] is String)
            #expect(line["amount_rounded"] is String)
            shown.append(try RenderedOutput.decimal(line["amount_rounded"]))
        }
        let lambda = try #require(lines.first { $0["service"] as? String == "AWSLambda" })
        #expect(lambda["amount"] as? String == "29.995")
        #expect(lambda["amount_rounded"] as? String == "30.00")
        let items = try #require(json["custom_line_items"] as? [[String: Any]])
        for item in items {
            let parts = try #require(item["parts"] as? [[String: Any]])
            if parts.isEmpty {
                shown.append(try RenderedOutput.decimal(item["amount_rounded"]))
            } else {
                let partSum = try parts.map { try RenderedOutput.decimal($0["amount_rounded"]) }.sum()
                #expect(try partSum == RenderedOutput.decimal(item["amount_rounded"]))
                shown.append(partSum)
            }
        }
        let totals = try #require(json["totals"] as? [String: Any])
        #expect(totals["total"] as? String == "440.35")
        #expect(try shown.sum() == RenderedOutput.decimal(totals["total_rounded"]))
        #expect(
            try RenderedOutput.decimal(totals["usage_rounded"])
                + RenderedOutput.decimal(totals["custom_line_items_rounded"])
                == RenderedOutput.decimal(totals["total_rounded"]))

        let internalFigures = try #require(json["internal"] as? [String: Any])
        #expect(internalFigures["aws_cost"] as? String == "350.3383333333")
        #expect(internalFigures["margin"] as? String == "90.0116666667")
        #expect(internalFigures["margin_percentage"] as? String == "20.4409371333")
        #expect(
            try RenderedOutput.decimal(totals["total_rounded"])
                - RenderedOutput.decimal(internalFigures["aws_cost_rounded"])
                == RenderedOutput.decimal(internalFigures["margin_rounded"]))
        let provenance = try #require(json["provenance"] as? [String: Any])
        #expect(provenance["configuration_commit"] as? String == BillingFixtures.provenance.commit)
    }

    @Test func marginPercentageIsNullWithoutProFormaCost() throws {
        let empty = BillingFixtures.groupResult(BillingFixtures.retail, rows: [], items: [])
        let invoice = InvoiceDocument(result: empty, provenance: Provenance(toolVersion: "0.1.0"))
        let json = try RenderedOutput.json(InvoiceRenderer.render(invoice, as: .json))
        let internalFigures = try #require(json["internal"] as? [String: Any])
        #expect(internalFigures["margin_percentage"] is NSNull)
        #expect(internalFigures["margin_percentage_rounded"] is NSNull)
        let totals = try #require(json["totals"] as? [String: Any])
        #expect(totals["total_rounded"] as? String == "0.00")
        #expect(InvoiceRenderer.render(invoice, as: .text).contains("No usage charges."))
    }

    /// Margin and AWS cost are for the reseller: only the JSON has them, under `internal`.
    @Test(arguments: [InvoiceFormat.text, .markdown, .csv, .html])
    func customerFormatsLeaveOutCostAndMargin(format: InvoiceFormat) {
        var output = InvoiceRenderer.render(BillingFixtures.retailInvoice, as: format).lowercased()
        if let style = output.range(of: "<style>"), let end = output.range(of: "</style>") {
            output.removeSubrange(style.lowerBound..<end.upperBound)  // CSS has margins of another kind
        }
        #expect(!output.contains("margin"))
        #expect(!output.contains("aws cost") && !output.contains("aws_cost"))
        #expect(!output.contains("350.34"))
    }

    // MARK: - Provenance

    @Test(arguments: InvoiceFormat.allCases)
    func everyFormatSaysWhichCommitPricedIt(format: InvoiceFormat) {
        let output = InvoiceRenderer.render(BillingFixtures.retailInvoice, as: format)
        #expect(output.contains("0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c"))
        #expect(output.contains("main"))
        #expect(output.contains("cur/2025-03/cur-00001.csv.gz"))
        #expect(output.contains("cur/2025-03/cur-00002.csv.gz"))
        #expect(output.contains("0.1.0"))
    }

    @Test(arguments: [InvoiceFormat.text, .markdown, .html])
    func anInvoiceFromTheWorkingTreeSaysSo(format: InvoiceFormat) {
        var invoice = BillingFixtures.retailInvoice
        invoice.provenance = Provenance(usageFiles: ["usage.csv"], toolVersion: "0.1.0")
        #expect(InvoiceRenderer.render(invoice, as: format).contains("working tree (uncommitted, no commit recorded)"))
    }

    // MARK: - Escaping

    static let hostile = "<script>alert(\"x\")</script> & 'quotes'"

    static var hostileInvoice: InvoiceDocument {
        var invoice = BillingFixtures.retailInvoice
        invoice.description = hostile
        invoice.accountNames["111111111111"] = "<img src=x onerror=alert(1)>"
        invoice.result.customLineItems[0].description = "</td><script>steal()</script>"
        invoice.result.group = "retail<b>"
        invoice.provenance.usageFiles = ["<iframe src=//evil>.csv"]
        return invoice
    }

    @Test func htmlEscapesEverythingItPrints() {
        let html = InvoiceRenderer.render(Self.hostileInvoice, as: .html)
        #expect(!html.lowercased().contains("<script"))
        #expect(!html.contains("<img"))
        #expect(!html.contains("<iframe"))
        #expect(!html.contains("<b>"))
        #expect(!html.contains("</td><script"))
        #expect(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;"))
        #expect(html.contains("&lt;img src=x onerror=alert(1)&gt;"))
        #expect(html.contains("retail&lt;b&gt;"))
    }

    @Test func htmlShowsControlAndBidirectionalCharactersVisibly() {
        var invoice = BillingFixtures.retailInvoice
        invoice.result.customLineItems[0].description = "Credit \u{202E}07.7-\u{202C} and\u{1B}[2J"
        let html = InvoiceRenderer.render(invoice, as: .html)
        #expect(!html.unicodeScalars.contains { $0 == "\u{202E}" || $0 == "\u{1B}" })
        #expect(html.contains("Credit \u{FFFD}07.7-\u{FFFD} and\u{241B}[2J"))
    }

    @Test func htmlIsSelfContainedAndPrintable() {
        let html = InvoiceRenderer.render(BillingFixtures.retailInvoice, as: .html)
        #expect(html.hasPrefix("<!DOCTYPE html>\n"))
        #expect(html.contains("@media print"))
        #expect(html.contains("<style>"))
        #expect(html.contains("Content-Security-Policy"))
        for external in ["<script", "<link", "src=", "href=", "http://", "https://", "url(", "@import"] {
            #expect(!html.contains(external), "unexpected \(external)")
        }
    }

    @Test func markdownEscapesMarkupInText() throws {
        let markdown = InvoiceRenderer.render(Self.hostileInvoice, as: .markdown)
        #expect(!markdown.contains("<script"))
        #expect(!markdown.contains("<img"))
        #expect(markdown.contains("&lt;script&gt;"))
        // Every table row keeps its four cells: a `|` in a name cannot add one.
        var invoice = BillingFixtures.retailInvoice
        invoice.result.customLineItems[0].description = "a | b [link](https://evil) *bold* `code`"
        let output = InvoiceRenderer.render(invoice, as: .markdown)
        let row = try #require(output.split(separator: "\n").first(where: { $0.contains("link") }))
        #expect(row.contains("a \\| b \\[link\\](https://evil) \\*bold\\* \\`code\\`"))
    }

    @Test func textReplacesControlCharacters() {
        var invoice = BillingFixtures.retailInvoice
        invoice.description = "red\u{1B}[31m alert"
        let text = InvoiceRenderer.render(invoice, as: .text)
        #expect(!text.contains("\u{1B}"))
        #expect(text.contains("red\u{241B}[31m alert"))
    }

    // MARK: - CSV injection

    @Test func csvNeutralisesFormulasInTextButNotNegativeAmounts() throws {
        var invoice = BillingFixtures.retailInvoice
        invoice.accountNames["111111111111"] = "=HYPERLINK(\"http://evil\",\"x\")"
        invoice.accountNames["222222222222"] = "+SUM(1,2)"
        invoice.accountNames["333333333333"] = "@cmd"
        invoice.result.customLineItems[0].description = "-2+3"
        invoice.result.customLineItems[1].description = "\tTabbed"
        invoice.provenance.revision = "\rcarriage"
        let csv = InvoiceRenderer.render(invoice, as: .csv)
        let records = RenderedOutput.csvRecords(csv)
        let names = Set(records.compactMap { $0["account_name"] }.filter { !$0.isEmpty })
        #expect(names == ["'=HYPERLINK(\"http://evil\",\"x\")", "'+SUM(1,2)", "'@cmd"])
        let credit = try #require(records.first { $0["custom_line_item"] == "loyalty-credit" })
        #expect(credit["description"] == "'-2+3")
        #expect(credit["amount"] == "-7.70")
        #expect(credit["amount_exact"] == "-7.70")
        #expect(records.first { $0["custom_line_item"] == "managed-service-fee" }?["description"] == "'\tTabbed")
        #expect(records.allSatisfy { $0["configuration_revision"] == "'\rcarriage" })
        // The raw text: the quoted, neutralised cell and the bare negative number.
        #expect(csv.contains(",\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\","))
        #expect(csv.contains(",-7.70,-7.70,"))
    }

    @Test func csvCellRules() {
        #expect(CSV.field(.number("-7.70")) == "-7.70")
        #expect(CSV.field(.number("0")) == "0")
        #expect(CSV.field(.number("-1+2")) == "'-1+2")
        #expect(CSV.field(.number("=1")) == "'=1")
        #expect(CSV.field(.number("1e5")) == "1e5" || CSV.field(.number("1e5")) == "'1e5")
        #expect(CSV.field(.number("-.5")) == "'-.5")
        #expect(CSV.field(.text("-7.70")) == "'-7.70")
        #expect(CSV.field(.text("a,b")) == "\"a,b\"")
        #expect(CSV.field(.text("say \"hi\"")) == "\"say \"\"hi\"\"\"")
        #expect(CSV.field(.text("two\nlines")) == "\"two\nlines\"")
        #expect(CSV.field(.text("\nlines")) == "\"'\nlines\"")
        #expect(CSV.field(.text("plain")) == "plain")
        #expect(CSV.field(.empty) == "")
        #expect(CSV.row([.text("a"), .number("1")]) == "a,1\r\n")
    }

    // MARK: - Currencies

    @Test func minorUnits() {
        #expect(CurrencyMinorUnits.places(for: "USD") == 2)
        #expect(CurrencyMinorUnits.places(for: "eur") == 2)
        #expect(CurrencyMinorUnits.places(for: "JPY") == 0)
        #expect(CurrencyMinorUnits.places(for: "KRW") == 0)
        #expect(CurrencyMinorUnits.places(for: "KWD") == 3)
        #expect(CurrencyMinorUnits.places(for: "BHD") == 3)
        #expect(CurrencyMinorUnits.places(for: "XYZ") == 2)
    }

    @Test func yenInvoiceHasNoDecimalsAndStillAddsUp() throws {
        let result = BillingFixtures.groupResult(
            BillingFixtures.retail, rows: BillingFixtures.retailRows, items: BillingFixtures.retailItems,
            currency: "JPY")
        let invoice = InvoiceDocument(result: result, provenance: BillingFixtures.provenance)
        #expect(invoice.currencyPlaces == 0)
        let layout = InvoiceLayout(invoice)
        #expect(layout.total.rounded == Self.d("440"))
        #expect(layout.shownAmounts.sum() == layout.total.rounded)
        let text = InvoiceRenderer.render(invoice, as: .text)
        #expect(text.contains("Total (JPY)"))
        #expect(text.contains(" 440\n"))
        let json = try RenderedOutput.json(InvoiceRenderer.render(invoice, as: .json))
        let totals = try #require(json["totals"] as? [String: Any])
        #expect(totals["total_rounded"] as? String == "440")
        #expect(totals["total"] as? String == "440.35")
    }

    @Test func kuwaitiDinarHasThreeDecimals() {
        let result = BillingFixtures.groupResult(
            BillingFixtures.retail, rows: BillingFixtures.retailRows, items: BillingFixtures.retailItems,
            currency: "KWD")
        let invoice = InvoiceDocument(result: result, provenance: BillingFixtures.provenance)
        let layout = InvoiceLayout(invoice)
        #expect(layout.total.rounded.formatted(places: 3) == "440.350")
        #expect(InvoiceRenderer.render(invoice, as: .text).contains("440.350"))
    }

    @Test func thousandsAreGroupedForPeople() {
        #expect(MoneyText.grouped(Self.d("1234567.5"), places: 2) == "1,234,567.50")
        #expect(MoneyText.grouped(Self.d("-1234"), places: 0) == "-1,234")
        #expect(MoneyText.grouped(Self.d("999.99"), places: 2) == "999.99")
        #expect(MoneyText.plain(Self.d("-1234.5"), places: 2) == "-1234.50")
        #expect(MoneyText.exact(Self.d("13.0500000000"), places: 2) == "13.05")
        #expect(MoneyText.exact(Self.d("0.89985"), places: 2) == "0.89985")
        #expect(MoneyText.exact(Self.d("385"), places: 2) == "385.00")
    }

    // MARK: - Markdown size

    @Test func markdownTooLongForACommentKeepsTheTotals() {
        var rows: [CostRow] = []
        for index in 0..<3000 {
            let account = String(100_000_000_000 + index)
            rows.append(BillingFixtures.row(account, "AmazonEC2", "Usage", .onDemand, proForma: "1.005", actual: "1"))
        }
        let result = BillingFixtures.groupResult(BillingFixtures.retail, rows: rows, items: [])
        let invoice = InvoiceDocument(result: result, provenance: BillingFixtures.provenance)
        let markdown = InvoiceRenderer.render(invoice, as: .markdown)
        #expect(markdown.utf8.count <= InvoiceRenderer.markdownLimit)
        #expect(markdown.contains("too many for a comment"))
        #expect(markdown.contains("| **Total (USD)** | **3,015.00** |"))
        #expect(markdown.contains(BillingFixtures.provenance.commit!))
    }

    // MARK: - Property: the shown lines always add up

    static func randomAmount(_ generator: inout SeededGenerator, negative: Bool = false) -> ExactDecimal {
        let scale = Int.random(in: 0...10, using: &generator)
        var significand = Int128(Int64.random(in: 0...5_000_000_000, using: &generator))
        if Bool.random(using: &generator) { significand /= 1000 }
        if negative { significand = -significand }
        return ExactDecimal(significand: significand, scale: scale).rounded(scale: 10)
    }

    static func randomResult(_ generator: inout SeededGenerator) -> GroupResult {
        let accounts = ["111111111111", "222222222222", "333333333333"]
        let services = ["AmazonEC2", "AmazonS3", "AWSLambda", "AmazonRDS", "AmazonRoute53"]
        let categories: [LineCategory] = [.onDemand, .free, .covered, .commitmentFee, .other, .excluded, .tax]
        var rows: [CostRow] = []
        for _ in 0..<Int.random(in: 0...25, using: &generator) {
            let category = categories.randomElement(using: &generator)!
            // Savings Plan negation lines are covered and negative.
            let negative = category == .covered && Int.random(in: 0..<3, using: &generator) == 0
            let amount = category == .free ? .zero : randomAmount(&generator, negative: negative)
            rows.append(
                BillingFixtures.row(
                    accounts.randomElement(using: &generator)!, services.randomElement(using: &generator)!,
                    negative ? "SavingsPlanNegation" : "Usage", category, proForma: amount.description,
                    actual: randomAmount(&generator).description))
        }
        // Charges are built here rather than by the engine, so that amounts can be large: any split of an ITEMIZED
        // item into parts that add up to it is a valid input.
        var charges: [CustomLineItemCharge] = []
        for index in 0..<Int.random(in: 0...4, using: &generator) {
            let type: CustomLineItemType = Bool.random(using: &generator) ? .fee : .credit
            let amount = randomAmount(&generator, negative: type == .credit)
            var items: [CustomLineItemCharge.ItemizedPart] = []
            let itemized = Bool.random(using: &generator)
            if itemized {
                var left = amount
                for part in 0..<Int.random(in: 1...6, using: &generator) {
                    let share = part == 0 ? left : randomAmount(&generator, negative: Bool.random(using: &generator))
                    items.append(
                        .init(
                            account: accounts.randomElement(using: &generator)!,
                            service: services[part % services.count], amount: share))
                    left -= share
                }
                items[0].amount = amount - items.dropFirst().map(\.amount).sum()
            }
            charges.append(
                CustomLineItemCharge(
                    name: "item-\(index)", description: "Item \(index)", type: type, account: accounts[0],
                    amount: amount,
                    base: nil, percentage: nil, computationRule: itemized ? .itemized : .consolidated, items: items,
                    presentationService: nil))
        }
        return GroupResult(
            group: "retail", period: BillingFixtures.period, primaryAccount: accounts[0], currency: "USD", rows: rows,
            customLineItems: charges, warnings: [])
    }

    @Test(arguments: [RoundingMode.halfEven, .halfUp])
    func renderedLinesAlwaysAddUpToTheRenderedTotal(mode: RoundingMode) throws {
        var generator = SeededGenerator(seed: mode == .halfEven ? 20_250_301 : 20_250_302)
        for _ in 0..<300 {
            let result = Self.randomResult(&generator)
            let places = [0, 2, 2, 2, 3].randomElement(using: &generator)!
            let invoice = InvoiceDocument(
                result: result, currencyPlaces: places, rounding: mode, provenance: BillingFixtures.provenance)
            let layout = InvoiceLayout(invoice)
            let expectedTotal = result.proFormaCost.rounded(scale: places, mode)
            #expect(layout.total.rounded == expectedTotal)
            #expect(layout.shownAmounts.sum() == layout.total.rounded)
            #expect(layout.usageTotal.rounded + layout.customLineItemTotal.rounded == layout.total.rounded)
            for shown in layout.shownAmounts { #expect(shown.normalized.scale <= places) }

            // As a consumer reads it: the CSV rows and the JSON lines add up to the rendered total.
            let records = RenderedOutput.csvRecords(InvoiceRenderer.render(invoice, as: .csv))
            let csvLines = try records.map { try RenderedOutput.decimal($0["amount"]) }
            #expect(csvLines.sum() == expectedTotal)

            let json = try RenderedOutput.json(InvoiceRenderer.render(invoice, as: .json))
            var jsonLines = try (json["lines"] as! [[String: Any]]).map {
                try RenderedOutput.decimal($0["amount_rounded"])
            }
            for item in json["custom_line_items"] as! [[String: Any]] {
                let parts = item["parts"] as! [[String: Any]]
                jsonLines +=
                    try parts.isEmpty
                    ? [RenderedOutput.decimal(item["amount_rounded"])]
                    : parts.map { try RenderedOutput.decimal($0["amount_rounded"]) }
            }
            let totals = json["totals"] as! [String: Any]
            #expect(try jsonLines.sum() == RenderedOutput.decimal(totals["total_rounded"]))
            #expect(try RenderedOutput.decimal(totals["total"]) == result.proFormaCost)
        }
    }
}

import Foundation
import ProformaCore
import ProformaModel
import Testing

@testable import ProformaEngine
@testable import ProformaReport

/// What a customer reads: issuer and customer, number and dates, services by name, per-account subtotals, custom
/// line items under their service, zero lines hidden, 100 columns of text, a printable self-contained page.
@Suite struct InvoicePresentationTests {
    static let d = BillingFixtures.d

    static let issuer = Issuer(
        name: "Altitude Cloud Partners LLC", address: ["400 Summit Avenue, Suite 1200", "Denver, CO 80202"],
        taxID: "EIN 84-3920117", email: "billing@altitude.example", logo: "logo.png", paymentTermsDays: 14,
        invoiceNumber: "ACP-{period}-{seq}", issueDay: 3, paymentInstructions: ["ABA 102000021, account 7730"])
    static let customer = Customer(
        legalName: "Retail Holdings plc", address: ["2 Market Square", "York YO1 8AA"], taxID: "GB987654321",
        email: "ap@retail.example", purchaseOrder: "PO-4711")

    static func invoice(
        rows: [CostRow] = BillingFixtures.retailRows, items: [CustomLineItem] = BillingFixtures.retailItems,
        showZero: Bool = false, logo: InvoiceLogo? = nil, names: ServiceNames = .catalogue
    ) -> InvoiceDocument {
        let result = BillingFixtures.groupResult(BillingFixtures.retail, rows: rows, items: items)
        let heading = InvoiceHeading.make(
            group: "retail", period: BillingFixtures.period, sequence: 2, issuer: issuer, customer: customer,
            logo: logo)
        return InvoiceDocument(
            result: result, group: BillingFixtures.retail, accounts: BillingFixtures.accounts, rounding: .halfEven,
            provenance: BillingFixtures.provenance, heading: heading, serviceNames: names, showZero: showZero)
    }

    @Test func theHeadingFollowsTheIssuer() {
        let heading = Self.invoice().heading
        #expect(heading.number == "ACP-2025-03-002")
        #expect(heading.issueDate.description == "2025-04-03")
        #expect(heading.dueDate.description == "2025-04-17")
        let asked = InvoiceHeading.make(
            group: "retail", period: BillingFixtures.period, sequence: 2, issuer: Self.issuer, customer: nil,
            issueDate: CalendarDate("2025-12-30"))
        #expect(asked.dueDate.description == "2026-01-13")
        let standard = InvoiceHeading.standard(group: "retail", period: BillingFixtures.period)
        #expect(
            standard.number == "PF-202503-" + InvoiceNumberPattern.hash(group: "retail", period: BillingFixtures.period)
        )
        #expect(standard.issueDate.description == "2025-04-01")
        #expect(standard.dueDate.description == "2025-05-01")
        #expect(standard.paymentTermsDays == 30)
    }

    @Test(arguments: [InvoiceFormat.text, .markdown, .html])
    func issuerCustomerNumberAndDatesAreOnTheInvoice(format: InvoiceFormat) {
        let output = InvoiceRenderer.render(Self.invoice(), as: format)
        for text in [
            "Altitude Cloud Partners LLC", "Denver, CO 80202", "EIN 84-3920117", "billing@altitude.example",
            "Retail Holdings plc", "York YO1 8AA", "GB987654321", "ap@retail.example", "PO-4711", "ACP-2025-03-002",
            "2025-04-03", "2025-04-17", "ABA 102000021, account 7730",
        ] {
            #expect(output.contains(text), "\(format): \(text)")
        }
        // Titled by the customer, not by the group's slug.
        let title = output.split(separator: "\n").first { $0.contains("nvoice") }
        #expect(title?.contains("retail,") != true, "\(format): \(title ?? "")")
    }

    @Test(arguments: [InvoiceFormat.text, .markdown, .html])
    func servicesAreShownByNameAndEachAccountHasItsSubtotal(format: InvoiceFormat) throws {
        let names = ServiceNames(fromData: ["AmazonEC2": "Amazon EC2 as the data names it"])
        let output = InvoiceRenderer.render(Self.invoice(names: names), as: format)
        #expect(output.contains("Amazon EC2 as the data names it"))
        #expect(output.contains("AWS Lambda"))
        #expect(output.contains("Amazon Route 53"))
        #expect(!output.contains("AWSLambda"))
        #expect(!output.contains("AmazonRoute53"))
        // 111111111111: 200.33 + 50.33 + 34.33 (+ 0.00 free) = 284.99; 222222222222: 30.00 + 40.01 = 70.01.
        for subtotal in ["284.99", "70.01", "30.00"] { #expect(output.contains(subtotal), "\(format)") }
        let layout = InvoiceLayout(Self.invoice())
        let byAccount = Dictionary(grouping: layout.usageLines, by: \.account).mapValues {
            $0.map(\.amount.rounded).sum()
        }
        #expect(byAccount["111111111111"] == Self.d("284.99"))
        #expect(byAccount.values.reduce(.zero, +) == layout.usageTotal.rounded)
    }

    @Test func zeroLinesAreHiddenUnlessAsked() throws {
        let hidden = InvoiceRenderer.render(Self.invoice(), as: .text)
        let shown = InvoiceRenderer.render(Self.invoice(showZero: true), as: .text)
        // The S3 free-tier line is 0.00.
        #expect(!hidden.contains("free tier"))
        #expect(hidden.contains("1 line of 0.00 is not shown."))
        #expect(shown.contains("free tier"))
        #expect(!shown.contains("not shown"))
        // The data formats keep every line.
        let csv = InvoiceRenderer.render(Self.invoice(), as: .csv)
        #expect(csv.contains(",free,"))
        let total = { (text: String) in text.split(separator: "\n").first { $0.hasPrefix("Total (USD)") } }
        #expect(total(hidden) == total(shown))
        // An account whose every line is 0 has no block at all.
        var rows = BillingFixtures.retailRows
        rows.append(BillingFixtures.row("222222222223", "AmazonS3", "Usage", .free, proForma: "0", actual: "0"))
        let text = InvoiceRenderer.render(Self.invoice(rows: rows), as: .text)
        #expect(!text.contains("222222222223"))
        #expect(text.contains("3 lines of 0.00 are not shown."))  // two usage lines and the platform fee's share of one
    }

    @Test func customLineItemsAreGroupedUnderTheirPresentationService() throws {
        var items = BillingFixtures.retailItems
        items[0].presentationService = "Managed Services"
        items[2].presentationService = "AWSSupportBusiness"
        let document = Self.invoice(items: items)
        let text = InvoiceRenderer.render(document, as: .text)
        let lines = text.split(separator: "\n").map(String.init)
        func index(_ prefix: String) throws -> Int {
            try #require(lines.firstIndex { $0.trimmingCharacters(in: .whitespaces).hasPrefix(prefix) })
        }
        // Services by name, sorted; items presented under none come last, under "Other charges".
        let support = try index("AWS Support (Business)")
        let managed = try index("Managed Services")
        let other = try index("Other charges")
        #expect(support < managed && managed < other)
        #expect(try index("Loyalty credit") > support && index("Loyalty credit") < managed)
        #expect(try index("Managed service fee") > managed && index("Managed service fee") < other)
        #expect(try index("Platform fee") > other)
        let json = try RenderedOutput.json(InvoiceRenderer.render(document, as: .json))
        let jsonItems = try #require(json["custom_line_items"] as? [[String: Any]])
        let loyalty = try #require(jsonItems.first { $0["name"] as? String == "loyalty-credit" })
        #expect(loyalty["presentation_service"] as? String == "AWSSupportBusiness")
        #expect(loyalty["presentation_service_name"] as? String == "AWS Support (Business)")
        let html = InvoiceRenderer.render(document, as: .html)
        #expect(html.contains("<td colspan=\"3\">AWS Support (Business)</td>"))
        let markdown = InvoiceRenderer.render(document, as: .markdown)
        #expect(markdown.contains("| AWS Support (Business) | Loyalty credit |"))
    }

    @Test func aPercentageOfNothingSaysSoInsteadOfMultiplyingZeros() throws {
        let items = [
            CustomLineItem(
                name: "support", description: "Support, 10 % of usage", billingGroup: "retail", type: .fee,
                charge: .percentage(percentageValue: 10, associatedValues: ["retail"]))
        ]
        let rows = [BillingFixtures.row("111111111111", "AmazonS3", "Usage", .free, proForma: "0", actual: "0")]
        let hidden = InvoiceRenderer.render(Self.invoice(rows: rows, items: items), as: .text)
        #expect(!hidden.contains("Support, 10 % of usage"))
        #expect(!hidden.contains("of 0.00 ="))
        let shown = InvoiceRenderer.render(Self.invoice(rows: rows, items: items, showZero: true), as: .text)
        #expect(shown.contains("fee, 10% (no base this period)"))
        #expect(!shown.contains("10% of 0.00"))
        // With a base, the base as shown.
        let based = InvoiceRenderer.render(Self.invoice(items: items), as: .text)
        #expect(based.contains("fee, 10% of 385.00"))
    }

    @Test(arguments: [InvoiceFormat.text])
    func textIsAtMost100ColumnsWhateverTheConfigurationSays(format: InvoiceFormat) {
        var items = BillingFixtures.retailItems
        items[0].description = String(repeating: "A very long description of a custom line item, ", count: 5)
        items[1].description = String(repeating: "x", count: 255)
        var group = BillingFixtures.retail
        group.description = String(repeating: "Retail business unit with a long description. ", count: 20)
        let result = BillingFixtures.groupResult(group, rows: BillingFixtures.retailRows, items: items)
        let longIssuer = Issuer(
            name: String(repeating: "N", count: 128), address: [String(repeating: "Street ", count: 11)],
            paymentInstructions: [String(repeating: "IBAN ", count: 16)])
        let document = InvoiceDocument(
            result: result, group: group, accounts: BillingFixtures.accounts,
            provenance: Provenance(
                revision: String(repeating: "feature/", count: 20), commit: String(repeating: "0", count: 40),
                usageFiles: (1...30).map { "usage/cur-2025-03-part-\($0).csv.gz" }, toolVersion: "0.1.0"),
            heading: InvoiceHeading.make(
                group: "retail", period: BillingFixtures.period, sequence: 1, issuer: longIssuer,
                customer: Self.customer))
        let text = InvoiceRenderer.render(document, as: .text)
        for line in text.split(separator: "\n") {
            #expect(TextTable.width(String(line)) <= InvoiceRenderer.textWidth, "\(line)")
        }
        // Nothing is lost: the long values are wrapped, not cut.
        let joined = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined()
        #expect(joined.contains(String(repeating: "x", count: 40)))
        #expect(joined.filter { $0 == "x" }.count >= 255)
        #expect(text.contains("usage/cur-2025-03-part-30.csv.gz"))
    }

    @Test func htmlIsSelfContainedWithItsLogoAndPrintsOnAnyPaper() throws {
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0xFF]
        let html = InvoiceRenderer.render(
            Self.invoice(logo: InvoiceLogo(mediaType: "image/png", bytes: png)), as: .html)
        #expect(html.contains("<img src=\"data:image/png;base64,iVBORw0KGgr/\" alt=\"Altitude Cloud Partners LLC\">"))
        #expect(html.contains("img-src data:"))
        #expect(html.contains("@page"))
        #expect(html.contains("break-inside: avoid"))
        #expect(html.contains("thead { display: table-header-group; }"))
        #expect(!html.contains("size: A4") && !html.contains("size: letter"))  // the printer's paper, A4 or Letter
        for external in ["http://", "https://", "<script", "<link", "@import", "url("] {
            #expect(!html.contains(external), "\(external)")
        }
        #expect(
            InvoiceRenderer.render(Self.invoice(logo: InvoiceLogo(mediaType: "image/png", bytes: png)), as: .pdf)
                == html)
        #expect(!InvoiceRenderer.render(Self.invoice(), as: .html).contains("<img"))
    }

    @Test func base64IsRFC4648() {
        let cases: [(String, String)] = [
            ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ]
        for (input, expected) in cases { #expect(Base64.encode(Array(input.utf8)) == expected) }
        let all = (0...255).map(UInt8.init)
        #expect(Base64.encode(all) == Data(all).base64EncodedString())
    }

    @Test func jsonCarriesTheHeadingNamesAndAccountSubtotals() throws {
        let json = try RenderedOutput.json(InvoiceRenderer.render(Self.invoice(), as: .json))
        #expect(json["format_version"] as? Int == 1)
        #expect(json["invoice_number"] as? String == "ACP-2025-03-002")
        #expect(json["issue_date"] as? String == "2025-04-03")
        #expect(json["due_date"] as? String == "2025-04-17")
        #expect(json["payment_terms_days"] as? Int == 14)
        let customer = try #require(json["customer"] as? [String: Any])
        #expect(customer["purchase_order"] as? String == "PO-4711")
        #expect(customer["address"] as? [String] == ["2 Market Square", "York YO1 8AA"])
        let issuer = try #require(json["issuer"] as? [String: Any])
        #expect(issuer["tax_id"] as? String == "EIN 84-3920117")
        let lines = try #require(json["lines"] as? [[String: Any]])
        let route = try #require(lines.first { $0["service"] as? String == "AmazonRoute53" })
        #expect(route["service_name"] as? String == "Amazon Route 53")
        let accounts = try #require(json["accounts"] as? [[String: Any]])
        #expect(accounts.map { $0["account_id"] as? String } == ["111111111111", "222222222222", "333333333333"])
        #expect(accounts.map { $0["usage_rounded"] as? String } == ["284.99", "70.01", "30.00"])
        #expect(accounts.first?["usage"] as? String == "285.00")
        // An ITEMIZED share of a flat item is named by that item's description.
        let items = try #require(json["custom_line_items"] as? [[String: Any]])
        let platform = try #require(items.first { $0["name"] as? String == "platform-fee" })
        let parts = try #require(platform["parts"] as? [[String: Any]])
        let flatShare = try #require(parts.first { $0["service"] as? String == "managed-service-fee" })
        #expect(flatShare["service_name"] as? String == "Managed service fee")
        // Without an issuer or a customer, they are null.
        let plain = try RenderedOutput.json(InvoiceRenderer.render(BillingFixtures.retailInvoice, as: .json))
        #expect(plain["issuer"] is NSNull && plain["customer"] is NSNull)
    }
}

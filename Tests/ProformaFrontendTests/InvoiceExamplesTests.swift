import Foundation
import ProformaCore
import ProformaEngine
import ProformaFrontend
import ProformaModel
import ProformaReport
import ProformaTestSupport
import Testing

/// Every billing group's invoice of both examples, in both months of their data, as a customer receives it.
@Suite struct InvoiceExamplesTests {
    static func priced(_ example: String) throws -> PricedUsage {
        let directory = TestSupport.packageRoot.appendingPathComponent("examples/\(example)")
        let frontend = try Frontend(WorkspaceOptions(directory: directory.path), toolVersion: "test")
        return try frontend.price(PricingRequest(periods: .all))
    }

    static func decimal(_ value: Any?) throws -> ExactDecimal {
        try #require((value as? String).flatMap(ExactDecimal.init))
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// Amounts of the CSV's `amount` column.
    static func csvAmounts(_ csv: String) throws -> [ExactDecimal] {
        let lines = csv.split(separator: "\r\n").map(String.init)
        let header = try #require(lines.first).split(separator: ",").map(String.init)
        let column = try #require(header.firstIndex(of: "amount"))
        let typeColumn = try #require(header.firstIndex(of: "row_type"))
        return try lines.dropFirst().map { line in
            // Amounts come after the text columns that may hold commas; read the row as RFC 4180.
            let fields = TestSupport.csvFields(line)
            #expect(["line", "custom_item", "custom_item_part"].contains(fields[typeColumn]))
            return try #require(ExactDecimal(fields[column]))
        }
    }

    @Test(arguments: ["msp", "enterprise"])
    func everyInvoiceIsACustomersInvoice(_ example: String) throws {
        let priced = try Self.priced(example)
        #expect(priced.periods.map(\.description) == ["2026-09", "2026-10"])
        var numbers: Set<String> = []
        for period in priced.periods {
            for group in priced.configuration(for: period).billingGroups {
                let document = try #require(try priced.invoice(group.name, period: period))
                let label = "\(example) \(group.name) \(period)"
                numbers.insert(document.heading.number)

                // Text: at most 100 columns, services by name, no line of 0.00 but in the note.
                let text = InvoiceRenderer.render(document, as: .text)
                for line in text.split(separator: "\n") {
                    #expect(line.count <= InvoiceRenderer.textWidth, "\(label): \(line)")
                }
                let json = try Self.json(InvoiceRenderer.render(document, as: .json))
                let lines = try #require(json["lines"] as? [[String: Any]])
                for line in lines {
                    let code = try #require(line["service"] as? String)
                    let name = try #require(line["service_name"] as? String)
                    #expect(name == priced.serviceNames.name(for: code))
                    if name != code && line["amount_rounded"] as? String != "0.00" {
                        #expect(text.contains(name), "\(label): \(name)")
                        #expect(!text.contains(" \(code) ") && !text.contains(" \(code)\n"), "\(label): \(code)")
                    }
                }
                let sums = ["Total", "Amount due", "Subtotal", "Custom line items total"]
                let zeroRows = text.split(separator: "\n").filter { line in
                    line.hasSuffix(" 0.00") && !sums.contains { line.hasPrefix($0) }
                }
                #expect(zeroRows.isEmpty, "\(label): \(zeroRows)")

                // The CSV's lines add up to the JSON total exactly; the total and the AWS cost are positive, but for
                // a group whose lines cost allocations take whole (the shared platform's go to the units).
                let totals = try #require(json["totals"] as? [String: Any])
                let total = try Self.decimal(totals["total_rounded"])
                let csv = InvoiceRenderer.render(document, as: .csv)
                #expect(try Self.csvAmounts(csv).sum() == total, "\(label)")
                let internalFigures = try #require(json["internal"] as? [String: Any])
                let isSource = priced.configuration(for: period).costAllocations.contains {
                    $0.source.billingGroups.contains(group.name)
                }
                if isSource {
                    #expect(try Self.decimal(internalFigures["aws_cost_rounded"]) == .zero, "\(label)")
                    #expect(total == .zero, "\(label)")
                } else {
                    #expect(try Self.decimal(internalFigures["aws_cost_rounded"]) > .zero, "\(label)")
                    #expect(total > .zero, "\(label)")
                }
                // The accounts' subtotals add up to the usage subtotal.
                let accounts = try #require(json["accounts"] as? [[String: Any]])
                #expect(
                    try accounts.map { try Self.decimal($0["usage_rounded"]) }.sum()
                        == Self.decimal(totals["usage_rounded"]), "\(label)")
                #expect(json["customer"] is [String: Any])
                #expect(json["issuer"] is [String: Any])
            }
        }
        // Every invoice has a number of its own.
        #expect(numbers.count == priced.periods.count * priced.configuration.billingGroups.count)
    }

    @Test func numbersAndDatesFollowTheIssuer() throws {
        let msp = try Self.priced("msp")
        let october = BillingPeriod(year: 2026, month: 10)!
        // ACP-{yyyy}{mm}-{seq}: the groups sorted by name, harbor-logistics second; issued on the 1st, net 30.
        let harbor = try #require(try msp.invoice("harbor-logistics", period: october))
        #expect(harbor.heading.number == "ACP-202610-002")
        #expect(harbor.heading.issueDate.description == "2026-11-01")
        #expect(harbor.heading.dueDate.description == "2026-12-01")
        #expect(harbor.heading.customer?.purchaseOrder == "PO-HL-2026-0412")
        #expect(harbor.heading.logo?.mediaType == "image/svg+xml")
        #expect(harbor.heading.logo?.bytes.starts(with: Array("<svg".utf8)) == true)
        // The issue date asked for moves the due date with it.
        let asked = try #require(
            try msp.invoice(
                "harbor-logistics", period: october, options: InvoiceOptions(issueDate: CalendarDate("2026-11-20"))))
        #expect(asked.heading.dueDate.description == "2026-12-20")
        #expect(asked.heading.number == harbor.heading.number)
        // The enterprise: CHG-{period}-{group}, issued on the 3rd, due 14 days later.
        let enterprise = try Self.priced("enterprise")
        let iot = try #require(try enterprise.invoice("industrial-iot", period: october))
        #expect(iot.heading.number == "CHG-2026-10-industrial-iot")
        #expect(iot.heading.issueDate.description == "2026-11-03")
        #expect(iot.heading.dueDate.description == "2026-11-17")
        #expect(iot.heading.logo == nil)
    }

    @Test func zeroLinesAreShownWhenAskedFor() throws {
        let msp = try Self.priced("msp")
        let october = BillingPeriod(year: 2026, month: 10)!
        var hiddenSomewhere = false
        for group in msp.configuration.billingGroups {
            let hidden = try #require(try msp.invoice(group.name, period: october))
            let shown = try #require(
                try msp.invoice(group.name, period: october, options: InvoiceOptions(showZero: true)))
            let text = InvoiceRenderer.render(hidden, as: .text)
            let all = InvoiceRenderer.render(shown, as: .text)
            let zeroRows = all.split(separator: "\n").filter { $0.hasSuffix(" 0.00") }
            if let note = text.split(separator: "\n").first(where: { $0.contains("of 0.00") }) {
                hiddenSomewhere = true
                let count = try #require(Int(note.split(separator: " ")[0]))
                // An ITEMIZED item of 0.00 shows its parts' rows but no row of its own.
                #expect(zeroRows.count >= count - 1, "\(group.name)")
                #expect(!all.contains("not shown"))
            }
            // Hidden or not, the totals are the same.
            let total = { (t: String) in t.split(separator: "\n").first { $0.hasPrefix("Total (USD)") } }
            #expect(total(text) == total(all))
        }
        #expect(hiddenSomewhere)
    }
}

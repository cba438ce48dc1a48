import Foundation
import ProformaCore
import ProformaEngine
import ProformaFrontend
import ProformaTestSupport
import ProformaUsage
import Testing

/// `export cur`: a group's usage at pro forma cost, whose cost column adds up to its invoice.
@Suite struct CURExportTests {
    struct Exported {
        var text: String
        var summary: CURExportSummary
    }

    static func export(
        _ priced: PricedUsage, group: String, period: BillingPeriod, exact: Bool = false, format: UsageFormat? = nil
    ) throws -> Exported {
        var text = ""
        let summary = try CURExport.export(priced, group: group, period: period, format: format, exact: exact) {
            text += $0
        }
        return Exported(text: text, summary: summary)
    }

    /// The exported file read back by the project's own reader: its lines' actual cost is the written column.
    static func readBack(_ text: String) throws -> (sum: ExactDecimal, lines: Int, format: UsageFormat) {
        let reader = try UsageReader(bytes: Array(text.utf8), name: "export.csv")
        var sum = ExactDecimal.zero
        var lines = 0
        while let line = try reader.next() {
            sum += line.actualCost
            lines += 1
        }
        return (sum, lines, reader.format)
    }

    @Test(arguments: [
        "greenfield-retail", "harbor-logistics", "lumen-analytics", "medisync-health", "pixelforge-games",
    ])
    func theMSPExampleAddsUpToEveryInvoice(group: String) throws {
        let example = TestSupport.packageRoot.appendingPathComponent("examples/msp")
        let frontend = try Frontend(WorkspaceOptions(directory: example.path), toolVersion: "test")
        for period in [BillingPeriod(year: 2026, month: 9)!, BillingPeriod(year: 2026, month: 10)!] {
            let priced = try frontend.price(PricingRequest(periods: .period(period)))
            let result = try #require(priced.result.group(group, period: period))
            let rounding = priced.configuration(for: period).project?.rounding ?? .halfEven
            let invoiceTotal = result.figures(rounding: rounding).proForma.rounded
            let exported = try Self.export(priced, group: group, period: period)
            #expect(exported.summary.total == invoiceTotal, "\(group) \(period)")
            let back = try Self.readBack(exported.text)
            #expect(back.sum == invoiceTotal, "\(group) \(period)")
            #expect(back.format == .cur)
            // Every line of the group's accounts, and one row per custom line item.
            #expect(exported.summary.usageRows == result.rows.map(\.figures.lines).reduce(0, +))
            #expect(exported.summary.customLineItems == result.customLineItems.count)
            #expect(back.lines == exported.summary.usageRows + exported.summary.customLineItems)
            // Exact amounts add up to the exact pro forma cost.
            let exact = try Self.export(priced, group: group, period: period, exact: true)
            #expect(exact.summary.total == result.proFormaCost, "\(group) \(period)")
            // Rounded, each row is within one minor unit of its exact amount.
            let rounded = try UsageReader(bytes: Array(exported.text.utf8), name: "rounded.csv")
            let exactRows = try UsageReader(bytes: Array(exact.text.utf8), name: "exact.csv")
            while let shown = try rounded.next() {
                let precise = try #require(try exactRows.next())
                #expect((shown.actualCost - precise.actualCost).magnitude <= ExactDecimal(significand: 1, scale: 2))
            }
            #expect(try exactRows.next() == nil)
        }
    }

    /// With cost allocations: the lines a pool takes from a group are written at 0, and each share the group
    /// receives is a line of its own, so every group's export still adds up to its invoice.
    @Test func theEnterpriseExampleWithCostAllocationsAddsUpToEveryInvoice() throws {
        let example = TestSupport.packageRoot.appendingPathComponent("examples/enterprise")
        let frontend = try Frontend(WorkspaceOptions(directory: example.path), toolVersion: "test")
        var shares = 0
        for period in [BillingPeriod(year: 2026, month: 9)!, BillingPeriod(year: 2026, month: 10)!] {
            let priced = try frontend.price(PricingRequest(periods: .period(period)))
            #expect(!priced.result.allocations.isEmpty)
            for group in priced.configuration(for: period).billingGroups.map(\.name) {
                let result = try #require(priced.result.group(group, period: period))
                let rounding = priced.configuration(for: period).project?.rounding ?? .halfEven
                let invoiceTotal = result.figures(rounding: rounding).proForma.rounded
                let exported = try Self.export(priced, group: group, period: period)
                #expect(exported.summary.total == invoiceTotal, "\(group) \(period)")
                let back = try Self.readBack(exported.text)
                #expect(back.sum == invoiceTotal, "\(group) \(period)")
                #expect(
                    exported.summary.allocatedShares
                        == result.rows.filter { $0.key.category == .allocated && !$0.figures.proForma.isZero }.count)
                shares += exported.summary.allocatedShares
                let exact = try Self.export(priced, group: group, period: period, exact: true)
                #expect(exact.summary.total == result.proFormaCost, "\(group) \(period)")
            }
        }
        #expect(shares > 0)
    }

    @Test func onlyTheCostColumnsChange() throws {
        let example = TestSupport.packageRoot.appendingPathComponent("examples/msp")
        let frontend = try Frontend(WorkspaceOptions(directory: example.path), toolVersion: "test")
        let period = BillingPeriod(year: 2026, month: 10)!
        let priced = try frontend.price(PricingRequest(periods: .period(period)))
        let exported = try Self.export(priced, group: "harbor-logistics", period: period)
        let reader = try UsageReader(bytes: Array(exported.text.utf8), name: "export.csv")
        let header = reader.header
        let costs = Set(CURExport.costColumns(.cur).compactMap { name in header.firstIndex(of: name) })
        #expect(costs.count >= 2)
        let accounts: Set<String> = ["381204957716", "381204957802", "381204958133"]
        while let line = try reader.next() {
            #expect(accounts.contains(line.usageAccountID))
            #expect(line.period == period)
            let fields = reader.currentFields
            let values = Set(costs.map { fields[$0] })
            #expect(values.count == 1, "every cost column holds the same amount: \(values)")
        }
    }

    @Test func anotherFormatIsRefused() throws {
        let example = TestSupport.packageRoot.appendingPathComponent("examples/msp")
        let frontend = try Frontend(WorkspaceOptions(directory: example.path), toolVersion: "test")
        let period = BillingPeriod(year: 2026, month: 10)!
        let priced = try frontend.price(PricingRequest(periods: .period(period)))
        #expect(throws: CURExportError.self) {
            try Self.export(priced, group: "harbor-logistics", period: period, format: .focus)
        }
        #expect(throws: CURExportError.self) { try Self.export(priced, group: "nobody", period: period) }
    }

    @Test func filesWithOtherColumnsAreRefused() throws {
        let example = TestSupport.packageRoot.appendingPathComponent("examples/msp")
        let frontend = try Frontend(WorkspaceOptions(directory: example.path), toolVersion: "test")
        let period = BillingPeriod(year: 2026, month: 10)!
        var priced = try frontend.price(PricingRequest(periods: .period(period)))
        let other = """
            bill/BillingPeriodStartDate,lineItem/UsageAccountId,lineItem/LineItemType,lineItem/ProductCode,lineItem/UnblendedCost,lineItem/CurrencyCode
            2026-10-01T00:00:00Z,381204957716,Usage,AmazonS3,1.00,USD

            """
        priced.inputs.append(UsageInput(bytes: Array(other.utf8), name: "other.csv"))
        do {
            _ = try Self.export(priced, group: "harbor-logistics", period: period)
            Issue.record("files with other columns were exported together")
        } catch let error as CURExportError {
            #expect(error.message.contains("other.csv has other columns"))
        }
    }

    /// A real sample in a configuration of one group of its account, priced with a markup, a flat fee and a
    /// percentage fee. Anonymised account IDs of other lengths are made 12 digits in the copy.
    @Test(arguments: [
        ("aws_cur_legacy_anonymized_2023-11_focus_converters.csv", "123412340534", "123412340534", "2023-11"),
        ("koku_aws_2022-07-01_snakecase_154cols.csv", "999999", "000000999999", "2022-07"),
        ("focus_sample_1.0_1000.csv", "11353890204", "011353890204", "2024-09"),
    ])
    func realSamplesAddUpToTheirInvoices(file: String, account: String, padded: String, month: String) throws {
        let format: UsageFormat = file.hasPrefix("focus") ? .focus : file.contains("snakecase") ? .cur2 : .cur
        var data = try String(contentsOfFile: TestSupport.sample(file), encoding: .utf8)
        if account != padded { data = data.replacingOccurrences(of: account, with: padded) }
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let files: [String: String] = [
            "proforma.yaml": """
            kind: Project
            name: sample
            version: 1
            payer_account_id: "999999999990"
            usage:
              - path: usage/data.csv
            """,
            "config.yaml": """
            kind: BillingGroup
            name: customer
            primary_account_id: "\(padded)"
            account_ids: ["\(padded)"]
            pricing_plan: standard
            ---
            kind: PricingPlan
            name: standard
            pricing_rules: [markup]
            ---
            kind: PricingRule
            name: markup
            scope: GLOBAL
            type: MARKUP
            modifier_percentage: 12.5
            ---
            kind: CustomLineItem
            name: service-fee
            description: Service fee
            billing_group: customer
            type: FEE
            flat: { charge_value: 99.99 }
            ---
            kind: CustomLineItem
            name: support
            description: Support, 3 %
            billing_group: customer
            type: FEE
            percentage: { percentage_value: 3, associated_values: [customer, service-fee] }
            """,
            "usage/data.csv": data,
        ]
        for (path, text) in files {
            let url = directory.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        let frontend = try Frontend(WorkspaceOptions(directory: directory.path), toolVersion: "test")
        let period = try #require(BillingPeriod(month))
        let priced = try frontend.price(PricingRequest(periods: .period(period)))
        let result = try #require(priced.result.group("customer", period: period))
        let exported = try Self.export(priced, group: "customer", period: period)
        let invoiceTotal = result.figures(rounding: .halfEven).proForma.rounded
        #expect(exported.summary.total == invoiceTotal)
        #expect(exported.summary.format == format)
        #expect(exported.summary.customLineItems == 2)
        let back = try Self.readBack(exported.text)
        #expect(back.format == format)
        #expect(back.sum == invoiceTotal)
        #expect(exported.summary.usageRows > 0)
        #expect(
            try Self.export(priced, group: "customer", period: period, exact: true).summary.total == result.proFormaCost
        )
    }
}

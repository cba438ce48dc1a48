import ProformaCore
import ProformaEngine
import ProformaReport
import Testing

/// Invoices and cost reports in every format, against the committed files in `Golden/` (see `Golden` to re-record).
@Suite struct BillingGoldenTests {
    static func fileExtension(_ format: InvoiceFormat) -> String {
        switch format {
        case .text: "txt"
        case .markdown: "md"
        case .csv: "csv"
        case .json: "json"
        case .html: "html"
        }
    }

    static func fileExtension(_ format: CostReportFormat) -> String {
        switch format {
        case .text: "txt"
        case .csv: "csv"
        case .json: "json"
        case .costExplorer: "cost-explorer.json"
        }
    }

    @Test(arguments: InvoiceFormat.allCases)
    func invoice(format: InvoiceFormat) {
        let output = InvoiceRenderer.render(BillingFixtures.retailInvoice, as: format)
        Golden.check(output, matches: "invoice.retail.\(Self.fileExtension(format))")
    }

    @Test(arguments: MarginBreakdown.allCases, CostReportFormat.allCases.filter { $0 != .costExplorer })
    func margin(by: MarginBreakdown, format: CostReportFormat) {
        let report = MarginReport(result: BillingFixtures.billingResult, by: by, options: BillingFixtures.reportOptions)
        let output = CostReportRenderer.render(report, as: format)
        Golden.check(output, matches: "margin.by-\(by.rawValue).\(Self.fileExtension(format))")
    }

    @Test(arguments: CostReportFormat.allCases)
    func costsByServiceAndCategory(format: CostReportFormat) {
        let report = CostsReport(
            result: BillingFixtures.billingResult, groupBy: [.service, .category],
            options: BillingFixtures.reportOptions)
        let output = CostReportRenderer.render(report, as: format)
        Golden.check(output, matches: "costs.by-service-category.\(Self.fileExtension(format))")
    }

    @Test func costsByGroupAccountAndLineType() {
        var options = BillingFixtures.reportOptions
        options.provenance = nil
        let report = CostsReport(
            result: BillingFixtures.billingResult, groupBy: [.group, .account, .lineType], options: options)
        Golden.check(CostReportRenderer.render(report, as: .text), matches: "costs.by-group-account-line-type.txt")
    }
}

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
        case .html, .pdf: "html"
        }
    }

    static func fileExtension(_ format: CostReportFormat) -> String {
        switch format {
        case .text: "txt"
        case .csv: "csv"
        case .json: "json"
        case .html: "html"
        case .svg: "svg"
        case .costExplorer: "cost-explorer.json"
        }
    }

    /// The formats whose golden files cover every breakdown; the page and its charts are checked for the margin
    /// report by group and the costs report.
    static let tableFormats: [CostReportFormat] = [.text, .csv, .json]

    /// PDF is the HTML page, printed by a converter.
    @Test(arguments: InvoiceFormat.allCases.filter { $0 != .pdf })
    func invoice(format: InvoiceFormat) {
        let output = InvoiceRenderer.render(BillingFixtures.retailInvoice, as: format)
        Golden.check(output, matches: "invoice.retail.\(Self.fileExtension(format))")
    }

    @Test(arguments: MarginBreakdown.allCases, tableFormats)
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

    @Test(arguments: [CostReportFormat.html, .svg])
    func marginByGroupPage(format: CostReportFormat) {
        let report = MarginReport(
            result: BillingFixtures.billingResult, by: .group, options: BillingFixtures.reportOptions)
        Golden.check(
            CostReportRenderer.render(report, as: format), matches: "margin.by-group.\(Self.fileExtension(format))")
    }

    @Test func costsByGroupAccountAndLineType() {
        var options = BillingFixtures.reportOptions
        options.provenance = nil
        let report = CostsReport(
            result: BillingFixtures.billingResult, groupBy: [.group, .account, .lineType], options: options)
        Golden.check(CostReportRenderer.render(report, as: .text), matches: "costs.by-group-account-line-type.txt")
    }
}

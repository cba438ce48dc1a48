import ProformaCore
import ProformaModel
import ProformaPlan
import Testing

@testable import ProformaEngine
@testable import ProformaReport

@Suite("Impact rendering")
struct ImpactRenderingTests {
    static func figures(_ proForma: String, _ aws: String) -> RoundedFigures {
        RoundedFigures(currency: "USD", proForma: ExactDecimal(proForma)!, awsCost: ExactDecimal(aws)!)
    }

    static func impact(groups count: Int) -> InvoiceImpact {
        let groups = (0..<count).map { index in
            GroupImpact(
                group: "customer-\(index)-with-a-rather-long-name", before: figures("1000.00", "800.00"),
                after: figures("1\(index % 10)50.25", "800.00"),
                services: (0..<12).reversed().map {
                    AmountChange(name: "Service\($0)", before: .zero, after: ExactDecimal($0 + 1))
                },
                customLineItems: [], accountsAdded: [], accountsRemoved: [])
        }
        let period = PeriodImpact(
            period: BillingPeriod("2026-10")!,
            groups: groups + [
                GroupImpact(
                    group: "unchanged", before: figures("5", "4"), after: figures("5", "4"), services: [],
                    customLineItems: [], accountsAdded: [], accountsRemoved: [])
            ],
            totals: [], unassignedAfter: [], newlyUnassigned: [])
        var impact = InvoiceImpact(
            before: BillingResult(periods: [], groups: [], unassigned: [], dataTotals: [], warnings: []),
            after: BillingResult(periods: [], groups: [], unassigned: [], dataTotals: [], warnings: []),
            base: Configuration(), head: Configuration(), diff: ConfigurationDiff(changes: []), periods: [],
            usageFiles: [])
        impact.periods = [period]
        return impact
    }

    @Test func markdownFitsAPullRequestCommentWithoutCuttingATable() {
        let plan = Plan(
            base: PlanSide(label: "main", commit: nil, configurationHash: ""),
            head: PlanSide(label: "working tree", commit: nil, configurationHash: ""), root: "",
            diff: ConfigurationDiff(
                changes: (0..<3000).map {
                    ResourceChange(id: ResourceID(.pricingRule, "rule-\($0)"), action: .create, fields: [])
                }), toolVersion: "test")
        for count in [1, 40, 3000] {
            let markdown = PlanRenderer.render(plan, impact: Self.impact(groups: count), as: .markdown, color: false)
            #expect(markdown.utf8.count <= ChangeRenderer.markdownLimit, "\(count) groups")
            #expect(markdown.hasPrefix(ImpactRenderer.marker))
            #expect(markdown.contains("1 billing group has no invoice changes."))
            // Every table row is whole: each line of a table starts and ends with a bar.
            for line in markdown.split(separator: "\n") where line.hasPrefix("|") { #expect(line.hasSuffix("|")) }
            let rows = markdown.split(separator: "\n").filter { $0.hasPrefix("| `customer-") }.count
            if count == 3000 {
                #expect(rows < count)
                #expect(markdown.contains("more changed billing groups, left out to fit a comment"))
            } else {
                #expect(rows == count)
            }
            // The impact comes before the resource table.
            let impactAt = markdown.range(of: "| Billing group |")!.lowerBound
            let resourcesAt = markdown.range(of: "| | Resource |")?.lowerBound
            #expect(resourcesAt.map { impactAt < $0 } ?? true)
        }
    }

    @Test func detailsListTheLargestChangesAndCountTheRest() {
        let text = ImpactRenderer.text(Self.impact(groups: 1))
        #expect(text.contains("service Service11: 0.00 → 12.00 (+12.00)"))
        #expect(!text.contains("service Service0:"))
        #expect(text.contains("and 2 more services, each changing less"))
    }

    @Test func servicesAreNamedAsInvoicesNameThemAndJSONKeepsTheCodes() {
        var impact = Self.impact(groups: 1)
        impact.serviceNames = ServiceNames(fromData: ["Service11": "Eleventh Service, from the data"])
        let text = ImpactRenderer.text(impact)
        #expect(text.contains("service Eleventh Service, from the data: 0.00 → 12.00 (+12.00)"))
        #expect(!text.contains("service Service11:"))
        let json = JSONWriter.write(ImpactRenderer.json(impact))
        #expect(json.contains("\"Service11\""))
        #expect(!json.contains("Eleventh Service"))
    }
}

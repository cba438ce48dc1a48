import Foundation
import ProformaCore
import ProformaEngine
import ProformaFrontend
import ProformaModel
import ProformaReport
import ProformaTestSupport
import ProformaUsage
import Testing

/// The enterprise example shares its real Support lines and its shared platform's costs with the business units
/// under a two-level hierarchy. Every expectation is computed from the usage data itself, so new data passes too.
@Suite struct EnterpriseAllocationTests {
    static let directory = TestSupport.packageRoot.appendingPathComponent("examples/enterprise")
    static let supportServices: Set<String> = Set(
        ["AWSDeveloperSupport", "AWSSupportBusiness", "AWSSupportEnterprise"].flatMap {
            AWSServiceCatalogue.spellings($0) + [$0]
        })

    /// Prices every period of the example's data with its working tree.
    static func priced() throws -> PricedUsage {
        let frontend = try Frontend(WorkspaceOptions(directory: directory.path), toolVersion: "test")
        return try frontend.price(PricingRequest(periods: .all))
    }

    /// The pools as the raw lines give them: per period, Σ actual cost of the Support lines (wherever billed) and
    /// of the shared platform's other lines, tax never.
    static func rawPools(_ configuration: Configuration) throws -> [BillingPeriod: (
        support: ExactDecimal, platform: ExactDecimal
    )] {
        let platform = Set(configuration.billingGroups.first { $0.name == "shared-platform" }?.accountIDs ?? [])
        #expect(!platform.isEmpty)
        let usage = try #require(configuration.project?.usage.first?.path)
        let scan = UsageScan(inputs: [UsageInput(path: directory.appendingPathComponent(usage).path)])
        var pools: [BillingPeriod: (support: ExactDecimal, platform: ExactDecimal)] = [:]
        _ = try scan.forEach { line, _ in
            if line.lineItemType == .tax || line.chargeCategory?.lowercased() == "tax" { return }
            var pool = pools[line.period] ?? (.zero, .zero)
            if supportServices.contains(line.serviceCode) {
                pool.support += line.actualCost
            } else if platform.contains(line.usageAccountID) {
                pool.platform += line.actualCost
            }
            pools[line.period] = pool
        }
        return pools
    }

    @Test func everyCentOfSupportAndOfThePlatformIsOnExactlyOneBusinessUnitsInvoice() throws {
        let priced = try Self.priced()
        let configuration = priced.configuration
        let pools = try Self.rawPools(configuration)
        let units = Set(
            configuration.leafGroups(of: "products-division") + configuration.leafGroups(of: "corporate-division"))
        #expect(units.count == 4)
        for period in priced.periods {
            let pool = try #require(pools[period])
            #expect(pool.support > .zero, "the data has Support lines in \(period)")
            #expect(pool.platform > .zero, "the shared platform has costs in \(period)")
            var support: [ExactDecimal] = []
            var platform: [ExactDecimal] = []
            var shownSupport = ExactDecimal.zero
            for group in configuration.billingGroups {
                let result = try #require(priced.result.group(group.name, period: period))
                let allocated = result.rows.filter { $0.key.category == .allocated }
                // Only the business units receive shares; the shared platform's own invoice is empty.
                if !units.contains(group.name) { #expect(allocated.isEmpty) }
                if group.name == "shared-platform" { #expect(result.proFormaCost.isZero) }
                support += allocated.filter { $0.key.service == "AWS Support (aws-support)" }.map(\.figures.proForma)
                platform += allocated.filter { $0.key.service == "Shared Platform (shared-platform)" }.map(
                    \.figures.proForma)
                // The invoice shows the share as one line, its exact share rounded give or take a cent.
                let document = try #require(try priced.invoice(group.name, period: period))
                for line in InvoiceLayout(document).usageLines where line.service == "AWS Support (aws-support)" {
                    #expect((line.amount.rounded - line.amount.exact).magnitude <= ExactDecimal("0.01")!)
                    shownSupport += line.amount.rounded
                }
            }
            #expect(support.count == units.count)
            #expect(platform.count == units.count)
            #expect(support.sum() == pool.support)
            #expect(platform.sum() == pool.platform)
            #expect((shownSupport - pool.support).magnitude <= ExactDecimal("0.04")!)
            // Nothing is lost: the AWS cost of the groups and unassigned accounts is the data's.
            let data = priced.result.dataTotals.filter { $0.key.period == period && $0.key.category != .tax }
                .map(\.figures.actualCost).sum()
            let reported =
                priced.result.groups.filter { $0.period == period }.map(\.awsCost).sum()
                + priced.result.unassigned.filter { $0.key.period == period && $0.key.category != .tax }
                .map(\.figures.actualCost).sum()
            #expect(data == reported)
        }
    }

    @Test func theAllocationsReportBalancesToTheCent() throws {
        let priced = try Self.priced()
        let text = AllocationReportRenderer.render(priced.allocationReport, as: .json)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let allocations = try #require(object["allocations"] as? [[String: Any]])
        #expect(allocations.count == 2 * priced.periods.count)
        func rounded(_ value: Any?) throws -> ExactDecimal {
            let text = (value as? [String: Any])?["rounded"] as? String
            return try #require(text.flatMap { ExactDecimal($0) })
        }
        for allocation in allocations {
            let pool = try rounded(allocation["pool"])
            let charged = try rounded(allocation["charged"])
            let sources = try #require(allocation["sources"] as? [[String: Any]])
            let targets = try #require(allocation["targets"] as? [[String: Any]])
            #expect(try sources.map { try rounded($0["aws_cost"]) }.sum() == pool)
            #expect(try targets.map { try rounded($0["charged"]) }.sum() == charged)
            #expect(try targets.map { try rounded($0["aws_cost"]) }.sum() == pool)
            #expect(try rounded(allocation["left"]) == charged - pool)
            #expect(targets.count == 4)
        }
        // The report's pools are the raw lines' pools.
        let pools = try Self.rawPools(priced.configuration)
        for allocation in priced.result.allocations {
            let pool = try #require(pools[allocation.period])
            #expect(allocation.pool == (allocation.name == "aws-support" ? pool.support : pool.platform))
            #expect(allocation.recovery.isZero)
        }
    }

    @Test func aParentsInvoiceIsTheSumOfItsChildren() throws {
        let priced = try Self.priced()
        for period in priced.periods {
            let top = try #require(try priced.parentInvoice("meridian", period: period))
            let leaves = priced.configuration.leafGroups(of: "meridian")
            #expect(Set(top.invoices.map(\.result.group)) == Set(leaves))
            let totals = try leaves.map { name in
                InvoiceLayout(try #require(try priced.invoice(name, period: period))).total.rounded
            }
            #expect(top.total == totals.sum())
            for child in top.children {
                if case .parent(let division) = child {
                    #expect(division.total == division.children.map(\.total).sum())
                    #expect(division.children.count == 2)
                }
            }
            // Every format renders; the JSON's total is the sum.
            for format in InvoiceFormat.allCases {
                #expect(ParentInvoiceRenderer.render(top, as: format).contains("meridian"))
            }
            let json = ParentInvoiceRenderer.render(top, as: .json)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
            #expect((object["total"] as? String).flatMap(ExactDecimal.init) == totals.sum())
            #expect(try priced.parentInvoice("consumer-products", period: period) == nil)
        }
    }

    @Test func theMarginRolledUpToParentsAddsUpToTheMarginByGroup() throws {
        let priced = try Self.priced()
        let report = priced.hierarchyMarginReport
        let byGroup = priced.result.groups.map { $0.figures(rounding: .halfEven) }
        #expect(report.rows.map(\.proForma).sum() == byGroup.map(\.proForma.rounded).sum())
        let unassigned = priced.periods.flatMap { priced.result.unassignedFigures(period: $0) }.map(\.awsCost.rounded)
        #expect(report.rows.map(\.awsCost).sum() == byGroup.map(\.awsCost.rounded).sum() + unassigned.sum())
        let divisions = report.rows.filter(\.isParent).map(\.name)
        #expect(divisions.contains("products-division") && divisions.contains("corporate-division"))
        // The costs report by parent: groups renamed, each still rounded on its own.
        let rolled = priced.result.rolledUpToParents(priced.configuration)
        #expect(Set(rolled.groups.map(\.group)) == ["corporate-division", "meridian", "products-division"])
    }
}

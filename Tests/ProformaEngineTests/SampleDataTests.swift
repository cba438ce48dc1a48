import Foundation
import ProformaCore
import ProformaEngine
import ProformaLoader
import ProformaModel
import ProformaTestSupport
import ProformaUsage
import Testing

/// The real samples, gzipped in `Samples/` (see its NOTICE.md).
enum Samples {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Samples")

    static func path(_ name: String) -> String { directory.appendingPathComponent(name + ".gz").path }
}

/// Every real usage sample is priced, and every line is accounted for exactly once.
@Suite struct SampleDataTests {
    static let samples = [
        "aws_cur_legacy_anonymized_2023-11_focus_converters.csv", "focus_sample_1.0_1000.csv",
        "koku_aws_2022-07-01_snakecase_154cols.csv", "koku_aws_2023-06-01_legacy_201cols_savingsplan.csv",
        "koku_test_cur_legacy_131cols.csv",
    ]

    func readAll(_ path: String) throws -> [UsageLine] {
        let reader = try UsageReader(path: path)
        var lines: [UsageLine] = []
        while let line = try reader.next() { lines.append(line) }
        return lines
    }

    @Test(arguments: samples)
    func everyLineIsAccountedForOnce(sample: String) throws {
        let path = Samples.path(sample)
        try #require(FileManager.default.fileExists(atPath: path), "sample \(sample) is missing")
        let lines = try readAll(path)
        #expect(!lines.isEmpty)
        // Put the accounts of the data, in order of appearance, alternately into two groups, leaving every third
        // one unassigned; one plan with a global markup and a service discount.
        var accounts: [String] = []
        for line in lines where !accounts.contains(line.usageAccountID) { accounts.append(line.usageAccountID) }
        let groupA = accounts.enumerated().filter { $0.offset % 3 == 0 }.map(\.element)
        let groupB = accounts.enumerated().filter { $0.offset % 3 == 1 }.map(\.element)
        var groups: [BillingGroup] = []
        if let first = groupA.first {
            groups.append(BillingGroup(name: "a", primaryAccountID: first, accountIDs: groupA, pricingPlan: "p"))
        }
        if let first = groupB.first {
            groups.append(BillingGroup(name: "b", primaryAccountID: first, accountIDs: groupB, pricingPlan: "p"))
        }
        let config = Configuration(
            billingGroups: groups, pricingPlans: [PricingPlan(name: "p", pricingRules: ["markup", "ec2"])],
            pricingRules: [
                PricingRule(name: "markup", scope: .global, type: .markup, modifierPercentage: ExactDecimal(10)),
                PricingRule(name: "ec2", scope: .service, type: .discount, modifierPercentage: ExactDecimal("2.5"), service: "AmazonEC2"),
            ],
            customLineItems: groups.map {
                CustomLineItem(name: "fee-\($0.name)", billingGroup: $0.name, type: .fee, charge: .flat(chargeValue: ExactDecimal(50)))
            })
        let engine = PricingEngine(configuration: config)
        for line in lines { try engine.add(line, source: "\(sample):\(line.row)") }
        let result = try engine.result()

        let groupRows = result.groups.flatMap(\.rows)
        let countedLines = groupRows.map(\.figures.lines).reduce(0, +) + result.unassigned.map(\.figures.lines).reduce(0, +)
        #expect(countedLines == lines.count, "every line in exactly one group or unassigned")
        let actual = lines.map(\.actualCost).sum()
        let accounted = groupRows.map(\.figures.actualCost).sum() + result.unassigned.map(\.figures.actualCost).sum()
        #expect(accounted == actual)
        #expect(result.dataTotals.map(\.figures.actualCost).sum() == actual)
        // AWS cost of the groups plus unassigned equals the data's actual cost without tax.
        let tax = lines.filter { $0.lineItemType == .tax || $0.chargeCategory?.lowercased() == "tax" }.map(\.actualCost).sum()
        let unassignedAWS = result.unassigned.filter { $0.key.category != .tax }.map(\.figures.actualCost).sum()
        #expect(result.groups.map(\.awsCost).sum() + unassignedAWS == actual - tax)
        // Each group's pro forma cost is its counted rows plus the flat fee in every period.
        for group in result.groups {
            #expect(group.proFormaCost == group.usageTotal + ExactDecimal(50))
            #expect(group.margin == group.proFormaCost - group.awsCost)
        }
        #expect(Set(result.periods) == Set(lines.map(\.period)))
    }
}

@Suite struct PipelineTests {
    @Test func pipelineGivesTheSameResultAsDirectCalls() throws {
        let path = Samples.path("aws_cur_legacy_anonymized_2023-11_focus_converters.csv")
        try #require(FileManager.default.fileExists(atPath: path))
        let reader = try UsageReader(path: path)
        var lines: [UsageLine] = []
        while let line = try reader.next() { lines.append(line) }
        let config = Configuration(
            billingGroups: [BillingGroup(name: "g", primaryAccountID: "123412340534", accountIDs: ["123412340534"], pricingPlan: "p")],
            pricingPlans: [PricingPlan(name: "p", pricingRules: ["m"])],
            pricingRules: [PricingRule(name: "m", scope: .global, type: .markup, modifierPercentage: ExactDecimal(7))])
        let direct = PricingEngine(configuration: config)
        for line in lines { try direct.add(line, source: "x") }
        // Many batches: repeat the lines.
        let pipeline = PricingPipeline(engine: PricingEngine(configuration: config))
        for _ in 0..<10 { for line in lines { try pipeline.add(line, file: "x") } }
        let piped = try pipeline.finish().result()
        let expected = try direct.result()
        #expect(piped.groups.map(\.usageTotal) == expected.groups.map { $0.usageTotal * ExactDecimal(10) })
        #expect(piped.dataTotals.map(\.figures.lines).reduce(0, +) == lines.count * 10)
    }

    @Test func pipelineReportsTheFirstPricingError() throws {
        let config = Configuration(
            billingGroups: [BillingGroup(name: "g", primaryAccountID: "111111111111", accountIDs: ["111111111111"], pricingPlan: "p")],
            pricingPlans: [PricingPlan(name: "p", pricingRules: [])])
        let pipeline = PricingPipeline(engine: PricingEngine(configuration: config))
        func line(_ row: Int, _ currency: String) -> UsageLine {
            UsageLine(
                row: row, period: BillingPeriod("2026-10")!, usageAccountID: "111111111111", lineItemType: .usage,
                serviceCode: "AmazonEC2", actualCost: ExactDecimal(1), currency: currency)
        }
        var thrown: EngineError?
        do {
            for row in 2..<20_000 { try pipeline.add(line(row, row == 5_000 ? "EUR" : "USD"), file: "usage.csv") }
            _ = try pipeline.finish()
        } catch {
            thrown = error
        }
        let error = try #require(thrown)
        #expect(error.message.hasPrefix("usage.csv:5000: billing group \"g\" has lines in two currencies"))
    }
}

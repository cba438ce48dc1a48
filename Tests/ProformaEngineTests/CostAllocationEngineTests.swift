import Foundation
import ProformaCore
import ProformaEngine
import ProformaModel
import ProformaUsage
import Testing

/// Three billing groups under two parents, all at public prices: a (111…, 222…) and b (333…) below `left`, c
/// (444…) below `right`, both below `top`; the shared platform group s (555…) has no parent.
private let base = """
    kind: PricingPlan
    name: p
    pricing_rules: [public]
    ---
    kind: PricingRule
    name: public
    scope: GLOBAL
    type: MARKUP
    modifier_percentage: 0
    ---
    kind: BillingGroup
    name: a
    primary_account_id: "111111111111"
    account_ids: ["111111111111", "222222222222"]
    pricing_plan: p
    parent: left
    ---
    kind: BillingGroup
    name: b
    primary_account_id: "333333333333"
    account_ids: ["333333333333"]
    pricing_plan: p
    parent: left
    ---
    kind: BillingGroup
    name: c
    primary_account_id: "444444444444"
    account_ids: ["444444444444"]
    pricing_plan: p
    parent: right
    ---
    kind: BillingGroup
    name: s
    primary_account_id: "555555555555"
    account_ids: ["555555555555"]
    pricing_plan: p
    ---
    kind: ParentGroup
    name: top
    ---
    kind: ParentGroup
    name: left
    parent: top
    ---
    kind: ParentGroup
    name: right
    parent: top

    """

/// Usage of 600 in a, 300 in b, 100 in c, 50 in s, at public = actual cost; Support lines of 90 on the payer and
/// 10 in a; tax of 5 in s.
private func usage() -> [UsageLine] {
    [
        line("111111111111", publicCost: "600", actual: "600"),
        line("333333333333", publicCost: "300", actual: "300"),
        line("444444444444", publicCost: "100", actual: "100"),
        line("555555555555", publicCost: "50", actual: "50"),
        line("999999999999", .fee, service: "AWSSupportBusiness", actual: "90"),
        line("111111111111", .fee, service: "AWS Support (Business)", actual: "10"),
        line("555555555555", .tax, service: "AmazonEC2", actual: "5"),
    ]
}

private func allocated(_ result: BillingResult, _ group: String) -> [CostRow] {
    result.groups.first { $0.group == group }?.rows.filter { $0.key.category == .allocated } ?? []
}

private func share(_ result: BillingResult, _ group: String) -> ExactDecimal {
    allocated(result, group).map(\.figures.proForma).sum()
}

private func proFormaSum(_ result: BillingResult) -> ExactDecimal { result.groups.map(\.proFormaCost).sum() }

/// Σ AWS cost of the groups plus the unassigned accounts equals the data's AWS cost (every line but tax).
private func addsUp(_ result: BillingResult) -> Bool {
    let data = result.dataTotals.filter { $0.key.category != .tax }.map(\.figures.actualCost).sum()
    let reported =
        result.groups.map(\.awsCost).sum()
        + result.unassigned.filter { $0.key.category != .tax }.map(\.figures.actualCost).sum()
    return data == reported
}

@Suite struct CostAllocationEngineTests {
    @Test func supportSharedProportionallyToProFormaThroughParents() throws {
        let config = try configuration(
            base + """
                ---
                kind: CostAllocation
                name: support
                source: { services: [AWSSupportBusiness] }
                targets: [left, right]
                method: proportional
                """)
        let result = try price(config, usage())
        // Pool: 90 + 10 (by code and by name); weights 600 : 300 : 100.
        #expect(share(result, "a") == d("60"))
        #expect(share(result, "b") == d("30"))
        #expect(share(result, "c") == d("10"))
        #expect(share(result, "s").isZero)
        let allocation = try #require(result.allocations.first)
        #expect(allocation.pool == d("100"))
        #expect(allocation.lines == 2)
        #expect(allocation.charged == allocation.pool)
        #expect(allocation.recovery.isZero)
        // The AWS cost moves with the pool: the payer's Support line leaves the unassigned accounts.
        #expect(result.unassigned.filter { $0.key.category != .tax }.map(\.figures.actualCost).sum().isZero)
        #expect(result.groups.first { $0.group == "a" }?.awsCost == d("660"))
        #expect(addsUp(result))
        // The line is shown under the presentation service, naming the source, on the target's primary account.
        let row = try #require(allocated(result, "c").first)
        #expect(row.key.service == "Shared costs (support)")
        #expect(row.key.account == "444444444444")
        #expect(row.key.lineItemType == PricingEngine.allocationLineItemType)
    }

    @Test func sharedGroupsLinesLeaveItsInvoiceAndGoByAWSCost() throws {
        let config = try configuration(
            base + """
                ---
                kind: CostAllocation
                name: platform
                source: { billing_groups: [s] }
                targets: [top]
                method: proportional
                basis: aws_cost
                presentation_details: { service: Platform }
                """)
        let result = try price(config, usage())
        let s = try #require(result.groups.first { $0.group == "s" })
        // The platform's usage left its invoice; its tax is never consumed.
        #expect(s.proFormaCost.isZero)
        #expect(s.rows.allSatisfy { $0.key.category == .tax })
        // aws_cost basis: a's 600 + 10 of Support (excluded from pro forma, still AWS cost), b 300, c 100.
        let shares = try #require(result.allocations.first?.shares)
        #expect(shares.map(\.group) == ["a", "b", "c"])
        #expect(shares.map(\.weight) == [d("610"), d("300"), d("100")])
        #expect(shares.map(\.amount).sum() == d("50"))
        #expect(allocated(result, "a").first?.key.service == "Platform (platform)")
        #expect(addsUp(result))
    }

    @Test func evenAndFixedSplitsAddUpExactlyWhateverTheSign() throws {
        let config = try configuration(
            base + """
                ---
                kind: CostAllocation
                name: even
                source: { account_ids: ["555555555555"] }
                targets: [a, b, c]
                method: even
                ---
                kind: CostAllocation
                name: fixed
                source: { services: [AWSSupportBusiness] }
                method: fixed
                percentages:
                  - { target: a, percentage: 33.3333 }
                  - { target: b, percentage: 33.3333 }
                  - { target: c, percentage: 33.3334 }
                """)
        var lines = usage()
        lines.append(line("555555555555", .credit, service: "AmazonEC2", actual: "-150.0000000001"))
        let result = try price(config, lines)
        let even = try #require(result.allocations.first { $0.name == "even" })
        // 50 − 150.0000000001 = −100.0000000001: a credit pool split in three, exactly.
        #expect(even.pool == d("-100.0000000001"))
        #expect(even.shares.map(\.amount).sum() == even.pool)
        #expect(even.shares.allSatisfy { $0.amount < .zero })
        let amounts = even.shares.map(\.amount)
        #expect((amounts.max()! - amounts.min()!) <= d("0.0000000001"))
        let fixed = try #require(result.allocations.first { $0.name == "fixed" })
        #expect(fixed.shares.map(\.amount) == [d("33.333300"), d("33.333300"), d("33.333400")])
        #expect(addsUp(result))
    }

    @Test func aLineIsConsumedOnceByTheFirstAllocationByName() throws {
        let config = try configuration(
            base + """
                ---
                kind: CostAllocation
                name: b-platform
                source: { account_ids: ["999999999999"] }
                targets: [c]
                method: even
                ---
                kind: CostAllocation
                name: a-support
                source: { services: [AWSSupportBusiness] }
                targets: [a]
                method: even
                """)
        let result = try price(config, usage())
        #expect(result.allocations.first { $0.name == "a-support" }?.pool == d("100"))
        #expect(result.allocations.first { $0.name == "b-platform" }?.pool == .zero)
        #expect(share(result, "c").isZero)
        #expect(addsUp(result))
    }

    @Test func aFixedAmountAgainstAPoolLeavesTheRecoveryVisible() throws {
        let config = try configuration(
            base + """
                ---
                kind: CostAllocation
                name: support
                source: { services: [AWSSupportBusiness] }
                fixed_amount: 120
                targets: [a, b]
                method: even
                """)
        let result = try price(config, usage())
        let allocation = try #require(result.allocations.first)
        #expect(allocation.pool == d("100"))
        #expect(allocation.charged == d("120"))
        #expect(allocation.recovery == d("20"))
        #expect(share(result, "a") == d("60"))
        // The AWS cost that moves is the pool's, not the amount charged.
        #expect(allocation.shares.map(\.awsCost) == [d("50"), d("50")])
        #expect(addsUp(result))
        // The pro forma total grew by the amount charged.
        let without = try price(try configuration(base), usage())
        #expect(proFormaSum(result) - proFormaSum(without) == d("120"))
    }

    @Test func supportBilledAsAPercentageOfUsageShowsTheUnderRecovery() throws {
        let config = try configuration(
            base + """
                ---
                kind: CostAllocation
                name: support
                source: { services: [AWSSupportBusiness] }
                percentage_of_basis: 7
                targets: [left, right]
                method: proportional
                """)
        let result = try price(config, usage())
        // 7 % of 600, 300 and 100: 42 + 21 + 7 = 70 charged against a pool of 100.
        #expect(share(result, "a") == d("42"))
        #expect(share(result, "b") == d("21"))
        #expect(share(result, "c") == d("7"))
        let allocation = try #require(result.allocations.first)
        #expect(allocation.charged == d("70"))
        #expect(allocation.pool == d("100"))
        #expect(allocation.recovery == d("-30"))
        #expect(allocation.percentageOfBasis == d("7"))
        // The pool's AWS cost still moves in proportion to the basis: 60, 30, 10.
        #expect(allocation.shares.map(\.awsCost) == [d("60"), d("30"), d("10")])
        #expect(addsUp(result))
    }

    @Test func negativeWeightsWeighNothingAndAllZeroFallsBackToEven() throws {
        let config = try configuration(
            base + """
                ---
                kind: CostAllocation
                name: support
                source: { services: [AWSSupportBusiness] }
                targets: [b, c]
                method: proportional
                basis: aws_cost
                """)
        // b is a net credit (−40): it weighs nothing; c takes the whole pool.
        let mixed = try price(
            config,
            [
                line("333333333333", .credit, actual: "-40"), line("444444444444", publicCost: "5", actual: "5"),
                line("999999999999", .fee, service: "AWSSupportBusiness", actual: "30"),
            ])
        #expect(share(mixed, "b").isZero)
        #expect(share(mixed, "c") == d("30"))
        #expect(mixed.allocations.first?.fellBackToEven == false)
        // Neither has a positive basis: even, with a warning on each target.
        let none = try price(
            config,
            [
                line("333333333333", .credit, actual: "-40"),
                line("999999999999", .fee, service: "AWSSupportBusiness", actual: "30"),
            ])
        #expect(share(none, "b") == d("15"))
        #expect(share(none, "c") == d("15"))
        #expect(none.allocations.first?.fellBackToEven == true)
        #expect(
            none.groups.first { $0.group == "c" }?.warnings.contains { $0.message.contains("split evenly") } == true)
    }

    @Test func basisFilterAndSourceFiltersNarrowTheLines() throws {
        let config = try configuration(
            base + """
                ---
                kind: CostAllocation
                name: sp-fees
                source:
                  line_item_types: [savingsplanrecurringfee]
                  billing_entities: [AWS]
                targets: [a, c]
                method: proportional
                basis_filter: { services: [Amazon Elastic Compute Cloud] }
                """)
        let result = try price(
            config,
            [
                line("111111111111", publicCost: "10", actual: "10"),
                line("111111111111", service: "AmazonS3", publicCost: "1000", actual: "1000"),
                line("444444444444", publicCost: "30", actual: "30"),
                line("555555555555", .savingsPlanRecurringFee, actual: "8"),
                line("555555555555", .savingsPlanRecurringFee, entity: "AWS Marketplace", actual: "100"),
            ])
        // Only the EC2 lines weigh: 10 : 30.
        #expect(share(result, "a") == d("2"))
        #expect(share(result, "c") == d("6"))
        // The Marketplace fee is not selected and stays with s (a commitment fee owned in s).
        #expect(result.groups.first { $0.group == "s" }?.proFormaCost == d("100"))
        #expect(addsUp(result))
    }

    @Test func inactivePeriodsKeepTheirLines() throws {
        let config = try configuration(
            base + """
                ---
                kind: CostAllocation
                name: support
                source: { services: [AWSSupportBusiness] }
                targets: [a]
                method: even
                billing_period_range: { inclusive_start: 2026-11 }
                """)
        let result = try price(config, usage())
        #expect(result.allocations.isEmpty)
        #expect(share(result, "a").isZero)
        #expect(result.unassigned.contains { $0.key.service == "AWSSupportBusiness" })
    }

    @Test func customLineItemsDoNotSeeAllocatedShares() throws {
        let config = try configuration(
            base + """
                ---
                kind: CostAllocation
                name: support
                source: { services: [AWSSupportBusiness] }
                targets: [c]
                method: even
                ---
                kind: CustomLineItem
                name: fee
                billing_group: c
                type: FEE
                percentage: { percentage_value: 10, associated_values: [c] }
                """)
        let result = try price(config, usage())
        let c = try #require(result.groups.first { $0.group == "c" })
        #expect(c.customLineItems.first?.amount == d("10"))
        #expect(c.proFormaCost == d("210"))
    }

    @Test func aPoolInTwoCurrenciesIsAnError() throws {
        let config = try configuration(
            base + """
                ---
                kind: CostAllocation
                name: support
                source: { services: [AWSSupportBusiness] }
                targets: [a]
                method: even
                """)
        #expect(throws: EngineError.self) {
            _ = try price(
                config,
                [
                    line("999999999999", .fee, service: "AWSSupportBusiness", actual: "1"),
                    line("999999999999", .fee, service: "AWSSupportBusiness", actual: "1", currency: "EUR"),
                ])
        }
    }

    @Test func aConfigurationBuiltInCodeWithABadAllocationIsAnErrorNotACrash() throws {
        var config = try configuration(base)
        config.costAllocations = [
            CostAllocation(
                name: "x", source: AllocationFilter(services: ["AWSSupportBusiness"]), targets: ["nowhere"],
                method: .even)
        ]
        let error = try #require(throws: EngineError.self) { _ = try price(config, usage()) }
        #expect(error.message.contains("target \"nowhere\""))
        config.costAllocations = [
            CostAllocation(
                name: "x", fixedAmount: d("2000000"), method: .fixed,
                percentages: [AllocationShare(target: "a", percentage: d("100"))])
        ]
        #expect(throws: EngineError.self) { _ = try price(config, usage()) }
    }

    @Test func leafGroupsOfParents() throws {
        let config = try configuration(base)
        #expect(config.leafGroups(of: "top") == ["a", "b", "c"])
        #expect(config.leafGroups(of: "left") == ["a", "b"])
        #expect(config.leafGroups(of: "s") == ["s"])
        #expect(config.leafGroups(of: "nothing").isEmpty)
    }
}

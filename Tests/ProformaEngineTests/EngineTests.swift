import Foundation
import ProformaCore
import ProformaEngine
import ProformaLoader
import ProformaModel
import ProformaUsage
import Testing

let project = "kind: Project\nname: t\nversion: 1\npayer_account_id: \"999999999999\"\n"

func configuration(_ text: String) throws -> Configuration {
    let loaded = try ConfigurationLoader().load(from: InMemoryFileTree(files: ["proforma.yaml": project, "c.yaml": text]))
    #expect(!loaded.diagnostics.hasErrors, "\(loaded.diagnostics)")
    return loaded.configuration
}

func d(_ text: String) -> ExactDecimal { ExactDecimal(text)! }

let october = BillingPeriod("2026-10")!

func line(
    _ account: String = "111111111111", _ type: LineItemType = .usage, service: String = "AmazonEC2",
    usageType: String = "USE1-BoxUsage:m5.large", operation: String = "RunInstances", entity: String = "AWS",
    publicCost: String? = nil, actual: String, quantity: String? = nil, owner: String = "", currency: String = "USD",
    period: BillingPeriod = october
) -> UsageLine {
    UsageLine(
        row: 2, period: period, usageAccountID: account, lineItemType: type, serviceCode: service,
        usageType: usageType, operation: operation, billingEntity: entity, publicOnDemandCost: publicCost.map(d),
        actualCost: d(actual), usageAmount: quantity.map(d), currency: currency, commitmentOwnerAccountID: owner)
}

func price(_ config: Configuration, _ lines: [UsageLine], periods: [BillingPeriod]? = nil) throws -> BillingResult {
    let engine = PricingEngine(configuration: config)
    for item in lines { try engine.add(item, source: "test:\(item.row)") }
    return try engine.result(periods: periods)
}

let group = """
    kind: BillingGroup
    name: g
    primary_account_id: "111111111111"
    account_ids: ["111111111111", "222222222222"]
    pricing_plan: p

    """

@Suite struct ContractExamples {
    /// billing-semantics.md §4: GLOBAL MARKUP 10 and SKU DISCOUNT 5 → $95.00 for the SKU, $110.00 for other EC2.
    @Test func mostGranularRuleWinsWithoutStacking() throws {
        let config = try configuration(
            group + """
                ---
                kind: PricingPlan
                name: p
                pricing_rules: [global-markup-10, ec2-m5-discount]
                ---
                kind: PricingRule
                name: global-markup-10
                scope: GLOBAL
                type: MARKUP
                modifier_percentage: 10
                ---
                kind: PricingRule
                name: ec2-m5-discount
                scope: SKU
                type: DISCOUNT
                modifier_percentage: 5
                service: AmazonEC2
                usage_type: USE1-BoxUsage:m5.large
                operation: RunInstances
                """)
        let sku = try price(config, [line(publicCost: "100", actual: "80")])
        #expect(sku.groups[0].usageTotal == d("95.00"))
        let other = try price(config, [line(usageType: "USE1-BoxUsage:t3.micro", publicCost: "100", actual: "80")])
        #expect(other.groups[0].usageTotal == d("110.00"))
    }

    /// billing-semantics.md §5: usage 385.00; flat FEE 50; 3 % of [G, C1] = 13.05; CREDIT 2 % of [G] = −7.70;
    /// total 440.35.
    @Test func customLineItemsWorkedExample() throws {
        let config = try configuration(
            group + """
                ---
                kind: PricingPlan
                name: p
                pricing_rules: []
                ---
                kind: CustomLineItem
                name: C1
                description: flat fee
                billing_group: g
                type: FEE
                flat: { charge_value: 50.00 }
                ---
                kind: CustomLineItem
                name: C2
                description: percentage fee
                billing_group: g
                type: FEE
                percentage: { percentage_value: 3, associated_values: [g, C1] }
                ---
                kind: CustomLineItem
                name: C3
                description: credit
                billing_group: g
                type: CREDIT
                percentage: { percentage_value: 2, associated_values: [g] }
                """)
        let period = BillingPeriod("2025-03")!
        let result = try price(
            config,
            [
                line(publicCost: "300", actual: "250", period: period),
                line("222222222222", service: "AmazonS3", publicCost: "85", actual: "85", period: period),
            ])
        let g = try #require(result.group("g", period: period))
        #expect(g.usageTotal == d("385.00"))
        #expect(g.customLineItems.map(\.name) == ["C1", "C2", "C3"])
        #expect(g.customLineItems.map(\.amount) == [d("50"), d("13.05"), d("-7.70")])
        #expect(g.proFormaCost == d("440.35"))
        #expect(g.proFormaCost.formatted(places: 2) == "440.35")
    }
}

@Suite struct Classification {
    let config: Configuration

    init() throws {
        config = try configuration(
            group + """
                ---
                kind: BillingGroup
                name: h
                primary_account_id: "333333333333"
                account_ids: ["333333333333"]
                pricing_plan: p
                ---
                kind: PricingPlan
                name: p
                pricing_rules: [markup, marketplace, s3]
                ---
                kind: PricingRule
                name: markup
                scope: GLOBAL
                type: MARKUP
                modifier_percentage: 10
                ---
                kind: PricingRule
                name: marketplace
                scope: BILLING_ENTITY
                type: DISCOUNT
                billing_entity: AWS Marketplace
                modifier_percentage: 0
                ---
                kind: PricingRule
                name: s3
                scope: SERVICE
                type: DISCOUNT
                service: AmazonS3
                modifier_percentage: 50
                """)
    }

    func amount(_ lines: [UsageLine]) throws -> ExactDecimal {
        try price(config, lines).group("g", period: october)!.usageTotal
    }

    @Test func coveredUsageOfOwnCommitmentIsAtActualCost() throws {
        #expect(try amount([line("111111111111", .discountedUsage, publicCost: "10", actual: "4", owner: "222222222222")]) == d("4"))
        #expect(try amount([line("111111111111", .savingsPlanNegation, actual: "-3", owner: "111111111111")]) == d("-3"))
        #expect(try amount([line("111111111111", .riFee, actual: "7", owner: "111111111111")]) == d("7"))
    }

    @Test func commitmentOwnedElsewhereIsPricedOnDemand() throws {
        // Owned by group h's account: the covered usage is priced at public cost with the markup, the negation
        // and fee lines are excluded.
        #expect(try amount([line("111111111111", .savingsPlanCoveredUsage, publicCost: "10", actual: "4", owner: "333333333333")]) == d("11"))
        #expect(try amount([line("111111111111", .savingsPlanNegation, actual: "-3", owner: "333333333333")]) == d("0"))
        #expect(try amount([line("111111111111", .savingsPlanRecurringFee, actual: "7", owner: "333333333333")]) == d("0"))
    }

    @Test func excludedLinesAndTax() throws {
        let lines = [
            line("111111111111", .credit, actual: "-5"), line("111111111111", .refund, actual: "-2"), line("111111111111", .edpDiscount, actual: "-1"),
            line("111111111111", .usage, service: "AWSSupportBusiness", publicCost: "100", actual: "100"),
            line("111111111111", .tax, actual: "8"),
        ]
        let g = try price(config, lines).group("g", period: october)!
        #expect(g.usageTotal == .zero)
        // AWS cost includes everything but tax.
        #expect(g.awsCost == d("92"))
        #expect(g.rows.filter { $0.key.category == .tax }.map(\.figures.actualCost) == [d("8")])
    }

    @Test func billingEntityAndServiceRules() throws {
        #expect(try amount([line(service: "AmazonS3", publicCost: "10", actual: "10")]) == d("5"))
        #expect(try amount([line(service: "abc123", entity: "AWS Marketplace", publicCost: "10", actual: "10")]) == d("10"))
    }

    @Test func otherLinesAtActualCost() throws {
        #expect(try amount([line("111111111111", .fee, service: "AmazonRoute53", publicCost: "99", actual: "12")]) == d("12"))
    }

    @Test func missingPublicCostFallsBackToActualWithAWarning() throws {
        let g = try price(config, [line(publicCost: nil, actual: "20")]).group("g", period: october)!
        #expect(g.usageTotal == d("22"))
        #expect(
            g.warnings.map(\.message) == [
                "1 on-demand line of g in 2026-10 has no public on-demand cost and was priced from the actual cost:"
                    + " test:2"
            ])
    }

    @Test func theMissingPublicCostWarningNamesTheFirstLineAndCountsTheRest() throws {
        var lines: [UsageLine] = []
        for row in 2...8 {
            var item = line(publicCost: row % 2 == 0 ? "10" : nil, actual: "20")
            item.row = row
            lines.append(item)
        }
        let g = try price(config, lines).group("g", period: october)!
        #expect(
            g.warnings.map(\.message) == [
                "3 on-demand lines of g in 2026-10 have no public on-demand cost and were priced from the actual cost:"
                    + " test:3 and 2 more"
            ])
        // Counted lines (as from a digest) name their first row too.
        let engine = PricingEngine(configuration: config)
        try engine.add(line(publicCost: nil, actual: "20"), count: 4, source: "digest:9")
        #expect(
            try engine.result().warnings.map(\.message) == [
                "4 on-demand lines of g in 2026-10 have no public on-demand cost and were priced from the actual cost:"
                    + " digest:9 and 3 more"
            ])
    }

    @Test func unassignedAndTotalsAddUp() throws {
        let lines = [
            line(publicCost: "10", actual: "9"), line("444444444444", publicCost: "10", actual: "7"),
            line("333333333333", publicCost: "1", actual: "1"), line("444444444444", .tax, actual: "1"),
        ]
        let result = try price(config, lines)
        #expect(result.unassigned.map(\.figures.actualCost).sum() == d("8"))
        let grouped = result.groups.flatMap(\.rows).map(\.figures.actualCost).sum()
        #expect(grouped + result.unassigned.map(\.figures.actualCost).sum() == d("18"))
        #expect(result.dataTotals.map(\.figures.lines).reduce(0, +) == 4)
        let groupedLines: Int = result.groups.flatMap(\.rows).map(\.figures.lines).reduce(0, +)
        let unassignedLines: Int = result.unassigned.map(\.figures.lines).reduce(0, +)
        #expect(groupedLines + unassignedLines == 4)
    }

    @Test func twoCurrenciesInAGroupAreAnError() throws {
        let engine = PricingEngine(configuration: config)
        try engine.add(line(publicCost: "1", actual: "1"), source: "a.csv:2")
        #expect(throws: EngineError.self) {
            try engine.add(line("222222222222", publicCost: "1", actual: "1", currency: "EUR"), source: "a.csv:3")
        }
    }
}

@Suite struct FreeTierAndTiers {
    @Test func freeLinesStayFreeUnlessTheFreeTierIsOff() throws {
        let base = group + """
            ---
            kind: PricingPlan
            name: p
            pricing_rules: [markup, RULES]
            ---
            kind: PricingRule
            name: markup
            scope: GLOBAL
            type: MARKUP
            modifier_percentage: 10
            ---
            kind: PricingRule
            name: no-free-tier
            scope: GLOBAL
            type: TIERING
            tiering: { free_tier: { activated: false } }
            ---
            kind: PricingRule
            name: s3-free-tier
            scope: SERVICE
            type: TIERING
            service: AmazonS3
            tiering: { free_tier: { activated: true } }
            """
        let free = [line(publicCost: "10", actual: "0"), line(service: "AmazonS3", publicCost: "4", actual: "0")]
        let on = try configuration(base.replacingOccurrences(of: ", RULES", with: ", s3-free-tier"))
        #expect(try price(on, free).groups[0].usageTotal == .zero)
        let off = try configuration(base.replacingOccurrences(of: "RULES", with: "no-free-tier, s3-free-tier"))
        // EC2 is charged at public cost with the markup; S3 keeps its free tier (SERVICE beats GLOBAL).
        #expect(try price(off, free).groups[0].usageTotal == d("11"))
    }

    @Test func customTiersPriceTheGroupTotalProRata() throws {
        let config = try configuration(
            group + """
                ---
                kind: PricingPlan
                name: p
                pricing_rules: [tiers]
                ---
                kind: PricingRule
                name: tiers
                scope: SKU
                type: TIERING
                service: AmazonS3
                usage_type: TimedStorage-ByteHrs
                tiering:
                  tiers:
                    - { begin: 0, end: 100, rate_value: 0.10 }
                    - { begin: 100, rate_value: 0.05 }
                """)
        // 150 units in the group: 100 × 0.10 + 50 × 0.05 = 12.50, split 100:50 by quantity.
        let lines = [
            line(service: "AmazonS3", usageType: "TimedStorage-ByteHrs", publicCost: "3", actual: "3", quantity: "100"),
            line("222222222222", service: "AmazonS3", usageType: "TimedStorage-ByteHrs", publicCost: "1.5", actual: "1.5", quantity: "50"),
        ]
        let g = try price(config, lines).groups[0]
        #expect(g.usageTotal == d("12.5"))
        #expect(g.rows.map(\.figures.proForma) == [d("8.3333333333"), d("4.1666666667")])
    }
}

@Suite struct AllocationTests {
    @Test func proRataPartsAddUp() {
        let parts = Allocation.proRata(d("10"), weights: [d("1"), d("1"), d("1")], scale: 2)
        #expect(parts == [d("3.34"), d("3.33"), d("3.33")])
        #expect(parts.sum() == d("10"))
        let negative = Allocation.proRata(d("-10"), weights: [d("1"), d("2")], scale: 2)
        #expect(negative.sum() == d("-10"))
    }

    @Test func roundedPartsAddUpToTheRoundedTotal() {
        // Property check over many generated amount lists.
        var seed: UInt64 = 42
        func next() -> UInt64 {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return seed >> 33
        }
        for _ in 0..<500 {
            let count = Int(next() % 12) + 1
            let amounts = (0..<count).map { _ in
                ExactDecimal(significand: Int128(Int64(next() % 2_000_000)) - 1_000_000, scale: Int(next() % 6))
            }
            for mode in [RoundingMode.halfEven, .halfUp] {
                let (parts, total) = Allocation.roundedParts(amounts, places: 2, mode: mode)
                #expect(parts.sum() == total)
                #expect(total == amounts.sum().rounded(scale: 2, mode))
                for (part, amount) in zip(parts, amounts) {
                    #expect((part - amount).magnitude < d("0.01"))
                }
            }
        }
    }

    @Test func sumsAreOrderIndependent() {
        var seed: UInt64 = 7
        func next() -> UInt64 {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return seed >> 33
        }
        for _ in 0..<200 {
            let values = (0..<20).map { _ in ExactDecimal(significand: Int128(Int64(next() % 1_000_000_000)) - 500_000_000, scale: Int(next() % 11)) }
            #expect(values.sum() == values.reversed().sum())
            #expect(values.sum() == values.sorted().sum())
            let (a, b, c) = (values[0], values[1], values[2])
            #expect((a + b) + c == a + (b + c))
        }
    }
}

@Suite struct AllocationRangeTests {
    @Test func largeAmountsWithTenPlacesDoNotOverflow() {
        let total = ExactDecimal("500.0061728394")!
        let parts = Allocation.proRata(total, weights: [ExactDecimal("10000.1234567891")!, ExactDecimal("99999999.9999999999")!], scale: 10)
        #expect(parts.sum() == total)
        let big = Allocation.proRata(ExactDecimal("12345678.1234567891")!, weights: [ExactDecimal("1.5")!, ExactDecimal("2.5")!], scale: 10)
        #expect(big.sum() == ExactDecimal("12345678.1234567891")!)
    }
}

@Suite struct OverflowGuardTests {
    @Test func hugeTierProductsAreAnErrorNotACrash() throws {
        let config = Configuration(
            billingGroups: [BillingGroup(name: "g", primaryAccountID: "111111111111", accountIDs: ["111111111111"], pricingPlan: "p")],
            pricingPlans: [PricingPlan(name: "p", pricingRules: ["t"])],
            pricingRules: [
                PricingRule(
                    name: "t", scope: .sku, type: .tiering, service: "AmazonS3", usageType: "x",
                    tiering: Tiering(tiers: [PricingTier(begin: .zero, end: nil, rateValue: ExactDecimal("999999999999999.9999999999")!)]))
            ])
        let engine = PricingEngine(configuration: config)
        for row in 0..<2_000 {
            try engine.add(
                UsageLine(
                    row: row + 2, period: october, usageAccountID: "111111111111", lineItemType: .usage, serviceCode: "AmazonS3",
                    usageType: "x", publicOnDemandCost: d("1"), actualCost: d("1"), usageAmount: d("999999999999.9999999999"),
                    currency: "USD"),
                source: "big.csv")
        }
        #expect(throws: EngineError.self) { try engine.result() }
    }

    @Test func allocationOfAHugeTotalStaysExact() {
        let total = ExactDecimal("99999999999999999999.1234567891")!
        let parts = Allocation.proRata(total, weights: [d("1"), d("2"), d("3.3333333333")], scale: 10)
        #expect(parts.sum() == total)
    }
}

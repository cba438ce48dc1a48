import ProformaCore
import ProformaEngine
import ProformaModel
import ProformaUsage
import Testing

/// Custom line item filters, ITEMIZED splits of either sign, billing period ranges and auto-association, through
/// the engine (billing-semantics.md §2, §5).
@Suite struct CustomLineItemEngineTests {
    static let plan = """
        ---
        kind: PricingPlan
        name: p
        pricing_rules: []

        """

    static func item(_ name: String, _ body: String) -> String {
        """
        ---
        kind: CustomLineItem
        name: \(name)
        billing_group: g
        \(body)

        """
    }

    /// EC2 100 and S3 50 on-demand, Savings Plan covered usage 40 and its negation −40, all in group g.
    static let lines = [
        line(publicCost: "100", actual: "90"),
        line(service: "AmazonS3", usageType: "TimedStorage", publicCost: "50", actual: "50"),
        line(
            "111111111111", .savingsPlanCoveredUsage, service: "AmazonRDS", publicCost: "60", actual: "40",
            owner: "111111111111"),
        line("111111111111", .savingsPlanNegation, service: "AmazonRDS", actual: "-40", owner: "111111111111"),
    ]

    func charge(_ body: String) throws -> CustomLineItemCharge {
        let config = try configuration(group + Self.plan + Self.item("c", body))
        let result = try price(config, Self.lines)
        return try #require(result.group("g", period: october)?.customLineItems.first)
    }

    @Test func serviceEqualCountsOnlyTheNamedServices() throws {
        let charge = try charge(
            """
            type: FEE
            percentage: { percentage_value: 10, associated_values: [g] }
            line_item_filters: [{ attribute: SERVICE, match_option: EQUAL, values: [AmazonS3, AmazonRDS] }]
            """)
        // S3 50 + RDS covered 40 + negation −40.
        #expect(charge.base == d("50"))
        #expect(charge.amount == d("5"))
    }

    @Test func serviceNotEqualLeavesTheNamedServicesOut() throws {
        let charge = try charge(
            """
            type: FEE
            percentage: { percentage_value: 10, associated_values: [g] }
            line_item_filters: [{ attribute: SERVICE, match_option: NOT_EQUAL, values: [AmazonEC2] }]
            """)
        #expect(charge.base == d("50"))
        let noFilter = try self.charge(
            """
            type: FEE
            percentage: { percentage_value: 10, associated_values: [g] }
            """)
        #expect(noFilter.base == d("150"))
    }

    @Test func savingsPlanNegationLinesCanBeLeftOut() throws {
        let charge = try charge(
            """
            type: FEE
            percentage: { percentage_value: 10, associated_values: [g] }
            line_item_filters: [{ attribute: LINE_ITEM_TYPE, match_option: NOT_EQUAL, values: [SAVINGS_PLAN_NEGATION] }]
            """)
        // Without the negation line: 100 + 50 + 40.
        #expect(charge.base == d("190"))
        #expect(charge.amount == d("19"))
    }

    /// An ITEMIZED credit over a base with a negative line: each part is the percentage of its base line, and
    /// the parts add up exactly to the item.
    @Test func itemizedCreditOverMixedSignsIsExact() throws {
        let charge = try charge(
            """
            type: CREDIT
            percentage: { percentage_value: 3.3333, associated_values: [g] }
            computation_rule: ITEMIZED
            """)
        #expect(charge.base == d("150"))
        #expect(charge.amount == d("-4.99995"))
        #expect(charge.items.map(\.amount).sum() == charge.amount)
        let byService = Dictionary(uniqueKeysWithValues: charge.items.map { ($0.service, $0.amount) })
        #expect(byService["AmazonEC2"] == d("-3.3333"))
        #expect(byService["AmazonS3"] == d("-1.666650"))
        // RDS: covered 40 and negation −40 merge into one base line of 0.
        #expect(byService["AmazonRDS"] == d("0"))
    }

    @Test func itemizedPartsOfANegativeBaseKeepTheirSigns() throws {
        let config = try configuration(
            group + Self.plan
                + Self.item(
                    "c",
                    """
                    type: FEE
                    percentage: { percentage_value: 7, associated_values: [g] }
                    computation_rule: ITEMIZED
                    """))
        let result = try price(
            config,
            [
                line(service: "AmazonEC2", publicCost: "-20693.4765", actual: "-20693.4765"),
                line("222222222222", service: "AmazonS3", publicCost: "3.3333333333", actual: "1"),
            ])
        let charge = try #require(result.group("g", period: october)?.customLineItems.first)
        #expect(charge.amount == d("-1448.3100216667"))
        #expect(charge.items.map(\.amount).sum() == charge.amount)
        // Signed shares: 7 % of each line, the unit the rounding of the item left going to the larger remainder.
        #expect(charge.items.map(\.service) == ["AmazonEC2", "AmazonS3"])
        #expect(charge.items.map(\.amount) == [d("-1448.5433550000"), d("0.2333333333")])
    }

    /// Active from `inclusive_start`, inactive from `exclusive_end` on.
    @Test(arguments: [("2026-09", false), ("2026-10", true), ("2026-11", true), ("2026-12", false), ("2027-01", false)])
    func billingPeriodRange(period: String, active: Bool) throws {
        let config = try configuration(
            group + Self.plan
                + Self.item(
                    "c",
                    """
                    type: FEE
                    flat: { charge_value: 25 }
                    billing_period_range: { inclusive_start: 2026-10, exclusive_end: 2026-12 }
                    """))
        let month = try #require(BillingPeriod(period))
        let result = try price(config, [line(publicCost: "1", actual: "1", period: month)])
        let g = try #require(result.group("g", period: month))
        #expect(g.customLineItems.map(\.name) == (active ? ["c"] : []))
        #expect(g.proFormaCost == (active ? d("26") : d("1")))
    }

    @Test func openEndedRangeStaysActive() throws {
        let config = try configuration(
            group + Self.plan
                + Self.item(
                    "c",
                    """
                    type: CREDIT
                    flat: { charge_value: 5 }
                    billing_period_range: { inclusive_start: 2026-10 }
                    """))
        let later = try #require(BillingPeriod("2030-01"))
        let result = try price(config, [line(publicCost: "1", actual: "1", period: later)])
        #expect(result.group("g", period: later)?.customLineItems.map(\.amount) == [d("-5")])
    }

    /// The auto-associating group takes declared accounts that are in no other group; undeclared accounts and
    /// members of other groups stay where they are.
    @Test func autoAssociateTakesDeclaredAccountsInNoGroup() throws {
        let config = try configuration(
            """
            kind: Account
            name: spare
            account_id: "333333333333"
            ---
            kind: Account
            name: member-of-h
            account_id: "444444444444"
            ---
            kind: BillingGroup
            name: g
            primary_account_id: "111111111111"
            account_ids: ["111111111111"]
            pricing_plan: p
            auto_associate: true
            ---
            kind: BillingGroup
            name: h
            primary_account_id: "444444444444"
            account_ids: ["444444444444"]
            pricing_plan: p

            """ + Self.plan)
        let result = try price(
            config,
            [
                line("333333333333", publicCost: "10", actual: "9"),
                line("444444444444", publicCost: "20", actual: "18"),
                line("555555555555", publicCost: "30", actual: "27"),
            ])
        #expect(result.group("g", period: october)?.usageTotal == d("10"))
        #expect(result.group("h", period: october)?.usageTotal == d("20"))
        #expect(result.unassigned.map(\.key.account) == ["555555555555"])
    }

    @Test func withoutAutoAssociateDeclaredAccountsStayUnassigned() throws {
        let config = try configuration(
            """
            kind: Account
            name: spare
            account_id: "333333333333"
            ---

            """ + group + Self.plan)
        let result = try price(config, [line("333333333333", publicCost: "10", actual: "9")])
        #expect(result.group("g", period: october)?.usageTotal == .zero)
        #expect(result.unassigned.map(\.figures.actualCost) == [d("9")])
    }

    /// Unassigned lines keep their currency: two currencies are two rows and two data totals, never one sum.
    @Test func unassignedLinesKeepTheirCurrencies() throws {
        let config = try configuration(group + Self.plan)
        let result = try price(
            config,
            [
                line("555555555555", publicCost: "100", actual: "100", currency: "NOK"),
                line("555555555555", publicCost: "7", actual: "7", currency: "USD"),
            ])
        #expect(result.unassigned.map(\.key.currency) == ["NOK", "USD"])
        #expect(result.unassigned.map(\.figures.actualCost) == [d("100"), d("7")])
        let totals = result.dataTotals.filter { $0.key.category == .unassigned }
        #expect(totals.map(\.key.currency) == ["NOK", "USD"])
        let figures = result.unassignedFigures(period: october)
        #expect(figures.map(\.currency) == ["NOK", "USD"])
        #expect(figures.map(\.awsCost.rounded) == [d("100.00"), d("7.00")])
    }
}

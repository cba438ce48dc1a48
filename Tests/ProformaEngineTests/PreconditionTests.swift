import ProformaCore
import ProformaEngine
import ProformaModel
import ProformaUsage
import Testing

/// Configurations built in code, never validated: the engine refuses what it cannot price with one clear
/// `EngineError`, never a trap, an overflow or a silent wrong figure.
@Suite struct EnginePreconditionTests {
    static let member = "111111111111"

    static func valid(
        rules: [PricingRule] = [], items: [CustomLineItem] = [], groups: [BillingGroup]? = nil,
        plans: [PricingPlan]? = nil
    ) -> Configuration {
        Configuration(
            billingGroups: groups ?? [
                BillingGroup(name: "g", primaryAccountID: member, accountIDs: [member], pricingPlan: "p")
            ],
            pricingPlans: plans ?? [PricingPlan(name: "p", pricingRules: rules.map(\.name))],
            pricingRules: rules, customLineItems: items)
    }

    /// The error of pricing one ordinary line with `configuration`: thrown by `add`, and by `result` as well.
    static func error(_ configuration: Configuration) -> EngineError? {
        let engine = PricingEngine(configuration: configuration)
        var first: EngineError?
        do {
            try engine.add(line(publicCost: "10", actual: "8", quantity: "5"), source: "test:2")
        } catch {
            first = error
        }
        do {
            _ = try engine.result()
            return nil
        } catch {
            #expect(first == error, "add and result report the same problem")
            return error
        }
    }

    static func tiers(_ tiers: [PricingTier]) -> PricingRule {
        PricingRule(
            name: "t", scope: .sku, type: .tiering, service: "AmazonEC2", usageType: "USE1-BoxUsage:m5.large",
            tiering: Tiering(tiers: tiers))
    }

    static func flat(_ value: String, _ name: String = "c", group: String = "g", type: CustomLineItemType = .fee)
        -> CustomLineItem
    {
        CustomLineItem(name: name, billingGroup: group, type: type, charge: .flat(chargeValue: d(value)))
    }

    static func percentage(_ value: String, of associated: [String], _ name: String = "pc") -> CustomLineItem {
        CustomLineItem(
            name: name, billingGroup: "g", type: .fee,
            charge: .percentage(percentageValue: d(value), associatedValues: associated))
    }

    @Test func aValidConfigurationIsPriced() throws {
        #expect(
            Self.error(Self.valid(rules: [Self.tiers([PricingTier(begin: 0, end: nil, rateValue: d("2"))])])) == nil)
    }

    @Test(arguments: [
        (
            "a tier end of 10^30",
            valid(rules: [
                tiers([
                    PricingTier(begin: 0, end: d("1000000000000000000000000000000"), rateValue: d("0.1")),
                    PricingTier(begin: d("1000000000000000000000000000000"), end: nil, rateValue: d("0.05")),
                ])
            ]),
            "tier 1's end 1000000000000000000000000000000 is out of range"
        ),
        (
            "a rate with 11 decimals",
            valid(rules: [tiers([PricingTier(begin: 0, end: nil, rateValue: d("0.00000000001"))])]),
            "rate_value 0.00000000001 is out of range"
        ),
        (
            "tiers with a gap",
            valid(rules: [
                tiers([
                    PricingTier(begin: 0, end: d("10"), rateValue: d("1")),
                    PricingTier(begin: d("20"), end: nil, rateValue: d("1")),
                ])
            ]), "tier 2 begins at 20, not at 10"
        ),
        (
            "a closed last tier", valid(rules: [tiers([PricingTier(begin: 0, end: d("10"), rateValue: d("1"))])]),
            "the last tier must have no end"
        ),
        (
            "a discount above 100 %",
            valid(rules: [PricingRule(name: "d", scope: .global, type: .discount, modifierPercentage: d("150"))]),
            "a discount of 150 % is more than 100 %"
        ),
        (
            "a markup beyond 10,000 %",
            valid(rules: [PricingRule(name: "m", scope: .global, type: .markup, modifierPercentage: d("1e30"))]),
            "is out of range; at most 10,000 %"
        ),
        (
            "a negative markup",
            valid(rules: [PricingRule(name: "m", scope: .global, type: .markup, modifierPercentage: d("-5"))]),
            "modifier_percentage -5 is negative"
        ),
        (
            "a modifier with 3 decimals",
            valid(rules: [PricingRule(name: "m", scope: .global, type: .markup, modifierPercentage: d("1.005"))]),
            "has more than 2 decimal places"
        ),
        (
            "a markup without a modifier", valid(rules: [PricingRule(name: "m", scope: .global, type: .markup)]),
            "needs modifier_percentage"
        ),
        (
            "an unknown pricing plan",
            valid(groups: [BillingGroup(name: "g", primaryAccountID: member, accountIDs: [member], pricingPlan: "nope")]
            ),
            "billing group \"g\" names pricing plan \"nope\", which does not exist"
        ),
        (
            "an unknown pricing rule", valid(plans: [PricingPlan(name: "p", pricingRules: ["ghost"])]),
            "pricing plan \"p\" names pricing rule \"ghost\", which does not exist"
        ),
        (
            "an account in two groups",
            valid(groups: [
                BillingGroup(name: "a", primaryAccountID: member, accountIDs: [member], pricingPlan: "p"),
                BillingGroup(name: "b", primaryAccountID: member, accountIDs: [member], pricingPlan: "p"),
            ]), "account 111111111111 is in two billing groups, \"a\" and \"b\""
        ),
        (
            "two auto-associating groups",
            valid(groups: [
                BillingGroup(
                    name: "a", primaryAccountID: member, accountIDs: [member], pricingPlan: "p", autoAssociate: true),
                BillingGroup(
                    name: "b", primaryAccountID: "222222222222", accountIDs: ["222222222222"], pricingPlan: "p",
                    autoAssociate: true),
            ]), "more than one billing group auto-associates accounts: a, b"
        ),
        (
            "two groups of one name",
            valid(groups: [
                BillingGroup(name: "g", primaryAccountID: member, accountIDs: [member], pricingPlan: "p"),
                BillingGroup(
                    name: "g", primaryAccountID: "222222222222", accountIDs: ["222222222222"], pricingPlan: "p"),
            ]), "two billing groups are named \"g\""
        ),
        ("a flat charge beyond 1,000,000", valid(items: [flat("1000000.01")]), "is outside 0 to 1,000,000"),
        ("a flat charge with 11 decimals", valid(items: [flat("0.00000000001")]), "has more than 10 decimal places"),
        ("a negative flat charge", valid(items: [flat("-5")]), "is outside 0 to 1,000,000"),
        (
            "a custom line item of an unknown group", valid(items: [flat("5", group: "elsewhere")]),
            "names billing group \"elsewhere\", which does not exist"
        ),
        ("a percentage beyond 10,000", valid(items: [percentage("10000.5", of: ["g"])]), "is outside 0 to 10,000"),
        (
            "a percentage with 5 decimals", valid(items: [percentage("1.00001", of: ["g"])]),
            "more than 4 decimal places"
        ),
        (
            "an unknown associated value", valid(items: [percentage("3", of: ["g", "ghost"])]),
            "associated value \"ghost\" is neither its billing group nor a custom line item"
        ),
        (
            "a percentage of a percentage",
            valid(items: [percentage("3", of: ["g"], "a"), percentage("3", of: ["a"], "b")]),
            "is computed on \"a\", a percentage custom line item"
        ),
        (
            "a custom line item without a charge",
            valid(items: [CustomLineItem(name: "c", billingGroup: "g", type: .fee, charge: nil)]),
            "has neither a flat nor a percentage charge"
        ),
        (
            "a LINE_ITEM_TYPE EQUAL filter",
            valid(items: [
                CustomLineItem(
                    name: "c", billingGroup: "g", type: .fee,
                    charge: .percentage(percentageValue: 3, associatedValues: ["g"]),
                    lineItemFilters: [
                        LineItemFilter(attribute: .lineItemType, matchOption: .equal, values: ["SAVINGS_PLAN_NEGATION"])
                    ])
            ]), "a LINE_ITEM_TYPE filter is only NOT_EQUAL SAVINGS_PLAN_NEGATION"
        ),
        (
            "a range that ends before it starts",
            valid(items: [
                CustomLineItem(
                    name: "c", billingGroup: "g", type: .fee, charge: .flat(chargeValue: 1),
                    billingPeriodRange: BillingPeriodRange(
                        inclusiveStart: BillingPeriod("2026-10")!, exclusiveEnd: BillingPeriod("2026-09")!))
            ]), "ends (2026-09, exclusive) before it starts (2026-10)"
        ),
    ])
    func anUnvalidatedConfigurationIsAnError(case name: String, configuration: Configuration, message: String) throws {
        let error = try #require(Self.error(configuration), "\(name) is priced")
        #expect(error.message.hasPrefix("the configuration cannot be priced: "), "\(name)")
        #expect(error.message.contains(message), "\(name): \(error.message)")
        #expect(!error.message.contains("\n"), "one line")
        #expect(error.hint?.contains("proforma validate") == true)
    }

    /// The invoice that crashed with exit 132: a tier bound of 10^30 now ends in the error above, and comparing
    /// such a bound with a quantity at 10 places no longer overflows.
    @Test func hugeBoundsCompareWithoutOverflow() {
        let bound = d("1000000000000000000000000000000")
        let quantity = d("5.1234567891")
        #expect(quantity < bound)
        #expect(-bound < quantity)
        #expect(d("99999999999999999999999999999999.99") > d("0.000000000000000000000000000000000001"))
        #expect(min(bound, quantity) == quantity)
    }

    @Test func lineNumbersOutOfRangeAreAnError() throws {
        let engine = PricingEngine(configuration: Self.valid())
        #expect(throws: EngineError.self) {
            try engine.add(line(publicCost: "1", actual: "1000000000000"), source: "big.csv:2")
        }
        #expect(throws: EngineError.self) {
            try engine.add(line(publicCost: "0.000000000000000000001", actual: "1"), source: "big.csv:3")
        }
        do {
            try engine.add(line(publicCost: "1", actual: "1", quantity: "1e13"), source: "big.csv:4")
            Issue.record("an out-of-range quantity was added")
        } catch {
            #expect(
                error.message
                    == "big.csv:4: the usage amount 10000000000000 is out of range: at most 12 digits before the point and 20 after it"
            )
        }
    }

    /// Amounts whose magnitudes add up beyond 10^17 are refused at the line that crosses the bound.
    @Test func amountsBeyondTheBoundAreAnError() throws {
        let engine = PricingEngine(configuration: Self.valid())
        var thrown: EngineError?
        for row in 0..<200_000 {
            do {
                try engine.add(
                    line("999999999999", publicCost: "999999999999", actual: "999999999999"), source: "f.csv:\(row)")
            } catch {
                thrown = error
                break
            }
        }
        let error = try #require(thrown)
        #expect(error.message.contains("add up to more than 10^17"))
    }

    /// A 10,000 % fee on the largest base: computed at double width, exact, no overflow.
    @Test func percentageOfALargeBaseIsExact() throws {
        let config = Self.valid(items: [Self.percentage("9999.9999", of: ["g"])])
        let engine = PricingEngine(configuration: config)
        try engine.add(
            line(Self.member, .fee, publicCost: nil, actual: "999999999.12345678901234567891"), source: "t:2")
        let result = try engine.result()
        let charge = try #require(result.groups.first?.customLineItems.first)
        // 999999999.12345678901234567891 × 99.999999, rounded half-even to 10 places.
        #expect(charge.amount == d("99999998912.3456797778"))
        #expect(charge.base == d("999999999.12345678901234567891"))
    }
}

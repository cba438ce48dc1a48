import Foundation
import ProformaCore
import ProformaEngine
import ProformaModel
import ProformaTestSupport
import ProformaUsage
import Testing

/// Rules and filters name a service by code or by name, and match data written either way.
@Suite struct ServiceNameTests {
    static func plan(_ rules: String, names: [String]) -> String {
        group + """
            ---
            kind: PricingPlan
            name: p
            pricing_rules: [\(names.joined(separator: ", "))]
            ---
            \(rules)
            """
    }

    static func serviceDiscount(_ service: String) -> String {
        """
        kind: PricingRule
        name: discount
        scope: SERVICE
        type: DISCOUNT
        modifier_percentage: 10
        service: \(service)
        """
    }

    @Test(arguments: [
        ("AmazonEC2", "Amazon Elastic Compute Cloud"), ("Amazon Elastic Compute Cloud", "AmazonEC2"),
        ("AmazonEC2", "AmazonEC2"), ("Amazon Elastic Compute Cloud", "Amazon Elastic Compute Cloud"),
        ("AmazonEKS", "Amazon Elastic Container Service for Kubernetes"),
    ])
    func serviceRulesMatchByCodeOrName(rule: String, data: String) throws {
        let config = try configuration(Self.plan(Self.serviceDiscount(rule), names: ["discount"]))
        let result = try price(config, [line(service: data, publicCost: "100", actual: "80")])
        #expect(result.groups[0].usageTotal == d("90"))
    }

    @Test func otherAndUnknownServicesMatchOnlyAsWritten() throws {
        let s3 = Self.serviceDiscount("Amazon Simple Storage Service")
        let config = try configuration(Self.plan(s3, names: ["discount"]))
        let lines = [
            line(service: "AmazonEC2", publicCost: "100", actual: "80"),
            line(service: "Amazon Elastic Compute Cloud", publicCost: "100", actual: "80"),
            line(service: "AmazonS3", publicCost: "100", actual: "80"),
        ]
        #expect(try price(config, lines).groups[0].usageTotal == d("290"))
        let unknown = try configuration(Self.plan(Self.serviceDiscount("AmazonNewThing"), names: ["discount"]))
        let asWritten = try price(unknown, [line(service: "AmazonNewThing", publicCost: "100", actual: "80")])
        #expect(asWritten.groups[0].usageTotal == d("90"))
        let otherwise = try price(unknown, [line(service: "Amazon New Thing", publicCost: "100", actual: "80")])
        #expect(otherwise.groups[0].usageTotal == d("100"))
    }

    @Test func skuRulesAndFreeTierSwitchesMatchByName() throws {
        let rules = """
            kind: PricingRule
            name: m5
            scope: SKU
            type: DISCOUNT
            modifier_percentage: 5
            service: Amazon Elastic Compute Cloud
            usage_type: USE1-BoxUsage:m5.large
            ---
            kind: PricingRule
            name: no-free-tier
            scope: SERVICE
            type: TIERING
            service: AmazonS3
            tiering: { free_tier: { activated: false } }
            """
        let config = try configuration(Self.plan(rules, names: ["m5", "no-free-tier"]))
        let result = try price(
            config,
            [
                line(service: "AmazonEC2", publicCost: "100", actual: "80"),
                line(service: "Amazon Simple Storage Service", publicCost: "4", actual: "0"),
            ])
        #expect(result.groups[0].usageTotal == d("99"))
    }

    @Test(arguments: ["AmazonEC2", "Amazon Elastic Compute Cloud"])
    func customLineItemFiltersMatchByCodeOrName(filter: String) throws {
        let config = try configuration(
            group + """
                ---
                kind: PricingPlan
                name: p
                pricing_rules: []
                ---
                kind: CustomLineItem
                name: ec2-fee
                description: 10 % of EC2
                billing_group: g
                type: FEE
                percentage: { percentage_value: 10, associated_values: [g] }
                line_item_filters: [{ attribute: SERVICE, match_option: EQUAL, values: ["\(filter)"] }]
                """)
        let result = try price(
            config,
            [
                line(service: "AmazonEC2", publicCost: "100", actual: "100"),
                line(service: "Amazon Elastic Compute Cloud", publicCost: "50", actual: "50"),
                line(service: "AmazonS3", publicCost: "30", actual: "30"),
            ])
        #expect(result.groups[0].customLineItems.map(\.amount) == [d("15")])
    }

    @Test func supportWrittenByNameIsExcluded() throws {
        let config = try configuration(Self.plan(Self.serviceDiscount("AmazonEC2"), names: ["discount"]))
        let result = try price(
            config,
            [
                line(service: "AWS Support (Business)", publicCost: "100", actual: "100"),
                line(service: "AWSSupportBusiness", publicCost: "100", actual: "100"),
            ])
        #expect(result.groups[0].usageTotal == .zero)
    }

    /// The FOCUS sample has no `x_ServiceCode`: its lines name services only by name, and a rule written with the
    /// code prices them exactly as one written with the name.
    @Test func focusWithoutServiceCodesIsPricedByCodeRules() throws {
        var lines: [UsageLine] = []
        _ = try UsageReader.read(path: TestSupport.sample("focus_sample_1.0_1000.csv")) { lines.append($0) }
        try #require(lines.contains { $0.serviceCode == "Amazon Elastic Compute Cloud" })
        let accounts = Array(Set(lines.map(\.usageAccountID)).filter { !$0.isEmpty }).sorted()
        // Built in code: the sample's anonymised account IDs are not the 12 digits configuration files need.
        func result(_ service: String?) throws -> ExactDecimal {
            let rules = service.map {
                [
                    PricingRule(
                        name: "discount", scope: .service, type: .discount, modifierPercentage: d("10"), service: $0)
                ]
            }
            let config = Configuration(
                billingGroups: [
                    BillingGroup(name: "g", primaryAccountID: accounts[0], accountIDs: accounts, pricingPlan: "p")
                ],
                pricingPlans: [PricingPlan(name: "p", pricingRules: rules == nil ? [] : ["discount"])],
                pricingRules: rules ?? [])
            return try price(config, lines).groups.map(\.usageTotal).sum()
        }
        let none = try result(nil)
        let byCode = try result("AmazonEC2")
        let byName = try result("Amazon Elastic Compute Cloud")
        #expect(byCode == byName)
        #expect(byCode < none)
        // The same data with service codes, as a CUR would write it, priced by the rule written with the code.
        let coded = lines.map { line -> UsageLine in
            var line = line
            if line.serviceCode == "Amazon Elastic Compute Cloud" { line.serviceCode = "AmazonEC2" }
            return line
        }
        lines = coded
        #expect(try result("AmazonEC2") == byCode)
        #expect(try result(nil) == none)
    }
}

import ProformaCore
import ProformaLoader
import ProformaModel
import ProformaValidation
import Testing

let project = """
    kind: Project
    name: test
    version: 1
    payer_account_id: "999999999999"

    """

func validate(_ files: [String: String]) throws -> [Diagnostic] {
    var all = files
    if all["proforma.yaml"] == nil { all["proforma.yaml"] = project }
    let loaded = try ConfigurationLoader().load(from: InMemoryFileTree(files: all))
    return Validator().validate(loaded)
}

/// `code@line:column` for each diagnostic, for compact exact expectations.
func summary(_ diagnostics: [Diagnostic]) -> [String] {
    diagnostics.map { "\($0.code.rawValue)@\($0.location.map { "\($0.path):\($0.line):\($0.column)" } ?? "-")" }
}

let plan = """
    kind: PricingPlan
    name: standard
    pricing_rules: [global-markup]
    ---
    kind: PricingRule
    name: global-markup
    scope: GLOBAL
    type: MARKUP
    modifier_percentage: 10

    """

@Suite struct ValidatorTests {
    @Test func cleanConfigurationHasNoProblems() throws {
        let diagnostics = try validate([
            "pricing.yaml": plan,
            "groups.yaml": """
                kind: BillingGroup
                name: retail
                primary_account_id: "111111111111"
                account_ids: ["111111111111", "222222222222"]
                pricing_plan: standard
                ---
                kind: CustomLineItem
                name: fee
                description: Fee
                billing_group: retail
                type: FEE
                flat: { charge_value: 50 }
                ---
                kind: CustomLineItem
                name: support
                description: Support
                billing_group: retail
                type: FEE
                percentage: { percentage_value: 3, associated_values: [retail, fee] }

                """,
        ])
        #expect(diagnostics.isEmpty, "\(diagnostics)")
    }

    @Test func billingGroupMembership() throws {
        let diagnostics = try validate([
            "pricing.yaml": plan,
            "groups.yaml": """
                kind: BillingGroup
                name: a
                primary_account_id: "333333333333"
                account_ids: ["111111111111", "999999999999"]
                pricing_plan: standard
                auto_associate: true
                ---
                kind: BillingGroup
                name: b
                primary_account_id: "111111111111"
                account_ids: ["111111111111"]
                pricing_plan: standrd
                auto_associate: true

                """,
        ])
        #expect(
            summary(diagnostics) == [
                "PF401@groups.yaml:3:21",  // primary not a member
                "PF402@groups.yaml:4:31",  // payer in the group
                "PF400@groups.yaml:11:15",  // account in two groups (reported at the second)
                "PF301@groups.yaml:12:15",  // unknown plan
                "PF403@groups.yaml:13:17",  // second auto_associate
            ])
        #expect(diagnostics.first { $0.code == .unknownPricingPlan }?.hint == "did you mean \"standard\"?")
    }

    @Test func scopeQualifierMatrixAndModifiers() throws {
        let diagnostics = try validate([
            "rules.yaml": """
                kind: PricingPlan
                name: p
                pricing_rules: [a, b, c, d, e]
                ---
                kind: PricingRule
                name: a
                scope: GLOBAL
                type: MARKUP
                modifier_percentage: 1.005
                service: AmazonEC2
                ---
                kind: PricingRule
                name: b
                scope: SKU
                type: DISCOUNT
                modifier_percentage: 100.01
                service: AmazonEC2
                ---
                kind: PricingRule
                name: c
                scope: BILLING_ENTITY
                type: TIERING
                billing_entity: AWS Marketplace
                tiering: { free_tier: { activated: false } }
                ---
                kind: PricingRule
                name: d
                scope: SERVICE
                type: MARKUP
                ---
                kind: PricingRule
                name: e
                scope: GLOBAL
                type: MARKUP
                modifier_percentage: 0

                """
        ])
        #expect(
            summary(diagnostics) == [
                "PF405@rules.yaml:2:7",  // plan used by no group (warning)
                "PF504@rules.yaml:3:29",  // e and a are both GLOBAL MARKUP
                "PF502@rules.yaml:9:22",  // 1.005 has 3 decimals
                "PF500@rules.yaml:10:10",  // GLOBAL takes no service
                "PF500@rules.yaml:14:8",  // SKU needs usage_type or operation
                "PF503@rules.yaml:16:22",  // discount above 100
                "PF501@rules.yaml:22:7",  // BILLING_ENTITY cannot be TIERING
                "PF500@rules.yaml:28:8",  // SERVICE needs service
                "PF204@rules.yaml:29:7",  // MARKUP needs modifier_percentage
            ])
    }

    @Test func contractRuleConflicts() throws {
        let diagnostics = try validate([
            "rules.yaml": """
                kind: PricingPlan
                name: p
                pricing_rules: [g1, g2, s1, s2]
                ---
                kind: PricingRule
                name: g1
                scope: GLOBAL
                type: MARKUP
                modifier_percentage: 10
                ---
                kind: PricingRule
                name: g2
                scope: GLOBAL
                type: DISCOUNT
                modifier_percentage: 10
                ---
                kind: PricingRule
                name: s1
                scope: SKU
                type: DISCOUNT
                modifier_percentage: 5
                service: AmazonEC2
                usage_type: BoxUsage
                ---
                kind: PricingRule
                name: s2
                scope: SKU
                type: MARKUP
                modifier_percentage: 5
                service: AmazonEC2
                operation: RunInstances

                """
        ])
        #expect(
            summary(diagnostics) == [
                "PF405@rules.yaml:2:7",  // plan used by no group (warning)
                "PF504@rules.yaml:3:21",  // g1 and g2 have the same GLOBAL target
                "PF505@rules.yaml:3:29",  // s1 (usage type only) and s2 (operation only) tie
            ])
    }
}

@Suite struct ArithmeticRangeTests {
    @Test func chargesRatesAndMarkupsStayInRange() throws {
        let diagnostics = try validate([
            "a.yaml": """
                kind: BillingGroup
                name: g
                primary_account_id: "111111111111"
                account_ids: ["111111111111"]
                pricing_plan: p
                ---
                kind: PricingPlan
                name: p
                pricing_rules: [huge, tiers]
                ---
                kind: PricingRule
                name: huge
                scope: GLOBAL
                type: MARKUP
                modifier_percentage: 10000.01
                ---
                kind: PricingRule
                name: tiers
                scope: SKU
                type: TIERING
                service: AmazonS3
                usage_type: x
                tiering: { tiers: [{ begin: 0, rate_value: 0.00000000001 }] }
                ---
                kind: CustomLineItem
                name: f
                description: f
                billing_group: g
                type: FEE
                flat: { charge_value: 1.00000000001 }
                ---
                kind: CustomLineItem
                name: p
                description: p
                billing_group: g
                type: FEE
                percentage: { percentage_value: 1.00001, associated_values: [g] }

                """
        ])
        #expect(summary(diagnostics) == [
            "PF503@a.yaml:15:22", "PF506@a.yaml:23:44", "PF601@a.yaml:30:23", "PF601@a.yaml:37:33",
        ])
    }
}

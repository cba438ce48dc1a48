import ProformaCore
import ProformaModel
import ProformaSchema
import ProformaUsage

/// The files of a new configuration: one billing group (`retail`, two accounts) on a pricing plan (`standard`,
/// a 10 % global markup), a monthly fee, guardrails, and a month of sample usage, so that `validate`, `invoice`,
/// `report` and `plan` work at once. The README's tour uses these names.
enum Scaffold {
    static func header(_ kind: ResourceKind?, depth: Int) -> String {
        let schema = kind.map(SchemaGenerator.fileName(for:)) ?? SchemaGenerator.combinedFileName
        return "# yaml-language-server: $schema=\(String(repeating: "../", count: depth))schemas/\(schema)\n"
    }

    /// The sample usage file's path, for `period`.
    static func usagePath(_ period: BillingPeriod) -> String { "usage/cur-\(period).csv" }

    static func files(name: String, payer: String, period: BillingPeriod) -> [(String, String)] {
        var files: [(String, String)] = [
            (
                "proforma.yaml",
                header(.project, depth: 0) + """
                    kind: Project
                    name: \(name)
                    version: 1
                    payer_account_id: "\(payer)"
                    currency: USD
                    rounding: half_even
                    usage:
                      # A generated month of sample usage; list your CUR, CUR 2.0 or FOCUS exports instead.
                      - path: \(usagePath(period))
                    # Checked by `proforma plan` against the invoice impact of a change.
                    guardrails:
                      - name: invoice-increase
                        max_increase_percentage: 10

                    """
            ),
            (
                "accounts.yaml",
                header(.account, depth: 0) + """
                    kind: Account
                    name: retail-prod
                    account_id: "111111111111"
                    email: retail-prod@example.com
                    ---
                    kind: Account
                    name: retail-dev
                    account_id: "222222222222"
                    email: retail-dev@example.com

                    """
            ),
            (
                "billing-groups/retail.yaml",
                header(.billingGroup, depth: 1) + """
                    kind: BillingGroup
                    name: retail
                    description: Retail customer
                    primary_account_id: "111111111111"
                    account_ids: ["111111111111", "222222222222"]
                    pricing_plan: standard

                    """
            ),
            (
                "pricing/standard.yaml",
                header(nil, depth: 1) + """
                    kind: PricingPlan
                    name: standard
                    pricing_rules: [global-markup-10]
                    ---
                    kind: PricingRule
                    name: global-markup-10
                    scope: GLOBAL
                    type: MARKUP
                    modifier_percentage: 10

                    """
            ),
            (
                "line-items/retail.yaml",
                header(.customLineItem, depth: 1) + """
                    kind: CustomLineItem
                    name: managed-service-fee
                    description: Managed service fee
                    billing_group: retail
                    type: FEE
                    flat: { charge_value: 50.00 }

                    """
            ),
            (".gitignore", ".proforma/\n"),
            (usagePath(period), SampleUsage.cur(payer: payer, period: period)),
        ]
        files += SchemaGenerator.allFiles().map { ("schemas/\($0.name)", $0.text) }
        return files
    }
}

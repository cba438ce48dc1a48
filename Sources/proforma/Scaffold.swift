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

/// A month of legacy CUR lines for the scaffold's two accounts, the same for a given payer and period: four weeks
/// of EC2, RDS, S3 and Lambda usage per account at public on-demand prices, and the month's tax.
enum SampleUsage {
    static let accounts = ["111111111111", "222222222222"]

    /// Service, usage type, operation, rate per unit in 1/10,000 USD, and the weekly quantity per account.
    static let services: [(service: String, usageType: String, operation: String, rate: Int, quantity: [Int])] = [
        ("AmazonEC2", "USE1-BoxUsage:m5.large", "RunInstances", 960, [504, 168]),
        ("AmazonRDS", "USE1-InstanceUsage:db.t3.medium", "CreateDBInstance:0002", 680, [168, 168]),
        ("AmazonS3", "TimedStorage-ByteHrs", "StandardStorage", 230, [500, 120]),
        ("AWSLambda", "USE1-Lambda-GB-Second", "Invoke", 1, [90_000, 30_000]),
    ]

    static func cur(payer: String, period: BillingPeriod) -> String {
        let format = UsageFormat.cur
        let header: [String] =
            ["identity/LineItemId", "identity/TimeInterval", "lineItem/UsageStartDate"]
            + [
                UsageField.billingEntity, .payerAccount, .billingPeriodStart, .usageAccount, .lineItemType,
                .serviceCode, .usageType, .operation, .usageAmount, .currency, .actualCost, .publicOnDemandCost,
            ].map { format.columns(for: $0)[0] }
        var lines = [header.joined(separator: ",")]
        let month = "\(period)"
        let start = "\(month)-01T00:00:00Z"
        var sequence = 0
        for (accountIndex, account) in accounts.enumerated() {
            var monthTotal = 0
            for week in 0..<4 {
                let day = 1 + week * 7
                let from = "\(month)-\(day < 10 ? "0" : "")\(day)T00:00:00Z"
                let to = "\(month)-\(day + 6 < 10 ? "0" : "")\(day + 6)T00:00:00Z"
                for item in services {
                    // A little variation from week to week, the same in every run.
                    let quantity = item.quantity[accountIndex] * (20 + (week * 3 + accountIndex) % 4) / 20
                    let cost = quantity * item.rate
                    monthTotal += cost
                    sequence += 1
                    lines.append(
                        [
                            "sample-\(month)-\(sequence)", "\(from)/\(to)", from, "AWS", payer, start, account,
                            "Usage", item.service, item.usageType, item.operation, "\(quantity)", "USD",
                            amount(cost), amount(cost),
                        ].joined(separator: ","))
                }
            }
            sequence += 1
            lines.append(
                [
                    "sample-\(month)-\(sequence)", "\(start)/\(month)-28T00:00:00Z", start, "AWS", payer, start,
                    account, "Tax",
                    "AmazonEC2", "", "", "1", "USD", amount(monthTotal * 8 / 100), "",
                ].joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// An amount in 1/10,000 USD as a decimal with four places.
    static func amount(_ tenThousandths: Int) -> String {
        let whole = tenThousandths / 10_000
        let fraction = String(tenThousandths % 10_000)
        return "\(whole).\(String(repeating: "0", count: 4 - fraction.count))\(fraction)"
    }
}

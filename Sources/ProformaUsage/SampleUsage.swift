import ProformaCore

/// A month of legacy CUR lines for two accounts (`proforma init`'s), the same for a given payer and period: four weeks
/// of EC2, RDS, S3 and Lambda usage per account at public on-demand prices, and the month's tax.
public enum SampleUsage {
    public static let accounts = ["111111111111", "222222222222"]

    /// Service, usage type, operation, rate per unit in 1/10,000 USD, and the weekly quantity per account.
    static let services: [(service: String, usageType: String, operation: String, rate: Int, quantity: [Int])] = [
        ("AmazonEC2", "USE1-BoxUsage:m5.large", "RunInstances", 960, [504, 168]),
        ("AmazonRDS", "USE1-InstanceUsage:db.t3.medium", "CreateDBInstance:0002", 680, [168, 168]),
        ("AmazonS3", "TimedStorage-ByteHrs", "StandardStorage", 230, [500, 120]),
        ("AWSLambda", "USE1-Lambda-GB-Second", "Invoke", 1, [90_000, 30_000]),
    ]

    /// The CSV text: a header and 34 lines, 17 per account (16 of usage, 1 of tax).
    public static func cur(payer: String, period: BillingPeriod) -> String {
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

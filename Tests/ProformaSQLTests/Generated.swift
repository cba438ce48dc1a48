import Foundation
import ProformaCore
import ProformaTestSupport

/// Seeded usage data with what the semantics distinguish: every line item type, commitments owned in a group,
/// in the other group, by an unassigned account and by nobody named, free lines, lines without a public cost or
/// an account, Marketplace and support lines, ties at the 10th place, 20-place and scientific-notation values,
/// negative and missing quantities; written as legacy CUR, CUR 2.0 and FOCUS.
struct GeneratedUsage {
    struct Line {
        var period: String
        var account: String
        var type: String
        var service: String
        var usageType: String
        var operation: String
        var entity: String
        var publicCost: String
        var actualCost: String
        var quantity: String
        var reservation: String
        var savingsPlan: String
    }

    var lines: [Line] = []

    static let accounts = (1...9).map { String(repeating: String($0), count: 12) }
    static let services: [(code: String, name: String, usageTypes: [String], operation: String)] = [
        (
            "AmazonEC2", "Amazon Elastic Compute Cloud",
            ["BoxUsage:m5.large", "BoxUsage:t3.micro", "EBS:VolumeUsage.gp3"], "RunInstances"
        ),
        (
            "AmazonS3", "Amazon Simple Storage Service",
            ["TimedStorage-ByteHrs", "Requests-Tier1", "DataTransfer-Out-Bytes"], "PutObject"
        ),
        ("AWSLambda", "AWS Lambda", ["Request", "Lambda-GB-Second"], "Invoke"),
        ("AmazonRDS", "Amazon Relational Database Service", ["InstanceUsage:db.r5.large"], "CreateDBInstance:0002"),
    ]

    init(seed: UInt64, count: Int) {
        var random = Mutator(seed: seed)
        func pick<T>(_ values: [T]) -> T { values[random.below(values.count)] }
        func amount() -> String {
            switch random.below(8) {
            case 0: return "0.\(String(repeating: "0", count: 9))\(random.below(10))"  // ties after a rule
            case 1: return "\(random.below(9) + 1).\(random.below(10))E-\(random.below(7) + 1)"
            case 2:
                // 17 significant digits, as exports print floats: 20 places and more.
                return "0.0000\(100_000_000_000 + random.below(899_999_999_999))\(random.below(10))"
            case 3: return String(random.below(5000)) + "." + String(random.below(100))
            default:
                let places = random.below(13)
                let digits =
                    String(random.below(100_000))
                    + (places > 0 ? "." + String((0..<places).map { _ in Character(String(random.below(10))) }) : "")
                return digits
            }
        }
        let owners = Self.accounts + ["", "210987654321"]
        for _ in 0..<count {
            let service = pick(Self.services)
            var line = Line(
                period: pick(["2026-09-01T00:00:00Z", "2026-10-01T00:00:00Z"]),
                account: random.below(40) == 0 ? "" : pick(Self.accounts), type: "Usage", service: service.code,
                usageType: pick(service.usageTypes), operation: service.operation, entity: "AWS", publicCost: amount(),
                actualCost: "0", quantity: random.below(10) == 0 ? "" : amount(), reservation: "", savingsPlan: "")
            if random.below(12) == 0 { line.quantity = "-" + (line.quantity.isEmpty ? "1" : line.quantity) }
            let owner = pick(owners)
            switch random.below(20) {
            case 0...6:
                line.actualCost = amount()
            case 7, 8:
                line.actualCost = "0"  // a free line
            case 9:
                line.actualCost = amount()
                line.publicCost = ""  // priced from its actual cost
            case 10:
                line.type = "DiscountedUsage"
                line.actualCost = amount()
                line.reservation =
                    owner.isEmpty ? "" : "arn:aws:ec2:us-east-1:\(owner):reserved-instances/ri-\(random.below(5))"
            case 11:
                line.type = "SavingsPlanCoveredUsage"
                line.actualCost = amount()
                line.savingsPlan =
                    owner.isEmpty ? "" : "arn:aws:savingsplans::\(owner):savingsplan/sp-\(random.below(5))"
            case 12:
                line.type = "SavingsPlanNegation"
                line.actualCost = "-" + amount()
                line.savingsPlan =
                    owner.isEmpty ? "" : "arn:aws:savingsplans::\(owner):savingsplan/sp-\(random.below(5))"
            case 13:
                line.type = pick(["RIFee", "SavingsPlanRecurringFee", "SavingsPlanUpfrontFee"])
                line.actualCost = amount()
                if line.type == "RIFee" {
                    line.reservation = owner.isEmpty ? "" : "arn:aws:ec2:us-east-1:\(owner):reserved-instances/ri-1"
                } else {
                    line.savingsPlan = owner.isEmpty ? "" : "arn:aws:savingsplans::\(owner):savingsplan/sp-1"
                }
            case 14:
                line.type = "Fee"
                line.actualCost = amount()
            case 15:
                line.type = "Tax"
                line.actualCost = amount()
            case 16:
                line.type = pick(["Credit", "Refund"])
                line.actualCost = "-" + amount()
            case 17:
                line.service = "AWSSupportBusiness"
                line.usageType = "Dollar"
                line.operation = ""
                line.actualCost = amount()
            case 18:
                line.service = "5lmg2ks8h1d0fg0q4vqhcgm0s"
                line.usageType = "USE1-MP:Units"
                line.operation = "Unit"
                line.entity = "AWS Marketplace"
                line.actualCost = amount()
            default:
                line.type = pick(["usage", "USAGE"])  // written in another case: read as Usage
                line.actualCost = amount()
            }
            lines.append(line)
        }
    }

    static func csv(_ rows: [[String]]) -> String {
        rows.map { row in
            row.map {
                $0.contains(",") || $0.contains("\"")
                    ? "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : $0
            }
            .joined(separator: ",")
        }.joined(separator: "\n") + "\n"
    }

    /// Legacy CUR (`cur2`: the same with CUR 2.0's snake_case names).
    func cur(snakeCase: Bool = false) -> String {
        let legacy = [
            "identity/LineItemId", "bill/BillingEntity", "bill/BillingPeriodStartDate", "lineItem/UsageAccountId",
            "lineItem/LineItemType", "lineItem/ProductCode", "lineItem/UsageType", "lineItem/Operation",
            "lineItem/UsageAmount", "lineItem/CurrencyCode", "lineItem/UnblendedCost", "pricing/publicOnDemandCost",
            "reservation/ReservationARN", "savingsPlan/SavingsPlanARN",
        ]
        let snake = [
            "identity_line_item_id", "bill_billing_entity", "bill_billing_period_start_date",
            "line_item_usage_account_id", "line_item_line_item_type", "line_item_product_code",
            "line_item_usage_type", "line_item_operation", "line_item_usage_amount", "line_item_currency_code",
            "line_item_unblended_cost", "pricing_public_on_demand_cost", "reservation_reservation_arn",
            "savings_plan_savings_plan_arn",
        ]
        var rows = [snakeCase ? snake : legacy]
        for (index, line) in lines.enumerated() {
            rows.append([
                "li-\(index)", line.entity, line.period, line.account, line.type, line.service, line.usageType,
                line.operation, line.quantity, "USD", line.actualCost, line.publicCost, line.reservation,
                line.savingsPlan,
            ])
        }
        return Self.csv(rows)
    }

    /// FOCUS: negation lines have no FOCUS form and are left out; a third of the lines name their service only.
    func focus() -> String {
        var rows = [
            [
                "BillingPeriodStart", "SubAccountId", "ChargeCategory", "ChargeFrequency", "CommitmentDiscountId",
                "x_ServiceCode", "ServiceName", "x_UsageType", "x_Operation", "x_BillingEntity", "ListCost",
                "BilledCost",
                "ConsumedQuantity", "BillingCurrency",
            ]
        ]
        let names = Dictionary(Self.services.map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
        for (index, line) in lines.enumerated() where line.type != "SavingsPlanNegation" {
            let commitment = line.reservation.isEmpty ? line.savingsPlan : line.reservation
            let category: String
            var frequency = "Usage-Based"
            switch line.type.lowercased() {
            case "usage", "discountedusage", "savingsplancoveredusage": category = "Usage"
            case "rifee", "savingsplanrecurringfee": (category, frequency) = ("Purchase", "Recurring")
            case "savingsplanupfrontfee": (category, frequency) = ("Purchase", "One-Time")
            case "fee": (category, frequency) = ("Purchase", "One-Time")
            case "tax": category = "Tax"
            case "credit": category = "Credit"
            default: category = "Adjustment"
            }
            let name = names[line.service] ?? line.service
            rows.append([
                String(line.period.prefix(10)) + " 00:00:00", line.account, category, frequency,
                commitment.isEmpty ? "NULL" : commitment, index % 3 == 0 ? "NULL" : line.service, name,
                line.usageType, line.operation, line.entity, line.publicCost.isEmpty ? "NULL" : line.publicCost,
                line.actualCost, line.quantity.isEmpty ? "NULL" : line.quantity, "USD",
            ])
        }
        return Self.csv(rows)
    }
}

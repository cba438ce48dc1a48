import ProformaCore
import ProformaModel
import ProformaReport

@testable import ProformaEngine

/// Hand-built pricing results for the invoice and report renderers. Custom line item charges are computed by the
/// engine's own code from the rows, so their amounts and ITEMIZED parts are what the engine would produce.
enum BillingFixtures {
    static let period = BillingPeriod("2025-03")!

    static func d(_ text: String) -> ExactDecimal { ExactDecimal(text)! }

    static func row(
        _ account: String, _ service: String, _ type: String, _ category: LineCategory, proForma: String,
        actual: String, publicCost: String = "0", lines: Int = 1, period: BillingPeriod = period
    ) -> CostRow {
        var figures = CostFigures()
        figures.proForma = d(proForma)
        figures.actualCost = d(actual)
        figures.publicCost = d(publicCost)
        figures.lines = lines
        return CostRow(
            key: CostKey(period: period, account: account, service: service, lineItemType: type, category: category),
            figures: figures)
    }

    static let provenance = Provenance(
        revision: "main", commit: "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c",
        usageFiles: ["cur/2025-03/cur-00001.csv.gz", "cur/2025-03/cur-00002.csv.gz"], toolVersion: "0.1.0")

    static let accounts = [
        Account(name: "Retail production", accountID: "111111111111"),
        Account(name: "Retail staging", accountID: "222222222222"),
        Account(name: "Société Générale — 東京", accountID: "444444444444"),
    ]

    static var accountNames: [String: String] {
        Dictionary(uniqueKeysWithValues: accounts.map { ($0.accountID, $0.name) })
    }

    // MARK: - retail: the worked example of billing-semantics.md §5, spread over lines that need adjusting

    static let retail = BillingGroup(
        name: "retail", description: "Retail business unit", primaryAccountID: "111111111111",
        accountIDs: ["111111111111", "222222222222", "333333333333"], pricingPlan: "standard")

    /// Counted usage after rules: 385.00 exactly, in lines whose independent rounding (half-even) gives 384.99.
    static let retailRows: [CostRow] = [
        row("111111111111", "AWSSupportBusiness", "Fee", .excluded, proForma: "0", actual: "10.00"),
        row("111111111111", "AmazonEC2", "Credit", .excluded, proForma: "0", actual: "-5.00"),
        row(
            "111111111111", "AmazonEC2", "DiscountedUsage", .covered, proForma: "50.3333333333",
            actual: "50.3333333333", publicCost: "80.00", lines: 720),
        row("111111111111", "AmazonEC2", "Tax", .tax, proForma: "0", actual: "12.00"),
        row(
            "111111111111", "AmazonEC2", "Usage", .onDemand, proForma: "200.3333333333", actual: "170.00",
            publicCost: "182.1212121212", lines: 1440),
        row("111111111111", "AmazonS3", "Usage", .free, proForma: "0", actual: "0", publicCost: "1.20", lines: 31),
        row(
            "111111111111", "AmazonS3", "Usage", .onDemand, proForma: "34.3333333334", actual: "30.00",
            publicCost: "31.2121212122", lines: 310),
        row(
            "222222222222", "AWSLambda", "Usage", .onDemand, proForma: "29.995", actual: "25.00",
            publicCost: "27.2681818182", lines: 62),
        row("222222222222", "AmazonEC2", "RIFee", .commitmentFee, proForma: "40.005", actual: "40.005", lines: 1),
        row("333333333333", "AmazonRoute53", "Fee", .other, proForma: "30.00", actual: "30.00", lines: 2),
    ]

    static let retailItems: [CustomLineItem] = [
        CustomLineItem(
            name: "managed-service-fee", description: "Managed service fee", billingGroup: "retail", type: .fee,
            charge: .flat(chargeValue: d("50.00"))),
        CustomLineItem(
            name: "platform-fee", description: "Platform fee", billingGroup: "retail", type: .fee,
            charge: .percentage(percentageValue: 3, associatedValues: ["retail", "managed-service-fee"]),
            computationRule: .itemized),
        CustomLineItem(
            name: "loyalty-credit", description: "Loyalty credit", billingGroup: "retail", type: .credit,
            charge: .percentage(percentageValue: 2, associatedValues: ["retail"])),
    ]

    static func groupResult(
        _ group: BillingGroup, rows: [CostRow], items: [CustomLineItem], currency: String = "USD",
        period: BillingPeriod = period
    ) -> GroupResult {
        var warnings: [EngineWarning] = []
        let configuration = Configuration(accounts: accounts, billingGroups: [group], customLineItems: items)
        let charges = try? CustomLineItems.charges(
            for: group, in: period, rows: rows, configuration: configuration, warnings: &warnings)
        return GroupResult(
            group: group.name, period: period, primaryAccount: group.primaryAccountID, currency: currency, rows: rows,
            customLineItems: charges ?? [], warnings: warnings)
    }

    static var retailResult: GroupResult { groupResult(retail, rows: retailRows, items: retailItems) }

    static var retailInvoice: InvoiceDocument {
        InvoiceDocument(
            result: retailResult, group: retail, accounts: accounts, rounding: .halfEven, provenance: provenance)
    }

    // MARK: - wholesale, and accounts in no group

    static let wholesale = BillingGroup(
        name: "wholesale", description: "Wholesale customers", primaryAccountID: "444444444444",
        accountIDs: ["444444444444"], pricingPlan: "partner")

    static let wholesaleRows: [CostRow] = [
        row(
            "444444444444", "AmazonEC2", "Usage", .onDemand, proForma: "99.9990000000", actual: "90.00",
            publicCost: "105.262", lines: 744),
        row(
            "444444444444", "AmazonS3", "Usage", .onDemand, proForma: "0.0049000000", actual: "0.004",
            publicCost: "0.0052", lines: 12),
        row("444444444444", "AmazonS3", "Tax", .tax, proForma: "0", actual: "0.80"),
    ]

    static let wholesaleItems: [CustomLineItem] = [
        CustomLineItem(
            name: "partner-support", description: "Partner support", billingGroup: "wholesale", type: .fee,
            charge: .flat(chargeValue: d("25.00")))
    ]

    static let unassignedRows: [CostRow] = [
        row(
            "555555555555", "AmazonEC2", "Usage", .unassigned, proForma: "0", actual: "17.125", publicCost: "17.125",
            lines: 100),
        row("555555555555", "AmazonEC2", "Tax", .tax, proForma: "0", actual: "1.00"),
        row(
            "666666666666", "AmazonS3", "Usage", .unassigned, proForma: "0", actual: "3.3333", publicCost: "3.3333",
            lines: 9),
    ]

    /// Both groups and the unassigned accounts, with data totals made the way the engine makes them.
    static var billingResult: BillingResult {
        result(
            groups: [retailResult, groupResult(wholesale, rows: wholesaleRows, items: wholesaleItems)],
            unassigned: unassignedRows)
    }

    /// Rows without a currency take their group's (as the engine gives every row its line's currency), unassigned
    /// ones USD.
    static func result(groups: [GroupResult], unassigned: [CostRow]) -> BillingResult {
        func withCurrency(_ rows: [CostRow], _ currency: String) -> [CostRow] {
            rows.map { row in
                var row = row
                if row.key.currency.isEmpty { row.key.currency = currency }
                return row
            }
        }
        let groups = groups.map { group in
            var group = group
            group.rows = withCurrency(group.rows, group.currency)
            return group
        }
        let unassigned = withCurrency(unassigned, "USD")
        var totals: [CostKey: CostFigures] = [:]
        for row in groups.flatMap(\.rows) + unassigned {
            let key = CostKey(
                period: row.key.period, account: "", service: "", lineItemType: "", category: row.key.category,
                currency: row.key.currency)
            totals[key, default: CostFigures()] += row.figures
        }
        return BillingResult(
            periods: Array(Set(groups.map(\.period) + unassigned.map(\.key.period))).sorted(),
            groups: groups.sorted { ($0.group, $0.period) < ($1.group, $1.period) }, unassigned: unassigned,
            dataTotals: totals.map { CostRow(key: $0.key, figures: $0.value) }.sorted { $0.key < $1.key }, warnings: [])
    }

    static var reportOptions: CostReportOptions {
        CostReportOptions(period: period, accountNames: accountNames, unassignedCurrency: "USD", provenance: provenance)
    }
}

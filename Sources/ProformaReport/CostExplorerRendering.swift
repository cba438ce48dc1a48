import ProformaCore
import ProformaEngine

/// The costs report in the shape of Cost Explorer's `GetCostAndUsage` response, so that scripts written against
/// Cost Explorer read pro forma figures: `GroupDefinitions`, then one `ResultsByTime` entry per billing period
/// (`TimePeriod` from its first day to the next period's, `End` exclusive as in Cost Explorer), its `Groups` with
/// `Keys` (the report's dimensions but the period, in order) and `Metrics` (`ProformaCost`, `AWSCost`,
/// `PublicCost`, each an `Amount` string and a `Unit`, the currency), `Total` (the period's sums, when its rows
/// share one currency), `Estimated: false`, and `DimensionValueAttributes` naming each account. Amounts are the
/// report's rounded figures, so every group equals the report's row and the totals its total row.
public enum CostExplorerRenderer {
    /// The metrics, in the order of the report's columns.
    public static let metrics = ["ProformaCost", "AWSCost", "PublicCost"]

    /// Cost Explorer's group definition for a report dimension: its own dimensions where it has one.
    static func definition(_ dimension: CostDimension) -> JSONValue {
        let (type, key): (String, String) =
            switch dimension {
            case .account: ("DIMENSION", "LINKED_ACCOUNT")
            case .service: ("DIMENSION", "SERVICE")
            case .lineType: ("DIMENSION", "RECORD_TYPE")
            case .group: ("COST_CATEGORY", "BillingGroup")
            case .category: ("COST_CATEGORY", "PricingCategory")
            case .period: ("DIMENSION", "BILLING_PERIOD")
            }
        return .object(["Type": .string(type), "Key": .string(key)])
    }

    /// Renders `report` (whose rows are split by period whatever its dimensions: Cost Explorer's results are by
    /// time).
    public static func render(_ report: CostsReport) -> String {
        var byPeriod = report
        if !byPeriod.groupBy.contains(.period) { byPeriod.groupBy.append(.period) }
        let table = CostReportRenderer.CostsTable(byPeriod)
        let periodColumn = byPeriod.groupBy.firstIndex(of: .period)!
        let keyColumns = byPeriod.groupBy.indices.filter { $0 != periodColumn }
        var accounts: Set<String> = []
        var results: [JSONValue] = []
        let periods = CostReportRenderer.periods(report.result, report.options)
        for period in periods {
            let indices = table.rows.indices.filter { table.rows[$0].values[periodColumn] == period.description }
            var groups: [JSONValue] = []
            var totals = Array(repeating: ExactDecimal.zero, count: 3)
            let currencies = Set(indices.map { table.rows[$0].currency })
            for index in indices {
                let row = table.rows[index]
                let shown = table.columns.shown[index]
                for column in keyColumns where byPeriod.groupBy[column] == .account {
                    accounts.insert(row.values[column])
                }
                totals = zip(totals, shown).map { $0 + $1 }
                groups.append(
                    .object([
                        "Keys": .array(keyColumns.map { .string(row.values[$0]) }),
                        "Metrics": metricsJSON(shown, row.currency),
                    ]))
            }
            let total: JSONValue =
                currencies.count == 1
                ? metricsJSON(totals, currencies.first!) : .object([:])
            results.append(
                .object([
                    "TimePeriod": .object([
                        "Start": .string(firstDay(period)), "End": .string(firstDay(period.next)),
                    ]),
                    "Total": total,
                    // Without dimensions, as Cost Explorer without GroupBy: the figures in Total, no groups.
                    "Groups": .array(keyColumns.isEmpty ? [] : groups),
                    "Estimated": .bool(false),
                ]))
        }
        let attributes: [JSONValue] = accounts.sorted().compactMap { id in
            guard let name = report.options.accountNames[id] else { return nil }
            return .object(["Value": .string(id), "Attributes": .object(["description": .string(name)])])
        }
        return JSONWriter.write(
            .object([
                "GroupDefinitions": .array(keyColumns.map { definition(byPeriod.groupBy[$0]) }),
                "ResultsByTime": .array(results),
                "DimensionValueAttributes": .array(attributes),
            ]))
    }

    static func metricsJSON(_ shown: [ExactDecimal], _ currency: String) -> JSONValue {
        let places = CurrencyMinorUnits.places(for: currency)
        return .object(
            Dictionary(
                uniqueKeysWithValues: zip(metrics, shown).map { name, value in
                    (
                        name,
                        JSONValue.object([
                            "Amount": .string(MoneyText.plain(value, places: places)), "Unit": .string(currency),
                        ])
                    )
                }))
    }

    static func firstDay(_ period: BillingPeriod) -> String {
        let month = period.month < 10 ? "0\(period.month)" : "\(period.month)"
        return "\(period.year)-\(month)-01"
    }
}

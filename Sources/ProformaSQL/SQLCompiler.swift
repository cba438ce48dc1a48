import ProformaCore
import ProformaEngine
import ProformaModel
import ProformaUsage

/// What to compile.
public struct SQLOptions: Sendable, Hashable {
    public var dialect: SQLDialect
    /// The usage table, as the SQL engine names it (`cur`, `billing.cur2`).
    public var table: String
    /// The export the table holds: its column names (see `SQLCompiler.columns(for:)`).
    public var format: UsageFormat
    public var costColumns: SQLCostColumns
    /// Group totals with custom line items and custom tiers, one row per section, instead of cost rows.
    public var invoices: Bool
    /// Wrap the query in `CREATE OR REPLACE VIEW name AS`.
    public var view: String?

    public init(
        dialect: SQLDialect, table: String = "usage", format: UsageFormat = .cur2, costColumns: SQLCostColumns = .text,
        invoices: Bool = false, view: String? = nil
    ) {
        self.dialect = dialect
        self.table = table
        self.format = format
        self.costColumns = costColumns
        self.invoices = invoices
        self.view = view
    }
}

/// Why a configuration cannot be compiled.
public struct SQLCompileError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var hint: String?
    public var description: String { message }
}

/// Compiles a configuration's pricing (billing-semantics.md, as `PricingEngine` computes it) into one self-contained
/// SQL query over a usage table. The configuration is inlined as `VALUES` rows; the query needs nothing but the table.
///
/// The query reads every line once, resolves the winning pricing rule once per distinct (plan, service, usage type,
/// operation, billing entity) and joins it back by that key, so its cost grows with the lines and not with the rules.
/// Amounts are exact decimals: the data's costs at 20 places, each line's amount rounded half-even to 10 places (half
/// even written out, since PostgreSQL rounds half away from zero), custom tiers split by largest remainder in exact
/// integers. Results are `DECIMAL(38,10)`, rounded half-even from the exact sums.
public enum SQLCompiler {
    /// Places of the data's amounts inside the query (`UsageReader.decimalPlaces`).
    static let dataScale = UsageReader.decimalPlaces
    static let lineScale = PricingEngine.lineScale

    /// The columns the query reads from the usage table, lower case: what it needs of an export of `format`. A
    /// table without some of them must have them as columns of NULLs.
    public static func columns(for format: UsageFormat) -> [String] {
        fields(for: format).map(\.1)
    }

    /// The usage fields the query reads and their columns.
    static func fields(for format: UsageFormat) -> [(UsageField, String)] {
        let used: [UsageField] =
            switch format {
            case .cur, .cur2:
                [
                    .billingPeriodStart, .usageAccount, .lineItemType, .serviceCode, .usageType, .operation,
                    .billingEntity, .publicOnDemandCost, .actualCost, .usageAmount, .currency, .reservationARN,
                    .savingsPlanARN,
                ]
            case .focus:
                [
                    .billingPeriodStart, .usageAccount, .lineItemType, .serviceCode, .serviceName, .usageType,
                    .operation, .billingEntity, .publicOnDemandCost, .actualCost, .usageAmount, .currency,
                    .commitmentDiscountID, .chargeFrequency,
                ]
            }
        return used.compactMap { field in format.columns(for: field).first.map { (field, $0.lowercased()) } }
    }

    /// The query for `configuration`. The configuration must be one the engine prices (validated); one it refuses
    /// is refused here with the engine's message. Cost allocations (which move lines and shares between groups) are
    /// not compiled: a configuration with one is refused.
    public static func compile(_ configuration: Configuration, options: SQLOptions) throws(SQLCompileError) -> String {
        do {
            _ = try PricingEngine(configuration: configuration).result(periods: [])
        } catch {
            throw SQLCompileError(message: error.message, hint: error.hint)
        }
        if let allocation = configuration.costAllocations.first {
            throw SQLCompileError(
                message:
                    "cost allocation \"\(allocation.name)\" cannot be compiled to SQL: the query prices each group's own lines",
                hint: "price configurations with cost allocations with `proforma invoice` and `proforma report`")
        }
        guard isTableName(options.table) else {
            throw SQLCompileError(
                message: "\"\(options.table)\" is not a table name",
                hint: "name the table as the SQL engine does: letters, digits and _, optionally schema.table")
        }
        if let view = options.view, !isTableName(view) {
            throw SQLCompileError(
                message: "\"\(view)\" is not a view name", hint: "letters, digits and _, optionally schema.view")
        }
        var writer = Writer(configuration: configuration, options: options)
        return try writer.query()
    }

    /// `name`, `schema.name` or `catalog.schema.name` of ASCII letters, digits and `_`.
    static func isTableName(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...3).contains(parts.count) else { return false }
        return parts.allSatisfy { part in
            guard let first = part.utf8.first, !(48...57).contains(first) else { return false }
            return part.utf8.allSatisfy {
                ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || $0 == 95
            }
        }
    }
}

/// SQL text of literals and expressions, shared by every part of the query.
enum SQLText {
    static func string(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }

    static func string(_ text: String?) -> String {
        text.map { string($0) } ?? "CAST(NULL AS VARCHAR)"
    }

    static func decimal(_ value: ExactDecimal?, scale: Int) -> String {
        guard let value else { return "CAST(NULL AS DECIMAL(38,\(scale)))" }
        return "CAST(\(value.description) AS DECIMAL(38,\(scale)))"
    }

    static func bool(_ value: Bool) -> String { value ? "TRUE" : "FALSE" }

    static func quoted(_ identifier: String) -> String {
        "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// `value` rounded to `places` places half-even. Every dialect here rounds a decimal cast half away from zero;
    /// a tie whose away-from-zero result is odd goes back one unit toward zero. `value` must be a column or
    /// another cheap expression (it is repeated).
    static func halfEven(_ value: String, places: Int) -> String {
        let type = "DECIMAL(38,\(places))"
        let away = "CAST(\(value) AS \(type))"
        let half = "0." + String(repeating: "0", count: places) + "5"
        let unit = places == 0 ? "1" : "0." + String(repeating: "0", count: places - 1) + "1"
        return """
            (CASE WHEN ABS(\(value) - \(away)) = \(half) AND CAST(\(away) * 0.5 AS \(type)) <> \(away) * 0.5 \
            THEN \(away) - (CASE WHEN \(value) > 0 THEN \(unit) ELSE -\(unit) END) ELSE \(away) END)
            """
    }

    /// `value` rounded to `places` with `mode`, as `ExactDecimal.rounded` does.
    static func rounded(_ value: String, places: Int, mode: RoundingMode) -> String {
        switch mode {
        case .halfEven: halfEven(value, places: places)
        case .halfUp: "CAST(\(value) AS DECIMAL(38,\(places)))"
        case .down: "CAST(TRUNC(\(value), \(places)) AS DECIMAL(38,\(places)))"
        }
    }

    /// A CTE of `VALUES` rows with named columns; with no rows, an empty relation of the same columns.
    static func values(_ name: String, columns: [String], rows: [[String]], empty: [String]) -> String {
        let head = "\(name)(\(columns.joined(separator: ", "))) AS ("
        guard !rows.isEmpty else {
            return head
                + "\n  SELECT * FROM (VALUES (\(empty.joined(separator: ", ")))) AS e(\(columns.joined(separator: ", "))) WHERE 1 = 0)"
        }
        let body = rows.map { "    (" + $0.joined(separator: ", ") + ")" }.joined(separator: ",\n")
        return head + "\n  VALUES\n" + body + ")"
    }
}

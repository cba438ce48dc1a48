import Foundation
import ProformaCore
import ProformaEngine
import ProformaModel
import ProformaSQL
import ProformaTestSupport
import ProformaUsage

/// Runs compiled queries on DuckDB and PostgreSQL through `Harness/sql_harness.py`, and turns both the query's rows
/// and the native engine's result into comparable figures.
enum SQLHarness {
    static let script = TestSupport.packageRoot.appendingPathComponent("Tests/ProformaSQLTests/Harness/sql_harness.py")

    /// Whether python3 with the duckdb package is installed (`make deps` installs it).
    static let hasDuckDB: Bool = {
        (try? run(["python3", "-c", "import duckdb"]).status) == 0
    }()

    static func run(_ arguments: [String], environment: [String: String]? = nil) throws -> ProcessResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        if let environment { process.environment = environment }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes while the process runs, so that neither fills up.
        nonisolated(unsafe) var errData = Data()
        let reader = Thread { errData = err.fileHandleForReading.readDataToEndOfFile() }
        reader.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !reader.isFinished { usleep(1000) }
        return ProcessResult(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Runs `query` over `files` loaded as the table `usage`; the result's rows, by column name.
    static func query(
        _ query: String, files: [String], format: UsageFormat, engine: String = "duckdb",
        postgres: PostgresServer? = nil
    ) throws -> [[String: String]] {
        let folder = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let sql = folder.appendingPathComponent("query.sql")
        try query.write(to: sql, atomically: true, encoding: .utf8)
        var arguments = [
            "python3", script.path, "--engine", engine, "--sql", sql.path, "--columns",
            SQLCompiler.columns(for: format).joined(separator: ","),
        ]
        if let postgres {
            arguments += [
                "--pg-host", postgres.socketFolder, "--pg-port", String(postgres.port), "--psql", postgres.psql,
            ]
        }
        let result = try run(arguments + files)
        guard result.status == 0 else { throw TestFailure("\(engine) failed: \(result.stderr)") }
        return CSV.records(result.stdout)
    }
}

struct ProcessResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// A small CSV reader for the harness's output (quoted fields, doubled quotes).
enum CSV {
    static func rows(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var chars = Array(text.unicodeScalars)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" {
                        field.unicodeScalars.append("\"")
                        chars.removeFirst()
                    } else {
                        quoted = false
                    }
                } else {
                    field.unicodeScalars.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                row.append(field)
                field = ""
            } else if c == "\n" {
                row.append(field)
                rows.append(row)
                row = []
                field = ""
            } else if c != "\r" {
                field.unicodeScalars.append(c)
            }
        }
        if !field.isEmpty || !row.isEmpty {
            row.append(field)
            rows.append(row)
        }
        return rows
    }

    static func records(_ text: String) -> [[String: String]] {
        let all = rows(text)
        guard let header = all.first else { return [] }
        return all.dropFirst().map { Dictionary(zip(header, $0).map { ($0, $1) }, uniquingKeysWith: { a, _ in a }) }
    }
}

/// The figures both sides are compared on, each at 10 places.
struct CostRowKey: Hashable, Comparable, CustomStringConvertible {
    var period: String
    var group: String
    var account: String
    var service: String
    var lineClass: String
    var currency: String

    static func < (a: Self, b: Self) -> Bool {
        (a.period, a.group, a.account, a.service, a.lineClass, a.currency)
            < (b.period, b.group, b.account, b.service, b.lineClass, b.currency)
    }

    var description: String { "\(period) \(group) \(account) \(service) \(lineClass) \(currency)" }
}

struct CostRowFigures: Hashable, CustomStringConvertible {
    var proForma: ExactDecimal = .zero
    var awsCost: ExactDecimal = .zero
    var actualCost: ExactDecimal = .zero
    var publicCost: ExactDecimal = .zero
    var quantity: ExactDecimal = .zero
    var lines = 0

    func rounded() -> Self {
        var copy = self
        for path in [\Self.proForma, \.awsCost, \.actualCost, \.publicCost, \.quantity] {
            copy[keyPath: path] = copy[keyPath: path].rounded(scale: 10).normalized
        }
        return copy
    }

    var description: String {
        "pro forma \(proForma), AWS \(awsCost), actual \(actualCost), public \(publicCost), quantity \(quantity), \(lines) lines"
    }
}

/// One line of an invoice query: usage subtotal, a custom line item, or the total.
struct InvoiceLineKey: Hashable, Comparable, CustomStringConvertible {
    var period: String
    var group: String
    var line: String
    var item: String

    static func < (a: Self, b: Self) -> Bool {
        (a.period, a.group, a.line, a.item) < (b.period, b.group, b.line, b.item)
    }
    var description: String { "\(period) \(group) \(line) \(item)" }
}

enum Native {
    /// The engine's rows at the query's grain, rounded to 10 places.
    static func costRows(_ result: BillingResult) -> [CostRowKey: CostRowFigures] {
        var rows: [CostRowKey: CostRowFigures] = [:]
        func add(_ row: CostRow, group: String, currency: String) {
            let key = CostRowKey(
                period: row.key.period.description, group: group, account: row.key.account, service: row.key.service,
                lineClass: row.key.category.rawValue, currency: row.key.currency.isEmpty ? currency : row.key.currency)
            var figures = rows[key, default: CostRowFigures()]
            figures.proForma += row.figures.proForma
            figures.actualCost += row.figures.actualCost
            if row.key.category != .tax { figures.awsCost += row.figures.actualCost }
            figures.publicCost += row.figures.publicCost
            figures.quantity += row.figures.quantity
            figures.lines += row.figures.lines
            rows[key] = figures
        }
        for group in result.groups {
            for row in group.rows { add(row, group: group.group, currency: group.currency) }
        }
        for row in result.unassigned { add(row, group: "", currency: "") }
        return rows.mapValues { $0.rounded() }
    }

    /// The engine's invoice figures: exact amounts at 10 places, and the total's shown figures.
    static func invoiceLines(_ result: BillingResult, rounding: RoundingMode) -> [InvoiceLineKey: [String]] {
        var lines: [InvoiceLineKey: [String]] = [:]
        func text(_ value: ExactDecimal) -> String { value.rounded(scale: 10).normalized.description }
        for group in result.groups {
            let period = group.period.description
            lines[InvoiceLineKey(period: period, group: group.group, line: "usage", item: "")] = [
                text(group.usageTotal), text(group.awsCost),
            ]
            for item in group.customLineItems {
                lines[InvoiceLineKey(period: period, group: group.group, line: "custom_line_item", item: item.name)] = [
                    text(item.amount), item.account,
                ]
            }
            let shown = group.figures(rounding: rounding)
            lines[InvoiceLineKey(period: period, group: group.group, line: "total", item: "")] = [
                text(group.proFormaCost), text(group.awsCost), shown.proForma.rounded.normalized.description,
                shown.awsCost.rounded.normalized.description, shown.margin.rounded.normalized.description,
                group.currency,
            ]
        }
        return lines
    }
}

enum FromSQL {
    static func decimal(_ text: String?) throws -> ExactDecimal {
        guard let text, let value = ExactDecimal(text) else { throw TestFailure("not a decimal: \(text ?? "nil")") }
        return value
    }

    static func costRows(_ records: [[String: String]]) throws -> [CostRowKey: CostRowFigures] {
        var rows: [CostRowKey: CostRowFigures] = [:]
        for record in records {
            let key = CostRowKey(
                period: record["period"] ?? "", group: record["billing_group"] ?? "",
                account: record["account_id"] ?? "", service: record["service"] ?? "",
                lineClass: record["line_class"] ?? "", currency: record["currency"] ?? "")
            guard rows[key] == nil else { throw TestFailure("the query returned \(key) twice") }
            var figures = CostRowFigures()
            figures.proForma = try decimal(record["pro_forma"])
            figures.awsCost = try decimal(record["aws_cost"])
            figures.actualCost = try decimal(record["actual_cost"])
            figures.publicCost = try decimal(record["public_cost"])
            figures.quantity = try decimal(record["quantity"])
            figures.lines = Int(record["lines"] ?? "") ?? -1
            rows[key] = figures.rounded()
        }
        return rows
    }

    static func invoiceLines(_ records: [[String: String]]) throws -> [InvoiceLineKey: [String]] {
        var lines: [InvoiceLineKey: [String]] = [:]
        func text(_ value: String?) throws -> String { try decimal(value).normalized.description }
        for record in records {
            let line = record["line"] ?? ""
            let key = InvoiceLineKey(
                period: record["period"] ?? "", group: record["billing_group"] ?? "", line: line,
                item: record["item_name"] ?? "")
            guard lines[key] == nil else { throw TestFailure("the query returned \(key) twice") }
            switch line {
            case "usage": lines[key] = [try text(record["pro_forma"]), try text(record["aws_cost"])]
            case "custom_line_item": lines[key] = [try text(record["pro_forma"]), record["account_id"] ?? ""]
            default:
                lines[key] = [
                    try text(record["pro_forma"]), try text(record["aws_cost"]), try text(record["pro_forma_shown"]),
                    try text(record["aws_cost_shown"]), try text(record["margin_shown"]), record["currency"] ?? "",
                ]
            }
        }
        return lines
    }
}

/// The differences between two keyed sets of figures, at most `limit`, one line each.
func differences<Key: Comparable & CustomStringConvertible, Value: Equatable>(
    native: [Key: Value], sql: [Key: Value], limit: Int = 10
) -> [String] {
    var found: [String] = []
    for key in Set(native.keys).union(sql.keys).sorted() where native[key] != sql[key] {
        found.append(
            "\(key): native \(native[key].map { "\($0)" } ?? "none"), SQL \(sql[key].map { "\($0)" } ?? "none")")
        if found.count == limit { break }
    }
    return found
}

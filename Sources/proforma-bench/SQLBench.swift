import Foundation

/// The SQL benchmark: the query `proforma sql --dialect duckdb` prints, run by DuckDB over a generated legacy CUR
/// (loaded as text, as the tests load it), beside `proforma invoice --all-groups` on the same file; and how the
/// query's work scales: the rows of the usage lines, of the distinct keys the rules are resolved for, and of the
/// rule matches.
enum SQLBench {
    static func run(
        proforma: String, config: String, harness: String, sizes: [Int], dataDirectory: String?, keep: Bool
    ) throws -> [Figure] {
        let directory: String
        if let dataDirectory {
            directory = dataDirectory
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } else {
            var template = Array((NSTemporaryDirectory() + "proforma-bench-sql-XXXXXX").utf8CString)
            guard let created = mkdtemp(&template) else {
                throw UsageError(message: "cannot create a temporary folder")
            }
            directory = String(cString: created)
        }
        defer {
            if dataDirectory == nil && !keep { try? FileManager.default.removeItem(atPath: directory) }
            if keep { line("kept \(directory)") }
        }
        guard FileManager.default.fileExists(atPath: harness) else {
            throw UsageError(message: "no SQL harness at \(harness) (run from the package root, or pass --harness)")
        }
        let query = directory + "/query.sql"
        let compiled = try ChildProcess.run(proforma, ["sql", "--dialect", "duckdb", "--format", "cur", "-C", config])
        guard compiled.status == 0 else { throw UsageError(message: "proforma sql failed: \(compiled.output)") }
        try compiled.output.write(toFile: query, atomically: true, encoding: .utf8)
        let columns = [
            "bill/billingperiodstartdate", "lineitem/usageaccountid", "lineitem/lineitemtype", "lineitem/productcode",
            "lineitem/usagetype", "lineitem/operation", "bill/billingentity", "pricing/publicondemandcost",
            "lineitem/unblendedcost", "lineitem/usageamount", "lineitem/currencycode", "reservation/reservationarn",
            "savingsplan/savingsplanarn",
        ].joined(separator: ",")
        var figures: [Figure] = []
        for rows in sizes {
            let name = "cur-\(rows).csv"
            let path = directory + "/" + name
            if !FileManager.default.fileExists(atPath: path) {
                let made = try ChildProcess.run(
                    ChildProcess.selfPath(),
                    [
                        "usage", "--format", "cur", "--rows", String(rows), "--seed", "3", "--period", "2026-10",
                        "--accounts-from", config, "-o", path,
                    ])
                guard made.status == 0 else { throw UsageError(message: "generating \(name) failed: \(made.output)") }
            }
            InvoiceBench.warm(path)
            let invoice = try ChildProcess.run(
                proforma,
                ["invoice", "--all-groups", "-C", config, "--usage", path, "--output-dir", directory + "/invoices"])
            guard invoice.status == 0 else { throw UsageError(message: "proforma invoice failed: \(invoice.output)") }
            let duck = try ChildProcess.run(
                "/usr/bin/env",
                [
                    "python3", harness, "--engine", "duckdb", "--sql", query, "--columns", columns, "--timing",
                    "--counts", "usage_lines,rule_keys,sku_matches,tier_rows", path,
                ])
            guard duck.status == 0 else {
                throw UsageError(message: "the DuckDB query failed: \(duck.output.prefix(500))")
            }
            func value(_ key: String) -> String? {
                for field in duck.output.split(whereSeparator: { $0 == " " || $0 == "\n" })
                where field.hasPrefix(key + "=") {
                    return String(field.dropFirst(key.count + 1))
                }
                return nil
            }
            let load = Double(value("load_seconds") ?? "") ?? .nan
            let queryTime = Double(value("query_seconds") ?? "") ?? .nan
            line(
                "\(name): proforma invoice --all-groups \(Measure.milliseconds(invoice.wallSeconds)) elapsed, "
                    + "max RSS \(Measure.megabytes(kilobytes: invoice.maxRSSKilobytes)); DuckDB: load as text "
                    + "\(Measure.milliseconds(load)), query \(Measure.milliseconds(queryTime)), process max RSS "
                    + Measure.megabytes(kilobytes: duck.maxRSSKilobytes))
            let counts = ["usage_lines", "rule_keys", "sku_matches", "tier_rows"].map {
                "\($0) \(value("count \($0)") ?? value($0) ?? "?")"
            }
            line("\(name): query steps' rows: " + counts.joined(separator: ", "))
            figures += [
                Figure(
                    name: "\(name): proforma invoice --all-groups", measured: Measure.milliseconds(invoice.wallSeconds),
                    target: "", pass: nil),
                Figure(
                    name: "\(name): DuckDB query (loaded as text)", measured: Measure.milliseconds(queryTime),
                    target: "", pass: nil),
                Figure(name: "\(name): DuckDB load", measured: Measure.milliseconds(load), target: "", pass: nil),
                Figure(
                    name: "\(name): distinct rule keys / usage lines",
                    measured: "\(value("rule_keys") ?? "?") / \(value("usage_lines") ?? "?")", target: "", pass: nil),
            ]
        }
        return figures
    }
}

import Foundation

/// The usage benchmark: `proforma invoice --all-groups` over generated legacy CUR files of 1 and 5 million rows,
/// plain and gzip, beside the DuckDB reference scan (../shared/bench/duckdb_reference.py) on the same files in the
/// same run. The ratio of the two times is the figure; peak memory is proforma's maximum resident set.
enum InvoiceBench {
    struct Case {
        var rows: Int
        var gzip: Bool
        var path: String
        var bytes: Int
    }

    static func run(
        proforma: String, config: String, reference: String?, sizes: [Int], dataDirectory: String?, keep: Bool
    ) throws -> [Figure] {
        let directory: String
        if let dataDirectory {
            directory = dataDirectory
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } else {
            var template = Array((NSTemporaryDirectory() + "proforma-bench-usage-XXXXXX").utf8CString)
            guard let created = mkdtemp(&template) else { throw UsageError(message: "cannot create a temporary folder") }
            directory = String(cString: created)
        }
        defer {
            if dataDirectory == nil && !keep { try? FileManager.default.removeItem(atPath: directory) }
            if keep { line("kept \(directory)") }
        }
        // The python3 on PATH, where `python3 -m pip install duckdb` put the module.
        let python: String? = FileManager.default.isExecutableFile(atPath: "/usr/bin/env") ? "/usr/bin/env" : nil
        var figures: [Figure] = []
        for rows in sizes {
            for gzip in [false, true] {
                let name = "cur-\(rows)\(gzip ? ".csv.gz" : ".csv")"
                let path = directory + "/" + name
                if !FileManager.default.fileExists(atPath: path) {
                    var arguments = ["usage", "--format", "cur", "--rows", String(rows), "--seed", "3", "--period", "2026-10",
                                     "--accounts-from", config, "-o", path]
                    if gzip { arguments.append("--gzip") }
                    let made = try ChildProcess.run(ChildProcess.selfPath(), arguments)
                    guard made.status == 0 else { throw UsageError(message: "generating \(name) failed: \(made.output)") }
                }
                let bytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
                let output = directory + "/invoices"
                let run = try ChildProcess.run(
                    proforma, ["invoice", "--all-groups", "-C", config, "--usage", path, "--output-dir", output])
                guard run.status == 0 else { throw UsageError(message: "proforma invoice failed on \(name): \(run.output)") }
                let mb = Double(bytes) / 1_048_576
                line(
                    "\(name): proforma invoice --all-groups \(Measure.milliseconds(run.wallSeconds)) elapsed, cpu "
                        + "\(Measure.milliseconds(run.cpuSeconds)), \(String(format: "%.0f", Double(rows) / run.wallSeconds)) rows/s, "
                        + "\(String(format: "%.0f", mb / run.wallSeconds)) MB/s of \(gzip ? "compressed " : "")input, max RSS "
                        + Measure.megabytes(kilobytes: run.maxRSSKilobytes))
                var ratio: Figure?
                if let python, let reference, FileManager.default.fileExists(atPath: reference) {
                    let duck = try ChildProcess.run(python, ["python3", reference, path, "--threads", "2"])
                    if duck.status == 0 {
                        line("\(name): duckdb_reference.py \(Measure.milliseconds(duck.wallSeconds)) elapsed (process), "
                             + (duck.output.split(separator: "\n").last.map(String.init) ?? ""))
                        let speedup = duck.wallSeconds / run.wallSeconds
                        ratio = Figure(
                            name: "\(name): DuckDB time / proforma time", measured: String(format: "%.2f", speedup),
                            target: ">= 1.00", pass: speedup >= 1)
                    } else {
                        line("\(name): duckdb_reference.py failed (python3 -m pip install duckdb): \(duck.output.prefix(200))")
                    }
                }
                figures.append(
                    Figure(
                        name: "\(name): proforma elapsed", measured: Measure.milliseconds(run.wallSeconds),
                        target: "", pass: nil))
                if let ratio { figures.append(ratio) }
                figures.append(
                    Figure(
                        name: "\(name): proforma max RSS", measured: Measure.megabytes(kilobytes: run.maxRSSKilobytes),
                        target: "< 200 MB", pass: run.maxRSSKilobytes < 200 * 1024))
            }
        }
        return figures
    }
}

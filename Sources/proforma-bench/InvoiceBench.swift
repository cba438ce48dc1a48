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

    /// Reads a file to the end, so both programs find it in the page cache.
    static func warm(_ path: String) {
        guard let handle = FileHandle(forReadingAtPath: path) else { return }
        defer { try? handle.close() }
        while let chunk = try? handle.read(upToCount: 8 << 20), !chunk.isEmpty {}
    }

    static func run(
        proforma: String, config: String, reference: String?, sizes: [Int], dataDirectory: String?, keep: Bool,
        iterations: Int
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
                warm(path)
                // Both programs run `iterations` times, alternating, on the warmed file; medians are compared.
                var proformaRuns: [ChildRun] = []
                var duckRuns: [ChildRun] = []
                var duckFailure: String?
                for _ in 0..<iterations {
                    let run = try ChildProcess.run(
                        proforma, ["invoice", "--all-groups", "-C", config, "--usage", path, "--output-dir", output])
                    guard run.status == 0 else { throw UsageError(message: "proforma invoice failed on \(name): \(run.output)") }
                    proformaRuns.append(run)
                    if let python, let reference, FileManager.default.fileExists(atPath: reference), duckFailure == nil {
                        let duck = try ChildProcess.run(python, ["python3", reference, path, "--threads", "2"])
                        if duck.status == 0 { duckRuns.append(duck) } else { duckFailure = String(duck.output.prefix(300)) }
                    }
                }
                let run = proformaRuns.sorted { $0.wallSeconds < $1.wallSeconds }[proformaRuns.count / 2]
                let mb = Double(bytes) / 1_048_576
                line(
                    "\(name): proforma invoice --all-groups (median of \(iterations)) \(Measure.milliseconds(run.wallSeconds)) elapsed, cpu "
                        + "\(Measure.milliseconds(run.cpuSeconds)), \(String(format: "%.0f", Double(rows) / run.wallSeconds)) rows/s, "
                        + "\(String(format: "%.0f", mb / run.wallSeconds)) MB/s of \(gzip ? "compressed " : "")input, max RSS "
                        + Measure.megabytes(kilobytes: run.maxRSSKilobytes))
                var ratio: Figure?
                if !duckRuns.isEmpty {
                    let duck = duckRuns.sorted { $0.wallSeconds < $1.wallSeconds }[duckRuns.count / 2]
                    line("\(name): duckdb_reference.py \(Measure.milliseconds(duck.wallSeconds)) elapsed (process), "
                         + (duck.output.split(separator: "\n").last.map(String.init) ?? ""))
                    let speedup = duck.wallSeconds / run.wallSeconds
                    ratio = Figure(
                        name: "\(name): DuckDB time / proforma time", measured: String(format: "%.2f", speedup),
                        target: ">= 1.00", pass: speedup >= 1)
                } else if let duckFailure {
                    line("\(name): duckdb_reference.py failed (python3 -m pip install duckdb): \(duckFailure)")
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

import Foundation

/// The plan benchmark: `proforma plan` with its invoice impact over a generated legacy CUR file (5 million rows by
/// default) against a configuration of 500 billing groups, read from the file and from its usage digest, beside
/// `proforma invoice --all-groups` and the DuckDB reference scan on the same file in the same run. The figures are
/// ratios against those references, with CPU time beside elapsed time (the machine is shared).
enum PlanBench {
    /// Raises the first global markup of the configuration by one point in the working tree, uncommitted: the plan
    /// of the working tree against HEAD then reaches the groups of one pricing plan.
    static func change(_ directory: String) throws {
        let rulesFolder = directory + "/pricing/rules"
        guard let rulesName = try FileManager.default.contentsOfDirectory(atPath: rulesFolder).sorted().first else {
            throw UsageError(message: "no rules in \(rulesFolder)")
        }
        let rulesFile = rulesFolder + "/" + rulesName
        let rules = try String(contentsOfFile: rulesFile, encoding: .utf8)
        guard let modifier = rules.range(of: #"modifier_percentage: [0-9]+\.[0-9]+"#, options: .regularExpression),
            let value = Double(rules[modifier].dropFirst("modifier_percentage: ".count))
        else { throw UsageError(message: "no modifier_percentage in \(rulesFile)") }
        try rules.replacingCharacters(in: modifier, with: "modifier_percentage: " + String(format: "%.2f", value + 1))
            .write(toFile: rulesFile, atomically: true, encoding: .utf8)
    }

    static func median(_ runs: [ChildRun]) -> ChildRun {
        runs.sorted { $0.wallSeconds < $1.wallSeconds }[runs.count / 2]
    }

    static func describe(_ run: ChildRun) -> String {
        "\(Measure.milliseconds(run.wallSeconds)) elapsed, cpu \(Measure.milliseconds(run.cpuSeconds)), max RSS "
            + Measure.megabytes(kilobytes: run.maxRSSKilobytes)
    }

    static func run(
        proforma: String, reference: String?, rows: Int, groups: Int, dataDirectory: String?, keep: Bool,
        iterations: Int
    ) throws -> [Figure] {
        var template = Array((NSTemporaryDirectory() + "proforma-bench-plan-XXXXXX").utf8CString)
        guard let created = mkdtemp(&template) else { throw UsageError(message: "cannot create a temporary folder") }
        let directory = String(cString: created)
        let data = dataDirectory ?? directory
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        defer {
            if keep { line("kept \(directory)") } else { try? FileManager.default.removeItem(atPath: directory) }
        }
        let config = directory + "/config"
        var options = GeneratorOptions()
        options.groups = groups
        options.plans = max(1, groups / 10)
        options.rules = options.plans * 10
        options.items = groups * 2
        let problems = options.problems()
        guard problems.isEmpty else { throw UsageError(message: problems.joined(separator: "\n")) }
        _ = try generate(into: config, options: options, git: true)
        try change(config)
        // The accounts of the generated configuration; the file is kept in --data DIR for reuse (its name says
        // which configuration's accounts it holds).
        let name = "cur-\(rows)-groups-\(groups).csv"
        let path = data + "/" + name
        if !FileManager.default.fileExists(atPath: path) {
            let made = try ChildProcess.run(
                ChildProcess.selfPath(),
                [
                    "usage", "--format", "cur", "--rows", String(rows), "--seed", "3", "--period", "2026-10",
                    "--accounts-from", config, "-o", path,
                ])
            guard made.status == 0 else { throw UsageError(message: "generating \(name) failed: \(made.output)") }
        }
        let bytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        line(
            "\(name): \(String(format: "%.2f", Double(bytes) / 1e9)) GB, \(groups) billing groups; plan: one global "
                + "markup raised by one point in the working tree")
        InvoiceBench.warm(path)
        let python: String? = FileManager.default.isExecutableFile(atPath: "/usr/bin/env") ? "/usr/bin/env" : nil
        let digests = config + "/.proforma"
        try? FileManager.default.removeItem(atPath: digests)
        var invoices: [ChildRun] = []
        var rawPlans: [ChildRun] = []
        var ducks: [ChildRun] = []
        var duckFailure: String?
        let output = directory + "/invoices"
        // Alternating, on the warmed file.
        for _ in 0..<iterations {
            let invoice = try ChildProcess.run(
                proforma, ["invoice", "--all-groups", "-C", config, "--usage", path, "--output-dir", output])
            guard invoice.status == 0 else {
                throw UsageError(message: "invoice failed: \(invoice.output.suffix(500))")
            }
            invoices.append(invoice)
            let plan = try ChildProcess.run(proforma, ["plan", "-C", config, "--usage", path])
            guard plan.status == 0 || plan.status == 3 else {
                throw UsageError(message: "plan failed: \(plan.output.suffix(500))")
            }
            guard plan.output.contains("Invoice impact 2026-10") else {
                throw UsageError(message: "plan shows no invoice impact: \(plan.output.suffix(500))")
            }
            rawPlans.append(plan)
            if let python, let reference, FileManager.default.fileExists(atPath: reference), duckFailure == nil {
                let duck = try ChildProcess.run(python, ["python3", reference, path, "--threads", "2"])
                if duck.status == 0 { ducks.append(duck) } else { duckFailure = String(duck.output.prefix(300)) }
            }
        }
        let imported = try ChildProcess.run(proforma, ["usage", "import", "-C", config, path])
        guard imported.status == 0 else { throw UsageError(message: "usage import failed: \(imported.output)") }
        let digestName = imported.output.split(separator: "\n").first { $0.hasPrefix(".proforma/digests/") }
        let digestPath = digestName.map { config + "/" + $0 } ?? ""
        let digestBytes = (try? FileManager.default.attributesOfItem(atPath: digestPath)[.size] as? Int) ?? 0
        var digestPlans: [ChildRun] = []
        for _ in 0..<iterations {
            let plan = try ChildProcess.run(proforma, ["plan", "-C", config, "--usage", path])
            guard plan.output.contains("usage read from its digest") else {
                throw UsageError(message: "plan did not read the digest: \(plan.output.suffix(500))")
            }
            digestPlans.append(plan)
        }
        // The same plan from the digest as from the file (the notes on stderr aside).
        let rawPlan = try ChildProcess.run(proforma, ["plan", "--format", "json", "-C", config, "--usage", path])
        try? FileManager.default.removeItem(atPath: digests)
        let filePlan = try ChildProcess.run(proforma, ["plan", "--format", "json", "-C", config, "--usage", path])
        func planJSON(_ run: ChildRun) -> String {
            run.output.split(separator: "\n").filter { !$0.hasPrefix("proforma: ") }.joined(separator: "\n")
        }
        let same = planJSON(rawPlan) == planJSON(filePlan)

        let invoice = median(invoices)
        let raw = median(rawPlans)
        let fromDigest = median(digestPlans)
        line("invoice --all-groups (median of \(iterations)): " + describe(invoice))
        line("plan, from the file (median of \(iterations)): " + describe(raw))
        line("usage import: " + describe(imported))
        line(
            "  " + (imported.output.split(separator: "\n").first { $0.hasPrefix("wrote") }.map(String.init) ?? "")
                + ", \(String(format: "%.1f", Double(digestBytes) / 1e6)) MB")
        line("plan, from the digest (median of \(iterations)): " + describe(fromDigest))
        // The first plan after `usage import` finds the head's result kept and prices the base's reached accounts;
        // the later ones find both kept.
        line("plan, from the digest, first after usage import: " + describe(digestPlans[0]))
        var duck: ChildRun?
        if !ducks.isEmpty {
            duck = median(ducks)
            line(
                "duckdb_reference.py (median of \(iterations)): \(Measure.milliseconds(duck!.wallSeconds)) elapsed, "
                    + "cpu \(Measure.milliseconds(duck!.cpuSeconds))")
        } else if let duckFailure {
            line("duckdb_reference.py failed (python3 -m pip install duckdb): \(duckFailure)")
        }
        let ratio = raw.wallSeconds / invoice.wallSeconds
        let cpuRatio = raw.cpuSeconds / invoice.cpuSeconds
        var figures = [
            Figure(
                name: "plan from the file / invoice --all-groups, elapsed", measured: String(format: "%.2f", ratio),
                target: "<= 1.20", pass: ratio <= 1.2),
            Figure(
                name: "plan from the file / invoice --all-groups, CPU", measured: String(format: "%.2f", cpuRatio),
                target: "", pass: nil),
            Figure(
                name: "plan from the digest, elapsed", measured: Measure.milliseconds(fromDigest.wallSeconds),
                target: "< 1000 ms", pass: fromDigest.wallSeconds < 1),
            Figure(
                name: "plan from the digest, CPU", measured: Measure.milliseconds(fromDigest.cpuSeconds), target: "",
                pass: nil),
            Figure(
                name: "plan from the digest, first after usage import, elapsed",
                measured: Measure.milliseconds(digestPlans[0].wallSeconds), target: "", pass: nil),
            Figure(
                name: "plan from the digest / from the file, elapsed",
                measured: String(format: "%.3f", fromDigest.wallSeconds / raw.wallSeconds), target: "", pass: nil),
            Figure(
                name: "plan from the digest = plan from the file", measured: same ? "yes" : "no", target: "yes",
                pass: same),
        ]
        if let duck {
            figures.append(
                Figure(
                    name: "DuckDB scan / plan from the file, elapsed",
                    measured: String(format: "%.2f", duck.wallSeconds / raw.wallSeconds), target: "", pass: nil))
            figures.append(
                Figure(
                    name: "DuckDB scan / plan from the digest, elapsed",
                    measured: String(format: "%.1f", duck.wallSeconds / fromDigest.wallSeconds), target: "", pass: nil))
        }
        for (label, run) in [
            ("plan from the file", raw), ("plan from the digest", fromDigest), ("usage import", imported),
        ] {
            figures.append(
                Figure(
                    name: "\(label), max RSS", measured: Measure.megabytes(kilobytes: run.maxRSSKilobytes),
                    target: "< 200 MB", pass: run.maxRSSKilobytes < 200 * 1024))
        }
        figures.append(
            Figure(
                name: "digest / file size",
                measured: String(format: "%.4f", Double(digestBytes) / Double(max(bytes, 1))),
                target: "", pass: nil))
        return figures
    }
}

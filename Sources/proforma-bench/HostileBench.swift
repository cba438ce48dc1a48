import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `proforma-bench hostile`: configuration files of hostile shapes at the size limit, each validated by the real
/// `proforma validate -C DIR` in a fresh process: elapsed and CPU time, peak memory and the bytes it prints.
/// The shapes are those of `Tests/ProformaValidationTests/PathologicalInputTests.swift`, at full size.
enum HostileBench {
    /// Just under the 16 MiB a configuration file may have.
    static let defaultSize = 16 * 1_048_576 - 4_096

    static let project = "kind: Project\nname: p\nversion: 1\npayer_account_id: \"999999999999\"\n"

    /// Writes `item(i)` joined by `separator` until `size` bytes (within one item).
    static func repeated(_ size: Int, separator: String = "", _ item: (Int) -> String) -> String {
        var text = ""
        text.reserveCapacity(size + 256)
        var index = 0
        while text.utf8.count < size {
            if index > 0 { text += separator }
            text += item(index)
            index += 1
        }
        return text
    }

    /// Name and text of each shape, about `size` bytes.
    static func shapes(size: Int) -> [(name: String, text: () -> String)] {
        [
            (
                "one line: unknown rules",
                {
                    "kind: PricingPlan\nname: p\npricing_rules: [" + repeated(size - 64, separator: ", ") { "r\($0)" }
                        + "]\n"
                }
            ),
            (
                "one line: unknown fields",
                {
                    "{kind: PricingPlan, name: p, pricing_rules: [], "
                        + repeated(size - 64, separator: ", ") { "k\($0): 1" } + "}\n"
                }
            ),
            (
                "one line: duplicate keys",
                {
                    "{kind: PricingPlan, name: p, pricing_rules: [], "
                        + repeated(size - 64, separator: ", ") { _ in "a: 1" } + "}\n"
                }
            ),
            (
                "one line cut short",
                {
                    "kind: PricingPlan\nname: p\npricing_rules: [" + repeated(size - 64, separator: ", ") { _ in "r" }
                        + "\n"
                }
            ),
            (
                "one long string",
                {
                    "kind: PricingPlan\nname: p\npricing_rules: []\ndescription: "
                        + String(repeating: "x", count: size - 64)
                        + "\n"
                }
            ),
            (
                "short lines: bad references",
                {
                    repeated(size - 64, separator: "---\n") {
                        "kind: BillingGroup\nname: g\($0)\nprimary_account_id: \"\(100_000_000_000 + $0)\"\n"
                            + "account_ids: [\"\(100_000_000_000 + $0)\"]\npricing_plan: plan\($0)\n"
                    } + "---\nkind: PricingPlan\nname: standard\npricing_rules: []\n"
                }
            ),
            (
                "short lines: many plans",
                {
                    repeated(size - 64, separator: "---\n") { "kind: PricingPlan\nname: p\($0)\npricing_rules: []\n" }
                }
            ),
            (
                "deep flow nesting",
                {
                    "kind: PricingPlan\nname: p\npricing_rules: []\n---\n"
                        + repeated(size - 64, separator: "\n---\n") { _ in
                            String(repeating: "[", count: 60) + String(repeating: "]", count: 60)
                        }
                }
            ),
            (
                "many keys",
                {
                    "kind: PricingPlan\nname: p\npricing_rules: []\ntags:\n"
                        + repeated(size - 64) { "  key\($0): value\($0)\n" }
                }
            ),
            (
                "long strings",
                {
                    "kind: PricingPlan\nname: p\npricing_rules:\n"
                        + repeated(size - 64) { "  - " + String(repeating: "r\($0 % 10)", count: 2_000) + "\n" }
                }
            ),
        ]
    }

    /// Validates `text` as the one configuration file beside a project file in `directory`, in a fresh process.
    static func validate(
        _ text: String, in directory: String, _ proforma: String
    ) throws -> (bytes: Int, run: ChildRun, summary: String) {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try project.write(toFile: directory + "/proforma.yaml", atomically: true, encoding: .utf8)
        try text.write(toFile: directory + "/hostile.yaml", atomically: true, encoding: .utf8)
        let run = try ChildProcess.run(proforma, ["validate", "-C", directory])
        return (text.utf8.count, run, run.output.split(separator: "\n").last.map(String.init) ?? "")
    }

    /// Figures: per shape, CPU seconds per MiB at full size and how much the time grew from a quarter of it.
    static func run(proforma: String, size: Int, limitSecondsPerMiB: Double, keep: Bool) throws -> [Figure] {
        guard FileManager.default.isExecutableFile(atPath: proforma) else {
            throw UsageError(message: "no proforma binary at \(proforma) (pass --proforma PATH)")
        }
        var template = Array((NSTemporaryDirectory() + "proforma-hostile-XXXXXX").utf8CString)
        guard let created = mkdtemp(&template) else { throw UsageError(message: "cannot create a temporary folder") }
        let root = String(cString: created)
        defer {
            if keep { line("kept \(root)") } else { try? FileManager.default.removeItem(atPath: root) }
        }
        var figures: [Figure] = []
        let mebibytes = Double(size) / 1_048_576
        line(
            "proforma validate -C DIR on one hostile file of each shape, at \(size / 4) and \(size) bytes (\(proforma)):"
        )
        for (index, shape) in shapes(size: size).enumerated() {
            // A quarter of the size first: time in proportion to size grows 4 times, a quadratic step 16 times.
            let quarter = try validate(shapes(size: size / 4)[index].text(), in: root + "/\(index)-quarter", proforma)
            let full = try validate(shape.text(), in: root + "/\(index)", proforma)
            let growth = full.run.cpuSeconds / max(quarter.run.cpuSeconds, 0.001)
            for (label, result) in [("1/4", quarter), ("full", full)] {
                line(
                    "  \(shape.name) (\(label)): \(result.bytes) bytes, exit \(result.run.status), "
                        + "\(Measure.milliseconds(result.run.wallSeconds)) elapsed, "
                        + "cpu \(Measure.milliseconds(result.run.cpuSeconds)), "
                        + "max RSS \(Measure.megabytes(kilobytes: result.run.maxRSSKilobytes)), "
                        + "\(result.run.output.utf8.count) bytes printed; \(result.summary)")
            }
            let perMiB = full.run.cpuSeconds / mebibytes
            figures.append(
                Figure(
                    name: shape.name,
                    measured: String(format: "cpu %.2f s/MiB, x%.1f", perMiB, growth),
                    target: String(format: "%.2f s/MiB, x4 (< x6)", limitSecondsPerMiB),
                    pass: perMiB < limitSecondsPerMiB && growth < 6
                        && (full.run.status == 0 || full.run.status == 1) && full.run.output.utf8.count < 1_000_000))
        }

        // Over the limit: a sparse file of 1 GiB is refused from its size, without reading.
        let directory = root + "/over"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try project.write(toFile: directory + "/proforma.yaml", atomically: true, encoding: .utf8)
        guard FileManager.default.createFile(atPath: directory + "/huge.yaml", contents: Data("kind: x\n".utf8)),
            truncate(directory + "/huge.yaml", 1 << 30) == 0
        else { throw UsageError(message: "cannot make a sparse file in \(directory)") }
        let run = try ChildProcess.run(proforma, ["validate", "-C", directory])
        line(
            "  over the limit (1 GiB, sparse): exit \(run.status), \(Measure.milliseconds(run.wallSeconds)) elapsed, "
                + "max RSS \(Measure.megabytes(kilobytes: run.maxRSSKilobytes))")
        figures.append(
            Figure(
                name: "1 GiB file over the limit", measured: Measure.milliseconds(run.wallSeconds),
                target: "under 0.5 s",
                pass: run.wallSeconds < 0.5 && run.output.contains("PF104")))
        return figures
    }
}

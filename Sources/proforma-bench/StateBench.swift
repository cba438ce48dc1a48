import Foundation
import ProformaCore
import ProformaGit
import ProformaLoader
import ProformaModel
import ProformaState

/// The state-store benchmark: the first apply of a quota-sized configuration, an apply that changes about 1 % of
/// its resources, and `state history` over a store of 10,000 applies; with the database size after each.
enum StateBench {
    static func fileSize(_ path: String) -> Int {
        (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    }

    static func megabytes(_ bytes: Int) -> String { String(format: "%.1f MB", Double(bytes) / 1_048_576) }

    /// Sets every `modifier_percentage` in the first `files` rule files to `value` and commits: about 1 % of the
    /// quota-sized configuration's resources with 13 files of 100 rules.
    static func change(_ directory: String, files: Int, value: String) throws -> Int {
        let folder = directory + "/pricing/rules"
        var changed = 0
        for name in try FileManager.default.contentsOfDirectory(atPath: folder).sorted().prefix(files) {
            let path = folder + "/" + name
            let text = try String(contentsOfFile: path, encoding: .utf8)
            let edited = text.replacingOccurrences(
                of: #"modifier_percentage: [0-9.]+"#, with: "modifier_percentage: \(value)", options: .regularExpression
            )
            changed += text.components(separatedBy: "modifier_percentage:").count - 1
            try edited.write(toFile: path, atomically: true, encoding: .utf8)
        }
        let git = ["/usr/bin/git", "/usr/local/bin/git"].first { FileManager.default.isExecutableFile(atPath: $0) }!
        let commit = try ChildProcess.run(
            git,
            [
                "-C", directory, "-c", "user.name=proforma-bench", "-c", "user.email=bench@example.com", "commit",
                "-qam",
                "Change about 1 % of the configuration",
            ])
        guard commit.status == 0 else { throw UsageError(message: "git commit failed: \(commit.output)") }
        return changed
    }

    static func temporaryFolder(_ name: String) throws -> String {
        var template = Array((NSTemporaryDirectory() + "proforma-bench-\(name)-XXXXXX").utf8CString)
        guard let created = mkdtemp(&template) else { throw UsageError(message: "cannot create a temporary folder") }
        return String(cString: created)
    }

    static func report(_ label: String, _ run: ChildRun) {
        line(
            "  \(label): exit \(run.status), \(Measure.milliseconds(run.wallSeconds)) elapsed, cpu "
                + "\(Measure.milliseconds(run.cpuSeconds)), max RSS \(Measure.megabytes(kilobytes: run.maxRSSKilobytes))"
        )
        if run.status != 0 { line(run.output) }
    }

    static func run(proforma: String, options: GeneratorOptions, applies: Int, keep: Bool) throws -> [Figure] {
        var figures: [Figure] = []
        // 1. The first apply of the quota-sized configuration, then an apply changing about 1 % of it.
        let directory = try temporaryFolder("state")
        defer {
            if keep { line("kept \(directory)") } else { try? FileManager.default.removeItem(atPath: directory) }
        }
        let summary = try generate(into: directory, options: options, git: true)
        let database = directory + "/.proforma/state.db"
        line("\nend to end: \(proforma) apply --yes on \(summary.resources) resources:")
        let first = try ChildProcess.run(proforma, ["apply", "-C", directory, "--yes", "--actor", "bench"])
        report("first apply", first)
        let firstSize = fileSize(database)
        line("    database: \(megabytes(firstSize))")
        let changed = try change(directory, files: max(1, summary.resources / 100 / 100), value: "7.25")
        let second = try ChildProcess.run(proforma, ["apply", "-C", directory, "--yes", "--actor", "bench"])
        report("apply changing \(changed) rules", second)
        let secondSize = fileSize(database)
        line("    " + (second.output.split(separator: "\n").last.map(String.init) ?? ""))
        line("    database: \(megabytes(secondSize)) (+\(megabytes(secondSize - firstSize)))")
        let history = try ChildProcess.run(proforma, ["state", "history", "-C", directory])
        report("state history (2 applies)", history)
        figures += [
            Figure(
                name: "first apply (\(summary.resources) resources): elapsed",
                measured: Measure.milliseconds(first.wallSeconds), target: "", pass: first.status == 0),
            Figure(
                name: "first apply: max RSS", measured: Measure.megabytes(kilobytes: first.maxRSSKilobytes),
                target: "< 500 MB", pass: first.maxRSSKilobytes < 500 * 1024),
            Figure(name: "first apply: database", measured: megabytes(firstSize), target: "", pass: nil),
            Figure(
                name: "apply changing \(changed) rules: elapsed", measured: Measure.milliseconds(second.wallSeconds),
                target: "", pass: second.status == 0),
            Figure(
                name: "apply changing \(changed) rules: database growth", measured: megabytes(secondSize - firstSize),
                target: "", pass: nil),
        ]

        // 2. A store of many applies of a small configuration, written through the library, then `state history`.
        let small = try temporaryFolder("state-history")
        defer {
            if keep { line("kept \(small)") } else { try? FileManager.default.removeItem(atPath: small) }
        }
        var smallOptions = GeneratorOptions()
        (smallOptions.groups, smallOptions.plans, smallOptions.rules, smallOptions.items) = (5, 5, 50, 50)
        (smallOptions.largestGroup, smallOptions.accountsPerGroup) = (10, 2)
        let smallSummary = try generate(into: small, options: smallOptions, git: false)
        let loaded = try ConfigurationLoader().load(from: DirectoryFileTree(root: small))
        var configuration = loaded.configuration
        guard let ruleIndex = configuration.pricingRules.firstIndex(where: { $0.modifierPercentage != nil }) else {
            throw UsageError(message: "the small configuration has no rule with a modifier")
        }
        // Set-up only: these applies do not wait for the disk (synchronous = OFF); every real apply does.
        let backend = SQLiteStateBackend(
            path: small + "/.proforma/state.db", location: ".proforma/state.db", durable: false)
        let store = StateStore(backend: backend)
        let period = BillingPeriod("2026-12")!
        let start = Measure.now()
        for index in 0..<applies {
            configuration.pricingRules[ruleIndex].modifierPercentage = ExactDecimal(
                significand: Int128(index % 9_999 + 1), scale: 2)
            let candidate = ApplyCandidate(
                configuration: configuration, revision: "HEAD", commit: String(repeating: "0", count: 40), dirty: false,
                actor: "bench", toolVersion: "bench", period: period, currentPeriod: period, backfill: false)
            let prepared = try store.prepare(candidate)
            if !prepared.isUnchanged { _ = try store.commit(prepared) }
        }
        let writing = Measure.now() - start
        let historySize = fileSize(small + "/.proforma/state.db")
        line(
            "\n\(applies) applies of \(smallSummary.resources) resources through the library: \(Measure.milliseconds(writing)) (\(Measure.milliseconds(writing / Double(max(1, applies)))) each), database \(megabytes(historySize))"
        )
        let full = try ChildProcess.run(proforma, ["state", "history", "-C", small])
        report("state history (\(applies) applies)", full)
        let recent = try ChildProcess.run(proforma, ["state", "history", "-C", small, "-n", "20"])
        report("state history -n 20", recent)
        figures += [
            Figure(
                name: "state history, \(applies) applies: elapsed", measured: Measure.milliseconds(full.wallSeconds),
                target: "< 1000 ms", pass: full.status == 0 && full.wallSeconds < 1),
            Figure(
                name: "state history -n 20: elapsed", measured: Measure.milliseconds(recent.wallSeconds), target: "",
                pass: recent.status == 0),
            Figure(name: "\(applies) applies: database", measured: megabytes(historySize), target: "", pass: nil),
        ]
        return figures
    }
}

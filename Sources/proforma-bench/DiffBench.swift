import Foundation

/// The diff benchmark: a quota-sized configuration in git, then a second commit that changes one pricing rule and
/// moves 100 accounts from the largest billing group to another; `proforma diff HEAD~1 HEAD` is timed on it.
enum DiffBench {
    /// Makes the second commit in `directory` (generated with --git).
    static func change(_ directory: String) throws {
        let groupsFile = directory + "/billing-groups/billing-groups-0000.yaml"
        var documents = try String(contentsOfFile: groupsFile, encoding: .utf8).components(separatedBy: "\n---\n")
        guard documents.count >= 2 else { throw UsageError(message: "\(groupsFile) has fewer than two groups") }
        var first = documents[0].components(separatedBy: "\n")
        let items = first.indices.filter { first[$0].hasPrefix("  - \"") }
        guard items.count > 101 else { throw UsageError(message: "the first group has fewer than 101 accounts") }
        let moving = Array(items[1...100]).map { first[$0] }
        first.removeSubrange(items[1]...items[100])
        documents[0] = first.joined(separator: "\n")
        // The second group's list may be a block or a flow list.
        if let block = documents[1].range(of: "account_ids:\n") {
            documents[1].replaceSubrange(block, with: "account_ids:\n" + moving.joined(separator: "\n") + "\n")
        } else if let flow = documents[1].range(of: "account_ids: [") {
            let quoted = moving.map { $0.trimmingCharacters(in: .whitespaces).dropFirst(2) }
            documents[1].replaceSubrange(flow, with: "account_ids: [" + quoted.joined(separator: ", ") + ", ")
        } else {
            throw UsageError(message: "the second group has no account_ids")
        }
        try documents.joined(separator: "\n---\n").write(toFile: groupsFile, atomically: true, encoding: .utf8)

        let rulesFolder = directory + "/pricing/rules"
        guard let rulesName = try FileManager.default.contentsOfDirectory(atPath: rulesFolder).sorted().first else {
            throw UsageError(message: "no rules in \(rulesFolder)")
        }
        let rulesFile = rulesFolder + "/" + rulesName
        let rules = try String(contentsOfFile: rulesFile, encoding: .utf8)
        guard let modifier = rules.range(of: #"modifier_percentage: [0-9.]+"#, options: .regularExpression) else {
            throw UsageError(message: "no modifier_percentage in \(rulesFile)")
        }
        try rules.replacingCharacters(in: modifier, with: "modifier_percentage: 42.5")
            .write(toFile: rulesFile, atomically: true, encoding: .utf8)
        let git = ["/usr/bin/git", "/usr/local/bin/git"].first { FileManager.default.isExecutableFile(atPath: $0) }!
        let commit = try ChildProcess.run(
            git, ["-C", directory, "-c", "user.name=proforma-bench", "-c", "user.email=bench@example.com", "commit", "-qam",
                  "Change one rule, move 100 accounts"])
        guard commit.status == 0 else { throw UsageError(message: "git commit failed: \(commit.output)") }
    }

    /// Generates, changes and times `proforma diff HEAD~1 HEAD`; returns the figures for the summary table.
    static func run(proforma: String, iterations: Int, options: GeneratorOptions, keep: Bool) throws -> [Figure] {
        var template = Array((NSTemporaryDirectory() + "proforma-bench-diff-XXXXXX").utf8CString)
        guard let created = mkdtemp(&template) else { throw UsageError(message: "cannot create a temporary folder") }
        let directory = String(cString: created)
        defer {
            if keep { line("kept \(directory)") } else { try? FileManager.default.removeItem(atPath: directory) }
        }
        _ = try generate(into: directory, options: options, git: true)
        try change(directory)
        line("\nend to end: \(proforma) diff HEAD~1 HEAD (\(iterations) runs):")
        var runs: [ChildRun] = []
        for index in 1...iterations {
            let run = try ChildProcess.run(proforma, ["diff", "-C", directory, "HEAD~1", "HEAD"])
            runs.append(run)
            line(
                "  run \(index): exit \(run.status), \(Measure.milliseconds(run.wallSeconds)) elapsed, cpu "
                    + "\(Measure.milliseconds(run.cpuSeconds)), max RSS \(Measure.megabytes(kilobytes: run.maxRSSKilobytes))")
        }
        let summary = runs.last!.output.split(separator: "\n").last.map(String.init) ?? ""
        line("    \(summary)")
        let wall = Measure.median(runs.map(\.wallSeconds))
        return [
            Figure(
                name: "proforma diff: changes", measured: summary, target: "0 to add, 3 to change, 0 to destroy.",
                pass: summary == "0 to add, 3 to change, 0 to destroy."),
            Figure(name: "proforma diff: elapsed, median", measured: Measure.milliseconds(wall), target: "< 2000 ms", pass: wall < 2),
            Figure(name: "proforma diff: CPU (user+sys), median", measured: Measure.milliseconds(Measure.median(runs.map(\.cpuSeconds))), target: "", pass: nil),
            Figure(
                name: "proforma diff: max RSS", measured: Measure.megabytes(kilobytes: runs.map(\.maxRSSKilobytes).max() ?? 0),
                target: "< 500 MB", pass: (runs.map(\.maxRSSKilobytes).max() ?? 0) < 500 * 1024),
        ]
    }
}

import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// proforma-bench: generates configurations at AWS Billing Conductor's quotas and measures how long
/// `proforma validate` takes on them and how much memory it needs.

let usage = """
    usage: proforma-bench generate DIR [--git] [size options]
           proforma-bench validate DIR [--iterations N] [--machine]
           proforma-bench run [--iterations N] [--proforma PATH] [--keep] [--git] [size options]
           proforma-bench load-files DIR [--threads N]
           proforma-bench diff [--iterations N] [--proforma PATH] [--keep] [size options]
           proforma-bench state [--applies 10000] [--proforma PATH] [--keep] [size options]
           proforma-bench invoice [--rows 1000000,5000000] [--iterations 3] [--config DIR] [--data DIR] [--reference PY] [--keep]
           proforma-bench plan [--rows 5000000] [--groups 500] [--iterations 3] [--data DIR] [--reference PY] [--keep]
           proforma-bench sql [--rows 1000000] [--config DIR] [--data DIR] [--harness PY] [--keep]
           proforma-bench hostile [--size BYTES] [--limit SECONDS_PER_MIB] [--proforma PATH] [--keep]
           proforma-bench usage --format cur|cur2|focus --rows N -o FILE [--seed S] [--period YYYY-MM]...
                                [--accounts-from DIR] [--accounts N] [--gzip]   (see bench/USAGE-GENERATOR.md)

    generate   writes a valid configuration repository into DIR (a new or empty folder); with --git it is
               also made a git repository with everything committed, so `proforma validate HEAD` can be timed
    validate   loads and validates DIR in this process N times (default 3); prints wall and CPU time,
               peak resident memory (VmHWM), files, resources and diagnostics per run, and the median
    run        generate into a temporary folder, then validate it in a fresh process and time the real
               `proforma validate -C DIR` (default: the proforma binary beside this one); prints a summary
               against the targets (under 2 s, under 500 MB) and exits 1 when a figure fails; with --git
               also `proforma validate HEAD` (read from git objects through libgit2)
    diff       generate into a temporary git repository, commit a change of one pricing rule and of 100
               accounts moved between billing groups, and time `proforma diff HEAD~1 HEAD` (target under 2 s)
    state      generate a quota-sized git repository, time the first `proforma apply --yes`, then an apply
               changing about 1 % of the resources (every modifier in 13 rule files), with the database size;
               then write N applies (default 10,000) of a small configuration through the library and time
               `proforma state history` on them (target under 1 s)
    invoice    generate legacy CUR files of the given sizes (plain and gzip; kept in --data DIR for reuse),
               warm the page cache, then time `proforma invoice --all-groups` and the DuckDB reference scan on the
               same file, alternating, N times each (medians compared)
               (python3 -m pip install duckdb); prints rows/s, MB/s, peak memory and the ratio (targets:
               not slower than DuckDB, under 200 MB)
    plan       generate a configuration of --groups billing groups in git, raise one markup in the working tree,
               generate a legacy CUR of --rows rows with its accounts (kept in --data DIR for reuse), then time
               `proforma plan` from the file, `usage import`, and `plan` from the digest, beside
               `invoice --all-groups` and the DuckDB reference scan on the same file (targets: plan from the file
               within 1.2 times invoice, from the digest under 1 s, under 200 MB)
    sql        generate legacy CUR files of the given sizes (kept in --data DIR for reuse), then time
               `proforma invoice --all-groups` and the query of `proforma sql --dialect duckdb` run by DuckDB on the
               same file, loaded as text by the tests' harness (python3 -m pip install duckdb); prints both times and
               the rows of the query's steps: usage lines, the distinct keys rules are resolved for, rule matches
    hostile    writes one configuration file of each hostile shape (one huge line, many short lines, deep flow
               nesting, many keys, long strings), at a quarter of --size and at --size (default just under the
               16 MiB limit), and times `proforma validate -C DIR` on each, then on a sparse 1 GiB file over the
               limit; exits 1 when a shape takes more CPU than --limit seconds per MiB (default 1) or its time grows
               more than 6 times from the quarter size (4 is proportional to size, 16 quadratic)
    load-files an experiment for the profile: reads DIR's files one by one through the loader's single-file
               entry point, on one thread and on N (default: the number of cores), to show what a loader
               that reads files in parallel could save (the merge of the files is left out)

    size options (defaults: ABC's quotas per payer account)
      --groups N              billing groups (5000)
      --plans N               pricing plans, at most --groups; group g uses plan g mod N (5000)
      --rules N               pricing rules, spread evenly over the plans (50000)
      --items N               custom line items, spread evenly over the groups (50000)
      --largest-group N       accounts of the first billing group, at most 1000 (1000)
      --accounts-per-group N  average accounts of the other groups; sizes cycle 1 ... 2N-1 (4)
      --per-file N            resources per file (100)

    """

struct UsageError: Error {
    var message: String
}

/// Command-line arguments: positionals and `--name value` options, `--flag` flags.
struct Arguments {
    var positionals: [String] = []
    var options: [String: String] = [:]
    var flags: Set<String> = []

    static let flagNames: Set<String> = ["--machine", "--keep", "--git", "--help", "-h"]

    init(_ arguments: ArraySlice<String>) throws {
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            if Self.flagNames.contains(argument) {
                flags.insert(argument)
            } else if argument.hasPrefix("--") {
                if let equals = argument.firstIndex(of: "=") {
                    options[String(argument[..<equals])] = String(argument[argument.index(after: equals)...])
                } else {
                    guard let value = iterator.next() else { throw UsageError(message: "\(argument) needs a value") }
                    options[argument] = value
                }
            } else {
                positionals.append(argument)
            }
        }
    }

    mutating func integer(_ name: String, default value: Int) throws -> Int {
        guard let text = options.removeValue(forKey: name) else { return value }
        guard let number = Int(text.replacingOccurrences(of: "_", with: "")) else {
            throw UsageError(message: "\(name) must be a whole number, not \"\(text)\"")
        }
        return number
    }

    mutating func text(_ name: String) -> String? { options.removeValue(forKey: name) }

    mutating func generatorOptions() throws -> GeneratorOptions {
        var options = GeneratorOptions()
        options.groups = try integer("--groups", default: options.groups)
        options.plans = try integer("--plans", default: options.plans)
        options.rules = try integer("--rules", default: options.rules)
        options.items = try integer("--items", default: options.items)
        options.largestGroup = try integer("--largest-group", default: options.largestGroup)
        options.accountsPerGroup = try integer("--accounts-per-group", default: options.accountsPerGroup)
        options.perFile = try integer("--per-file", default: options.perFile)
        let problems = options.problems()
        if !problems.isEmpty { throw UsageError(message: problems.joined(separator: "\n")) }
        return options
    }

    /// Fails on options nobody read.
    func finish() throws {
        if let unknown = options.keys.sorted().first { throw UsageError(message: "unknown option \(unknown)") }
    }
}

func standardError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

func line(_ text: String) {
    print(text)
    fflush(nil)
}

// MARK: generate

func generate(into path: String, options: GeneratorOptions, git: Bool) throws -> GeneratedSummary {
    let url = URL(fileURLWithPath: path)
    if let existing = try? FileManager.default.contentsOfDirectory(atPath: path), !existing.isEmpty {
        throw UsageError(message: "\(path) is not empty; choose a new or empty folder")
    }
    let start = Measure.now()
    var generator = Generator(options: options, directory: url)
    let summary = try generator.run()
    line(
        "generated \(path) in \(Measure.milliseconds(Measure.now() - start)): \(summary.files) files, "
            + String(format: "%.1f MB", Double(summary.bytes) / 1_048_576) + ", \(summary.resources) resources "
            + "(1 project, \(summary.accounts) accounts, \(summary.groups) billing groups, \(summary.plans) pricing plans, "
            + "\(summary.rules) pricing rules, \(summary.items) custom line items)")
    if git { try commit(path) }
    return summary
}

/// Makes `path` a git repository with everything committed, through the git command.
func commit(_ path: String) throws {
    let git = ["/usr/bin/git", "/usr/local/bin/git"].first { FileManager.default.isExecutableFile(atPath: $0) }
    guard let git else { throw UsageError(message: "--git needs the git command (not found in /usr/bin or /usr/local/bin)") }
    let start = Measure.now()
    for arguments in [
        ["-C", path, "init", "-q"],
        ["-C", path, "add", "-A"],
        ["-C", path, "-c", "user.name=proforma-bench", "-c", "user.email=bench@example.com", "commit", "-q", "-m",
         "Generated configuration"],
    ] {
        let run = try ChildProcess.run(git, arguments)
        guard run.status == 0 else {
            throw UsageError(message: "git \(arguments.dropFirst(2).joined(separator: " ")) failed: \(run.output)")
        }
    }
    line("committed \(path) in \(Measure.milliseconds(Measure.now() - start))")
}

// MARK: run

/// One line of the summary table.
struct Figure {
    var name: String
    var measured: String
    var target: String
    var pass: Bool?
}

func printTable(_ figures: [Figure]) {
    let widths = [
        max(6, figures.map(\.name.count).max() ?? 0), max(8, figures.map(\.measured.count).max() ?? 0),
        max(6, figures.map(\.target.count).max() ?? 0),
    ]
    func pad(_ text: String, _ width: Int) -> String { text + String(repeating: " ", count: max(0, width - text.count)) }
    line("\(pad("figure", widths[0]))  \(pad("measured", widths[1]))  \(pad("target", widths[2]))  result")
    line(String(repeating: "-", count: widths.reduce(0, +) + 14))
    for figure in figures {
        let result = figure.pass.map { $0 ? "PASS" : "FAIL" } ?? ""
        line("\(pad(figure.name, widths[0]))  \(pad(figure.measured, widths[1]))  \(pad(figure.target, widths[2]))  \(result)")
    }
}

/// Parses the `BENCH key=value ...` line that `validate --machine` prints last.
func machineFigures(_ output: String) -> [String: String]? {
    guard let last = output.split(separator: "\n").last(where: { $0.hasPrefix("BENCH ") }) else { return nil }
    var values: [String: String] = [:]
    for pair in last.dropFirst(6).split(separator: " ") {
        let parts = pair.split(separator: "=", maxSplits: 1)
        if parts.count == 2 { values[String(parts[0])] = String(parts[1]) }
    }
    return values
}

func runAll(_ arguments: inout Arguments) throws -> Int32 {
    let options = try arguments.generatorOptions()
    let iterations = try arguments.integer("--iterations", default: 3)
    let selfPath = ChildProcess.selfPath()
    let proforma = arguments.text("--proforma")
        ?? URL(fileURLWithPath: selfPath).deletingLastPathComponent().appendingPathComponent("proforma").path
    let keep = arguments.flags.contains("--keep")
    let git = arguments.flags.contains("--git")
    try arguments.finish()
    guard iterations >= 1 else { throw UsageError(message: "--iterations must be at least 1") }

    var template = Array((NSTemporaryDirectory() + "proforma-bench-XXXXXX").utf8CString)
    guard let created = mkdtemp(&template) else { throw UsageError(message: "cannot create a temporary folder") }
    let directory = String(cString: created)
    defer {
        if keep {
            line("kept \(directory)")
        } else {
            try? FileManager.default.removeItem(atPath: directory)
        }
    }
    let summary = try generate(into: directory, options: options, git: git)

    // In a fresh process, so that generating leaves nothing behind in the figures.
    line("\nin-process load + validate (proforma-bench validate, \(iterations) runs):")
    let child = try ChildProcess.run(selfPath, ["validate", directory, "--iterations", String(iterations), "--machine"])
    for outputLine in child.output.split(separator: "\n") where !outputLine.hasPrefix("BENCH ") {
        line("  " + outputLine)
    }
    guard let inProcess = machineFigures(child.output) else {
        throw UsageError(message: "proforma-bench validate failed (status \(child.status))")
    }

    let hasCLI = FileManager.default.isExecutableFile(atPath: proforma)
    var endToEnd: [(label: String, runs: [ChildRun])] = []
    if hasCLI {
        var commands = [(label: "proforma validate", arguments: ["validate", "-C", directory])]
        if git { commands.append((label: "proforma validate HEAD", arguments: ["validate", "HEAD", "-C", directory])) }
        for command in commands {
            line("\nend to end: \(proforma) \(command.arguments.joined(separator: " ")) (\(iterations) runs):")
            var runs: [ChildRun] = []
            for index in 1...iterations {
                let run = try ChildProcess.run(proforma, command.arguments)
                runs.append(run)
                line(
                    "  run \(index): exit \(run.status), \(Measure.milliseconds(run.wallSeconds)) elapsed, "
                        + "cpu \(Measure.milliseconds(run.cpuSeconds)), max RSS \(Measure.megabytes(kilobytes: run.maxRSSKilobytes))")
                if index == 1 {
                    for outputLine in run.output.split(separator: "\n").prefix(5) { line("    " + outputLine) }
                }
            }
            endToEnd.append((command.label, runs))
        }
    } else {
        line("\nno proforma binary at \(proforma): end-to-end figures skipped (pass --proforma PATH)")
    }

    let wall = Double(inProcess["median_wall"] ?? "") ?? .infinity
    let peak = Int(inProcess["max_peak_kb"] ?? "") ?? .max
    let diagnostics = Int(inProcess["diagnostics"] ?? "") ?? -1
    let limitSeconds = 2.0
    let limitKilobytes = 500 * 1024
    var figures = [
        Figure(
            name: "configuration", measured: "\(inProcess["files"] ?? "?") files, \(inProcess["resources"] ?? "?") resources",
            target: "\(summary.files) files, \(summary.resources) resources",
            pass: inProcess["files"] == String(summary.files) && inProcess["resources"] == String(summary.resources)),
        Figure(name: "diagnostics", measured: String(diagnostics), target: "0", pass: diagnostics == 0),
        Figure(
            name: "in-process load+validate+release, median", measured: Measure.milliseconds(wall), target: "< 2000 ms",
            pass: wall < limitSeconds),
        Figure(
            name: "in-process CPU (user+sys), median", measured: Measure.milliseconds(Double(inProcess["median_cpu"] ?? "") ?? .nan),
            target: "", pass: nil),
        Figure(
            name: "in-process peak RSS (VmHWM)", measured: Measure.megabytes(kilobytes: peak), target: "< 500 MB",
            pass: peak < limitKilobytes),
    ]
    for (label, runs) in endToEnd {
        let cliWall = Measure.median(runs.map(\.wallSeconds))
        let cliPeak = runs.map(\.maxRSSKilobytes).max() ?? 0
        let statuses = Set(runs.map(\.status))
        figures += [
            Figure(
                name: "\(label): exit status", measured: statuses.sorted().map(String.init).joined(separator: ","),
                target: "0", pass: statuses == [0]),
            Figure(
                name: "\(label): elapsed, median", measured: Measure.milliseconds(cliWall), target: "< 2000 ms",
                pass: cliWall < limitSeconds),
            Figure(
                name: "\(label): CPU (user+sys), median", measured: Measure.milliseconds(Measure.median(runs.map(\.cpuSeconds))),
                target: "", pass: nil),
            Figure(
                name: "\(label): max RSS", measured: Measure.megabytes(kilobytes: cliPeak), target: "< 500 MB",
                pass: cliPeak < limitKilobytes),
        ]
    }
    line("")
    printTable(figures)
    line("(elapsed time is the target; CPU time is shown because on a shared machine it varies less)")
    return figures.allSatisfy { $0.pass != false } ? 0 : 1
}

// MARK: main

func main() -> Int32 {
    let all = CommandLine.arguments
    guard all.count >= 2 else {
        standardError(usage)
        return 64
    }
    do {
        var arguments = try Arguments(all.dropFirst(2))
        if arguments.flags.contains("--help") || arguments.flags.contains("-h") || ["help", "--help", "-h"].contains(all[1]) {
            print(usage)
            return 0
        }
        switch all[1] {
        case "generate":
            guard arguments.positionals.count == 1 else { throw UsageError(message: "generate takes one folder") }
            let options = try arguments.generatorOptions()
            try arguments.finish()
            let git = arguments.flags.contains("--git")
            _ = try generate(into: arguments.positionals[0], options: options, git: git)
            return 0
        case "validate":
            guard arguments.positionals.count == 1 else { throw UsageError(message: "validate takes one folder") }
            let iterations = try arguments.integer("--iterations", default: 3)
            let machine = arguments.flags.contains("--machine")
            try arguments.finish()
            guard iterations >= 1 else { throw UsageError(message: "--iterations must be at least 1") }
            let directory = arguments.positionals[0]
            guard FileManager.default.fileExists(atPath: directory + "/proforma.yaml") else {
                throw UsageError(message: "no proforma.yaml in \(directory)")
            }
            let runs = try ValidateBench.run(directory: directory, iterations: iterations, print: line)
            if machine, let first = runs.first {
                line(
                    "BENCH median_wall=\(Measure.median(runs.map(\.wallSeconds))) "
                        + "median_cpu=\(Measure.median(runs.map(\.cpuSeconds))) "
                        + "max_peak_kb=\(runs.map(\.peakKilobytes).max() ?? 0) files=\(first.files) "
                        + "resources=\(first.resources) diagnostics=\(first.diagnostics)")
            }
            return runs.contains { $0.errors > 0 } ? 1 : 0
        case "load-files":
            guard arguments.positionals.count == 1 else { throw UsageError(message: "load-files takes one folder") }
            let threads = try arguments.integer("--threads", default: ProcessInfo.processInfo.activeProcessorCount)
            try arguments.finish()
            guard threads >= 1 else { throw UsageError(message: "--threads must be at least 1") }
            try ParallelLoad.run(directory: arguments.positionals[0], threads: threads, print: line)
            return 0
        case "run":
            guard arguments.positionals.isEmpty else { throw UsageError(message: "run takes no folder") }
            return try runAll(&arguments)
        case "invoice":
            guard arguments.positionals.isEmpty else { throw UsageError(message: "invoice takes no folder") }
            let selfDirectory = URL(fileURLWithPath: ChildProcess.selfPath()).deletingLastPathComponent()
            let proforma = arguments.text("--proforma") ?? selfDirectory.appendingPathComponent("proforma").path
            let config = arguments.text("--config") ?? "examples/msp"
            let reference = arguments.text("--reference") ?? "../shared/bench/duckdb_reference.py"
            let sizes = (arguments.text("--rows") ?? "1000000,5000000").split(separator: ",").compactMap { Int($0) }
            let data = arguments.text("--data")
            let keep = arguments.flags.contains("--keep")
            let iterations = try arguments.integer("--iterations", default: 3)
            try arguments.finish()
            guard !sizes.isEmpty else { throw UsageError(message: "--rows takes comma-separated row counts") }
            guard iterations >= 1 else { throw UsageError(message: "--iterations must be at least 1") }
            let figures = try InvoiceBench.run(
                proforma: proforma, config: config, reference: reference, sizes: sizes, dataDirectory: data, keep: keep,
                iterations: iterations)
            line("")
            printTable(figures)
            return figures.contains { $0.pass == false } ? 1 : 0
        case "plan":
            guard arguments.positionals.isEmpty else { throw UsageError(message: "plan takes no folder") }
            let selfDirectory = URL(fileURLWithPath: ChildProcess.selfPath()).deletingLastPathComponent()
            let proforma = arguments.text("--proforma") ?? selfDirectory.appendingPathComponent("proforma").path
            let reference = arguments.text("--reference") ?? "../shared/bench/duckdb_reference.py"
            let rows = try arguments.integer("--rows", default: 5_000_000)
            let groups = try arguments.integer("--groups", default: 500)
            let data = arguments.text("--data")
            let keep = arguments.flags.contains("--keep")
            let iterations = try arguments.integer("--iterations", default: 3)
            try arguments.finish()
            guard rows >= 1, groups >= 2, iterations >= 1 else {
                throw UsageError(message: "--rows, --groups (at least 2) and --iterations must be positive")
            }
            let figures = try PlanBench.run(
                proforma: proforma, reference: reference, rows: rows, groups: groups, dataDirectory: data, keep: keep,
                iterations: iterations)
            line("")
            printTable(figures)
            return figures.contains { $0.pass == false } ? 1 : 0
        case "sql":
            guard arguments.positionals.isEmpty else { throw UsageError(message: "sql takes no folder") }
            let selfDirectory = URL(fileURLWithPath: ChildProcess.selfPath()).deletingLastPathComponent()
            let proforma = arguments.text("--proforma") ?? selfDirectory.appendingPathComponent("proforma").path
            let config = arguments.text("--config") ?? "examples/msp"
            let harness = arguments.text("--harness") ?? "Tests/ProformaSQLTests/Harness/sql_harness.py"
            let sizes = (arguments.text("--rows") ?? "1000000").split(separator: ",").compactMap { Int($0) }
            let data = arguments.text("--data")
            let keep = arguments.flags.contains("--keep")
            try arguments.finish()
            guard !sizes.isEmpty else { throw UsageError(message: "--rows takes comma-separated row counts") }
            let figures = try SQLBench.run(
                proforma: proforma, config: config, harness: harness, sizes: sizes, dataDirectory: data, keep: keep)
            line("")
            printTable(figures)
            return 0
        case "hostile":
            guard arguments.positionals.isEmpty else { throw UsageError(message: "hostile takes no folder") }
            let selfDirectory = URL(fileURLWithPath: ChildProcess.selfPath()).deletingLastPathComponent()
            let proforma = arguments.text("--proforma") ?? selfDirectory.appendingPathComponent("proforma").path
            let size = try arguments.integer("--size", default: HostileBench.defaultSize)
            let limit = Double(arguments.text("--limit") ?? "1") ?? 1
            let keep = arguments.flags.contains("--keep")
            try arguments.finish()
            guard size >= 1_000 else { throw UsageError(message: "--size must be at least 1000 bytes") }
            let figures = try HostileBench.run(proforma: proforma, size: size, limitSecondsPerMiB: limit, keep: keep)
            line("")
            printTable(figures)
            return figures.contains { $0.pass == false } ? 1 : 0
        case "state":
            guard arguments.positionals.isEmpty else { throw UsageError(message: "state takes no folder") }
            let options = try arguments.generatorOptions()
            let applies = try arguments.integer("--applies", default: 10_000)
            let beside = URL(fileURLWithPath: ChildProcess.selfPath()).deletingLastPathComponent()
            let proforma = arguments.text("--proforma") ?? beside.appendingPathComponent("proforma").path
            let keep = arguments.flags.contains("--keep")
            try arguments.finish()
            let figures = try StateBench.run(proforma: proforma, options: options, applies: applies, keep: keep)
            line("")
            printTable(figures)
            return figures.contains { $0.pass == false } ? 1 : 0
        case "diff":
            guard arguments.positionals.isEmpty else { throw UsageError(message: "diff takes no folder") }
            let options = try arguments.generatorOptions()
            let iterations = try arguments.integer("--iterations", default: 3)
            let proforma = arguments.text("--proforma")
                ?? URL(fileURLWithPath: ChildProcess.selfPath()).deletingLastPathComponent().appendingPathComponent("proforma").path
            let keep = arguments.flags.contains("--keep")
            try arguments.finish()
            guard iterations >= 1 else { throw UsageError(message: "--iterations must be at least 1") }
            let figures = try DiffBench.run(proforma: proforma, iterations: iterations, options: options, keep: keep)
            line("")
            printTable(figures)
            return figures.contains { $0.pass == false } ? 1 : 0
        default:
            throw UsageError(message: "unknown command \"\(all[1])\"")
        }
    } catch let error as UsageError {
        standardError("proforma-bench: " + error.message)
        standardError("run `proforma-bench --help` for usage")
        return 64
    } catch {
        standardError("proforma-bench: \(error)")
        return 1
    }
}

// `proforma-bench usage …` writes a synthetic usage file (UsageGenerator.swift).
if CommandLine.arguments.count >= 2 && CommandLine.arguments[1] == "usage" {
    exit(UsageGeneratorCommand.run(Array(CommandLine.arguments.dropFirst(2))))
}
exit(main())

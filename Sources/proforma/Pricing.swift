import ArgumentParser
import Foundation
import ProformaCore
import ProformaEngine
import ProformaGit
import ProformaLoader
import ProformaModel
import ProformaPlan
import ProformaUsage

/// Options of the commands that price usage data.
struct UsageOptions: ParsableArguments {
    @Option(
        name: .customLong("usage"),
        help: ArgumentHelp(
            "A usage file (CUR, CUR 2.0 or FOCUS CSV, plain or gzip); repeatable. Default: the project's usage files.",
            valueName: "file"))
    var files: [String] = []

    @Flag(help: "Skip rows that cannot be read, counting and reporting them, instead of stopping at the first.")
    var skipInvalidRows = false
}

/// A configuration priced against usage data, with where both came from.
struct PricedUsage {
    var result: BillingResult
    var loaded: LoadedConfiguration
    var source: ConfigurationSource
    /// The commit the configuration was read from, nil for the working tree.
    var commit: String?
    var usageFiles: [String]
}

enum Pricing {
    /// Loads the configuration (refusing one with errors), reads every usage file through the engine, and returns
    /// the result for `periods` (default: every period in the data).
    static func run(
        repository: RepositoryOptions, revision: String?, usage: UsageOptions, periods: [BillingPeriod]?
    ) throws -> PricedUsage {
        let source = try Workspace.source(repository, revision: revision)
        let loaded = try ConfigurationLoader().load(from: source.tree, root: source.root)
        let errors = loaded.diagnostics.filter { $0.severity == .error }
        if let first = errors.first {
            throw UserError(
                message: "the configuration has \(errors.count) error\(errors.count == 1 ? "" : "s"), first: \(first.location.map { "\($0): " } ?? "")\(first.message)",
                hint: "run `proforma validate\(revision.map { " " + $0 } ?? "")` to see them all")
        }
        let files = try usageFiles(usage, loaded: loaded, repository: repository, source: source)
        let pipeline = PricingPipeline(engine: PricingEngine(configuration: loaded.configuration))
        let progress = Progress(enabled: Terminal.colorEnabled(for: STDERR_FILENO))
        let options = UsageReadOptions(skipInvalidRows: usage.skipInvalidRows)
        let scan = UsageScan(inputs: files.map { UsageInput(path: $0) }, options: options)
        let summary: UsageScanSummary
        do {
            defer { progress.clear() }  // also when reading fails: the error line starts on a clean line
            summary = try scan.forEach(
                progress: { progress.update($0) },
                { line, input in try pipeline.add(line, file: files[input]) })
        }
        let engine = try pipeline.finish()
        for note in summary.skippedRowsNotes { Terminal.error("proforma: warning: \(note)") }
        if let note = summary.roundedValuesNote { Terminal.error("proforma: note: \(note)") }
        let result = try engine.result(periods: periods)
        var described = source
        var commit = (source.tree as? GitCommitFileTree)?.commit.id
        if commit == nil, let head = unchangedHead(source, loaded: loaded, repository: repository) {
            // The working tree means the same as HEAD: that commit priced these documents.
            commit = head
            described.revisionLabel = "working tree, unchanged from HEAD"
        }
        return PricedUsage(result: result, loaded: loaded, source: described, commit: commit, usageFiles: files)
    }

    /// HEAD's commit id when the working tree's configuration means the same as HEAD's; nil otherwise, or outside
    /// git.
    static func unchangedHead(_ source: ConfigurationSource, loaded: LoadedConfiguration, repository: RepositoryOptions) -> String? {
        guard source.tree is GitWorkingTree, let root = source.repositoryRoot,
            let directory = try? Workspace.directory(repository),
            let git = try? GitRepository(discoveringFrom: directory.path), !git.isEmpty,
            let head = try? git.resolve("HEAD"), let tree = try? git.fileTree(at: head, revision: "HEAD"),
            let committed = try? ConfigurationLoader().load(from: tree, root: root)
        else { return nil }
        return ConfigurationDiff(from: committed.configuration, to: loaded.configuration).isEmpty ? head.id : nil
    }

    /// Prints the engine's warnings for `groups` (all groups when nil) in `periods` (all when nil), once each.
    static func printWarnings(_ result: BillingResult, groups: Set<String>? = nil, periods: Set<BillingPeriod>? = nil) {
        let messages = result.groups
            .filter { groups?.contains($0.group) ?? true }
            .filter { periods?.contains($0.period) ?? true }
            .flatMap(\.warnings).map(\.message)
        for message in Set(messages).sorted() { Terminal.error("proforma: warning: \(message)") }
    }

    /// `--usage` files, else the project's `usage` paths relative to the configuration root on disk.
    static func usageFiles(
        _ usage: UsageOptions, loaded: LoadedConfiguration, repository: RepositoryOptions, source: ConfigurationSource
    ) throws -> [String] {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        if !usage.files.isEmpty {
            return usage.files.map { URL(fileURLWithPath: $0, relativeTo: cwd).standardizedFileURL.path }
        }
        let configured = loaded.configuration.project?.usage ?? []
        guard !configured.isEmpty else {
            throw UserError(
                message: "no usage data: the project lists no usage files",
                hint: "pass --usage FILE, or list files under `usage:` in proforma.yaml")
        }
        let rootDirectory = try configurationDirectory(repository, source: source)
        return configured.map { URL(fileURLWithPath: $0.path, relativeTo: rootDirectory).standardizedFileURL.path }
    }

    /// The configuration root as a folder on disk (usage files are not read from git: they are large).
    static func configurationDirectory(_ repository: RepositoryOptions, source: ConfigurationSource) throws -> URL {
        if let tree = source.tree as? DirectoryFileTree { return URL(fileURLWithPath: tree.root, isDirectory: true) }
        if let tree = source.tree as? GitWorkingTree {
            // Its root is already the folder of the configuration.
            return URL(fileURLWithPath: tree.root, isDirectory: true)
        }
        let directory = try Workspace.directory(repository)
        let git = try GitRepository(discoveringFrom: directory.path)
        guard let top = git.workingDirectory else {
            throw UserError(message: "the repository is bare, so usage paths have no folder", hint: "pass --usage FILE")
        }
        return URL(fileURLWithPath: top, isDirectory: true).appendingPathComponent(source.root, isDirectory: true)
    }

    /// `--period P` parsed, with a clear error.
    static func period(_ text: String) throws -> BillingPeriod {
        guard let period = BillingPeriod(text) else {
            throw UserError(message: "\"\(text)\" is not a billing period", hint: "write YYYY-MM, e.g. 2026-10", exitCode: ExitStatus.usage)
        }
        return period
    }
}

/// A one-line progress display on stderr, only on a terminal.
final class Progress {
    let enabled: Bool
    var shown = false

    init(enabled: Bool) {
        self.enabled = enabled
    }

    func update(_ progress: UsageProgress) {
        guard enabled else { return }
        let name = URL(fileURLWithPath: progress.file).lastPathComponent
        var text = "\r\u{1B}[2Kreading \(name): \(progress.rows / 1000)k rows"
        if let size = progress.size, size > 0, !progress.isCompressed {
            text += " (\(min(100, progress.bytesRead * 100 / size)) %)"
        }
        FileHandle.standardError.write(Data(text.utf8))
        shown = true
    }

    func clear() {
        guard shown else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
        shown = false
    }
}

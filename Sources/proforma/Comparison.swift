import ArgumentParser
import Foundation
import ProformaCore
import ProformaGit
import ProformaLoader
import ProformaModel
import ProformaPlan
import ProformaReport
import Synchronization

extension ChangeFormat: ExpressibleByArgument {}

/// One side of a comparison, loaded.
struct LoadedSide {
    var label: String
    var commit: String?
    var loaded: LoadedConfiguration
}

/// Resolves and loads the two sides of `diff` and `plan`.
enum Comparison {
    /// `[A] [B]` in git's forms: `A` (against the working tree), `A B`, `A..B`, `A...B` (from the merge base).
    /// With no revision at all, `defaultBase` is the base.
    static func load(
        _ options: RepositoryOptions, first: String?, second: String?, defaultBase: String?
    ) throws -> (base: LoadedSide, head: LoadedSide, root: String) {
        let directory = try Workspace.directory(options)
        let repository = try GitRepository(discoveringFrom: directory.path)
        var baseCommit: GitCommit
        var baseLabel: String
        var headCommit: GitCommit?
        var headLabel = "working tree"
        let firstText = first ?? defaultBase
        guard let firstText else {
            throw UserError(message: "name a revision to compare with", exitCode: ExitStatus.usage)
        }
        if firstText.contains("..") {
            guard second == nil else {
                throw UserError(
                    message: "give either a range (A..B) or two revisions, not both", exitCode: ExitStatus.usage)
            }
            let range = try repository.resolveRange(firstText)
            guard let base = range.base else {
                throw UserError(message: "\(firstText) has no base to compare with", exitCode: ExitStatus.usage)
            }
            baseCommit = base
            baseLabel = range.baseRevision ?? base.shortID
            headCommit = range.head
            headLabel = range.headRevision
        } else {
            baseCommit = try repository.resolve(firstText)
            baseLabel = firstText
            if let second {
                headCommit = try repository.resolve(second)
                headLabel = second
            }
        }
        let baseTree = try repository.fileTree(at: baseCommit, revision: baseLabel)
        let headTree: FileTree =
            if let headCommit { try repository.fileTree(at: headCommit, revision: headLabel) } else {
                try repository.workingTree()
            }
        let root =
            try Workspace.repositoryRelativeRoot(options, directory: directory, repository: repository)
            ?? ConfigurationLoader.findRoot(in: headTree)
        let cache = LoadCache()
        let base = try side(tree: baseTree, root: root, label: baseTree.label, commit: baseCommit.id, cache: cache)
        let head = try side(tree: headTree, root: root, label: headTree.label, commit: headCommit?.id, cache: cache)
        return (base, head, root)
}

    static func side(tree: FileTree, root: String, label: String, commit: String?, cache: LoadCache) throws -> LoadedSide {
        let loaded = try ConfigurationLoader().load(from: tree, root: root, cache: cache)
        let errors = loaded.diagnostics.errorCount
        if errors > 0 {
            let first = loaded.diagnostics.first { $0.severity == .error }!
            throw UserError(
                message: "the configuration in \(label) has \(errors) error\(errors == 1 ? "" : "s"), first: \(first.location.map { "\($0): " } ?? "")\(first.message)",
                hint: "run `proforma validate\(commit == nil ? "" : " " + label.split(separator: " ").first.map(String.init)!)` to see them all")
        }
        return LoadedSide(label: label, commit: commit, loaded: loaded)
    }
}

struct Diff: ProformaCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the semantic difference between two configurations.",
        discussion: """
            `diff A` compares revision A with the working tree; `diff A B`, `diff A..B` compare two revisions; \
            `diff A...B` compares B with its merge base with A. Resources are ordered by kind then name: \
            + created, ~ updated (each changed field, old → new), - deleted. Sets (account IDs, a plan's rules, \
            associated values) show members added and removed. Formatting, comments, key order and the file a \
            resource is written in are not changes.
            """)

    @OptionGroup var repository: RepositoryOptions

    @Argument(help: ArgumentHelp("The base revision, or a range A..B / A...B.", valueName: "a"))
    var first: String

    @Argument(help: ArgumentHelp("The head revision (default: the working tree).", valueName: "b"))
    var second: String?

    @Option(help: "Output format: text, markdown or json.")
    var format: ChangeFormat = .text

    @Flag(help: "Exit 1 when there are differences, 0 when there are none, as `git diff --exit-code`.")
    var exitCode = false

    func execute() throws -> ExitCode {
        let (base, head, root) = try Comparison.load(repository, first: first, second: second, defaultBase: nil)
        let plan = Plan(
            base: PlanSide(label: base.label, commit: base.commit, configurationHash: ""),
            head: PlanSide(label: head.label, commit: head.commit, configurationHash: ""), root: root,
            diff: ConfigurationDiff(from: base.loaded.configuration, to: head.loaded.configuration),
            toolVersion: Proforma.version)
        let color = format == .text && Terminal.colorEnabled(for: STDOUT_FILENO)
        Terminal.write(ChangeRenderer.render(plan, as: format, color: color, isPlan: false))
        let status = exitCode && !plan.diff.isEmpty ? ExitStatus.failure : ExitStatus.success
        Terminal.exitNow(status.rawValue, keepingAlive: base, head, plan)
    }
}

struct PlanCommand: ProformaCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Plan a change: the resource diff between two configurations, ready to review and apply.",
        discussion: """
            With no revision, plans the working tree against HEAD; `plan A` plans the working tree against A; \
            `plan A B` (or A..B, A...B) plans B against A. -o FILE saves the plan (JSON with both commits and \
            the content hashes of both configurations) for `apply`. Exit status with --detailed-exitcode: \
            0 no changes, 1 error, 2 changes.
            """)

    @OptionGroup var repository: RepositoryOptions

    @Argument(help: ArgumentHelp("The base revision, or a range A..B / A...B (default: HEAD).", valueName: "a"))
    var first: String?

    @Argument(help: ArgumentHelp("The head revision (default: the working tree).", valueName: "b"))
    var second: String?

    @Option(help: "Output format: text, markdown or json.")
    var format: ChangeFormat = .text

    @Option(name: .shortAndLong, help: ArgumentHelp("Save the plan to this file.", valueName: "file"))
    var output: String?

    @Flag(help: "Exit 0 when there are no changes, 2 when there are, 1 on error.")
    var detailedExitcode = false

    func execute() throws -> ExitCode {
        let (base, head, root) = try Comparison.load(repository, first: first, second: second, defaultBase: "HEAD")
        // The two content hashes are independent: compute them side by side.
        let configurations = [base.loaded.configuration, head.loaded.configuration]
        let hashes = Mutex<[Int: String]>([:])
        DispatchQueue.concurrentPerform(iterations: 2) { index in
            let hash = Canonical.hash(of: configurations[index])
            hashes.withLock { $0[index] = hash }
        }
        let hash = hashes.withLock { $0 }
        let plan = Plan(
            base: PlanSide(label: base.label, commit: base.commit, configurationHash: hash[0]!),
            head: PlanSide(label: head.label, commit: head.commit, configurationHash: hash[1]!), root: root,
            diff: ConfigurationDiff(from: base.loaded.configuration, to: head.loaded.configuration),
            toolVersion: Proforma.version,
            state: output == nil ? nil : try StateAccess.plannedState(repository, root: root))
        if let output {
            try OutputFiles.write(JSONWriter.write(plan.json), to: URL(fileURLWithPath: output))
        }
        let color = format == .text && Terminal.colorEnabled(for: STDOUT_FILENO)
        Terminal.write(ChangeRenderer.render(plan, as: format, color: color, isPlan: true))
        if let output { Terminal.error("saved the plan to \(output)") }
        let status = detailedExitcode && !plan.diff.isEmpty ? ExitStatus.changes : ExitStatus.success
        Terminal.exitNow(status.rawValue, keepingAlive: base, head, plan)
    }
}

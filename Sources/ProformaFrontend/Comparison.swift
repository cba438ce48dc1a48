import Foundation
import ProformaCore
import ProformaGit
import ProformaLoader
import ProformaModel
import ProformaPlan
import Synchronization

/// One side of a comparison, loaded and validated.
public struct ComparedSide {
    /// How messages name it: `main (a1b2c3d)`, `working tree`.
    public var label: String
    /// The commit, nil for the working tree.
    public var commit: String?
    public var validated: ValidatedConfiguration

    public var configuration: Configuration { validated.configuration }
}

/// Two configurations to compare, and the configuration root they share.
public struct Comparison {
    public var base: ComparedSide
    public var head: ComparedSide
    public var root: String

    /// The semantic resource diff from base to head.
    public var diff: ConfigurationDiff { ConfigurationDiff(from: base.configuration, to: head.configuration) }

    /// The plan of the change, with the content hashes of both sides (computed side by side).
    public func plan(toolVersion: String) -> Plan {
        let configurations = [base.configuration, head.configuration]
        let hashes = Mutex<[Int: String]>([:])
        DispatchQueue.concurrentPerform(iterations: 2) { index in
            let hash = Canonical.hash(of: configurations[index])
            hashes.withLock { $0[index] = hash }
        }
        let hash = hashes.withLock { $0 }
        return Plan(
            base: PlanSide(label: base.label, commit: base.commit, configurationHash: hash[0] ?? ""),
            head: PlanSide(label: head.label, commit: head.commit, configurationHash: hash[1] ?? ""), root: root,
            diff: diff, toolVersion: toolVersion)
    }

    /// The diff alone, for `diff`: no hashes.
    public func diffOnly(toolVersion: String) -> Plan {
        Plan(
            base: PlanSide(label: base.label, commit: base.commit, configurationHash: ""),
            head: PlanSide(label: head.label, commit: head.commit, configurationHash: ""), root: root, diff: diff,
            toolVersion: toolVersion)
    }
}

/// How strictly the two sides of a comparison must validate.
public enum ComparisonCheck: Sendable, Hashable {
    /// Only a configuration that cannot be read at all is refused (`diff` shows any readable change).
    case readable
    /// A side `validate` rejects is refused (`plan`, which prices and is applied).
    case valid(strict: Bool)
}

extension Frontend {
    /// Resolves and loads the two sides of `diff` and `plan`: `A` (against the working tree), `A B`, `A..B`,
    /// `A...B` (from the merge base). With no revision at all, `defaultBase` is the base.
    public func compare(first: String?, second: String?, defaultBase: String?, check: ComparisonCheck) throws
        -> Comparison
    {
        let repository = try workspace.repository()
        var baseCommit: GitCommit
        var baseLabel: String
        var headCommit: GitCommit?
        var headLabel = "working tree"
        guard let firstText = first ?? defaultBase else {
            throw UserError("name a revision to compare with", kind: .usage)
        }
        if firstText.contains("..") {
            guard second == nil else {
                throw UserError("give either a range (A..B) or two revisions, not both", kind: .usage)
            }
            let range = try repository.resolveRange(firstText)
            guard let base = range.base else {
                throw UserError("\(firstText) has no base to compare with", kind: .usage)
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
        let headTree: any FileTree =
            if let headCommit { try repository.fileTree(at: headCommit, revision: headLabel) } else {
                try repository.workingTree()
            }
        let root = try workspace.repositoryRelativeRoot(repository) ?? ConfigurationLoader.findRoot(in: headTree)
        let cache = LoadCache()
        func side(_ tree: any FileTree, revision: String?, commit: String?) throws -> ComparedSide {
            try self.side(
                tree: tree, root: root, revision: revision, commit: commit, repository: repository, cache: cache,
                check: check)
        }
        let base = try side(baseTree, revision: baseLabel, commit: baseCommit.id)
        let head = try side(headTree, revision: headCommit == nil ? nil : headLabel, commit: headCommit?.id)
        return Comparison(base: base, head: head, root: root)
    }

    /// One configuration of a repository: `tree` (a commit's, or the working tree) at `root`, loaded with `cache`,
    /// and refused as `check` says.
    public func side(
        tree: any FileTree, root: String, revision: String?, commit: String?, repository: GitRepository,
        cache: LoadCache, check: ComparisonCheck
    ) throws -> ComparedSide {
        let top = repository.workingDirectory.map { URL(fileURLWithPath: $0, isDirectory: true) }
        let folder = top.map { root.isEmpty ? $0 : $0.appendingPathComponent(root) }
        let source = ConfigurationSource(
            tree: tree, root: root, repositoryRoot: root, revisionLabel: commit == nil ? nil : tree.label,
            revision: revision, commit: commit, folder: folder, boundary: top)
        let validated = try checked(source, cache: cache, check: check)
        return ComparedSide(label: tree.label, commit: commit, validated: validated)
    }

    /// `source` loaded with `cache`, and refused as `check` says.
    func checked(_ source: ConfigurationSource, cache: LoadCache, check: ComparisonCheck) throws
        -> ValidatedConfiguration
    {
        switch check {
        case .readable: try refusingInvalid(validate(source, cache: cache, checks: false), strict: false)
        case .valid(let strict): try refusingInvalid(validate(source, cache: cache), strict: strict)
        }
    }
}

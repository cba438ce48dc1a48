import Foundation
import ProformaCore
import ProformaGit
import ProformaLoader
import ProformaModel
import ProformaPlan
import ProformaReport
import ProformaValidation

/// A configuration read and validated, with where it came from.
public struct ValidatedConfiguration {
    public var source: ConfigurationSource
    public var loaded: LoadedConfiguration
    /// Every diagnostic, as `validate` reports it.
    public var report: ValidationReport
    /// The configuration's files, for rendering diagnostics with their source lines.
    public var sources: any SourceProvider

    public var configuration: Configuration { loaded.configuration }
}

/// The work every command shares, done once: finding the configuration, loading and validating it, refusing an
/// invalid one, reading usage data, pricing it, and saying where each document came from. Commands parse their
/// arguments, call this, and render what it returns.
public struct Frontend: Sendable {
    public let workspace: Workspace
    /// The version written on every document.
    public let toolVersion: String

    public init(workspace: Workspace, toolVersion: String) {
        self.workspace = workspace
        self.toolVersion = toolVersion
    }

    public init(_ options: WorkspaceOptions, toolVersion: String) throws(UserError) {
        self.init(workspace: try Workspace(options), toolVersion: toolVersion)
    }

    /// Loads and validates the configuration of the working tree or of `revision`, whatever it holds.
    public func validate(revision: String?) throws -> ValidatedConfiguration {
        let source = try workspace.source(revision: revision)
        return try validate(source)
    }

    /// Loads `source` and validates it; with `checks` false only the loader's diagnostics are reported (a diff
    /// needs no more, and skipping the checks keeps it fast at ABC's quotas).
    public func validate(_ source: ConfigurationSource, cache: LoadCache? = nil, checks: Bool = true) throws
        -> ValidatedConfiguration
    {
        let loaded =
            if let cache { try ConfigurationLoader().load(from: source.tree, root: source.root, cache: cache) } else {
                try ConfigurationLoader().load(from: source.tree, root: source.root)
            }
        let diagnostics = checks ? Validator().validate(loaded) : loaded.diagnostics.sorted()
        let report = ValidationReport(
            diagnostics: diagnostics, revision: source.revisionLabel, filesChecked: loaded.sourceMap.files.count,
            resourcesChecked: loaded.configuration.resourceCount, toolVersion: toolVersion,
            root: source.repositoryRoot)
        return ValidatedConfiguration(
            source: source, loaded: loaded, report: report, sources: FileTreeSources(source.tree, root: source.root))
    }

    /// The configuration of the working tree or of `revision`, refused when `validate` rejects it (errors, and
    /// warnings too under `strict`): nothing is priced or planned from a configuration `validate` rejects.
    public func validConfiguration(revision: String?, strict: Bool) throws -> ValidatedConfiguration {
        try refusingInvalid(validate(revision: revision), strict: strict)
    }

    /// `source`'s configuration, refused when `validate` rejects it (see `validConfiguration(revision:strict:)`).
    public func validConfiguration(_ source: ConfigurationSource, strict: Bool) throws -> ValidatedConfiguration {
        try refusingInvalid(validate(source), strict: strict)
    }

    func refusingInvalid(_ validated: ValidatedConfiguration, strict: Bool) throws -> ValidatedConfiguration {
        guard !validated.report.failed(strict: strict) else {
            throw InvalidConfiguration(
                report: validated.report, sources: validated.sources, strict: strict,
                validateCommand: (["proforma validate"] + [validated.source.revision].compactMap { $0 }
                    + (strict ? ["--strict"] : [])).joined(separator: " "))
        }
        return validated
    }

    /// HEAD's commit id when the working tree's configuration means the same as HEAD's; nil otherwise, or
    /// outside git.
    func unchangedHead(_ validated: ValidatedConfiguration) -> String? {
        guard validated.source.tree is GitWorkingTree, let root = validated.source.repositoryRoot,
            let git = try? workspace.repository(), !git.isEmpty,
            let head = try? git.resolve("HEAD"), let tree = try? git.fileTree(at: head, revision: "HEAD"),
            let committed = try? ConfigurationLoader().load(from: tree, root: root)
        else { return nil }
        return ConfigurationDiff(from: committed.configuration, to: validated.configuration).isEmpty ? head.id : nil
    }

    /// Where a document priced from `validated` and `usageFiles` came from.
    func provenance(_ validated: ValidatedConfiguration, usageFiles: [String]) -> Provenance {
        var label = validated.source.revisionLabel
        var commit = validated.source.commit
        if commit == nil, let head = unchangedHead(validated) {
            // The working tree means the same as HEAD: that commit priced these documents.
            commit = head
            label = "working tree, unchanged from HEAD"
        }
        return Provenance(revision: label, commit: commit, usageFiles: usageFiles, toolVersion: toolVersion)
    }
}

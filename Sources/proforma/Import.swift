import ArgumentParser
import Foundation
import ProformaCore
import ProformaFrontend
import ProformaLoader
import ProformaModel
import ProformaOrganizations

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import configuration from AWS.",
        subcommands: [Organizations.self])

    struct Organizations: ProformaCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the accounts of an AWS organization into accounts.yaml.",
            discussion: """
                Reads the JSON of `aws organizations list-accounts` (the pages one after another in one file, or \
                several files) and, optionally, folders of per-ID outputs: --ous DIR holds \
                `list-organizational-units-for-parent --parent-id ID` as DIR/ID.json for the root and every OU, \
                --parents DIR holds `list-parents --child-id ID` as DIR/ID.json (needed only when list-accounts \
                has no Paths), --tags DIR holds `list-tags-for-resource --resource-id ID` as DIR/ID.json per \
                account. Writes account_id, email, state, ou_path and (with --tags) tags; keeps names, \
                descriptions, `unassigned` and comments; removes accounts imported before that left the \
                organization. The same data imported again changes nothing.
                """)

        @OptionGroup var repository: RepositoryOptions

        @Argument(help: ArgumentHelp("Output of `aws organizations list-accounts` (JSON).", valueName: "file"))
        var files: [String]

        @Option(
            help: ArgumentHelp(
                "Folder of list-organizational-units-for-parent outputs, one per parent ID.", valueName: "dir"))
        var ous: String?

        @Option(help: ArgumentHelp("Folder of list-parents outputs, one per child ID.", valueName: "dir"))
        var parents: String?

        @Option(help: ArgumentHelp("Folder of list-tags-for-resource outputs, one per account ID.", valueName: "dir"))
        var tags: String?

        @Option(
            help: ArgumentHelp(
                "The accounts file, relative to the configuration root (default accounts.yaml).", valueName: "file"))
        var accounts: String = AccountsFile.defaultPath

        @Flag(help: "Write nothing; exit 1 when the file would change (for CI).")
        var check = false

        func validate() throws {
            if files.isEmpty { throw ValidationError("name at least one list-accounts output") }
            if accounts.hasPrefix("/") || accounts.split(separator: "/").contains("..") {
                throw ValidationError("--accounts must be a path below the configuration root")
            }
        }

        func execute() throws -> ExitCode {
            let frontend = try repository.frontend()
            let workspace = frontend.workspace
            let source = try workspace.source(revision: nil)
            guard let root = source.folder else { throw UserError("the configuration has no folder to write to") }
            func read(_ path: String) throws -> (path: String, bytes: [UInt8]) {
                let url = workspace.path(path)
                guard let data = FileManager.default.contents(atPath: url.path) else {
                    throw UserError("\(path): cannot be read", hint: "check the path and its permissions")
                }
                return (path, Array(data))
            }
            func folder(_ path: String?) throws -> [(path: String, bytes: [UInt8])] {
                guard let path else { return [] }
                let url = workspace.path(path)
                guard let names = try? FileManager.default.contentsOfDirectory(atPath: url.path) else {
                    throw UserError("\(path): no such folder", kind: .usage)
                }
                return try names.filter { $0.hasSuffix(".json") }.sorted().map {
                    try read((path.hasSuffix("/") ? path : path + "/") + $0)
                }
            }
            let organization: Organization
            do {
                organization = try OrganizationReader.organization(
                    accountFiles: try files.map(read), unitFiles: try folder(ous), parentFiles: try folder(parents),
                    tagFiles: try folder(tags))
            } catch let error as OrganizationImportError {
                throw UserError(error.description, hint: error.hint)
            }
            // What the rest of the configuration declares, so that the import neither duplicates nor reuses it.
            let loaded = try ConfigurationLoader().load(from: source.tree, root: source.root)
            let accountsFile = Self.normalized(accounts)
            var elsewhereIDs: Set<String> = []
            var elsewhereNames: Set<String> = []
            for account in loaded.configuration.accounts {
                let file = loaded.sourceMap.resources[ResourceID(.account, account.name)]?.location.path
                if file != accountsFile {
                    elsewhereIDs.insert(account.accountID)
                    elsewhereNames.insert(account.name)
                }
            }
            let target = root.appendingPathComponent(accountsFile)
            let existing: String? =
                FileManager.default.fileExists(atPath: target.path)
                ? try String(contentsOf: target, encoding: .utf8) : nil
            let result: AccountsImport
            do {
                result = try AccountsFile.merge(
                    organization, into: existing, path: accountsFile, elsewhere: (elsewhereIDs, elsewhereNames))
            } catch {
                throw UserError(error.description, hint: error.hint)
            }
            let changed = result.text != existing
            var summary =
                "\(accountsFile): \(result.added.count) added, \(result.updated.count) updated, \(result.removed.count) removed, \(result.unchanged) unchanged"
            if !result.declaredElsewhere.isEmpty {
                summary += "; \(result.declaredElsewhere.count) declared in other files left alone"
            }
            for (label, ids) in [("added", result.added), ("updated", result.updated), ("removed", result.removed)]
            where !ids.isEmpty {
                Terminal.error("  \(label): \(ids.joined(separator: ", "))")
            }
            if check {
                Terminal.error(summary + (changed ? " (not written: --check)" : ""))
                return changed ? ExitStatus.failure : ExitStatus.success
            }
            if changed { try OutputFiles.write(result.text, to: accountsFile, in: root.path) }
            Terminal.error(summary + (changed ? "" : "; nothing to write"))
            return ExitStatus.success
        }

        static func normalized(_ path: String) -> String {
            path.split(separator: "/").filter { $0 != "." && !$0.isEmpty }.joined(separator: "/")
        }
    }
}

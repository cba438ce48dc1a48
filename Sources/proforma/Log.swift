import ArgumentParser
import Foundation
import ProformaCore
import ProformaFrontend
import ProformaGit
import ProformaLoader
import ProformaModel
import ProformaPlan
import ProformaReport

struct Log: ProformaCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the commits that changed the configuration, or one resource, newest first.",
        discussion: """
            Only commits that change what the configuration means are listed: reformatting, comments and moving \
            a resource to another file are not changes. Each commit shows its resource diff. \
            Example: `proforma log PricingRule/retail-markup` answers who changed the retail markup, and when.
            """)

    @OptionGroup var repository: RepositoryOptions

    @Argument(help: ArgumentHelp("Only changes of this resource, as KIND/NAME (e.g. PricingRule/retail-markup).", valueName: "kind/name"))
    var resource: String?

    @Option(help: ArgumentHelp("Start from this revision (default: HEAD).", valueName: "rev"))
    var from: String = "HEAD"

    @Option(name: [.customShort("n"), .long], help: "Show at most this many commits.")
    var maxCount: Int?

    @Option(help: "Output format: text or json.")
    var format: LogFormat = .text

    enum LogFormat: String, ExpressibleByArgument, CaseIterable {
        case text
        case json
    }

    func validate() throws {
        if let resource {
            let parts = resource.split(separator: "/", maxSplits: 1).map(String.init)
            guard parts.count == 2, ResourceKind(rawValue: parts[0]) != nil, !parts[1].isEmpty else {
                throw ValidationError(
                    "\"\(resource)\" is not KIND/NAME; kinds are \(ResourceKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
        if let maxCount, maxCount < 1 { throw ValidationError("--max-count must be at least 1") }
    }

    func execute() throws -> ExitCode {
        let workspace = try repository.frontend().workspace
        let filter: ResourceID? = resource.map {
            let parts = $0.split(separator: "/", maxSplits: 1).map(String.init)
            return ResourceID(ResourceKind(rawValue: parts[0])!, parts[1])
        }
        let git = try workspace.repository()
        let head = try git.resolve(from)
        let headTree = try git.fileTree(at: head, revision: from)
        let root = try workspace.repositoryRelativeRoot(git) ?? ConfigurationLoader.findRoot(in: headTree)
        // Consecutive commits share most files: the load cache parses each blob once.
        let loadCache = LoadCache()
        // The few most recent configurations: a commit is needed as a child and then as a parent.
        var cache: [String: Configuration] = [:]
        var cacheOrder: [String] = []
        func resources(_ commit: GitCommit) throws -> Configuration {
            if let cached = cache[commit.id] { return cached }
            if cacheOrder.count >= 8 { cache[cacheOrder.removeFirst()] = nil }
            cacheOrder.append(commit.id)
            let tree = try git.fileTree(at: commit)
            let hasRoot = try tree.entries().contains {
                $0.path == (root.isEmpty ? "" : root + "/") + ConfigurationLoader.projectFileName
            }
            let value = hasRoot
                ? try ConfigurationLoader().load(from: tree, root: root, cache: loadCache).configuration : Configuration()
            cache[commit.id] = value
            return value
        }
        var entries: [(GitCommit, ConfigurationDiff)] = []
        var failure: Error?
        try git.log(from: head, touching: root.isEmpty ? nil : root) { commit in
            do {
                let after = try resources(commit)
                let before = try commit.parentIDs.first.map { try resources(git.resolve($0)) } ?? Configuration()
                var diff = ConfigurationDiff(from: before, to: after)
                if let filter { diff.changes = diff.changes.filter { $0.id == filter } }
                if !diff.isEmpty { entries.append((commit, diff)) }
            } catch {
                failure = error
                return false
            }
            return maxCount.map { entries.count < $0 } ?? true
        }
        if let failure { throw failure }
        Terminal.write(format == .json ? json(entries) : text(entries, filter: filter))
        return ExitStatus.success
    }

    static func date(_ time: GitTime) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: time.offsetMinutes * 60)
        formatter.dateFormat = "yyyy-MM-dd HH:mm xxx"
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(time.seconds)))
    }

    func text(_ entries: [(GitCommit, ConfigurationDiff)], filter: ResourceID?) -> String {
        guard !entries.isEmpty else {
            return filter.map { "no commit changed \($0)\n" } ?? "no commit changed the configuration\n"
        }
        var output = ""
        for (index, (commit, diff)) in entries.enumerated() {
            if index > 0 { output += "\n" }
            // Author, message and values come from the repository: every control character is made visible.
            let author = TerminalText.inline("\(commit.authorName) <\(commit.authorEmail)>")
            output += "commit \(commit.shortID)  \(Self.date(commit.authorTime))  \(author)\n"
            output += "    \(TerminalText.inline(commit.summary))\n"
            for change in diff.changes {
                output += "    \(TerminalText.inline("\(change.action.symbol) \(change.id)"))\n"
                if change.action == .update {
                    for field in change.fields {
                        output += "        \(TerminalText.inline(ChangeRenderer.describe(field, action: change.action)))\n"
                    }
                }
            }
        }
        return output
    }

    func json(_ entries: [(GitCommit, ConfigurationDiff)]) -> String {
        JSONWriter.write(
            .object([
                "format_version": .int(1),
                "commits": .array(
                    entries.map { commit, diff in
                        .object([
                            "commit": .string(commit.id),
                            "author": .object([
                                "name": .string(commit.authorName), "email": .string(commit.authorEmail),
                                "date": .string(Self.date(commit.authorTime)),
                            ]),
                            "summary": .string(commit.summary),
                            "changes": .array(diff.changes.map(Plan.json(of:))),
                        ])
                    }),
            ]))
    }
}

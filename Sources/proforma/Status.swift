import ArgumentParser
import Foundation
import ProformaCore
import ProformaFrontend
import ProformaGit
import ProformaLoader
import ProformaModel
import ProformaPlan
import ProformaState

struct Status: ProformaCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare the working tree, HEAD and the applied configuration.",
        discussion: """
            Shows changes not committed (working tree against HEAD), changes not applied (HEAD against the \
            configuration in effect for the period), an applied configuration that no commit of the branch \
            produced (a commit not on it, or a dirty working tree), and the apply lock if one is held.
            """)

    @OptionGroup var repository: RepositoryOptions

    @Option(
        help: ArgumentHelp(
            "Compare with the configuration in effect for this period (default: the current one).", valueName: "period")
    )
    var period: String?

    func validate() throws {
        if let period, BillingPeriod(period) == nil {
            throw ValidationError("--period \(period): expected a billing period YYYY-MM")
        }
    }

    func execute() throws -> ExitCode {
        let period = self.period.flatMap { BillingPeriod($0) } ?? ApplyRecord.period(of: Date())
        let head = try RevisionLoader.load(repository, revision: "HEAD", allowDirty: true)
        let repo = head.repository
        let branch = (try? repo.currentBranch) ?? nil
        var output =
            "On \(branch.map { "branch \($0)" } ?? "a detached HEAD") at \(StateAccess.shortCommit(head.commit)).\n"

        // Working tree against HEAD.
        let workingConfiguration = try repository.frontend().validConfiguration(revision: nil, strict: false)
            .configuration
        let uncommitted = ConfigurationDiff(from: head.configuration, to: workingConfiguration)
        output +=
            uncommitted.isEmpty
            ? "\nWorking tree: no uncommitted changes.\n"
            : "\nWorking tree: \(Self.count(uncommitted)) not committed:\n\(Self.list(uncommitted))"

        // HEAD against the applied configuration.
        let store = StateAccess.store(root: head.rootURL, project: head.configuration.project)
        let applied = try StateAccess.run { try store.configuration(inEffectFor: period) }
        guard let applied else {
            output += "\nApplied: nothing applied for \(period) in \(store.location); `proforma apply` applies HEAD.\n"
            Terminal.write(output)
            return ExitStatus.success
        }
        let record = applied.record
        output +=
            "\nApplied for \(period): serial \(record.serial), \(record.revision) (\(StateAccess.shortCommit(record.commit))\(record.dirty ? ", dirty" : "")), in effect from \(record.period), by \(record.actor) at \(record.appliedAt).\n"
        let unapplied = ConfigurationDiff(from: applied.configuration, to: head.configuration)
        output +=
            unapplied.isEmpty
            ? "HEAD: applied.\n" : "HEAD: \(Self.count(unapplied)) not applied:\n\(Self.list(unapplied))"

        // Applied state that no commit of this branch produced.
        if record.dirty {
            output +=
                "Note: serial \(record.serial) was applied from a working tree with uncommitted changes on "
                + "\(StateAccess.shortCommit(record.commit)), not from a commit.\n"
        } else if let commitID = record.commit, let headID = head.commit {
            let onBranch: Bool? = {
                guard let commit = try? repo.resolve(commitID), let headCommit = try? repo.resolve(headID) else {
                    return nil
                }
                return (try? repo.mergeBase(commit, headCommit))??.id == commit.id
            }()
            switch onBranch {
            case true?: break
            case false?:
                output +=
                    "Note: serial \(record.serial) was applied from commit \(StateAccess.shortCommit(commitID)), which is not on this branch.\n"
            case nil:
                output +=
                    "Note: serial \(record.serial) was applied from commit \(StateAccess.shortCommit(commitID)), which is not in this repository.\n"
            }
        }
        if let lock = try StateAccess.run({ try store.currentLock() }) {
            output += "Locked: \(lock.summary).\n"
        }
        Terminal.write(output)
        return ExitStatus.success
    }

    static func count(_ diff: ConfigurationDiff) -> String {
        "\(diff.changes.count) change\(diff.changes.count == 1 ? "" : "s") (\(diff.creations) to add, \(diff.updates) to change, \(diff.deletions) to destroy)"
    }

    static func list(_ diff: ConfigurationDiff, limit: Int = 20) -> String {
        var output = ""
        for change in diff.changes.prefix(limit) { output += "  \(change.action.symbol) \(change.id)\n" }
        if diff.changes.count > limit { output += "  … and \(diff.changes.count - limit) more\n" }
        return output
    }
}

import Foundation
import ProformaTestSupport
import Testing

/// `validate REV`, `diff`, `plan` and `log` against real temporary repositories.
@Suite struct GitCommandsTests {
    let binary: URL

    init() throws {
        binary = try #require(TestSupport.proformaBinary)
    }

    func proforma(_ arguments: String..., in directory: URL) throws -> CommandResult {
        try TestSupport.run(binary, arguments, in: directory)
    }

    /// A repository with two commits: the scaffold, then a raised markup and a moved account.
    func repository() throws -> URL {
        let directory = try TestSupport.temporaryDirectory()
        #expect(try TestSupport.run(binary, ["init", "--no-git", directory.path]).status == 0)
        try TestSupport.git(["init", "-q", "-b", "main"], in: directory)
        try TestSupport.git(["add", "-A"], in: directory)
        try TestSupport.git(["commit", "-qm", "Initial configuration"], in: directory)
        try edit(directory, "pricing/standard.yaml", "modifier_percentage: 10", "modifier_percentage: 12")
        try edit(directory, "billing-groups/retail.yaml", "\"222222222222\"]", "\"222222222222\", \"333333333333\"]")
        try "kind: Account\nname: new\naccount_id: \"333333333333\"\n".write(
            to: directory.appendingPathComponent("new-account.yaml"), atomically: true, encoding: .utf8)
        try TestSupport.git(["add", "-A"], in: directory)
        try TestSupport.git(["commit", "-qm", "Raise the markup"], in: directory)
        return directory
    }

    func edit(_ directory: URL, _ path: String, _ old: String, _ new: String) throws {
        let url = directory.appendingPathComponent(path)
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(text.contains(old))
        try text.replacingOccurrences(of: old, with: new).write(to: url, atomically: true, encoding: .utf8)
    }

    @Test func diffShowsExactlyTheEditedRule() throws {
        let directory = try repository()
        defer { try? FileManager.default.removeItem(at: directory) }
        try edit(directory, "pricing/standard.yaml", "modifier_percentage: 12", "modifier_percentage: 15")
        let result = try proforma("diff", "main", in: directory)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasSuffix("""

            ~ PricingRule/global-markup-10
                modifier_percentage: 12 → 15

            0 to add, 1 to change, 0 to destroy.

            """))
        #expect(try proforma("diff", "main", "--exit-code", in: directory).status == 1)
        try TestSupport.git(["checkout", "--", "."], in: directory)
        #expect(try proforma("diff", "main", "--exit-code", in: directory).status == 0)
    }

    @Test func everyRevisionForm() throws {
        let directory = try repository()
        defer { try? FileManager.default.removeItem(at: directory) }
        let full = try TestSupport.git(["rev-parse", "HEAD~1"], in: directory).trimmingCharacters(in: .whitespacesAndNewlines)
        try TestSupport.git(["tag", "v1", "HEAD~1"], in: directory)
        try TestSupport.git(["update-ref", "refs/remotes/origin/main", "HEAD~1"], in: directory)
        let expected = "1 to add, 2 to change, 0 to destroy."
        for arguments in [
            ["diff", "HEAD~1", "HEAD"], ["diff", "HEAD~1..HEAD"], ["diff", "HEAD~1...HEAD"], ["diff", full, "main"],
            ["diff", String(full.prefix(7)), "HEAD"], ["diff", "v1", "HEAD"], ["diff", "origin/main", "HEAD"],
            ["diff", "v1"],
        ] {
            let result = try TestSupport.run(binary, arguments, in: directory)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            #expect(result.stdout.contains(expected), "\(arguments): \(result.stdout)")
        }
    }

    @Test func planSavesAndReportsChanges() throws {
        let directory = try repository()
        defer { try? FileManager.default.removeItem(at: directory) }
        let planFile = directory.appendingPathComponent("plan.json")
        let result = try proforma("plan", "HEAD~1", "HEAD", "-o", planFile.path, "--detailed-exitcode", in: directory)
        #expect(result.status == 2)
        #expect(result.stdout.contains("Plan: 1 to add, 2 to change, 0 to destroy.\n"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: planFile)) as? [String: Any])
        #expect(json["format_version"] as? Int == 1)
        let base = try #require(json["base"] as? [String: Any])
        let head = try #require(json["head"] as? [String: Any])
        let headID = try TestSupport.git(["rev-parse", "HEAD"], in: directory).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(head["commit"] as? String == headID)
        #expect((base["configuration_hash"] as? String)?.count == 64)
        #expect(base["configuration_hash"] as? String != head["configuration_hash"] as? String)
        // No change: exit 0 with --detailed-exitcode; the working tree equals HEAD.
        let clean = try proforma("plan", "--detailed-exitcode", in: directory)
        #expect(clean.status == 0)
        #expect(clean.stdout.contains("No changes."))
        let markdown = try proforma("plan", "HEAD~1", "HEAD", "--format", "markdown", in: directory)
        #expect(markdown.stdout.contains("| ~ | `PricingRule/global-markup-10` | `modifier_percentage: 10 → 12` |"))
    }

    @Test func logListsSemanticChangesOnly() throws {
        let directory = try repository()
        defer { try? FileManager.default.removeItem(at: directory) }
        // A reformatting commit changes no meaning and is not listed.
        try edit(directory, "pricing/standard.yaml", "modifier_percentage: 12", "modifier_percentage: 12.00  # reformatted")
        try TestSupport.git(["commit", "-qam", "Reformat"], in: directory)
        let result = try proforma("log", in: directory)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stdout.contains("Reformat"))
        #expect(result.stdout.contains("Raise the markup"))
        #expect(result.stdout.contains("Initial configuration"))
        let rule = try proforma("log", "PricingRule/global-markup-10", "--format", "json", in: directory)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(rule.stdout.utf8)) as? [String: Any])
        let commits = try #require(json["commits"] as? [[String: Any]])
        #expect(commits.map { $0["summary"] as? String } == ["Raise the markup", "Initial configuration"])
        let none = try proforma("log", "Account/nobody", in: directory)
        #expect(none.stdout == "no commit changed Account/nobody\n")
    }

    @Test func hostileRepositories() throws {
        let directory = try repository()
        defer { try? FileManager.default.removeItem(at: directory) }
        // Unknown revision.
        let unknown = try proforma("diff", "no-such-branch", in: directory)
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("unknown revision"))
        // A shallow clone whose base commit is missing.
        let shallow = directory.deletingLastPathComponent().appendingPathComponent(directory.lastPathComponent + "-shallow")
        defer { try? FileManager.default.removeItem(at: shallow) }
        try TestSupport.git(["clone", "-q", "--depth", "1", "file://" + directory.path, shallow.path], in: directory)
        let missing = try proforma("diff", "HEAD~1", in: shallow)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("fetch-depth: 0"))
        // Not a repository (but a configuration): revisions need git.
        let plain = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: plain) }
        #expect(try TestSupport.run(binary, ["init", "--no-git", plain.path]).status == 0)
        let notRepo = try proforma("diff", "HEAD", in: plain)
        #expect(notRepo.status == 1)
        #expect(notRepo.stderr.contains("not a git repository"))
        #expect(try proforma("validate", in: plain).status == 0)
        // Detached HEAD works like any revision.
        try TestSupport.git(["checkout", "-q", "--detach", "HEAD~1"], in: directory)
        let detached = try proforma("validate", "HEAD", in: directory)
        #expect(detached.status == 0, "\(detached.stdout)\(detached.stderr)")
        // An empty repository has no revision yet.
        let empty = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: empty) }
        try TestSupport.git(["init", "-q"], in: empty)
        let emptyResult = try proforma("validate", "HEAD", in: empty)
        #expect(emptyResult.status == 1)
        #expect(emptyResult.stderr.contains("commit the configuration first"))
    }

    @Test func symlinksSubmodulesAndLFSInARevision() throws {
        let directory = try repository()
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createSymbolicLink(
            atPath: directory.appendingPathComponent("passwd.yaml").path, withDestinationPath: "/etc/passwd")
        try "version https://git-lfs.github.com/spec/v1\noid sha256:0\nsize 1\n".write(
            to: directory.appendingPathComponent("big.yaml"), atomically: true, encoding: .utf8)
        let head = try TestSupport.git(["rev-parse", "HEAD"], in: directory).trimmingCharacters(in: .whitespacesAndNewlines)
        try TestSupport.git(["update-index", "--add", "--cacheinfo", "160000,\(head),vendor/billing"], in: directory)
        try TestSupport.git(["add", "passwd.yaml", "big.yaml"], in: directory)
        try TestSupport.git(["commit", "-qm", "Awkward entries"], in: directory)
        let result = try proforma("validate", "HEAD", in: directory)
        #expect(result.status == 1)
        #expect(result.stdout.contains("big.yaml:1:1: error[PF107]"))
        #expect(result.stdout.contains("passwd.yaml:1:1: note[PF108]: symbolic link to \"/etc/passwd\" is not followed"))
        #expect(result.stdout.contains("vendor/billing:1:1: note[PF108]: submodule is not read"))
        #expect(!result.stdout.contains("root:"))
    }
}

/// The commands of examples/github-actions/proforma.yml, as a pull request would run them.
@Suite struct PullRequestWorkflowTests {
    @Test func planAgainstTheMergeBaseOfTheBaseBranch() throws {
        let binary = try #require(TestSupport.proformaBinary)
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(try TestSupport.run(binary, ["init", "--no-git", directory.path]).status == 0)
        try TestSupport.git(["init", "-q", "-b", "main"], in: directory)
        try TestSupport.git(["add", "-A"], in: directory)
        try TestSupport.git(["commit", "-qm", "Initial"], in: directory)
        try TestSupport.git(["checkout", "-qb", "feature"], in: directory)
        let rules = directory.appendingPathComponent("pricing/standard.yaml")
        try String(contentsOf: rules, encoding: .utf8).replacingOccurrences(of: "modifier_percentage: 10", with: "modifier_percentage: 11")
            .write(to: rules, atomically: true, encoding: .utf8)
        try TestSupport.git(["commit", "-qam", "Raise the markup"], in: directory)
        // Meanwhile the base branch moves on: that change must not show as undone by the pull request.
        try TestSupport.git(["checkout", "-q", "main"], in: directory)
        let group = directory.appendingPathComponent("billing-groups/retail.yaml")
        try String(contentsOf: group, encoding: .utf8).replacingOccurrences(of: "Retail customer", with: "Renamed")
            .write(to: group, atomically: true, encoding: .utf8)
        try TestSupport.git(["commit", "-qam", "Describe the customer"], in: directory)
        try TestSupport.git(["update-ref", "refs/remotes/origin/main", "main"], in: directory)
        try TestSupport.git(["checkout", "-q", "feature"], in: directory)

        let validate = try TestSupport.run(binary, ["validate", "--format", "github", "--strict"], in: directory)
        #expect(validate.status == 0, "\(validate.stdout)")
        let plan = try TestSupport.run(
            binary, ["plan", "origin/main...HEAD", "--format", "markdown", "-o", "plan.json"], in: directory)
        #expect(plan.status == 0, "\(plan.stderr)")
        #expect(plan.stdout.contains("**Plan: 0 to add, 1 to change, 0 to destroy.**"))
        #expect(plan.stdout.contains("`PricingRule/global-markup-10`"))
        #expect(!plan.stdout.contains("BillingGroup"))
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("plan.json").path))
    }
}

import Foundation
import ProformaGit
import Testing

@Suite("History")
struct LogTests {
    /// Five commits on main touching pricing/, billing-groups/ and the root in turn.
    private func linearRepository() throws -> (TestRepository, [String]) {
        let repo = try TestRepository()
        var ids: [String] = []
        try repo.write("proforma.yaml", "version: 1\n")
        ids.append(try repo.commit("Project"))                        // 0: root only
        try repo.write("pricing/plan.yaml", "markup: 10\n")
        ids.append(try repo.commit("Plan"))                           // 1: pricing
        try repo.write("billing-groups/retail.yaml", "kind: BillingGroup\n")
        ids.append(try repo.commit("Retail"))                         // 2: billing-groups
        try repo.write("pricing/plan.yaml", "markup: 12\n")
        try repo.write("pricing-notes.md", "not under pricing/\n")
        ids.append(try repo.commit("Raise markup"))                   // 3: pricing and a look-alike
        try repo.write("pricing-notes.md", "still not under pricing/\n")
        ids.append(try repo.commit("Notes"))                          // 4: look-alike only
        return (repo, ids)
    }

    private func gitLog(_ repo: TestRepository, _ arguments: String...) throws -> [String] {
        try runGit(["log", "--date-order", "--format=%H"] + arguments, in: repo.root)
            .split(separator: "\n").map(String.init)
    }

    @Test("commits come newest first")
    func order() throws {
        let (repo, ids) = try linearRepository()
        let opened = try repo.open()
        let log = try opened.log(from: opened.resolve("HEAD"))
        #expect(log.map(\.id) == ids.reversed())
        #expect(log.map(\.id) == (try gitLog(repo)))
        #expect(log.map(\.summary) == ["Notes", "Raise markup", "Retail", "Plan", "Project"])
        #expect(try opened.log(from: opened.resolve("HEAD~3")).map(\.id) == [ids[1], ids[0]])
    }

    @Test("a path limits the log to commits that change something there")
    func pathFilter() throws {
        let (repo, ids) = try linearRepository()
        let opened = try repo.open()
        let head = try opened.resolve("HEAD")
        #expect(try opened.log(from: head, touching: "pricing").map(\.id) == [ids[3], ids[1]])
        #expect(try opened.log(from: head, touching: "pricing/").map(\.id) == [ids[3], ids[1]])
        #expect(try opened.log(from: head, touching: "pricing").map(\.id) == (try gitLog(repo, "--", "pricing")))
        #expect(try opened.log(from: head, touching: "pricing/plan.yaml").map(\.id) == [ids[3], ids[1]])
        #expect(try opened.log(from: head, touching: "billing-groups").map(\.id) == [ids[2]])
        #expect(try opened.log(from: head, touching: "proforma.yaml").map(\.id) == [ids[0]])
        #expect(try opened.log(from: head, touching: "pricing-notes.md").map(\.id) == [ids[4], ids[3]])
        #expect(try opened.log(from: head, touching: "nowhere").isEmpty)
        #expect(try opened.log(from: head, touching: "").map(\.id) == ids.reversed())
        #expect(try opened.log(from: head, touching: ".").map(\.id) == ids.reversed())
        let outside = #expect(throws: GitError.self) { try opened.log(from: head, touching: "../x") }
        #expect(outside?.kind == .pathNotFound)
    }

    @Test("the walk stops when asked, and a limit caps it")
    func earlyStop() throws {
        let (repo, ids) = try linearRepository()
        let opened = try repo.open()
        let head = try opened.resolve("HEAD")
        var visited: [String] = []
        try opened.log(from: head) { commit in
            visited.append(commit.id)
            return commit.id != ids[3]
        }
        #expect(visited == [ids[4], ids[3]])
        #expect(try opened.log(from: head, limit: 2).map(\.id) == [ids[4], ids[3]])
        #expect(try opened.log(from: head, touching: "pricing", limit: 1).map(\.id) == [ids[3]])
        #expect(try opened.log(from: head, limit: 0).isEmpty)
    }

    @Test("excluded history is left out, as in A..B")
    func excluding() throws {
        let (repo, ids) = try linearRepository()
        let opened = try repo.open()
        let head = try opened.resolve("HEAD")
        let base = try opened.resolve(ids[1])
        #expect(try opened.log(from: head, excluding: [base]).map(\.id) == [ids[4], ids[3], ids[2]])
        #expect(try opened.log(from: head, excluding: [base]).map(\.id) == (try gitLog(repo, "\(ids[1])..HEAD")))
        #expect(try opened.log(from: head, excluding: [base], touching: "pricing").map(\.id) == [ids[3]])
        #expect(try opened.log(from: head, excluding: [head]).isEmpty)
    }

    @Test("a fork and a merge: children before parents, dates otherwise, paths through both sides")
    func forkAndMerge() throws {
        let repo = try TestRepository()
        try repo.write("pricing/plan.yaml", "markup: 10\n")
        try repo.write("billing-groups/retail.yaml", "kind: BillingGroup\n")
        let base = try repo.commit("Base")
        try repo.git("checkout", "--quiet", "-b", "feature")
        try repo.write("pricing/rules.yaml", "rules: [a]\n")
        let f1 = try repo.commit("Feature: rules")
        try repo.git("checkout", "--quiet", "main")
        try repo.write("pricing/plan.yaml", "markup: 11\n")
        let m1 = try repo.commit("Main: markup")
        try repo.git("checkout", "--quiet", "feature")
        try repo.write("billing-groups/retail.yaml", "kind: BillingGroup\nname: retail\n")
        let f2 = try repo.commit("Feature: retail")
        try repo.git("checkout", "--quiet", "main")
        try repo.write("notes.md", "main only\n")
        let m2 = try repo.commit("Main: notes")
        try runGit(["merge", "--quiet", "--no-ff", "--no-edit", "feature"], in: repo.root,
                   environment: repo.nextDates())
        let merge = try repo.git("rev-parse", "HEAD")

        let opened = try repo.open()
        let head = try opened.resolve("HEAD")
        #expect(head.parentIDs == [m2, f2])
        let all = try opened.log(from: head).map(\.id)
        #expect(all == [merge, m2, f2, m1, f1, base])
        #expect(all == (try gitLog(repo)))

        // Both sides changed pricing/: the merge differs from each parent there.
        let pricing = try opened.log(from: head, touching: "pricing").map(\.id)
        #expect(pricing == [merge, m1, f1, base])
        #expect(pricing == (try gitLog(repo, "--", "pricing")))
        // Only the feature side changed billing-groups/: the merge takes it unchanged from that side.
        let billing = try opened.log(from: head, touching: "billing-groups").map(\.id)
        #expect(billing == [f2, base])
        #expect(billing == (try gitLog(repo, "--", "billing-groups")))

        #expect(try opened.mergeBase(opened.resolve("main~1"), opened.resolve("feature"))?.id == base)
        #expect(try opened.log(from: head, excluding: [opened.resolve("main~1")]).map(\.id) == [merge, f2, f1])
    }

    @Test("a child dated before its parent still comes first")
    func clockSkew() throws {
        let repo = try TestRepository()
        try repo.write("a.yaml", "a: 1\n")
        let first = try runCommit(repo, "First", at: 1_700_000_600)
        try repo.write("a.yaml", "a: 2\n")
        let second = try runCommit(repo, "Second, from a slow clock", at: 1_700_000_000)
        try repo.write("a.yaml", "a: 3\n")
        let third = try runCommit(repo, "Third", at: 1_700_000_300)

        let opened = try repo.open()
        let log = try opened.log(from: opened.resolve("HEAD")).map(\.id)
        #expect(log == [third, second, first])
        #expect(log == (try gitLog(repo)))
    }

    private func runCommit(_ repo: TestRepository, _ message: String, at seconds: Int) throws -> String {
        try repo.git("add", "--all")
        let date = "@\(seconds) +0000"
        try runGit(["commit", "--quiet", "-m", message], in: repo.root,
                   environment: ["GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date])
        return try repo.git("rev-parse", "HEAD")
    }
}

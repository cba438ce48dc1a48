import Foundation
import ProformaGit
import Testing

/// A repository with three commits on `main`.
private func linearRepository() throws -> (TestRepository, [String]) {
    let repo = try TestRepository()
    var ids: [String] = []
    for number in 1...3 {
        try repo.write("pricing/plan.yaml", "version: \(number)\n")
        ids.append(try repo.commit("Pricing version \(number)"))
    }
    return (repo, ids)
}

@Suite("Resolving revisions")
struct RevisionTests {
    @Test("HEAD, ancestry suffixes and branch names")
    func headAndBranches() throws {
        let (repo, ids) = try linearRepository()
        let opened = try repo.open()
        #expect(try opened.resolve("HEAD").id == ids[2])
        #expect(try opened.resolve("@").id == ids[2])
        #expect(try opened.resolve("HEAD~1").id == ids[1])
        #expect(try opened.resolve("HEAD^").id == ids[1])
        #expect(try opened.resolve("HEAD~2").id == ids[0])
        #expect(try opened.resolve("main").id == ids[2])
        #expect(try opened.resolve("main~2").id == ids[0])
        #expect(try opened.resolve("refs/heads/main").id == ids[2])
        try repo.git("branch", "older", ids[1])
        #expect(try opened.resolve("older").id == ids[1])
        #expect(try opened.resolve("HEAD~2").id == repo.revParse("HEAD~2"))
    }

    @Test("a commit's fields are read in full")
    func commitFields() throws {
        let repo = try TestRepository()
        try repo.write("a.yaml", "a: 1\n")
        let first = try repo.commit("First")
        try repo.write("a.yaml", "a: 2\n")
        let second = try repo.commit("  Raise the markup  \n\nBecause costs went up.\n", offset: "+0230")

        let commit = try repo.open().resolve("HEAD")
        #expect(commit.id == second)
        #expect(commit.id.count == 40)
        #expect(commit.shortID == String(second.prefix(7)))
        #expect(commit.summary == "Raise the markup")
        #expect(commit.authorName == "Ada Lovelace")
        #expect(commit.authorEmail == "ada@example.com")
        #expect(commit.committerName == "Ada Lovelace")
        #expect(commit.committerEmail == "ada@example.com")
        #expect(commit.authorTime == GitTime(seconds: Int64(repo.clock), offsetMinutes: 150))
        #expect(commit.committerTime == GitTime(seconds: Int64(repo.clock), offsetMinutes: 150))
        #expect(commit.parentIDs == [first])
        #expect(commit.treeID == (try repo.git("rev-parse", "HEAD^{tree}")))

        let root = try repo.open().resolve(first)
        #expect(root.parentIDs == [])
        #expect(root.summary == "First")
        #expect(root.authorTime == GitTime(seconds: Int64(repo.clock - 60), offsetMinutes: 0))
    }

    @Test("remote-tracking branches resolve by their short name")
    func remoteTrackingBranch() throws {
        let (repo, ids) = try linearRepository()
        try repo.git("update-ref", "refs/remotes/origin/main", ids[0])
        try repo.git("update-ref", "refs/remotes/upstream/release/2026", ids[1])
        let opened = try repo.open()
        #expect(try opened.resolve("origin/main").id == ids[0])
        #expect(try opened.resolve("remotes/origin/main").id == ids[0])
        #expect(try opened.resolve("refs/remotes/origin/main").id == ids[0])
        #expect(try opened.resolve("upstream/release/2026").id == ids[1])
        #expect(try opened.resolve("origin/main~0").id == ids[0])
    }

    @Test("lightweight and annotated tags resolve to their commit")
    func tags() throws {
        let (repo, ids) = try linearRepository()
        try repo.git("tag", "v1", ids[0])
        try repo.git("tag", "--annotate", "--message", "Second release", "v2", ids[1], environment: repo.nextDates())
        try repo.git("tag", "--annotate", "--message", "Tag of a tag", "v2-again", "v2", environment: repo.nextDates())
        let tagObject = try repo.git("rev-parse", "v2")
        #expect(tagObject != ids[1])

        let opened = try repo.open()
        #expect(try opened.resolve("v1").id == ids[0])
        #expect(try opened.resolve("v2").id == ids[1])
        #expect(try opened.resolve("v2^{}").id == ids[1])
        #expect(try opened.resolve("v2-again").id == ids[1])
        #expect(try opened.resolve("refs/tags/v2").id == ids[1])
        #expect(try opened.resolve("v2~1").id == ids[0])
        #expect(try opened.resolve(tagObject).id == ids[1])
    }

    @Test("short and full ids, in either case")
    func ids() throws {
        let (repo, ids) = try linearRepository()
        let opened = try repo.open()
        for id in ids {
            #expect(try opened.resolve(id).id == id)
            #expect(try opened.resolve(String(id.prefix(7))).id == id)
            #expect(try opened.resolve(String(id.prefix(12))).id == id)
            #expect(try opened.resolve(id.uppercased()).id == id)
        }
    }

    @Test("an unknown revision says so, with a hint")
    func unknownRevision() throws {
        let (repo, ids) = try linearRepository()
        let opened = try repo.open()
        let unknown = ["no-such-branch", "HEAD~3", "origin/main", "v9", "0000000", String(repeating: "e", count: 40),
                       "main^2", "HEAD@{99}", "main~x"]
        for revision in unknown {
            let error = #expect(throws: GitError.self, "\(revision)") { try opened.resolve(revision) }
            #expect(error?.kind == .unknownRevision, "\(revision)")
            #expect(error?.hint == "check the name with `git rev-parse REV`", "\(revision)")
            #expect(error?.description.contains("`\(revision)`") == true, "\(revision)")
        }
        let empty = #expect(throws: GitError.self) { try opened.resolve("") }
        #expect(empty?.kind == .unknownRevision)
        let spaced = #expect(throws: GitError.self) { try opened.resolve(" main") }
        #expect(spaced?.kind == .unknownRevision)
        #expect(try opened.resolve("HEAD~2").id == ids[0])
    }

    @Test("a revision that names a file or a tree is not a commit")
    func notACommit() throws {
        let (repo, _) = try linearRepository()
        let opened = try repo.open()
        for revision in ["HEAD:pricing/plan.yaml", "HEAD^{tree}", "HEAD:pricing"] {
            let error = #expect(throws: GitError.self) { try opened.resolve(revision) }
            #expect(error?.kind == .unknownRevision, "\(revision)")
            #expect(error?.hint == "name a commit, a branch or a tag", "\(revision)")
        }
        let blob = #expect(throws: GitError.self) { try opened.resolve("HEAD:pricing/plan.yaml") }
        #expect(blob?.description == "`HEAD:pricing/plan.yaml` names a blob, not a commit")
    }

    @Test("a short id that matches several objects is ambiguous")
    func ambiguousShortID() throws {
        let repo = try TestRepository()
        // Enough blobs that two share their first four hex digits (the shortest prefix git accepts). The
        // contents are fixed, so which two collide is the same on every run.
        let paths = (0..<1500).map { "blobs/\($0).txt" }
        for (number, path) in paths.enumerated() { try repo.write(path, "blob number \(number)\n") }
        let written = try repo.git("hash-object", "-w", "--stdin-paths", input: paths.joined(separator: "\n") + "\n")
        var seen: [String: String] = [:]
        var collision: String?
        for id in written.split(separator: "\n").map(String.init) {
            let prefix = String(id.prefix(4))
            if seen[prefix] != nil && seen[prefix] != id {
                collision = prefix
                break
            }
            seen[prefix] = id
        }
        let prefix = try #require(collision)
        let error = #expect(throws: GitError.self) { try repo.open().resolve(prefix) }
        #expect(error?.kind == .ambiguousRevision)
        #expect(error?.hint == "use more characters of the id, or a full name such as `refs/heads/NAME`")
    }
}

@Suite("Resolving ranges")
struct RangeTests {
    /// main: base - m1 - m2, feature forks at base: base - f1 - f2.
    private func forkedRepository() throws -> (TestRepository, base: String, main: String, feature: String) {
        let repo = try TestRepository()
        try repo.write("pricing/plan.yaml", "version: 1\n")
        let base = try repo.commit("Base")
        try repo.git("branch", "feature")
        try repo.write("pricing/plan.yaml", "version: 2\n")
        try repo.commit("Main one")
        try repo.write("pricing/rules.yaml", "rules: []\n")
        let main = try repo.commit("Main two")
        try repo.git("checkout", "--quiet", "feature")
        try repo.write("billing-groups/retail.yaml", "kind: BillingGroup\n")
        try repo.commit("Feature one")
        try repo.write("billing-groups/wholesale.yaml", "kind: BillingGroup\n")
        let feature = try repo.commit("Feature two")
        try repo.git("checkout", "--quiet", "main")
        return (repo, base, main, feature)
    }

    @Test("a single revision is a range with no base")
    func single() throws {
        let (repo, _, main, _) = try forkedRepository()
        let range = try repo.open().resolveRange("main")
        #expect(range.form == .single)
        #expect(range.base == nil)
        #expect(range.baseRevision == nil)
        #expect(range.head.id == main)
        #expect(range.headRevision == "main")
    }

    @Test("A..B compares A with B")
    func twoDots() throws {
        let (repo, base, main, feature) = try forkedRepository()
        let opened = try repo.open()
        let range = try opened.resolveRange("main..feature")
        #expect(range.form == .twoDot)
        #expect(range.base?.id == main)
        #expect(range.head.id == feature)
        #expect(range.baseRevision == "main")
        #expect(range.headRevision == "feature")

        let fromBase = try opened.resolveRange("\(base.prefix(7))..HEAD")
        #expect(fromBase.base?.id == base)
        #expect(fromBase.head.id == main)

        let openRight = try opened.resolveRange("feature..")
        #expect(openRight.base?.id == feature)
        #expect(openRight.head.id == main)
        #expect(openRight.headRevision == "HEAD")

        let openLeft = try opened.resolveRange("..feature")
        #expect(openLeft.base?.id == main)
        #expect(openLeft.baseRevision == "HEAD")
        #expect(openLeft.head.id == feature)
    }

    @Test("A...B compares the merge base of A and B with B")
    func threeDots() throws {
        let (repo, base, main, feature) = try forkedRepository()
        let opened = try repo.open()
        let range = try opened.resolveRange("main...feature")
        #expect(range.form == .threeDot)
        #expect(range.base?.id == base)
        #expect(range.base?.id == (try repo.git("merge-base", "main", "feature")))
        #expect(range.head.id == feature)
        #expect(range.baseRevision == "main")
        #expect(range.headRevision == "feature")

        let reversed = try opened.resolveRange("feature...main")
        #expect(reversed.base?.id == base)
        #expect(reversed.head.id == main)

        let openLeft = try opened.resolveRange("...feature")
        #expect(openLeft.base?.id == base)
        #expect(openLeft.head.id == feature)

        #expect(try opened.mergeBase(opened.resolve("main"), opened.resolve("feature"))?.id == base)
        #expect(try opened.mergeBase(opened.resolve("main"), opened.resolve("main~1"))?.id == opened.resolve("main~1").id)
    }

    @Test("malformed ranges and ranges where one revision is expected")
    func invalidRanges() throws {
        let (repo, _, _, _) = try forkedRepository()
        let opened = try repo.open()
        for text in ["..", "main..feature..HEAD", "main....feature", "main...feature...HEAD"] {
            let error = #expect(throws: GitError.self, "\(text)") { try opened.resolveRange(text) }
            #expect(error?.kind == .invalidRange, "\(text)")
            #expect(error?.description == "`\(text)` is not a valid range", "\(text)")
        }
        let single = #expect(throws: GitError.self) { try opened.resolve("main..feature") }
        #expect(single?.kind == .invalidRange)

        let unknownSide = #expect(throws: GitError.self) { try opened.resolveRange("main..nope") }
        #expect(unknownSide?.kind == .unknownRevision)
        #expect(unknownSide?.description == "unknown revision `nope`")
    }

    @Test("A...B with no common history is an invalid range")
    func unrelatedHistories() throws {
        let (repo, _, main, _) = try forkedRepository()
        try repo.git("checkout", "--quiet", "--orphan", "island")
        try repo.git("rm", "-r", "--quiet", "--cached", ".")
        try repo.write("island.yaml", "kind: Island\n")
        try repo.git("add", "island.yaml")
        try runGit(["commit", "--quiet", "-m", "Island"], in: repo.root, environment: repo.nextDates())
        let opened = try repo.open()
        #expect(try opened.mergeBase(opened.resolve("main"), opened.resolve("island")) == nil)
        let error = #expect(throws: GitError.self) { try opened.resolveRange("main...island") }
        #expect(error?.kind == .invalidRange)
        #expect(error?.description == "`main` and `island` have no common ancestor")
        #expect(try opened.resolveRange("main..island").base?.id == main)
    }
}

import Foundation
import ProformaCore
import ProformaGit
import Testing

private let shallowHint =
    "the clone is shallow; fetch more history (e.g. `git fetch --unshallow`, or `fetch-depth: 0` in GitHub Actions)"

@Suite("Shallow clones")
struct ShallowCloneTests {
    /// A source with three commits on main and a feature branch forked from the first, and a depth-1 clone of it.
    private func shallowClone(allBranches: Bool = false) throws -> (source: TestRepository, clone: TestRepository) {
        let source = try TestRepository(name: "source")
        try source.write("pricing/plan.yaml", "markup: 10\n")
        try source.commit("One")
        try source.git("branch", "feature")
        try source.write("pricing/plan.yaml", "markup: 11\n")
        try source.commit("Two")
        try source.write("pricing/plan.yaml", "markup: 12\n")
        try source.commit("Three")
        try source.git("checkout", "--quiet", "feature")
        try source.write("billing-groups/retail.yaml", "kind: BillingGroup\n")
        try source.commit("Feature")
        try source.git("checkout", "--quiet", "main")

        let clonePath = source.temporary.subpath("clone")
        var arguments = ["clone", "--quiet", "--depth", "1"]
        if allBranches { arguments.append("--no-single-branch") }
        arguments += ["file://" + source.root, clonePath]
        try runGit(arguments, in: source.temporary.path)
        return (source, try TestRepository(existing: clonePath, in: source.temporary))
    }

    @Test("resolving past the edge of a shallow clone says the clone is shallow")
    func missingParent() throws {
        let (source, clone) = try shallowClone()
        #expect(try clone.git("rev-parse", "--is-shallow-repository") == "true")
        let opened = try clone.open()
        #expect(opened.isShallow)
        let head = try opened.resolve("HEAD")
        #expect(head.id == (try source.revParse("main")))
        #expect(head.parentIDs == [try source.revParse("main~1")])

        for revision in ["HEAD~1", "HEAD^", "HEAD~2", "main~1", "origin/main~1"] {
            let error = #expect(throws: GitError.self, "\(revision)") { try opened.resolve(revision) }
            #expect(error?.kind == .missingObject, "\(revision)")
            #expect(error?.hint == shallowHint, "\(revision)")
            #expect(error?.description == "`\(revision)` goes beyond the history of this shallow clone")
        }
        // A commit the clone never fetched, named by its id: the clone cannot tell, but the hint says why.
        let absentID = try source.revParse("main~2")
        let absent = #expect(throws: GitError.self) { try opened.resolve(absentID) }
        #expect(absent?.kind == .unknownRevision)
        #expect(absent?.hint == shallowHint)

        let range = #expect(throws: GitError.self) { try opened.resolveRange("HEAD~1..HEAD") }
        #expect(range?.kind == .missingObject)
        #expect(range?.hint == shallowHint)
    }

    @Test("what the shallow clone has can be read and logged")
    func availableHistory() throws {
        let (_, clone) = try shallowClone()
        let opened = try clone.open()
        let head = try opened.resolve("HEAD")
        let tree = try opened.fileTree(revision: "origin/main")
        #expect(tree.label == "origin/main (\(head.shortID))")
        let entries = try tree.entries()
        #expect(entries == [FileTreeEntry(path: "pricing/plan.yaml", kind: .file, size: 11)])
        #expect(try tree.contents(of: "pricing/plan.yaml") == Array("markup: 12\n".utf8))
        #expect(try opened.log(from: head).map(\.id) == [head.id])
        // The edge commit holds the path and has no parent to compare with, so it counts as adding it.
        #expect(try opened.log(from: head, touching: "pricing").map(\.id) == [head.id])
        #expect(try opened.workingTree().entries().map(\.path) == ["pricing/plan.yaml"])
    }

    @Test("a merge base beyond the edge of a shallow clone says the clone is shallow")
    func missingMergeBase() throws {
        let (source, clone) = try shallowClone(allBranches: true)
        let opened = try clone.open()
        #expect(try opened.resolve("origin/feature").id == (try source.revParse("feature")))
        let error = #expect(throws: GitError.self) { try opened.resolveRange("origin/main...origin/feature") }
        #expect(error?.kind == .missingObject)
        #expect(error?.hint == shallowHint)
        // Two dots need no merge base, so they still work.
        let range = try opened.resolveRange("origin/main..origin/feature")
        #expect(range.base?.id == (try source.revParse("main")))
        #expect(range.head.id == (try source.revParse("feature")))
    }
}

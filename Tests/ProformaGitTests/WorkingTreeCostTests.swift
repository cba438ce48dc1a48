import Foundation
import ProformaCore
import Testing

@testable import ProformaGit

@Suite("The working tree reads the index and ignore rules once")
struct WorkingTreeCostTests {
    @Test("listing and reading every file takes one snapshot of the index, and a new one when git changes it")
    func oneIndexSnapshotPerChange() throws {
        let repo = try TestRepository()
        try repo.write(".gitignore", "*.log\n")
        for index in 0..<40 { try repo.write("pricing/rule-\(index).yaml", "rule: \(index)\n") }
        try repo.commit("Rules")
        try repo.write("untracked/new.yaml", "new: true\n")
        try repo.write("debug.log", "ignored\n")

        let tree = try repo.open().workingTree()
        let entries = try tree.entries()
        #expect(entries.count == 42)
        for entry in entries { _ = try tree.contents(of: entry.path) }
        #expect(tree.indexSnapshotsTaken == 1)
        #expect(throws: FileTreeError.self) { try tree.contents(of: "debug.log") }

        // Untracking a file and ignoring it is seen at once: the index changed, so it is read again.
        try repo.write(".gitignore", "*.log\npricing/rule-0.yaml\n")
        try repo.git("rm", "--cached", "-q", "pricing/rule-0.yaml")
        let error = #expect(throws: FileTreeError.self) { try tree.contents(of: "pricing/rule-0.yaml") }
        #expect(error?.kind == .notFound)
        #expect(tree.indexSnapshotsTaken == 2)
        #expect(try tree.contents(of: "pricing/rule-1.yaml") == Array("rule: 1\n".utf8))
        #expect(tree.indexSnapshotsTaken == 2)
    }
}

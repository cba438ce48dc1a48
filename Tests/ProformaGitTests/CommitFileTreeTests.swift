import Foundation
import ProformaCore
import ProformaGit
import Testing

private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

@Suite("Files of a commit")
struct CommitFileTreeTests {
    @Test("an old revision's bytes are read from git objects after the working tree changed")
    func oldRevisionAfterChanges() throws {
        let repo = try TestRepository()
        try repo.write("proforma.yaml", "version: 1\n")
        try repo.write("pricing/plan.yaml", "markup: 10\n")
        let first = try repo.commit("First")
        try repo.write("pricing/plan.yaml", "markup: 12.5\n")
        try repo.write("pricing/rules.yaml", "rules: []\n")
        let second = try repo.commit("Second")
        try repo.write("pricing/plan.yaml", "markup: 15 # not committed\n")
        try repo.remove("proforma.yaml")

        let opened = try repo.open()
        let old = try opened.fileTree(revision: "HEAD~1")
        #expect(old.label == "HEAD~1 (\(first.prefix(7)))")
        #expect(old.commit.id == first)
        #expect(old.subdirectory == nil)
        #expect(try old.entries() == [
            FileTreeEntry(path: "pricing/plan.yaml", kind: .file, size: 11),
            FileTreeEntry(path: "proforma.yaml", kind: .file, size: 11),
        ])
        #expect(try old.contents(of: "pricing/plan.yaml") == bytes("markup: 10\n"))
        #expect(try old.contents(of: "proforma.yaml") == bytes("version: 1\n"))

        let head = try opened.fileTree(revision: "main")
        #expect(head.label == "main (\(second.prefix(7)))")
        #expect(try head.entries().map(\.path) == ["pricing/plan.yaml", "pricing/rules.yaml", "proforma.yaml"])
        #expect(try head.contents(of: "pricing/plan.yaml") == bytes("markup: 12.5\n"))
        #expect(try opened.contents(of: "pricing/plan.yaml", at: opened.resolve(first)) == bytes("markup: 10\n"))

        let missing = #expect(throws: FileTreeError.self) { try old.contents(of: "pricing/rules.yaml") }
        #expect(missing?.kind == .notFound)
        #expect(missing?.path == "pricing/rules.yaml")
        #expect(missing?.message == "pricing/rules.yaml: no such file or directory in HEAD~1 (\(first.prefix(7)))")

        // Nothing was checked out: the working tree still holds the uncommitted edit and the deletion.
        #expect(try String(contentsOfFile: repo.path("pricing/plan.yaml"), encoding: .utf8)
            == "markup: 15 # not committed\n")
        #expect(FileManager.default.fileExists(atPath: repo.path("proforma.yaml")) == false)
        #expect(try repo.git("diff", "--name-status") == "M\tpricing/plan.yaml\nD\tproforma.yaml")
        #expect(try repo.git("rev-parse", "HEAD") == second)
    }

    @Test("labels name the revision as written, or just the short id")
    func labels() throws {
        let repo = try TestRepository()
        try repo.write("a.yaml", "a: 1\n")
        let id = try repo.commit("First")
        let opened = try repo.open()
        let commit = try opened.resolve("HEAD")
        let short = String(id.prefix(7))
        #expect(try opened.fileTree(at: commit).label == short)
        #expect(try opened.fileTree(at: commit, revision: short).label == short)
        #expect(try opened.fileTree(at: commit, revision: id).label == short)
        #expect(try opened.fileTree(at: commit, revision: "origin/main").label == "origin/main (\(short))")
        #expect(try opened.fileTree(revision: "HEAD").label == "HEAD (\(short))")
    }

    @Test("a subdirectory tree lists paths relative to it")
    func subdirectory() throws {
        let repo = try TestRepository()
        try repo.write("config/proforma.yaml", "kind: Project\n")
        try repo.write("config/pricing/plan.yaml", "kind: PricingPlan\n")
        try repo.write("config/.hidden/secret.yaml", "x: 1\n")
        try repo.write("other/readme.md", "# other\n")
        try repo.write("top.yaml", "top: true\n")
        try repo.commit("Layout")
        let opened = try repo.open()
        let commit = try opened.resolve("HEAD")

        for spelling in ["config", "config/", "./config", "config//"] {
            let tree = try opened.fileTree(at: commit, subdirectory: spelling, revision: "HEAD")
            #expect(tree.subdirectory == "config", "\(spelling)")
            let entries = try tree.entries()
            #expect(entries == [
                FileTreeEntry(path: "pricing/plan.yaml", kind: .file, size: 18),
                FileTreeEntry(path: "proforma.yaml", kind: .file, size: 14),
            ], "\(spelling)")
            #expect(try tree.contents(of: "pricing/plan.yaml") == bytes("kind: PricingPlan\n"))
            #expect(throws: FileTreeError.self) { try tree.contents(of: "top.yaml") }
        }
        let nested = try opened.fileTree(at: commit, subdirectory: "config/pricing")
        #expect(try nested.entries().map(\.path) == ["plan.yaml"])
        // A hidden directory named explicitly is the root, so it is read.
        let hidden = try opened.fileTree(at: commit, subdirectory: "config/.hidden")
        #expect(try hidden.entries().map(\.path) == ["secret.yaml"])
        #expect(try opened.fileTree(at: commit, subdirectory: ".").subdirectory == nil)
        #expect(try opened.fileTree(at: commit, subdirectory: "").entries().count == 4)

        let absent = #expect(throws: GitError.self) { try opened.fileTree(at: commit, subdirectory: "nowhere") }
        #expect(absent?.kind == .pathNotFound)
        let file = #expect(throws: GitError.self) { try opened.fileTree(at: commit, subdirectory: "top.yaml") }
        #expect(file?.kind == .notADirectory)
        for outside in ["../elsewhere", "/config", "config/../other"] {
            let error = #expect(throws: GitError.self) { try opened.fileTree(at: commit, subdirectory: outside) }
            #expect(error?.kind == .pathNotFound, "\(outside)")
        }
    }

    @Test("hidden directories are not entered, hidden files are listed")
    func hiddenDirectories() throws {
        let repo = try TestRepository()
        try repo.write(".github/workflows/check.yml", "on: push\n")
        try repo.write(".proforma/cache.yaml", "x: 1\n")
        try repo.write("pricing/.drafts/plan.yaml", "draft: true\n")
        try repo.write("pricing/plan.yaml", "markup: 1\n")
        try repo.write(".gitignore", "*.log\n")
        try repo.write("pricing/.keep", "")
        try repo.commit("Hidden things")
        let tree = try repo.open().fileTree(revision: "HEAD")
        let entries = try tree.entries()
        #expect(entries == [
            FileTreeEntry(path: ".gitignore", kind: .file, size: 6),
            FileTreeEntry(path: "pricing/.keep", kind: .file, size: 0),
            FileTreeEntry(path: "pricing/plan.yaml", kind: .file, size: 10),
        ])
        #expect(try tree.contents(of: "pricing/.keep") == [])
        // Reading a named file is not listing: a hidden directory's file can still be read on purpose.
        #expect(try tree.contents(of: ".github/workflows/check.yml") == bytes("on: push\n"))
    }

    @Test("symbolic links are listed with their target and never followed")
    func symlinks() throws {
        let repo = try TestRepository()
        try repo.write("pricing/plan.yaml", "markup: 1\n")
        try repo.symlink("outside.yaml", to: "../../etc/passwd")
        try repo.symlink("absolute.yaml", to: "/etc/hostname")
        try repo.symlink("pricing-link", to: "pricing")
        try repo.symlink("pricing/alias.yaml", to: "plan.yaml")
        let id = try repo.commit("Links")
        #expect(try repo.git("ls-tree", "HEAD", "outside.yaml").hasPrefix("120000 blob"))

        let tree = try repo.open().fileTree(revision: "HEAD")
        let entries = try tree.entries()
        #expect(entries == [
            FileTreeEntry(path: "absolute.yaml", kind: .symlink(target: "/etc/hostname")),
            FileTreeEntry(path: "outside.yaml", kind: .symlink(target: "../../etc/passwd")),
            FileTreeEntry(path: "pricing-link", kind: .symlink(target: "pricing")),
            FileTreeEntry(path: "pricing/alias.yaml", kind: .symlink(target: "plan.yaml")),
            FileTreeEntry(path: "pricing/plan.yaml", kind: .file, size: 10),
        ])
        for path in ["outside.yaml", "absolute.yaml", "pricing/alias.yaml", "pricing-link"] {
            let error = #expect(throws: FileTreeError.self) { try tree.contents(of: path) }
            #expect(error?.kind == .notAFile, "\(path)")
            #expect(error?.message == "\(path) is a symbolic link in HEAD (\(id.prefix(7))); links are not followed")
        }
        let through = #expect(throws: FileTreeError.self) { try tree.contents(of: "pricing-link/plan.yaml") }
        #expect(through?.kind == .notFound)
    }

    @Test("a gitlink is a submodule, listed and never entered")
    func submodule() throws {
        let repo = try TestRepository()
        try repo.write("pricing/plan.yaml", "markup: 1\n")
        let other = try repo.commit("Plan")
        try repo.git("update-index", "--add", "--cacheinfo", "160000,\(other),vendor/rates")
        try repo.git("update-index", "--add", "--cacheinfo", "160000,\(other),.tools")
        try runGit(["commit", "--quiet", "-m", "Add submodules"], in: repo.root, environment: repo.nextDates())
        #expect(try repo.git("ls-tree", "HEAD", "vendor/rates").hasPrefix("160000 commit \(other)"))

        let tree = try repo.open().fileTree(revision: "HEAD")
        let entries = try tree.entries()
        #expect(entries == [
            FileTreeEntry(path: "pricing/plan.yaml", kind: .file, size: 10),
            FileTreeEntry(path: "vendor/rates", kind: .submodule),
        ])
        let error = #expect(throws: FileTreeError.self) { try tree.contents(of: "vendor/rates") }
        #expect(error?.kind == .notAFile)
        let inside = #expect(throws: FileTreeError.self) { try tree.contents(of: "vendor/rates/plan.yaml") }
        #expect(inside?.kind == .notFound)
    }

    @Test("reading a directory, a missing file or a path outside the tree fails with the right kind")
    func contentsErrors() throws {
        let repo = try TestRepository()
        try repo.write("pricing/plan.yaml", "markup: 1\n")
        try repo.commit("Plan")
        let opened = try repo.open()
        let tree = try opened.fileTree(revision: "HEAD")
        let directory = #expect(throws: FileTreeError.self) { try tree.contents(of: "pricing") }
        #expect(directory?.kind == .notAFile)
        for path in ["absent.yaml", "../pricing/plan.yaml", "/pricing/plan.yaml", "pricing//plan.yaml",
                     "./pricing/plan.yaml", ""] {
            let error = #expect(throws: FileTreeError.self, "\(path)") { try tree.contents(of: path) }
            #expect(error?.kind == .notFound, "\(path)")
        }
        let gitError = #expect(throws: GitError.self) {
            try opened.contents(of: "pricing", at: opened.resolve("HEAD"))
        }
        #expect(gitError?.kind == .notAFile)
        let gitMissing = #expect(throws: GitError.self) {
            try opened.contents(of: "nope.yaml", at: opened.resolve("HEAD"))
        }
        #expect(gitMissing?.kind == .pathNotFound)
    }

    @Test("binary and large files come back byte for byte")
    func binaryContents() throws {
        let repo = try TestRepository()
        let binary: [UInt8] = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        try FileManager.default.createDirectory(atPath: repo.path("data"), withIntermediateDirectories: true)
        try Data(binary).write(to: URL(fileURLWithPath: repo.path("data/blob.bin")))
        try repo.commit("Binary")
        let tree = try repo.open().fileTree(revision: "HEAD")
        let entries = try tree.entries()
        #expect(entries == [FileTreeEntry(path: "data/blob.bin", kind: .file, size: 200_000)])
        #expect(try tree.contents(of: "data/blob.bin") == binary)
    }
}

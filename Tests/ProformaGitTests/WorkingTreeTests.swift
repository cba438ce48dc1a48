import Foundation
import ProformaCore
import ProformaGit
import Testing

private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

@Suite("The working tree")
struct WorkingTreeTests {
    @Test("uncommitted and untracked files are in, ignored and deleted files are out")
    func statusSemantics() throws {
        let repo = try TestRepository()
        try repo.write(".gitignore", "*.log\nbuild/\n/local.yaml\n")
        try repo.write("proforma.yaml", "version: 1\n")
        try repo.write("pricing/plan.yaml", "markup: 10\n")
        try repo.write("pricing/old.yaml", "old: true\n")
        try repo.write("build/keep.yaml", "kept: true\n")
        try repo.git("add", "--force", "build/keep.yaml")
        try repo.write("forced.log", "tracked although ignored\n")
        try repo.git("add", "--force", "forced.log")
        try repo.commit("First")

        try repo.write("pricing/plan.yaml", "markup: 12\n")      // modified, not staged
        try repo.write("pricing/new.yaml", "new: true\n")        // untracked
        try repo.write("staged.yaml", "staged: true\n")
        try repo.git("add", "staged.yaml")                       // staged, not committed
        try repo.remove("pricing/old.yaml")                      // deleted
        try repo.write("debug.log", "ignored\n")                 // ignored by pattern
        try repo.write("build/output.yaml", "ignored\n")         // inside an ignored directory
        try repo.write("local.yaml", "ignored\n")                // ignored by an anchored pattern
        try repo.write("nested/local.yaml", "not ignored\n")     // the anchored pattern does not reach here
        try repo.write("nested/.gitignore", "secret.yaml\n")
        try repo.write("nested/secret.yaml", "ignored by a nested rule\n")
        try repo.write("untracked-dir/a.yaml", "a: 1\n")

        let tree = try repo.open().workingTree()
        #expect(tree.label == "working tree")
        #expect(tree.root == repo.root)
        let entries = try tree.entries()
        #expect(entries == [
            FileTreeEntry(path: ".gitignore", kind: .file, size: 25),
            FileTreeEntry(path: "build/keep.yaml", kind: .file, size: 11),
            FileTreeEntry(path: "forced.log", kind: .file, size: 25),
            FileTreeEntry(path: "nested/.gitignore", kind: .file, size: 12),
            FileTreeEntry(path: "nested/local.yaml", kind: .file, size: 12),
            FileTreeEntry(path: "pricing/new.yaml", kind: .file, size: 10),
            FileTreeEntry(path: "pricing/plan.yaml", kind: .file, size: 11),
            FileTreeEntry(path: "proforma.yaml", kind: .file, size: 11),
            FileTreeEntry(path: "staged.yaml", kind: .file, size: 13),
            FileTreeEntry(path: "untracked-dir/a.yaml", kind: .file, size: 5),
        ])
        #expect(try tree.contents(of: "pricing/plan.yaml") == bytes("markup: 12\n"))
        #expect(try tree.contents(of: "pricing/new.yaml") == bytes("new: true\n"))
        #expect(try tree.contents(of: "build/keep.yaml") == bytes("kept: true\n"))

        let deleted = #expect(throws: FileTreeError.self) { try tree.contents(of: "pricing/old.yaml") }
        #expect(deleted?.kind == .notFound)
        for ignored in ["debug.log", "build/output.yaml", "local.yaml", "nested/secret.yaml"] {
            let error = #expect(throws: FileTreeError.self, "\(ignored)") { try tree.contents(of: ignored) }
            #expect(error?.kind == .notFound, "\(ignored)")
        }
    }

    @Test("the working tree agrees with git's own list of files")
    func agreesWithGit() throws {
        let repo = try TestRepository()
        try repo.write(".gitignore", "*.tmp\ngenerated/\n")
        try repo.write("a.yaml", "a\n")
        try repo.write("b/c.yaml", "c\n")
        try repo.write("b/d.tmp", "d\n")
        try repo.commit("First")
        try repo.write("b/e.yaml", "e\n")
        try repo.write("generated/f.yaml", "f\n")
        try repo.write("g h/i j.yaml", "spaces\n")
        try repo.remove("a.yaml")

        let listed = try repo.git("ls-files", "--cached", "--others", "--exclude-standard", "-z")
            .split(separator: "\0").map(String.init)
            .filter { FileManager.default.fileExists(atPath: repo.path($0)) }
            .sorted()
        let tree = try repo.open().workingTree()
        #expect(try tree.entries().map(\.path) == listed)
        #expect(listed == [".gitignore", "b/c.yaml", "b/e.yaml", "g h/i j.yaml"])
    }

    @Test("hidden directories are not entered")
    func hiddenDirectories() throws {
        let repo = try TestRepository()
        try repo.write(".github/workflows/check.yml", "on: push\n")
        try repo.write(".proforma/state.yaml", "serial: 1\n")
        try repo.write("pricing/.drafts/plan.yaml", "draft: true\n")
        try repo.write("pricing/plan.yaml", "markup: 1\n")
        try repo.write(".env.yaml", "hidden file\n")
        let tree = try repo.open().workingTree()
        #expect(try tree.entries().map(\.path) == [".env.yaml", "pricing/plan.yaml"])
    }

    @Test("a subdirectory of the working tree lists paths relative to it")
    func subdirectory() throws {
        let repo = try TestRepository()
        try repo.write(".gitignore", "config/*.log\n")
        try repo.write("config/proforma.yaml", "kind: Project\n")
        try repo.write("config/pricing/plan.yaml", "kind: PricingPlan\n")
        try repo.write("config/noise.log", "ignored\n")
        try repo.write("elsewhere.yaml", "x: 1\n")
        try repo.commit("Layout")
        try repo.write("config/pricing/draft.yaml", "untracked\n")

        let opened = try repo.open(from: "config/pricing")
        let tree = try opened.workingTree(subdirectory: "config")
        #expect(tree.root == repo.path("config"))
        #expect(tree.subdirectory == "config")
        #expect(try tree.entries().map(\.path) == ["pricing/draft.yaml", "pricing/plan.yaml", "proforma.yaml"])
        #expect(try tree.contents(of: "pricing/draft.yaml") == bytes("untracked\n"))
        let ignored = #expect(throws: FileTreeError.self) { try tree.contents(of: "noise.log") }
        #expect(ignored?.kind == .notFound)

        let absent = #expect(throws: GitError.self) { try opened.workingTree(subdirectory: "nowhere") }
        #expect(absent?.kind == .pathNotFound)
        let file = #expect(throws: GitError.self) { try opened.workingTree(subdirectory: "elsewhere.yaml") }
        #expect(file?.kind == .notADirectory)
        let outside = #expect(throws: GitError.self) { try opened.workingTree(subdirectory: "../x") }
        #expect(outside?.kind == .pathNotFound)
    }

    @Test("symbolic links are listed with their target and never followed")
    func symlinks() throws {
        let repo = try TestRepository()
        let outside = repo.temporary.subpath("outside")
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        try Data("secret: true\n".utf8).write(to: URL(fileURLWithPath: outside + "/secret.yaml"))
        try repo.write("pricing/plan.yaml", "markup: 1\n")
        try repo.symlink("escape.yaml", to: outside + "/secret.yaml")
        try repo.symlink("escape-dir", to: outside)
        try repo.symlink("relative.yaml", to: "../outside/secret.yaml")
        try repo.symlink("dangling.yaml", to: "does-not-exist.yaml")
        try repo.commit("Links")
        try repo.symlink("pricing/untracked-link.yaml", to: "plan.yaml")

        let tree = try repo.open().workingTree()
        let entries = try tree.entries()
        #expect(entries == [
            FileTreeEntry(path: "dangling.yaml", kind: .symlink(target: "does-not-exist.yaml")),
            FileTreeEntry(path: "escape-dir", kind: .symlink(target: outside)),
            FileTreeEntry(path: "escape.yaml", kind: .symlink(target: outside + "/secret.yaml")),
            FileTreeEntry(path: "pricing/plan.yaml", kind: .file, size: 10),
            FileTreeEntry(path: "pricing/untracked-link.yaml", kind: .symlink(target: "plan.yaml")),
            FileTreeEntry(path: "relative.yaml", kind: .symlink(target: "../outside/secret.yaml")),
        ])
        for path in ["escape.yaml", "relative.yaml", "escape-dir/secret.yaml", "pricing/untracked-link.yaml"] {
            let error = #expect(throws: FileTreeError.self, "\(path)") { try tree.contents(of: path) }
            #expect(error?.kind == .notAFile, "\(path)")
        }
        let throughLink = #expect(throws: FileTreeError.self) { try tree.contents(of: "escape-dir/secret.yaml") }
        #expect(throughLink?.message == "escape-dir is a symbolic link in working tree; links are not followed")

        // The committed tree agrees on what the links are.
        let committed = try repo.open().fileTree(revision: "HEAD").entries()
        #expect(committed.filter { $0.path != "pricing/untracked-link.yaml" }
            == (try tree.entries()).filter { $0.path != "pricing/untracked-link.yaml" })
    }

    @Test("submodules and nested repositories are listed, never entered")
    func submodules() throws {
        let repo = try TestRepository()
        try repo.write("pricing/plan.yaml", "markup: 1\n")
        let id = try repo.commit("Plan")
        try repo.git("update-index", "--add", "--cacheinfo", "160000,\(id),vendor/rates")
        try repo.git("update-index", "--add", "--cacheinfo", "160000,\(id),vendor/absent")
        try runGit(["commit", "--quiet", "-m", "Submodules"], in: repo.root, environment: repo.nextDates())
        // An initialised submodule has files; an uninitialised one is an empty directory; a missing one is absent.
        try repo.write("vendor/rates/inner.yaml", "inner: true\n")
        try repo.write("vendor/rates/.git", "gitdir: ../../.git/modules/rates\n")
        // A repository nested without being registered as a submodule.
        let nested = try TestRepository(name: "repo/tools", in: repo.temporary)
        try nested.write("tool.yaml", "tool: true\n")

        let tree = try repo.open().workingTree()
        let entries = try tree.entries()
        #expect(entries == [
            FileTreeEntry(path: "pricing/plan.yaml", kind: .file, size: 10),
            FileTreeEntry(path: "tools", kind: .submodule),
            FileTreeEntry(path: "vendor/rates", kind: .submodule),
        ])
        for path in ["vendor/rates/inner.yaml", "tools/tool.yaml", ".git/config", "vendor/rates/.git"] {
            let error = #expect(throws: FileTreeError.self, "\(path)") { try tree.contents(of: path) }
            #expect(error?.kind == .notFound, "\(path)")
        }
        try repo.makeDirectory("vendor/absent")
        #expect(try tree.entries().map(\.path) == ["pricing/plan.yaml", "tools", "vendor/absent", "vendor/rates"])
    }

    @Test("the working tree of a fresh repository is read from disk")
    func freshRepository() throws {
        let repo = try TestRepository()
        try repo.write("a.yaml", "a: 1\n")
        try repo.write(".gitignore", "b.yaml\n")
        try repo.write("b.yaml", "b: 1\n")
        let tree = try repo.open().workingTree()
        #expect(try tree.entries().map(\.path) == [".gitignore", "a.yaml"])
        // Changes after the tree was made are seen on the next call.
        try repo.write("c.yaml", "c: 1\n")
        try repo.remove("a.yaml")
        #expect(try tree.entries().map(\.path) == [".gitignore", "c.yaml"])
    }
}

@Suite("A plain directory")
struct DirectoryFileTreeTests {
    @Test("every file below the root, hidden directories excepted, links not followed")
    func plainDirectory() throws {
        let temporary = try TemporaryDirectory()
        let root = temporary.subpath("config")
        func write(_ path: String, _ text: String) throws {
            let url = URL(fileURLWithPath: root + "/" + path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        try write("proforma.yaml", "kind: Project\n")
        try write("pricing/plan.yaml", "markup: 1\n")
        try write(".hidden/x.yaml", "hidden\n")
        try write("debug.log", "no ignore rules outside git\n")
        try FileManager.default.createSymbolicLink(atPath: root + "/link.yaml", withDestinationPath: "/etc/passwd")
        try FileManager.default.createSymbolicLink(atPath: root + "/pricing-dir", withDestinationPath: "pricing")

        #expect(try GitRepository.discoverIfPresent(from: root, ceilingDirectories: [temporary.path]) == nil)
        let tree = DirectoryFileTree(root: root + "/")
        #expect(tree.label == "working tree")
        #expect(tree.root == root)
        let entries = try tree.entries()
        #expect(entries == [
            FileTreeEntry(path: "debug.log", kind: .file, size: 28),
            FileTreeEntry(path: "link.yaml", kind: .symlink(target: "/etc/passwd")),
            FileTreeEntry(path: "pricing-dir", kind: .symlink(target: "pricing")),
            FileTreeEntry(path: "pricing/plan.yaml", kind: .file, size: 10),
            FileTreeEntry(path: "proforma.yaml", kind: .file, size: 14),
        ])
        #expect(try tree.contents(of: "pricing/plan.yaml") == bytes("markup: 1\n"))
        let link = #expect(throws: FileTreeError.self) { try tree.contents(of: "link.yaml") }
        #expect(link?.kind == .notAFile)
        let throughLink = #expect(throws: FileTreeError.self) { try tree.contents(of: "pricing-dir/plan.yaml") }
        #expect(throughLink?.kind == .notAFile)
        let directory = #expect(throws: FileTreeError.self) { try tree.contents(of: "pricing") }
        #expect(directory?.kind == .notAFile)
        let missing = #expect(throws: FileTreeError.self) { try tree.contents(of: "absent.yaml") }
        #expect(missing?.kind == .notFound)
        #expect(missing?.message == "absent.yaml: no such file in working tree")
        let escape = #expect(throws: FileTreeError.self) { try tree.contents(of: "../config/proforma.yaml") }
        #expect(escape?.kind == .notFound)
    }

    @Test("a missing root is reported")
    func missingRoot() throws {
        let temporary = try TemporaryDirectory()
        let tree = DirectoryFileTree(root: temporary.subpath("absent"))
        let error = #expect(throws: FileTreeError.self) { try tree.entries() }
        #expect(error?.kind == .notFound)
    }
}

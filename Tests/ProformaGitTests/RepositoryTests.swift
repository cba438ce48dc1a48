import Foundation
import ProformaCore
import ProformaGit
import Testing

@Suite("Opening repositories")
struct RepositoryTests {
    @Test("discovery from a subdirectory finds the enclosing repository")
    func discoveryFromSubdirectory() throws {
        let repo = try TestRepository()
        try repo.write("billing/groups/retail.yaml", "kind: BillingGroup\n")
        let first = try repo.commit("Add retail")

        let opened = try repo.open(from: "billing/groups")
        #expect(opened.workingDirectory == repo.root)
        #expect(opened.gitDirectory == repo.root + "/.git")
        #expect(opened.isBare == false)
        #expect(opened.isShallow == false)
        #expect(opened.isEmpty == false)
        #expect(try opened.head == .branch("main"))
        #expect(try opened.currentBranch == "main")
        #expect(opened.isHeadDetached == false)
        #expect(try opened.resolve("HEAD").id == first)
        #expect(opened.relativePath(of: repo.path("billing/groups")) == "billing/groups")
        #expect(opened.relativePath(of: repo.root) == "")
        #expect(opened.relativePath(of: repo.temporary.path) == nil)
    }

    @Test("a bare repository opens, from itself or from inside it, and has no working tree")
    func bareRepository() throws {
        let source = try TestRepository()
        try source.write("proforma.yaml", "kind: Project\n")
        let head = try source.commit("Start")
        let barePath = source.temporary.subpath("config.git")
        try runGit(["clone", "--quiet", "--bare", source.root, barePath], in: source.temporary.path)

        for start in [barePath, barePath + "/refs/heads"] {
            let bare = try GitRepository(discoveringFrom: start, ceilingDirectories: [source.temporary.path])
            #expect(bare.isBare)
            #expect(bare.workingDirectory == nil)
            #expect(bare.gitDirectory == barePath)
            #expect(try bare.resolve("HEAD").id == head)
            #expect(try bare.resolve("main").id == head)
            #expect(try bare.fileTree(revision: "main").contents(of: "proforma.yaml") == Array("kind: Project\n".utf8))
            #expect(bare.relativePath(of: barePath) == nil)
            let error = #expect(throws: GitError.self) { try bare.workingTree() }
            #expect(error?.kind == .noWorkingTree)
            #expect(error?.hint == "name a revision, such as `HEAD`")
        }
    }

    @Test("a directory outside any repository is reported as such")
    func notARepository() throws {
        let temporary = try TemporaryDirectory()
        let plain = temporary.subpath("plain")
        try FileManager.default.createDirectory(atPath: plain + "/nested", withIntermediateDirectories: true)

        let error = #expect(throws: GitError.self) {
            try GitRepository(discoveringFrom: plain + "/nested", ceilingDirectories: [temporary.path])
        }
        #expect(error?.kind == .notARepository)
        #expect(error?.description == "not a git repository (nor any parent directory): \(plain)/nested")
        #expect(error?.hint == "run the command inside a git repository, or name one with `-C DIR`")
        #expect(try GitRepository.discoverIfPresent(from: plain, ceilingDirectories: [temporary.path]) == nil)
    }

    @Test("a missing directory or a file is not a place to look for a repository")
    func missingDirectory() throws {
        let temporary = try TemporaryDirectory()
        let missing = #expect(throws: GitError.self) {
            try GitRepository(discoveringFrom: temporary.subpath("absent"))
        }
        #expect(missing?.kind == .io)
        #expect(missing?.description == "no such directory: \(temporary.subpath("absent"))")

        let file = temporary.subpath("file.txt")
        try Data("x".utf8).write(to: URL(fileURLWithPath: file))
        let notDirectory = #expect(throws: GitError.self) { try GitRepository(discoveringFrom: file) }
        #expect(notDirectory?.kind == .notADirectory)
        #expect(throws: GitError.self) { try GitRepository.discoverIfPresent(from: file) }
    }

    @Test("a detached HEAD names its commit")
    func detachedHead() throws {
        let repo = try TestRepository()
        try repo.write("a.yaml", "a: 1\n")
        let first = try repo.commit("First")
        try repo.write("a.yaml", "a: 2\n")
        let second = try repo.commit("Second")
        try repo.git("checkout", "--quiet", "--detach", first)

        let opened = try repo.open()
        #expect(try opened.head == .detached(commitID: first))
        #expect(opened.isHeadDetached)
        #expect(try opened.currentBranch == nil)
        #expect(try opened.resolve("HEAD").id == first)
        #expect(try opened.resolve("main").id == second)
        #expect(try opened.workingTree().contents(of: "a.yaml") == Array("a: 1\n".utf8))
    }

    @Test("an empty repository: HEAD fails clearly, the working tree still lists untracked files")
    func emptyRepository() throws {
        let repo = try TestRepository()
        try repo.write("proforma.yaml", "kind: Project\n")
        try repo.write("pricing/standard.yaml", "kind: PricingPlan\n")
        try repo.write(".gitignore", "*.log\n")
        try repo.write("debug.log", "noise\n")

        let opened = try repo.open()
        #expect(opened.isEmpty)
        #expect(try opened.head == .unborn(branch: "main"))
        #expect(try opened.currentBranch == "main")

        for revision in ["HEAD", "HEAD~1", "main", "@"] {
            let error = #expect(throws: GitError.self) { try opened.resolve(revision) }
            #expect(error?.kind == .emptyRepository, "\(revision)")
            #expect(error?.description == "HEAD names the branch `main`, which has no commits yet")
            #expect(error?.hint == "commit the configuration first")
        }
        let other = #expect(throws: GitError.self) { try opened.resolve("release") }
        #expect(other?.kind == .emptyRepository)
        #expect(other?.description == "the repository has no commits yet")

        let tree = try opened.workingTree()
        #expect(tree.label == "working tree")
        #expect(try tree.entries().map(\.path) == [".gitignore", "pricing/standard.yaml", "proforma.yaml"])
        #expect(try tree.contents(of: "proforma.yaml") == Array("kind: Project\n".utf8))
    }

    @Test("an orphan branch is unborn while other branches still resolve")
    func orphanBranch() throws {
        let repo = try TestRepository()
        try repo.write("a.yaml", "a: 1\n")
        let first = try repo.commit("First")
        try repo.git("checkout", "--quiet", "--orphan", "fresh")

        let opened = try repo.open()
        #expect(opened.isEmpty)
        #expect(try opened.head == .unborn(branch: "fresh"))
        #expect(try opened.resolve("main").id == first)
        let error = #expect(throws: GitError.self) { try opened.resolve("HEAD") }
        #expect(error?.kind == .emptyRepository)
        #expect(error?.description == "HEAD names the branch `fresh`, which has no commits yet")
    }

    @Test("a linked worktree opens with its own HEAD and working directory")
    func linkedWorktree() throws {
        let repo = try TestRepository()
        try repo.write("a.yaml", "a: 1\n")
        let first = try repo.commit("First")
        let linked = repo.temporary.subpath("linked")
        try repo.git("worktree", "add", "--quiet", "-b", "feature", linked)
        try Data("a: 2\n".utf8).write(to: URL(fileURLWithPath: linked + "/a.yaml"))

        let opened = try GitRepository(discoveringFrom: linked, ceilingDirectories: [repo.temporary.path])
        #expect(opened.workingDirectory == linked)
        #expect(try opened.head == .branch("feature"))
        #expect(try opened.resolve("main").id == first)
        #expect(try opened.workingTree().contents(of: "a.yaml") == Array("a: 2\n".utf8))
        #expect(try opened.fileTree(revision: "HEAD").contents(of: "a.yaml") == Array("a: 1\n".utf8))
        // The `.git` file that links the worktree to its repository is not part of the tree.
        #expect(FileManager.default.fileExists(atPath: linked + "/.git"))
        #expect(try opened.workingTree().entries() == [FileTreeEntry(path: "a.yaml", kind: .file, size: 5)])
    }

    @Test("repositories open concurrently on several tasks, each with its own handle")
    func concurrentOpening() async throws {
        let repo = try TestRepository()
        try repo.write("a.yaml", "a: 1\n")
        let head = try repo.commit("First")
        let root = repo.root
        let ceiling = repo.temporary.path
        let ids = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    let opened = try GitRepository(discoveringFrom: root, ceilingDirectories: [ceiling])
                    return try opened.resolve("HEAD").id
                }
            }
            var ids: [String] = []
            for try await id in group { ids.append(id) }
            return ids
        }
        #expect(ids == Array(repeating: head, count: 8))
    }
}

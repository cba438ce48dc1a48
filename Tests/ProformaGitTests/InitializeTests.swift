import Foundation
import ProformaGit
import Testing

@Suite("Creating repositories and committing")
struct InitializeTests {
    @Test("create makes a repository on the branch named, and commitAll commits what git does not ignore")
    func createAndCommit() throws {
        let temporary = try TemporaryDirectory()
        let root = temporary.subpath("billing")
        let repository = try GitRepository.create(at: root, initialBranch: "main")
        #expect(repository.workingDirectory == root)
        #expect(repository.isEmpty)
        #expect(try repository.head == .unborn(branch: "main"))

        try FileManager.default.createDirectory(atPath: root + "/pricing", withIntermediateDirectories: true)
        try "kind: Project\n".write(toFile: root + "/proforma.yaml", atomically: true, encoding: .utf8)
        try "kind: PricingPlan\n".write(toFile: root + "/pricing/plan.yaml", atomically: true, encoding: .utf8)
        try ".proforma/\n".write(toFile: root + "/.gitignore", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: root + "/.proforma", withIntermediateDirectories: true)
        try "state".write(toFile: root + "/.proforma/state.db", atomically: true, encoding: .utf8)

        let ada = GitIdentity(name: "Ada Lovelace", email: "ada@example.com")
        let first = try repository.commitAll(message: "Start", identity: ada)
        #expect(first.count == 40)
        #expect(try repository.head == .branch("main"))
        #expect(try runGit(["rev-parse", "HEAD"], in: root) == first)
        #expect(try runGit(["log", "--format=%an <%ae>|%cn <%ce>|%s"], in: root) == "\(ada)|\(ada)|Start")
        #expect(try runGit(["ls-files"], in: root) == ".gitignore\npricing/plan.yaml\nproforma.yaml")
        #expect(try runGit(["status", "--porcelain"], in: root) == "")

        // A second commit has the first as its parent, and records removals too.
        try FileManager.default.removeItem(atPath: root + "/pricing/plan.yaml")
        try "kind: Account\n".write(toFile: root + "/accounts.yaml", atomically: true, encoding: .utf8)
        let second = try repository.commitAll(message: "Accounts", identity: ada)
        #expect(try runGit(["rev-parse", "HEAD~1"], in: root) == first)
        #expect(try runGit(["rev-parse", "HEAD"], in: root) == second)
        #expect(try runGit(["ls-files"], in: root) == ".gitignore\naccounts.yaml\nproforma.yaml")
    }

    @Test("create refuses a folder that is a repository already")
    func createRefusesAnExistingRepository() throws {
        let repo = try TestRepository()
        let error = #expect(throws: GitError.self) { try GitRepository.create(at: repo.root) }
        #expect(error?.message.hasPrefix("could not create a repository in \(repo.root)") == true)
    }

    @Test("the default identity comes from git's configuration, then the environment, then the fallback")
    func defaultIdentity() throws {
        let repo = try TestRepository()
        let opened = try repo.open()
        // TestRepository configures an identity in the repository.
        let configured = opened.defaultIdentity(environment: [:])
        #expect(configured.source == .configuration)
        try runGit(["config", "--unset", "user.name"], in: repo.root)
        let fresh = try repo.open()
        let fromEnvironment = fresh.defaultIdentity(environment: [
            "GIT_AUTHOR_NAME": "Alan Turing", "GIT_AUTHOR_EMAIL": "alan@example.com",
        ])
        if fromEnvironment.source != .configuration {  // unless the global configuration names a user
            #expect(fromEnvironment.source == .environment)
            #expect(fromEnvironment.identity == GitIdentity(name: "Alan Turing", email: "alan@example.com"))
            let nothing = fresh.defaultIdentity(environment: ["GIT_AUTHOR_NAME": ""])
            #expect(nothing.identity == .fallback && nothing.source == .fallback)
        }
    }

    @Test("identities are read from Name <email>")
    func parsing() {
        #expect(
            GitIdentity(parsing: "Ada Lovelace <ada@example.com>")
                == GitIdentity(name: "Ada Lovelace", email: "ada@example.com"))
        #expect(GitIdentity(parsing: "  Ada <a@b> ")?.description == "Ada <a@b>")
        for bad in ["Ada", "<ada@example.com>", "Ada <>", "Ada <a<b>", "Ada <a@b> x"] {
            #expect(GitIdentity(parsing: bad) == nil, "\(bad)")
        }
    }
}

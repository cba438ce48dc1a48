import Foundation
import ProformaTestSupport
import Testing

/// A store that cannot be used ends every command that needs it in one clear line, and nothing is half-written.
@Suite struct DamagedStateTests {
    let binary: URL

    init() throws {
        binary = try #require(TestSupport.proformaBinary)
    }

    func proforma(_ arguments: String..., in directory: URL, environment: [String: String] = [:]) throws
        -> CommandResult
    {
        try TestSupport.run(binary, arguments, in: directory, environment: environment)
    }

    /// A committed scaffold with one apply, and a second commit not yet applied.
    func appliedRepository() throws -> URL {
        let directory = try TestSupport.temporaryDirectory()
        #expect(try TestSupport.run(binary, ["init", "--no-git", directory.path]).status == 0)
        try TestSupport.git(["init", "-q", "-b", "main"], in: directory)
        try TestSupport.git(["add", "-A"], in: directory)
        try TestSupport.git(["commit", "-qm", "Initial configuration"], in: directory)
        #expect(try proforma("apply", "--yes", in: directory).status == 0)
        let url = directory.appendingPathComponent("pricing/standard.yaml")
        let text = try String(contentsOf: url, encoding: .utf8)
        try text.replacingOccurrences(of: "modifier_percentage: 10", with: "modifier_percentage: 12")
            .write(to: url, atomically: true, encoding: .utf8)
        try TestSupport.git(["commit", "-qam", "Markup 12"], in: directory)
        return directory
    }

    func database(_ directory: URL) -> URL { directory.appendingPathComponent(".proforma/state.db") }

    /// `apply`, `state history` and `status` each end in one error line (and a hint) naming the store.
    func expectRefused(
        _ directory: URL, containing text: String, environment: [String: String] = [:],
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        for arguments in [["apply", "--yes"], ["state", "history"], ["status"], ["state", "list"]] {
            let result = try TestSupport.run(binary, arguments, in: directory, environment: environment)
            #expect(result.status == 1, "\(arguments): \(result.stderr)", sourceLocation: sourceLocation)
            let lines = result.stderr.split(separator: "\n")
            #expect(
                lines.first?.hasPrefix("proforma: error: ") == true, "\(result.stderr)", sourceLocation: sourceLocation)
            #expect(
                lines.first?.contains(text) == true, "\(arguments): \(result.stderr)", sourceLocation: sourceLocation)
            #expect(
                lines.count <= 2 && lines.dropFirst().allSatisfy { $0.hasPrefix("hint: ") }, "\(result.stderr)",
                sourceLocation: sourceLocation)
            #expect(!result.stderr.contains("internal error"), sourceLocation: sourceLocation)
        }
    }

    @Test func textFileInsteadOfTheStore() throws {
        let directory = try appliedRepository()
        defer { try? FileManager.default.removeItem(at: directory) }
        try "lineage: none\n".write(to: database(directory), atomically: true, encoding: .utf8)
        try expectRefused(
            directory, containing: ".proforma/state.db is not a proforma state store (not a SQLite database)")
        #expect(try String(contentsOf: database(directory), encoding: .utf8) == "lineage: none\n")
    }

    @Test func anotherSQLiteDatabase() throws {
        let directory = try appliedRepository()
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.removeItem(at: database(directory))
        let made = try TestSupport.run(
            URL(fileURLWithPath: "/usr/bin/env"),
            [
                "python3", "-c",
                "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('create table t(x)'); c.commit()",
                database(directory).path,
            ])
        #expect(made.status == 0, "\(made.stderr)")
        let before = try Data(contentsOf: database(directory))
        try expectRefused(
            directory, containing: ".proforma/state.db is a SQLite database, but not a proforma state store")
        #expect(try Data(contentsOf: database(directory)) == before)
    }

    @Test func emptyAndTruncatedStores() throws {
        let directory = try appliedRepository()
        defer { try? FileManager.default.removeItem(at: directory) }
        let original = try Data(contentsOf: database(directory))
        try Data().write(to: database(directory))
        try expectRefused(directory, containing: ".proforma/state.db is empty: the state store was truncated")
        #expect(try Data(contentsOf: database(directory)).isEmpty)
        for fraction in [0.3, 0.6, 0.95] {
            let truncated = original.prefix(Int(Double(original.count) * fraction))
            try truncated.write(to: database(directory))
            try expectRefused(directory, containing: ".proforma/state.db is damaged")
            #expect(try Data(contentsOf: database(directory)) == truncated)
        }
    }

    @Test func corruptedStore() throws {
        let directory = try appliedRepository()
        defer { try? FileManager.default.removeItem(at: directory) }
        var bytes = try Data(contentsOf: database(directory))
        for page in stride(from: 4096, to: bytes.count, by: 4096) {
            for offset in 0..<32 where page + offset < bytes.count { bytes[page + offset] ^= 0x5A }
        }
        try bytes.write(to: database(directory))
        try expectRefused(directory, containing: ".proforma/state.db is damaged")
    }

    @Test func fullDisk() throws {
        let directory = try appliedRepository()
        defer { try? FileManager.default.removeItem(at: directory) }
        // Room for no new page: the first page the apply needs fails as a full disk does. Two hundred new accounts
        // need new pages.
        let pages = try Data(contentsOf: database(directory)).count / 4096
        let accounts = (0..<200).map { "kind: Account\nname: extra-\($0)\naccount_id: \"\(100_000_000_000 + $0)\"\n" }
        try accounts.joined(separator: "---\n").write(
            to: directory.appendingPathComponent("more-accounts.yaml"), atomically: true, encoding: .utf8)
        try TestSupport.git(["add", "-A"], in: directory)
        try TestSupport.git(["commit", "-qm", "More accounts"], in: directory)
        let result = try proforma(
            "apply", "--yes", in: directory, environment: ["PROFORMA_STATE_MAX_PAGES": "\(pages)"])
        #expect(result.status == 1)
        #expect(
            result.stderr.hasPrefix(
                "proforma: error: cannot write .proforma/state.db: the disk is full; nothing was applied\n"),
            "\(result.stderr)")
        #expect(!result.stderr.contains("internal error"))
        let history = try proforma("state", "history", in: directory)
        #expect(history.stdout.hasPrefix("serial 1  "))
        #expect(!history.stdout.contains("serial 2"))
        #expect(!FileManager.default.fileExists(atPath: database(directory).path + ".lock"))
        #expect(try proforma("apply", "--yes", in: directory).status == 0)
    }

    @Test func readOnlyFolder() throws {
        let directory = try appliedRepository()
        defer { try? FileManager.default.removeItem(at: directory) }
        let folder = directory.appendingPathComponent(".proforma")
        let before = try Data(contentsOf: database(directory))
        try Self.makeReadOnly(folder)
        defer { Self.makeWritable(folder) }
        let result = try proforma("apply", "--yes", in: directory)
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("proforma: error: cannot write .proforma/state.db.lock: "), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 2)
        // Reading still works.
        let history = try proforma("state", "history", in: directory)
        #expect(history.status == 0, "\(history.stderr)")
        Self.makeWritable(folder)
        #expect(try Data(contentsOf: database(directory)) == before)
    }

    /// Unwritable even for root: an immutable folder.
    static func makeReadOnly(_ folder: URL) throws {
        if geteuid() == 0 {
            let result = try TestSupport.run(URL(fileURLWithPath: "/usr/bin/chattr"), ["+i", folder.path])
            guard result.status == 0 else { throw TestFailure("chattr +i failed: \(result.stderr)") }
        } else {
            try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: folder.path)
        }
    }

    static func makeWritable(_ folder: URL) {
        if geteuid() == 0 {
            _ = try? TestSupport.run(URL(fileURLWithPath: "/usr/bin/chattr"), ["-i", folder.path])
        } else {
            try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path)
        }
    }
}

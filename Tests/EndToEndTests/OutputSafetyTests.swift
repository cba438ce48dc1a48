import Foundation
import ProformaCore
import ProformaTestSupport
import Synchronization
import Testing

/// The bundled MSP example (configuration and usage), copied into a temporary folder; `extraGroups` more billing
/// groups (one account each, no usage) make a run long enough to interrupt.
func mspCopy(extraGroups: Int = 0) throws -> URL {
    let directory = try TestSupport.temporaryDirectory()
    let copy = directory.appendingPathComponent("msp")
    try FileManager.default.copyItem(at: TestSupport.packageRoot.appendingPathComponent("examples/msp"), to: copy)
    if extraGroups > 0 {
        let documents = (0..<extraGroups).map { index in
            let account = "7" + String(repeating: "0", count: 11 - String(index).count) + String(index)
            return """
                kind: Account
                name: extra-\(index)
                account_id: "\(account)"
                ---
                kind: BillingGroup
                name: extra-\(index)
                primary_account_id: "\(account)"
                account_ids: ["\(account)"]
                pricing_plan: standard

                """
        }
        try documents.joined(separator: "---\n").write(
            to: copy.appendingPathComponent("billing-groups/extra.yaml"), atomically: true, encoding: .utf8)
    }
    return copy
}

/// Files `proforma` writes: never through a symbolic link, always whole.
@Suite struct SafeWriteTests {
    let binary: URL

    init() throws {
        binary = try #require(TestSupport.proformaBinary)
    }

    func proforma(_ arguments: String..., in directory: URL) throws -> CommandResult {
        try TestSupport.run(binary, arguments, in: directory)
    }

    @Test func aCommittedSymlinkInTheInvoiceFolderIsRefused() throws {
        let directory = try mspCopy()
        defer { try? FileManager.default.removeItem(at: directory.deletingLastPathComponent()) }
        let outside = directory.deletingLastPathComponent().appendingPathComponent("outside.txt")
        try "precious\n".write(to: outside, atomically: true, encoding: .utf8)
        let folder = directory.appendingPathComponent("invoices/2026-10")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            at: folder.appendingPathComponent("harbor-logistics.txt"), withDestinationURL: outside)
        let result = try proforma("invoice", "--all-groups", in: directory)
        #expect(result.status == 1)
        #expect(
            result.stderr.contains(
                "proforma: error: cannot write invoices/2026-10/harbor-logistics.txt: invoices/2026-10/harbor-logistics.txt is a symbolic link, which proforma never follows"
            ), "\(result.stderr)")
        #expect(try String(contentsOf: outside, encoding: .utf8) == "precious\n")
        #expect(!result.stderr.contains("internal error"))
    }

    @Test func aSymlinkedFolderBelowTheCurrentOneIsRefused() throws {
        let directory = try mspCopy()
        defer { try? FileManager.default.removeItem(at: directory.deletingLastPathComponent()) }
        let outside = directory.deletingLastPathComponent().appendingPathComponent("elsewhere")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            at: directory.appendingPathComponent("invoices"), withDestinationURL: outside)
        let result = try proforma("invoice", "--all-groups", in: directory)
        #expect(result.status == 1)
        #expect(
            result.stderr.contains("cannot write invoices/2026-10: invoices is a symbolic link"), "\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside.path).isEmpty)
    }

    @Test func outputFileAndOutputFolderLinksAreRefused() throws {
        let directory = try mspCopy()
        defer { try? FileManager.default.removeItem(at: directory.deletingLastPathComponent()) }
        let outside = directory.deletingLastPathComponent().appendingPathComponent("outside.txt")
        try FileManager.default.createSymbolicLink(
            at: directory.appendingPathComponent("link.txt"), withDestinationURL: outside)
        let single = try proforma("invoice", "--group", "harbor-logistics", "-o", "link.txt", in: directory)
        #expect(single.status == 1)
        #expect(single.stderr.contains("cannot write link.txt: link.txt is a symbolic link"), "\(single.stderr)")
        #expect(!FileManager.default.fileExists(atPath: outside.path))

        let plan = try proforma("plan", "-o", "link.txt", in: directory)
        #expect(plan.status == 1)
        #expect(!FileManager.default.fileExists(atPath: outside.path))

        let out = directory.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            at: out.appendingPathComponent("lumen-analytics.txt"), withDestinationURL: outside)
        let all = try proforma("invoice", "--all-groups", "--output-dir", out.path, in: directory)
        #expect(all.status == 1)
        #expect(all.stderr.contains("lumen-analytics.txt is a symbolic link"), "\(all.stderr)")
        #expect(!FileManager.default.fileExists(atPath: outside.path))
        // The set was not completed: there is no manifest.
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent(OutputSet.manifestName).path))
    }

    @Test func outputErrorsAreOneClearLine() throws {
        let directory = try mspCopy()
        defer { try? FileManager.default.removeItem(at: directory.deletingLastPathComponent()) }
        let missing = try proforma(
            "invoice", "--group", "harbor-logistics", "-o", "no/such/folder/x.txt", in: directory)
        #expect(missing.status == 1)
        #expect(
            missing.stderr.contains(
                "error: cannot write no/such/folder/x.txt: the folder no does not exist\nhint: create the folder first")
        )
        let folder = try proforma("invoice", "--group", "harbor-logistics", "-o", "billing-groups", in: directory)
        #expect(folder.status == 1)
        #expect(folder.stderr.contains("error: cannot write billing-groups: it is a folder"), "\(folder.stderr)")
        let schema = try proforma("schema", "--output", "proforma.yaml/schemas", in: directory)
        #expect(schema.status == 1)
        #expect(schema.stderr.contains("proforma.yaml is not a folder"), "\(schema.stderr)")
    }

    @Test func initRefusesALinkedFolderInsideTheNewConfiguration() throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let target = directory.appendingPathComponent("new")
        let outside = directory.appendingPathComponent("outside")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            at: target.appendingPathComponent("pricing"), withDestinationURL: outside)
        let result = try TestSupport.run(binary, ["init", target.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("pricing is a symbolic link"), "\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside.path).isEmpty)
    }

    @Test func allGroupsWritesAManifestThatMatchesTheFiles() throws {
        let directory = try mspCopy()
        defer { try? FileManager.default.removeItem(at: directory.deletingLastPathComponent()) }
        let result = try proforma("invoice", "--all-groups", "--format", "csv", "--output-dir", "out", in: directory)
        #expect(result.status == 0, "\(result.stderr)")
        let manifest = try Manifest(directory.appendingPathComponent("out"))
        #expect(
            manifest.names == [
                "greenfield-retail.csv", "harbor-logistics.csv", "lumen-analytics.csv", "medisync-health.csv",
                "pixelforge-games.csv",
            ])
        #expect(manifest.mismatches().isEmpty)
        #expect(manifest.object["period"] as? String == "2026-10")
        let provenance = try #require(manifest.object["provenance"] as? [String: Any])
        #expect(provenance["usage_files"] as? [String] == ["cur-2026-09-to-10.csv.gz"])
    }

    /// Two runs with different configurations into one folder at the same time: the folder ends up holding one
    /// run's complete set, every file matching the manifest, never a file or a set mixed from both.
    @Test func concurrentRunsNeverMix() throws {
        let directory = try mspCopy(extraGroups: 150)
        defer { try? FileManager.default.removeItem(at: directory.deletingLastPathComponent()) }
        try TestSupport.git(["init", "-q", "-b", "main"], in: directory)
        try TestSupport.git(["add", "-A"], in: directory)
        try TestSupport.git(["commit", "-qm", "Initial"], in: directory)
        let plan = directory.appendingPathComponent("pricing/standard.yaml")
        let rules = try String(contentsOf: plan, encoding: .utf8)
        try rules.replacingOccurrences(of: "modifier_percentage: 12", with: "modifier_percentage: 13")
            .write(to: plan, atomically: true, encoding: .utf8)
        #expect(try TestSupport.git(["status", "--porcelain"], in: directory).contains("pricing/standard.yaml"))
        let out = directory.appendingPathComponent("out")
        let results = Mutex<[CommandResult]>([])
        DispatchQueue.concurrentPerform(iterations: 2) { index in
            let arguments = ["invoice"] + (index == 0 ? ["HEAD"] : []) + ["--all-groups", "--output-dir", out.path]
            if let result = try? TestSupport.run(binary, arguments, in: directory) {
                results.withLock { $0.append(result) }
            }
        }
        let finished = results.withLock { $0 }
        #expect(finished.count == 2)
        for result in finished { #expect(result.status == 0, "\(result.stderr)") }
        let manifest = try Manifest(out)
        #expect(manifest.names.count == 155)
        #expect(manifest.mismatches().isEmpty)
        // Every invoice names the same configuration: the set comes from one run.
        var configurations: Set<Substring> = []
        for name in manifest.names {
            let text = try String(contentsOf: out.appendingPathComponent(name), encoding: .utf8)
            configurations.formUnion(text.split(separator: "\n").filter { $0.hasPrefix("Configuration  ") })
        }
        #expect(configurations.count == 1, "\(configurations)")
    }

    /// A run killed while writing leaves no manifest, so the set is recognisably partial; every file is whole.
    @Test func aKilledRunLeavesNoManifest() throws {
        let directory = try mspCopy(extraGroups: 300)
        defer { try? FileManager.default.removeItem(at: directory.deletingLastPathComponent()) }
        let out = directory.appendingPathComponent("out")
        let first = try TestSupport.run(binary, ["invoice", "--all-groups", "--output-dir", out.path], in: directory)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(try Manifest(out).mismatches().isEmpty)
        let before =
            try FileManager.default.attributesOfItem(atPath: out.appendingPathComponent("extra-0.txt").path)[
                .modificationDate] as? Date

        let process = Process()
        process.executableURL = binary
        process.arguments = ["invoice", "--all-groups", "--format", "markdown", "--output-dir", out.path]
        process.currentDirectoryURL = directory
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Kill it once it has written some of the new files, and before it has written them all.
        let deadline = Date().addingTimeInterval(120)
        var written = 0
        while process.isRunning && Date() < deadline {
            written =
                (try? FileManager.default.contentsOfDirectory(atPath: out.path))?.filter { $0.hasSuffix(".md") }.count
                ?? 0
            if written >= 5 { break }
            usleep(2_000)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal, "the run ended before it could be killed")
        #expect(written >= 5 && written < 305)
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent(OutputSet.manifestName).path))
        // The files written before are untouched, the new ones are whole.
        let after =
            try FileManager.default.attributesOfItem(atPath: out.appendingPathComponent("extra-0.txt").path)[
                .modificationDate] as? Date
        #expect(before == after)
        for name in try FileManager.default.contentsOfDirectory(atPath: out.path) where name.hasSuffix(".md") {
            let text = try String(contentsOf: out.appendingPathComponent(name), encoding: .utf8)
            #expect(text.hasSuffix("\n") && text.contains("**Total"), "\(name) is cut short")
        }
        // The next run completes the set and cleans up what the killed one left.
        let again = try TestSupport.run(
            binary, ["invoice", "--all-groups", "--format", "markdown", "--output-dir", out.path], in: directory)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try Manifest(out).mismatches().isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).allSatisfy { !$0.hasPrefix(".") })
    }
}

/// A set's manifest, read back.
struct Manifest {
    let folder: URL
    let object: [String: Any]

    init(_ folder: URL) throws {
        self.folder = folder
        let data = try Data(contentsOf: folder.appendingPathComponent(OutputSet.manifestName))
        object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    var files: [[String: Any]] { object["files"] as? [[String: Any]] ?? [] }
    var names: [String] { files.compactMap { $0["name"] as? String } }

    /// The files whose content does not have the manifest's hash and size.
    func mismatches() -> [String] {
        files.compactMap { file in
            guard let name = file["name"] as? String,
                let text = try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            else { return file["name"] as? String ?? "?" }
            let matches = SHA256.hex(text) == file["sha256"] as? String && text.utf8.count == file["bytes"] as? Int
            return matches ? nil : name
        }
    }
}

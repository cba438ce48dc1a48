import Foundation
import ProformaTestSupport
import Testing

/// `usage import`, then `plan`, `invoice` and `report` from its digest print what they print from the files.
@Suite struct DigestCommandsTests {
    let binary: URL

    init() throws {
        binary = try #require(TestSupport.proformaBinary)
    }

    @Test func commandsPrintTheSameFromTheDigest() throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let copy = directory.appendingPathComponent("msp")
        try FileManager.default.copyItem(at: TestSupport.packageRoot.appendingPathComponent("examples/msp"), to: copy)
        try? FileManager.default.removeItem(at: copy.appendingPathComponent(".proforma"))
        try TestSupport.git(["init", "-q"], in: copy)
        try TestSupport.git(["add", "-A"], in: copy)
        try TestSupport.git(["commit", "-q", "-m", "example"], in: copy)
        let rules = copy.appendingPathComponent("pricing/gaming-compute.yaml")
        try String(contentsOf: rules, encoding: .utf8)
            .replacingOccurrences(of: "modifier_percentage: 10\n", with: "modifier_percentage: 11\n")
            .write(to: rules, atomically: true, encoding: .utf8)
        let commands: [[String]] = [
            ["plan", "--format", "json"], ["plan", "--periods", "2026-09..2026-10"],
            ["invoice", "--group", "pixelforge-games", "--format", "json"],
            ["invoice", "--group", "harbor-logistics", "--period", "2026-09"], ["report", "margin", "--by", "service"],
            ["report", "costs", "--group-by", "group,line_type", "--format", "json"],
        ]
        var raw: [[String]: CommandResult] = [:]
        for command in commands {
            let result = try TestSupport.run(binary, command + ["-C", copy.path])
            #expect(!result.stderr.contains("digest"), "\(command): \(result.stderr)")
            raw[command] = result
        }
        let imported = try TestSupport.run(binary, ["usage", "import", "-C", copy.path])
        #expect(imported.status == 0, "\(imported.stderr)")
        let name = imported.stdout.trimmingCharacters(in: .newlines)
        #expect(name.hasPrefix(".proforma/digests/") && name.hasSuffix(".sqlite"), "\(imported.stdout)")
        #expect(imported.stderr.contains("8000 rows of 1 file in"), "\(imported.stderr)")
        #expect(FileManager.default.fileExists(atPath: copy.appendingPathComponent(name).path))
        for command in commands {
            let result = try TestSupport.run(binary, command + ["-C", copy.path])
            let before = try #require(raw[command])
            #expect(result.status == before.status, "\(command)")
            #expect(result.stdout == before.stdout, "\(command): the output differs from the digest")
            #expect(result.stderr.contains("proforma: note: usage read from its digest \(name)"), "\(command)")
            #expect(
                result.stderr.replacingOccurrences(of: "proforma: note: usage read from its digest \(name)\n", with: "")
                    == before.stderr, "\(command)")
        }
        // Importing the same data again keeps the digest; a damaged one is passed over with one line.
        let again = try TestSupport.run(binary, ["usage", "import", "-C", copy.path])
        #expect(again.stdout == imported.stdout)
        #expect(again.stderr.hasPrefix("kept \(name)"), "\(again.stderr)")
        try "garbage".write(to: copy.appendingPathComponent(name), atomically: true, encoding: .utf8)
        let command = commands[2]
        let damaged = try TestSupport.run(binary, command + ["-C", copy.path])
        #expect(damaged.stdout == raw[command]?.stdout)
        let notes = damaged.stderr.split(separator: "\n").filter { $0.contains("not a usable digest") }
        #expect(notes.count == 1, "\(damaged.stderr)")
        #expect(notes.first?.hasSuffix("; it was passed over") == true)
        // With a state store, each period is priced by the configuration applied for it, from the digest too.
        let apply = try TestSupport.run(
            binary, ["apply", "--yes", "--allow-dirty", "--period", "2026-09", "--backfill", "-C", copy.path])
        #expect(apply.status == 0, "\(apply.stderr)")
        let appliedRaw = try TestSupport.run(binary, commands[2] + ["-C", copy.path])
        #expect(appliedRaw.status == 0, "\(appliedRaw.stderr)")
        #expect(!appliedRaw.stderr.contains("usage read from its digest"))
        #expect(appliedRaw.stdout.contains("applied serial 1"), "priced with the applied configuration")
        _ = try TestSupport.run(binary, ["usage", "import", "-C", copy.path])
        let appliedDigest = try TestSupport.run(binary, commands[2] + ["-C", copy.path])
        #expect(appliedDigest.stderr.contains("proforma: note: usage read from its digest \(name)"))
        #expect(appliedDigest.stdout == appliedRaw.stdout)
        // Standard input has no digest.
        let stdin = try TestSupport.run(binary, ["usage", "import", "-", "-C", copy.path])
        #expect(stdin.status == 64, "\(stdin.stderr)")
        #expect(stdin.stderr.contains("standard input is not a regular file: only files can have a usage digest"))
    }
}

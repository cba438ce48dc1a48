import Foundation
import ProformaTestSupport
import Testing

/// `import organizations`, `export cur` and `report costs --format cost-explorer`, run as the built binary.
@Suite struct OrganizationCommandsTests {
    let binary: URL

    init() throws {
        binary = try #require(TestSupport.proformaBinary, "the proforma executable was not built beside the tests")
    }

    func example() throws -> URL {
        let directory = try TestSupport.temporaryDirectory()
        let copy = directory.appendingPathComponent("msp")
        try FileManager.default.copyItem(
            at: TestSupport.packageRoot.appendingPathComponent("examples/msp"), to: copy)
        try? FileManager.default.removeItem(at: copy.appendingPathComponent(".proforma"))
        return copy
    }

    @Test func reimportingTheExampleChangesNothingAndAChangeIsWritten() throws {
        let copy = try example()
        defer { try? FileManager.default.removeItem(at: copy.deletingLastPathComponent()) }
        let arguments = [
            "import", "organizations", "organization/list-accounts.json", "--ous", "organization/ous", "--tags",
            "organization/tags", "-C", copy.path,
        ]
        let before = try Data(contentsOf: copy.appendingPathComponent("accounts.yaml"))
        let check = try TestSupport.run(binary, arguments + ["--check"])
        #expect(check.status == 0, "\(check.stderr)")
        let again = try TestSupport.run(binary, arguments)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stderr.contains("0 added, 0 updated, 0 removed, 15 unchanged"))
        #expect(try Data(contentsOf: copy.appendingPathComponent("accounts.yaml")) == before)
        // A suspended account in the organization: --check fails, the import writes it, validate warns.
        let listing = copy.appendingPathComponent("organization/list-accounts.json")
        let text = try String(contentsOf: listing, encoding: .utf8)
        let changed = text.replacingOccurrences(
            of:
                "\"Status\": \"ACTIVE\",\n            \"State\": \"ACTIVE\",\n            \"JoinedMethod\": \"INVITED\",\n            \"JoinedTimestamp\": \"2026-01-05T11:58:27.031000+00:00\",\n            \"Paths\": [\n                \"o-4kq8r2x9vb/r-7c2d/ou-7c2d-cus8m1v3/ou-7c2d-lum2h9d6/093318472718/\"",
            with:
                "\"Status\": \"SUSPENDED\",\n            \"State\": \"SUSPENDED\",\n            \"JoinedMethod\": \"INVITED\",\n            \"JoinedTimestamp\": \"2026-01-05T11:58:27.031000+00:00\",\n            \"Paths\": [\n                \"o-4kq8r2x9vb/r-7c2d/ou-7c2d-cus8m1v3/ou-7c2d-lum2h9d6/093318472718/\""
        )
        #expect(changed != text)
        try changed.write(to: listing, atomically: true, encoding: .utf8)
        #expect(try TestSupport.run(binary, arguments + ["--check"]).status == 1)
        let written = try TestSupport.run(binary, arguments)
        #expect(written.stderr.contains("1 updated"), "\(written.stderr)")
        let validate = try TestSupport.run(binary, ["validate", "-C", copy.path])
        #expect(
            validate.stdout.contains(
                "warning[PF407]: account 093318472718 (lumen-sandbox) of billing group \"lumen-analytics\" is SUSPENDED"
            ))
    }

    @Test func badJSONIsOneLineWithFileLineAndColumn() throws {
        let copy = try example()
        defer { try? FileManager.default.removeItem(at: copy.deletingLastPathComponent()) }
        let bad = TestSupport.fixtures.appendingPathComponent("organizations/bad-list-accounts.json").path
        let result = try TestSupport.run(binary, ["import", "organizations", bad, "-C", copy.path])
        #expect(result.status == 1)
        let first = result.stderr.split(separator: "\n").first.map(String.init) ?? ""
        #expect(first == "proforma: error: \(bad):8:9: expected \",\" or \"]\"", "\(result.stderr)")
    }

    @Test func exportCURWritesTheGroupsRowsAddingUpToItsInvoice() throws {
        let copy = try example()
        defer { try? FileManager.default.removeItem(at: copy.deletingLastPathComponent()) }
        let result = try TestSupport.run(
            binary,
            ["export", "cur", "--group", "lumen-analytics", "--period", "2026-10", "-o", "lumen.csv", "-C", copy.path])
        #expect(result.status == 0, "\(result.stderr)")
        let invoice = try TestSupport.run(
            binary,
            ["invoice", "--group", "lumen-analytics", "--period", "2026-10", "--format", "json", "-C", copy.path])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(invoice.stdout.utf8)) as? [String: Any])
        let totals = try #require(json["totals"] as? [String: Any])
        let total = try #require(totals["total_rounded"] as? String)
        #expect(result.stderr.contains("\(total) USD (CUR)"), "\(result.stderr) vs \(total)")
        #expect(FileManager.default.fileExists(atPath: copy.appendingPathComponent("lumen.csv").path))
        let refused = try TestSupport.run(
            binary, ["export", "cur", "--group", "lumen-analytics", "--format", "focus", "-C", copy.path])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("converting between formats is not supported"))
        #expect(refused.stdout.isEmpty)
        let standardInput = try TestSupport.run(
            binary, ["export", "cur", "--group", "lumen-analytics", "--usage", "-", "-C", copy.path])
        #expect(standardInput.status == 64)
        #expect(standardInput.stderr.contains("standard input cannot be read twice"))
        // Never through a symbolic link.
        try FileManager.default.createSymbolicLink(
            at: copy.appendingPathComponent("link.csv"), withDestinationURL: copy.appendingPathComponent("lumen.csv"))
        let linked = try TestSupport.run(
            binary, ["export", "cur", "--group", "lumen-analytics", "-o", "link.csv", "-C", copy.path])
        #expect(linked.status == 1)
        #expect(linked.stderr.contains("link.csv is a symbolic link"))
    }

    @Test func costExplorerShapeFromTheCommandLine() throws {
        let copy = try example()
        defer { try? FileManager.default.removeItem(at: copy.deletingLastPathComponent()) }
        let result = try TestSupport.run(
            binary,
            ["report", "costs", "--all-periods", "--group-by", "group", "--format", "cost-explorer", "-C", copy.path])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect((json["ResultsByTime"] as? [Any])?.count == 2)
        let margin = try TestSupport.run(binary, ["report", "margin", "--format", "cost-explorer", "-C", copy.path])
        #expect(margin.status == 64)
    }
}

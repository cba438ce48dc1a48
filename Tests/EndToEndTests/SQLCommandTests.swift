import Foundation
import ProformaTestSupport
import Testing

/// `proforma sql` through the built binary: what it prints, and how it refuses.
@Suite struct SQLCommandTests {
    let binary: URL

    init() throws {
        binary = try #require(TestSupport.proformaBinary, "the proforma executable was not built beside the tests")
    }

    var msp: URL { TestSupport.packageRoot.appendingPathComponent("examples/msp") }

    @Test func printsOneQueryWithTheConfigurationInlined() throws {
        let result = try TestSupport.run(binary, ["sql", "--dialect", "duckdb", "--format", "cur", "-C", msp.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("-- Pro forma pricing compiled by proforma for duckdb"))
        #expect(result.stdout.contains("('greenfield-retail', 'standard')"))
        #expect(result.stdout.contains("FROM usage)"))
        let invoices = try TestSupport.run(
            binary, ["sql", "--dialect", "athena", "--invoices", "--table", "cur.export", "-C", msp.path])
        #expect(invoices.status == 0, "\(invoices.stderr)")
        #expect(invoices.stdout.contains("custom_line_items(item_name"))
    }

    @Test func refusesBadArgumentsWithUsageStatus() throws {
        let format = try TestSupport.run(binary, ["sql", "--dialect", "duckdb", "--format", "csv", "-C", msp.path])
        #expect(format.status == 64)
        #expect(format.stderr.contains("--format must be cur, cur2 or focus"))
        let dialect = try TestSupport.run(binary, ["sql", "--dialect", "oracle", "-C", msp.path])
        #expect(dialect.status == 64)
        let table = try TestSupport.run(binary, ["sql", "--dialect", "duckdb", "--table", "x;y", "-C", msp.path])
        #expect(table.status == 1)
        #expect(table.stderr.contains("\"x;y\" is not a table name"))
    }

    @Test func refusesAnInvalidConfiguration() throws {
        let folder = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        try """
        kind: Project
        name: broken
        version: 1
        """.write(to: folder.appendingPathComponent("proforma.yaml"), atomically: true, encoding: .utf8)
        try """
        kind: BillingGroup
        name: retail
        primary_account_id: "111111111111"
        account_ids: ["111111111111"]
        pricing_plan: standrd
        """.write(to: folder.appendingPathComponent("retail.yaml"), atomically: true, encoding: .utf8)
        let result = try TestSupport.run(binary, ["sql", "--dialect", "postgres"], in: folder)
        #expect(result.status == 1)
        #expect(result.stderr.contains("PF301"))
        #expect(result.stdout.isEmpty)
    }
}

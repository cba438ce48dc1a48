import Foundation
import ProformaCore
import ProformaEngine
import ProformaModel
import ProformaSQL
import ProformaTestSupport
import ProformaUsage
import Testing

@Suite struct SQLCompilerTests {
    static let configuration = Configuration(
        billingGroups: [
            BillingGroup(name: "g", primaryAccountID: "111111111111", accountIDs: ["111111111111"], pricingPlan: "p")
        ],
        pricingPlans: [PricingPlan(name: "p", pricingRules: ["m"])],
        pricingRules: [PricingRule(name: "m", scope: .global, type: .markup, modifierPercentage: dec("10"))])

    @Test func refusesWhatTheEngineRefuses() {
        var broken = Self.configuration
        broken.billingGroups[0].pricingPlan = "missing"
        #expect(throws: SQLCompileError.self) {
            try SQLCompiler.compile(broken, options: SQLOptions(dialect: .duckdb))
        }
        var markup = Self.configuration
        markup.pricingRules[0].modifierPercentage = dec("10.125")  // 3 places: beyond the engine's 2
        #expect(throws: SQLCompileError.self) {
            try SQLCompiler.compile(markup, options: SQLOptions(dialect: .postgres))
        }
    }

    @Test func refusesCostAllocations() throws {
        var shared = Self.configuration
        shared.costAllocations = [
            CostAllocation(
                name: "support", source: AllocationFilter(services: ["AWSSupportBusiness"]),
                targets: [shared.billingGroups[0].name], method: .even)
        ]
        let error = try #require(throws: SQLCompileError.self) {
            try SQLCompiler.compile(shared, options: SQLOptions(dialect: .duckdb))
        }
        #expect(error.message.contains("cost allocation \"support\""))
    }

    @Test(arguments: ["usage; DROP TABLE x", "", "a.b.c.d", "1cur", "cur-2", "\"cur\""])
    func refusesTableNamesThatAreNotNames(name: String) {
        #expect(throws: SQLCompileError.self) {
            try SQLCompiler.compile(Self.configuration, options: SQLOptions(dialect: .trino, table: name))
        }
        #expect(throws: SQLCompileError.self) {
            try SQLCompiler.compile(Self.configuration, options: SQLOptions(dialect: .trino, view: name))
        }
    }

    @Test func namesTheTableAndTheView() throws {
        let text = try SQLCompiler.compile(
            Self.configuration,
            options: SQLOptions(dialect: .athena, table: "billing.cur2_export", view: "billing.pro_forma"))
        #expect(text.contains("FROM billing.cur2_export)"))
        #expect(text.contains("CREATE OR REPLACE VIEW billing.pro_forma AS\nWITH"))
        #expect(text.hasSuffix(";\n"))
    }

    /// Quotes in names reach the query as doubled quotes inside string literals, never as SQL.
    @Test func quotesNamesAsLiterals() throws {
        var quoted = Self.configuration
        quoted.pricingRules.append(
            PricingRule(name: "s", scope: .service, type: .discount, modifierPercentage: dec("5"), service: "O'Brien's")
        )
        quoted.pricingPlans[0].pricingRules.append("s")
        let text = try SQLCompiler.compile(quoted, options: SQLOptions(dialect: .duckdb))
        #expect(text.contains("'O''Brien''s'"))
        #expect(!text.contains("'O'Brien"))
    }

    @Test func columnsFollowTheReadersNames() {
        #expect(SQLCompiler.columns(for: .cur).contains("lineitem/unblendedcost"))
        #expect(SQLCompiler.columns(for: .cur2).contains("line_item_unblended_cost"))
        #expect(SQLCompiler.columns(for: .focus).contains("billedcost"))
        #expect(SQLCompiler.columns(for: .focus).contains("commitmentdiscountid"))
    }

    static var hasSQLGlot: Bool { (try? SQLHarness.run(["python3", "-c", "import sqlglot"]).status) == 0 }

    /// The Trino and Athena queries are parsed by sqlglot's parser for that dialect (they run on no engine here;
    /// their dialect-neutral core runs on DuckDB and PostgreSQL in `SQLEquivalenceTests`).
    @Test(.enabled(if: hasSQLGlot, "needs python3 with sqlglot (make deps)"))
    func trinoAndAthenaQueriesParse() throws {
        let cases = [
            try Cases.example("examples/msp"),
            try SQLEquivalenceTests.generated(seed: 4, format: "focus", variant: 0, count: 200),
        ]
        defer { SQLEquivalenceTests.removeGenerated(cases) }
        let folder = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        var files: [String] = []
        for (index, pricing) in cases.enumerated() {
            for dialect in [SQLDialect.trino, .athena, .duckdb, .postgres] {
                for invoices in [false, true] {
                    let options = SQLOptions(
                        dialect: dialect, table: "billing.cur", format: pricing.format,
                        costColumns: invoices ? .double : .text, invoices: invoices, view: invoices ? "billing.v" : nil)
                    let file = folder.appendingPathComponent("\(index)-\(dialect)-\(invoices).sql")
                    try SQLCompiler.compile(pricing.configuration, options: options).write(
                        to: file, atomically: true, encoding: .utf8)
                    files.append(file.path)
                }
            }
        }
        let script = """
            import sys, sqlglot
            names = {"trino": "trino", "athena": "athena", "duckdb": "duckdb", "postgres": "postgres"}
            for path in sys.argv[1:]:
                dialect = path.split("-")[-2]
                sqlglot.parse_one(open(path).read().rstrip().rstrip(";"), read=names[dialect])
            print(len(sys.argv) - 1)
            """
        let result = try SQLHarness.run(["python3", "-c", script] + files)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == String(files.count))
        // A query with a syntax error is refused by the same check: the check can fail.
        let broken = folder.appendingPathComponent("9-trino-false.sql")
        try "WITH a AS (SELECT 1 FROM) SELECT * FROM a".write(to: broken, atomically: true, encoding: .utf8)
        #expect(try SQLHarness.run(["python3", "-c", script, broken.path]).status != 0)
    }

    /// A group with lines in two currencies stops the invoice query, naming the group, as it stops the engine;
    /// the cost rows keep the currencies apart.
    @Test(.enabled(if: SQLHarness.hasDuckDB, "needs python3 with duckdb (make deps)"))
    func twoCurrenciesInAGroupStopTheInvoiceQuery() throws {
        let folder = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("two.csv")
        try """
        bill_billing_period_start_date,line_item_usage_account_id,line_item_line_item_type,line_item_product_code,line_item_unblended_cost,pricing_public_on_demand_cost,line_item_currency_code
        2026-10-01T00:00:00Z,111111111111,Usage,AmazonEC2,1.5,2,USD
        2026-10-01T00:00:00Z,111111111111,Usage,AmazonEC2,3,4,EUR

        """.write(to: file, atomically: true, encoding: .utf8)
        #expect(throws: (any Error).self) { try Cases.price(Self.configuration, files: [file.path]) }
        let invoices = try SQLCompiler.compile(
            Self.configuration, options: SQLOptions(dialect: .duckdb, invoices: true))
        #expect {
            try SQLHarness.query(invoices, files: [file.path], format: .cur2)
        } throws: { error in
            "\(error)".contains("billing group g has lines in two currencies in 2026-10")
        }
        let rows = try SQLHarness.query(
            SQLCompiler.compile(Self.configuration, options: SQLOptions(dialect: .duckdb)), files: [file.path],
            format: .cur2)
        #expect(rows.map { $0["currency"] ?? "" }.sorted() == ["EUR", "USD"])
        #expect(rows.map { $0["pro_forma"] ?? "" }.sorted() == ["2.2000000000", "4.4000000000"])
    }
}

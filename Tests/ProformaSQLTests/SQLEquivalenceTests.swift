import Foundation
import ProformaCore
import ProformaEngine
import ProformaModel
import ProformaSQL
import ProformaTestSupport
import ProformaUsage
import Testing

/// The compiled query gives the native engine's figures to 10 decimal places: cost rows (as `report costs` and
/// `report margin` sum them) and invoices (usage subtotal, custom line items, total and the figures shown), on
/// DuckDB and on a PostgreSQL server, over the real samples, the examples and generated data.
@Suite(.serialized) struct SQLEquivalenceTests {
    static let samples = [
        "samples/aws_cur_legacy_anonymized_2023-11_focus_converters.csv", "samples/focus_sample_1.0_1000.csv",
        "samples/koku_aws_2022-07-01_snakecase_154cols.csv",
        "samples/koku_aws_2023-06-01_legacy_201cols_savingsplan.csv", "samples/koku_test_cur_legacy_131cols.csv",
        "floats/cur_float_repr.csv",
    ]

    /// Generated data written as `format` ("cur", "cur2", "focus") into a temporary folder, with configuration
    /// `variant`.
    static func generated(seed: UInt64, format: String, variant: Int, count: Int = 1500) throws -> PricingCase {
        let usage = GeneratedUsage(seed: seed, count: count)
        let folder = try TestSupport.temporaryDirectory()
        let file = folder.appendingPathComponent("usage-\(format).csv")
        let text = format == "focus" ? usage.focus() : usage.cur(snakeCase: format == "cur2")
        try text.write(to: file, atomically: true, encoding: .utf8)
        let lines = try Cases.lines([file.path])
        return try Cases.make(
            "generated \(format) seed \(seed) (configuration \(variant))",
            Cases.configuration(for: lines, variant: variant), files: [file.path])
    }

    static func allCases() throws -> [PricingCase] {
        var cases: [PricingCase] = []
        for sample in samples { cases.append(try Cases.sample(sample)) }
        cases.append(try Cases.sample(samples[0], variant: 1))
        cases.append(try Cases.example("examples/msp"))
        cases.append(try Cases.example("examples/enterprise"))
        cases.append(try generated(seed: 1, format: "cur", variant: 0))
        cases.append(try generated(seed: 2, format: "cur2", variant: 1))
        cases.append(try generated(seed: 3, format: "focus", variant: 0))
        return cases
    }

    /// Removes the folders of generated cases' files.
    static func removeGenerated(_ cases: [PricingCase]) {
        for pricing in cases where pricing.name.hasPrefix("generated") {
            for file in pricing.files {
                try? FileManager.default.removeItem(at: URL(fileURLWithPath: file).deletingLastPathComponent())
            }
        }
    }

    /// Compares the query's results with the engine's for one case on one engine; the differences found.
    static func compare(_ pricing: PricingCase, engine: String, postgres: PostgresServer? = nil) throws -> [String] {
        let dialect: SQLDialect = engine == "postgres" ? .postgres : .duckdb
        var found: [String] = []
        let rowsQuery = try SQLCompiler.compile(
            pricing.configuration, options: SQLOptions(dialect: dialect, format: pricing.format))
        let rows = try FromSQL.costRows(
            SQLHarness.query(
                rowsQuery, files: pricing.files, format: pricing.format, engine: engine, postgres: postgres))
        let nativeRows = Native.costRows(pricing.result)
        found += differences(native: nativeRows, sql: rows).map { "\(pricing) rows: \($0)" }
        let invoiceQuery = try SQLCompiler.compile(
            pricing.configuration, options: SQLOptions(dialect: dialect, format: pricing.format, invoices: true))
        let invoices = try FromSQL.invoiceLines(
            SQLHarness.query(
                invoiceQuery, files: pricing.files, format: pricing.format, engine: engine, postgres: postgres))
        let nativeInvoices = Native.invoiceLines(pricing.result, rounding: pricing.rounding)
        found += differences(native: nativeInvoices, sql: invoices).map { "\(pricing) invoices: \($0)" }
        if nativeRows.isEmpty || nativeInvoices.isEmpty { found.append("\(pricing): nothing was priced") }
        return found
    }

    @Test(.enabled(if: SQLHarness.hasDuckDB, "needs python3 with duckdb (make deps)"))
    func duckDBGivesTheEngineFigures() throws {
        let cases = try Self.allCases()
        defer { Self.removeGenerated(cases) }
        for pricing in cases {
            let found = try Self.compare(pricing, engine: "duckdb")
            #expect(found.isEmpty, "\(found.joined(separator: "\n"))")
        }
    }

    /// One server for every case.
    @Test(.enabled(if: PostgresServer.unavailableReason == nil, "\(PostgresServer.unavailableReason ?? "")"))
    func postgresGivesTheEngineFigures() throws {
        let server = try PostgresServer()
        defer { server.stop() }
        let cases = try Self.allCases()
        defer { Self.removeGenerated(cases) }
        for pricing in cases {
            let found = try Self.compare(pricing, engine: "postgres", postgres: server)
            #expect(found.isEmpty, "\(found.joined(separator: "\n"))")
        }
    }

    /// The generated data reaches every line class (but the shares of cost allocations, which the compiler
    /// refuses), custom tiers and every kind of custom line item, so the comparisons above cover them.
    @Test func generatedDataReachesEveryClass() throws {
        let pricing = try Self.generated(seed: 1, format: "cur", variant: 0)
        defer { Self.removeGenerated([pricing]) }
        let classes = Set(Native.costRows(pricing.result).keys.map(\.lineClass))
        #expect(classes == Set(LineCategory.allCases.filter { $0 != .allocated }.map(\.rawValue)))
        let tiered = pricing.configuration.pricingRules.filter { !($0.tiering?.tiers.isEmpty ?? true) }.map(\.name)
        #expect(tiered.count == 2)
        let items = pricing.result.groups.flatMap(\.customLineItems)
        #expect(items.contains { $0.base != nil && !$0.amount.isZero })
        #expect(items.contains { $0.type == .credit && $0.base == nil })
        #expect(Set(pricing.result.groups.map(\.group)) == ["a", "b"])
    }
}

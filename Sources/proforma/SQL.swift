import ArgumentParser
import Foundation
import ProformaCore
import ProformaFrontend
import ProformaSQL
import ProformaUsage

extension SQLDialect: ExpressibleByArgument {}
extension SQLCostColumns: ExpressibleByArgument {}

struct SQL: ProformaCommand {
    static let configuration = CommandConfiguration(
        commandName: "sql",
        abstract: "Print the pricing as one SQL query over a usage table (Athena/Trino, DuckDB, PostgreSQL).",
        discussion: """
            The query prices the table's lines as invoice and report do, to the same figures: per period, billing \
            group, account, service and line class, the pro forma cost, AWS cost, actual and public cost; with \
            --invoices, each group's usage subtotal, custom line items and total, rounded as its invoice is. The \
            configuration is inlined as VALUES rows, so the query needs nothing but the table. The table's columns \
            are the export's header names in lower case (see README: SQL).
            """)

    @OptionGroup var repository: RepositoryOptions

    @Argument(
        help: ArgumentHelp(
            "A git revision (main, HEAD~2, a1b2c3d, origin/main). Default: the working tree.", valueName: "rev"))
    var revision: String?

    @Option(help: "The SQL dialect: athena, trino, duckdb or postgres.")
    var dialect: SQLDialect

    @Option(help: ArgumentHelp("The usage table (name, schema.name or catalog.schema.name).", valueName: "name"))
    var table = "usage"

    @Option(
        help: ArgumentHelp(
            "The export the table holds: cur (legacy CSV names), cur2 (CUR 2.0 and Athena's snake_case) or focus.",
            valueName: "format"))
    var format = "cur2"

    @Option(
        help: ArgumentHelp(
            "How the table holds costs and quantities: text (exact) or double (Parquet exports).", valueName: "type"))
    var costColumns: SQLCostColumns = .text

    @Flag(help: "Return each group's usage subtotal, custom line items and total per period instead of cost rows.")
    var invoices = false

    @Option(
        name: .customLong("create-view"),
        help: ArgumentHelp("Print CREATE OR REPLACE VIEW name AS the query.", valueName: "name"))
    var view: String?

    @Flag(help: "Refuse a configuration with warnings too, as `validate --strict` does.")
    var strict = false

    func validate() throws {
        guard Self.formats[format] != nil else {
            throw ValidationError("--format must be cur, cur2 or focus, not \"\(format)\"")
        }
    }

    static let formats: [String: UsageFormat] = ["cur": .cur, "cur2": .cur2, "focus": .focus]

    func execute() throws -> ExitCode {
        let validated = try repository.frontend().validConfiguration(revision: revision, strict: strict)
        let options = SQLOptions(
            dialect: dialect, table: table, format: Self.formats[format] ?? .cur2, costColumns: costColumns,
            invoices: invoices, view: view)
        let query: String
        switch Result(catching: { () throws(SQLCompileError) in
            try SQLCompiler.compile(validated.configuration, options: options)
        }) {
        case .success(let text): query = text
        case .failure(let error): throw UserError(error.message, hint: error.hint, kind: .failure)
        }
        Terminal.write(query)
        return ExitStatus.success
    }
}

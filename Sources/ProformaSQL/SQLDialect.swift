/// The SQL engines the compiled query is written for. They differ only in a few expressions, each written here.
public enum SQLDialect: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Amazon Athena (engine version 3, Trino).
    case athena
    case trino
    case duckdb
    case postgres

    public var description: String { rawValue }

    /// The exact integer type the largest-remainder splits are computed in: 38 digits, overflow an error.
    var integerType: String {
        switch self {
        case .duckdb: "HUGEINT"
        case .postgres: "NUMERIC"
        case .athena, .trino: "DECIMAL(38,0)"
        }
    }

    /// `a mod b` of exact integers, with the sign of `a` (as every dialect here computes it).
    func modulo(_ a: String, _ b: String) -> String {
        switch self {
        case .duckdb: "((\(a)) % (\(b)))"
        case .postgres, .athena, .trino: "mod(\(a), \(b))"
        }
    }

    /// `a / b` of exact integers where `b` divides `a` (DuckDB's `/` would give a DOUBLE).
    func exactQuotient(_ a: String, _ b: String) -> String {
        switch self {
        case .duckdb: "((\(a)) // (\(b)))"
        case .postgres: "div(\(a), \(b))"
        case .athena, .trino: "((\(a)) / (\(b)))"
        }
    }

    /// Text compared byte by byte, as the native engine orders names (PostgreSQL otherwise sorts by the locale).
    func binary(_ text: String) -> String {
        switch self {
        case .postgres: "\(text) COLLATE \"C\""
        case .duckdb, .athena, .trino: text
        }
    }
}

/// How the usage table holds its cost and quantity columns.
public enum SQLCostColumns: String, Sendable, Hashable, CaseIterable {
    /// As text, exactly as the export wrote them (CSV tables): read exactly.
    case text
    /// As `double` (Athena's CUR 2.0 and FOCUS Parquet tables): each value is the binary double's decimal expansion
    /// rounded to 20 places, which agrees with the export's text to about 15 significant digits only.
    case double
}

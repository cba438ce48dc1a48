import ProformaCore

/// The output formats of `proforma validate`. Closed: every renderer switches over it exhaustively.
public enum DiagnosticFormat: String, CaseIterable, Sendable, Hashable {
    /// For people: each problem with its source line and a caret, then a summary line.
    case text
    /// For programs: one JSON document with sorted keys (`format_version` 1).
    case json
    /// GitHub Actions workflow commands: one annotation per problem, then the summary line.
    case github
    /// SARIF 2.1.0, for code scanning.
    case sarif
    /// JUnit XML, for CI systems that count test cases.
    case junit
}

/// The result of validating one configuration: what the renderers turn into text.
public struct ValidationReport: Sendable, Hashable {
    /// The problems found, already sorted by the caller (see `Diagnostic`'s ordering). Renderers keep this order.
    public var diagnostics: [Diagnostic]
    /// The revision validated, as it is named in messages (for example `main (a1b2c3d)`); nil for the working tree.
    public var revision: String?
    /// How many configuration files were read.
    public var filesChecked: Int
    /// How many resources (documents) were checked.
    public var resourcesChecked: Int
    /// The version of proforma that validated, for SARIF and JUnit.
    public var toolVersion: String
    /// Where the configuration root stands, relative to the repository root (`/`-separated). Paths in diagnostics
    /// are relative to the configuration root; the formats read by CI (github, sarif, junit) need paths relative to
    /// the repository, so they are prefixed with this root. Nil, empty or `.` means the two roots are the same.
    public var root: String?

    public init(
        diagnostics: [Diagnostic], revision: String? = nil, filesChecked: Int, resourcesChecked: Int,
        toolVersion: String, root: String? = nil
    ) {
        self.diagnostics = diagnostics
        self.revision = revision
        self.filesChecked = filesChecked
        self.resourcesChecked = resourcesChecked
        self.toolVersion = toolVersion
        self.root = root
    }

    public var errorCount: Int { diagnostics.errorCount }
    public var warningCount: Int { diagnostics.warningCount }
    public var noteCount: Int { diagnostics.count { $0.severity == .note } }

    /// Whether `diagnostic` fails the run: errors always, warnings under `strict`, notes never.
    public static func fails(_ diagnostic: Diagnostic, strict: Bool) -> Bool {
        switch diagnostic.severity {
        case .error: true
        case .warning: strict
        case .note: false
        }
    }

    /// How many diagnostics fail the run (see `fails(_:strict:)`).
    public func failureCount(strict: Bool) -> Int {
        diagnostics.count { Self.fails($0, strict: strict) }
    }

    /// Whether the run fails: at least one error, or at least one warning under `strict`.
    public func failed(strict: Bool) -> Bool {
        diagnostics.contains { Self.fails($0, strict: strict) }
    }

    /// The configuration root without a leading `./` or trailing `/`; nil when it is the repository root.
    public var normalizedRoot: String? {
        guard var root else { return nil }
        while root.hasPrefix("./") { root.removeFirst(2) }
        while root.hasSuffix("/") { root.removeLast() }
        return root.isEmpty || root == "." ? nil : root
    }

    /// `path` (relative to the configuration root) made relative to the repository root.
    public func repositoryPath(_ path: String) -> String {
        guard let root = normalizedRoot else { return path }
        return root + "/" + path
    }
}

/// How a report is rendered. The library never looks at the terminal or the environment: the caller decides.
public struct RenderOptions: Sendable, Hashable {
    /// ANSI colour in the text format. The caller turns it on only for a terminal and never under `NO_COLOR`.
    public var color: Bool
    /// Warnings fail the run, as errors do (`--strict`). Changes JUnit failures and the JSON summary's `failed`;
    /// severities themselves are never changed.
    public var strict: Bool
    /// Columns between tab stops when a source line holding tabs is shown (text format). Below 1 counts as 1.
    public var tabWidth: Int
    /// How many diagnostics the formats read by people (text, github) show at most, in all and of one file; a
    /// line then says how many more there were. The machine formats (json, sarif, junit) list every one.
    public var shown: DiagnosticLimit

    public init(color: Bool = false, strict: Bool = false, tabWidth: Int = 4, shown: DiagnosticLimit = .default) {
        self.color = color
        self.strict = strict
        self.tabWidth = max(1, tabWidth)
        self.shown = shown
    }
}

/// A bound on the diagnostics shown: a hostile or broken file can have a million problems, and nobody reads past
/// the first few hundred. Errors are shown before warnings and notes when not all fit; those shown keep their
/// order.
public struct DiagnosticLimit: Sendable, Hashable {
    /// Most diagnostics shown in one run.
    public var total: Int
    /// Most diagnostics shown of one file (problems of the configuration as a whole count as one file).
    public var perFile: Int

    public init(total: Int, perFile: Int) {
        self.total = max(0, total)
        self.perFile = max(0, perFile)
    }

    /// 200 in all, 50 of one file.
    public static let `default` = DiagnosticLimit(total: 200, perFile: 50)
    /// Every diagnostic.
    public static let unlimited = DiagnosticLimit(total: .max, perFile: .max)

    /// The positions in `diagnostics` of those shown, ascending: errors first, then warnings, then notes, each in
    /// order, as long as the file and the run have room.
    func selection(of diagnostics: [Diagnostic]) -> [Int] {
        guard diagnostics.count > min(total, perFile) else { return Array(diagnostics.indices) }
        var perPath: [String: Int] = [:]
        var chosen: [Int] = []
        for severity in Severity.allCases.sorted() {
            for (index, diagnostic) in diagnostics.enumerated() where diagnostic.severity == severity {
                guard chosen.count < total else { break }
                let path = diagnostic.location?.path ?? ""
                guard perPath[path, default: 0] < perFile else { continue }
                perPath[path, default: 0] += 1
                chosen.append(index)
            }
        }
        return chosen.sorted()
    }
}

/// The line that says how many diagnostics were not shown: `… 1,234 more problems not shown (1,200 errors,
/// 34 warnings); at most 50 of a file and 200 in all are shown`.
enum OmittedLine {
    static func make(omitted: [Diagnostic], limit: DiagnosticLimit) -> String? {
        guard !omitted.isEmpty else { return nil }
        var parts: [String] = []
        let errors = omitted.errorCount
        let warnings = omitted.warningCount
        let notes = omitted.count - errors - warnings
        if errors > 0 { parts.append(SummaryLine.counted(errors, "error", "errors")) }
        if warnings > 0 { parts.append(SummaryLine.counted(warnings, "warning", "warnings")) }
        if notes > 0 { parts.append(SummaryLine.counted(notes, "note", "notes")) }
        let problems = SummaryLine.counted(omitted.count, "more problem", "more problems")
        return "… \(problems) not shown (\(parts.joined(separator: ", "))): at most \(limit.perFile) of a file and "
            + "\(limit.total) in all are shown; the json, sarif and junit formats list every one"
    }
}

/// The summary line shared by the text and github formats:
/// `2 errors, 1 warning in 7 files (12 resources)`, `no problems in 1 file (1 resource)`.
/// Notes are counted too (`1 note`), and a validated revision is named at the end (`… at main (a1b2c3d)`).
enum SummaryLine {
    static func make(for report: ValidationReport) -> String {
        var parts: [String] = []
        if report.errorCount > 0 { parts.append(counted(report.errorCount, "error", "errors")) }
        if report.warningCount > 0 { parts.append(counted(report.warningCount, "warning", "warnings")) }
        if report.noteCount > 0 { parts.append(counted(report.noteCount, "note", "notes")) }
        let problems = parts.isEmpty ? "no problems" : parts.joined(separator: ", ")
        var line = problems + " in " + counted(report.filesChecked, "file", "files")
            + " (" + counted(report.resourcesChecked, "resource", "resources") + ")"
        if let revision = report.revision { line += " at " + revision }
        return line
    }

    static func counted(_ count: Int, _ singular: String, _ plural: String) -> String {
        "\(count) " + (count == 1 ? singular : plural)
    }
}

import ProformaCore

/// The json format, `format_version` 1:
///
/// ```json
/// {
///   "diagnostics": [
///     {
///       "code": "PF401",
///       "column": 21,
///       "hint": "add it to account_ids, or make a member the primary account",
///       "line": 4,
///       "message": "primary account \"333333333333\" is not among the group's accounts",
///       "name": "primary-not-member",
///       "path": "billing-groups/retail.yaml",
///       "severity": "error"
///     }
///   ],
///   "format_version": 1,
///   "revision": null,
///   "root": null,
///   "summary": {
///     "errors": 1, "failed": true, "files": 7, "notes": 0, "resources": 12, "strict": false, "warnings": 0
///   },
///   "tool_version": "0.1.0"
/// }
/// ```
///
/// Every key is always present; an absent value is `null` (`path`, `line` and `column` of a problem of the whole
/// configuration, a missing `hint`, the `revision` of the working tree, a `root` that is the repository root).
/// Paths are relative to the configuration root, as in the text format; `root` is where that stands in the
/// repository. `summary.failed` is what the exit status reports: errors, or warnings too under `strict`.
enum JSONDiagnostics {
    static let formatVersion = 1

    static func render(_ report: ValidationReport, options: RenderOptions) -> String {
        let diagnostics: [JSONValue] = report.diagnostics.map { diagnostic in
            .object([
                "code": .string(diagnostic.code.rawValue),
                "name": .string(diagnostic.code.name),
                "severity": .string(diagnostic.severity.rawValue),
                "message": .string(diagnostic.message),
                "path": .string(diagnostic.location?.path),
                "line": .int(diagnostic.location?.line),
                "column": .int(diagnostic.location?.column),
                "hint": .string(diagnostic.hint),
            ])
        }
        let summary: JSONValue = .object([
            "errors": .int(report.errorCount),
            "warnings": .int(report.warningCount),
            "notes": .int(report.noteCount),
            "files": .int(report.filesChecked),
            "resources": .int(report.resourcesChecked),
            "strict": .bool(options.strict),
            "failed": .bool(report.failed(strict: options.strict)),
        ])
        return JSONWriter.write(
            .object([
                "format_version": .int(formatVersion),
                "diagnostics": .array(diagnostics),
                "summary": summary,
                "revision": .string(report.revision),
                "root": .string(report.normalizedRoot),
                "tool_version": .string(report.toolVersion),
            ]))
    }
}

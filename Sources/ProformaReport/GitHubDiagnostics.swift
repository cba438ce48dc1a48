import ProformaCore

/// The github format: one GitHub Actions workflow command per diagnostic, then the summary line as plain text.
///
/// ```
/// ::error file=billing/billing-groups/retail.yaml,line=4,col=21,title=PF401 primary-not-member::primary account "333333333333" is not among the group's accounts (hint: add it to account_ids, or make a member the primary account)
/// ```
///
/// error → `::error`, warning → `::warning`, note → `::notice`. The summary line is plain text, with any line
/// break (from a revision name) turned into a space so it cannot start a command. `file` is relative to the repository (prefixed
/// with the report's root); a problem of the whole configuration has no `file`, `line` or `col`. Escaping follows
/// the runner: in the message `%`, CR and LF become `%25`, `%0D`, `%0A`; property values also escape `:` and `,`
/// (`%3A`, `%2C`). At most `RenderOptions.shown` annotations are written, then a plain line says how many more
/// there were.
enum GitHubDiagnostics {
    static func render(_ report: ValidationReport, options: RenderOptions) -> String {
        var output = ""
        let shown = options.shown.selection(of: report.diagnostics)
        for diagnostic in shown.lazy.map({ report.diagnostics[$0] }) {
            var properties: [String] = []
            if let location = diagnostic.location {
                properties.append("file=" + escapeProperty(report.repositoryPath(location.path)))
                properties.append("line=\(location.line)")
                properties.append("col=\(location.column)")
            }
            properties.append("title=" + escapeProperty("\(diagnostic.code.rawValue) \(diagnostic.code.name)"))
            var message = diagnostic.message
            if let hint = diagnostic.hint { message += " (hint: \(hint))" }
            output += "::\(command(diagnostic.severity)) " + properties.joined(separator: ",") + "::"
                + escapeData(message) + "\n"
        }
        // A plain line: never read as a command, so a line break (which could start one) becomes a space.
        let summary = SummaryLine.make(for: report).unicodeScalars.map { scalar -> Character in
            switch scalar {
            case "\n", "\r", "\u{85}", "\u{2028}", "\u{2029}": " "
            default: Character(scalar)
            }
        }
        let omitted = omittedDiagnostics(report.diagnostics, shown: shown)
        if let line = OmittedLine.make(omitted: omitted, limit: options.shown) { output += line + "\n" }
        output += String(summary) + "\n"
        return output
    }

    static func command(_ severity: Severity) -> String {
        switch severity {
        case .error: "error"
        case .warning: "warning"
        case .note: "notice"
        }
    }

    /// Escapes a command's message: `%` → `%25`, CR → `%0D`, LF → `%0A`; other control characters (the log viewer
    /// interprets ANSI escapes) as their visible stand-ins (see `TerminalText.visible`), tab excepted.
    static func escapeData(_ text: String) -> String {
        escape(text, properties: false)
    }

    /// Escapes a command's property value: as the message, and `:` → `%3A`, `,` → `%2C`.
    static func escapeProperty(_ text: String) -> String {
        escape(text, properties: true)
    }

    private static func escape(_ text: String, properties: Bool) -> String {
        var output = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "%": output += "%25"
            case "\r": output += "%0D"
            case "\n": output += "%0A"
            case ":" where properties: output += "%3A"
            case "," where properties: output += "%2C"
            case "\t": output.unicodeScalars.append(scalar)
            default: output.unicodeScalars.append(TerminalText.visible(scalar))
            }
        }
        return output
    }
}

import ProformaCore

/// The junit format: JUnit XML with one suite, `proforma validate`.
///
/// ```xml
/// <?xml version="1.0" encoding="UTF-8"?>
/// <testsuites name="proforma validate" tests="1" failures="1" errors="0">
///   <testsuite name="proforma validate" tests="1" failures="1" errors="0" skipped="0">
///     <properties>…</properties>
///     <testcase classname="billing/billing-groups/retail.yaml" name="PF401 line 4">
///       <failure message="primary account …" type="PF401">billing/billing-groups/retail.yaml:4:21: error[PF401]: …
/// hint: …</failure>
///     </testcase>
///   </testsuite>
/// </testsuites>
/// ```
///
/// - One test case per diagnostic: `classname` is the path relative to the repository (prefixed with the report's
///   root), or `proforma` for a problem of the whole configuration; `name` is `CODE line L`, or the code alone.
/// - Errors, and warnings under `strict`, are failures; other diagnostics pass and carry their text in
///   `system-out`. When nothing fails, a passing test case `proforma` / `validate` is added, so a clean run still
///   counts a test.
/// - Properties record the revision (when one was validated), the tool version and the counts checked.
/// - No timestamps or durations, so the output is reproducible.
/// - Everything is escaped (`&`, `<`, `>`, `"`, `'`); tab, line feed and carriage return are character references
///   in attributes (and carriage return in text) so parsers keep them; other characters XML 1.0 cannot carry
///   (C0 controls, U+FFFE, U+FFFF) become U+FFFD.
enum JUnitDiagnostics {
    static let suiteName = "proforma validate"

    static func render(_ report: ValidationReport, options: RenderOptions) -> String {
        let failures = report.failureCount(strict: options.strict)
        let tests = report.diagnostics.count + (failures == 0 ? 1 : 0)
        let counts = "tests=\"\(tests)\" failures=\"\(failures)\" errors=\"0\""

        var output = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        output += "<testsuites name=\"\(XML.attribute(suiteName))\" \(counts)>\n"
        output += "  <testsuite name=\"\(XML.attribute(suiteName))\" \(counts) skipped=\"0\">\n"

        var properties: [(String, String)] = []
        if let revision = report.revision { properties.append(("revision", revision)) }
        properties.append(("tool_version", report.toolVersion))
        properties.append(("files_checked", String(report.filesChecked)))
        properties.append(("resources_checked", String(report.resourcesChecked)))
        output += "    <properties>\n"
        for (name, value) in properties {
            output += "      <property name=\"\(XML.attribute(name))\" value=\"\(XML.attribute(value))\"/>\n"
        }
        output += "    </properties>\n"

        for diagnostic in report.diagnostics {
            let classname: String
            let name: String
            var body = ""
            if let location = diagnostic.location {
                let path = report.repositoryPath(location.path)
                classname = path
                name = "\(diagnostic.code.rawValue) line \(location.line)"
                body = "\(path):\(location.line):\(location.column): "
            } else {
                classname = "proforma"
                name = diagnostic.code.rawValue
            }
            body += "\(diagnostic.severity.rawValue)[\(diagnostic.code.rawValue)]: \(diagnostic.message)"
            if let hint = diagnostic.hint { body += "\nhint: \(hint)" }

            output += "    <testcase classname=\"\(XML.attribute(classname))\" name=\"\(XML.attribute(name))\">\n"
            if ValidationReport.fails(diagnostic, strict: options.strict) {
                output += "      <failure message=\"\(XML.attribute(diagnostic.message))\""
                    + " type=\"\(XML.attribute(diagnostic.code.rawValue))\">\(XML.text(body))</failure>\n"
            } else {
                output += "      <system-out>\(XML.text(body))</system-out>\n"
            }
            output += "    </testcase>\n"
        }
        if failures == 0 {
            output += "    <testcase classname=\"proforma\" name=\"validate\"/>\n"
        }
        output += "  </testsuite>\n"
        output += "</testsuites>\n"
        return output
    }
}

/// Escaping for XML 1.0.
enum XML {
    /// Escapes text for an attribute value in double quotes.
    static func attribute(_ text: String) -> String {
        escape(text, inAttribute: true)
    }

    /// Escapes character data.
    static func text(_ text: String) -> String {
        escape(text, inAttribute: false)
    }

    private static func escape(_ text: String, inAttribute: Bool) -> String {
        var output = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "'": output += "&apos;"
            case "\r": output += "&#13;"
            case "\t" where inAttribute: output += "&#9;"
            case "\n" where inAttribute: output += "&#10;"
            case "\t", "\n": output.unicodeScalars.append(scalar)
            case "\u{00}"..."\u{1F}", "\u{FFFE}", "\u{FFFF}": output += "\u{FFFD}"
            case "\u{7F}"..."\u{9F}", "\u{202A}"..."\u{202E}", "\u{2066}"..."\u{2069}":
                // Allowed in XML, but not to reach a terminal or a report viewer: visible stand-ins.
                output.unicodeScalars.append(TerminalText.visible(scalar))
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output
    }
}

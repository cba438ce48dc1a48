import ProformaCore

/// The sarif format: SARIF 2.1.0 with one run, written with sorted keys like the json format.
///
/// - `tool.driver` is `proforma` with the report's tool version, and lists every code of the catalogue
///   (`DiagnosticCode.allCases`, in catalogue order) as a rule, used or not: code scanning then knows every rule, and
///   a rule's `ruleIndex` is the same from one run to the next. A rule has `id` (`PF401`), `name`
///   (`primary-not-member`), `shortDescription.text` (the code's summary) and `defaultConfiguration.level`.
/// - Each result has `ruleId`, `ruleIndex`, `level` (error, warning, note) and `message.text`: the message, then
///   ` (hint: …)` when there is a hint.
/// - A located result has one physical location: `artifactLocation.uri` is the path relative to the repository
///   (prefixed with the report's root), percent-encoded as a URI reference (`uriBaseId` `%SRCROOT%`), and `region`
///   gives `startLine` and `startColumn`. Columns count Unicode scalars, declared by the run's `columnKind`
///   `unicodeCodePoints`. A problem of the whole configuration has no location; code scanning does not show such
///   results, the other formats do.
/// - A validated revision is recorded in the run's `properties.revision`.
enum SARIFDiagnostics {
    static let schema = "https://json.schemastore.org/sarif-2.1.0.json"

    static func render(_ report: ValidationReport) -> String {
        let codes = DiagnosticCode.allCases
        var ruleIndex: [DiagnosticCode: Int] = [:]
        for (index, code) in codes.enumerated() { ruleIndex[code] = index }

        let rules: [JSONValue] = codes.map { code in
            .object([
                "id": .string(code.rawValue),
                "name": .string(code.name),
                "shortDescription": .object(["text": .string(code.summary)]),
                "defaultConfiguration": .object(["level": .string(level(code.defaultSeverity))]),
            ])
        }

        let results: [JSONValue] = report.diagnostics.map { diagnostic in
            var text = diagnostic.message
            if let hint = diagnostic.hint { text += " (hint: \(hint))" }
            var result: [String: JSONValue] = [
                "ruleId": .string(diagnostic.code.rawValue),
                "ruleIndex": .int(ruleIndex[diagnostic.code]),
                "level": .string(level(diagnostic.severity)),
                "message": .object(["text": .string(text)]),
            ]
            if let location = diagnostic.location {
                result["locations"] = .array([
                    .object([
                        "physicalLocation": .object([
                            "artifactLocation": .object([
                                "uri": .string(uriReference(report.repositoryPath(location.path))),
                                "uriBaseId": .string("%SRCROOT%"),
                            ]),
                            "region": .object([
                                "startLine": .int(location.line),
                                "startColumn": .int(location.column),
                            ]),
                        ])
                    ])
                ])
            }
            return .object(result)
        }

        var run: [String: JSONValue] = [
            "tool": .object([
                "driver": .object([
                    "name": .string("proforma"),
                    "version": .string(report.toolVersion),
                    "rules": .array(rules),
                ])
            ]),
            "columnKind": .string("unicodeCodePoints"),
            "results": .array(results),
        ]
        if let revision = report.revision {
            run["properties"] = .object(["revision": .string(revision)])
        }

        return JSONWriter.write(
            .object([
                "$schema": .string(schema),
                "version": .string("2.1.0"),
                "runs": .array([.object(run)]),
            ]))
    }

    static func level(_ severity: Severity) -> String {
        switch severity {
        case .error: "error"
        case .warning: "warning"
        case .note: "note"
        }
    }

    /// A relative path as a URI reference (RFC 3986): bytes outside the unreserved characters, the
    /// sub-delimiters, `@` and `/` are percent-encoded as UTF-8 (`a b:c.yaml` → `a%20b%3Ac.yaml`). `:` is encoded
    /// so a first segment never reads as a scheme.
    static func uriReference(_ path: String) -> String {
        var output = ""
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"):
                output.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"),
                UInt8(ascii: "!"), UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "("),
                UInt8(ascii: ")"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: ";"),
                UInt8(ascii: "="), UInt8(ascii: "@"):
                output.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                output += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return output
    }
}

import Foundation
import FoundationXML
import ProformaCore
import Testing

@testable import ProformaReport

/// The formats read by programs: they must parse, and say what they should once parsed.
@Suite struct JSONFormatTests {
    func parse(_ text: String) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
        return try #require(object as? [String: Any])
    }

    @Test func sampleParsesAndCarriesEveryDiagnostic() throws {
        let text = DiagnosticRenderer.render(Fixtures.sample, as: .json)
        let json = try parse(text)
        #expect(Set(json.keys) == ["diagnostics", "format_version", "revision", "root", "summary", "tool_version"])
        #expect(json["format_version"] as? Int == 1)
        #expect(json["revision"] as? String == "main (a1b2c3d)")
        #expect(json["root"] as? String == "billing")
        #expect(json["tool_version"] as? String == "0.1.0")

        let diagnostics = try #require(json["diagnostics"] as? [[String: Any]])
        #expect(diagnostics.count == Fixtures.diagnostics.count)
        for (object, diagnostic) in zip(diagnostics, Fixtures.diagnostics) {
            #expect(Set(object.keys) == ["code", "name", "severity", "message", "path", "line", "column", "hint"])
            #expect(object["code"] as? String == diagnostic.code.rawValue)
            #expect(object["name"] as? String == diagnostic.code.name)
            #expect(object["severity"] as? String == diagnostic.severity.rawValue)
            #expect(object["message"] as? String == diagnostic.message)
            if let hint = diagnostic.hint {
                #expect(object["hint"] as? String == hint)
            } else {
                #expect(object["hint"] is NSNull)
            }
            if let location = diagnostic.location {
                #expect(object["path"] as? String == location.path)
                #expect(object["line"] as? Int == location.line)
                #expect(object["column"] as? Int == location.column)
            } else {
                #expect(object["path"] is NSNull && object["line"] is NSNull && object["column"] is NSNull)
            }
        }
        #expect(diagnostics.contains { $0["hint"] as? String == Fixtures.escapingHint })
        #expect(diagnostics.contains { $0["message"] as? String == Fixtures.controlMessage })

        let summary = try #require(json["summary"] as? [String: Any])
        #expect(summary["errors"] as? Int == 7)
        #expect(summary["warnings"] as? Int == 2)
        #expect(summary["notes"] as? Int == 1)
        #expect(summary["files"] as? Int == 7)
        #expect(summary["resources"] as? Int == 12)
        #expect(summary["failed"] as? Bool == true)
        #expect(summary["strict"] as? Bool == false)
    }

    @Test func cleanReportHasNullsAndDoesNotFail() throws {
        let json = try parse(DiagnosticRenderer.render(Fixtures.clean, as: .json))
        #expect((json["diagnostics"] as? [Any])?.isEmpty == true)
        #expect(json["revision"] is NSNull)
        #expect(json["root"] is NSNull)
        let summary = try #require(json["summary"] as? [String: Any])
        #expect(summary["failed"] as? Bool == false)
    }

    @Test func warningsFailOnlyUnderStrict() throws {
        let report = ValidationReport(
            diagnostics: [.warning(.unusedPricingRule, "unused", at: nil)], filesChecked: 1, resourcesChecked: 1,
            toolVersion: "0")
        let lenient = try parse(DiagnosticRenderer.render(report, as: .json))
        let strict = try parse(DiagnosticRenderer.render(report, as: .json, options: RenderOptions(strict: true)))
        #expect((lenient["summary"] as? [String: Any])?["failed"] as? Bool == false)
        #expect((strict["summary"] as? [String: Any])?["failed"] as? Bool == true)
    }

    @Test func writerSortsKeysIndentsAndEscapes() {
        let value = JSONValue.object([
            "zeta": .array([.int(1), .bool(false), .null]),
            "alpha": .object([:]),
            "Beta": .array([]),
            "text": .string("q\" b\\ /\n\r\t\u{8}\u{C}\u{1B}\u{7F}\u{2028}é"),
        ])
        #expect(
            JSONWriter.write(value) == """
                {
                  "Beta": [],
                  "alpha": {},
                  "text": "q\\" b\\\\ /\\n\\r\\t\\b\\f\\u001b\\u007f\\u2028é",
                  "zeta": [
                    1,
                    false,
                    null
                  ]
                }

                """)
    }

    @Test func outputIsDeterministic() {
        for format in DiagnosticFormat.allCases {
            let first = DiagnosticRenderer.render(Fixtures.sample, as: format, sources: Fixtures.sampleSources)
            for _ in 0..<5 {
                let again = DiagnosticRenderer.render(Fixtures.sample, as: format, sources: Fixtures.sampleSources)
                #expect(again == first)
            }
        }
    }
}

@Suite struct SARIFFormatTests {
    func parse(_ report: ValidationReport) throws -> (log: [String: Any], run: [String: Any]) {
        let text = DiagnosticRenderer.render(report, as: .sarif)
        let log = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let runs = try #require(log["runs"] as? [[String: Any]])
        #expect(runs.count == 1)
        return (log, try #require(runs.first))
    }

    @Test func sampleIsSARIF210WithEveryRule() throws {
        let (log, run) = try parse(Fixtures.sample)
        #expect(log["version"] as? String == "2.1.0")
        #expect(log["$schema"] as? String == "https://json.schemastore.org/sarif-2.1.0.json")
        #expect(run["columnKind"] as? String == "unicodeCodePoints")
        #expect((run["properties"] as? [String: Any])?["revision"] as? String == "main (a1b2c3d)")

        let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        #expect(driver["name"] as? String == "proforma")
        #expect(driver["version"] as? String == "0.1.0")
        let rules = try #require(driver["rules"] as? [[String: Any]])
        #expect(rules.map { $0["id"] as? String } == DiagnosticCode.allCases.map(\.rawValue))
        for (rule, code) in zip(rules, DiagnosticCode.allCases) {
            #expect(rule["name"] as? String == code.name)
            #expect((rule["shortDescription"] as? [String: Any])?["text"] as? String == code.summary)
            let level = (rule["defaultConfiguration"] as? [String: Any])?["level"] as? String
            #expect(level == code.defaultSeverity.rawValue)
        }

        let results = try #require(run["results"] as? [[String: Any]])
        #expect(results.count == Fixtures.diagnostics.count)
        for (result, diagnostic) in zip(results, Fixtures.diagnostics) {
            let ruleIndex = try #require(result["ruleIndex"] as? Int)
            #expect(rules[ruleIndex]["id"] as? String == diagnostic.code.rawValue)
            #expect(result["ruleId"] as? String == diagnostic.code.rawValue)
            #expect(result["level"] as? String == diagnostic.severity.rawValue)
            let text = (result["message"] as? [String: Any])?["text"] as? String
            #expect(text == diagnostic.message + (diagnostic.hint.map { " (hint: \($0))" } ?? ""))

            if let location = diagnostic.location {
                let locations = try #require(result["locations"] as? [[String: Any]])
                #expect(locations.count == 1)
                let physical = try #require(locations[0]["physicalLocation"] as? [String: Any])
                let artifact = try #require(physical["artifactLocation"] as? [String: Any])
                let uri = try #require(artifact["uri"] as? String)
                #expect(uri.removingPercentEncoding == "billing/" + location.path)
                #expect(URL(string: uri) != nil)
                #expect(!uri.contains(" "))
                let region = try #require(physical["region"] as? [String: Any])
                #expect(region["startLine"] as? Int == location.line)
                #expect(region["startColumn"] as? Int == location.column)
            } else {
                #expect(result["locations"] == nil)
            }
        }
    }

    @Test func cleanReportHasNoResultsButEveryRule() throws {
        let (_, run) = try parse(Fixtures.clean)
        #expect((run["results"] as? [Any])?.isEmpty == true)
        #expect(run["properties"] == nil)
        let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        #expect((driver["rules"] as? [Any])?.count == DiagnosticCode.allCases.count)
    }

    @Test(arguments: [
        ("billing-groups/retail.yaml", "billing-groups/retail.yaml"),
        ("line-items/managed fees.yaml", "line-items/managed%20fees.yaml"),
        ("a:b/c#d?e%f.yaml", "a%3Ab/c%23d%3Fe%25f.yaml"),
        ("tarifs/é.yaml", "tarifs/%C3%A9.yaml"),
        ("x/(a)+b,c;d=e@f!$&'*~.yaml", "x/(a)+b,c;d=e@f!$&'*~.yaml"),
    ])
    func pathsArePercentEncodedURIReferences(path: String, expected: String) {
        #expect(SARIFDiagnostics.uriReference(path) == expected)
    }
}

@Suite struct RepositoryPathTests {
    @Test(arguments: [
        (nil, "a/b.yaml"), (".", "a/b.yaml"), ("", "a/b.yaml"), ("./", "a/b.yaml"),
        ("billing", "billing/a/b.yaml"), ("./billing/", "billing/a/b.yaml"),
        ("finance/billing", "finance/billing/a/b.yaml"),
    ] as [(String?, String)])
    func pathsArePrefixedWithTheRoot(root: String?, expected: String) {
        let report = ValidationReport(
            diagnostics: [.error(.duplicateKey, "m", at: .init(path: "a/b.yaml", line: 1, column: 1))], filesChecked: 1,
            resourcesChecked: 1, toolVersion: "0", root: root)
        #expect(report.repositoryPath("a/b.yaml") == expected)
        let github = DiagnosticRenderer.render(report, as: .github)
        #expect(github.hasPrefix("::error file=\(expected),line=1,col=1,"))
    }
}

@Suite struct GitHubFormatTests {
    /// Undoes the runner's escaping, to check nothing is lost.
    func unescape(_ text: Substring) -> String {
        text.replacingOccurrences(of: "%0A", with: "\n").replacingOccurrences(of: "%0D", with: "\r")
            .replacingOccurrences(of: "%3A", with: ":").replacingOccurrences(of: "%2C", with: ",")
            .replacingOccurrences(of: "%25", with: "%")
    }

    @Test func oneCommandPerDiagnosticThenTheSummary() throws {
        let output = DiagnosticRenderer.render(Fixtures.sample, as: .github)
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == Fixtures.diagnostics.count + 2)
        #expect(lines.last == "")
        #expect(lines[lines.count - 2] == "7 errors, 2 warnings, 1 note in 7 files (12 resources) at main (a1b2c3d)")
        for (line, diagnostic) in zip(lines, Fixtures.diagnostics) {
            let command =
                switch diagnostic.severity {
                case .error: "::error "
                case .warning: "::warning "
                case .note: "::notice "
                }
            #expect(line.hasPrefix(command))
            let parts = line.dropFirst(command.count).split(separator: "::", maxSplits: 1)
            try #require(parts.count == 2)
            let properties = parts[0].split(separator: ",").map { $0.split(separator: "=", maxSplits: 1) }
            let values = Dictionary(uniqueKeysWithValues: properties.map { (String($0[0]), unescape($0[1])) })
            #expect(values["title"] == "\(diagnostic.code.rawValue) \(diagnostic.code.name)")
            if let location = diagnostic.location {
                #expect(values["file"] == "billing/" + location.path)
                #expect(values["line"] == String(location.line))
                #expect(values["col"] == String(location.column))
            } else {
                #expect(values["file"] == nil && values["line"] == nil && values["col"] == nil)
            }
            // Control characters in a message reach the log as visible stand-ins.
            #expect(
                unescape(parts[1])
                    == TerminalText.sanitize(diagnostic.message + (diagnostic.hint.map { " (hint: \($0))" } ?? "")))
        }
        #expect(output.contains("(3%25 = 3)"))
        #expect(output.contains("fees,%0Anot both"))
    }

    @Test func escapesDataAndProperties() {
        #expect(GitHubDiagnostics.escapeData("100% a:b,c\r\nd") == "100%25 a:b,c%0D%0Ad")
        #expect(GitHubDiagnostics.escapeProperty("100% a:b,c\r\nd") == "100%25 a%3Ab%2Cc%0D%0Ad")
        #expect(GitHubDiagnostics.escapeProperty("%3A") == "%253A")
    }

    @Test func propertyValuesAreEscaped() {
        let report = ValidationReport(
            diagnostics: [.error(.yamlSyntax, "bad", at: .init(path: "q3: fees, credits.yaml", line: 2, column: 3))],
            filesChecked: 1, resourcesChecked: 1, toolVersion: "0")
        #expect(
            DiagnosticRenderer.render(report, as: .github)
                .hasPrefix("::error file=q3%3A fees%2C credits.yaml,line=2,col=3,title=PF100 yaml-syntax::bad\n"))
    }

    @Test func summaryCannotStartACommand() {
        let report = ValidationReport(
            diagnostics: [], revision: "main\n::error::injected", filesChecked: 1, resourcesChecked: 1, toolVersion: "0")
        let output = DiagnosticRenderer.render(report, as: .github)
        #expect(output == "no problems in 1 file (1 resource) at main ::error::injected\n")
    }

    @Test func cleanReportIsTheSummaryOnly() {
        #expect(DiagnosticRenderer.render(Fixtures.clean, as: .github) == "no problems in 7 files (12 resources)\n")
    }
}

/// A strict well-formedness check. `XMLDocument` on Linux parses in libxml2's recovery mode and accepts broken
/// XML (a bare `&`, a control character, mismatched tags), so the document is first read with `XMLParser`, which
/// reports every error.
enum WellFormedXML {
    final class ErrorCollector: NSObject, XMLParserDelegate {
        var errors: [String] = []

        func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) {
            errors.append("line \(parser.lineNumber), column \(parser.columnNumber): \(parseError)")
        }
    }

    /// The errors found; empty when `text` is well-formed XML.
    static func errors(in text: String) -> [String] {
        let parser = XMLParser(data: Data(text.utf8))
        let collector = ErrorCollector()
        parser.delegate = collector
        let parsed = parser.parse()
        var errors = collector.errors
        if let error = parser.parserError, errors.isEmpty { errors.append("\(error)") }
        if !parsed, errors.isEmpty { errors.append("the parser stopped") }
        return errors
    }
}

@Suite struct JUnitFormatTests {
    func parse(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> XMLElement {
        let errors = WellFormedXML.errors(in: text)
        try #require(errors.isEmpty, "not well-formed XML: \(errors)", sourceLocation: sourceLocation)
        let document = try XMLDocument(data: Data(text.utf8), options: [])
        return try #require(document.rootElement(), sourceLocation: sourceLocation)
    }

    @Test(arguments: ["<a>& b</a>", "<a><b></a>", "<a x=\"1\" x=\"2\"/>", "<a>\u{1B}</a>", "<a>&#27;</a>", "<a/><b/>"])
    func wellFormednessCheckRejectsBrokenXML(text: String) {
        #expect(!WellFormedXML.errors(in: text).isEmpty)
    }

    @Test(arguments: [false, true])
    func everyJUnitOutputIsWellFormed(strict: Bool) {
        for report in [Fixtures.sample, Fixtures.clean] {
            let text = DiagnosticRenderer.render(report, as: .junit, options: RenderOptions(strict: strict))
            #expect(WellFormedXML.errors(in: text) == [])
        }
    }

    func attribute(_ element: XMLElement, _ name: String) -> String? {
        element.attribute(forName: name)?.stringValue
    }

    @Test(arguments: [false, true])
    func sampleParsesWithATestCasePerDiagnostic(strict: Bool) throws {
        let text = DiagnosticRenderer.render(Fixtures.sample, as: .junit, options: RenderOptions(strict: strict))
        let root = try parse(text)
        let failing = strict ? 9 : 7
        #expect(root.name == "testsuites")
        #expect(attribute(root, "tests") == "10")
        #expect(attribute(root, "failures") == String(failing))
        let suites = root.elements(forName: "testsuite")
        try #require(suites.count == 1)
        let suite = suites[0]
        #expect(attribute(suite, "name") == "proforma validate")
        #expect(attribute(suite, "tests") == "10")
        #expect(attribute(suite, "failures") == String(failing))

        let properties = suite.elements(forName: "properties").first?.elements(forName: "property") ?? []
        let values = Dictionary(
            uniqueKeysWithValues: properties.map { (attribute($0, "name") ?? "", attribute($0, "value") ?? "") })
        #expect(
            values == [
                "revision": "main (a1b2c3d)", "tool_version": "0.1.0", "files_checked": "7", "resources_checked": "12",
            ])

        let cases = suite.elements(forName: "testcase")
        #expect(cases.count == Fixtures.diagnostics.count)
        for (testcase, diagnostic) in zip(cases, Fixtures.diagnostics) {
            if let location = diagnostic.location {
                #expect(attribute(testcase, "classname") == "billing/" + location.path)
                #expect(attribute(testcase, "name") == "\(diagnostic.code.rawValue) line \(location.line)")
            } else {
                #expect(attribute(testcase, "classname") == "proforma")
                #expect(attribute(testcase, "name") == diagnostic.code.rawValue)
            }
            let failure = testcase.elements(forName: "failure").first
            let fails = diagnostic.severity == .error || (strict && diagnostic.severity == .warning)
            #expect((failure != nil) == fails)
            if let failure {
                #expect(attribute(failure, "type") == diagnostic.code.rawValue)
                let expectedMessage = diagnostic.message.replacingOccurrences(of: "\u{1B}", with: "\u{FFFD}")
                #expect(attribute(failure, "message") == expectedMessage)
            } else {
                #expect(testcase.elements(forName: "system-out").count == 1)
            }
        }
        #expect(cases.contains { attribute($0, "name") == "validate" } == false)
    }

    @Test func escapedTextSurvivesParsing() throws {
        let root = try parse(DiagnosticRenderer.render(Fixtures.sample, as: .junit))
        let failures = root.elements(forName: "testsuite")[0].elements(forName: "testcase")
            .flatMap { $0.elements(forName: "failure") }
        let chargeKind = try #require(failures.first { attribute($0, "type") == "PF600" })
        let header = "billing/line-items/managed fees.yaml:6:1: error[PF600]: "
            + "custom line item \"managed-service-fee\" has both \"flat\" and \"percentage\""
        #expect(chargeKind.stringValue == header + "\nhint: " + Fixtures.escapingHint)
    }

    @Test func attributesKeepLineBreaksAndTabs() throws {
        let report = ValidationReport(
            diagnostics: [.error(.yamlSyntax, "a\tb\nc\r\nd <'&'>", at: nil)], filesChecked: 1, resourcesChecked: 1,
            toolVersion: "0")
        let root = try parse(DiagnosticRenderer.render(report, as: .junit))
        let failure = try #require(root.elements(forName: "testsuite").first?.elements(forName: "testcase").first?
            .elements(forName: "failure").first)
        #expect(attribute(failure, "message") == "a\tb\nc\r\nd <'&'>")
    }

    @Test func cleanReportCountsOnePassingTest() throws {
        let root = try parse(DiagnosticRenderer.render(Fixtures.clean, as: .junit))
        #expect(attribute(root, "tests") == "1")
        #expect(attribute(root, "failures") == "0")
        let cases = root.elements(forName: "testsuite").first?.elements(forName: "testcase") ?? []
        #expect(cases.count == 1)
        #expect(cases.first.map { attribute($0, "classname") } == "proforma")
        #expect(cases.first.map { attribute($0, "name") } == "validate")
        #expect(cases.first?.childCount == 0)
    }

    @Test func warningsAloneStillCountAPassingTest() throws {
        let report = ValidationReport(
            diagnostics: [.warning(.unusedPricingPlan, "unused", at: .init(path: "p.yaml", line: 2, column: 7))],
            filesChecked: 1, resourcesChecked: 1, toolVersion: "0")
        let root = try parse(DiagnosticRenderer.render(report, as: .junit))
        #expect(attribute(root, "tests") == "2")
        #expect(attribute(root, "failures") == "0")
        let strictRoot = try parse(DiagnosticRenderer.render(report, as: .junit, options: RenderOptions(strict: true)))
        #expect(attribute(strictRoot, "tests") == "1")
        #expect(attribute(strictRoot, "failures") == "1")
    }

    @Test func characterDataXMLCannotCarryIsReplaced() {
        #expect(XML.text("a\u{0}b\u{1B}c\u{FFFF}d\te\nf\rg") == "a\u{FFFD}b\u{FFFD}c\u{FFFD}d\te\nf&#13;g")
        #expect(XML.attribute("<&>\"'\t\n") == "&lt;&amp;&gt;&quot;&apos;&#9;&#10;")
    }
}

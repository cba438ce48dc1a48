import ProformaCore
import Testing

@testable import ProformaReport

@Suite struct TextFormatTests {
    func render(
        _ diagnostics: [Diagnostic], sources: [String: String] = [:], revision: String? = nil,
        options: RenderOptions = RenderOptions()
    ) -> String {
        let report = ValidationReport(
            diagnostics: diagnostics, revision: revision, filesChecked: 1, resourcesChecked: 1, toolVersion: "0.1.0")
        return DiagnosticRenderer.render(report, as: .text, sources: InMemorySources(sources), options: options)
    }

    func at(_ path: String, _ line: Int, _ column: Int) -> ProformaCore.SourceLocation {
        ProformaCore.SourceLocation(path: path, line: line, column: column)
    }

    @Test func rendersTheDesignExample() {
        let output = render(
            [
                .error(
                    .primaryNotMember, "primary account \"333333333333\" is not among the group's accounts",
                    at: at("billing-groups/retail.yaml", 4, 21),
                    hint: "add it to account_ids, or make a member the primary account")
            ],
            sources: [
                "billing-groups/retail.yaml":
                    "kind: BillingGroup\nname: retail\naccount_ids: []\nprimary_account_id: \"333333333333\"\n"
            ])
        #expect(
            output == """
                billing-groups/retail.yaml:4:21: error[PF401]: primary account "333333333333" is not among the group's accounts
                  4 | primary_account_id: "333333333333"
                    |                     ^
                  = hint: add it to account_ids, or make a member the primary account

                1 error in 1 file (1 resource)

                """)
    }

    @Test func diagnosticWithoutLocationShowsCodeAndMessageOnly() {
        let output = render([.error(.projectFile, "no proforma.yaml at the configuration root", at: nil)])
        #expect(output.hasPrefix("error[PF213]: no proforma.yaml at the configuration root\n\n"))
    }

    @Test func sourceLineIsOmittedWhenUnavailable() {
        let missingFile = render([.warning(.emptyFile, "no document", at: at("empty.yaml", 1, 1))])
        #expect(missingFile == "empty.yaml:1:1: warning[PF105]: no document\n\n1 warning in 1 file (1 resource)\n")

        let lineOutOfRange = render(
            [.error(.yamlSyntax, "unexpected end of file", at: at("a.yaml", 3, 1))], sources: ["a.yaml": "a: 1\nb: [\n"])
        #expect(!lineOutOfRange.contains(" | "))
    }

    @Test func revisionPrefixesTheLocationAndEndsTheSummary() {
        let output = render(
            [.error(.unknownKind, "unknown kind \"Thing\"", at: at("x.yaml", 1, 7))], sources: ["x.yaml": "kind: Thing"],
            revision: "main (a1b2c3d)")
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0] == "main (a1b2c3d):x.yaml:1:7: error[PF202]: unknown kind \"Thing\"")
        #expect(lines.last(where: { !$0.isEmpty }) == "1 error in 1 file (1 resource) at main (a1b2c3d)")
    }

    @Test func gutterFitsTheLineNumber() {
        let text = (1...120).map { "key\($0): value" }.joined(separator: "\n")
        let output = render(
            [.error(.duplicateKey, "duplicate key", at: at("big.yaml", 118, 1))], sources: ["big.yaml": text])
        #expect(output.contains("\n  118 | key118: value\n      | ^\n"))
    }

    /// (line, column, tab width, shown line, cells before the caret)
    @Test(arguments: [
        ("a\tb: 1", 3, 4, "a   b: 1", 4),
        ("a\tb: 1", 3, 8, "a       b: 1", 8),
        ("\tx", 1, 4, "    x", 0),
        ("ab\t\tc", 5, 4, "ab      c", 8),
        ("name: 東京 x", 10, 4, "name: 東京 x", 11),
        ("e\u{301}x", 3, 4, "e\u{301}x", 1),
        ("Größe: 12", 8, 4, "Größe: 12", 7),
        ("short", 40, 4, "short", 5),
        ("short", 6, 4, "short", 5),
        ("short", 0, 4, "short", 0),
        ("a\u{1B}[2Jb", 6, 4, "a␛[2Jb", 5),
    ])
    func caretStandsUnderTheColumn(line: String, column: Int, tabWidth: Int, shown: String, offset: Int) {
        let snippet = Snippet(line: Substring(line), column: column, tabWidth: tabWidth)
        #expect(snippet.shown == shown)
        #expect(snippet.caretOffset == offset)
    }

    @Test func tabWidthBelowOneIsTakenAsOne() {
        var options = RenderOptions()
        options.tabWidth = 0
        let output = render(
            [.error(.tabIndentation, "tab", at: at("t.yaml", 1, 2))], sources: ["t.yaml": "\tx"], options: options)
        #expect(output.contains("  1 |  x\n    |  ^\n"))
        #expect(RenderOptions(tabWidth: -3).tabWidth == 1)
    }

    @Test func tabsExpandInTheRenderedLineAndTheCaretFollows() {
        let output = render(
            [.error(.unknownPricingPlan, "no such plan", at: at("g.yaml", 1, 15))],
            sources: ["g.yaml": "pricing_plan:\tstandard-2025\n"], options: RenderOptions(tabWidth: 4))
        #expect(output.contains("  1 | pricing_plan:   standard-2025\n    |                 ^\n"))
        #expect(!output.contains("\t"))
    }

    @Test func multiLineHintsAndMessagesAreIndented() {
        let output = render([.error(.chargeKind, "first\nsecond", at: nil, hint: "one,\ntwo")])
        #expect(output.hasPrefix("error[PF600]: first\n    second\n  = hint: one,\n          two\n\n"))
    }

    @Test func controlCharactersNeverReachTheTerminal() {
        let output = render(
            [
                .error(
                    .invalidValue, "value \"a\u{1B}[31mb\u{7}\u{9B}\" is wrong", at: at("p\u{1B}.yaml", 1, 1),
                    hint: "x\u{202E}y")
            ],
            sources: ["p\u{1B}.yaml": "v: \"a\u{1B}b\""])
        #expect(!output.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
        #expect(!output.unicodeScalars.contains { (0x7F...0x9F).contains($0.value) || $0 == "\u{202E}" })
        #expect(output.contains("value \"a␛[31mb␇\u{FFFD}\" is wrong"))
        #expect(output.hasPrefix("p␛.yaml:1:1: "))
    }

    @Test func noColourUnlessAskedFor() {
        let plain = DiagnosticRenderer.render(Fixtures.sample, as: .text, sources: Fixtures.sampleSources)
        #expect(!plain.contains("\u{1B}"))
    }

    @Test func colourMarksSeverityLocationAndCaret() {
        let output = render(
            [
                .error(.primaryNotMember, "e", at: at("a.yaml", 1, 1)),
                .warning(.unusedPricingPlan, "w", at: at("a.yaml", 1, 3)),
                .note(.skippedEntry, "n", at: nil),
            ],
            sources: ["a.yaml": "x: 1"], options: RenderOptions(color: true))
        #expect(output.contains("\u{1B}[1ma.yaml:1:1:\u{1B}[0m \u{1B}[1;31merror[PF401]\u{1B}[0m: e\n"))
        #expect(output.contains("\u{1B}[33mwarning[PF405]\u{1B}[0m: w\n"))
        #expect(output.contains("\u{1B}[36mnote[PF108]\u{1B}[0m: n\n"))
        #expect(output.contains("  1 | x: 1\n    | \u{1B}[1;31m^\u{1B}[0m\n"))
        #expect(output.contains("    |   \u{1B}[33m^\u{1B}[0m\n"))
    }

    @Test(arguments: [
        (0, 0, 0, 7, 12, "no problems in 7 files (12 resources)"),
        (1, 0, 0, 1, 1, "1 error in 1 file (1 resource)"),
        (2, 1, 0, 7, 12, "2 errors, 1 warning in 7 files (12 resources)"),
        (0, 2, 0, 0, 0, "2 warnings in 0 files (0 resources)"),
        (1, 1, 1, 2, 3, "1 error, 1 warning, 1 note in 2 files (3 resources)"),
        (0, 0, 3, 1, 2, "3 notes in 1 file (2 resources)"),
    ])
    func summaryCountsWithSingularAndPlural(
        errors: Int, warnings: Int, notes: Int, files: Int, resources: Int, expected: String
    ) {
        let diagnostics =
            Array(repeating: Diagnostic.error(.yamlSyntax, "e", at: nil), count: errors)
            + Array(repeating: Diagnostic.warning(.emptyFile, "w", at: nil), count: warnings)
            + Array(repeating: Diagnostic.note(.skippedEntry, "n", at: nil), count: notes)
        let report = ValidationReport(
            diagnostics: diagnostics, filesChecked: files, resourcesChecked: resources, toolVersion: "0")
        let output = DiagnosticRenderer.render(report, as: .text)
        #expect(output.hasSuffix("\n" + expected + "\n") || output == expected + "\n")
    }

    @Test func cleanReportIsOneLine() {
        #expect(DiagnosticRenderer.render(Fixtures.clean, as: .text) == "no problems in 7 files (12 resources)\n")
    }

    @Test func eachFileIsReadOnce() {
        final class CountingSources: SourceProvider {
            var reads: [String] = []
            func lines(of path: String) -> [Substring]? {
                reads.append(path)
                return path == "a.yaml" ? SourceText.lines(in: "a: 1\nb: 2\n") : nil
            }
        }
        let sources = CountingSources()
        let report = ValidationReport(
            diagnostics: [
                .error(.duplicateKey, "1", at: at("a.yaml", 1, 1)), .error(.duplicateKey, "2", at: at("a.yaml", 2, 1)),
                .error(.duplicateKey, "3", at: at("b.yaml", 1, 1)), .error(.duplicateKey, "4", at: at("b.yaml", 2, 1)),
            ], filesChecked: 2, resourcesChecked: 2, toolVersion: "0")
        let output = DiagnosticRenderer.render(report, as: .text, sources: sources)
        #expect(sources.reads == ["a.yaml", "b.yaml"])
        #expect(output.contains("  2 | b: 2\n"))
    }
}

@Suite struct SourceTextTests {
    @Test(arguments: [
        ("", [String]()),
        ("a", ["a"]),
        ("a\n", ["a"]),
        ("a\n\nb", ["a", "", "b"]),
        ("a\r\nb\r\n", ["a", "b"]),
        ("a\rb", ["a", "b"]),
        ("a\r\n\r\nb", ["a", "", "b"]),
        ("a\u{85}b\u{2028}c\u{2029}d", ["a", "b", "c", "d"]),
        ("\u{FEFF}kind: X\nname: y", ["kind: X", "name: y"]),
        ("é\u{301}\nx", ["é\u{301}", "x"]),
    ])
    func splitsLinesAsLibyamlCountsThem(text: String, expected: [String]) {
        #expect(SourceText.lines(in: text).map(String.init) == expected)
    }

    @Test func fileTreeSourcesReadUTF8Files() {
        let tree = InMemoryFileTree(
            bytes: ["a.yaml": Array("x: 1\r\ny: 2\n".utf8), "bad.yaml": [0x78, 0x3A, 0x20, 0xFF, 0xFE]])
        let sources = FileTreeSources(tree)
        #expect(sources.lines(of: "a.yaml")?.map(String.init) == ["x: 1", "y: 2"])
        // Invalid UTF-8 is shown with replacement characters, so its diagnostic still has a source line.
        #expect(sources.lines(of: "bad.yaml")?.map(String.init) == ["x: \u{FFFD}\u{FFFD}"])
        #expect(sources.lines(of: "missing.yaml") == nil)
        // Paths are relative to a configuration root inside the tree.
        let rooted = FileTreeSources(InMemoryFileTree(files: ["billing/a.yaml": "k: v\n"]), root: "billing")
        #expect(rooted.lines(of: "a.yaml")?.map(String.init) == ["k: v"])
    }

    @Test func noSourcesGiveNothing() {
        #expect(NoSources().lines(of: "a.yaml") == nil)
        #expect(InMemorySources(["a.yaml": "x"]).lines(of: "b.yaml") == nil)
    }
}

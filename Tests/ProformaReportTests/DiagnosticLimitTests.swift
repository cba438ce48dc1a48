import Foundation
import ProformaCore
import Testing

@testable import ProformaReport

/// Bounds on what the formats read by people show: how many diagnostics, how much of a source line, how much of
/// a message.
@Suite struct DiagnosticLimitTests {
    func at(_ path: String, _ line: Int, _ column: Int) -> ProformaCore.SourceLocation {
        ProformaCore.SourceLocation(path: path, line: line, column: column)
    }

    func report(_ diagnostics: [Diagnostic]) -> ValidationReport {
        ValidationReport(diagnostics: diagnostics.sorted(), filesChecked: 3, resourcesChecked: 3, toolVersion: "test")
    }

    /// 300 warnings in a.yaml, then 20 errors and 10 notes in b.yaml, and 40 errors in c.yaml.
    var many: [Diagnostic] {
        (1...300).map { .warning(.emptyFile, "w\($0)", at: at("a.yaml", $0, 1)) }
            + (1...20).map { .error(.unknownField, "e\($0)", at: at("b.yaml", $0, 1)) }
            + (21...30).map { .note(.skippedEntry, "n\($0)", at: at("b.yaml", $0, 1)) }
            + (1...40).map { .error(.unknownField, "c\($0)", at: at("c.yaml", $0, 1)) }
    }

    func headers(_ text: String) -> [Substring] {
        text.split(separator: "\n").filter {
            $0.contains(": error[") || $0.contains(": warning[") || $0.contains(": note[")
        }
    }

    @Test func textShowsAtMostTheLimitsErrorsFirstAndSaysHowManyMoreThereWere() {
        let limit = DiagnosticLimit(total: 100, perFile: 50)
        let output = DiagnosticRenderer.render(report(many), as: .text, options: RenderOptions(shown: limit))
        let shown = headers(output)
        // Every error (60) first; then warnings, at most 50 of a.yaml, up to 100 in all; no room for notes.
        #expect(shown.count == 100)
        #expect(shown.filter { $0.contains("error[") }.count == 60)
        #expect(shown.filter { $0.hasPrefix("a.yaml:") }.count == 40)
        #expect(shown.filter { $0.contains("note[") }.isEmpty)
        // Shown in the report's order: a.yaml's warnings first.
        #expect(shown.first == "a.yaml:1:1: warning[PF105]: w1")
        #expect(shown.last == "c.yaml:40:1: error[PF203]: c40")
        #expect(
            output.hasSuffix(
                "… 270 more problems not shown (260 warnings, 10 notes): at most 50 of a file and 100 in all are shown; "
                    + "the json, sarif and junit formats list every one\n\n"
                    + "60 errors, 300 warnings, 10 notes in 3 files (3 resources)\n"))
    }

    @Test func theDefaultLimitIs200And50PerFile() {
        let output = DiagnosticRenderer.render(report(many), as: .text)
        let shown = headers(output)
        #expect(DiagnosticLimit.default == DiagnosticLimit(total: 200, perFile: 50))
        #expect(shown.count == 50 + 30 + 40)
        #expect(output.contains("… 250 more problems not shown (250 warnings)"))
    }

    @Test func githubIsCappedTooAndMachineFormatsKeepEveryDiagnostic() throws {
        let limit = DiagnosticLimit(total: 10, perFile: 5)
        let github = DiagnosticRenderer.render(report(many), as: .github, options: RenderOptions(shown: limit))
        #expect(github.split(separator: "\n").filter { $0.hasPrefix("::") }.count == 10)
        #expect(github.contains("… 360 more problems not shown"))
        let json = DiagnosticRenderer.render(report(many), as: .json, options: RenderOptions(shown: limit))
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        #expect((object?["diagnostics"] as? [Any])?.count == 370)
        let sarif = DiagnosticRenderer.render(report(many), as: .sarif, options: RenderOptions(shown: limit))
        #expect(sarif.components(separatedBy: "\"ruleId\"").count - 1 == 370)
    }

    @Test func everythingIsShownUnderTheLimit() {
        let few = Array(many.prefix(3))
        let output = DiagnosticRenderer.render(report(few), as: .text, options: RenderOptions(shown: .default))
        #expect(headers(output).count == 3)
        #expect(!output.contains("not shown"))
    }

    @Test func aLongLineIsShownAroundTheCaret() {
        let line = String(repeating: "abcdefghij", count: 1_000_000) + "XYZ"
        let column = line.count - 1  // the Y
        let output = DiagnosticRenderer.render(
            report([.error(.yamlSyntax, "bad", at: at("long.yaml", 2, column))]), as: .text,
            sources: InMemorySources(["long.yaml": "kind: x\n" + line + "\n"]))
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[1].hasPrefix("  2 | …"))
        #expect(lines[1].hasSuffix("XYZ"))
        #expect(lines[1].count < 140)
        // The caret stands under the Y.
        let caret = lines[2].firstIndex(of: "^").map { lines[2].distance(from: lines[2].startIndex, to: $0) }
        let shownY = lines[1].firstIndex(of: "Y").map { lines[1].distance(from: lines[1].startIndex, to: $0) }
        #expect(caret != nil)
        #expect(caret == shownY)
        #expect(output.utf8.count < 1_000)
    }

    @Test func aLongLineIsCutAfterTheCaretToo() {
        let line = "name: " + String(repeating: "x", count: 10_000)
        let snippet = Snippet(line: Substring(line), column: 7, tabWidth: 4)
        #expect(snippet.caretOffset == 6)
        #expect(snippet.shown.hasSuffix("…"))
        #expect(snippet.shown.count == 2 * Snippet.context + 2)
    }

    @Test func manyDiagnosticsOnOneHugeLineRenderInLinearTime() {
        // 1 MB on one line, a diagnostic every 5,000 characters: walking the line once per diagnostic would be
        // 200 walks of 1 MB; the checkpoints make it one.
        let line = String(repeating: "é", count: 1_000_000)
        let diagnostics = (1...200).map { Diagnostic.error(.yamlSyntax, "d\($0)", at: at("one.yaml", 1, $0 * 5_000)) }
        let start = ContinuousClock.now
        let output = DiagnosticRenderer.render(
            report(diagnostics), as: .text, sources: InMemorySources(["one.yaml": line]),
            options: RenderOptions(shown: .unlimited))
        #expect(ContinuousClock.now - start < .seconds(5))
        #expect(headers(output).count == 200)
        #expect(output.utf8.count < 200 * 400)
    }

    @Test func aHugeMessageIsClipped() {
        let value = String(repeating: "v", count: 100_000)
        let output = DiagnosticRenderer.render(
            report([.error(.invalidName, "\"\(value)\" is not a valid name", at: at("a.yaml", 1, 1), hint: value)]),
            as: .text)
        #expect(output.utf8.count < 3_000)
        #expect(output.contains("… (99022 more characters)"))
        #expect(output.contains("= hint: " + String(repeating: "v", count: 1_000) + "… (99000 more characters)"))
    }
}

/// A tree that counts reads without a bound.
final class CountingTree: FileTree {
    let label = "counting"
    let files: [String: [UInt8]]
    private(set) var unboundedReads = 0

    init(_ files: [String: String]) { self.files = files.mapValues { Array($0.utf8) } }

    func entries() throws(FileTreeError) -> [FileTreeEntry] {
        files.keys.sorted().map { FileTreeEntry(path: $0, kind: .file, size: files[$0]!.count) }
    }

    func contents(of path: String) throws(FileTreeError) -> [UInt8] {
        unboundedReads += 1
        return files[path] ?? []
    }

    func contents(of path: String, maxBytes: Int) throws(FileTreeError) -> [UInt8] {
        let bytes = files[path] ?? []
        guard bytes.count <= maxBytes else {
            throw FileTreeError.tooLarge(path, size: bytes.count, limit: maxBytes, in: label)
        }
        return bytes
    }
}

@Suite struct FileTreeSourcesTests {
    @Test func aFileOverTheBoundGivesNoLinesAndIsNotReadWhole() {
        let tree = CountingTree(["small.yaml": "a: 1\nb: 2\n", "big.yaml": String(repeating: "x\n", count: 100)])
        let sources = FileTreeSources(tree, maxBytes: 100)
        #expect(sources.lines(of: "small.yaml") == ["a: 1", "b: 2"])
        #expect(sources.lines(of: "big.yaml") == nil)
        #expect(tree.unboundedReads == 0)
        #expect(FileTreeSources(tree).maxBytes == 16 << 20)
    }
}

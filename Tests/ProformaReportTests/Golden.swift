import Foundation
import Testing

/// Golden files: the committed reference outputs in `Tests/ProformaReportTests/Golden/`, compared byte for byte.
///
/// After an intended change of output, re-record them and review the change in the diff:
///
///     PROFORMA_RECORD=1 swift test --filter ProformaReportTests
///     git diff Tests/ProformaReportTests/Golden
///
/// With `PROFORMA_RECORD=1` every golden file whose content differs (or is missing) is rewritten, and its test
/// fails with a note that it was recorded, so a recording run never passes unnoticed (for example in CI). Run the
/// tests again without the variable to see them pass.
enum Golden {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Golden")

    static var isRecording: Bool {
        ProcessInfo.processInfo.environment["PROFORMA_RECORD"] == "1"
    }

    static func check(
        _ actual: String, matches name: String, sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) {
        let url = directory.appendingPathComponent(name)
        let expectedData = FileManager.default.contents(atPath: url.path)
        let actualData = Data(actual.utf8)
        if expectedData == actualData { return }

        if isRecording {
            do {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                try actualData.write(to: url)
                Issue.record(
                    "Recorded \(name). Review it with git diff, then run again without PROFORMA_RECORD.",
                    sourceLocation: sourceLocation)
            } catch {
                Issue.record("Could not record \(name): \(error)", sourceLocation: sourceLocation)
            }
            return
        }

        guard let expectedData else {
            Issue.record(
                "Golden file \(name) is missing. Record it with PROFORMA_RECORD=1 and review it.",
                sourceLocation: sourceLocation)
            return
        }
        guard let expected = String(data: expectedData, encoding: .utf8) else {
            Issue.record("Golden file \(name) is not UTF-8.", sourceLocation: sourceLocation)
            return
        }
        let actualCopy = FileManager.default.temporaryDirectory
            .appendingPathComponent("proforma-golden-actual-" + name)
        try? actualData.write(to: actualCopy)
        Issue.record(
            """
            Output differs from golden file \(name) (- golden, + actual):
            \(LineDiff.render(expected: expected, actual: actual))
            The actual output is in \(actualCopy.path). If the change is intended, re-record with PROFORMA_RECORD=1.
            """,
            sourceLocation: sourceLocation)
    }
}

/// A line diff for failure messages: the shortest edit script from a longest common subsequence, shown with
/// three lines of context around each change, control characters made visible.
enum LineDiff {
    static func render(expected: String, actual: String, context: Int = 3) -> String {
        let old = expected.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let new = actual.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let edits = script(old, new)
        var keep = [Bool](repeating: false, count: edits.count)
        for (index, edit) in edits.enumerated() where edit.kind != " " {
            for near in max(0, index - context)...min(edits.count - 1, index + context) { keep[near] = true }
        }
        var lines: [String] = []
        var skipped = false
        for (index, edit) in edits.enumerated() {
            guard keep[index] else {
                skipped = true
                continue
            }
            if skipped {
                lines.append("  …")
                skipped = false
            }
            let number = edit.kind == "+" ? "    " : String(format: "%4d", edit.oldLine)
            lines.append("\(edit.kind) \(number) | \(visible(edit.text))")
        }
        if lines.isEmpty { lines.append("(no line differs: the difference is in line breaks or encoding)") }
        return lines.joined(separator: "\n")
    }

    struct Edit {
        var kind: Character
        var text: String
        var oldLine: Int
    }

    static func script(_ old: [String], _ new: [String]) -> [Edit] {
        let n = old.count
        let m = new.count
        var lengths = [[Int]](repeating: [Int](repeating: 0, count: m + 1), count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                lengths[i][j] = old[i] == new[j] ? lengths[i + 1][j + 1] + 1 : max(lengths[i + 1][j], lengths[i][j + 1])
            }
        }
        var edits: [Edit] = []
        var i = 0
        var j = 0
        while i < n || j < m {
            if i < n, j < m, old[i] == new[j] {
                edits.append(Edit(kind: " ", text: old[i], oldLine: i + 1))
                i += 1
                j += 1
            } else if i < n, j == m || lengths[i + 1][j] >= lengths[i][j + 1] {
                edits.append(Edit(kind: "-", text: old[i], oldLine: i + 1))
                i += 1
            } else {
                edits.append(Edit(kind: "+", text: new[j], oldLine: i + 1))
                j += 1
            }
        }
        return edits
    }

    /// Control characters as `\u{XX}`, and a trailing space marked, so invisible differences show.
    static func visible(_ text: String) -> String {
        var output = ""
        for scalar in text.unicodeScalars {
            if scalar.value < 0x20 || scalar.value == 0x7F {
                output += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                output.unicodeScalars.append(scalar)
            }
        }
        if output.hasSuffix(" ") { output += "⏎" }
        return output
    }
}

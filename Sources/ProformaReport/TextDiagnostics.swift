import ProformaCore

/// The human format:
///
/// ```
/// billing-groups/retail.yaml:4:21: error[PF401]: primary account "333333333333" is not among the group's accounts
///   4 | primary_account_id: "333333333333"
///     |                     ^
///   = hint: add it to account_ids, or make a member the primary account
///
/// 1 error in 7 files (12 resources)
/// ```
///
/// - Diagnostics are separated by a blank line; a blank line and the summary line close the output.
/// - For a revision, the location reads `main (a1b2c3d):billing-groups/retail.yaml:4:21`, git's `REV:PATH` with
///   the revision as named in messages; the summary line ends `at main (a1b2c3d)`.
/// - The source line is shown when the sources have it. The gutter is as wide as the line number. Tabs expand to
///   the next tab stop (`RenderOptions.tabWidth`), and the caret stands under the column, which counts Unicode
///   scalars as libyaml does; wide (East Asian) characters take two cells and combining marks none.
/// - Text that comes from files (paths, messages, hints, source lines) never reaches the terminal with control
///   characters: C0 controls show as their Unicode control pictures (ESC as `␛`), C1 controls and bidirectional
///   overrides as U+FFFD. A line break in a message or hint continues on an indented line.
/// - At most `RenderOptions.shown` diagnostics are shown, errors first, then the line `… N more problems not shown
///   (…)` and a blank line before the summary. A source line longer than 121 characters is shown from 60 Unicode
///   scalars before the caret to 60 after it, with `…` where it is cut; messages and hints are cut after 1,000
///   characters.
/// - With colour: bold location, the severity label in bold red (error), yellow (warning) or cyan (note), and the
///   caret in the severity's colour.
enum TextDiagnostics {
    static func render(_ report: ValidationReport, sources: any SourceProvider, options: RenderOptions) -> String {
        var cache = SourceCache(provider: sources)
        var output = ""
        let shown = options.shown.selection(of: report.diagnostics)
        for (position, index) in shown.enumerated() {
            if position > 0 { output += "\n" }
            block(
                for: report.diagnostics[index], revision: report.revision, sources: &cache, options: options,
                into: &output)
        }
        if !shown.isEmpty { output += "\n" }
        let omitted = omittedDiagnostics(report.diagnostics, shown: shown)
        if let line = OmittedLine.make(omitted: omitted, limit: options.shown) { output += line + "\n\n" }
        output += TerminalText.inline(SummaryLine.make(for: report)) + "\n"
        return output
    }

    static func block(
        for diagnostic: Diagnostic, revision: String?, sources: inout SourceCache, options: RenderOptions,
        into output: inout String
    ) {
        let style = Style(enabled: options.color)
        let severityStyle = style.severity(diagnostic.severity)
        var header = ""
        if let location = diagnostic.location {
            var place = "\(TerminalText.inline(location.path)):\(location.line):\(location.column):"
            if let revision { place = TerminalText.inline(revision) + ":" + place }
            header += style.apply(ANSI.bold, place) + " "
        }
        header += style.apply(severityStyle, "\(diagnostic.severity.rawValue)[\(diagnostic.code.rawValue)]")
        header += ": "
        let messageLines = TerminalText.lines(TerminalText.sanitize(TerminalText.clipped(diagnostic.message)))
        output += header + messageLines[0] + "\n"
        for line in messageLines.dropFirst() {
            output += "    " + line + "\n"
        }

        if let location = diagnostic.location,
            let (line, start) = sources.line(location.line, column: location.column, of: location.path)
        {
            let snippet = Snippet(
                line: line, column: location.column - start, tabWidth: options.tabWidth, cutBefore: start > 0)
            let number = String(location.line)
            let blank = String(repeating: " ", count: number.count)
            output += TerminalText.trimmingTrailingSpaces("  \(number) | \(snippet.shown)") + "\n"
            output += "  \(blank) | " + String(repeating: " ", count: snippet.caretOffset)
                + style.apply(severityStyle, "^") + "\n"
        }

        if let hint = diagnostic.hint {
            let hintLines = TerminalText.lines(TerminalText.sanitize(TerminalText.clipped(hint)))
            output += "  = hint: " + hintLines[0] + "\n"
            for line in hintLines.dropFirst() {
                output += "          " + line + "\n"
            }
        }
    }
}

/// One source line as shown, and where the caret goes under it.
struct Snippet: Equatable {
    /// The line with tabs expanded and control characters made visible.
    var shown: String
    /// How many cells precede the caret.
    var caretOffset: Int

    /// Of a longer line, this many Unicode scalars are shown either side of the caret, with `…` where the line
    /// is cut, so a diagnostic in a one-line file of megabytes shows a line of a terminal's width.
    static let context = 60

    /// `column` is 1-based and counts Unicode scalars. A column past the end puts the caret just after the line;
    /// a column below 1 is taken as 1. `cutBefore` says that `line` is the end of a longer line (shown with a
    /// leading `…`).
    init(line: Substring, column: Int, tabWidth: Int, cutBefore: Bool = false) {
        let target = max(column, 1) - 1
        let tabWidth = max(1, tabWidth)
        var shown = ""
        var width = 0
        var caret: Int?
        if cutBefore {
            shown = "…"
            width = 1
        }
        for (index, scalar) in line.unicodeScalars.enumerated() {
            if index == target { caret = width }
            if index >= target + Self.context, index > 2 * Self.context {
                shown += "…"
                break
            }
            if scalar == "\t" {
                let spaces = tabWidth - width % tabWidth
                shown += String(repeating: " ", count: spaces)
                width += spaces
            } else {
                let visible = TerminalText.visible(scalar)
                shown.unicodeScalars.append(visible)
                width += TerminalText.cellWidth(visible)
            }
        }
        self.shown = shown
        self.caretOffset = caret ?? width
    }
}

/// Reads each file's lines at most once per rendering, and finds a column of a long line without walking it
/// from its start each time.
struct SourceCache {
    let provider: any SourceProvider
    private var cache: [String: [Substring]?] = [:]
    /// Of long lines: the index of every `checkpointStride`-th Unicode scalar, by path and line number.
    private var checkpoints: [String: [Int: [String.Index]]] = [:]
    private static let checkpointStride = 1024

    init(provider: any SourceProvider) {
        self.provider = provider
    }

    mutating func lines(of path: String) -> [Substring]? {
        if let cached = cache[path] { return cached }
        let lines = provider.lines(of: path)
        cache[path] = .some(lines)
        return lines
    }

    /// Line `number` (1-based) of the file at `path`, or for a long line the part of it from `Snippet.context`
    /// scalars before `column` (1-based) on, with the number of scalars left out before it. Nil when the file or
    /// line is not there.
    mutating func line(_ number: Int, column: Int, of path: String) -> (Substring, start: Int)? {
        guard let lines = lines(of: path), number >= 1, number <= lines.count else { return nil }
        let line = lines[number - 1]
        let start = column - 1 - Snippet.context
        // Short lines (by their bytes, an upper bound of their scalars) are shown whole.
        guard start > 0, line.utf8.count > 2 * Snippet.context + 1 else { return (line, 0) }
        let scalars = line.unicodeScalars
        let stride = Self.checkpointStride
        if checkpoints[path]?[number] == nil {
            var marks: [String.Index] = []
            var count = 0
            var index = scalars.startIndex
            while index < scalars.endIndex {
                if count % stride == 0 { marks.append(index) }
                count += 1
                index = scalars.index(after: index)
            }
            checkpoints[path, default: [:]][number] = marks
        }
        let marks = checkpoints[path]?[number] ?? []
        guard start / stride < marks.count else { return (line[line.endIndex...], start) }
        var index = marks[start / stride]
        for _ in 0..<(start % stride) {
            guard index < scalars.endIndex else { break }
            index = scalars.index(after: index)
        }
        return (Substring(scalars[index...]), start)
    }
}

enum ANSI {
    static let reset = "\u{1B}[0m"
    static let bold = "\u{1B}[1m"
    static let boldRed = "\u{1B}[1;31m"
    static let yellow = "\u{1B}[33m"
    static let cyan = "\u{1B}[36m"
}

struct Style {
    var enabled: Bool

    func apply(_ code: String, _ text: String) -> String {
        enabled ? code + text + ANSI.reset : text
    }

    func severity(_ severity: Severity) -> String {
        switch severity {
        case .error: ANSI.boldRed
        case .warning: ANSI.yellow
        case .note: ANSI.cyan
        }
    }
}

/// Making text from files safe and measurable on a terminal.
public enum TerminalText {
    /// Text for one line (a path, a revision): every control character replaced (see `visible(_:)`).
    public static func inline(_ text: String) -> String {
        var result = ""
        result.unicodeScalars.append(contentsOf: text.unicodeScalars.map(visible))
        return result
    }

    /// Text that may span lines (a message, a hint): every control character replaced (see `visible(_:)`) but tab
    /// and the line breaks, which become `\n`.
    public static func sanitize(_ text: String) -> String {
        var result = ""
        result.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        var scalars = text.unicodeScalars.makeIterator()
        var pending = scalars.next()
        while let scalar = pending {
            pending = scalars.next()
            switch scalar {
            case "\n", "\t":
                result.unicodeScalars.append(scalar)
            case "\r" where pending == "\n":
                continue  // CR LF: one break
            case "\r", "\u{85}", "\u{2028}", "\u{2029}":
                result.unicodeScalars.append("\n")
            default:
                result.unicodeScalars.append(visible(scalar))
            }
        }
        return result
    }

    /// A control character's visible stand-in: C0 controls and DEL as their control pictures (U+2400–U+2421),
    /// C1 controls and bidirectional embeddings, overrides and isolates as U+FFFD. Other scalars are themselves.
    public static func visible(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        switch scalar.value {
        case 0x00...0x1F: Unicode.Scalar(0x2400 + scalar.value)!
        case 0x7F: "\u{2421}"
        case 0x80...0x9F, 0x202A...0x202E, 0x2066...0x2069: "\u{FFFD}"
        default: scalar
        }
    }

    /// How many terminal cells a scalar takes: 0 for combining marks and format characters, 2 for wide East Asian
    /// characters and emoji, 1 otherwise. An approximation of `wcwidth` that covers the common ranges.
    static func cellWidth(_ scalar: Unicode.Scalar) -> Int {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        switch scalar.value {
        case 0x1100...0x115F, 0x2329...0x232A, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF,
            0x4E00...0x9FFF, 0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19,
            0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F680...0x1F6FF,
            0x1F900...0x1F9FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return 2
        default:
            return 1
        }
    }

    /// The lines of sanitized text (which has only `\n` breaks); always at least one.
    static func lines(_ text: String) -> [Substring] {
        text.split(separator: "\n", omittingEmptySubsequences: false)
    }

    /// Text of a message or hint, cut after `maxMessageLength` characters: a message may quote a value, and a
    /// value may be megabytes long.
    static func clipped(_ text: String) -> String {
        guard text.utf8.count > maxMessageLength else { return text }
        let scalars = text.unicodeScalars
        guard scalars.count > maxMessageLength else { return text }
        let end = scalars.index(scalars.startIndex, offsetBy: maxMessageLength)
        return String(scalars[..<end]) + "… (\(scalars.count - maxMessageLength) more characters)"
    }

    static let maxMessageLength = 1_000

    static func trimmingTrailingSpaces(_ text: String) -> String {
        var text = Substring(text)
        while text.last == " " { text.removeLast() }
        return String(text)
    }
}

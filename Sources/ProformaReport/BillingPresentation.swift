import ProformaCore
import ProformaEngine

/// The minor units of currencies (moved to ProformaEngine, where every rounded figure is made).
public typealias CurrencyMinorUnits = ProformaEngine.CurrencyMinorUnits

/// Where a priced document comes from, so that every invoice and report can say which commit priced it.
public struct Provenance: Sendable, Hashable {
    /// The revision as the user named it (`main`, `v2025.03`, `HEAD~1`); nil for the working tree.
    public var revision: String?
    /// The full commit id the configuration was read from; nil when it was read from the working tree.
    public var commit: String?
    /// The usage data files read, as given (names or paths), in the order read.
    public var usageFiles: [String]
    /// The version of proforma that priced the document.
    public var toolVersion: String

    public init(revision: String? = nil, commit: String? = nil, usageFiles: [String] = [], toolVersion: String) {
        self.revision = revision
        self.commit = commit
        self.usageFiles = usageFiles
        self.toolVersion = toolVersion
    }

    /// The configuration in one phrase: `main at commit 0a1b…`, `commit 0a1b…`, or the working tree.
    public var configurationDescription: String {
        switch (revision, commit) {
        case (let revision?, let commit?): "\(revision) at commit \(commit)"
        case (nil, let commit?): "commit \(commit)"
        case (let revision?, nil): "\(revision) (no commit recorded)"
        case (nil, nil): "working tree (uncommitted, no commit recorded)"
        }
    }

    public var usageDescription: String {
        usageFiles.isEmpty ? "(none)" : usageFiles.joined(separator: ", ")
    }

    public var json: JSONValue {
        .object([
            "configuration_revision": .string(revision),
            "configuration_commit": .string(commit),
            "usage_files": .array(usageFiles.map { .string($0) }),
            "tool_version": .string(toolVersion),
        ])
    }
}

/// Money as text.
enum MoneyText {
    /// An exact figure without trailing zeros, but with at least `places` decimals: `385.00`, `13.0512`.
    static func exact(_ value: ExactDecimal, places: Int) -> String {
        let normalized = value.normalized
        return normalized.scale < places ? normalized.rescaled(to: places).description : normalized.description
    }

    /// A figure already rounded to `places`, as plain text (`-1234.50`): for CSV and JSON.
    static func plain(_ value: ExactDecimal, places: Int) -> String {
        value.formatted(places: places, rounding: .halfEven)
    }

    /// A figure already rounded to `places`, with thousands separated by commas (`-1,234.50`): for people.
    static func grouped(_ value: ExactDecimal, places: Int) -> String {
        var text = plain(value, places: places)
        var sign = ""
        if text.hasPrefix("-") {
            sign = "-"
            text.removeFirst()
        }
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let integer = Array(parts[0])
        var grouped = ""
        for (index, digit) in integer.enumerated() {
            if index > 0 && (integer.count - index) % 3 == 0 { grouped += "," }
            grouped.append(digit)
        }
        return sign + grouped + (parts.count > 1 ? "." + parts[1] : "")
    }

    /// A percentage to two places, or nil.
    static func percentage(_ value: ExactDecimal?, rounding: RoundingMode) -> String? {
        value.map { $0.formatted(places: 2, rounding: rounding) }
    }
}

/// CSV as RFC 4180 describes it: comma-separated, CRLF line ends, a field quoted when it holds a comma, a quote,
/// CR or LF, quotes doubled inside quotes. Other control characters are replaced by visible stand-ins.
///
/// Formula injection: a text cell starting with `=`, `+`, `-`, `@`, tab, CR or LF gets a leading `'`, so a
/// spreadsheet shows it as text instead of evaluating it. Number cells are written by the renderers themselves from
/// decimals and are never changed, so `-7.70` stays a number; a cell passed as a number that is not a plain
/// decimal (`-?digits[.digits]`) is treated as text.
enum CSV {
    enum Cell {
        case text(String)
        case number(String)
        case empty
    }

    static func row(_ cells: [Cell]) -> String {
        cells.map(field).joined(separator: ",") + "\r\n"
    }

    static func field(_ cell: Cell) -> String {
        switch cell {
        case .empty: ""
        case .number(let text): isPlainDecimal(text) ? text : quote(neutralise(visible(text)))
        case .text(let text): quote(neutralise(visible(text)))
        }
    }

    static let kept: Set<Unicode.Scalar> = ["\t", "\r", "\n"]

    /// Control characters other than tab and the line breaks (which quoting keeps) as their visible stand-ins (see
    /// `TerminalText.visible`): a CSV printed to a terminal cannot send it escape sequences.
    static func visible(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { TerminalText.visible($0) != $0 && !kept.contains($0) }) else {
            return text
        }
        var output = ""
        for scalar in text.unicodeScalars {
            output.unicodeScalars.append(kept.contains(scalar) ? scalar : TerminalText.visible(scalar))
        }
        return output
    }

    static func neutralise(_ text: String) -> String {
        guard let first = text.unicodeScalars.first else { return text }
        switch first {
        case "=", "+", "-", "@", "\t", "\r", "\n": return "'" + text
        default: return text
        }
    }

    static func quote(_ text: String) -> String {
        let needsQuotes = text.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" }
        guard needsQuotes else { return text }
        return "\"" + text.replacingAll("\"", with: "\"\"") + "\""
    }

    /// `-?[0-9]+(\.[0-9]+)?`
    static func isPlainDecimal(_ text: String) -> Bool {
        var scalars = Substring(text).unicodeScalars[...]
        if scalars.first == "-" { scalars = scalars.dropFirst() }
        let parts = scalars.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard !parts.isEmpty, parts.count <= 2 else { return false }
        return parts.allSatisfy { part in !part.isEmpty && part.allSatisfy { $0.value >= 48 && $0.value <= 57 } }
    }
}

/// HTML text: every character that could start markup or end an attribute is escaped; control characters and
/// bidirectional overrides are replaced by visible stand-ins (see `TerminalText.visible`).
enum HTML {
    static func escape(_ text: String) -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "'": output += "&#39;"
            case "\u{00}"..."\u{08}", "\u{0B}", "\u{0C}", "\u{0E}"..."\u{1F}", "\u{7F}"..."\u{9F}",
                "\u{202A}"..."\u{202E}", "\u{2066}"..."\u{2069}":
                // Control characters, and bidirectional overrides that could make an amount read differently.
                output.unicodeScalars.append(TerminalText.visible(scalar))
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output
    }
}

/// Markdown text for GitHub: free text with every character that could start markup escaped, identifiers as code.
/// Free text is only ever written inside a line (a table cell, after a label), never at the start of one, so the
/// characters that matter only there (`-`, `+`, `>`, digits before `.`) need no escape; `<` and `>` and `&` become
/// entities, so no HTML passes, and `[`/`]` are escaped, so no link or image forms.
enum Markdown {
    /// Free text (a description, an account name) on one line, inside or outside a table.
    static func text(_ text: String) -> String {
        var output = ""
        for scalar in TerminalText.inline(text).unicodeScalars {
            switch scalar {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\\", "`", "*", "_", "[", "]", "#", "~", "|", "$":
                output += "\\"
                output.unicodeScalars.append(scalar)
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output
    }

    /// An identifier (a name, an account ID, a service code) as inline code, safe in a table cell.
    static func code(_ text: String) -> String {
        let inner = TerminalText.inline(text).replacingAll("`", with: "'").replacingAll("|", with: "\\|")
        return "`" + inner + "`"
    }
}

/// A plain-text table whose columns are as wide as their widest cell, measured in terminal cells.
struct TextTable {
    enum Alignment { case left, right }
    enum Row {
        case cells([String])
        /// A line across the table.
        case rule
        /// Text on a line of its own that does not widen any column (a section heading, an empty line).
        case text(String)
    }

    var alignments: [Alignment]
    var rows: [Row] = []

    init(_ alignments: [Alignment]) { self.alignments = alignments }

    mutating func add(_ cells: [String]) { rows.append(.cells(cells.map(TerminalText.inline))) }
    mutating func rule() { rows.append(.rule) }
    mutating func text(_ text: String) { rows.append(.text(TerminalText.inline(text))) }

    static func width(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { $0 + TerminalText.cellWidth($1) }
    }

    func render(indent: String = "") -> String {
        var widths = Array(repeating: 0, count: alignments.count)
        for case .cells(let row) in rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], Self.width(cell))
            }
        }
        let total = widths.reduce(0, +) + 2 * max(0, widths.count - 1)
        var output = ""
        for row in rows {
            switch row {
            case .rule:
                output += indent + String(repeating: "-", count: total) + "\n"
            case .text(let text):
                output += text.isEmpty ? "\n" : indent + text + "\n"
            case .cells(let cells):
                var line = ""
                for (index, width) in widths.enumerated() {
                    let cell = index < cells.count ? cells[index] : ""
                    let padding = String(repeating: " ", count: max(0, width - Self.width(cell)))
                    if index > 0 { line += "  " }
                    line += alignments[index] == .right ? padding + cell : cell + padding
                }
                output += indent + TerminalText.trimmingTrailingSpaces(line) + "\n"
            }
        }
        return output
    }
}

extension String {
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var output = ""
        for character in self {
            if character == target { output += replacement } else { output.append(character) }
        }
        return output
    }
}

import ProformaCore
import Testing

@testable import ProformaReport

/// Every output language shows or escapes control characters from user data, each with its own escaper built on
/// `TerminalText.visible`.
@Suite struct ControlCharacterEscapingTests {
    /// OSC title, BEL, CSI clear screen, a C1 CSI, DEL and a right-to-left override.
    static let hostile = "x\u{1B}]0;t\u{07}\u{1B}[2J\u{9B}1m\u{7F}\u{202E}y"
    static let shown = "x\u{241B}]0;t\u{2407}\u{241B}[2J\u{FFFD}1m\u{2421}\u{FFFD}y"

    @Test func terminalText() {
        #expect(TerminalText.inline(Self.hostile) == Self.shown)
        #expect(TerminalText.sanitize("a\tb\r\n" + Self.hostile) == "a\tb\n" + Self.shown)
        #expect(TerminalText.inline("\u{2066}a\u{2069}") == "\u{FFFD}a\u{FFFD}")
    }

    @Test func githubWorkflowCommands() {
        #expect(GitHubDiagnostics.escapeData(Self.hostile + "%\n\t") == Self.shown + "%25%0A\t")
        #expect(GitHubDiagnostics.escapeProperty("a:b," + Self.hostile) == "a%3Ab%2C" + Self.shown)
    }

    @Test func csvCells() {
        #expect(CSV.field(.text(Self.hostile)) == Self.shown)
        #expect(CSV.field(.text("a\nb" + Self.hostile)) == "\"a\nb" + Self.shown + "\"")
        #expect(CSV.field(.number("1.50")) == "1.50")
        #expect(CSV.field(.text("plain")) == "plain")
    }

    @Test func xmlText() {
        #expect(XML.text("a\u{1B}b\u{9B}c\u{7F}d\u{202E}e") == "a\u{FFFD}b\u{FFFD}c\u{2421}d\u{FFFD}e")
    }

    @Test func markdownAndHTML() {
        #expect(Markdown.text(Self.hostile) == "x\u{241B}\\]0;t\u{2407}\u{241B}\\[2J\u{FFFD}1m\u{2421}\u{FFFD}y")
        #expect(HTML.escape(Self.hostile) == Self.shown)
    }
}

import Foundation
import ProformaTestSupport
import Testing

/// Control characters from a repository (a description, a commit message, a revision name) never reach the
/// terminal: text and markdown show visible stand-ins, JSON escapes them.
@Suite struct ControlCharacterTests {
    let binary: URL

    init() throws {
        binary = try #require(TestSupport.proformaBinary)
    }

    func proforma(_ arguments: String..., in directory: URL) throws -> CommandResult {
        try TestSupport.run(binary, arguments, in: directory)
    }

    /// OSC title, BEL, CSI clear screen, a C1 CSI, DEL and a right-to-left override.
    static let hostile = "x\u{1B}]0;title\u{07}\u{1B}[2J\u{9B}1m\u{7F}\u{202E}y"
    static let shown = "x\u{241B}]0;title\u{2407}\u{241B}[2J\u{FFFD}1m\u{2421}\u{FFFD}y"
    static let escaped = #"x\u001b]0;title\u0007\u001b[2J\u009b1m\u007f\u202ey"#

    func expectNoControlCharacters(_ text: String, _ what: String) {
        let found = text.unicodeScalars.filter {
            ($0.value < 0x20 && $0 != "\n" && $0 != "\t") || (0x7F...0x9F).contains($0.value)
                || (0x202A...0x202E).contains($0.value) || (0x2066...0x2069).contains($0.value)
        }
        #expect(found.isEmpty, "\(what) passes \(found.map { String($0.value, radix: 16) })")
    }

    /// A repository whose second commit (with a hostile message) sets a hostile description.
    func repository() throws -> URL {
        let directory = try TestSupport.temporaryDirectory()
        #expect(try TestSupport.run(binary, ["init", "--no-git", directory.path]).status == 0)
        try TestSupport.git(["init", "-q", "-b", "main"], in: directory)
        try TestSupport.git(["add", "-A"], in: directory)
        try TestSupport.git(["commit", "-qm", "Initial"], in: directory)
        let group = directory.appendingPathComponent("billing-groups/retail.yaml")
        let text = try String(contentsOf: group, encoding: .utf8)
        #expect(text.contains("description: Retail customer"))
        // Written as YAML escapes in double quotes, as a pull request could.
        try text.replacingOccurrences(
            of: "description: Retail customer", with: #"description: "x\e]0;title\a\e[2J\u009B1m\x7F\u202Ey""#
        ).write(to: group, atomically: true, encoding: .utf8)
        try TestSupport.git(
            ["commit", "-qam", "Rename \u{1B}]0;title\u{07}\u{1B}[2J\u{9B}1m\u{7F}\u{202E}"], in: directory)
        return directory
    }

    @Test func diffPlanAndLogShowThemVisibly() throws {
        let directory = try repository()
        defer { try? FileManager.default.removeItem(at: directory) }
        for command in ["diff", "plan"] {
            let text = try proforma(command, "HEAD~1", "HEAD", in: directory)
            #expect(text.status == 0, "\(text.stderr)")
            expectNoControlCharacters(text.stdout, "\(command) text")
            #expect(text.stdout.contains("description: \"Retail customer\" → \"\(Self.shown)\""), "\(text.stdout)")

            let markdown = try proforma(command, "HEAD~1", "HEAD", "--format", "markdown", in: directory)
            expectNoControlCharacters(markdown.stdout, "\(command) markdown")
            #expect(markdown.stdout.contains("`description: \"Retail customer\" → \"\(Self.shown)\"`"))

            let json = try proforma(command, "HEAD~1", "HEAD", "--format", "json", in: directory)
            expectNoControlCharacters(json.stdout, "\(command) json")
            #expect(json.stdout.contains("\"new\": \"\(Self.escaped)\""), "\(json.stdout)")
        }
        let log = try proforma("log", in: directory)
        #expect(log.status == 0, "\(log.stderr)")
        expectNoControlCharacters(log.stdout, "log text")
        #expect(log.stdout.contains("    Rename \u{241B}]0;title\u{2407}\u{241B}[2J\u{FFFD}1m\u{2421}\u{FFFD}\n"))
        #expect(log.stdout.contains("description: \"Retail customer\" → \"\(Self.shown)\""))
        let logJSON = try proforma("log", "--format", "json", in: directory)
        expectNoControlCharacters(logJSON.stdout, "log json")
        #expect(logJSON.stdout.contains(Self.escaped))
    }

    @Test func errorMessagesShowThemVisibly() throws {
        let directory = try repository()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try proforma("diff", "no-such\(Self.hostile)", in: directory)
        #expect(result.status != 0)
        expectNoControlCharacters(result.stderr, "an error message")
        #expect(result.stderr.contains(Self.shown), "\(result.stderr)")
    }
}

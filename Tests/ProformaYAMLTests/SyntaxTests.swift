import ProformaYAML
import Testing

@Suite("Syntax errors")
struct SyntaxTests {
    @Test func mappingValuesNotAllowed() {
        let file = parse("name: a: b\n")
        #expect(file.documents.isEmpty)
        #expect(kindsAndMarks(file) == ["syntax 1:8"])
        let problem = file.problems.first
        #expect(problem?.message == "mapping values are not allowed in this context")
        #expect(
            problem?.hint
                == "put a value that contains ': ' in quotes; a nested mapping starts on a new, indented line")
        #expect(problem?.isFatal == true)
        #expect(problem?.description == "1:8: mapping values are not allowed in this context")
    }

    @Test func anUnclosedFlowList() {
        let file = parse("ids: [1, 2\nname: x\n")
        #expect(kindsAndMarks(file) == ["syntax 2:5"])
        #expect(file.problems.first?.message == "expected ',' or ']' in the list that starts at line 1, column 6")
    }

    @Test func anUnclosedFlowMapping() {
        let file = parse("tags: {team: x\n")
        #expect(kindsAndMarks(file) == ["syntax 2:1"])
        #expect(file.problems.first?.message == "expected ',' or '}' in the mapping that starts at line 1, column 7")
    }

    @Test func anUnclosedQuote() {
        let file = parse("name: \"retail\nkind: x\n")
        #expect(kindsAndMarks(file) == ["syntax 3:1"])
        #expect(file.problems.first?.message == "the quoted text that starts at line 1, column 7 is not closed")
        #expect(file.problems.first?.hint == "add the closing quote")
    }

    @Test func aKeyIndentedLessThanItsSiblings() {
        let file = parse("a:\n  b: 1\n c: 2\n")
        #expect(kindsAndMarks(file) == ["syntax 3:2"])
        #expect(file.problems.first?.message == "expected a key of the mapping that starts at line 1, column 1")
    }

    @Test func aKeyAmongListItems() {
        let file = parse("ids:\n  - x\n  name: 1\n")
        #expect(kindsAndMarks(file) == ["syntax 3:3"])
        #expect(file.problems.first?.message == "expected a '- ' item of the list that starts at line 2, column 3")
    }

    @Test func aReservedCharacterStartingAValue() {
        let file = parse("owner: @platform\n")
        #expect(kindsAndMarks(file) == ["syntax 1:8"])
        #expect(file.problems.first?.message == "the character '@' cannot start a value here")
        #expect(file.problems.first?.hint == "'@' and '`' are reserved in YAML; put the value in quotes")
    }

    @Test func anUnknownEscape() {
        let file = parse("path: \"C:\\q\"\n")
        #expect(kindsAndMarks(file) == ["syntax 1:10"])
        #expect(file.problems.first?.message
            == "unknown escape sequence in double-quoted text that starts at line 1, column 7")
    }

    @Test func otherLibyamlTextsKeepTheirWordsAndGainTheirContext() {
        let file = parse("a: !e!x y\n")
        #expect(kindsAndMarks(file) == ["syntax 1:4"])
        #expect(file.problems.first?.message == "found undefined tag handle in the node")

        let anchor = parse("a: &\n")
        #expect(kindsAndMarks(anchor) == ["syntax 1:5"])
        #expect(anchor.problems.first?.message
            == "did not find expected alphabetic or numeric character in the anchor that starts at line 1, column 4")
    }

    @Test func documentsBeforeASyntaxErrorAreKept() {
        let file = parse("a: 1\n---\nb: 2\n---\nc: d: e\n---\nf: 3\n")
        #expect(file.documents.map { render($0.root) } == ["{a: 1}", "{b: 2}"])
        #expect(kindsAndMarks(file) == ["syntax 5:5"])
    }

    @Test func aSyntaxErrorOnALineWithMultiByteCharacters() {
        let file = parse("näme: größe: x\n")
        #expect(kindsAndMarks(file) == ["syntax 1:12"])
    }

    @Test func aSyntaxErrorAfterCRLFLines() {
        let file = parse("a: 1\r\nb: 2\r\nc: d: e\r\n")
        #expect(kindsAndMarks(file) == ["syntax 3:5"])
    }
}

@Suite("Tabs")
struct TabTests {
    private let message = "tab character used for indentation"
    private let hint = "indent with spaces; YAML does not allow tabs in indentation"

    @Test func aTabIndentingAKey() {
        let file = parse("billing_group:\n\tname: retail\n")
        #expect(file.documents.isEmpty)
        #expect(kindsAndMarks(file) == ["tabIndentation 2:1"])
        #expect(file.problems.first?.message == message)
        #expect(file.problems.first?.hint == hint)
        #expect(file.problems.first?.isFatal == true)
    }

    @Test func aTabAfterSpaces() {
        let file = parse("a:\n  b: 1\n  \tc: 2\n")
        #expect(kindsAndMarks(file) == ["tabIndentation 3:3"])
    }

    /// libyaml reads `\tb: 1` as the continuation of the plain scalar `1` and then rejects the `:`; the tab is
    /// still what is wrong, and it is reported where it stands.
    @Test func aTabThatLibyamlReadsAsAContinuationLine() {
        let file = parse("a: 1\n  \tb: 1\n")
        #expect(kindsAndMarks(file) == ["tabIndentation 2:3"])
        #expect(file.problems.first?.message == message)
    }

    @Test func aTabAfterAListIndicator() {
        let file = parse("ids:\n  -\tx\n")
        #expect(kindsAndMarks(file) == ["tabIndentation 2:4"])
    }

    @Test func aTabIndentingABlockScalar() {
        let file = parse("description: |\n  first\n\t second\n")
        #expect(kindsAndMarks(file) == ["tabIndentation 3:1"])
    }

    @Test func aTabOnAnOtherwiseEmptyLineAfterAPlainScalar() {
        let file = parse("a:\n  b: 1\n\t\n")
        #expect(kindsAndMarks(file) == ["tabIndentation 3:1"])
    }

    @Test func aTabAfterCRLFLinesAndMultiByteText() {
        let file = parse("é: ü\r\nb:\r\n\tc: 1\r\n")
        #expect(kindsAndMarks(file) == ["tabIndentation 3:1"])
    }

    @Test func tabsThatAreNotIndentationAreFine() throws {
        let node = try root("a: \tb\nc: d\t# comment\nlist: [x,\n\ty]\ntext: \"x\ty\"\n")
        #expect(render(node) == "{a: b, c: d, list: [x, y], text: \"x\ty\"}")
    }
}

import ProformaYAML
import Testing

@Suite("Encoding")
struct EncodingTests {
    private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func aByteThatCannotStartACharacter() {
        let file = parse(bytes: bytes("name: x") + [0xFF] + bytes("\n"))
        #expect(file.documents.isEmpty)
        #expect(kindsAndMarks(file) == ["invalidUTF8 1:8"])
        #expect(file.problems.first?.message == "the text is not valid UTF-8: byte 0xFF cannot start a character")
        #expect(file.problems.first?.hint == "save the file with UTF-8 encoding")
        #expect(file.problems.first?.isFatal == true)
    }

    /// The position is that of the broken character's first byte, counted in characters after multi-byte ones.
    @Test func aCharacterCutShortIsReportedAtItsFirstByte() {
        // Line 2: é : ␠ x then 0xC3 '(' — 0xC3 expects a continuation byte.
        let file = parse(bytes: bytes("a: 1\né: x") + [0xC3] + bytes("(\n"))
        #expect(kindsAndMarks(file) == ["invalidUTF8 2:5"])
        #expect(file.problems.first?.message
            == "the text is not valid UTF-8: the character starting with byte 0xC3 is cut short")
    }

    @Test func aThreeByteCharacterCutShortBeforeALineBreak() {
        let file = parse(bytes: bytes("é: x") + [0xE2, 0x82] + bytes("\nb: 1\n"))
        #expect(kindsAndMarks(file) == ["invalidUTF8 1:5"])
    }

    @Test func aCharacterCutShortByTheEndOfTheText() {
        let file = parse(bytes: bytes("a: ") + [0xE2, 0x82])
        #expect(kindsAndMarks(file) == ["invalidUTF8 1:4"])
        #expect(file.problems.first?.message
            == "the text is not valid UTF-8: it ends in the middle of a character starting with byte 0xE2")
    }

    @Test func anOverlongEncoding() {
        let file = parse(bytes: bytes("a: b\nc: ") + [0xC0, 0xAF] + bytes("\n"))
        #expect(kindsAndMarks(file) == ["invalidUTF8 2:4"])
    }

    @Test func anEncodedSurrogate() {
        let file = parse(bytes: bytes("a: ") + [0xED, 0xA0, 0x80] + bytes("\n"))
        #expect(kindsAndMarks(file) == ["invalidUTF8 1:4"])
    }

    @Test func utf16TextIsInvalidUTF8WithAHint() {
        let file = parse(bytes: [0xFF, 0xFE] + bytes("a: b").flatMap { [$0, 0] })
        #expect(kindsAndMarks(file) == ["invalidUTF8 1:1"])
        #expect(file.problems.first?.hint == "the file looks like UTF-16; save it with UTF-8 encoding")
    }

    @Test func positionsAfterCRLFLinesAndAByteOrderMark() {
        let file = parse(bytes: [0xEF, 0xBB, 0xBF] + bytes("a: 1\r\nb: 2\r\nc: ") + [0xFF])
        #expect(kindsAndMarks(file) == ["invalidUTF8 3:4"])
    }

    @Test func documentsBeforeTheBadByteAreKept() {
        let text = bytes("a: 1\n---\nb: 2\n---\nc: ") + [0xFF] + bytes("\n---\nd: 4\n")
        let file = parse(bytes: text)
        #expect(file.documents.map { render($0.root) } == ["{a: 1}", "{b: 2}"])
        #expect(kindsAndMarks(file) == ["invalidUTF8 5:4"])
    }

    @Test func aDocumentClosedWithDotsBeforeTheBadByteIsKept() {
        let file = parse(bytes: bytes("a: 1\n...\n# ") + [0xFF] + bytes("\n"))
        #expect(file.documents.map { render($0.root) } == ["{a: 1}"])
        #expect(kindsAndMarks(file) == ["invalidUTF8 3:3"])
    }

    @Test func problemsBeforeTheBadByteAreKept() {
        let file = parse(bytes: bytes("a: 1\na: 2\nb: ") + [0xFF])
        #expect(file.documents.isEmpty)
        #expect(kindsAndMarks(file) == ["duplicateKey 2:1", "invalidUTF8 3:4"])
    }

    @Test func aControlCharacterIsASyntaxProblem() {
        let file = parse("name: x\u{1}y\n")
        #expect(kindsAndMarks(file) == ["syntax 1:8"])
        #expect(file.problems.first?.message == "control character U+0001 is not allowed in YAML text")
    }

    @Test func aNulByteIsASyntaxProblem() {
        let file = parse(bytes: bytes("é: ") + [0] + bytes("\n"))
        #expect(kindsAndMarks(file) == ["syntax 1:4"])
        #expect(file.problems.first?.message == "control character U+0000 is not allowed in YAML text")
    }

    @Test func nonASCIITextIsReadIntact() throws {
        let node = try root("name: Zürich – 東京 😀\nnote: \"\\u00e9\\U0001F600\"\n")
        #expect(node.value(forKey: "name")?.scalarValue == "Zürich – 東京 😀")
        #expect(node.value(forKey: "note")?.scalarValue == "é😀")
    }
}

import ProformaCore
import Testing

@Suite struct JSONWriterTests {
    @Test func controlCharactersAreEscaped() {
        let text = "a\u{1B}]0;t\u{07}\u{1B}[2J\u{9B}\u{7F}\u{202E}\u{2066}\u{2028}\"\\\nb"
        #expect(
            JSONWriter.write(.string(text))
                == #""a\u001b]0;t\u0007\u001b[2J\u009b\u007f\u202e\u2066\u2028\"\\\nb""# + "\n")
    }

    @Test func otherTextIsWrittenAsItIs() {
        #expect(JSONWriter.write(.string("€ 10 → 12, é, ¢, /")) == "\"€ 10 → 12, é, ¢, /\"\n")
    }
}

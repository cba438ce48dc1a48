import ProformaYAML
import Testing

@Suite("Structure and marks")
struct StructureTests {
    @Test func blockMappingWithMarks() throws {
        let node = try root(
            """
            kind: BillingGroup
            name: retail
            account_ids:
              - "111111111111"
              - '222222222222'
            """)
        #expect(render(node) == #"{kind: BillingGroup, name: retail, account_ids: ["111111111111", '222222222222']}"#)
        #expect(node.mark == at(1, 1))
        let pairs = try #require(node.mappingPairs)
        #expect(pairs.map(\.key.mark) == [at(1, 1), at(2, 1), at(3, 1)])
        #expect(pairs.map(\.value.mark) == [at(1, 7), at(2, 7), at(4, 3)])
        let ids = try #require(pairs[2].value.sequenceItems)
        #expect(ids.map(\.mark) == [at(4, 5), at(5, 5)])
    }

    @Test func flowCollectionsWithMarks() throws {
        let node = try root("ids: [a, bb, {c: d}]\ntags: {team: platform, env: prod}\n")
        #expect(render(node) == "{ids: [a, bb, {c: d}], tags: {team: platform, env: prod}}")
        let ids = try #require(node.value(forKey: "ids"))
        #expect(ids.mark == at(1, 6))
        #expect(ids.sequenceItems?.map(\.mark) == [at(1, 7), at(1, 10), at(1, 14)])
        let inner = try #require(ids.sequenceItems?[2].mappingPairs?.first)
        #expect(inner.key.mark == at(1, 15))
        #expect(inner.value.mark == at(1, 18))
        let tags = try #require(node.value(forKey: "tags")?.mappingPairs)
        #expect(tags.map(\.key.mark) == [at(2, 8), at(2, 24)])
        #expect(tags.map(\.value.mark) == [at(2, 14), at(2, 29)])
    }

    @Test func nestedBlockCollectionsWithMarks() throws {
        let node = try root(
            """
            flat:
              charge_value: 50.00
            rules:
            - name: a
              scope: SKU
            - - x
              - y
            """)
        #expect(render(node) == "{flat: {charge_value: 50.00}, rules: [{name: a, scope: SKU}, [x, y]]}")
        let flat = try #require(node.value(forKey: "flat"))
        #expect(flat.mark == at(2, 3))
        #expect(flat.mappingPairs?.first?.value.mark == at(2, 17))
        let rules = try #require(node.value(forKey: "rules")?.sequenceItems)
        #expect(rules.map(\.mark) == [at(4, 3), at(6, 3)])
        #expect(rules[0].mappingPairs?.map(\.key.mark) == [at(4, 3), at(5, 3)])
        #expect(rules[1].sequenceItems?.map(\.mark) == [at(6, 5), at(7, 5)])
    }

    /// libyaml counts columns in characters (Unicode scalars), not bytes; a line with multi-byte characters
    /// before a node must not shift its column.
    @Test func columnsCountUnicodeScalarsNotBytes() throws {
        // n é : ␠ { ü : ␠ 😀 , ␠ b : ␠ c }
        // 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15
        let node = try root("né: {ü: 😀, b: c}\n")
        let pairs = try #require(node.value(forKey: "né")?.mappingPairs)
        #expect(pairs.map(\.key.mark) == [at(1, 6), at(1, 12)])
        #expect(pairs.map(\.value.mark) == [at(1, 9), at(1, 15)])
        #expect(pairs[0].value.scalarValue == "😀")
    }

    /// A combining accent is its own Unicode scalar, so it takes a column of its own even though it renders as
    /// one character together with the letter before it.
    @Test func combiningCharactersCountAsScalars() throws {
        let node = try root("\"e\u{301}\": x\n")
        let pair = try #require(node.mappingPairs?.first)
        #expect(pair.key.scalarValue == "e\u{301}")
        #expect(pair.value.mark == at(1, 7))
    }

    @Test func multipleDocuments() throws {
        let file = parse(
            """
            # header comment
            kind: BillingGroup
            name: retail
            ---
            kind: PricingPlan
            name: standard
            ...
            ---
            - a
            - b
            """)
        #expect(file.problems.isEmpty)
        #expect(file.documents.map { render($0.root) } == [
            "{kind: BillingGroup, name: retail}", "{kind: PricingPlan, name: standard}", "[a, b]",
        ])
        // An implicit document starts at its first node, an explicit one at its `---`.
        #expect(file.documents.map(\.mark) == [at(2, 1), at(4, 1), at(8, 1)])
        #expect(file.documents.map(\.root.mark) == [at(2, 1), at(5, 1), at(9, 1)])
    }

    @Test func anEmptyDocumentBetweenSeparatorsHasANullRoot() throws {
        let file = parse("---\n---\nname: b\n")
        #expect(file.problems.isEmpty)
        #expect(file.documents.count == 2)
        #expect(file.documents[0].root.isNull)
        #expect(render(file.documents[1].root) == "{name: b}")
        #expect(file.documents.map(\.mark) == [at(1, 1), at(2, 1)])
    }

    @Test(arguments: ["", "# only a comment\n", "# one\n\n   # two\n", "   \n\n", "\u{FEFF}", "\u{FEFF}# c\n"])
    func emptyTextHasNoDocumentsAndNoProblems(text: String) {
        let file = parse(text)
        #expect(file.documents.isEmpty)
        #expect(file.problems.isEmpty)
    }

    @Test func byteOrderMarkIsSkippedAndColumnsStartAfterIt() throws {
        let node = try root("\u{FEFF}name: retail\nkind: x\n")
        #expect(render(node) == "{name: retail, kind: x}")
        let pairs = try #require(node.mappingPairs)
        #expect(pairs.map(\.key.mark) == [at(1, 1), at(2, 1)])
        #expect(pairs.map(\.value.mark) == [at(1, 7), at(2, 7)])
    }

    @Test func crlfLineEndingsKeepMarksRight() throws {
        let text =
            "kind: BillingGroup\r\nids:\r\n  - \"1\"\r\n  - b\r\ndescription: |\r\n  two\r\n  lines\r\nlast: z\r\n"
        let node = try root(text)
        #expect(render(node) == #"{kind: BillingGroup, ids: ["1", b], description: |two\nlines\n|, last: z}"#)
        let pairs = try #require(node.mappingPairs)
        #expect(pairs.map(\.key.mark) == [at(1, 1), at(2, 1), at(5, 1), at(8, 1)])
        #expect(node.value(forKey: "ids")?.sequenceItems?.map(\.mark) == [at(3, 5), at(4, 5)])
        #expect(node.value(forKey: "last")?.mark == at(8, 7))
    }

    @Test func lonelyCarriageReturnsBreakLinesToo() throws {
        let node = try root("a: 1\rb: 2\r")
        #expect(render(node) == "{a: 1, b: 2}")
        #expect(node.mappingPairs?.map(\.value.mark) == [at(1, 4), at(2, 4)])
    }

    @Test func valueForKeyFindsTheFirstScalarKey() throws {
        let node = try root("name: a\n\"kind\": b\n")
        #expect(node.value(forKey: "kind")?.scalarValue == "b")
        #expect(node.value(forKey: "missing") == nil)
        #expect(node.value(forKey: "name")?.value(forKey: "x") == nil)
    }
}

import ProformaYAML
import Testing

@Suite("Mapping keys")
struct KeyTests {
    @Test func aDuplicateKeyIsReportedAtTheSecondKeyAndTheFirstValueIsKept() throws {
        let file = parse(
            """
            kind: PricingRule
            name: first
            scope: SKU
            name: second
            type: DISCOUNT
            """)
        #expect(kindsAndMarks(file) == ["duplicateKey 4:1"])
        let problem = try #require(file.problems.first)
        #expect(problem.message == #"duplicate key "name" (first at line 2, column 1)"#)
        #expect(problem.hint == "remove or rename one of them; only the first is read")
        #expect(problem.isFatal == false)
        #expect(file.fatalProblem == nil)
        let node = try #require(file.documents.first?.root)
        #expect(render(node) == "{kind: PricingRule, name: first, scope: SKU, type: DISCOUNT}")
    }

    @Test func severalDuplicatesInOneFileAreAllReportedAndReadingGoesOn() throws {
        let file = parse(
            """
            name: a
            tags: {env: prod, team: x, env: dev}
            name: b
            ---
            rules:
              - id: 1
                id: 2
            rules: []
            ---
            name: 'q'
            "name": plain
            """)
        #expect(kindsAndMarks(file) == [
            "duplicateKey 2:28", "duplicateKey 3:1", "duplicateKey 7:5", "duplicateKey 8:1", "duplicateKey 11:1",
        ])
        #expect(file.problems.map(\.message) == [
            #"duplicate key "env" (first at line 2, column 8)"#,
            #"duplicate key "name" (first at line 1, column 1)"#,
            #"duplicate key "id" (first at line 6, column 5)"#,
            #"duplicate key "rules" (first at line 5, column 1)"#,
            #"duplicate key "name" (first at line 10, column 1)"#,
        ])
        #expect(file.documents.map { render($0.root) } == [
            "{name: a, tags: {env: prod, team: x}}", "{rules: [{id: 1}]}", "{name: 'q'}",
        ])
    }

    @Test func duplicatesInALargeMappingAreFound() throws {
        var lines = (0..<40).map { "key\($0): \($0)" }
        lines.append("key3: again")
        lines.append("key39: again")
        lines.append("key40: new")
        let file = parse(lines.joined(separator: "\n") + "\n")
        #expect(kindsAndMarks(file) == ["duplicateKey 41:1", "duplicateKey 42:1"])
        #expect(file.problems.map(\.message) == [
            #"duplicate key "key3" (first at line 4, column 1)"#,
            #"duplicate key "key39" (first at line 40, column 1)"#,
        ])
        let pairs = try #require(file.documents.first?.root.mappingPairs)
        #expect(pairs.count == 41)
        #expect(pairs[3].value.scalarValue == "3")
        #expect(pairs.last?.key.scalarValue == "key40")
    }

    @Test func keysAreComparedByTheirTextOnly() {
        #expect(kindsAndMarks(parse("1: a\n01: b\n\"1\": c\n")) == ["duplicateKey 3:1"])
        #expect(kindsAndMarks(parse("a: 1\nA: 2\n")).isEmpty)
    }

    @Test func aFatalProblemAfterDuplicatesKeepsThemAll() {
        let file = parse("a: 1\na: 2\nb: c: d\n")
        #expect(kindsAndMarks(file) == ["duplicateKey 2:1", "syntax 3:5"])
        #expect(file.fatalProblem?.kind == .syntax)
    }

    @Test func aDuplicateKeyWithACollectionValueDropsTheWholeValue() throws {
        let node = try #require(parse("a: [1]\na:\n  b: 2\nc: 3\n").documents.first?.root)
        #expect(render(node) == "{a: [1], c: 3}")
    }

    @Test func keysInMessagesAreEscapedAndShortened() {
        let file = parse("\"a\\\"b\\nc\": 1\n\"a\\\"b\\nc\": 2\n")
        #expect(file.problems.first?.message == #"duplicate key "a\"b\nc" (first at line 1, column 1)"#)
        let long = String(repeating: "k", count: 80)
        let longFile = parse("\(long): 1\n\(long): 2\n")
        #expect(longFile.problems.first?.message
            == "duplicate key \"\(String(repeating: "k", count: 60))…\" (first at line 1, column 1)")
    }

    @Test func aCollectionAsAKeyIsUnsupportedButNotFatal() throws {
        let file = parse("? [a, b]\n: 1\n[c]: 2\n{d: e}: 3\nname: x\n")
        #expect(kindsAndMarks(file) == ["unsupported 1:3", "unsupported 3:1", "unsupported 4:1"])
        #expect(file.problems.map(\.message) == [
            "a list used as a mapping key is not supported",
            "a list used as a mapping key is not supported",
            "a mapping used as a mapping key is not supported",
        ])
        #expect(file.problems.allSatisfy { !$0.isFatal })
        let node = try #require(file.documents.first?.root)
        #expect(render(node) == "{[a, b]: 1, [c]: 2, {d: e}: 3, name: x}")
    }
}

import ProformaYAML
import Testing

@Suite("Limits: size and depth")
struct LimitTests {
    @Test func textLargerThanTheLimitIsNotRead() {
        let text = "name: retail\n"  // 13 bytes
        let file = parse(text, limits: YAMLLimits(maxBytes: 12))
        #expect(file.documents.isEmpty)
        #expect(kindsAndMarks(file) == ["tooLarge 1:1"])
        #expect(file.problems.first?.message == "the file is 13 bytes, more than the limit of 12 bytes")
        #expect(file.problems.first?.isFatal == true)

        let exact = parse(text, limits: YAMLLimits(maxBytes: 13))
        #expect(exact.problems.isEmpty)
        #expect(exact.documents.count == 1)
    }

    @Test func tooLargeIsReportedEvenForTextThatWouldNotParse() {
        let file = parse("a: [\u{1}", limits: YAMLLimits(maxBytes: 4))
        #expect(kindsAndMarks(file) == ["tooLarge 1:1"])
    }

    @Test func theDefaultLimitsAreGenerousForConfigurationAndTightForAbuse() {
        #expect(YAMLLimits.default.maxBytes == 16 << 20)
        #expect(YAMLLimits.default.maxDepth == 64)
        #expect(YAMLLimits.default.maxAliasExpansion == 100_000)
    }

    @Test func nestingUpToTheLimitIsRead() throws {
        let text = String(repeating: "[", count: 64) + "x" + String(repeating: "]", count: 64)
        let node = try root(text)
        #expect(depth(of: node) == 64)
    }

    @Test func nestingOneLevelPastTheLimitIsTooDeepAtTheCollectionThatPassesIt() {
        let text = String(repeating: "[", count: 65) + "x" + String(repeating: "]", count: 65)
        let file = parse(text)
        #expect(file.documents.isEmpty)
        #expect(kindsAndMarks(file) == ["tooDeep 1:65"])
        #expect(file.problems.first?.message == "collections nest deeper than 64 levels")
    }

    @Test func hundredThousandDeepFlowNestingEndsQuickly() {
        let text = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let clock = ContinuousClock()
        var file = YAMLFile(documents: [], problems: [])
        let elapsed = clock.measure { file = parse(text) }
        #expect(file.documents.isEmpty)
        #expect(kindsAndMarks(file) == ["tooDeep 1:65"])
        print("100,000-deep flow nesting: \(elapsed)")
    }

    @Test func hundredThousandDeepUnclosedNestingEndsQuickly() {
        let text = String(repeating: "{a: [", count: 100_000)
        let file = parse(text)
        #expect(file.documents.isEmpty)
        // {a: [ is five characters; the 65th collection is the 33rd `{`, at column 1 + 32 × 5.
        #expect(kindsAndMarks(file) == ["tooDeep 1:161"])
    }

    @Test func deepBlockNestingIsTooDeep() {
        // `- - - … x`: each `- ` opens a list two columns further right.
        let text = String(repeating: "- ", count: 10_000) + "x\n"
        let file = parse(text)
        #expect(kindsAndMarks(file) == ["tooDeep 1:129"])
    }

    @Test func aSmallerDepthLimitIsHonoured() {
        let text = "a:\n  b:\n    c: [x]\n"
        #expect(parse(text, limits: YAMLLimits(maxDepth: 4)).problems.isEmpty)
        let file = parse(text, limits: YAMLLimits(maxDepth: 3))
        #expect(kindsAndMarks(file) == ["tooDeep 3:8"])
    }

    @Test func documentsBeforeAFatalProblemAreKept() {
        let text = "a: 1\n---\nb: 2\n---\n" + String(repeating: "[", count: 70) + String(repeating: "]", count: 70)
        let file = parse(text)
        #expect(file.documents.map { render($0.root) } == ["{a: 1}", "{b: 2}"])
        #expect(kindsAndMarks(file) == ["tooDeep 5:65"])
    }

    /// About 2 MB of rules in 5,000 documents, with a mapping of 2,000 keys: everything is read, in order.
    @Test func largeInputIsReadCompletely() throws {
        var text = ""
        for index in 0..<5_000 {
            text += """
                ---
                kind: PricingRule
                name: rule-\(index)
                scope: SKU
                modifier_percentage: \(index % 50).5
                account_ids: ["\(index)", '222222222222']
                tags: {team: platform, env: prod}

                """
        }
        text += "---\n" + (0..<2_000).map { "key\($0): \($0)" }.joined(separator: "\n") + "\n"
        let file = parse(text)
        #expect(file.problems.isEmpty)
        #expect(file.documents.count == 5_001)
        #expect(file.documents[4_321].root.value(forKey: "name")?.scalarValue == "rule-4321")
        #expect(file.documents[4_321].mark == at(4_321 * 7 + 1, 1))
        let last = try #require(file.documents.last?.root.mappingPairs)
        #expect(last.count == 2_000)
        #expect(last[1_999].key.scalarValue == "key1999")
        #expect(count(of: file.documents[0].root) == 1 + 2 * 6 + 2 + 4)
    }
}

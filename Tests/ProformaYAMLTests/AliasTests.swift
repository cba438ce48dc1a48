import ProformaYAML
import Testing

@Suite("Anchors and aliases")
struct AliasTests {
    @Test func aliasesExpandToCopiesOfTheAnchoredNode() throws {
        let node = try root(
            """
            defaults: &defaults
              currency: USD
              rounding: [half_up, 2]
            retail: *defaults
            names: [&first one, *first, *first]
            """)
        #expect(render(node) == """
            {defaults: {currency: USD, rounding: [half_up, 2]}, retail: {currency: USD, rounding: [half_up, 2]}, \
            names: [one, one, one]}
            """)
        let defaults = try #require(node.value(forKey: "defaults"))
        let retail = try #require(node.value(forKey: "retail"))
        // A node starts at its properties (here its anchor). The copy starts where the alias stands; the nodes
        // inside keep the marks of what they copy.
        #expect(defaults.mark == at(1, 11))
        #expect(retail.mark == at(4, 9))
        #expect(retail.mappingPairs?.map(\.key.mark) == [at(2, 3), at(3, 3)])
        #expect(node.value(forKey: "names")?.sequenceItems?.map(\.mark) == [at(5, 9), at(5, 21), at(5, 29)])
    }

    @Test func anAliasMayStandAsAKey() throws {
        let node = try root("k: &key name\n*key : retail\n")
        #expect(render(node) == "{k: name, name: retail}")
        #expect(node.mappingPairs?[1].key.mark == at(2, 1))
    }

    @Test func aRedefinedAnchorRefersToItsLatestNode() throws {
        let node = try root("[&a 1, *a, &a 2, *a]\n")
        #expect(render(node) == "[1, 1, 2, 2]")
    }

    @Test func tagsAndStylesTravelWithTheCopy() throws {
        let node = try root("a: &x !!str 'v'\nb: *x\n")
        let copy = try #require(node.value(forKey: "b"))
        #expect(copy.tag == "tag:yaml.org,2002:str")
        #expect(copy.scalarStyle == .singleQuoted)
        #expect(copy.scalarValue == "v")
    }

    @Test func anUnknownAliasIsASyntaxProblemAtTheAlias() {
        let file = parse("name: a\nplan: *missing\n")
        #expect(file.documents.isEmpty)
        #expect(kindsAndMarks(file) == ["syntax 2:7"])
        #expect(
            file.problems.first?.message
                == "unknown alias *missing: no anchor &missing comes before it in this document")
        #expect(file.problems.first?.isFatal == true)
        #expect(file.fatalProblem?.kind == .syntax)
    }

    @Test func anAliasBeforeItsAnchorIsUnknown() {
        let file = parse("a: *x\nb: &x 1\n")
        #expect(kindsAndMarks(file) == ["syntax 1:4"])
    }

    @Test func anchorsDoNotReachIntoTheNextDocument() {
        let file = parse("a: &x 1\n---\nb: *x\n")
        #expect(file.documents.map { render($0.root) } == ["{a: 1}"])
        #expect(kindsAndMarks(file) == ["syntax 3:4"])
    }

    @Test func anAliasInsideItsOwnAnchoredNodeIsUnsupportedAndReadingGoesOn() throws {
        let file = parse("a: &r [1, *r]\nb: 2\n")
        #expect(kindsAndMarks(file) == ["unsupported 1:11"])
        #expect(file.problems.first?.isFatal == false)
        #expect(file.problems.first?.message == "alias *r refers to a collection that contains it")
        let node = try #require(file.documents.first?.root)
        #expect(render(node) == "{a: [1, ], b: 2}")
        #expect(node.value(forKey: "a")?.sequenceItems?.last?.isNull == true)
    }

    /// Each alias adds the size of its anchored subtree (keys and values included) to a budget for the file.
    @Test func aliasExpansionIsCountedInNodesOfTheAnchoredSubtree() {
        // `[1, 2]` is 3 nodes; two aliases of it expand to 6.
        let text = "a: &a [1, 2]\nb: [*a, *a]\n"
        let within = parse(text, limits: YAMLLimits(maxAliasExpansion: 6))
        #expect(within.problems.isEmpty)
        #expect(within.documents.count == 1)

        let over = parse(text, limits: YAMLLimits(maxAliasExpansion: 5))
        #expect(over.documents.isEmpty)
        #expect(kindsAndMarks(over) == ["tooManyAliases 2:9"])
        #expect(over.problems.first?.message == "aliases expand to more than 5 nodes in this file")
    }

    @Test func theAliasBudgetIsSharedByTheDocumentsOfAFile() {
        // A mapping of one pair is 3 nodes.
        let text = "a: &a {k: v}\nb: *a\n---\na: &a {k: v}\nb: *a\n"
        let file = parse(text, limits: YAMLLimits(maxAliasExpansion: 5))
        #expect(file.documents.count == 1)
        #expect(kindsAndMarks(file) == ["tooManyAliases 5:4"])
    }

    @Test func anAliasThatWouldNestTooDeeplyIsTooDeep() {
        let text = "a: &a [[x]]\nb: [*a]\n"
        // Mapping, list, and the alias's two levels: four levels.
        #expect(parse(text, limits: YAMLLimits(maxDepth: 4)).problems.isEmpty)
        let file = parse(text, limits: YAMLLimits(maxDepth: 3))
        #expect(kindsAndMarks(file) == ["tooDeep 2:5"])
        #expect(file.documents.isEmpty)
    }

    /// The classic "billion laughs": nine levels of ten aliases each would expand to a billion nodes.
    @Test func billionLaughsStopsAtTheAliasBudget() throws {
        var lines = ["a: &a [" + Array(repeating: "\"lol\"", count: 10).joined(separator: ", ") + "]"]
        let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"]
        for (previous, name) in zip(names, names.dropFirst()) {
            let aliases = Array(repeating: "*\(previous)", count: 10).joined(separator: ", ")
            lines.append("\(name): &\(name) [\(aliases)]")
        }
        let text = lines.joined(separator: "\n") + "\n"

        let clock = ContinuousClock()
        var file = YAMLFile(documents: [], problems: [])
        let elapsed = clock.measure { file = parse(text) }

        // Sizes: a = 11 nodes, b = 111, c = 1,111, d = 11,111. After b, c and d the budget holds 12,330; in e,
        // each *d adds 11,111, and the eighth passes 100,000. It stands at column 8 + 7 × 4 = 36 of line 5.
        #expect(file.documents.isEmpty)
        #expect(kindsAndMarks(file) == ["tooManyAliases 5:36"])
        #expect(file.problems.first?.message == "aliases expand to more than 100,000 nodes in this file")
        #expect(file.problems.first?.hint != nil)
        // Loose, not asserted: it ends in milliseconds.
        print("billion laughs: \(elapsed)")
    }
}

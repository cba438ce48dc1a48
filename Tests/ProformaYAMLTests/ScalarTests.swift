import ProformaYAML
import Testing

@Suite("Scalars: text, styles, tags, no resolution")
struct ScalarTests {
    @Test func stylesAreKept() throws {
        let node = try root(
            """
            plain: some text
            single: 'it''s'
            double: "tab\\there \\u00e9"
            literal: |
              first
               second
            folded: >
              one
              two
            """)
        let values = try #require(node.mappingPairs?.map(\.value))
        #expect(values.map(\.scalarStyle) == [.plain, .singleQuoted, .doubleQuoted, .literal, .folded])
        #expect(values.map(\.scalarValue) == ["some text", "it's", "tab\there é", "first\n second\n", "one two"])
        #expect(values.map(\.mark) == [at(1, 8), at(2, 9), at(3, 9), at(4, 10), at(7, 9)])
        #expect(node.mappingPairs?.allSatisfy { $0.key.scalarStyle == .plain } == true)
    }

    /// Nothing is resolved: numbers with leading zeros, YAML 1.1 booleans, decimals with trailing zeros, dates
    /// and the like stay exactly the text written.
    @Test func scalarsAreNotResolved() throws {
        let node = try root(
            """
            account: 012345678901
            enabled: no
            also: On
            version: 1.10
            amount: 50.00
            octal: 0o17
            hex: 0x1F
            period: 2026-10
            big: 1e3
            """)
        let values = try #require(node.mappingPairs?.map(\.value))
        #expect(values.map(\.scalarValue) == [
            "012345678901", "no", "On", "1.10", "50.00", "0o17", "0x1F", "2026-10", "1e3",
        ])
        #expect(values.allSatisfy { $0.tag == nil && $0.scalarStyle == .plain && !$0.isNull })
    }

    @Test func nullFormsAreOnlyFlaggedThroughIsNull() throws {
        let node = try root(
            """
            empty:
            tilde: ~
            lower: null
            title: Null
            upper: NULL
            mixed: nULL
            quoted: "null"
            single: ''
            tagged: !!null null
            """)
        let values = try #require(node.mappingPairs?.map(\.value))
        #expect(values.map(\.scalarValue) == ["", "~", "null", "Null", "NULL", "nULL", "null", "", "null"])
        #expect(values.map(\.isNull) == [true, true, true, true, true, false, false, false, false])
        #expect(values.map(\.kindDescription) == [
            "null", "null", "null", "null", "null", "a scalar", "a scalar", "a scalar", "a scalar",
        ])
    }

    @Test func explicitTagsAreReportedAsLibyamlResolvesThem() throws {
        let node = try root(
            """
            %TAG !e! tag:example.com,2026:
            ---
            str: !!str 012
            custom: !custom x
            handle: !e!rule y
            verbatim: !<tag:example.com,2026:z> z
            list: !!seq [a]
            map: !!map {k: v}
            none: plain
            """)
        let values = try #require(node.mappingPairs?.map(\.value))
        #expect(values.map(\.tag) == [
            "tag:yaml.org,2002:str", "!custom", "tag:example.com,2026:rule", "tag:example.com,2026:z",
            "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map", nil,
        ])
        #expect(values[0].scalarValue == "012")
        // The document starts at its `---`, after the directive.
        #expect(parse("%TAG !e! tag:example.com,2026:\n---\na: 1\n").documents.map(\.mark) == [at(2, 1)])
        #expect(render(values[4]) == "<tag:yaml.org,2002:seq>[a]")
        // The node starts at its tag.
        #expect(values[0].mark == at(3, 6))
    }

    /// libyaml gives the non-specific tag `!` for `! x`; it is no explicit tag, so it is reported as nil.
    @Test func nonSpecificTagsAreReportedAsNil() throws {
        let node = try root("a: ! x\nb: ! \"y\"\nc: 'z'\nd: \"w\"\n")
        let values = try #require(node.mappingPairs?.map(\.value))
        #expect(values.map(\.tag) == [nil, nil, nil, nil])
        #expect(values.map(\.scalarValue) == ["x", "y", "z", "w"])
        #expect(values.map(\.scalarStyle) == [.plain, .doubleQuoted, .singleQuoted, .doubleQuoted])
    }

    @Test func multiLineScalarsAreFoldedByYAMLRules() throws {
        let node = try root(
            """
            description: a long
              description that
              continues
            quoted: "first
              second"
            keep: |+
              x

            strip: >-
              y
              z
            """)
        let values = try #require(node.mappingPairs?.map(\.value.scalarValue))
        #expect(values == ["a long description that continues", "first second", "x\n\n", "y z"])
    }

    @Test func scalarRootDocument() throws {
        let node = try root("just text\n")
        #expect(node.scalarValue == "just text")
        #expect(node.mark == at(1, 1))
        #expect(node.mappingPairs == nil)
        #expect(node.sequenceItems == nil)
    }
}

import ProformaCore
import ProformaLoader
import ProformaYAML
import Testing

@Suite struct OtherYAMLReadingTests {
    func warnings(_ yaml: String) throws -> [(code: String, line: Int, column: Int, message: String)] {
        let loaded = try load(["a.yaml": yaml])
        return loaded.diagnostics.map {
            ($0.code.rawValue, $0.location?.line ?? 0, $0.location?.column ?? 0, $0.message)
        }
    }

    @Test func plainBooleansAndOddNumbersInTextFieldsAreWarnedOf() throws {
        let found = try warnings(
            """
            kind: BillingGroup
            name: no
            description: on
            primary_account_id: "111111111111"
            account_ids: ["111111111111"]
            pricing_plan: 012
            tags: { env: off, yes: x, build: 1:20, size: 1_000, ok: 12 }
            ---
            kind: PricingPlan
            name: "012"
            description: 'yes'
            pricing_rules: [0o12, r]
            ---
            kind: PricingRule
            name: r
            scope: GLOBAL
            type: MARKUP
            modifier_percentage: 10
            description: 12.5

            """)
        let pf215 = found.filter { $0.code == "PF215" }
        #expect(
            pf215.map { "\($0.line):\($0.column)" } == ["2:7", "3:14", "6:15", "7:14", "7:19", "7:34", "7:46", "12:17"])
        #expect(
            pf215.first?.message
                == "unquoted no in \"name\" is text here, but other YAML tools read it as the boolean false")
        #expect(pf215[4].message.hasPrefix("unquoted yes in a key of \"tags\" is text here"))
        #expect(pf215[5].message.hasSuffix("read it as a base-60 number (YAML 1.1)"))
        #expect(found.allSatisfy { $0.code == "PF215" })
        let loaded = try load(["a.yaml": "kind: PricingPlan\nname: no\npricing_rules: []\n"])
        #expect(loaded.diagnostics.first?.hint == "quote it: \"no\"")
        #expect(loaded.diagnostics.first?.severity == .warning)
        #expect(loaded.configuration.pricingPlans.map(\.name) == ["no"])
    }

    @Test func anUnquotedAccountIDIsWarnedOfOnceWithItsOwnCode() throws {
        let found = try warnings(
            """
            kind: Account
            name: a
            account_id: 012345678901

            """)
        #expect(found.map(\.code) == ["PF211"])
    }

    @Test func quotedTaggedAndOrdinaryValuesAreNotWarnedOf() throws {
        let found = try warnings(
            """
            kind: PricingPlan
            name: "no"
            description: !!str yes
            pricing_rules: ['on', "off", plain-text, r1, "1:20"]

            """)
        #expect(found.filter { $0.code == "PF215" }.isEmpty)
    }
}

@Suite struct OtherYAMLReadingsTableTests {
    @Test(arguments: [
        ("y", "the boolean true"), ("Yes", "the boolean true"), ("ON", "the boolean true"),
        ("true", "the boolean true"), ("N", "the boolean false"), ("no", "the boolean false"),
        ("Off", "the boolean false"), ("FALSE", "the boolean false"),
        ("012", "an octal number (YAML 1.1)"), ("-017", "an octal number (YAML 1.1)"),
        ("0o12", "an octal number (YAML 1.2)"), ("0x1F", "a hexadecimal number"),
        ("0b101", "a binary number (YAML 1.1)"),
        ("1:20", "a base-60 number (YAML 1.1)"), ("190:20:30.15", "a base-60 number (YAML 1.1)"),
        ("1_000", "a number"), ("+12", "a number"), ("09", "a number"), ("1e3", "a number"), ("1.5E-3", "a number"),
        (".5", "a number"), ("5.", "a number"), (".inf", "an infinite number"), ("-.Inf", "an infinite number"),
        (".NaN", "not-a-number"),
    ])
    func readings(_ text: String, _ expected: String) {
        #expect(OtherYAMLReadings.reading(ofPlain: text) == expected, "\(text)")
    }

    @Test(arguments: [
        "", "x", "yes-please", "nope", "onward", "0", "12", "-3", "12.5", "0.5", "-0.25", "1:60", "01:20", ".",
        "-", "+", "0x", "0xZZ", "0o8", "1e", "e3", "_1", "1:2:3:", "-.nan", "2026-10", "1.2.3", "12:5a",
        "standard", "AmazonEC2", "~",
    ])
    func textsThatReadAsThemselves(_ text: String) {
        #expect(OtherYAMLReadings.reading(ofPlain: text) == nil, "\(text)")
    }
}

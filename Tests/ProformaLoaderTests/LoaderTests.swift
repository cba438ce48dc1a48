import ProformaCore
import ProformaLoader
import ProformaModel
import ProformaYAML
import Testing

/// A minimal valid project file.
let projectFile = """
    kind: Project
    name: test
    version: 1
    payer_account_id: "999999999999"

    """

func load(_ files: [String: String]) throws -> LoadedConfiguration {
    var all = files
    if all["proforma.yaml"] == nil { all["proforma.yaml"] = projectFile }
    return try ConfigurationLoader().load(from: InMemoryFileTree(files: all))
}

func codes(_ diagnostics: [Diagnostic]) -> [String] { diagnostics.map(\.code.rawValue) }

@Suite struct LoaderTests {
    @Test func readsEveryKindWithExactValues() throws {
        let loaded = try load([
            "groups.yaml": """
                kind: BillingGroup
                name: retail
                description: Retail business unit
                primary_account_id: "111111111111"
                account_ids: ["111111111111", "012345678901"]
                pricing_plan: standard
                auto_associate: true
                tags: { team: retail }
                ---
                kind: PricingPlan
                name: standard
                pricing_rules: [markup]
                ---
                kind: PricingRule
                name: markup
                scope: SKU
                type: DISCOUNT
                modifier_percentage: 5.25
                service: AmazonEC2
                usage_type: USE1-BoxUsage:m5.large
                ---
                kind: CustomLineItem
                name: fee
                description: Managed service fee
                billing_group: retail
                type: CREDIT
                percentage: { percentage_value: 0.1, associated_values: [retail] }
                billing_period_range: { inclusive_start: 2026-3, exclusive_end: 2027-01 }
                computation_rule: ITEMIZED
                presentation_details: { service: Support }

                """
        ])
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics)")
        let config = loaded.configuration
        #expect(config.project?.payerAccountID == "999999999999")
        let group = try #require(config.billingGroups.first)
        #expect(group.accountIDs == ["111111111111", "012345678901"])
        #expect(group.autoAssociate)
        #expect(group.tags == ["team": "retail"])
        let rule = try #require(config.pricingRules.first)
        #expect(rule.modifierPercentage?.description == "5.25")
        #expect(rule.scope == .sku && rule.type == .discount)
        #expect(rule.usageType == "USE1-BoxUsage:m5.large")
        let item = try #require(config.customLineItems.first)
        #expect(item.charge == .percentage(percentageValue: ExactDecimal("0.1")!, associatedValues: ["retail"]))
        #expect(item.billingPeriodRange?.inclusiveStart.description == "2026-03")
        #expect(item.billingPeriodRange?.exclusiveEnd?.description == "2027-01")
        #expect(item.computationRule == .itemized)
        #expect(item.presentationService == "Support")
        #expect(item.type == .credit)
    }

    @Test func sourceMapPointsAtValues() throws {
        let loaded = try load([
            "a.yaml": """
                kind: BillingGroup
                name: retail
                primary_account_id: "111111111111"
                account_ids:
                  - "111111111111"
                  - "222222222222"
                pricing_plan: standard

                """
        ])
        let source = try #require(loaded.sourceMap.resources[ResourceID(.billingGroup, "retail")])
        #expect(source.location == SourceLocation(path: "a.yaml", line: 2, column: 7))
        #expect(source.field("primary_account_id") == SourceLocation(path: "a.yaml", line: 3, column: 21))
        #expect(source.field("account_ids[1]") == SourceLocation(path: "a.yaml", line: 6, column: 5))
        // An unknown index falls back to the list, located at its key.
        #expect(source.location(of: "account_ids[7]") == SourceLocation(path: "a.yaml", line: 4, column: 1))
    }

    @Test func unquotedAccountIDKeepsLeadingZeroWithWarning() throws {
        let loaded = try load([
            "accounts.yaml": """
                kind: Account
                name: legacy
                account_id: 012345678901

                """
        ])
        #expect(loaded.configuration.accounts.first?.accountID == "012345678901")
        #expect(codes(loaded.diagnostics) == ["PF211"])
        #expect(loaded.diagnostics.first?.location == SourceLocation(path: "accounts.yaml", line: 3, column: 13))
        #expect(loaded.diagnostics.first?.severity == .warning)
    }

    @Test func noAndOffStayTextInTextFields() throws {
        let loaded = try load([
            "a.yaml": """
                kind: Account
                name: "no"
                account_id: "111111111111"
                description: off
                tags: { enabled: yes }

                """
        ])
        let account = try #require(loaded.configuration.accounts.first)
        #expect(account.name == "no")
        #expect(account.description == "off")
        #expect(account.tags["enabled"] == "yes")
        // Text here, but a boolean to YAML 1.1 tools: each is warned of (the quoted "no" is not).
        #expect(codes(loaded.diagnostics) == ["PF215", "PF215"])
        #expect(loaded.diagnostics.map { $0.location!.line } == [4, 5])
    }

    @Test func booleansAreYAML12Only() throws {
        let loaded = try load([
            "a.yaml": """
                kind: BillingGroup
                name: g
                primary_account_id: "111111111111"
                account_ids: ["111111111111"]
                pricing_plan: p
                auto_associate: yes

                """
        ])
        #expect(codes(loaded.diagnostics) == ["PF205"])
        #expect(loaded.diagnostics.first?.location?.line == 6)
        #expect(loaded.diagnostics.first?.location?.column == 17)
    }

    @Test func decimalsAreExactAndMustBeNumbers() throws {
        let loaded = try load([
            "a.yaml": """
                kind: PricingRule
                name: a
                scope: GLOBAL
                type: MARKUP
                modifier_percentage: 0.1000000000000000055511151231257827
                ---
                kind: PricingRule
                name: b
                scope: GLOBAL
                type: MARKUP
                modifier_percentage: "10"
                ---
                kind: PricingRule
                name: c
                scope: GLOBAL
                type: MARKUP
                modifier_percentage: .inf

                """
        ])
        #expect(
            loaded.configuration.pricingRules.first { $0.name == "a" }?.modifierPercentage?.description
                == "0.1000000000000000055511151231257827")
        #expect(codes(loaded.diagnostics) == ["PF205", "PF207"])
        #expect(loaded.diagnostics.map { $0.location?.line } == [11, 17])
    }

    @Test func unknownFieldsAndKindsSuggestTheNearestName() throws {
        let loaded = try load([
            "a.yaml": """
                kind: BillingGroups
                name: x
                ---
                kind: PricingPlan
                name: p
                pricing_rule: []

                """
        ])
        // Sorted by position: the missing field is reported at the start of its mapping.
        #expect(codes(loaded.diagnostics) == ["PF202", "PF204", "PF203"])
        #expect(loaded.diagnostics[0].hint == "did you mean \"BillingGroup\"?")
        #expect(loaded.diagnostics[0].location == SourceLocation(path: "a.yaml", line: 1, column: 7))
        #expect(loaded.diagnostics[1].location == SourceLocation(path: "a.yaml", line: 4, column: 1))
        #expect(loaded.diagnostics[2].hint == "did you mean \"pricing_rules\"?")
        #expect(loaded.diagnostics[2].location == SourceLocation(path: "a.yaml", line: 6, column: 1))
    }

    @Test func duplicateNamesReportTheSecond() throws {
        let loaded = try load([
            "a.yaml": "kind: PricingPlan\nname: p\npricing_rules: []\n",
            "b.yaml": "kind: PricingPlan\nname: p\npricing_rules: []\n",
        ])
        #expect(codes(loaded.diagnostics) == ["PF300"])
        #expect(loaded.diagnostics.first?.location?.path == "b.yaml")
        #expect(loaded.configuration.pricingPlans.count == 1)
    }

    @Test func projectFileRules() throws {
        let missing = try ConfigurationLoader().load(from: InMemoryFileTree(files: ["a.yaml": "kind: PricingPlan\nname: p\npricing_rules: []\n"]))
        #expect(codes(missing.diagnostics) == ["PF213"])
        let misplaced = try load(["sub/p.yaml": projectFile])
        #expect(codes(misplaced.diagnostics) == ["PF213"])
        #expect(misplaced.diagnostics.first?.location?.path == "sub/p.yaml")
    }

    @Test func skipsHiddenExcludedAndNonYAMLFiles() throws {
        let loaded = try load([
            "proforma.yaml": projectFile + "exclude: [\"drafts/**\", \"*.draft.yaml\"]\n",
            ".github/workflows/ci.yml": "on: push\n",
            "drafts/x.yaml": "not: valid: yaml: at: all\n",
            "a.draft.yaml": "kind: Nope\n",
            "README.md": "# hello\n",
            "plans.yml": "kind: PricingPlan\nname: p\npricing_rules: []\n",
        ])
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics)")
        #expect(loaded.sourceMap.files == ["plans.yml", "proforma.yaml"])
    }

    @Test func symlinksAreNotFollowedAndLFSPointersAreReported() throws {
        var tree = InMemoryFileTree(
            files: [
                "proforma.yaml": projectFile,
                "big.yaml": "version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 12\n",
            ], symlinks: ["link.yaml": "/etc/passwd"])
        tree.label = "test"
        let loaded = try ConfigurationLoader().load(from: tree)
        #expect(codes(loaded.diagnostics) == ["PF107", "PF108"])
        #expect(loaded.diagnostics.map(\.severity) == [.error, .note])
    }

    @Test func emptyFileIsAWarning() throws {
        let loaded = try load(["empty.yaml": "# nothing here\n"])
        #expect(codes(loaded.diagnostics) == ["PF105"])
    }

    @Test func findsRootBelowTheTreeTop() throws {
        let tree = InMemoryFileTree(files: ["billing/proforma.yaml": projectFile, "billing/a.yaml": "kind: PricingPlan\nname: p\npricing_rules: []\n"])
        let root = try ConfigurationLoader.findRoot(in: tree)
        #expect(root == "billing")
        let loaded = try ConfigurationLoader().load(from: tree, root: root)
        #expect(loaded.configuration.pricingPlans.map(\.name) == ["p"])
        #expect(loaded.sourceMap.files == ["a.yaml", "proforma.yaml"])
    }
}

/// A tree that lists a file it cannot read.
struct UnreadableTree: FileTree {
    var label = "test"
    func entries() throws(FileTreeError) -> [FileTreeEntry] {
        [FileTreeEntry(path: "locked.yaml", kind: .file, size: 10), FileTreeEntry(path: "proforma.yaml", kind: .file, size: 10)]
    }
    func contents(of path: String) throws(FileTreeError) -> [UInt8] {
        if path == "proforma.yaml" { return Array(projectFile.utf8) }
        throw FileTreeError(.unreadable, path: path, message: "permission denied")
    }
}

@Suite struct RobustnessTests {
    @Test func unreadableFileIsADiagnosticAndLoadingGoesOn() throws {
        let loaded = try ConfigurationLoader().load(from: UnreadableTree())
        #expect(codes(loaded.diagnostics) == ["PF106"])
        #expect(loaded.diagnostics.first?.location == SourceLocation(path: "locked.yaml", line: 1, column: 1))
        #expect(loaded.configuration.project?.name == "test")
    }

    @Test func tagsAndMergeKeysAreUnsupported() throws {
        let loaded = try load([
            "a.yaml": """
                kind: CustomLineItem
                name: !Sub x
                description: !!str 012
                billing_group: g
                type: FEE
                flat: { charge_value: !!float 5 }
                <<: { tags: {} }

                """
        ])
        #expect(codes(loaded.diagnostics) == ["PF109", "PF109", "PF109"])
        #expect(loaded.diagnostics.map { $0.location!.line } == [2, 6, 7])
    }

    @Test func boundsAndSetsFromTheSpec() throws {
        let loaded = try load([
            "proforma.yaml": projectFile + "guardrails: [{ name: g, max_increase_percentage: -5, billing_groups: [a, a] }]\nexclude: [x, x]\n"
        ])
        #expect(codes(loaded.diagnostics) == ["PF206", "PF308", "PF308"])
    }

    @Test func fileOverTheSizeLimitIsNotRead() throws {
        let big = "kind: PricingPlan\nname: big\npricing_rules: []\n" + String(repeating: "# padding\n", count: 100)
        let tree = InMemoryFileTree(files: ["proforma.yaml": projectFile, "big.yaml": big])
        let loaded = try ConfigurationLoader(limits: YAMLLimits(maxBytes: 500)).load(from: tree)
        #expect(codes(loaded.diagnostics) == ["PF104"])
        #expect(loaded.diagnostics.first?.location == SourceLocation(path: "big.yaml", line: 1, column: 1))
        #expect(loaded.diagnostics.first?.message.contains("more than the 500 bytes") == true)
        #expect(loaded.configuration.pricingPlans.isEmpty)
    }

    @Test func versionTwoIsUnsupported() throws {
        let loaded = try ConfigurationLoader().load(from: InMemoryFileTree(files: ["proforma.yaml": "kind: Project\nname: p\nversion: 2\n"]))
        #expect(codes(loaded.diagnostics) == ["PF214"])
        #expect(loaded.diagnostics.first?.location == SourceLocation(path: "proforma.yaml", line: 3, column: 10))
    }
}

@Suite struct GlobTests {
    @Test func excludePatterns() throws {
        let files = [
            "proforma.yaml": projectFile + "exclude: [\"drafts/\", \"**/old-*.yaml\", \"x?.yaml\"]\n",
            "drafts/a.yaml": "kind: Nope\n", "a/b/old-1.yaml": "kind: Nope\n", "x1.yaml": "kind: Nope\n",
            "x12.yaml": "kind: PricingPlan\nname: kept\npricing_rules: []\n",
        ]
        let loaded = try ConfigurationLoader().load(from: InMemoryFileTree(files: files))
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics)")
        #expect(loaded.configuration.pricingPlans.map(\.name) == ["kept"])
    }
}

import ProformaCore
import ProformaLoader
import ProformaModel
import ProformaPlan
import ProformaTestSupport
import ProformaValidation
import Testing

/// `account_selector` resolved against accounts.yaml, and the checks against the organization recorded there.
@Suite struct AccountSelectorTests {
    static let project = """
        kind: Project
        name: acme
        version: 1
        payer_account_id: "999999999999"
        """
    static let accounts = """
        kind: Account
        name: acme-prod
        account_id: "111111111111"
        state: ACTIVE
        ou_path: /Customers/Acme
        tags: { customer: acme, environment: production }
        ---
        kind: Account
        name: acme-data
        account_id: "222222222222"
        state: ACTIVE
        ou_path: /Customers/Acme/Data
        tags: { customer: acme, environment: analytics }
        ---
        kind: Account
        name: acme-old
        account_id: "333333333333"
        state: CLOSED
        ou_path: /Customers/Acme
        tags: { customer: acme }
        ---
        kind: Account
        name: acmeish
        account_id: "444444444444"
        state: ACTIVE
        ou_path: /Customers/Acmeish
        unassigned: true
        ---
        kind: Account
        name: management
        account_id: "999999999999"
        state: ACTIVE
        ou_path: /
        """
    static let pricing = """
        kind: PricingPlan
        name: standard
        pricing_rules: []
        """

    static func load(groups: String, accounts: String = accounts) throws -> (LoadedConfiguration, [Diagnostic]) {
        let tree = InMemoryFileTree(files: [
            "proforma.yaml": project, "accounts.yaml": accounts, "groups.yaml": groups, "pricing.yaml": pricing,
        ])
        let loaded = try ConfigurationLoader().load(from: tree)
        return (loaded, Validator().validate(loaded))
    }

    static func members(_ loaded: LoadedConfiguration, _ group: String) -> [String] {
        loaded.configuration.billingGroups.first { $0.name == group }?.accountIDs ?? []
    }

    @Test func anOUPathSelectsItsOUAndEveryOUBelowByWholeSegments() throws {
        let (loaded, diagnostics) = try Self.load(
            groups: """
                kind: BillingGroup
                name: acme
                primary_account_id: "111111111111"
                account_selector: { ou_paths: [/Customers/Acme] }
                pricing_plan: standard
                """)
        // Not the CLOSED account, not /Customers/Acmeish.
        #expect(Self.members(loaded, "acme") == ["111111111111", "222222222222"])
        #expect(diagnostics.filter { $0.severity == .error }.isEmpty, "\(diagnostics)")
    }

    @Test func tagsMustAllMatchAndCombineWithOUPaths() throws {
        let (byTag, _) = try Self.load(
            groups: """
                kind: BillingGroup
                name: acme
                primary_account_id: "111111111111"
                account_selector: { tags: { customer: acme, environment: production } }
                pricing_plan: standard
                """)
        #expect(Self.members(byTag, "acme") == ["111111111111"])
        let (both, _) = try Self.load(
            groups: """
                kind: BillingGroup
                name: acme
                primary_account_id: "222222222222"
                account_selector: { ou_paths: [/Customers/Acme/Data, /Platform], tags: { customer: acme } }
                pricing_plan: standard
                """)
        #expect(Self.members(both, "acme") == ["222222222222"])
    }

    @Test func explicitAccountsAndSelectorsCombineWithoutDuplicates() throws {
        let (loaded, diagnostics) = try Self.load(
            groups: """
                kind: BillingGroup
                name: acme
                primary_account_id: "111111111111"
                account_ids: ["444444444444", "111111111111"]
                account_selector: { ou_paths: [/Customers/Acme] }
                pricing_plan: standard
                """)
        #expect(Self.members(loaded, "acme") == ["444444444444", "111111111111", "222222222222"])
        #expect(diagnostics.isEmpty, "\(diagnostics)")
    }

    @Test func anAccountSelectedByTwoGroupsIsInTwoGroups() throws {
        let (_, diagnostics) = try Self.load(
            groups: """
                kind: BillingGroup
                name: acme
                primary_account_id: "111111111111"
                account_selector: { ou_paths: [/Customers] }
                pricing_plan: standard
                ---
                kind: BillingGroup
                name: acme-data
                primary_account_id: "222222222222"
                account_selector:
                  tags: { environment: analytics }
                pricing_plan: standard
                """)
        let twice = diagnostics.filter { $0.code == .accountInTwoGroups }
        #expect(twice.count == 1)
        #expect(twice.first?.message == "account 222222222222 is in billing groups \"acme\" and \"acme-data\"")
        // At the second group's selector.
        #expect(twice.first?.location == SourceLocation(path: "groups.yaml", line: 10, column: 1))
    }

    @Test func aGroupNeedsAccountIDsOrASelectorThatSelectsSomething() throws {
        let (_, missing) = try Self.load(
            groups: """
                kind: BillingGroup
                name: acme
                primary_account_id: "111111111111"
                pricing_plan: standard
                """)
        #expect(
            missing.contains {
                $0.code == .missingField && $0.message.contains("neither account_ids nor account_selector")
            })
        let (_, empty) = try Self.load(
            groups: """
                kind: BillingGroup
                name: acme
                primary_account_id: "111111111111"
                account_ids: ["111111111111"]
                account_selector: {}
                pricing_plan: standard
                """)
        #expect(empty.contains { $0.code == .invalidValue && $0.location?.line == 5 })
        let (_, nothing) = try Self.load(
            groups: """
                kind: BillingGroup
                name: acme
                primary_account_id: "111111111111"
                account_ids: ["111111111111"]
                account_selector: { ou_paths: [/Customers/Nobody] }
                pricing_plan: standard
                """)
        #expect(nothing.map(\.code).contains(.selectorSelectsNothing))
        let (_, notAPath) = try Self.load(
            groups: """
                kind: BillingGroup
                name: acme
                primary_account_id: "111111111111"
                account_ids: ["111111111111"]
                account_selector: { ou_paths: [Customers] }
                pricing_plan: standard
                """)
        #expect(notAPath.contains { $0.severity == .error && $0.location?.line == 5 }, "\(notAPath)")
    }

    @Test func thePrimaryAccountMustBeSelectedOrListed() throws {
        let (_, diagnostics) = try Self.load(
            groups: """
                kind: BillingGroup
                name: acme
                primary_account_id: "444444444444"
                account_selector: { ou_paths: [/Customers/Acme] }
                pricing_plan: standard
                """)
        #expect(diagnostics.map(\.code).contains(.primaryNotMember))
    }

    @Test func activeAccountsInNoGroupAreWarnedOfButNotThePayerOrUnassignedOnes() throws {
        let (_, diagnostics) = try Self.load(
            groups: """
                kind: BillingGroup
                name: acme
                primary_account_id: "111111111111"
                account_ids: ["111111111111"]
                pricing_plan: standard
                """)
        let warned = diagnostics.filter { $0.code == .accountInNoGroup }
        #expect(
            warned.map(\.message) == [
                "account 222222222222 (acme-data) is ACTIVE in the organization and in no billing group"
            ])
        #expect(warned.first?.severity == .warning)
        // An auto-associating group takes them: no warning.
        let (_, auto) = try Self.load(
            groups: """
                kind: BillingGroup
                name: acme
                primary_account_id: "111111111111"
                account_ids: ["111111111111"]
                pricing_plan: standard
                auto_associate: true
                """)
        #expect(!auto.map(\.code).contains(.accountInNoGroup))
    }

    @Test func membersLeavingOrOutsideTheOrganizationAreWarnedOf() throws {
        let extra =
            Self.accounts + """

                ---
                kind: Account
                name: by-hand
                account_id: "555555555555"
                """
        let (_, diagnostics) = try Self.load(
            groups: """
                kind: BillingGroup
                name: acme
                primary_account_id: "111111111111"
                account_ids: ["111111111111", "222222222222", "333333333333", "555555555555"]
                pricing_plan: standard
                """, accounts: extra)
        let left = diagnostics.filter { $0.code == .memberLeftOrganization }
        #expect(left.count == 2)
        #expect(left.allSatisfy { $0.severity == .warning })
        #expect(left.contains { $0.message.contains("333333333333 (acme-old)") && $0.message.contains("CLOSED") })
        #expect(
            left.contains {
                $0.message.contains("555555555555 (by-hand)") && $0.message.contains("not in the organization")
            })
        // Without organization data there is nothing to check.
        let plain = """
            kind: Account
            name: acme-prod
            account_id: "111111111111"
            """
        let (_, none) = try Self.load(
            groups: """
                kind: BillingGroup
                name: acme
                primary_account_id: "111111111111"
                account_ids: ["111111111111"]
                pricing_plan: standard
                """, accounts: plain)
        #expect(none.isEmpty, "\(none)")
    }
}

/// What diffs (and so plans and the state store, which compare canonical resources) see of selectors.
@Suite struct AccountSelectorDiffTests {
    static func configuration(_ group: String) throws -> Configuration {
        let (loaded, _) = try AccountSelectorTests.load(groups: group)
        return loaded.configuration
    }

    @Test func listingMembersOrSelectingThemIsTheSameMembership() throws {
        let listed = try Self.configuration(
            """
            kind: BillingGroup
            name: acme
            primary_account_id: "111111111111"
            account_ids: ["111111111111", "222222222222"]
            pricing_plan: standard
            """)
        let selected = try Self.configuration(
            """
            kind: BillingGroup
            name: acme
            primary_account_id: "111111111111"
            account_selector: { ou_paths: [/Customers/Acme] }
            pricing_plan: standard
            """)
        let diff = ConfigurationDiff(from: listed, to: selected)
        #expect(diff.changes.count == 1)
        // The selector is new; the members are the same, so account_ids does not change.
        #expect(diff.changes.first?.fields.map(\.path) == ["account_selector.ou_paths"])
    }

    @Test func anAccountJoiningTheOUJoinsTheGroupInTheDiff() throws {
        let group = """
            kind: BillingGroup
            name: acme
            primary_account_id: "111111111111"
            account_selector: { ou_paths: [/Customers/Acme] }
            pricing_plan: standard
            """
        let before = try Self.configuration(group)
        let moved = AccountSelectorTests.accounts.replacingOccurrences(
            of: "ou_path: /Customers/Acmeish", with: "ou_path: /Customers/Acme/New")
        let (after, _) = try AccountSelectorTests.load(groups: group, accounts: moved)
        let change = try #require(
            ConfigurationDiff(from: before, to: after.configuration).changes.first { $0.id.kind == .billingGroup })
        let members = try #require(change.fields.first { $0.path == "account_ids" })
        #expect(members.kind == .members(added: ["444444444444"], removed: []))
    }
}

/// The index selectors are resolved through selects exactly what each account's own test selects.
@Suite struct AccountIndexTests {
    @Test(arguments: [1, 2, 3, 4, 5] as [UInt64])
    func theIndexSelectsWhatTheSelectorSelects(seed: UInt64) {
        var random = Mutator(seed: seed)
        let segments = ["Customers", "Acme", "Acme Data", "Platform", "EU", "a"]
        let states: [AccountState?] = [nil, .active, .active, .suspended, .pendingClosure, .closed]
        func path() -> String {
            "/" + (0..<random.below(4)).map { _ in segments[random.below(segments.count)] }.joined(separator: "/")
        }
        let accounts = (0..<300).map { number in
            Account(
                name: "a\(number)", accountID: String(100_000_000_000 + number),
                tags: random.below(3) == 0 ? [:] : ["customer": ["acme", "globex"][random.below(2)]],
                state: states[random.below(states.count)], ouPath: random.below(5) == 0 ? nil : path())
        }
        let index = AccountIndex(accounts)
        for _ in 0..<200 {
            let selector = AccountSelector(
                ouPaths: (0..<random.below(3)).map { _ in path() + (random.below(4) == 0 ? "/" : "") },
                tags: random.below(2) == 0 ? [:] : ["customer": ["acme", "globex", "x"][random.below(3)]])
            let expected = Set(accounts.filter(selector.selects).map(\.accountID)).sorted()
            #expect(index.accountIDs(selectedBy: selector) == expected, "\(selector)")
        }
    }
}

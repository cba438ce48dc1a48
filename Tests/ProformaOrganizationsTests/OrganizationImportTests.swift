import Foundation
import ProformaCore
import ProformaLoader
import ProformaModel
import ProformaTestSupport
import Testing

@testable import ProformaOrganizations

/// Reading `aws organizations` outputs and writing them into accounts.yaml.
@Suite struct OrganizationImportTests {
    static let folder = TestSupport.fixtures.appendingPathComponent("organizations")

    static func files(_ subfolder: String) throws -> [(path: String, bytes: [UInt8])] {
        let url = folder.appendingPathComponent(subfolder)
        return try FileManager.default.contentsOfDirectory(atPath: url.path).filter { $0.hasSuffix(".json") }.sorted()
            .map { name in (subfolder + "/" + name, Array(try Data(contentsOf: url.appendingPathComponent(name)))) }
    }

    static func fixtureOrganization(tags: Bool = true) throws -> Organization {
        let accounts = Array(try Data(contentsOf: folder.appendingPathComponent("list-accounts.json")))
        return try OrganizationReader.organization(
            accountFiles: [("list-accounts.json", accounts)], unitFiles: try files("ous"),
            parentFiles: try files("parents"), tagFiles: tags ? try files("tags") : [])
    }

    @Test func readsEveryPageWithStateAndTheStatusFallback() throws {
        let organization = try Self.fixtureOrganization()
        #expect(
            organization.accounts.map(\.id) == [
                "111111111111", "222222222222", "333333333333", "444444444444", "999999999999",
            ])
        #expect(organization.accounts.map(\.state) == [.active, .active, .suspended, .active, .active])
        #expect(organization.accounts[1].name == "Data & Analytics (EU)")
        #expect(organization.accounts[2].joinedTimestamp == "1685601234.5")
        #expect(organization.tags["222222222222"] == ["customer": "acme", "environment": "analytics"])
    }

    @Test func ouPathsFromParentsAndFromPaths() throws {
        let organization = try Self.fixtureOrganization()
        let paths = try organization.accounts.map { try organization.ouPath(of: $0) }
        #expect(paths == ["/Customers/Acme", "/Customers/Acme", "/Customers/Acme", "/Platform", "/"])
        // `Paths` in list-accounts place an account without list-parents.
        let placed = OrganizationAccount(
            id: "555555555555", state: .active, paths: ["o-exampleorg1/r-ex12/ou-ex12-cust0001/555555555555/"])
        #expect(
            try Organization(accounts: [placed], unitNames: organization.unitNames).ouPath(of: placed) == "/Customers")
        // An OU whose name no --ous listing gives is an error naming it.
        let unnamed = OrganizationAccount(
            id: "555555555555", state: .active, paths: ["o-x/r-ex12/ou-ex12-zzzz9999/555555555555/"])
        #expect(throws: OrganizationImportError.self) { try Organization(accounts: [unnamed]).ouPath(of: unnamed) }
        do {
            _ = try Organization(accounts: [unnamed]).ouPath(of: unnamed)
        } catch {
            #expect(error.message.contains("ou-ex12-zzzz9999"))
        }
    }

    @Test func badJSONNamesFileLineAndColumn() throws {
        let bytes = Array(try Data(contentsOf: Self.folder.appendingPathComponent("bad-list-accounts.json")))
        do {
            _ = try OrganizationReader.accounts(bytes, file: "bad-list-accounts.json")
            Issue.record("bad JSON was read")
        } catch {
            #expect(error.line == 8 && error.column == 9)
            #expect(error.description.hasPrefix("bad-list-accounts.json:8:9: "))
            #expect(!error.description.contains("\n"))
        }
    }

    @Test(arguments: [
        ("{\"Accounts\": [{\"Id\": \"12\", \"State\": \"ACTIVE\"}]}", 1, 22, "not an AWS account ID"),
        ("{\"Accounts\": [{\"Id\": \"111111111111\", \"State\": \"GONE\"}]}", 1, 47, "state \"GONE\""),
        ("{\"Accounts\": [{\"Id\": \"111111111111\"}]}", 1, 15, "has no State"),
        ("{\"Accounts\": {}}", 1, 14, "must be a list"),
        ("[1, 2]", 1, 1, "expected an object with \"Accounts\""),
        ("{\"Accounts\": [\n  \"x\u{1}\"]}", 2, 5, "control character"),
        ("", 1, 1, "holds no JSON"),
        ("{\"Accounts\": []} x", 1, 18, "unexpected \"x\""),
    ])
    func badAccountsAreOneLineWithAPosition(text: String, line: Int, column: Int, message: String) {
        do {
            _ = try OrganizationReader.accounts(Array(text.utf8), file: "a.json")
            Issue.record("read: \(text)")
        } catch {
            #expect(error.line == line && error.column == column, "\(error)")
            #expect(error.message.contains(message), "\(error)")
        }
    }

    @Test func perIDOutputsMustBeNamedByTheirID() throws {
        let tags = Array("{\"Tags\": []}".utf8)
        do {
            _ = try OrganizationReader.organization(accountFiles: [], tagFiles: [("tags/prod.json", tags)])
            Issue.record("a file not named by an ID was read")
        } catch {
            #expect(error.file == "tags/prod.json")
            #expect(error.message.contains("names no account, OU or root ID"))
        }
    }

    @Test func parentsThatFormACycleAreAnError() throws {
        let account = OrganizationAccount(id: "111111111111", state: .active)
        let organization = Organization(
            accounts: [account], unitNames: ["ou-a": "A", "ou-b": "B"],
            parents: ["111111111111": "ou-a", "ou-a": "ou-b", "ou-b": "ou-a"])
        #expect(throws: OrganizationImportError.self) { try organization.ouPath(of: account) }
        let orphan = Organization(accounts: [account], unitNames: ["ou-a": "A"], parents: ["111111111111": "ou-a"])
        #expect(throws: OrganizationImportError.self) { try orphan.ouPath(of: account) }
        #expect(try Organization(accounts: [account]).ouPath(of: account) == nil)
    }

    @Test func anAccountListedTwiceIsAnError() throws {
        let page = Array("{\"Accounts\": [{\"Id\": \"111111111111\", \"State\": \"ACTIVE\"}]}".utf8)
        #expect(throws: OrganizationImportError.self) {
            try OrganizationReader.organization(accountFiles: [("a.json", page), ("b.json", page)])
        }
    }

    @Test func aNewAccountsFileLoadsWithEveryImportedField() throws {
        let result = try AccountsFile.merge(try Self.fixtureOrganization(), into: nil)
        #expect(result.added.count == 5 && result.updated.isEmpty && result.removed.isEmpty)
        let loaded = ConfigurationLoader().load(file: "accounts.yaml", text: result.text)
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics)")
        let byID = Dictionary(uniqueKeysWithValues: loaded.configuration.accounts.map { ($0.accountID, $0) })
        #expect(byID["222222222222"]?.name == "data-analytics-eu")
        #expect(byID["222222222222"]?.email == "data@acme.example")
        #expect(byID["222222222222"]?.ouPath == "/Customers/Acme")
        #expect(byID["222222222222"]?.tags == ["customer": "acme", "environment": "analytics"])
        #expect(byID["333333333333"]?.state == .suspended)
        #expect(byID["999999999999"]?.ouPath == "/")
        // Sorted by OU path, then name (acme-legacy before acme-prod).
        #expect(loaded.configuration.accounts.count == 5)
        let order = result.text.split(separator: "\n").filter { $0.hasPrefix("account_id: ") }.map {
            String($0.dropFirst(13).prefix(12))
        }
        #expect(order == ["999999999999", "333333333333", "111111111111", "222222222222", "444444444444"])
    }

    @Test func importingTheSameDataAgainChangesNothing() throws {
        let organization = try Self.fixtureOrganization()
        let first = try AccountsFile.merge(organization, into: nil)
        let second = try AccountsFile.merge(organization, into: first.text)
        #expect(second.text == first.text)
        #expect(second.added.isEmpty && second.updated.isEmpty && second.removed.isEmpty && second.unchanged == 5)
    }

    @Test func handWrittenFieldsAndCommentsAreKept() throws {
        let existing = """
            # yaml-language-server: $schema=schemas/account.schema.json
            # Our accounts.

            # The customer's production account.
            kind: Account
            name: acme-production
            account_id: "111111111111"
            email: old@acme.example
            description: Acme's shop   # inline comments are not kept
            tags: { hand: written }
            ---
            kind: Account
            name: outside
            account_id: "777777777777"
            description: Not in the organization, declared by hand
            ---
            kind: Account
            name: gone
            account_id: "888888888888"
            state: ACTIVE
            ou_path: /Customers
            ---
            kind: Account
            name: management
            account_id: "999999999999"
            unassigned: true

            """
        let result = try AccountsFile.merge(try Self.fixtureOrganization(tags: false), into: existing)
        #expect(result.removed == ["888888888888"])
        #expect(result.updated == ["111111111111", "999999999999"])
        #expect(result.added == ["222222222222", "333333333333", "444444444444"])
        #expect(
            result.text.hasPrefix("# yaml-language-server: $schema=schemas/account.schema.json\n# Our accounts.\n\n"))
        #expect(result.text.contains("# The customer's production account.\nkind: Account\nname: acme-production\n"))
        let loaded = ConfigurationLoader().load(file: "accounts.yaml", text: result.text)
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics)")
        let byID = Dictionary(uniqueKeysWithValues: loaded.configuration.accounts.map { ($0.accountID, $0) })
        #expect(byID["111111111111"]?.name == "acme-production")
        #expect(byID["111111111111"]?.description == "Acme's shop")
        #expect(byID["111111111111"]?.email == "prod@acme.example")
        #expect(byID["111111111111"]?.tags == ["hand": "written"])  // tags not read: kept
        #expect(byID["777777777777"]?.state == nil)
        #expect(byID["888888888888"] == nil)
        #expect(byID["999999999999"]?.unassigned == true)
        #expect(byID["999999999999"]?.state == .active)
        // The rewritten file is stable.
        #expect(
            try AccountsFile.merge(try Self.fixtureOrganization(tags: false), into: result.text).text == result.text)
    }

    @Test func aChangedOrganizationShowsAsAnUpdate() throws {
        var organization = try Self.fixtureOrganization()
        let first = try AccountsFile.merge(organization, into: nil)
        organization.accounts[0].state = .closed
        organization.accounts[0].email = "closed@acme.example"
        let second = try AccountsFile.merge(organization, into: first.text)
        #expect(second.updated == ["111111111111"])
        #expect(second.text.contains("email: closed@acme.example\nstate: CLOSED\n"))
    }

    @Test func accountsDeclaredInOtherFilesAreLeftAlone() throws {
        let result = try AccountsFile.merge(
            try Self.fixtureOrganization(), into: nil, elsewhere: (["111111111111"], ["platform-tools"]))
        #expect(result.declaredElsewhere == ["111111111111"])
        #expect(!result.text.contains("\"111111111111\""))
        #expect(result.text.contains("name: platform-tools-444444444444\n"))
    }

    @Test func anAccountsFileHoldingOtherKindsIsRefused() throws {
        let existing = "kind: PricingPlan\nname: standard\npricing_rules: []\n"
        #expect(throws: OrganizationImportError.self) {
            try AccountsFile.merge(try Self.fixtureOrganization(), into: existing)
        }
        #expect(throws: OrganizationImportError.self) {
            try AccountsFile.merge(try Self.fixtureOrganization(), into: "kind: Account\nname: [\n")
        }
    }

    @Test(arguments: ["yes", "No", "012", "1e3", "-x", " padded", "a: b", "#tag", "null", "tab\there", "\u{202E}x"])
    func scalarsThatNeedQuotesAreQuoted(text: String) {
        let written = AccountsFile.scalar(text)
        #expect(written.hasPrefix("\""), "\(written)")
        let loaded = ConfigurationLoader().load(
            file: "a.yaml", text: "kind: Account\nname: a\naccount_id: \"111111111111\"\ndescription: \(written)\n")
        #expect(loaded.configuration.accounts.first?.description == text)
    }

    /// The MSP example's organization, imported into its accounts.yaml, changes nothing.
    @Test func theMSPExampleReimportsUnchanged() throws {
        let example = TestSupport.packageRoot.appendingPathComponent("examples/msp")
        let organizationFolder = example.appendingPathComponent("organization")
        func folder(_ name: String) throws -> [(path: String, bytes: [UInt8])] {
            let url = organizationFolder.appendingPathComponent(name)
            return try FileManager.default.contentsOfDirectory(atPath: url.path).sorted().map {
                (name + "/" + $0, Array(try Data(contentsOf: url.appendingPathComponent($0))))
            }
        }
        let organization = try OrganizationReader.organization(
            accountFiles: [
                (
                    "list-accounts.json",
                    Array(try Data(contentsOf: organizationFolder.appendingPathComponent("list-accounts.json")))
                )
            ], unitFiles: try folder("ous"), tagFiles: try folder("tags"))
        let existing = try String(contentsOf: example.appendingPathComponent("accounts.yaml"), encoding: .utf8)
        let result = try AccountsFile.merge(organization, into: existing)
        #expect(result.text == existing)
        #expect(result.unchanged == 15 && result.added.isEmpty && result.updated.isEmpty && result.removed.isEmpty)
    }
}

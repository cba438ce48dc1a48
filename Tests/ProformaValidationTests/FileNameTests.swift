import ProformaCore
import Testing

/// Names that become file names (a billing group's invoice is `invoices/PERIOD/GROUP.EXT`).
@Suite struct FileNameTests {
    func group(_ name: String, _ account: String) -> String {
        """
        kind: BillingGroup
        name: \(name)
        primary_account_id: "\(account)"
        account_ids: ["\(account)"]
        pricing_plan: standard

        """
    }

    @Test(arguments: [".", "..", "...", ".retail"])
    func aGroupNameStartingWithADotIsRefused(_ name: String) throws {
        let diagnostics = try validate(["pricing.yaml": plan, "groups.yaml": group("\"\(name)\"", "111111111111")])
        #expect(summary(diagnostics) == ["PF309@groups.yaml:2:7"])
        let diagnostic = try #require(diagnostics.first)
        #expect(diagnostic.severity == .error)
        #expect(diagnostic.message.hasPrefix("billing group name \"\(name)\" starts with a dot"))
        #expect(
            diagnostic.message.hasSuffix(
                name.count <= 2 && name.allSatisfy { $0 == "." } ? "names a folder" : "is hidden"))
        #expect(diagnostic.hint == "start the name with a letter or digit")
    }

    @Test func dotsInsideANameAreFine() throws {
        let diagnostics = try validate(["pricing.yaml": plan, "groups.yaml": group("retail.eu", "111111111111")])
        #expect(diagnostics.isEmpty)
    }

    @Test func groupNamesEqualButForCaseAreAnErrorNamingBothPositions() throws {
        let diagnostics = try validate([
            "pricing.yaml": plan,
            "a.yaml": group("retail", "111111111111"),
            "b.yaml": group("Retail", "222222222222") + "---\n" + group("RETAIL", "333333333333"),
        ])
        #expect(summary(diagnostics) == ["PF310@b.yaml:2:7", "PF310@b.yaml:8:7"])
        #expect(
            diagnostics.first?.message
                == "billing groups \"retail\" (a.yaml:2:7) and \"Retail\" differ only in case, so their invoice files collide on case-insensitive file systems"
        )
        #expect(diagnostics.last?.message.hasPrefix("billing groups \"retail\" (a.yaml:2:7) and \"RETAIL\"") == true)
        #expect(diagnostics.allSatisfy { $0.severity == .error && $0.hint == "rename one of them" })
    }

    @Test func otherKindsMayDifferInCase() throws {
        let diagnostics = try validate([
            "pricing.yaml": plan + "---\nkind: PricingPlan\nname: Standard\npricing_rules: [global-markup]\n",
            "a.yaml": group("retail", "111111111111") + "---\n"
                + group("wholesale", "222222222222").replacingOccurrences(of: "standard", with: "Standard"),
        ])
        #expect(diagnostics.isEmpty)
    }
}

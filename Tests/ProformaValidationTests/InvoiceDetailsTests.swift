import ProformaCore
import ProformaLoader
import ProformaModel
import ProformaValidation
import Testing

/// The issuer (`proforma.yaml`) and the customer (a billing group): read with their values, checked with positions.
@Suite struct InvoiceDetailsTests {
    static let project = """
        kind: Project
        name: acme
        version: 1
        payer_account_id: "999999999999"
        issuer:
          name: Acme Cloud Services Ltd
          address: ["1 Harbour Street", "Leeds LS1 4AB"]
          tax_id: GB123456789
          email: billing@acme.example
          logo: branding/logo.png
          payment_terms_days: 14
          issue_day: 5
          invoice_number: "ACME-{period}-{seq}"
          payment_instructions: ["IBAN GB00 ACME 0000 0000 0000 00"]

        """

    static let group = """
        kind: BillingGroup
        name: retail
        primary_account_id: "111111111111"
        account_ids: ["111111111111"]
        pricing_plan: standard
        customer:
          legal_name: Retail Holdings plc
          address: ["2 Market Square", "York YO1 8AA"]
          tax_id: GB987654321
          email: ap@retail.example
          purchase_order: "PO-4711"
        ---
        kind: PricingPlan
        name: standard
        pricing_rules: []

        """

    static func check(_ files: [String: String], symlinks: [String: String] = [:]) throws -> (
        LoadedConfiguration, [Diagnostic]
    ) {
        var all = files
        if all["proforma.yaml"] == nil { all["proforma.yaml"] = project }
        if all["groups.yaml"] == nil { all["groups.yaml"] = group }
        let loaded = try ConfigurationLoader().load(from: InMemoryFileTree(files: all, symlinks: symlinks))
        return (loaded, Validator().validate(loaded))
    }

    @Test func issuerAndCustomerAreReadWithEveryField() throws {
        let (loaded, diagnostics) = try Self.check(["branding/logo.png": "\u{89}PNG"])
        #expect(diagnostics.filter { $0.severity != .note }.isEmpty, "\(diagnostics)")
        let issuer = try #require(loaded.configuration.project?.issuer)
        #expect(
            issuer
                == Issuer(
                    name: "Acme Cloud Services Ltd", address: ["1 Harbour Street", "Leeds LS1 4AB"],
                    taxID: "GB123456789", email: "billing@acme.example", logo: "branding/logo.png",
                    paymentTermsDays: 14, invoiceNumber: "ACME-{period}-{seq}", issueDay: 5,
                    paymentInstructions: ["IBAN GB00 ACME 0000 0000 0000 00"]))
        let customer = try #require(loaded.configuration.billingGroups.first?.customer)
        #expect(
            customer
                == Customer(
                    legalName: "Retail Holdings plc", address: ["2 Market Square", "York YO1 8AA"],
                    taxID: "GB987654321", email: "ap@retail.example", purchaseOrder: "PO-4711"))
    }

    @Test(arguments: [
        ("branding/logo.png", "does not exist in the configuration"),
        ("../logo.png", "must be a path below the configuration root"),
        ("/etc/logo.png", "must be a path below the configuration root"),
        ("branding//logo.png", "must be a path below the configuration root"),
        ("branding/logo.bmp", "is not an image proforma can embed"),
        ("branding", "is not an image proforma can embed"),
        ("link.png", "is not a regular file"),
    ])
    func aLogoThatIsNotAnImageOfTheTreeIsPF218AtItsValue(logo: String, message: String) throws {
        let project = Self.project.replacingOccurrences(of: "logo: branding/logo.png", with: "logo: \"\(logo)\"")
        let (_, diagnostics) = try Self.check(
            ["proforma.yaml": project, "branding/logo.bmp": "BM", "other.png": "png"],
            symlinks: ["link.png": "other.png"])
        let errors = diagnostics.filter { $0.severity == .error }
        #expect(errors.map(\.code) == [.invalidLogo], "\(diagnostics)")
        let error = try #require(errors.first)
        #expect(error.message.contains(message), "\(error.message)")
        #expect(error.location == SourceLocation(path: "proforma.yaml", line: 10, column: 9))
    }

    @Test func aLogoInAConfigurationBelowTheTreesRootIsFound() throws {
        let tree = InMemoryFileTree(files: [
            "billing/proforma.yaml": Self.project, "billing/groups.yaml": Self.group,
            "billing/branding/logo.png": "png", "branding/logo.png": "not this one",
        ])
        let loaded = try ConfigurationLoader().load(from: tree, root: "billing")
        #expect(!loaded.diagnostics.contains { $0.code == .invalidLogo })
        let elsewhere = InMemoryFileTree(files: [
            "billing/proforma.yaml": Self.project, "billing/groups.yaml": Self.group, "branding/logo.png": "png",
        ])
        let missing = try ConfigurationLoader().load(from: elsewhere, root: "billing")
        #expect(missing.diagnostics.filter { $0.code == .invalidLogo }.count == 1)
        // Trees of documents alone (the state store's) are not checked for the files they name.
        let documents = try ConfigurationLoader(checksNamedFiles: false).load(from: elsewhere, root: "billing")
        #expect(!documents.diagnostics.contains { $0.code == .invalidLogo })
    }

    @Test func anInvoiceNumberPatternThatCannotBeUsedIsPF217AtItsValue() throws {
        let project = Self.project.replacingOccurrences(
            of: "invoice_number: \"ACME-{period}-{seq}\"", with: "invoice_number: ACME-{month}-{seq}")
        let (_, diagnostics) = try Self.check(["proforma.yaml": project, "branding/logo.png": "png"])
        let error = try #require(diagnostics.first { $0.code == .invalidInvoiceNumber })
        #expect(error.severity == .error)
        #expect(error.message == "invoice number pattern \"ACME-{month}-{seq}\": unknown placeholder \"{month}\"")
        #expect(error.hint?.contains("{group}, {period}, {yyyy}, {mm}, {hash}, {seq}") == true)
        #expect(error.location == SourceLocation(path: "proforma.yaml", line: 13, column: 19))
    }

    @Test func issuerAndCustomerFieldsAreCheckedAsTheModelSays() throws {
        let project = Self.project
            .replacingOccurrences(of: "payment_terms_days: 14", with: "payment_terms_days: 400")
            .replacingOccurrences(of: "issue_day: 5", with: "issue_day: 31")
        let group = Self.group.replacingOccurrences(of: "  legal_name: Retail Holdings plc\n", with: "")
            .replacingOccurrences(of: "purchase_order", with: "purchase_ordre")
        let (_, diagnostics) = try Self.check([
            "proforma.yaml": project, "groups.yaml": group, "branding/logo.png": "png",
        ])
        let found = Set(
            diagnostics.filter { $0.severity == .error }.map { "\($0.code.rawValue) \($0.location?.line ?? 0)" })
        // 400 days and the 31st are out of range; the customer lacks its legal name and has an unknown field.
        #expect(found == ["PF206 11", "PF206 12", "PF204 7", "PF203 10"])
    }
}

import ProformaCore
import ProformaModel
import ProformaPlan
import Testing

@Suite struct InvoiceDetailsDiffTests {
    static let group = """
        kind: BillingGroup
        name: retail
        primary_account_id: "111111111111"
        account_ids: ["111111111111"]
        pricing_plan: standard
        customer:
          legal_name: Retail Holdings plc
          address: ["2 Market Square", "York YO1 8AA"]
          purchase_order: "PO-1"

        """

    @Test func issuerAndCustomerChangesAreFieldChanges() throws {
        let issuer = "issuer:\n  name: Acme\n  payment_terms_days: 30\n  invoice_number: \"{group}-{period}\"\n"
        let before = try configuration(["proforma.yaml": projectText + issuer, "g.yaml": Self.group])
        let after = try configuration([
            "proforma.yaml": projectText + issuer.replacingOccurrences(of: "30", with: "14"),
            "g.yaml": Self.group.replacingOccurrences(of: "PO-1", with: "PO-2")
                .replacingOccurrences(
                    of: "\"2 Market Square\", \"York YO1 8AA\"", with: "\"York YO1 8AA\", \"2 Market Square\""),
        ])
        let diff = ConfigurationDiff(from: before, to: after)
        let paths = diff.changes.flatMap { change in change.fields.map { "\(change.id) \($0.path)" } }
        // Address lines are a list: their order is part of the address.
        #expect(
            paths == [
                "Project/t issuer.payment_terms_days", "BillingGroup/retail customer.address[0]",
                "BillingGroup/retail customer.address[1]", "BillingGroup/retail customer.purchase_order",
            ])
        #expect(Canonical.hash(of: before) != Canonical.hash(of: after))
        // The same meaning written differently is no change.
        let reformatted = try configuration([
            "proforma.yaml": projectText
                + "issuer: { invoice_number: \"{group}-{period}\", name: Acme, payment_terms_days: 30 }\n",
            "g.yaml": Self.group,
        ])
        #expect(ConfigurationDiff(from: before, to: reformatted).isEmpty)
    }
}

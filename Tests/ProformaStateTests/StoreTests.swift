import Foundation
import GRDB
import ProformaCore
import ProformaLoader
import ProformaModel
import ProformaPlan
import ProformaState
import ProformaTestSupport
import Testing

@Suite("Stored resources")
struct ResourceDocumentTests {
    @Test("A resource is one line of canonical JSON: kind, name, snake_case fields, sorted keys, exact numbers")
    func documentFormat() {
        let rule = PricingRule(
            name: "ec2-discount", scope: .sku, type: .discount,
            modifierPercentage: ExactDecimal(significand: 1050, scale: 2),
            service: "AmazonEC2", usageType: "USE1-BoxUsage:m5.large")
        let document = ResourceDocument.encode(
            id: ResourceID(.pricingRule, rule.name), value: Canonical.value(of: rule))
        #expect(
            document
                == #"{"kind": "PricingRule", "modifier_percentage": 10.5, "name": "ec2-discount", "scope": "SKU", "service": "AmazonEC2", "type": "DISCOUNT", "usage_type": "USE1-BoxUsage:m5.large"}"#
        )
    }

    @Test(
        "Both examples are rebuilt from their stored documents alone, meaning exactly the same",
        arguments: ["msp", "enterprise"])
    func roundTrip(example: String) throws {
        let configuration = try Fixtures.example(example)
        let documents = ResourceDocument.documents(of: configuration)
        #expect(documents.count == configuration.resourceCount)
        let rebuilt = try ResourceDocument.configuration(from: documents, location: "test")
        #expect(ConfigurationDiff(from: configuration, to: rebuilt).isEmpty)
        #expect(Canonical.hash(of: rebuilt) == Canonical.hash(of: configuration))
    }

    @Test("A document that cannot be read back is reported as damage, not loaded halfway")
    func unreadableDocument() throws {
        var documents = ResourceDocument.documents(of: try Fixtures.example("msp"))
        let index = try #require(documents.firstIndex { $0.id.kind == .pricingRule })
        documents[index].document = #"{"kind": "PricingRule", "name": "broken", "scope": "NOWHERE"}"#
        let error = Fixtures.stateError { _ = try ResourceDocument.configuration(from: documents, location: "x.db") }
        #expect(error?.kind == .damaged)
        #expect(error?.message.hasPrefix("x.db is damaged") == true)
    }
}

import Foundation
import ProformaCore
import ProformaLoader
import ProformaModel
import ProformaPlan
import ProformaState
import Testing

@Suite struct AllocationDocumentTests {
    /// Parent groups and cost allocations, every field set, are stored as documents the loader reads back to the same
    /// configuration.
    @Test func allocationsAndParentsRoundTripThroughStoredDocuments() throws {
        let loaded = try ConfigurationLoader().load(
            from: InMemoryFileTree(files: [
                "proforma.yaml": "kind: Project\nname: t\nversion: 1\npayer_account_id: \"999999999999\"\n",
                "c.yaml": """
                kind: ParentGroup
                name: top
                description: Top
                tags: { owner: finance }
                ---
                kind: ParentGroup
                name: left
                parent: top
                ---
                kind: CostAllocation
                name: shared
                description: Shared
                source:
                  services: [AWSSupportBusiness]
                  account_ids: ["555555555555"]
                  billing_groups: [s]
                  line_item_types: [Fee]
                  billing_entities: [AWS]
                fixed_amount: 12.5
                targets: [left, top]
                method: proportional
                basis: aws_cost
                basis_filter: { services: [AmazonEC2], account_ids: ["111111111111"], line_item_types: [Usage] }
                billing_period_range: { inclusive_start: 2026-01, exclusive_end: 2027-01 }
                presentation_details: { service: Shared }
                tags: { a: b }
                ---
                kind: CostAllocation
                name: split
                fixed_amount: 100
                method: fixed
                percentages: [{ target: b, percentage: 40 }, { target: a, percentage: 60 }]
                """,
            ]))
        #expect(!loaded.diagnostics.hasErrors)
        let original = loaded.configuration
        #expect(original.costAllocations.count == 2)
        let documents = ResourceDocument.documents(of: original)
        let restored = try ResourceDocument.configuration(from: documents, location: "test")
        #expect(Canonical.hash(of: restored) == Canonical.hash(of: original))
        #expect(restored.parentGroups == original.parentGroups)
        let shared = try #require(restored.costAllocations.first { $0.name == "shared" })
        #expect(
            shared
                == original.costAllocations.first { $0.name == "shared" }.map {
                    var sorted = $0
                    sorted.targets.sort()
                    return sorted
                })
        #expect(restored.costAllocations.first { $0.name == "split" }?.percentages.map(\.target) == ["a", "b"])
    }
}

import Foundation
import ProformaCore
import ProformaLoader
import ProformaModel
import ProformaPlan
import Testing

@Suite struct AllocationDiffTests {
    let files = [
        "groups.yaml": """
        kind: BillingGroup
        name: a
        primary_account_id: "111111111111"
        account_ids: ["111111111111"]
        pricing_plan: p
        parent: top
        ---
        kind: ParentGroup
        name: top
        description: The top
        ---
        kind: CostAllocation
        name: support
        source: { services: [AWSSupportBusiness], billing_entities: [AWS] }
        targets: [top]
        method: even

        """
    ]

    @Test func changesToAllocationsAndParentsAreFieldByField() throws {
        let before = try configuration(files)
        var changed = files
        changed["groups.yaml"] = files["groups.yaml"]!
            .replacingOccurrences(of: "method: even", with: "method: proportional\nbasis: aws_cost")
            .replacingOccurrences(of: "description: The top", with: "description: The very top")
            .replacingOccurrences(of: "parent: top\n", with: "")
        let diff = ConfigurationDiff(from: before, to: try configuration(changed))
        let changes = Dictionary(uniqueKeysWithValues: diff.changes.map { ($0.id.description, $0) })
        #expect(Set(changes.keys) == ["BillingGroup/a", "ParentGroup/top", "CostAllocation/support"])
        #expect(changes["CostAllocation/support"]?.fields.map(\.path).sorted() == ["basis", "method"])
        #expect(changes["ParentGroup/top"]?.fields.map(\.path) == ["description"])
        #expect(changes["BillingGroup/a"]?.fields.map(\.path) == ["parent"])
        // Reordering a set and reformatting mean nothing.
        var reordered = files
        reordered["groups.yaml"] = files["groups.yaml"]!
            .replacingOccurrences(
                of: "source: { services: [AWSSupportBusiness], billing_entities: [AWS] }",
                with: "source:\n  billing_entities: [AWS]\n  services: [AWSSupportBusiness]")
        #expect(ConfigurationDiff(from: before, to: try configuration(reordered)).isEmpty)
        #expect(Canonical.hash(of: before) != Canonical.hash(of: try configuration(changed)))
    }
}

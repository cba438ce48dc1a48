import Foundation
import ProformaCore
import ProformaLoader
import ProformaModel
import ProformaPlan
import Testing

let projectText = "kind: Project\nname: t\nversion: 1\npayer_account_id: \"999999999999\"\n"

func configuration(_ files: [String: String]) throws -> Configuration {
    var all = files
    all["proforma.yaml"] = all["proforma.yaml"] ?? projectText
    let loaded = try ConfigurationLoader().load(from: InMemoryFileTree(files: all))
    #expect(!loaded.diagnostics.hasErrors, "\(loaded.diagnostics)")
    return loaded.configuration
}

@Suite struct DiffTests {
    let group = """
        kind: BillingGroup
        name: retail
        primary_account_id: "111111111111"
        account_ids: ["111111111111", "222222222222"]
        pricing_plan: standard
        ---
        kind: PricingRule
        name: markup
        scope: GLOBAL
        type: MARKUP
        modifier_percentage: 10.00
        ---
        kind: CustomLineItem
        name: fee
        description: Fee
        billing_group: retail
        type: FEE
        flat: { charge_value: 50 }

        """

    @Test func formattingKeyOrderCommentsAndFilesAreNoChange() throws {
        let before = try configuration(["all.yaml": group])
        let after = try configuration([
            "groups/retail.yaml": """
                # Retail, reformatted: keys reordered, block lists, comments, the set in another order.
                name: retail
                kind: BillingGroup
                pricing_plan: standard
                account_ids:
                  - "222222222222"
                  - "111111111111"
                primary_account_id: '111111111111'
                """,
            "rules.yml": "kind: PricingRule\nname: markup\ntype: MARKUP\nscope: GLOBAL\nmodifier_percentage: 10  # same value\n",
            "items/fee.yaml": "kind: CustomLineItem\nname: fee\ndescription: Fee\nbilling_group: retail\ntype: FEE\nflat:\n  charge_value: 50.000\n",
        ])
        let diff = ConfigurationDiff(from: before, to: after)
        #expect(diff.isEmpty, "\(diff.changes)")
        #expect(Canonical.hash(of: before) == Canonical.hash(of: after))
    }

    @Test func fieldChangesSetsAndOrder() throws {
        let before = try configuration(["all.yaml": group])
        let changed = group
            .replacingOccurrences(of: "modifier_percentage: 10.00", with: "modifier_percentage: 12.5")
            .replacingOccurrences(of: "\"222222222222\"]", with: "\"333333333333\"]")
            .replacingOccurrences(of: "flat: { charge_value: 50 }", with: "percentage: { percentage_value: 3, associated_values: [retail] }")
        let after = try configuration([
            "all.yaml": changed,
            "plan.yaml": "kind: PricingPlan\nname: standard\npricing_rules: [markup]\n",
        ])
        let diff = ConfigurationDiff(from: before, to: after)
        #expect(diff.changes.map { "\($0.action.symbol) \($0.id)" } == [
            "~ BillingGroup/retail", "+ PricingPlan/standard", "~ PricingRule/markup", "~ CustomLineItem/fee",
        ])
        #expect(diff.creations == 1 && diff.updates == 3 && diff.deletions == 0)
        #expect(diff.changes[0].fields == [
            FieldChange(path: "account_ids", kind: .members(added: ["333333333333"], removed: ["222222222222"]))
        ])
        #expect(diff.changes[2].fields == [
            FieldChange(
                path: "modifier_percentage", kind: .value(old: .number(ExactDecimal(10)), new: .number(ExactDecimal("12.5")!)))
        ])
        #expect(diff.changes[3].fields.map(\.path) == [
            "flat.charge_value", "percentage.associated_values", "percentage.percentage_value",
        ])
        // Deleting everything lists every resource with its fields.
        let removed = ConfigurationDiff(from: after, to: Configuration())
        #expect(removed.deletions == 5)
        #expect(removed.changes.allSatisfy { $0.action == .delete && !$0.fields.isEmpty })
    }

    @Test func planSummaryAndJSON() throws {
        let before = try configuration(["all.yaml": group])
        let after = try configuration(["all.yaml": group.replacingOccurrences(of: "10.00", with: "11")])
        let plan = Plan(
            base: PlanSide(label: "main (abc1234)", commit: "abc", configurationHash: Canonical.hash(of: before)),
            head: PlanSide(label: "working tree", commit: nil, configurationHash: Canonical.hash(of: after)),
            root: "", diff: ConfigurationDiff(from: before, to: after), toolVersion: "0")
        #expect(plan.summary == "Plan: 0 to add, 1 to change, 0 to destroy.")
        let text = JSONWriter.write(plan.json)
        #expect(text.contains("\"old\": \"10\""))
        #expect(text.contains("\"new\": \"11\""))
        #expect(text.contains("\"format_version\": 1"))
        #expect(plan.base.configurationHash != plan.head.configurationHash)
        #expect(plan.base.configurationHash.count == 64)
    }
}

@Suite struct LoadCacheTests {
    /// A tree that counts reads and gives every file a content id.
    final class CountingTree: FileTree {
        let label = "counting"
        var files: [String: String]
        var reads = 0

        init(_ files: [String: String]) { self.files = files }

        func entries() throws(FileTreeError) -> [FileTreeEntry] {
            files.keys.sorted().map { FileTreeEntry(path: $0, kind: .file, size: files[$0]!.utf8.count, contentID: SHA256.hex(files[$0]!)) }
        }

        func contents(of path: String) throws(FileTreeError) -> [UInt8] {
            reads += 1
            return Array(files[path]!.utf8)
        }
    }

    @Test func secondLoadSkipsFilesWithKnownContent() throws {
        let files = [
            "proforma.yaml": projectText, "a.yaml": "kind: PricingPlan\nname: a\npricing_rules: []\n",
            "b.yaml": "kind: PricingPlan\nname: b\npricing_rules: []\n",
        ]
        let cache = LoadCache()
        let first = CountingTree(files)
        let base = try ConfigurationLoader().load(from: first, cache: cache)
        #expect(first.reads == 3)
        var changed = files
        changed["b.yaml"] = "kind: PricingPlan\nname: b\npricing_rules: [x]\n"
        let second = CountingTree(changed)
        let head = try ConfigurationLoader().load(from: second, cache: cache)
        // The project file is always read; a.yaml is known by its id; b.yaml changed.
        #expect(second.reads == 2)
        #expect(head.configuration.pricingPlans.map(\.name) == ["a", "b"])
        #expect(ConfigurationDiff(from: base.configuration, to: head.configuration).changes.map(\.id.description) == ["PricingPlan/b"])
    }
}

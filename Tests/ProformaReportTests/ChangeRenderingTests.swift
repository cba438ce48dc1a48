import ProformaCore
import ProformaModel
import ProformaPlan
import ProformaReport
import Testing

@Suite struct ChangeRenderingTests {
    func plan(_ changes: [ResourceChange]) -> Plan {
        Plan(
            base: PlanSide(label: "main (abc1234)", commit: "abc1234", configurationHash: "a"),
            head: PlanSide(label: "working tree", commit: nil, configurationHash: "b"), root: "",
            diff: ConfigurationDiff(changes: changes), toolVersion: "0")
    }

    let update = ResourceChange(
        id: ResourceID(.pricingRule, "markup"), action: .update,
        fields: [
            FieldChange(path: "modifier_percentage", kind: .value(old: .number(ExactDecimal(10)), new: .number(ExactDecimal(12)))),
            FieldChange(path: "description", kind: .value(old: nil, new: .text("a | b <c>"))),
        ])
    let group = ResourceChange(
        id: ResourceID(.billingGroup, "retail"), action: .update,
        fields: [FieldChange(path: "account_ids", kind: .members(added: ["333333333333"], removed: ["222222222222"]))])

    @Test func text() {
        let output = ChangeRenderer.render(plan([group, update]), as: .text, isPlan: true)
        #expect(output == """
            Plan from main (abc1234) to working tree

            ~ BillingGroup/retail
                account_ids: + "333333333333", - "222222222222"

            ~ PricingRule/markup
                modifier_percentage: 10 → 12
                description: (none) → "a | b <c>"

            Plan: 0 to add, 2 to change, 0 to destroy.

            """)
    }

    @Test func markdownEscapesCells() {
        let output = ChangeRenderer.render(plan([update]), as: .markdown, isPlan: true)
        #expect(output.contains("| ~ | `PricingRule/markup` | `modifier_percentage: 10 → 12`<br>`description: (none) → \"a \\| b &lt;c&gt;\"` |"))
        #expect(output.hasPrefix("### proforma plan: `main (abc1234)` → `working tree`\n\n**Plan: 0 to add, 1 to change, 0 to destroy.**\n"))
    }

    @Test func markdownShowsTheFieldsOfCreatedAndDestroyedResources() {
        let created = ResourceChange(
            id: ResourceID(.pricingRule, "ec2-markup"), action: .create,
            fields: [
                FieldChange(path: "type", kind: .value(old: nil, new: .text("MARKUP"))),
                FieldChange(path: "modifier_percentage", kind: .value(old: nil, new: .number(ExactDecimal(80)))),
            ])
        let destroyed = ResourceChange(
            id: ResourceID(.customLineItem, "fee"), action: .delete,
            fields: [FieldChange(path: "flat.charge_value", kind: .value(old: .number(ExactDecimal(50)), new: nil))])
        let output = ChangeRenderer.render(plan([created, destroyed]), as: .markdown, isPlan: true)
        #expect(output.contains("| + | `PricingRule/ec2-markup` | created<br>`type: \"MARKUP\"`<br>`modifier_percentage: 80` |"))
        #expect(output.contains("| - | `CustomLineItem/fee` | destroyed<br>`flat.charge_value: 50` |"))
    }

    @Test func markdownFitsACommentAndNeverCutsARow() {
        let many = (0..<5_000).map { index in
            ResourceChange(
                id: ResourceID(.customLineItem, "fee-\(index)"), action: .update,
                fields: [FieldChange(path: "flat.charge_value", kind: .value(old: .number(ExactDecimal(index)), new: .number(ExactDecimal(index + 1))))])
        }
        let output = ChangeRenderer.render(plan(many), as: .markdown, isPlan: true)
        #expect(output.utf8.count <= ChangeRenderer.markdownLimit)
        let rows = output.split(separator: "\n").filter { $0.hasPrefix("| ~ |") }
        #expect(rows.allSatisfy { $0.hasSuffix("|") })
        #expect(output.contains("… and \(5_000 - rows.count) more changes"))
        #expect(rows.count > 100)
    }

    @Test func emptyPlan() {
        #expect(ChangeRenderer.render(plan([]), as: .text, isPlan: true).hasSuffix("No changes. The configurations are the same.\n"))
        #expect(ChangeRenderer.render(plan([]), as: .text, isPlan: false).hasSuffix("\nNo changes.\n"))
    }
}

import ProformaCore
import ProformaLoader
import ProformaModel
import ProformaValidation
import Testing

/// Groups a (111…) and b (222…) below parent `top`.
private let groups = """
    kind: BillingGroup
    name: a
    primary_account_id: "111111111111"
    account_ids: ["111111111111"]
    pricing_plan: standard
    parent: top
    ---
    kind: BillingGroup
    name: b
    primary_account_id: "222222222222"
    account_ids: ["222222222222"]
    pricing_plan: standard
    parent: top
    ---
    kind: ParentGroup
    name: top

    """

private func check(_ allocation: String) throws -> [String] {
    summary(try validate(["pricing.yaml": plan, "groups.yaml": groups, "allocations.yaml": allocation]))
}

@Suite struct AllocationValidationTests {
    @Test func validAllocationsHaveNoProblems() throws {
        let got = try check(
            """
            kind: CostAllocation
            name: support
            source: { services: [AWSSupportBusiness, AWS Support (Developer)] }
            targets: [top]
            method: proportional
            basis: aws_cost
            basis_filter: { services: [AmazonEC2] }
            ---
            kind: CostAllocation
            name: split
            fixed_amount: 1000
            method: fixed
            percentages: [{ target: a, percentage: 62.5 }, { target: b, percentage: 37.5 }]
            billing_period_range: { inclusive_start: 2026-01 }
            presentation_details: { service: Platform team }
            """)
        #expect(got.isEmpty)
    }

    @Test func unknownTargetsAndSourceGroupsArePlaced() throws {
        let got = try check(
            """
            kind: CostAllocation
            name: support
            source: { billing_groups: [platfrom] }
            targets: [a, tpo]
            method: even
            """)
        #expect(got == ["PF312@allocations.yaml:3:28", "PF312@allocations.yaml:4:14"])
    }

    @Test func aSourceGroupOrAccountMayNotBeATarget() throws {
        let got = try check(
            """
            kind: CostAllocation
            name: platform
            source: { billing_groups: [a], account_ids: ["222222222222"] }
            targets: [top]
            method: even
            """)
        #expect(got == ["PF801@allocations.yaml:3:28", "PF801@allocations.yaml:3:46"])
    }

    @Test func percentagesMustAddUpTo100AndNameBillingGroupsOnce() throws {
        let got = try check(
            """
            kind: CostAllocation
            name: split
            fixed_amount: 10
            method: fixed
            percentages:
              - { target: a, percentage: 50.00001 }
              - { target: top, percentage: 49 }
            """)
        #expect(
            got == [
                "PF802@allocations.yaml:5:1", "PF802@allocations.yaml:6:30", "PF802@allocations.yaml:7:15",
            ])
        let missing = try check(
            """
            kind: CostAllocation
            name: split
            fixed_amount: 10
            method: fixed
            """)
        #expect(missing == ["PF802@allocations.yaml:4:9"])
    }

    @Test func emptySourcesAreRefused() throws {
        let got = try check(
            """
            kind: CostAllocation
            name: nothing
            targets: [a]
            method: even
            ---
            kind: CostAllocation
            name: everything
            source: { services: [] }
            targets: [a]
            method: even
            """)
        #expect(got == ["PF803@allocations.yaml:2:7", "PF803@allocations.yaml:8:11"])
    }

    @Test func fieldsMustFitTheMethod() throws {
        let got = try check(
            """
            kind: CostAllocation
            name: fixed-with-targets
            fixed_amount: 1
            targets: [a]
            method: fixed
            percentages: [{ target: a, percentage: 100 }]
            ---
            kind: CostAllocation
            name: even-with-percentages
            fixed_amount: 1
            targets: [a]
            method: even
            percentages: [{ target: a, percentage: 100 }]
            ---
            kind: CostAllocation
            name: no-targets
            fixed_amount: 1
            method: proportional
            ---
            kind: CostAllocation
            name: twice
            fixed_amount: 1
            targets: [top, a]
            method: even
            """)
        #expect(
            got == [
                "PF804@allocations.yaml:4:1", "PF804@allocations.yaml:13:1", "PF804@allocations.yaml:18:9",
                "PF804@allocations.yaml:23:16",
            ])
    }

    @Test func aPercentageOfTheBasisIsForProportionalAllocationsWithoutAFixedAmount() throws {
        let got = try check(
            """
            kind: CostAllocation
            name: on-even
            percentage_of_basis: 7
            targets: [a]
            method: even
            ---
            kind: CostAllocation
            name: with-amount
            fixed_amount: 1
            percentage_of_basis: 7
            targets: [a]
            method: proportional
            ---
            kind: CostAllocation
            name: too-precise
            percentage_of_basis: 7.00001
            targets: [a]
            method: proportional
            ---
            kind: CostAllocation
            name: fine
            source: { services: [AWSSupportBusiness] }
            percentage_of_basis: 7
            targets: [top]
            method: proportional
            """)
        #expect(got == ["PF804@allocations.yaml:3:22", "PF804@allocations.yaml:10:22", "PF804@allocations.yaml:16:22"])
    }

    @Test func aLongChainOfParentsIsCheckedInOnePass() throws {
        // 5,000 parents, each the parent of the next, and a cycle of three at the top: one diagnostic, for the cycle.
        var text = "kind: ParentGroup\nname: p0\nparent: c2\n"
        for index in 1..<5_000 { text += "---\nkind: ParentGroup\nname: p\(index)\nparent: p\(index - 1)\n" }
        text += "---\nkind: ParentGroup\nname: c0\nparent: c1\n---\nkind: ParentGroup\nname: c1\nparent: c2\n"
        text += "---\nkind: ParentGroup\nname: c2\nparent: c0\n"
        let diagnostics = try validate(["pricing.yaml": plan, "hierarchy.yaml": text])
        #expect(diagnostics.filter { $0.severity == .error }.map(\.code) == [.hierarchyCycle])
        #expect(diagnostics.first?.message.contains("\"c0\" → \"c1\" → \"c2\" → \"c0\"") == true)
    }

    @Test func parentsMustExistAndFormNoCycle() throws {
        let diagnostics = try validate([
            "pricing.yaml": plan,
            "groups.yaml": groups.replacingOccurrences(
                of: "parent: top\n---\nkind: BillingGroup", with: "parent: topp\n---\nkind: BillingGroup"),
            "hierarchy.yaml": """
            kind: ParentGroup
            name: north
            parent: south
            ---
            kind: ParentGroup
            name: south
            parent: west
            ---
            kind: ParentGroup
            name: west
            parent: north
            ---
            kind: ParentGroup
            name: b
            parent: nowhere
            """,
        ])
        #expect(
            summary(diagnostics) == [
                "PF311@groups.yaml:6:9", "PF800@hierarchy.yaml:3:9", "PF313@hierarchy.yaml:14:7",
                "PF311@hierarchy.yaml:15:9",
            ])
        #expect(
            diagnostics.contains {
                $0.code == .hierarchyCycle && $0.message.contains("\"north\" → \"south\" → \"west\" → \"north\"")
            })
        #expect(diagnostics.filter { $0.code == .unknownParentGroup }.count == 2)
        #expect(diagnostics.contains { $0.code == .parentNamedLikeGroup })
    }
}

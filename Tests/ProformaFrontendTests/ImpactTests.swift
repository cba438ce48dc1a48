import Foundation
import ProformaCore
import ProformaEngine
import ProformaFrontend
import ProformaReport
import ProformaTestSupport
import Testing

/// The invoice impact of a plan, and the guardrails checked against it.
@Suite("Invoice impact")
struct ImpactTests {
    /// A repository holding `files` in one commit, with `edited` written over the working tree afterwards.
    static func repository(_ files: [String: String], edited: [String: String]) throws -> URL {
        let directory = try Sample.folder(files)
        try TestSupport.git(["init", "-q"], in: directory)
        try TestSupport.git(["add", "-A"], in: directory)
        try TestSupport.git(["commit", "-q", "-m", "base"], in: directory)
        for (path, text) in edited {
            try text.write(to: directory.appendingPathComponent(path), atomically: true, encoding: .utf8)
        }
        return directory
    }

    static func impact(_ files: [String: String], edited: [String: String]) throws -> InvoiceImpact {
        let directory = try repository(files, edited: edited)
        defer { try? FileManager.default.removeItem(at: directory) }
        let frontend = try Sample.frontend(directory)
        let comparison = try frontend.compare(
            first: nil, second: nil, defaultBase: "HEAD", check: .valid(strict: false))
        return try #require(try frontend.impact(of: comparison, request: PricingRequest())?.impact)
    }

    static func withGuardrail(_ guardrail: String) -> [String: String] {
        var files = Sample.files()
        files["proforma.yaml"] = Sample.project + "guardrails:\n  - name: limit\n" + guardrail
        return files
    }

    static func markup(_ value: String) -> [String: String] {
        ["pricing/standard.yaml": Sample.files(rule: "modifier_percentage: \(value)")["pricing/standard.yaml"]!]
    }

    @Test func aMarkupChangeShowsTheGroupsBeforeAndAfter() throws {
        let impact = try Self.impact(Sample.files(), edited: Self.markup("20"))
        let period = try #require(impact.periods.first)
        #expect(period.period == BillingPeriod("2026-10")!)
        let retail = try #require(period.changedGroups.first)
        // 100 + 10 public cost: at 10 % 121 + the 50 fee; at 20 % 132 + 50.
        #expect(retail.before?.proForma.rounded == ExactDecimal("171")!)
        #expect(retail.after?.proForma.rounded == ExactDecimal("182")!)
        #expect(retail.delta == ExactDecimal("11")!)
        #expect(retail.deltaPercentage == ExactDecimal("6.43")!)
        #expect(retail.after?.awsCost.rounded == ExactDecimal("99")!)
        #expect(retail.services.map(\.name) == ["AmazonEC2", "AmazonS3"])
        #expect(retail.services.map(\.delta) == [ExactDecimal("10")!, ExactDecimal("1")!])
        #expect(impact.reach[.init(.pricingRule, "markup")] == ["retail"])
        #expect(
            ImpactRenderer.summary(period)
                == "Invoice impact 2026-10: 1 of 1 billing group change, +11.00 USD (+6.43 %).")
        #expect(impact.violations.isEmpty)
    }

    @Test(
        "each guardrail trips",
        arguments: [
            ("    max_increase_percentage: 5\n", "20", "invoice +6.43 %", "at most +5 %"),
            ("    max_increase_amount: 10\n", "20", "invoice +11.00 USD", "at most +10 USD"),
            ("    max_decrease_percentage: 5\n", "0", "invoice −6.43 %", "at most −5 %"),
            ("    max_decrease_amount: 10.99\n", "0", "invoice −11.00 USD", "at most −10.99 USD"),
            ("    max_increase_amount: 10\n    applies_to: total\n", "20", "invoice +11.00 USD", "at most +10 USD"),
            ("    min_margin_percentage: 40\n", "0", "margin 38.12 %", "at least 40 %"),
        ])
    func guardrailTrips(_ guardrail: String, _ markup: String, _ figure: String, _ limit: String) throws {
        let impact = try Self.impact(Self.withGuardrail(guardrail), edited: Self.markup(markup))
        let violation = try #require(impact.violations.first)
        #expect(impact.violations.count == 1)
        #expect(violation.figure == figure)
        #expect(violation.limit == limit)
        #expect(violation.group == (guardrail.contains("total") ? nil : "retail"))
        // Within the limit, the same change passes.
        let loose = guardrail.replacingOccurrences(of: ": 5\n", with: ": 7\n").replacingOccurrences(
            of: ": 10\n", with: ": 11\n"
        )
        .replacingOccurrences(of: ": 10.99\n", with: ": 11\n").replacingOccurrences(of: ": 40\n", with: ": 38\n")
        #expect(try Self.impact(Self.withGuardrail(loose), edited: Self.markup(markup)).violations.isEmpty)
    }

    @Test func anAccountLeftInNoGroupTrips() throws {
        var files = Self.withGuardrail("    no_unassigned_accounts: true\n")
        files["billing-groups/retail.yaml"] = files["billing-groups/retail.yaml"]!
        let edited = [
            "billing-groups/retail.yaml": files["billing-groups/retail.yaml"]!.replacingOccurrences(
                of: "[\"111111111111\", \"222222222222\"]", with: "[\"111111111111\"]")
        ]
        let impact = try Self.impact(files, edited: edited)
        let period = try #require(impact.periods.first)
        #expect(period.newlyUnassigned == ["222222222222"])
        #expect(period.changedGroups.first?.accountsRemoved == ["222222222222"])
        #expect(impact.violations.map(\.figure) == ["account 222222222222 has usage and is left in no billing group"])
        #expect(ImpactRenderer.text(impact).contains("222222222222 (retail-dev)"))
    }

    @Test func theImpactEqualsTheMarginReportsAtBothRevisions() throws {
        // The examples, with one rule changed: each group's figures before and after are those `report margin`
        // shows at each revision, and only the groups whose plan holds the rule change.
        let copy = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: copy) }
        let msp = copy.appendingPathComponent("msp")
        try FileManager.default.copyItem(at: TestSupport.packageRoot.appendingPathComponent("examples/msp"), to: msp)
        try TestSupport.git(["init", "-q"], in: msp)
        try TestSupport.git(["add", "-A"], in: msp)
        try TestSupport.git(["commit", "-q", "-m", "base"], in: msp)
        let rules = msp.appendingPathComponent("pricing/gaming-compute.yaml")
        let text = try String(contentsOf: rules, encoding: .utf8)
        try text.replacingOccurrences(of: "modifier_percentage: 10\n", with: "modifier_percentage: 11\n")
            .write(to: rules, atomically: true, encoding: .utf8)
        let frontend = try Sample.frontend(msp)
        let comparison = try frontend.compare(
            first: nil, second: nil, defaultBase: "HEAD", check: .valid(strict: false))
        let impact = try #require(try frontend.impact(of: comparison, request: PricingRequest())?.impact)
        let before = try frontend.price(PricingRequest(revision: "HEAD"))
        let after = try frontend.price(PricingRequest())
        let period = try #require(impact.periods.first)
        #expect(period.period == after.periods.first)
        let rounding = after.configuration.project?.rounding ?? .halfEven
        for group in period.groups {
            let old = before.result.group(group.group, period: period.period).map {
                $0.figures(rounding: rounding)
            }
            let new = after.result.group(group.group, period: period.period).map {
                $0.figures(rounding: rounding)
            }
            #expect(group.before == old, "\(group.group)")
            #expect(group.after == new, "\(group.group)")
        }
        let reached = Set(impact.reach.values.flatMap { $0 })
        #expect(Set(period.changedGroups.map(\.group)) == reached)
        #expect(!reached.isEmpty)
        let users = Set(
            after.configuration.billingGroups.filter { group in
                after.configuration.pricingPlans.first { $0.name == group.pricingPlan }?.pricingRules
                    .contains("gaming-global-markup") ?? false
            }.map(\.name))
        #expect(reached == users)
        // Each changed service's amounts are those `report margin --by service` shows at each revision.
        func byService(_ priced: PricedUsage) throws -> [String: String] {
            let json = try #require(
                try JSONSerialization.jsonObject(
                    with: Data(
                        CostReportRenderer.render(
                            MarginReport(result: priced.result, by: .service, options: priced.reportOptions),
                            as: .json
                        ).utf8)) as? [String: Any])
            var amounts: [String: String] = [:]
            for row in try #require(json["rows"] as? [[String: Any]]) {
                guard let group = row["billing_group"] as? String, let service = row["service"] as? String else {
                    continue
                }
                amounts[group + "/" + service] = row["pro_forma_rounded"] as? String
            }
            return amounts
        }
        let oldRows = try byService(before)
        let newRows = try byService(after)
        var compared = 0
        for group in period.changedGroups {
            for change in group.services {
                let key = group.group + "/" + change.name
                #expect((oldRows[key].flatMap { ExactDecimal($0) } ?? .zero) == change.before, "\(key)")
                #expect((newRows[key].flatMap { ExactDecimal($0) } ?? .zero) == change.after, "\(key)")
                compared += 1
            }
        }
        #expect(compared > 0)
    }
}

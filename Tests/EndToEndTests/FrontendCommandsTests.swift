import Foundation
import ProformaTestSupport
import Testing

/// What every command shares, through the built binary: refusing invalid configurations, `-C` for every path,
/// and usage errors.
@Suite struct FrontendCommandsTests {
    let binary: URL

    init() throws {
        binary = try #require(TestSupport.proformaBinary)
    }

    /// A copy of examples/msp in a new git repository with one commit.
    func example() throws -> URL {
        let directory = try TestSupport.temporaryDirectory()
        let copy = directory.appendingPathComponent("msp")
        try FileManager.default.copyItem(at: TestSupport.packageRoot.appendingPathComponent("examples/msp"), to: copy)
        try TestSupport.git(["init", "-q"], in: copy)
        try TestSupport.git(["add", "-A"], in: copy)
        try TestSupport.git(["commit", "-q", "-m", "example"], in: copy)
        return copy
    }

    @Test func everyPricingCommandRefusesAConfigurationValidateRejects() throws {
        let copy = try example()
        defer { try? FileManager.default.removeItem(at: copy.deletingLastPathComponent()) }
        let group = copy.appendingPathComponent("billing-groups/harbor-logistics.yaml")
        try String(contentsOf: group, encoding: .utf8).replacingOccurrences(
            of: "pricing_plan: standard", with: "pricing_plan: standrd"
        )
        .write(to: group, atomically: true, encoding: .utf8)
        let commands: [[String]] = [
            ["invoice", "--group", "harbor-logistics"], ["invoice", "--all-groups", "--output-dir", "out"],
            ["report", "margin"], ["report", "costs"], ["plan"], ["validate"],
        ]
        for command in commands {
            let result = try TestSupport.run(binary, command + ["-C", copy.path])
            #expect(result.status == 1, "\(command): \(result.stderr)")
            // validate reports on stdout; the others refuse on stderr, showing the same diagnostics.
            let shown = command == ["validate"] ? result.stdout : result.stderr
            #expect(shown.contains("billing-groups/harbor-logistics.yaml:10:15: error[PF301]"), "\(command)")
            if command != ["validate"] {
                #expect(result.stdout.isEmpty, "\(command)")
                #expect(result.stderr.contains("nothing was done"), "\(command)")
            }
        }
        #expect(!FileManager.default.fileExists(atPath: copy.appendingPathComponent("out").path))
        // The committed configuration is valid: a revision still prices.
        let atHead = try TestSupport.run(binary, ["invoice", "HEAD", "--group", "harbor-logistics", "-C", copy.path])
        #expect(atHead.status == 0, "\(atHead.stderr)")
        // A plan whose head side is invalid is refused, and one between valid revisions is not.
        try TestSupport.git(["commit", "-q", "-am", "broken"], in: copy)
        let plan = try TestSupport.run(binary, ["plan", "HEAD~1", "HEAD", "-C", copy.path])
        #expect(plan.status == 1)
        #expect(plan.stderr.contains("error[PF301]"))
        let diff = try TestSupport.run(binary, ["diff", "HEAD~1", "HEAD", "-C", copy.path])
        #expect(diff.status == 0, "diff shows any readable change: \(diff.stderr)")
    }

    @Test func warningsBlockUnderStrictOnly() throws {
        let copy = try example()
        defer { try? FileManager.default.removeItem(at: copy.deletingLastPathComponent()) }
        try "kind: PricingPlan\nname: spare\npricing_rules: []\n"
            .write(to: copy.appendingPathComponent("pricing/spare.yaml"), atomically: true, encoding: .utf8)
        let relaxed = try TestSupport.run(binary, ["report", "margin", "-C", copy.path])
        #expect(relaxed.status == 0, "\(relaxed.stderr)")
        let strict = try TestSupport.run(binary, ["report", "margin", "--strict", "-C", copy.path])
        #expect(strict.status == 1)
        #expect(strict.stderr.contains("warning[PF405]"))
        #expect(strict.stderr.contains("proforma validate --strict"))
    }

    @Test func dashCAppliesToEveryRelativePath() throws {
        let copy = try example()
        defer { try? FileManager.default.removeItem(at: copy.deletingLastPathComponent()) }
        let elsewhere = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: elsewhere) }
        let invoice = try TestSupport.run(
            binary, ["invoice", "--group", "harbor-logistics", "-o", "inv.txt", "-C", copy.path], in: elsewhere)
        #expect(invoice.status == 0, "\(invoice.stderr)")
        #expect(FileManager.default.fileExists(atPath: copy.appendingPathComponent("inv.txt").path))
        let all = try TestSupport.run(
            binary, ["invoice", "--all-groups", "--period", "2026-10", "-C", copy.path], in: elsewhere)
        #expect(all.status == 0, "\(all.stderr)")
        #expect(
            FileManager.default.fileExists(
                atPath: copy.appendingPathComponent("invoices/2026-10/harbor-logistics.txt").path))
        #expect(!FileManager.default.fileExists(atPath: elsewhere.appendingPathComponent("invoices").path))
        try FileManager.default.copyItem(
            at: copy.appendingPathComponent("usage/cur-2026-09-to-10.csv.gz"),
            to: copy.appendingPathComponent("data.csv.gz"))
        let usage = try TestSupport.run(
            binary, ["report", "margin", "--usage", "data.csv.gz", "-C", copy.path], in: elsewhere)
        #expect(usage.status == 0, "\(usage.stderr)")
        let plan = try TestSupport.run(binary, ["plan", "-o", "plan.json", "-C", copy.path], in: elsewhere)
        #expect(plan.status == 0, "\(plan.stderr)")
        #expect(FileManager.default.fileExists(atPath: copy.appendingPathComponent("plan.json").path))
    }

    @Test func usageErrorsExit64() throws {
        let copy = try example()
        defer { try? FileManager.default.removeItem(at: copy.deletingLastPathComponent()) }
        for command in [
            ["invoice", "--group", "harbor-logistics", "-o", ""], ["plan", "-o", ""],
            ["invoice", "--group", "nobody"], ["invoice", "--group", "harbor-logistics", "--period", "2026-13"],
            ["validate", "-C", "/nonexistent-folder"],
        ] {
            let result = try TestSupport.run(binary, command + (command.contains("-C") ? [] : ["-C", copy.path]))
            #expect(result.status == 64, "\(command): \(result.stderr)")
            #expect(result.stdout.isEmpty)
        }
    }

    @Test func anEmptyPeriodIsRefusedByInvoiceAndReports() throws {
        let copy = try example()
        defer { try? FileManager.default.removeItem(at: copy.deletingLastPathComponent()) }
        for command in [["invoice", "--group", "harbor-logistics"], ["report", "margin"], ["report", "costs"]] {
            let refused = try TestSupport.run(binary, command + ["--period", "2025-01", "-C", copy.path])
            #expect(refused.status == 1)
            #expect(refused.stderr.contains("no usage lines for 2025-01: the usage data covers 2026-09, 2026-10"))
            let allowed = try TestSupport.run(
                binary, command + ["--period", "2025-01", "--allow-empty-period", "-C", copy.path])
            #expect(allowed.status == 0, "\(command): \(allowed.stderr)")
        }
    }

    @Test func planShowsTheInvoiceImpactAndFailsOnAGuardrail() throws {
        let copy = try example()
        defer { try? FileManager.default.removeItem(at: copy.deletingLastPathComponent()) }
        let rules = copy.appendingPathComponent("pricing/gaming-compute.yaml")
        let original = try String(contentsOf: rules, encoding: .utf8)
        // A small change passes the example's guardrails (at most +8 % a group).
        try original.replacingOccurrences(of: "modifier_percentage: 10\n", with: "modifier_percentage: 11\n")
            .write(to: rules, atomically: true, encoding: .utf8)
        let small = try TestSupport.run(binary, ["plan", "--detailed-exitcode", "-o", "plan.json", "-C", copy.path])
        #expect(small.status == 2, "\(small.stderr)")
        #expect(small.stdout.contains("Invoice impact 2026-10: 1 of 5 billing groups change"))
        #expect(small.stdout.contains("PricingRule/gaming-global-markup reaches pixelforge-games"))
        let saved = try JSONSerialization.jsonObject(with: Data(contentsOf: copy.appendingPathComponent("plan.json")))
        let impact = try #require((saved as? [String: Any])?["impact"] as? [String: Any])
        #expect((impact["usage_files"] as? [String]) == ["cur-2026-09-to-10.csv.gz"])
        // A large one breaks them: exit 3, naming the group, the figure and the limit.
        try original.replacingOccurrences(of: "modifier_percentage: 10\n", with: "modifier_percentage: 300\n")
            .write(to: rules, atomically: true, encoding: .utf8)
        for format in ["text", "markdown", "json"] {
            let large = try TestSupport.run(
                binary, ["plan", "--format", format, "--detailed-exitcode", "-C", copy.path])
            #expect(large.status == 3, "\(format): \(large.stderr)")
            #expect(
                large.stderr.contains(
                    "guardrail \"customer-invoice-increase\": billing group \"pixelforge-games\" in 2026-10: invoice +")
            )
            #expect(large.stderr.contains("at most +8 %"))
        }
        // Without the impact, nothing is priced and nothing is checked.
        let bare = try TestSupport.run(binary, ["plan", "--no-impact", "-C", copy.path])
        #expect(bare.status == 0)
        #expect(!bare.stdout.contains("Invoice impact"))
        // What-if over history: every period of the data in the range.
        let history = try TestSupport.run(binary, ["plan", "--periods", "2026-01..2026-12", "-C", copy.path])
        #expect(history.stdout.contains("Invoice impact 2026-09:"))
        #expect(history.stdout.contains("Invoice impact 2026-10:"))
        let badRange = try TestSupport.run(binary, ["plan", "--periods", "2026-10", "-C", copy.path])
        #expect(badRange.status == 64)
    }
}

/// Invoices, reports and plans with a state store: each period is priced with the configuration in effect for it.
@Suite struct AppliedPricingTests {
    let binary: URL

    init() throws {
        binary = try #require(TestSupport.proformaBinary)
    }

    @Test func aClosedPeriodKeepsItsConfigurationWhenTheNextChangeIsApplied() throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let copy = directory.appendingPathComponent("msp")
        try FileManager.default.copyItem(at: TestSupport.packageRoot.appendingPathComponent("examples/msp"), to: copy)
        try TestSupport.git(["init", "-q"], in: copy)
        try TestSupport.git(["add", "-A"], in: copy)
        try TestSupport.git(["commit", "-q", "-m", "base"], in: copy)
        func run(_ arguments: [String]) throws -> CommandResult {
            try TestSupport.run(binary, arguments + ["-C", copy.path])
        }
        let first = try run(["apply", "--yes", "--period", "2026-09", "--backfill"])
        #expect(first.status == 0, "\(first.stderr)")
        let september = try run(["invoice", "--group", "pixelforge-games", "--period", "2026-09", "--format", "json"])
        #expect(september.status == 0, "\(september.stderr)")
        #expect(september.stdout.contains("applied serial 1"))
        // October's change, committed and applied from October.
        let rules = copy.appendingPathComponent("pricing/gaming-compute.yaml")
        try String(contentsOf: rules, encoding: .utf8)
            .replacingOccurrences(of: "modifier_percentage: 10\n", with: "modifier_percentage: 30\n")
            .write(to: rules, atomically: true, encoding: .utf8)
        try TestSupport.git(["commit", "-q", "-am", "raise the gaming markup"], in: copy)
        let second = try run(["apply", "--yes", "--period", "2026-10", "--backfill"])
        #expect(second.status == 0, "\(second.stderr)")
        // September's invoice is unchanged; priced from the revision, it would not be.
        let again = try run(["invoice", "--group", "pixelforge-games", "--period", "2026-09", "--format", "json"])
        #expect(again.stdout == september.stdout)
        let fromHead = try run([
            "invoice", "HEAD", "--group", "pixelforge-games", "--period", "2026-09", "--format", "json",
        ])
        #expect(fromHead.status == 0)
        #expect(fromHead.stdout != september.stdout)
        // October is priced with the new configuration: the same figures as the revision that was applied.
        let october = try run(["report", "margin", "--period", "2026-10", "--format", "json"])
        let octoberAtHead = try run(["report", "margin", "HEAD", "--period", "2026-10", "--format", "json"])
        #expect(october.stdout.contains("applied serial 2"))
        let figures = { (text: String) in text.split(separator: "\n").filter { $0.contains("_rounded") } }
        #expect(figures(october.stdout) == figures(octoberAtHead.stdout))
        #expect(!figures(october.stdout).isEmpty)
        // plan with no revision compares the working tree with the applied configuration.
        try String(contentsOf: rules, encoding: .utf8)
            .replacingOccurrences(of: "modifier_percentage: 30\n", with: "modifier_percentage: 31\n")
            .write(to: rules, atomically: true, encoding: .utf8)
        let plan = try run(["plan"])
        #expect(plan.stdout.hasPrefix("Plan from applied serial 2 ("))
        #expect(plan.stdout.contains("modifier_percentage: 30 → 31"))
        #expect(plan.stdout.contains("Invoice impact 2026-10: 1 of 5 billing groups change"))
    }
}

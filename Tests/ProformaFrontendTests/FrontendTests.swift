import Foundation
import ProformaCore
import ProformaFrontend
import ProformaReport
import ProformaTestSupport
import ProformaUsage
import Testing

/// A small configuration: one group of two accounts on a plan with a global markup, and a flat fee.
enum Sample {
    static let project = """
        kind: Project
        name: acme
        version: 1
        payer_account_id: "999999999999"
        currency: USD
        usage:
          - path: usage/cur.csv

        """

    static func files(group: String = "", rule: String = "modifier_percentage: 10") -> [String: String] {
        [
            "proforma.yaml": project,
            "accounts.yaml": """
            kind: Account
            name: retail-prod
            account_id: "111111111111"
            ---
            kind: Account
            name: retail-dev
            account_id: "222222222222"

            """,
            "billing-groups/retail.yaml": """
            kind: BillingGroup
            name: retail
            primary_account_id: "111111111111"
            account_ids: ["111111111111", "222222222222"]
            pricing_plan: standard
            \(group)
            """,
            "pricing/standard.yaml": """
            kind: PricingPlan
            name: standard
            pricing_rules: [markup]
            ---
            kind: PricingRule
            name: markup
            scope: GLOBAL
            type: MARKUP
            \(rule)

            """,
            "line-items/fee.yaml": """
            kind: CustomLineItem
            name: fee
            billing_group: retail
            type: FEE
            flat: { charge_value: 50 }
            billing_period_range: { inclusive_start: 2026-01 }

            """,
        ]
    }

    static let usage = """
        bill/BillingPeriodStartDate,lineItem/UsageAccountId,lineItem/LineItemType,lineItem/ProductCode,lineItem/UnblendedCost,lineItem/CurrencyCode,pricing/publicOnDemandCost
        2026-10-01T00:00:00Z,111111111111,Usage,AmazonEC2,90.00,USD,100.00
        2026-10-01T00:00:00Z,222222222222,Usage,AmazonS3,9.00,USD,10.00
        2026-09-01T00:00:00Z,111111111111,Usage,AmazonEC2,45.00,USD,50.00

        """

    /// Writes `files` (and the usage file) into a new temporary folder.
    static func folder(_ files: [String: String], usage: String? = Sample.usage) throws -> URL {
        let directory = try TestSupport.temporaryDirectory()
        var all = files
        if let usage { all["usage/cur.csv"] = usage }
        for (path, text) in all {
            let url = directory.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        return directory
    }

    static func frontend(_ directory: URL, root: String? = nil) throws -> Frontend {
        try Frontend(WorkspaceOptions(directory: directory.path, root: root), toolVersion: "test")
    }
}

@Suite("Refusing what validate rejects")
struct RefusalTests {
    /// Each configuration `validate` rejects, with the code it reports.
    static let invalid: [(String, [String: String])] = {
        var cases: [(String, [String: String])] = []
        var files = Sample.files()
        files["billing-groups/retail.yaml"] = files["billing-groups/retail.yaml"]!.replacingOccurrences(
            of: "pricing_plan: standard", with: "pricing_plan: standrd")
        cases.append(("PF301", files))
        files = Sample.files()
        files["pricing/standard.yaml"] = files["pricing/standard.yaml"]!.replacingOccurrences(
            of: "pricing_rules: [markup]", with: "pricing_rules: [markup, nothing]")
        cases.append(("PF302", files))
        files = Sample.files()
        files["billing-groups/other.yaml"] = """
            kind: BillingGroup
            name: other
            primary_account_id: "222222222222"
            account_ids: ["222222222222"]
            pricing_plan: standard

            """
        cases.append(("PF400", files))
        files = Sample.files()
        files["billing-groups/retail.yaml"] = files["billing-groups/retail.yaml"]!.replacingOccurrences(
            of: "primary_account_id: \"111111111111\"", with: "primary_account_id: \"333333333333\"")
        cases.append(("PF401", files))
        cases.append(("PF502", Sample.files(rule: "modifier_percentage: 10.125")))
        cases.append(
            (
                "PF503",
                Sample.files(rule: "modifier_percentage: 150").mapValues {
                    $0.replacingOccurrences(of: "type: MARKUP", with: "type: DISCOUNT")
                }
            ))
        return cases
    }()

    @Test("a configuration validate rejects is priced nowhere", arguments: invalid.indices)
    func pricingRefuses(_ index: Int) throws {
        let (code, files) = Self.invalid[index]
        let directory = try Sample.folder(files)
        defer { try? FileManager.default.removeItem(at: directory) }
        let frontend = try Sample.frontend(directory)
        let validated = try frontend.validate(revision: nil)
        #expect(validated.report.diagnostics.contains { $0.code.rawValue == code }, "expected \(code)")
        for periods in [PeriodRequest.latest, .all, .period(BillingPeriod("2026-10")!)] {
            do {
                _ = try frontend.price(PricingRequest(periods: periods))
                Issue.record("\(code): priced an invalid configuration")
            } catch let error as InvalidConfiguration {
                #expect(error.report.diagnostics.contains { $0.code.rawValue == code })
                #expect(error.description.contains("proforma validate"))
            }
        }
    }

    @Test func warningsDoNotBlockUnlessStrict() throws {
        var files = Sample.files()
        // A plan no group uses is a warning.
        files["pricing/spare.yaml"] = "kind: PricingPlan\nname: spare\npricing_rules: [markup]\n"
        let directory = try Sample.folder(files)
        defer { try? FileManager.default.removeItem(at: directory) }
        let frontend = try Sample.frontend(directory)
        let priced = try frontend.price(PricingRequest())
        #expect(priced.result.group("retail", period: BillingPeriod("2026-10")!)?.proFormaCost == ExactDecimal("171")!)
        #expect(throws: InvalidConfiguration.self) { try frontend.price(PricingRequest(strict: true)) }
    }

    @Test func anInMemoryTreeIsPricedInProcess() throws {
        let directory = try Sample.folder([:])
        defer { try? FileManager.default.removeItem(at: directory) }
        let frontend = try Sample.frontend(directory)
        let tree = InMemoryFileTree(files: Sample.files())
        let source = ConfigurationSource(tree: tree, root: "", folder: directory, boundary: directory)
        let priced = try frontend.price(PricingRequest(periods: .all), source: source)
        #expect(priced.periods.map(\.description) == ["2026-09", "2026-10"])
        // 110 + 11 usage at a 10 % markup, and the flat fee.
        #expect(priced.result.group("retail", period: BillingPeriod("2026-10")!)?.proFormaCost == ExactDecimal("171")!)
        #expect(priced.result.group("retail", period: BillingPeriod("2026-09")!)?.proFormaCost == ExactDecimal("105")!)
        let broken = InMemoryFileTree(files: Sample.files(rule: "modifier_percentage: -5"))
        #expect(throws: InvalidConfiguration.self) {
            try frontend.price(
                PricingRequest(),
                source: ConfigurationSource(tree: broken, root: "", folder: directory, boundary: directory))
        }
    }
}

@Suite("Periods")
struct PeriodTests {
    @Test func theLatestPeriodInTheDataIsTheDefault() throws {
        let directory = try Sample.folder(Sample.files())
        defer { try? FileManager.default.removeItem(at: directory) }
        let priced = try Sample.frontend(directory).price(PricingRequest())
        #expect(priced.periods == [BillingPeriod("2026-10")!])
        #expect(priced.periodsInData == [BillingPeriod("2026-09")!, BillingPeriod("2026-10")!])
        #expect(priced.result.groups.map(\.period) == [BillingPeriod("2026-10")!])
    }

    @Test func aPeriodWithoutUsageIsRefusedNamingThePeriodsTheDataCovers() throws {
        let directory = try Sample.folder(Sample.files())
        defer { try? FileManager.default.removeItem(at: directory) }
        let frontend = try Sample.frontend(directory)
        let empty = BillingPeriod("2025-01")!
        do {
            _ = try frontend.price(PricingRequest(periods: .period(empty)))
            Issue.record("an empty period was priced")
        } catch let error as UserError {
            #expect(error.message == "no usage lines for 2025-01: the usage data covers 2026-09, 2026-10")
            #expect(error.hint?.contains("--allow-empty-period") == true)
        }
        let allowed = try frontend.price(PricingRequest(periods: .period(empty), allowEmptyPeriod: true))
        // Only the flat fee: it is active from 2026-01, so not in 2025-01.
        #expect(allowed.result.group("retail", period: empty)?.proFormaCost == .zero)
    }

    @Test func dataWithoutLinesHasNoPeriod() throws {
        let header = String(Sample.usage.split(separator: "\n")[0]) + "\n"
        let directory = try Sample.folder(Sample.files(), usage: header)
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(throws: UserError.self) { try Sample.frontend(directory).price(PricingRequest()) }
        #expect(throws: UserError.self) { try Sample.frontend(directory).price(PricingRequest(periods: .all)) }
    }
}

@Suite("Paths and folders")
struct WorkspaceTests {
    @Test func relativePathsAreTakenFromTheFolderNamedByDashC() throws {
        let directory = try Sample.folder(Sample.files())
        defer { try? FileManager.default.removeItem(at: directory) }
        let workspace = try Workspace(WorkspaceOptions(directory: "sub/..", currentDirectory: directory.path))
        #expect(workspace.directory.path == directory.standardizedFileURL.path)
        #expect(
            workspace.path("out/x.txt").path == directory.appendingPathComponent("out/x.txt").standardizedFileURL.path)
        #expect(workspace.path("/abs/x").path == "/abs/x")
        // --usage relative to -C.
        let frontend = try Frontend(
            WorkspaceOptions(directory: directory.path, currentDirectory: "/"), toolVersion: "t")
        let priced = try frontend.price(PricingRequest(usage: UsageSelection(files: ["usage/cur.csv"])))
        #expect(
            priced.inputs.map(\.source) == [.file(path: directory.appendingPathComponent("usage/cur.csv").standardizedFileURL.path)])
    }

    @Test func dashCNeedsAFolder() throws {
        let directory = try Sample.folder(Sample.files())
        defer { try? FileManager.default.removeItem(at: directory) }
        for bad in ["missing", "proforma.yaml", ""] {
            #expect(throws: UserError.self) {
                try Workspace(WorkspaceOptions(directory: bad, currentDirectory: directory.path))
            }
        }
    }

    @Test func rootDiscoveryStopsAtTheRepositorysTop() throws {
        // A configuration around a repository that has none of its own is not used.
        let outer = try Sample.folder(Sample.files())
        defer { try? FileManager.default.removeItem(at: outer) }
        let inner = outer.appendingPathComponent("project")
        try FileManager.default.createDirectory(at: inner, withIntermediateDirectories: true)
        try TestSupport.git(["init", "-q"], in: inner)
        let frontend = try Sample.frontend(inner)
        do {
            _ = try frontend.validate(revision: nil)
            Issue.record("the configuration around the repository was used")
        } catch let error as UserError {
            #expect(error.message.contains("in the repository"))
        }
        // Outside any repository, the walk goes up as before.
        let plain = outer.appendingPathComponent("plain/deeper")
        try FileManager.default.createDirectory(at: plain, withIntermediateDirectories: true)
        #expect(try Sample.frontend(plain).validate(revision: nil).report.errorCount == 0)
    }

    @Test func configuredUsagePathsStayInsideTheRepository() throws {
        let outside = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: outside) }
        try Sample.usage.write(to: outside.appendingPathComponent("cur.csv"), atomically: true, encoding: .utf8)
        let cases: [(String, String)] = [
            ("/etc/passwd", "leaves the repository"),
            ("../../../etc/passwd", "leaves the repository"),
            ("/proc/self/environ", "leaves the repository"),
            ("usage", "is a folder"),
            ("usage/missing.csv", "no such file"),
            ("link/cur.csv", "through a symbolic link"),
            ("fifo.csv", "is not a regular file"),
        ]
        for (path, expected) in cases {
            var files = Sample.files()
            files["proforma.yaml"] = Sample.project.replacingOccurrences(of: "usage/cur.csv", with: path)
            let directory = try Sample.folder(files)
            defer { try? FileManager.default.removeItem(at: directory) }
            try FileManager.default.createSymbolicLink(
                at: directory.appendingPathComponent("link"), withDestinationURL: outside)
            #expect(mkfifo(directory.appendingPathComponent("fifo.csv").path, 0o600) == 0)
            do {
                _ = try Sample.frontend(directory).price(PricingRequest())
                Issue.record("usage path \(path) was read")
            } catch let error as UserError {
                #expect(error.message.contains(expected), "\(path): \(error.message)")
                #expect(error.message.hasPrefix("proforma.yaml:7:11: "), "\(path): \(error.message)")
            }
            // Named on the command line, a file outside the repository is read; a FIFO is still refused.
            let frontend = try Sample.frontend(directory)
            let priced = try frontend.price(
                PricingRequest(usage: UsageSelection(files: [outside.appendingPathComponent("cur.csv").path])))
            #expect(
                priced.result.group("retail", period: BillingPeriod("2026-10")!)?.proFormaCost == ExactDecimal("171")!)
            #expect(throws: UserError.self) {
                try frontend.price(PricingRequest(usage: UsageSelection(files: ["fifo.csv"])))
            }
        }
    }

    @Test func standardInputIsReadOnlyWhenNamedAsADash() throws {
        let directory = try Sample.folder(Sample.files())
        defer { try? FileManager.default.removeItem(at: directory) }
        let frontend = try Sample.frontend(directory)
        let validated = try frontend.validate(revision: nil)
        let inputs = try frontend.usageInputs(UsageSelection(files: ["-"]), validated: validated)
        #expect(inputs == [UsageInput(path: "/dev/stdin", name: "standard input")])
        #expect(throws: UserError.self) {
            try frontend.usageInputs(UsageSelection(files: ["-", "-"]), validated: validated)
        }
    }
}

import Foundation
import ProformaTestSupport
import Testing

/// `invoice` and `report` on the real samples among the fixtures, through the built binary.
@Suite struct InvoiceCommandsTests {
    let binary: URL
    let sample = TestSupport.sample("aws_cur_legacy_anonymized_2023-11_focus_converters.csv")

    init() throws {
        binary = try #require(TestSupport.proformaBinary)
    }

    /// A scaffolded configuration whose group holds the sample's account.
    func configuration() throws -> URL {
        let directory = try TestSupport.temporaryDirectory()
        #expect(try TestSupport.run(binary, ["init", "--no-git", directory.path]).status == 0)
        let group = directory.appendingPathComponent("billing-groups/retail.yaml")
        try String(contentsOf: group, encoding: .utf8)
            .replacingOccurrences(of: "\"222222222222\"]", with: "\"222222222222\", \"123412340534\"]")
            .write(to: group, atomically: true, encoding: .utf8)
        // The account must be declared, or validation refuses the configuration.
        let accounts = directory.appendingPathComponent("accounts.yaml")
        let declared = try String(contentsOf: accounts, encoding: .utf8)
        try (declared + "---\nkind: Account\nname: sample-account\naccount_id: \"123412340534\"\n")
            .write(to: accounts, atomically: true, encoding: .utf8)
        return directory
    }

    @Test func invoiceInEveryFormat() throws {
        try #require(FileManager.default.fileExists(atPath: sample), "sample missing")
        let directory = try configuration()
        defer { try? FileManager.default.removeItem(at: directory) }
        let text = try TestSupport.run(binary, ["invoice", "--group", "retail", "--usage", sample], in: directory)
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("Period           2023-11"))
        #expect(text.stdout.contains("Total (USD)"))
        #expect(text.stdout.contains("aws_cur_legacy_anonymized_2023-11_focus_converters.csv"))
        let json = try TestSupport.run(binary, ["invoice", "--group", "retail", "--usage", sample, "--format", "json"], in: directory)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["format_version"] as? Int == 1)
        for format in ["markdown", "csv", "html"] {
            let result = try TestSupport.run(binary, ["invoice", "--group", "retail", "--usage", sample, "--format", format], in: directory)
            #expect(result.status == 0, "\(format): \(result.stderr)")
            #expect(!result.stdout.isEmpty)
        }
    }

    @Test func theInvoiceNamesTheCommitThatPricedIt() throws {
        try #require(FileManager.default.fileExists(atPath: sample))
        let directory = try configuration()
        defer { try? FileManager.default.removeItem(at: directory) }
        try TestSupport.git(["init", "-q", "-b", "main"], in: directory)
        try TestSupport.git(["add", "-A"], in: directory)
        try TestSupport.git(["commit", "-qm", "Initial"], in: directory)
        let head = try TestSupport.git(["rev-parse", "HEAD"], in: directory).trimmingCharacters(in: .whitespacesAndNewlines)
        let clean = try TestSupport.run(binary, ["invoice", "--group", "retail", "--usage", sample], in: directory)
        #expect(clean.stdout.contains("working tree, unchanged from HEAD at commit \(head)"))
        let atHead = try TestSupport.run(binary, ["invoice", "HEAD", "--group", "retail", "--usage", sample], in: directory)
        #expect(atHead.stdout.contains("commit \(head)"))
        let rules = directory.appendingPathComponent("pricing/standard.yaml")
        try String(contentsOf: rules, encoding: .utf8).replacingOccurrences(of: "modifier_percentage: 10", with: "modifier_percentage: 11")
            .write(to: rules, atomically: true, encoding: .utf8)
        let edited = try TestSupport.run(binary, ["invoice", "--group", "retail", "--usage", sample], in: directory)
        #expect(edited.stdout.contains("working tree (uncommitted, no commit recorded)"))
    }

    @Test func allGroupsWritesAFilePerGroup() throws {
        try #require(FileManager.default.fileExists(atPath: sample))
        let directory = try configuration()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try TestSupport.run(
            binary, ["invoice", "--all-groups", "--usage", sample, "--format", "html", "--output-dir", "out"], in: directory)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("wrote 1 invoice for 2023-11"))
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("out/retail.html").path))
    }

    @Test func marginAndCostsReports() throws {
        try #require(FileManager.default.fileExists(atPath: sample))
        let directory = try configuration()
        defer { try? FileManager.default.removeItem(at: directory) }
        let margin = try TestSupport.run(binary, ["report", "margin", "--usage", sample, "--format", "csv"], in: directory)
        #expect(margin.status == 0, "\(margin.stderr)")
        #expect(margin.stdout.contains("retail"))
        let costs = try TestSupport.run(
            binary, ["report", "costs", "--usage", sample, "--group-by", "service,category", "--format", "json"], in: directory)
        #expect(costs.status == 0, "\(costs.stderr)")
        #expect((try? JSONSerialization.jsonObject(with: Data(costs.stdout.utf8))) != nil)
        let bad = try TestSupport.run(binary, ["report", "costs", "--usage", sample, "--group-by", "colour"], in: directory)
        #expect(bad.status == 64)
    }

    @Test func numbersOfMoreThanTwentyPlacesAreReadAndCounted() throws {
        let directory = try configuration()
        defer { try? FileManager.default.removeItem(at: directory) }
        let floats = TestSupport.fixtures.appendingPathComponent("floats/cur_float_repr.csv").path
        let result = try TestSupport.run(
            binary, ["invoice", "--group", "retail", "--usage", floats, "--format", "json"], in: directory)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("proforma: note: 193 values were rounded to 20 decimal places"))
        #expect((try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) != nil)
    }

    @Test func usageGivenTwiceIsRefusedNamingBothFiles() throws {
        let directory = try configuration()
        defer { try? FileManager.default.removeItem(at: directory) }
        let twice = try TestSupport.run(
            binary, ["invoice", "--group", "retail", "--usage", sample, "--usage", sample], in: directory)
        #expect(twice.status == 1)
        #expect(twice.stdout.isEmpty)
        #expect(twice.stderr.contains("\(sample): the same data as \(sample), given before"))
        #expect(twice.stderr.contains("--usage"))
        // A copy under another name, and a second delivery holding one line item of the first.
        let copy = directory.appendingPathComponent("copy.csv")
        try FileManager.default.copyItem(atPath: sample, toPath: copy.path)
        let copied = try TestSupport.run(
            binary, ["report", "margin", "--usage", sample, "--usage", "copy.csv"], in: directory)
        #expect(copied.status == 1)
        #expect(copied.stderr.contains("copy.csv: the same data as \(sample)"))
        let lines = try String(contentsOfFile: sample, encoding: .utf8).split(separator: "\n")
        try (lines[0] + "\n" + lines[5] + "\n").write(to: copy, atomically: true, encoding: .utf8)
        let again = try TestSupport.run(
            binary, ["invoice", "--group", "retail", "--usage", sample, "--usage", "copy.csv"], in: directory)
        #expect(again.status == 1)
        #expect(again.stderr.contains("copy.csv:2: the line item identity/LineItemId"))
        #expect(again.stderr.contains("was read before from \(sample):6"))
        let alone = try TestSupport.run(binary, ["invoice", "--group", "retail", "--usage", "copy.csv"], in: directory)
        #expect(alone.status == 0, "\(alone.stderr)")
    }

    @Test func badInputsEndInOneClearLine() throws {
        let directory = try configuration()
        defer { try? FileManager.default.removeItem(at: directory) }
        // No usage data configured: the scaffold's sample taken out of the project.
        let project = directory.appendingPathComponent("proforma.yaml")
        let listed = try String(contentsOf: project, encoding: .utf8)
        let unlisted = listed.replacingOccurrences(
            of: #"usage:\n(  #.*\n)?  - path: usage/cur-[0-9-]+\.csv\n"#, with: "usage: []\n", options: .regularExpression)
        #expect(unlisted != listed)
        try unlisted.write(to: project, atomically: true, encoding: .utf8)
        let none = try TestSupport.run(binary, ["invoice", "--group", "retail"], in: directory)
        #expect(none.status == 1)
        #expect(none.stderr.contains("no usage data"))
        // Not a usage file.
        let notUsage = TestSupport.sample("aws_productcode_to_focus_servicecategory_focus_converters.csv")
        let wrong = try TestSupport.run(binary, ["invoice", "--group", "retail", "--usage", notUsage], in: directory)
        #expect(wrong.status == 1)
        #expect(wrong.stderr.contains("not a usage file"))
        // A bad number, with file, row and column; skipped with --skip-invalid-rows.
        let csv = directory.appendingPathComponent("bad.csv")
        try """
            bill/BillingPeriodStartDate,lineItem/UsageAccountId,lineItem/LineItemType,lineItem/ProductCode,lineItem/UnblendedCost,lineItem/CurrencyCode,pricing/publicOnDemandCost
            2026-10-01T00:00:00Z,111111111111,Usage,AmazonEC2,1.50,USD,2.00
            2026-10-01T00:00:00Z,111111111111,Usage,AmazonEC2,abc,USD,2.00

            """.write(to: csv, atomically: true, encoding: .utf8)
        let bad = try TestSupport.run(binary, ["invoice", "--group", "retail", "--usage", csv.path], in: directory)
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("bad.csv:3"))
        #expect(bad.stderr.split(separator: "\n").count <= 2)
        let skipped = try TestSupport.run(
            binary, ["invoice", "--group", "retail", "--usage", csv.path, "--skip-invalid-rows"], in: directory)
        #expect(skipped.status == 0, "\(skipped.stderr)")
        #expect(skipped.stderr.contains("1"))
        // A period without data is refused, naming the periods the data covers; asked for, it invoices the flat fee.
        let refused = try TestSupport.run(
            binary, ["invoice", "--group", "retail", "--usage", csv.path, "--skip-invalid-rows", "--period", "2026-11"], in: directory)
        #expect(refused.status == 1)
        #expect(refused.stdout.isEmpty)
        #expect(refused.stderr.contains("no usage lines for 2026-11: the usage data covers 2026-10"))
        #expect(refused.stderr.contains("--allow-empty-period"))
        let empty = try TestSupport.run(
            binary,
            ["invoice", "--group", "retail", "--usage", csv.path, "--skip-invalid-rows", "--period", "2026-11", "--allow-empty-period"],
            in: directory)
        #expect(empty.status == 0, "\(empty.stderr)")
        #expect(empty.stdout.contains("50.00"))
        let badPeriod = try TestSupport.run(binary, ["invoice", "--group", "retail", "--usage", csv.path, "--period", "2026-13"], in: directory)
        #expect(badPeriod.status == 64)
    }
}

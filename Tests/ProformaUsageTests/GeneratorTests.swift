import Foundation
import ProformaCore
import ProformaTestSupport
import ProformaUsage
import Testing

/// `proforma-bench usage`, end to end: the built generator writes each format, and `UsageReader` reads it back.
@Suite struct UsageGeneratorTests {
    /// The built `proforma-bench`, beside the test bundle (found as `TestSupport.proformaBinary` finds `proforma`).
    static var binary: URL? {
        let folders = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(), Bundle.main.bundleURL,
            Bundle.main.bundleURL.deletingLastPathComponent(),
        ]
        for folder in folders {
            let url = folder.appendingPathComponent("proforma-bench")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return nil
    }

    struct Generated {
        var path: String
        /// The temporary folder that holds the file; removed by `remove()`.
        var directory: URL
        /// The key=value pairs of the summary line.
        var summary: [String: String]
        var bytes: [UInt8] { Array(FileManager.default.contents(atPath: path) ?? Data()) }

        func remove() { try? FileManager.default.removeItem(at: directory) }
    }

    /// Runs `proforma-bench usage` with `arguments` plus `-o` a new file named `name`.
    static func generate(_ name: String, _ arguments: [String]) throws -> Generated {
        let binary = try #require(binary, "proforma-bench was not built beside the tests")
        let directory = try Scratch.directory()
        let path = directory.appendingPathComponent(name).path
        let result = try TestSupport.run(binary, ["usage"] + arguments + ["-o", path])
        guard result.status == 0 else {
            try? FileManager.default.removeItem(at: directory)
            throw TestFailure("proforma-bench usage failed: \(result.stderr)")
        }
        let line = try #require(result.stderr.split(separator: "\n").last { $0.hasPrefix("proforma-bench usage:") })
        var summary: [String: String] = [:]
        for pair in line.split(separator: " ").dropFirst(2) {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { summary[String(parts[0])] = String(parts[1]) }
        }
        return Generated(path: path, directory: directory, summary: summary)
    }

    static func read(_ path: String) throws -> (lines: [UsageLine], summary: UsageReadSummary) {
        let reader = try UsageReader(path: path)
        var lines: [UsageLine] = []
        while let line = try reader.next() { lines.append(line) }
        return (lines, reader.summary)
    }

    static let formats: [(option: String, format: UsageFormat)] = [("cur", .cur), ("cur2", .cur2), ("focus", .focus)]

    /// The line item types a reader can tell apart in each format (FOCUS has no negation, refund or EDP types:
    /// negations are covered usage with a negative cost, refunds Adjustment rows, EDP discounts Credit rows).
    static func expectedTypes(_ format: UsageFormat) -> Set<LineItemType> {
        if format == .focus {
            return [
                .usage, .discountedUsage, .savingsPlanCoveredUsage, .riFee, .savingsPlanRecurringFee,
                .savingsPlanUpfrontFee, .fee, .tax, .credit, .other("Adjustment"),
            ]
        }
        return [
            .usage, .discountedUsage, .savingsPlanCoveredUsage, .savingsPlanNegation, .riFee,
            .savingsPlanRecurringFee, .savingsPlanUpfrontFee, .fee, .tax, .credit, .refund, .edpDiscount,
        ]
    }

    @Test(arguments: formats.map(\.option))
    func everyFormatReadsBackWithEveryKindOfLine(option: String) throws {
        let format = try #require(Self.formats.first { $0.option == option }?.format)
        let generated = try Self.generate(
            "usage-\(option).csv", ["--format", option, "--rows", "4000", "--seed", "7", "--period", "2024-11,2024-12"])
        defer { generated.remove() }
        let (lines, summary) = try Self.read(generated.path)

        #expect(summary.format == format)
        #expect(!summary.isCompressed)
        #expect(summary.rowsRead == 4000)
        #expect(lines.count == 4000)
        #expect(summary.rowsSkipped == 0)
        #expect(summary.currencies == ["USD"])
        #expect(summary.periods == [BillingPeriod(year: 2024, month: 11)!, BillingPeriod(year: 2024, month: 12)!])
        #expect(summary.absentFields.isEmpty)
        #expect(summary.header.count == Int(generated.summary["columns"] ?? ""))
        #expect(summary.bytesRead == Int(generated.summary["csv_bytes"] ?? ""))

        #expect(Set(lines.map(\.lineItemType)) == Self.expectedTypes(format))
        // Commitment owners, taken from the ARNs, sometimes another account than the usage account.
        let covered = lines.filter { !$0.commitmentOwnerAccountID.isEmpty }
        #expect(!covered.isEmpty)
        #expect(covered.allSatisfy { $0.commitmentOwnerAccountID.count == 12 })
        #expect(covered.contains { $0.commitmentOwnerAccountID != $0.usageAccountID })
        // Free lines: Usage at actual cost 0 with a public cost above 0.
        #expect(
            lines.contains {
                $0.lineItemType == .usage && $0.actualCost.isZero && ($0.publicOnDemandCost?.signum ?? 0) > 0
            })
        // Usage lines without a public cost occur, rarely.
        let missing = lines.filter { $0.lineItemType == .usage && $0.publicOnDemandCost == nil }
        #expect(!missing.isEmpty && missing.count < 40)
        #expect(lines.contains { $0.billingEntity == "AWS Marketplace" && $0.lineItemType == .usage })
        #expect(lines.contains { $0.serviceCode == "AWSSupportBusiness" || $0.serviceCode == "AWSDeveloperSupport" })
        #expect(lines.contains { $0.serviceCode == "AmazonRoute53" && $0.lineItemType == .fee })
        #expect(Set(lines.map(\.serviceCode)).count >= 15)
        #expect(Set(lines.map(\.usageType)).count >= 50)
        #expect(Set(lines.map(\.usageAccountID)).count >= 50)
        #expect(Set(lines.compactMap(\.payerAccountID)).count == 1)

        // The amounts read back are the amounts written.
        var actual = ExactDecimal.zero
        var publicCost = ExactDecimal.zero
        for line in lines {
            actual += line.actualCost
            if let cost = line.publicOnDemandCost { publicCost += cost }
        }
        #expect(actual == ExactDecimal(generated.summary["unblended"] ?? ""))
        #expect(publicCost == ExactDecimal(generated.summary["public"] ?? ""))
    }

    @Test func theLegacyFormatIsWideQuotedAndUsesScientificNotation() throws {
        let generated = try Self.generate("usage.csv", ["--format", "cur", "--rows", "2000"])
        defer { generated.remove() }
        let text = String(decoding: generated.bytes, as: UTF8.self)
        let header = try #require(text.split(separator: "\n").first).split(separator: ",")
        #expect(header.count >= 150)
        for name in [
            "identity/LineItemId", "bill/BillingPeriodStartDate", "bill/PayerAccountId", "bill/BillingEntity",
            "lineItem/UsageAccountId", "lineItem/LineItemType", "lineItem/ProductCode", "lineItem/UsageType",
            "lineItem/Operation", "lineItem/UsageAmount", "lineItem/UnblendedCost", "lineItem/CurrencyCode",
            "lineItem/LineItemDescription", "pricing/publicOnDemandCost", "reservation/ReservationARN",
            "savingsPlan/SavingsPlanARN",
        ] {
            #expect(header.contains(Substring(name)), "no \(name)")
        }
        #expect(text.contains("E-7,") || text.contains("E-8,"), "no number in scientific notation")
        #expect(text.contains("\"\""), "no doubled quote inside a quoted field")
        #expect(text.contains(",\"USD 0.0 hourly fee per Linux/UNIX (Amazon VPC), "), "no quoted comma")
    }

    @Test func theSameSeedGivesTheSameBytesAndAnotherSeedOthers() throws {
        for option in ["cur", "focus"] {
            let arguments = ["--format", option, "--rows", "1500", "--period", "2025-03"]
            let first = try Self.generate("a.csv", arguments + ["--seed", "42"])
            let again = try Self.generate("b.csv", arguments + ["--seed", "42"])
            let other = try Self.generate("c.csv", arguments + ["--seed", "43"])
            defer { [first, again, other].forEach { $0.remove() } }
            #expect(!first.bytes.isEmpty)
            #expect(first.bytes == again.bytes)
            #expect(first.bytes != other.bytes)
        }
    }

    @Test func aSeedGivesTheSameChargesInEveryFormat() throws {
        var totals: Set<[String?]> = []
        for option in Self.formats.map(\.option) {
            let generated = try Self.generate("\(option).csv", ["--format", option, "--rows", "1000", "--seed", "5"])
            generated.remove()
            totals.insert([generated.summary["unblended"], generated.summary["public"]])
        }
        #expect(totals.count == 1)
    }

    @Test(arguments: formats.map(\.option))
    func gzipRoundTrips(option: String) throws {
        let arguments = ["--format", option, "--rows", "3000", "--seed", "9"]
        let plain = try Self.generate("plain.csv", arguments)
        let compressed = try Self.generate("packed.csv.gz", arguments + ["--gzip"])
        defer { [plain, compressed].forEach { $0.remove() } }
        let packed = compressed.bytes
        #expect(packed.starts(with: [0x1F, 0x8B]))
        #expect(packed.count < plain.bytes.count / 2)
        #expect(compressed.summary["csv_bytes"] == String(plain.bytes.count))
        #expect(compressed.summary["file_bytes"] == String(packed.count))

        let (plainLines, _) = try Self.read(plain.path)
        let (packedLines, summary) = try Self.read(compressed.path)
        #expect(summary.isCompressed)
        #expect(summary.bytesRead == plain.bytes.count)
        #expect(packedLines == plainLines)
        // The system's gzip agrees.
        let gzip = try #require(
            ["/bin/gzip", "/usr/bin/gzip"].first { FileManager.default.isExecutableFile(atPath: $0) })
        let result = try TestSupport.run(URL(fileURLWithPath: gzip), ["-t", compressed.path])
        #expect(result.status == 0, "gzip -t: \(result.stderr)")
    }

    /// With `--accounts-from`, the accounts are the configuration's; commitments are owned inside the usage
    /// account's billing group and in other groups, and accounts in no group occur.
    @Test func accountsComeFromAConfiguration() throws {
        let configuration = TestSupport.packageRoot.appendingPathComponent("examples/msp")
        try #require(FileManager.default.fileExists(atPath: configuration.appendingPathComponent("proforma.yaml").path))
        let generated = try Self.generate(
            "msp.csv", ["--format", "cur", "--rows", "6000", "--accounts-from", configuration.path])
        defer { generated.remove() }
        let (lines, _) = try Self.read(generated.path)

        // The group of each account, from the cost category column (the billing group's name, empty for none).
        let csv = try CSVReader(path: generated.path, name: "msp.csv")
        #expect(try csv.next())
        let accountColumn = try #require(csv.fields.firstIndex(of: "lineItem/UsageAccountId"))
        let groupColumn = try #require(csv.fields.firstIndex(of: "costCategory/BusinessUnit"))
        var groups: [String: String] = [:]
        while try csv.next() { groups[csv.fields[accountColumn]] = csv.fields[groupColumn] }

        let text = try String(contentsOf: configuration.appendingPathComponent("proforma.yaml"), encoding: .utf8)
        #expect(text.contains("payer_account_id: \"740019283746\""))
        #expect(Set(lines.compactMap(\.payerAccountID)) == ["740019283746"])
        #expect(groups["381204957716"] == "harbor-logistics", "harbor-prod is in the harbor-logistics group")
        #expect(groups.values.contains(""), "no account in no group")
        #expect(Set(groups.values.filter { !$0.isEmpty }).count >= 3)

        let covered = lines.filter {
            ($0.lineItemType == .discountedUsage || $0.lineItemType == .savingsPlanCoveredUsage)
                && groups[$0.usageAccountID] != ""
        }
        #expect(covered.contains { groups[$0.commitmentOwnerAccountID] == groups[$0.usageAccountID] })
        #expect(covered.contains { groups[$0.commitmentOwnerAccountID] != groups[$0.usageAccountID] })
    }

    @Test func badOptionsAreRefused() throws {
        let binary = try #require(Self.binary, "proforma-bench was not built beside the tests")
        for arguments in [
            ["--format", "csv", "--rows", "10", "-o", "/dev/null"], ["--format", "cur", "-o", "/dev/null"],
            ["--format", "cur", "--rows", "10"], ["--format", "cur", "--rows", "10", "--period", "2025-13", "-o", "x"],
            ["--format", "cur", "--rows", "ten", "-o", "/dev/null"], ["--frmat", "cur"],
        ] {
            let result = try TestSupport.run(binary, ["usage"] + arguments)
            #expect(result.status == 64, "\(arguments)")
            #expect(result.stderr.hasPrefix("proforma-bench usage: "), "\(arguments)")
        }
        let help = try TestSupport.run(binary, ["usage", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("--accounts-from"))
    }
}

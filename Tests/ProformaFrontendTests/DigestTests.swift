import Foundation
import ProformaCore
import ProformaDigest
import ProformaEngine
import ProformaFrontend
import ProformaModel
import ProformaTestSupport
import ProformaUsage
import Testing

/// Results compared to the last decimal: equal values, and equal as written (so `1.50` and `1.5` differ too).
func expectIdentical(
    _ digest: BillingResult, _ raw: BillingResult, _ context: String,
    sourceLocation: Testing.SourceLocation = #_sourceLocation
) {
    let differing = zip(digest.groups, raw.groups).filter { $0 != $1 }.map { "\($0.0.group) \($0.0.period)" }
    let equal = digest == raw
    #expect(equal, "\(context): the results differ (groups: \(differing))", sourceLocation: sourceLocation)
    let written = String(describing: digest) == String(describing: raw)
    #expect(written, "\(context): the results are written differently", sourceLocation: sourceLocation)
}

/// Lines priced from a digest and from the data give the same results to the last decimal.
@Suite struct DigestExactnessTests {
    /// A configuration that puts the accounts of `lines` into two groups (every third one in none), with a markup
    /// whose factor has more places than a line keeps (so every line's amount is rounded), a service discount, custom
    /// tiers and a percentage fee.
    static func configuration(for lines: [UsageLine]) -> Configuration {
        var accounts: [String] = []
        var seen = Set<String>()
        for line in lines where seen.insert(line.usageAccountID).inserted { accounts.append(line.usageAccountID) }
        let groupA = accounts.enumerated().filter { $0.offset % 3 == 0 }.map(\.element)
        let groupB = accounts.enumerated().filter { $0.offset % 3 == 1 }.map(\.element)
        var groups: [BillingGroup] = []
        if let first = groupA.first {
            groups.append(BillingGroup(name: "a", primaryAccountID: first, accountIDs: groupA, pricingPlan: "p"))
        }
        if let first = groupB.first {
            groups.append(BillingGroup(name: "b", primaryAccountID: first, accountIDs: groupB, pricingPlan: "q"))
        }
        let tiered = lines.first { $0.lineItemType == .usage && !$0.usageType.isEmpty }
        var rules = [
            PricingRule(name: "markup", scope: .global, type: .markup, modifierPercentage: ExactDecimal("7.33")!),
            PricingRule(
                name: "ec2", scope: .service, type: .discount, modifierPercentage: ExactDecimal("2.5")!,
                service: "AmazonEC2"),
            PricingRule(name: "lean", scope: .global, type: .discount, modifierPercentage: ExactDecimal("11.11")!),
        ]
        if let tiered {
            rules.append(
                PricingRule(
                    name: "tiers", scope: .sku, type: .tiering, service: tiered.serviceCode,
                    usageType: tiered.usageType,
                    tiering: Tiering(
                        tiers: [
                            PricingTier(begin: .zero, end: ExactDecimal(10), rateValue: ExactDecimal("0.0123456789")!),
                            PricingTier(begin: ExactDecimal(10), end: nil, rateValue: ExactDecimal("0.0098765431")!),
                        ])))
        }
        return Configuration(
            billingGroups: groups,
            pricingPlans: [
                PricingPlan(name: "p", pricingRules: ["markup", "ec2"] + (tiered == nil ? [] : ["tiers"])),
                PricingPlan(name: "q", pricingRules: ["lean"]),
            ],
            pricingRules: rules,
            customLineItems: groups.map {
                CustomLineItem(
                    name: "fee-\($0.name)", billingGroup: $0.name, type: .fee,
                    charge: .percentage(percentageValue: ExactDecimal("3.21")!, associatedValues: [$0.name]))
            })
    }

    /// Prices `lines` one by one, and through a digest written to disk and read back; returns both results.
    static func bothWays(_ lines: [UsageLine], configuration: Configuration) throws -> (
        raw: BillingResult, digest: BillingResult, digestLines: [DigestLine]
    ) {
        let raw = PricingEngine(configuration: configuration)
        for line in lines { try raw.add(line, source: "data:\(line.row)") }
        var aggregator = UsageAggregator()
        for line in lines { aggregator.add(line, input: 0) }
        let folder = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let digest = UsageDigest(
            hash: String(repeating: "ab", count: 32),
            sources: [DigestSource(stamp: FileStamp(path: "/data", size: 1, modified: 2), name: "data", sha256: "00")],
            skipInvalidRows: false, rowsRead: lines.count, rowsSkipped: 0, readingWarnings: [], readingNotes: [],
            lines: aggregator.lines)
        let url = try DigestStore.write(digest, in: folder)
        let read = try DigestStore.read(at: url)
        #expect(read.lines == aggregator.lines, "the digest reads back as written")
        #expect(read.lines.map(\.count).reduce(0, +) == lines.count)
        let counted = PricingEngine(configuration: configuration)
        for entry in read.lines {
            try counted.add(
                entry.line, count: entry.count, entry.summed ? .summed : .equal,
                quantityMagnitude: entry.quantityMagnitude, source: "data:\(entry.line.row)")
        }
        return (try raw.result(), try counted.result(), read.lines)
    }

    static let samples = [
        "aws_cur_legacy_anonymized_2023-11_focus_converters.csv", "focus_sample_1.0_1000.csv",
        "koku_aws_2022-07-01_snakecase_154cols.csv", "koku_aws_2023-06-01_legacy_201cols_savingsplan.csv",
        "koku_test_cur_legacy_131cols.csv",
    ]

    static func readAll(_ path: String) throws -> [UsageLine] {
        let reader = try UsageReader(path: path)
        var lines: [UsageLine] = []
        while let line = try reader.next() { lines.append(line) }
        return lines
    }

    @Test(arguments: samples)
    func realSample(_ name: String) throws {
        let lines = try Self.readAll(TestSupport.samples.appendingPathComponent(name).path)
        try #require(!lines.isEmpty)
        let (raw, digest, digestLines) = try Self.bothWays(lines, configuration: Self.configuration(for: lines))
        #expect(!raw.groups.isEmpty)
        expectIdentical(digest, raw, name)
        #expect(digestLines.count <= lines.count)
    }

    /// Hourly usage: few distinct lines repeated with the same costs, quantities varying, amounts of up to 12
    /// places (so each line's amount is rounded), free-tier lines, lines without a public cost, commitments.
    static func hourlyUsage(seed: UInt64, rows: Int) -> [UsageLine] {
        var random = Mutator(seed: seed)
        let accounts = ["111111111111", "222222222222", "333333333333", "444444444444", "555555555555"]
        let services = ["AmazonEC2", "AmazonS3", "AmazonRDS", "AWSLambda", "AmazonCloudFront"]
        let types: [LineItemType] = [
            .usage, .usage, .usage, .usage, .discountedUsage, .savingsPlanCoveredUsage, .savingsPlanNegation, .riFee,
            .credit, .tax,
        ]
        let periods = [BillingPeriod("2026-09")!, BillingPeriod("2026-10")!]
        func amount() -> ExactDecimal {
            ExactDecimal(
                significand: Int128(Int64.random(in: 1...99_999_999, using: &random)),
                scale: Int.random(in: 4...12, using: &random))
        }
        var templates: [UsageLine] = []
        for _ in 0..<60 {
            let type = types.randomElement(using: &random)!
            let negative = type == .credit || type == .savingsPlanNegation
            var publicCost: ExactDecimal? = amount()
            var actual = amount()
            switch Int.random(in: 0..<8, using: &random) {
            case 0: publicCost = nil
            case 1: actual = .zero  // free tier
            default: break
            }
            if negative {
                actual = -actual
                publicCost = publicCost.map { -$0 }
            }
            let account = accounts.randomElement(using: &random)!
            templates.append(
                UsageLine(
                    row: 0, period: periods.randomElement(using: &random)!, usageAccountID: account,
                    payerAccountID: "999999999999", lineItemType: type,
                    serviceCode: services.randomElement(using: &random)!,
                    usageType: ["USE1-BoxUsage:m5.large", "TimedStorage-ByteHrs"].randomElement(using: &random)!,
                    operation: "RunInstances", publicOnDemandCost: publicCost, actualCost: actual,
                    usageAmount: nil, currency: "USD",
                    commitmentOwnerAccountID: type == .riFee || type == .discountedUsage
                        ? accounts.randomElement(using: &random)! : ""))
        }
        /// A cost of the same sign and at most 6 places as `value`: lines of such costs are summed, not counted.
        func varied(_ value: ExactDecimal) -> ExactDecimal {
            guard !value.isZero else { return value }
            let other = ExactDecimal(
                significand: Int128(Int64.random(in: 1...99_999_999, using: &random)),
                scale: Int.random(in: 0...6, using: &random))
            return value.isNegative ? -other : other
        }
        return (0..<rows).map { row in
            var line = templates.randomElement(using: &random)!
            line.row = row + 2
            if line.actualCost.scale <= 6 && (line.publicOnDemandCost?.scale ?? 0) <= 6
                && Bool.random(using: &random)
            {
                line.actualCost = varied(line.actualCost)
                line.publicOnDemandCost = line.publicOnDemandCost.map(varied)
            }
            line.usageAmount =
                Int.random(in: 0..<10, using: &random) == 0
                ? nil
                : ExactDecimal(
                    significand: Int128(Int64.random(in: 0...9_999_999, using: &random)),
                    scale: Int.random(in: 0...8, using: &random))
            return line
        }
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func generatedHourlyUsage(seed: UInt64) throws {
        let lines = Self.hourlyUsage(seed: seed, rows: 20_000)
        let configuration = Self.configuration(for: lines)
        let (raw, digest, digestLines) = try Self.bothWays(lines, configuration: configuration)
        expectIdentical(digest, raw, "seed \(seed)")
        // Lines of up to 6 places are summed whatever their costs; the others merge only when equal.
        let summedTwice = digestLines.filter { $0.summed && $0.count > 1 }
        #expect(!summedTwice.isEmpty)
        #expect(digestLines.contains { !$0.summed && $0.count > 1 })
        #expect(digestLines.count <= 60, "20,000 rows of 60 distinct lines make at most 60 digest lines")
        // Summed lines stand for lines of different costs.
        let first = try #require(summedTwice.first)
        let costs = Set(
            lines.filter {
                $0.row >= first.line.row && $0.usageAccountID == first.line.usageAccountID
                    && $0.serviceCode == first.line.serviceCode && $0.usageType == first.line.usageType
                    && $0.lineItemType == first.line.lineItemType && $0.period == first.line.period
            }.map(\.actualCost))
        #expect(costs.count > 1 || first.line.actualCost.isZero)
        // The results are not trivially equal: the rules round amounts, and summing bases before pricing them (one
        // line of the summed costs per key) would come out differently.
        var summed: [String: UsageLine] = [:]
        for line in lines {
            let key = [
                line.period.description, line.usageAccountID, line.lineItemType.rawValue, line.serviceCode,
                line.usageType, line.commitmentOwnerAccountID, line.publicOnDemandCost == nil ? "-" : "+",
                line.actualCost.isZero ? "0" : "1",
            ].joined(separator: "|")
            if var known = summed[key] {
                known.actualCost += line.actualCost
                known.publicOnDemandCost = known.publicOnDemandCost.map { $0 + (line.publicOnDemandCost ?? .zero) }
                summed[key] = known
            } else {
                summed[key] = line
            }
        }
        let naive = PricingEngine(configuration: configuration)
        for line in summed.values { try naive.add(line, source: "summed") }
        let naiveResult = try naive.result()
        #expect(
            naiveResult.groups.map(\.proFormaCost) != raw.groups.map(\.proFormaCost),
            "pricing summed bases differs from pricing each line")
    }

    @Test func theDigestSumsWhatTheEngineSums() {
        #expect(UsageAggregator.summableScale == PricingEngine.summableScale)
    }

    @Test func summedCostsOfMorePlacesAreRefused() throws {
        var line = Self.hourlyUsage(seed: 9, rows: 1)[0]
        line.actualCost = ExactDecimal("1.1234567")!
        let engine = PricingEngine(configuration: Self.configuration(for: [line]))
        let error = #expect(throws: EngineError.self) { try engine.add(line, count: 2, .summed, source: "x:3") }
        #expect(error?.message == "x:3: summed costs have more than 6 decimal places")
    }

    @Test func aCountIsAtLeastOne() throws {
        let lines = Self.hourlyUsage(seed: 9, rows: 1)
        let engine = PricingEngine(configuration: Self.configuration(for: lines))
        #expect(throws: EngineError.self) { try engine.add(lines[0], count: 0, source: "x:1") }
    }

    @Test func aCountBeyondTheExactRangeIsAnError() throws {
        var line = Self.hourlyUsage(seed: 9, rows: 1)[0]
        line.actualCost = ExactDecimal("999999999999.99999999999999999999")!
        let engine = PricingEngine(configuration: Self.configuration(for: [line]))
        let error = #expect(throws: EngineError.self) { try engine.add(line, count: Int.max, source: "x:2") }
        #expect(error?.message.hasPrefix("x:2: the amounts of the usage data add up to more than 10^17") == true)
    }
}

/// `usage import` and the commands that read its digest, through the frontend.
@Suite struct DigestUseTests {
    /// A copy of an example in a new temporary folder.
    static func copy(_ example: String) throws -> URL {
        let directory = try TestSupport.temporaryDirectory()
        let copy = directory.appendingPathComponent(example)
        try FileManager.default.copyItem(
            at: TestSupport.packageRoot.appendingPathComponent("examples/\(example)"), to: copy)
        try? FileManager.default.removeItem(at: copy.appendingPathComponent(".proforma"))
        return copy
    }

    static func frontend(_ directory: URL) throws -> Frontend {
        try Frontend(WorkspaceOptions(directory: directory.path), toolVersion: "test")
    }

    @Test(arguments: ["msp", "enterprise"])
    func examplesPriceTheSameFromTheirDigest(_ example: String) throws {
        let copy = try Self.copy(example)
        defer { try? FileManager.default.removeItem(at: copy.deletingLastPathComponent()) }
        let frontend = try Self.frontend(copy)
        let request = PricingRequest(periods: .all)
        let raw = try frontend.price(request)
        #expect(raw.digest == nil)
        let imported = try frontend.importUsage(UsageSelection())
        #expect(!imported.reused)
        #expect(imported.fileName == ".proforma/digests/\(imported.hash).sqlite")
        #expect(imported.lines < imported.rowsRead)
        let fromDigest = try frontend.price(request)
        #expect(fromDigest.digest == imported.fileName)
        #expect(fromDigest.digestProblems.isEmpty)
        expectIdentical(fromDigest.result, raw.result, example)
        #expect(fromDigest.readingWarnings == raw.readingWarnings)
        #expect(fromDigest.readingNotes == raw.readingNotes)
        #expect(fromDigest.serviceNames == raw.serviceNames)
        #expect(!raw.serviceNames.fromData.isEmpty)
        #expect(fromDigest.periodsInData == raw.periodsInData)
        for group in raw.configuration.billingGroups {
            for period in raw.periods {
                #expect(try fromDigest.invoice(group.name, period: period) == raw.invoice(group.name, period: period))
            }
        }
    }

    /// A small project of one group with two usage files.
    static func project() throws -> URL {
        var files = Sample.files()
        files["proforma.yaml"] = Sample.project.replacingOccurrences(
            of: "  - path: usage/cur.csv\n", with: "  - path: usage/cur.csv\n  - path: usage/more.csv\n")
        files["usage/more.csv"] = """
            bill/BillingPeriodStartDate,lineItem/UsageAccountId,lineItem/LineItemType,lineItem/ProductCode,lineItem/UnblendedCost,lineItem/CurrencyCode,pricing/publicOnDemandCost
            2026-10-01T00:00:00Z,111111111111,Usage,AmazonEC2,0.333333333333,USD,0.3333333333333
            2026-10-01T00:00:00Z,111111111111,Usage,AmazonEC2,0.333333333333,USD,0.3333333333333
            2026-10-01T00:00:00Z,111111111111,Usage,AmazonEC2,0.333333333333,USD,0.3333333333333

            """
        return try Sample.folder(files)
    }

    @Test func aChangedFileIsReadAgainAndImportRefreshesItsDigest() throws {
        let directory = try Self.project()
        defer { try? FileManager.default.removeItem(at: directory) }
        let frontend = try Self.frontend(directory)
        let imported = try frontend.importUsage(UsageSelection())
        #expect(imported.rowsRead == 6)
        #expect(imported.lines == 4, "the three equal lines are one")
        #expect(try frontend.price(PricingRequest()).digest != nil)
        // A file rewritten with other data: the digest is not used, and the new data is priced.
        let more = directory.appendingPathComponent("usage/more.csv")
        let text = try String(contentsOf: more, encoding: .utf8)
        try text.replacingOccurrences(of: "0.333333333333,USD", with: "0.444444444444,USD")
            .write(to: more, atomically: true, encoding: .utf8)
        let changed = try frontend.price(PricingRequest())
        #expect(changed.digest == nil)
        let cost = try #require(changed.result.group("retail", period: BillingPeriod("2026-10")!)).awsCost
        #expect(cost == ExactDecimal("100.333333333332")!)
        // The same bytes with a new modification time: not used until imported again, which reads nothing.
        try text.write(to: more, atomically: true, encoding: .utf8)
        #expect(try frontend.price(PricingRequest()).digest == nil)
        let again = try frontend.importUsage(UsageSelection())
        #expect(again.reused)
        #expect(again.hash == imported.hash)
        let priced = try frontend.price(PricingRequest())
        #expect(priced.digest == imported.fileName)
        // Named in another order, the files are read.
        let reordered = try frontend.price(
            PricingRequest(usage: UsageSelection(files: ["usage/more.csv", "usage/cur.csv"])))
        #expect(reordered.digest == nil)
        expectIdentical(reordered.result, priced.result, "the order of the files")
    }

    @Test func aCorruptDigestIsPassedOverWithANote() throws {
        let directory = try Self.project()
        defer { try? FileManager.default.removeItem(at: directory) }
        let frontend = try Self.frontend(directory)
        let raw = try frontend.price(PricingRequest())
        let imported = try frontend.importUsage(UsageSelection())
        for damage in ["not a database at all", ""] {
            try damage.write(to: imported.file, atomically: true, encoding: .utf8)
            let priced = try frontend.price(PricingRequest())
            #expect(priced.digest == nil)
            #expect(priced.digestProblems.count == 1)
            let problem = try #require(priced.digestProblems.first)
            #expect(problem.hasPrefix("\(imported.file.path) is not a usable digest: "))
            #expect(!problem.contains("\n"))
            expectIdentical(priced.result, raw.result, "a corrupt digest")
        }
        // A digest whose lines were tampered with is passed over as a whole, never half read.
        _ = try frontend.importUsage(UsageSelection())
        let sqlite = Process()
        sqlite.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        sqlite.arguments = ["sqlite3", imported.file.path, "UPDATE line SET actual_cost = 'x' WHERE position = 3"]
        try sqlite.run()
        sqlite.waitUntilExit()
        if sqlite.terminationStatus == 0 {
            let priced = try frontend.price(PricingRequest())
            #expect(priced.digest == nil)
            #expect(priced.digestProblems.first?.contains("line 3 holds \"x\" where an exact decimal belongs") == true)
            expectIdentical(priced.result, raw.result, "a tampered digest")
        }
    }

    @Test func importRefusesTheSameDataTwice() throws {
        let directory = try Self.project()
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.copyItem(
            at: directory.appendingPathComponent("usage/cur.csv"), to: directory.appendingPathComponent("copy.csv"))
        let frontend = try Self.frontend(directory)
        let error = #expect(throws: UsageError.self) {
            try frontend.importUsage(UsageSelection(files: ["usage/cur.csv", "copy.csv"]))
        }
        #expect(error?.description.contains("the same data as usage/cur.csv") == true)
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent(".proforma/digests").path))
        #expect(throws: UserError.self) { try frontend.importUsage(UsageSelection(files: ["-"])) }
    }

    @Test func aPricingErrorIsTheSameFromTheDigest() throws {
        let usage = Sample.usage + "2026-10-01T00:00:00Z,111111111111,Usage,AmazonEC2,1.00,EUR,1.00\n"
        let directory = try Sample.folder(Sample.files(), usage: usage)
        defer { try? FileManager.default.removeItem(at: directory) }
        let frontend = try Self.frontend(directory)
        let raw = #expect(throws: EngineError.self) { try frontend.price(PricingRequest()) }
        #expect(raw?.message.contains("has lines in two currencies in 2026-10") == true)
        _ = try frontend.importUsage(UsageSelection())
        let fromDigest = #expect(throws: EngineError.self) { try frontend.price(PricingRequest()) }
        #expect(fromDigest?.message == raw?.message)
    }

    @Test func roundedValuesAreNotedAsFromTheData() throws {
        let directory = try Sample.folder(Sample.files())
        defer { try? FileManager.default.removeItem(at: directory) }
        let floats = directory.appendingPathComponent("floats.csv")
        try FileManager.default.copyItem(
            at: TestSupport.fixtures.appendingPathComponent("floats/cur_float_repr.csv"), to: floats)
        let frontend = try Self.frontend(directory)
        let request = PricingRequest(usage: UsageSelection(files: ["floats.csv"]), periods: .all)
        let raw = try frontend.price(request)
        #expect(raw.readingNotes.contains { $0.contains("rounded") }, "\(raw.readingNotes)")
        _ = try frontend.importUsage(UsageSelection(files: ["floats.csv"]))
        let priced = try frontend.price(request)
        #expect(priced.digest != nil)
        #expect(priced.readingNotes == raw.readingNotes)
        expectIdentical(priced.result, raw.result, "rounded values")
    }

    @Test func skippedRowsAreReportedAsFromTheData() throws {
        let bad = Sample.usage + "2026-10-01T00:00:00Z,111111111111,Usage,AmazonEC2,twelve,USD,1\n"
        let directory = try Sample.folder(Sample.files(), usage: bad)
        defer { try? FileManager.default.removeItem(at: directory) }
        let frontend = try Self.frontend(directory)
        let skipping = PricingRequest(usage: UsageSelection(skipInvalidRows: true))
        let raw = try frontend.price(skipping)
        #expect(!raw.readingWarnings.isEmpty)
        // Without skipping, the import fails as reading does.
        #expect(throws: UsageError.self) { try frontend.importUsage(UsageSelection()) }
        _ = try frontend.importUsage(UsageSelection(skipInvalidRows: true))
        let priced = try frontend.price(skipping)
        #expect(priced.digest != nil)
        #expect(priced.readingWarnings == raw.readingWarnings)
        expectIdentical(priced.result, raw.result, "skipped rows")
        // A digest that skipped rows does not stand for a run that would stop at them.
        #expect(throws: UsageError.self) { try frontend.price(PricingRequest()) }
    }
}

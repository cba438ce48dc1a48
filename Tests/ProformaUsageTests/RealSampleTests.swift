import Foundation
import ProformaCore
import ProformaUsage
import Testing

/// A deliberately plain CSV parser, separate from the reader under test: the whole file in memory, one byte at a
/// time, quotes toggling a flag. Used to compute expected values independently.
enum PlainCSV {
    static func parse(_ data: [UInt8]) -> [[String]] {
        var bytes = data[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        var records: [[String]] = []
        var record: [String] = []
        var field: [UInt8] = []
        var inQuotes = false
        var previousWasQuote = false
        func endField() {
            record.append(String(decoding: field, as: UTF8.self))
            field = []
        }
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let byte = bytes[i]
            if inQuotes {
                if byte == UInt8(ascii: "\"") {
                    if i + 1 < bytes.endIndex && bytes[i + 1] == UInt8(ascii: "\"") {
                        field.append(byte)
                        i += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    field.append(byte)
                }
            } else if byte == UInt8(ascii: "\"") && field.isEmpty && !previousWasQuote {
                inQuotes = true
            } else if byte == UInt8(ascii: ",") {
                endField()
            } else if byte == UInt8(ascii: "\n") {
                endField()
                if record != [""] { records.append(record) }
                record = []
            } else if byte != UInt8(ascii: "\r") {
                field.append(byte)
            }
            previousWasQuote = byte == UInt8(ascii: "\"")
            i += 1
        }
        if !field.isEmpty || !record.isEmpty {
            endField()
            records.append(record)
        }
        return records
    }
}

/// Sums per line item type (FOCUS: per charge category).
struct TypeSums: Equatable, CustomStringConvertible {
    var rows = 0
    var actual = ExactDecimal.zero
    var publicCost = ExactDecimal.zero

    var description: String { "rows \(rows), actual \(actual.normalized), public \(publicCost.normalized)" }
}

@Suite struct RealSampleTests {
    /// Expected values for the samples, computed with Python's `csv` and `decimal` modules (precision 80):
    ///
    ///     python3 - FILE... <<'EOF'
    ///     import csv, sys; from decimal import Decimal, getcontext; getcontext().prec = 80
    ///     cols = {'cur': ('lineitem/lineitemtype', 'lineitem/unblendedcost', 'pricing/publicondemandcost'),
    ///             'cur2': ('line_item_line_item_type', 'line_item_unblended_cost', 'pricing_public_on_demand_cost'),
    ///             'focus': ('chargecategory', 'billedcost', 'listcost')}
    ///     for f in sys.argv[1:]:
    ///         r = csv.reader(open(f, newline='', encoding='utf-8-sig')); h = [c.strip().lower() for c in next(r)]
    ///         fmt = next(k for k, v in cols.items() if v[1] in h); t, a, p = (h.index(c) for c in cols[fmt])
    ///         sums = {}; n = 0
    ///         for row in r:
    ///             if not row: continue
    ///             n += 1; s = sums.setdefault(row[t], [Decimal(0), Decimal(0)]); s[0] += Decimal(row[a])
    ///             if row[p] not in ('', 'NULL'): s[1] += Decimal(row[p])
    ///         print(f, fmt, n, {k: (str(v[0].normalize()), str(v[1].normalize())) for k, v in sorted(sums.items())})
    ///     EOF
    static let expected: [(file: String, format: UsageFormat, rows: Int, sums: [String: (String, String)])] = [
        (
            "aws_cur_legacy_anonymized_2023-11_focus_converters.csv", .cur, 1281,
            ["Tax": ("0.08", "0"), "Usage": ("1.6023086974", "3.3561726949")]
        ),
        (
            "focus_sample_1.0_1000.csv", .focus, 1000,
            [
                "Adjustment": ("0.272", "0"), "Credit": ("-2.6137", "-2.6137"),
                "Usage": ("22.86192672899", "23.00460575119"),
            ]
        ),
        ("koku_aws_2022-07-01_snakecase_154cols.csv", .cur2, 2, ["Usage": ("0", "0")]),
        ("koku_aws_2023-06-01_legacy_201cols_savingsplan.csv", .cur, 3, ["SavingsPlanCoveredUsage": ("30", "30")]),
        (
            "koku_test_cur_legacy_131cols.csv", .cur, 19,
            ["Usage": ("0.0827499841274349353", "0.0827499841274349353")]
        ),
    ]

    /// Every CSV in the samples folder except the one that is not usage data.
    static var usageFiles: [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: Samples.folder.path) else { return [] }
        return names.filter { $0.hasSuffix(".csv") && !$0.hasPrefix("aws_productcode_to_focus") }.sorted()
    }

    static func readAll(_ path: String) throws(UsageError) -> (lines: [UsageLine], summary: UsageReadSummary) {
        var lines: [UsageLine] = []
        let summary = try UsageReader.read(path: path) { lines.append($0) }
        return (lines, summary)
    }

    static func key(_ line: UsageLine) -> String {
        line.chargeCategory ?? line.lineItemType.rawValue
    }

    static func sums(_ lines: [UsageLine]) -> [String: TypeSums] {
        var sums: [String: TypeSums] = [:]
        for line in lines {
            sums[key(line), default: TypeSums()].rows += 1
            sums[key(line)]!.actual += line.actualCost
            sums[key(line)]!.publicCost += line.publicOnDemandCost ?? .zero
        }
        return sums
    }

    @Test func theSamplesAreAllKnown() throws {
        #expect(Self.usageFiles == Self.expected.map(\.file).sorted())
    }

    @Test(arguments: expected.map(\.file))
    func formatRowCountAndSumsMatchTheDocumentedValues(file: String) throws {
        let expected = Self.expected.first { $0.file == file }!
        let (lines, summary) = try Self.readAll(Samples.path(file))
        #expect(summary.format == expected.format)
        #expect(summary.rowsRead == expected.rows)
        #expect(summary.rowsSkipped == 0)
        #expect(lines.count == expected.rows)
        let sums = Self.sums(lines)
        #expect(Set(sums.keys) == Set(expected.sums.keys))
        for (type, (actual, publicCost)) in expected.sums {
            #expect(sums[type]?.actual == ExactDecimal(actual), "actual cost of \(type)")
            #expect(sums[type]?.publicCost == ExactDecimal(publicCost), "public cost of \(type)")
        }
    }

    /// For every usage file in the folder (also any added later): the reader agrees with the plain parser on the
    /// number of rows, and row by row on the line type, the account, the costs and the currency.
    @Test(arguments: usageFiles)
    func readsLikeAPlainParser(file: String) throws {
        let path = Samples.path(file)
        let records = PlainCSV.parse(Array(try Data(contentsOf: URL(fileURLWithPath: path))))
        let header = records[0].map { $0.lowercased() }
        func column(_ names: String...) throws -> Int {
            try #require(names.lazy.compactMap { header.firstIndex(of: $0) }.first, "no column \(names)")
        }
        let focus = header.contains("billedcost")
        let snake = header.contains("line_item_unblended_cost")
        let type = try focus ? column("chargecategory") : column("lineitem/lineitemtype", "line_item_line_item_type")
        let actual = try column("billedcost", "lineitem/unblendedcost", "line_item_unblended_cost")
        let publicCost = try column("listcost", "pricing/publicondemandcost", "pricing_public_on_demand_cost")
        let account = try column("subaccountid", "lineitem/usageaccountid", "line_item_usage_account_id")
        let currency = try column("billingcurrency", "lineitem/currencycode", "line_item_currency_code")

        let (lines, summary) = try Self.readAll(path)
        #expect(summary.format == (focus ? .focus : snake ? .cur2 : .cur))
        // Pulling lines one by one, without the read-ahead thread, gives the same.
        let reader = try UsageReader(path: path, options: .init(readAhead: false))
        var pulled: [UsageLine] = []
        while let line = try reader.next() { pulled.append(line) }
        #expect(pulled == lines)
        #expect(reader.summary == summary)
        let rows = records.dropFirst()
        try #require(lines.count == rows.count)
        var expectedSums: [String: TypeSums] = [:]
        for (line, row) in zip(lines, rows) {
            let publicText = row[publicCost]
            let publicValue = publicText.isEmpty || publicText == "NULL" ? nil : ExactDecimal(publicText)
            #expect(Self.key(line) == row[type])
            #expect(line.usageAccountID == (row[account] == "NULL" ? "" : row[account]))
            #expect(line.actualCost == ExactDecimal(row[actual]))
            #expect(line.publicOnDemandCost == publicValue)
            #expect(line.currency == row[currency])
            expectedSums[row[type], default: TypeSums()].rows += 1
            expectedSums[row[type]]!.actual += ExactDecimal(row[actual])!
            expectedSums[row[type]]!.publicCost += publicValue ?? .zero
        }
        #expect(Self.sums(lines) == expectedSums)
    }

    @Test func legacyCURDetails() throws {
        let (lines, summary) = try Self.readAll(Samples.path("aws_cur_legacy_anonymized_2023-11_focus_converters.csv"))
        #expect(summary.periods == [BillingPeriod(year: 2023, month: 11)!])
        #expect(summary.currencies == ["USD"])
        #expect(Set(lines.map(\.serviceCode)).count == 14)
        #expect(lines.allSatisfy { $0.usageAccountID == "123412340534" && $0.payerAccountID == "123412340534" })
        // Free lines: no actual cost, a public on-demand cost.
        #expect(lines.contains { $0.lineItemType == .usage && $0.actualCost == 0 && ($0.publicOnDemandCost ?? 0) > 0 })
        #expect(lines.last?.row == 1282)
    }

    @Test func shortRowsOfTheKokuFileAreRead() throws {
        let path = Samples.path("koku_test_cur_legacy_131cols.csv")
        let reader = try UsageReader(path: path)
        #expect(reader.header.count == 131)
        var count = 0
        while let line = try reader.next() {
            count += 1
            #expect(line.period == BillingPeriod(year: 2018, month: 6))
            #expect(line.serviceCode == "AmazonEC2")
        }
        #expect(count == 19)
    }

    @Test func kokuSavingsPlanFileIsInNOKWithoutOwners() throws {
        let (lines, summary) = try Self.readAll(Samples.path("koku_aws_2023-06-01_legacy_201cols_savingsplan.csv"))
        #expect(summary.currencies == ["NOK"])
        #expect(lines.allSatisfy { $0.lineItemType == .savingsPlanCoveredUsage && $0.commitmentOwnerAccountID == "" })
        #expect(lines.allSatisfy { $0.usageAccountID == "0099999999999" })
    }

    @Test func kokuSnakeCaseFileIsMarketplace() throws {
        let (lines, summary) = try Self.readAll(Samples.path("koku_aws_2022-07-01_snakecase_154cols.csv"))
        #expect(summary.periods == [BillingPeriod(year: 2022, month: 7)!])
        #expect(lines.allSatisfy { $0.billingEntity == "AWS Marketplace" && $0.serviceCode == "mra" })
        #expect(lines.allSatisfy { $0.usageType == "SoftwareUsage:t2.nano" && $0.operation == "Hourly" })
    }

    @Test func focusSampleCommitmentsAndPeriods() throws {
        let (lines, summary) = try Self.readAll(Samples.path("focus_sample_1.0_1000.csv"))
        #expect(summary.periods == [BillingPeriod(year: 2024, month: 9)!, BillingPeriod(year: 2024, month: 10)!])
        let covered = lines.filter { $0.lineItemType == .savingsPlanCoveredUsage }
        #expect(covered.count == 4)
        #expect(Set(covered.map(\.commitmentOwnerAccountID)) == ["365499461711", "961082193871"])
        #expect(lines.filter { $0.commitmentOwnerAccountID != "" }.count == 4)
        #expect(lines.contains { $0.lineItemType == .other("Adjustment") })
        #expect(lines.allSatisfy { $0.billingEntity == "AWS" && $0.usageType == "" })
    }

    @Test func aGzipCopyReadsLikeTheOriginal() throws {
        let path = Samples.path("aws_cur_legacy_anonymized_2023-11_focus_converters.csv")
        let original = try Array(Data(contentsOf: URL(fileURLWithPath: path)))
        let copy = try Scratch.file("cur.csv.gz", bytes: try Scratch.gzip(original))
        defer { Scratch.remove(copy) }
        let (plain, plainSummary) = try Self.readAll(path)
        let (gzip, gzipSummary) = try Self.readAll(copy)
        #expect(gzipSummary.isCompressed)
        #expect(gzip == plain)
        #expect(gzipSummary.bytesRead == original.count)
        #expect(plainSummary.bytesRead == original.count)
    }
}

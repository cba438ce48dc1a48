import Foundation
import ProformaTestSupport
import ProformaUsage
import Testing

/// Seeded mutation fuzzing of the usage reader, through its public API only: thousands of mutated CUR, CUR 2.0
/// and FOCUS files, plain and gzip, read to their end. No input may crash or hang, and every error names the file
/// and, for a problem of a row, the row.
@Suite struct UsageMutationFuzzTests {
    static let seed: UInt64 = 0x5EED_C5F
    static let iterations = 3_000
    static let timePerInput = Duration.seconds(2)

    static let tokens = [
        ",", "\"", "\"\"", "\n", "\r\n", "\r", "\u{FEFF}", "NULL", "-", "1e999", "0.0000000000000000000001",
        "99999999999999999999", "2026-10-01T00:00:00Z", "2026-13-01", "lineItem/UsageAccountId",
        "line_item_usage_account_id", "BilledCost", "SavingsPlanNegation", "Tax", "Credit", "USD", "EUR",
        String(repeating: "9", count: 40), String(repeating: "\"", count: 3),
    ]

    /// The first lines of the examples' usage files (decompressed), and small files of each format.
    static func corpus() throws -> [[UInt8]] {
        var files: [[UInt8]] = []
        let examples = TestSupport.packageRoot.appendingPathComponent("examples")
        for path in ["msp/usage/cur-2026-09-to-10.csv.gz", "enterprise/usage/focus-2026-09-to-10.csv.gz"] {
            let url = examples.appendingPathComponent(path)
            // The gzip file cut short, and its first 30 lines as plain CSV.
            files.append(Array(try Data(contentsOf: url).prefix(4_096)))
            files.append(try firstLines(30, ofGzip: url))
        }
        let seeds = [
            "identity/LineItemId,bill/BillingPeriodStartDate,lineItem/UsageAccountId,lineItem/LineItemType,"
                + "lineItem/ProductCode,lineItem/UsageType,lineItem/Operation,lineItem/UnblendedCost,"
                + "pricing/publicOnDemandCost,lineItem/UsageAmount,lineItem/CurrencyCode,bill/PayerAccountId\n"
                + "a,2026-10-01T00:00:00Z,111111111111,Usage,AmazonEC2,BoxUsage:m5.large,RunInstances,1.5,2.0,3,USD,"
                + "999999999999\n"
                + "b,2026-10-01T00:00:00Z,111111111111,Tax,AmazonEC2,,,\"0,25\",0,0,USD,999999999999\n",
            "line_item_usage_account_id,bill_billing_period_start_date,line_item_line_item_type,"
                + "line_item_product_code,line_item_unblended_cost,pricing_public_on_demand_cost,"
                + "line_item_usage_amount,line_item_currency_code\n"
                + "111111111111,2026-10-01,Usage,AmazonS3,0.5,0.6,10,USD\n",
            "BillingPeriodStart,SubAccountId,ChargeCategory,ServiceName,BilledCost,ListCost,ConsumedQuantity,"
                + "BillingCurrency,ProviderName\n"
                + "2026-10-01T00:00:00Z,111111111111,Usage,Amazon Elastic Compute Cloud,1,2,3,USD,AWS\n",
        ]
        return files + seeds.map { Array($0.utf8) }
    }

    /// The first `count` lines of a gzip file, through the system's `gzip -dc`.
    static func firstLines(_ count: Int, ofGzip url: URL) throws -> [UInt8] {
        let process = Process()
        let gzip = ["/bin/gzip", "/usr/bin/gzip"].first { FileManager.default.isExecutableFile(atPath: $0) }
        process.executableURL = URL(fileURLWithPath: try #require(gzip, "no gzip program found"))
        process.arguments = ["-dc", url.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let bytes = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).prefix(count)
        return Array(lines.joined(separator: [UInt8(ascii: "\n")])) + [UInt8(ascii: "\n")]
    }

    @Test func mutatedUsageFilesNeverCrashHangOrFailWithoutAPlace() throws {
        let corpus = try Self.corpus()
        var mutator = Mutator(seed: Self.seed, tokens: Self.tokens)
        var rejected = 0
        var linesRead = 0
        for iteration in 0..<Self.iterations {
            let input = mutator.mutate(from: corpus)
            let context = "seed \(Self.seed), iteration \(iteration)"
            let start = ContinuousClock.now
            do {
                let reader = try UsageReader(bytes: input, name: "fuzz.csv")
                while try reader.next() != nil { linesRead += 1 }
            } catch {
                rejected += 1
                #expect(error.file == "fuzz.csv", "\(context)")
                #expect(!error.message.isEmpty, "\(context)")
                if error.isRowError || error.code == .malformedCSV || error.code == .rowTooLong {
                    #expect((error.row ?? 0) >= 1, "\(context): \(error)")
                }
                if let column = error.column { #expect(column.index >= 1, "\(context): \(error)") }
            }
            let elapsed = ContinuousClock.now - start
            #expect(elapsed < Self.timePerInput, "\(context): \(elapsed)")
        }
        #expect(rejected > Self.iterations / 10)
        #expect(rejected < Self.iterations)
        #expect(linesRead > 0)
    }
}

import ProformaCore
import ProformaUsage
import Testing

@Suite struct NumberRangeTests {
    let header = "bill/BillingPeriodStartDate,lineItem/UsageAccountId,lineItem/LineItemType,lineItem/ProductCode,lineItem/UnblendedCost,lineItem/CurrencyCode\n"

    func read(_ rows: String) throws(UsageError) -> [UsageLine] {
        let reader = try UsageReader(bytes: Array((header + rows).utf8), name: "range.csv")
        var lines: [UsageLine] = []
        while let line = try reader.next() { lines.append(line) }
        return lines
    }

    @Test func hugeAndOverPreciseAmountsAreRowErrors() throws {
        #expect(try read("2026-10-01,111111111111,Usage,AmazonEC2,4.0E-7,USD\n").first?.actualCost == ExactDecimal("0.0000004"))
        #expect(try read("2026-10-01,111111111111,Usage,AmazonEC2,0.00165303109242778,USD\n").count == 1)
        for bad in ["1e20", "-1234567890123", "0.000000000000000000001"] {
            do {
                _ = try read("2026-10-01,111111111111,Usage,AmazonEC2,1,USD\n2026-10-01,111111111111,Usage,AmazonEC2,\(bad),USD\n")
                Issue.record("\(bad) was accepted")
            } catch {
                #expect(error.row == 3)
                #expect(error.column?.index == 5)
                #expect(error.message.contains("out of range"))
            }
        }
    }
}

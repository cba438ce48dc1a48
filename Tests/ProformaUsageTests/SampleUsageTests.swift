import ProformaCore
import ProformaUsage
import Testing

/// The sample usage `proforma init` writes.
@Suite struct SampleUsageTests {
    let period = BillingPeriod(year: 2027, month: 2)!

    @Test func theSampleReadsAsCURWithTheFiguresComputedByHand() throws {
        let text = SampleUsage.cur(payer: "999999999999", period: period)
        #expect(text == SampleUsage.cur(payer: "999999999999", period: period), "the same in every run")
        let (lines, summary) = try readLines(text, name: "sample.csv")
        #expect(summary.format == .cur)
        #expect(summary.valuesRounded == 0)
        #expect(lines.count == 34)
        #expect(summary.periods == [period])
        #expect(Set(lines.map(\.usageAccountID)) == Set(SampleUsage.accounts))
        #expect(Set(lines.map(\.payerAccountID)) == ["999999999999"])
        let usage = lines.filter { $0.lineItemType == .usage }
        let tax = lines.filter { $0.lineItemType == .tax }
        #expect(usage.count == 32)
        #expect(tax.count == 2)
        // By hand: EC2 504 and 168 hours a week at 0.096, RDS 168 and 168 at 0.068, S3 500 and 120 at 0.023, Lambda
        // 90,000 and 30,000 at 0.0001, each week 20, 21, 22 or 23 twentieths of that (truncated); tax 8 % of each
        // account's month, truncated to 4 places.
        #expect(
            usage.filter { $0.usageAccountID == "111111111111" }.map(\.actualCost).sum() == ExactDecimal("345.114")!)
        #expect(
            usage.filter { $0.usageAccountID == "222222222222" }.map(\.actualCost).sum() == ExactDecimal("143.012")!)
        #expect(usage.allSatisfy { $0.publicOnDemandCost == $0.actualCost })
        #expect(tax.map(\.actualCost) == [ExactDecimal("27.6091")!, ExactDecimal("11.4409")!])
        // Line item ids are unique, so reading the sample with another delivery never mistakes lines for repeats.
        let ids = text.split(separator: "\n").dropFirst().map { $0.prefix { $0 != "," } }
        #expect(Set(ids).count == 34)
    }

    @Test func everyMonthHasValidWeeks() throws {
        // February has 28 days: the weeks end on the 7th, 14th, 21st and 28th.
        let text = SampleUsage.cur(payer: "999999999999", period: period)
        #expect(text.contains("2027-02-22T00:00:00Z/2027-02-28T00:00:00Z"))
        #expect(!text.contains("02-29T") && !text.contains("02-30T") && !text.contains("02-31T"))
    }
}

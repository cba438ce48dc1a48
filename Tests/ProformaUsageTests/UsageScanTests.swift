import Foundation
import ProformaCore
import ProformaTestSupport
import ProformaUsage
import Testing

@Suite struct UsageScanTests {
    /// A legacy CUR with identity columns; `rows` are (line item ID, time interval, cost).
    static func cur(_ rows: [(String, String, String)], period: String = "2026-10-01T00:00:00Z") -> [UInt8] {
        var text =
            "identity/LineItemId,identity/TimeInterval,bill/BillingPeriodStartDate,lineItem/UsageAccountId,"
            + "lineItem/LineItemType,lineItem/ProductCode,lineItem/UnblendedCost,lineItem/CurrencyCode\n"
        for (id, interval, cost) in rows {
            text += "\(id),\(interval),\(period),111111111111,Usage,AmazonEC2,\(cost),USD\n"
        }
        return Array(text.utf8)
    }

    static func cur2(_ rows: [(String, String, String)]) -> [UInt8] {
        var text =
            "identity_line_item_id,identity_time_interval,bill_billing_period_start_date,line_item_usage_account_id,"
            + "line_item_line_item_type,line_item_product_code,line_item_unblended_cost,line_item_currency_code\n"
        for (id, interval, cost) in rows {
            text += "\(id),\(interval),2026-10-01T00:00:00Z,111111111111,Usage,AmazonEC2,\(cost),USD\n"
        }
        return Array(text.utf8)
    }

    static let hour1 = "2026-10-01T00:00:00Z/2026-10-01T01:00:00Z"
    static let hour2 = "2026-10-01T01:00:00Z/2026-10-01T02:00:00Z"

    /// Every line with its input index, and the summary; or the error.
    static func scan(_ inputs: [UsageInput], options: UsageReadOptions = .init()) throws -> (
        lines: [(UsageLine, Int)], summary: UsageScanSummary
    ) {
        var lines: [(UsageLine, Int)] = []
        let summary = try UsageScan(inputs: inputs, options: options).forEach { lines.append(($0, $1)) }
        return (lines, summary)
    }

    static func error(_ inputs: [UsageInput]) -> UsageError? {
        do {
            _ = try scan(inputs)
            return nil
        } catch let error as UsageError {
            return error
        } catch {
            Issue.record("unexpected \(error)")
            return nil
        }
    }

    @Test func linesComeInOrderWithTheirInputAndTheSummariesAddUp() throws {
        let a = UsageInput(
            bytes: Self.cur([("a1", Self.hour1, "1.5"), ("a2", Self.hour1, "2.8054406810350956e-05")]), name: "a.csv")
        let b = UsageInput(
            bytes: Self.cur([("b1", Self.hour1, "3"), ("b2", Self.hour2, "x"), ("a1", Self.hour2, "1e-30")]),
            name: "b.csv")
        let (lines, summary) = try Self.scan([a, b], options: .init(skipInvalidRows: true))
        #expect(lines.map(\.1) == [0, 0, 1, 1])
        #expect(lines.map(\.0.row) == [2, 3, 2, 4])
        #expect(lines.map(\.0.actualCost).sum() == ExactDecimal("4.50002805440681035096")!)
        #expect(summary.files.map(\.file) == ["a.csv", "b.csv"])
        #expect(summary.rowsRead == 4)
        #expect(summary.rowsSkipped == 1)
        #expect(summary.valuesRounded == 2)
        #expect(summary.roundedValuesNote == "2 values were rounded to 20 decimal places, in rows a.csv:3, b.csv:4")
        #expect(summary.skippedRowsNotes.count == 1)
        #expect(summary.skippedRowsNotes.first?.contains("b.csv:3:7") == true)
    }

    @Test func progressIsReportedEveryIntervalOfLines() throws {
        let rows = (0..<10).map { ("id\($0)", Self.hour1, "1") }
        let others = (0..<10).map { ("other\($0)", Self.hour1, "1") }
        let inputs = [
            UsageInput(bytes: Self.cur(rows), name: "a.csv"), UsageInput(bytes: Self.cur2(others), name: "b.csv"),
        ]
        var reports: [UsageProgress] = []
        let scan = UsageScan(inputs: inputs, progressInterval: 4)
        _ = try scan.forEach(progress: { reports.append($0) }, { _, _ in })
        #expect(reports.map(\.inputIndex) == [0, 0, 1, 1])
        #expect(reports.map(\.rows) == [4, 8, 4, 8])
        #expect(reports.map(\.totalRows) == [4, 8, 14, 18])
        #expect(reports.allSatisfy { $0.bytesRead > 0 && $0.size != nil && !$0.isCompressed })
    }

    @Test func whatTheBodyThrowsStopsTheScan() throws {
        struct Stop: Error {}
        var count = 0
        #expect(throws: Stop.self) {
            let input = UsageInput(bytes: Self.cur([("a", Self.hour1, "1"), ("b", Self.hour1, "1")]), name: "a.csv")
            _ = try UsageScan(inputs: [input])
                .forEach { _, _ in
                    count += 1
                    throw Stop()
                }
        }
        #expect(count == 1)
    }

    // MARK: The same data twice

    @Test func theSameBytesTwiceAreAnErrorNamingBothBeforeAnyLine() throws {
        // FOCUS has no line identity: the copy is known by its bytes.
        let focus = Array(
            """
            BilledCost,BillingCurrency,BillingPeriodStart,ChargeCategory,ServiceName,SubAccountId
            1.5,USD,2024-09-01 00:00:00,Usage,Amazon Elastic Compute Cloud,111111111111

            """.utf8)
        var handed = 0
        let scan = UsageScan(inputs: [
            UsageInput(bytes: focus, name: "focus-1.csv"), UsageInput(bytes: Self.cur([]), name: "other.csv"),
            UsageInput(bytes: focus, name: "focus-again.csv"),
        ])
        do {
            _ = try scan.forEach { _, _ in handed += 1 }
            Issue.record("the copy was read")
        } catch let error as UsageError {
            #expect(error.code == .duplicateFile)
            #expect(error.file == "focus-again.csv")
            #expect(error.duplicateOf == UsageError.Place(file: "focus-1.csv"))
            #expect(error.row == nil)
            #expect(
                error.description
                    == "focus-again.csv: the same data as focus-1.csv, given before: its lines would be counted twice")
            #expect(error.hint?.contains("--usage") == true)
            #expect(error.hint?.contains("usage:") == true)
            #expect(!error.isRowError)
        }
        #expect(handed == 0)
    }

    @Test func aFileNamedTwiceOrCopiedIsTheSameData() throws {
        let bytes = Self.cur([("a1", Self.hour1, "1")])
        let path = try Scratch.file("cur.csv", bytes: bytes)
        defer { Scratch.remove(path) }
        let copy = try Scratch.file("copy.csv", bytes: bytes)
        defer { Scratch.remove(copy) }
        let twice = Self.error([UsageInput(path: path), UsageInput(path: path)])
        #expect(twice?.code == .duplicateFile)
        #expect(twice?.file == path)
        #expect(twice?.duplicateOf?.file == path)
        let copied = Self.error([UsageInput(path: path), UsageInput(path: copy, name: "copy.csv")])
        #expect(copied?.code == .duplicateFile)
        #expect(copied?.file == "copy.csv")
        #expect(copied?.duplicateOf?.file == path)
        // Same size, other bytes: read.
        let other = try Scratch.file("other.csv", bytes: Self.cur([("a2", Self.hour1, "1")]))
        defer { Scratch.remove(other) }
        #expect(try Self.scan([UsageInput(path: path), UsageInput(path: other)]).lines.count == 2)
    }

    @Test func aLineItemInTwoFilesIsAnErrorNamingBothRows() throws {
        let first = UsageInput(
            bytes: Self.cur([("a1", Self.hour1, "1"), ("a2", Self.hour1, "2"), ("a3", Self.hour2, "3")]),
            name: "cur-first.csv")
        // Delivered again with other rows around it: a different file.
        let again = UsageInput(
            bytes: Self.cur([("b1", Self.hour1, "1"), ("a1", Self.hour2, "1"), ("a3", Self.hour2, "3")]),
            name: "cur-again.csv.gz")
        let error = Self.error([first, again])
        #expect(error?.code == .duplicateLine)
        #expect(error?.file == "cur-again.csv.gz")
        #expect(error?.row == 4)
        #expect(error?.duplicateOf == UsageError.Place(file: "cur-first.csv", row: 4))
        #expect(
            error?.description
                == "cur-again.csv.gz:4: the line item identity/LineItemId \u{201C}a3\u{201D}, identity/TimeInterval "
                + "\u{201C}\(Self.hour2)\u{201D} (2026-10) was read before from cur-first.csv:4: it would be counted "
                + "twice")
        #expect(error?.hint?.contains("--usage") == true)
    }

    @Test func everyInputIsComparedWithEveryEarlierOne() throws {
        let a = UsageInput(bytes: Self.cur([("a1", Self.hour1, "1")]), name: "a.csv")
        let b = UsageInput(bytes: Self.cur([("b1", Self.hour1, "1"), ("b2", Self.hour1, "1")]), name: "b.csv")
        let c = UsageInput(bytes: Self.cur([("c1", Self.hour1, "1"), ("b2", Self.hour1, "1")]), name: "c.csv")
        let d = UsageInput(bytes: Self.cur([("d1", Self.hour1, "1"), ("a1", Self.hour1, "1")]), name: "d.csv")
        let bc = Self.error([a, b, c])
        #expect(bc?.file == "c.csv")
        #expect(bc?.duplicateOf == UsageError.Place(file: "b.csv", row: 3))
        let bcLast = Self.error([a, c, b])
        #expect(bcLast?.file == "b.csv")
        #expect(bcLast?.row == 3)
        #expect(bcLast?.duplicateOf == UsageError.Place(file: "c.csv", row: 3))
        let ad = Self.error([a, b, d])
        #expect(ad?.file == "d.csv")
        #expect(ad?.row == 3)
        #expect(ad?.duplicateOf == UsageError.Place(file: "a.csv", row: 2))
        // Repeats within the last input are read.
        let repeated = UsageInput(bytes: Self.cur([("z", Self.hour1, "1"), ("z", Self.hour1, "1")]), name: "z.csv")
        #expect(try Self.scan([a, repeated]).lines.count == 3)
    }

    @Test func aGzipCopyIsCaughtByItsLines() throws {
        let bytes = Self.cur([("a1", Self.hour1, "1"), ("a2", Self.hour1, "2")])
        let error = Self.error([
            UsageInput(bytes: bytes, name: "cur.csv"), UsageInput(bytes: try Scratch.gzip(bytes), name: "cur.csv.gz"),
        ])
        #expect(error?.code == .duplicateLine)
        #expect(error?.file == "cur.csv.gz")
        #expect(error?.row == 2)
        #expect(error?.duplicateOf == UsageError.Place(file: "cur.csv", row: 2))
    }

    @Test func cur2LineItemsAreCheckedToo() throws {
        let error = Self.error([
            UsageInput(bytes: Self.cur2([("x", Self.hour1, "1")]), name: "a.csv"),
            UsageInput(bytes: Self.cur2([("y", Self.hour1, "1"), ("x", Self.hour1, "2")]), name: "b.csv"),
        ])
        #expect(error?.code == .duplicateLine)
        #expect(error?.row == 3)
        #expect(error?.message.contains("identity_line_item_id \u{201C}x\u{201D}") == true)
        #expect(error?.duplicateOf == UsageError.Place(file: "a.csv", row: 2))
    }

    @Test func otherIntervalsPeriodsAndRepeatsWithinAFileAreNotDuplicates() throws {
        let (lines, _) = try Self.scan([
            UsageInput(bytes: Self.cur([("a1", Self.hour1, "1"), ("a1", Self.hour1, "1")]), name: "a.csv"),
            UsageInput(bytes: Self.cur([("a1", Self.hour2, "1")]), name: "b.csv"),
            UsageInput(bytes: Self.cur([("a1", Self.hour1, "1")], period: "2026-11-01T00:00:00Z"), name: "c.csv"),
            // Empty identities are not compared.
            UsageInput(bytes: Self.cur([("", "", "1")]), name: "d.csv"),
            UsageInput(bytes: Self.cur([("", "", "2")]), name: "e.csv"),
        ])
        #expect(lines.count == 6)
    }

    @Test func manyLinesKeepTheirIdentitiesApart() throws {
        // 50,000 distinct identities in one input, then one of them again in a second: only it is an error.
        let rows = (0..<50_000).map { ("line-\($0)", Self.hour1, "0.01") }
        let first = UsageInput(bytes: Self.cur(rows), name: "big.csv")
        let (lines, summary) = try Self.scan([
            first, UsageInput(bytes: Self.cur([("line-x", Self.hour1, "1")]), name: "b.csv"),
        ])
        #expect(lines.count == 50_001)
        #expect(summary.rowsRead == 50_001)
        let again = Self.cur([("line-x", Self.hour1, "1"), ("line-31337", Self.hour1, "1")])
        let error = Self.error([first, UsageInput(bytes: again, name: "b.csv")])
        #expect(error?.duplicateOf == UsageError.Place(file: "big.csv", row: 31_339))
        #expect(error?.row == 3)
    }

    @Test func aMissingFileIsReportedInItsTurn() throws {
        let error = Self.error([
            UsageInput(bytes: Self.cur([("a", Self.hour1, "1")]), name: "a.csv"),
            UsageInput(path: "/nonexistent/cur.csv"),
        ])
        #expect(error?.code == .io)
        #expect(error?.file == "/nonexistent/cur.csv")
    }
}

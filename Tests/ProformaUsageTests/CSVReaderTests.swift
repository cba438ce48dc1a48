import Foundation
import ProformaUsage
import Testing

/// The CSV layer: RFC 4180 records, line numbers, chunk boundaries, gzip.
@Suite struct CSVReaderTests {
    /// Small chunks put a chunk boundary inside every kind of token; the default is one chunk for these inputs.
    static let chunkSizes = [16, 17, 19, 23, 31, CSVReader.defaultChunkSize]

    /// The records of `text`, read with and without the read-ahead thread (which must agree).
    func records(_ text: String, chunkSize: Int) throws -> [(line: Int, fields: [String])] {
        let direct = try CSVReader(bytes: Array(text.utf8), name: "t.csv", chunkSize: chunkSize).readAll()
        let ahead = try CSVReader(bytes: Array(text.utf8), name: "t.csv", chunkSize: chunkSize, readAhead: true)
            .readAll()
        #expect(direct.map(\.line) == ahead.map(\.line))
        #expect(direct.map(\.fields) == ahead.map(\.fields))
        return direct
    }

    @Test(arguments: chunkSizes)
    func quotedFieldsHoldCommasQuotesAndLineBreaks(chunkSize: Int) throws {
        let text =
            "head one,head two,head three\n"
            + "\"x, y\",\"say \"\"hi\"\"\",\"line1\nline2\nline3\"\n"
            + "plain,\"\",end\n"
        let got = try records(text, chunkSize: chunkSize)
        #expect(got.map(\.line) == [1, 2, 5])
        #expect(got[0].fields == ["head one", "head two", "head three"])
        #expect(got[1].fields == ["x, y", "say \"hi\"", "line1\nline2\nline3"])
        #expect(got[2].fields == ["plain", "", "end"])
    }

    @Test(arguments: chunkSizes)
    func crlfLineBreaksAndALastLineWithoutOne(chunkSize: Int) throws {
        let text = "a,b\r\n1,2\r\n\"x\r\ny\",3\r\n4,5"
        let got = try records(text, chunkSize: chunkSize)
        #expect(got.map(\.line) == [1, 2, 3, 5])
        #expect(got.map(\.fields) == [["a", "b"], ["1", "2"], ["x\r\ny", "3"], ["4", "5"]])
    }

    @Test(arguments: chunkSizes)
    func aLoneCarriageReturnEndsARecord(chunkSize: Int) throws {
        let got = try records("a,b\rc,d\r", chunkSize: chunkSize)
        #expect(got.map(\.line) == [1, 2])
        #expect(got.map(\.fields) == [["a", "b"], ["c", "d"]])
    }

    @Test(arguments: chunkSizes)
    func byteOrderMarkIsSkipped(chunkSize: Int) throws {
        let got = try records("\u{FEFF}h1,h2\n1,2\n", chunkSize: chunkSize)
        #expect(got.map(\.fields) == [["h1", "h2"], ["1", "2"]])
    }

    @Test(arguments: chunkSizes)
    func emptyFieldsAndATrailingCommaAtTheEnd(chunkSize: Int) throws {
        let got = try records(",,\na,\n,b\n1,", chunkSize: chunkSize)
        #expect(got.map(\.fields) == [["", "", ""], ["a", ""], ["", "b"], ["1", ""]])
    }

    @Test(arguments: chunkSizes)
    func blankLinesAreSkippedButCounted(chunkSize: Int) throws {
        let got = try records("a\n\n\r\n\nb\n\n", chunkSize: chunkSize)
        #expect(got.map(\.line) == [1, 5])
        #expect(got.map(\.fields) == [["a"], ["b"]])
    }

    @Test func aQuoteInsideAPlainFieldIsText() throws {
        let got = try records("ab\"c,d\n", chunkSize: 1 << 20)
        #expect(got.map(\.fields) == [["ab\"c", "d"]])
    }

    @Test func quotedAndRawBytesAreReported() throws {
        let reader = try CSVReader(bytes: Array("\"q\"\"x\",p\n".utf8), name: "t.csv")
        #expect(try reader.next())
        #expect(reader.isQuoted(at: 0))
        #expect(!reader.isQuoted(at: 1))
        #expect(reader.withBytes(at: 0) { Array($0) } == Array("q\"\"x".utf8))
        #expect(reader.string(at: 0) == "q\"x")
    }

    @Test func emptyDataHasNoRecords() throws {
        let reader = try CSVReader(bytes: [], name: "t.csv")
        #expect(try !reader.next())
        #expect(reader.bytesConsumed == 0)
    }

    @Test(arguments: chunkSizes, ["\u{FEFF}a,b\r\n\"1\n\",2\n\n3,4", "a\n\n", "a,b\n1,2\n\r\n\n"])
    func allBytesAreCounted(chunkSize: Int, text: String) throws {
        for readAhead in [false, true] {
            let reader = try CSVReader(bytes: Array(text.utf8), name: "t.csv", chunkSize: chunkSize, readAhead: readAhead)
            _ = try reader.readAll()
            #expect(reader.bytesConsumed == text.utf8.count)
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func aReaderDroppedHalfwayStopsItsThread() throws {
        var text = "a,b\n"
        for i in 0..<50000 { text += "\(i),\(i)\n" }
        for _ in 0..<20 {
            let reader = try CSVReader(bytes: Array(text.utf8), name: "t.csv", chunkSize: 1024, readAhead: true)
            for _ in 0..<10 { #expect(try reader.next()) }
            #expect(reader.line == 10)
        }
    }

    @Test(arguments: [false, true])
    func afterTheEndThereIsNoRecord(readAhead: Bool) throws {
        let reader = try CSVReader(bytes: Array("a,b\n".utf8), name: "t.csv", readAhead: readAhead)
        #expect(try reader.next())
        #expect(reader.fields == ["a", "b"])
        #expect(try !reader.next())
        #expect(reader.fieldCount == 0)
        #expect(try !reader.next())
    }

    @Test(arguments: chunkSizes, [false, true])
    func aQuoteThatIsNeverClosedIsAnErrorAtItsRow(chunkSize: Int, readAhead: Bool) throws {
        let reader = try CSVReader(
            bytes: Array("a,b\n1,\"never closed\n2,3\n".utf8), name: "t.csv", chunkSize: chunkSize,
            readAhead: readAhead)
        #expect(try reader.next())
        let error = usageError { () throws(UsageError) in try reader.next() }
        #expect(error?.code == .malformedCSV)
        #expect(error?.row == 2)
        #expect(error?.column?.index == 2)
        #expect(error?.isRowError == false)
        // The reading is over: the error comes again.
        #expect(usageError { () throws(UsageError) in try reader.next() } == error)
    }

    @Test(arguments: chunkSizes, [false, true])
    func textAfterAClosingQuoteIsARowErrorAndReadingGoesOn(chunkSize: Int, readAhead: Bool) throws {
        let reader = try CSVReader(
            bytes: Array("a,b\n1,\"x\"y\n3,4\n".utf8), name: "t.csv", chunkSize: chunkSize, readAhead: readAhead)
        #expect(try reader.next())
        let error = usageError { () throws(UsageError) in try reader.next() }
        #expect(error?.code == .malformedCSV)
        #expect(error?.row == 2)
        #expect(error?.column?.index == 2)
        #expect(error?.isRowError == true)
        #expect(try reader.next())
        #expect(reader.line == 3)
        #expect(reader.fields == ["3", "4"])
    }

    @Test(arguments: [false, true])
    func aRecordLargerThanTheLimitIsAnError(readAhead: Bool) throws {
        let long = String(repeating: "x", count: 200)
        let reader = try CSVReader(
            bytes: Array("a\nb\n\(long)\n".utf8), name: "t.csv", chunkSize: 16, maxRecordBytes: 64,
            readAhead: readAhead)
        #expect(try reader.next())
        #expect(try reader.next())
        let error = usageError { () throws(UsageError) in try reader.next() }
        #expect(error?.code == .rowTooLong)
        #expect(error?.row == 3)
    }

    @Test func recordsLongerThanAChunkGrowTheBuffer() throws {
        let long = String(repeating: "y", count: 5000)
        let got = try records("a,\(long)\n\"\(long)\",b\n", chunkSize: 16)
        #expect(got.map(\.fields) == [["a", long], [long, "b"]])
    }

    @Test func aMissingFileIsAnIOError() {
        let error = usageError { () throws(UsageError) in
            try CSVReader(path: "/nonexistent/usage.csv")
        }
        #expect(error?.code == .io)
        #expect(error?.file == "/nonexistent/usage.csv")
    }

    // MARK: gzip

    static let sample = "a,b\n\"1,\n\",2\n3,4\n"

    @Test(arguments: [16, CSVReader.defaultChunkSize])
    func gzipIsRecognisedByItsMagicBytesNotItsName(chunkSize: Int) throws {
        let compressed = try Scratch.gzip(Array(Self.sample.utf8))
        // Named .csv on purpose.
        let path = try Scratch.file("usage.csv", bytes: compressed)
        defer { Scratch.remove(path) }
        let reader = try CSVReader(path: path, chunkSize: chunkSize)
        #expect(reader.isCompressed)
        let got = try reader.readAll()
        #expect(got.map(\.line) == [1, 2, 4])
        #expect(got.map(\.fields) == [["a", "b"], ["1,\n", "2"], ["3", "4"]])
        #expect(reader.bytesConsumed == Self.sample.utf8.count)

        let plainPath = try Scratch.file("usage.csv.gz", Self.sample)
        defer { Scratch.remove(plainPath) }
        let plain = try CSVReader(path: plainPath)
        #expect(!plain.isCompressed)
        #expect(try plain.readAll().map(\.fields) == got.map(\.fields))
    }

    @Test func concatenatedGzipMembersAreReadInTurn() throws {
        let first = try Scratch.gzip(Array("a,b\n1,2\n".utf8))
        let second = try Scratch.gzip(Array("3,4\n".utf8))
        let got = try CSVReader(bytes: first + second, name: "t.csv.gz").readAll()
        #expect(got.map(\.fields) == [["a", "b"], ["1", "2"], ["3", "4"]])
    }

    @Test(arguments: [false, true])
    func aLargeGzipStreamReadsLikeThePlainText(readAhead: Bool) throws {
        var text = "account,cost\n"
        for i in 0..<20000 { text += "\(i % 97),\(i).5\n" }
        let compressed = try Scratch.gzip(Array(text.utf8))
        let fromGzip = try CSVReader(bytes: compressed, name: "t.csv.gz", chunkSize: 4096, readAhead: readAhead)
            .readAll()
        let fromText = try CSVReader(bytes: Array(text.utf8), name: "t.csv", chunkSize: 4096).readAll()
        #expect(fromGzip.count == 20001)
        #expect(fromGzip.map(\.fields) == fromText.map(\.fields))
        #expect(fromGzip.map(\.line) == fromText.map(\.line))
    }

    @Test(arguments: [false, true])
    func aTruncatedGzipStreamIsAnError(readAhead: Bool) throws {
        var text = ""
        for i in 0..<5000 { text += "\(i),\(i * 7)\n" }
        let compressed = try Scratch.gzip(Array(text.utf8))
        let cut = Array(compressed.prefix(compressed.count / 2))
        let error = usageError { () throws(UsageError) in
            try CSVReader(bytes: cut, name: "cut.csv.gz", chunkSize: 4096, readAhead: readAhead).readAll()
        }
        #expect(error?.code == .gzip)
        #expect(error?.file == "cut.csv.gz")
    }

    @Test func corruptGzipDataIsAnError() throws {
        var text = ""
        for i in 0..<5000 { text += "\(i),\(i * 7)\n" }
        var compressed = try Scratch.gzip(Array(text.utf8))
        for i in 20..<60 { compressed[i] ^= 0x5A }
        let error = usageError { () throws(UsageError) in
            try CSVReader(bytes: compressed, name: "bad.csv.gz").readAll()
        }
        #expect(error?.code == .gzip)
    }
}

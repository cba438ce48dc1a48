/// A streaming CSV reader working on bytes (RFC 4180).
///
/// - Fields are separated by commas; a field in double quotes may hold commas, line breaks and doubled quotes
///   (`""` stands for one `"`). A quote inside an unquoted field is taken literally.
/// - Records end with LF, CRLF or a lone CR; the last record may lack its line break. Blank lines are skipped.
/// - A UTF-8 byte order mark at the very start is skipped. Bytes are not otherwise checked: text is decoded as
///   UTF-8 with invalid sequences replaced.
/// - The data is read in chunks of `chunkSize` bytes (1 MiB by default) from a file, from memory, or from a gzip
///   stream, recognised by its magic bytes whatever the file is called. Memory holds one chunk (three with
///   `readAhead`) and the field positions of its records; it does not grow with the number of records. A record
///   larger than a chunk grows its buffer, up to `maxRecordBytes`.
///
/// Row numbers are physical lines: `line` is the 1-based line on which the current record starts, so the header of
/// a file is line 1 and, after a record whose quoted field spans three lines, the next record is three lines on.
///
/// Fields are spans of the chunk buffer, valid until the next call to `next()`; read them with `string(at:)` or
/// `withBytes(at:_:)`.
public final class CSVReader {
    /// The file as the caller named it, for errors.
    public let name: String
    /// True when the data was gzip-compressed.
    public let isCompressed: Bool

    private let scanner: RecordScanner
    /// Set when a thread reads ahead.
    private let readAhead: ReadAhead?
    /// The batch whose records are being read, and the next record in it.
    @exclusivity(unchecked) private var batch: RecordBatch?
    @exclusivity(unchecked) private var recordIndex = 0
    @exclusivity(unchecked) private var failure: UsageError? = nil
    @exclusivity(unchecked) private var ended = false
    /// The current record's field spans and the text they point into.
    @exclusivity(unchecked) private var spans: UnsafeMutablePointer<UInt64>
    @exclusivity(unchecked) private var text: UnsafeMutablePointer<UInt8>
    private let emptySpans = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)
    private let emptyText = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)

    /// How many fields the current record has.
    @exclusivity(unchecked) public private(set) var fieldCount = 0
    /// The 1-based line on which the current record starts (0 before the first record).
    @exclusivity(unchecked) public private(set) var line = 0
    /// Bytes of CSV text (after decompression) consumed so far.
    @exclusivity(unchecked) public private(set) var bytesConsumed = 0

    public static let defaultChunkSize = 1 << 20
    public static let defaultMaxRecordBytes = 64 << 20

    /// Opens a file, plain or gzip. `name` is how errors call it (the path by default). With `readAhead`, a thread
    /// of its own reads, decompresses and splits the text into records while the caller works on the records
    /// before.
    public convenience init(
        path: String, name: String? = nil, chunkSize: Int = CSVReader.defaultChunkSize,
        maxRecordBytes: Int = CSVReader.defaultMaxRecordBytes, readAhead: Bool = false
    ) throws(UsageError) {
        let name = name ?? path
        try self.init(
            source: FileSource(path: path, name: name), name: name, chunkSize: chunkSize,
            maxRecordBytes: maxRecordBytes, readAhead: readAhead)
    }

    /// Reads bytes held in memory, plain or gzip.
    public convenience init(
        bytes: [UInt8], name: String, chunkSize: Int = CSVReader.defaultChunkSize,
        maxRecordBytes: Int = CSVReader.defaultMaxRecordBytes, readAhead: Bool = false
    ) throws(UsageError) {
        try self.init(
            source: MemorySource(bytes), name: name, chunkSize: chunkSize, maxRecordBytes: maxRecordBytes,
            readAhead: readAhead)
    }

    init(source raw: ByteSource, name: String, chunkSize: Int, maxRecordBytes: Int, readAhead: Bool)
        throws(UsageError)
    {
        self.name = name
        let capacity = min(max(chunkSize, 16), RecordScanner.maxBufferBytes)
        let maxRecordBytes = min(max(maxRecordBytes, capacity), RecordScanner.maxBufferBytes)

        // The first bytes tell gzip (magic 1f 8b) from text.
        var head: [UInt8] = [0, 0, 0]
        var headCount = 0
        while headCount < head.count {
            let n = try head.withUnsafeMutableBufferPointer { (buffer) throws(UsageError) -> Int in
                try raw.read(into: buffer.baseAddress! + headCount, capacity: buffer.count - headCount)
            }
            if n == 0 { break }
            headCount += n
        }
        head.removeLast(head.count - headCount)
        isCompressed = headCount >= 2 && head[0] == GzipSource.magic.0 && head[1] == GzipSource.magic.1
        if isCompressed {
            let source = try head.withUnsafeBufferPointer { (buffer) throws(UsageError) -> GzipSource in
                try GzipSource(input: raw, initial: buffer, name: name)
            }
            scanner = RecordScanner(source: source, name: name, initial: [], maxRecordBytes: maxRecordBytes)
        } else {
            scanner = RecordScanner(source: raw, name: name, initial: head, maxRecordBytes: maxRecordBytes)
        }
        // Without a read-ahead thread, one batch is filled in turn by `next()`.
        self.readAhead = readAhead ? ReadAhead(scanner: scanner, capacity: capacity) : nil
        batch = readAhead ? nil : RecordBatch(capacity: capacity)
        spans = emptySpans
        text = emptyText
    }

    deinit {
        readAhead?.stop()
        emptySpans.deallocate()
        emptyText.deallocate()
    }

    // MARK: Reading records

    /// Reads the next record. Returns false at the end of the data.
    ///
    /// A record with text after a closing quote (`"a"b,`) is read to its end and then reported as a `malformedCSV`
    /// error with `isRowError` set: the caller may go on with the next record. A quote that is never closed, a
    /// record longer than `maxRecordBytes` and I/O or gzip failures end the reading: the error is thrown again by
    /// any later call.
    public func next() throws(UsageError) -> Bool {
        while true {
            if let batch, recordIndex < batch.recordCount {
                let record = batch.records[recordIndex]
                recordIndex &+= 1
                fieldCount = record.fieldCount
                line = record.line
                bytesConsumed = record.endOffset
                spans = batch.spans + record.spanOffset
                text = batch.buffer
                if record.malformedField >= 0 {
                    var error = UsageError(
                        .malformedCSV, file: name, row: line,
                        column: .init(index: record.malformedField + 1, name: nil),
                        message: "text follows the closing quote of a quoted field",
                        hint: "Inside a quoted field a quote is written twice (\"\"); check how the file was written.")
                    error.isRowError = true
                    throw error
                }
                return true
            }
            if let failure { throw failure }
            if ended { return false }
            // The batch is done with: on to the next.
            fieldCount = 0
            spans = emptySpans
            text = emptyText
            if let current = batch, current.isLast {
                finish(current)
                continue
            }
            if let readAhead {
                guard let next = readAhead.take(returning: batch) else {
                    ended = true
                    batch = nil
                    continue
                }
                batch = next
            } else {
                scanner.fill(batch!)
            }
            recordIndex = 0
        }
    }

    /// Notes the end of the data (and its error, if any) once the last batch is read.
    private func finish(_ last: RecordBatch) {
        if last.recordCount > 0 { bytesConsumed = last.records[last.recordCount - 1].endOffset }
        if let textEnd = last.textEnd { bytesConsumed = max(bytesConsumed, textEnd) }
        failure = last.failure
        ended = true
        recordIndex = last.recordCount
    }

    // MARK: Fields

    /// The bytes of field `index` of the current record, between the quotes if quoted, with doubled quotes not
    /// undone. `index` is 0-based and must be below `fieldCount`.
    @inline(__always)
    public func withBytes<R>(at index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        precondition(index >= 0 && index < fieldCount, "field index out of range")
        return try body(span(index).bytes)
    }

    /// The raw span of field `index` (see `withBytes`), and whether it holds doubled quotes to undo.
    @inline(__always)
    func span(_ index: Int) -> (bytes: UnsafeBufferPointer<UInt8>, escaped: Bool) {
        let word = spans[index]
        let start = Int(truncatingIfNeeded: word & 0x7FFF_FFFF)
        let end = Int(truncatingIfNeeded: (word &>> 31) & 0x7FFF_FFFF)
        return (UnsafeBufferPointer(start: text + start, count: end &- start), word &>> 62 == 2)
    }

    /// Whether field `index` was written in quotes.
    public func isQuoted(at index: Int) -> Bool {
        precondition(index >= 0 && index < fieldCount, "field index out of range")
        return spans[index] &>> 62 != 0
    }

    /// The text of field `index` (0-based), with doubled quotes undone.
    public func string(at index: Int) -> String {
        precondition(index >= 0 && index < fieldCount, "field index out of range")
        let (bytes, escaped) = span(index)
        return Self.decode(bytes, escaped: escaped)
    }

    /// All fields of the current record as text.
    public var fields: [String] {
        (0..<fieldCount).map { string(at: $0) }
    }

    /// Text from field bytes, undoing doubled quotes when `escaped`.
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, escaped: Bool) -> String {
        guard escaped else { return String(decoding: bytes, as: UTF8.self) }
        var unescaped: [UInt8] = []
        unescaped.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            unescaped.append(bytes[i])
            if bytes[i] == 34 && i + 1 < bytes.count && bytes[i + 1] == 34 { i += 1 }
            i += 1
        }
        return String(decoding: unescaped, as: UTF8.self)
    }
}

/// A streaming CSV reader working on bytes (RFC 4180).
///
/// - Fields are separated by commas; a field in double quotes may hold commas, line breaks and doubled quotes
///   (`""` stands for one `"`). A quote inside an unquoted field is taken literally.
/// - Records end with LF, CRLF or a lone CR; the last record may lack its line break. Blank lines are skipped.
/// - A UTF-8 byte order mark at the very start is skipped. Bytes are not otherwise checked: text is decoded as
///   UTF-8 with invalid sequences replaced.
/// - The data is read in chunks of `chunkSize` bytes (1 MiB by default) from a file, from memory, or from a gzip
///   stream, recognised by its magic bytes whatever the file is called. Memory holds one chunk and the record
///   being read; it does not grow with the number of records.
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

    private let source: ByteSource
    @exclusivity(unchecked) private var buffer: UnsafeMutablePointer<UInt8>
    /// Usable bytes of `buffer`; one more is allocated for a sentinel line feed written at `end`.
    @exclusivity(unchecked) private var capacity: Int
    private let maxRecordBytes: Int
    /// The first byte not yet consumed.
    @exclusivity(unchecked) private var start = 0
    /// One past the last byte read.
    @exclusivity(unchecked) private var end = 0
    @exclusivity(unchecked) private var atEOF = false

    // The fields of the current record: content spans in `buffer`, and per field 0 (plain), 1 (quoted) or 2 (quoted
    // with doubled quotes to undo).
    @exclusivity(unchecked) private var starts: UnsafeMutablePointer<Int>
    @exclusivity(unchecked) private var ends: UnsafeMutablePointer<Int>
    @exclusivity(unchecked) private var kinds: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) private var fieldCapacity: Int

    /// How many fields the current record has.
    @exclusivity(unchecked) public private(set) var fieldCount = 0
    /// The 1-based line on which the current record starts (0 before the first record).
    @exclusivity(unchecked) public private(set) var line = 0
    @exclusivity(unchecked) private var nextLine = 1
    /// Bytes of CSV text (after decompression) consumed so far.
    @exclusivity(unchecked) public private(set) var bytesConsumed = 0

    public static let defaultChunkSize = 1 << 20
    public static let defaultMaxRecordBytes = 64 << 20

    /// Opens a file, plain or gzip. `name` is how errors call it (the path by default).
    public convenience init(
        path: String, name: String? = nil, chunkSize: Int = CSVReader.defaultChunkSize,
        maxRecordBytes: Int = CSVReader.defaultMaxRecordBytes
    ) throws(UsageError) {
        let name = name ?? path
        try self.init(
            source: FileSource(path: path, name: name), name: name, chunkSize: chunkSize,
            maxRecordBytes: maxRecordBytes)
    }

    /// Reads bytes held in memory, plain or gzip.
    public convenience init(
        bytes: [UInt8], name: String, chunkSize: Int = CSVReader.defaultChunkSize,
        maxRecordBytes: Int = CSVReader.defaultMaxRecordBytes
    ) throws(UsageError) {
        try self.init(source: MemorySource(bytes), name: name, chunkSize: chunkSize, maxRecordBytes: maxRecordBytes)
    }

    init(source raw: ByteSource, name: String, chunkSize: Int, maxRecordBytes: Int) throws(UsageError) {
        self.name = name
        capacity = max(chunkSize, 16)
        self.maxRecordBytes = max(maxRecordBytes, capacity)

        // The first bytes tell gzip (magic 1f 8b) from text. Nothing is allocated yet, so a throw leaks nothing;
        // once every property is set, a throw runs deinit, which frees the buffers.
        var head: [UInt8] = [0, 0, 0]
        var headCount = 0
        while headCount < head.count {
            let n = try head.withUnsafeMutableBufferPointer { (buffer) throws(UsageError) -> Int in
                try raw.read(into: buffer.baseAddress! + headCount, capacity: buffer.count - headCount)
            }
            if n == 0 { break }
            headCount += n
        }
        let gzip = headCount >= 2 && head[0] == GzipSource.magic.0 && head[1] == GzipSource.magic.1
        if gzip {
            source = try head.withUnsafeBufferPointer { (buffer) throws(UsageError) -> GzipSource in
                try GzipSource(input: raw, initial: UnsafeBufferPointer(rebasing: buffer[..<headCount]), name: name)
            }
        } else {
            source = raw
        }
        isCompressed = gzip

        buffer = .allocate(capacity: capacity + 1)
        fieldCapacity = 256
        starts = .allocate(capacity: fieldCapacity)
        ends = .allocate(capacity: fieldCapacity)
        kinds = .allocate(capacity: fieldCapacity)
        if !gzip {
            for i in 0..<headCount { buffer[i] = head[i] }
            end = headCount
            if headCount < head.count { atEOF = true }
        }
        buffer[end] = 10
        while end < 3 && !atEOF { try fill() }
        if end >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF {
            start = 3
            bytesConsumed = 3
        }
    }

    deinit {
        buffer.deallocate()
        starts.deallocate()
        ends.deallocate()
        kinds.deallocate()
    }

    // MARK: Reading records

    /// Reads the next record. Returns false at the end of the data.
    ///
    /// A record with text after a closing quote (`"a"b,`) is read to its end and then reported as a `malformedCSV`
    /// error with `isRowError` set: the caller may go on with the next record. A quote that is never closed is a
    /// fatal `malformedCSV` error.
    public func next() throws(UsageError) -> Bool {
        while true {
            switch scanRecord() {
            case .record(let next, let lines, let malformedField):
                bytesConsumed += next - start
                start = next
                line = nextLine
                nextLine += lines
                if let malformedField {
                    var error = UsageError(
                        .malformedCSV, file: name, row: line, column: .init(index: malformedField + 1, name: nil),
                        message: "text follows the closing quote of a quoted field.",
                        hint: "Inside a quoted field a quote is written twice (\"\"); check how the file was written.")
                    error.isRowError = true
                    throw error
                }
                return true
            case .blankLines(let next, let lines):
                bytesConsumed += next - start
                start = next
                nextLine += lines
            case .unclosedQuote(let field):
                line = nextLine
                fieldCount = 0
                throw UsageError(
                    .malformedCSV, file: name, row: line, column: .init(index: field + 1, name: nil),
                    message: "a quoted field is never closed: the file ends inside it.",
                    hint: "Look for a stray double quote in this row.")
            case .needMore:
                try fill()
            case .endOfData:
                fieldCount = 0
                return false
            }
        }
    }

    /// Moves the unconsumed bytes to the front and reads more after them, growing the buffer when one record
    /// fills it.
    private func fill() throws(UsageError) {
        if start > 0 {
            let pending = end - start
            if pending > 0 { buffer.update(from: buffer + start, count: pending) }
            end = pending
            start = 0
        }
        if end == capacity {
            guard capacity < maxRecordBytes else {
                line = nextLine
                throw UsageError(
                    .rowTooLong, file: name, row: line,
                    message: "a record is longer than \(maxRecordBytes) bytes.",
                    hint: "This is not a usage file, or a quote is not closed where it should be.")
            }
            let newCapacity = min(capacity * 2, maxRecordBytes)
            let newBuffer = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity + 1)
            newBuffer.update(from: buffer, count: end)
            buffer.deallocate()
            buffer = newBuffer
            capacity = newCapacity
        }
        let count = try source.read(into: buffer + end, capacity: capacity - end)
        if count == 0 { atEOF = true }
        end += count
        buffer[end] = 10  // sentinel
    }

    private enum ScanResult {
        case record(next: Int, lines: Int, malformedField: Int?)
        case blankLines(next: Int, lines: Int)
        case needMore
        /// The data ends inside the quoted field with this 0-based index.
        case unclosedQuote(field: Int)
        case endOfData
    }

    private func growFields() {
        let newCapacity = fieldCapacity * 2
        let newStarts = UnsafeMutablePointer<Int>.allocate(capacity: newCapacity)
        let newEnds = UnsafeMutablePointer<Int>.allocate(capacity: newCapacity)
        let newKinds = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newStarts.update(from: starts, count: fieldCapacity)
        newEnds.update(from: ends, count: fieldCapacity)
        newKinds.update(from: kinds, count: fieldCapacity)
        starts.deallocate()
        ends.deallocate()
        kinds.deallocate()
        starts = newStarts
        ends = newEnds
        kinds = newKinds
        fieldCapacity = newCapacity
    }

    /// Finds the fields of the record at `start`. Does not consume it.
    private func scanRecord() -> ScanResult {
        let b = buffer
        let end = self.end
        var p = start
        let comma: UInt8 = 44, quote: UInt8 = 34, lf: UInt8 = 10, cr: UInt8 = 13

        // Blank lines before the record.
        var blank = 0
        while p < end && (b[p] == lf || b[p] == cr) {
            if b[p] == cr {
                if p + 1 == end && !atEOF { break }
                if p + 1 < end && b[p + 1] == lf { p += 1 }
            }
            p += 1
            blank += 1
        }
        if blank > 0 { return .blankLines(next: p, lines: blank) }
        if p == end { return atEOF ? .endOfData : .needMore }

        var n = 0
        var lines = 1
        var malformed: Int? = nil
        var starts = self.starts, ends = self.ends, kinds = self.kinds
        var fieldCapacity = self.fieldCapacity
        while true {
            if n == fieldCapacity {
                growFields()
                (starts, ends, kinds, fieldCapacity) = (self.starts, self.ends, self.kinds, self.fieldCapacity)
            }
            let c0 = b[p]
            var c: UInt8
            if c0 == quote {
                // Quoted field: runs to a quote that is not doubled.
                p += 1
                let contentStart = p
                var kind: UInt8 = 1
                while true {
                    while p < end && b[p] != quote {
                        if b[p] == lf { lines += 1 }
                        p += 1
                    }
                    if p == end { return atEOF ? .unclosedQuote(field: n) : .needMore }
                    // b[p] is a quote; the next byte decides whether it is doubled.
                    if p + 1 == end && !atEOF { return .needMore }
                    if p + 1 < end && b[p + 1] == quote {
                        kind = 2
                        p += 2
                        continue
                    }
                    break
                }
                starts[n] = contentStart
                ends[n] = p
                kinds[n] = kind
                n += 1
                p += 1
                c = b[p]  // the sentinel when p == end
                if c != comma && c != lf && c != cr {
                    // Text after the closing quote: note it and skip to the end of the field.
                    if malformed == nil { malformed = n - 1 }
                    while true {
                        c = b[p]
                        if c == comma || c == lf || c == cr { break }
                        p += 1
                    }
                }
            } else {
                // Plain field: runs to a comma or a line break. Most bytes are above the comma.
                let fieldStart = p
                c = c0
                while true {
                    if c > comma || (c != comma && c != lf && c != cr) {
                        p += 1
                        c = b[p]
                        continue
                    }
                    break
                }
                starts[n] = fieldStart
                ends[n] = p
                kinds[n] = 0
                n += 1
            }
            // Here c == b[p] is a comma or a line break, or p == end (the sentinel line feed).
            if p == end {
                if !atEOF { return .needMore }
                fieldCount = n
                return .record(next: p, lines: lines, malformedField: malformed)
            }
            if c == comma {
                p += 1
                if p == end {
                    if !atEOF { return .needMore }
                    // A trailing comma at the very end: one more, empty field.
                    if n == fieldCapacity {
                        growFields()
                        (starts, ends, kinds) = (self.starts, self.ends, self.kinds)
                    }
                    starts[n] = p
                    ends[n] = p
                    kinds[n] = 0
                    fieldCount = n + 1
                    return .record(next: p, lines: lines, malformedField: malformed)
                }
                continue
            }
            if c == cr {
                if p + 1 == end && !atEOF { return .needMore }
                if p + 1 < end && b[p + 1] == lf { p += 1 }
            }
            fieldCount = n
            return .record(next: p + 1, lines: lines, malformedField: malformed)
        }
    }

    // MARK: Fields

    /// The bytes of field `index` of the current record, between the quotes if quoted, with doubled quotes not
    /// undone. `index` is 0-based and must be below `fieldCount`.
    @inline(__always)
    public func withBytes<R>(at index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        precondition(index >= 0 && index < fieldCount, "field index out of range")
        return try body(UnsafeBufferPointer(start: buffer + starts[index], count: ends[index] - starts[index]))
    }

    /// The raw span of field `index` (see `withBytes`), and whether it holds doubled quotes to undo.
    @inline(__always)
    func span(_ index: Int) -> (bytes: UnsafeBufferPointer<UInt8>, escaped: Bool) {
        (UnsafeBufferPointer(start: buffer + starts[index], count: ends[index] - starts[index]), kinds[index] == 2)
    }

    /// Whether field `index` was written in quotes.
    public func isQuoted(at index: Int) -> Bool {
        precondition(index >= 0 && index < fieldCount, "field index out of range")
        return kinds[index] != 0
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

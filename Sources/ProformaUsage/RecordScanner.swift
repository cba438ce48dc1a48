/// A chunk of CSV text and the records found in it: what the scanner hands to the reader.
///
/// Owned by one thread at a time: the scanner fills it, then the reader reads it, then it goes back to the
/// scanner. `@unchecked Sendable` for that hand-over, which `ReadAhead` does under its lock.
final class RecordBatch: @unchecked Sendable {
    /// One record: where its fields' spans start in `spans`, how many fields it has, its 1-based line, the offset in
    /// the whole text just after it, and the 0-based index of a field with text after its closing quote (or -1).
    struct Record {
        var spanOffset: Int
        var fieldCount: Int
        var line: Int
        var endOffset: Int
        var malformedField: Int
    }

    /// The text. `padding` bytes more are allocated: a sentinel line feed at `end`, and room for the word-sized
    /// loads of the scanner, which may read up to 7 bytes past the sentinel.
    private(set) var buffer: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int
    static let padding = 16
    /// One past the last byte of text in `buffer`.
    var end = 0

    /// The fields of all records, one word each: the content span in `buffer` (start in bits 0–30, end in bits
    /// 31–61) and the kind in bits 62–63: 0 plain, 1 quoted, 2 quoted with doubled quotes to undo.
    private(set) var spans: UnsafeMutablePointer<UInt64>
    private(set) var spanCapacity: Int
    var spanCount = 0

    private(set) var records: UnsafeMutablePointer<Record>
    private(set) var recordCapacity: Int
    private(set) var recordCount = 0

    /// The error that ends the data after these records.
    var failure: UsageError? = nil
    /// True when no records follow these.
    var isLast = false
    /// In the last batch, the length of the whole text.
    var textEnd: Int? = nil

    init(capacity: Int) {
        self.capacity = capacity
        buffer = Self.allocateBuffer(capacity)
        spanCapacity = max(1024, capacity / 8)
        spans = .allocate(capacity: spanCapacity)
        recordCapacity = max(64, capacity / 512)
        records = .allocate(capacity: recordCapacity)
    }

    deinit {
        buffer.deallocate()
        spans.deallocate()
        records.deallocate()
    }

    private static func allocateBuffer(_ capacity: Int) -> UnsafeMutablePointer<UInt8> {
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity + padding)
        (buffer + capacity).initialize(repeating: 0, count: padding)
        return buffer
    }

    func reset() {
        end = 0
        spanCount = 0
        recordCount = 0
        failure = nil
        isLast = false
        textEnd = nil
    }

    /// A larger buffer with the same text.
    func growBuffer(to newCapacity: Int) {
        let newBuffer = Self.allocateBuffer(newCapacity)
        newBuffer.update(from: buffer, count: end)
        buffer.deallocate()
        buffer = newBuffer
        capacity = newCapacity
    }

    /// Room for at least `count` more spans.
    func reserveSpans(_ count: Int) {
        guard spanCount + count > spanCapacity else { return }
        var newCapacity = spanCapacity * 2
        while spanCount + count > newCapacity { newCapacity *= 2 }
        let newSpans = UnsafeMutablePointer<UInt64>.allocate(capacity: newCapacity)
        newSpans.update(from: spans, count: spanCount)
        spans.deallocate()
        spans = newSpans
        spanCapacity = newCapacity
    }

    func append(_ record: Record) {
        if recordCount == recordCapacity {
            let newCapacity = recordCapacity * 2
            let newRecords = UnsafeMutablePointer<Record>.allocate(capacity: newCapacity)
            newRecords.update(from: records, count: recordCount)
            records.deallocate()
            records = newRecords
            recordCapacity = newCapacity
        }
        records[recordCount] = record
        recordCount += 1
    }

    @inline(__always)
    static func span(_ start: Int, _ end: Int, _ kind: UInt64) -> UInt64 {
        UInt64(truncatingIfNeeded: start) | UInt64(truncatingIfNeeded: end) &<< 31 | kind &<< 62
    }
}

/// Reads CSV text from a source and splits it into records, a batch at a time. Used by one thread at a time (the
/// reader's, or the read-ahead thread).
final class RecordScanner: @unchecked Sendable {
    let name: String
    private let source: ByteSource
    private let maxRecordBytes: Int
    private var atEOF = false
    private var finished = false
    /// The line the next record starts on.
    private var nextLine = 1
    /// The offset in the whole text of the first byte of `carry`.
    private var carryOffset = 0
    /// The start of a record that did not fit in the last batch, to go first into the next one.
    private var carry: [UInt8]
    /// Whether a byte order mark may still come (at the very start of the text).
    private var atStart = true

    /// Offsets are kept in 31 bits.
    static let maxBufferBytes = 1 << 30

    /// `initial` holds text already read from `source`.
    init(source: ByteSource, name: String, initial: [UInt8], maxRecordBytes: Int) {
        self.source = source
        self.name = name
        self.maxRecordBytes = maxRecordBytes
        carry = initial
    }

    /// Fills `batch` with the next records (at least one unless the data ends). Never throws: an error ends the
    /// batch, after its records, as `batch.failure`.
    func fill(_ batch: RecordBatch) {
        batch.reset()
        if finished {
            batch.isLast = true
            return
        }
        let bytes = carry.count
        if bytes > batch.capacity { batch.growBuffer(to: bytes) }
        carry.withUnsafeBufferPointer { carried in
            if let base = carried.baseAddress, bytes > 0 { batch.buffer.update(from: base, count: bytes) }
        }
        carry.removeAll(keepingCapacity: true)
        batch.end = bytes
        batch.buffer[batch.end] = 10  // sentinel
        var base = carryOffset  // the offset in the whole text of buffer[0]
        var position = 0

        while true {
            if atStart && (batch.end >= 3 || atEOF) {
                atStart = false
                let b = batch.buffer
                if batch.end >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF { position = 3 }
            }
            if !atStart {
                scanning: while true {
                    switch scanRecord(batch, from: position) {
                    case .record(let next, let lines, let spanOffset, let fieldCount, let malformed):
                        batch.append(
                            .init(
                                spanOffset: spanOffset, fieldCount: fieldCount, line: nextLine,
                                endOffset: base + next, malformedField: malformed))
                        batch.spanCount = spanOffset + fieldCount
                        nextLine += lines
                        position = next
                    case .blankLines(let next, let lines):
                        nextLine += lines
                        position = next
                    case .needMore:
                        break scanning
                    case .unclosedQuote(let field):
                        finish(
                            batch,
                            UsageError(
                                .malformedCSV, file: name, row: nextLine, column: .init(index: field + 1, name: nil),
                                message: "a quoted field is never closed: the file ends inside it",
                                hint: "Look for a stray double quote in this row."))
                        return
                    case .endOfData:
                        batch.textEnd = base + batch.end
                        finish(batch, nil)
                        return
                    }
                }
            }
            // The record at `position` is incomplete: hand over a full batch, or make room and read more.
            if batch.recordCount > 0 && batch.end == batch.capacity {
                carry.append(contentsOf: UnsafeBufferPointer(start: batch.buffer + position, count: batch.end - position))
                carryOffset = base + position
                return
            }
            if batch.end == batch.capacity {
                if position > 0 {
                    let pending = batch.end - position
                    batch.buffer.update(from: batch.buffer + position, count: pending)
                    batch.end = pending
                    base += position
                    position = 0
                } else {
                    guard batch.capacity < maxRecordBytes else {
                        finish(
                            batch,
                            UsageError(
                                .rowTooLong, file: name, row: nextLine,
                                message: "a record is longer than \(maxRecordBytes) bytes",
                                hint: "This is not a usage file, or a quote is not closed where it should be."))
                        return
                    }
                    batch.growBuffer(to: min(batch.capacity * 2, maxRecordBytes))
                }
            }
            do {
                let count = try source.read(into: batch.buffer + batch.end, capacity: batch.capacity - batch.end)
                if count == 0 { atEOF = true }
                batch.end += count
                batch.buffer[batch.end] = 10  // sentinel
            } catch {
                finish(batch, error)
                return
            }
        }
    }

    private func finish(_ batch: RecordBatch, _ failure: UsageError?) {
        finished = true
        batch.isLast = true
        batch.failure = failure
    }

    private enum ScanResult {
        case record(next: Int, lines: Int, spanOffset: Int, fieldCount: Int, malformedField: Int)
        case blankLines(next: Int, lines: Int)
        case needMore
        /// The data ends inside the quoted field with this 0-based index.
        case unclosedQuote(field: Int)
        case endOfData
    }

    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080

    /// A word with the high bit set in the bytes of `word` equal to `byte`. Bytes above the first such byte may be
    /// flagged wrongly (a borrow runs on), so only the lowest flag is to be trusted.
    @inline(__always)
    private static func flags(_ word: UInt64, _ byte: UInt8) -> UInt64 {
        let x = word ^ (ones &* UInt64(byte))
        return (x &- ones) & ~x & highs
    }

    /// The 8 bytes at `p`, first byte lowest.
    @inline(__always)
    private static func word(_ p: UnsafeMutablePointer<UInt8>) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(p).loadUnaligned(as: UInt64.self))
    }

    /// Finds the fields of the record at `start`, writing their spans after the batch's spans. Does not append the
    /// record. The text must be followed by the sentinel line feed.
    private func scanRecord(_ batch: RecordBatch, from start: Int) -> ScanResult {
        let b = batch.buffer
        let end = batch.end
        let atEOF = self.atEOF
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

        let spanOffset = batch.spanCount
        batch.reserveSpans(256)
        var spans = batch.spans + spanOffset
        var room = 256
        var n = 0
        var lines = 1
        var malformed = -1
        while true {
            if n == room {
                batch.reserveSpans(room * 2)
                spans = batch.spans + spanOffset
                room *= 2
            }
            let c0 = b[p]
            var c: UInt8
            if c0 == comma {
                // An empty field, the commonest kind in a CUR.
                spans[n] = RecordBatch.span(p, p, 0)
                n &+= 1
                p &+= 1
                if p == end {
                    if !atEOF { return .needMore }
                    // A trailing comma at the very end: one more, empty field.
                    if n == room {
                        batch.reserveSpans(room + 1)
                        spans = batch.spans + spanOffset
                    }
                    spans[n] = RecordBatch.span(p, p, 0)
                    return .record(next: p, lines: lines, spanOffset: spanOffset, fieldCount: n &+ 1, malformedField: malformed)
                }
                continue
            }
            if c0 == quote {
                // Quoted field: runs to a quote that is not doubled. Line feeds inside are counted; the sentinel line
                // feed at `end` stops the search when the data ends first.
                p &+= 1
                let contentStart = p
                var kind: UInt64 = 1
                while true {
                    while true {
                        let w = Self.word(b + p)
                        let stops = Self.flags(w, quote) | Self.flags(w, lf)
                        if stops != 0 {
                            p &+= stops.trailingZeroBitCount &>> 3
                            break
                        }
                        p &+= 8
                    }
                    if b[p] == lf {
                        if p == end { return atEOF ? .unclosedQuote(field: n) : .needMore }
                        lines &+= 1
                        p &+= 1
                        continue
                    }
                    // b[p] is a quote; the next byte decides whether it is doubled.
                    if p &+ 1 == end && !atEOF { return .needMore }
                    if p &+ 1 < end && b[p &+ 1] == quote {
                        kind = 2
                        p &+= 2
                        continue
                    }
                    break
                }
                spans[n] = RecordBatch.span(contentStart, p, kind)
                n &+= 1
                p &+= 1
                c = b[p]  // the sentinel when p == end
                if c != comma && c != lf && c != cr {
                    // Text after the closing quote: note it and skip to the end of the field.
                    if malformed < 0 { malformed = n &- 1 }
                    while true {
                        c = b[p]
                        if c == comma || c == lf || c == cr { break }
                        p &+= 1
                    }
                }
            } else {
                // Plain field: runs to a comma or a line break (at worst the sentinel), found 8 bytes at a time.
                let fieldStart = p
                while true {
                    let w = Self.word(b + p)
                    let stops = Self.flags(w, comma) | Self.flags(w, lf) | Self.flags(w, cr)
                    if stops != 0 {
                        p &+= stops.trailingZeroBitCount &>> 3
                        break
                    }
                    p &+= 8
                }
                c = b[p]
                spans[n] = RecordBatch.span(fieldStart, p, 0)
                n &+= 1
            }
            // Here c == b[p] is a comma or a line break, or p == end (the sentinel line feed).
            if p == end {
                if !atEOF { return .needMore }
                return .record(next: p, lines: lines, spanOffset: spanOffset, fieldCount: n, malformedField: malformed)
            }
            if c == comma {
                p &+= 1
                if p == end {
                    if !atEOF { return .needMore }
                    if n == room {
                        batch.reserveSpans(room + 1)
                        spans = batch.spans + spanOffset
                    }
                    spans[n] = RecordBatch.span(p, p, 0)
                    return .record(next: p, lines: lines, spanOffset: spanOffset, fieldCount: n &+ 1, malformedField: malformed)
                }
                continue
            }
            if c == cr {
                if p &+ 1 == end && !atEOF { return .needMore }
                if p &+ 1 < end && b[p &+ 1] == lf { p &+= 1 }
            }
            return .record(next: p &+ 1, lines: lines, spanOffset: spanOffset, fieldCount: n, malformedField: malformed)
        }
    }
}

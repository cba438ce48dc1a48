#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif
import ProformaCore

/// One usage input of a scan: a file, or data held in memory.
public struct UsageInput: Sendable, Hashable {
    public enum Source: Sendable, Hashable {
        case file(path: String)
        case bytes([UInt8])
    }

    public var source: Source
    /// How errors and summaries call the input (the path by default).
    public var name: String

    /// A usage file, plain or gzip.
    public init(path: String, name: String? = nil) {
        source = .file(path: path)
        self.name = name ?? path
    }

    /// Usage data held in memory, plain or gzip.
    public init(bytes: [UInt8], name: String) {
        source = .bytes(bytes)
        self.name = name
    }

    func open(_ options: UsageReadOptions) throws(UsageError) -> UsageReader {
        switch source {
        case .file(let path): try UsageReader(path: path, name: name, options: options)
        case .bytes(let bytes): try UsageReader(bytes: bytes, name: name, options: options)
        }
    }
}

/// How far a scan has come, for a progress display.
public struct UsageProgress: Sendable, Hashable {
    /// The input being read (index into the scan's inputs) and its name.
    public var inputIndex: Int
    public var file: String
    /// Lines read from this input so far, and from all inputs.
    public var rows: Int
    public var totalRows: Int
    /// CSV bytes of this input read so far (after decompression).
    public var bytesRead: Int
    /// The size of the input as stored (compressed, for gzip), when known.
    public var size: Int?
    public var isCompressed: Bool
}

/// What a scan read: each input's summary, and their totals.
public struct UsageScanSummary: Sendable, Hashable {
    /// One summary per input, in order.
    public var files: [UsageReadSummary]

    public var rowsRead: Int { files.reduce(0) { $0 + $1.rowsRead } }
    public var rowsSkipped: Int { files.reduce(0) { $0 + $1.rowsSkipped } }
    /// Numbers rounded to `UsageReader.decimalPlaces` places at reading, over all inputs.
    public var valuesRounded: Int { files.reduce(0) { $0 + $1.valuesRounded } }
    /// "80 values were rounded to 20 decimal places", or nil.
    public var roundedValuesNote: String? {
        UsageReadSummary.roundedValuesNote(
            valuesRounded, rows: files.flatMap { file in file.firstRoundedRows.map { "\(file.file):\($0)" } },
            rowCount: files.reduce(0) { $0 + $1.rowsRounded })
    }
    /// The inputs' notes on skipped rows, in order.
    public var skippedRowsNotes: [String] { files.compactMap(\.skippedRowsNote) }
    /// The product names of the service codes over all inputs: an earlier input's name stands.
    public var serviceNames: [String: String] {
        var names: [String: String] = [:]
        for file in files { names.merge(file.serviceNames) { first, _ in first } }
        return names
    }
}

/// Reads a set of usage inputs in order, handing every line to a closure, and refuses data given twice
/// (billing-semantics.md §2: the same line must not be counted twice):
///
/// - The same data given twice, whatever its name or path (the same bytes as stored), is a `duplicateFile` error
///   before any line is read. Inputs are compared only when their sizes are equal, so this costs nothing otherwise.
/// - A line item of CUR or CUR 2.0 (line item ID and time interval) that an earlier input held for the same billing
///   period is a `duplicateLine` error naming both files and rows, as when AWS delivers a report again. Repeats
///   within one input are not checked. FOCUS has no line identity: its re-deliveries are caught as the same file.
///
/// Memory grows with the line items of every input but the last (whose line items are only looked up, so a single
/// input costs nothing more than reading it): each is held as 16 bytes (a 64-bit fingerprint of its identity and
/// where it was read), about 21 to 43 bytes per line with the table's spare room. A fingerprint seen before is
/// confirmed by reading the earlier input again up to that row and comparing the identities as written, so a
/// collision of fingerprints never makes an error.
///
/// ```swift
/// let scan = UsageScan(inputs: [UsageInput(path: "cur.csv.gz")])
/// let summary = try scan.forEach(progress: nil) { line, input in … }
/// ```
public struct UsageScan {
    public var inputs: [UsageInput]
    public var options: UsageReadOptions
    /// How many lines of an input between two calls of the progress callback.
    public var progressInterval: Int

    public init(inputs: [UsageInput], options: UsageReadOptions = .init(), progressInterval: Int = 200_000) {
        self.inputs = inputs
        self.options = options
        self.progressInterval = max(1, progressInterval)
    }

    /// The hint of a duplicate error.
    static let duplicateHint =
        "Keep the delivery that stands and leave out the other: name only one of them with --usage, or list only "
        + "one under the project's usage:."

    /// Reads every input in order, handing each line and the index of its input to `body`, and calling `progress`
    /// every `progressInterval` lines of an input. Stops at the first error: a `UsageError` (reading, or data given
    /// twice), or whatever `body` throws.
    public func forEach(
        progress: ((UsageProgress) -> Void)? = nil, _ body: (UsageLine, Int) throws -> Void
    ) throws -> UsageScanSummary {
        try checkDuplicateInputs()
        var summaries: [UsageReadSummary] = []
        var seen = LineIdentities()
        var totalRows = 0
        for (index, input) in inputs.enumerated() {
            let reader = try input.open(options)
            let size = input.storedSize
            let identified = reader.hasLineIdentity
            let isLast = index == inputs.count - 1
            var rows = 0
            let interval = progressInterval
            try reader.scan { line, fingerprint in
                if identified && fingerprint != 0 {
                    // The last input's line items are only looked up: no input after it needs them.
                    let earlier =
                        isLast
                        ? seen.find(fingerprint, period: line.period)
                        : seen.insert(fingerprint, period: line.period, input: index, row: line.row)
                    if let earlier, earlier.input != index {
                        try confirmDuplicate(of: earlier, at: line, in: reader, input: index)
                    }
                }
                try body(line, index)
                rows &+= 1
                if rows % interval == 0, let progress {
                    progress(
                        UsageProgress(
                            inputIndex: index, file: input.name, rows: rows, totalRows: totalRows + rows,
                            bytesRead: reader.bytesRead, size: size, isCompressed: reader.summary.isCompressed))
                }
            }
            totalRows += rows
            summaries.append(reader.summary)
        }
        return UsageScanSummary(files: summaries)
    }

    // MARK: The same data twice

    /// Throws `duplicateFile` for the first input that holds the same bytes as an earlier one.
    func checkDuplicateInputs() throws(UsageError) {
        var bySize: [Int: [Int]] = [:]
        for (index, input) in inputs.enumerated() {
            // An unreadable input is reported by the reader in its turn.
            guard let size = input.storedSize else { continue }
            for earlier in bySize[size, default: []] where try Self.sameContent(inputs[earlier], input) {
                throw UsageError(
                    .duplicateFile, file: input.name,
                    message: "the same data as \(inputs[earlier].name), given before: its lines would be counted "
                        + "twice",
                    hint: Self.duplicateHint, duplicateOf: .init(file: inputs[earlier].name))
            }
            bySize[size, default: []].append(index)
        }
    }

    /// Whether two inputs of the same size hold the same bytes.
    static func sameContent(_ a: UsageInput, _ b: UsageInput) throws(UsageError) -> Bool {
        if case .file(let pathA) = a.source, case .file(let pathB) = b.source, let idA = fileID(pathA),
            idA == fileID(pathB)
        {
            return true
        }
        let sourceA = try a.byteSource()
        let sourceB = try b.byteSource()
        let capacity = 1 << 20
        let bufferA = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        let bufferB = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        defer {
            bufferA.deallocate()
            bufferB.deallocate()
        }
        while true {
            let countA = try fill(bufferA, capacity, from: sourceA)
            let countB = try fill(bufferB, capacity, from: sourceB)
            guard countA == countB else { return false }
            if countA == 0 { return true }
            if memcmp(bufferA, bufferB, countA) != 0 { return false }
        }
    }

    /// Reads until `capacity` bytes or the end.
    private static func fill(_ buffer: UnsafeMutablePointer<UInt8>, _ capacity: Int, from source: ByteSource)
        throws(UsageError) -> Int
    {
        var count = 0
        while count < capacity {
            let read = try source.read(into: buffer + count, capacity: capacity - count)
            if read == 0 { break }
            count += read
        }
        return count
    }

    /// Device and inode of a file.
    private static func fileID(_ path: String) -> [UInt64]? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return [UInt64(info.st_dev), UInt64(info.st_ino)]
    }

    // MARK: The same line twice

    /// Reads the earlier input again up to the row of the fingerprint and throws `duplicateLine` when the two
    /// identities are the same as written (they nearly always are).
    private func confirmDuplicate(
        of earlier: LineIdentities.Place, at line: UsageLine, in reader: UsageReader, input: Int
    ) throws {
        let identity = reader.identityText()
        let earlierInput = inputs[earlier.input]
        let again = try earlierInput.open(options)
        var earlierIdentity: (lineItemID: String, timeInterval: String)? = nil
        do {
            try again.scan { earlierLine, _ in
                guard earlierLine.row == earlier.row else { return }
                if earlierLine.period == line.period { earlierIdentity = again.identityText() }
                throw FoundRow()
            }
        } catch is FoundRow {}
        guard let earlierIdentity, earlierIdentity == identity else { return }
        let names = reader.identityColumnNames
        throw UsageError(
            .duplicateLine, file: inputs[input].name, row: line.row,
            message: "the line item \(names.lineItemID) \u{201C}\(identity.lineItemID)\u{201D}, "
                + "\(names.timeInterval) \u{201C}\(identity.timeInterval)\u{201D} (\(line.period)) was read before "
                + "from \(earlierInput.name):\(earlier.row): it would be counted twice",
            hint: Self.duplicateHint, duplicateOf: .init(file: earlierInput.name, row: earlier.row))
    }

    private struct FoundRow: Error {}
}

extension UsageInput {
    /// The size as stored, or nil when it cannot be known (the reader then reports why).
    var storedSize: Int? {
        switch source {
        case .bytes(let bytes): return bytes.count
        case .file(let path):
            var info = stat()
            guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
            return Int(info.st_size)
        }
    }

    func byteSource() throws(UsageError) -> ByteSource {
        switch source {
        case .file(let path): try FileSource(path: path, name: name)
        case .bytes(let bytes): MemorySource(bytes)
        }
    }
}

/// The line item identities read, per billing period: an open-addressing table of 64-bit fingerprints, each with
/// the input and row it was first read from (16 bytes a slot, at most three quarters full).
struct LineIdentities {
    struct Place {
        var input: Int
        var row: Int
    }

    private var tables: [BillingPeriod: FingerprintTable] = [:]
    private var lastPeriod: BillingPeriod? = nil
    private var lastTable: FingerprintTable? = nil

    /// Records the fingerprint; returns where it was read first when it was seen before (the record is then
    /// unchanged).
    @inline(__always)
    mutating func insert(_ fingerprint: UInt64, period: BillingPeriod, input: Int, row: Int) -> Place? {
        let table: FingerprintTable
        if let lastTable, lastPeriod == period {
            table = lastTable
        } else if let existing = tables[period] {
            table = existing
        } else {
            table = FingerprintTable()
            tables[period] = table
        }
        lastPeriod = period
        lastTable = table
        let packed = UInt64(truncatingIfNeeded: input) << 40 | UInt64(truncatingIfNeeded: row) & (1 << 40 - 1)
        guard let existing = table.insert(fingerprint, packed) else { return nil }
        return Place(input: Int(existing >> 40), row: Int(existing & (1 << 40 - 1)))
    }

    /// Where a fingerprint was read first, without recording it.
    @inline(__always)
    mutating func find(_ fingerprint: UInt64, period: BillingPeriod) -> Place? {
        if lastPeriod != period {
            lastPeriod = period
            lastTable = tables[period]
        }
        guard let existing = lastTable?.find(fingerprint) else { return nil }
        return Place(input: Int(existing >> 40), row: Int(existing & (1 << 40 - 1)))
    }

    /// The slots held, over all periods (for measurements).
    var capacity: Int { tables.values.reduce(0) { $0 + $1.capacity } }
}

final class FingerprintTable {
    private var keys: UnsafeMutablePointer<UInt64>  // 0: empty
    private var values: UnsafeMutablePointer<UInt64>
    private var mask: Int
    private(set) var count = 0

    var capacity: Int { mask + 1 }

    init(capacity: Int = 1024) {
        mask = capacity - 1
        keys = .allocate(capacity: capacity)
        keys.initialize(repeating: 0, count: capacity)
        values = .allocate(capacity: capacity)
    }

    deinit {
        keys.deallocate()
        values.deallocate()
    }

    /// The value of `key`, if it is held.
    @inline(__always)
    func find(_ key: UInt64) -> UInt64? {
        var slot = Int(truncatingIfNeeded: key) & mask
        while true {
            let k = keys[slot]
            if k == 0 { return nil }
            if k == key { return values[slot] }
            slot = (slot &+ 1) & mask
        }
    }

    /// Inserts `key` (not 0) with `value`, or returns the value it already has.
    @inline(__always)
    func insert(_ key: UInt64, _ value: UInt64) -> UInt64? {
        var slot = Int(truncatingIfNeeded: key) & mask
        while true {
            let k = keys[slot]
            if k == 0 { break }
            if k == key { return values[slot] }
            slot = (slot &+ 1) & mask
        }
        keys[slot] = key
        values[slot] = value
        count += 1
        if count * 4 > capacity * 3 { grow() }
        return nil
    }

    private func grow() {
        let oldKeys = keys
        let oldValues = values
        let oldCapacity = capacity
        let newCapacity = oldCapacity * 2
        keys = .allocate(capacity: newCapacity)
        keys.initialize(repeating: 0, count: newCapacity)
        values = .allocate(capacity: newCapacity)
        mask = newCapacity - 1
        for i in 0..<oldCapacity where oldKeys[i] != 0 {
            var slot = Int(truncatingIfNeeded: oldKeys[i]) & mask
            while keys[slot] != 0 { slot = (slot &+ 1) & mask }
            keys[slot] = oldKeys[i]
            values[slot] = oldValues[i]
        }
        oldKeys.deallocate()
        oldValues.deallocate()
    }
}

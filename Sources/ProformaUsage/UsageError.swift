/// A problem reading a usage file: an I/O failure, a file that is not usage data, or a bad row.
///
/// Every error names the file; errors about a row also name the row (the 1-based physical line on which the
/// record starts, the header being line 1) and, where one field is at fault, the column by its 1-based index and
/// its header name. `code` says what kind of problem it is; match on it, never on the message.
public struct UsageError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong. Stable: callers and tests match on it.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// The file cannot be opened or read.
        case io
        /// The gzip stream is corrupt or cut short.
        case gzip
        /// The file has no header line.
        case emptyFile
        /// The header has none of the columns of CUR, CUR 2.0 or FOCUS.
        case notUsageFile
        /// The header lacks a column the engine needs.
        case missingColumn
        /// The CSV itself is malformed (text after a closing quote, a quote that is never closed).
        case malformedCSV
        /// A record is larger than the reader accepts.
        case rowTooLong
        /// A row has more fields than the header.
        case tooManyFields
        /// A row has fewer fields than the header and lacks a column the engine uses.
        case tooFewFields
        /// A number column holds something that is not a decimal number.
        case invalidNumber
        /// The billing period start is not a date.
        case invalidPeriod
        /// A column that must have a value is empty (or `NULL`).
        case emptyValue
        /// The same data is given twice (the same bytes, whatever the file's name or path): `duplicateOf` names the
        /// input given first.
        case duplicateFile
        /// Two inputs hold the same line item (line item ID and time interval) for the same billing period, as when
        /// a report is delivered again: `duplicateOf` names the first file and row.
        case duplicateLine
    }

    /// Where data given twice was read first.
    public struct Place: Sendable, Hashable, CustomStringConvertible {
        public var file: String
        /// The row, for a line; nil for a whole file.
        public var row: Int?

        public init(file: String, row: Int? = nil) {
            self.file = file
            self.row = row
        }

        /// `FILE:ROW`, or `FILE`.
        public var description: String { row.map { "\(file):\($0)" } ?? file }
    }

    /// A column of the file: its 1-based index and, when the header has one there, its name as written.
    public struct Column: Sendable, Hashable, CustomStringConvertible {
        public var index: Int
        public var name: String?

        public init(index: Int, name: String?) {
            self.index = index
            self.name = name
        }

        public var description: String {
            if let name { return "\(index) (\(name))" }
            return "\(index)"
        }
    }

    public var code: Code
    /// The file as the caller named it.
    public var file: String
    /// The 1-based line on which the offending record starts; nil for problems of the file as a whole.
    public var row: Int?
    public var column: Column?
    /// One sentence saying what is wrong.
    public var message: String
    /// What to do about it, where something helps.
    public var hint: String?
    /// For data given twice: where it was read first.
    public var duplicateOf: Place?

    public init(
        _ code: Code, file: String, row: Int? = nil, column: Column? = nil, message: String, hint: String? = nil,
        duplicateOf: Place? = nil
    ) {
        self.duplicateOf = duplicateOf
        self.code = code
        self.file = file
        self.row = row
        self.column = column
        self.message = message
        self.hint = hint
        switch code {
        case .tooManyFields, .tooFewFields, .invalidNumber, .invalidPeriod, .emptyValue: isRowError = true
        case .io, .gzip, .emptyFile, .notUsageFile, .missingColumn, .malformedCSV, .rowTooLong, .duplicateFile,
            .duplicateLine:
            isRowError = false
        }
    }

    /// True for problems confined to one row, after which the next row can still be read: these are the ones
    /// `UsageReadOptions.skipInvalidRows` skips.
    public internal(set) var isRowError: Bool

    /// `FILE:ROW:COLUMN: message`, leaving out the parts that are unknown; the column reads `3 (name)`.
    public var location: String {
        var text = file
        if let row {
            text += ":\(row)"
            if let column { text += ":\(column)" }
        } else if let column {
            text += ": column \(column)"
        }
        return text
    }

    public var description: String {
        "\(location): \(message)"
    }
}

import ProformaCore

/// Reads a usage file (CUR, CUR 2.0 or FOCUS CSV, plain or gzip) as a stream of `UsageLine`s.
///
/// ```swift
/// let reader = try UsageReader(path: "cur.csv.gz")
/// while let line = try reader.next() { … }
/// print(reader.summary.rowsRead)
/// ```
///
/// The format is recognised from the header, whose names match case-insensitively; the columns each field is
/// read from are listed by `UsageFormat.columns(for:)`. Reading rules (billing-semantics.md §2):
///
/// - The file must have columns for the billing period start, the usage account, the line item type (FOCUS
///   `ChargeCategory`), the service (CUR product code; FOCUS `x_ServiceCode` or `ServiceName`), the actual cost and
///   the currency; any other column may be absent (see `UsageLine` for what an absent column reads as).
/// - A row with more fields than the header is an error. A row with fewer is read when it still has every column
///   the reader uses (a real export has one field short on every row).
/// - Empty values and FOCUS's literal `NULL` read alike: "" for text, nil for optional numbers. The actual cost,
///   the billing period start, the currency and the line item type must have a value.
/// - Numbers are exact decimals and may be in scientific notation (`4.0E-7`), with any number of digits; digits
///   beyond `decimalPlaces` places are rounded half-even and counted (`UsageReadSummary.valuesRounded`). A value
///   that is not a number in a number column, or not below 10^`integerDigits`, is an error naming the row and
///   column.
/// - The billing period is the year and month at the start of the billing period start (`2023-11-01T00:00:00Z`,
///   `2022-07-01 00:00:00.000`), without time zone arithmetic.
///
/// Errors stop the reading unless `options.skipInvalidRows` is set; then rows with errors confined to them are
/// counted and skipped (see `summary`). Memory does not grow with the number of rows: it holds a few chunks of the
/// file (see `CSVReader`) and the distinct values of the text columns, which are made into strings once (bounded:
/// past 65,536 distinct values of a column, further ones are made for each row and not kept).
///
/// With `options.readAhead` (the default) a second thread reads, decompresses and splits the file while the
/// caller's thread makes lines; the reader itself is used from one thread.
public final class UsageReader {
    /// The decimal places a number of a usage file is kept to: digits beyond are rounded half-even at reading
    /// (exports print floats with up to 17 significant digits, `2.8054406810350956e-05` having 21 places), and
    /// `UsageReadSummary.valuesRounded` counts the values that changed.
    public static let decimalPlaces = 20
    /// Numbers of a usage file must be below 10^`integerDigits` in magnitude (no real bill has such amounts).
    public static let integerDigits = 12

    /// The file as the caller named it.
    public let file: String
    public let format: UsageFormat
    /// The header as written (names trimmed of surrounding spaces).
    public let header: [String]
    public let options: UsageReadOptions

    private let csv: CSVReader
    private let headerCount: Int
    /// The highest column index (0-based) read from every row.
    private let lastUsedColumn: Int
    private let absentFields: [UsageField]

    // Column indexes (0-based), -1 when absent.
    private let periodColumn: Int
    private let accountColumn: Int
    private let payerColumn: Int
    private let typeColumn: Int
    private let serviceColumn: Int
    private let serviceNameColumn: Int
    private let usageTypeColumn: Int
    private let operationColumn: Int
    private let entityColumn: Int
    private let publicCostColumn: Int
    private let actualCostColumn: Int
    private let amountColumn: Int
    private let currencyColumn: Int
    private let reservationColumn: Int
    private let savingsPlanColumn: Int
    private let commitmentColumn: Int
    private let frequencyColumn: Int
    private let resourceColumn: Int
    /// The product name (CUR `product/ProductName`, CUR 2.0 `product_product_name`, FOCUS `ServiceName`), -1 when
    /// the file has none. Read once per service code: see `serviceNames`.
    private let productNameColumn: Int
    /// The line item identity (CUR `identity/LineItemId` and `identity/TimeInterval`, CUR 2.0 snake_case), -1 when
    /// the file lacks either column (FOCUS has none).
    private let lineItemIDColumn: Int
    private let timeIntervalColumn: Int

    // Distinct values, made once.
    private let accounts = InternTable<String>()
    private let services = InternTable<String>()
    private let usageTypes = InternTable<String>()
    private let operations = InternTable<String>()
    private let entities = InternTable<String>()
    private let currencies = InternTable<String>()
    private let lineTypes = InternTable<LineItemType>()
    private let categories = InternTable<FocusCategory>()
    private let commitments = InternTable<Commitment>()
    private let resources = InternTable<String>()
    private let productNames = InternTable<String>()
    /// The product name of each service code, taken from the row that first held the code.
    @exclusivity(unchecked) private var serviceNames: [String: String] = [:]
    /// The count of `services` when a name was last looked for.
    @exclusivity(unchecked) private var servicesNamed = 0

    @exclusivity(unchecked) private var lastPeriodKey: UInt64 = 0
    @exclusivity(unchecked) private var lastPeriod: BillingPeriod? = nil
    @exclusivity(unchecked) private var periods: Set<BillingPeriod> = []
    @exclusivity(unchecked) private var lastCurrency = ""
    @exclusivity(unchecked) private var currencySet: Set<String> = []

    @exclusivity(unchecked) private var rowsRead = 0
    @exclusivity(unchecked) private var valuesRounded = 0
    /// Values rounded in the row being made; added to `valuesRounded` once the row is read.
    @exclusivity(unchecked) private var rowValuesRounded = 0
    /// Rows with a value rounded at reading, and the first few of them (`Positions.shown`).
    @exclusivity(unchecked) private var rowsRounded = 0
    @exclusivity(unchecked) private var firstRoundedRows: [Int] = []
    @exclusivity(unchecked) private var rowsSkipped = 0
    @exclusivity(unchecked) private var skippedExamples: [UsageError] = []

    /// Opens a usage file, plain or gzip (recognised by its magic bytes), and reads its header. `name` is how
    /// errors call the file (the path by default).
    public convenience init(path: String, name: String? = nil, options: UsageReadOptions = .init()) throws(UsageError) {
        let name = name ?? path
        try self.init(
            csv: CSVReader(path: path, name: name, chunkSize: options.chunkSize, readAhead: options.readAhead),
            options: options)
    }

    /// Reads usage data held in memory, plain or gzip.
    public convenience init(bytes: [UInt8], name: String, options: UsageReadOptions = .init()) throws(UsageError) {
        try self.init(
            csv: CSVReader(bytes: bytes, name: name, chunkSize: options.chunkSize, readAhead: options.readAhead),
            options: options)
    }

    private init(csv: CSVReader, options: UsageReadOptions) throws(UsageError) {
        self.csv = csv
        self.options = options
        file = csv.name
        guard try csv.next() else {
            throw UsageError(
                .emptyFile, file: file, message: "the file is empty: it has no header line",
                hint: "Export the report again; a usage file starts with a header line.")
        }
        header = csv.fields.map { Self.trimmed($0) }
        headerCount = header.count
        let (format, columns) = try Self.recognise(header: header, file: file)
        self.format = format
        func column(_ field: UsageField) -> Int { columns[field] ?? -1 }
        periodColumn = column(.billingPeriodStart)
        accountColumn = column(.usageAccount)
        payerColumn = column(.payerAccount)
        typeColumn = column(.lineItemType)
        serviceColumn = column(.serviceCode)
        serviceNameColumn = column(.serviceName)
        usageTypeColumn = column(.usageType)
        operationColumn = column(.operation)
        entityColumn = column(.billingEntity)
        publicCostColumn = column(.publicOnDemandCost)
        actualCostColumn = column(.actualCost)
        amountColumn = column(.usageAmount)
        currencyColumn = column(.currency)
        reservationColumn = column(.reservationARN)
        savingsPlanColumn = column(.savingsPlanARN)
        commitmentColumn = column(.commitmentDiscountID)
        frequencyColumn = column(.chargeFrequency)
        resourceColumn = options.readsResourceIDs ? column(.resourceID) : -1
        productNameColumn =
            format == .focus ? column(.serviceName) : Self.productNameColumn(header: header, format: format)
        let identity = Self.identityColumns(header: header, format: format)
        lineItemIDColumn = identity?.lineItemID ?? -1
        timeIntervalColumn = identity?.timeInterval ?? -1
        var used = columns
        if !options.readsResourceIDs { used[.resourceID] = nil }
        lastUsedColumn = used.values.max() ?? 0
        absentFields = UsageField.allCases.filter {
            columns[$0] == nil && !format.columns(for: $0).isEmpty
                && !UsageFormat.requiredFields.contains($0)
        }
    }

    // MARK: Reading

    /// The next line, or nil at the end of the file.
    public func next() throws(UsageError) -> UsageLine? {
        while true {
            do throws(UsageError) {
                guard try csv.next() else { return nil }
                let line = try makeLine()
                rowsRead += 1
                return line
            } catch {
                try skip(error)
            }
        }
    }

    /// The fields of the row `next()` last read, as written (for writing the row out again).
    public var currentFields: [String] { csv.fields }

    /// Hands every remaining line to `body` (a little quicker than `next()`: a line is not copied out).
    public func forEach(_ body: (UsageLine) -> Void) throws(UsageError) {
        while true {
            do throws(UsageError) {
                guard try csv.next() else { return }
                body(try makeLine())
                rowsRead += 1
            } catch {
                try skip(error)
            }
        }
    }

    /// Hands every remaining line to `body` with the 64-bit fingerprint of its line item identity (0 when the file
    /// has no identity columns, or the row's are empty). For `UsageScan`: `body` may throw any error, which stops
    /// the reading.
    func scan(_ body: (UsageLine, UInt64) throws -> Void) throws {
        let identityLast = max(lineItemIDColumn, timeIntervalColumn)
        while true {
            let line: UsageLine
            do throws(UsageError) {
                guard try csv.next() else { return }
                line = try makeLine()
                rowsRead += 1
            } catch {
                try skip(error)
                continue
            }
            try body(line, identityLast >= 0 && csv.fieldCount > identityLast ? identityFingerprint() : 0)
        }
    }

    /// CSV bytes read so far (after decompression).
    var bytesRead: Int { csv.bytesConsumed }

    /// Whether the file has line item identity columns.
    var hasLineIdentity: Bool { lineItemIDColumn >= 0 }

    /// The fingerprint of the current row's line item identity; 0 when both values are empty.
    @inline(__always)
    private func identityFingerprint() -> UInt64 {
        let (id, _) = csv.span(lineItemIDColumn)
        let (interval, _) = csv.span(timeIntervalColumn)
        if Self.isEmpty(id) && Self.isEmpty(interval) { return 0 }
        var h = InternTable<Int>.hash(id) &* 0x9E37_79B9_7F4A_7C15
        h ^= InternTable<Int>.hash(interval)
        h ^= h &>> 33
        h = h &* 0xFF51_AFD7_ED55_8CCD
        h ^= h &>> 33
        return h == 0 ? 1 : h
    }

    /// The current row's line item identity as written: line item ID and time interval.
    func identityText() -> (lineItemID: String, timeInterval: String) {
        guard lineItemIDColumn >= 0, csv.fieldCount > max(lineItemIDColumn, timeIntervalColumn) else { return ("", "") }
        let (id, idEscaped) = csv.span(lineItemIDColumn)
        let (interval, intervalEscaped) = csv.span(timeIntervalColumn)
        return (CSVReader.decode(id, escaped: idEscaped), CSVReader.decode(interval, escaped: intervalEscaped))
    }

    /// The names of the identity columns as the header writes them.
    var identityColumnNames: (lineItemID: String, timeInterval: String) {
        guard lineItemIDColumn >= 0 else { return ("", "") }
        return (header[lineItemIDColumn], header[timeIntervalColumn])
    }

    /// The line item identity columns of a CUR or CUR 2.0 header, when it has both.
    static func identityColumns(header: [String], format: UsageFormat) -> (lineItemID: Int, timeInterval: Int)? {
        let names: (String, String)
        switch format {
        case .cur: names = ("identity/lineitemid", "identity/timeinterval")
        case .cur2: names = ("identity_line_item_id", "identity_time_interval")
        case .focus: return nil
        }
        let lower = header.map { $0.lowercased() }
        guard let id = lower.firstIndex(of: names.0), let interval = lower.firstIndex(of: names.1) else { return nil }
        return (id, interval)
    }

    /// Counts and keeps a row error when skipping invalid rows; throws anything else.
    private func skip(_ error: UsageError) throws(UsageError) {
        var error = error
        // The CSV layer knows columns by index only.
        if let column = error.column, column.name == nil, column.index <= header.count {
            error.column = columnRef(column.index - 1)
        }
        guard options.skipInvalidRows, error.isRowError else { throw error }
        rowsSkipped += 1
        if skippedExamples.count < options.maxSkippedExamples { skippedExamples.append(error) }
    }

    /// Reads a whole file, handing each line to `body`, and returns the summary.
    public static func read(
        path: String, name: String? = nil, options: UsageReadOptions = .init(), _ body: (UsageLine) -> Void
    ) throws(UsageError) -> UsageReadSummary {
        let reader = try UsageReader(path: path, name: name, options: options)
        try reader.forEach(body)
        return reader.summary
    }

    /// What has been read so far; complete once `next()` has returned nil (or `forEach` has returned).
    public var summary: UsageReadSummary {
        UsageReadSummary(
            file: file, format: format, isCompressed: csv.isCompressed, header: header, rowsRead: rowsRead,
            valuesRounded: valuesRounded, rowsRounded: rowsRounded, firstRoundedRows: firstRoundedRows,
            rowsSkipped: rowsSkipped, skippedExamples: skippedExamples,
            bytesRead: csv.bytesConsumed, currencies: currencySet.sorted(), periods: periods.sorted(),
            absentFields: absentFields, serviceNames: serviceNames)
    }

    // MARK: One row

    private func makeLine() throws(UsageError) -> UsageLine {
        let fieldCount = csv.fieldCount
        if fieldCount > headerCount {
            throw UsageError(
                .tooManyFields, file: file, row: csv.line, column: .init(index: headerCount + 1, name: nil),
                message: "the row has \(fieldCount) fields, more than the \(headerCount) columns of the header",
                hint: "A value with a comma must be in double quotes; check the quoting of this row.")
        }
        if fieldCount <= lastUsedColumn { throw tooFewFields(fieldCount) }

        // Everything that can fail first, so that nothing of a bad row is kept.
        rowValuesRounded = 0
        let actualCost = try number(actualCostColumn, required: true)!
        let publicCost = publicCostColumn >= 0 ? try number(publicCostColumn, required: false) : nil
        let amount = amountColumn >= 0 ? try number(amountColumn, required: false) : nil
        let (period, newPeriod) = try billingPeriod()
        try requireValue(currencyColumn, "the currency is empty")
        try requireValue(typeColumn, format == .focus ? "the charge category is empty" : "the line item type is empty")

        if newPeriod { periods.insert(period) }
        let account = text(accounts, accountColumn)
        let payer = payerColumn >= 0 ? text(accounts, payerColumn) : nil
        var service = text(services, serviceColumn)
        if service.isEmpty && serviceNameColumn >= 0 { service = text(services, serviceNameColumn) }
        if services.count != servicesNamed {
            // A service code not seen before: its name, once (a row per code, not per line).
            servicesNamed = services.count
            if productNameColumn >= 0 && productNameColumn < fieldCount && !service.isEmpty
                && serviceNames[service] == nil
            {
                let name = text(productNames, productNameColumn)
                if !name.isEmpty { serviceNames[service] = name }
            }
        }
        let usageType = text(usageTypes, usageTypeColumn)
        let operation = text(operations, operationColumn)
        let entity = billingEntity()
        let currency = text(currencies, currencyColumn)
        if currency != lastCurrency {
            currencySet.insert(currency)
            lastCurrency = currency
        }
        let resource = resourceColumn >= 0 ? text(resources, resourceColumn) : nil
        if rowValuesRounded > 0 {
            valuesRounded &+= rowValuesRounded
            rowsRounded &+= 1
            if firstRoundedRows.count < Positions.shown { firstRoundedRows.append(csv.line) }
        }

        let lineType: LineItemType
        var category: String? = nil
        var owner = ""
        if format == .focus {
            let focus = focusCategory()
            let commitment = commitment(commitmentColumn)
            owner = commitment.owner
            category = focus.raw
            lineType = focus.lineItemType(commitment: commitment, oneTime: isOneTimeCharge())
        } else {
            lineType = lineItemType()
            owner = commitment(reservationColumn).owner
            if owner.isEmpty { owner = commitment(savingsPlanColumn).owner }
        }

        return UsageLine(
            row: csv.line, period: period, usageAccountID: account, payerAccountID: payer, lineItemType: lineType,
            chargeCategory: category, serviceCode: service, usageType: usageType, operation: operation,
            billingEntity: entity, publicOnDemandCost: publicCost, actualCost: actualCost, usageAmount: amount,
            currency: currency, commitmentOwnerAccountID: owner, resourceID: resource)
    }

    // MARK: Fields

    @inline(__always)
    private static func isNull(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.count == 4 && bytes[0] == 78 && bytes[1] == 85 && bytes[2] == 76 && bytes[3] == 76  // NULL
    }

    @inline(__always)
    private static func isEmpty(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.count == 0 || isNull(bytes)
    }

    private func columnRef(_ column: Int) -> UsageError.Column {
        .init(index: column + 1, name: column < header.count ? header[column] : nil)
    }

    private func rowError(_ code: UsageError.Code, _ column: Int, _ message: String, hint: String?) -> UsageError {
        UsageError(code, file: file, row: csv.line, column: columnRef(column), message: message, hint: hint)
    }

    private func tooFewFields(_ fieldCount: Int) -> UsageError {
        let used = [
            periodColumn, accountColumn, payerColumn, typeColumn, serviceColumn, serviceNameColumn, usageTypeColumn,
            operationColumn, entityColumn, publicCostColumn, actualCostColumn, amountColumn, currencyColumn,
            reservationColumn, savingsPlanColumn, commitmentColumn, frequencyColumn, resourceColumn,
        ]
        let missing = used.filter { $0 >= fieldCount }.min() ?? lastUsedColumn
        return rowError(
            .tooFewFields, missing,
            "the row has \(fieldCount) fields of the header's \(headerCount) and lacks this column, which is needed",
            hint: "Rows may lack trailing columns the reader does not use, not this one; check the export.")
    }

    /// Shows a value in a message: quoted, at most 40 characters.
    private static func show(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        let text = String(decoding: bytes, as: UTF8.self)
        let shown = text.count > 40 ? String(text.prefix(40)) + "…" : text
        return "\u{201C}\(shown)\u{201D}"
    }

    @inline(__always)
    private func number(_ column: Int, required: Bool) throws(UsageError) -> ExactDecimal? {
        let (bytes, _) = csv.span(column)
        if Self.isEmpty(bytes) {
            guard required else { return nil }
            throw rowError(
                .emptyValue, column, "the actual cost is empty",
                hint: "Every row needs its actual cost; 0 is written as 0.")
        }
        switch ExactDecimal.parseUsageNumber(bytes) {
        case .value(let value, let rounded):
            if rounded { rowValuesRounded &+= 1 }
            return value
        case .outOfRange:
            // Amounts and quantities below 10^12 keep the products of pricing inside the range of exact arithmetic
            // (the engine checks the sums); a value beyond that is an error rather than an overflowing one.
            throw rowError(
                .invalidNumber, column, "\(Self.show(bytes)) is out of range",
                hint: "Numbers must be below 10^\(Self.integerDigits) in magnitude.")
        case .invalid:
            throw rowError(
                .invalidNumber, column, "\(Self.show(bytes)) is not a number",
                hint: "Amounts are decimal numbers such as 12.5, -0.25 or 4.0E-7; an empty value or NULL means none.")
        }
    }

    private func requireValue(_ column: Int, _ message: String) throws(UsageError) {
        let (bytes, _) = csv.span(column)
        if Self.isEmpty(bytes) {
            throw rowError(.emptyValue, column, message, hint: "Every row needs a value in this column.")
        }
    }

    /// The billing period from the leading `YYYY-MM` of the billing period start, and whether it is a new one.
    @inline(__always)
    private func billingPeriod() throws(UsageError) -> (BillingPeriod, Bool) {
        let (bytes, _) = csv.span(periodColumn)
        if bytes.count >= 7 {
            var key: UInt64 = 0
            for i in 0..<7 { key = key << 8 | UInt64(bytes[i]) }
            if key == lastPeriodKey, let lastPeriod, bytes.count == 7 || !Self.isDigit(bytes[7]) {
                return (lastPeriod, false)
            }
            if let period = Self.parsePeriod(bytes) {
                lastPeriodKey = key
                lastPeriod = period
                return (period, !periods.contains(period))
            }
        }
        if Self.isEmpty(bytes) {
            throw rowError(
                .emptyValue, periodColumn, "the billing period start is empty",
                hint: "Every row needs its billing period start, e.g. 2023-11-01T00:00:00Z.")
        }
        throw rowError(
            .invalidPeriod, periodColumn, "\(Self.show(bytes)) is not a billing period start",
            hint: "The billing period start is a date such as 2023-11-01T00:00:00Z or 2023-11-01 00:00:00.")
    }

    @inline(__always)
    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }

    /// `YYYY-MM` at the start of `bytes`, followed by the end or a non-digit.
    static func parsePeriod(_ bytes: UnsafeBufferPointer<UInt8>) -> BillingPeriod? {
        guard bytes.count >= 7, bytes[4] == 45 else { return nil }
        for i in [0, 1, 2, 3, 5, 6] where !isDigit(bytes[i]) { return nil }
        if bytes.count > 7 && isDigit(bytes[7]) { return nil }
        var year = 0
        for i in 0..<4 { year = year * 10 + Int(bytes[i] - 48) }
        let month = Int(bytes[5] - 48) * 10 + Int(bytes[6] - 48)
        return BillingPeriod(year: year, month: month)
    }

    /// The text of a column through its intern table: "" when the column is absent, empty or NULL.
    @inline(__always)
    private func text(_ table: InternTable<String>, _ column: Int) -> String {
        guard column >= 0 else { return "" }
        let (bytes, escaped) = csv.span(column)
        // Doubled quotes are undone outside the table, which is keyed by raw bytes.
        if escaped { return CSVReader.decode(bytes, escaped: true) }
        return table.value(for: bytes) { bytes in
            Self.isNull(bytes) ? "" : String(decoding: bytes, as: UTF8.self)
        }
    }

    /// The product name column of a CUR or CUR 2.0 header (matched case-insensitively), or -1.
    static func productNameColumn(header: [String], format: UsageFormat) -> Int {
        let name = format == .cur ? "product/productname" : "product_product_name"
        return header.firstIndex { $0.lowercased() == name } ?? -1
    }

    private func billingEntity() -> String {
        guard entityColumn >= 0 else { return "AWS" }
        let (bytes, escaped) = csv.span(entityColumn)
        if escaped { return CSVReader.decode(bytes, escaped: true) }
        return entities.value(for: bytes) { bytes in
            Self.isEmpty(bytes) ? "AWS" : String(decoding: bytes, as: UTF8.self)
        }
    }

    private func lineItemType() -> LineItemType {
        let (bytes, escaped) = csv.span(typeColumn)
        if escaped { return LineItemType(rawValue: CSVReader.decode(bytes, escaped: true)) }
        return lineTypes.value(for: bytes) { bytes in
            LineItemType(rawValue: String(decoding: bytes, as: UTF8.self))
        }
    }

    private func focusCategory() -> FocusCategory {
        let (bytes, escaped) = csv.span(typeColumn)
        if escaped { return FocusCategory(CSVReader.decode(bytes, escaped: true)) }
        return categories.value(for: bytes) { bytes in FocusCategory(String(decoding: bytes, as: UTF8.self)) }
    }

    private func commitment(_ column: Int) -> Commitment {
        guard column >= 0 else { return .none }
        let (bytes, escaped) = csv.span(column)
        if bytes.count == 0 { return .none }
        if escaped { return Commitment(id: CSVReader.decode(bytes, escaped: true)) }
        return commitments.value(for: bytes) { bytes in
            Self.isNull(bytes) ? .none : Commitment(id: String(decoding: bytes, as: UTF8.self))
        }
    }

    private func isOneTimeCharge() -> Bool {
        guard frequencyColumn >= 0 else { return false }
        let (bytes, _) = csv.span(frequencyColumn)
        guard bytes.count == 8 else { return false }
        return String(decoding: bytes, as: UTF8.self).lowercased() == "one-time"
    }

    // MARK: Header

    private static func trimmed(_ text: String) -> String {
        var slice = Substring(text)
        while let first = slice.first, first == " " || first == "\t" { slice.removeFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice.removeLast() }
        return String(slice)
    }

    /// The format of a header, and the column of each field it has. The format is the one whose required columns
    /// the header has most of; a header with none is not a usage file; one that lacks some is an error naming
    /// them. The first of duplicate names counts.
    static func recognise(header: [String], file: String) throws(UsageError) -> (UsageFormat, [UsageField: Int]) {
        var index: [String: Int] = [:]
        for (i, name) in header.enumerated() where index[name.lowercased()] == nil {
            index[name.lowercased()] = i
        }
        func find(_ format: UsageFormat, _ field: UsageField) -> Int? {
            for name in format.columns(for: field) {
                if let i = index[name.lowercased()] { return i }
            }
            return nil
        }
        func hasService(_ format: UsageFormat) -> Bool {
            find(format, .serviceCode) != nil || find(format, .serviceName) != nil
        }
        var best: (format: UsageFormat, score: Int)? = nil
        for format in UsageFormat.allCases {
            let score = UsageFormat.requiredFields.filter { find(format, $0) != nil }.count
                + (hasService(format) ? 1 : 0)
            if score > 0 && score > (best?.score ?? 0) { best = (format, score) }
        }
        guard let format = best?.format else {
            let shown = header.prefix(8).joined(separator: ", ") + (header.count > 8 ? ", …" : "")
            throw UsageError(
                .notUsageFile, file: file,
                message: "not a usage file: the header has none of the columns of CUR, CUR 2.0 or FOCUS",
                hint: "Expected the columns of " + UsageFormat.allCases.map(requiredColumnsText).joined(separator: "; ")
                    + ". This header has: \(shown).")
        }
        var missing: [String] = []
        for field in UsageFormat.requiredFields where find(format, field) == nil {
            missing.append(format.columns(for: field)[0])
        }
        if !hasService(format) {
            missing.append(
                (format.columns(for: .serviceCode) + format.columns(for: .serviceName)).joined(separator: " or "))
        }
        if !missing.isEmpty {
            let list = missing.joined(separator: ", ")
            throw UsageError(
                .missingColumn, file: file,
                message: "the \(format) header lacks \(missing.count == 1 ? "a column" : "columns") the reader "
                    + "needs: \(list)",
                hint: "Export the report with these columns; \(requiredColumnsText(format)).")
        }
        var columns: [UsageField: Int] = [:]
        for field in UsageField.allCases {
            if let i = find(format, field) { columns[field] = i }
        }
        return (format, columns)
    }

    private static func requiredColumnsText(_ format: UsageFormat) -> String {
        var names = UsageFormat.requiredFields.map { format.columns(for: $0)[0] }
        names.insert(
            (format.columns(for: .serviceCode) + format.columns(for: .serviceName)).joined(separator: " or "), at: 3)
        return "\(format): " + names.joined(separator: ", ")
    }
}

/// A FOCUS `ChargeCategory`.
struct FocusCategory {
    enum Kind { case usage, purchase, tax, credit, adjustment, other }
    let kind: Kind
    let raw: String

    init(_ raw: String) {
        self.raw = raw
        switch raw.lowercased() {
        case "usage": kind = .usage
        case "purchase": kind = .purchase
        case "tax": kind = .tax
        case "credit": kind = .credit
        case "adjustment": kind = .adjustment
        default: kind = .other
        }
    }

    /// The CUR line item type (billing-semantics.md §2): a Usage row with a commitment is covered usage, a Purchase
    /// row with one a commitment fee, a Purchase row without one a plain fee.
    func lineItemType(commitment: Commitment, oneTime: Bool) -> LineItemType {
        switch kind {
        case .usage:
            if !commitment.present { return .usage }
            return commitment.isSavingsPlan ? .savingsPlanCoveredUsage : .discountedUsage
        case .purchase:
            if !commitment.present { return .fee }
            if commitment.isSavingsPlan { return oneTime ? .savingsPlanUpfrontFee : .savingsPlanRecurringFee }
            return .riFee
        case .tax: return .tax
        case .credit: return .credit
        case .adjustment, .other: return .other(raw)
        }
    }
}

/// A reservation or Savings Plan named by a line: its owner account (from its ARN) and its kind.
struct Commitment {
    let present: Bool
    let owner: String
    let isSavingsPlan: Bool

    static let none = Commitment(present: false, owner: "", isSavingsPlan: false)

    private init(present: Bool, owner: String, isSavingsPlan: Bool) {
        self.present = present
        self.owner = owner
        self.isSavingsPlan = isSavingsPlan
    }

    /// From an ARN (`arn:aws:savingsplans::123456789012:savingsplan/…`: owner 123456789012, a Savings Plan) or
    /// another ID (no owner; a Savings Plan when the ID says so, else a reservation).
    init(id: String) {
        let parts = id.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        if parts.count >= 6 && parts[0] == "arn" {
            self.init(present: true, owner: String(parts[4]), isSavingsPlan: parts[2] == "savingsplans")
        } else {
            self.init(present: true, owner: "", isSavingsPlan: id.lowercased().contains("savingsplan"))
        }
    }
}

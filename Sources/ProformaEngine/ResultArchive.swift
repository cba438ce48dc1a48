import ProformaCore
import ProformaModel

/// A `BillingResult` written as text and read back exactly (every decimal written as it is, scale included), with
/// the engine's sum of magnitudes beside it, so that a result kept from an earlier run can stand in for pricing the
/// same configuration over the same data again (see `PricingReach.isExact`).
///
/// One record a line, fields separated by tabs; text fields escape `\`, tab, line feed and carriage return. The
/// last line counts the records, so a file cut short is refused.
public struct ResultArchive: Sendable {
    public var result: BillingResult
    /// The engine's sum of magnitudes after the result (an upper bound of what the result's lines contributed).
    public var magnitudes: ExactDecimal

    public init(result: BillingResult, magnitudes: ExactDecimal) {
        self.result = result
        self.magnitudes = magnitudes
    }

    /// The archive of `engine`'s result for every period of its data.
    public static func of(_ engine: PricingEngine) throws(EngineError) -> ResultArchive {
        let result = try engine.finalResult(periods: engine.periodsInData)
        return ResultArchive(result: result, magnitudes: engine.magnitudes)
    }

    static let header = "proforma billing result 1"

    /// Why an archive cannot be read.
    public struct ReadError: Error, Sendable, Hashable, CustomStringConvertible {
        public var description: String
    }

    /// The text of the archive; nil when the result's warnings are not its groups' (not a result of the engine), or
    /// when it has cost allocations, which an archive does not hold (such a result is priced again, never kept).
    public func text() -> String? {
        guard result.warnings == result.groups.flatMap(\.warnings), result.allocations.isEmpty else { return nil }
        var out = ""
        var records = 0
        func record(_ fields: [String]) {
            out += fields.joined(separator: "\t")
            out += "\n"
            records += 1
        }
        func record(_ fields: String...) { record(fields) }
        func row(_ kind: String, _ row: CostRow) {
            let key = row.key
            let figures = row.figures
            record(
                kind, key.period.description, Self.escape(key.account), Self.escape(key.service),
                Self.escape(key.lineItemType), key.category.rawValue, Self.escape(key.currency),
                figures.proForma.description, figures.actualCost.description, figures.publicCost.description,
                figures.quantity.description, String(figures.lines), String(figures.missingPublicCost))
        }
        func optional(_ value: String?) -> String { value.map { "=" + Self.escape($0) } ?? "" }
        out += Self.header + "\n"
        record("magnitudes", magnitudes.description)
        record(["periods"] + result.periods.map(\.description))
        for group in result.groups {
            record(
                "group", Self.escape(group.group), group.period.description, Self.escape(group.primaryAccount),
                Self.escape(group.currency))
            for entry in group.rows { row("row", entry) }
            for charge in group.customLineItems {
                record(
                    "charge", Self.escape(charge.name), Self.escape(charge.description), charge.type.rawValue,
                    Self.escape(charge.account), charge.amount.description, optional(charge.base?.description),
                    optional(charge.percentage?.description), charge.computationRule.rawValue,
                    optional(charge.presentationService))
                for part in charge.items {
                    record("part", Self.escape(part.account), Self.escape(part.service), part.amount.description)
                }
            }
            for warning in group.warnings { record("warning", Self.escape(warning.message)) }
        }
        for entry in result.unassigned { row("unassigned", entry) }
        for entry in result.dataTotals { row("total", entry) }
        out += "end\t\(records)\n"
        return out
    }

    static func escape(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x5C || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) else {
            return text
        }
        var out = ""
        for character in text.unicodeScalars {
            switch character {
            case "\\": out += "\\\\"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }

    static func unescape(_ text: Substring) throws(ReadError) -> String {
        guard text.utf8.contains(0x5C) else { return String(text) }
        var out = ""
        var escaped = false
        for character in text.unicodeScalars {
            if escaped {
                switch character {
                case "\\": out += "\\"
                case "t": out += "\t"
                case "n": out += "\n"
                case "r": out += "\r"
                default: throw ReadError(description: "an unknown escape \\\(character)")
                }
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else {
                out.unicodeScalars.append(character)
            }
        }
        guard !escaped else { throw ReadError(description: "a text ends in an escape") }
        return out
    }

    /// Reads an archive written by `text()`.
    public init(text: String) throws(ReadError) {
        try self.init(bytes: Array(text.utf8))
    }

    /// Reads an archive written by `text()`, as UTF-8 bytes: field by field, without making a string of a line.
    public init(bytes: [UInt8]) throws(ReadError) {
        var reader = Reader(bytes: bytes)
        guard reader.nextLine(), reader.count == 1, reader.text(0) == Self.header else {
            throw ReadError(description: "not a result archive of this version")
        }
        var magnitudes: ExactDecimal?
        var resultPeriods: [BillingPeriod]?
        var groups: [GroupResult] = []
        var unassigned: [CostRow] = []
        var totals: [CostRow] = []
        var records = 0
        var ended = false
        while reader.nextLine() {
            guard !ended else { throw ReadError(description: "it goes on after its end") }
            let kind = reader.text(0)
            switch kind {
            case "row":
                guard !groups.isEmpty else { throw ReadError(description: "a row outside a group") }
                groups[groups.count - 1].rows.append(try reader.row())
            case "charge":
                guard reader.count == 10, !groups.isEmpty,
                    let type = CustomLineItemType(rawValue: reader.text(3)),
                    let rule = ComputationRule(rawValue: reader.text(8))
                else { throw ReadError(description: "a bad charge") }
                groups[groups.count - 1].customLineItems.append(
                    CustomLineItemCharge(
                        name: try reader.string(1), description: try reader.string(2), type: type,
                        account: try reader.string(4), amount: try reader.decimal(5),
                        base: try reader.isPresent(6) ? reader.decimal(6, from: 1) : nil,
                        percentage: try reader.isPresent(7) ? reader.decimal(7, from: 1) : nil,
                        computationRule: rule, items: [],
                        presentationService: try reader.isPresent(9) ? reader.string(9, from: 1) : nil))
            case "part":
                guard reader.count == 4, let group = groups.indices.last,
                    let charge = groups[group].customLineItems.indices.last
                else { throw ReadError(description: "a bad part") }
                groups[group].customLineItems[charge].items.append(
                    .init(account: try reader.string(1), service: try reader.string(2), amount: try reader.decimal(3)))
            case "warning":
                guard reader.count == 2, !groups.isEmpty else { throw ReadError(description: "a bad warning") }
                groups[groups.count - 1].warnings.append(EngineWarning(message: try reader.string(1)))
            case "group":
                guard reader.count == 5 else { throw ReadError(description: "a bad group") }
                groups.append(
                    GroupResult(
                        group: try reader.string(1), period: try reader.period(2), primaryAccount: try reader.string(3),
                        currency: try reader.string(4), rows: [], customLineItems: [], warnings: []))
            case "unassigned":
                unassigned.append(try reader.row())
            case "total":
                totals.append(try reader.row())
            case "magnitudes":
                guard reader.count == 2, magnitudes == nil else { throw ReadError(description: "a bad sum") }
                magnitudes = try reader.decimal(1)
            case "periods":
                guard resultPeriods == nil else { throw ReadError(description: "periods given twice") }
                var list: [BillingPeriod] = []
                for index in 1..<reader.count { list.append(try reader.period(index)) }
                resultPeriods = list
            case "end":
                guard reader.count == 2, Int(reader.text(1)) == records else {
                    throw ReadError(description: "it is cut short")
                }
                ended = true
                continue
            default:
                throw ReadError(description: "an unknown record \"\(kind.prefix(20))\"")
            }
            records += 1
        }
        guard ended, reader.atEnd else { throw ReadError(description: "it is cut short") }
        guard let magnitudes, let resultPeriods else { throw ReadError(description: "its header is incomplete") }
        self.magnitudes = magnitudes
        result = BillingResult(
            periods: resultPeriods, groups: groups, unassigned: unassigned, dataTotals: totals,
            warnings: groups.flatMap(\.warnings))
    }

    /// The lines and fields of an archive's bytes.
    struct Reader {
        let bytes: [UInt8]
        var position = 0
        /// The current line's fields, as start and end offsets.
        var starts: [Int] = []
        var ends: [Int] = []
        /// The last text read in each field, so that repeated values are made once.
        var lastTexts: [(start: Int, end: Int, text: String)] = []
        var periods: [String: BillingPeriod] = [:]

        init(bytes: [UInt8]) {
            self.bytes = bytes
            starts.reserveCapacity(16)
            ends.reserveCapacity(16)
            lastTexts = Array(repeating: (0, 0, ""), count: 16)
        }

        var count: Int { starts.count }
        var atEnd: Bool { position == bytes.count }

        /// Moves to the next line (which must end in a line feed); false at the end of the bytes.
        mutating func nextLine() -> Bool {
            starts.removeAll(keepingCapacity: true)
            ends.removeAll(keepingCapacity: true)
            guard position < bytes.count else { return false }
            var start = position
            var index = position
            while index < bytes.count {
                let byte = bytes[index]
                if byte == 0x09 {
                    starts.append(start)
                    ends.append(index)
                    start = index + 1
                } else if byte == 0x0A {
                    starts.append(start)
                    ends.append(index)
                    position = index + 1
                    return true
                }
                index += 1
            }
            // A last line without its line feed is cut short.
            starts.append(start)
            ends.append(index)
            position = bytes.count
            starts.removeAll()
            ends.removeAll()
            return false
        }

        /// Field `index` as text, unescaped only where it needs it.
        func text(_ index: Int, from offset: Int = 0) -> String {
            guard index < starts.count else { return "" }
            return String(decoding: bytes[(starts[index] + offset)..<ends[index]], as: UTF8.self)
        }

        mutating func string(_ index: Int, from offset: Int = 0) throws(ReadError) -> String {
            guard index < starts.count else { throw ReadError(description: "a field is missing") }
            let start = starts[index] + offset
            let end = ends[index]
            if index < lastTexts.count {
                let last = lastTexts[index]
                if last.end - last.start == end - start && bytes[last.start..<last.end] == bytes[start..<end] {
                    return last.text
                }
            }
            let slice = bytes[start..<end]
            let value =
                slice.contains(0x5C)
                ? try ResultArchive.unescape(Substring(String(decoding: slice, as: UTF8.self)))
                : String(decoding: slice, as: UTF8.self)
            if index < lastTexts.count { lastTexts[index] = (start, end, value) }
            return value
        }

        func decimal(_ index: Int, from offset: Int = 0) throws(ReadError) -> ExactDecimal {
            guard index < starts.count else { throw ReadError(description: "a field is missing") }
            let start = starts[index] + offset
            let end = ends[index]
            let value = bytes.withUnsafeBufferPointer { buffer in
                ExactDecimal.parse(UnsafeBufferPointer(rebasing: buffer[start..<end]))
            }
            guard let value else { throw ReadError(description: "\"\(text(index))\" is not a decimal") }
            return value
        }

        func integer(_ index: Int) throws(ReadError) -> Int {
            guard let value = Int(text(index)) else {
                throw ReadError(description: "\"\(text(index))\" is not a number")
            }
            return value
        }

        mutating func period(_ index: Int) throws(ReadError) -> BillingPeriod {
            let field = text(index)
            if let known = periods[field] { return known }
            guard let value = BillingPeriod(field) else { throw ReadError(description: "a bad period") }
            periods[field] = value
            return value
        }

        /// Whether an optional field has a value: empty for nil, else `=` and the value (read from offset 1).
        func isPresent(_ index: Int) throws(ReadError) -> Bool {
            guard index < starts.count else { throw ReadError(description: "a field is missing") }
            if starts[index] == ends[index] { return false }
            guard bytes[starts[index]] == UInt8(ascii: "=") else {
                throw ReadError(description: "a bad optional field")
            }
            return true
        }

        mutating func row() throws(ReadError) -> CostRow {
            guard count == 13, let category = LineCategory(rawValue: text(5)) else {
                throw ReadError(description: "a bad row")
            }
            let key = CostKey(
                period: try period(1), account: try string(2), service: try string(3), lineItemType: try string(4),
                category: category, currency: try string(6))
            var figures = CostFigures()
            figures.proForma = try decimal(7)
            figures.actualCost = try decimal(8)
            figures.publicCost = try decimal(9)
            figures.quantity = try decimal(10)
            figures.lines = try integer(11)
            figures.missingPublicCost = try integer(12)
            return CostRow(key: key, figures: figures)
        }
    }
}

extension BillingResult {
    /// This result restricted to `periods`, as the engine would have given it for them; nil when one of them is not
    /// among this result's periods.
    public func restricted(to periods: [BillingPeriod]) -> BillingResult? {
        let wanted = Set(periods)
        guard wanted.count == periods.count, wanted.isSubset(of: Set(self.periods)) else { return nil }
        if periods.sorted() == self.periods { return self }
        let groups = self.groups.filter { wanted.contains($0.period) }
        return BillingResult(
            periods: periods.sorted(), groups: groups, unassigned: unassigned.filter { wanted.contains($0.key.period) },
            dataTotals: dataTotals.filter { wanted.contains($0.key.period) }, warnings: groups.flatMap(\.warnings))
    }
}

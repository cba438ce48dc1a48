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
        let result = try engine.result(periods: engine.periodsInData)
        return ResultArchive(result: result, magnitudes: engine.magnitudes)
    }

    static let header = "proforma billing result 1"

    /// Why an archive cannot be read.
    public struct ReadError: Error, Sendable, Hashable, CustomStringConvertible {
        public var description: String
    }

    /// The text of the archive; nil when the result's warnings are not its groups' (not a result of the engine).
    public func text() -> String? {
        guard result.warnings == result.groups.flatMap(\.warnings) else { return nil }
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
        var strings: [Substring: String] = [:]
        func string(_ field: Substring) throws(ReadError) -> String {
            if let known = strings[field] { return known }
            let value = try Self.unescape(field)
            strings[field] = value
            return value
        }
        var periods: [Substring: BillingPeriod] = [:]
        func period(_ field: Substring) throws(ReadError) -> BillingPeriod {
            if let known = periods[field] { return known }
            guard let value = BillingPeriod(String(field)) else { throw ReadError(description: "a bad period") }
            periods[field] = value
            return value
        }
        func decimal(_ field: Substring) throws(ReadError) -> ExactDecimal {
            var field = field
            let value = field.withUTF8 { ExactDecimal.parse($0) }
            guard let value else { throw ReadError(description: "\"\(field)\" is not a decimal") }
            return value
        }
        func integer(_ field: Substring) throws(ReadError) -> Int {
            guard let value = Int(field) else { throw ReadError(description: "\"\(field)\" is not a number") }
            return value
        }
        func optional<T>(_ field: Substring, _ read: (Substring) throws(ReadError) -> T) throws(ReadError) -> T? {
            if field.isEmpty { return nil }
            guard field.first == "=" else { throw ReadError(description: "a bad optional field") }
            return try read(field.dropFirst())
        }
        func row(_ fields: [Substring]) throws(ReadError) -> CostRow {
            guard fields.count == 13, let category = LineCategory(rawValue: String(fields[5])) else {
                throw ReadError(description: "a bad row")
            }
            let key = CostKey(
                period: try period(fields[1]), account: try string(fields[2]), service: try string(fields[3]),
                lineItemType: try string(fields[4]), category: category, currency: try string(fields[6]))
            var figures = CostFigures()
            figures.proForma = try decimal(fields[7])
            figures.actualCost = try decimal(fields[8])
            figures.publicCost = try decimal(fields[9])
            figures.quantity = try decimal(fields[10])
            figures.lines = try integer(fields[11])
            figures.missingPublicCost = try integer(fields[12])
            return CostRow(key: key, figures: figures)
        }

        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.first == Substring(Self.header), lines.last == "" else {
            throw ReadError(description: "not a result archive of this version")
        }
        lines.removeFirst()
        lines.removeLast()
        guard let last = lines.popLast(), last.hasPrefix("end\t"), try integer(last.dropFirst(4)) == lines.count else {
            throw ReadError(description: "it is cut short")
        }
        var magnitudes: ExactDecimal?
        var resultPeriods: [BillingPeriod]?
        var groups: [GroupResult] = []
        var unassigned: [CostRow] = []
        var totals: [CostRow] = []
        for line in lines {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            switch fields[0] {
            case "row":
                guard !groups.isEmpty else { throw ReadError(description: "a row outside a group") }
                groups[groups.count - 1].rows.append(try row(fields))
            case "charge":
                guard fields.count == 10, !groups.isEmpty, let type = CustomLineItemType(rawValue: String(fields[3])),
                    let rule = ComputationRule(rawValue: String(fields[8]))
                else { throw ReadError(description: "a bad charge") }
                groups[groups.count - 1].customLineItems.append(
                    CustomLineItemCharge(
                        name: try string(fields[1]), description: try string(fields[2]), type: type,
                        account: try string(fields[4]), amount: try decimal(fields[5]),
                        base: try optional(fields[6], decimal), percentage: try optional(fields[7], decimal),
                        computationRule: rule, items: [], presentationService: try optional(fields[9], Self.unescape)))
            case "part":
                guard fields.count == 4, let group = groups.indices.last,
                    let charge = groups[group].customLineItems.indices.last
                else { throw ReadError(description: "a bad part") }
                groups[group].customLineItems[charge].items.append(
                    .init(account: try string(fields[1]), service: try string(fields[2]), amount: try decimal(fields[3])))
            case "warning":
                guard fields.count == 2, !groups.isEmpty else { throw ReadError(description: "a bad warning") }
                groups[groups.count - 1].warnings.append(EngineWarning(message: try Self.unescape(fields[1])))
            case "group":
                guard fields.count == 5 else { throw ReadError(description: "a bad group") }
                groups.append(
                    GroupResult(
                        group: try string(fields[1]), period: try period(fields[2]),
                        primaryAccount: try string(fields[3]), currency: try string(fields[4]), rows: [],
                        customLineItems: [], warnings: []))
            case "unassigned":
                unassigned.append(try row(fields))
            case "total":
                totals.append(try row(fields))
            case "magnitudes":
                guard fields.count == 2, magnitudes == nil else { throw ReadError(description: "a bad sum") }
                magnitudes = try decimal(fields[1])
            case "periods":
                guard resultPeriods == nil else { throw ReadError(description: "periods given twice") }
                var list: [BillingPeriod] = []
                for field in fields.dropFirst() { list.append(try period(field)) }
                resultPeriods = list
            default:
                throw ReadError(description: "an unknown record \"\(fields[0].prefix(20))\"")
            }
        }
        guard let magnitudes, let resultPeriods else { throw ReadError(description: "its header is incomplete") }
        self.magnitudes = magnitudes
        result = BillingResult(
            periods: resultPeriods, groups: groups, unassigned: unassigned, dataTotals: totals,
            warnings: groups.flatMap(\.warnings))
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

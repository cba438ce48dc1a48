/// A day of the proleptic Gregorian calendar, as invoices print it (`2026-11-01`).
public struct CalendarDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Nil unless the date exists (years 1–9999).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
            (1...Self.days(inMonth: month, year: year)).contains(day)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// `YYYY-MM-DD`, exactly.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.utf8.allSatisfy { $0 >= 48 && $0 <= 57 } }),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
        else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// The first day of a billing period.
    public init(firstDayOf period: BillingPeriod) {
        year = period.year
        month = period.month
        day = 1
    }

    /// The last day of a billing period.
    public init(lastDayOf period: BillingPeriod) {
        year = period.year
        month = period.month
        day = Self.days(inMonth: period.month, year: period.year)
    }

    public static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    public static func days(inMonth month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
    public var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The date of a day number (`civil_from_days`); nil outside years 1–9999.
    public init?(dayNumber: Int) {
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        self.init(year: yoe + era * 400 + (month <= 2 ? 1 : 0), month: month, day: day)
    }

    /// The date `days` later (earlier when negative); nil outside years 1–9999.
    public func adding(days: Int) -> CalendarDate? { CalendarDate(dayNumber: dayNumber + days) }

    public var description: String {
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }
}

/// An invoice number pattern: literal text and placeholders in braces.
///
/// - `{group}`: the billing group's name;
/// - `{period}`: the period, `2026-10`; `{yyyy}` and `{mm}`: its year and month;
/// - `{hash}`: 8 upper-case hexadecimal digits of the SHA-256 of the group's name and the period, the same for a
///   group and period whatever else is configured or rendered;
/// - `{seq}`: the group's place (from 1, three digits at least) among the configuration's billing groups sorted
///   by name, for that period.
///
/// A pattern must tell groups apart (`{group}`, `{hash}` or `{seq}`) and periods apart (`{period}`, both `{yyyy}`
/// and `{mm}`, or `{hash}`), so no two invoices share a number. Literal text is letters, digits and `-_./#`.
public struct InvoiceNumberPattern: Sendable, Hashable, CustomStringConvertible {
    public enum Placeholder: String, Sendable, Hashable, CaseIterable {
        case group, period, yyyy, mm, hash, seq
    }

    public enum Token: Sendable, Hashable {
        case literal(String)
        case placeholder(Placeholder)
    }

    /// Why a pattern cannot be used, with the offset (in characters, from 0) where the problem starts.
    public struct Problem: Error, Sendable, Hashable {
        public var message: String
        public var offset: Int
        public var hint: String?
    }

    /// The default: `PF-{yyyy}{mm}-{hash}`.
    public static let defaultPattern = "PF-{yyyy}{mm}-{hash}"

    public let text: String
    public let tokens: [Token]

    /// The default pattern, read.
    public static let standard = InvoiceNumberPattern(
        text: defaultPattern,
        tokens: [.literal("PF-"), .placeholder(.yyyy), .placeholder(.mm), .literal("-"), .placeholder(.hash)])

    private init(text: String, tokens: [Token]) {
        self.text = text
        self.tokens = tokens
    }

    public var description: String { text }

    /// Reads a pattern; throws the first problem.
    public init(_ text: String) throws(Problem) {
        var tokens: [Token] = []
        var literal = ""
        let characters = Array(text)
        var index = 0
        let allowed = Set("-_./#")
        func placeholderList() -> String {
            Placeholder.allCases.map { "{\($0.rawValue)}" }.joined(separator: ", ")
        }
        while index < characters.count {
            let character = characters[index]
            if character == "{" {
                guard let close = characters[index...].firstIndex(of: "}") else {
                    throw Problem(message: "\"{\" is not closed", offset: index, hint: "write placeholders as {group}")
                }
                let name = String(characters[(index + 1)..<close])
                guard let placeholder = Placeholder(rawValue: name) else {
                    throw Problem(
                        message: "unknown placeholder \"{\(name)}\"", offset: index,
                        hint: "placeholders are \(placeholderList())")
                }
                if !literal.isEmpty { tokens.append(.literal(literal)) }
                literal = ""
                tokens.append(.placeholder(placeholder))
                index = close + 1
                continue
            }
            if character == "}" {
                throw Problem(message: "\"}\" without \"{\"", offset: index, hint: nil)
            }
            guard character.isASCII && (character.isLetter || character.isNumber || allowed.contains(character))
            else {
                throw Problem(
                    message: "\"\(character)\" cannot be part of an invoice number", offset: index,
                    hint: "use letters, digits, - _ . / # and placeholders")
            }
            literal.append(character)
            index += 1
        }
        if !literal.isEmpty { tokens.append(.literal(literal)) }
        let used = Set(
            tokens.compactMap { token -> Placeholder? in
                if case .placeholder(let placeholder) = token { return placeholder }
                return nil
            })
        if used.isDisjoint(with: [.group, .hash, .seq]) {
            throw Problem(
                message: "the pattern does not tell billing groups apart", offset: 0,
                hint: "add {group}, {hash} or {seq}")
        }
        if !used.contains(.period) && !used.contains(.hash) && !(used.contains(.yyyy) && used.contains(.mm)) {
            throw Problem(
                message: "the pattern does not tell periods apart", offset: 0,
                hint: "add {period}, {yyyy} and {mm}, or {hash}")
        }
        self.text = text
        self.tokens = tokens
    }

    /// The number of `group`'s invoice for `period`; `sequence` is its place among the sorted groups (from 1).
    public func number(group: String, period: BillingPeriod, sequence: Int) -> String {
        var output = ""
        for token in tokens {
            switch token {
            case .literal(let text): output += text
            case .placeholder(.group): output += group
            case .placeholder(.period): output += period.description
            case .placeholder(.yyyy): output += String(period.description.prefix(4))
            case .placeholder(.mm): output += String(period.description.suffix(2))
            case .placeholder(.hash): output += Self.hash(group: group, period: period)
            case .placeholder(.seq):
                let digits = String(sequence)
                output += String(repeating: "0", count: max(0, 3 - digits.count)) + digits
            }
        }
        return output
    }

    /// 8 upper-case hexadecimal digits of SHA-256("GROUP\nPERIOD").
    public static func hash(group: String, period: BillingPeriod) -> String {
        var hasher = SHA256()
        hasher.update(group + "\n" + period.description)
        return String(hasher.finalizeHex().prefix(8)).uppercased()
    }
}

import ProformaCore
import ProformaModel

/// An image embedded in HTML invoices (as a data URI, so the page needs nothing else).
public struct InvoiceLogo: Sendable, Hashable {
    /// `image/png`, `image/svg+xml`, …
    public var mediaType: String
    public var bytes: [UInt8]

    public init(mediaType: String, bytes: [UInt8]) {
        self.mediaType = mediaType
        self.bytes = bytes
    }

    /// `data:image/png;base64,…`
    public var dataURI: String { "data:\(mediaType);base64,\(Base64.encode(bytes))" }
}

/// What heads an invoice: who issues it, who it is addressed to, its number and its dates.
public struct InvoiceHeading: Sendable, Hashable {
    public static let defaultPaymentTermsDays = 30

    public var number: String
    public var issueDate: CalendarDate
    public var dueDate: CalendarDate
    public var paymentTermsDays: Int
    public var issuer: Issuer?
    public var customer: Customer?
    public var logo: InvoiceLogo?

    public init(
        number: String, issueDate: CalendarDate, dueDate: CalendarDate,
        paymentTermsDays: Int = InvoiceHeading.defaultPaymentTermsDays, issuer: Issuer? = nil,
        customer: Customer? = nil, logo: InvoiceLogo? = nil
    ) {
        self.number = number
        self.issueDate = issueDate
        self.dueDate = dueDate
        self.paymentTermsDays = paymentTermsDays
        self.issuer = issuer
        self.customer = customer
        self.logo = logo
    }

    /// The heading of `group`'s invoice for `period`:
    ///
    /// - the number from the issuer's pattern (default `PF-{yyyy}{mm}-{hash}`); `sequence` is the group's place
    ///   among the configuration's groups sorted by name (from 1), for `{seq}`;
    /// - the issue date `issueDate` when given, else the issuer's `issue_day` (default 1) of the month after the
    ///   period;
    /// - the due date `payment_terms_days` (default 30) after the issue date.
    ///
    /// An issuer's pattern that cannot be read (which validation refuses) gives the default pattern's number.
    public static func make(
        group: String, period: BillingPeriod, sequence: Int, issuer: Issuer?, customer: Customer?,
        issueDate: CalendarDate? = nil, logo: InvoiceLogo? = nil
    ) -> InvoiceHeading {
        let pattern = issuer?.invoiceNumber.flatMap { try? InvoiceNumberPattern($0) } ?? .standard
        let next = period.next
        let issued =
            issueDate ?? CalendarDate(year: next.year, month: next.month, day: issuer?.issueDay ?? 1)
            ?? CalendarDate(firstDayOf: next)
        let terms = issuer?.paymentTermsDays ?? defaultPaymentTermsDays
        return InvoiceHeading(
            number: pattern.number(group: group, period: period, sequence: sequence), issueDate: issued,
            dueDate: issued.adding(days: terms) ?? issued, paymentTermsDays: terms, issuer: issuer,
            customer: customer, logo: logo)
    }

    /// The default heading: the default number, issued on the first day after the period, due 30 days later.
    public static func standard(group: String, period: BillingPeriod) -> InvoiceHeading {
        make(group: group, period: period, sequence: 1, issuer: nil, customer: nil)
    }

    /// The issuer's lines: name, address, tax ID, email.
    var issuerLines: [String] {
        guard let issuer else { return [] }
        return [issuer.name] + issuer.address + [issuer.taxID.map { "Tax ID \($0)" }, issuer.email].compactMap { $0 }
    }

    /// The customer's lines: legal name, address, tax ID, email.
    var customerLines: [String] {
        guard let customer else { return [] }
        return [customer.legalName] + customer.address
            + [customer.taxID.map { "Tax ID \($0)" }, customer.email].compactMap { $0 }
    }
}

/// Base64 (RFC 4648, with padding).
enum Base64 {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index + 2 < bytes.count {
            let value = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            for shift in [18, 12, 6, 0] { output.append(alphabet[Int(value >> UInt32(shift) & 63)]) }
            index += 3
        }
        let rest = bytes.count - index
        if rest > 0 {
            let value = UInt32(bytes[index]) << 16 | (rest == 2 ? UInt32(bytes[index + 1]) << 8 : 0)
            output.append(alphabet[Int(value >> 18 & 63)])
            output.append(alphabet[Int(value >> 12 & 63)])
            output.append(rest == 2 ? alphabet[Int(value >> 6 & 63)] : UInt8(ascii: "="))
            output.append(UInt8(ascii: "="))
        }
        return String(decoding: output, as: UTF8.self)
    }
}

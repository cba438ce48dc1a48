import ProformaCore
import ProformaEngine
import ProformaModel

/// The output formats of `proforma invoice`. Closed: the renderer switches over it exhaustively.
public enum InvoiceFormat: String, CaseIterable, Sendable, Hashable {
    /// For people: aligned columns.
    case text
    /// For a pull-request comment or a wiki page (GitHub-flavoured tables, at most 65,536 characters).
    case markdown
    /// One row per invoice line (no subtotal or total rows), RFC 4180, for spreadsheets and accounting imports.
    case csv
    /// For programs: `format_version` 1, sorted keys, money as decimal strings, exact and rounded.
    case json
    /// A self-contained, printable page: inline CSS, no scripts, no external resources.
    case html
    /// The HTML page printed to PDF by an external converter (see `PDFConverter`); the renderer gives the HTML.
    case pdf
}

/// A billing group's pro forma invoice for one period, with everything needed to present it.
///
/// What is shown to the customer (text, markdown, csv, html) is the bill: the usage lines that count (§3: on-demand,
/// free, covered, commitment fees, other), the custom line items, the usage subtotal, the custom line items total and
/// the total. The AWS cost and the margin are the reseller's business, not the customer's: they appear only in the
/// JSON, under `internal`, for tooling that knows to drop them before passing the document on.
public struct InvoiceDocument: Sendable, Hashable {
    /// The engine's result for the group and period.
    public var result: GroupResult
    /// The billing group's description, shown under its name.
    public var description: String?
    /// Account names by account ID, where known; accounts without a name are shown by ID alone.
    public var accountNames: [String: String]
    /// The currency's minor unit: every presented amount is rounded to this many places.
    public var currencyPlaces: Int
    /// The project's rounding mode for presentation (`half_even` by default).
    public var rounding: RoundingMode
    /// Which configuration, usage data and tool version priced the invoice.
    public var provenance: Provenance
    /// Issuer, customer, number and dates.
    public var heading: InvoiceHeading
    /// The names services are shown by (the code stays in JSON and CSV).
    public var serviceNames: ServiceNames
    /// Show lines and custom line items whose amount is 0 as shown (text, markdown, html); hidden by default.
    public var showZero: Bool

    /// `currencyPlaces` defaults to the minor unit of the result's currency (see `CurrencyMinorUnits`); `heading`
    /// to `InvoiceHeading.standard`.
    public init(
        result: GroupResult, description: String? = nil, accountNames: [String: String] = [:],
        currencyPlaces: Int? = nil, rounding: RoundingMode = .halfEven, provenance: Provenance,
        heading: InvoiceHeading? = nil, serviceNames: ServiceNames = .catalogue, showZero: Bool = false
    ) {
        self.result = result
        self.description = description
        self.accountNames = accountNames
        self.currencyPlaces = currencyPlaces ?? CurrencyMinorUnits.places(for: result.currency)
        self.rounding = rounding
        self.provenance = provenance
        self.heading = heading ?? .standard(group: result.group, period: result.period)
        self.serviceNames = serviceNames
        self.showZero = showZero
    }

    /// Takes the description from the billing group and the names of the given accounts.
    public init(
        result: GroupResult, group: BillingGroup?, accounts: [Account], currencyPlaces: Int? = nil,
        rounding: RoundingMode = .halfEven, provenance: Provenance, heading: InvoiceHeading? = nil,
        serviceNames: ServiceNames = .catalogue, showZero: Bool = false
    ) {
        var names: [String: String] = [:]
        for account in accounts where names[account.accountID] == nil { names[account.accountID] = account.name }
        self.init(
            result: result, description: group?.description, accountNames: names, currencyPlaces: currencyPlaces,
            rounding: rounding, provenance: provenance, heading: heading, serviceNames: serviceNames,
            showZero: showZero)
    }

    /// The name an ITEMIZED part's base line is shown by: a flat custom line item's description, or the service's
    /// name.
    public func partName(_ service: String) -> String {
        if let item = result.customLineItems.first(where: { $0.name == service && $0.percentage == nil }) {
            return item.description
        }
        return serviceNames.name(for: service)
    }

    /// The title: the customer's legal name where the group has one, else the group's name.
    public var title: String { heading.customer?.legalName ?? result.group }

    func accountLabel(_ id: String) -> String {
        guard let name = accountNames[id], !name.isEmpty, name != id else { return id }
        return "\(id) (\(name))"
    }
}

/// What an invoice shows, with every amount rounded for presentation. The renderers only format it.
///
/// The total is the group's one figure (`RoundedFigures`, billing-semantics.md §7): its pro forma cost rounded once,
/// the same figure the margin and costs reports show. It is broken down by largest remainder in two levels: first
/// into sections (the usage subtotal and each custom line item), then each section into its lines (the usage lines;
/// an ITEMIZED item's parts). So every section shows its exact figure rounded, give or take one minor unit, the
/// usage lines add up to the subtotal, an ITEMIZED item's parts to the item, and subtotal + custom line items =
/// total, as shown.
public struct InvoiceLayout: Sendable, Hashable {
    /// The counted usage of one account and service in one category.
    public struct UsageLine: Sendable, Hashable {
        public var account: String
        public var service: String
        public var category: LineCategory
        /// Usage lines summed into it.
        public var lineCount: Int
        public var amount: PresentedAmount
    }

    /// One part of an ITEMIZED custom line item: its share of one base line (account and service, or a flat item).
    public struct Part: Sendable, Hashable {
        public var account: String
        public var service: String
        public var amount: PresentedAmount
    }

    public struct CustomLine: Sendable, Hashable {
        public var charge: CustomLineItemCharge
        /// The item's amount; for an ITEMIZED item also the sum of its shown parts.
        public var amount: PresentedAmount
        /// The shown parts of an ITEMIZED item (empty for CONSOLIDATED, and for an ITEMIZED item without parts).
        public var parts: [Part]
        /// A percentage item's base as printed beside it: the exact base rounded, or the usage subtotal as shown
        /// where the base is exactly the usage subtotal. Nil for a flat item.
        public var base: ExactDecimal?
        public var isItemized: Bool { !parts.isEmpty }
    }

    public var usageLines: [UsageLine]
    public var customLines: [CustomLine]
    public var usageTotal: PresentedAmount
    public var customLineItemTotal: PresentedAmount
    public var total: PresentedAmount
    /// The group's figures for the period, rounded once: `total` is their pro forma cost.
    public var figures: RoundedFigures

    /// The rounded amount of every shown line, in order (usage lines, then custom line items or their parts):
    /// they add up to `total.rounded` exactly.
    public var shownAmounts: [ExactDecimal] {
        usageLines.map(\.amount.rounded)
            + customLines.flatMap { line in line.isItemized ? line.parts.map(\.amount.rounded) : [line.amount.rounded] }
    }

    /// Lays out the invoice: counted usage summed by account, service and category (sorted by them), custom line items
    /// in the engine's order (by name), every amount rounded for presentation.
    public init(_ document: InvoiceDocument) {
        let result = document.result
        let places = document.currencyPlaces
        figures = result.figures(places: places, rounding: document.rounding)
        var sums: [UsageKey: (amount: ExactDecimal, lines: Int)] = [:]
        for row in result.rows where row.key.category.isCounted {
            let key = UsageKey(account: row.key.account, service: row.key.service, category: row.key.category)
            sums[key, default: (.zero, 0)].amount += row.figures.proForma
            sums[key, default: (.zero, 0)].lines += row.figures.lines
        }
        let usageKeys = sums.keys.sorted()
        let usageExact = usageKeys.map { sums[$0]?.amount ?? .zero }

        // First level: the rounded total into the usage subtotal and each custom line item.
        let sections = Allocation.split(
            figures.proForma.rounded, like: [result.usageTotal] + result.customLineItems.map(\.amount), places: places)
        // Second level: each section into its lines.
        let usageShown = Allocation.split(sections[0], like: usageExact, places: places)
        usageLines = usageKeys.indices.map { index in
            let key = usageKeys[index]
            return UsageLine(
                account: key.account, service: key.service, category: key.category,
                lineCount: sums[key]?.lines ?? 0,
                amount: PresentedAmount(exact: usageExact[index], rounded: usageShown[index]))
        }
        let usageTotal = PresentedAmount(exact: result.usageTotal, rounded: sections[0])
        var customLines: [CustomLine] = []
        for (charge, shown) in zip(result.customLineItems, sections.dropFirst()) {
            // Parts are shown only when they add up to the item, as the engine makes them.
            let parts =
                charge.computationRule == .itemized && !charge.items.isEmpty
                    && charge.items.map(\.amount).sum() == charge.amount ? charge.items : []
            let partsShown = Allocation.split(shown, like: parts.map(\.amount), places: places)
            var base: ExactDecimal?
            if let exactBase = charge.base {
                base =
                    exactBase == result.usageTotal
                    ? usageTotal.rounded : exactBase.rounded(scale: places, document.rounding)
            }
            customLines.append(
                CustomLine(
                    charge: charge, amount: PresentedAmount(exact: charge.amount, rounded: shown),
                    parts: zip(parts, partsShown).map { part, rounded in
                        Part(
                            account: part.account, service: part.service,
                            amount: PresentedAmount(exact: part.amount, rounded: rounded))
                    }, base: base))
        }
        self.customLines = customLines
        func fixed(_ value: ExactDecimal) -> ExactDecimal {
            value.rescaledReportingOverflow(to: max(value.scale, places)) ?? value
        }
        self.usageTotal = PresentedAmount(exact: usageTotal.exact, rounded: fixed(usageTotal.rounded))
        customLineItemTotal = PresentedAmount(
            exact: result.customLineItemTotal, rounded: fixed(sections.dropFirst().sum()))
        total = figures.proForma
    }

    struct UsageKey: Hashable, Comparable {
        var account: String
        var service: String
        var category: LineCategory

        static func < (lhs: UsageKey, rhs: UsageKey) -> Bool {
            if lhs.account != rhs.account { return lhs.account < rhs.account }
            if lhs.service != rhs.service { return lhs.service < rhs.service }
            return lhs.category < rhs.category
        }
    }
}

/// Renders pro forma invoices. Pure: values in, text out.
public enum InvoiceRenderer {
    /// The widest line of a text invoice, in terminal cells.
    public static let textWidth = 100

    public static func render(_ invoice: InvoiceDocument, as format: InvoiceFormat) -> String {
        let layout = InvoiceLayout(invoice)
        return switch format {
        case .text: text(invoice, layout)
        case .markdown: markdown(invoice, layout)
        case .csv: csv(invoice, layout)
        case .json: JSONWriter.write(json(invoice, layout))
        case .html, .pdf: html(invoice, layout)
        }
    }

    // MARK: - Shared wording

    static func categoryLabel(_ category: LineCategory) -> String {
        switch category {
        case .onDemand: "on-demand"
        case .free: "free tier"
        case .covered: "covered by commitment"
        case .commitmentFee: "commitment fee"
        case .other: "other"
        case .allocated: "shared cost"
        case .excluded: "excluded"
        case .tax: "tax"
        case .unassigned: "unassigned"
        }
    }

    /// `fee`, `credit, 2% of 385.00`, `fee, 3% of 435.00, itemized`; a percentage of a base of 0 as shown says so
    /// instead of printing a product of zeros.
    static func chargeDetail(_ line: InvoiceLayout.CustomLine, _ invoice: InvoiceDocument) -> String {
        let charge = line.charge
        var detail = charge.type == .credit ? "credit" : "fee"
        if let percentage = charge.percentage {
            if let base = line.base, base != .zero {
                detail += ", \(percentage.normalized)% of \(MoneyText.grouped(base, places: invoice.currencyPlaces))"
            } else {
                detail += ", \(percentage.normalized)% (no base this period)"
            }
        }
        if line.isItemized { detail += ", itemized" }
        return detail
    }

    static func shown(_ value: PresentedAmount, _ invoice: InvoiceDocument) -> String {
        MoneyText.grouped(value.rounded, places: invoice.currencyPlaces)
    }

    static func shown(_ value: ExactDecimal, _ invoice: InvoiceDocument) -> String {
        MoneyText.grouped(value, places: invoice.currencyPlaces)
    }

    static func roundingNote(_ invoice: InvoiceDocument) -> String {
        "Amounts in \(invoice.result.currency), rounded to \(invoice.currencyPlaces) decimal place\(invoice.currencyPlaces == 1 ? "" : "s") (\(invoice.rounding.rawValue)): the total once, then split by largest remainder into the subtotal and custom line items, and each of those into its lines, so that every column adds up."
    }

    static func provenanceLines(_ provenance: Provenance) -> [(String, String)] {
        [
            ("Configuration", provenance.configurationDescription),
            ("Usage data", provenance.usageDescription),
            ("Priced by", "proforma \(provenance.toolVersion)"),
        ]
    }

    /// ` (account 111111111111)` for an item charged to another account than the group's primary one, else "".
    static func accountNote(_ account: String, _ invoice: InvoiceDocument) -> String {
        account == invoice.result.primaryAccount ? "" : " (account \(account))"
    }

    /// `111111111111 harbor-prod`, or the ID alone.
    static func accountText(_ id: String, _ invoice: InvoiceDocument) -> String {
        guard let name = invoice.accountNames[id], !name.isEmpty, name != id else { return id }
        return "\(id) \(name)"
    }

    /// The invoice's facts, label and value, in order.
    static func facts(_ invoice: InvoiceDocument) -> [(String, String)] {
        let result = invoice.result
        let heading = invoice.heading
        var facts: [(String, String)] = [
            ("Invoice number", heading.number),
            ("Issue date", heading.issueDate.description),
            ("Due date", "\(heading.dueDate) (\(heading.paymentTermsDays) days)"),
            (
                "Period",
                "\(result.period) (\(CalendarDate(firstDayOf: result.period)) to \(CalendarDate(lastDayOf: result.period)))"
            ),
        ]
        var group = result.group
        if let description = invoice.description, !description.isEmpty { group += " (\(description))" }
        facts.append(("Billing group", group))
        if let order = heading.customer?.purchaseOrder { facts.append(("Purchase order", order)) }
        facts.append(("Primary account", accountText(result.primaryAccount, invoice)))
        facts.append(("Currency", result.currency))
        return facts
    }

    // MARK: - Text

    static func text(_ invoice: InvoiceDocument, _ layout: InvoiceLayout) -> String {
        let width = textWidth
        let result = invoice.result
        let heading = invoice.heading
        let presentation = InvoicePresentation(invoice, layout)
        var output = TextWrap.lines("PRO FORMA INVOICE " + heading.number, width: width).joined(separator: "\n")
        output += "\n\n"
        let from = heading.issuerLines
        let to = heading.customerLines.isEmpty ? [invoice.title] : heading.customerLines
        output += TextWrap.sideBySide(
            left: from.isEmpty ? [] : ["From"] + from, right: ["Bill to"] + to, width: width)
        output += "\n"
        let labelWidth = facts(invoice).map { TextTable.width($0.0) }.max() ?? 0
        for (label, value) in facts(invoice) {
            output += TextWrap.labelled(label, value, labelWidth: labelWidth, width: width)
        }
        output += "\n"

        // The charges: item (wrapped), detail, amount.
        var rows: [TextWrap.Row] = []
        rows.append(.cells(["Item", "Detail", "Amount"], indent: 0))
        rows.append(.rule)
        if presentation.accounts.isEmpty { rows.append(.text("No usage charges.")) }
        for block in presentation.accounts {
            rows.append(.cells(["Account " + accountText(block.account, invoice), "", ""], indent: 0))
            var previous: String?
            for row in block.rows {
                let service = row.service == previous ? "" : row.service
                previous = row.service
                rows.append(.cells([service, categoryLabel(row.category), shown(row.amount, invoice)], indent: 2))
            }
            rows.append(.cells(["Subtotal account \(block.account)", "", shown(block.subtotal, invoice)], indent: 2))
        }
        rows.append(.rule)
        rows.append(.cells(["Subtotal (usage)", "", shown(layout.usageTotal, invoice)], indent: 0))
        if !presentation.itemGroups.isEmpty {
            rows.append(.blank)
            rows.append(.cells(["Custom line items", "", ""], indent: 0))
            for group in presentation.itemGroups {
                rows.append(.cells([group.service ?? "Other charges", "", ""], indent: 2))
                for item in group.items {
                    let line = item.line
                    let label = line.charge.description + accountNote(line.charge.account, invoice)
                    rows.append(
                        .cells(
                            [
                                label, chargeDetail(line, invoice),
                                item.parts.isEmpty ? shown(line.amount, invoice) : "",
                            ],
                            indent: 4))
                    var previousAccount: String?
                    for (part, service) in item.parts {
                        if part.account != previousAccount {
                            rows.append(.cells(["Account " + accountText(part.account, invoice), "", ""], indent: 6))
                            previousAccount = part.account
                        }
                        rows.append(.cells([service, "share", shown(part.amount, invoice)], indent: 8))
                    }
                    if !item.parts.isEmpty {
                        rows.append(
                            .cells(["Item total", "", shown(line.amount, invoice)], indent: 6))
                    }
                }
            }
            rows.append(.rule)
            rows.append(.cells(["Custom line items total", "", shown(layout.customLineItemTotal, invoice)], indent: 0))
        }
        rows.append(.rule)
        rows.append(.cells(["Total (\(result.currency))", "", shown(layout.total, invoice)], indent: 0))
        rows.append(.cells(["Amount due by \(heading.dueDate)", "", shown(layout.total, invoice)], indent: 0))
        output += TextWrap.table(rows, width: width)
        output += "\n"
        if let instructions = heading.issuer?.paymentInstructions, !instructions.isEmpty {
            output += "Payment\n"
            for line in instructions {
                output += TextWrap.lines(line, width: width, indent: 2).joined(separator: "\n") + "\n"
            }
            output += "\n"
        }
        if let note = presentation.hiddenNote(invoice) {
            output += TextWrap.lines(note, width: width).joined(separator: "\n") + "\n"
        }
        output += TextWrap.lines(roundingNote(invoice), width: width).joined(separator: "\n") + "\n"
        let provenance = provenanceLines(invoice.provenance)
        let provenanceWidth = provenance.map { TextTable.width($0.0) }.max() ?? 0
        for (label, value) in provenance {
            output += TextWrap.labelled(label, value, labelWidth: provenanceWidth, width: width)
        }
        return output
    }

    // MARK: - Markdown

    /// GitHub's limit for a comment body.
    public static let markdownLimit = 65_536

    static func markdown(_ invoice: InvoiceDocument, _ layout: InvoiceLayout) -> String {
        let full = markdown(invoice, layout, detailed: true)
        if full.utf8.count <= markdownLimit { return full }
        // Too long for a comment: keep every total, leave the lines to the other formats.
        return markdown(invoice, layout, detailed: false)
    }

    static func markdown(_ invoice: InvoiceDocument, _ layout: InvoiceLayout, detailed: Bool) -> String {
        let result = invoice.result
        let heading = invoice.heading
        let presentation = InvoicePresentation(invoice, layout)
        var output =
            "### Pro forma invoice \(Markdown.code(heading.number)): \(Markdown.text(invoice.title)), \(result.period)\n\n"
        let from = heading.issuerLines
        let to = heading.customerLines
        if !from.isEmpty || !to.isEmpty {
            output += "| From | Bill to |\n|---|---|\n"
            for index in 0..<max(from.count, to.count) {
                let left = index < from.count ? Markdown.text(from[index]) : ""
                let right = index < to.count ? Markdown.text(to[index]) : ""
                output += "| \(left) | \(right) |\n"
            }
            output += "\n"
        }
        output += "| | |\n|---|---|\n"
        for (label, value) in facts(invoice) {
            let shownValue =
                label == "Billing group"
                ? Markdown.code(result.group)
                    + (invoice.description.map { $0.isEmpty ? "" : " " + Markdown.text($0) } ?? "")
                : Markdown.text(value)
            output += "| \(label) | \(shownValue) |\n"
        }
        output += "\n"

        if detailed {
            output += "#### Usage\n\n"
            if presentation.accounts.isEmpty {
                output += "No usage charges.\n\n"
            } else {
                output += "| Account | Service | Detail | Amount |\n|---|---|---|---:|\n"
                for block in presentation.accounts {
                    var first = true
                    var previous: String?
                    for row in block.rows {
                        let account = first ? accountMarkdown(block.account, invoice) : ""
                        first = false
                        let service = row.service == previous ? "" : Markdown.text(row.service)
                        previous = row.service
                        output +=
                            "| \(account) | \(service) | \(categoryLabel(row.category)) | \(shown(row.amount, invoice)) |\n"
                    }
                    output +=
                        "| | _Subtotal \(Markdown.code(block.account))_ | | _\(shown(block.subtotal, invoice))_ |\n"
                }
                output += "| **Subtotal (usage)** | | | **\(shown(layout.usageTotal, invoice))** |\n\n"
            }
            if !presentation.itemGroups.isEmpty {
                output += "#### Custom line items\n\n"
                output += "| Service | Item | Detail | Amount |\n|---|---|---|---:|\n"
                for group in presentation.itemGroups {
                    var first = true
                    for item in group.items {
                        let service = first ? Markdown.text(group.service ?? "Other charges") : ""
                        first = false
                        let line = item.line
                        let detail = Markdown.text(chargeDetail(line, invoice))
                        let label = Markdown.text(line.charge.description + accountNote(line.charge.account, invoice))
                        if item.parts.isEmpty {
                            output += "| \(service) | \(label) | \(detail) | \(shown(line.amount, invoice)) |\n"
                        } else {
                            output += "| \(service) | \(label) | \(detail): \(shown(line.amount, invoice)) | |\n"
                            var previousAccount: String?
                            for (part, partService) in item.parts {
                                let account =
                                    part.account == previousAccount ? "" : accountMarkdown(part.account, invoice)
                                previousAccount = part.account
                                output +=
                                    "| | ↳ \(Markdown.text(partService)) | share\(account.isEmpty ? "" : ", " + account) | \(shown(part.amount, invoice)) |\n"
                            }
                        }
                    }
                }
                output += "| **Custom line items total** | | | **\(shown(layout.customLineItemTotal, invoice))** |\n\n"
            }
        } else {
            output +=
                "_The invoice has \(layout.shownAmounts.count) lines, too many for a comment: the totals follow; render it as text, CSV, JSON or HTML for every line._\n\n"
        }
        output += "| | Amount |\n|---|---:|\n"
        output += "| Subtotal (usage) | \(shown(layout.usageTotal, invoice)) |\n"
        output += "| Custom line items | \(shown(layout.customLineItemTotal, invoice)) |\n"
        output += "| **Total (\(Markdown.text(result.currency)))** | **\(shown(layout.total, invoice))** |\n\n"
        if let instructions = heading.issuer?.paymentInstructions, !instructions.isEmpty {
            output += "Payment: " + instructions.map(Markdown.text).joined(separator: "  \n") + "\n\n"
        }
        if detailed, let note = presentation.hiddenNote(invoice) { output += Markdown.text(note) + "\n\n" }
        output += Markdown.text(roundingNote(invoice)) + "\n\n"
        let provenance = invoice.provenance
        output += "Configuration: \(provenanceMarkdown(provenance))  \n"
        output +=
            "Usage data: "
            + (provenance.usageFiles.isEmpty
                ? "(none)" : provenance.usageFiles.map(Markdown.code).joined(separator: ", "))
            + "  \n"
        output += "Priced by proforma \(Markdown.code(provenance.toolVersion))\n"
        return output
    }

    static func accountMarkdown(_ id: String, _ invoice: InvoiceDocument) -> String {
        guard let name = invoice.accountNames[id], !name.isEmpty, name != id else { return Markdown.code(id) }
        return Markdown.code(id) + " " + Markdown.text(name)
    }

    static func provenanceMarkdown(_ provenance: Provenance) -> String {
        switch (provenance.revision, provenance.commit) {
        case (let revision?, let commit?): "\(Markdown.code(revision)) at commit \(Markdown.code(commit))"
        case (nil, let commit?): "commit \(Markdown.code(commit))"
        case (let revision?, nil): "\(Markdown.code(revision)) (no commit recorded)"
        case (nil, nil): "working tree (uncommitted, no commit recorded)"
        }
    }

    // MARK: - CSV

    /// The CSV columns: one row per invoice line, and nothing else, so the `amount` column adds up exactly to the
    /// invoice's total (which is in the JSON invoice). `row_type` says what a row is: `line` (the counted usage of
    /// one account, service and category), `custom_item` (a CONSOLIDATED custom line item) or `custom_item_part`
    /// (a part of an ITEMIZED item: its share of one base line; the item itself has no row). Every line is listed,
    /// those of 0 too. Amounts are exact decimal text: `amount` rounded to the currency's minor unit as the
    /// invoice shows it, `amount_exact` as computed. Every row repeats the invoice number, group, period, currency
    /// and provenance, so rows keep their origin when invoices are concatenated.
    static let csvColumns = [
        "invoice_number", "billing_group", "period", "currency", "row_type", "account_id", "account_name",
        "service_code", "service_name", "category", "custom_line_item", "description", "amount", "amount_exact",
        "configuration_revision", "configuration_commit", "usage_files", "tool_version",
    ]

    static func csv(_ invoice: InvoiceDocument, _ layout: InvoiceLayout) -> String {
        let result = invoice.result
        let places = invoice.currencyPlaces
        let names = invoice.serviceNames
        let provenance = invoice.provenance
        var output = CSV.row(csvColumns.map { .text($0) })
        func row(
            _ type: String, account: String, service: String?, serviceName: String? = nil, category: String,
            item: String? = nil, description: String? = nil, amount: PresentedAmount
        ) {
            func text(_ value: String?) -> CSV.Cell { value.map { .text($0) } ?? .empty }
            output += CSV.row([
                .text(invoice.heading.number), .text(result.group), .text(result.period.description),
                .text(result.currency), .text(type), .text(account), text(invoice.accountNames[account]),
                text(service), text(serviceName ?? service.map(names.name(for:))), .text(category), text(item),
                text(description),
                .number(MoneyText.plain(amount.rounded, places: places)),
                .number(MoneyText.exact(amount.exact, places: places)), text(provenance.revision),
                text(provenance.commit), .text(provenance.usageFiles.joined(separator: "; ")),
                .text(provenance.toolVersion),
            ])
        }
        for line in layout.usageLines {
            row(
                "line", account: line.account, service: line.service, category: line.category.rawValue,
                amount: line.amount)
        }
        for line in layout.customLines {
            let charge = line.charge
            if line.isItemized {
                for part in line.parts {
                    row(
                        "custom_item_part", account: part.account, service: part.service,
                        serviceName: invoice.partName(part.service), category: charge.type.rawValue, item: charge.name,
                        description: charge.description,
                        amount: part.amount)
                }
            } else {
                row(
                    "custom_item", account: charge.account, service: charge.presentationService,
                    category: charge.type.rawValue, item: charge.name, description: charge.description,
                    amount: line.amount)
            }
        }
        return output
    }

    // MARK: - JSON

    static func json(_ invoice: InvoiceDocument, _ layout: InvoiceLayout) -> JSONValue {
        let result = invoice.result
        let places = invoice.currencyPlaces
        let names = invoice.serviceNames
        let heading = invoice.heading
        func money(_ value: ExactDecimal) -> JSONValue { .string(MoneyText.exact(value, places: places)) }
        func rounded(_ value: ExactDecimal) -> JSONValue { .string(MoneyText.plain(value, places: places)) }
        func amounts(_ amount: PresentedAmount, _ name: String = "amount") -> [String: JSONValue] {
            [name: money(amount.exact), name + "_rounded": rounded(amount.rounded)]
        }
        func account(_ id: String) -> [String: JSONValue] {
            ["account_id": .string(id), "account_name": .string(invoice.accountNames[id])]
        }
        let lines: [JSONValue] = layout.usageLines.map { line in
            .object(
                account(line.account).merging(amounts(line.amount)) { a, _ in a }.merging([
                    "service": .string(line.service), "service_name": .string(names.name(for: line.service)),
                    "category": .string(line.category.rawValue), "line_count": .int(line.lineCount),
                ]) { a, _ in a })
        }
        let customLineItems: [JSONValue] = layout.customLines.map { line in
            let charge = line.charge
            var members = account(charge.account).merging(amounts(line.amount)) { a, _ in a }
            members["name"] = .string(charge.name)
            members["description"] = .string(charge.description)
            members["type"] = .string(charge.type.rawValue)
            members["computation_rule"] = .string(charge.computationRule.rawValue)
            members["presentation_service"] = .string(charge.presentationService)
            members["presentation_service_name"] = .string(charge.presentationService.map(names.name(for:)))
            members["percentage"] = charge.percentage.map { .string($0.normalized.description) } ?? .null
            members["base"] = charge.base.map(money) ?? .null
            members["base_rounded"] = line.base.map(rounded) ?? .null
            members["parts"] = .array(
                line.parts.map { part in
                    .object(
                        account(part.account).merging(amounts(part.amount)) { a, _ in a }.merging([
                            "service": .string(part.service), "service_name": .string(invoice.partName(part.service)),
                        ]) { a, _ in a })
                })
            return .object(members)
        }
        // Each account's usage: the sum of its lines, exact and as shown.
        var accountOrder: [String] = []
        var accountSums: [String: (exact: ExactDecimal, rounded: ExactDecimal)] = [:]
        for line in layout.usageLines {
            if accountSums[line.account] == nil { accountOrder.append(line.account) }
            accountSums[line.account, default: (.zero, .zero)].exact += line.amount.exact
            accountSums[line.account, default: (.zero, .zero)].rounded += line.amount.rounded
        }
        let accounts: [JSONValue] = accountOrder.map { id in
            let sums = accountSums[id] ?? (.zero, .zero)
            return .object(
                account(id).merging(["usage": money(sums.exact), "usage_rounded": rounded(sums.rounded)]) { a, _ in a })
        }
        var totals: [String: JSONValue] = [:]
        totals.merge(amounts(layout.usageTotal, "usage")) { a, _ in a }
        totals.merge(amounts(layout.customLineItemTotal, "custom_line_items")) { a, _ in a }
        totals.merge(amounts(layout.total, "total")) { a, _ in a }

        // Internal figures: the reseller's cost and margin, the group's figures as every report shows them:
        // margin_rounded = total_rounded − aws_cost_rounded.
        let figures = layout.figures
        let internalFigures: JSONValue = .object([
            "aws_cost": money(figures.awsCost.exact),
            "aws_cost_rounded": rounded(figures.awsCost.rounded),
            "margin": money(figures.margin.exact),
            "margin_rounded": rounded(figures.margin.rounded),
            "margin_percentage": figures.marginPercentage.map { .string($0.normalized.description) } ?? .null,
            "margin_percentage_rounded": MoneyText.percentage(figures.marginPercentage, rounding: invoice.rounding).map
            {
                .string($0)
            } ?? .null,
        ])
        func strings(_ values: [String]) -> JSONValue { .array(values.map { .string($0) }) }
        let issuer: JSONValue =
            heading.issuer.map { issuer in
                .object([
                    "name": .string(issuer.name), "address": strings(issuer.address), "tax_id": .string(issuer.taxID),
                    "email": .string(issuer.email), "payment_instructions": strings(issuer.paymentInstructions),
                ])
            } ?? .null
        let customer: JSONValue =
            heading.customer.map { customer in
                .object([
                    "legal_name": .string(customer.legalName), "address": strings(customer.address),
                    "tax_id": .string(customer.taxID), "email": .string(customer.email),
                    "purchase_order": .string(customer.purchaseOrder),
                ])
            } ?? .null
        return .object([
            "format_version": .int(1),
            "kind": .string("invoice"),
            "invoice_number": .string(heading.number),
            "issue_date": .string(heading.issueDate.description),
            "due_date": .string(heading.dueDate.description),
            "payment_terms_days": .int(heading.paymentTermsDays),
            "issuer": issuer,
            "customer": customer,
            "billing_group": .object([
                "name": .string(result.group),
                "description": .string(invoice.description),
                "primary_account_id": .string(result.primaryAccount),
                "primary_account_name": .string(invoice.accountNames[result.primaryAccount]),
            ]),
            "period": .string(result.period.description),
            "currency": .string(result.currency),
            "currency_places": .int(places),
            "rounding": .string(invoice.rounding.rawValue),
            "lines": .array(lines),
            "accounts": .array(accounts),
            "custom_line_items": .array(customLineItems),
            "totals": .object(totals),
            "internal": internalFigures,
            "warnings": .array(result.warnings.map { .string($0.message) }),
            "provenance": invoice.provenance.json,
        ])
    }
}

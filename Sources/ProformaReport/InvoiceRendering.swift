import ProformaCore
import ProformaEngine
import ProformaModel

/// The output formats of `proforma invoice`. Closed: the renderer switches over it exhaustively.
public enum InvoiceFormat: String, CaseIterable, Sendable, Hashable {
    /// For people: aligned columns.
    case text
    /// For a pull-request comment or a wiki page (GitHub-flavoured tables, at most 65,536 characters).
    case markdown
    /// One row per shown line, RFC 4180, for spreadsheets and accounting imports.
    case csv
    /// For programs: `format_version` 1, sorted keys, money as decimal strings, exact and rounded.
    case json
    /// A self-contained, printable page: inline CSS, no scripts, no external resources.
    case html
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

    /// `currencyPlaces` defaults to the minor unit of the result's currency (see `CurrencyMinorUnits`).
    public init(
        result: GroupResult, description: String? = nil, accountNames: [String: String] = [:],
        currencyPlaces: Int? = nil, rounding: RoundingMode = .halfEven, provenance: Provenance
    ) {
        self.result = result
        self.description = description
        self.accountNames = accountNames
        self.currencyPlaces = currencyPlaces ?? CurrencyMinorUnits.places(for: result.currency)
        self.rounding = rounding
        self.provenance = provenance
    }

    /// Takes the description from the billing group and the names of the given accounts.
    public init(
        result: GroupResult, group: BillingGroup?, accounts: [Account], currencyPlaces: Int? = nil,
        rounding: RoundingMode = .halfEven, provenance: Provenance
    ) {
        var names: [String: String] = [:]
        for account in accounts where names[account.accountID] == nil { names[account.accountID] = account.name }
        self.init(
            result: result, description: group?.description, accountNames: names, currencyPlaces: currencyPlaces,
            rounding: rounding, provenance: provenance)
    }

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
    public static func render(_ invoice: InvoiceDocument, as format: InvoiceFormat) -> String {
        let layout = InvoiceLayout(invoice)
        return switch format {
        case .text: text(invoice, layout)
        case .markdown: markdown(invoice, layout)
        case .csv: csv(invoice, layout)
        case .json: JSONWriter.write(json(invoice, layout))
        case .html: html(invoice, layout)
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

    /// `fee`, `credit, 2% of 385.00`, `fee, 3% of 435.00, itemized`.
    static func chargeDetail(_ line: InvoiceLayout.CustomLine, _ invoice: InvoiceDocument) -> String {
        let charge = line.charge
        var detail = charge.type == .credit ? "credit" : "fee"
        if let percentage = charge.percentage, let base = line.base {
            detail += ", \(percentage.normalized)% of \(MoneyText.grouped(base, places: invoice.currencyPlaces))"
        }
        if line.isItemized { detail += ", itemized" }
        return detail
    }

    static func shown(_ value: PresentedAmount, _ invoice: InvoiceDocument) -> String {
        MoneyText.grouped(value.rounded, places: invoice.currencyPlaces)
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

    // MARK: - Text

    static func text(_ invoice: InvoiceDocument, _ layout: InvoiceLayout) -> String {
        let result = invoice.result
        var header = TextTable([.left, .left])
        header.add(["Billing group", result.group])
        if let description = invoice.description, !description.isEmpty { header.add(["Description", description]) }
        header.add(["Period", result.period.description])
        header.add(["Currency", result.currency])
        header.add(["Primary account", invoice.accountLabel(result.primaryAccount)])
        var output = "PRO FORMA INVOICE\n\n" + header.render() + "\n"

        var table = TextTable([.left, .left, .left, .right])
        table.add(["Account", "Item", "Detail", "Amount"])
        table.rule()
        if layout.usageLines.isEmpty { table.text("No usage charges.") }
        var previousAccount: String?
        for line in layout.usageLines {
            let account = line.account == previousAccount ? "" : invoice.accountLabel(line.account)
            previousAccount = line.account
            table.add([account, line.service, categoryLabel(line.category), shown(line.amount, invoice)])
        }
        table.rule()
        table.add(["Subtotal (usage)", "", "", shown(layout.usageTotal, invoice)])
        if !layout.customLines.isEmpty {
            table.text("")
            table.text("Custom line items")
            for line in layout.customLines {
                if line.isItemized {
                    table.add([
                        invoice.accountLabel(line.charge.account), line.charge.description,
                        chargeDetail(line, invoice) + ": " + shown(line.amount, invoice), "",
                    ])
                    for part in line.parts {
                        table.add([
                            "  " + invoice.accountLabel(part.account), "  " + part.service, "  share",
                            shown(part.amount, invoice),
                        ])
                    }
                } else {
                    table.add([
                        invoice.accountLabel(line.charge.account), line.charge.description, chargeDetail(line, invoice),
                        shown(line.amount, invoice),
                    ])
                }
            }
            table.rule()
            table.add(["Custom line items total", "", "", shown(layout.customLineItemTotal, invoice)])
        }
        table.rule()
        table.add(["Total (\(result.currency))", "", "", shown(layout.total, invoice)])
        output += table.render() + "\n"
        output += TerminalText.inline(roundingNote(invoice)) + "\n"
        var footer = TextTable([.left, .left])
        for (label, value) in provenanceLines(invoice.provenance) { footer.add([label, value]) }
        output += footer.render()
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
        var output = "### Pro forma invoice: \(Markdown.code(result.group)), \(result.period)\n\n"
        output += "| | |\n|---|---|\n"
        output += "| Billing group | \(Markdown.code(result.group)) |\n"
        if let description = invoice.description, !description.isEmpty {
            output += "| Description | \(Markdown.text(description)) |\n"
        }
        output += "| Period | \(result.period) |\n"
        output += "| Currency | \(Markdown.code(result.currency)) |\n"
        output += "| Primary account | \(accountMarkdown(result.primaryAccount, invoice)) |\n\n"

        if detailed {
            output += "#### Usage\n\n"
            if layout.usageLines.isEmpty {
                output += "No usage charges.\n\n"
            } else {
                output += "| Account | Service | Detail | Amount |\n|---|---|---|---:|\n"
                var previousAccount: String?
                for line in layout.usageLines {
                    let account = line.account == previousAccount ? "" : accountMarkdown(line.account, invoice)
                    previousAccount = line.account
                    output +=
                        "| \(account) | \(Markdown.code(line.service)) | \(categoryLabel(line.category)) | \(shown(line.amount, invoice)) |\n"
                }
                output += "| **Subtotal (usage)** | | | **\(shown(layout.usageTotal, invoice))** |\n\n"
            }
            if !layout.customLines.isEmpty {
                output += "#### Custom line items\n\n"
                output += "| Account | Item | Detail | Amount |\n|---|---|---|---:|\n"
                for line in layout.customLines {
                    let detail = Markdown.text(chargeDetail(line, invoice))
                    if line.isItemized {
                        output +=
                            "| \(accountMarkdown(line.charge.account, invoice)) | \(Markdown.text(line.charge.description)) | \(detail): \(shown(line.amount, invoice)) | |\n"
                        for part in line.parts {
                            output +=
                                "| ↳ \(accountMarkdown(part.account, invoice)) | ↳ \(Markdown.code(part.service)) | share | \(shown(part.amount, invoice)) |\n"
                        }
                    } else {
                        output +=
                            "| \(accountMarkdown(line.charge.account, invoice)) | \(Markdown.text(line.charge.description)) | \(detail) | \(shown(line.amount, invoice)) |\n"
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

    /// The CSV columns. Every row repeats the group, period, currency and provenance, so rows keep their origin
    /// when invoices are concatenated. `record` says what a row is: `usage`, `custom_line_item` (a CONSOLIDATED
    /// item), `custom_line_item_part` (a part of an ITEMIZED item; the item itself has no row), `subtotal`,
    /// `custom_line_items_total`, `total`. The `amount` of the `usage`, `custom_line_item` and
    /// `custom_line_item_part` rows adds up exactly to the `total` row's.
    static let csvColumns = [
        "billing_group", "period", "currency", "record", "account_id", "account_name", "service", "category",
        "custom_line_item", "description", "amount", "amount_exact", "configuration_revision", "configuration_commit",
        "usage_files", "tool_version",
    ]

    static func csv(_ invoice: InvoiceDocument, _ layout: InvoiceLayout) -> String {
        let result = invoice.result
        let places = invoice.currencyPlaces
        let provenance = invoice.provenance
        var output = CSV.row(csvColumns.map { .text($0) })
        func row(
            _ record: String, account: String? = nil, service: String? = nil, category: String? = nil,
            item: String? = nil, description: String? = nil, amount: PresentedAmount
        ) {
            func text(_ value: String?) -> CSV.Cell { value.map { .text($0) } ?? .empty }
            output += CSV.row([
                .text(result.group), .text(result.period.description), .text(result.currency), .text(record),
                text(account), text(account.flatMap { invoice.accountNames[$0] }), text(service), text(category),
                text(item), text(description), .number(MoneyText.plain(amount.rounded, places: places)),
                .number(MoneyText.exact(amount.exact, places: places)), text(provenance.revision),
                text(provenance.commit), .text(provenance.usageFiles.joined(separator: "; ")),
                .text(provenance.toolVersion),
            ])
        }
        for line in layout.usageLines {
            row(
                "usage", account: line.account, service: line.service, category: line.category.rawValue,
                amount: line.amount)
        }
        for line in layout.customLines {
            let charge = line.charge
            if line.isItemized {
                for part in line.parts {
                    row(
                        "custom_line_item_part", account: part.account, service: part.service,
                        category: charge.type.rawValue,
                        item: charge.name, description: charge.description, amount: part.amount)
                }
            } else {
                row(
                    "custom_line_item", account: charge.account, service: charge.presentationService,
                    category: charge.type.rawValue, item: charge.name, description: charge.description,
                    amount: line.amount)
            }
        }
        row("subtotal", description: "Subtotal (usage)", amount: layout.usageTotal)
        row("custom_line_items_total", description: "Custom line items total", amount: layout.customLineItemTotal)
        row("total", description: "Total", amount: layout.total)
        return output
    }

    // MARK: - JSON

    static func json(_ invoice: InvoiceDocument, _ layout: InvoiceLayout) -> JSONValue {
        let result = invoice.result
        let places = invoice.currencyPlaces
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
                    "service": .string(line.service), "category": .string(line.category.rawValue),
                    "line_count": .int(line.lineCount),
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
            members["percentage"] = charge.percentage.map { .string($0.normalized.description) } ?? .null
            members["base"] = charge.base.map(money) ?? .null
            members["base_rounded"] = line.base.map(rounded) ?? .null
            members["parts"] = .array(
                line.parts.map { part in
                    .object(
                        account(part.account).merging(amounts(part.amount)) { a, _ in a }.merging([
                            "service": .string(part.service)
                        ]) { a, _ in a })
                })
            return .object(members)
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
            "margin_percentage_rounded": MoneyText.percentage(figures.marginPercentage, rounding: invoice.rounding).map {
                .string($0)
            } ?? .null,
        ])
        return .object([
            "format_version": .int(1),
            "kind": .string("invoice"),
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
            "custom_line_items": .array(customLineItems),
            "totals": .object(totals),
            "internal": internalFigures,
            "warnings": .array(result.warnings.map { .string($0.message) }),
            "provenance": invoice.provenance.json,
        ])
    }

    // MARK: - HTML

    static let css = """
        body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #1a1a1a; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; }
        h1 { font-size: 1.5rem; margin-bottom: 0.25rem; }
        h2 { font-size: 1.1rem; margin-top: 2rem; }
        p.description { margin-top: 0; color: #444; }
        table { border-collapse: collapse; width: 100%; }
        th, td { padding: 0.3rem 0.6rem; text-align: left; vertical-align: top; border-bottom: 1px solid #ddd; }
        th { background: #f3f3f3; }
        td.amount, th.amount { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        tr.part td { color: #555; }
        tr.part td.indent { padding-left: 1.6rem; }
        tr.total td { font-weight: bold; border-top: 2px solid #333; }
        table.header { width: auto; }
        table.header th { background: none; }
        footer { margin-top: 2rem; font-size: 0.85rem; color: #555; }
        footer dl { display: grid; grid-template-columns: max-content auto; gap: 0.2rem 1rem; }
        footer dd { margin: 0; word-break: break-all; }
        @media print {
          body { margin: 0; max-width: none; font-size: 10pt; }
          th { background: none; }
          tr { page-break-inside: avoid; }
          thead { display: table-header-group; }
        }
        """

    static func html(_ invoice: InvoiceDocument, _ layout: InvoiceLayout) -> String {
        let result = invoice.result
        let e = HTML.escape
        func amountCell(_ amount: PresentedAmount) -> String {
            "<td class=\"amount\">\(e(shown(amount, invoice)))</td>"
        }
        var output = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Pro forma invoice: \(e(result.group)), \(e(result.period.description))</title>
            <style>
            \(css)
            </style>
            </head>
            <body>
            <h1>Pro forma invoice: \(e(result.group))</h1>

            """
        if let description = invoice.description, !description.isEmpty {
            output += "<p class=\"description\">\(e(description))</p>\n"
        }
        output += "<table class=\"header\">\n"
        output += "<tr><th scope=\"row\">Billing group</th><td>\(e(result.group))</td></tr>\n"
        output += "<tr><th scope=\"row\">Period</th><td>\(e(result.period.description))</td></tr>\n"
        output += "<tr><th scope=\"row\">Currency</th><td>\(e(result.currency))</td></tr>\n"
        output +=
            "<tr><th scope=\"row\">Primary account</th><td>\(e(invoice.accountLabel(result.primaryAccount)))</td></tr>\n"
        output += "</table>\n"

        output += "<h2>Usage</h2>\n"
        output +=
            "<table class=\"lines\">\n<thead><tr><th>Account</th><th>Service</th><th>Detail</th><th class=\"amount\">Amount</th></tr></thead>\n<tbody>\n"
        if layout.usageLines.isEmpty { output += "<tr><td colspan=\"4\">No usage charges.</td></tr>\n" }
        var previousAccount: String?
        for line in layout.usageLines {
            let account = line.account == previousAccount ? "" : e(invoice.accountLabel(line.account))
            previousAccount = line.account
            output +=
                "<tr><td>\(account)</td><td>\(e(line.service))</td><td>\(e(categoryLabel(line.category)))</td>\(amountCell(line.amount))</tr>\n"
        }
        output +=
            "</tbody>\n<tfoot><tr class=\"total\"><td colspan=\"3\">Subtotal (usage)</td>\(amountCell(layout.usageTotal))</tr></tfoot>\n</table>\n"

        if !layout.customLines.isEmpty {
            output += "<h2>Custom line items</h2>\n"
            output +=
                "<table class=\"custom-line-items\">\n<thead><tr><th>Account</th><th>Item</th><th>Detail</th><th class=\"amount\">Amount</th></tr></thead>\n<tbody>\n"
            for line in layout.customLines {
                let account = e(invoice.accountLabel(line.charge.account))
                let description = e(line.charge.description)
                if line.isItemized {
                    output +=
                        "<tr><td>\(account)</td><td>\(description)</td><td>\(e(chargeDetail(line, invoice) + ": " + shown(line.amount, invoice)))</td><td></td></tr>\n"
                    for part in line.parts {
                        output +=
                            "<tr class=\"part\"><td class=\"indent\">\(e(invoice.accountLabel(part.account)))</td><td class=\"indent\">\(e(part.service))</td><td>share</td>\(amountCell(part.amount))</tr>\n"
                    }
                } else {
                    output +=
                        "<tr><td>\(account)</td><td>\(description)</td><td>\(e(chargeDetail(line, invoice)))</td>\(amountCell(line.amount))</tr>\n"
                }
            }
            output +=
                "</tbody>\n<tfoot><tr class=\"total\"><td colspan=\"3\">Custom line items total</td>\(amountCell(layout.customLineItemTotal))</tr></tfoot>\n</table>\n"
        }

        output += "<h2>Total</h2>\n<table class=\"totals\">\n<tbody>\n"
        output += "<tr><td>Subtotal (usage)</td>\(amountCell(layout.usageTotal))</tr>\n"
        output += "<tr><td>Custom line items</td>\(amountCell(layout.customLineItemTotal))</tr>\n"
        output += "<tr class=\"total\"><td>Total (\(e(result.currency)))</td>\(amountCell(layout.total))</tr>\n"
        output += "</tbody>\n</table>\n"

        output += "<footer>\n<p>\(e(roundingNote(invoice)))</p>\n<dl>\n"
        for (label, value) in provenanceLines(invoice.provenance) {
            output += "<dt>\(e(label))</dt><dd>\(e(value))</dd>\n"
        }
        output += "</dl>\n</footer>\n</body>\n</html>\n"
        return output
    }
}

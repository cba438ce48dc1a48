import ProformaCore
import ProformaEngine

/// The HTML invoice: one self-contained page (inline CSS, the logo as a data URI, no scripts, nothing fetched)
/// that prints on A4 and Letter alike: the page's size is the printer's, margins fixed, the column headings
/// repeated on every page, no table row split across pages, the totals kept together.
extension InvoiceRenderer {
    static let css = """
        :root { color-scheme: light; }
        body { font-family: "Helvetica Neue", Helvetica, Arial, "Liberation Sans", sans-serif; color: #1a1a1a; margin: 2rem auto; max-width: 50rem; padding: 0 1rem; font-size: 10.5pt; line-height: 1.35; }
        header.invoice { display: table; width: 100%; margin-bottom: 1.2rem; }
        header.invoice > div { display: table-cell; vertical-align: top; }
        header.invoice .logo img { max-height: 3.5rem; max-width: 14rem; }
        header.invoice .title { text-align: right; }
        h1 { font-size: 1.45rem; margin: 0 0 0.2rem 0; letter-spacing: 0.02em; }
        .number { font-size: 1.05rem; font-weight: 600; }
        table.parties { width: 100%; margin-bottom: 1rem; }
        table.parties td { width: 50%; vertical-align: top; padding: 0 1rem 0 0; border: none; }
        .label { text-transform: uppercase; font-size: 0.75rem; letter-spacing: 0.06em; color: #666; margin-bottom: 0.15rem; }
        .party div { white-space: pre-wrap; }
        .party .name { font-weight: 600; }
        table.facts { border-collapse: collapse; margin-bottom: 1.4rem; }
        table.facts th { text-align: left; font-weight: normal; color: #555; padding: 0.1rem 1.2rem 0.1rem 0; }
        table.facts td { padding: 0.1rem 0; }
        table.charges { border-collapse: collapse; width: 100%; }
        table.charges th, table.charges td { padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
        table.charges thead th { border-bottom: 1.5px solid #333; font-weight: 600; }
        table.charges td { border-bottom: 1px solid #e3e3e3; }
        .amount { text-align: right !important; font-variant-numeric: tabular-nums; white-space: nowrap; }
        tr.account td { font-weight: 600; padding-top: 0.7rem; border-bottom: 1px solid #bbb; }
        tr.line td.item, tr.item td.item { padding-left: 1.2rem; }
        tr.part td.item { padding-left: 2.4rem; color: #444; }
        tr.part-account td.item { padding-left: 1.8rem; font-style: italic; color: #444; }
        td.detail { white-space: nowrap; }
        tr.subtotal td { font-style: italic; }
        tr.section td { font-weight: 600; padding-top: 1rem; border-bottom: 1px solid #bbb; }
        tr.sum td { font-weight: 600; border-top: 1.5px solid #333; }
        tr.total td { font-weight: 700; font-size: 1.08em; border-top: 2px solid #111; border-bottom: 2px solid #111; }
        .code { color: #666; font-size: 0.85em; }
        section.payment { margin-top: 1.4rem; break-inside: avoid; page-break-inside: avoid; }
        footer { margin-top: 1.6rem; font-size: 0.8rem; color: #555; }
        footer dl { display: grid; grid-template-columns: max-content auto; gap: 0.1rem 1rem; }
        footer dt { font-weight: 600; }
        footer dd { margin: 0; word-break: break-all; }
        @page { margin: 16mm 14mm 18mm 14mm; @bottom-right { content: counter(page) " / " counter(pages); font-size: 8pt; color: #777; } }
        @media print {
          body { margin: 0; max-width: none; padding: 0; font-size: 9.5pt; }
          a { color: inherit; text-decoration: none; }
          thead { display: table-header-group; }
          tfoot { display: table-row-group; }
          tr, td, th { break-inside: avoid; page-break-inside: avoid; }
          tr.account, tr.section, tr.part-account { break-after: avoid; page-break-after: avoid; }
          tbody.totals, table.parties, table.facts { break-inside: avoid; page-break-inside: avoid; }
          footer { break-inside: avoid; page-break-inside: avoid; }
        }
        """

    static func html(_ invoice: InvoiceDocument, _ layout: InvoiceLayout) -> String {
        let result = invoice.result
        let heading = invoice.heading
        let presentation = InvoicePresentation(invoice, layout)
        let e = HTML.escape
        func amount(_ value: ExactDecimal) -> String { "<td class=\"amount\">\(e(shown(value, invoice)))</td>" }
        func row(_ kind: String, _ item: String, _ detail: String = "", _ value: ExactDecimal?) -> String {
            "<tr class=\"\(kind)\"><td class=\"item\">\(item)</td><td class=\"detail\">\(e(detail))</td>"
                + (value.map(amount) ?? "<td></td>") + "</tr>\n"
        }
        var output = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Pro forma invoice \(e(heading.number)): \(e(invoice.title)), \(e(result.period.description))</title>
            <style>
            \(css)
            </style>
            </head>
            <body>
            <header class="invoice">
            <div class="logo">
            """
        if let logo = heading.logo {
            let alt = heading.issuer?.name ?? "Logo"
            output += "<img src=\"\(logo.dataURI)\" alt=\"\(e(alt))\">"
        }
        output += "</div>\n<div class=\"title\"><h1>Pro forma invoice</h1>"
        output += "<div class=\"number\">\(e(heading.number))</div></div>\n</header>\n"

        func party(_ label: String, _ lines: [String]) -> String {
            guard let first = lines.first else { return "<td></td>" }
            var cell = "<td class=\"party\"><div class=\"label\">\(e(label))</div><div class=\"name\">\(e(first))</div>"
            for line in lines.dropFirst() { cell += "<div>\(e(line))</div>" }
            return cell + "</td>"
        }
        let customer = heading.customerLines.isEmpty ? [invoice.title] : heading.customerLines
        output +=
            "<table class=\"parties\"><tr>\(party("From", heading.issuerLines))\(party("Bill to", customer))</tr></table>\n"

        output += "<table class=\"facts\">\n"
        for (label, value) in facts(invoice) {
            output += "<tr><th scope=\"row\">\(e(label))</th><td>\(e(value))</td></tr>\n"
        }
        output += "</table>\n"

        output +=
            "<table class=\"charges\">\n<thead><tr><th>Item</th><th>Detail</th><th class=\"amount\">Amount (\(e(result.currency)))</th></tr></thead>\n"
        output += "<tbody class=\"usage\">\n"
        if presentation.accounts.isEmpty { output += "<tr><td colspan=\"3\">No usage charges.</td></tr>\n" }
        for block in presentation.accounts {
            output +=
                "<tr class=\"account\"><td colspan=\"3\">Account \(e(accountText(block.account, invoice)))</td></tr>\n"
            var previous: String?
            for line in block.rows {
                let service = line.service == previous ? "" : e(line.service)
                previous = line.service
                output += row("line", service, categoryLabel(line.category), line.amount.rounded)
            }
            output += row("subtotal", "Subtotal account \(e(block.account))", "", block.subtotal)
        }
        output += row("sum", "Subtotal (usage)", "", layout.usageTotal.rounded)
        output += "</tbody>\n"
        if !presentation.itemGroups.isEmpty {
            output += "<tbody class=\"custom-line-items\">\n"
            output += "<tr class=\"section\"><td colspan=\"3\">Custom line items</td></tr>\n"
            for group in presentation.itemGroups {
                output += "<tr class=\"account\"><td colspan=\"3\">\(e(group.service ?? "Other charges"))</td></tr>\n"
                for item in group.items {
                    let line = item.line
                    let note = accountNote(line.charge.account, invoice)
                    let label =
                        e(line.charge.description) + (note.isEmpty ? "" : " <span class=\"code\">\(e(note))</span>")
                    output += row(
                        "item", label, chargeDetail(line, invoice), item.parts.isEmpty ? line.amount.rounded : nil)
                    var previousAccount: String?
                    for (part, service) in item.parts {
                        if part.account != previousAccount {
                            output += row("part-account", "Account " + e(accountText(part.account, invoice)), "", nil)
                            previousAccount = part.account
                        }
                        output += row("part", e(service), "share", part.amount.rounded)
                    }
                    if !item.parts.isEmpty {
                        output += row("part subtotal", "Item total", "", line.amount.rounded)
                    }
                }
            }
            output += row("sum", "Custom line items total", "", layout.customLineItemTotal.rounded)
            output += "</tbody>\n"
        }
        output += "<tbody class=\"totals\">\n"
        output += row("", "Subtotal (usage)", "", layout.usageTotal.rounded)
        output += row("", "Custom line items", "", layout.customLineItemTotal.rounded)
        output += row("total", "Total (\(e(result.currency)))", "", layout.total.rounded)
        output += row("due", "Amount due by \(e(heading.dueDate.description))", "", layout.total.rounded)
        output += "</tbody>\n</table>\n"

        if let instructions = heading.issuer?.paymentInstructions, !instructions.isEmpty {
            output += "<section class=\"payment\"><div class=\"label\">Payment</div>"
            for line in instructions { output += "<div>\(e(line))</div>" }
            output += "</section>\n"
        }
        output += "<footer>\n"
        if let note = presentation.hiddenNote(invoice) { output += "<p>\(e(note))</p>\n" }
        output += "<p>\(e(roundingNote(invoice)))</p>\n<dl>\n"
        for (label, value) in provenanceLines(invoice.provenance) {
            output += "<dt>\(e(label))</dt><dd>\(e(value))</dd>\n"
        }
        output += "</dl>\n</footer>\n</body>\n</html>\n"
        return output
    }
}

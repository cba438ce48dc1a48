import ProformaCore
import ProformaEngine
import ProformaModel

/// What the documents for people (text, markdown, html) show of an invoice's layout: usage by account, with each
/// account's subtotal, services by name; custom line items grouped under the service they are presented under;
/// lines whose amount is 0 as shown left out unless asked for. Every amount is the layout's, so the accounts'
/// subtotals add up to the usage subtotal, and the groups' items to the custom line items total.
struct InvoicePresentation {
    struct UsageRow {
        /// The service's name (the code when it has none).
        var service: String
        var code: String
        var category: LineCategory
        var amount: PresentedAmount
    }

    struct AccountBlock {
        var account: String
        var rows: [UsageRow]
        /// The sum of the account's lines as shown (hidden ones are 0).
        var subtotal: ExactDecimal
        var subtotalExact: ExactDecimal
    }

    struct ItemRow {
        var line: InvoiceLayout.CustomLine
        /// The shown parts of an ITEMIZED item, with their services' names.
        var parts: [(part: InvoiceLayout.Part, service: String)]
    }

    struct ItemGroup {
        /// The presentation service's name; nil for items presented under no service.
        var service: String?
        var items: [ItemRow]
    }

    var accounts: [AccountBlock]
    var itemGroups: [ItemGroup]
    /// Lines (usage lines, custom line items, ITEMIZED parts) of 0 as shown that are not shown.
    var hiddenZeroLines: Int

    init(_ document: InvoiceDocument, _ layout: InvoiceLayout) {
        let names = document.serviceNames
        let show = { (amount: PresentedAmount) in document.showZero || amount.rounded != .zero }
        var hidden = 0
        var accounts: [AccountBlock] = []
        var byAccount: [String: [InvoiceLayout.UsageLine]] = [:]
        var order: [String] = []
        for line in layout.usageLines {
            if byAccount[line.account] == nil { order.append(line.account) }
            byAccount[line.account, default: []].append(line)
        }
        for account in order {
            let lines = byAccount[account] ?? []
            var rows: [UsageRow] = []
            for line in lines {
                guard show(line.amount) else {
                    hidden += 1
                    continue
                }
                rows.append(
                    UsageRow(
                        service: names.name(for: line.service), code: line.service, category: line.category,
                        amount: line.amount))
            }
            // By name as people read it (case aside), then by code.
            rows.sort {
                ($0.service.lowercased(), $0.service, $0.code, $0.category)
                    < ($1.service.lowercased(), $1.service, $1.code, $1.category)
            }
            let subtotal = lines.map(\.amount.rounded).sum()
            guard !rows.isEmpty else { continue }
            accounts.append(
                AccountBlock(
                    account: account, rows: rows, subtotal: subtotal, subtotalExact: lines.map(\.amount.exact).sum()))
        }
        var groups: [String?: [ItemRow]] = [:]
        for line in layout.customLines {
            guard show(line.amount) else {
                hidden += 1 + line.parts.count
                continue
            }
            var parts: [(InvoiceLayout.Part, String)] = []
            for part in line.parts {
                if show(part.amount) { parts.append((part, document.partName(part.service))) } else { hidden += 1 }
            }
            // By account, then by name as people read it: shown under a heading per account.
            parts.sort {
                ($0.0.account, $0.1.lowercased(), $0.1, $0.0.service)
                    < ($1.0.account, $1.1.lowercased(), $1.1, $1.0.service)
            }
            let service = line.charge.presentationService.map(names.name(for:))
            groups[service, default: []].append(ItemRow(line: line, parts: parts))
        }
        // Items under a service first, by the service's name; then those under none.
        let keys = groups.keys.compactMap { $0 }.sorted { ($0.lowercased(), $0) < ($1.lowercased(), $1) }
        itemGroups = keys.map { ItemGroup(service: $0, items: groups[$0] ?? []) }
        if let rest = groups[nil] { itemGroups.append(ItemGroup(service: nil, items: rest)) }
        self.accounts = accounts
        hiddenZeroLines = hidden
    }

    /// "3 lines of 0.00 are not shown.", or nil.
    func hiddenNote(_ document: InvoiceDocument) -> String? {
        guard hiddenZeroLines > 0 else { return nil }
        let zero = MoneyText.grouped(.zero, places: document.currencyPlaces)
        return hiddenZeroLines == 1
            ? "1 line of \(zero) is not shown." : "\(hiddenZeroLines) lines of \(zero) are not shown."
    }
}

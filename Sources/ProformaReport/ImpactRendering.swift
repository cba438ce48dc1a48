import ProformaCore
import ProformaEngine
import ProformaModel
import ProformaPlan

/// Renders a plan's invoice impact. Pure: values in, text out.
public enum ImpactRenderer {
    /// A hidden marker in the markdown, so that a workflow can find and update its own comment.
    public static let marker = "<!-- proforma-plan -->"

    public static func text(_ impact: InvoiceImpact) -> String {
        var output = ""
        let reach = reachLines(impact)
        if !reach.isEmpty { output += "\n" + reach.map { TerminalText.inline($0) + "\n" }.joined() }
        for period in impact.periods {
            guard !period.changedGroups.isEmpty || !period.newlyUnassigned.isEmpty else {
                output += "\n" + summary(period) + "\n"
                continue
            }
            output += "\nInvoice impact \(period.period):\n\n"
            var table = TextTable([.left, .right, .right, .right, .right, .right, .right])
            table.add(["Billing group", "Before", "After", "Δ", "Δ %", "AWS cost", "Margin % before → after"])
            table.rule()
            for group in period.changedGroups {
                table.add([
                    group.group, amount(group.before?.proForma.rounded, group),
                    amount(group.after?.proForma.rounded, group),
                    signed(group.delta, group.currency), percentage(group.deltaPercentage),
                    amount((group.after ?? group.before)?.awsCost.rounded, group),
                    "\(marginText(group.before?.marginPercentage)) → \(marginText(group.after?.marginPercentage))",
                ])
            }
            if !period.changedGroups.isEmpty { output += table.render(indent: "  ") }
            for group in period.changedGroups {
                let details = detailLines(group, names: impact.accountNames, services: impact.serviceNames)
                if !details.isEmpty {
                    output += "\n  \(TerminalText.inline(group.group)):\n" + details.map { "    \($0)\n" }.joined()
                }
            }
            for account in period.newlyUnassigned {
                let name = impact.accountNames[account].map { " (\($0))" } ?? ""
                output += "\n  account \(TerminalText.inline(account + name)) has usage and is left in no billing group"
            }
            if !period.newlyUnassigned.isEmpty { output += "\n" }
            output += "\n" + summary(period) + "\n"
        }
        if !impact.violations.isEmpty {
            output += "\nGuardrails broken:\n"
            for violation in impact.violations { output += "  ✗ \(TerminalText.inline(violation.description))\n" }
        }
        return output
    }

    /// `Invoice impact 2026-10: 3 of 12 billing groups change, +1,234.56 USD (+2.10 %).`
    public static func summary(_ period: PeriodImpact) -> String {
        let changed = period.changedGroups.count
        var text = "Invoice impact \(period.period): "
        text +=
            changed == 0
            ? "no billing group changes"
            : "\(changed) of \(period.groups.count) billing group\(period.groups.count == 1 ? "" : "s") change"
        let totals = period.totals.filter { !$0.delta.isZero }
        if !totals.isEmpty {
            text +=
                ", "
                + totals.map {
                    "\(signed($0.delta, $0.currency)) \($0.currency) (\(percentage($0.deltaPercentage)))"
                }.joined(separator: ", ")
        }
        return text + "."
    }

    /// The most services and custom line items listed per group; the rest are counted.
    static let detailLimit = 10

    static func detailLines(
        _ group: GroupImpact, names: [String: String], services: ServiceNames? = nil
    ) -> [String] {
        var lines: [String] = []
        if group.before == nil { lines.append("new billing group") }
        if group.after == nil { lines.append("billing group removed") }
        func account(_ id: String) -> String { names[id].map { "\(id) (\($0))" } ?? id }
        for id in group.accountsAdded { lines.append("+ account \(account(id))") }
        for id in group.accountsRemoved { lines.append("- account \(account(id))") }
        for change in group.services.prefix(detailLimit) {
            lines.append(
                "service \(services?.name(for: change.name) ?? change.name): \(money(change.before, group.currency)) → \(money(change.after, group.currency)) (\(signed(change.delta, group.currency)))"
            )
        }
        if group.services.count > detailLimit {
            lines.append("and \(group.services.count - detailLimit) more services, each changing less")
        }
        for change in group.customLineItems.prefix(detailLimit) {
            lines.append(
                "custom line item \(change.name): \(money(change.before, group.currency)) → \(money(change.after, group.currency)) (\(signed(change.delta, group.currency)))"
            )
        }
        if group.customLineItems.count > detailLimit {
            lines.append("and \(group.customLineItems.count - detailLimit) more custom line items, each changing less")
        }
        return lines.map(TerminalText.inline)
    }

    /// `PricingRule/x reaches a, b`, for each changed resource that reaches a group.
    static func reachLines(_ impact: InvoiceImpact) -> [String] {
        impact.reach.keys.sorted().compactMap { id in
            let groups = impact.reach[id] ?? []
            guard id.kind != .billingGroup, id.kind != .project else { return nil }
            return groups.isEmpty
                ? "\(id) reaches no billing group"
                : "\(id) reaches \(groups.count == 1 ? "" : "\(groups.count) groups: ")\(groups.joined(separator: ", "))"
        }
    }

    /// Markdown for a pull-request comment: the summary table first, unchanged groups counted, details folded.
    /// Never longer than `budget` characters: groups beyond it are summarised, no table is cut.
    public static func markdown(_ impact: InvoiceImpact, budget: Int) -> String {
        var output = ""
        let reach = reachLines(impact)
        if !reach.isEmpty, reach.count <= 50 { output += "\n" + reach.map { "- \(Markdown.text($0))\n" }.joined() }
        for period in impact.periods {
            var section = "\n#### \(Markdown.text(summary(period)))\n"
            let changed = period.changedGroups
            if !changed.isEmpty {
                var table = "\n| Billing group | Before | After | Δ | Δ % | Margin % |\n|---|--:|--:|--:|--:|--:|\n"
                var details = ""
                var shown = 0
                // Room for the closing lines of the section.
                let room = budget - output.utf8.count - section.utf8.count - 600
                for group in changed {
                    let row =
                        "| \(Markdown.code(group.group)) | \(amount(group.before?.proForma.rounded, group)) | \(amount(group.after?.proForma.rounded, group)) | \(signed(group.delta, group.currency)) | \(percentage(group.deltaPercentage)) | \(marginText(group.before?.marginPercentage)) → \(marginText(group.after?.marginPercentage)) |\n"
                    let lines = detailLines(group, names: impact.accountNames, services: impact.serviceNames)
                    let detail =
                        lines.isEmpty
                        ? ""
                        : "\n<details><summary>\(Markdown.text(group.group))</summary>\n\n"
                            + lines.map { "- \(Markdown.text($0))\n" }.joined() + "\n</details>\n"
                    if table.utf8.count + row.utf8.count + details.utf8.count + detail.utf8.count > room { break }
                    table += row
                    details += detail
                    shown += 1
                }
                section += table
                if shown < changed.count {
                    section +=
                        "\n… and \(changed.count - shown) more changed billing groups, left out to fit a comment; run `proforma plan` for all of them.\n"
                }
                section += details
            }
            let unchanged = period.groups.count - changed.count
            if unchanged > 0 {
                section += "\n\(unchanged) billing group\(unchanged == 1 ? " has" : "s have") no invoice changes.\n"
            }
            for account in period.newlyUnassigned {
                let name = impact.accountNames[account].map { " (\(Markdown.text($0)))" } ?? ""
                section += "\n⚠️ Account \(Markdown.code(account))\(name) has usage and is left in no billing group.\n"
            }
            output += section
        }
        if !impact.violations.isEmpty {
            output += "\n#### ❌ Guardrails broken\n\n"
            for violation in impact.violations { output += "- \(Markdown.text(violation.description))\n" }
        }
        return output
    }

    public static func json(_ impact: InvoiceImpact) -> JSONValue {
        .object([
            "periods": .array(
                impact.periods.map { period in
                    .object([
                        "period": .string(period.period.description),
                        "summary": .string(summary(period)),
                        "groups": .array(period.groups.map(json(of:))),
                        "totals": .array(
                            period.totals.map {
                                .object([
                                    "currency": .string($0.currency), "before": .string(plain($0.before, $0.currency)),
                                    "after": .string(plain($0.after, $0.currency)),
                                    "delta": .string(plain($0.delta, $0.currency)),
                                    "delta_percentage": .string($0.deltaPercentage?.description),
                                ])
                            }),
                        "newly_unassigned_accounts": .array(period.newlyUnassigned.map { .string($0) }),
                    ])
                }),
            "reach": .object(
                Dictionary(
                    uniqueKeysWithValues: impact.reach.map {
                        ($0.key.description, JSONValue.array($0.value.map { .string($0) }))
                    })),
            "guardrail_violations": .array(
                impact.violations.map {
                    .object([
                        "guardrail": .string($0.guardrail), "group": .string($0.group),
                        "period": .string($0.period.description), "figure": .string($0.figure),
                        "limit": .string($0.limit),
                    ])
                }),
            "usage_files": .array(impact.usageFiles.map { .string($0) }),
        ])
    }

    static func json(of group: GroupImpact) -> JSONValue {
        func side(_ figures: RoundedFigures?) -> JSONValue {
            guard let figures else { return .null }
            return .object([
                "pro_forma": .string(figures.proForma.exact.description),
                "pro_forma_rounded": .string(plain(figures.proForma.rounded, figures.currency)),
                "aws_cost": .string(figures.awsCost.exact.description),
                "aws_cost_rounded": .string(plain(figures.awsCost.rounded, figures.currency)),
                "margin": .string(figures.margin.exact.description),
                "margin_rounded": .string(plain(figures.margin.rounded, figures.currency)),
                "margin_percentage": .string(figures.marginPercentage?.description),
            ])
        }
        func changes(_ list: [AmountChange]) -> JSONValue {
            .array(
                list.map {
                    .object([
                        "name": .string($0.name), "before": .string(plain($0.before, group.currency)),
                        "after": .string(plain($0.after, group.currency)),
                        "delta": .string(plain($0.delta, group.currency)),
                    ])
                })
        }
        return .object([
            "group": .string(group.group), "currency": .string(group.currency), "changed": .bool(group.changed),
            "before": side(group.before), "after": side(group.after),
            "delta": .string(plain(group.delta, group.currency)),
            "delta_percentage": .string(group.deltaPercentage?.description),
            "services": changes(group.services), "custom_line_items": changes(group.customLineItems),
            "accounts_added": .array(group.accountsAdded.map { .string($0) }),
            "accounts_removed": .array(group.accountsRemoved.map { .string($0) }),
        ])
    }

    static func places(_ currency: String) -> Int { CurrencyMinorUnits.places(for: currency) }
    static func plain(_ value: ExactDecimal, _ currency: String) -> String {
        MoneyText.plain(value, places: places(currency))
    }
    static func money(_ value: ExactDecimal, _ currency: String) -> String {
        MoneyText.grouped(value, places: places(currency))
    }
    static func amount(_ value: ExactDecimal?, _ group: GroupImpact) -> String {
        value.map { money($0, group.currency) } ?? "—"
    }
    static func signed(_ value: ExactDecimal, _ currency: String) -> String {
        (value.isNegative || value.isZero ? "" : "+") + money(value, currency)
    }
    static func marginText(_ value: ExactDecimal?) -> String {
        value.map { $0.formatted(places: 2, rounding: .halfEven) + " %" } ?? "—"
    }

    static func percentage(_ value: ExactDecimal?) -> String {
        guard let value else { return "—" }
        return (value.isNegative || value.isZero ? "" : "+") + value.formatted(places: 2, rounding: .halfEven) + " %"
    }
}

/// A plan with its invoice impact, in every format `plan` writes.
public enum PlanRenderer {
    public static func render(_ plan: Plan, impact: InvoiceImpact?, as format: ChangeFormat, color: Bool) -> String {
        switch format {
        case .text:
            return ChangeRenderer.render(plan, as: .text, color: color, isPlan: true)
                + (impact.map(ImpactRenderer.text) ?? "")
        case .json:
            return JSONWriter.write(json(plan, impact: impact))
        case .markdown:
            // The impact first, then the resource changes in the room that is left.
            let limit = ChangeRenderer.markdownLimit - ImpactRenderer.marker.utf8.count - 1
            let impactText = impact.map { ImpactRenderer.markdown($0, budget: limit / 2) } ?? ""
            let changes = ChangeRenderer.markdown(plan, isPlan: true, budget: limit - impactText.utf8.count)
            guard let newline = changes.firstIndex(of: "\n") else { return ImpactRenderer.marker + "\n" + changes }
            // The heading and summary of the change, then the impact, then the table of resources.
            let heading = changes[..<newline]
            let rest = changes[newline...]
            return ImpactRenderer.marker + "\n" + heading + "\n" + impactText + rest
        }
    }

    /// The saved plan: the plan's JSON with the impact, when there is one.
    public static func json(_ plan: Plan, impact: InvoiceImpact?) -> JSONValue {
        guard case .object(var members) = plan.json else { return plan.json }
        members["impact"] = impact.map(ImpactRenderer.json) ?? .null
        return .object(members)
    }
}

import ProformaCore
import ProformaModel
import ProformaPlan

/// How a diff or a plan is written.
public enum ChangeFormat: String, CaseIterable, Sendable, Hashable {
    case text
    case markdown
    case json
}

/// Renders resource diffs and plans. Pure: values in, text out.
public enum ChangeRenderer {
    /// GitHub's limit for a pull-request comment body.
    public static let markdownLimit = 65_536

    public static func render(_ plan: Plan, as format: ChangeFormat, color: Bool = false, isPlan: Bool) -> String {
        switch format {
        case .text: text(plan, color: color, isPlan: isPlan)
        case .markdown: markdown(plan, isPlan: isPlan)
        case .json: JSONWriter.write(isPlan ? plan.json : diffJSON(plan))
        }
    }

    static func diffJSON(_ plan: Plan) -> JSONValue {
        guard case .object(var members) = plan.json else { return plan.json }
        members["tool_version"] = nil
        // A diff is not a plan: it carries no content hashes.
        for side in ["base", "head"] {
            if case .object(var fields) = members[side] {
                fields["configuration_hash"] = nil
                members[side] = .object(fields)
            }
        }
        return .object(members)
    }

    static func summary(_ diff: ConfigurationDiff, isPlan: Bool) -> String {
        if diff.isEmpty { return isPlan ? "No changes. The configurations are the same." : "No changes." }
        let counts = "\(diff.creations) to add, \(diff.updates) to change, \(diff.deletions) to destroy."
        return isPlan ? "Plan: " + counts : counts
    }

    /// One line per changed field: `path: old → new`, `path: + "a", - "b"`.
    public static func describe(_ field: FieldChange, action: ChangeAction) -> String {
        switch field.kind {
        case .value(let old, let new):
            switch (old, new) {
            case (nil, let new?): return action == .create ? "\(field.path): \(new.rendered)" : "\(field.path): (none) → \(new.rendered)"
            case (let old?, nil): return action == .delete ? "\(field.path): \(old.rendered)" : "\(field.path): \(old.rendered) → (none)"
            case (let old?, let new?): return "\(field.path): \(old.rendered) → \(new.rendered)"
            case (nil, nil): return field.path
            }
        case .members(let added, let removed):
            let parts = added.map { "+ \"\($0)\"" } + removed.map { "- \"\($0)\"" }
            return "\(field.path): " + parts.joined(separator: ", ")
        }
    }

    static func text(_ plan: Plan, color: Bool, isPlan: Bool) -> String {
        let style = Style(enabled: color)
        // Labels (revision names) and values come from the repository: every control character is made visible.
        var output =
            "\(isPlan ? "Plan" : "Diff") from \(TerminalText.inline(plan.base.label)) to \(TerminalText.inline(plan.head.label))\n"
        for change in plan.diff.changes {
            let paint: (String) -> String =
                switch change.action {
                case .create: style.green
                case .update: style.yellow
                case .delete: style.red
                }
            output += "\n" + paint(TerminalText.inline("\(change.action.symbol) \(change.id)")) + "\n"
            for field in change.fields {
                output += "    " + TerminalText.inline(describe(field, action: change.action)) + "\n"
            }
        }
        output += "\n" + style.bold(summary(plan.diff, isPlan: isPlan)) + "\n"
        return output
    }

    /// Text inside a code span in a table cell: no character can end the span or the cell, or start HTML; line
    /// breaks become spaces and other control characters their visible stand-ins (see `TerminalText.visible`).
    static func cell(_ text: String) -> String {
        var escaped = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "|": escaped += "\\|"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "&": escaped += "&amp;"
            case "\n", "\r": escaped += " "
            case "`": escaped += "'"
            default: escaped.unicodeScalars.append(TerminalText.visible(scalar))
            }
        }
        return escaped
    }

    static func markdown(_ plan: Plan, isPlan: Bool, budget limit: Int = markdownLimit) -> String {
        var head = "### proforma \(isPlan ? "plan" : "diff"): `\(cell(plan.base.label))` → `\(cell(plan.head.label))`\n\n"
        head += "**\(summary(plan.diff, isPlan: isPlan))**\n"
        guard !plan.diff.isEmpty else { return head }
        let tableHead = "\n| | Resource | Changes |\n|:-:|---|---|\n"
        // Leave room for the closing note, so the comment never exceeds the limit and no row is cut.
        let budget = limit - head.utf8.count - tableHead.utf8.count - 200
        var rows = ""
        var shown = 0
        for change in plan.diff.changes {
            let details = change.fields.map { "`" + cell(describe($0, action: change.action)) + "`" }
            // Created and destroyed resources show their fields too: a new 80 % markup is seen, not just "created".
            let verb: String? =
                switch change.action {
                case .create: "created"
                case .delete: "destroyed"
                case .update: nil
                }
            let cellText = ([verb].compactMap { $0 } + details).joined(separator: "<br>")
            let row = "| \(change.action.symbol) | `\(cell(change.id.description))` | \(cellText) |\n"
            if rows.utf8.count + row.utf8.count > budget { break }
            rows += row
            shown += 1
        }
        var output = head + tableHead + rows
        if shown < plan.diff.changes.count {
            output += "\n… and \(plan.diff.changes.count - shown) more changes, left out to fit a comment; run `proforma \(isPlan ? "plan" : "diff")` for all of them.\n"
        }
        return output
    }
}

extension Style {
    func green(_ text: String) -> String { apply("\u{1B}[32m", text) }
    func yellow(_ text: String) -> String { apply("\u{1B}[33m", text) }
    func red(_ text: String) -> String { apply("\u{1B}[31m", text) }
    func bold(_ text: String) -> String { apply("\u{1B}[1m", text) }
}

import ProformaCore
import ProformaModel

extension LoadState {
    /// Adds the accounts each billing group's `account_selector` selects to its `account_ids`, after the members
    /// written there (sorted by account ID, each once), so that validation, the engine, plans, diffs and the state
    /// store all see the resolved membership. The selected members' positions are the selector's, so a problem
    /// with one (an account in two groups) points at it. Selectors read the declared accounts only, never AWS.
    mutating func resolveAccountSelectors() {
        var accountIndex: AccountIndex?
        for index in configuration.billingGroups.indices {
            let group = configuration.billingGroups[index]
            let id = ResourceID(.billingGroup, group.name)
            guard let source = sourceMap.resources[id] else { continue }
            let selectorWritten = source.has("account_selector")
            if !source.has("account_ids") && !selectorWritten {
                diagnostics.append(
                    .error(
                        .missingField, "billing group \"\(group.name)\" has neither account_ids nor account_selector",
                        at: source.location,
                        hint: "list its members in account_ids, select them with account_selector, or both"))
                continue
            }
            guard let selector = group.accountSelector else { continue }
            let location = source.location(of: "account_selector")
            if selector.isEmpty {
                diagnostics.append(
                    .error(
                        .invalidValue,
                        "the account_selector of billing group \"\(group.name)\" names no ou_paths and no tags",
                        at: location, hint: "select by ou_paths (e.g. [/Customers/Harbor]), by tags, or both"))
                continue
            }
            let accounts = accountIndex ?? AccountIndex(configuration.accounts)
            accountIndex = accounts
            let selected = accounts.accountIDs(selectedBy: selector)
            if selected.isEmpty {
                diagnostics.append(
                    .warning(
                        .selectorSelectsNothing,
                        "the account_selector of billing group \"\(group.name)\" selects no account of the declared accounts",
                        at: location,
                        hint: configuration.hasOrganizationData
                            ? "check the OU paths and tags against accounts.yaml"
                            : "run `proforma import organizations` to record OU paths and tags in accounts.yaml"))
            }
            let explicit = Set(group.accountIDs)
            let added = selected.filter { !explicit.contains($0) }
            guard !added.isEmpty else { continue }
            configuration.billingGroups[index].accountIDs += added
            sourceMap.resources[id] = source.appendingItems("account_ids", count: added.count, at: location)
        }
    }
}

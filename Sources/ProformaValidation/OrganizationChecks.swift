import ProformaCore
import ProformaModel

extension ValidationRun {
    /// Checks against the organization recorded in accounts.yaml (by `proforma import organizations`): ACTIVE
    /// accounts in no billing group (PF406), and members that are leaving or have left it (PF407). Without
    /// organization data (no account has a `state`) there is nothing to check.
    mutating func checkOrganization() {
        guard configuration.hasOrganizationData else { return }
        let accountsByID = Dictionary(
            configuration.accounts.map { ($0.accountID, $0) }, uniquingKeysWith: { first, _ in first })
        var member: Set<String> = []
        for group in inWrittenOrder(configuration.billingGroups, .billingGroup, \.name) {
            var seen: Set<String> = []
            for (index, accountID) in group.accountIDs.enumerated() where seen.insert(accountID).inserted {
                member.insert(accountID)
                guard let account = accountsByID[accountID] else { continue }  // PF304 reports it
                let at = location(.billingGroup, group.name, "account_ids[\(index)]")
                if let state = account.state, state.isLeaving {
                    report(
                        .memberLeftOrganization,
                        "account \(accountID) (\(account.name)) of billing group \"\(group.name)\" is \(state.rawValue) in the organization",
                        at: at, hint: "remove it from the group once its last period is billed")
                } else if account.state == nil {
                    report(
                        .memberLeftOrganization,
                        "account \(accountID) (\(account.name)) of billing group \"\(group.name)\" is not in the organization: accounts.yaml has no state for it",
                        at: at,
                        hint:
                            "re-import the organization (`proforma import organizations`), or remove it from the group")
                }
            }
        }
        guard !configuration.billingGroups.contains(where: \.autoAssociate) else { return }
        let payer = configuration.project?.payerAccountID
        for account in configuration.accounts
        where account.state == .active && !account.unassigned && account.accountID != payer
            && !member.contains(account.accountID)
        {
            report(
                .accountInNoGroup,
                "account \(account.accountID) (\(account.name)) is ACTIVE in the organization and in no billing group",
                at: location(.account, account.name, "account_id"),
                hint: "add it to a billing group (account_ids or account_selector), or mark it `unassigned: true`")
        }
    }
}

import ProformaCore

/// An account's state in AWS Organizations (`State` in `list-accounts`).
public enum AccountState: String, Sendable, Hashable, CaseIterable, Codable {
    case active = "ACTIVE"
    case suspended = "SUSPENDED"
    case pendingClosure = "PENDING_CLOSURE"
    case closed = "CLOSED"

    /// Whether the account is leaving or has left the organization.
    public var isLeaving: Bool { self != .active }
}

/// Selects a billing group's members among the declared accounts: by organizational unit path (a prefix, whole
/// segments) and by tag. An account is selected when it is in one of `ouPaths` (when any is given) and carries
/// every tag of `tags` (when any is given), and its state is not CLOSED.
public struct AccountSelector: Sendable, Hashable {
    /// OU paths such as `/Customers/Harbor`; `/Customers` selects `/Customers` and every OU below it.
    public var ouPaths: [String]
    /// Tags the account must carry, each with exactly this value.
    public var tags: Tags

    public init(ouPaths: [String] = [], tags: Tags = [:]) {
        self.ouPaths = ouPaths
        self.tags = tags
    }

    /// Whether it selects nothing by construction (neither OU paths nor tags).
    public var isEmpty: Bool { ouPaths.isEmpty && tags.isEmpty }

    /// Whether `account` is selected.
    public func selects(_ account: Account) -> Bool {
        guard !isEmpty, account.state != .closed else { return false }
        if !ouPaths.isEmpty {
            guard let path = account.ouPath, ouPaths.contains(where: { Self.path(path, isWithin: $0) }) else {
                return false
            }
        }
        for (key, value) in tags where account.tags[key] != value { return false }
        return true
    }

    /// Whether `path` is `prefix` or below it, by whole segments (`/a` holds `/a/b`, not `/ab`).
    public static func path(_ path: String, isWithin prefix: String) -> Bool {
        let trimmed = prefix.hasSuffix("/") ? String(prefix.dropLast()) : prefix
        if trimmed.isEmpty { return path.hasPrefix("/") }
        return path == trimmed || path.hasPrefix(trimmed + "/")
    }
}

extension Configuration {
    /// Whether its accounts carry data from AWS Organizations (a `state`, written by `proforma import
    /// organizations`).
    public var hasOrganizationData: Bool { accounts.contains { $0.state != nil } }

    /// The IDs `selector` selects among the declared accounts, sorted.
    public func accountIDs(selectedBy selector: AccountSelector) -> [String] {
        Set(accounts.filter(selector.selects).map(\.accountID)).sorted()
    }
}

extension ResourceSource {
    /// The same source with `count` more items of the list at `path`, each at `location` (members a billing
    /// group's selector added to its `account_ids`: their diagnostics point at the selector).
    public func appendingItems(_ path: String, count: Int, at location: SourceLocation) -> ResourceSource {
        guard count > 0 else { return self }
        var copy = self
        let mark = Self.pack(line: location.line, column: location.column)
        copy.itemMarks[path, default: []] += Array(repeating: mark, count: count)
        return copy
    }

    /// How many items of the list at `path` were written.
    public func itemCount(_ path: String) -> Int { itemMarks[path]?.count ?? 0 }
}

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
        AccountIndex(accounts).accountIDs(selectedBy: selector)
    }
}

/// The declared accounts indexed by OU path and tag, so that each selector looks at the accounts it may select
/// only (time in proportion to what it selects, whatever the number of accounts and selectors).
public struct AccountIndex: Sendable {
    let accounts: [Account]
    /// Distinct OU paths, sorted, each with its accounts: the paths below `/a` follow `/a/` contiguously.
    let paths: [(path: String, accounts: [Int])]
    /// Tag key → value → accounts.
    let tags: [String: [String: [Int]]]

    public init(_ accounts: [Account]) {
        self.accounts = accounts
        var byPath: [String: [Int]] = [:]
        var byTag: [String: [String: [Int]]] = [:]
        for (index, account) in accounts.enumerated() {
            if let path = account.ouPath { byPath[path, default: []].append(index) }
            for (key, value) in account.tags { byTag[key, default: [:]][value, default: []].append(index) }
        }
        paths = byPath.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }.map { ($0.key, $0.value) }
        tags = byTag
    }

    /// The IDs `selector` selects, sorted.
    public func accountIDs(selectedBy selector: AccountSelector) -> [String] {
        guard !selector.isEmpty else { return [] }
        var candidates: [Int] = []
        if !selector.ouPaths.isEmpty {
            for prefix in Set(selector.ouPaths) { candidates += within(prefix) }
        } else if let (key, value) = selector.tags.min(by: { $0.key < $1.key }) {
            candidates = tags[key]?[value] ?? []
        }
        return Set(candidates.map { accounts[$0] }.filter(selector.selects).map(\.accountID)).sorted()
    }

    /// The accounts whose OU path is `prefix` or below it.
    func within(_ prefix: String) -> [Int] {
        let trimmed = prefix.hasSuffix("/") ? String(prefix.dropLast()) : prefix
        var result: [Int] = []
        if let exact = position(of: trimmed), exact < paths.count, paths[exact].path == trimmed {
            result += paths[exact].accounts
        }
        let below = trimmed + "/"
        var index = position(of: below) ?? paths.count
        while index < paths.count, paths[index].path.hasPrefix(below) {
            result += paths[index].accounts
            index += 1
        }
        return result
    }

    /// The first position whose path is not before `path` (byte order).
    func position(of path: String) -> Int? {
        var low = 0
        var high = paths.count
        while low < high {
            let middle = (low + high) / 2
            if paths[middle].path.utf8.lexicographicallyPrecedes(path.utf8) { low = middle + 1 } else { high = middle }
        }
        return low
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

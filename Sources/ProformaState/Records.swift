import Foundation
import ProformaCore
import ProformaModel

/// Which store and how far it has come: the lineage (fixed when the store is created) and the serial of its newest
/// apply (0 before the first). A saved plan records it; `apply` refuses the plan when either has moved.
public struct StateVersion: Sendable, Hashable, Codable {
    /// nil for a store that does not exist yet.
    public var lineage: String?
    public var serial: Int

    public init(lineage: String?, serial: Int) {
        self.lineage = lineage
        self.serial = serial
    }

    /// The version of a store that does not exist yet.
    public static let empty = StateVersion(lineage: nil, serial: 0)
}

/// One apply, as the store keeps it.
public struct ApplyRecord: Sendable, Hashable, Codable {
    public var serial: Int
    /// The full commit id; nil when the working tree was applied without a commit of its own meaning.
    public var commit: String?
    /// How the configuration was named (`HEAD`, `main`, `plan.json`, "working tree").
    public var revision: String
    /// `Canonical.hash(of:)` of the applied configuration.
    public var configurationHash: String
    /// `Name <email>` from git's configuration, or `--actor`.
    public var actor: String
    /// When it was applied, UTC, ISO 8601 to the second (`2026-12-06T10:00:00Z`).
    public var appliedAt: String
    public var toolVersion: String
    /// The billing period from whose first day the configuration is in effect.
    public var period: BillingPeriod
    /// Applied to a closed period on purpose (`--backfill`).
    public var backfill: Bool
    /// Applied from a working tree with uncommitted changes (`--allow-dirty`).
    public var dirty: Bool
    /// Resources created, updated and deleted against the configuration in effect before, for that period.
    public var additions: Int
    public var updates: Int
    public var deletions: Int
    public var resourceCount: Int

    public init(
        serial: Int, commit: String?, revision: String, configurationHash: String, actor: String, appliedAt: String,
        toolVersion: String, period: BillingPeriod, backfill: Bool, dirty: Bool, additions: Int, updates: Int,
        deletions: Int, resourceCount: Int
    ) {
        self.serial = serial
        self.commit = commit
        self.revision = revision
        self.configurationHash = configurationHash
        self.actor = actor
        self.appliedAt = appliedAt
        self.toolVersion = toolVersion
        self.period = period
        self.backfill = backfill
        self.dirty = dirty
        self.additions = additions
        self.updates = updates
        self.deletions = deletions
        self.resourceCount = resourceCount
    }

    /// `1 to add, 2 to change, 0 to destroy`.
    public var changeSummary: String {
        "\(additions) to add, \(updates) to change, \(deletions) to destroy"
    }

    /// `2026-12-06T10:00:00Z` for a date.
    public static func timestamp(_ date: Date) -> String {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : String(value) }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T"
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
    }

    /// The billing period a moment falls in, UTC (AWS bills by UTC months).
    public static func period(of date: Date) -> BillingPeriod {
        let stamp = timestamp(date)
        return BillingPeriod(String(stamp.prefix(7)))!
    }
}

/// A resource's change in one apply.
public struct AppliedChange: Sendable, Hashable, Codable {
    public var id: ResourceID
    /// `create`, `update` or `delete`.
    public var action: String

    public init(id: ResourceID, action: String) {
        self.id = id
        self.action = action
    }
}

/// One stored resource: its identity and its canonical JSON document (`kind`, `name` and the snake_case fields).
public struct StoredResource: Sendable, Hashable {
    public var id: ResourceID
    public var document: String

    public init(id: ResourceID, document: String) {
        self.id = id
        self.document = document
    }
}

/// Who holds the apply lock, and since when. Released by the apply that took it, or by `state unlock ID`.
public struct LockInfo: Sendable, Hashable, Codable {
    public var id: String
    /// The actor of the apply that holds it.
    public var holder: String
    public var processID: Int
    public var host: String
    /// UTC, ISO 8601.
    public var createdAt: String
    /// What holds it (`apply`).
    public var operation: String

    public init(id: String, holder: String, processID: Int, host: String, createdAt: String, operation: String) {
        self.id = id
        self.holder = holder
        self.processID = processID
        self.host = host
        self.createdAt = createdAt
        self.operation = operation
    }

    enum CodingKeys: String, CodingKey {
        case id, holder, host, operation
        case processID = "process_id"
        case createdAt = "created_at"
    }

    /// `lock 6f1c… held by Ada <ada@example.com> (process 4242 on ci-runner-7, since 2026-12-06T10:00:00Z, apply)`.
    public var summary: String {
        "lock \(id) held by \(holder) (process \(processID) on \(host), since \(createdAt), \(operation))"
    }
}

/// What an apply writes: the record's fields (the serial is the store's to give) and the configuration.
public struct ApplyRequest: Sendable {
    public var expected: StateVersion
    public var commit: String?
    public var revision: String
    public var configurationHash: String
    public var actor: String
    public var appliedAt: String
    public var toolVersion: String
    public var period: BillingPeriod
    public var backfill: Bool
    public var dirty: Bool
    public var changes: [AppliedChange]
    /// Every resource of the configuration, in identity order.
    public var resources: [StoredResource]

    public init(
        expected: StateVersion, commit: String?, revision: String, configurationHash: String, actor: String,
        appliedAt: String, toolVersion: String, period: BillingPeriod, backfill: Bool, dirty: Bool,
        changes: [AppliedChange], resources: [StoredResource]
    ) {
        self.expected = expected
        self.commit = commit
        self.revision = revision
        self.configurationHash = configurationHash
        self.actor = actor
        self.appliedAt = appliedAt
        self.toolVersion = toolVersion
        self.period = period
        self.backfill = backfill
        self.dirty = dirty
        self.changes = changes
        self.resources = resources
    }
}

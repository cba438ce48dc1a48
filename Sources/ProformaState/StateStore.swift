import Foundation
import ProformaCore
import ProformaModel
import ProformaPlan

/// A configuration offered to the store: what it is, where it came from, and when it is to take effect.
public struct ApplyCandidate: Sendable {
    public var configuration: Configuration
    /// How it was named (`HEAD`, `main`, "working tree").
    public var revision: String
    /// The commit it was read from; nil for a working tree that differs from every commit.
    public var commit: String?
    public var dirty: Bool
    public var actor: String
    public var toolVersion: String
    /// The billing period it takes effect in, from its first day.
    public var period: BillingPeriod
    /// The period the clock is in now.
    public var currentPeriod: BillingPeriod
    /// Applying to a closed period on purpose.
    public var backfill: Bool
    /// From a saved plan: the state it was planned against; the apply is refused when the store has moved.
    public var expected: StateVersion?

    public init(
        configuration: Configuration, revision: String, commit: String?, dirty: Bool, actor: String,
        toolVersion: String, period: BillingPeriod, currentPeriod: BillingPeriod, backfill: Bool,
        expected: StateVersion? = nil
    ) {
        self.configuration = configuration
        self.revision = revision
        self.commit = commit
        self.dirty = dirty
        self.actor = actor
        self.toolVersion = toolVersion
        self.period = period
        self.currentPeriod = currentPeriod
        self.backfill = backfill
        self.expected = expected
    }
}

/// An apply worked out and checked, not yet recorded: the change it makes to the configuration in effect for its
/// period.
public struct PreparedApply: Sendable {
    public var candidate: ApplyCandidate
    /// The store when the apply was prepared; the apply is recorded only if it is still there.
    public var version: StateVersion
    /// The apply in effect for the candidate's period before this one, if any.
    public var base: ApplyRecord?
    public var baseConfiguration: Configuration
    public var diff: ConfigurationDiff
    public var configurationHash: String
    /// The configuration is already in effect for the period and every later one: nothing to record.
    public var isUnchanged: Bool
}

/// The state store: which configuration was applied when, from which commit, by whom, and which one is in effect
/// for a billing period. Works over any backend; `sqlite(root:project:)` is the one in the configuration root.
public struct StateStore: Sendable {
    public let backend: any StateStoreBackend

    public init(backend: any StateStoreBackend) {
        self.backend = backend
    }

    /// The default path, relative to the configuration root.
    public static let defaultPath = ".proforma/state.db"

    /// The SQLite store of the configuration rooted at `root` (a folder), at the project's `state.path`.
    public static func sqlite(root: String, project: Project?, maxPageCount: Int? = nil) -> StateStore {
        let relative = project?.state.path ?? defaultPath
        let path = relative.hasPrefix("/") ? relative : (root as NSString).appendingPathComponent(relative)
        return StateStore(backend: SQLiteStateBackend(path: path, location: relative, maxPageCount: maxPageCount))
    }

    public var location: String { backend.location }

    public func version() throws(StateError) -> StateVersion { try backend.version() }

    /// Every apply, oldest first.
    public func history() throws(StateError) -> [ApplyRecord] { try backend.applies() }

    public func record(serial: Int) throws(StateError) -> ApplyRecord {
        guard let record = try backend.apply(serial: serial) else {
            let newest = try backend.version().serial
            throw StateError(
                .notFound, "\(location) has no serial \(serial)",
                hint: newest == 0 ? "nothing has been applied yet" : "serials run from 1 to \(newest)")
        }
        return record
    }

    /// The configuration an apply recorded, rebuilt from the store alone (no git needed), and checked against the
    /// content hash recorded with it.
    public func configuration(of record: ApplyRecord) throws(StateError) -> Configuration {
        let resources = try backend.resources(serial: record.serial)
        let configuration = try ResourceDocument.configuration(from: resources, location: location)
        let hash = Canonical.hash(of: configuration)
        guard hash == record.configurationHash else {
            throw StateError(
                .damaged,
                "\(location) is damaged: the configuration of serial \(record.serial) does not match its content hash",
                hint: SQLiteStateBackend.damagedHint)
        }
        return configuration
    }

    /// The apply in effect for `period` and its configuration: the newest apply (highest serial) whose period is
    /// `period` or earlier. nil when nothing was applied for that period. Invoices and reports for a period are
    /// priced with this configuration, and name the apply (serial, commit).
    public func configuration(
        inEffectFor period: BillingPeriod
    ) throws(StateError) -> (record: ApplyRecord, configuration: Configuration)? {
        guard let record = try backend.apply(inEffectFor: period) else { return nil }
        return (record, try configuration(of: record))
    }

    /// Works out what applying `candidate` changes and checks the billing-period rules:
    /// - it takes effect from its period's first day, for that period and every later one;
    /// - a closed period (before the current one) keeps its configuration, unless `backfill`;
    /// - custom line items may change for the previous period without `backfill`, when they are all that changes
    ///   against the configuration in effect for it;
    /// - `backfill` is for closed periods only.
    public func prepare(_ candidate: ApplyCandidate) throws(StateError) -> PreparedApply {
        let version = try backend.version()
        if let expected = candidate.expected, expected != version {
            throw SQLiteStateBackend.stale(expected: expected, current: version, location: location)
        }
        if candidate.backfill && candidate.period >= candidate.currentPeriod {
            throw StateError(
                .closedPeriod,
                "--backfill is for closed periods, and \(candidate.period) is not before the current period \(candidate.currentPeriod)",
                hint: "leave out --backfill to apply from \(candidate.period)")
        }
        let base = try backend.apply(inEffectFor: candidate.period)
        let baseConfiguration =
            try base.map { record throws(StateError) in try configuration(of: record) } ?? Configuration()
        let diff = ConfigurationDiff(from: baseConfiguration, to: candidate.configuration)
        let hash = Canonical.hash(of: candidate.configuration)

        // Unchanged when the configuration is already the one in effect for the period and for every later period.
        var isUnchanged = false
        if let base, base.configurationHash == hash {
            let later = try backend.applies().filter { $0.serial > base.serial && $0.period > candidate.period }
            isUnchanged = later.allSatisfy { $0.configurationHash == hash }
        }
        if candidate.period < candidate.currentPeriod && !candidate.backfill && !isUnchanged {
            let previous = candidate.currentPeriod.previous
            let onlyLineItems = diff.changes.allSatisfy { $0.id.kind == .customLineItem }
            if !(candidate.period == previous && base != nil && onlyLineItems) {
                let what =
                    candidate.period == previous && base != nil
                    ? "only custom line items may change for the previous period \(previous), and this changes \(diff.changes.first { $0.id.kind != .customLineItem }.map { "\($0.id)" } ?? "more")"
                    : "\(candidate.period) is closed (the current period is \(candidate.currentPeriod)) and keeps the configuration it had"
                throw StateError(
                    .closedPeriod, "cannot apply to \(candidate.period): \(what)",
                    hint: "to change a closed period on purpose, add --backfill (recorded as such)")
            }
        }
        return PreparedApply(
            candidate: candidate, version: version, base: base, baseConfiguration: baseConfiguration, diff: diff,
            configurationHash: hash, isUnchanged: isUnchanged)
    }

    /// Records a prepared apply in one transaction, if the store is still where it was when the apply was prepared.
    public func commit(_ prepared: PreparedApply, at date: Date = Date()) throws(StateError) -> ApplyRecord {
        let candidate = prepared.candidate
        let request = ApplyRequest(
            expected: prepared.version, commit: candidate.commit, revision: candidate.revision,
            configurationHash: prepared.configurationHash, actor: candidate.actor,
            appliedAt: ApplyRecord.timestamp(date), toolVersion: candidate.toolVersion, period: candidate.period,
            backfill: candidate.backfill, dirty: candidate.dirty,
            changes: prepared.diff.changes.map { AppliedChange(id: $0.id, action: $0.action.rawValue) },
            resources: ResourceDocument.documents(of: candidate.configuration))
        return try backend.record(request)
    }

    /// The resources one apply changed.
    public func changes(serial: Int) throws(StateError) -> [AppliedChange] { try backend.changes(serial: serial) }

    // MARK: Lock

    /// Takes the apply lock; waits up to `timeout` seconds for another holder to release it, then throws
    /// `.locked` naming the holder.
    public func lock(holder: String, operation: String = "apply", timeout: Double = 0) throws(StateError) -> LockInfo {
        var name = [CChar](repeating: 0, count: 256)
        gethostname(&name, name.count - 1)
        let host = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let info = LockInfo(
            id: UUID().uuidString.lowercased(), holder: holder, processID: Int(getpid()), host: host,
            createdAt: ApplyRecord.timestamp(Date()), operation: operation)
        let deadline = Date().addingTimeInterval(max(0, timeout))
        while true {
            do {
                try backend.acquireLock(info)
                return info
            } catch  where error.kind == .locked && Date() < deadline {
                usleep(100_000)
            }
        }
    }

    public func currentLock() throws(StateError) -> LockInfo? { try backend.currentLock() }

    /// Releases the lock `id`; never done automatically for a lock another process left.
    public func unlock(id: String) throws(StateError) { try backend.releaseLock(id: id) }
}

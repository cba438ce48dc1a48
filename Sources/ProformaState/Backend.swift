import ProformaCore
import ProformaModel

/// Where applied state is kept. The SQLite file in the configuration root is the one backend today; a shared
/// PostgreSQL backend can implement the same protocol. Every method either does all it says or nothing.
public protocol StateStoreBackend: Sendable {
    /// Where the store is, for messages (`.proforma/state.db`).
    var location: String { get }
    /// Whether a store exists there.
    func exists() throws(StateError) -> Bool
    /// The lineage and newest serial; `StateVersion.empty` when there is no store.
    func version() throws(StateError) -> StateVersion
    /// Every apply, oldest first.
    func applies() throws(StateError) -> [ApplyRecord]
    /// One apply, or nil.
    func apply(serial: Int) throws(StateError) -> ApplyRecord?
    /// The newest apply (highest serial) whose period is `period` or earlier: the one in effect for `period`.
    func apply(inEffectFor period: BillingPeriod) throws(StateError) -> ApplyRecord?
    /// The resources applied by `serial`, in identity order.
    func resources(serial: Int) throws(StateError) -> [StoredResource]
    /// The changes recorded with `serial`, in identity order.
    func changes(serial: Int) throws(StateError) -> [AppliedChange]
    /// Records an apply in one transaction, creating the store if needed, after checking that the store is still
    /// at `request.expected`; returns the new record.
    func record(_ request: ApplyRequest) throws(StateError) -> ApplyRecord

    /// Takes the apply lock, or throws `.locked` naming its holder.
    func acquireLock(_ info: LockInfo) throws(StateError)
    /// The lock held now, if any.
    func currentLock() throws(StateError) -> LockInfo?
    /// Releases the lock with this id; `.lockMismatch` when another is held, `.notFound` when none is.
    func releaseLock(id: String) throws(StateError)
}

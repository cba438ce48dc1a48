import ProformaCore

/// Why the state store could not do what was asked. Each is one clear sentence naming the store, with a hint
/// where one helps.
public struct StateError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// No store yet: nothing has been applied.
        case noState
        /// The file exists but is not a SQLite database, or not one written by proforma.
        case notAStore
        /// The database is truncated or corrupted.
        case damaged
        /// The store was written by a newer proforma (unknown migrations or a higher schema version).
        case newerVersion
        /// The store or its folder cannot be written (read-only folder or file, permissions).
        case notWritable
        /// The disk (or the database's page limit) is full.
        case full
        /// Another apply holds the lock.
        case locked
        /// `state unlock ID` named a lock that is not the one held.
        case lockMismatch
        /// A saved plan's state serial or lineage no longer matches the store.
        case stale
        /// An apply to a closed billing period without `--backfill`, or a backfill that is not one.
        case closedPeriod
        /// A resource, serial or period the store does not have.
        case notFound
        /// Any other database or file-system failure.
        case io
    }

    public var kind: Kind
    public var message: String
    public var hint: String?

    public init(_ kind: Kind, _ message: String, hint: String? = nil) {
        self.kind = kind
        self.message = message
        self.hint = hint
    }

    public var description: String { message }
}

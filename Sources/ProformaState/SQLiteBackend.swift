import Foundation
import GRDB
import ProformaCore
import ProformaModel
import Synchronization

/// The state store in one SQLite file (`.proforma/state.db`), through GRDB. One apply is one transaction; the
/// apply lock is a file beside the database (`state.db.lock`), created atomically and removed by its holder or by
/// `state unlock ID`.
public struct SQLiteStateBackend: StateStoreBackend {
    /// `PRAGMA application_id` of every proforma store ("PFST"): tells a proforma store from any other database.
    public static let applicationID: Int32 = 0x5046_5354
    /// The schema version this build writes, kept in the `meta` table; a store with a higher one is refused.
    public static let schemaVersion = 2

    public let path: String
    public let location: String
    /// At most this many database pages (`PRAGMA max_page_count`); a write beyond fails as a full disk does.
    /// For tests of a full disk; nil for no limit.
    public var maxPageCount: Int?
    /// Whether a commit waits for the disk (`PRAGMA synchronous = FULL`, the default). Only a benchmark that writes
    /// thousands of applies as set-up turns it off.
    public var durable: Bool
    /// The file as it was when this backend last checked its integrity, or wrote it: opening the same file again
    /// skips the check.
    let checked = CheckedFile()

    /// `path` is the database file; `location` how messages name it (default: the path).
    public init(path: String, location: String? = nil, maxPageCount: Int? = nil, durable: Bool = true) {
        self.path = path
        self.location = location ?? path
        self.maxPageCount = maxPageCount
        self.durable = durable
    }

    /// Device, inode, size and modification time of a file: if all four are unchanged, so is the file, as far as
    /// this process can tell.
    struct FileIdentity: Equatable {
        var device: UInt64
        var inode: UInt64
        var size: Int64
        var seconds: Int
        var nanoseconds: Int

        init?(path: String) {
            var info = stat()
            guard stat(path, &info) == 0 else { return nil }
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
            size = Int64(info.st_size)
            seconds = Int(info.st_mtim.tv_sec)
            nanoseconds = Int(info.st_mtim.tv_nsec)
        }
    }

    final class CheckedFile: Sendable {
        let identity = Mutex<FileIdentity?>(nil)
    }

    /// Records the file as checked (after an integrity check, or after this backend wrote it).
    func rememberChecked() {
        let identity = FileIdentity(path: path)
        checked.identity.withLock { $0 = identity }
    }

    var lockPath: String { path + ".lock" }

    // MARK: Schema

    /// The migrations, in order. Append only: a shipped migration is never edited or removed. They use SQL only,
    /// never the types of this module, so they read the same whatever the code becomes.
    public static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-applies-and-resources") { db in
            try db.execute(
                sql: """
                    PRAGMA application_id = \(applicationID);
                    CREATE TABLE meta (
                        key TEXT PRIMARY KEY NOT NULL,
                        value TEXT NOT NULL
                    ) STRICT;
                    INSERT INTO meta (key, value) VALUES ('lineage',
                        lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' ||
                        substr(lower(hex(randomblob(2))), 2) || '-' ||
                        substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' ||
                        lower(hex(randomblob(6))));
                    INSERT INTO meta (key, value) VALUES ('created_at', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));
                    INSERT INTO meta (key, value) VALUES ('schema_version', '1');
                    CREATE TABLE resource (
                        id INTEGER PRIMARY KEY,
                        hash TEXT NOT NULL UNIQUE,
                        kind TEXT NOT NULL,
                        name TEXT NOT NULL,
                        document TEXT NOT NULL
                    ) STRICT;
                    CREATE TABLE configuration (
                        id INTEGER PRIMARY KEY,
                        hash TEXT NOT NULL UNIQUE,
                        resource_count INTEGER NOT NULL CHECK (resource_count >= 0)
                    ) STRICT;
                    CREATE TABLE configuration_resource (
                        configuration_id INTEGER NOT NULL REFERENCES configuration (id),
                        resource_id INTEGER NOT NULL REFERENCES resource (id),
                        PRIMARY KEY (configuration_id, resource_id)
                    ) STRICT, WITHOUT ROWID;
                    CREATE TABLE apply (
                        serial INTEGER PRIMARY KEY CHECK (serial > 0),
                        configuration_id INTEGER NOT NULL REFERENCES configuration (id),
                        commit_id TEXT,
                        revision TEXT NOT NULL,
                        actor TEXT NOT NULL,
                        applied_at TEXT NOT NULL,
                        tool_version TEXT NOT NULL,
                        period TEXT NOT NULL CHECK (period GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
                        backfill INTEGER NOT NULL CHECK (backfill IN (0, 1)),
                        dirty INTEGER NOT NULL CHECK (dirty IN (0, 1)),
                        additions INTEGER NOT NULL,
                        updates INTEGER NOT NULL,
                        deletions INTEGER NOT NULL
                    ) STRICT;
                    CREATE INDEX apply_by_period ON apply (period, serial);
                    CREATE TRIGGER apply_is_append_only_update BEFORE UPDATE ON apply
                        BEGIN SELECT RAISE(ABORT, 'applies are never changed'); END;
                    CREATE TRIGGER apply_is_append_only_delete BEFORE DELETE ON apply
                        BEGIN SELECT RAISE(ABORT, 'applies are never deleted'); END;
                    CREATE TRIGGER resource_is_append_only_update BEFORE UPDATE ON resource
                        BEGIN SELECT RAISE(ABORT, 'stored resources are never changed'); END;
                    CREATE TRIGGER resource_is_append_only_delete BEFORE DELETE ON resource
                        BEGIN SELECT RAISE(ABORT, 'stored resources are never deleted'); END;
                    """)
        }
        migrator.registerMigration("v2-apply-changes") { db in
            try db.execute(
                sql: """
                    CREATE TABLE apply_change (
                        serial INTEGER NOT NULL REFERENCES apply (serial),
                        kind TEXT NOT NULL,
                        name TEXT NOT NULL,
                        action TEXT NOT NULL CHECK (action IN ('create', 'update', 'delete')),
                        PRIMARY KEY (serial, kind, name)
                    ) STRICT, WITHOUT ROWID;
                    CREATE TRIGGER apply_change_is_append_only_update BEFORE UPDATE ON apply_change
                        BEGIN SELECT RAISE(ABORT, 'recorded changes are never changed'); END;
                    CREATE TRIGGER apply_change_is_append_only_delete BEFORE DELETE ON apply_change
                        BEGIN SELECT RAISE(ABORT, 'recorded changes are never deleted'); END;
                    UPDATE meta SET value = '2' WHERE key = 'schema_version';
                    """)
        }
        return migrator
    }

    // MARK: Opening

    public func exists() throws(StateError) -> Bool {
        FileManager.default.fileExists(atPath: path)
    }

    /// Opens the store: checks it is a proforma store this build can read, intact, and (for writing) migrated.
    func open(forWriting: Bool) throws(StateError) -> DatabaseQueue {
        let exists = FileManager.default.fileExists(atPath: path)
        if !exists {
            guard forWriting else {
                throw StateError(
                    .noState, "\(location): nothing has been applied yet",
                    hint: "run `proforma apply` to apply the configuration")
            }
            try createFolder()
        } else {
            try checkHeader()
        }
        var configuration = Configuration()
        // Readers open read-write too (SQLite falls back to reading where it cannot write): the first reader after a
        // killed apply rolls its journal back, which a read-only connection cannot do.
        configuration.readonly = false
        configuration.busyMode = .timeout(30)
        configuration.label = "proforma-state"
        let (maxPageCount, durable) = (self.maxPageCount, self.durable)
        configuration.prepareDatabase { db in
            if let maxPageCount { try db.execute(sql: "PRAGMA max_page_count = \(maxPageCount)") }
            if !durable { try db.execute(sql: "PRAGMA synchronous = OFF") }
        }
        // The integrity check reads every page: it runs once per file and process, and again whenever the file
        // changed behind this backend's back, or a killed apply left its journal.
        let unchanged =
            exists && !FileManager.default.fileExists(atPath: path + "-journal")
            && checked.identity.withLock { $0 } == FileIdentity(path: path) && checked.identity.withLock { $0 } != nil
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
        } catch {
            throw map(error, writing: forWriting)
        }
        do {
            try queue.inDatabase { db in
                let applicationID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
                let tables = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") ?? 0
                if applicationID != Self.applicationID && (exists || tables > 0) {
                    throw StateError(
                        .notAStore,
                        "\(location) is a SQLite database, but not a proforma state store",
                        hint: "move it away; proforma keeps its state in \(location) and creates it on the first apply")
                }
                let check = unchanged ? ["ok"] : try String.fetchAll(db, sql: "PRAGMA quick_check(1)")
                if check != ["ok"] {
                    throw StateError(
                        .damaged, "\(location) is damaged: \(Self.oneLine(check.first ?? "integrity check failed"))",
                        hint: Self.damagedHint)
                }
            }
            let migrator = Self.migrator
            let complete = try queue.read { db -> Bool in
                if try migrator.hasBeenSuperseded(db) { throw Self.newer(location) }
                if try db.tableExists("meta"),
                    let version = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'schema_version'"),
                    (Int(version) ?? Int.max) > Self.schemaVersion
                {
                    throw Self.newer(location)
                }
                return try migrator.completedMigrations(db) == migrator.migrations
            }
            if !complete {
                if forWriting {
                    try migrator.migrate(queue)
                } else {
                    // An older store is brought up to date once, by a writer; a reader reads it when it can.
                    let writer = try DatabaseQueue(path: path, configuration: Configuration())
                    try migrator.migrate(writer)
                }
            }
        } catch let error as StateError {
            throw error
        } catch {
            throw map(error, writing: forWriting)
        }
        rememberChecked()
        return queue
    }

    /// The first line of a message from SQLite, which may hold several.
    static func oneLine(_ text: String) -> String {
        String(text.split(whereSeparator: \.isNewline).first ?? "")
    }

    static let damagedHint =
        "restore .proforma/state.db from a backup or from `proforma state export` output; nothing was changed"

    static func newer(_ location: String) -> StateError {
        StateError(
            .newerVersion, "\(location) was written by a newer version of proforma",
            hint: "use that version or a later one; this one (schema version \(schemaVersion)) cannot read it safely")
    }

    /// A file that is not SQLite at all, or an empty one, is refused before SQLite sees it: an empty file would
    /// otherwise be taken for a new database, and the state it lost would go unnoticed.
    func checkHeader() throws(StateError) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw StateError(.notWritable, "\(location) cannot be read: permission denied")
        }
        defer { try? handle.close() }
        let header = (try? handle.read(upToCount: 100)) ?? Data()
        if header.isEmpty {
            throw StateError(
                .damaged, "\(location) is empty: the state store was truncated", hint: Self.damagedHint)
        }
        if !header.starts(with: Array("SQLite format 3\0".utf8)) {
            throw StateError(
                .notAStore, "\(location) is not a proforma state store (not a SQLite database)",
                hint: "move it away; proforma keeps its state in \(location) and creates it on the first apply")
        }
        if header.count < 100 {
            throw StateError(.damaged, "\(location) is damaged: truncated header", hint: Self.damagedHint)
        }
    }

    func createFolder() throws(StateError) {
        let folder = (path as NSString).deletingLastPathComponent
        guard !folder.isEmpty, !FileManager.default.fileExists(atPath: folder) else { return }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw StateError(
                .notWritable,
                "cannot create \((location as NSString).deletingLastPathComponent): \(Self.reason(error))",
                hint: "the configuration root must be writable to keep applied state")
        }
    }

    static func reason(_ error: Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain
        {
            return String(cString: strerror(Int32(underlying.code))).lowercased()
        }
        if nsError.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(nsError.code))).lowercased() }
        return nsError.localizedDescription
    }

    /// A database error as the user should read it.
    func map(_ error: Error, writing: Bool) -> StateError {
        if let error = error as? StateError { return error }
        guard let error = error as? DatabaseError else {
            return StateError(.io, "\(location): \(error)")
        }
        let detail = Self.oneLine(error.message ?? "\(error.resultCode)")
        switch error.resultCode {
        case .SQLITE_NOTADB:
            return StateError(
                .notAStore, "\(location) is not a proforma state store (not a SQLite database)",
                hint: "move it away; proforma keeps its state in \(location) and creates it on the first apply")
        case .SQLITE_CORRUPT:
            return StateError(.damaged, "\(location) is damaged: \(detail)", hint: Self.damagedHint)
        case .SQLITE_FULL:
            return StateError(
                .full, "cannot write \(location): the disk is full; nothing was applied",
                hint: "free some space and apply again")
        case .SQLITE_READONLY, .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_AUTH:
            return StateError(
                .notWritable,
                "cannot \(writing ? "write" : "read") \(location): \(detail)\(writing ? "; nothing was applied" : "")",
                hint: "the folder \((location as NSString).deletingLastPathComponent) must be writable to apply")
        case .SQLITE_IOERR:
            return StateError(.io, "cannot \(writing ? "write" : "read") \(location): disk I/O error (\(detail))")
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return StateError(.io, "\(location) is busy: another process kept it for more than 30 seconds")
        default:
            return StateError(.io, "\(location): \(detail)")
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws(StateError) -> T {
        let queue = try open(forWriting: false)
        do {
            return try queue.read(body)
        } catch {
            throw map(error, writing: false)
        }
    }

    // MARK: Reading

    public func version() throws(StateError) -> StateVersion {
        guard FileManager.default.fileExists(atPath: path) else { return .empty }
        return try read { db in try Self.version(db) }
    }

    static func version(_ db: Database) throws -> StateVersion {
        let lineage = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'lineage'")
        let serial = try Int.fetchOne(db, sql: "SELECT max(serial) FROM apply") ?? 0
        return StateVersion(lineage: lineage, serial: serial)
    }

    static let applyColumns = """
        a.serial, a.commit_id, a.revision, c.hash AS configuration_hash, a.actor, a.applied_at, a.tool_version,
        a.period, a.backfill, a.dirty, a.additions, a.updates, a.deletions, c.resource_count
        """

    static func record(_ row: Row, location: String) throws -> ApplyRecord {
        func text(_ column: String) throws -> String {
            guard let value = String.fromDatabaseValue(row[column] as DatabaseValue) else {
                throw StateError(.damaged, "\(location) is damaged: apply without \(column)", hint: damagedHint)
            }
            return value
        }
        func int(_ column: String) throws -> Int {
            guard let value = Int.fromDatabaseValue(row[column] as DatabaseValue) else {
                throw StateError(.damaged, "\(location) is damaged: apply without \(column)", hint: damagedHint)
            }
            return value
        }
        let periodText = try text("period")
        guard let period = BillingPeriod(periodText) else {
            throw StateError(.damaged, "\(location) is damaged: period \"\(periodText)\"", hint: damagedHint)
        }
        return ApplyRecord(
            serial: try int("serial"), commit: String.fromDatabaseValue(row["commit_id"] as DatabaseValue),
            revision: try text("revision"), configurationHash: try text("configuration_hash"), actor: try text("actor"),
            appliedAt: try text("applied_at"), toolVersion: try text("tool_version"), period: period,
            backfill: try int("backfill") != 0, dirty: try int("dirty") != 0, additions: try int("additions"),
            updates: try int("updates"), deletions: try int("deletions"), resourceCount: try int("resource_count"))
    }

    public func applies() throws(StateError) -> [ApplyRecord] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        return try read { db in
            try Row.fetchAll(
                db,
                sql:
                    "SELECT \(Self.applyColumns) FROM apply a JOIN configuration c ON c.id = a.configuration_id ORDER BY a.serial"
            ).map { try Self.record($0, location: location) }
        }
    }

    public func apply(serial: Int) throws(StateError) -> ApplyRecord? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        return try read { db in
            try Row.fetchOne(
                db,
                sql:
                    "SELECT \(Self.applyColumns) FROM apply a JOIN configuration c ON c.id = a.configuration_id WHERE a.serial = ?",
                arguments: [serial]
            ).map { try Self.record($0, location: location) }
        }
    }

    public func apply(inEffectFor period: BillingPeriod) throws(StateError) -> ApplyRecord? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        return try read { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT \(Self.applyColumns) FROM apply a JOIN configuration c ON c.id = a.configuration_id
                    WHERE a.period <= ? ORDER BY a.serial DESC LIMIT 1
                    """,
                arguments: [period.description]
            ).map { try Self.record($0, location: location) }
        }
    }

    public func resources(serial: Int) throws(StateError) -> [StoredResource] {
        try read { db in
            var result: [StoredResource] = []
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT r.kind, r.name, r.document FROM apply a
                    JOIN configuration_resource cr ON cr.configuration_id = a.configuration_id
                    JOIN resource r ON r.id = cr.resource_id
                    WHERE a.serial = ?
                    """,
                arguments: [serial])
            while let row = try rows.next() {
                let kindText = String.fromDatabaseValue(row[0] as DatabaseValue) ?? ""
                guard let kind = ResourceKind(rawValue: kindText),
                    let name = String.fromDatabaseValue(row[1] as DatabaseValue),
                    let document = String.fromDatabaseValue(row[2] as DatabaseValue)
                else {
                    throw StateError(
                        .damaged, "\(location) is damaged: a stored resource of kind \"\(kindText)\"",
                        hint: Self.damagedHint)
                }
                result.append(StoredResource(id: ResourceID(kind, name), document: document))
            }
            result.sort { $0.id < $1.id }
            return result
        }
    }

    public func changes(serial: Int) throws(StateError) -> [AppliedChange] {
        try read { db in
            try Row.fetchAll(
                db, sql: "SELECT kind, name, action FROM apply_change WHERE serial = ?", arguments: [serial]
            ).compactMap { row -> AppliedChange? in
                guard let kind = ResourceKind(rawValue: String.fromDatabaseValue(row[0] as DatabaseValue) ?? ""),
                    let name = String.fromDatabaseValue(row[1] as DatabaseValue),
                    let action = String.fromDatabaseValue(row[2] as DatabaseValue)
                else { return nil }
                return AppliedChange(id: ResourceID(kind, name), action: action)
            }.sorted { $0.id < $1.id }
        }
    }

    // MARK: Writing

    public func record(_ request: ApplyRequest) throws(StateError) -> ApplyRecord {
        let queue = try open(forWriting: true)
        let hashes = request.resources.map { SHA256.hex($0.document) }
        do {
            var serial = 0
            try queue.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    let current = try Self.version(db)
                    let lineageMoved = request.expected.lineage != nil && request.expected.lineage != current.lineage
                    if lineageMoved || current.serial != request.expected.serial {
                        throw Self.stale(expected: request.expected, current: current, location: location)
                    }
                    serial = current.serial + 1
                    let configurationID: Int64
                    if let existing = try Int64.fetchOne(
                        db, sql: "SELECT id FROM configuration WHERE hash = ?", arguments: [request.configurationHash])
                    {
                        configurationID = existing
                    } else {
                        try db.execute(
                            sql: "INSERT INTO configuration (hash, resource_count) VALUES (?, ?)",
                            arguments: [request.configurationHash, request.resources.count])
                        configurationID = db.lastInsertedRowID
                        let find = try db.cachedStatement(sql: "SELECT id FROM resource WHERE hash = ?")
                        let insert = try db.cachedStatement(
                            sql: "INSERT INTO resource (hash, kind, name, document) VALUES (?, ?, ?, ?)")
                        let link = try db.cachedStatement(
                            sql: "INSERT INTO configuration_resource (configuration_id, resource_id) VALUES (?, ?)")
                        for (resource, hash) in zip(request.resources, hashes) {
                            var resourceID = try Int64.fetchOne(find, arguments: [hash])
                            if resourceID == nil {
                                try insert.execute(
                                    arguments: [hash, resource.id.kind.rawValue, resource.id.name, resource.document])
                                resourceID = db.lastInsertedRowID
                            }
                            try link.execute(arguments: [configurationID, resourceID])
                        }
                    }
                    try db.execute(
                        sql: """
                            INSERT INTO apply (serial, configuration_id, commit_id, revision, actor, applied_at,
                                tool_version, period, backfill, dirty, additions, updates, deletions)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                            """,
                        arguments: [
                            serial, configurationID, request.commit, request.revision, request.actor,
                            request.appliedAt, request.toolVersion, request.period.description, request.backfill,
                            request.dirty, request.changes.count { $0.action == "create" },
                            request.changes.count { $0.action == "update" },
                            request.changes.count { $0.action == "delete" },
                        ])
                    let change = try db.cachedStatement(
                        sql: "INSERT INTO apply_change (serial, kind, name, action) VALUES (?, ?, ?, ?)")
                    for item in request.changes {
                        try change.execute(arguments: [serial, item.id.kind.rawValue, item.id.name, item.action])
                    }
                    return .commit
                }
            }
            rememberChecked()
            guard let record = try apply(serial: serial) else {
                throw StateError(.io, "\(location): the apply was recorded but cannot be read back")
            }
            return record
        } catch let error as StateError {
            throw error
        } catch {
            throw map(error, writing: true)
        }
    }

    static func stale(expected: StateVersion, current: StateVersion, location: String) -> StateError {
        if let lineage = expected.lineage, lineage != current.lineage {
            return StateError(
                .stale,
                "the plan was made against another state store (lineage \(lineage)), not \(location) (lineage \(current.lineage ?? "none"))",
                hint: "make the plan again against this store: `proforma plan -o FILE`")
        }
        return StateError(
            .stale,
            "the plan is stale: it was made against state serial \(expected.serial), and \(location) is now at serial \(current.serial)",
            hint: "someone applied since; make the plan again: `proforma plan -o FILE`")
    }

    // MARK: Lock

    public func acquireLock(_ info: LockInfo) throws(StateError) {
        try createFolder()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        guard let data = try? encoder.encode(info) else {
            throw StateError(.io, "cannot write the lock for \(location)")
        }
        // The lock's content is written to a file of its own, then linked into place: link(2) fails when the lock
        // exists, so taking it is atomic, and a lock file is never seen half-written.
        let temporary = lockPath + "." + info.id
        guard FileManager.default.createFile(atPath: temporary, contents: data) else {
            throw StateError(
                .notWritable, "cannot write \(location).lock: \(String(cString: strerror(errno)).lowercased())",
                hint: "the folder \((location as NSString).deletingLastPathComponent) must be writable to apply")
        }
        defer { unlink(temporary) }
        if link(temporary, lockPath) != 0 {
            let code = errno
            if code == EEXIST {
                if let holder = try currentLock() {
                    throw Self.locked(holder, location: location)
                }
                // Released between the two calls: try once more.
                if link(temporary, lockPath) == 0 { return }
                if let holder = try currentLock() { throw Self.locked(holder, location: location) }
            }
            throw StateError(
                .notWritable, "cannot lock \(location): \(String(cString: strerror(code)).lowercased())",
                hint: "the folder \((location as NSString).deletingLastPathComponent) must be writable to apply")
        }
    }

    static func locked(_ holder: LockInfo, location: String) -> StateError {
        StateError(
            .locked, "\(location) is locked: \(holder.summary)",
            hint:
                "wait for it to finish (--lock-timeout SECONDS), or, if that run was killed, release it with `proforma state unlock \(holder.id)`"
        )
    }

    public func currentLock() throws(StateError) -> LockInfo? {
        guard let data = FileManager.default.contents(atPath: lockPath) else { return nil }
        guard let info = try? JSONDecoder().decode(LockInfo.self, from: data) else {
            throw StateError(
                .damaged, "\(location).lock is not a proforma lock",
                hint: "if no apply is running, remove \(location).lock")
        }
        return info
    }

    public func releaseLock(id: String) throws(StateError) {
        guard let held = try currentLock() else {
            throw StateError(.notFound, "\(location) is not locked")
        }
        guard held.id == id else {
            throw StateError(
                .lockMismatch, "\(location) is locked by \(held.id), not \(id): \(held.summary)",
                hint: "give the id of the lock to release: `proforma state unlock \(held.id)`")
        }
        if unlink(lockPath) != 0 {
            throw StateError(
                .notWritable, "cannot remove \(location).lock: \(String(cString: strerror(errno)).lowercased())")
        }
    }
}

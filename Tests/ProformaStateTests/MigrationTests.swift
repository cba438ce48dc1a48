import Foundation
import GRDB
import ProformaCore
import ProformaState
import ProformaTestSupport
import Testing

@Suite("State store: migrations")
struct MigrationTests {
    func tables(_ db: Database) throws -> Set<String> {
        Set(
            try String.fetchAll(
                db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"))
    }

    @Test("The migrations are listed in order, append only")
    func identifiers() {
        #expect(SQLiteStateBackend.migrator.migrations == ["v1-applies-and-resources", "v2-apply-changes"])
        #expect(SQLiteStateBackend.schemaVersion == SQLiteStateBackend.migrator.migrations.count)
    }

    @Test("v1 creates the store: application id, lineage, applies, resources, configurations")
    func v1() throws {
        let queue = try DatabaseQueue()
        try SQLiteStateBackend.migrator.migrate(queue, upTo: "v1-applies-and-resources")
        let (names, applicationID, version, lineageValue) = try queue.read { db in
            (
                try tables(db), try Int32.fetchOne(db, sql: "PRAGMA application_id"),
                try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'schema_version'"),
                try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'lineage'")
            )
        }
        #expect(names == ["grdb_migrations", "meta", "resource", "configuration", "configuration_resource", "apply"])
        #expect(applicationID == SQLiteStateBackend.applicationID)
        #expect(version == "1")
        let lineage = try #require(lineageValue)
        #expect(UUID(uuidString: lineage) != nil && lineage == lineage.lowercased())
        #expect(Array(lineage)[14] == "4")
        #expect(throws: DatabaseError.self) {
            try queue.write { db in
                try db.execute(sql: "INSERT INTO configuration (hash, resource_count) VALUES ('h', -1)")
            }
        }
    }

    @Test("v2 adds the changes of each apply and raises the schema version")
    func v2() throws {
        let queue = try DatabaseQueue()
        try SQLiteStateBackend.migrator.migrate(queue, upTo: "v1-applies-and-resources")
        try queue.write { db in
            try db.execute(sql: "INSERT INTO configuration (id, hash, resource_count) VALUES (1, 'h', 0)")
            try db.execute(
                sql: """
                    INSERT INTO apply VALUES (1, 1, NULL, 'HEAD', 'Ada', '2026-10-01T00:00:00Z', '0.1.0', '2026-10', 0, 0, 0, 0, 0)
                    """)
        }
        try SQLiteStateBackend.migrator.migrate(queue)
        let (names, version, applies) = try queue.read { db in
            (
                try tables(db), try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'schema_version'"),
                try Int.fetchOne(db, sql: "SELECT count(*) FROM apply")
            )
        }
        #expect(names.contains("apply_change"))
        #expect(version == "2")
        #expect(applies == 1)
    }

    @Test("A store at v1 is brought up to date by the next apply, keeping its history")
    func upgradeOnApply() throws {
        let folder = try TestSupport.temporaryDirectory()
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent(".proforma"), withIntermediateDirectories: true)
        let queue = try DatabaseQueue(path: folder.appendingPathComponent(".proforma/state.db").path)
        try SQLiteStateBackend.migrator.migrate(queue, upTo: "v1-applies-and-resources")
        let lineage = try queue.read { db in
            try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'lineage'")
        }
        try queue.close()
        let store = Fixtures.store(folder)
        try Fixtures.apply(store, Fixtures.candidate(try Fixtures.msp(), period: "2026-10"))
        #expect(try store.version() == StateVersion(lineage: lineage, serial: 1))
        #expect(try store.changes(serial: 1).count == (try Fixtures.msp()).resourceCount)
    }

    @Test("A store written by a newer proforma is refused: an unknown migration, or a higher schema version")
    func newerStore() throws {
        for tamper in [
            "INSERT INTO grdb_migrations (identifier) VALUES ('v3-from-the-future')",
            "UPDATE meta SET value = '3' WHERE key = 'schema_version'",
        ] {
            let folder = try TestSupport.temporaryDirectory()
            let store = Fixtures.store(folder)
            try Fixtures.apply(store, Fixtures.candidate(try Fixtures.msp(), period: "2026-10"))
            let queue = try DatabaseQueue(path: folder.appendingPathComponent(".proforma/state.db").path)
            try queue.write { db in try db.execute(sql: tamper) }
            try queue.close()
            for attempt in [
                { _ = try store.history() },
                {
                    _ = try Fixtures.apply(
                        store, Fixtures.candidate(try Fixtures.msp(ruleModifier: 13), period: "2026-10"))
                },
            ] {
                let error = Fixtures.stateError { try attempt() }
                #expect(error?.kind == .newerVersion)
                #expect(error?.message == ".proforma/state.db was written by a newer version of proforma")
            }
        }
    }
}

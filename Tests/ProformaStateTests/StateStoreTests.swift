import Foundation
import GRDB
import ProformaCore
import ProformaModel
import ProformaPlan
import ProformaState
import ProformaTestSupport
import Testing

@Suite("State store: applies and history")
struct StateStoreTests {
    @Test("The first apply creates the store with a lineage and serial 1; each apply adds a serial; history is kept")
    func appliesAndHistory() throws {
        let folder = try TestSupport.temporaryDirectory()
        let store = Fixtures.store(folder)
        #expect(try store.version() == .empty)
        #expect(try store.history().isEmpty)

        let first = try Fixtures.apply(store, Fixtures.candidate(try Fixtures.msp(), period: "2026-10"))
        #expect(first.serial == 1)
        let version = try store.version()
        let lineage = try #require(version.lineage)
        #expect(lineage.count == 36 && lineage.split(separator: "-").map(\.count) == [8, 4, 4, 4, 12])
        #expect(first.additions == (try Fixtures.msp()).resourceCount && first.updates == 0 && first.deletions == 0)
        #expect(first.actor == "Ada Lovelace <ada@example.com>" && first.period.description == "2026-10")
        #expect(first.configurationHash == Canonical.hash(of: try Fixtures.msp()))

        let second = try Fixtures.apply(
            store, Fixtures.candidate(try Fixtures.msp(ruleModifier: 13), period: "2026-10"))
        #expect(second.serial == 2 && second.updates == 1 && second.additions == 0 && second.deletions == 0)
        #expect(try store.changes(serial: 2).map(\.action) == ["update"])
        #expect(try store.version() == StateVersion(lineage: lineage, serial: 2))
        #expect(try store.history().map(\.serial) == [1, 2])

        // Unchanged resources are shared: the second apply stored one new resource, not a second copy of all.
        let resources = try Fixtures.count("resource", in: folder)
        #expect(resources == (try Fixtures.msp()).resourceCount + 1)
        #expect(try Fixtures.count("configuration_resource", in: folder) == 2 * (try Fixtures.msp()).resourceCount)
    }

    @Test("Applying the configuration already in effect records nothing")
    func unchanged() throws {
        let folder = try TestSupport.temporaryDirectory()
        let store = Fixtures.store(folder)
        try Fixtures.apply(store, Fixtures.candidate(try Fixtures.msp(), period: "2026-10"))
        let again = try store.prepare(Fixtures.candidate(try Fixtures.msp(), period: "2026-10"))
        #expect(again.isUnchanged && again.diff.isEmpty)
        let later = try store.prepare(Fixtures.candidate(try Fixtures.msp(), period: "2026-11"))
        #expect(later.isUnchanged)
        #expect(try store.version().serial == 1)
    }

    @Test("Rolling back is applying an earlier configuration: a new serial, the earlier set shared")
    func rollback() throws {
        let folder = try TestSupport.temporaryDirectory()
        let store = Fixtures.store(folder)
        let original = try Fixtures.apply(store, Fixtures.candidate(try Fixtures.msp(), period: "2026-10"))
        try Fixtures.apply(store, Fixtures.candidate(try Fixtures.msp(ruleModifier: 13), period: "2026-10"))
        let back = try Fixtures.apply(store, Fixtures.candidate(try Fixtures.msp(), period: "2026-10"))
        #expect(back.serial == 3 && back.configurationHash == original.configurationHash && back.updates == 1)
        #expect(try Fixtures.count("configuration", in: folder) == 2)
        #expect(
            try store.history().map(\.configurationHash) == [
                original.configurationHash, try store.record(serial: 2).configurationHash, original.configurationHash,
            ])
    }

    @Test("History cannot be rewritten: the database refuses updates and deletes of applies and resources")
    func appendOnly() throws {
        let folder = try TestSupport.temporaryDirectory()
        let store = Fixtures.store(folder)
        try Fixtures.apply(store, Fixtures.candidate(try Fixtures.msp(), period: "2026-10"))
        let queue = try DatabaseQueue(path: folder.appendingPathComponent(".proforma/state.db").path)
        for sql in [
            "UPDATE apply SET actor = 'mallory'", "DELETE FROM apply", "UPDATE resource SET document = '{}'",
            "DELETE FROM resource", "DELETE FROM apply_change",
        ] {
            #expect(throws: DatabaseError.self) { try queue.write { db in try db.execute(sql: sql) } }
        }
        #expect(try store.record(serial: 1).actor == "Ada Lovelace <ada@example.com>")
    }

    @Test("An October invoice's configuration stays the same after November's change is applied")
    func configurationInEffect() throws {
        let folder = try TestSupport.temporaryDirectory()
        let store = Fixtures.store(folder)
        let october = try Fixtures.msp()
        let november = try Fixtures.msp(ruleModifier: 13)
        try Fixtures.apply(store, Fixtures.candidate(october, period: "2026-10"))
        try Fixtures.apply(store, Fixtures.candidate(november, period: "2026-11"))

        let forOctober = try #require(try store.configuration(inEffectFor: BillingPeriod("2026-10")!))
        #expect(forOctober.record.serial == 1)
        #expect(forOctober.record.commit == "0123456789abcdef0123456789abcdef01234567")
        #expect(ConfigurationDiff(from: october, to: forOctober.configuration).isEmpty)
        let forNovember = try #require(try store.configuration(inEffectFor: BillingPeriod("2026-11")!))
        #expect(forNovember.record.serial == 2)
        #expect(Canonical.hash(of: forNovember.configuration) == Canonical.hash(of: november))
        #expect(try store.configuration(inEffectFor: BillingPeriod("2027-03")!)?.record.serial == 2)
        #expect(try store.configuration(inEffectFor: BillingPeriod("2026-09")!) == nil)
    }

    @Test("A stored configuration that no longer matches its content hash is damage")
    func hashMismatch() throws {
        let folder = try TestSupport.temporaryDirectory()
        let store = Fixtures.store(folder)
        try Fixtures.apply(store, Fixtures.candidate(try Fixtures.msp(), period: "2026-10"))
        let queue = try DatabaseQueue(path: folder.appendingPathComponent(".proforma/state.db").path)
        try queue.write { db in
            try db.execute(sql: "DROP TRIGGER resource_is_append_only_update")
            try db.execute(
                sql:
                    "UPDATE resource SET document = replace(document, '\"auto_associate\": false', '\"auto_associate\": true') WHERE kind = 'BillingGroup'"
            )
        }
        let error = Fixtures.stateError { _ = try store.configuration(inEffectFor: BillingPeriod("2026-10")!) }
        #expect(error?.kind == .damaged)
        #expect(error?.message.contains("does not match its content hash") == true)
    }
}

@Suite("State store: billing periods")
struct BillingPeriodRuleTests {
    func storeWithOctober() throws -> StateStore {
        let store = Fixtures.store(try TestSupport.temporaryDirectory())
        try Fixtures.apply(store, Fixtures.candidate(try Fixtures.msp(), period: "2026-10"))
        return store
    }

    @Test("A closed period keeps its configuration: pricing changes to it are refused without --backfill")
    func closedPeriodRefused() throws {
        let store = try storeWithOctober()
        let error = Fixtures.stateError {
            _ = try store.prepare(
                Fixtures.candidate(try Fixtures.msp(ruleModifier: 13), period: "2026-10", current: "2026-11"))
        }
        #expect(error?.kind == .closedPeriod)
        #expect(error?.message.contains("only custom line items may change for the previous period 2026-10") == true)
        #expect(error?.hint?.contains("--backfill") == true)
        let older = Fixtures.stateError {
            _ = try store.prepare(
                Fixtures.candidate(try Fixtures.msp(lineItemCharge: 77), period: "2026-10", current: "2026-12"))
        }
        #expect(older?.kind == .closedPeriod)
        #expect(older?.message.contains("2026-10 is closed (the current period is 2026-12)") == true)
        #expect(try store.version().serial == 1)
    }

    @Test("--backfill changes a closed period, from its first day on, and is recorded as such")
    func backfill() throws {
        let store = try storeWithOctober()
        let record = try Fixtures.apply(
            store,
            Fixtures.candidate(
                try Fixtures.msp(ruleModifier: 13), period: "2026-10", current: "2026-12", backfill: true))
        #expect(record.backfill && record.serial == 2 && record.period.description == "2026-10")
        #expect(try store.configuration(inEffectFor: BillingPeriod("2026-10")!)?.record.serial == 2)
        #expect(try store.configuration(inEffectFor: BillingPeriod("2026-12")!)?.record.serial == 2)
    }

    @Test("--backfill is for closed periods only")
    func backfillOfOpenPeriod() throws {
        let store = try storeWithOctober()
        let error = Fixtures.stateError {
            _ = try store.prepare(
                Fixtures.candidate(
                    try Fixtures.msp(ruleModifier: 13), period: "2026-11", current: "2026-11", backfill: true))
        }
        #expect(error?.kind == .closedPeriod)
        #expect(error?.message.contains("--backfill is for closed periods") == true)
    }

    @Test("Custom line items alone may change for the previous period without --backfill")
    func lineItemsOfPreviousPeriod() throws {
        let store = try storeWithOctober()
        let record = try Fixtures.apply(
            store, Fixtures.candidate(try Fixtures.msp(lineItemCharge: 77), period: "2026-10", current: "2026-11"))
        #expect(!record.backfill && record.updates == 1)
        let october = try #require(try store.configuration(inEffectFor: BillingPeriod("2026-10")!))
        #expect(october.record.serial == 2)
    }

    @Test("A first apply to a closed period needs --backfill: that period had no configuration")
    func firstApplyToClosedPeriod() throws {
        let store = Fixtures.store(try TestSupport.temporaryDirectory())
        let error = Fixtures.stateError {
            _ = try store.prepare(
                Fixtures.candidate(try Fixtures.msp(lineItemCharge: 77), period: "2026-10", current: "2026-11"))
        }
        #expect(error?.kind == .closedPeriod)
    }
}

@Suite("State store: saved plans")
struct StalePlanTests {
    @Test("An apply prepared against serial N is refused once another apply made serial N+1")
    func staleSerial() throws {
        let folder = try TestSupport.temporaryDirectory()
        let store = Fixtures.store(folder)
        try Fixtures.apply(store, Fixtures.candidate(try Fixtures.msp(), period: "2026-10"))
        let slow = try store.prepare(Fixtures.candidate(try Fixtures.msp(ruleModifier: 13), period: "2026-10"))
        try Fixtures.apply(store, Fixtures.candidate(try Fixtures.msp(ruleModifier: 14), period: "2026-10"))
        let error = Fixtures.stateError { _ = try store.commit(slow) }
        #expect(error?.kind == .stale)
        #expect(
            error?.message.contains("made against state serial 1, and .proforma/state.db is now at serial 2") == true)
        #expect(try store.version().serial == 2)
    }

    @Test("A plan's expected state is checked: serial and lineage")
    func expectedVersion() throws {
        let store = Fixtures.store(try TestSupport.temporaryDirectory())
        try Fixtures.apply(store, Fixtures.candidate(try Fixtures.msp(), period: "2026-10"))
        let version = try store.version()
        let moved = Fixtures.stateError {
            _ = try store.prepare(
                Fixtures.candidate(
                    try Fixtures.msp(ruleModifier: 13), period: "2026-10",
                    expected: StateVersion(lineage: version.lineage, serial: 0)))
        }
        #expect(moved?.kind == .stale)
        let other = Fixtures.stateError {
            _ = try store.prepare(
                Fixtures.candidate(
                    try Fixtures.msp(ruleModifier: 13), period: "2026-10",
                    expected: StateVersion(lineage: "00000000-0000-4000-8000-000000000000", serial: 1)))
        }
        #expect(other?.kind == .stale)
        #expect(other?.message.contains("another state store (lineage 00000000-0000-4000-8000-000000000000)") == true)
        let record = try Fixtures.apply(
            store, Fixtures.candidate(try Fixtures.msp(ruleModifier: 13), period: "2026-10", expected: version))
        #expect(record.serial == 2)
    }
}

@Suite("State store: lock")
struct LockTests {
    @Test("A second lock fails at once naming holder, process, host and time; unlock needs the lock's id")
    func lock() throws {
        let store = Fixtures.store(try TestSupport.temporaryDirectory())
        let held = try store.lock(holder: "Ada <ada@example.com>")
        #expect(held.processID == Int(getpid()) && !held.host.isEmpty)
        let started = Date()
        let error = Fixtures.stateError { _ = try store.lock(holder: "Bob") }
        #expect(Date().timeIntervalSince(started) < 1)
        #expect(error?.kind == .locked)
        #expect(
            error?.message.contains(
                "held by Ada <ada@example.com> (process \(getpid()) on \(held.host), since \(held.createdAt), apply)")
                == true)
        #expect(error?.hint?.contains("proforma state unlock \(held.id)") == true)
        #expect(try store.currentLock() == held)

        let wrong = Fixtures.stateError { try store.unlock(id: "not-it") }
        #expect(wrong?.kind == .lockMismatch)
        try store.unlock(id: held.id)
        #expect(try store.currentLock() == nil)
        #expect(Fixtures.stateError { try store.unlock(id: held.id) }?.kind == .notFound)
        let next = try store.lock(holder: "Bob")
        #expect(next.id != held.id)
    }

    @Test("--lock-timeout waits for the holder, then gives up naming it")
    func timeout() throws {
        let store = Fixtures.store(try TestSupport.temporaryDirectory())
        let held = try store.lock(holder: "Ada")
        let started = Date()
        let error = Fixtures.stateError { _ = try store.lock(holder: "Bob", timeout: 0.5) }
        #expect(Date().timeIntervalSince(started) >= 0.5)
        #expect(error?.kind == .locked)
        // Released while another waits: the waiter takes it.
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) { try? store.unlock(id: held.id) }
        let taken = try store.lock(holder: "Bob", timeout: 5)
        #expect(taken.holder == "Bob")
    }
}

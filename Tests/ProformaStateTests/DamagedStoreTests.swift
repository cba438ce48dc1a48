import Foundation
import GRDB
import ProformaCore
import ProformaModel
import ProformaState
import ProformaTestSupport
import Testing

/// Makes a folder unwritable even for root (an immutable folder); undone by `writable`.
enum ReadOnlyFolder {
    static func make(_ folder: URL) throws {
        if geteuid() == 0 {
            let result = try TestSupport.run(URL(fileURLWithPath: "/usr/bin/chattr"), ["+i", folder.path])
            guard result.status == 0 else { throw TestFailure("chattr +i failed: \(result.stderr)") }
        } else {
            try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: folder.path)
        }
    }

    static func writable(_ folder: URL) {
        if geteuid() == 0 {
            _ = try? TestSupport.run(URL(fileURLWithPath: "/usr/bin/chattr"), ["-i", folder.path])
        } else {
            try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path)
        }
    }
}

@Suite("State store: damaged input")
struct DamagedStoreTests {
    func appliedStore() throws -> (URL, StateStore, URL) {
        let folder = try TestSupport.temporaryDirectory()
        let store = Fixtures.store(folder)
        try Fixtures.apply(store, Fixtures.candidate(try Fixtures.msp(), period: "2026-10"))
        return (folder, store, folder.appendingPathComponent(".proforma/state.db"))
    }

    func expectRefused(_ store: StateStore, kind: StateError.Kind, message: String) throws {
        for attempt in [
            { _ = try store.history() },
            { _ = try store.configuration(inEffectFor: BillingPeriod("2026-10")!) },
            {
                _ = try Fixtures.apply(store, Fixtures.candidate(try Fixtures.msp(ruleModifier: 13), period: "2026-10"))
            },
        ] {
            let error = Fixtures.stateError { try attempt() }
            #expect(error?.kind == kind)
            #expect(error?.message.contains(message) == true, "\(error?.message ?? "no error")")
            #expect(error?.message.contains("\n") == false)
        }
    }

    @Test("A text file where the store should be is refused, and left as it was")
    func textFile() throws {
        let folder = try TestSupport.temporaryDirectory()
        let path = folder.appendingPathComponent(".proforma/state.db")
        try FileManager.default.createDirectory(at: path.deletingLastPathComponent(), withIntermediateDirectories: true)
        try "serial = 3\n".write(to: path, atomically: true, encoding: .utf8)
        try expectRefused(
            Fixtures.store(folder), kind: .notAStore, message: "is not a proforma state store (not a SQLite database)")
        #expect(try String(contentsOf: path, encoding: .utf8) == "serial = 3\n")
    }

    @Test("Another SQLite database is refused, and left as it was")
    func otherDatabase() throws {
        let folder = try TestSupport.temporaryDirectory()
        let path = folder.appendingPathComponent(".proforma/state.db")
        try FileManager.default.createDirectory(at: path.deletingLastPathComponent(), withIntermediateDirectories: true)
        let queue = try DatabaseQueue(path: path.path)
        try queue.write { db in try db.execute(sql: "CREATE TABLE notes (text TEXT)") }
        try queue.close()
        let before = try Data(contentsOf: path)
        try expectRefused(
            Fixtures.store(folder), kind: .notAStore, message: "is a SQLite database, but not a proforma state store")
        #expect(try Data(contentsOf: path) == before)
    }

    @Test("An empty file is a truncated store, never taken for a new one")
    func emptyFile() throws {
        let (_, store, path) = try appliedStore()
        try Data().write(to: path)
        try expectRefused(store, kind: .damaged, message: "is empty: the state store was truncated")
        #expect(try Data(contentsOf: path).isEmpty)
    }

    @Test("A truncated store is refused as damaged", arguments: [0.5, 0.9, 0.2])
    func truncated(fraction: Double) throws {
        let (_, store, path) = try appliedStore()
        let bytes = try Data(contentsOf: path)
        try bytes.prefix(Int(Double(bytes.count) * fraction)).write(to: path)
        try expectRefused(store, kind: .damaged, message: ".proforma/state.db is damaged")
    }

    @Test("A store with corrupted pages is refused as damaged")
    func corrupted() throws {
        let (_, store, path) = try appliedStore()
        var bytes = try Data(contentsOf: path)
        let pageSize = 4096
        for page in stride(from: pageSize, to: bytes.count, by: pageSize) {
            for offset in 0..<64 where page + offset < bytes.count { bytes[page + offset] = 0xA5 }
        }
        try bytes.write(to: path)
        try expectRefused(store, kind: .damaged, message: ".proforma/state.db is damaged")
    }

    @Test("A full disk fails the apply in one clear line and leaves the store at the previous serial")
    func fullDisk() throws {
        let (folder, _, path) = try appliedStore()
        let pages = try Data(contentsOf: path).count / 4096
        let store = Fixtures.store(folder, maxPageCount: pages + 1)
        var big = try Fixtures.msp(ruleModifier: 13)
        for index in 0..<2_000 {
            big.accounts.append(
                Account(
                    name: "extra-\(index)", accountID: String(100_000_000_000 + index), email: "x\(index)@example.com"))
        }
        big.accounts.sort { $0.name < $1.name }
        let error = Fixtures.stateError { _ = try Fixtures.apply(store, Fixtures.candidate(big, period: "2026-10")) }
        #expect(error?.kind == .full)
        #expect(error?.message == "cannot write .proforma/state.db: the disk is full; nothing was applied")
        #expect(try Fixtures.store(folder).version().serial == 1)
        #expect(try Fixtures.count("resource", in: folder) == (try Fixtures.msp()).resourceCount)
        #expect(try Fixtures.store(folder).configuration(inEffectFor: BillingPeriod("2026-10")!)?.record.serial == 1)
    }

    @Test("A read-only folder: reading works, an apply fails in one clear line and changes nothing")
    func readOnlyFolder() throws {
        let (folder, store, path) = try appliedStore()
        let stateFolder = path.deletingLastPathComponent()
        try ReadOnlyFolder.make(stateFolder)
        defer { ReadOnlyFolder.writable(stateFolder) }
        #expect(try store.history().count == 1)
        let error = Fixtures.stateError {
            _ = try Fixtures.apply(store, Fixtures.candidate(try Fixtures.msp(ruleModifier: 13), period: "2026-10"))
        }
        #expect(error?.kind == .notWritable)
        #expect(error?.message.contains("nothing was applied") == true, "\(error?.message ?? "")")
        let lockError = Fixtures.stateError { _ = try store.lock(holder: "Ada") }
        #expect(lockError?.kind == .notWritable)
        ReadOnlyFolder.writable(stateFolder)
        #expect(try Fixtures.store(folder).version().serial == 1)
    }

    @Test("A configuration root that cannot be written: the store cannot be created, in one clear line")
    func readOnlyRoot() throws {
        let folder = try TestSupport.temporaryDirectory()
        try ReadOnlyFolder.make(folder)
        defer { ReadOnlyFolder.writable(folder) }
        let error = Fixtures.stateError {
            _ = try Fixtures.apply(Fixtures.store(folder), Fixtures.candidate(try Fixtures.msp(), period: "2026-10"))
        }
        #expect(error?.kind == .notWritable)
        #expect(error?.message.hasPrefix("cannot create .proforma") == true, "\(error?.message ?? "")")
    }

    @Test("Nothing applied yet: reading says so")
    func noState() throws {
        let store = Fixtures.store(try TestSupport.temporaryDirectory())
        #expect(try store.configuration(inEffectFor: BillingPeriod("2026-10")!) == nil)
        let error = Fixtures.stateError { _ = try store.record(serial: 1) }
        #expect(error?.kind == .notFound)
    }
}

import Foundation
import GRDB
import ProformaCore
import ProformaGit
import ProformaLoader
import ProformaModel
import ProformaState
import ProformaTestSupport
import Testing

/// The configuration model's, not GRDB's.
typealias Configuration = ProformaModel.Configuration

/// Configurations and stores for the tests: the bundled examples, and a store in a fresh temporary folder.
enum Fixtures {
    static func example(_ name: String) throws -> Configuration {
        let root = TestSupport.packageRoot.appendingPathComponent("examples/\(name)").path
        let loaded = try ConfigurationLoader().load(from: DirectoryFileTree(root: root))
        let errors = loaded.diagnostics.filter { $0.severity == .error }
        guard errors.isEmpty else { throw TestFailure("examples/\(name) has errors: \(errors)") }
        return loaded.configuration
    }

    /// The msp example with its first pricing rule's modifier set to `percentage`.
    static func msp(ruleModifier percentage: Int? = nil, lineItemCharge: Int? = nil) throws -> Configuration {
        var configuration = try example("msp")
        if let percentage {
            let index = try #require(configuration.pricingRules.firstIndex { $0.modifierPercentage != nil })
            configuration.pricingRules[index].modifierPercentage = ExactDecimal(percentage)
        }
        if let lineItemCharge {
            let index = try #require(
                configuration.customLineItems.firstIndex {
                    if case .flat = $0.charge { return true } else { return false }
                })
            configuration.customLineItems[index].charge = Charge.flat(chargeValue: ExactDecimal(lineItemCharge))
        }
        return configuration
    }

    static func store(_ folder: URL, maxPageCount: Int? = nil) -> StateStore {
        StateStore(
            backend: SQLiteStateBackend(
                path: folder.appendingPathComponent(".proforma/state.db").path, location: ".proforma/state.db",
                maxPageCount: maxPageCount))
    }

    static func candidate(
        _ configuration: Configuration, period: String, current: String? = nil, backfill: Bool = false,
        revision: String = "HEAD", commit: String? = "0123456789abcdef0123456789abcdef01234567",
        expected: StateVersion? = nil
    ) -> ApplyCandidate {
        let period = BillingPeriod(period)!
        return ApplyCandidate(
            configuration: configuration, revision: revision, commit: commit, dirty: false,
            actor: "Ada Lovelace <ada@example.com>", toolVersion: "0.1.0", period: period,
            currentPeriod: current.flatMap(BillingPeriod.init) ?? period, backfill: backfill, expected: expected)
    }

    /// Prepares and records an apply; fails the test when it is refused or unchanged.
    @discardableResult
    static func apply(_ store: StateStore, _ candidate: ApplyCandidate) throws -> ApplyRecord {
        let prepared = try store.prepare(candidate)
        #expect(!prepared.isUnchanged)
        return try store.commit(prepared)
    }

    static func stateError(_ body: () throws -> Void) -> StateError? {
        do {
            try body()
            return nil
        } catch let error as StateError {
            return error
        } catch {
            Issue.record("expected a StateError, got \(error)")
            return nil
        }
    }

    static func count(_ table: String, in folder: URL) throws -> Int {
        let queue = try DatabaseQueue(path: folder.appendingPathComponent(".proforma/state.db").path)
        return try queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? -1 }
    }
}

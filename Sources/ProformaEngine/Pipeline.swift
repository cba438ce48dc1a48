import Foundation
import ProformaCore
import ProformaUsage

/// Feeds usage lines to a `PricingEngine` on a thread of its own, in batches, so that reading the next lines and
/// pricing the previous ones overlap. Lines are priced in the order they are added; the result is the same as
/// calling `add` directly.
public final class PricingPipeline: @unchecked Sendable {
    public static let batchSize = 4_096
    static let queuedBatches = 4

    private let engine: PricingEngine
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var queue: [(file: String, lines: [UsageLine])] = []
    private var failure: EngineError?
    private var closed = false
    private var workerDone = false
    // Used by the adding thread only.
    private var pending: [UsageLine] = []
    private var pendingFile = ""

    public init(engine: PricingEngine) {
        self.engine = engine
        pending.reserveCapacity(Self.batchSize)
        let thread = Thread { [self] in work() }
        thread.name = "proforma pricing"
        thread.start()
    }

    /// Queues one line read from `file`. Throws the first pricing error, as soon as it is known.
    public func add(_ line: UsageLine, file: String) throws(EngineError) {
        if file != pendingFile {
            try flush()
            pendingFile = file
        }
        pending.append(line)
        if pending.count >= Self.batchSize { try flush() }
    }

    /// Waits until every line is priced and returns the engine.
    public func finish() throws(EngineError) -> PricingEngine {
        try flush()
        condition.lock()
        closed = true
        condition.broadcast()
        while !workerDone { condition.wait() }
        let failure = self.failure
        condition.unlock()
        if let failure { throw failure }
        return engine
    }

    private func flush() throws(EngineError) {
        guard !pending.isEmpty else {
            try rethrowFailure()
            return
        }
        condition.lock()
        while queue.count >= Self.queuedBatches && failure == nil { condition.wait() }
        if let failure {
            condition.unlock()
            throw failure
        }
        queue.append((pendingFile, pending))
        condition.broadcast()
        condition.unlock()
        pending = []
        pending.reserveCapacity(Self.batchSize)
    }

    private func rethrowFailure() throws(EngineError) {
        condition.lock()
        let failure = self.failure
        condition.unlock()
        if let failure { throw failure }
    }

    private func work() {
        while true {
            condition.lock()
            while queue.isEmpty && !closed && failure == nil { condition.wait() }
            if queue.isEmpty || failure != nil {
                workerDone = true
                condition.broadcast()
                condition.unlock()
                return
            }
            let batch = queue.removeFirst()
            condition.broadcast()
            condition.unlock()
            do {
                for line in batch.lines {
                    try engine.add(line, source: "\(batch.file):\(line.row)")
                }
            } catch {
                condition.lock()
                failure = error
                workerDone = true
                condition.broadcast()
                condition.unlock()
                return
            }
        }
    }
}

import Foundation

/// Runs a `RecordScanner` on a thread of its own, a few batches ahead of the reader: reading, decompressing and
/// splitting records on one core while the reader makes lines on another.
///
/// Batches go round: the thread takes a free one, fills it and queues it; the reader takes queued ones in order and
/// gives each back when done with it. At most `batchCount` batches exist, so memory stays bounded.
final class ReadAhead: @unchecked Sendable {
    private let scanner: RecordScanner
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var free: [RecordBatch]
    private var ready: [RecordBatch] = []
    private var stopping = false
    private var running = true

    init(scanner: RecordScanner, capacity: Int, batchCount: Int = 3) {
        self.scanner = scanner
        free = (0..<batchCount).map { _ in RecordBatch(capacity: capacity) }
        let thread = Thread { [self] in run() }
        thread.name = "proforma usage read-ahead"
        thread.start()
    }

    private func run() {
        while true {
            condition.lock()
            while free.isEmpty && !stopping { condition.wait() }
            if stopping {
                condition.unlock()
                break
            }
            let batch = free.removeLast()
            condition.unlock()

            scanner.fill(batch)

            condition.lock()
            ready.append(batch)
            condition.broadcast()
            condition.unlock()
            if batch.isLast { break }
        }
        condition.lock()
        running = false
        condition.broadcast()
        condition.unlock()
    }

    /// The next batch in order, waiting for it if need be; nil after the last. `done` is given back for reuse.
    func take(returning done: RecordBatch?) -> RecordBatch? {
        condition.lock()
        defer { condition.unlock() }
        if let done {
            free.append(done)
            condition.broadcast()
        }
        while ready.isEmpty && running { condition.wait() }
        return ready.isEmpty ? nil : ready.removeFirst()
    }

    /// Stops the thread and waits for it to end (it finishes the batch it is filling first).
    func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        while running { condition.wait() }
        condition.unlock()
    }
}

import Foundation
import ProformaCore
import ProformaUsage
import Testing

/// A measuring harness, not a test: it runs only when `PROFORMA_USAGE_BENCH` names a usage file, reads it the way
/// a pro forma run does (sums per account, product code, usage type, operation and line item type, like
/// /work/shared/bench/duckdb_reference.py), and prints the time, rows/s and MB/s. No timing is asserted.
///
///     PROFORMA_USAGE_BENCH=/tmp/cur1m.csv swift test -c release --scratch-path .build-usage \
///         --filter ThroughputHarness
///
/// `PROFORMA_USAGE_BENCH_MODE=scan` only reads the lines, without grouping; `PROFORMA_USAGE_BENCH_READAHEAD=0` reads
/// without the read-ahead thread.
@Suite struct ThroughputHarness {
    struct Key: Hashable {
        var account: String
        var service: String
        var usageType: String
        var operation: String
        var lineType: LineItemType
    }

    struct Sums {
        var lines = 0
        var publicCost = ExactDecimal.zero
        var actualCost = ExactDecimal.zero
        var usageAmount = ExactDecimal.zero
    }

    /// CPU time of the process (user and system), which a busy machine disturbs less than wall time.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        #if canImport(Glibc)
            getrusage(RUSAGE_SELF.rawValue, &usage)
        #else
            getrusage(RUSAGE_SELF, &usage)
        #endif
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    /// CPU time of the calling thread: with read-ahead, the part of the work on the caller's side.
    static func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    static func add(_ line: UsageLine, to sums: inout Sums) {
        sums.lines += 1
        sums.actualCost += line.actualCost
        if let cost = line.publicOnDemandCost { sums.publicCost += cost }
        if let amount = line.usageAmount { sums.usageAmount += amount }
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["PROFORMA_USAGE_BENCH"] != nil))
    func measure() throws {
        let path = ProcessInfo.processInfo.environment["PROFORMA_USAGE_BENCH"]!
        let scanOnly = ProcessInfo.processInfo.environment["PROFORMA_USAGE_BENCH_MODE"] == "scan"
        let options = UsageReadOptions(
            readAhead: ProcessInfo.processInfo.environment["PROFORMA_USAGE_BENCH_READAHEAD"] != "0")
        let clock = ContinuousClock()
        let cpuStart = Self.cpuSeconds()
        let threadStart = Self.threadCPUSeconds()
        var groups: [Key: Sums] = [:]
        var total = Sums()
        var summary: UsageReadSummary? = nil
        let elapsed = try clock.measure {
            summary = try UsageReader.read(path: path, options: options) { line in
                total.lines += 1
                total.actualCost += line.actualCost
                if let cost = line.publicOnDemandCost { total.publicCost += cost }
                if scanOnly { return }
                let key = Key(
                    account: line.usageAccountID, service: line.serviceCode, usageType: line.usageType,
                    operation: line.operation, lineType: line.lineItemType)
                Self.add(line, to: &groups[key, default: Sums()])
            }
        }
        let cpu = Self.cpuSeconds() - cpuStart
        let threadCPU = Self.threadCPUSeconds() - threadStart
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let bytes = Double(summary!.bytesRead)
        print(
            "groups=\(groups.count) line_items=\(total.lines) public=\(total.publicCost.rounded(scale: 10)) "
                + "unblended=\(total.actualCost.rounded(scale: 10))")
        var peak = rusage()
        #if canImport(Glibc)
            getrusage(RUSAGE_SELF.rawValue, &peak)
        #else
            getrusage(RUSAGE_SELF, &peak)
        #endif
        print(String(format: "reader_thread_cpu=%.3f peak_rss_mb=%.0f", threadCPU, Double(peak.ru_maxrss) / 1024))
        print(
            String(
                format: "seconds=%.3f cpu=%.3f rows/s=%.0f MB/s=%.1f (per CPU second: %.0f rows/s, %.1f MB/s)",
                seconds, cpu, Double(total.lines) / seconds, bytes / seconds / 1e6, Double(total.lines) / cpu,
                bytes / cpu / 1e6))
    }
}

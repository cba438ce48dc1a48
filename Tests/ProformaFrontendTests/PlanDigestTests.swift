import Foundation
import ProformaCore
import ProformaDigest
import ProformaEngine
import ProformaFrontend
import ProformaReport
import ProformaTestSupport
import Testing

/// `plan`'s invoice impact read from a usage digest and the results kept beside it, against the impact priced from
/// the usage files: the same, whatever is kept.
@Suite struct PlanDigestTests {
    /// examples/msp committed in a new repository, with the standard plan's markup raised in the working tree.
    static func repository() throws -> URL {
        let directory = try DigestUseTests.copy("msp")
        try TestSupport.git(["init", "-q"], in: directory)
        try TestSupport.git(["add", "-A"], in: directory)
        try TestSupport.git(["commit", "-q", "-m", "base"], in: directory)
        let rules = directory.appendingPathComponent("pricing/standard.yaml")
        let text = try String(contentsOf: rules, encoding: .utf8)
        #expect(text.contains("modifier_percentage: 12\n"))
        try text.replacingOccurrences(of: "modifier_percentage: 12\n", with: "modifier_percentage: 13.5\n")
            .write(to: rules, atomically: true, encoding: .utf8)
        return directory
    }

    static func impact(_ frontend: Frontend, _ periods: PeriodRequest) throws -> PricedComparison {
        let comparison = try frontend.compare(
            first: nil, second: nil, defaultBase: "HEAD", check: .valid(strict: false))
        return try #require(try frontend.impact(of: comparison, request: PricingRequest(periods: periods)))
    }

    /// Every figure of an impact, exact and rounded, and its text and markdown.
    static func rendered(_ impact: InvoiceImpact) -> String {
        String(reflecting: impact.periods) + ImpactRenderer.text(impact)
            + ImpactRenderer.markdown(impact, budget: 65_536)
    }

    static func kept(_ directory: URL) -> [URL] {
        let folder = directory.appendingPathComponent(".proforma/digests/results")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".result") }.sorted().map { folder.appendingPathComponent($0) }
    }

    @Test(arguments: [PeriodRequest.latest, .all])
    func theImpactIsTheSameFromTheDigestWhateverIsKept(periods: PeriodRequest) throws {
        let directory = try Self.repository()
        defer { try? FileManager.default.removeItem(at: directory.deletingLastPathComponent()) }
        let frontend = try DigestUseTests.frontend(directory)
        let raw = try Self.impact(frontend, periods)
        #expect(raw.digest == nil)
        let changed = raw.impact.periods.flatMap(\.changedGroups).map(\.group)
        #expect(!changed.isEmpty)
        let expected = Self.rendered(raw.impact)

        // `usage import` keeps the working tree's result: the plan prices the base's reached accounts alone.
        let imported = try frontend.importUsage(UsageSelection())
        #expect(Self.kept(directory).count == 1)
        let headKept = try Self.impact(frontend, periods)
        #expect(headKept.digest == imported.fileName)
        #expect(Self.rendered(headKept.impact) == expected)
        #expect(headKept.readingNotes == raw.readingNotes)
        #expect(headKept.warnings == raw.warnings)
        #expect(Self.kept(directory).count == 2)

        // Both kept: nothing is priced.
        let bothKept = try Self.impact(frontend, periods)
        #expect(bothKept.digest == imported.fileName)
        #expect(Self.rendered(bothKept.impact) == expected)

        // Nothing kept: the base prices the digest, the head its reached accounts; both are kept again.
        for file in Self.kept(directory) { try FileManager.default.removeItem(at: file) }
        let noneKept = try Self.impact(frontend, periods)
        #expect(noneKept.digest == imported.fileName)
        #expect(Self.rendered(noneKept.impact) == expected)
        #expect(Self.kept(directory).count == 2)

        // A kept result cut short or damaged is passed over.
        for file in Self.kept(directory) {
            let text = try String(contentsOf: file, encoding: .utf8)
            try String(text.prefix(text.count / 2)).write(to: file, atomically: true, encoding: .utf8)
        }
        let damaged = try Self.impact(frontend, periods)
        #expect(Self.rendered(damaged.impact) == expected)
    }

    /// The base kept by an earlier plan serves the next change too, and a result is kept per configuration: a
    /// markup written differently (`13.50`) is another configuration.
    @Test func aResultIsKeptPerConfiguration() throws {
        let directory = try Self.repository()
        defer { try? FileManager.default.removeItem(at: directory.deletingLastPathComponent()) }
        let frontend = try DigestUseTests.frontend(directory)
        _ = try frontend.importUsage(UsageSelection())
        _ = try Self.impact(frontend, .latest)
        #expect(Self.kept(directory).count == 2)
        let rules = directory.appendingPathComponent("pricing/standard.yaml")
        let text = try String(contentsOf: rules, encoding: .utf8)
        try text.replacingOccurrences(of: "modifier_percentage: 13.5\n", with: "modifier_percentage: 13.50\n")
            .write(to: rules, atomically: true, encoding: .utf8)
        let fromDigest = try Self.impact(frontend, .latest)
        #expect(fromDigest.digest != nil)
        #expect(Self.kept(directory).count == 3)
        // The same plan from the files alone.
        try FileManager.default.removeItem(at: directory.appendingPathComponent(".proforma"))
        let raw = try Self.impact(frontend, .latest)
        #expect(raw.digest == nil)
        #expect(Self.rendered(fromDigest.impact) == Self.rendered(raw.impact))
    }
}

extension PlanDigestTests {
    /// Results of digests that are gone are removed, and of a digest only the newest eight are kept.
    @Test func keptResultsArePruned() throws {
        let directory = try Self.repository()
        defer { try? FileManager.default.removeItem(at: directory.deletingLastPathComponent()) }
        let frontend = try DigestUseTests.frontend(directory)
        let imported = try frontend.importUsage(UsageSelection())
        let folder = directory.appendingPathComponent(".proforma/digests/results")
        let ours = Self.kept(directory)
        #expect(ours.count == 1)
        #expect(ours[0].lastPathComponent.hasPrefix(String(imported.hash.prefix(16)) + "-"))
        let old = Date(timeIntervalSinceNow: -3_600)
        for index in 0..<10 {
            let file = folder.appendingPathComponent("\(imported.hash.prefix(16))-old\(index).result")
            try "stale".write(to: file, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes(
                [.modificationDate: old.addingTimeInterval(Double(index))], ofItemAtPath: file.path)
        }
        let gone = folder.appendingPathComponent("0123456789abcdef-gone.result")
        try "stale".write(to: gone, atomically: true, encoding: .utf8)
        let planned = try Self.impact(frontend, .latest)
        #expect(planned.digest != nil)
        let names = Self.kept(directory).map(\.lastPathComponent)
        #expect(!names.contains(gone.lastPathComponent))
        #expect(names.count == 8)
        // The results just made and the import's are among the newest; the oldest stale ones went first.
        #expect(names.contains(ours[0].lastPathComponent))
        #expect(!names.contains("\(imported.hash.prefix(16))-old0.result"))
        #expect(names.contains("\(imported.hash.prefix(16))-old9.result"))
    }
}

/// Results written out and read back.
@Suite struct ResultArchiveTests {
    @Test func aResultWithCostAllocationsIsNotArchived() throws {
        let directory = try DigestUseTests.copy("enterprise")
        defer { try? FileManager.default.removeItem(at: directory.deletingLastPathComponent()) }
        let priced = try DigestUseTests.frontend(directory).price(PricingRequest(periods: .all))
        #expect(!priced.result.allocations.isEmpty)
        #expect(ResultArchive(result: priced.result, magnitudes: .zero).text() == nil)
    }

    @Test func anArchiveReadsBackAsWritten() throws {
        let directory = try DigestUseTests.copy("msp")
        defer { try? FileManager.default.removeItem(at: directory.deletingLastPathComponent()) }
        let priced = try DigestUseTests.frontend(directory).price(PricingRequest(periods: .all))
        #expect(priced.result.groups.contains { !$0.customLineItems.isEmpty })
        #expect(!priced.result.unassigned.isEmpty || !priced.result.dataTotals.isEmpty)
        let archive = ResultArchive(result: priced.result, magnitudes: ExactDecimal("123.4500")!)
        let text = try #require(archive.text())
        let back = try ResultArchive(text: text)
        #expect(String(reflecting: back.result) == String(reflecting: priced.result))
        #expect(back.result == priced.result)
        for (a, b) in zip(back.result.groups, priced.result.groups) {
            #expect(a.rows == b.rows, "rows \(a.group)")
            #expect(a.customLineItems == b.customLineItems, "items \(a.group)")
            #expect(a.warnings == b.warnings, "warnings \(a.group)")
        }
        #expect(back.magnitudes.description == "123.4500")
        // Restricted to one period, as priced for it alone.
        let latest = try DigestUseTests.frontend(directory).price(PricingRequest(periods: .latest))
        let restricted = try #require(back.result.restricted(to: latest.periods))
        #expect(String(reflecting: restricted) == String(reflecting: latest.result))
        #expect(back.result.restricted(to: [BillingPeriod("2001-01")!]) == nil)
        // Cut short, or with a record it does not know: refused.
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(throws: ResultArchive.ReadError.self) {
            try ResultArchive(text: lines.dropLast(3).joined(separator: "\n") + "\n")
        }
        #expect(throws: ResultArchive.ReadError.self) {
            try ResultArchive(text: text.replacingOccurrences(of: "\nrow\t", with: "\nrow?\t"))
        }
        #expect(throws: ResultArchive.ReadError.self) { try ResultArchive(text: "") }
    }

    @Test func textsWithTabsAndLineBreaksReadBack() throws {
        var row = CostRow(
            key: CostKey(
                period: BillingPeriod("2026-10")!, account: "1\t2", service: "a\\tb\nc\r", lineItemType: "Usage",
                category: .unassigned, currency: "USD"), figures: CostFigures())
        row.figures.actualCost = ExactDecimal("-0.1000")!
        let result = BillingResult.combining(periods: [BillingPeriod("2026-10")!], unassigned: [row])
        let text = try #require(ResultArchive(result: result, magnitudes: .zero).text())
        #expect(text.split(separator: "\n").count == 5)
        let back = try ResultArchive(text: text)
        #expect(back.result.unassigned.first?.key.service == "a\\tb\nc\r")
        #expect(back.result.unassigned.first?.key.account == "1\t2")
        #expect(back.result.unassigned.first?.figures.actualCost.description == "-0.1000")
    }
}

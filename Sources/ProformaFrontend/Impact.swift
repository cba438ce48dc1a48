import Foundation
import ProformaCore
import ProformaEngine
import ProformaModel
import ProformaReport
import ProformaUsage

/// A plan's invoice impact, priced from the same usage under both configurations.
public struct PricedComparison {
    public var impact: InvoiceImpact
    public var inputs: [UsageInput]
    /// What the reading warns of (rows skipped) and notes (values rounded).
    public var readingWarnings: [String]
    public var readingNotes: [String]
    /// The usage digest read instead of the files, as the user would name it; nil when the files were read.
    public var digest: String?
    /// Digests passed over because they could not be read, one line each.
    public var digestProblems: [String] = []
    /// The engine's warnings for the head side's changed groups in the covered periods.
    public var warnings: [String]
}

extension Frontend {
    /// Prices the usage of `request` under both sides of `comparison` in one pass over the data, and compares the
    /// invoices of every group for the periods asked for. Nil when there is no usage data to price (no `--usage`
    /// and no `usage:` in the project).
    public func impact(
        of comparison: Comparison, request: PricingRequest, progress: ((UsageProgress) -> Void)? = nil
    ) throws -> PricedComparison? {
        let head = comparison.head.validated
        if request.usage.files.isEmpty && (head.configuration.project?.usage ?? []).isEmpty { return nil }
        let inputs = try usageInputs(request.usage, validated: head)
        let configurations = [comparison.base.configuration, comparison.head.configuration]
        // Groups the change cannot reach are priced once, under the base; the head prices the lines of the others.
        // Where that could differ from pricing everything twice (an error, or amounts near the engine's bound),
        // everything is priced twice, as the result must be the same.
        let reach = PricingReach(base: configurations[0], head: configurations[1])
        func full() throws -> (UsageReading, [BillingPeriod], BillingResult, BillingResult) {
            let reading = try readUsage(
                inputs, skipInvalidRows: request.usage.skipInvalidRows, root: head.source.folder,
                configurations: configurations, progress: progress)
            let periods = try Self.choose(
                request.periods, inData: reading.engines[1].periodsInData, allowEmpty: request.allowEmptyPeriod)
            return (
                reading, periods, try reading.engines[0].finalResult(periods: periods),
                try reading.engines[1].finalResult(periods: periods)
            )
        }
        func partial() throws -> (UsageReading, [BillingPeriod], BillingResult, BillingResult)? {
            let reading: UsageReading
            do {
                reading = try readUsage(
                    inputs, skipInvalidRows: request.usage.skipInvalidRows, root: head.source.folder,
                    configurations: configurations, reach: reach, progress: progress)
            } catch is EngineError {
                return nil
            }
            // Every line went to the base engine, so its periods are the data's.
            let periods = try Self.choose(
                request.periods, inData: reading.engines[0].periodsInData, allowEmpty: request.allowEmptyPeriod)
            let beforeResult = try reading.engines[0].finalResult(periods: periods)
            guard let partialResult = try? reading.engines[1].finalResult(periods: periods),
                PricingReach.isExact(base: reading.engines[0], head: reading.engines[1]),
                let afterResult = reach.headResult(base: beforeResult, partial: partialResult)
            else { return nil }
            return (reading, periods, beforeResult, afterResult)
        }
        // From a matching usage digest: what is kept of earlier runs, and the lines of the accounts reached.
        func fromDigest() throws -> (UsageReading, [BillingPeriod], BillingResult, BillingResult)? {
            guard let root = head.source.folder else { return nil }
            let found = matchingDigest(inputs, skipInvalidRows: request.usage.skipInvalidRows, root: root)
            guard let url = found.url, let header = found.header else { return nil }
            return try digestImpact(
                url: url, header: header, root: root, inputs: inputs, configurations: configurations, reach: reach,
                request: request, problems: found.problems)
        }
        let (reading, periods, beforeResult, afterResult) =
            try fromDigest() ?? (reach.isFull ? nil : partial()) ?? full()
        var impact = InvoiceImpact(
            before: beforeResult, after: afterResult, base: comparison.base.configuration,
            head: comparison.head.configuration, diff: comparison.diff, periods: periods,
            usageFiles: inputs.map { URL(fileURLWithPath: $0.name).lastPathComponent })
        impact.serviceNames = ServiceNames(fromData: reading.serviceNames)
        // Warnings about the groups the change reaches; the others are `invoice`'s and `report`'s to show.
        let changed = Set(impact.periods.flatMap(\.changedGroups).map(\.group))
        let warnings = Set(afterResult.groups.filter { changed.contains($0.group) }.flatMap(\.warnings).map(\.message))
            .sorted()
        return PricedComparison(
            impact: impact, inputs: inputs, readingWarnings: reading.warnings, readingNotes: reading.notes,
            digest: reading.digest, digestProblems: reading.digestProblems, warnings: warnings)
    }
}

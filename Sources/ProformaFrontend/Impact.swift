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
        let reading = try readUsage(
            inputs, skipInvalidRows: request.usage.skipInvalidRows, root: head.source.folder,
            configurations: [comparison.base.configuration, comparison.head.configuration], progress: progress)
        let beforeEngine = reading.engines[0]
        let afterEngine = reading.engines[1]
        let periods = try Self.choose(
            request.periods, inData: afterEngine.periodsInData, allowEmpty: request.allowEmptyPeriod)
        let beforeResult = try beforeEngine.result(periods: periods)
        let afterResult = try afterEngine.result(periods: periods)
        let impact = InvoiceImpact(
            before: beforeResult, after: afterResult, base: comparison.base.configuration,
            head: comparison.head.configuration, diff: comparison.diff, periods: periods,
            usageFiles: inputs.map { URL(fileURLWithPath: $0.name).lastPathComponent })
        // Warnings about the groups the change reaches; the others are `invoice`'s and `report`'s to show.
        let changed = Set(impact.periods.flatMap(\.changedGroups).map(\.group))
        let warnings = Set(afterResult.groups.filter { changed.contains($0.group) }.flatMap(\.warnings).map(\.message))
            .sorted()
        return PricedComparison(
            impact: impact, inputs: inputs, readingWarnings: reading.warnings, readingNotes: reading.notes,
            digest: reading.digest, digestProblems: reading.digestProblems, warnings: warnings)
    }
}

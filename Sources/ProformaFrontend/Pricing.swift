import Foundation
import ProformaCore
import ProformaEngine
import ProformaModel
import ProformaReport
import ProformaUsage

/// The usage data a pricing command reads.
public struct UsageSelection: Sendable, Hashable {
    /// Files named on the command line (`-` for standard input); empty for the project's `usage` list.
    public var files: [String]
    /// Skip rows that cannot be read, counting them, instead of stopping at the first.
    public var skipInvalidRows: Bool

    public init(files: [String] = [], skipInvalidRows: Bool = false) {
        self.files = files
        self.skipInvalidRows = skipInvalidRows
    }
}

/// Which billing periods a pricing command covers.
public enum PeriodRequest: Sendable, Hashable {
    /// The latest period in the data.
    case latest
    /// One period.
    case period(BillingPeriod)
    /// Every period in the data.
    case all
    /// The periods in the data from the first to the last, inclusive.
    case range(BillingPeriod, BillingPeriod)
}

/// What a pricing command asks for.
public struct PricingRequest: Sendable, Hashable {
    /// The configuration's revision; nil for the working tree.
    public var revision: String?
    public var usage: UsageSelection
    public var periods: PeriodRequest
    /// Price a period that has no usage lines (only custom line items) instead of refusing it.
    public var allowEmptyPeriod: Bool
    /// Refuse a configuration with warnings too.
    public var strict: Bool

    public init(
        revision: String? = nil, usage: UsageSelection = .init(), periods: PeriodRequest = .latest,
        allowEmptyPeriod: Bool = false, strict: Bool = false
    ) {
        self.revision = revision
        self.usage = usage
        self.periods = periods
        self.allowEmptyPeriod = allowEmptyPeriod
        self.strict = strict
    }
}

/// A configuration priced against usage data, with where both came from.
public struct PricedUsage {
    /// The result, restricted to `periods`.
    public var result: BillingResult
    public var validated: ValidatedConfiguration
    /// The periods covered, in order.
    public var periods: [BillingPeriod]
    /// The periods as they were asked for.
    public var request: PeriodRequest
    /// The periods that have usage lines in the data, in order.
    public var periodsInData: [BillingPeriod]
    public var inputs: [UsageInput]
    /// Where documents priced from this came from.
    public var provenance: Provenance
    /// What the reading warns of: rows skipped.
    public var readingWarnings: [String]
    /// What the reading notes: values rounded at reading.
    public var readingNotes: [String]
    /// The usage digest read instead of the files (`usage import`), as the user would name it; nil when the files
    /// were read.
    public var digest: String?
    /// Digests passed over because they could not be read, one line each (the files were read instead).
    public var digestProblems: [String] = []
    /// The names of the services in the data (the data's product names, else the catalogue's).
    public var serviceNames = ServiceNames()

    /// The configuration of each period priced, where they differ from `validated`'s: those in effect for them in
    /// the state store.
    public var applied: [BillingPeriod: Configuration] = [:]

    /// The configuration that priced the last period covered (the working tree's or revision's without a store).
    public var configuration: Configuration { periods.last.flatMap { applied[$0] } ?? validated.configuration }

    /// The configuration that priced `period`.
    public func configuration(for period: BillingPeriod) -> Configuration {
        applied[period] ?? validated.configuration
    }

    /// The engine's warnings for `groups` (all groups when nil) in the covered periods, once each, sorted.
    public func warnings(groups: Set<String>? = nil) -> [String] {
        let messages = result.groups.filter { groups?.contains($0.group) ?? true }.flatMap(\.warnings).map(\.message)
        return Set(messages).sorted()
    }

    /// Options for the cost and margin reports.
    public var reportOptions: CostReportOptions {
        CostReportOptions(
            period: periods.count == 1 ? periods.first : nil,
            accountNames: Dictionary(
                configuration.accounts.map { ($0.accountID, $0.name) }, uniquingKeysWith: { a, _ in a }),
            unassignedCurrency: configuration.project?.currency ?? "USD",
            rounding: configuration.project?.rounding ?? .halfEven,
            provenance: provenance, serviceNames: serviceNames)
    }

}

extension Frontend {
    /// Validates the configuration (refusing one `validate` rejects), reads the usage data, prices it and chooses
    /// the periods asked for.
    ///
    /// Without a revision, a configuration whose state store has applies is priced, period by period, with the
    /// configuration in effect for each period (billing-semantics.md §8); a revision prices that revision.
    public func price(_ request: PricingRequest, progress: ((UsageProgress) -> Void)? = nil) throws -> PricedUsage {
        let source = try workspace.source(revision: request.revision)
        if request.revision == nil, let store = try appliedStore(source) {
            return try priceApplied(request, source: source, store: store, progress: progress)
        }
        return try price(request, source: source, progress: progress)
    }

    /// Prices `request` with the configuration of `source` (a file tree of any kind, in memory too).
    public func price(
        _ request: PricingRequest, source: ConfigurationSource, progress: ((UsageProgress) -> Void)? = nil
    ) throws -> PricedUsage {
        let validated = try validConfiguration(source, strict: request.strict)
        let inputs = try usageInputs(request.usage, validated: validated)
        let reading = try readUsage(
            inputs, skipInvalidRows: request.usage.skipInvalidRows, root: validated.source.folder,
            configurations: [validated.configuration], progress: progress)
        let engine = reading.engines[0]
        let inData = engine.periodsInData
        let periods = try Self.choose(request.periods, inData: inData, allowEmpty: request.allowEmptyPeriod)
        let result = try engine.finalResult(periods: periods)
        var priced = PricedUsage(
            result: result, validated: validated, periods: periods, request: request.periods, periodsInData: inData,
            inputs: inputs,
            provenance: provenance(
                validated, usageFiles: inputs.map { URL(fileURLWithPath: $0.name).lastPathComponent }),
            readingWarnings: reading.warnings, readingNotes: reading.notes, digest: reading.digest,
            digestProblems: reading.digestProblems)
        priced.serviceNames = ServiceNames(fromData: reading.serviceNames)
        return priced
    }

    /// Reads every input once (refusing data given twice), handing each line to every pipeline, and returns what
    /// the reading had to say. With `partial`, the second pipeline is given only the lines of the accounts
    /// `partial.headNeeds`.
    func read(
        _ inputs: [UsageInput], skipInvalidRows: Bool, into pipelines: [PricingPipeline],
        partial: PricingReach? = nil, progress: ((UsageProgress) -> Void)?
    ) throws -> (warnings: [String], notes: [String], serviceNames: [String: String]) {
        let scan = UsageScan(inputs: inputs, options: UsageReadOptions(skipInvalidRows: skipInvalidRows))
        let summary: UsageScanSummary
        if let partial, pipelines.count == 2 {
            // Consecutive lines mostly share their account: ask once per run of them.
            var lastAccount = ""
            var lastNeeded = partial.headNeeds(lastAccount)
            summary = try scan.forEach(progress: progress) { line, index in
                let name = inputs[index].name
                try pipelines[0].add(line, file: name)
                if line.usageAccountID != lastAccount {
                    lastAccount = line.usageAccountID
                    lastNeeded = partial.headNeeds(lastAccount)
                }
                if lastNeeded { try pipelines[1].add(line, file: name) }
            }
        } else {
            summary = try scan.forEach(progress: progress) { line, index in
                for pipeline in pipelines { try pipeline.add(line, file: inputs[index].name) }
            }
        }
        return (summary.skippedRowsNotes, [summary.roundedValuesNote].compactMap { $0 }, summary.serviceNames)
    }

    /// The periods a request covers, given the periods that have data.
    static func choose(_ request: PeriodRequest, inData: [BillingPeriod], allowEmpty: Bool) throws -> [BillingPeriod] {
        let covered = inData.isEmpty ? "the usage data has no lines" : "the usage data covers \(describe(inData))"
        switch request {
        case .all:
            guard !inData.isEmpty || allowEmpty else {
                throw UserError("\(covered), so there is no period to price", hint: "check the usage files")
            }
            return inData
        case .latest:
            guard let latest = inData.last else {
                throw UserError("\(covered), so there is no period to price", hint: "pass --period YYYY-MM")
            }
            return [latest]
        case .range(let first, let last):
            let periods = inData.filter { $0 >= first && $0 <= last }
            guard !periods.isEmpty || allowEmpty else {
                throw UserError(
                    "no usage lines from \(first) to \(last): \(covered)", hint: "choose periods the data covers")
            }
            return periods.isEmpty ? [first] : periods
        case .period(let period):
            guard inData.contains(period) || allowEmpty else {
                throw UserError(
                    "no usage lines for \(period): \(covered)",
                    hint:
                        "choose one of those periods with --period, or pass --allow-empty-period to price custom line items alone"
                )
            }
            return [period]
        }
    }

    /// `2026-09, 2026-10` or, for a long run, `2025-01 … 2026-10 (22 periods)`.
    static func describe(_ periods: [BillingPeriod]) -> String {
        if periods.count <= 4 { return periods.map(\.description).joined(separator: ", ") }
        return "\(periods.first!) … \(periods.last!) (\(periods.count) periods)"
    }
}

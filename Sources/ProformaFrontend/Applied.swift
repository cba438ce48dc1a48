import Foundation
import ProformaCore
import ProformaDigest
import ProformaEngine
import ProformaLoader
import ProformaModel
import ProformaReport
import ProformaState
import ProformaUsage

extension Frontend {
    /// The state store of the working tree's configuration, when it has applies; nil otherwise (no store yet, or
    /// a configuration not on disk).
    func appliedStore(_ source: ConfigurationSource) throws -> StateStore? {
        guard source.revision == nil, let folder = source.folder else { return nil }
        let projectText = try? source.tree.contents(of: ConfigurationLoader.projectFileName)
        let project = projectText.flatMap {
            ConfigurationLoader().load(
                file: ConfigurationLoader.projectFileName, text: String(decoding: $0, as: UTF8.self)
            )
            .configuration.project
        }
        let store = StateStore.sqlite(root: folder.path, project: project)
        let path = (project?.state.path ?? StateStore.defaultPath)
        let file = path.hasPrefix("/") ? path : folder.appendingPathComponent(path).path
        guard FileManager.default.fileExists(atPath: file) else { return nil }
        return try store.version().serial > 0 ? store : nil
    }

    /// Prices each period of the data with the configuration in effect for it in `store`, reading the data once:
    /// each line goes to the pipeline of the apply in effect for its period. Usage files and project settings
    /// come from the working tree, which must validate too.
    func priceApplied(
        _ request: PricingRequest, source: ConfigurationSource, store: StateStore,
        progress: ((UsageProgress) -> Void)?
    ) throws -> PricedUsage {
        let validated = try validConfiguration(source, strict: request.strict)
        let inputs = try usageInputs(request.usage, validated: validated)
        var bySerial: [Int: (record: ApplyRecord, pipeline: PricingPipeline, configuration: Configuration)] = [:]
        var serialOfPeriod: [BillingPeriod: Int?] = [:]
        var unapplied: Set<BillingPeriod> = []
        func route(_ period: BillingPeriod) throws -> PricingPipeline? {
            if let known = serialOfPeriod[period] { return known.flatMap { bySerial[$0]?.pipeline } }
            guard let (record, configuration) = try store.configuration(inEffectFor: period) else {
                serialOfPeriod[period] = .some(nil)
                unapplied.insert(period)
                return nil
            }
            serialOfPeriod[period] = record.serial
            if bySerial[record.serial] == nil {
                bySerial[record.serial] = (
                    record, PricingPipeline(engine: try PricingEngine(configuration: configuration)), configuration
                )
            }
            return bySerial[record.serial]?.pipeline
        }
        // From the usage digest that matches the files, else from the files; each line to the engine of its period.
        let found = matchingDigest(inputs, skipInvalidRows: request.usage.skipInvalidRows, root: source.folder)
        var digestProblems = found.problems
        var fromDigest: (name: String, engines: [Int: PricingEngine], digest: UsageDigest)?
        if let url = found.url {
            var digestEngines: [Int: PricingEngine] = [:]
            let names = inputs.map(\.name)
            do {
                let digest = try DigestStore.scan(at: url) { (batch: [DigestLine]) throws in
                    for entry in batch {
                        guard try route(entry.line.period) != nil,
                            let serial = serialOfPeriod[entry.line.period] ?? nil,
                            let configuration = bySerial[serial]?.configuration
                        else { continue }
                        let engine = digestEngines[serial] ?? PricingEngine(configuration: configuration)
                        digestEngines[serial] = engine
                        try engine.add(
                            entry.line, count: entry.count, entry.summed ? .summed : .equal,
                            quantityMagnitude: entry.quantityMagnitude,
                            source: "\(names[entry.input]):\(entry.line.row)")
                    }
                }
                fromDigest = (displayName(url), digestEngines, digest)
            } catch let error as DigestError {
                digestProblems.append(error.message)
            }
        }
        var readingWarnings: [String]
        var readingNotes: [String]
        var serviceNames: [String: String]
        if let fromDigest {
            readingWarnings = fromDigest.digest.readingWarnings
            readingNotes = fromDigest.digest.readingNotes
            serviceNames = fromDigest.digest.serviceNames
        } else {
            let scan = UsageScan(
                inputs: inputs, options: UsageReadOptions(skipInvalidRows: request.usage.skipInvalidRows))
            var lastPeriod: BillingPeriod?
            var lastPipeline: PricingPipeline?
            let summary = try scan.forEach(progress: progress) { line, index in
                if line.period != lastPeriod {
                    lastPeriod = line.period
                    lastPipeline = try route(line.period)
                }
                try lastPipeline?.add(line, file: inputs[index].name)
            }
            readingWarnings = summary.skippedRowsNotes
            readingNotes = [summary.roundedValuesNote].compactMap { $0 }
            serviceNames = summary.serviceNames
        }
        var engines: [Int: PricingEngine] = [:]
        for (serial, entry) in bySerial {
            let engine = try entry.pipeline.finish()
            engines[serial] = fromDigest?.engines[serial] ?? engine
        }
        let inData = Set(engines.values.flatMap(\.periodsInData)).union(unapplied).sorted()
        let periods = try Self.choose(request.periods, inData: inData, allowEmpty: request.allowEmptyPeriod)
        // Every period asked for must have a configuration in effect.
        for period in periods where serialOfPeriod[period] == nil || serialOfPeriod[period]! == nil {
            guard try route(period) == nil else { continue }
            throw UserError(
                "nothing is applied for \(period) in \(store.location), so no configuration is in effect for it",
                hint:
                    "apply one for it (`proforma apply --period \(period) --backfill`), or price a revision, e.g. `HEAD`"
            )
        }
        // Periods without data (asked for with --allow-empty-period) have a pipeline that read nothing.
        for (serial, entry) in bySerial where engines[serial] == nil { engines[serial] = try entry.pipeline.finish() }
        var result = BillingResult.combining(periods: periods)
        var applied: [BillingPeriod: Configuration] = [:]
        var records: [ApplyRecord] = []
        for serial in engines.keys.sorted() {
            guard let engine = engines[serial], let entry = bySerial[serial] else { continue }
            let own = periods.filter { serialOfPeriod[$0] == .some(serial) }
            guard !own.isEmpty else { continue }
            let part = try engine.finalResult(periods: own)
            result.groups += part.groups
            result.unassigned += part.unassigned
            result.dataTotals += part.dataTotals
            result.warnings += part.warnings
            result.allocations += part.allocations
            for period in own { applied[period] = entry.configuration }
            records.append(entry.record)
        }
        result.groups.sort { ($0.group, $0.period) < ($1.group, $1.period) }
        result.unassigned.sort { $0.key < $1.key }
        result.dataTotals.sort { $0.key < $1.key }
        result.allocations.sort { ($0.name, $0.period) < ($1.name, $1.period) }
        let files = inputs.map { URL(fileURLWithPath: $0.name).lastPathComponent }
        var provenance = Provenance(revision: nil, commit: nil, usageFiles: files, toolVersion: toolVersion)
        if let newest = records.max(by: { $0.serial < $1.serial }) {
            let serials = records.map { String($0.serial) }.joined(separator: ", ")
            provenance.revision =
                records.count == 1
                ? "applied serial \(newest.serial) (\(newest.revision)\(newest.dirty ? ", dirty" : ""))"
                : "applied serials \(serials), per period"
            provenance.commit = newest.commit
        }
        var priced = PricedUsage(
            result: result, validated: validated, periods: periods, request: request.periods, periodsInData: inData,
            inputs: inputs, provenance: provenance, readingWarnings: readingWarnings, readingNotes: readingNotes,
            digest: fromDigest?.name, digestProblems: digestProblems)
        priced.applied = applied
        priced.serviceNames = ServiceNames(fromData: serviceNames)
        return priced
    }
}

extension Frontend {
    /// `plan` with no revision in a configuration whose state store has applies: the configuration in effect for
    /// `period` (the current period when nil) against the working tree. Nil when there is no store with applies,
    /// and then `plan` compares the working tree with HEAD.
    public func compareWithApplied(period: BillingPeriod?, now: Date = Date(), check: ComparisonCheck) throws
        -> Comparison?
    {
        // The configuration root as `compare` finds it: also from the repository's top, in a subfolder.
        let repository = try workspace.repository()
        guard let top = repository.workingDirectory else { return nil }
        let root =
            try workspace.repositoryRelativeRoot(repository)
            ?? ConfigurationLoader.findRoot(in: repository.workingTree())
        let rooted = try Workspace(
            WorkspaceOptions(
                directory: workspace.directory.path,
                root: root.isEmpty ? top : URL(fileURLWithPath: top).appendingPathComponent(root).path))
        let working = try rooted.source(revision: nil)
        guard let store = try appliedStore(working) else { return nil }
        let when = period ?? ApplyRecord.period(of: now)
        guard let (record, _) = try store.configuration(inEffectFor: when) else { return nil }
        let resources = try store.backend.resources(serial: record.serial)
        let tree = try ResourceDocument.tree(from: resources, location: store.location)
        let label = "applied serial \(record.serial)\(record.commit.map { " (\($0.prefix(7)))" } ?? "")"
        let appliedSource = ConfigurationSource(
            tree: tree, root: "", revisionLabel: label, revision: nil, commit: record.commit)
        let cache = LoadCache()
        // The applied configuration was valid when it was applied: it is the base, not refused again.
        let base =
            check == .readable
            ? try refusingInvalid(validate(appliedSource, cache: cache, checks: false), strict: false)
            : try validate(appliedSource, cache: cache)
        let head = try checked(working, cache: cache, check: check)
        return Comparison(
            base: ComparedSide(label: label, commit: record.commit, validated: base),
            head: ComparedSide(label: "working tree", commit: nil, validated: head),
            root: root)
    }
}

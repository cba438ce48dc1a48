import Foundation
import ProformaCore
import ProformaDigest
import ProformaEngine
import ProformaModel
import ProformaUsage

/// What `usage import` did.
public struct UsageImport: Sendable {
    /// The digest file.
    public var file: URL
    /// The digest file as the user would name it (relative to the folder the command runs in, where it is below).
    public var fileName: String
    public var hash: String
    public var sources: [DigestSource]
    public var rowsRead: Int
    /// Lines in the digest, each standing for one or more equal rows.
    public var lines: Int
    /// Whether a digest of the same bytes was there already and only its sources' stamps were recorded again.
    public var reused: Bool
    /// What the reading warned of and noted.
    public var readingWarnings: [String]
    public var readingNotes: [String]
}

/// How usage data was read for pricing, and the engines that priced it.
struct UsageReading {
    var engines: [PricingEngine]
    var warnings: [String]
    var notes: [String]
    /// The digest read instead of the files, named as the user would name it; nil when the files were read.
    var digest: String?
    /// Digests passed over because they could not be read, one line each.
    var digestProblems: [String]
    /// The product names of the service codes, as the data names them.
    var serviceNames: [String: String] = [:]
}

extension Frontend {
    /// Reads `selection` (default: the project's usage files) once and writes its digest into `.proforma/digests/`
    /// under the configuration root, named by the SHA-256 of the files' contents. A digest of the same bytes that is
    /// already there is kept, its files' paths, sizes and modification times recorded again, without reading them.
    public func importUsage(_ selection: UsageSelection, progress: ((UsageProgress) -> Void)? = nil) throws
        -> UsageImport
    {
        do {
            return try importingUsage(selection, progress: progress)
        } catch let error as DigestError {
            throw UserError(error.message, hint: error.hint)
        }
    }

    private func importingUsage(_ selection: UsageSelection, progress: ((UsageProgress) -> Void)?) throws
        -> UsageImport
    {
        let validated = try validate(revision: nil)
        guard let root = validated.source.folder else {
            throw UserError("the repository is bare, so there is no folder to keep a usage digest in")
        }
        let inputs = try usageInputs(selection, validated: validated)
        var stamps: [FileStamp] = []
        for input in inputs {
            guard case .file(let path) = input.source, let stamp = FileStamp.of(path: path) else {
                throw UserError(
                    "\(input.name) is not a regular file: only files can have a usage digest",
                    hint: "save the data to a file and import that", kind: .usage)
            }
            stamps.append(stamp)
        }
        let folder = DigestStore.folder(root: root)
        let hashes = try stamps.map { stamp throws(DigestError) in try UsageDigest.sha256(ofFileAt: stamp.path) }
        let sources = zip(zip(stamps, inputs), hashes).map {
            DigestSource(stamp: $0.0, name: $0.1.name, sha256: $1)
        }
        let hash = UsageDigest.hash(sources: hashes, skipInvalidRows: selection.skipInvalidRows)
        let file = DigestStore.file(hash: hash, in: folder)
        // Its header and notes only: the lines are not read.
        if FileManager.default.fileExists(atPath: file.path), let header = try? DigestStore.header(at: file),
            let stored = try? DigestStore.scan(at: file, accounts: { _ in false }, { (_: [DigestLine]) in })
        {
            try DigestStore.restamp(file, sources: sources)
            return UsageImport(
                file: file, fileName: displayName(file), hash: hash, sources: sources, rowsRead: stored.rowsRead,
                lines: header.lineCount, reused: true, readingWarnings: stored.readingWarnings,
                readingNotes: stored.readingNotes)
        }
        var aggregator = UsageAggregator()
        // The working tree's configuration is priced while the data is read, and its result kept for the plans and
        // pricing that read the digest (see `ResultCache`); one that cannot be priced is simply not kept.
        let pipeline =
            validated.report.failed(strict: false)
            ? nil : PricingPipeline(engine: PricingEngine(configuration: validated.configuration))
        let scan = UsageScan(inputs: inputs, options: UsageReadOptions(skipInvalidRows: selection.skipInvalidRows))
        let summary: UsageScanSummary
        do {
            var pricing = pipeline
            summary = try scan.forEach(progress: progress) { line, index in
                aggregator.add(line, input: index)
                do {
                    try pricing?.add(line, file: inputs[index].name)
                } catch {
                    pricing = nil
                }
            }
        } catch {
            _ = try? pipeline?.finish()
            throw error
        }
        let priced = pipeline.flatMap { try? ResultArchive.of($0.finish()) }
        // A file changed while it was read would be recorded with a stamp it no longer has, or the reverse.
        for (input, stamp) in zip(inputs, stamps) where FileStamp.of(path: stamp.path) != stamp {
            throw UserError(
                "\(input.name) changed while it was read", hint: "import it again once it is written whole",
                kind: .usage)
        }
        let digest = UsageDigest(
            hash: hash, sources: sources, skipInvalidRows: selection.skipInvalidRows, rowsRead: summary.rowsRead,
            rowsSkipped: summary.rowsSkipped, readingWarnings: summary.skippedRowsNotes,
            readingNotes: [summary.roundedValuesNote].compactMap { $0 }, lines: [],
            serviceNames: summary.serviceNames)
        try DigestStore.write(digest, lineCount: aggregator.count, line: { aggregator.line(at: $0) }, in: folder)
        if let priced {
            ResultCache.write(
                priced,
                key: ResultCache.key(digest: hash, configuration: validated.configuration, toolVersion: toolVersion),
                in: ResultCache.folder(root: root))
        }
        return UsageImport(
            file: file, fileName: displayName(file), hash: hash, sources: sources, rowsRead: summary.rowsRead,
            lines: aggregator.count, reused: false, readingWarnings: digest.readingWarnings,
            readingNotes: digest.readingNotes)
    }

    /// `file` relative to the folder the command runs in when it is below it, else its path.
    func displayName(_ file: URL) -> String {
        let top = workspace.directory.standardizedFileURL.path
        let path = file.standardizedFileURL.path
        let prefix = top.hasSuffix("/") ? top : top + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }

    /// Prices `inputs` with every engine: from the digest that matches them in `root`'s `.proforma/digests/` (every
    /// file of the same path, size and modification time, in the same order), else from the files, once. A digest
    /// that cannot be read is passed over with a note, and the files are read. With `reach`, the second engine is
    /// given only the lines of the accounts `reach.headNeeds`.
    func readUsage(
        _ inputs: [UsageInput], skipInvalidRows: Bool, root: URL?, configurations: [Configuration],
        reach: PricingReach? = nil, progress: ((UsageProgress) -> Void)?
    ) throws -> UsageReading {
        let partial = reach.flatMap { $0.isFull ? nil : $0 }
        let found = matchingDigest(inputs, skipInvalidRows: skipInvalidRows, root: root)
        var problems = found.problems
        if let url = found.url {
            do {
                // A digest found unreadable half way is dropped with the engines it fed: the files are read.
                let engines = configurations.map { PricingEngine(configuration: $0) }
                let names = inputs.map(\.name)
                let feeder = DigestFeeder(engines: engines, names: names, partial: partial)
                let digest: UsageDigest
                do {
                    digest = try DigestStore.scan(at: url) { (batch: [DigestLine]) throws(EngineError) in
                        try feeder.add(batch)
                    }
                } catch {
                    try? feeder.finish()
                    throw error
                }
                try feeder.finish()
                return UsageReading(
                    engines: engines, warnings: digest.readingWarnings, notes: digest.readingNotes,
                    digest: displayName(url), digestProblems: problems, serviceNames: digest.serviceNames)
            } catch let error as DigestError {
                problems.append(error.message)
            }
        }
        let pipelines = configurations.map { PricingPipeline(engine: PricingEngine(configuration: $0)) }
        let reading: (warnings: [String], notes: [String], serviceNames: [String: String])
        do {
            reading = try read(
                inputs, skipInvalidRows: skipInvalidRows, into: pipelines, partial: partial, progress: progress)
        } catch {
            for pipeline in pipelines { _ = try? pipeline.finish() }
            throw error
        }
        let engines = try pipelines.map { try $0.finish() }
        return UsageReading(
            engines: engines, warnings: reading.warnings, notes: reading.notes, digest: nil, digestProblems: problems,
            serviceNames: reading.serviceNames)
    }

    /// The digest in `root`'s `.proforma/digests/` that matches `inputs` (every file of the same path, size and
    /// modification time, in the same order), with the digests passed over on the way, one line each.
    func matchingDigest(_ inputs: [UsageInput], skipInvalidRows: Bool, root: URL?) -> (
        url: URL?, header: DigestHeader?, problems: [String]
    ) {
        guard let root, let stamps = Self.stamps(of: inputs) else { return (nil, nil, []) }
        let found = DigestStore.find(stamps, skipInvalidRows: skipInvalidRows, in: DigestStore.folder(root: root))
        return (found.url, found.header, found.problems.map(\.message))
    }

    /// The stamps of every input; nil when one is not a regular file (standard input).
    static func stamps(of inputs: [UsageInput]) -> [FileStamp]? {
        var stamps: [FileStamp] = []
        for input in inputs {
            guard case .file(let path) = input.source, let stamp = FileStamp.of(path: path) else { return nil }
            stamps.append(stamp)
        }
        return stamps
    }

}

/// Prices digest lines with several engines while the digest is read: each engine on a queue of its own, taking
/// batches in the order they are read, at most a few batches ahead of the engines. Lines are named `file:row`
/// after the first row each stands for.
final class DigestFeeder: @unchecked Sendable {
    private let engines: [PricingEngine]
    private let names: [String]
    private let queues: [DispatchQueue]
    private let room = DispatchSemaphore(value: 4)
    private let failures: Failures
    /// When set, the second engine prices only the lines of the accounts it needs.
    private let partial: PricingReach?

    init(engines: [PricingEngine], names: [String], partial: PricingReach? = nil) {
        self.engines = engines
        self.names = names
        self.partial = partial
        queues = engines.indices.map { DispatchQueue(label: "proforma digest pricing \($0)") }
        failures = Failures(count: engines.count)
    }

    /// Queues `lines` for every engine; throws the first pricing error known so far.
    func add(_ lines: [DigestLine]) throws(EngineError) {
        if let failure = failures.first { throw failure }
        for index in engines.indices {
            room.wait()
            queues[index].async { [self] in
                defer { room.signal() }
                guard !failures.has(index) else { return }
                let engine = engines[index]
                let reach = index == 1 ? partial : nil
                do throws(EngineError) {
                    for entry in lines {
                        if let reach, !reach.headNeeds(entry.line.usageAccountID) { continue }
                        try engine.add(
                            entry.line, count: entry.count, entry.summed ? .summed : .equal,
                            quantityMagnitude: entry.quantityMagnitude,
                            source: "\(names[entry.input]):\(entry.line.row)")
                    }
                } catch {
                    failures.set(index, error)
                }
            }
        }
    }

    /// Waits until every queued line is priced; throws the first pricing error.
    func finish() throws(EngineError) {
        for queue in queues { queue.sync {} }
        if let failure = failures.first { throw failure }
    }
}

/// The first error of each engine priced side by side.
final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var errors: [EngineError?]

    init(count: Int) { errors = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ error: EngineError) {
        lock.lock()
        errors[index] = error
        lock.unlock()
    }

    func has(_ index: Int) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return errors[index] != nil
    }

    var first: EngineError? {
        lock.lock()
        defer { lock.unlock() }
        return errors.compactMap { $0 }.first
    }
}

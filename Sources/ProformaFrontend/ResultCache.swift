import Foundation
import ProformaCore
import ProformaDigest
import ProformaEngine
import ProformaModel
import ProformaPlan
import ProformaUsage

/// Results of pricing a usage digest with a configuration, kept in `.proforma/digests/results/` so that a later
/// plan (or the same plan in CI) reads them instead of pricing the digest again.
///
/// A result is named by the SHA-256 of what it was computed from: the digest's content hash (itself the SHA-256 of
/// the usage files' bytes), the configuration (its canonical hash, as saved plans and the state store use it, and
/// every decimal of its rules and custom line items as written), the version of proforma and the size and modification time of its executable (a rebuilt engine never
/// reads a result of another build), and the archive's layout. A result found under that name was computed from
/// exactly these inputs, so it cannot be stale; a file that does not read back whole is passed over. The folder
/// may be removed at any time, and kept between CI runs as a cache: results of digests no longer there are removed,
/// and of each digest only the newest few are kept.
enum ResultCache {
    static let layout = "proforma result cache 1"

    /// The folder of kept results below a configuration root.
    static func folder(root: URL) -> URL {
        DigestStore.folder(root: root).appendingPathComponent("results", isDirectory: true)
    }

    /// What identifies the running build: its executable's size and modification time.
    static let build: String = {
        guard let stamp = FileStamp.of(path: "/proc/self/exe") ?? FileStamp.of(path: CommandLine.arguments[0]) else {
            return "unknown build \(ProcessInfo.processInfo.processIdentifier)"
        }
        return "\(stamp.path) \(stamp.size) \(stamp.modified)"
    }()

    /// The name of the result of `configuration` over the digest `digest`.
    static func key(digest: String, configuration: Configuration, toolVersion: String) -> String {
        var hasher = SHA256()
        hasher.update(layout + "\n")
        hasher.update("tool \(toolVersion)\n")
        hasher.update("build \(build)\n")
        hasher.update("digest \(digest)\n")
        hasher.update("configuration \(Canonical.hash(of: configuration))\n")
        hasher.update(PricingEngine.writtenDecimals(of: configuration))
        return "\(digest.prefix(digestPrefix))-\(hasher.finalizeHex())"
    }

    /// Results begin with this many characters of their digest's hash, so that those of a digest that is gone can
    /// be told.
    static let digestPrefix = 16
    /// How many results of one digest are kept: the newest.
    static let keptPerDigest = 8

    static func file(key: String, in folder: URL) -> URL {
        folder.appendingPathComponent("\(key).result")
    }

    /// The result kept under `key`; nil when there is none or it does not read back whole.
    static func read(key: String, in folder: URL) -> ResultArchive? {
        guard let data = FileManager.default.contents(atPath: file(key: key, in: folder).path) else { return nil }
        return try? ResultArchive(bytes: [UInt8](data))
    }

    /// Keeps `archive` under `key`, whole (a temporary file renamed into place); a result that cannot be written
    /// is simply not kept.
    static func write(_ archive: ResultArchive, key: String, in folder: URL) {
        guard let text = archive.text() else { return }
        let target = file(key: key, in: folder)
        let temporary = folder.appendingPathComponent(".\(key).\(getpid()).tmp")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: temporary)
            guard rename(temporary.path, target.path) == 0 else {
                try? FileManager.default.removeItem(at: temporary)
                return
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            return
        }
        prune(folder, keeping: key)
    }

    /// Removes the results of digests no longer in the digests' folder, and of each digest all but the
    /// `keptPerDigest` newest (never `key`'s), so that a folder kept between CI runs does not grow without end.
    static func prune(_ folder: URL, keeping key: String) {
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: folder.path),
            let digests = try? manager.contentsOfDirectory(atPath: folder.deletingLastPathComponent().path)
        else { return }
        let present = Set(digests.filter { $0.hasSuffix(".sqlite") }.map { String($0.prefix(digestPrefix)) })
        var byDigest: [String: [(name: String, modified: Date)]] = [:]
        for name in names where name.hasSuffix(".result") && !name.hasPrefix(".") {
            let file = folder.appendingPathComponent(name)
            let digest = String(name.prefix(digestPrefix))
            guard present.contains(digest) else {
                try? manager.removeItem(at: file)
                continue
            }
            let modified =
                (try? manager.attributesOfItem(atPath: file.path)[.modificationDate] as? Date) ?? .distantPast
            byDigest[digest, default: []].append((name, modified))
        }
        for results in byDigest.values where results.count > keptPerDigest {
            let newestFirst = results.sorted { ($0.modified, $0.name) > ($1.modified, $1.name) }
            for result in newestFirst.dropFirst(keptPerDigest) where result.name != "\(key).result" {
                try? manager.removeItem(at: folder.appendingPathComponent(result.name))
            }
        }
    }
}

extension Frontend {
    /// Both sides of a comparison priced from the usage digest at `url`, reading as little of it as the change
    /// allows: a side whose result is kept (`ResultCache`) is not priced; when one side is kept, the other prices
    /// only the lines of accounts the change reaches (read through the digest's index by account) and takes the
    /// unchanged groups from the kept one; when neither is, the base prices every line and the head the reached
    /// ones. Both results are kept for next time. Nil when this cannot give what pricing every line twice gives
    /// (a period without data, a pricing error, amounts near the engine's bound): then price in full.
    func digestImpact(
        url: URL, header: DigestHeader, root: URL, inputs: [UsageInput], configurations: [Configuration],
        reach: PricingReach, request: PricingRequest, problems: [String]
    ) throws -> (UsageReading, [BillingPeriod], BillingResult, BillingResult)? {
        let periods = try Self.choose(request.periods, inData: header.periods, allowEmpty: request.allowEmptyPeriod)
        guard Set(periods).isSubset(of: Set(header.periods)) else { return nil }
        let folder = ResultCache.folder(root: root)
        let keys = configurations.map {
            ResultCache.key(digest: header.hash, configuration: $0, toolVersion: toolVersion)
        }
        var kept = keys.map { ResultCache.read(key: $0, in: folder) }
        let names = inputs.map(\.name)
        func source(_ entry: DigestLine) -> String { "\(names[entry.input]):\(entry.line.row)" }
        let digest: UsageDigest
        do {
            switch (kept[0], kept[1]) {
            case (.some, .some):
                digest = try DigestStore.scan(at: url, accounts: { _ in false }, { (_: [DigestLine]) in })
            case (.some(let shared), nil), (nil, .some(let shared)):
                // The other side prices the accounts the change reaches, and takes the rest from the kept side.
                let other = kept[0] == nil ? 0 : 1
                let engine = PricingEngine(configuration: configurations[other])
                digest = try DigestStore.scan(at: url, accounts: reach.headNeeds) {
                    (batch: [DigestLine]) throws(EngineError) in
                    for entry in batch {
                        try engine.add(
                            entry.line, count: entry.count, entry.summed ? .summed : .equal,
                            quantityMagnitude: entry.quantityMagnitude, source: source(entry))
                    }
                }
                let partial = try engine.finalResult(periods: header.periods)
                guard PricingReach.isExact(shared.magnitudes, engine.magnitudeSum),
                    let merged = reach.headResult(base: shared.result, partial: partial)
                else { return nil }
                let (magnitudes, _) = shared.magnitudes.addingReportingOverflow(engine.magnitudeSum)
                kept[other] = ResultArchive(result: merged, magnitudes: magnitudes)
                ResultCache.write(kept[other]!, key: keys[other], in: folder)
            case (nil, nil):
                let engines = configurations.map { PricingEngine(configuration: $0) }
                let feeder = DigestFeeder(engines: engines, names: names, partial: reach.isFull ? nil : reach)
                do {
                    digest = try DigestStore.scan(at: url) { (batch: [DigestLine]) throws(EngineError) in
                        try feeder.add(batch)
                    }
                } catch {
                    try? feeder.finish()
                    throw error
                }
                try feeder.finish()
                let base = try ResultArchive.of(engines[0])
                let partial = try engines[1].finalResult(periods: header.periods)
                guard PricingReach.isExact(base: engines[0], head: engines[1]),
                    let merged = reach.headResult(base: base.result, partial: partial)
                else { return nil }
                let (magnitudes, _) = base.magnitudes.addingReportingOverflow(engines[1].magnitudeSum)
                kept = [base, ResultArchive(result: merged, magnitudes: magnitudes)]
                for (archive, key) in zip(kept, keys) { ResultCache.write(archive!, key: key, in: folder) }
            }
        } catch is EngineError {
            return nil
        } catch is DigestError {
            return nil
        }
        guard let before = kept[0]?.result.restricted(to: periods), let after = kept[1]?.result.restricted(to: periods)
        else { return nil }
        let reading = UsageReading(
            engines: [], warnings: digest.readingWarnings, notes: digest.readingNotes, digest: displayName(url),
            digestProblems: problems, serviceNames: digest.serviceNames)
        return (reading, periods, before, after)
    }
}

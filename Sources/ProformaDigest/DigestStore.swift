import Foundation
import GRDB
import ProformaCore
import ProformaUsage

/// Digests as SQLite files, `<hash>.sqlite` in a folder (`.proforma/digests/` under the configuration root).
/// Amounts are exact decimal text as the data writes them, never REAL; `sqlite3` reads them.
public enum DigestStore {
    /// The version of the file's layout; a digest of another version is not used.
    public static let formatVersion = 4

    /// The digests' folder below a configuration root.
    public static func folder(root: URL) -> URL {
        root.appendingPathComponent(".proforma", isDirectory: true).appendingPathComponent("digests", isDirectory: true)
    }

    /// The file of the digest with `hash` in `folder`.
    public static func file(hash: String, in folder: URL) -> URL {
        folder.appendingPathComponent("\(hash).sqlite")
    }

    static let schema = """
        CREATE TABLE digest (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
        CREATE TABLE source (
            position INTEGER PRIMARY KEY NOT NULL, path TEXT NOT NULL, name TEXT NOT NULL, size INTEGER NOT NULL,
            modified_ns INTEGER NOT NULL, sha256 TEXT NOT NULL);
        CREATE TABLE reading (
            position INTEGER PRIMARY KEY NOT NULL, kind TEXT NOT NULL CHECK (kind IN ('warning', 'note')),
            text TEXT NOT NULL);
        CREATE TABLE text (id INTEGER PRIMARY KEY NOT NULL, value TEXT NOT NULL UNIQUE);
        CREATE TABLE line (
            position INTEGER PRIMARY KEY NOT NULL, source INTEGER NOT NULL REFERENCES source(position),
            first_row INTEGER NOT NULL, count INTEGER NOT NULL CHECK (count > 0),
            summed INTEGER NOT NULL CHECK (summed IN (0, 1)), period TEXT NOT NULL,
            usage_account INTEGER NOT NULL REFERENCES text(id), payer_account INTEGER REFERENCES text(id),
            line_item_type INTEGER NOT NULL REFERENCES text(id), line_item_type_other INTEGER NOT NULL,
            charge_category INTEGER REFERENCES text(id), service INTEGER NOT NULL REFERENCES text(id),
            usage_type INTEGER NOT NULL REFERENCES text(id), operation INTEGER NOT NULL REFERENCES text(id),
            billing_entity INTEGER NOT NULL REFERENCES text(id), currency INTEGER NOT NULL REFERENCES text(id),
            commitment_owner INTEGER NOT NULL REFERENCES text(id), public_cost TEXT, actual_cost TEXT NOT NULL,
            quantity TEXT, quantity_magnitude TEXT NOT NULL);
        -- The usage accounts of the lines, so that the lines of some accounts are read alone (by line_by_account).
        CREATE TABLE usage_account (text INTEGER PRIMARY KEY NOT NULL REFERENCES text(id));
        -- The lines with their texts, for reading with sqlite3.
        CREATE VIEW line_text AS SELECT l.position, l.source, l.first_row, l.count, l.summed, l.period,
            ua.value AS usage_account, pa.value AS payer_account, lt.value AS line_item_type,
            cc.value AS charge_category, sv.value AS service, ut.value AS usage_type, op.value AS operation,
            be.value AS billing_entity, cu.value AS currency, co.value AS commitment_owner, l.public_cost,
            l.actual_cost, l.quantity, l.quantity_magnitude
            FROM line l JOIN text ua ON ua.id = l.usage_account LEFT JOIN text pa ON pa.id = l.payer_account
            JOIN text lt ON lt.id = l.line_item_type LEFT JOIN text cc ON cc.id = l.charge_category
            JOIN text sv ON sv.id = l.service JOIN text ut ON ut.id = l.usage_type JOIN text op ON op.id = l.operation
            JOIN text be ON be.id = l.billing_entity JOIN text cu ON cu.id = l.currency
            JOIN text co ON co.id = l.commitment_owner;
        """

    /// Writes `digest` as `<hash>.sqlite` in `folder` (created if missing), whole: to a temporary file renamed
    /// into place. Returns the file.
    @discardableResult
    public static func write(_ digest: UsageDigest, in folder: URL) throws(DigestError) -> URL {
        try write(digest, lineCount: digest.lines.count, line: { digest.lines[$0] }, in: folder)
    }

    /// Writes `digest` with the `lineCount` lines `line(0)`, `line(1)`, … instead of its own (which it need not
    /// hold): the lines are made one at a time, twice (their texts first).
    @discardableResult
    public static func write(
        _ digest: UsageDigest, lineCount: Int, line makeLine: (Int) -> DigestLine, in folder: URL
    ) throws(DigestError) -> URL {
        let target = file(hash: digest.hash, in: folder)
        let temporary = folder.appendingPathComponent(".\(digest.hash).\(getpid()).tmp")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try? FileManager.default.removeItem(at: temporary)
            let queue = try DatabaseQueue(path: temporary.path)
            try queue.write { db in
                try db.execute(sql: schema)
                var pairs: [(String, String)] = [
                    ("format", String(formatVersion)), ("hash", digest.hash),
                    ("skip_invalid_rows", digest.skipInvalidRows ? "1" : "0"), ("rows_read", String(digest.rowsRead)),
                    ("rows_skipped", String(digest.rowsSkipped)), ("lines", String(lineCount)),
                ]
                for (code, name) in digest.serviceNames.sorted(by: { $0.key < $1.key }) {
                    pairs.append((serviceNamePrefix + code, name))
                }
                for (key, value) in pairs {
                    try db.execute(sql: "INSERT INTO digest (key, value) VALUES (?, ?)", arguments: [key, value])
                }
                try insertSources(digest.sources, db)
                let reading = digest.readingWarnings.map { ("warning", $0) } + digest.readingNotes.map { ("note", $0) }
                for (position, (kind, text)) in reading.enumerated() {
                    try db.execute(
                        sql: "INSERT INTO reading (position, kind, text) VALUES (?, ?, ?)",
                        arguments: [position, kind, text])
                }
                let insert = try db.makeStatement(
                    sql: """
                        INSERT INTO line (position, source, first_row, count, summed, period, usage_account, payer_account,
                        line_item_type, line_item_type_other, charge_category, service, usage_type, operation,
                        billing_entity, currency, commitment_owner, public_cost, actual_cost, quantity,
                        quantity_magnitude) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """)
                var texts: [String: Int] = [:]
                func id(_ text: String) -> Int {
                    if let known = texts[text] { return known }
                    texts[text] = texts.count
                    return texts.count - 1
                }
                // The texts first, which the lines refer to; the periods and usage accounts on the way.
                var periods = Set<BillingPeriod>()
                var accounts = Set<String>()
                for position in 0..<lineCount {
                    let line = makeLine(position).line
                    periods.insert(line.period)
                    accounts.insert(line.usageAccountID)
                    for text in [
                        line.usageAccountID, line.payerAccountID, line.lineItemType.rawValue, line.chargeCategory,
                        line.serviceCode, line.usageType, line.operation, line.billingEntity, line.currency,
                        line.commitmentOwnerAccountID,
                    ] {
                        if let text { _ = id(text) }
                    }
                }
                for (text, id) in texts.sorted(by: { $0.value < $1.value }) {
                    try db.execute(sql: "INSERT INTO text (id, value) VALUES (?, ?)", arguments: [id, text])
                }
                try db.execute(
                    sql: "INSERT INTO digest (key, value) VALUES ('periods', ?)",
                    arguments: [periods.sorted().map(\.description).joined(separator: ",")])
                for position in 0..<lineCount {
                    let entry = makeLine(position)
                    let line = entry.line
                    var isOther = false
                    if case .other = line.lineItemType { isOther = true }
                    let values: [(any DatabaseValueConvertible)?] = [
                        position, entry.input, line.row, entry.count, entry.summed ? 1 : 0, line.period.description,
                        id(line.usageAccountID), line.payerAccountID.map(id), id(line.lineItemType.rawValue),
                        isOther ? 1 : 0, line.chargeCategory.map(id), id(line.serviceCode), id(line.usageType),
                        id(line.operation), id(line.billingEntity), id(line.currency),
                        id(line.commitmentOwnerAccountID),
                        line.publicOnDemandCost?.description, line.actualCost.description,
                        line.usageAmount?.description, entry.quantityMagnitude.description,
                    ]
                    try insert.execute(arguments: StatementArguments(values))
                }
                for account in accounts.map(id).sorted() {
                    try db.execute(sql: "INSERT INTO usage_account (text) VALUES (?)", arguments: [account])
                }
                try db.execute(sql: "CREATE INDEX line_by_account ON line (usage_account)")
            }
            try queue.close()
            guard rename(temporary.path, target.path) == 0 else {
                throw DigestError(String(cString: strerror(errno)))
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw DigestError(
                "\(target.path): the digest could not be written: \(error)",
                hint: "check that the folder can be written")
        }
        return target
    }

    static func insertSources(_ sources: [DigestSource], _ db: Database) throws {
        for (position, source) in sources.enumerated() {
            try db.execute(
                sql: "INSERT INTO source (position, path, name, size, modified_ns, sha256) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [
                    position, source.stamp.path, source.name, source.stamp.size, source.stamp.modified, source.sha256,
                ])
        }
    }

    /// Records new stamps and names for the digest's sources (the same bytes, found again elsewhere or touched),
    /// so that the digest serves them without being made again.
    public static func restamp(_ url: URL, sources: [DigestSource]) throws(DigestError) {
        do {
            let queue = try DatabaseQueue(path: url.path)
            try queue.write { db in
                let stored = try String.fetchAll(db, sql: "SELECT sha256 FROM source ORDER BY position")
                guard stored == sources.map(\.sha256) else { throw DigestError("its sources differ") }
                for (position, source) in sources.enumerated() {
                    try db.execute(
                        sql: "UPDATE source SET path = ?, name = ?, size = ?, modified_ns = ? WHERE position = ?",
                        arguments: [source.stamp.path, source.name, source.stamp.size, source.stamp.modified, position])
                }
            }
            try queue.close()
        } catch {
            throw DigestError("\(url.path): the digest could not be updated: \(error)")
        }
    }

    /// Opens a digest to read it, refusing anything that is not one.
    static func open(_ url: URL) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.readonly = true
        return try DatabaseQueue(path: url.path, configuration: configuration)
    }

    static func header(_ db: Database, hash: String) throws -> DigestHeader {
        var values: [String: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT key, value FROM digest") {
            values[row[0]] = row[1]
        }
        guard values["format"] == String(formatVersion) else {
            throw DigestError("written in another layout (\(values["format"] ?? "none")) than \(formatVersion)")
        }
        guard values["hash"] == hash, let skip = values["skip_invalid_rows"],
            let rowsRead = Int(values["rows_read"] ?? ""),
            let rowsSkipped = Int(values["rows_skipped"] ?? ""), let lineCount = Int(values["lines"] ?? ""),
            let periodList = values["periods"]
        else { throw DigestError("its header is incomplete or names another hash") }
        var periods: [BillingPeriod] = []
        for text in periodList.split(separator: ",") {
            guard let period = BillingPeriod(String(text)) else { throw DigestError("its header names no period") }
            periods.append(period)
        }
        let sources = try Row.fetchAll(
            db, sql: "SELECT path, name, size, modified_ns, sha256 FROM source ORDER BY position"
        ).map { row in
            DigestSource(
                stamp: FileStamp(path: row[0], size: row[2], modified: row[3]), name: row[1], sha256: row[4])
        }
        var serviceNames: [String: String] = [:]
        for (key, value) in values where key.hasPrefix(serviceNamePrefix) {
            serviceNames[String(key.dropFirst(serviceNamePrefix.count))] = value
        }
        return DigestHeader(
            hash: hash, sources: sources, skipInvalidRows: skip == "1", rowsRead: rowsRead, rowsSkipped: rowsSkipped,
            lineCount: lineCount, serviceNames: serviceNames, periods: periods)
    }

    /// The keys of the `digest` table that hold a service code's product name: `service_name:CODE`.
    static let serviceNamePrefix = "service_name:"

    /// The header of the digest at `url`.
    public static func header(at url: URL) throws(DigestError) -> DigestHeader {
        let hash = url.deletingPathExtension().lastPathComponent
        do {
            let queue = try open(url)
            defer { try? queue.close() }
            return try queue.read { db in try header(db, hash: hash) }
        } catch let error as DigestError {
            throw DigestError("\(url.path) is not a usable digest: \(error.message)", hint: rewriteHint)
        } catch {
            throw DigestError("\(url.path) is not a usable digest: \(error)", hint: rewriteHint)
        }
    }

    static let rewriteHint = "`proforma usage import` writes it again; the folder .proforma/digests may be removed"

    /// Reads the digest at `url` whole.
    public static func read(at url: URL) throws(DigestError) -> UsageDigest {
        var lines: [DigestLine] = []
        do {
            var digest = try scan(at: url) { (batch: [DigestLine]) throws(DigestError) in lines += batch }
            digest.lines = lines
            return digest
        } catch let error as DigestError {
            throw error
        } catch {
            throw DigestError("\(url.path) is not a usable digest: \(error)", hint: rewriteHint)
        }
    }

    /// Reads the digest at `url`, handing its lines to `body` in order, `batchSize` at a time; returns the digest
    /// without its lines. With `accounts`, only the lines of the usage accounts it accepts are read (through an
    /// index: the others cost nothing). Throws what `body` throws, as it is.
    public static func scan<Failure: Error>(
        at url: URL, accounts: ((String) -> Bool)? = nil, batchSize: Int = 16_384,
        _ body: ([DigestLine]) throws(Failure) -> Void
    ) throws -> UsageDigest {
        let hash = url.deletingPathExtension().lastPathComponent
        var bodyFailure: Failure?
        let digest: UsageDigest
        do {
            let queue = try open(url)
            defer { try? queue.close() }
            digest = try queue.read { db in
                try scan(db, hash: hash, accounts: accounts, batchSize: batchSize) { batch in
                    do throws(Failure) {
                        try body(batch)
                    } catch {
                        bodyFailure = error
                        throw StopScan()
                    }
                }
            }
        } catch is StopScan {
            throw bodyFailure!
        } catch let error as DigestError {
            throw DigestError("\(url.path) is not a usable digest: \(error.message)", hint: rewriteHint)
        } catch {
            throw DigestError("\(url.path) is not a usable digest: \(error)", hint: rewriteHint)
        }
        return digest
    }

    struct StopScan: Error {}

    static func scan(
        _ db: Database, hash: String, accounts: ((String) -> Bool)?, batchSize: Int,
        _ body: ([DigestLine]) throws -> Void
    ) throws -> UsageDigest {
        let header = try header(db, hash: hash)
        var warnings: [String] = []
        var notes: [String] = []
        for row in try Row.fetchAll(db, sql: "SELECT kind, text FROM reading ORDER BY position") {
            let kind: String = row[0]
            if kind == "warning" { warnings.append(row[1]) } else { notes.append(row[1]) }
        }
        var batch: [DigestLine] = []
        batch.reserveCapacity(batchSize)
        var position = 0
        let texts = try String.fetchAll(db, sql: "SELECT value FROM text ORDER BY id")
        guard try Int.fetchOne(db, sql: "SELECT COALESCE(MAX(id), -1) FROM text") == texts.count - 1 else {
            throw DigestError("its texts are not numbered in order")
        }
        var selection = ""
        if let accounts {
            var chosen: [Int] = []
            for id in try Int.fetchAll(db, sql: "SELECT text FROM usage_account ORDER BY text") {
                guard id >= 0, id < texts.count else { throw DigestError("a usage account names no text") }
                if accounts(texts[id]) { chosen.append(id) }
            }
            selection = "WHERE usage_account IN (\(chosen.map(String.init).joined(separator: ",")))"
        }
        let cursor = try Row.fetchCursor(
            db,
            sql: """
                SELECT source, first_row, count, period, usage_account, payer_account, line_item_type,
                line_item_type_other, charge_category, service, usage_type, operation, billing_entity, currency,
                commitment_owner, public_cost, actual_cost, quantity, quantity_magnitude, summed FROM line
                \(selection) ORDER BY position
                """)
        var types: [Int: LineItemType] = [:]
        var periods: [String: BillingPeriod] = [:]
        while let row = try cursor.next() {
            func text(_ column: Int) throws -> String {
                let id: Int = row[column]
                guard id >= 0, id < texts.count else { throw DigestError("line \(position) names no text") }
                return texts[id]
            }
            func decimal(_ column: Int) throws -> ExactDecimal? {
                try row.withUnsafeData(atIndex: column) { data -> ExactDecimal? in
                    guard let data else { return nil }
                    let value = data.withUnsafeBytes { ExactDecimal.parse($0.bindMemory(to: UInt8.self)) }
                    guard let value else {
                        throw DigestError(
                            "line \(position) holds \"\(String(decoding: data, as: UTF8.self))\" where an exact decimal belongs"
                        )
                    }
                    return value
                }
            }
            let input: Int = row[0]
            let count: Int = row[2]
            let periodText: String = row[3]
            let period: BillingPeriod
            if let known = periods[periodText] {
                period = known
            } else if let parsed = BillingPeriod(periodText) {
                period = parsed
                periods[periodText] = parsed
            } else {
                throw DigestError("line \(position) is not a digest line")
            }
            guard input >= 0, input < header.sources.count, count > 0, let actual = try decimal(16),
                let magnitude = try decimal(18)
            else { throw DigestError("line \(position) is not a digest line") }
            let typeID: Int = row[6]
            let isOther: Bool = row[7]
            let type: LineItemType
            if isOther {
                type = .other(try text(6))
            } else if let known = types[typeID] {
                type = known
            } else {
                type = LineItemType(rawValue: try text(6))
                types[typeID] = type
            }
            let hasPayer = !row.hasNull(atIndex: 5)
            let hasCategory = !row.hasNull(atIndex: 8)
            let line = UsageLine(
                row: row[1], period: period, usageAccountID: try text(4), payerAccountID: hasPayer ? try text(5) : nil,
                lineItemType: type, chargeCategory: hasCategory ? try text(8) : nil, serviceCode: try text(9),
                usageType: try text(10), operation: try text(11), billingEntity: try text(12),
                publicOnDemandCost: try decimal(15), actualCost: actual, usageAmount: try decimal(17),
                currency: try text(13), commitmentOwnerAccountID: try text(14))
            batch.append(
                DigestLine(line: line, input: input, count: count, summed: row[19], quantityMagnitude: magnitude))
            position += 1
            if batch.count >= batchSize {
                try body(batch)
                batch.removeAll(keepingCapacity: true)
            }
        }
        guard position == header.lineCount || accounts != nil else {
            throw DigestError("it holds \(position) lines where its header says \(header.lineCount)")
        }
        if !batch.isEmpty { try body(batch) }
        return UsageDigest(
            hash: hash, sources: header.sources, skipInvalidRows: header.skipInvalidRows, rowsRead: header.rowsRead,
            rowsSkipped: header.rowsSkipped, readingWarnings: warnings, readingNotes: notes, lines: [],
            serviceNames: header.serviceNames)
    }

    /// A digest in `folder` that stands for `stamps` read with `skipInvalidRows`, with what was found unusable on
    /// the way (one line each: such a digest is passed over, never trusted).
    public static func find(_ stamps: [FileStamp], skipInvalidRows: Bool, in folder: URL) -> (
        header: DigestHeader?, url: URL?, problems: [DigestError]
    ) {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        } catch {
            return (nil, nil, [])
        }
        var problems: [DigestError] = []
        for name in names.sorted() where name.hasSuffix(".sqlite") && !name.hasPrefix(".") {
            let url = folder.appendingPathComponent(name)
            do {
                let header = try header(at: url)
                if header.matches(stamps, skipInvalidRows: skipInvalidRows) { return (header, url, problems) }
            } catch {
                problems.append(error)
            }
        }
        return (nil, nil, problems)
    }
}

import Foundation
import ProformaCore
import ProformaUsage

/// Why a digest cannot be written or read: one line naming the file, with a hint where it helps.
public struct DigestError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var hint: String?
    public var description: String { message }

    public init(_ message: String, hint: String? = nil) {
        self.message = message
        self.hint = hint
    }
}

/// What identifies a usage file on disk without reading it: its real path, size and modification time.
public struct FileStamp: Sendable, Hashable {
    /// The absolute path, symbolic links resolved.
    public var path: String
    public var size: Int64
    /// Nanoseconds since 1970.
    public var modified: Int64

    public init(path: String, size: Int64, modified: Int64) {
        self.path = path
        self.size = size
        self.modified = modified
    }

    /// The stamp of the regular file at `path`; nil when there is none (standard input, a pipe, a missing file).
    public static func of(path: String) -> FileStamp? {
        guard let real = realpath(path, nil) else { return nil }
        defer { free(real) }
        var info = stat()
        guard stat(real, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        let modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        return FileStamp(path: String(cString: real), size: Int64(info.st_size), modified: modified)
    }
}

/// One usage file a digest was made from.
public struct DigestSource: Sendable, Hashable {
    public var stamp: FileStamp
    /// The name it was given (`--usage` or the project's `usage:` list).
    public var name: String
    /// SHA-256 of its bytes as stored (compressed, if it is).
    public var sha256: String

    public init(stamp: FileStamp, name: String, sha256: String) {
        self.stamp = stamp
        self.name = name
        self.sha256 = sha256
    }
}

/// Usage data aggregated over every value the pricing engine reads, with what its reading had to say.
public struct UsageDigest: Sendable {
    /// The content hash of the sources, the digest's file name.
    public var hash: String
    public var sources: [DigestSource]
    /// Whether rows that could not be read were skipped (`--skip-invalid-rows`).
    public var skipInvalidRows: Bool
    public var rowsRead: Int
    public var rowsSkipped: Int
    /// What the reading warned of (rows skipped) and noted (values rounded), as reading the data says it.
    public var readingWarnings: [String]
    public var readingNotes: [String]
    public var lines: [DigestLine]
    /// The product name of each service code, as the data names it (`UsageScanSummary.serviceNames`).
    public var serviceNames: [String: String]

    public init(
        hash: String, sources: [DigestSource], skipInvalidRows: Bool, rowsRead: Int, rowsSkipped: Int,
        readingWarnings: [String], readingNotes: [String], lines: [DigestLine], serviceNames: [String: String] = [:]
    ) {
        self.hash = hash
        self.sources = sources
        self.skipInvalidRows = skipInvalidRows
        self.rowsRead = rowsRead
        self.rowsSkipped = rowsSkipped
        self.readingWarnings = readingWarnings
        self.readingNotes = readingNotes
        self.lines = lines
        self.serviceNames = serviceNames
    }

    /// The content hash of a digest of files with these SHA-256 hashes, read with or without skipping rows.
    public static func hash(sources: [String], skipInvalidRows: Bool) -> String {
        var hasher = SHA256()
        hasher.update("proforma usage digest \(DigestStore.formatVersion)\n")
        hasher.update("skip-invalid-rows: \(skipInvalidRows)\n")
        for source in sources { hasher.update(source + "\n") }
        return hasher.finalizeHex()
    }

    /// The SHA-256 of the bytes of the file at `path`, as stored.
    public static func sha256(ofFileAt path: String) throws(DigestError) -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw DigestError("\(path): cannot be read")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        while true {
            let data: Data?
            do {
                data = try handle.read(upToCount: 1 << 20)
            } catch {
                throw DigestError("\(path): cannot be read: \(error.localizedDescription)")
            }
            guard let data, !data.isEmpty else { break }
            hasher.update(data)
        }
        return hasher.finalizeHex()
    }
}

/// The digest header: what is needed to tell whether a digest matches the usage files, read without its lines.
public struct DigestHeader: Sendable, Hashable {
    public var hash: String
    public var sources: [DigestSource]
    public var skipInvalidRows: Bool
    public var rowsRead: Int
    public var rowsSkipped: Int
    public var lineCount: Int
    /// The product name of each service code, as the data names it.
    public var serviceNames: [String: String] = [:]
    /// The billing periods of the lines, in order.
    public var periods: [BillingPeriod]

    /// Whether the digest stands for `stamps` (the same files in the same order, each of the same size and
    /// modification time) read with `skipInvalidRows`: a digest made skipping no row serves both ways.
    public func matches(_ stamps: [FileStamp], skipInvalidRows: Bool) -> Bool {
        sources.map(\.stamp) == stamps && (self.skipInvalidRows == skipInvalidRows || rowsSkipped == 0)
    }
}

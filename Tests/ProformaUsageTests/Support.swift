import Foundation
import ProformaTestSupport
import ProformaUsage
import Testing

/// Temporary files for the tests, and gzip through the system's `gzip`.
enum Scratch {
    /// A new empty directory under the system's temporary directory.
    static func directory() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("proforma-usage-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes `bytes` to a new file named `name` in a new temporary directory; returns its path. Remove it with
    /// `remove(_:)`.
    static func file(_ name: String, bytes: [UInt8]) throws -> String {
        let url = try directory().appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    static func file(_ name: String, _ text: String) throws -> String {
        try file(name, bytes: Array(text.utf8))
    }

    /// Removes a file made by `file` and its directory.
    static func remove(_ path: String) {
        try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path)
    }

    /// Compresses `bytes` with /bin/gzip (or /usr/bin/gzip).
    static func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
        let input = try file("data", bytes: bytes)
        defer { remove(input) }
        let process = Process()
        let gzip = ["/bin/gzip", "/usr/bin/gzip"].first { FileManager.default.isExecutableFile(atPath: $0) }
        process.executableURL = URL(fileURLWithPath: try #require(gzip, "no gzip program found"))
        process.arguments = ["-c", "-n", input]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return Array(output)
    }
}

/// The real samples kept as fixtures in the repository.
enum Samples {
    static var folder: URL { TestSupport.samples }

    static func path(_ name: String) -> String {
        TestSupport.sample(name)
    }
}

extension CSVReader {
    /// Every record with its line, read to the end.
    func readAll() throws(UsageError) -> [(line: Int, fields: [String])] {
        var records: [(line: Int, fields: [String])] = []
        while try next() { records.append((line, fields)) }
        return records
    }
}

/// Reads every line of a usage file held in memory.
func readLines(_ text: String, name: String = "test.csv", options: UsageReadOptions = .init()) throws(UsageError)
    -> (lines: [UsageLine], summary: UsageReadSummary)
{
    let reader = try UsageReader(bytes: Array(text.utf8), name: name, options: options)
    var lines: [UsageLine] = []
    while let line = try reader.next() { lines.append(line) }
    return (lines, reader.summary)
}

/// The error a throwing expression throws, or nil.
func usageError<T>(_ body: () throws(UsageError) -> T) -> UsageError? {
    do {
        _ = try body()
        return nil
    } catch {
        return error
    }
}

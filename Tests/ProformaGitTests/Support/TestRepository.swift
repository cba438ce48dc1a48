import Foundation
import ProformaGit

struct CommandFailure: Error, CustomStringConvertible {
    var description: String
}

/// A directory under the system's temporary directory, removed with everything in it when released.
final class TemporaryDirectory {
    /// Absolute, with symbolic links resolved, so it compares equal to what libgit2 reports.
    let path: String

    init() throws {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("proforma-git-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        path = url.resolvingSymlinksInPath().path
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    func subpath(_ name: String) -> String { path + "/" + name }
}

/// Runs the `git` command-line tool in `directory` with a clean configuration and returns its standard output,
/// trimmed. Throws when git fails.
@discardableResult
func runGit(
    _ arguments: [String], in directory: String, environment extra: [String: String] = [:], input: String? = nil
) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["git"] + arguments
    process.currentDirectoryURL = URL(fileURLWithPath: directory)
    var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("GIT_") }
    environment["GIT_CONFIG_NOSYSTEM"] = "1"
    environment["GIT_CONFIG_GLOBAL"] = "/dev/null"
    environment["GIT_TERMINAL_PROMPT"] = "0"
    environment["LC_ALL"] = "C"
    environment.merge(extra) { _, new in new }
    process.environment = environment

    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    var inputFile: String?
    if let input {
        let path = NSTemporaryDirectory() + "proforma-git-input-\(UUID().uuidString)"
        try Data(input.utf8).write(to: URL(fileURLWithPath: path))
        process.standardInput = FileHandle(forReadingAtPath: path)
        inputFile = path
    }
    defer { if let inputFile { try? FileManager.default.removeItem(atPath: inputFile) } }
    try process.run()
    let outputData = output.fileHandleForReading.readDataToEndOfFile()
    let errorData = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw CommandFailure(
            description: "git \(arguments.joined(separator: " ")) failed with status \(process.terminationStatus): "
                + String(decoding: errorData, as: UTF8.self))
    }
    return String(decoding: outputData, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
}

/// A real git repository in a temporary directory, built with the git command-line tool.
final class TestRepository {
    let temporary: TemporaryDirectory
    /// The working directory (or the repository itself when bare).
    let root: String
    /// Commit dates: each commit is one minute after the previous one, so the order of a log is known.
    private(set) var clock: Int = 1_700_000_000

    /// Creates a repository whose initial branch is `main`.
    init(name: String = "repo", in temporary: TemporaryDirectory? = nil, bare: Bool = false) throws {
        self.temporary = try temporary ?? TemporaryDirectory()
        root = self.temporary.subpath(name)
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try runGit(["init", "--quiet", "--initial-branch=main"] + (bare ? ["--bare"] : []), in: root)
        try Self.configure(root)
    }

    /// Wraps a repository created some other way (a clone), in the same temporary directory.
    init(existing root: String, in temporary: TemporaryDirectory) throws {
        self.temporary = temporary
        self.root = root
        try Self.configure(root)
    }

    private static func configure(_ root: String) throws {
        try runGit(["config", "user.name", "Ada Lovelace"], in: root)
        try runGit(["config", "user.email", "ada@example.com"], in: root)
        try runGit(["config", "commit.gpgsign", "false"], in: root)
        try runGit(["config", "tag.gpgsign", "false"], in: root)
    }

    @discardableResult
    func git(_ arguments: String..., environment: [String: String] = [:], input: String? = nil) throws -> String {
        try runGit(arguments, in: root, environment: environment, input: input)
    }

    func path(_ relative: String) -> String { root + "/" + relative }

    func write(_ relative: String, _ text: String) throws {
        let url = URL(fileURLWithPath: path(relative))
        try FileManager.default.createDirectory(
            at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    func remove(_ relative: String) throws {
        try FileManager.default.removeItem(atPath: path(relative))
    }

    func makeDirectory(_ relative: String) throws {
        try FileManager.default.createDirectory(atPath: path(relative), withIntermediateDirectories: true)
    }

    func symlink(_ relative: String, to target: String) throws {
        let url = URL(fileURLWithPath: path(relative))
        try FileManager.default.createDirectory(
            at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: url.path, withDestinationPath: target)
    }

    /// The dates git should record for the next commit, one minute after the last.
    func nextDates(offset: String = "+0000") -> [String: String] {
        clock += 60
        let date = "@\(clock) \(offset)"
        return ["GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date]
    }

    /// Stages everything and commits it; returns the new commit's full id.
    @discardableResult
    func commit(_ message: String, offset: String = "+0000", allowEmpty: Bool = false) throws -> String {
        try git("add", "--all")
        var arguments = ["commit", "--quiet", "--message", message]
        if allowEmpty { arguments.append("--allow-empty") }
        try runGit(arguments, in: root, environment: nextDates(offset: offset))
        return try git("rev-parse", "HEAD")
    }

    func revParse(_ revision: String) throws -> String {
        try git("rev-parse", "--verify", "--quiet", revision + "^{commit}")
    }

    func open(from relative: String? = nil) throws -> GitRepository {
        try GitRepository(discoveringFrom: relative.map(path) ?? root, ceilingDirectories: [temporary.path])
    }
}

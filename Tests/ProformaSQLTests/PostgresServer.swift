import Foundation
import ProformaTestSupport

/// A PostgreSQL server of its own in a temporary folder, listening on a Unix socket only, stopped by `stop()`.
/// Started as the `postgres` user when the tests run as root (PostgreSQL refuses to run as root).
final class PostgresServer {
    let folder: URL
    let socketFolder: String
    let port: Int
    let psql: String
    let bin: String
    private let user: String?

    /// The folder of PostgreSQL's programs (Debian's `postgresql` package), or nil when it is not installed.
    static let binaries: String? = {
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [])
            .compactMap(Int.init).sorted(by: >)
        for version in versions {
            let bin = "\(root)/\(version)/bin"
            if ["initdb", "pg_ctl", "psql"].allSatisfy({ FileManager.default.isExecutableFile(atPath: "\(bin)/\($0)") })
            {
                return bin
            }
        }
        return nil
    }()

    static var unavailableReason: String? {
        guard binaries != nil else {
            return "PostgreSQL is not installed (make deps installs Debian's postgresql)"
        }
        guard SQLHarness.hasDuckDB else { return "python3 with duckdb is not installed (make deps)" }
        if getuid() == 0 && getpwnam("postgres") == nil {
            return "running as root without a postgres user to run the server as"
        }
        return nil
    }

    init() throws {
        guard let bin = Self.binaries else { throw TestFailure("PostgreSQL is not installed") }
        self.bin = bin
        psql = "\(bin)/psql"
        folder = try TestSupport.temporaryDirectory()
        socketFolder = folder.appendingPathComponent("socket").path
        port = 40000 + Int(getpid() % 20000)
        user = getuid() == 0 ? "postgres" : nil
        let data = folder.appendingPathComponent("data").path
        try FileManager.default.createDirectory(atPath: socketFolder, withIntermediateDirectories: true)
        if let user, let entry = getpwnam(user) {
            for path in [folder.path, socketFolder] {
                chown(path, entry.pointee.pw_uid, entry.pointee.pw_gid)
                chmod(path, 0o755)
            }
        }
        try runAsServer([
            "\(bin)/initdb", "-D", data, "-U", "postgres", "--auth=trust", "--locale=C", "--encoding=UTF8", "-N",
        ])
        try runAsServer([
            "\(bin)/pg_ctl", "-D", data, "-w", "-s", "-l", folder.appendingPathComponent("log").path, "-o",
            "-k \(socketFolder) -p \(port) -c listen_addresses= -c fsync=off", "start",
        ])
    }

    /// Runs a server program and waits for it (with `waitpid`: the server it starts inherits descriptors that
    /// Foundation's `Process` would wait on); its output goes to a file.
    private func runAsServer(_ arguments: [String]) throws {
        let command = (user.map { ["runuser", "-u", $0, "--"] } ?? []) + arguments
        let output = folder.appendingPathComponent("output-\(UUID().uuidString)").path
        var actions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = (["/usr/bin/env"] + command).map { strdup($0) } + [nil]
        defer { for argument in argv { free(argument) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/usr/bin/env", &actions, nil, argv, environ)
        guard spawned == 0 else { throw TestFailure("cannot run \(arguments[0]): error \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        guard status == 0 else {
            let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
            throw TestFailure("\(arguments[0]) failed (\(status)): \(text)")
        }
    }

    func stop() {
        try? runAsServer([
            "\(bin)/pg_ctl", "-D", folder.appendingPathComponent("data").path, "-s", "-m", "immediate", "stop",
        ])
        try? FileManager.default.removeItem(at: folder)
    }
}

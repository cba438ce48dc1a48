import Foundation
import ProformaTestSupport
import Testing

/// Standard output and error that cannot be written end the command with one line and exit 74, never a trap.
@Suite struct StandardStreamTests {
    let binary: URL

    init() throws {
        binary = try #require(TestSupport.proformaBinary)
    }

    /// Runs `script` with `sh -c`, `$0` being the proforma binary, in `directory`.
    func shell(_ script: String, in directory: URL) throws -> CommandResult {
        try TestSupport.run(URL(fileURLWithPath: "/bin/sh"), ["-c", script, binary.path], in: directory)
    }

    func scaffold() throws -> URL {
        let directory = try TestSupport.temporaryDirectory()
        #expect(try TestSupport.run(binary, ["init", directory.path]).status == 0)
        return directory
    }

    @Test func aFullStandardOutput() throws {
        let directory = try scaffold()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try shell("\"$0\" validate > /dev/full", in: directory)
        #expect(result.status == 74)
        #expect(result.stderr == "proforma: error: cannot write to standard output: no space left on device\n")
        let help = try shell("\"$0\" --help > /dev/full", in: directory)
        #expect(help.status == 74)
        #expect(help.stderr == "proforma: error: cannot write to standard output: no space left on device\n")
    }

    @Test func aClosedStandardOutput() throws {
        let directory = try scaffold()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try shell("\"$0\" validate >&-", in: directory)
        #expect(result.status == 74)
        #expect(result.stderr == "proforma: error: cannot write to standard output: it is closed\n")
        // Nothing else is written where standard output would be: no file opened later takes its place.
        #expect(try shell("\"$0\" validate >&- 2>&-", in: directory).status == 74)
    }

    @Test func aFullStandardErrorWithAWorkingOutput() throws {
        let directory = try scaffold()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try shell("\"$0\" schema --output schemas 2> /dev/full", in: directory)
        #expect(result.status == 74)
        #expect(result.stderr.isEmpty)
    }

    /// `| head -c1`: the reader goes away after one byte, while more than a pipe's buffer is still to come.
    @Test func aPipeClosedEarly() throws {
        let directory = try scaffold()
        defer { try? FileManager.default.removeItem(at: directory) }
        // Enough problems for well over a pipe's 64 KiB of output (JSON lists them all; text shows the first 200).
        let plans = (0..<2000).map { "kind: PricingPlan\nname: spare-\($0)\npricing_rules: [missing-\($0)]\n" }
        try plans.joined(separator: "---\n").write(
            to: directory.appendingPathComponent("pricing/spare.yaml"), atomically: true, encoding: .utf8)
        let result = try shell("{ \"$0\" validate --format json; echo \"status $?\" >&2; } | head -c1", in: directory)
        #expect(result.stdout.count == 1)
        #expect(
            result.stderr
                == "proforma: error: cannot write to standard output: the reading end was closed (broken pipe)\nstatus 74\n"
        )
    }
}

import Foundation
import ProformaTestSupport
import Testing

/// `apply`, `status` and `state` against real temporary repositories, running the built binary.
@Suite struct StateCommandsTests {
    let binary: URL

    init() throws {
        binary = try #require(TestSupport.proformaBinary)
    }

    func proforma(_ arguments: String..., in directory: URL, environment: [String: String] = [:]) throws
        -> CommandResult
    {
        try TestSupport.run(binary, arguments, in: directory, environment: environment)
    }

    /// The billing period the clock is in, UTC, and the one before.
    static var currentPeriod: (current: String, previous: String) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month], from: Date())
        let (year, month) = (parts.year!, parts.month!)
        let previous = month == 1 ? (year - 1, 12) : (year, month - 1)
        func text(_ year: Int, _ month: Int) -> String { "\(year)-\(month < 10 ? "0" : "")\(month)" }
        return (text(year, month), text(previous.0, previous.1))
    }

    /// A scaffolded configuration, committed on main.
    func repository() throws -> URL {
        let directory = try TestSupport.temporaryDirectory()
        #expect(try TestSupport.run(binary, ["init", "--no-git", directory.path]).status == 0)
        try TestSupport.git(["init", "-q", "-b", "main"], in: directory)
        try TestSupport.git(["config", "user.name", "Ada Lovelace"], in: directory)
        try TestSupport.git(["config", "user.email", "ada@example.com"], in: directory)
        try TestSupport.git(["add", "-A"], in: directory)
        try TestSupport.git(["commit", "-qm", "Initial configuration"], in: directory)
        return directory
    }

    func edit(_ directory: URL, _ path: String, _ old: String, _ new: String) throws {
        let url = directory.appendingPathComponent(path)
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(text.contains(old), "\(path) has no \(old)")
        try text.replacingOccurrences(of: old, with: new).write(to: url, atomically: true, encoding: .utf8)
    }

    func commit(_ directory: URL, _ message: String) throws {
        try TestSupport.git(["commit", "-qam", message], in: directory)
    }

    func markup(_ directory: URL, _ value: String) throws {
        let url = directory.appendingPathComponent("pricing/standard.yaml")
        let text = try String(contentsOf: url, encoding: .utf8)
        let changed = text.replacingOccurrences(
            of: #"modifier_percentage: [0-9.]+"#, with: "modifier_percentage: \(value)", options: .regularExpression)
        try changed.write(to: url, atomically: true, encoding: .utf8)
    }

    func history(_ directory: URL) throws -> [[String: Any]] {
        let result = try proforma("state", "history", "--format", "json", in: directory)
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        return try #require(object["applies"] as? [[String: Any]])
    }

    func serial(_ directory: URL) throws -> Int {
        try history(directory).first?["serial"] as? Int ?? 0
    }

    /// The error line and hint of a failed command: one line each, no internal error.
    func expectOneLineError(
        _ result: CommandResult, containing text: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(result.status == 1, "\(result.stderr)", sourceLocation: sourceLocation)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.first?.hasPrefix("proforma: error: ") == true, "\(result.stderr)", sourceLocation: sourceLocation)
        #expect(lines.first?.contains(text) == true, "\(result.stderr)", sourceLocation: sourceLocation)
        #expect(
            lines.count <= 2 && lines.dropFirst().allSatisfy { $0.hasPrefix("hint: ") }, "\(result.stderr)",
            sourceLocation: sourceLocation)
        #expect(!result.stderr.contains("internal error"), sourceLocation: sourceLocation)
    }

    @Test func initIgnoresTheStateFolder() throws {
        let directory = try repository()
        defer { try? FileManager.default.removeItem(at: directory) }
        let ignore = try String(contentsOf: directory.appendingPathComponent(".gitignore"), encoding: .utf8)
        #expect(ignore.split(separator: "\n").contains(".proforma/"))
        #expect(try proforma("apply", "--yes", in: directory).status == 0)
        #expect(try TestSupport.git(["status", "--porcelain"], in: directory) == "")
    }

    @Test func applyAsksRecordsAndSaysWhenNothingChanged() throws {
        let directory = try repository()
        defer { try? FileManager.default.removeItem(at: directory) }
        let head = try TestSupport.git(["rev-parse", "HEAD"], in: directory).trimmingCharacters(
            in: .whitespacesAndNewlines)

        let unconfirmed = try proforma("apply", in: directory)
        #expect(unconfirmed.stdout.contains("Plan from nothing applied to HEAD"))
        #expect(unconfirmed.stdout.contains("+ PricingRule/global-markup-10"))
        expectOneLineError(
            unconfirmed, containing: "not applied: confirmation is needed and standard input is not a terminal")
        #expect(try proforma("state", "history", in: directory).stdout == "Nothing has been applied yet.\n")

        let applied = try proforma("apply", "--yes", in: directory)
        #expect(applied.status == 0, "\(applied.stderr)")
        #expect(
            applied.stdout.contains(
                "Applied HEAD (\(head.prefix(7))) from \(Self.currentPeriod.current) as serial 1 to .proforma/state.db")
        )
        let again = try proforma("apply", "--yes", in: directory)
        #expect(again.status == 0)
        #expect(
            again.stdout.hasPrefix(
                "No changes. HEAD is already the configuration in effect from \(Self.currentPeriod.current) (serial 1, \(head.prefix(7))); nothing was recorded."
            ))

        let records = try history(directory)
        #expect(records.count == 1)
        #expect(records[0]["commit"] as? String == head)
        #expect(records[0]["actor"] as? String == "Ada Lovelace <ada@example.com>")
        #expect(records[0]["period"] as? String == Self.currentPeriod.current)
        #expect(records[0]["dirty"] as? Bool == false && records[0]["backfill"] as? Bool == false)
        #expect((records[0]["configuration_hash"] as? String)?.count == 64)
    }

    @Test func dirtyWorkingTreeIsRefusedUnlessAllowedThenRecorded() throws {
        let directory = try repository()
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(try proforma("apply", "--yes", in: directory).status == 0)
        try markup(directory, "12")
        expectOneLineError(
            try proforma("apply", "--yes", in: directory), containing: "the working tree has uncommitted changes")
        let dirty = try proforma("apply", "--yes", "--allow-dirty", "--actor", "ci-bot", in: directory)
        #expect(dirty.status == 0, "\(dirty.stderr)")
        #expect(dirty.stdout.contains("modifier_percentage: 10 → 12"))
        let records = try history(directory)
        #expect(records.first?["dirty"] as? Bool == true && records.first?["actor"] as? String == "ci-bot")
        #expect(records.first?["revision"] as? String == "working tree")
        let text = try proforma("state", "history", in: directory)
        #expect(text.stdout.contains("  [dirty]\n    working tree: 0 to add, 1 to change, 0 to destroy\n"))
        // A reformatted working tree means the same as HEAD: not dirty.
        try TestSupport.git(["checkout", "--", "."], in: directory)
        try edit(directory, "pricing/standard.yaml", "modifier_percentage: 10", "modifier_percentage:   10.00")
        let reformatted = try proforma("apply", "--yes", in: directory)
        #expect(reformatted.status == 0, "\(reformatted.stderr)")
        #expect(reformatted.stdout.contains("Plan: 0 to add, 1 to change, 0 to destroy."))
        #expect(try history(directory).first?["dirty"] as? Bool == false)
    }

    @Test func savedPlanIsAppliedExactlyOrRefusedWhenStale() throws {
        let directory = try repository()
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(try proforma("apply", "--yes", in: directory).status == 0)
        try markup(directory, "12")
        try commit(directory, "Markup 12")
        #expect(try proforma("plan", "HEAD~1", "HEAD", "-o", "plan.json", in: directory).status == 0)
        #expect(try proforma("plan", "HEAD~1", "HEAD", "-o", "stale.json", in: directory).status == 0)
        let saved = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("plan.json")))
                as? [String: Any])
        let state = try #require(saved["state"] as? [String: Any])
        #expect(state["serial"] as? Int == 1 && (state["lineage"] as? String)?.count == 36)

        let applied = try proforma("apply", "plan.json", "--yes", in: directory)
        #expect(applied.status == 0, "\(applied.stderr)")
        #expect(applied.stdout.contains("as serial 2"))

        let stale = try proforma("apply", "stale.json", "--yes", in: directory)
        expectOneLineError(
            stale,
            containing:
                "the plan is stale: it was made against state serial 1, and .proforma/state.db is now at serial 2")
        #expect(try serial(directory) == 2)

        // A file that is not a plan.
        try "{}".write(to: directory.appendingPathComponent("other.json"), atomically: true, encoding: .utf8)
        expectOneLineError(
            try proforma("apply", "other.json", "--yes", in: directory), containing: "other.json is not a saved plan")
    }

    @Test func configurationInASubfolderKeepsItsStoreThere() throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let billing = directory.appendingPathComponent("billing")
        #expect(try TestSupport.run(binary, ["init", "--no-git", billing.path]).status == 0)
        try TestSupport.git(["init", "-q", "-b", "main"], in: directory)
        try TestSupport.git(["add", "-A"], in: directory)
        try TestSupport.git(["commit", "-qm", "Initial configuration"], in: directory)
        #expect(try proforma("plan", "-o", "plan.json", in: directory).status == 0)
        #expect(try proforma("apply", "--yes", in: billing).status == 0)
        #expect(FileManager.default.fileExists(atPath: billing.appendingPathComponent(".proforma/state.db").path))
        try markup(billing, "12")
        try TestSupport.git(["commit", "-qam", "Markup 12"], in: directory)
        #expect(try proforma("plan", "HEAD~1", "HEAD", "-o", "plan.json", in: directory).status == 0)
        let applied = try proforma("apply", "plan.json", "--yes", in: directory)
        #expect(applied.status == 0, "\(applied.stderr)")
        #expect(applied.stdout.contains("as serial 2 to .proforma/state.db"))
        #expect(try proforma("state", "history", in: billing).stdout.hasPrefix("serial 2  "))
    }

    @Test func savedPlanOfAnotherStoreIsRefusedNamingTheLineage() throws {
        let directory = try repository()
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(try proforma("apply", "--yes", in: directory).status == 0)
        try markup(directory, "12")
        try commit(directory, "Markup 12")
        #expect(try proforma("plan", "HEAD~1", "HEAD", "-o", "plan.json", in: directory).status == 0)
        let lineage = try #require(
            (try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("plan.json")))
                as? [String: Any])
                .flatMap { $0["state"] as? [String: Any] }?["lineage"] as? String)
        // Another store in its place: a new lineage at the same serial.
        try FileManager.default.removeItem(at: directory.appendingPathComponent(".proforma"))
        #expect(try proforma("apply", "HEAD~1", "--yes", in: directory).status == 0)
        let refused = try proforma("apply", "plan.json", "--yes", in: directory)
        expectOneLineError(refused, containing: "the plan was made against another state store (lineage \(lineage))")
        #expect(try serial(directory) == 1)
    }

    @Test func backfillRules() throws {
        let (current, previous) = Self.currentPeriod
        let directory = try repository()
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(try proforma("apply", "--yes", in: directory).status == 0)

        // Nothing was applied for the previous period: it is closed.
        let closed = try proforma("apply", "--yes", "--period", previous, in: directory)
        expectOneLineError(
            closed, containing: "cannot apply to \(previous): \(previous) is closed (the current period is \(current))")
        #expect(closed.stderr.contains("hint: to change a closed period on purpose, add --backfill"))
        let backfilled = try proforma("apply", "--yes", "--period", previous, "--backfill", in: directory)
        #expect(backfilled.status == 0, "\(backfilled.stderr)")
        #expect(backfilled.stdout.contains("from \(previous) (backfill) as serial 2"))

        // Custom line items alone may change for the previous period.
        try edit(directory, "line-items/retail.yaml", "charge_value: 50.00", "charge_value: 75.00")
        try commit(directory, "Fee 75")
        let fee = try proforma("apply", "--yes", "--period", previous, in: directory)
        #expect(fee.status == 0, "\(fee.stderr)")
        // Pricing changes may not.
        try markup(directory, "12")
        try commit(directory, "Markup 12")
        expectOneLineError(
            try proforma("apply", "--yes", "--period", previous, in: directory),
            containing:
                "only custom line items may change for the previous period \(previous), and this changes PricingRule/global-markup-10"
        )
        // --backfill is for closed periods, and needs one.
        expectOneLineError(
            try proforma("apply", "--yes", "--period", current, "--backfill", in: directory),
            containing: "--backfill is for closed periods")
        #expect(try proforma("apply", "--yes", "--backfill", in: directory).status == 64)
        #expect(try proforma("apply", "--yes", "--period", "2026-13", in: directory).status == 64)

        let records = try history(directory)
        #expect(records.map { $0["serial"] as? Int } == [3, 2, 1])
        #expect(records.map { $0["backfill"] as? Bool } == [false, true, false])
        #expect(records.map { $0["period"] as? String } == [previous, previous, current])
        // The current period is open: the pricing change applies.
        #expect(try proforma("apply", "--yes", in: directory).status == 0)
        let show = try proforma("state", "show", "PricingRule/global-markup-10", "--period", previous, in: directory)
        #expect(show.stdout.contains("\"modifier_percentage\": 10,"))
        let now = try proforma("state", "show", "PricingRule/global-markup-10", in: directory)
        #expect(now.stdout.contains("\"modifier_percentage\": 12,"))
    }

    @Test func inspectionHistoryStatusAndExport() throws {
        let directory = try repository()
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(try proforma("apply", "--yes", in: directory).status == 0)
        try markup(directory, "12")
        try commit(directory, "Markup 12")
        let status = try proforma("status", in: directory)
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.contains("Working tree: no uncommitted changes."))
        #expect(
            status.stdout.contains(
                "HEAD: 1 change (0 to add, 1 to change, 0 to destroy) not applied:\n  ~ PricingRule/global-markup-10\n")
        )
        #expect(try proforma("apply", "--yes", in: directory).status == 0)
        #expect(try proforma("status", in: directory).stdout.contains("HEAD: applied."))

        // Applied from a branch, then back on main: the applied state is not from a commit of main.
        try TestSupport.git(["checkout", "-qb", "experiment"], in: directory)
        try markup(directory, "20")
        try commit(directory, "Markup 20")
        #expect(try proforma("apply", "--yes", in: directory).status == 0)
        try TestSupport.git(["checkout", "-q", "main"], in: directory)
        let elsewhere = try proforma("status", in: directory)
        #expect(elsewhere.stdout.contains("which is not on this branch"))
        // Rolling back is applying an earlier revision: the history shows it.
        #expect(try proforma("apply", "--yes", in: directory).status == 0)
        let history = try proforma("state", "history", in: directory)
        #expect(history.stdout.hasPrefix("serial 4  "))
        #expect(
            history.stdout.contains(
                "    HEAD: 0 to add, 1 to change, 0 to destroy (the configuration of serial 2 again)\nserial 3"))

        let list = try proforma("state", "list", in: directory)
        #expect(list.stdout.hasPrefix("Project/"))
        #expect(list.stdout.contains("PricingRule/global-markup-10\n"))
        let missing = try proforma("state", "show", "PricingRule/nope", in: directory)
        expectOneLineError(missing, containing: "PricingRule/nope is not in the configuration applied by serial 4")
        expectOneLineError(
            try proforma("state", "show", "PricingRule/global-markup-10", "--serial", "9", in: directory),
            containing: "has no serial 9")

        let export = try proforma("state", "export", in: directory)
        #expect(export.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(export.stdout.utf8)) as? [String: Any])
        #expect(object["format_version"] as? Int == 1 && object["serial"] as? Int == 4)
        #expect((object["applies"] as? [Any])?.count == 4)
        #expect((object["configurations"] as? [String: Any])?.count == 3)
        let keys = export.stdout.split(separator: "\n").filter { $0.hasPrefix("  \"") }.map { String($0) }
        #expect(keys == keys.sorted())
    }

    /// `proforma apply` started on a terminal made by script(1), so it asks for confirmation: the process, the
    /// terminal's input, and its output (stdout and stderr together).
    func applyOnATerminal(in directory: URL) throws -> (process: Process, input: Pipe, output: Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-qec", "\(binary.path) apply", "/dev/null"]
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        process.environment = environment
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        return (process, input, output)
    }

    @Test func twoConcurrentAppliesInTwoProcesses() throws {
        let directory = try repository()
        defer { try? FileManager.default.removeItem(at: directory) }
        // The first apply waits at its confirmation prompt (on a terminal made by script(1)), holding the lock.
        let (first, input, _) = try applyOnATerminal(in: directory)
        defer { if first.isRunning { first.terminate() } }
        let lockFile = directory.appendingPathComponent(".proforma/state.db.lock")
        let deadline = Date().addingTimeInterval(30)
        while !FileManager.default.fileExists(atPath: lockFile.path) && Date() < deadline { usleep(50_000) }
        let lock = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: lockFile)) as? [String: Any])

        let started = Date()
        let second = try proforma("apply", "--yes", in: directory)
        #expect(Date().timeIntervalSince(started) < 10)
        expectOneLineError(
            second,
            containing:
                ".proforma/state.db is locked: lock \(lock["id"] as? String ?? "?") held by Ada Lovelace <ada@example.com> (process "
        )
        #expect(
            second.stderr.contains(
                "on \(lock["host"] as? String ?? "?"), since \(lock["created_at"] as? String ?? "?"), apply)"))
        #expect(second.stderr.contains("hint: wait for it to finish (--lock-timeout SECONDS)"))

        // A waiting apply gets the lock once the first one finishes.
        let waiting = Process()
        waiting.executableURL = binary
        waiting.arguments = ["apply", "--yes", "--lock-timeout", "60"]
        waiting.currentDirectoryURL = directory
        waiting.environment = first.environment
        let waitingOutput = Pipe()
        waiting.standardOutput = waitingOutput
        waiting.standardError = waitingOutput
        try waiting.run()
        usleep(500_000)
        #expect(waiting.isRunning)
        input.fileHandleForWriting.write(Data("yes\n".utf8))
        first.waitUntilExit()
        waiting.waitUntilExit()
        let waitingText = String(decoding: waitingOutput.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(first.terminationStatus == 0)
        #expect(waiting.terminationStatus == 0, "\(waitingText)")
        #expect(waitingText.contains("No changes."))
        #expect(try serial(directory) == 1)
        #expect(!FileManager.default.fileExists(atPath: lockFile.path))
    }

    @Test func answeringAnythingButYesAppliesNothing() throws {
        let directory = try repository()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (process, input, output) = try applyOnATerminal(in: directory)
        input.fileHandleForWriting.write(Data("y\n".utf8))
        process.waitUntilExit()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 1, "\(text)")
        #expect(text.contains("Only 'yes' is accepted: "))
        #expect(text.contains("Apply cancelled; nothing was recorded."))
        #expect(try proforma("state", "history", in: directory).stdout == "Nothing has been applied yet.\n")
        #expect(
            !FileManager.default.fileExists(atPath: directory.appendingPathComponent(".proforma/state.db.lock").path))
    }

    @Test func interruptedAtThePromptReleasesTheLock() throws {
        let directory = try repository()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (process, input, output) = try applyOnATerminal(in: directory)
        let lockFile = directory.appendingPathComponent(".proforma/state.db.lock")
        let deadline = Date().addingTimeInterval(30)
        while !FileManager.default.fileExists(atPath: lockFile.path) && Date() < deadline { usleep(50_000) }
        #expect(FileManager.default.fileExists(atPath: lockFile.path))
        usleep(300_000)
        input.fileHandleForWriting.write(Data([0x03]))  // Ctrl-C on the terminal
        process.waitUntilExit()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 130, "\(text)")
        #expect(text.contains("Apply cancelled; nothing was recorded."))
        #expect(!FileManager.default.fileExists(atPath: lockFile.path))
        #expect(try proforma("state", "history", in: directory).stdout == "Nothing has been applied yet.\n")
    }

    @Test func killedAtAnyMomentLeavesTheStoreConsistent() throws {
        let directory = try repository()
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(try proforma("apply", "--yes", in: directory).status == 0)
        var generator = SystemRandomNumberGenerator()
        var killedMidway = 0
        for round in 0..<12 {
            let before = try serial(directory)
            try markup(directory, "\(20 + round)")
            try commit(directory, "Markup \(20 + round)")
            let process = Process()
            process.executableURL = binary
            process.arguments = ["apply", "--yes"]
            process.currentDirectoryURL = directory
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(UInt32.random(in: 0...150_000, using: &generator))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()

            // Readable, consistent, and at the previous serial or the next: one apply is one transaction.
            let after = try serial(directory)
            #expect(after == before || after == before + 1, "round \(round): \(before) → \(after)")
            let show = try proforma("state", "show", "PricingRule/global-markup-10", in: directory)
            #expect(show.status == 0, "\(show.stderr)")
            #expect(
                show.stdout.contains(
                    "\"modifier_percentage\": \(after == before + 1 ? 20 + round : (round == 0 ? 10 : 20 + round - 1))")
            )
            // A lock left behind is named, and released only by hand.
            let lockFile = directory.appendingPathComponent(".proforma/state.db.lock")
            if let data = FileManager.default.contents(atPath: lockFile.path) {
                killedMidway += 1
                let lock = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
                let id = try #require(lock["id"] as? String)
                expectOneLineError(try proforma("apply", "--yes", in: directory), containing: "is locked: lock \(id)")
                let unlock = try proforma("state", "unlock", id, in: directory)
                #expect(unlock.status == 0, "\(unlock.stderr)")
            }
            // The next apply completes the round.
            let next = try proforma("apply", "--yes", in: directory)
            #expect(next.status == 0, "\(next.stderr)")
            #expect(try serial(directory) == before + 1)
        }
        _ = killedMidway
    }
}

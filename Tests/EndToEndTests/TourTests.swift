import Foundation
import ProformaTestSupport
import Testing

/// The README's tour, as a new user would run it: each command of the block marked `<!-- tour: … -->`, in order,
/// in a new folder, with the built `proforma` first on PATH. Each must exit 0, or the status its comment names
/// (`exit 2`), and print what the README shows under `<!-- tour output: COMMAND -->`.
@Suite struct TourTests {
    /// One line of the tour: the shell command and the status it should end with.
    struct Step: Equatable {
        var command: String
        var status: Int32
    }

    /// The README's tour and the outputs it shows, by command.
    struct Tour {
        var steps: [Step]
        var outputs: [String: String]

        init(readme: String) throws {
            let lines = readme.components(separatedBy: "\n")
            guard let marker = lines.firstIndex(where: { $0.hasPrefix("<!-- tour:") }) else {
                throw TestFailure("README.md has no <!-- tour: --> marker")
            }
            steps = try Self.block(after: marker, in: lines).compactMap(Self.step)
            outputs = [:]
            for (index, line) in lines.enumerated() where line.hasPrefix("<!-- tour output: ") {
                let command = line.dropFirst("<!-- tour output: ".count).replacingOccurrences(of: " -->", with: "")
                outputs[command.trimmingCharacters(in: .whitespaces)] =
                    try Self.block(after: index, in: lines).joined(separator: "\n")
            }
        }

        /// The lines of the first fenced block after line `index`.
        static func block(after index: Int, in lines: [String]) throws -> [String] {
            guard let open = lines[(index + 1)...].firstIndex(where: { $0.hasPrefix("```") }),
                let close = lines[(open + 1)...].firstIndex(where: { $0.hasPrefix("```") })
            else { throw TestFailure("no fenced block after line \(index + 1) of README.md") }
            return Array(lines[(open + 1)..<close])
        }

        /// A command line without its comment, and the status its comment names (`exit N`), else 0.
        static func step(_ line: String) -> Step? {
            var command = line
            var status: Int32 = 0
            if let comment = line.range(of: #"\s{2,}# "#, options: .regularExpression) {
                command = String(line[..<comment.lowerBound])
                let text = line[comment.upperBound...]
                if let exit = text.range(of: #"exit [0-9]+"#, options: .regularExpression) {
                    status = Int32(text[exit].dropFirst(5)) ?? -1
                }
            }
            command = command.trimmingCharacters(in: .whitespaces)
            return command.isEmpty ? nil : Step(command: command, status: status)
        }
    }

    @Test func commandsAndStatusesAreReadFromTheTour() throws {
        let tour = try Tour(
            readme: """
                <!-- tour: -->
                ```sh
                proforma init x   # make it

                cd x
                proforma plan --detailed-exitcode                # the plan: exit 2, changes
                sed -i 's/a/c/' f   # an edit
                ```
                <!-- tour output: proforma init x -->
                ```
                done
                ```
                """)
        #expect(
            tour.steps == [
                Step(command: "proforma init x", status: 0), Step(command: "cd x", status: 0),
                Step(command: "proforma plan --detailed-exitcode", status: 2),
                Step(command: "sed -i 's/a/c/' f", status: 0),
            ])
        #expect(tour.outputs == ["proforma init x": "done"])
        #expect(throws: TestFailure.self) { try Tour(readme: "no tour here") }
    }

    /// Whether `output` shows `expected`: its parts between lines of `…` appear in order, each as consecutive whole
    /// lines; billing periods (`2026-12`) stand for any period.
    static func shows(_ output: String, _ expected: String) -> Bool {
        func normalized(_ text: String) -> String {
            text.replacingOccurrences(of: #"\b[0-9]{4}-[0-9]{2}\b"#, with: "PERIOD", options: .regularExpression)
        }
        let text = "\n" + normalized(output)
        var position = text.startIndex
        let parts = normalized(expected).components(separatedBy: "\n…\n")
        for part in parts {
            guard let found = text.range(of: "\n" + part + "\n", range: position..<text.endIndex) else { return false }
            position = text.index(before: found.upperBound)
        }
        return true
    }

    @Test func outputsMatchInOrderAcrossElisions() {
        #expect(Self.shows("a\nb\nc\nd\n", "b\nc\n…\nd"))
        #expect(!Self.shows("a\nb\nc\nd\n", "c\n…\nb"))
        #expect(!Self.shows("a\nbb\n", "b"))
        #expect(Self.shows("Invoice impact 2027-01:\n", "Invoice impact 2026-12:"))
    }

    @Test func theTourRunsAsWritten() throws {
        let binary = try #require(TestSupport.proformaBinary, "the proforma executable was not built beside the tests")
        let readme = try String(
            contentsOf: TestSupport.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let tour = try Tour(readme: readme)
        let commands = tour.steps.map(\.command)
        // What the tour must show a new user.
        #expect(commands.first?.hasPrefix("proforma init ") == true)
        #expect(commands.contains { $0.hasPrefix("sed -i ") })
        for needed in ["proforma plan", "proforma invoice", "proforma report margin", "proforma apply"] {
            #expect(commands.contains { $0.hasPrefix(needed) }, "the tour has no \(needed)")
        }
        for command in tour.outputs.keys {
            #expect(commands.contains(command), "output shown for \(command), which the tour does not run")
        }

        let root = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        // proforma first on PATH; a home whose git configuration names the user.
        let bin = root.appendingPathComponent("bin")
        let home = root.appendingPathComponent("home")
        var directory = root.appendingPathComponent("work")
        for folder in [bin, home, directory] {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }
        try FileManager.default.createSymbolicLink(
            at: bin.appendingPathComponent("proforma"), withDestinationURL: binary)
        try "[user]\n\tname = Ada Lovelace\n\temail = ada@example.com\n".write(
            to: home.appendingPathComponent(".gitconfig"), atomically: true, encoding: .utf8)
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let environment = [
            "PATH": bin.path + ":" + path, "HOME": home.path, "XDG_CONFIG_HOME": home.path, "GIT_CONFIG_NOSYSTEM": "1",
        ]
        var shown: [String: String] = [:]
        for step in tour.steps {
            if step.command.hasPrefix("cd ") {
                directory = directory.appendingPathComponent(String(step.command.dropFirst(3)))
                #expect(FileManager.default.fileExists(atPath: directory.path), "\(step.command): no such folder")
                continue
            }
            let result = try TestSupport.run(
                URL(fileURLWithPath: "/bin/sh"), ["-c", step.command], in: directory, environment: environment)
            #expect(
                result.status == step.status,
                "\(step.command) exited \(result.status), not \(step.status):\n\(result.stdout)\(result.stderr)")
            shown[step.command] = result.stdout
        }
        for (command, expected) in tour.outputs {
            let output = try #require(shown[command])
            #expect(Self.shows(output, expected), "\(command) printed:\n\(output)\nand the README shows:\n\(expected)")
        }
        // The tour leaves what it says: the invoices, a digest, the applied state.
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("plan.md").path))
        let history = try TestSupport.run(binary, ["state", "history", "--format", "json"], in: directory)
        #expect(history.stdout.contains("Ada Lovelace <ada@example.com>"))
    }
}

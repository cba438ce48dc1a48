import Foundation
import ProformaTestSupport
import ProformaYAML
import Testing

/// What installing and CI integration rely on: the shell completions, the GitHub Action, the pre-commit hooks and
/// the example workflows.
@Suite struct InstallTests {
    let binary: URL

    init() throws {
        binary = try #require(TestSupport.proformaBinary, "the proforma executable was not built beside the tests")
    }

    /// The subcommands `help` lists for `path` (e.g. `[]`, `["state"]`), with their own, as paths.
    func subcommands(of path: [String] = []) throws -> [[String]] {
        guard path.count < 3 else { throw TestFailure("subcommands nested deeper than expected: \(path)") }
        let help = try TestSupport.run(binary, path + ["--help"])
        #expect(help.status == 0)
        guard let section = help.stdout.range(of: "SUBCOMMANDS:\n") else { return [] }
        var found: [[String]] = []
        // The section ends at its first empty line; "  See 'proforma help …'" follows it.
        let lines = help.stdout[section.upperBound...].split(separator: "\n", omittingEmptySubsequences: false)
        for line in lines.prefix(while: { !$0.isEmpty }) {
            guard line.hasPrefix("  "), !line.hasPrefix("   "), let name = line.split(separator: " ").first else {
                continue
            }
            let command = path + [String(name)]
            found.append(command)
            found += try subcommands(of: command)
        }
        return found
    }

    /// A repository file, parsed.
    static func yaml(_ path: String) throws -> YAMLNode {
        let url = TestSupport.packageRoot.appendingPathComponent(path)
        let file = YAMLParser.parse(Array(try Data(contentsOf: url)))
        #expect(file.problems.isEmpty, "\(path): \(file.problems)")
        return try #require(file.documents.first?.root, "\(path) holds no document")
    }

    @Test func completionScriptsNameEverySubcommand() throws {
        let commands = try subcommands()
        #expect(commands.count > 20, "\(commands)")
        for expected in [["init"], ["plan"], ["state", "history"], ["report", "margin"], ["usage", "import"]] {
            #expect(commands.contains(expected), "help does not list \(expected)")
        }
        for shell in ["bash", "zsh", "fish"] {
            let script = try TestSupport.run(binary, ["--generate-completion-script", shell])
            #expect(script.status == 0, "\(shell): \(script.stderr)")
            #expect(script.stdout.count > 1000)
            let words = Set(script.stdout.split { !($0.isLetter || $0.isNumber || $0 == "-") }.map(String.init))
            for command in commands {
                #expect(words.contains(command.last!), "the \(shell) completions do not name \(command)")
            }
            // Options of a nested command are completed too.
            #expect(script.stdout.contains("detailed-exitcode"))
        }
        let unknown = try TestSupport.run(binary, ["--generate-completion-script", "tcsh"])
        #expect(unknown.status != 0)
    }

    @Test func theActionBuildsOncePerVersionAndPutsProformaOnPath() throws {
        let action = try Self.yaml("action.yml")
        #expect(action.value(forKey: "name")?.scalarValue == "proforma")
        let inputs = try #require(action.value(forKey: "inputs")?.mappingPairs).map { $0.key.scalarValue ?? "" }
        #expect(inputs == ["version", "ref"])
        let runs = try #require(action.value(forKey: "runs"))
        #expect(runs.value(forKey: "using")?.scalarValue == "composite")
        let steps = try #require(runs.value(forKey: "steps")?.sequenceItems)
        var scripts = ""
        for step in steps {
            if let run = step.value(forKey: "run")?.scalarValue {
                // A composite action's run steps must name their shell.
                #expect(step.value(forKey: "shell")?.scalarValue == "bash")
                scripts += run + "\n"
            }
        }
        let cache = try #require(steps.first { $0.value(forKey: "uses")?.scalarValue == "actions/cache@v4" })
        #expect(
            cache.value(forKey: "with")?.value(forKey: "key")?.scalarValue?.contains("steps.version.outputs.key")
                == true)
        #expect(scripts.contains("swift build -c release --product proforma"))
        #expect(scripts.contains("$GITHUB_PATH"))
        #expect(scripts.contains("proforma\" --version") || scripts.contains("proforma --version"))
        #expect(try TestSupport.run(binary, ["--version"]).status == 0)
    }

    @Test func thePreCommitHooksRunAnExistingCommand() throws {
        let hooks = try #require(try Self.yaml(".pre-commit-hooks.yaml").sequenceItems)
        #expect(hooks.count == 2)
        let commands = try subcommands()
        for hook in hooks {
            let entry = try #require(hook.value(forKey: "entry")?.scalarValue)
            let words = entry.split(separator: " ").map(String.init)
            #expect(words.first == "proforma")
            #expect(commands.contains([words[1]]), "\(entry) names no subcommand")
            #expect(hook.value(forKey: "pass_filenames")?.scalarValue == "false")
            #expect(["swift", "system"].contains(hook.value(forKey: "language")?.scalarValue ?? ""))
            // The command runs: in a scaffolded configuration it validates.
            let directory = try TestSupport.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            #expect(try TestSupport.run(binary, ["init", "--no-git", directory.path]).status == 0)
            #expect(try TestSupport.run(binary, Array(words.dropFirst()), in: directory).status == 0)
        }
    }

    @Test func theExampleWorkflowsUseTheActionAndExistingCommands() throws {
        let commands = Set(try subcommands().map { $0.joined(separator: " ") })
        for name in ["proforma.yml", "apply.yml"] {
            let workflow = try Self.yaml("examples/github-actions/\(name)")
            let jobs = try #require(workflow.value(forKey: "jobs")?.mappingPairs)
            let steps = jobs.flatMap { $0.value.value(forKey: "steps")?.sequenceItems ?? [] }
            #expect(steps.contains { $0.value(forKey: "uses")?.scalarValue?.hasSuffix("/proforma@v0.1.0") == true })
            for step in steps {
                guard let run = step.value(forKey: "run")?.scalarValue else { continue }
                #expect(!run.contains("swift build"), "\(name) builds proforma itself")
                // Every `proforma X` names a command.
                for match in run.matches(of: /proforma ([a-z]+)( [a-z]+)?/) {
                    let first = String(match.1)
                    let pair = first + (match.2.map(String.init) ?? "")
                    #expect(
                        commands.contains(first) || commands.contains(pair),
                        "\(name): `\(match.0)` names no command")
                }
            }
        }
    }
}

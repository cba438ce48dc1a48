import ArgumentParser
import Foundation
import ProformaCore
import ProformaFrontend
import ProformaPlan
import ProformaReport

extension ChangeFormat: ExpressibleByArgument {}

struct Diff: ProformaCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the semantic difference between two configurations.",
        discussion: """
            `diff A` compares revision A with the working tree; `diff A B`, `diff A..B` compare two revisions; \
            `diff A...B` compares B with its merge base with A. Resources are ordered by kind then name: \
            + created, ~ updated (each changed field, old → new), - deleted. Sets (account IDs, a plan's rules, \
            associated values) show members added and removed. Formatting, comments, key order and the file a \
            resource is written in are not changes.
            """)

    @OptionGroup var repository: RepositoryOptions

    @Argument(help: ArgumentHelp("The base revision, or a range A..B / A...B.", valueName: "a"))
    var first: String

    @Argument(help: ArgumentHelp("The head revision (default: the working tree).", valueName: "b"))
    var second: String?

    @Option(help: "Output format: text, markdown or json.")
    var format: ChangeFormat = .text

    @Flag(help: "Exit 1 when there are differences, 0 when there are none, as `git diff --exit-code`.")
    var exitCode = false

    func execute() throws -> ExitCode {
        let frontend = try repository.frontend()
        let comparison = try frontend.compare(first: first, second: second, defaultBase: nil, check: .readable)
        let plan = comparison.diffOnly(toolVersion: Proforma.version)
        let color = format == .text && Terminal.colorEnabled(for: STDOUT_FILENO)
        Terminal.write(ChangeRenderer.render(plan, as: format, color: color, isPlan: false))
        let status = exitCode && !plan.diff.isEmpty ? ExitStatus.failure : ExitStatus.success
        Terminal.exitNow(status.rawValue, keepingAlive: comparison, plan)
    }
}

struct PlanCommand: ProformaCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Plan a change: the resource diff between two configurations, ready to review and apply.",
        discussion: """
            With no revision, plans the working tree against HEAD; `plan A` plans the working tree against A; \
            `plan A B` (or A..B, A...B) plans B against A. -o FILE saves the plan (JSON with both commits and \
            the content hashes of both configurations) for `apply`. Exit status with --detailed-exitcode: \
            0 no changes, 1 error, 2 changes.
            """)

    @OptionGroup var repository: RepositoryOptions

    @Argument(help: ArgumentHelp("The base revision, or a range A..B / A...B (default: HEAD).", valueName: "a"))
    var first: String?

    @Argument(help: ArgumentHelp("The head revision (default: the working tree).", valueName: "b"))
    var second: String?

    @Option(help: "Output format: text, markdown or json.")
    var format: ChangeFormat = .text

    @Option(name: .shortAndLong, help: ArgumentHelp("Save the plan to this file.", valueName: "file"))
    var output: String?

    @Flag(help: "Exit 0 when there are no changes, 2 when there are, 1 on error.")
    var detailedExitcode = false

    @Flag(help: "Refuse a configuration with warnings too, as `validate --strict` does.")
    var strict = false

    func validate() throws {
        if output?.isEmpty == true { throw ValidationError("-o needs a file name") }
    }

    func execute() throws -> ExitCode {
        let frontend = try repository.frontend()
        let comparison = try frontend.compare(
            first: first, second: second, defaultBase: "HEAD", check: .valid(strict: strict))
        let plan = comparison.plan(toolVersion: Proforma.version)
        if let output {
            try OutputFiles.write(JSONWriter.write(plan.json), to: frontend.workspace.path(output))
        }
        let color = format == .text && Terminal.colorEnabled(for: STDOUT_FILENO)
        Terminal.write(ChangeRenderer.render(plan, as: format, color: color, isPlan: true))
        if let output { Terminal.error("saved the plan to \(output)") }
        let status = detailedExitcode && !plan.diff.isEmpty ? ExitStatus.changes : ExitStatus.success
        Terminal.exitNow(status.rawValue, keepingAlive: comparison, plan)
    }
}

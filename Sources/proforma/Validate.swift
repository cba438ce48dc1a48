import ArgumentParser
import Foundation
import ProformaCore
import ProformaFrontend
import ProformaReport

extension DiagnosticFormat: ExpressibleByArgument {}

struct Validate: ProformaCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a configuration: schema, references, membership, rules, periods and quotas.",
        discussion: """
            Without a revision the working tree is checked, uncommitted changes included. Every problem is \
            reported at once with file, line and column, a stable code (see `proforma explain`) and a hint.
            Exit status: 0 clean, 1 errors (warnings too with --strict), 64 usage error, 70 internal error.
            """)

    @OptionGroup var repository: RepositoryOptions

    @Argument(help: ArgumentHelp("A git revision (main, HEAD~2, a1b2c3d, origin/main). Default: the working tree.", valueName: "rev"))
    var revision: String?

    @Option(help: "Output format: text, json, github, sarif or junit.")
    var format: DiagnosticFormat = .text

    @Flag(help: "Fail on warnings too.")
    var strict = false

    func execute() throws -> ExitCode {
        let validated = try repository.frontend().validate(revision: revision)
        let color = format == .text && Terminal.colorEnabled(for: STDOUT_FILENO)
        Terminal.write(
            DiagnosticRenderer.render(
                validated.report, as: format, sources: validated.sources, options: RenderOptions(color: color, strict: strict)))
        let status = validated.report.failed(strict: strict) ? ExitStatus.failure : ExitStatus.success
        Terminal.exitNow(status.rawValue, keepingAlive: validated)
    }
}

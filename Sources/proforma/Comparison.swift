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
        abstract: "Plan a change: the resource diff between two configurations and what it does to every invoice.",
        discussion: """
            With no revision, plans the working tree against the configuration applied in the state store (in \
            effect for --period, else for the current period), or against HEAD when nothing is applied; `plan A` \
            plans the working tree against A; \
            `plan A B` (or A..B, A...B) plans B against A. When usage data is available (--usage, or the \
            project's `usage:`), the same usage is priced under both configurations in one pass and every billing \
            group's invoice before and after is shown, and the project's guardrails are checked. -o FILE saves the \
            plan (JSON with both commits, the content hashes of both configurations and the impact) for `apply`. \
            Exit status: 0 success (with --detailed-exitcode: no changes), 1 error, 2 changes (with \
            --detailed-exitcode), 3 a guardrail is broken.
            """)

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var usage: UsageOptions

    @Argument(
        help: ArgumentHelp(
            "The base revision, or a range A..B / A...B (default: the applied configuration, else HEAD).",
            valueName: "a"))
    var first: String?

    @Argument(help: ArgumentHelp("The head revision (default: the working tree).", valueName: "b"))
    var second: String?

    @Option(help: "Output format: text, markdown or json.")
    var format: ChangeFormat = .text

    @Option(name: .shortAndLong, help: ArgumentHelp("Save the plan to this file.", valueName: "file"))
    var output: String?

    @Option(
        help: ArgumentHelp(
            "The billing period of the invoice impact, YYYY-MM. Default: the latest period in the usage data.",
            valueName: "period"))
    var period: String?

    @Option(
        help: ArgumentHelp(
            "A range of periods, P1..P2: the impact in each period of the data between them (what if the change had been in force since P1).",
            valueName: "range"))
    var periods: String?

    @Flag(help: "Show the impact for a period that has no usage lines instead of refusing it.")
    var allowEmptyPeriod = false

    @Flag(help: "Resource changes only: do not price usage data.")
    var noImpact = false

    @Flag(help: "Exit 0 when there are no changes, 2 when there are, 1 on error.")
    var detailedExitcode = false

    func validate() throws {
        if output?.isEmpty == true { throw ValidationError("-o needs a file name") }
        if period != nil && periods != nil { throw ValidationError("give --period or --periods, not both") }
        if noImpact && (period != nil || periods != nil || !usage.files.isEmpty) {
            throw ValidationError("--no-impact prices nothing: drop --period, --periods and --usage")
        }
    }

    /// The periods asked for.
    func periodRequest() throws -> PeriodRequest {
        try Pricing.periodRequest(period: period, periods: periods) ?? .latest
    }

    func execute() throws -> ExitCode {
        let frontend = try repository.frontend()
        let request = try periodRequest()
        // With no revision, the base is the configuration applied in the state store when there is one (in effect
        // for --period, else for the current period), else HEAD.
        let applied =
            first == nil && second == nil
            ? try frontend.compareWithApplied(
                period: period.flatMap(BillingPeriod.init), check: .valid(strict: usage.strict)) : nil
        let comparison =
            try applied
            ?? frontend.compare(first: first, second: second, defaultBase: "HEAD", check: .valid(strict: usage.strict))
        var plan = comparison.plan(toolVersion: Proforma.version)
        // A saved plan records the applied state it was planned against, so `apply` can refuse it once that moves.
        if output != nil { plan.state = try StateAccess.plannedState(repository, root: comparison.root) }
        var impact: InvoiceImpact?
        // An unchanged configuration prices every invoice the same: nothing to read.
        if !noImpact && !plan.diff.isEmpty {
            let progress = Progress(enabled: Terminal.colorEnabled(for: STDERR_FILENO))
            defer { progress.clear() }
            let priced = try frontend.impact(
                of: comparison,
                request: PricingRequest(
                    usage: usage.selection, periods: request, allowEmptyPeriod: allowEmptyPeriod, strict: usage.strict),
                progress: progress.enabled ? progress.update : nil)
            progress.clear()
            if let priced {
                for warning in priced.readingWarnings + priced.warnings {
                    Terminal.error("proforma: warning: \(warning)")
                }
                for note in priced.readingNotes { Terminal.error("proforma: note: \(note)") }
                Pricing.printDigestNotes(digest: priced.digest, problems: priced.digestProblems)
                impact = priced.impact
            } else if !(comparison.head.configuration.project?.guardrails ?? []).isEmpty {
                Terminal.error(
                    "proforma: warning: no usage data, so the invoice impact and the guardrails were not evaluated; pass --usage FILE or list files under `usage:`"
                )
            }
        }
        if let output {
            try OutputFiles.write(
                JSONWriter.write(PlanRenderer.json(plan, impact: impact)),
                toFile: frontend.workspace.argumentPath(output))
        }
        let color = format == .text && Terminal.colorEnabled(for: STDOUT_FILENO)
        Terminal.write(PlanRenderer.render(plan, impact: impact, as: format, color: color))
        if let output { Terminal.error("saved the plan to \(output)") }
        if let impact, !impact.violations.isEmpty {
            for violation in impact.violations { Terminal.error("proforma: error: \(violation)") }
            Terminal.exitNow(ExitStatus.guardrail.rawValue, keepingAlive: comparison, plan)
        }
        let status = detailedExitcode && !plan.diff.isEmpty ? ExitStatus.changes : ExitStatus.success
        Terminal.exitNow(status.rawValue, keepingAlive: comparison, plan)
    }
}

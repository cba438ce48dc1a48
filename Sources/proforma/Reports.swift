import ArgumentParser
import Foundation
import ProformaCore
import ProformaFrontend
import ProformaReport

extension CostReportFormat: ExpressibleByArgument {}
extension MarginBreakdown: ExpressibleByArgument {}

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Margin and cost reports over usage data.",
        subcommands: [Margin.self, Costs.self, Allocations.self])
}

/// What the margin and costs reports share: the periods, the output and its files.
struct ReportOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("A git revision for the configuration. Default: the working tree.", valueName: "rev"))
    var revision: String?

    @Option(
        help: ArgumentHelp(
            "The billing period, YYYY-MM. Default: the latest period in the usage data.", valueName: "period"))
    var period: String?

    @Option(
        help: ArgumentHelp(
            "A range of periods, P1..P2: every period of the data between them, each in its own rows.",
            valueName: "range"))
    var periods: String?

    @Flag(help: "Every period in the usage data.")
    var allPeriods = false

    @Option(
        help: """
            Output format: text, csv, json, html (a page with charts and the table), svg (the charts), or, for costs, \
            cost-explorer (JSON shaped as Cost Explorer's GetCostAndUsage response).
            """)
    var format: CostReportFormat = .text

    @Option(
        name: [.customShort("o"), .long],
        help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
    var output: String?

    @Option(
        help: ArgumentHelp(
            "With --format csv: write the totals, one row per currency, to this CSV file.", valueName: "file"))
    var totals: String?

    @Flag(help: "Plain ASCII sparklines and bars in text, as when the output is not a terminal (also NO_COLOR).")
    var noColor = false

    @Flag(help: "Report a period that has no usage lines instead of refusing it.")
    var allowEmptyPeriod = false

    func validate() throws {
        if [period != nil, periods != nil, allPeriods].filter({ $0 }).count > 1 {
            throw ValidationError("give one of --period, --periods and --all-periods")
        }
        if output?.isEmpty == true { throw ValidationError("-o needs a file name") }
        if totals?.isEmpty == true { throw ValidationError("--totals needs a file name") }
        if totals != nil && format != .csv {
            throw ValidationError("--totals goes with --format csv; the json format carries its totals")
        }
    }

    /// The periods asked for; by default the latest period in the data, as `invoice`.
    func periodRequest() throws -> PeriodRequest {
        if allPeriods { return .all }
        return try Pricing.periodRequest(period: period, periods: periods) ?? .latest
    }

    /// Sparklines and bars in Unicode blocks on a terminal that takes colour, else (a file, a pipe) in ASCII.
    var textGraphics: TextGraphics {
        output == nil && !noColor && Terminal.colorEnabled(for: STDOUT_FILENO) ? .unicode : .ascii
    }

    /// Writes the report to standard output or `-o`, and the totals to `--totals`.
    func write(_ text: String, totals totalsText: @autoclosure () -> String, _ repository: RepositoryOptions) throws {
        let frontend = try repository.frontend()
        if let totals { try OutputFiles.write(totalsText(), toFile: frontend.workspace.argumentPath(totals)) }
        if let output {
            try OutputFiles.write(text, toFile: frontend.workspace.argumentPath(output))
        } else {
            Terminal.write(text)
        }
    }
}

extension Report {
    struct Margin: ProformaCommand {
        static let configuration = CommandConfiguration(
            abstract: "Pro forma cost, AWS cost and margin per billing group, service or account, per period.",
            discussion: """
                Accounts in no billing group are listed as unassigned; the rows add up to the whole data set. \
                Over several periods (--periods P1..P2), the text shows each group's margin by month as a \
                sparkline, and html a page of charts.
                """)

        @OptionGroup var repository: RepositoryOptions
        @OptionGroup var usage: UsageOptions
        @OptionGroup var report: ReportOptions

        @Option(
            help: "Break the margin down by group, service or account, or roll groups up to their parents (parent).")
        var by: MarginRows = .group

        func validate() throws {
            if report.format == .costExplorer {
                throw ValidationError("--format cost-explorer is for `report costs`; margin takes text, csv, json, html or svg")
            }
            if by == .parent && (report.format == .html || report.format == .svg) {
                throw ValidationError("--by parent has text, csv and json; charts are drawn by group, service or account")
            }
        }

        func execute() throws -> ExitCode {
            let priced = try Pricing.run(
                repository,
                PricingRequest(
                    revision: report.revision, usage: usage.selection, periods: try report.periodRequest(),
                    allowEmptyPeriod: report.allowEmptyPeriod, strict: usage.strict))
            Pricing.printWarnings(priced)
            var options = priced.reportOptions
            options.textGraphics = report.textGraphics
            guard let breakdown = by.breakdown else {
                let hierarchy = priced.hierarchyMarginReport
                try report.write(
                    HierarchyReportRenderer.render(hierarchy, as: report.format),
                    totals: HierarchyReportRenderer.totalsCSV(hierarchy), repository)
                return ExitStatus.success
            }
            let margin = MarginReport(result: priced.result, by: breakdown, options: options)
            try report.write(
                CostReportRenderer.render(margin, as: report.format), totals: CostReportRenderer.totalsCSV(margin),
                repository)
            return ExitStatus.success
        }
    }

    struct Costs: ProformaCommand {
        static let configuration = CommandConfiguration(
            abstract: "Costs grouped Cost-Explorer style: by group, account, service, line type, category or period.",
            discussion: """
                The text shows each row's share of its currency's pro forma cost as a bar; html a page of charts.
                """)

        @OptionGroup var repository: RepositoryOptions
        @OptionGroup var usage: UsageOptions
        @OptionGroup var report: ReportOptions

        @Option(
            name: .customLong("group-by"), parsing: .upToNextOption,
            help: ArgumentHelp(
                "Dimensions: group, account, service, line_type, category, period (comma- or space-separated).",
                valueName: "dimension"))
        var groupBy: [String] = ["group", "service"]

        @Option(help: "group: each billing group; parent: each group rolled up to its direct parent.")
        var by: CostRollUp = .group

        func validate() throws {
            for dimension in dimensions where CostDimension(rawValue: dimension) == nil {
                throw ValidationError(
                    "unknown dimension \"\(dimension)\"; dimensions are \(CostDimension.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
        }

        var dimensions: [String] {
            groupBy.flatMap { $0.split(separator: ",").map { String($0).replacingOccurrences(of: "-", with: "_") } }
        }

        func execute() throws -> ExitCode {
            let priced = try Pricing.run(
                repository,
                PricingRequest(
                    revision: report.revision, usage: usage.selection, periods: try report.periodRequest(),
                    allowEmptyPeriod: report.allowEmptyPeriod, strict: usage.strict))
            Pricing.printWarnings(priced)
            var options = priced.reportOptions
            options.textGraphics = report.textGraphics
            let result = by == .parent ? priced.resultRolledUpToParents : priced.result
            let costs = CostsReport(
                result: result, groupBy: dimensions.compactMap(CostDimension.init(rawValue:)), options: options)
            try report.write(
                CostReportRenderer.render(costs, as: report.format), totals: CostReportRenderer.totalsCSV(costs),
                repository)
            return ExitStatus.success
        }
    }
}

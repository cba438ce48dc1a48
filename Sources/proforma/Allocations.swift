import ArgumentParser
import Foundation
import ProformaCore
import ProformaFrontend
import ProformaReport

/// The rows of `report margin`: the report's own breakdowns, or the groups rolled up to their parents.
enum MarginRows: String, CaseIterable, ExpressibleByArgument {
    case group
    case service
    case account
    case parent

    var breakdown: MarginBreakdown? { MarginBreakdown(rawValue: rawValue) }
}

/// What `report costs` calls a group: each billing group, or its direct parent.
enum CostRollUp: String, CaseIterable, ExpressibleByArgument {
    case group
    case parent
}

extension Report {
    struct Allocations: ProformaCommand {
        static let configuration = CommandConfiguration(
            abstract: "Each cost allocation's pool before the split, what each target received, and what was left.",
            discussion: """
                The pool is the AWS cost of the lines the allocation's source consumed; each target's line on its \
                invoice is its share; left is the fixed amount charged minus the pool (over- or under-recovery). \
                Shown figures balance to the minor unit.
                """)

        @OptionGroup var repository: RepositoryOptions
        @OptionGroup var usage: UsageOptions

        @Argument(
            help: ArgumentHelp("A git revision for the configuration. Default: the working tree.", valueName: "rev"))
        var revision: String?

        @Option(
            help: ArgumentHelp(
                "The billing period, YYYY-MM. Default: the latest period in the usage data.", valueName: "period"))
        var period: String?

        @Option(help: "Output format: text, csv or json.")
        var format: CostReportFormat = .text

        @Flag(help: "Report a period that has no usage lines instead of refusing it.")
        var allowEmptyPeriod = false

        func validate() throws {
            if ![.text, .csv, .json].contains(format) {
                throw ValidationError("report allocations has text, csv and json")
            }
        }

        func execute() throws -> ExitCode {
            let requested = try period.map(Pricing.period)
            let priced = try Pricing.run(
                repository,
                PricingRequest(
                    revision: revision, usage: usage.selection, periods: requested.map { .period($0) } ?? .latest,
                    allowEmptyPeriod: allowEmptyPeriod, strict: usage.strict))
            Pricing.printWarnings(priced)
            Terminal.write(AllocationReportRenderer.render(priced.allocationReport, as: format))
            return ExitStatus.success
        }
    }
}

import ArgumentParser
import Foundation
import ProformaCore
import ProformaEngine
import ProformaFrontend
import ProformaModel
import ProformaReport

extension InvoiceFormat: ExpressibleByArgument {}
extension CostReportFormat: ExpressibleByArgument {}
extension MarginBreakdown: ExpressibleByArgument {}

struct Invoice: ProformaCommand {
    static let configuration = CommandConfiguration(
        abstract: "Render the pro forma invoice of a billing group for a period.",
        discussion: """
            The configuration comes from a revision (default: the working tree, uncommitted changes included) and \
            the usage data from --usage files or the project's `usage` list. Every invoice names the commit and \
            the usage files it was priced from. With --all-groups, one file per billing group is written into \
            --output-dir (default: invoices/PERIOD).
            """)

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var usage: UsageOptions

    @Argument(help: ArgumentHelp("A git revision for the configuration. Default: the working tree.", valueName: "rev"))
    var revision: String?

    @Option(help: ArgumentHelp("The billing group.", valueName: "name"))
    var group: String?

    @Flag(help: "Write an invoice for every billing group.")
    var allGroups = false

    @Option(
        help: ArgumentHelp(
            "The billing period, YYYY-MM. Default: the latest period in the usage data.", valueName: "period"))
    var period: String?

    @Option(help: "Output format: text, markdown, csv, json or html.")
    var format: InvoiceFormat = .text

    @Option(
        name: [.customShort("o"), .long],
        help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
    var output: String?

    @Option(help: ArgumentHelp("With --all-groups: the folder to write into.", valueName: "dir"))
    var outputDir: String?

    @Flag(help: "Invoice a period that has no usage lines (custom line items alone) instead of refusing it.")
    var allowEmptyPeriod = false

    func validate() throws {
        if allGroups == (group != nil) {
            throw ValidationError("name a billing group with --group, or use --all-groups")
        }
        if allGroups && output != nil { throw ValidationError("--all-groups writes into --output-dir, not -o") }
        if output?.isEmpty == true { throw ValidationError("-o needs a file name") }
        if outputDir?.isEmpty == true { throw ValidationError("--output-dir needs a folder") }
    }

    func execute() throws -> ExitCode {
        let requested = try period.map(Pricing.period)
        let frontend = try repository.frontend()
        let priced = try Pricing.run(
            repository,
            PricingRequest(
                revision: revision, usage: usage.selection, periods: requested.map { .period($0) } ?? .latest,
                allowEmptyPeriod: allowEmptyPeriod, strict: usage.strict))
        let configuration = priced.configuration
        let chosen = priced.periods[0]
        let groups = allGroups ? configuration.billingGroups.map(\.name) : [group ?? ""]
        for name in groups where configuration.billingGroups.first(where: { $0.name == name }) == nil {
            throw UserError(
                "no billing group \"\(name)\" in the configuration",
                hint: Suggestions.hint(for: name, among: configuration.billingGroups.map(\.name)), kind: .usage)
        }
        Pricing.printWarnings(priced, groups: Set(groups))
        func document(_ name: String) throws -> InvoiceDocument {
            guard let document = priced.invoice(name, period: chosen) else {
                throw UserError("no result for billing group \"\(name)\" in \(chosen)")
            }
            return document
        }
        if allGroups {
            // --output-dir is trusted as named; the default folder below the one the command runs in is checked for
            // links.
            let folder =
                try outputDir.map { try OutputFolder(frontend.workspace.argumentPath($0), create: true) }
                ?? OutputFolder(frontend.workspace.argumentPath("."), below: "invoices/\(chosen)", create: true)
            let set = try OutputSet(folder) {
                Terminal.error("waiting for another proforma run writing to \(folder.path)")
            }
            for name in groups {
                let text = InvoiceRenderer.render(try document(name), as: format)
                try set.write(text, named: "\(name).\(format.fileExtension)")
            }
            try set.finish([
                "period": .string(chosen.description), "format": .string(format.rawValue),
                "provenance": priced.provenance.json,
            ])
            Terminal.error(
                "wrote \(groups.count) invoice\(groups.count == 1 ? "" : "s") for \(chosen) to \(folder.path)")
            return ExitStatus.success
        }
        let text = InvoiceRenderer.render(try document(groups[0]), as: format)
        if let output {
            try OutputFiles.write(text, toFile: frontend.workspace.argumentPath(output))
        } else {
            Terminal.write(text)
        }
        return ExitStatus.success
    }
}

extension InvoiceFormat {
    var fileExtension: String {
        switch self {
        case .text: "txt"
        case .markdown: "md"
        case .csv: "csv"
        case .json: "json"
        case .html: "html"
        }
    }
}

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Margin and cost reports over usage data.",
        subcommands: [Margin.self, Costs.self])

    struct Margin: ProformaCommand {
        static let configuration = CommandConfiguration(
            abstract: "Pro forma cost, AWS cost and margin per billing group, service or account for a period.",
            discussion: """
                Accounts in no billing group are listed as unassigned; the rows add up to the whole data set.
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

        @Option(help: "Break the margin down by group, service or account.")
        var by: MarginBreakdown = .group

        @Option(help: "Output format: text, csv or json.")
        var format: CostReportFormat = .text

        @Flag(help: "Report a period that has no usage lines instead of refusing it.")
        var allowEmptyPeriod = false

        func validate() throws {
            if format == .costExplorer {
                throw ValidationError("--format cost-explorer is for `report costs`; margin takes text, csv or json")
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
            let report = MarginReport(result: priced.result, by: by, options: priced.reportOptions)
            Terminal.write(CostReportRenderer.render(report, as: format))
            return ExitStatus.success
        }
    }

    struct Costs: ProformaCommand {
        static let configuration = CommandConfiguration(
            abstract: "Costs grouped Cost-Explorer style: by group, account, service, line type, category or period.")

        @OptionGroup var repository: RepositoryOptions
        @OptionGroup var usage: UsageOptions

        @Argument(
            help: ArgumentHelp("A git revision for the configuration. Default: the working tree.", valueName: "rev"))
        var revision: String?

        @Option(
            help: ArgumentHelp(
                "Only this billing period, YYYY-MM. Default: every period in the data.", valueName: "period"))
        var period: String?

        @Option(
            name: .customLong("group-by"), parsing: .upToNextOption,
            help: ArgumentHelp(
                "Dimensions: group, account, service, line_type, category, period (comma- or space-separated).",
                valueName: "dimension"))
        var groupBy: [String] = ["group", "service"]

        @Option(
            help:
                "Output format: text, csv, json, or cost-explorer (JSON shaped as Cost Explorer's GetCostAndUsage response)."
        )
        var format: CostReportFormat = .text

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

        @Flag(help: "Report a period that has no usage lines instead of refusing it.")
        var allowEmptyPeriod = false

        func execute() throws -> ExitCode {
            let requested = try period.map(Pricing.period)
            let priced = try Pricing.run(
                repository,
                PricingRequest(
                    revision: revision, usage: usage.selection, periods: requested.map { .period($0) } ?? .all,
                    allowEmptyPeriod: allowEmptyPeriod, strict: usage.strict))
            Pricing.printWarnings(priced)
            let report = CostsReport(
                result: priced.result, groupBy: dimensions.compactMap(CostDimension.init(rawValue:)),
                options: priced.reportOptions)
            Terminal.write(CostReportRenderer.render(report, as: format))
            return ExitStatus.success
        }
    }
}

import ArgumentParser
import Foundation
import ProformaCore
import ProformaEngine
import ProformaFrontend
import ProformaModel
import ProformaReport

extension InvoiceFormat: ExpressibleByArgument {}

struct Invoice: ProformaCommand {
    static let configuration = CommandConfiguration(
        abstract: "Render the pro forma invoice of a billing group for a period.",
        discussion: """
            The configuration comes from a revision (default: the working tree, uncommitted changes included) and \
            the usage data from --usage files or the project's `usage` list. Every invoice names the commit and \
            the usage files it was priced from. With --all-groups, one file per billing group is written into \
            --output-dir (default: invoices/PERIOD). PDF is the HTML invoice printed by the first of weasyprint, \
            wkhtmltopdf or chromium found on PATH.
            """)

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var usage: UsageOptions

    @Argument(help: ArgumentHelp("A git revision for the configuration. Default: the working tree.", valueName: "rev"))
    var revision: String?

    @Option(
        help: ArgumentHelp(
            "The billing group, or a parent group for the consolidated invoice of the groups below it.",
            valueName: "name"))
    var group: String?

    @Flag(help: "Write an invoice for every billing group.")
    var allGroups = false

    @Option(
        help: ArgumentHelp(
            "The billing period, YYYY-MM. Default: the latest period in the usage data.", valueName: "period"))
    var period: String?

    @Option(
        help: ArgumentHelp(
            "Output format: text, markdown, csv, json, html or pdf (default: text, or pdf for -o FILE.pdf).",
            valueName: "format"))
    var format: InvoiceFormat?

    @Option(
        help: ArgumentHelp(
            "The issue date, YYYY-MM-DD. Default: the issuer's issue_day (1) of the month after the period.",
            valueName: "date"))
    var issueDate: String?

    @Flag(help: "Show lines and custom line items of 0.00 (text, markdown, html, pdf); hidden by default.")
    var showZero = false

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
        if let issueDate, CalendarDate(issueDate) == nil {
            throw ValidationError("--issue-date \"\(issueDate)\" is not a date of the form YYYY-MM-DD")
        }
        if chosenFormat == .pdf && !allGroups && output == nil {
            throw ValidationError("--format pdf writes a file: name it with -o FILE.pdf, or use --all-groups")
        }
    }

    /// The format asked for; `-o FILE.pdf` without --format means pdf.
    var chosenFormat: InvoiceFormat {
        if let format { return format }
        return output?.lowercased().hasSuffix(".pdf") == true ? .pdf : .text
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
        let format = chosenFormat
        // Found before anything is priced into a file, so a missing converter fails at once.
        var converter: PDFConverter?
        if format == .pdf {
            guard let found = PDFConverter.find(path: ProcessInfo.processInfo.environment["PATH"]) else {
                throw PDFConverter.notFound
            }
            converter = found
        }
        if !allGroups, let group, let parent = try priced.parentInvoice(
            group, period: chosen,
            options: InvoiceOptions(issueDate: issueDate.flatMap(CalendarDate.init), showZero: showZero))
        {
            // A parent group: the consolidated invoice of the billing groups below it.
            Pricing.printWarnings(priced, groups: Set(parent.invoices.map(\.result.group)))
            let text = ParentInvoiceRenderer.render(parent, as: format)
            if let output {
                let bytes = try converter.map { try $0.convert(text) } ?? Array(text.utf8)
                try OutputFiles.write(bytes: bytes, toFile: frontend.workspace.argumentPath(output))
            } else {
                Terminal.write(text)
            }
            return ExitStatus.success
        }
        let groups = allGroups ? configuration.billingGroups.map(\.name) : [group ?? ""]
        for name in groups where configuration.billingGroups.first(where: { $0.name == name }) == nil {
            throw UserError(
                "no billing group or parent group \"\(name)\" in the configuration",
                hint: Suggestions.hint(
                    for: name, among: configuration.billingGroups.map(\.name) + configuration.parentGroups.map(\.name)),
                kind: .usage)
        }
        Pricing.printWarnings(priced, groups: Set(groups))
        let options = InvoiceOptions(issueDate: issueDate.flatMap(CalendarDate.init), showZero: showZero)
        func bytes(_ name: String) throws -> [UInt8] {
            let text = InvoiceRenderer.render(try document(name), as: format)
            guard let converter else { return Array(text.utf8) }
            return try converter.convert(text)
        }
        func document(_ name: String) throws -> InvoiceDocument {
            guard let document = try priced.invoice(name, period: chosen, options: options) else {
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
                try set.write(bytes: try bytes(name), named: "\(name).\(format.fileExtension)")
            }
            try set.finish([
                "period": .string(chosen.description), "format": .string(format.rawValue),
                "provenance": priced.provenance.json,
            ])
            Terminal.error(
                "wrote \(groups.count) invoice\(groups.count == 1 ? "" : "s") for \(chosen) to \(folder.path)")
            return ExitStatus.success
        }
        if let output {
            try OutputFiles.write(bytes: try bytes(groups[0]), toFile: frontend.workspace.argumentPath(output))
        } else {
            Terminal.write(InvoiceRenderer.render(try document(groups[0]), as: format))
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
        case .pdf: "pdf"
        }
    }
}

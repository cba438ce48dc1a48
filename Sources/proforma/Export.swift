import ArgumentParser
import Foundation
import ProformaCore
import ProformaFrontend
import ProformaUsage

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export priced usage for other tools.",
        subcommands: [CUR.self])

    struct CUR: ProformaCommand {
        static let configuration = CommandConfiguration(
            commandName: "cur",
            abstract: "Write a billing group's usage at pro forma cost, in its usage data's own format.",
            discussion: """
                As AWS Billing Conductor's pro forma CUR: every column of the input kept, only the group's \
                accounts' rows of the period, the cost columns (CUR lineItem/UnblendedCost, BlendedCost, \
                NetUnblendedCost; CUR 2.0 line_item_unblended_cost, …; FOCUS BilledCost and EffectiveCost) \
                replaced by pro forma amounts, and each custom line item as a row of its own. The cost column adds \
                up exactly to the invoice's total (--exact: to its exact pro forma cost). The data is read again, \
                row by row; standard input cannot be.
                """)

        @OptionGroup var repository: RepositoryOptions
        @OptionGroup var usage: UsageOptions

        @Argument(
            help: ArgumentHelp("A git revision for the configuration. Default: the working tree.", valueName: "rev"))
        var revision: String?

        @Option(help: ArgumentHelp("The billing group.", valueName: "name"))
        var group: String

        @Option(
            help: ArgumentHelp("The billing period, YYYY-MM. Default: the latest in the data.", valueName: "period"))
        var period: String?

        @Option(help: "cur, cur2 or focus: must be the usage data's own format (default: that format).")
        var format: String?

        @Option(
            name: .shortAndLong, help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file")
        )
        var output: String?

        @Flag(help: "Write exact amounts (10 places) instead of amounts rounded to the currency's minor unit.")
        var exact = false

        static let formats: [String: UsageFormat] = ["cur": .cur, "cur2": .cur2, "focus": .focus]

        func validate() throws {
            if let format, Self.formats[format] == nil {
                throw ValidationError("unknown format \"\(format)\"; formats are cur, cur2, focus")
            }
            if usage.files.contains("-") {
                throw ValidationError("standard input cannot be read twice; name the usage file")
            }
        }

        func execute() throws -> ExitCode {
            let requested = try period.map(Pricing.period)
            let priced = try Pricing.run(
                repository,
                PricingRequest(
                    revision: revision, usage: usage.selection, periods: requested.map { .period($0) } ?? .latest,
                    strict: usage.strict))
            Pricing.printWarnings(priced, groups: [group])
            guard let period = priced.periods.last else { throw UserError("the usage data has no period") }
            guard priced.configuration(for: period).billingGroups.contains(where: { $0.name == group }) else {
                throw UserError("no billing group \"\(group)\"", hint: "`proforma validate` lists the configuration")
            }
            let workspace = try repository.frontend().workspace
            let sink = try output.map { try StreamedFile(workspace.argumentPath($0), url: workspace.path($0)) }
            var buffer = ""
            func write(_ text: String) throws {
                buffer += text
                guard buffer.utf8.count >= 1 << 20 else { return }
                try flush()
            }
            func flush() throws {
                if let sink { try sink.write(buffer) } else { Terminal.write(buffer) }
                buffer = ""
            }
            let summary: CURExportSummary
            do {
                summary = try CURExport.export(
                    priced, group: group, period: period, format: format.flatMap { Self.formats[$0] }, exact: exact,
                    skipInvalidRows: usage.skipInvalidRows, write: write)
                try flush()
                try sink?.commit()
            } catch let error as CURExportError {
                sink?.discard()
                throw UserError(error.message, hint: error.hint)
            } catch {
                sink?.discard()
                throw error
            }
            Terminal.error(
                "\(group) \(period): \(summary.usageRows) usage rows, \(summary.customLineItems) custom line items and \(summary.allocatedShares) shared costs, \(summary.total) \(summary.currency) (\(summary.format))"
            )
            return ExitStatus.success
        }
    }
}

/// A file written in pieces into a temporary file beside it, renamed into place when complete; never through a
/// symbolic link.
final class StreamedFile {
    let name: String
    let url: URL
    let temporary: URL
    let handle: FileHandle

    init(_ name: String, url: URL) throws {
        self.name = name
        self.url = url
        let folder = url.deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue
        else { throw UserError("\(name): its folder does not exist") }
        if (try? FileManager.default.destinationOfSymbolicLink(atPath: url.path)) != nil {
            throw UserError("\(name) is a symbolic link; proforma does not write through links")
        }
        temporary = folder.appendingPathComponent(".\(url.lastPathComponent).proforma-\(getpid()).tmp")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
            throw UserError("\(name): cannot be written", hint: "check the folder's permissions")
        }
        handle = try FileHandle(forWritingTo: temporary)
    }

    func write(_ text: String) throws {
        do {
            try handle.write(contentsOf: Data(text.utf8))
        } catch {
            discard()
            throw UserError("\(name): cannot be written: \(error.localizedDescription)")
        }
    }

    func commit() throws {
        try handle.close()
        guard rename(temporary.path, url.path) == 0 else {
            discard()
            throw UserError("\(name): cannot be written", hint: "check the folder's permissions")
        }
    }

    func discard() {
        try? handle.close()
        try? FileManager.default.removeItem(at: temporary)
    }
}

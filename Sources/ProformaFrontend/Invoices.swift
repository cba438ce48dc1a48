import Foundation
import ProformaCore
import ProformaLoader
import ProformaModel
import ProformaReport

/// How an invoice is made beyond its figures.
public struct InvoiceOptions: Sendable, Hashable {
    /// The issue date (`--issue-date`); nil for the issuer's day of the month after the period.
    public var issueDate: CalendarDate?
    /// Show lines of 0 as shown (`--show-zero`).
    public var showZero: Bool

    public init(issueDate: CalendarDate? = nil, showZero: Bool = false) {
        self.issueDate = issueDate
        self.showZero = showZero
    }
}

extension PricedUsage {
    /// The largest logo an invoice embeds.
    public static let maxLogoBytes = 1 << 20

    /// The invoice of `group` for `period`, ready to render, with the issuer and customer of the configuration
    /// that priced the period, its number, dates and logo; nil when the group does not exist.
    public func invoice(_ group: String, period: BillingPeriod, options: InvoiceOptions = .init()) throws
        -> InvoiceDocument?
    {
        let configuration = configuration(for: period)
        guard let result = result.group(group, period: period),
            let definition = configuration.billingGroups.first(where: { $0.name == group })
        else { return nil }
        let sorted = configuration.billingGroups.map(\.name).sorted()
        let sequence = (sorted.firstIndex(of: group) ?? 0) + 1
        let issuer = configuration.project?.issuer
        let heading = InvoiceHeading.make(
            group: group, period: period, sequence: sequence, issuer: issuer, customer: definition.customer,
            issueDate: options.issueDate, logo: try issuer?.logo.map(logo))
        return InvoiceDocument(
            result: result, group: definition, accounts: configuration.accounts, currencyPlaces: nil,
            rounding: configuration.project?.rounding ?? .halfEven, provenance: provenance, heading: heading,
            serviceNames: serviceNames, showZero: options.showZero)
    }

    /// The issuer's logo, read from the configuration's tree (`path` relative to its root).
    func logo(_ path: String) throws -> InvoiceLogo {
        let source = validated.source
        let fileExtension = path.split(separator: ".").last.map { $0.lowercased() } ?? ""
        guard let mediaType = ConfigurationLoader.logoTypes[fileExtension] else {
            throw UserError("the issuer's logo \(path) is not an image proforma can embed")
        }
        do {
            let bytes = try source.tree.contents(
                of: source.root.isEmpty ? path : source.root + "/" + path, maxBytes: Self.maxLogoBytes)
            return InvoiceLogo(mediaType: mediaType, bytes: bytes)
        } catch {
            throw UserError(
                "the issuer's logo \(path) cannot be read: \(error.message)",
                hint: "invoices embed logos of at most \(Self.maxLogoBytes / 1024) KiB")
        }
    }
}

/// A program that prints HTML to PDF, found on `PATH`. The first one found of, in order: `weasyprint`,
/// `wkhtmltopdf`, and Chromium (`chromium`, `chromium-browser`, `google-chrome`, `google-chrome-stable`) headless.
public struct PDFConverter: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case weasyprint
        case wkhtmltopdf
        case chromium
    }

    public var kind: Kind
    /// The program's full path.
    public var executable: String

    public init(kind: Kind, executable: String) {
        self.kind = kind
        self.executable = executable
    }

    /// The programs looked for, in order of preference.
    public static let candidates: [(kind: Kind, names: [String])] = [
        (.weasyprint, ["weasyprint"]),
        (.wkhtmltopdf, ["wkhtmltopdf"]),
        (.chromium, ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]),
    ]

    /// The first converter found in the folders of `path` (a `PATH` value); `isExecutable` tells whether a file
    /// can be run.
    public static func find(
        path: String?, isExecutable: (String) -> Bool = { FileManager.default.isExecutableFile(atPath: $0) }
    ) -> PDFConverter? {
        let folders = (path ?? "").split(separator: ":", omittingEmptySubsequences: true).map(String.init)
        for (kind, names) in candidates {
            for name in names {
                for folder in folders {
                    let file = folder.hasSuffix("/") ? folder + name : folder + "/" + name
                    if isExecutable(file) { return PDFConverter(kind: kind, executable: file) }
                }
            }
        }
        return nil
    }

    /// The error when none is found.
    public static var notFound: UserError {
        UserError(
            "PDF needs an HTML-to-PDF converter on PATH: weasyprint, wkhtmltopdf or chromium (none was found)",
            hint: "install one (`apt-get install weasyprint`), or render --format html and print it from a browser")
    }

    /// The arguments that print the HTML file `html` to the PDF file `pdf`.
    public func arguments(html: String, pdf: String) -> [String] {
        switch kind {
        case .weasyprint:
            ["--quiet", html, pdf]
        case .wkhtmltopdf:
            ["--quiet", "--print-media-type", "--disable-javascript", "--encoding", "utf-8", html, pdf]
        case .chromium:
            [
                "--headless", "--disable-gpu", "--no-sandbox", "--no-pdf-header-footer",
                "--print-to-pdf-no-header", "--print-to-pdf=\(pdf)", URL(fileURLWithPath: html).absoluteString,
            ]
        }
    }

    /// Prints `html` to PDF and returns its bytes, running the converter in a temporary folder.
    public func convert(_ html: String) throws -> [UInt8] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "proforma-pdf-\(ProcessInfo.processInfo.processIdentifier)-\(UInt64.random(in: 0...UInt64.max))")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
        } catch {
            throw UserError("cannot make a temporary folder for the PDF: \(error.localizedDescription)", kind: .io)
        }
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("invoice.html")
        let output = folder.appendingPathComponent("invoice.pdf")
        do {
            try Data(html.utf8).write(to: input)
        } catch {
            throw UserError("cannot write the invoice for the PDF converter: \(error.localizedDescription)", kind: .io)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments(html: input.path, pdf: output.path)
        process.currentDirectoryURL = folder
        let errors = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw UserError("\(executable) could not be started: \(error.localizedDescription)")
        }
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let bytes = (try? Data(contentsOf: output)).map { [UInt8]($0) } ?? []
        guard process.terminationStatus == 0, bytes.starts(with: Array("%PDF".utf8)) else {
            let first = String(decoding: message, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
            throw UserError(
                "\(executable) did not make a PDF (exit status \(process.terminationStatus))"
                    + (first.isEmpty ? "" : ": \(first)"))
        }
        return bytes
    }
}

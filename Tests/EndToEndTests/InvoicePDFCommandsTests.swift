import Foundation
import ProformaTestSupport
import Testing

/// PDF invoices through a converter found on PATH, and the options of a customer's invoice.
@Suite struct InvoicePDFCommandsTests {
    let binary: URL
    let example = TestSupport.packageRoot.appendingPathComponent("examples/msp")

    init() throws {
        binary = try #require(TestSupport.proformaBinary)
    }

    /// A folder with a fake `name` converter that writes `%PDF-` and the HTML it was given to the PDF file.
    func fakeConverter(_ name: String, arguments: String) throws -> URL {
        let folder = try TestSupport.temporaryDirectory()
        let script = folder.appendingPathComponent(name)
        try """
        #!/bin/sh
        \(arguments)
        { printf '%%PDF-1.7 fake\\n'; cat "$html"; } > "$pdf"

        """.write(to: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        return folder
    }

    @Test func aPDFIsPrintedByTheFirstConverterOnPath() throws {
        // weasyprint --quiet HTML PDF
        let converters = try fakeConverter("weasyprint", arguments: "html=\"$2\"; pdf=\"$3\"")
        let output = try TestSupport.temporaryDirectory()
        defer {
            try? FileManager.default.removeItem(at: converters)
            try? FileManager.default.removeItem(at: output)
        }
        let file = output.appendingPathComponent("harbor.pdf")
        let result = try TestSupport.run(
            binary,
            ["invoice", "-C", example.path, "--group", "harbor-logistics", "--period", "2026-10", "-o", file.path],
            environment: ["PATH": converters.path + ":/usr/bin:/bin"])
        #expect(result.status == 0, "\(result.stderr)")
        let bytes = try Data(contentsOf: file)
        #expect(bytes.starts(with: Array("%PDF-".utf8)))
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains("ACP-202610-002"))
        #expect(text.contains("<img src=\"data:image/svg+xml;base64,"))

        // --all-groups writes one PDF per group, listed in the manifest.
        let folder = output.appendingPathComponent("all")
        let all = try TestSupport.run(
            binary,
            [
                "invoice", "-C", example.path, "--all-groups", "--period", "2026-10", "--format", "pdf",
                "--output-dir", folder.path,
            ], environment: ["PATH": converters.path + ":/usr/bin:/bin"])
        #expect(all.status == 0, "\(all.stderr)")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(names.filter { $0.hasSuffix(".pdf") }.count == 5)
        let manifest = try String(contentsOf: folder.appendingPathComponent("proforma-manifest.json"), encoding: .utf8)
        #expect(manifest.contains("harbor-logistics.pdf"))
    }

    /// A real converter, where one is installed (`weasyprint`, `wkhtmltopdf` or Chromium on PATH).
    static var realConverterInstalled: Bool {
        let names = [
            "weasyprint", "wkhtmltopdf", "chromium", "chromium-browser", "google-chrome", "google-chrome-stable",
        ]
        let folders = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
        return folders.contains { folder in
            names.contains { FileManager.default.isExecutableFile(atPath: "\(folder)/\($0)") }
        }
    }

    @Test(.enabled(if: realConverterInstalled)) func aRealConverterMakesAPDF() throws {
        let output = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: output) }
        let file = output.appendingPathComponent("medisync.pdf")
        let result = try TestSupport.run(
            binary,
            ["invoice", "-C", example.path, "--group", "medisync-health", "--period", "2026-10", "-o", file.path])
        #expect(result.status == 0, "\(result.stderr)")
        let bytes = try Data(contentsOf: file)
        #expect(bytes.starts(with: Array("%PDF-".utf8)))
        #expect(bytes.count > 5_000)
    }

    @Test func withoutAConverterPDFFailsInOneLineNamingWhatToInstall() throws {
        let empty = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: empty) }
        let result = try TestSupport.run(
            binary,
            [
                "invoice", "-C", example.path, "--group", "harbor-logistics", "--period", "2026-10", "-o",
                empty.appendingPathComponent("x.pdf").path,
            ], environment: ["PATH": empty.path])
        #expect(result.status == 1)
        let first = result.stderr.split(separator: "\n").first { $0.contains("error") }
        #expect(first?.contains("weasyprint, wkhtmltopdf or chromium") == true, "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: empty.appendingPathComponent("x.pdf").path))
    }

    @Test func optionsAreChecked() throws {
        let pdfToTerminal = try TestSupport.run(
            binary, ["invoice", "-C", example.path, "--group", "harbor-logistics", "--format", "pdf"])
        #expect(pdfToTerminal.status == 64)
        #expect(pdfToTerminal.stderr.contains("-o FILE.pdf"))
        let badDate = try TestSupport.run(
            binary, ["invoice", "-C", example.path, "--group", "harbor-logistics", "--issue-date", "2026-02-30"])
        #expect(badDate.status == 64)
        #expect(badDate.stderr.contains("YYYY-MM-DD"))
        let dated = try TestSupport.run(
            binary,
            [
                "invoice", "-C", example.path, "--group", "harbor-logistics", "--period", "2026-10", "--issue-date",
                "2026-11-15", "--show-zero",
            ])
        #expect(dated.status == 0, "\(dated.stderr)")
        #expect(dated.stdout.contains("Due date         2026-12-15 (30 days)"))
        #expect(!dated.stdout.contains("not shown"))
        let plain = try TestSupport.run(
            binary, ["invoice", "-C", example.path, "--group", "harbor-logistics", "--period", "2026-10"])
        #expect(plain.stdout.contains("Issue date       2026-11-01"))
    }
}

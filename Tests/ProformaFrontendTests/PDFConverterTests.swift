import ProformaFrontend
import Testing

@Suite struct PDFConverterTests {
    @Test func theFirstConverterInOrderOfPreferenceIsFound() {
        let installed: Set<String> = ["/opt/bin/chromium", "/usr/bin/wkhtmltopdf", "/usr/local/bin/weasyprint"]
        let all = PDFConverter.find(path: "/opt/bin:/usr/bin:/usr/local/bin") { installed.contains($0) }
        #expect(all == PDFConverter(kind: .weasyprint, executable: "/usr/local/bin/weasyprint"))
        let two = PDFConverter.find(path: "/opt/bin/:/usr/bin") { installed.contains($0) }
        #expect(two == PDFConverter(kind: .wkhtmltopdf, executable: "/usr/bin/wkhtmltopdf"))
        let chrome = PDFConverter.find(path: "/x:/opt/google/chrome") { $0 == "/opt/google/chrome/google-chrome" }
        #expect(chrome == PDFConverter(kind: .chromium, executable: "/opt/google/chrome/google-chrome"))
        // The first folder of PATH holding a converter of one kind wins.
        let first = PDFConverter.find(path: "/a:/b") { $0.hasSuffix("/weasyprint") }
        #expect(first?.executable == "/a/weasyprint")
        #expect(PDFConverter.find(path: "/usr/bin") { _ in false } == nil)
        #expect(PDFConverter.find(path: nil) { _ in true } == nil)
        #expect(PDFConverter.find(path: "") { _ in true } == nil)
    }

    @Test func eachConverterIsToldToPrintTheFileToTheFile() {
        let html = "/tmp/x/invoice.html"
        let pdf = "/tmp/x/invoice.pdf"
        #expect(
            PDFConverter(kind: .weasyprint, executable: "w").arguments(html: html, pdf: pdf) == ["--quiet", html, pdf])
        let wk = PDFConverter(kind: .wkhtmltopdf, executable: "k").arguments(html: html, pdf: pdf)
        #expect(wk.suffix(2) == [html, pdf])
        #expect(wk.contains("--print-media-type") && wk.contains("--disable-javascript"))
        let chrome = PDFConverter(kind: .chromium, executable: "c").arguments(html: html, pdf: pdf)
        #expect(chrome.contains("--headless"))
        #expect(chrome.contains("--print-to-pdf=\(pdf)"))
        #expect(chrome.last == "file:///tmp/x/invoice.html")
    }

    @Test func theErrorNamesWhatToInstall() {
        let error = PDFConverter.notFound
        #expect(error.message.contains("weasyprint, wkhtmltopdf or chromium"))
        #expect(!error.message.contains("\n"))
        #expect(error.hint?.contains("apt-get install weasyprint") == true)
    }
}

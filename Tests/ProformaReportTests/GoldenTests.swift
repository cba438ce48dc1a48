import ProformaCore
import ProformaReport
import Testing

/// Every format over the shared reports, against the committed files in `Golden/` (see `Golden` to re-record).
@Suite struct GoldenTests {
    static func fileName(_ report: String, _ format: DiagnosticFormat, variant: String? = nil) -> String {
        let stem = variant.map { "\(report).\($0)" } ?? report
        switch format {
        case .text: return "\(stem).txt"
        case .json: return "\(stem).json"
        case .github: return "\(stem).github.txt"
        case .sarif: return "\(stem).sarif.json"
        case .junit: return "\(stem).junit.xml"
        }
    }

    @Test(arguments: DiagnosticFormat.allCases)
    func sample(format: DiagnosticFormat) {
        let output = DiagnosticRenderer.render(Fixtures.sample, as: format, sources: Fixtures.sampleSources)
        Golden.check(output, matches: Self.fileName("sample", format))
    }

    @Test(arguments: DiagnosticFormat.allCases)
    func clean(format: DiagnosticFormat) {
        let output = DiagnosticRenderer.render(Fixtures.clean, as: format, sources: Fixtures.sampleSources)
        Golden.check(output, matches: Self.fileName("clean", format))
    }

    @Test func sampleInColour() {
        let output = DiagnosticRenderer.render(
            Fixtures.sample, as: .text, sources: Fixtures.sampleSources, options: RenderOptions(color: true))
        Golden.check(output, matches: Self.fileName("sample", .text, variant: "color"))
    }

    @Test func sampleStrictJUnit() {
        let output = DiagnosticRenderer.render(
            Fixtures.sample, as: .junit, sources: Fixtures.sampleSources, options: RenderOptions(strict: true))
        Golden.check(output, matches: Self.fileName("sample", .junit, variant: "strict"))
    }
}

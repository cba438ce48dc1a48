import ProformaCore

/// Renders a validation report in one of the `DiagnosticFormat`s.
///
/// Pure: the same report, sources and options always give the same text, byte for byte. Nothing is printed and
/// nothing is read from the environment or the terminal. Every output ends with a newline.
///
/// Paths: the text and json formats show paths as diagnostics carry them (relative to the configuration root; json
/// also gives `root`); the github, sarif and junit formats, read by CI from the repository root, prefix them with
/// `ValidationReport.root`.
public enum DiagnosticRenderer {
    public static func render(
        _ report: ValidationReport, as format: DiagnosticFormat, sources: any SourceProvider = NoSources(),
        options: RenderOptions = RenderOptions()
    ) -> String {
        switch format {
        case .text: TextDiagnostics.render(report, sources: sources, options: options)
        case .json: JSONDiagnostics.render(report, options: options)
        case .github: GitHubDiagnostics.render(report, options: options)
        case .sarif: SARIFDiagnostics.render(report)
        case .junit: JUnitDiagnostics.render(report, options: options)
        }
    }
}

/// The diagnostics not among those `shown` (positions ascending).
func omittedDiagnostics(_ diagnostics: [Diagnostic], shown: [Int]) -> [Diagnostic] {
    guard shown.count < diagnostics.count else { return [] }
    var omitted: [Diagnostic] = []
    omitted.reserveCapacity(diagnostics.count - shown.count)
    var next = shown.makeIterator()
    var upcoming = next.next()
    for (index, diagnostic) in diagnostics.enumerated() {
        if index == upcoming {
            upcoming = next.next()
        } else {
            omitted.append(diagnostic)
        }
    }
    return omitted
}

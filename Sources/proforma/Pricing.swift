import ArgumentParser
import Foundation
import ProformaCore
import ProformaFrontend
import ProformaReport
import ProformaUsage

/// Options of the commands that price usage data.
struct UsageOptions: ParsableArguments {
    @Option(
        name: .customLong("usage"),
        help: ArgumentHelp(
            "A usage file (CUR, CUR 2.0 or FOCUS CSV, plain or gzip; - for standard input); repeatable. Default: the project's usage files.",
            valueName: "file"))
    var files: [String] = []

    @Flag(help: "Skip rows that cannot be read, counting and reporting them, instead of stopping at the first.")
    var skipInvalidRows = false

    @Flag(help: "Refuse a configuration with warnings too, as `validate --strict` does.")
    var strict = false

    var selection: UsageSelection { UsageSelection(files: files, skipInvalidRows: skipInvalidRows) }
}

enum Pricing {
    /// Prices `request` through the shared frontend, with a progress line on a terminal, and prints the reading's
    /// notes.
    static func run(_ repository: RepositoryOptions, _ request: PricingRequest) throws -> PricedUsage {
        let frontend = try repository.frontend()
        let progress = Progress(enabled: Terminal.colorEnabled(for: STDERR_FILENO))
        defer { progress.clear() }  // also when reading fails: the error line starts on a clean line
        let priced = try frontend.price(request, progress: progress.enabled ? progress.update : nil)
        progress.clear()
        for warning in priced.readingWarnings { Terminal.error("proforma: warning: \(warning)") }
        for note in priced.readingNotes { Terminal.error("proforma: note: \(note)") }
        printDigestNotes(digest: priced.digest, problems: priced.digestProblems)
        return priced
    }

    /// Says which usage digest was read, and which were passed over.
    static func printDigestNotes(digest: String?, problems: [String]) {
        for problem in problems { Terminal.error("proforma: note: \(problem); it was passed over") }
        if let digest { Terminal.error("proforma: note: usage read from its digest \(digest)") }
    }

    /// Prints the engine's warnings for `groups` (all when nil), once each.
    static func printWarnings(_ priced: PricedUsage, groups: Set<String>? = nil) {
        for message in priced.warnings(groups: groups) { Terminal.error("proforma: warning: \(message)") }
    }

    /// `--period P` or `--periods P1..P2` parsed, with a clear error; nil when neither is given.
    static func periodRequest(period: String?, periods: String?) throws -> PeriodRequest? {
        if let periods {
            let parts = periods.components(separatedBy: "..")
            guard parts.count == 2, let first = BillingPeriod(parts[0]), let last = BillingPeriod(parts[1]),
                first <= last
            else {
                throw UserError(
                    "--periods \(periods) is not a range of billing periods",
                    hint: "write P1..P2, e.g. 2026-07..2026-10",
                    kind: .usage)
            }
            return .range(first, last)
        }
        return try period.map { .period(try Pricing.period($0)) }
    }

    /// `--period P` parsed, with a clear error.
    static func period(_ text: String) throws -> BillingPeriod {
        guard let period = BillingPeriod(text) else {
            throw UserError("\"\(text)\" is not a billing period", hint: "write YYYY-MM, e.g. 2026-10", kind: .usage)
        }
        return period
    }
}

/// A one-line progress display on stderr, only on a terminal.
final class Progress {
    let enabled: Bool
    var shown = false

    init(enabled: Bool) {
        self.enabled = enabled
    }

    func update(_ progress: UsageProgress) {
        guard enabled else { return }
        let name = TerminalText.inline(URL(fileURLWithPath: progress.file).lastPathComponent)
        var text = "\r\u{1B}[2Kreading \(name): \(progress.rows / 1000)k rows"
        if let size = progress.size, size > 0, !progress.isCompressed {
            text += " (\(min(100, progress.bytesRead * 100 / size)) %)"
        }
        Terminal.progress(text)
        shown = true
    }

    func clear() {
        guard shown else { return }
        Terminal.progress("\r\u{1B}[2K")
        shown = false
    }
}

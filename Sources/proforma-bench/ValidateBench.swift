import Foundation
import ProformaCore
import ProformaGit
import ProformaLoader
import ProformaValidation

/// The figures of one in-process load + validate of a configuration directory.
struct ValidationFigures {
    var wallSeconds: Double
    var cpuSeconds: Double
    var loadSeconds: Double
    var validateSeconds: Double
    /// Releasing the loaded configuration and the diagnostics (the CLI pays this before it exits).
    var releaseSeconds: Double
    /// VmRSS right after loading, in kB: what the loaded configuration and its source map hold.
    var loadedRSSKilobytes: Int
    /// VmHWM after the run, in kB: the peak of this run when `peakIsPerRun`, else of the process so far.
    var peakKilobytes: Int
    var peakIsPerRun: Bool
    var files: Int
    var resources: Int
    var errors: Int
    var warnings: Int
    var notes: Int
    var firstDiagnostics: [String]
    /// Field locations kept in the source map, over every resource.
    var fieldLocations: Int

    var diagnostics: Int { errors + warnings + notes }
}

/// Loads and validates a configuration in this process exactly as `proforma validate -C DIR` does for the
/// working tree: a `DirectoryFileTree` rooted at the folder that holds proforma.yaml, the loader, the validator.
/// Rendering is left out: for a clean configuration it prints one line. Releasing the model is included, as the
/// CLI releases it before it exits.
enum ValidateBench {
    static func measure(directory: String) throws -> ValidationFigures {
        let perRun = Measure.resetPeak()
        let cpuStart = Measure.cpuTime()
        let start = Measure.now()
        let tree = DirectoryFileTree(root: directory)
        var loaded: LoadedConfiguration? = try ConfigurationLoader().load(from: tree, root: "")
        let loadedAt = Measure.now()
        let loadedRSS = Measure.status("VmRSS") ?? 0
        var diagnostics: [Diagnostic]? = Validator().validate(loaded!)
        let validatedAt = Measure.now()
        let files = loaded!.sourceMap.files.count
        let resources = loaded!.configuration.resourceCount
        let all = diagnostics!
        let first = all.prefix(10).map {
            "\($0.location.map(\.description) ?? "-"): \($0.severity.rawValue) \($0.code.rawValue): \($0.message)"
        }
        let (errors, warnings, notes) = (all.errorCount, all.warningCount, all.count { $0.severity == .note })
        let beforeCount = Measure.now()
        let fieldLocations = loaded!.sourceMap.resources.values.reduce(0) { $0 + $1.positionCount }
        let counted = Measure.now() - beforeCount
        loaded = nil
        diagnostics = nil
        let end = Measure.now() - counted
        let cpu = Measure.cpuTime() - cpuStart - counted
        let peak = Measure.status("VmHWM") ?? 0
        withExtendedLifetime((loaded, diagnostics)) {}
        return ValidationFigures(
            wallSeconds: end - start, cpuSeconds: cpu, loadSeconds: loadedAt - start,
            validateSeconds: validatedAt - loadedAt, releaseSeconds: end - validatedAt,
            loadedRSSKilobytes: loadedRSS, peakKilobytes: peak, peakIsPerRun: perRun, files: files,
            resources: resources, errors: errors, warnings: warnings, notes: notes, firstDiagnostics: first,
            fieldLocations: fieldLocations)
    }

    /// Runs `iterations` measurements and prints each and the median. Returns every run.
    static func run(directory: String, iterations: Int, print output: (String) -> Void) throws -> [ValidationFigures] {
        var runs: [ValidationFigures] = []
        for index in 1...iterations {
            let figures = try measure(directory: directory)
            runs.append(figures)
            output(
                "run \(index): \(Measure.milliseconds(figures.wallSeconds)) wall "
                    + "(load \(Measure.milliseconds(figures.loadSeconds)), validate \(Measure.milliseconds(figures.validateSeconds)), "
                    + "release \(Measure.milliseconds(figures.releaseSeconds))), "
                    + "cpu \(Measure.milliseconds(figures.cpuSeconds)), "
                    + "RSS after load \(Measure.megabytes(kilobytes: figures.loadedRSSKilobytes)), "
                    + "peak RSS \(Measure.megabytes(kilobytes: figures.peakKilobytes))\(figures.peakIsPerRun ? "" : " (process)"), "
                    + "\(figures.files) files, \(figures.resources) resources, "
                    + "\(figures.diagnostics) diagnostics (\(figures.errors) errors, \(figures.warnings) warnings, \(figures.notes) notes)")
            if index == 1 {
                output("  source map: \(figures.fieldLocations) field locations")
                for line in figures.firstDiagnostics { output("  " + line) }
                if figures.diagnostics > figures.firstDiagnostics.count {
                    output("  ... and \(figures.diagnostics - figures.firstDiagnostics.count) more")
                }
            }
        }
        output(
            "median of \(iterations): \(Measure.milliseconds(Measure.median(runs.map(\.wallSeconds)))) wall "
                + "(load \(Measure.milliseconds(Measure.median(runs.map(\.loadSeconds)))), "
                + "validate \(Measure.milliseconds(Measure.median(runs.map(\.validateSeconds)))), "
                + "release \(Measure.milliseconds(Measure.median(runs.map(\.releaseSeconds))))), "
                + "cpu \(Measure.milliseconds(Measure.median(runs.map(\.cpuSeconds)))), "
                + "largest peak RSS \(Measure.megabytes(kilobytes: runs.map(\.peakKilobytes).max() ?? 0))")
        return runs
    }
}

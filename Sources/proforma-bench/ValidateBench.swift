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
    /// VmHWM after the run, in kB: the peak of this run when `peakIsPerRun`, else of the process so far.
    var peakKilobytes: Int
    var peakIsPerRun: Bool
    var files: Int
    var resources: Int
    var errors: Int
    var warnings: Int
    var notes: Int
    var firstDiagnostics: [String]

    var diagnostics: Int { errors + warnings + notes }
}

/// Loads and validates a configuration in this process exactly as `proforma validate -C DIR` does for the
/// working tree: a `DirectoryFileTree` rooted at the folder that holds proforma.yaml, the loader, the validator.
/// Rendering is left out: for a clean configuration it prints one line.
enum ValidateBench {
    static func measure(directory: String) throws -> ValidationFigures {
        let perRun = Measure.resetPeak()
        let cpuStart = Measure.cpuTime()
        let start = Measure.now()
        let tree = DirectoryFileTree(root: directory)
        let loaded = try ConfigurationLoader().load(from: tree, root: "")
        let loadedAt = Measure.now()
        let diagnostics = Validator().validate(loaded)
        let end = Measure.now()
        let cpu = Measure.cpuTime() - cpuStart
        let peak = Measure.status("VmHWM") ?? 0
        return ValidationFigures(
            wallSeconds: end - start, cpuSeconds: cpu, loadSeconds: loadedAt - start, validateSeconds: end - loadedAt,
            peakKilobytes: peak, peakIsPerRun: perRun, files: loaded.sourceMap.files.count,
            resources: loaded.configuration.resourceCount, errors: diagnostics.errorCount,
            warnings: diagnostics.warningCount, notes: diagnostics.count { $0.severity == .note },
            firstDiagnostics: diagnostics.prefix(10).map {
                "\($0.location.map(\.description) ?? "-"): \($0.severity.rawValue) \($0.code.rawValue): \($0.message)"
            })
    }

    /// Runs `iterations` measurements and prints each and the median. Returns every run.
    static func run(directory: String, iterations: Int, print output: (String) -> Void) throws -> [ValidationFigures] {
        var runs: [ValidationFigures] = []
        for index in 1...iterations {
            let figures = try measure(directory: directory)
            runs.append(figures)
            output(
                "run \(index): \(Measure.milliseconds(figures.wallSeconds)) wall "
                    + "(load \(Measure.milliseconds(figures.loadSeconds)), validate \(Measure.milliseconds(figures.validateSeconds))), "
                    + "cpu \(Measure.milliseconds(figures.cpuSeconds)), "
                    + "peak RSS \(Measure.megabytes(kilobytes: figures.peakKilobytes))\(figures.peakIsPerRun ? "" : " (process)"), "
                    + "\(figures.files) files, \(figures.resources) resources, "
                    + "\(figures.diagnostics) diagnostics (\(figures.errors) errors, \(figures.warnings) warnings, \(figures.notes) notes)")
            if index == 1 {
                for line in figures.firstDiagnostics { output("  " + line) }
                if figures.diagnostics > figures.firstDiagnostics.count {
                    output("  ... and \(figures.diagnostics - figures.firstDiagnostics.count) more")
                }
            }
        }
        output(
            "median of \(iterations): \(Measure.milliseconds(Measure.median(runs.map(\.wallSeconds)))) wall "
                + "(load \(Measure.milliseconds(Measure.median(runs.map(\.loadSeconds)))), "
                + "validate \(Measure.milliseconds(Measure.median(runs.map(\.validateSeconds))))), "
                + "cpu \(Measure.milliseconds(Measure.median(runs.map(\.cpuSeconds)))), "
                + "largest peak RSS \(Measure.megabytes(kilobytes: runs.map(\.peakKilobytes).max() ?? 0))")
        return runs
    }
}

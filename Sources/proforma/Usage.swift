import ArgumentParser
import Foundation
import ProformaCore
import ProformaFrontend
import ProformaUsage

struct Usage: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Usage data kept for fast repeated pricing.", subcommands: [Import.self])

    struct Import: ProformaCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read usage files once into a digest that plan, invoice and report read instead.",
            discussion: """
                Writes .proforma/digests/HASH.sqlite under the configuration root (HASH: SHA-256 of the files' \
                contents), summing equal lines. plan, invoice and report read it while every file keeps its path, \
                size and modification time; run this again after a file changes. Prints the digest's path.
                """)

        @OptionGroup var repository: RepositoryOptions

        @Argument(
            help: ArgumentHelp(
                "Usage files (CUR, CUR 2.0 or FOCUS CSV, plain or gzip). Default: the project's usage files.",
                valueName: "file"))
        var files: [String] = []

        @Flag(help: "Skip rows that cannot be read, counting and reporting them, instead of stopping at the first.")
        var skipInvalidRows = false

        func execute() throws -> ExitCode {
            let frontend = try repository.frontend()
            let progress = Progress(enabled: Terminal.colorEnabled(for: STDERR_FILENO))
            defer { progress.clear() }
            let done = try frontend.importUsage(
                UsageSelection(files: files, skipInvalidRows: skipInvalidRows),
                progress: progress.enabled ? progress.update : nil)
            progress.clear()
            for warning in done.readingWarnings { Terminal.error("proforma: warning: \(warning)") }
            for note in done.readingNotes { Terminal.error("proforma: note: \(note)") }
            let files = "\(done.sources.count) file\(done.sources.count == 1 ? "" : "s")"
            if done.reused {
                Terminal.error("kept \(done.fileName): the same data, its \(files) recorded as they are now")
            } else {
                Terminal.error(
                    "wrote \(done.fileName): \(done.rowsRead) rows of \(files) in \(done.lines) line"
                        + (done.lines == 1 ? "" : "s"))
            }
            Terminal.write(done.fileName + "\n")
            return ExitStatus.success
        }
    }
}

import ArgumentParser
import Foundation
import ProformaCore
import ProformaEngine
import ProformaFrontend
import ProformaGit
import ProformaLoader
import ProformaReport
import ProformaUsage

/// A proforma subcommand: `execute` returns the exit status; errors become one clear line on stderr.
protocol ProformaCommand: ParsableCommand {
    func execute() throws -> ExitCode
}

extension ProformaCommand {
    func run() throws {
        let status: ExitCode
        do {
            status = try execute()
        } catch let error as UserError {
            report(error.message, hint: error.hint)
            throw ExitStatus.for(error.kind)
        } catch let error as InvalidConfiguration {
            // The diagnostics as `validate` shows them, then why nothing was done.
            let color = Terminal.colorEnabled(for: STDERR_FILENO)
            Terminal.progress(
                DiagnosticRenderer.render(
                    error.report, as: .text, sources: error.sources,
                    options: RenderOptions(color: color, strict: error.strict)))
            report("\(error.description); nothing was done", hint: "fix the configuration, then run the command again")
            throw ExitStatus.failure
        } catch let error as LoadError {
            report(error.message, hint: error.hint)
            throw ExitStatus.failure
        } catch let error as OutputError {
            report(error.message, hint: error.hint)
            throw ExitStatus.failure
        } catch let error as FileTreeError {
            report(error.message, hint: nil)
            throw ExitStatus.failure
        } catch let error as GitError {
            report(error.message, hint: error.hint)
            throw ExitStatus.failure
        } catch let error as UsageError {
            report(error.description, hint: error.hint)
            throw ExitStatus.failure
        } catch let error as EngineError {
            report(error.message, hint: error.hint)
            throw ExitStatus.failure
        } catch let error as ExitCode {
            throw error
        } catch {
            report(
                "internal error: \(error)",
                hint: "this is a bug in proforma \(Proforma.version); please report it with the command you ran")
            throw ExitStatus.internalError
        }
        if status != ExitStatus.success { throw status }
    }

    func report(_ message: String, hint: String?) {
        Terminal.error("proforma: error: \(message)")
        if let hint { Terminal.error("hint: \(hint)") }
    }
}

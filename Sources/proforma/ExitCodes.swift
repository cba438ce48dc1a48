import ArgumentParser
import ProformaFrontend

/// Every exit status proforma uses, declared once.
enum ExitStatus {
    /// Success; for `plan --detailed-exitcode`, no change.
    static let success = ExitCode(0)
    /// Problems found (validation errors), or an operational error.
    static let failure = ExitCode(1)
    /// `--detailed-exitcode` / `--exit-code`: there are changes.
    static let changes = ExitCode(2)
    /// A guardrail was violated.
    static let guardrail = ExitCode(3)
    /// The command line was wrong.
    static let usage = ExitCode(64)
    /// Standard output or standard error could not be written (closed, full, or a pipe whose reader went away):
    /// EX_IOERR.
    static let ioError = ExitCode(74)
    /// An internal error: a bug.
    static let internalError = ExitCode(70)

    /// The exit status of a user error of `kind`.
    static func `for`(_ kind: UserError.Kind) -> ExitCode {
        switch kind {
        case .usage: usage
        case .failure: failure
        case .io: ioError
        }
    }
}

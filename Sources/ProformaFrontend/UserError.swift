import ProformaCore
import ProformaReport

/// A failure the user can act on: one clear sentence and, where it helps, a hint. Never a stack trace.
public struct UserError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure, so that the command line can choose its exit status.
    public enum Kind: Sendable, Hashable {
        /// The command line was wrong (exit 64).
        case usage
        /// The input or the environment stops the command (exit 1).
        case failure
        /// Reading or writing a stream or file failed (exit 74).
        case io
    }

    public var message: String
    public var hint: String?
    public var kind: Kind

    public init(_ message: String, hint: String? = nil, kind: Kind = .failure) {
        self.message = message
        self.hint = hint
        self.kind = kind
    }

    public var description: String { message }
}

/// A configuration that `validate` rejects: the commands that use it refuse, showing the diagnostics as `validate`
/// does.
public struct InvalidConfiguration: Error, CustomStringConvertible {
    public var report: ValidationReport
    public var sources: any SourceProvider
    /// Whether warnings failed it too (`--strict`).
    public var strict: Bool
    /// The `validate` command that shows the same diagnostics.
    public var validateCommand: String

    public var description: String {
        let count = report.failureCount(strict: strict)
        let what = report.revision.map { "the configuration in \($0)" } ?? "the configuration"
        return "\(what) has \(count) problem\(count == 1 ? "" : "s") that `\(validateCommand)` rejects"
    }
}

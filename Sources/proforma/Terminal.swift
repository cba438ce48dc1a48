import Foundation
import ProformaCore
import ProformaFrontend
import ProformaReport

/// Where output goes, and whether it may be coloured.
enum Terminal {
    /// Colour only on a terminal, and never under NO_COLOR (https://no-color.org).
    static func colorEnabled(for fileDescriptor: Int32) -> Bool {
        if let noColor = ProcessInfo.processInfo.environment["NO_COLOR"], !noColor.isEmpty { return false }
        if ProcessInfo.processInfo.environment["TERM"] == "dumb" { return false }
        return isatty(fileDescriptor) == 1
    }

    /// Writes `text` to standard output. A closed, full or broken standard output ends the command (see
    /// `streamFailed`).
    static func write(_ text: String) {
        writeAll(text, to: STDOUT_FILENO, name: "standard output")
    }

    /// Writes one line (a newline is added if missing) to standard error. Messages quote names, paths and values
    /// from the repository and the usage data: every control character in them is made visible.
    static func error(_ text: String) {
        let line = TerminalText.sanitize(text)
        writeAll(line.hasSuffix("\n") ? line : line + "\n", to: STDERR_FILENO, name: "standard error")
    }

    /// Writes `text` to standard error as it is (a progress line that is rewritten in place).
    static func progress(_ text: String) {
        writeAll(text, to: STDERR_FILENO, name: "standard error")
    }

    /// Makes the standard streams safe to use, before anything else runs: SIGPIPE is ignored, so a reader that
    /// goes away is an EPIPE error, not a silent death; and a standard stream the process was started without is
    /// held by /dev/null opened read-only, so no file opened later takes its number (and receives output meant for
    /// the terminal) and every write to it fails with EBADF.
    static func prepareStandardStreams() {
        signal(SIGPIPE, SIG_IGN)
        for descriptor in [STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO] where fcntl(descriptor, F_GETFD) == -1 {
            let placeholder = open("/dev/null", O_RDONLY)
            if placeholder >= 0 && placeholder != descriptor {
                dup2(placeholder, descriptor)
                close(placeholder)
            }
        }
    }

    private static func writeAll(_ text: String, to descriptor: Int32, name: String) {
        var text = text
        let failure: Int32? = text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                offset += written
            }
            return nil
        }
        if let failure { streamFailed(name, errno: failure) }
    }

    /// A standard stream cannot be written: one line on standard error, if it still works, and exit 74 (EX_IOERR).
    static func streamFailed(_ name: String, errno code: Int32) -> Never {
        let reason =
            switch code {
            case EPIPE: "the reading end was closed (broken pipe)"
            case EBADF: "it is closed"
            case ENOSPC: "no space left on device"
            case EDQUOT: "disk quota exceeded"
            default: String(cString: strerror(code))
            }
        let line = "proforma: error: cannot write to \(name): \(reason)\n"
        _ = line.utf8CString.withUnsafeBufferPointer { Glibc.write(STDERR_FILENO, $0.baseAddress!, $0.count - 1) }
        Foundation.exit(ExitStatus.ioError.rawValue)
    }
}

extension Terminal {
    /// Ends the process with `status` at once, without freeing `values` first: for a large configuration the
    /// operating system reclaims the memory in a fraction of the time freeing it object by object would take.
    static func exitNow(_ status: Int32, keepingAlive values: Any...) -> Never {
        withExtendedLifetime(values) {
            fflush(nil)  // every C stream; output written through FileHandle is not buffered
            Foundation.exit(status)
        }
    }
}

/// Writing files the user named, through `OutputFolder` (temporary file renamed into place, symbolic links refused).
/// A failure is an `OutputError`: the user's to fix (a missing folder, no permission, a link), never a bug.
enum OutputFiles {
    /// `-o FILE`: the folder must exist.
    static func write(_ text: String, toFile path: String) throws {
        try SafeFile.write(text, toFile: path)
    }

    /// `-o FILE` with bytes (a PDF).
    static func write(bytes: [UInt8], toFile path: String) throws {
        try SafeFile.write(bytes: bytes, toFile: path)
    }

    /// A file at `relativePath` below the folder the user named, creating the folders that are missing.
    static func write(_ text: String, to relativePath: String, in folder: String) throws {
        try SafeFile.write(text, to: relativePath, in: folder)
    }
}

import Foundation
import ProformaFrontend

/// Where output goes, and whether it may be coloured.
enum Terminal {
    /// Colour only on a terminal, and never under NO_COLOR (https://no-color.org).
    static func colorEnabled(for fileDescriptor: Int32) -> Bool {
        if let noColor = ProcessInfo.processInfo.environment["NO_COLOR"], !noColor.isEmpty { return false }
        if ProcessInfo.processInfo.environment["TERM"] == "dumb" { return false }
        return isatty(fileDescriptor) == 1
    }

    static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }

    /// Writes `text` to stderr as it is, without a line end (for a progress line).
    static func rawError(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
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

/// Writing files the user named: a failure is the user's to fix (a missing folder, no permission), never a bug.
enum OutputFiles {
    static func write(_ text: String, to url: URL) throws {
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        } catch {
            throw UserError("cannot write \(url.path): \(reason(error, for: url))", hint: "choose a folder you can write to")
        }
    }

    /// Why a path cannot be written, in words: the nearest folder above it that exists is not a folder, or is not
    /// writable; else the system's description.
    static func reason(_ error: Error, for url: URL) -> String {
        var ancestor = url.deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        while !FileManager.default.fileExists(atPath: ancestor.path, isDirectory: &isDirectory) && ancestor.path != "/" {
            ancestor = ancestor.deletingLastPathComponent()
        }
        if !isDirectory.boolValue { return "\(ancestor.path) is not a folder" }
        if !FileManager.default.isWritableFile(atPath: ancestor.path) { return "\(ancestor.path) is not writable" }
        return (error as NSError).localizedDescription
    }
}

import CGit2

/// Process-wide libgit2 set-up. `git_libgit2_init` runs once, on first use, guarded by the runtime's
/// thread-safe lazy initialisation of static properties. libgit2 is never shut down: the process owns it
/// until exit.
enum Libgit2 {
    private static let initialization: Int32 = git_libgit2_init()

    static func initialize() {
        _ = initialization
    }
}

extension GitError {
    /// The libgit2 return code behind this error, when there is one (for example `GIT_ENOTFOUND`).
    var code: Int32? { libgit2Code }
    /// The libgit2 error class behind this error, when there is one (for example `GIT_ERROR_ODB`).
    var errorClass: Int32? { libgit2Class }

    /// Whether libgit2 reported an object lookup that failed in the object database.
    var isMissingObjectFailure: Bool {
        libgit2Code == GIT_ENOTFOUND.rawValue && libgit2Class == Int32(GIT_ERROR_ODB.rawValue)
    }
}

/// Runs one libgit2 call and throws when it reports a failure.
///
/// The error details come from `git_error_last()`, read in this same frame right after the call: libgit2 keeps
/// them per thread and the next call may overwrite them.
///
/// - Parameter action: what was being done, as a verb phrase: "read the index".
@discardableResult
func check(_ action: @autoclosure () -> String, _ call: () -> Int32) throws(GitError) -> Int32 {
    let code = call()
    guard code < 0 else { return code }
    var errorClass: Int32 = 0
    var detail = ""
    if let last = git_error_last() {
        errorClass = last.pointee.klass
        detail = cString(last.pointee.message) ?? ""
    }
    throw GitError(libgit2Code: code, errorClass: errorClass, detail: detail, action: action())
}

extension GitError {
    /// The default reading of a libgit2 failure; callers that know more re-map it.
    init(libgit2Code code: Int32, errorClass: Int32, detail: String, action: String) {
        let kind: Kind
        switch code {
        case GIT_EAMBIGUOUS.rawValue:
            kind = .ambiguousRevision
        case GIT_ENOTFOUND.rawValue where errorClass == Int32(GIT_ERROR_ODB.rawValue):
            kind = .missingObject
        default:
            kind = errorClass == Int32(GIT_ERROR_OS.rawValue) ? .io : .other
        }
        let sentence = detail.isEmpty ? "could not \(action)" : "could not \(action): \(detail)"
        self.init(kind, sentence, libgit2Message: detail.isEmpty ? nil : detail)
        self.libgit2Code = code
        self.libgit2Class = errorClass
    }
}

/// A C string as a Swift string, or nil for a null pointer. Invalid UTF-8 is repaired.
func cString(_ pointer: UnsafePointer<CChar>?) -> String? {
    guard let pointer else { return nil }
    return String(cString: pointer)
}

func cString(_ pointer: UnsafeMutablePointer<CChar>?) -> String? {
    guard let pointer else { return nil }
    return String(cString: pointer)
}

extension git_oid {
    /// The 40-character hexadecimal form.
    var hex: String {
        var oid = self
        var buffer = [CChar](repeating: 0, count: Int(GIT_OID_HEXSZ) + 1)
        _ = buffer.withUnsafeMutableBufferPointer { out in
            git_oid_tostr(out.baseAddress, out.count, &oid)
        }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Parses a full 40-character hexadecimal id.
    init?(hex: String) {
        guard hex.utf8.count == Int(GIT_OID_HEXSZ) else { return nil }
        var oid = git_oid()
        let code = hex.withCString { git_oid_fromstrn(&oid, $0, hex.utf8.count) }
        guard code == 0 else { return nil }
        self = oid
    }

    func isSame(as other: git_oid) -> Bool {
        var left = self
        var right = other
        return git_oid_cmp(&left, &right) == 0
    }
}

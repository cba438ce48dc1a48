#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why a file could not be written, in words the user can act on.
public struct OutputError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Reason: Equatable, Sendable {
        /// A folder on the way does not exist (and is not one proforma creates).
        case missingFolder(String)
        /// A path on the way is a file, not a folder.
        case notAFolder(String)
        /// The file to write is a folder.
        case isAFolder
        /// A folder on the way (or the file) cannot be written by this user.
        case notWritable(String)
        /// The file, or a folder on the way below the folder the user named, is a symbolic link: never followed.
        case symbolicLink(String)
        /// The file system is full, or the user's quota is used up.
        case diskFull
        /// The file would take the name of a file proforma writes itself (a set's manifest).
        case reservedName
        /// Anything else the system reports, as its description.
        case system(String)
    }

    /// The file that was being written, as the user named it.
    public var path: String
    public var reason: Reason

    public init(path: String, reason: Reason) {
        self.path = path
        self.reason = reason
    }

    /// One line: `cannot write PATH: REASON`.
    public var message: String {
        let why =
            switch reason {
            case .missingFolder(let folder): "the folder \(folder) does not exist"
            case .notAFolder(let path): "\(path) is not a folder"
            case .isAFolder: "it is a folder"
            case .notWritable(let path): "\(path) is not writable"
            case .symbolicLink(let path): "\(path) is a symbolic link, which proforma never follows"
            case .diskFull: "no space left on device"
            case .reservedName: "the name is reserved for the manifest of the set"
            case .system(let text): text
            }
        return "cannot write \(path): \(why)"
    }

    public var hint: String? {
        switch reason {
        case .missingFolder: "create the folder first, or name another one"
        case .notAFolder, .notWritable: "choose a folder you can write to"
        case .isAFolder: "name a file, not a folder"
        case .symbolicLink: "remove the link, or name the real path it points to"
        case .diskFull: "free some space and run the command again"
        case .reservedName, .system: nil
        }
    }

    public var description: String { message }
}

/// A folder opened for writing files into it safely, POSIX only.
///
/// The folder the user named is trusted as named (it may be or pass through a symbolic link); every folder below
/// it that proforma opens or creates, and every file it writes, is checked without following links
/// (`openat` with `O_NOFOLLOW`, `fstatat` with `AT_SYMLINK_NOFOLLOW`): a symbolic link there is refused. A file is
/// written to a temporary file in its own folder and renamed into place, so a reader sees the old file or the new
/// one, never a mixture, and a link planted at the name is replaced, never written through.
public final class OutputFolder {
    /// The folder's path, as named (trusted part and the checked part below it joined).
    public let path: String
    let descriptor: Int32

    /// Opens `below` (one or more folders separated by `/`) inside the trusted folder `trusted`, creating what is
    /// missing when `create` is set: the trusted folder with its parents as named, the folders below it one by
    /// one, each refused if it is a symbolic link.
    public init(_ trusted: String, below: String = "", create: Bool) throws(OutputError) {
        let shown = below.isEmpty ? trusted : (trusted == "." ? below : Self.join(trusted, below))
        path = shown
        if create { try Self.makeFolders(trusted, for: shown) }
        var current = open(trusted, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if current < 0 { throw Self.folderError(trusted, errno: errno, file: shown) }
        var walked = trusted
        for component in below.split(separator: "/") where component != "." {
            let name = String(component)
            walked = Self.join(walked, name)
            if name == ".." {
                close(current)
                throw OutputError(path: shown, reason: .system("\(walked) leaves the folder it is written into"))
            }
            if create && mkdirat(current, name, 0o777) != 0 && errno != EEXIST {
                let code = errno
                close(current)
                throw Self.folderError(walked, errno: code, file: shown)
            }
            let next = openat(current, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            if next < 0 {
                let error = Self.entryError(current, name, path: walked, errno: errno, file: shown)
                close(current)
                throw error
            }
            close(current)
            current = next
        }
        descriptor = current
    }

    deinit {
        close(descriptor)
    }

    /// Writes `text` to the file `name` in this folder (a plain name: no `/`), through a temporary file renamed
    /// into place. Returns the bytes written.
    @discardableResult
    public func write(_ text: String, named name: String) throws(OutputError) -> Int {
        try write(bytes: Array(text.utf8), named: name)
    }

    /// Writes `bytes` to the file `name` in this folder, as `write(_:named:)` writes text. Returns the bytes written.
    @discardableResult
    public func write(bytes: [UInt8], named name: String) throws(OutputError) -> Int {
        let shown = Self.join(path, name)
        guard !name.isEmpty, name != ".", name != "..", !name.contains("/") else {
            throw OutputError(path: shown, reason: .system("not a plain file name"))
        }
        var status = stat()
        if fstatat(descriptor, name, &status, AT_SYMLINK_NOFOLLOW) == 0 {
            switch status.st_mode & S_IFMT {
            case S_IFLNK: throw OutputError(path: shown, reason: .symbolicLink(shown))
            case S_IFDIR: throw OutputError(path: shown, reason: .isAFolder)
            default: break
            }
        }
        let temporary = ".\(name).\(UInt64.random(in: 0...UInt64.max)).\(Self.temporarySuffix)"
        let file = openat(descriptor, temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o666)
        if file < 0 { throw Self.fileError(shown, folder: path, errno: errno) }
        let failure = writeAll(bytes, to: file)
        let closed = close(file) == 0 ? nil : errno
        if let code = failure ?? closed {
            unlinkat(descriptor, temporary, 0)
            throw Self.fileError(shown, folder: path, errno: code)
        }
        if renameat(descriptor, temporary, descriptor, name) != 0 {
            let code = errno
            unlinkat(descriptor, temporary, 0)
            throw Self.fileError(shown, folder: path, errno: code)
        }
        return bytes.count
    }

    /// Removes the file `name` from this folder if it is there (a link is removed, not followed).
    public func remove(named name: String) throws(OutputError) {
        if unlinkat(descriptor, name, 0) != 0 && errno != ENOENT {
            throw Self.fileError(Self.join(path, name), folder: path, errno: errno)
        }
    }

    /// Waits until no other process holds this folder, then holds it until this value is released. `waiting` is
    /// called first if another process holds it now.
    public func lockExclusively(waiting: () -> Void) throws(OutputError) {
        if flock(descriptor, LOCK_EX | LOCK_NB) == 0 { return }
        guard errno == EWOULDBLOCK else { throw Self.fileError(path, folder: path, errno: errno) }
        waiting()
        while flock(descriptor, LOCK_EX) != 0 {
            if errno != EINTR { throw Self.fileError(path, folder: path, errno: errno) }
        }
    }

    /// Removes temporary files left in this folder by runs that were killed before renaming them into place.
    /// Only for a folder held with `lockExclusively`.
    public func removeLeftoverTemporaryFiles() {
        let copy = dup(descriptor)
        guard copy >= 0, let directory = fdopendir(copy) else { return }
        defer { closedir(directory) }
        var leftovers: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
                String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name.hasPrefix(".") && name.hasSuffix("." + Self.temporarySuffix) { leftovers.append(name) }
        }
        for name in leftovers {
            var status = stat()
            if fstatat(descriptor, name, &status, AT_SYMLINK_NOFOLLOW) == 0 && status.st_mode & S_IFMT == S_IFREG {
                unlinkat(descriptor, name, 0)
            }
        }
    }

    static let temporarySuffix = "proforma-tmp"

    static func join(_ folder: String, _ name: String) -> String {
        folder == "." ? name : folder.hasSuffix("/") ? folder + name : folder + "/" + name
    }

    /// `mkdir -p` of the trusted folder; errors are reported when it is opened.
    static func makeFolders(_ trusted: String, for file: String) throws(OutputError) {
        var prefix = trusted.hasPrefix("/") ? "/" : ""
        for component in trusted.split(separator: "/") {
            prefix += component
            if mkdir(prefix, 0o777) != 0 && errno != EEXIST {
                // A missing parent is reported by the open that follows, with the reason found there.
                if errno != ENOENT && errno != ENOTDIR && errno != EACCES {
                    throw OutputError(path: file, reason: .system(String(cString: strerror(errno))))
                }
            }
            prefix += "/"
        }
    }

    /// Why a trusted folder (or a folder created below one) could not be opened or created.
    static func folderError(_ folder: String, errno code: Int32, file: String) -> OutputError {
        switch code {
        case ENOENT:
            // The nearest part of the path that is missing.
            var missing = folder
            var candidate = folder
            while let slash = candidate.lastIndex(of: "/"), slash != candidate.startIndex {
                candidate = String(candidate[..<slash])
                var status = stat()
                if stat(candidate, &status) == 0 { break }
                missing = candidate
            }
            return OutputError(path: file, reason: .missingFolder(missing))
        case ENOTDIR:
            // The nearest part of the path that exists and is not a folder.
            var candidate = folder
            while true {
                var status = stat()
                if stat(candidate, &status) == 0 && status.st_mode & S_IFMT != S_IFDIR {
                    return OutputError(path: file, reason: .notAFolder(candidate))
                }
                guard let slash = candidate.lastIndex(of: "/"), slash != candidate.startIndex else { break }
                candidate = String(candidate[..<slash])
            }
            return OutputError(path: file, reason: .notAFolder(folder))
        case EACCES, EPERM, EROFS:
            return OutputError(path: file, reason: .notWritable(parentPath(folder)))
        case ENOSPC, EDQUOT:
            return OutputError(path: file, reason: .diskFull)
        default:
            return OutputError(path: file, reason: .system(String(cString: strerror(code))))
        }
    }

    /// Why `name` inside the open folder `parent` could not be opened as a folder without following links.
    static func entryError(_ parent: Int32, _ name: String, path: String, errno code: Int32, file: String)
        -> OutputError
    {
        var status = stat()
        if fstatat(parent, name, &status, AT_SYMLINK_NOFOLLOW) == 0 {
            switch status.st_mode & S_IFMT {
            case S_IFLNK: return OutputError(path: file, reason: .symbolicLink(path))
            case S_IFDIR: break
            default: return OutputError(path: file, reason: .notAFolder(path))
            }
        }
        return folderError(path, errno: code, file: file)
    }

    /// Why a file in an open folder could not be written.
    static func fileError(_ file: String, folder: String, errno code: Int32) -> OutputError {
        switch code {
        case EACCES, EPERM, EROFS: OutputError(path: file, reason: .notWritable(folder))
        case ENOSPC, EDQUOT: OutputError(path: file, reason: .diskFull)
        case ELOOP: OutputError(path: file, reason: .symbolicLink(file))
        case EISDIR: OutputError(path: file, reason: .isAFolder)
        default: OutputError(path: file, reason: .system(String(cString: strerror(code))))
        }
    }

    static func parentPath(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}

/// Writes all of `bytes` to the open file `descriptor`; the error number if that fails.
func writeAll(_ bytes: [UInt8], to descriptor: Int32) -> Int32? {
    if bytes.isEmpty { return nil }
    return bytes.withUnsafeBufferPointer { bytes in
        var offset = 0
        while offset < bytes.count {
            let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return errno
            }
            offset += written
        }
        return nil
    }
}

/// Writing one file the user named (`-o FILE`): its folder must exist and is trusted as named; the file itself is
/// never a link followed, and is replaced atomically.
public enum SafeFile {
    public static func write(_ text: String, toFile path: String) throws(OutputError) {
        try write(bytes: Array(text.utf8), toFile: path)
    }

    /// Writes `bytes` to the file at `path`, as `write(_:toFile:)` writes text.
    public static func write(bytes: [UInt8], toFile path: String) throws(OutputError) {
        var trimmed = path
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
        let folder: String
        let name: String
        if let slash = trimmed.lastIndex(of: "/") {
            folder = slash == trimmed.startIndex ? "/" : String(trimmed[..<slash])
            name = String(trimmed[trimmed.index(after: slash)...])
        } else {
            folder = "."
            name = trimmed
        }
        if name.isEmpty || name == "." || name == ".." || trimmed != path {
            throw OutputError(path: path, reason: .isAFolder)
        }
        do {
            try OutputFolder(folder, create: false).write(bytes: bytes, named: name)
        } catch {
            var error = error
            error.path = path
            throw error
        }
    }

    /// Writes `text` to `relativePath` (folders separated by `/`) below the trusted folder `folder`, creating the
    /// folders that are missing; no part of `relativePath` may be a symbolic link.
    public static func write(_ text: String, to relativePath: String, in folder: String) throws(OutputError) {
        let parts = relativePath.split(separator: "/").map(String.init)
        guard let name = parts.last else { throw OutputError(path: folder, reason: .isAFolder) }
        do {
            try OutputFolder(folder, below: parts.dropLast().joined(separator: "/"), create: true)
                .write(text, named: name)
        } catch {
            var error = error
            error.path = OutputFolder.join(folder, relativePath)
            throw error
        }
    }
}

/// A set of files written together into one folder (one invoice per billing group): complete when its manifest is
/// there and every file matches it.
///
/// Opening the set holds the folder (`flock`), so two runs into the same folder take turns and never mix their
/// files, and removes the folder's manifest; each file is then written atomically, and the manifest (every file
/// with its SHA-256 hash and size, and the caller's provenance) is written last. A run killed halfway leaves no
/// manifest: the set is recognisably partial.
public final class OutputSet {
    /// The manifest's file name.
    public static let manifestName = "proforma-manifest.json"

    public let folder: OutputFolder
    var files: [JSONValue] = []

    /// Opens the set in `folder`; `waiting` is called if another process is writing a set there now.
    public init(_ folder: OutputFolder, waiting: () -> Void) throws(OutputError) {
        self.folder = folder
        try folder.lockExclusively(waiting: waiting)
        try folder.remove(named: Self.manifestName)
        folder.removeLeftoverTemporaryFiles()
    }

    /// Writes one file of the set.
    public func write(_ text: String, named name: String) throws(OutputError) {
        guard name != Self.manifestName else {
            throw OutputError(path: OutputFolder.join(folder.path, name), reason: .reservedName)
        }
        try write(bytes: Array(text.utf8), named: name)
    }

    /// Writes one file of the set from its bytes.
    public func write(bytes: [UInt8], named name: String) throws(OutputError) {
        guard name != Self.manifestName else {
            throw OutputError(path: OutputFolder.join(folder.path, name), reason: .reservedName)
        }
        var hasher = SHA256()
        hasher.update(bytes)
        let count = try folder.write(bytes: bytes, named: name)
        files.append(.object(["name": .string(name), "sha256": .string(hasher.finalizeHex()), "bytes": .int(count)]))
    }

    /// Writes the manifest: `format_version`, `files` (name, sha256, bytes, in the order written) and `fields`.
    public func finish(_ fields: [String: JSONValue]) throws(OutputError) {
        var members = fields
        members["format_version"] = .int(1)
        members["files"] = .array(files)
        try folder.write(JSONWriter.write(.object(members)), named: Self.manifestName)
    }
}

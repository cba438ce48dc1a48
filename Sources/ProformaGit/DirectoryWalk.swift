import Foundation
import ProformaCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What to do with a directory met while walking a tree on disk.
enum DirectoryDecision {
    case enter
    case skip
    /// List it as a submodule and do not enter it.
    case submodule
}

/// The entries below `root` on disk. Symbolic links are reported, never followed; hidden directories are not
/// entered; `.git` (a directory, or the file that stands for it in linked worktrees and submodules) is left out,
/// and so is anything that is neither a file, a link nor a directory (a socket, a device).
///
/// - Parameters:
///   - directory: decides about each directory (not hidden) before it is entered, given its relative path.
///   - include: decides whether a file or symbolic link is listed, given its relative path.
func walkDirectory(
    root: String,
    label: String,
    directory: (String) throws(FileTreeError) -> DirectoryDecision,
    include: (String) throws(FileTreeError) -> Bool
) throws(FileTreeError) -> [FileTreeEntry] {
    var result: [FileTreeEntry] = []
    try walk(root: root, relative: "", label: label, directory: directory, include: include, into: &result)
    return result.sorted { $0.path < $1.path }
}

private func walk(
    root: String,
    relative: String,
    label: String,
    directory: (String) throws(FileTreeError) -> DirectoryDecision,
    include: (String) throws(FileTreeError) -> Bool,
    into result: inout [FileTreeEntry]
) throws(FileTreeError) {
    let absolute = relative.isEmpty ? root : root + "/" + relative
    let names: [String]
    do {
        names = try FileManager.default.contentsOfDirectory(atPath: absolute)
    } catch {
        throw FileTreeError(
            .unreadable, path: relative, message: "\(label): cannot list the directory \(displayPath(relative))")
    }
    for name in names.sorted() where name != ".git" {
        let path = relative.isEmpty ? name : relative + "/" + name
        let fullPath = root + "/" + path
        guard let status = fileStatus(fullPath) else {
            // Removed while we were listing: it is not part of the tree any more.
            continue
        }
        switch status.kind {
        case .directory:
            guard !name.hasPrefix(".") else { continue }
            switch try directory(path) {
            case .enter:
                try walk(
                    root: root, relative: path, label: label, directory: directory, include: include, into: &result)
            case .skip:
                continue
            case .submodule:
                result.append(FileTreeEntry(path: path, kind: .submodule))
            }
        case .regular:
            if try include(path) {
                result.append(FileTreeEntry(path: path, kind: .file, size: status.size))
            }
        case .symlink:
            if try include(path) {
                guard let target = linkTarget(fullPath) else {
                    throw FileTreeError(
                        .unreadable, path: path, message: "\(label): cannot read the symbolic link \(path)")
                }
                result.append(FileTreeEntry(path: path, kind: .symlink(target: target)))
            }
        case .other:
            continue
        }
    }
}

private func displayPath(_ relative: String) -> String {
    relative.isEmpty ? "at the root" : relative
}

/// What `lstat` says about a path.
struct FileStatus {
    enum Kind {
        case regular
        case directory
        case symlink
        case other
    }

    var kind: Kind
    var size: Int
}

/// `lstat` of a path: links are described, not followed. Nil when the path does not exist.
func fileStatus(_ path: String) -> FileStatus? {
    var info = stat()
    guard lstat(path, &info) == 0 else { return nil }
    let kind: FileStatus.Kind
    switch info.st_mode & S_IFMT {
    case S_IFREG: kind = .regular
    case S_IFDIR: kind = .directory
    case S_IFLNK: kind = .symlink
    default: kind = .other
    }
    return FileStatus(kind: kind, size: Int(info.st_size))
}

/// The target a symbolic link names, as written in the link.
func linkTarget(_ path: String) -> String? {
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    let count = readlink(path, &buffer, buffer.count - 1)
    guard count >= 0 else { return nil }
    return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// The bytes of the regular file at `relative` below `root`, refusing to follow any symbolic link on the way.
/// A file larger than `maxBytes` is a `.tooLarge` error: its size is checked before reading, and no more than
/// `maxBytes + 1` bytes are read even when it grows meanwhile.
func readRegularFile(
    root: String, relative path: String, label: String, maxBytes: Int = .max
) throws(FileTreeError) -> [UInt8] {
    guard isValidRelativePath(path) else {
        throw FileTreeError(.notFound, path: path, message: "\(path): no such file in \(label)")
    }
    let components = path.split(separator: "/").map(String.init)
    var current = root
    for (position, component) in components.enumerated() {
        current += "/" + component
        let isLast = position == components.count - 1
        guard let status = fileStatus(current) else {
            throw FileTreeError(.notFound, path: path, message: "\(path): no such file in \(label)")
        }
        switch status.kind {
        case .directory where !isLast:
            continue
        case .regular where isLast:
            if status.size > maxBytes {
                throw FileTreeError.tooLarge(path, size: status.size, limit: maxBytes, in: label)
            }
            return try readBytes(current, path: path, label: label, maxBytes: maxBytes)
        case .directory:
            throw FileTreeError(.notAFile, path: path, message: "\(path) is a directory in \(label), not a file")
        case .symlink:
            let what = isLast ? path : components[0...position].joined(separator: "/")
            throw FileTreeError(
                .notAFile, path: path,
                message: "\(what) is a symbolic link in \(label); links are not followed")
        case .regular, .other:
            throw FileTreeError(.notAFile, path: path, message: "\(path) is not a regular file in \(label)")
        }
    }
    throw FileTreeError(.notFound, path: path, message: "\(path): no such file in \(label)")
}

private func readBytes(
    _ fullPath: String, path: String, label: String, maxBytes: Int
) throws(FileTreeError) -> [UInt8] {
    let descriptor = open(fullPath, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
    guard descriptor >= 0 else {
        throw FileTreeError(
            .unreadable, path: path, message: "\(label): cannot open \(path): \(String(cString: strerror(errno)))")
    }
    defer { close(descriptor) }
    // The file opened may not be the one examined before (it can be replaced in between): its size is checked again.
    var info = stat()
    if fstat(descriptor, &info) == 0, Int(info.st_size) > maxBytes {
        throw FileTreeError.tooLarge(path, size: Int(info.st_size), limit: maxBytes, in: label)
    }
    var bytes: [UInt8] = []
    if info.st_size > 0 { bytes.reserveCapacity(min(Int(info.st_size), maxBytes) + 1) }
    var chunk = [UInt8](repeating: 0, count: 64 * 1024)
    while true {
        let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        if count == 0 { break }
        if count < 0 {
            if errno == EINTR { continue }
            throw FileTreeError(
                .unreadable, path: path,
                message: "\(label): cannot read \(path): \(String(cString: strerror(errno)))")
        }
        bytes.append(contentsOf: chunk[0..<count])
        // A file that grows while it is read is cut off here, not read to its end.
        if bytes.count > maxBytes {
            throw FileTreeError.tooLarge(path, size: bytes.count, limit: maxBytes, in: label)
        }
    }
    return bytes
}

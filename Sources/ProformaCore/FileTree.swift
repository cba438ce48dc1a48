/// What an entry of a file tree is.
public enum FileTreeEntryKind: Sendable, Hashable {
    case file
    /// A symbolic link, with the target it names. Never followed.
    case symlink(target: String)
    /// A git submodule (a commit of another repository). Never entered.
    case submodule
}

/// One entry of a file tree. Entries compare by path, kind and size: the content identifier is a hint for
/// caching, which some trees know and others do not.
public struct FileTreeEntry: Sendable, Hashable {
    /// Relative to the root of the tree, `/`-separated, no leading `./`.
    public var path: String
    public var kind: FileTreeEntryKind
    /// Size in bytes, for files.
    public var size: Int?
    /// An identifier of the file's exact content, where the tree knows one without reading it (a git blob id):
    /// two entries with the same identifier have the same bytes.
    public var contentID: String?

    public init(path: String, kind: FileTreeEntryKind, size: Int? = nil, contentID: String? = nil) {
        self.path = path
        self.kind = kind
        self.size = size
        self.contentID = contentID
    }

    public static func == (lhs: FileTreeEntry, rhs: FileTreeEntry) -> Bool {
        lhs.path == rhs.path && lhs.kind == rhs.kind && lhs.size == rhs.size
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(path)
        hasher.combine(kind)
        hasher.combine(size)
    }
}

/// Why a file tree could not be read.
public struct FileTreeError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        case notFound
        case notAFile
        case unreadable
        /// Larger than the caller's bound: nothing, or no more than the bound, was read.
        case tooLarge
    }

    public var kind: Kind
    public var path: String
    public var message: String
    /// For `.tooLarge`: the size in bytes, as far as it is known (at least the bound plus one).
    public var size: Int?

    public init(_ kind: Kind, path: String, message: String, size: Int? = nil) {
        self.kind = kind
        self.path = path
        self.message = message
        self.size = size
    }

    /// The error for a file of `size` bytes (at least) when at most `limit` may be read.
    public static func tooLarge(_ path: String, size: Int, limit: Int, in label: String) -> FileTreeError {
        FileTreeError(
            .tooLarge, path: path, message: "\(path) in \(label) is larger than \(limit) bytes", size: size)
    }

    public var description: String { message }
}

/// A tree of files: the working directory, a git revision, or an in-memory tree in tests.
///
/// The configuration loader reads through this abstraction only, so it can read any revision without a checkout.
public protocol FileTree {
    /// How this tree is named in messages: "working tree", or a revision such as `main (a1b2c3d)`.
    var label: String { get }
    /// Every entry below the root, recursively, sorted by path. Directories are not listed themselves.
    /// Hidden directories (a name starting with `.`) are not entered.
    func entries() throws(FileTreeError) -> [FileTreeEntry]
    /// The bytes of the file at `path`.
    func contents(of path: String) throws(FileTreeError) -> [UInt8]
    /// The bytes of the file at `path`, which may have at most `maxBytes` bytes: a larger file is a `.tooLarge`
    /// error, found before reading (from the file system or the object database) wherever the tree can, and in
    /// any case without reading more than `maxBytes + 1` bytes of it. The default implementation reads the whole
    /// file and suits only trees held in memory.
    func contents(of path: String, maxBytes: Int) throws(FileTreeError) -> [UInt8]
}

extension FileTree {
    public func contents(of path: String, maxBytes: Int) throws(FileTreeError) -> [UInt8] {
        let bytes = try contents(of: path)
        guard bytes.count <= maxBytes else {
            throw FileTreeError.tooLarge(path, size: bytes.count, limit: maxBytes, in: label)
        }
        return bytes
    }
}

/// A tree held in memory, for tests and for generated configurations.
public struct InMemoryFileTree: FileTree, Sendable {
    public var label: String
    public var files: [String: [UInt8]]
    public var symlinks: [String: String]

    public init(label: String = "memory", files: [String: String], symlinks: [String: String] = [:]) {
        self.label = label
        self.files = files.mapValues { Array($0.utf8) }
        self.symlinks = symlinks
    }

    public init(label: String = "memory", bytes: [String: [UInt8]]) {
        self.label = label
        self.files = bytes
        self.symlinks = [:]
    }

    public func entries() throws(FileTreeError) -> [FileTreeEntry] {
        let hidden: (String) -> Bool = { path in
            path.split(separator: "/").dropLast().contains { $0.hasPrefix(".") }
        }
        let fileEntries = files.filter { !hidden($0.key) }.map {
            FileTreeEntry(path: $0.key, kind: .file, size: $0.value.count)
        }
        let linkEntries = symlinks.filter { !hidden($0.key) }.map {
            FileTreeEntry(path: $0.key, kind: .symlink(target: $0.value))
        }
        return (fileEntries + linkEntries).sorted { $0.path < $1.path }
    }

    public func contents(of path: String) throws(FileTreeError) -> [UInt8] {
        guard let bytes = files[path] else {
            throw FileTreeError(.notFound, path: path, message: "\(path): no such file in \(label)")
        }
        return bytes
    }
}

import CGit2
import ProformaCore

/// The files of one commit, read straight from the object database: nothing is checked out.
///
/// Blobs are files, mode 120000 entries are symbolic links (their target is the blob's content; never followed),
/// mode 160000 entries (gitlinks) are submodules (never entered). Hidden directories are not entered.
/// Not thread-safe: it uses the repository it came from, which it keeps open.
public final class GitCommitFileTree: FileTree {
    public let label: String
    public let commit: GitCommit
    /// The directory of the commit this tree is rooted at, `/`-separated; nil for the commit's root.
    public let subdirectory: String?
    private let repository: GitRepository
    private let tree: Handle

    init(repository: GitRepository, commit: GitCommit, subdirectory: String?, label: String, tree: Handle) {
        self.repository = repository
        self.commit = commit
        self.subdirectory = subdirectory
        self.label = label
        self.tree = tree
    }

    public func entries() throws(FileTreeError) -> [FileTreeEntry] {
        do {
            let odb = try repository.withPointer { (pointer) throws(GitError) in
                try makeHandle("open the object database", repository: repository, release: Release.odb) {
                    git_repository_odb(&$0, pointer)
                }
            }
            var result: [FileTreeEntry] = []
            try collect(tree, prefix: "", odb: odb, into: &result)
            return result.sorted { $0.path < $1.path }
        } catch {
            throw FileTreeError(.unreadable, path: subdirectory ?? "", message: "\(label): \(error.message)")
        }
    }

    public func contents(of path: String) throws(FileTreeError) -> [UInt8] {
        try contents(of: path, maxBytes: .max)
    }

    public func contents(of path: String, maxBytes: Int) throws(FileTreeError) -> [UInt8] {
        let read: BlobRead
        do {
            read = try repository.readFile(path, in: tree, label: label, maxBytes: maxBytes)
        } catch {
            throw FileTreeError(error, path: path)
        }
        switch read {
        case .bytes(let bytes): return bytes
        case .tooLarge(let size): throw FileTreeError.tooLarge(path, size: size, limit: maxBytes, in: label)
        }
    }

    private func collect(
        _ tree: Handle, prefix: String, odb: Handle, into result: inout [FileTreeEntry]
    ) throws(GitError) {
        try tree.withPointer { (treePointer) throws(GitError) in
            let count = git_tree_entrycount(treePointer)
            for index in 0..<count {
                guard let entry = git_tree_entry_byindex(treePointer, index),
                      let name = cString(git_tree_entry_name(entry)),
                      var oid = git_tree_entry_id(entry)?.pointee else { continue }
                let path = prefix + name
                let mode = git_tree_entry_filemode(entry)
                switch mode {
                case GIT_FILEMODE_TREE:
                    guard !name.hasPrefix(".") else { continue }
                    let subtree = try repository.withPointer { (pointer) throws(GitError) in
                        try makeHandle("read the tree \(path)", repository: repository, release: Release.object) {
                            git_tree_lookup(&$0, pointer, &oid)
                        }
                    }
                    try collect(subtree, prefix: path + "/", odb: odb, into: &result)
                case GIT_FILEMODE_BLOB, GIT_FILEMODE_BLOB_EXECUTABLE:
                    var size = 0
                    var type = GIT_OBJECT_ANY
                    do throws(GitError) {
                        try odb.withPointer { (odbPointer) throws(GitError) in
                            try check("read the size of \(path)") { git_odb_read_header(&size, &type, odbPointer, &oid) }
                        }
                    } catch {
                        throw error.isMissingObjectFailure
                            ? repository.missingHistory(error, what: "the file \(path)") : error
                    }
                    result.append(FileTreeEntry(path: path, kind: .file, size: size, contentID: oid.hex))
                case GIT_FILEMODE_LINK:
                    // A link's target is a path: a blob far longer than any path is not read.
                    let target: String
                    switch try repository.readBlob(oid, path: path, maxBytes: Self.maxLinkTarget) {
                    case .bytes(let bytes): target = String(decoding: bytes, as: UTF8.self)
                    case .tooLarge(let size): target = "(a target of \(size) bytes)"
                    }
                    result.append(FileTreeEntry(path: path, kind: .symlink(target: target)))
                case GIT_FILEMODE_COMMIT:
                    guard !name.hasPrefix(".") else { continue }
                    result.append(FileTreeEntry(path: path, kind: .submodule))
                default:
                    continue
                }
            }
        }
    }
}

extension GitRepository {
    /// The files of `commit`, rooted at `subdirectory` when given.
    ///
    /// - Parameter revision: the revision as the user wrote it, for the label: `main (a1b2c3d)`. Without it, or
    ///   when it is the commit id itself, the label is the short id.
    public func fileTree(
        at commit: GitCommit, subdirectory: String? = nil, revision: String? = nil
    ) throws(GitError) -> GitCommitFileTree {
        let label = Self.label(for: commit, revision: revision)
        guard var oid = git_oid(hex: commit.treeID) else {
            throw GitError(.other, "the commit \(commit.shortID) has no valid tree id")
        }
        var tree = try withPointer { (pointer) throws(GitError) in
            do throws(GitError) {
                return try makeHandle("read the tree of \(commit.shortID)", repository: self, release: Release.object) {
                    git_tree_lookup(&$0, pointer, &oid)
                }
            } catch {
                throw error.isMissingObjectFailure ? missingHistory(error, what: "the tree of \(label)") : error
            }
        }
        var directory: String?
        if let subdirectory, let path = normalizedSubdirectory(subdirectory) {
            guard !subdirectory.hasPrefix("/"), isValidRelativePath(path) else {
                throw GitError(.pathNotFound, "`\(subdirectory)` is not a path inside the repository")
            }
            let entry = try treeEntry(path, in: tree, label: label)
            let isTree = entry.withPointer { git_tree_entry_type($0) == GIT_OBJECT_TREE }
            guard isTree else {
                throw GitError(.notADirectory, "\(path) is not a directory in \(label)")
            }
            tree = try entry.withPointer { (entryPointer) throws(GitError) in
                try withPointer { (pointer) throws(GitError) in
                    try makeHandle("read the tree \(path)", repository: self, release: Release.object) {
                        git_tree_entry_to_object(&$0, pointer, entryPointer)
                    }
                }
            }
            directory = path
        }
        return GitCommitFileTree(repository: self, commit: commit, subdirectory: directory, label: label, tree: tree)
    }

    /// The files of the commit `revision` names, labelled with the revision as written.
    public func fileTree(revision: String, subdirectory: String? = nil) throws(GitError) -> GitCommitFileTree {
        try fileTree(at: resolve(revision), subdirectory: subdirectory, revision: revision)
    }

    /// The bytes of the file at `path` (relative to the repository root) in `commit`, like `git show REV:path`.
    public func contents(of path: String, at commit: GitCommit) throws(GitError) -> [UInt8] {
        let tree = try fileTree(at: commit)
        switch try readFile(path, in: tree.rootTree, label: tree.label, maxBytes: .max) {
        case .bytes(let bytes): return bytes
        case .tooLarge(let size): throw GitError(.other, "\(path) is too large to read (\(size) bytes)")
        }
    }

    static func label(for commit: GitCommit, revision: String?) -> String {
        guard let revision, !revision.isEmpty, !commit.id.hasPrefix(revision.lowercased()) else {
            return commit.shortID
        }
        return "\(revision) (\(commit.shortID))"
    }

    /// The entry at `path` below `tree`.
    func treeEntry(_ path: String, in tree: Handle, label: String) throws(GitError) -> Handle {
        do {
            return try tree.withPointer { (treePointer) throws(GitError) in
                try makeHandle("find \(path) in \(label)", repository: self, release: Release.treeEntry) {
                    git_tree_entry_bypath(&$0, treePointer, path)
                }
            }
        } catch {
            if error.code == GIT_ENOTFOUND.rawValue {
                throw GitError(.pathNotFound, "\(path): no such file or directory in \(label)")
            }
            throw error
        }
    }

    /// The bytes of the regular file at `path` below `tree`, unless it is larger than `maxBytes`.
    func readFile(_ path: String, in tree: Handle, label: String, maxBytes: Int) throws(GitError) -> BlobRead {
        guard isValidRelativePath(path) else {
            throw GitError(.pathNotFound, "\(path): no such file in \(label)")
        }
        let entry = try treeEntry(path, in: tree, label: label)
        let (mode, oid) = entry.withPointer { (git_tree_entry_filemode($0), git_tree_entry_id($0)?.pointee) }
        switch mode {
        case GIT_FILEMODE_BLOB, GIT_FILEMODE_BLOB_EXECUTABLE:
            guard let oid else { throw GitError(.other, "\(path) has no object id in \(label)") }
            return try readBlob(oid, path: path, maxBytes: maxBytes)
        case GIT_FILEMODE_TREE:
            throw GitError(.notAFile, "\(path) is a directory in \(label), not a file")
        case GIT_FILEMODE_LINK:
            throw GitError(.notAFile, "\(path) is a symbolic link in \(label); links are not followed")
        case GIT_FILEMODE_COMMIT:
            throw GitError(.notAFile, "\(path) is a submodule in \(label), not a file")
        default:
            throw GitError(.notAFile, "\(path) is not a regular file in \(label)")
        }
    }

    /// The content of a blob, unless it is larger than `maxBytes`: its size is read from the object's header
    /// first, so a large blob is neither inflated nor held in memory.
    func readBlob(_ oid: git_oid, path: String, maxBytes: Int) throws(GitError) -> BlobRead {
        var oid = oid
        if maxBytes < Int.max {
            var size = 0
            var type = GIT_OBJECT_ANY
            do {
                let odb = try withPointer { (pointer) throws(GitError) in
                    try makeHandle("open the object database", repository: self, release: Release.odb) {
                        git_repository_odb(&$0, pointer)
                    }
                }
                try odb.withPointer { (odbPointer) throws(GitError) in
                    try check("read the size of \(path)") { git_odb_read_header(&size, &type, odbPointer, &oid) }
                }
            } catch {
                throw error.isMissingObjectFailure ? missingHistory(error, what: "the content of \(path)") : error
            }
            if size > maxBytes { return .tooLarge(size: size) }
        }
        let blob: Handle
        do {
            blob = try withPointer { (pointer) throws(GitError) in
                try makeHandle("read \(path)", repository: self, release: Release.object) {
                    git_blob_lookup(&$0, pointer, &oid)
                }
            }
        } catch {
            throw error.isMissingObjectFailure ? missingHistory(error, what: "the content of \(path)") : error
        }
        return blob.withPointer { pointer in
            let size = Int(git_blob_rawsize(pointer))
            if size > maxBytes { return .tooLarge(size: size) }
            guard size > 0, let raw = git_blob_rawcontent(pointer) else { return .bytes([]) }
            return .bytes(Array(UnsafeRawBufferPointer(start: raw, count: size)))
        }
    }
}

/// A blob read within a bound: its bytes, or its size when it is over the bound.
enum BlobRead {
    case bytes([UInt8])
    case tooLarge(size: Int)
}

extension GitCommitFileTree {
    var rootTree: Handle { tree }
    /// The longest symbolic link target read; Linux's PATH_MAX.
    static let maxLinkTarget = 4096
}

extension FileTreeError {
    /// A git failure seen through the file-tree vocabulary.
    init(_ error: GitError, path: String) {
        let kind: FileTreeError.Kind
        switch error.kind {
        case .pathNotFound: kind = .notFound
        case .notAFile, .notADirectory: kind = .notAFile
        default: kind = .unreadable
        }
        self.init(kind, path: path, message: error.message)
    }
}

/// A path below a tree root: `/`-separated, not empty, no leading or trailing `/`, no `.` or `..` components.
func isValidRelativePath(_ path: String) -> Bool {
    guard !path.isEmpty else { return false }
    return path.split(separator: "/", omittingEmptySubsequences: false).allSatisfy {
        !$0.isEmpty && $0 != "." && $0 != ".."
    }
}

/// A subdirectory argument made canonical: `./a/b/` is `a/b`; nil for the root (`""`, `.`, `./`).
func normalizedSubdirectory(_ path: String) -> String? {
    var components = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    components.removeAll { $0 == "." }
    return components.isEmpty ? nil : components.joined(separator: "/")
}

@available(*, unavailable, message: "it reads through a repository, which is not thread-safe")
extension GitCommitFileTree: Sendable {}

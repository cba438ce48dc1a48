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
        do {
            return try repository.readFile(path, in: tree, label: label)
        } catch {
            throw FileTreeError(error, path: path)
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
                    let target = try repository.readBlob(oid, path: path)
                    result.append(FileTreeEntry(path: path, kind: .symlink(target: String(decoding: target, as: UTF8.self))))
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
        return try readFile(path, in: tree.rootTree, label: tree.label)
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

    /// The bytes of the regular file at `path` below `tree`.
    func readFile(_ path: String, in tree: Handle, label: String) throws(GitError) -> [UInt8] {
        guard isValidRelativePath(path) else {
            throw GitError(.pathNotFound, "\(path): no such file in \(label)")
        }
        let entry = try treeEntry(path, in: tree, label: label)
        let (mode, oid) = entry.withPointer { (git_tree_entry_filemode($0), git_tree_entry_id($0)?.pointee) }
        switch mode {
        case GIT_FILEMODE_BLOB, GIT_FILEMODE_BLOB_EXECUTABLE:
            guard let oid else { throw GitError(.other, "\(path) has no object id in \(label)") }
            return try readBlob(oid, path: path)
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

    /// The content of a blob.
    func readBlob(_ oid: git_oid, path: String) throws(GitError) -> [UInt8] {
        var oid = oid
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
            guard size > 0, let raw = git_blob_rawcontent(pointer) else { return [] }
            return Array(UnsafeRawBufferPointer(start: raw, count: size))
        }
    }
}

extension GitCommitFileTree {
    var rootTree: Handle { tree }
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

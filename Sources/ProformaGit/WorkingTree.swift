import CGit2
import Foundation
import ProformaCore

/// A plain directory on disk, outside any git repository: every file below it, hidden directories excepted.
/// Symbolic links are listed, never followed.
public struct DirectoryFileTree: FileTree, Sendable {
    public let label = "working tree"
    /// The directory the tree is rooted at, as given.
    public let root: String

    public init(root: String) {
        var root = root
        while root.count > 1 && root.hasSuffix("/") { root.removeLast() }
        self.root = root
    }

    public func entries() throws(FileTreeError) -> [FileTreeEntry] {
        guard fileStatus(root)?.kind == .directory else {
            throw FileTreeError(.notFound, path: "", message: "\(root): no such directory")
        }
        return try walkDirectory(root: root, label: label, directory: { _ in .enter }, include: { _ in true })
    }

    public func contents(of path: String) throws(FileTreeError) -> [UInt8] {
        try readRegularFile(root: root, relative: path, label: label)
    }

    public func contents(of path: String, maxBytes: Int) throws(FileTreeError) -> [UInt8] {
        try readRegularFile(root: root, relative: path, label: label, maxBytes: maxBytes)
    }
}

/// The working tree of a repository as `git status` sees it: tracked files as they are on disk (uncommitted
/// changes included), untracked files that are not ignored; ignored and deleted files are absent.
///
/// Symbolic links are listed, never followed. Submodules, and other repositories nested in the tree, are listed as
/// submodules and not entered. Hidden directories are not entered.
/// Not thread-safe: it uses the repository it came from, which it keeps open.
public final class GitWorkingTree: FileTree {
    public let label = "working tree"
    /// The absolute directory the tree is rooted at.
    public let root: String
    /// The directory of the working tree this tree is rooted at, `/`-separated; nil for the root.
    public let subdirectory: String?
    private let repository: GitRepository
    /// The last snapshot of the index, reused while the index is unchanged: reading a file must not rebuild the
    /// set of every tracked path (that made a working tree of 1,300 files twice as slow to load as a folder).
    private var indexCache: IndexSnapshot?
    /// Untracked paths the last walk listed (git does not ignore them): reading one asks git's ignore rules no
    /// second time.
    private var listedUntracked: Set<String> = []
    /// How many times the index was read into a new snapshot (for tests).
    private(set) var indexSnapshotsTaken = 0

    init(repository: GitRepository, root: String, subdirectory: String?) {
        self.repository = repository
        self.root = root
        self.subdirectory = subdirectory
    }

    /// The index as it is on disk now: reread when git changed it, else the snapshot taken before.
    private func currentIndex(path: String) throws(FileTreeError) -> IndexSnapshot {
        do {
            let snapshot = try repository.indexSnapshot(reusing: indexCache)
            if snapshot.checksum != indexCache?.checksum || indexCache == nil { indexSnapshotsTaken += 1 }
            indexCache = snapshot
            return snapshot
        } catch {
            throw FileTreeError(.unreadable, path: path, message: "\(label): \(error.message)")
        }
    }

    public func entries() throws(FileTreeError) -> [FileTreeEntry] {
        let index = try currentIndex(path: "")
        let prefix = subdirectory.map { $0 + "/" } ?? ""
        let repository = self.repository
        let label = self.label
        var untracked: Set<String> = []
        let entries = try walkDirectory(
            root: root, label: label,
            directory: { (path) throws(FileTreeError) in
                let repositoryPath = prefix + path
                if index.submodules.contains(repositoryPath) || fileStatus(root + "/" + path + "/.git") != nil {
                    return .submodule
                }
                if index.directories.contains(repositoryPath) { return .enter }
                return try repository.isIgnored(repositoryPath, label: label) ? .skip : .enter
            },
            include: { (path) throws(FileTreeError) in
                let repositoryPath = prefix + path
                if index.files.contains(repositoryPath) { return true }
                guard try !repository.isIgnored(repositoryPath, label: label) else { return false }
                untracked.insert(repositoryPath)
                return true
            })
        listedUntracked = untracked
        return entries
    }

    public func contents(of path: String) throws(FileTreeError) -> [UInt8] {
        try contents(of: path, maxBytes: .max)
    }

    public func contents(of path: String, maxBytes: Int) throws(FileTreeError) -> [UInt8] {
        let notFound = { (reason: String) in
            FileTreeError(.notFound, path: path, message: "\(path): no such file in \(self.label) (\(reason))")
        }
        let prefix = subdirectory.map { $0 + "/" } ?? ""
        let index = try currentIndex(path: path)
        if isValidRelativePath(path) {
            let components = path.split(separator: "/").map(String.init)
            if components.contains(".git") { throw notFound("it is inside git's own directory") }
            var directory = ""
            for component in components.dropLast() {
                directory = directory.isEmpty ? component : directory + "/" + component
                let isSubmodule = index.submodules.contains(prefix + directory)
                    || fileStatus(root + "/" + directory + "/.git") != nil
                if isSubmodule { throw notFound("it is inside the submodule \(directory)") }
            }
        }
        let bytes = try readRegularFile(root: root, relative: path, label: label, maxBytes: maxBytes)
        let repositoryPath = prefix + path
        if !index.files.contains(repositoryPath), !listedUntracked.contains(repositoryPath),
            try repository.isIgnored(repositoryPath, label: label)
        {
            throw notFound("git ignores it")
        }
        return bytes
    }
}

extension GitRepository {
    /// The working tree, rooted at `subdirectory` (relative to the root of the working tree) when given.
    public func workingTree(subdirectory: String? = nil) throws(GitError) -> GitWorkingTree {
        guard let workingDirectory else {
            throw GitError(
                .noWorkingTree, "the repository at \(gitDirectory) is bare, so it has no working tree",
                hint: "name a revision, such as `HEAD`")
        }
        var directory: String?
        var root = workingDirectory
        if let subdirectory, let path = normalizedSubdirectory(subdirectory) {
            guard !subdirectory.hasPrefix("/"), isValidRelativePath(path) else {
                throw GitError(.pathNotFound, "`\(subdirectory)` is not a path inside the working tree")
            }
            root = workingDirectory + "/" + path
            switch fileStatus(root)?.kind {
            case .directory?:
                break
            case nil:
                throw GitError(.pathNotFound, "\(path): no such directory in the working tree")
            default:
                throw GitError(.notADirectory, "\(path) is not a directory in the working tree")
            }
            directory = path
        }
        return GitWorkingTree(repository: self, root: root, subdirectory: directory)
    }

    /// Whether git ignores the path (relative to the root of the working tree). Says nothing about whether the
    /// path is tracked: a tracked file stays in the tree even when an ignore rule matches it.
    func isIgnored(_ path: String, label: String) throws(FileTreeError) -> Bool {
        var ignored: Int32 = 0
        do {
            try withPointer { (pointer) throws(GitError) in
                try check("check whether git ignores \(path)") { git_ignore_path_is_ignored(&ignored, pointer, path) }
            }
        } catch {
            throw FileTreeError(.unreadable, path: path, message: "\(label): \(error.message)")
        }
        return ignored == 1
    }

    /// The paths the index tracks, read from disk if git changed the index since `previous` was taken (its
    /// checksum differs), else `previous` itself.
    func indexSnapshot(reusing previous: IndexSnapshot? = nil) throws(GitError) -> IndexSnapshot {
        let index = try withPointer { (pointer) throws(GitError) in
            try makeHandle("open the index", repository: self, release: Release.index) {
                git_repository_index(&$0, pointer)
            }
        }
        return try index.withPointer { (pointer) throws(GitError) in
            try check("read the index") { git_index_read(pointer, 0) }
            var checksum: [UInt8] = []
            if let oid = git_index_checksum(pointer) {
                checksum = withUnsafeBytes(of: oid.pointee.id) { Array($0) }
            }
            if let previous, !checksum.isEmpty, previous.checksum == checksum { return previous }
            var snapshot = IndexSnapshot()
            snapshot.checksum = checksum
            let count = git_index_entrycount(pointer)
            for position in 0..<count {
                guard let entry = git_index_get_byindex(pointer, position),
                      let path = cString(entry.pointee.path) else { continue }
                if entry.pointee.mode == GIT_FILEMODE_COMMIT.rawValue {
                    snapshot.submodules.insert(path)
                } else {
                    snapshot.files.insert(path)
                }
                var parent = path[...]
                while let slash = parent.lastIndex(of: "/") {
                    parent = parent[..<slash]
                    guard snapshot.directories.insert(String(parent)).inserted else { break }
                }
            }
            return snapshot
        }
    }
}

/// The paths an index tracks, relative to the root of the working tree.
struct IndexSnapshot {
    /// The index file's checksum (its trailing SHA-1), which changes whenever git writes the index.
    var checksum: [UInt8] = []
    /// Tracked files and symbolic links.
    var files: Set<String> = []
    /// Tracked submodules (gitlinks).
    var submodules: Set<String> = []
    /// Every directory that holds something tracked.
    var directories: Set<String> = []
}

@available(*, unavailable, message: "it reads through a repository, which is not thread-safe")
extension GitWorkingTree: Sendable {}

import CGit2
import Foundation

/// Where HEAD points.
public enum GitHead: Sendable, Hashable {
    /// HEAD names a branch that has commits, such as `main`.
    case branch(String)
    /// HEAD names a commit directly.
    case detached(commitID: String)
    /// HEAD names a branch with no commits yet, as in a new repository.
    case unborn(branch: String)
}

/// An open git repository.
///
/// Not thread-safe, like the libgit2 handle it owns: use each instance from one task at a time.
/// Everything read from it is a value (`GitCommit`) or an object that keeps it alive (the file trees).
public final class GitRepository {
    private let handle: OpaquePointer
    /// The repository's git directory (`.git`, or the repository itself when bare), without a trailing `/`.
    public let gitDirectory: String
    /// The root of the working tree, without a trailing `/`; nil for a bare repository.
    public let workingDirectory: String?

    /// Opens the repository that contains `path`, looking in `path` and then in each parent directory, as git
    /// does when run with `-C path`. Bare repositories are found too.
    ///
    /// - Parameter ceilingDirectories: absolute directories the search does not go above.
    public init(discoveringFrom path: String, ceilingDirectories: [String] = []) throws(GitError) {
        Libgit2.initialize()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw GitError(.io, "no such directory: \(path)")
        }
        guard isDirectory.boolValue else {
            throw GitError(.notADirectory, "not a directory: \(path)")
        }
        var raw: OpaquePointer?
        let ceiling = ceilingDirectories.isEmpty ? nil : ceilingDirectories.joined(separator: ":")
        do {
            try check("open a repository at \(path)") {
                git_repository_open_ext(&raw, path, 0, ceiling)
            }
        } catch {
            throw Self.openFailure(error, path: path)
        }
        guard let raw else {
            throw GitError(.other, "could not open a repository at \(path): libgit2 returned no repository")
        }
        handle = raw
        gitDirectory = Self.trimmedDirectory(cString(git_repository_path(raw))) ?? path
        workingDirectory = Self.trimmedDirectory(cString(git_repository_workdir(raw)))
    }

    /// Opens the repository that contains `path`, or returns nil when `path` is not inside one.
    public static func discoverIfPresent(
        from path: String, ceilingDirectories: [String] = []
    ) throws(GitError) -> GitRepository? {
        do {
            return try GitRepository(discoveringFrom: path, ceilingDirectories: ceilingDirectories)
        } catch where error.kind == .notARepository {
            return nil
        }
    }

    deinit {
        git_repository_free(handle)
    }

    /// True for a repository without a working tree.
    public var isBare: Bool { git_repository_is_bare(handle) == 1 }

    /// True for a shallow clone, whose history stops at some commits whose parents are absent.
    public var isShallow: Bool { git_repository_is_shallow(handle) == 1 }

    /// True when HEAD names a branch with no commits yet (a new repository, or after `git checkout --orphan`).
    public var isEmpty: Bool { git_repository_head_unborn(handle) == 1 }

    /// Where HEAD points.
    public var head: GitHead {
        get throws(GitError) {
            if isEmpty {
                let symbolic = try makeHandle("read HEAD", repository: self, release: Release.reference) {
                    git_reference_lookup(&$0, handle, "HEAD")
                }
                let target = symbolic.withPointer { cString(git_reference_symbolic_target($0)) } ?? "HEAD"
                return .unborn(branch: Self.branchName(target))
            }
            let reference = try makeHandle("read HEAD", repository: self, release: Release.reference) {
                git_repository_head(&$0, handle)
            }
            if git_repository_head_detached(handle) == 1 {
                guard let oid = reference.withPointer({ git_reference_target($0)?.pointee }) else {
                    throw GitError(.other, "could not read HEAD: it names no commit")
                }
                return .detached(commitID: oid.hex)
            }
            let name = reference.withPointer { cString(git_reference_name($0)) } ?? "HEAD"
            return .branch(Self.branchName(name))
        }
    }

    /// The branch HEAD names (with or without commits), or nil when HEAD is detached.
    public var currentBranch: String? {
        get throws(GitError) {
            switch try head {
            case .branch(let name), .unborn(branch: let name): name
            case .detached: nil
            }
        }
    }

    /// True when HEAD names a commit rather than a branch.
    public var isHeadDetached: Bool { git_repository_head_detached(handle) == 1 }

    /// `directory` relative to the root of the working tree (`""` for the root itself), or nil when it is
    /// outside the working tree or the repository is bare. Symbolic links in both paths are resolved first.
    public func relativePath(of directory: String) -> String? {
        guard let workingDirectory else { return nil }
        let root = Self.canonical(workingDirectory)
        let target = Self.canonical(directory)
        if target == root { return "" }
        let prefix = root.hasSuffix("/") ? root : root + "/"
        guard target.hasPrefix(prefix) else { return nil }
        return String(target.dropFirst(prefix.count))
    }

    /// Runs `body` with the raw repository pointer. Only this module sees it.
    @discardableResult
    func withPointer<Result, Failure: Error>(
        _ body: (OpaquePointer) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try body(handle)
    }

    // MARK: - Helpers

    private static func openFailure(_ error: GitError, path: String) -> GitError {
        switch error.code {
        case GIT_ENOTFOUND.rawValue:
            var failure = GitError(
                .notARepository, "not a git repository (nor any parent directory): \(path)",
                hint: "run the command inside a git repository, or name one with `-C DIR`")
            failure.libgit2Message = error.libgit2Message
            return failure
        case GIT_EOWNER.rawValue:
            var failure = GitError(
                .other, "the repository at \(path) is owned by another user",
                hint: "if you trust it, run `git config --global --add safe.directory DIR`")
            failure.libgit2Message = error.libgit2Message
            return failure
        default:
            return error
        }
    }

    private static func trimmedDirectory(_ path: String?) -> String? {
        guard var path else { return nil }
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        return path
    }

    private static func branchName(_ reference: String) -> String {
        let prefix = "refs/heads/"
        return reference.hasPrefix(prefix) ? String(reference.dropFirst(prefix.count)) : reference
    }

    private static func canonical(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        return URL(fileURLWithPath: absolute).standardizedFileURL.resolvingSymlinksInPath().path
    }
}

@available(*, unavailable, message: "libgit2 repositories are not thread-safe; open one per task")
extension GitRepository: Sendable {}

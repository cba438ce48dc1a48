/// Why a git operation failed.
///
/// One error type for the whole module. Callers branch on `kind`, never on the message text.
public struct GitError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable, CaseIterable {
        /// The directory is not inside a git repository.
        case notARepository
        /// A revision names nothing: no such branch, tag or commit.
        case unknownRevision
        /// A short id or name matches more than one object.
        case ambiguousRevision
        /// An object the repository refers to is absent, typically a commit beyond the edge of a shallow clone.
        case missingObject
        /// HEAD has no commits yet.
        case emptyRepository
        /// A range such as `A..B` or `A...B` is malformed, or its two sides have no common ancestor.
        case invalidRange
        /// A path names no entry in the tree.
        case pathNotFound
        /// A path names something that is not a regular file (a directory, a symbolic link, a submodule).
        case notAFile
        /// A path that should be a directory is something else.
        case notADirectory
        /// The repository is bare, so it has no working tree.
        case noWorkingTree
        /// The file system refused an operation.
        case io
        /// Anything else libgit2 reported.
        case other
    }

    public var kind: Kind
    /// One sentence describing the failure.
    public var message: String
    /// What the user can do about it, when there is something useful to say.
    public var hint: String?
    /// The message libgit2 gave, when the failure came from libgit2. For logs; never match on it.
    public var libgit2Message: String?
    /// The libgit2 return code and error class behind this error, when it came from libgit2.
    var libgit2Code: Int32?
    var libgit2Class: Int32?

    public init(_ kind: Kind, _ message: String, hint: String? = nil, libgit2Message: String? = nil) {
        self.kind = kind
        self.message = message
        self.hint = hint
        self.libgit2Message = libgit2Message
    }

    public var description: String { message }
}

extension GitError {
    static let checkRevisionHint = "check the name with `git rev-parse REV`"
    static let shallowHint =
        "the clone is shallow; fetch more history (e.g. `git fetch --unshallow`, or `fetch-depth: 0` in GitHub Actions)"
    static let emptyRepositoryHint = "commit the configuration first"
    static let ambiguousHint = "use more characters of the id, or a full name such as `refs/heads/NAME`"
}

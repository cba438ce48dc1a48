import CGit2
import Foundation

/// Who a commit is by: a name and an email address, as in `Name <email>`.
public struct GitIdentity: Sendable, Hashable, CustomStringConvertible {
    public var name: String
    public var email: String

    public init(name: String, email: String) {
        self.name = name
        self.email = email
    }

    /// Reads `Name <email>`; nil when the text is not of that form.
    public init?(parsing text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasSuffix(">"), let open = trimmed.lastIndex(of: "<") else { return nil }
        let name = trimmed[..<open].trimmingCharacters(in: .whitespaces)
        let email = trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)]
        guard !name.isEmpty, !email.isEmpty, !email.contains("<"), !email.contains(">"),
            !name.contains("<"), !name.contains(">")
        else { return nil }
        self.init(name: name, email: String(email))
    }

    public var description: String { "\(name) <\(email)>" }

    /// The identity used when nothing else names one.
    public static let fallback = GitIdentity(name: "proforma", email: "proforma@localhost")
}

/// Where an identity came from, so callers can say when a commit was made under the fallback.
public enum GitIdentitySource: Sendable, Hashable {
    /// Given by the caller.
    case given
    /// git's configuration (`user.name`, `user.email`).
    case configuration
    /// The environment (`GIT_AUTHOR_NAME`, `GIT_AUTHOR_EMAIL`).
    case environment
    /// `GitIdentity.fallback`.
    case fallback
}

extension GitRepository {
    /// Creates a git repository with a working tree in `path` (created if missing), as `git init` does, and opens
    /// it. HEAD names `initialBranch`, else git's `init.defaultBranch`, else `main`.
    public static func create(at path: String, initialBranch: String? = nil) throws(GitError) -> GitRepository {
        Libgit2.initialize()
        let branch = initialBranch ?? configuredDefaultBranch() ?? "main"
        var options = git_repository_init_options()
        try check("prepare to create a repository") {
            git_repository_init_options_init(&options, UInt32(GIT_REPOSITORY_INIT_OPTIONS_VERSION))
        }
        options.flags = GIT_REPOSITORY_INIT_MKPATH.rawValue | GIT_REPOSITORY_INIT_NO_REINIT.rawValue
        var raw: OpaquePointer?
        let name = strdup(branch)
        defer { free(name) }
        options.initial_head = UnsafePointer(name)
        try check("create a repository in \(path)") { git_repository_init_ext(&raw, path, &options) }
        if let raw { git_repository_free(raw) }
        return try GitRepository(discoveringFrom: path)
    }

    /// git's `init.defaultBranch` from the global and system configuration, when set.
    static func configuredDefaultBranch() -> String? {
        var config: OpaquePointer?
        guard git_config_open_default(&config) == 0, let config else { return nil }
        defer { git_config_free(config) }
        var snapshot: OpaquePointer?
        guard git_config_snapshot(&snapshot, config) == 0, let snapshot else { return nil }
        defer { git_config_free(snapshot) }
        var value: UnsafePointer<CChar>?
        guard git_config_get_string(&value, snapshot, "init.defaultBranch") == 0, let value else { return nil }
        let name = String(cString: value)
        return name.isEmpty ? nil : name
    }

    /// The identity a commit is made under when none is given: git's `user.name` and `user.email`, else the
    /// environment's `GIT_AUTHOR_NAME` and `GIT_AUTHOR_EMAIL`, else `GitIdentity.fallback`.
    public func defaultIdentity(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> (identity: GitIdentity, source: GitIdentitySource) {
        if let name = configuredValue("user.name"), let email = configuredValue("user.email"), !name.isEmpty,
            !email.isEmpty
        {
            return (GitIdentity(name: name, email: email), .configuration)
        }
        if let name = environment["GIT_AUTHOR_NAME"], let email = environment["GIT_AUTHOR_EMAIL"], !name.isEmpty,
            !email.isEmpty
        {
            return (GitIdentity(name: name, email: email), .environment)
        }
        return (GitIdentity.fallback, .fallback)
    }

    /// Stages every file of the working tree that git does not ignore, as `git add --all` does, and commits the
    /// index on HEAD's branch (its first commit when HEAD is unborn), authored and committed by `identity`.
    ///
    /// - Returns: the new commit's id.
    @discardableResult
    public func commitAll(message: String, identity: GitIdentity) throws(GitError) -> String {
        guard !isBare else {
            throw GitError(.noWorkingTree, "cannot commit in \(gitDirectory): the repository is bare")
        }
        let index = try makeHandle("read the index", repository: self, release: Release.index) {
            git_repository_index(&$0, rawRepository)
        }
        var treeID = git_oid()
        try index.withPointer { (index) throws(GitError) in
            var pattern = strdup("*")
            defer { free(pattern) }
            try withUnsafeMutablePointer(to: &pattern) { (strings) throws(GitError) in
                var pathspec = git_strarray(strings: strings, count: 1)
                try check("stage the working tree") {
                    git_index_add_all(index, &pathspec, GIT_INDEX_ADD_DEFAULT.rawValue, nil, nil)
                }
            }
            try check("write the index") { git_index_write(index) }
            try check("write the tree") { git_index_write_tree(&treeID, index) }
        }
        let tree = try makeHandle("read the tree", repository: self, release: Release.object) {
            git_object_lookup(&$0, rawRepository, &treeID, GIT_OBJECT_TREE)
        }
        var parent: Handle?
        if !isEmpty {
            var headID = git_oid()
            try check("read HEAD") { git_reference_name_to_id(&headID, rawRepository, "HEAD") }
            parent = try makeHandle("read HEAD's commit", repository: self, release: Release.object) {
                git_object_lookup(&$0, rawRepository, &headID, GIT_OBJECT_COMMIT)
            }
        }
        var signature: UnsafeMutablePointer<git_signature>?
        try check("make the signature \(identity)") {
            git_signature_now(&signature, identity.name, identity.email)
        }
        defer { git_signature_free(signature) }
        var commitID = git_oid()
        try tree.withPointer { (tree) throws(GitError) in
            var parents: [OpaquePointer?] = parent.map { [$0.withPointer { $0 }] } ?? []
            try parents.withUnsafeMutableBufferPointer { (buffer) throws(GitError) in
                _ = try check("commit") {
                    git_commit_create(
                        &commitID, rawRepository, "HEAD", signature, signature, nil, message, tree, buffer.count,
                        buffer.baseAddress)
                }
            }
        }
        withExtendedLifetime(parent) {}
        return commitID.hex
    }

    private var rawRepository: OpaquePointer { withPointer { $0 } }
}

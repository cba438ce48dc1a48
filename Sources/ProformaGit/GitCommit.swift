import CGit2

/// A moment as git records it: seconds since the epoch and the author's offset from UTC.
public struct GitTime: Sendable, Hashable {
    public var seconds: Int64
    /// Minutes east of UTC: `+0200` is 120.
    public var offsetMinutes: Int

    public init(seconds: Int64, offsetMinutes: Int) {
        self.seconds = seconds
        self.offsetMinutes = offsetMinutes
    }
}

/// A commit, read once and then independent of the repository.
public struct GitCommit: Sendable, Hashable, Identifiable {
    /// The full 40-character id.
    public var id: String
    /// The first line of the message, with surrounding whitespace removed.
    public var summary: String
    public var authorName: String
    public var authorEmail: String
    public var authorTime: GitTime
    public var committerName: String
    public var committerEmail: String
    public var committerTime: GitTime
    /// The ids of the parents, first parent first; empty for a root commit.
    public var parentIDs: [String]
    /// The id of the commit's root tree.
    public var treeID: String

    public init(
        id: String, summary: String, authorName: String, authorEmail: String, authorTime: GitTime,
        committerName: String, committerEmail: String, committerTime: GitTime, parentIDs: [String],
        treeID: String
    ) {
        self.id = id
        self.summary = summary
        self.authorName = authorName
        self.authorEmail = authorEmail
        self.authorTime = authorTime
        self.committerName = committerName
        self.committerEmail = committerEmail
        self.committerTime = committerTime
        self.parentIDs = parentIDs
        self.treeID = treeID
    }

    /// The first 7 characters of the id, as in `a1b2c3d`.
    public var shortID: String { String(id.prefix(7)) }
}

extension GitRepository {
    /// Reads the commit with the given id.
    func readCommit(_ oid: git_oid) throws(GitError) -> GitCommit {
        var oid = oid
        let commit = try withPointer { (repository) throws(GitError) in
            try makeHandle("read commit \(oid.hex)", repository: self, release: Release.object) {
                git_commit_lookup(&$0, repository, &oid)
            }
        }
        return commit.withPointer { pointer in
            let author = git_commit_author(pointer)?.pointee
            let committer = git_commit_committer(pointer)?.pointee
            var parents: [String] = []
            let count = git_commit_parentcount(pointer)
            for index in 0..<count {
                if let parent = git_commit_parent_id(pointer, index)?.pointee {
                    parents.append(parent.hex)
                }
            }
            let summary = cString(git_commit_summary(pointer)) ?? ""
            return GitCommit(
                id: oid.hex,
                summary: summary.trimmingWhitespace(),
                authorName: cString(author?.name) ?? "",
                authorEmail: cString(author?.email) ?? "",
                authorTime: GitTime(author?.when),
                committerName: cString(committer?.name) ?? "",
                committerEmail: cString(committer?.email) ?? "",
                committerTime: GitTime(committer?.when),
                parentIDs: parents,
                treeID: git_commit_tree_id(pointer)?.pointee.hex ?? "")
        }
    }
}

extension GitTime {
    init(_ time: git_time?) {
        self.init(seconds: Int64(time?.time ?? 0), offsetMinutes: Int(time?.offset ?? 0))
    }
}

extension String {
    func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0.isWhitespace }
        guard let first = firstIndex(where: { !isSpace($0) }),
              let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}

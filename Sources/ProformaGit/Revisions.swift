import CGit2
import Foundation

/// What a revision argument resolved to: one commit, or the two ends of a range.
public struct GitRevisionRange: Sendable, Hashable {
    public enum Form: Sendable, Hashable {
        /// A single revision: `main`.
        case single
        /// `A..B`: from A to B.
        case twoDot
        /// `A...B`: from the merge base of A and B to B.
        case threeDot
    }

    public var form: Form
    /// The commit to compare from: A for `A..B`, the merge base of A and B for `A...B`; nil for a single revision.
    public var base: GitCommit?
    /// The commit to compare to: B in `A..B` and `A...B`, or the single revision.
    public var head: GitCommit
    /// The left side as written (`HEAD` when left empty); nil for a single revision.
    public var baseRevision: String?
    /// The right side as written (`HEAD` when left empty), or the single revision.
    public var headRevision: String

    public init(form: Form, base: GitCommit?, head: GitCommit, baseRevision: String?, headRevision: String) {
        self.form = form
        self.base = base
        self.head = head
        self.baseRevision = baseRevision
        self.headRevision = headRevision
    }
}

extension GitRepository {
    /// The commit a revision names, in git's syntax: `HEAD`, `HEAD~2`, `main`, `origin/main`, a tag (annotated
    /// tags are peeled to their commit), a short or full id, `main@{1}`, `v1^{commit}`...
    public func resolve(_ revision: String) throws(GitError) -> GitCommit {
        guard !revision.isEmpty, revision.trimmingWhitespace() == revision else {
            throw GitError(
                .unknownRevision, "`\(revision)` is not a revision name", hint: GitError.checkRevisionHint)
        }
        if revision.contains("..") {
            throw GitError(
                .invalidRange, "`\(revision)` is a range, but a single revision is expected here",
                hint: "name one commit, such as the right side of the range")
        }
        let object: Handle
        do {
            object = try withPointer { (repository) throws(GitError) in
                try makeHandle("resolve `\(revision)`", repository: self, release: Release.object) {
                    git_revparse_single(&$0, repository, revision)
                }
            }
        } catch {
            throw revisionFailure(error, revision: revision)
        }
        let commit: Handle
        do {
            commit = try object.withPointer { (pointer) throws(GitError) in
                try makeHandle("peel `\(revision)` to a commit", repository: self, release: Release.object) {
                    git_object_peel(&$0, pointer, GIT_OBJECT_COMMIT)
                }
            }
        } catch {
            if error.isMissingObjectFailure { throw revisionFailure(error, revision: revision) }
            let type = object.withPointer { cString(git_object_type2string(git_object_type($0))) } ?? "object"
            throw GitError(
                .unknownRevision, "`\(revision)` names a \(type), not a commit",
                hint: "name a commit, a branch or a tag", libgit2Message: error.libgit2Message)
        }
        guard let oid = commit.withPointer({ git_object_id($0)?.pointee }) else {
            throw GitError(.other, "could not read the id of `\(revision)`")
        }
        return try readCommit(oid)
    }

    /// Resolves a single revision (`main`), a two-dot range (`A..B`) or a three-dot range (`A...B`, whose base is
    /// the merge base of A and B). An empty side means `HEAD`, as in git.
    public func resolveRange(_ text: String) throws(GitError) -> GitRevisionRange {
        guard let dots = text.range(of: "..") else {
            let commit = try resolve(text)
            return GitRevisionRange(form: .single, base: nil, head: commit, baseRevision: nil, headRevision: text)
        }
        var left = String(text[..<dots.lowerBound])
        var right = text[dots.upperBound...]
        var form = GitRevisionRange.Form.twoDot
        if right.hasPrefix(".") {
            form = .threeDot
            right = right.dropFirst()
        }
        var rightText = String(right)
        if text == ".." || rightText.contains("..") || rightText.hasPrefix(".") {
            throw GitError(
                .invalidRange, "`\(text)` is not a valid range",
                hint: "write `A..B` to compare A with B, or `A...B` to compare their merge base with B")
        }
        if left.isEmpty { left = "HEAD" }
        if rightText.isEmpty { rightText = "HEAD" }
        let leftCommit = try resolve(left)
        let rightCommit = try resolve(rightText)
        switch form {
        case .twoDot:
            return GitRevisionRange(
                form: .twoDot, base: leftCommit, head: rightCommit, baseRevision: left, headRevision: rightText)
        case .threeDot, .single:
            guard let base = try mergeBase(leftCommit, rightCommit) else {
                if isShallow {
                    throw GitError(
                        .missingObject,
                        "`\(left)` and `\(rightText)` have no common ancestor in the history this clone has",
                        hint: GitError.shallowHint)
                }
                throw GitError(
                    .invalidRange, "`\(left)` and `\(rightText)` have no common ancestor",
                    hint: "compare them directly with `\(left)..\(rightText)`")
            }
            return GitRevisionRange(
                form: .threeDot, base: base, head: rightCommit, baseRevision: left, headRevision: rightText)
        }
    }

    /// The best common ancestor of two commits, as `git merge-base` picks it; nil when they share no history.
    public func mergeBase(_ first: GitCommit, _ second: GitCommit) throws(GitError) -> GitCommit? {
        guard var one = git_oid(hex: first.id), var two = git_oid(hex: second.id) else {
            throw GitError(.other, "not a commit id: \(first.id) or \(second.id)")
        }
        var base = git_oid()
        do {
            try withPointer { (repository) throws(GitError) in
                try check("find the merge base of \(first.shortID) and \(second.shortID)") {
                    git_merge_base(&base, repository, &one, &two)
                }
            }
        } catch {
            // libgit2 reports an object missing during the merge-base walk as a generic failure of the object
            // database class rather than GIT_ENOTFOUND.
            if error.isMissingObjectFailure || (isShallow && error.errorClass == Int32(GIT_ERROR_ODB.rawValue)) {
                throw missingHistory(error, what: "the merge base of \(first.shortID) and \(second.shortID)")
            }
            if error.code == GIT_ENOTFOUND.rawValue { return nil }
            throw error
        }
        return try readCommit(base)
    }

    /// An error for history that could not be read because an object is absent.
    func missingHistory(_ error: GitError, what: String) -> GitError {
        if isShallow {
            return GitError(
                .missingObject, "cannot find \(what): the history it needs is not in this shallow clone",
                hint: GitError.shallowHint, libgit2Message: error.libgit2Message)
        }
        return GitError(
            .missingObject, "cannot find \(what): an object is missing from the repository",
            hint: "the repository may be damaged; check it with `git fsck`", libgit2Message: error.libgit2Message)
    }

    /// Whether any reference (branch, tag, remote-tracking branch...) exists.
    private func hasReferences() -> Bool {
        guard let iterator = try? withPointer({ (pointer) throws(GitError) in
            try makeHandle("list references", repository: self, release: Release.referenceIterator) {
                git_reference_iterator_new(&$0, pointer)
            }
        }) else { return false }
        return iterator.withPointer { pointer in
            var name: UnsafePointer<CChar>?
            return git_reference_next_name(&name, pointer) == 0
        }
    }

    private func revisionFailure(_ error: GitError, revision: String) -> GitError {
        if error.code == GIT_EAMBIGUOUS.rawValue {
            return GitError(
                .ambiguousRevision, "the revision `\(revision)` is ambiguous: more than one object matches it",
                hint: GitError.ambiguousHint, libgit2Message: error.libgit2Message)
        }
        if error.isMissingObjectFailure {
            if isShallow {
                return GitError(
                    .missingObject, "`\(revision)` goes beyond the history of this shallow clone",
                    hint: GitError.shallowHint, libgit2Message: error.libgit2Message)
            }
            return GitError(
                .missingObject, "`\(revision)` needs an object that is missing from the repository",
                hint: "the repository may be damaged; check it with `git fsck`",
                libgit2Message: error.libgit2Message)
        }
        if isEmpty {
            let branch = (try? currentBranch) ?? nil
            let mentionsHead = revision.hasPrefix("HEAD") || revision.hasPrefix("@")
                || (branch.map { revision == $0 || revision.hasPrefix($0 + "~") || revision.hasPrefix($0 + "^") }
                    ?? false)
            let isNew = !hasReferences()
            if mentionsHead, let branch {
                return GitError(
                    .emptyRepository, "HEAD names the branch `\(branch)`, which has no commits yet",
                    hint: GitError.emptyRepositoryHint, libgit2Message: error.libgit2Message)
            }
            if isNew {
                return GitError(
                    .emptyRepository, "the repository has no commits yet",
                    hint: GitError.emptyRepositoryHint, libgit2Message: error.libgit2Message)
            }
        }
        let hint = isShallow ? GitError.shallowHint : GitError.checkRevisionHint
        if error.code == GIT_EINVALIDSPEC.rawValue {
            return GitError(
                .unknownRevision, "`\(revision)` is not a valid revision", hint: hint,
                libgit2Message: error.libgit2Message)
        }
        return GitError(
            .unknownRevision, "unknown revision `\(revision)`", hint: hint, libgit2Message: error.libgit2Message)
    }
}

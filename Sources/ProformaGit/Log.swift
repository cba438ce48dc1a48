import CGit2

extension GitRepository {
    /// Visits the commits reachable from `head`, newest first: no commit comes before any of its children, and
    /// otherwise the newer commit date comes first (git's `log --date-order`).
    ///
    /// In a shallow clone the walk ends quietly at the edge of the history the clone has.
    ///
    /// - Parameters:
    ///   - excluding: commits whose history is left out, as `B ^A` (or `A..B`) in git.
    ///   - path: when given, only commits that change something at or below this path (relative to the root
    ///     of the repository) are visited: a commit is visited when what it holds at `path` differs from what
    ///     each of its parents holds there; a root commit when it holds anything there.
    ///   - visit: called for each commit in order; return false to stop the walk.
    public func log(
        from head: GitCommit,
        excluding: [GitCommit] = [],
        touching path: String? = nil,
        _ visit: (GitCommit) -> Bool
    ) throws(GitError) {
        var filterPath: String?
        if let path, let normalized = normalizedSubdirectory(path) {
            guard !path.hasPrefix("/"), isValidRelativePath(normalized) else {
                throw GitError(.pathNotFound, "`\(path)` is not a path inside the repository")
            }
            filterPath = normalized
        }
        var graph = HistoryGraph(repository: self)
        for commit in excluding {
            try graph.markExcluded(from: commit)
        }
        try graph.load(from: head)

        var remainingChildren: [String: Int] = [:]
        for node in graph.nodes.values {
            for parent in node.parents {
                remainingChildren[parent, default: 0] += 1
            }
        }
        var ready = CommitQueue()
        if let tip = graph.nodes[head.id] { ready.push(tip) }
        var pathIDs: [String: String?] = [:]
        while let node = ready.pop() {
            for parent in node.parents {
                remainingChildren[parent, default: 0] -= 1
                if remainingChildren[parent] == 0, let parentNode = graph.nodes[parent] {
                    ready.push(parentNode)
                }
            }
            if let filterPath {
                let own = try graph.entryID(at: filterPath, commitID: node.commit.id, cache: &pathIDs)
                var changed: Bool
                if node.availableParents.isEmpty {
                    changed = own != nil
                } else {
                    changed = true
                    for parent in node.availableParents {
                        let theirs = try graph.entryID(at: filterPath, commitID: parent, cache: &pathIDs)
                        if theirs == own {
                            changed = false
                            break
                        }
                    }
                }
                guard changed else { continue }
            }
            guard visit(node.commit) else { return }
        }
    }

    /// The commits reachable from `head`, newest first, as `log(from:excluding:touching:_:)` visits them.
    ///
    /// - Parameter limit: the most commits to return.
    public func log(
        from head: GitCommit, excluding: [GitCommit] = [], touching path: String? = nil, limit: Int? = nil
    ) throws(GitError) -> [GitCommit] {
        var result: [GitCommit] = []
        if let limit, limit <= 0 { return [] }
        try log(from: head, excluding: excluding, touching: path) { commit in
            result.append(commit)
            if let limit, result.count >= limit { return false }
            return true
        }
        return result
    }
}

/// The part of the commit graph a log walks, read once.
private struct HistoryGraph {
    struct Node {
        var commit: GitCommit
        /// The parents that are part of the walk.
        var parents: [String]
        /// The parents present in the repository, excluded ones included; missing ones (beyond a shallow
        /// clone's edge) left out.
        var availableParents: [String]
        /// The order in which the walk met the commit, to break ties between equal dates.
        var sequence: Int
    }

    let repository: GitRepository
    var nodes: [String: Node] = [:]
    var excluded: Set<String> = []
    /// Every commit read, excluded ones included.
    var commits: [String: GitCommit] = [:]

    init(repository: GitRepository) {
        self.repository = repository
    }

    /// Reads a commit, or returns nil when it is beyond the edge of a shallow clone.
    mutating func read(_ id: String, childOf child: GitCommit?) throws(GitError) -> GitCommit? {
        if let known = commits[id] { return known }
        guard let oid = git_oid(hex: id) else { throw GitError(.other, "not a commit id: \(id)") }
        do {
            let commit = try repository.readCommit(oid)
            commits[id] = commit
            return commit
        } catch {
            guard error.isMissingObjectFailure else { throw error }
            if child != nil && repository.isShallow { return nil }
            let what = child.map { "the parent \(String(id.prefix(7))) of \($0.shortID)" } ?? "the commit \(id)"
            throw repository.missingHistory(error, what: what)
        }
    }

    /// Marks `tip` and everything reachable from it as left out of the walk.
    mutating func markExcluded(from tip: GitCommit) throws(GitError) {
        var pending = [tip.id]
        commits[tip.id] = tip
        while let id = pending.popLast() {
            guard !excluded.contains(id), let commit = try read(id, childOf: nil) else { continue }
            excluded.insert(id)
            for parent in commit.parentIDs where !excluded.contains(parent) {
                if try read(parent, childOf: commit) != nil { pending.append(parent) }
            }
        }
    }

    /// Reads every commit reachable from `tip` that is not excluded.
    mutating func load(from tip: GitCommit) throws(GitError) {
        guard !excluded.contains(tip.id) else { return }
        commits[tip.id] = tip
        var pending = [tip]
        var sequence = 0
        nodes[tip.id] = Node(commit: tip, parents: [], availableParents: [], sequence: sequence)
        while let commit = pending.popLast() {
            var parents: [String] = []
            var available: [String] = []
            for parentID in commit.parentIDs {
                guard let parent = try read(parentID, childOf: commit) else { continue }
                available.append(parentID)
                guard !excluded.contains(parentID) else { continue }
                parents.append(parentID)
                if nodes[parentID] == nil {
                    sequence += 1
                    nodes[parentID] = Node(commit: parent, parents: [], availableParents: [], sequence: sequence)
                    pending.append(parent)
                }
            }
            nodes[commit.id]?.parents = parents
            nodes[commit.id]?.availableParents = available
        }
    }

    /// The id of what `commitID` holds at `path` (a blob, a tree, a gitlink), or nil when it holds nothing there.
    mutating func entryID(
        at path: String, commitID: String, cache: inout [String: String?]
    ) throws(GitError) -> String? {
        if let known = cache[commitID] { return known }
        guard let commit = try read(commitID, childOf: nil), var treeOID = git_oid(hex: commit.treeID) else {
            return nil
        }
        let repository = self.repository
        let tree = try repository.withPointer { (pointer) throws(GitError) in
            try makeHandle("read the tree of \(commit.shortID)", repository: repository, release: Release.object) {
                git_tree_lookup(&$0, pointer, &treeOID)
            }
        }
        var result: String?
        do {
            let entry = try repository.treeEntry(path, in: tree, label: commit.shortID)
            result = entry.withPointer { git_tree_entry_id($0)?.pointee.hex }
        } catch where error.kind == .pathNotFound {
            result = nil
        }
        cache[commitID] = .some(result)
        return result
    }
}

/// The commits ready to be shown, newest commit date first; among equal dates, the one met first.
private struct CommitQueue {
    private var heap: [HistoryGraph.Node] = []

    private static func before(_ left: HistoryGraph.Node, _ right: HistoryGraph.Node) -> Bool {
        let leftTime = left.commit.committerTime.seconds
        let rightTime = right.commit.committerTime.seconds
        return leftTime != rightTime ? leftTime > rightTime : left.sequence < right.sequence
    }

    mutating func push(_ node: HistoryGraph.Node) {
        heap.append(node)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.before(heap[child], heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> HistoryGraph.Node? {
        guard !heap.isEmpty else { return nil }
        heap.swapAt(0, heap.count - 1)
        let top = heap.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var first = parent
            if left < heap.count && Self.before(heap[left], heap[first]) { first = left }
            if right < heap.count && Self.before(heap[right], heap[first]) { first = right }
            guard first != parent else { break }
            heap.swapAt(parent, first)
            parent = first
        }
        return top
    }
}

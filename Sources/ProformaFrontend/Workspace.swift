import Foundation
import ProformaCore
import ProformaGit
import ProformaLoader

/// Where a command runs: `-C DIR` and `--root DIR`, as the command line gives them.
public struct WorkspaceOptions: Sendable, Hashable {
    /// `-C DIR`: run as if started in this folder (relative to `currentDirectory`).
    public var directory: String?
    /// `--root DIR`: the configuration root (relative to the folder the command runs in).
    public var root: String?
    /// The process's current folder; tests set it.
    public var currentDirectory: String

    public init(directory: String? = nil, root: String? = nil, currentDirectory: String? = nil) {
        self.directory = directory
        self.root = root
        self.currentDirectory = currentDirectory ?? FileManager.default.currentDirectoryPath
    }
}

/// A configuration to read: its file tree, where its root is in that tree, and how to name it.
public struct ConfigurationSource {
    public var tree: any FileTree
    /// Root of the configuration within `tree` ("" for the tree's root).
    public var root: String
    /// The root relative to the repository's top, for repository-relative paths (GitHub, SARIF); nil outside git.
    public var repositoryRoot: String?
    /// The revision's label (`main (a1b2c3d)`), nil for the working tree.
    public var revisionLabel: String?
    /// The revision as the user named it, nil for the working tree.
    public var revision: String?
    /// The commit the configuration was read from, nil for the working tree.
    public var commit: String?
    /// The configuration root as a folder on disk, where there is one (not for a bare repository).
    public var folder: URL?
    /// The folder that paths written in the configuration must stay inside: the repository's working tree, or
    /// the configuration root outside git.
    public var boundary: URL?

    public init(
        tree: any FileTree, root: String, repositoryRoot: String? = nil, revisionLabel: String? = nil,
        revision: String? = nil, commit: String? = nil, folder: URL? = nil, boundary: URL? = nil
    ) {
        self.tree = tree
        self.root = root
        self.repositoryRoot = repositoryRoot
        self.revisionLabel = revisionLabel
        self.revision = revision
        self.commit = commit
        self.folder = folder
        self.boundary = boundary
    }
}

/// The folder a command runs in (`-C`), the paths it names, and the configurations it reads: the one place that
/// turns the command line's paths and revisions into file trees.
public struct Workspace: Sendable {
    public let options: WorkspaceOptions
    /// The folder the command runs in: `-C DIR` resolved, or the current folder.
    public let directory: URL

    public init(_ options: WorkspaceOptions) throws(UserError) {
        self.options = options
        let cwd = URL(fileURLWithPath: options.currentDirectory, isDirectory: true)
        guard let path = options.directory else {
            directory = cwd.standardizedFileURL
            return
        }
        guard !path.isEmpty else { throw UserError("-C needs a folder", kind: .usage) }
        let url = (path.hasPrefix("/") ? URL(fileURLWithPath: path) : cwd.appendingPathComponent(path))
            .standardizedFileURL
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw UserError("-C \(path): no such folder", kind: .usage)
        }
        guard isDirectory.boolValue else { throw UserError("-C \(path): not a folder", kind: .usage) }
        directory = url
    }

    /// A path from the command line, resolved as if the command had been started in `-C DIR` (as `git -C` does).
    public func path(_ path: String) -> URL {
        if path.hasPrefix("/") { return URL(fileURLWithPath: path).standardizedFileURL }
        return directory.appendingPathComponent(path).standardizedFileURL
    }

    /// A path from the command line for a file to write, resolved as `path(_:)` resolves it but kept as the user
    /// would recognise it: unchanged without `-C` or when absolute, else joined to the `-C` folder as it was given.
    public func argumentPath(_ path: String) -> String {
        guard let prefix = options.directory, !path.hasPrefix("/") else { return path }
        return (prefix.hasSuffix("/") ? prefix : prefix + "/") + path
    }

    /// The repository the command runs in, or nil outside git.
    public func repositoryIfPresent() throws(GitError) -> GitRepository? {
        try GitRepository.discoverIfPresent(from: directory.path)
    }

    /// The repository the command runs in; outside git, a clear error.
    public func repository() throws(GitError) -> GitRepository {
        try GitRepository(discoveringFrom: directory.path)
    }

    /// The nearest folder at or above `start` that holds a proforma.yaml, looking no higher than `ceiling` (the
    /// top of the repository `start` is in), so that a repository never picks up a configuration around it.
    public static func findConfigurationRoot(from start: URL, ceiling: URL?) -> URL? {
        var url = start.standardizedFileURL
        let top = ceiling?.standardizedFileURL.resolvingSymlinksInPath().path
        while true {
            if FileManager.default.fileExists(
                atPath: url.appendingPathComponent(ConfigurationLoader.projectFileName).path)
            {
                return url
            }
            if let top, url.resolvingSymlinksInPath().path == top { return nil }
            let parent = url.deletingLastPathComponent()
            if parent.path == url.path { return nil }
            url = parent
        }
    }

    /// The configuration of the working tree (uncommitted changes included) or of a revision.
    public func source(revision: String?) throws -> ConfigurationSource {
        if let revision {
            let repository = try repository()
            let tree = try repository.fileTree(revision: revision, subdirectory: nil)
            let root = try repositoryRelativeRoot(repository) ?? ConfigurationLoader.findRoot(in: tree)
            let top = repository.workingDirectory.map { URL(fileURLWithPath: $0, isDirectory: true) }
            return ConfigurationSource(
                tree: tree, root: root, repositoryRoot: root, revisionLabel: tree.label, revision: revision,
                commit: tree.commit.id, folder: top.map { root.isEmpty ? $0 : $0.appendingPathComponent(root) },
                boundary: top)
        }
        let repository = try repositoryIfPresent().flatMap { $0.isBare ? nil : $0 }
        let top = repository?.workingDirectory.map { URL(fileURLWithPath: $0, isDirectory: true) }
        let rootURL: URL
        if let root = options.root {
            rootURL = path(root)
        } else if let found = Self.findConfigurationRoot(from: directory, ceiling: top) {
            rootURL = found
        } else {
            let within = top.map { " or any folder above it in the repository \($0.path)" } ?? " or any folder above it"
            throw UserError(
                "no \(ConfigurationLoader.projectFileName) in \(directory.path)\(within)",
                hint: "run `proforma init` to create a configuration, or pass -C DIR or --root DIR")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: rootURL.path, isDirectory: &isDirectory), isDirectory.boolValue
        else {
            throw UserError("--root \(options.root ?? rootURL.path): no such folder", kind: .usage)
        }
        // Inside a git work tree, git's ignore rules apply; elsewhere every file below the root is read.
        if let repository, let relative = repository.relativePath(of: rootURL.path) {
            let tree = try repository.workingTree(subdirectory: relative.isEmpty ? nil : relative)
            return ConfigurationSource(
                tree: tree, root: "", repositoryRoot: relative, folder: rootURL, boundary: top)
        }
        return ConfigurationSource(
            tree: DirectoryFileTree(root: rootURL.path), root: "", folder: rootURL, boundary: rootURL)
    }

    /// The configuration root relative to the repository: `--root`, else the folder of the proforma.yaml found
    /// from the folder the command runs in (not above the repository's top), else nil (then it is looked for in
    /// the revision's tree).
    public func repositoryRelativeRoot(_ repository: GitRepository) throws -> String? {
        if let root = options.root {
            let url = path(root)
            if repository.workingDirectory == nil { return root }
            guard let relative = repository.relativePath(of: url.path) else {
                throw UserError("--root \(root) is outside the repository", kind: .usage)
            }
            return relative
        }
        let top = repository.workingDirectory.map { URL(fileURLWithPath: $0, isDirectory: true) }
        if let found = Self.findConfigurationRoot(from: directory, ceiling: top) {
            return repository.relativePath(of: found.path)
        }
        return nil
    }
}

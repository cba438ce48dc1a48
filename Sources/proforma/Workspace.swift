import Foundation
import ProformaCore
import ProformaGit
import ProformaLoader
import ArgumentParser

/// Options every command that reads a configuration takes.
struct RepositoryOptions: ParsableArguments {
    @Option(name: .customShort("C"), help: ArgumentHelp("Run as if started in <dir>.", valueName: "dir"))
    var directory: String?

    @Option(help: ArgumentHelp("The configuration root, relative to the repository (default: found by its proforma.yaml).", valueName: "dir"))
    var root: String?
}

/// A configuration to read: its file tree, where its root is in that tree, and how to name it.
struct ConfigurationSource {
    var tree: FileTree
    /// Root of the configuration within `tree` ("" for the tree's root).
    var root: String
    /// The root relative to the repository's top, for repository-relative paths (GitHub, SARIF).
    var repositoryRoot: String?
    /// The revision's label, nil for the working tree.
    var revisionLabel: String?
}

enum Workspace {
    static func directory(_ options: RepositoryOptions) throws -> URL {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        guard let path = options.directory else { return cwd }
        let url = URL(fileURLWithPath: path, relativeTo: cwd).standardizedFileURL
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw UserError(message: "-C \(path): no such directory", exitCode: ExitStatus.usage)
        }
        return url
    }

    /// The nearest folder at or above `start` that holds a proforma.yaml.
    static func findConfigurationRoot(from start: URL) -> URL? {
        var url = start.standardizedFileURL
        while true {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent(ConfigurationLoader.projectFileName).path) {
                return url
            }
            let parent = url.deletingLastPathComponent()
            if parent.path == url.path { return nil }
            url = parent
        }
    }

    /// The configuration of the working tree (uncommitted changes included) or of a revision.
    static func source(_ options: RepositoryOptions, revision: String?) throws -> ConfigurationSource {
        let directory = try directory(options)
        if let revision {
            let repository = try GitRepository(discoveringFrom: directory.path)
            let root = try repositoryRelativeRoot(options, directory: directory, repository: repository)
            let tree = try repository.fileTree(revision: revision, subdirectory: nil)
            let configurationRoot = try root ?? ConfigurationLoader.findRoot(in: tree)
            return ConfigurationSource(
                tree: tree, root: configurationRoot, repositoryRoot: configurationRoot, revisionLabel: tree.label)
        }
        let rootURL: URL
        if let root = options.root {
            rootURL = URL(fileURLWithPath: root, relativeTo: directory).standardizedFileURL
        } else if let found = findConfigurationRoot(from: directory) {
            rootURL = found
        } else {
            throw UserError(
                message: "no \(ConfigurationLoader.projectFileName) in \(directory.path) or any folder above it",
                hint: "run `proforma init` to create a configuration, or pass -C DIR")
        }
        // Inside a git work tree, git's ignore rules apply; elsewhere every file below the root is read.
        if let repository = try? GitRepository(discoveringFrom: rootURL.path), !repository.isBare,
            let relative = repository.relativePath(of: rootURL.path)
        {
            let tree = try repository.workingTree(subdirectory: relative.isEmpty ? nil : relative)
            return ConfigurationSource(tree: tree, root: "", repositoryRoot: relative, revisionLabel: nil)
        }
        return ConfigurationSource(
            tree: DirectoryFileTree(root: rootURL.path), root: "", repositoryRoot: nil, revisionLabel: nil)
    }

    /// The configuration root relative to the repository: `--root`, else the folder of the proforma.yaml found
    /// from the current directory, else nil (then it is looked for in the revision's tree).
    static func repositoryRelativeRoot(
        _ options: RepositoryOptions, directory: URL, repository: GitRepository
    ) throws -> String? {
        if let root = options.root {
            let url = URL(fileURLWithPath: root, relativeTo: directory).standardizedFileURL
            return repository.relativePath(of: url.path) ?? root
        }
        if let found = findConfigurationRoot(from: directory) {
            return repository.relativePath(of: found.path)
        }
        return nil
    }
}

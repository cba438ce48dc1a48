import Foundation
import ProformaCore
import ProformaLoader
import ProformaModel
import ProformaUsage

extension Frontend {
    /// The usage inputs of a request: the files named on the command line (relative to `-C`; `-` is standard
    /// input), else the project's `usage` paths, which must stay inside the repository. Only regular files are
    /// read, so a FIFO or a device cannot hang a command.
    public func usageInputs(_ selection: UsageSelection, validated: ValidatedConfiguration) throws -> [UsageInput] {
        if !selection.files.isEmpty {
            guard selection.files.filter({ $0 == "-" }).count <= 1 else {
                throw UserError("--usage - names standard input more than once", kind: .usage)
            }
            return try selection.files.map { file in
                if file == "-" { return UsageInput(path: "/dev/stdin", name: "standard input") }
                guard !file.isEmpty else { throw UserError("--usage needs a file name", kind: .usage) }
                let url = workspace.path(file)
                try Self.requireRegularFile(url, named: file, hint: nil)
                return UsageInput(path: url.path, name: file)
            }
        }
        let configured = validated.configuration.project?.usage ?? []
        guard !configured.isEmpty else {
            throw UserError(
                "no usage data: the project lists no usage files",
                hint: "pass --usage FILE, or list files under `usage:` in proforma.yaml")
        }
        guard let folder = validated.source.folder, let boundary = validated.source.boundary else {
            throw UserError(
                "the repository is bare, so the project's usage paths name no file", hint: "pass --usage FILE")
        }
        let projectID = validated.configuration.project.map { ResourceID(.project, $0.name) }
        return try configured.enumerated().map { index, entry in
            let place = projectID.flatMap {
                validated.loaded.sourceMap.location(of: $0, field: "usage[\(index)].path")
            }
            let prefix = place.map { "\($0): " } ?? "\(ConfigurationLoader.projectFileName): "
            let url = folder.appendingPathComponent(entry.path).standardizedFileURL
            guard !entry.path.hasPrefix("/"), Self.isInside(url, boundary) else {
                throw UserError(
                    "\(prefix)usage path \"\(entry.path)\" leaves the repository",
                    hint:
                        "keep usage files inside the repository (paths relative to proforma.yaml), or name files outside it with --usage FILE"
                )
            }
            try Self.requireRegularFile(
                url, named: "\(prefix)usage path \"\(entry.path)\"",
                hint: "check the `usage:` list in proforma.yaml, or pass --usage FILE")
            // A symbolic link on the way could still lead out: compare the real paths too.
            guard Self.isInside(url.resolvingSymlinksInPath(), boundary.resolvingSymlinksInPath()) else {
                throw UserError(
                    "\(prefix)usage path \"\(entry.path)\" leads out of the repository through a symbolic link",
                    hint: "keep usage files inside the repository, or name files outside it with --usage FILE")
            }
            return UsageInput(path: url.path, name: entry.path)
        }
    }

    static func isInside(_ url: URL, _ folder: URL) -> Bool {
        let path = url.standardizedFileURL.path
        let top = folder.standardizedFileURL.path
        return path == top || path.hasPrefix(top.hasSuffix("/") ? top : top + "/")
    }

    /// A clear error unless `url` is a regular file (after following links, for files the user named).
    static func requireRegularFile(_ url: URL, named name: String, hint: String?) throws {
        var info = stat()
        guard stat(url.path, &info) == 0 else {
            let reason = errno == ENOENT ? "no such file" : String(cString: strerror(errno))
            throw UserError("\(name): \(reason)", hint: hint)
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return
        case S_IFDIR: throw UserError("\(name) is a folder, not a usage file", hint: hint)
        default:
            throw UserError(
                "\(name) is not a regular file", hint: "to read standard input, write --usage - explicitly")
        }
    }
}

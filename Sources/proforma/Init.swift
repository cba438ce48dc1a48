import ArgumentParser
import Foundation
import ProformaCore
import ProformaFrontend
import ProformaGit
import ProformaLoader
import ProformaState

struct Init: ProformaCommand {
    static let configuration = CommandConfiguration(
        abstract: "Scaffold a configuration repository.",
        discussion: """
            Writes proforma.yaml, two accounts, a billing group (retail), a pricing plan (standard) with a rule \
            (global-markup-10), a custom line item, a month of sample usage in usage/ (for the current billing \
            period, listed under usage:), plus the JSON Schemas in schemas/ that every file names on its first \
            line, so editors with the YAML language server validate as you type. Unless the folder is inside a git \
            repository already, it becomes one, with the files as its first commit on main (or git's \
            init.defaultBranch), by git's user.name and user.email, else GIT_AUTHOR_NAME and GIT_AUTHOR_EMAIL, \
            else proforma <proforma@localhost>. Refuses to overwrite an existing proforma.yaml.
            """)

    @Argument(help: ArgumentHelp("Where to create it (default: the current folder).", valueName: "dir"))
    var directory: String = "."

    @Option(help: "The project's name.")
    var name: String = "billing"

    @Option(help: ArgumentHelp("The payer (management) account ID.", valueName: "id"))
    var payer: String = "999999999999"

    @Option(
        help: ArgumentHelp(
            "The first commit's author (default: git's user.name <user.email>).", valueName: "name <email>"))
    var author: String?

    @Flag(help: "Do not create a git repository.")
    var noGit = false

    func validate() throws {
        if let author, GitIdentity(parsing: author) == nil {
            throw ValidationError("--author must be of the form \"Name <email>\"")
        }
        guard payer.count == 12, payer.allSatisfy(\.isNumber) else {
            throw ValidationError("--payer must be a 12-digit account ID")
        }
        guard !name.isEmpty, name.count <= 128,
            name.unicodeScalars.allSatisfy({
                $0.isASCII && ($0.properties.isAlphabetic || "0123456789_+=.@-".unicodeScalars.contains($0))
            })
        else {
            throw ValidationError("--name must be 1 to 128 letters, digits and _+=.@-")
        }
    }

    func execute() throws -> ExitCode {
        let root = URL(fileURLWithPath: directory)
        let projectFile = root.appendingPathComponent(ConfigurationLoader.projectFileName)
        if FileManager.default.fileExists(atPath: projectFile.path) {
            throw UserError(
                "\(projectFile.path) already exists", hint: "init creates a new configuration; edit the existing one")
        }
        var written: [String] = []
        // Inside a repository already (or asked not to): the files are left for the user to commit.
        let existing = noGit ? nil : try Self.enclosingRepository(of: root.path)
        let period = ApplyRecord.period(of: Date())
        for (path, text) in Scaffold.files(name: name, payer: payer, period: period) {
            let url = root.appendingPathComponent(path)
            if path == ".gitignore", FileManager.default.fileExists(atPath: url.path) {
                let existing = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
                if existing.split(separator: "\n").contains(".proforma/") { continue }
                try OutputFiles.write(
                    existing + (existing.hasSuffix("\n") || existing.isEmpty ? "" : "\n") + ".proforma/\n", to: path,
                    in: directory)
            } else {
                try OutputFiles.write(text, to: path, in: directory)
            }
            written.append(path)
        }
        Terminal.error("created a configuration in \(directory): \(written.count) files")
        if let existing {
            Terminal.error("the folder is inside the git repository \(existing); commit the files there")
        } else if !noGit {
            let repository = try GitRepository.create(at: root.path)
            let given = author.flatMap(GitIdentity.init(parsing:))
            let (identity, source) = given.map { ($0, GitIdentitySource.given) } ?? repository.defaultIdentity()
            let commit = try repository.commitAll(
                message: "Scaffold the \(name) billing configuration", identity: identity)
            let branch = (try? repository.currentBranch) ?? "HEAD"
            Terminal.error(
                "created a git repository with the first commit \(commit.prefix(7)) on \(branch), by \(identity)")
            if source == .fallback {
                Terminal.error(
                    "proforma: note: git has no user.name and user.email; set them, or name the author with --author")
            }
        }
        let cd = root.standardizedFileURL.path == FileManager.default.currentDirectoryPath ? "" : "cd \(directory) && "
        Terminal.error("next: \(cd)proforma validate && proforma invoice --group retail")
        return ExitStatus.success
    }
}

extension Init {
    /// The working tree of the git repository `path` is inside, looking from its nearest existing folder; nil when
    /// there is none.
    static func enclosingRepository(of path: String) throws -> String? {
        var folder = URL(fileURLWithPath: path).standardizedFileURL
        var isDirectory: ObjCBool = false
        while !(FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory) && isDirectory.boolValue)
        {
            guard folder.path != "/" else { return nil }
            folder.deleteLastPathComponent()
        }
        guard let repository = try GitRepository.discoverIfPresent(from: folder.path) else { return nil }
        return repository.workingDirectory ?? repository.gitDirectory
    }
}

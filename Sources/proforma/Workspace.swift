import ArgumentParser
import ProformaFrontend

/// Options every command that reads a configuration takes.
struct RepositoryOptions: ParsableArguments {
    @Option(
        name: .customShort("C"),
        help: ArgumentHelp("Run as if started in <dir>: every relative path is taken from there.", valueName: "dir"))
    var directory: String?

    @Option(
        help: ArgumentHelp(
            "The configuration root (default: the folder of the nearest proforma.yaml, walking up no further than the repository's top).",
            valueName: "dir"))
    var root: String?

    /// The shared command frontend for these options.
    func frontend() throws -> Frontend {
        try Frontend(WorkspaceOptions(directory: directory, root: root), toolVersion: Proforma.version)
    }
}

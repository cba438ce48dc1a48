import ArgumentParser
import Foundation
import ProformaFrontend
import ProformaModel
import ProformaSchema

struct Schema: ProformaCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print or write the JSON Schemas of the configuration kinds.",
        discussion: """
            With --output DIR, writes one schema per kind plus proforma.schema.json (any kind) into DIR. \
            With --check DIR, exits 1 when the schemas in DIR differ from the generated ones. Otherwise prints \
            the combined schema, or the schema of --kind.
            """)

    @Option(help: ArgumentHelp("Write every schema into this folder.", valueName: "dir"))
    var output: String?

    @Option(help: ArgumentHelp("Compare the schemas in this folder with the generated ones.", valueName: "dir"))
    var check: String?

    @Option(help: ArgumentHelp("Print the schema of one kind (e.g. BillingGroup).", valueName: "kind"))
    var kind: String?

    func validate() throws {
        if output != nil && check != nil { throw ValidationError("--output and --check cannot be combined") }
        if let kind, ResourceKind(rawValue: kind) == nil {
            throw ValidationError(
                "unknown kind \"\(kind)\"; kinds are \(ResourceKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func execute() throws -> ExitCode {
        let files = SchemaGenerator.allFiles()
        if let output {
            for file in files {
                try OutputFiles.write(file.text, to: file.name, in: output)
            }
            Terminal.error("wrote \(files.count) schemas to \(output)")
            return ExitStatus.success
        }
        if let check {
            let folder = URL(fileURLWithPath: check)
            var stale: [String] = []
            for file in files {
                let existing = try? String(contentsOf: folder.appendingPathComponent(file.name), encoding: .utf8)
                if existing != file.text { stale.append(file.name) }
            }
            if stale.isEmpty { return ExitStatus.success }
            throw UserError(
                "schemas out of date in \(check): \(stale.joined(separator: ", "))",
                hint: "regenerate them with `proforma schema --output \(check)`")
        }
        if let kind, let resourceKind = ResourceKind(rawValue: kind) {
            Terminal.write(files.first { $0.name == SchemaGenerator.fileName(for: resourceKind) }!.text)
        } else {
            Terminal.write(files.first { $0.name == SchemaGenerator.combinedFileName }!.text)
        }
        return ExitStatus.success
    }
}

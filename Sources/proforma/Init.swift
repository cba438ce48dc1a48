import ArgumentParser
import Foundation
import ProformaFrontend
import ProformaLoader
import ProformaModel
import ProformaSchema

struct Init: ProformaCommand {
    static let configuration = CommandConfiguration(
        abstract: "Scaffold a configuration repository.",
        discussion: """
            Writes proforma.yaml, accounts, a billing group, a pricing plan with rules and a custom line item, \
            plus the JSON Schemas in schemas/ that every file names on its first line, so editors with the YAML \
            language server validate as you type. Refuses to overwrite an existing proforma.yaml.
            """)

    @Argument(help: ArgumentHelp("Where to create it (default: the current folder).", valueName: "dir"))
    var directory: String = "."

    @Option(help: "The project's name.")
    var name: String = "billing"

    @Option(help: ArgumentHelp("The payer (management) account ID.", valueName: "id"))
    var payer: String = "999999999999"

    func validate() throws {
        guard payer.count == 12, payer.allSatisfy(\.isNumber) else {
            throw ValidationError("--payer must be a 12-digit account ID")
        }
        guard !name.isEmpty, name.count <= 128,
            name.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || "0123456789_+=.@-".unicodeScalars.contains($0)) })
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
        for (path, text) in Scaffold.files(name: name, payer: payer) {
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
        Terminal.error("next: edit the files, then run `proforma validate`")
        return ExitStatus.success
    }
}

/// The files of a new configuration.
enum Scaffold {
    static func header(_ kind: ResourceKind?, depth: Int) -> String {
        let schema = kind.map(SchemaGenerator.fileName(for:)) ?? SchemaGenerator.combinedFileName
        return "# yaml-language-server: $schema=\(String(repeating: "../", count: depth))schemas/\(schema)\n"
    }

    static func files(name: String, payer: String) -> [(String, String)] {
        var files: [(String, String)] = [
            (
                "proforma.yaml",
                header(.project, depth: 0) + """
                    kind: Project
                    name: \(name)
                    version: 1
                    payer_account_id: "\(payer)"
                    currency: USD
                    rounding: half_even
                    usage: []            # e.g. - path: usage/2026-10.csv.gz
                    # Guardrails are checked by `proforma plan` against the usage data; list usage files first.
                    # guardrails:
                    #   - name: invoice-increase
                    #     max_increase_percentage: 10

                    """
            ),
            (
                "accounts.yaml",
                header(.account, depth: 0) + """
                    kind: Account
                    name: example-prod
                    account_id: "111111111111"
                    email: prod@example.com
                    ---
                    kind: Account
                    name: example-dev
                    account_id: "222222222222"
                    email: dev@example.com

                    """
            ),
            (
                "billing-groups/example.yaml",
                header(.billingGroup, depth: 1) + """
                    kind: BillingGroup
                    name: example
                    description: An example customer
                    primary_account_id: "111111111111"
                    account_ids: ["111111111111", "222222222222"]
                    pricing_plan: standard

                    """
            ),
            (
                "pricing/standard.yaml",
                header(nil, depth: 1) + """
                    kind: PricingPlan
                    name: standard
                    pricing_rules: [global-markup-10]
                    ---
                    kind: PricingRule
                    name: global-markup-10
                    scope: GLOBAL
                    type: MARKUP
                    modifier_percentage: 10

                    """
            ),
            (
                "line-items/example.yaml",
                header(.customLineItem, depth: 1) + """
                    kind: CustomLineItem
                    name: example-service-fee
                    description: Managed service fee
                    billing_group: example
                    type: FEE
                    flat: { charge_value: 50.00 }

                    """
            ),
            (".gitignore", ".proforma/\n"),
        ]
        files += SchemaGenerator.allFiles().map { ("schemas/\($0.name)", $0.text) }
        return files
    }
}

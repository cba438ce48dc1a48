import ArgumentParser

@main
struct Proforma: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "proforma",
        abstract: "Git-native configuration as code for custom cloud billing.",
        discussion: """
            Billing groups, pricing plans, pricing rules and custom line items live as YAML files in a git \
            repository. proforma validates them, compares revisions and prices usage data with them.
            """,
        version: version,
        subcommands: [
            Init.self, Validate.self, Diff.self, PlanCommand.self, Apply.self, Status.self, State.self, Log.self,
            Invoice.self, Report.self, Usage.self, Import.self, Export.self, SQL.self, Schema.self, Explain.self,
        ])

    /// ArgumentParser's entry point, with every message (help and version included) written through `Terminal`, so
    /// that a standard stream that cannot be written ends the command with exit 74 instead of a trap.
    static func main() {
        Terminal.prepareStandardStreams()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let message = fullMessage(for: error)
            let status = exitCode(for: error)
            if !message.isEmpty {
                if status == ExitStatus.success { Terminal.write(message + "\n") } else { Terminal.error(message) }
            }
            Terminal.exitNow(status.rawValue)
        }
        Terminal.exitNow(ExitStatus.success.rawValue)
    }
}

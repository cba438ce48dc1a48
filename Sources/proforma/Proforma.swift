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
            Invoice.self, Report.self, Schema.self, Explain.self,
        ])
}

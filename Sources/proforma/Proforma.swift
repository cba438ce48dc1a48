import ArgumentParser

@main
struct Proforma: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "proforma",
        abstract: "Git-native configuration as code for custom cloud billing.")
}

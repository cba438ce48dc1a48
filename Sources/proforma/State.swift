import ArgumentParser
import Foundation
import ProformaCore
import ProformaFrontend
import ProformaModel
import ProformaPlan
import ProformaState

enum HistoryFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// Which applied configuration a `state` command reads: `--serial N`, `--period P`, else the one in effect now.
struct StateSelection: ParsableArguments {
    @Option(help: ArgumentHelp("The configuration applied by this serial.", valueName: "n"))
    var serial: Int?

    @Option(
        help: ArgumentHelp(
            "The configuration in effect for this billing period (default: the current one).", valueName: "period"))
    var period: String?

    func validate() throws {
        if serial != nil && period != nil { throw ValidationError("give --serial or --period, not both") }
        if let period, BillingPeriod(period) == nil {
            throw ValidationError("--period \(period): expected a billing period YYYY-MM")
        }
    }

    func resolve(_ store: StateStore) throws -> (record: ApplyRecord, configuration: Configuration) {
        try StateAccess.run { () throws -> (record: ApplyRecord, configuration: Configuration) in
            if let serial {
                let record = try store.record(serial: serial)
                return (record, try store.configuration(of: record))
            }
            let period = period.flatMap { BillingPeriod($0) } ?? ApplyRecord.period(of: Date())
            guard let found = try store.configuration(inEffectFor: period) else {
                let first = try store.history().first
                throw StateError(
                    .notFound, "no configuration was applied for \(period)",
                    hint: first.map { "the first apply takes effect from \($0.period)" } ?? "run `proforma apply`")
            }
            return found
        }
    }
}

struct State: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Inspect the applied state: which configuration priced which billing period, from which commit.",
        subcommands: [List.self, Show.self, History.self, Export.self, Unlock.self])

    struct List: ProformaCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the resources of the applied configuration (in effect now, for --period, or of --serial).")

        @OptionGroup var repository: RepositoryOptions
        @OptionGroup var selection: StateSelection

        func execute() throws -> ExitCode {
            let store = try StateAccess.store(repository)
            let (record, configuration) = try selection.resolve(store)
            var output = ""
            for id in Canonical.ordered(configuration).map(\.id) { output += "\(id)\n" }
            Terminal.write(output)
            Terminal.error(
                "serial \(record.serial), \(StateAccess.shortCommit(record.commit)), in effect from \(record.period): \(record.resourceCount) resources"
            )
            return ExitStatus.success
        }
    }

    struct Show: ProformaCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one applied resource as stored (canonical JSON).")

        @OptionGroup var repository: RepositoryOptions

        @Argument(help: ArgumentHelp("The resource, KIND/NAME (e.g. BillingGroup/retail).", valueName: "kind/name"))
        var resource: String

        @OptionGroup var selection: StateSelection

        func validate() throws {
            guard Self.parse(resource) != nil else {
                throw ValidationError(
                    "\(resource): expected KIND/NAME with KIND one of \(ResourceKind.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
        }

        static func parse(_ text: String) -> ResourceID? {
            guard let slash = text.firstIndex(of: "/"), let kind = ResourceKind(rawValue: String(text[..<slash])) else {
                return nil
            }
            let name = String(text[text.index(after: slash)...])
            return name.isEmpty ? nil : ResourceID(kind, name)
        }

        func execute() throws -> ExitCode {
            let id = Self.parse(resource)!
            let store = try StateAccess.store(repository)
            let (record, configuration) = try selection.resolve(store)
            guard let value = Canonical.ordered(configuration).first(where: { $0.id == id })?.value else {
                throw UserError(
                    "\(id) is not in the configuration applied by serial \(record.serial)",
                    hint: "`proforma state list` lists the applied resources")
            }
            Terminal.write(JSONWriter.write(ResourceDocument.json(id: id, value: value)))
            Terminal.error(
                "\(id) as applied by serial \(record.serial) (\(StateAccess.shortCommit(record.commit)), in effect from \(record.period))"
            )
            return ExitStatus.success
        }
    }

    struct History: ProformaCommand {
        static let configuration = CommandConfiguration(
            abstract: "Every apply, newest first: serial, commit, period, actor, time and the changes it made.")

        @OptionGroup var repository: RepositoryOptions

        @Option(help: "Output format: text or json.")
        var format: HistoryFormat = .text

        @Option(name: .customShort("n"), help: ArgumentHelp("Show at most this many applies.", valueName: "n"))
        var limit: Int?

        func execute() throws -> ExitCode {
            let store = try StateAccess.store(repository)
            let all = try StateAccess.run { try store.history() }
            var records = Array(all.reversed())
            // The first serial that applied each configuration: a later apply of it is a rollback (or a re-apply).
            var firstSerial: [String: Int] = [:]
            for record in all where firstSerial[record.configurationHash] == nil {
                firstSerial[record.configurationHash] = record.serial
            }
            if let limit { records = Array(records.prefix(max(0, limit))) }
            switch format {
            case .json:
                Terminal.write(
                    JSONWriter.write(
                        .object([
                            "format_version": .int(1),
                            "lineage": .string(try StateAccess.run { try store.version() }.lineage),
                            "applies": .array(records.map(StateJSON.record)),
                        ])))
            case .text:
                if records.isEmpty {
                    Terminal.write("Nothing has been applied yet.\n")
                    return ExitStatus.success
                }
                var output = ""
                for record in records {
                    var flags: [String] = []
                    if record.backfill { flags.append("backfill") }
                    if record.dirty { flags.append("dirty") }
                    output += "serial \(record.serial)  \(StateAccess.shortCommit(record.commit))  \(record.period)  "
                    output +=
                        "\(record.appliedAt)  \(record.actor)\(flags.isEmpty ? "" : "  [\(flags.joined(separator: ", "))]")\n"
                    let earlier = firstSerial[record.configurationHash].flatMap { $0 < record.serial ? $0 : nil }
                    output += "    \(record.revision): \(record.changeSummary)"
                    output += earlier.map { " (the configuration of serial \($0) again)\n" } ?? "\n"
                }
                Terminal.write(output)
            }
            return ExitStatus.success
        }
    }

    struct Export: ProformaCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the whole state as JSON: lineage, every apply and every applied configuration.")

        @OptionGroup var repository: RepositoryOptions

        @Option(
            name: .shortAndLong, help: ArgumentHelp("Write to this file (default: standard output).", valueName: "file")
        )
        var output: String?

        func execute() throws -> ExitCode {
            let store = try StateAccess.store(repository)
            let json = try StateAccess.run { () throws -> JSONValue in
                let version = try store.version()
                var configurations: [String: JSONValue] = [:]
                var applies: [JSONValue] = []
                for record in try store.history() {
                    var entry = StateJSON.record(record)
                    if case .object(var fields) = entry {
                        fields["changes"] = .array(
                            try store.changes(serial: record.serial).map {
                                .object([
                                    "action": .string($0.action), "kind": .string($0.id.kind.rawValue),
                                    "name": .string($0.id.name),
                                ])
                            })
                        entry = .object(fields)
                    }
                    applies.append(entry)
                    if configurations[record.configurationHash] == nil {
                        let configuration = try store.configuration(of: record)
                        configurations[record.configurationHash] = .array(
                            Canonical.ordered(configuration).map { ResourceDocument.json(id: $0.id, value: $0.value) })
                    }
                }
                return .object([
                    "format_version": .int(1), "lineage": .string(version.lineage), "serial": .int(version.serial),
                    "applies": .array(applies), "configurations": .object(configurations),
                ])
            }
            let text = JSONWriter.write(json)
            if let output {
                try OutputFiles.write(text, toFile: try repository.frontend().workspace.argumentPath(output))
            } else {
                Terminal.write(text)
            }
            return ExitStatus.success
        }
    }

    struct Unlock: ProformaCommand {
        static let configuration = CommandConfiguration(
            abstract: "Release the apply lock a killed run left behind (never done automatically).",
            discussion: "The id is in the message of the apply that found the store locked.")

        @OptionGroup var repository: RepositoryOptions

        @Argument(help: ArgumentHelp("The lock's id.", valueName: "id"))
        var id: String

        func execute() throws -> ExitCode {
            let store = try StateAccess.store(repository)
            let held = try StateAccess.run { try store.currentLock() }
            try StateAccess.run { try store.unlock(id: id) }
            Terminal.write("Released \(held?.summary ?? "lock \(id)").\n")
            return ExitStatus.success
        }
    }
}

enum StateJSON {
    static func record(_ record: ApplyRecord) -> JSONValue {
        .object([
            "serial": .int(record.serial), "commit": .string(record.commit), "revision": .string(record.revision),
            "configuration_hash": .string(record.configurationHash), "actor": .string(record.actor),
            "applied_at": .string(record.appliedAt), "tool_version": .string(record.toolVersion),
            "period": .string(record.period.description), "backfill": .bool(record.backfill),
            "dirty": .bool(record.dirty), "resource_count": .int(record.resourceCount),
            "summary": .object([
                "add": .int(record.additions), "change": .int(record.updates), "destroy": .int(record.deletions),
            ]),
        ])
    }
}

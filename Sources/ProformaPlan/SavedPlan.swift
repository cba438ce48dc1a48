import Foundation
import ProformaCore
import ProformaModel

/// One side of a comparison: which revision, which commit, and the content hash of its configuration.
public struct PlanSide: Sendable, Hashable {
    /// How the user named it (`main`, `HEAD~1`), or "working tree".
    public var label: String
    /// The full commit id; nil for the working tree.
    public var commit: String?
    /// `Canonical.hash(of:)` of its configuration.
    public var configurationHash: String

    public init(label: String, commit: String?, configurationHash: String) {
        self.label = label
        self.commit = commit
        self.configurationHash = configurationHash
    }

    var json: JSONValue {
        .object([
            "label": .string(label), "commit": .string(commit), "configuration_hash": .string(configurationHash),
        ])
    }
}

/// The applied state a plan was made against: the store's lineage (nil when nothing was applied yet) and serial.
public struct PlannedState: Sendable, Hashable, Codable {
    public var lineage: String?
    public var serial: Int

    public init(lineage: String?, serial: Int) {
        self.lineage = lineage
        self.serial = serial
    }

    var json: JSONValue { .object(["lineage": .string(lineage), "serial": .int(serial)]) }
}

/// A plan: the resource changes from a base configuration to a head configuration. Saved with `plan -o FILE`
/// and consumed by `apply`, which refuses it when either side, or the applied state, no longer matches.
public struct Plan: Sendable, Hashable {
    public static let formatVersion = 1

    public var base: PlanSide
    public var head: PlanSide
    /// The configuration root within the repository ("" at the top).
    public var root: String
    public var diff: ConfigurationDiff
    public var toolVersion: String
    /// The applied state it was planned against; nil when not planned against a store.
    public var state: PlannedState?

    public init(
        base: PlanSide, head: PlanSide, root: String, diff: ConfigurationDiff, toolVersion: String,
        state: PlannedState? = nil
    ) {
        self.base = base
        self.head = head
        self.root = root
        self.diff = diff
        self.toolVersion = toolVersion
        self.state = state
    }

    /// `Plan: 1 to add, 2 to change, 0 to destroy.`, or `No changes.`
    public var summary: String {
        diff.isEmpty
            ? "No changes. The configurations are the same."
            : "Plan: \(diff.creations) to add, \(diff.updates) to change, \(diff.deletions) to destroy."
    }

    /// The saved plan's JSON: deterministic (sorted keys, no timestamps), so the same change saves the same file.
    public var json: JSONValue {
        .object([
            "format_version": .int(Self.formatVersion),
            "tool_version": .string(toolVersion),
            "root": .string(root),
            "base": base.json,
            "head": head.json,
            "changes": .array(diff.changes.map(Self.json(of:))),
            "state": state?.json ?? .null,
            "summary": .object([
                "add": .int(diff.creations), "change": .int(diff.updates), "destroy": .int(diff.deletions),
            ]),
        ])
    }

    public static func json(of change: ResourceChange) -> JSONValue {
        .object([
            "action": .string(change.action.rawValue),
            "kind": .string(change.id.kind.rawValue),
            "name": .string(change.id.name),
            "fields": .array(
                change.fields.map { field in
                    switch field.kind {
                    case .value(let old, let new):
                        return .object(["path": .string(field.path), "old": old?.json ?? .null, "new": new?.json ?? .null])
                    case .members(let added, let removed):
                        return .object([
                            "path": .string(field.path), "added": .array(added.map { .string($0) }),
                            "removed": .array(removed.map { .string($0) }),
                        ])
                    }
                }),
        ])
    }
}

/// What `apply` reads back from a saved plan: both sides, the root and the applied state it was planned against.
public struct SavedPlan: Sendable, Hashable, Decodable {
    public struct Side: Sendable, Hashable, Decodable {
        public var label: String
        public var commit: String?
        public var configurationHash: String

        enum CodingKeys: String, CodingKey {
            case label, commit
            case configurationHash = "configuration_hash"
        }
    }

    public var formatVersion: Int
    public var toolVersion: String
    public var root: String
    public var base: Side
    public var head: Side
    public var state: PlannedState?

    enum CodingKeys: String, CodingKey {
        case root, base, head, state
        case formatVersion = "format_version"
        case toolVersion = "tool_version"
    }

    /// Reads a saved plan; nil when the bytes are not one (not JSON, a field missing, another format version).
    public static func read(_ data: Data) -> SavedPlan? {
        guard let plan = try? JSONDecoder().decode(SavedPlan.self, from: data), plan.formatVersion == Plan.formatVersion
        else { return nil }
        return plan
    }
}

import ProformaCore
import ProformaModel

/// What happens to a resource.
public enum ChangeAction: String, Sendable, Hashable, Codable {
    case create
    case update
    case delete

    /// `+`, `~`, `-`.
    public var symbol: String {
        switch self {
        case .create: "+"
        case .update: "~"
        case .delete: "-"
        }
    }
}

/// One changed field of a resource, by path (`tiering.tiers[1].rate_value`).
public struct FieldChange: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// A value set, changed or removed (nil on the side where it is absent).
        case value(old: CanonicalValue?, new: CanonicalValue?)
        /// Members added to and removed from a set.
        case members(added: [String], removed: [String])
    }

    public var path: String
    public var kind: Kind

    public init(path: String, kind: Kind) {
        self.path = path
        self.kind = kind
    }
}

/// One resource created, updated or deleted.
public struct ResourceChange: Sendable, Hashable {
    public var id: ResourceID
    public var action: ChangeAction
    /// For updates: each changed field. For creations and deletions: every field, as set or as it was.
    public var fields: [FieldChange]

    public init(id: ResourceID, action: ChangeAction, fields: [FieldChange]) {
        self.id = id
        self.action = action
        self.fields = fields
    }
}

/// The semantic difference between two configurations, ordered by kind then name.
public struct ConfigurationDiff: Sendable, Hashable {
    public var changes: [ResourceChange]

    public init(changes: [ResourceChange]) {
        self.changes = changes
    }

    public var isEmpty: Bool { changes.isEmpty }
    public var creations: Int { changes.count { $0.action == .create } }
    public var updates: Int { changes.count { $0.action == .update } }
    public var deletions: Int { changes.count { $0.action == .delete } }

    /// The changes between `before` and `after`.
    /// The changes between `before` and `after`. Resources equal as values are unchanged without further work;
    /// only the others are compared in canonical form (where, say, a reordered set is still no change).
    public init(from before: Configuration, to after: Configuration) {
        var changes: [ResourceChange] = []
        let beforeProject = before.project.map { [$0] } ?? []
        let afterProject = after.project.map { [$0] } ?? []
        Self.merge(.project, beforeProject, afterProject, \.name, Canonical.value(of:), into: &changes)
        Self.merge(.account, before.accounts, after.accounts, \.name, Canonical.value(of:), into: &changes)
        Self.merge(.billingGroup, before.billingGroups, after.billingGroups, \.name, Canonical.value(of:), into: &changes)
        Self.merge(.pricingPlan, before.pricingPlans, after.pricingPlans, \.name, Canonical.value(of:), into: &changes)
        Self.merge(.pricingRule, before.pricingRules, after.pricingRules, \.name, Canonical.value(of:), into: &changes)
        Self.merge(
            .customLineItem, before.customLineItems, after.customLineItems, \.name, Canonical.value(of:), into: &changes)
        Self.merge(.parentGroup, before.parentGroups, after.parentGroups, \.name, Canonical.value(of:), into: &changes)
        Self.merge(
            .costAllocation, before.costAllocations, after.costAllocations, \.name, Canonical.value(of:),
            into: &changes)
        self.changes = changes
    }

    /// Merges two lists of one kind, each sorted by name (sorted here when they are not).
    static func merge<Resource: Equatable>(
        _ kind: ResourceKind, _ before: [Resource], _ after: [Resource], _ name: (Resource) -> String,
        _ canonical: (Resource) -> CanonicalValue, into changes: inout [ResourceChange]
    ) {
        func sortedByName(_ list: [Resource]) -> [Resource] {
            zip(list, list.dropFirst()).allSatisfy { name($0.0) < name($0.1) } ? list : list.sorted { name($0) < name($1) }
        }
        let a = sortedByName(before)
        let b = sortedByName(after)
        var i = 0
        var j = 0
        while i < a.count || j < b.count {
            if j == b.count || (i < a.count && name(a[i]) < name(b[j])) {
                changes.append(
                    ResourceChange(id: ResourceID(kind, name(a[i])), action: .delete, fields: fields(of: canonical(a[i]), path: "", created: false)))
                i += 1
            } else if i == a.count || name(b[j]) < name(a[i]) {
                changes.append(
                    ResourceChange(id: ResourceID(kind, name(b[j])), action: .create, fields: fields(of: canonical(b[j]), path: "", created: true)))
                j += 1
            } else {
                if a[i] != b[j] {
                    let old = canonical(a[i])
                    let new = canonical(b[j])
                    if old != new {
                        var fields: [FieldChange] = []
                        compare(old, new, path: "", into: &fields)
                        changes.append(ResourceChange(id: ResourceID(kind, name(b[j])), action: .update, fields: fields))
                    }
                }
                i += 1
                j += 1
            }
        }
    }

    static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// Every leaf field of a value, as created (old nil) or deleted (new nil).
    static func fields(of value: CanonicalValue, path: String, created: Bool) -> [FieldChange] {
        if case .object(let members) = value {
            return members.keys.sorted().flatMap { fields(of: members[$0]!, path: join(path, $0), created: created) }
        }
        return [FieldChange(path: path, kind: created ? .value(old: nil, new: value) : .value(old: value, new: nil))]
    }

    static func compare(_ old: CanonicalValue?, _ new: CanonicalValue?, path: String, into fields: inout [FieldChange]) {
        guard old != new else { return }
        switch (old, new) {
        case (.object(let a)?, .object(let b)?):
            for key in Set(a.keys).union(b.keys).sorted() {
                compare(a[key], b[key], path: join(path, key), into: &fields)
            }
        case (.set(let a)?, .set(let b)?):
            let before = Set(a)
            let after = Set(b)
            fields.append(
                FieldChange(
                    path: path,
                    kind: .members(added: after.subtracting(before).sorted(), removed: before.subtracting(after).sorted())))
        case (.list(let a)?, .list(let b)?):
            for index in 0..<max(a.count, b.count) {
                compare(
                    index < a.count ? a[index] : nil, index < b.count ? b[index] : nil, path: "\(path)[\(index)]",
                    into: &fields)
            }
        case (.object(let a)?, nil):
            for key in a.keys.sorted() { compare(a[key], nil, path: join(path, key), into: &fields) }
        case (nil, .object(let b)?):
            for key in b.keys.sorted() { compare(nil, b[key], path: join(path, key), into: &fields) }
        default:
            fields.append(FieldChange(path: path, kind: .value(old: old, new: new)))
        }
    }
}

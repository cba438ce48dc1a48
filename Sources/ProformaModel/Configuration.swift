import ProformaCore

/// A whole configuration: every resource, each kind sorted by name, names unique per kind.
/// Equality compares content only; where things were written lives in the `SourceMap` beside it.
public struct Configuration: Sendable, Hashable {
    public var project: Project?
    public var accounts: [Account]
    public var billingGroups: [BillingGroup]
    public var pricingPlans: [PricingPlan]
    public var pricingRules: [PricingRule]
    public var customLineItems: [CustomLineItem]
    /// The parents of the billing hierarchy.
    public var parentGroups: [ParentGroup]
    public var costAllocations: [CostAllocation]

    public init(
        project: Project? = nil, accounts: [Account] = [], billingGroups: [BillingGroup] = [],
        pricingPlans: [PricingPlan] = [], pricingRules: [PricingRule] = [], customLineItems: [CustomLineItem] = [],
        parentGroups: [ParentGroup] = [], costAllocations: [CostAllocation] = []
    ) {
        self.parentGroups = parentGroups
        self.costAllocations = costAllocations
        self.project = project
        self.accounts = accounts
        self.billingGroups = billingGroups
        self.pricingPlans = pricingPlans
        self.pricingRules = pricingRules
        self.customLineItems = customLineItems
    }

    /// Sorts every kind by name.
    public mutating func sort() {
        accounts.sort { $0.name < $1.name }
        billingGroups.sort { $0.name < $1.name }
        pricingPlans.sort { $0.name < $1.name }
        pricingRules.sort { $0.name < $1.name }
        customLineItems.sort { $0.name < $1.name }
        parentGroups.sort { $0.name < $1.name }
        costAllocations.sort { $0.name < $1.name }
    }

    /// How many resources it holds, the project included.
    public var resourceCount: Int {
        (project == nil ? 0 : 1) + accounts.count + billingGroups.count + pricingPlans.count + pricingRules.count
            + customLineItems.count + parentGroups.count + costAllocations.count
    }

    /// Every resource's identity, sorted by kind then name.
    public var resourceIDs: [ResourceID] {
        var ids: [ResourceID] = []
        if let project { ids.append(ResourceID(.project, project.name)) }
        ids += accounts.map { ResourceID(.account, $0.name) }
        ids += billingGroups.map { ResourceID(.billingGroup, $0.name) }
        ids += pricingPlans.map { ResourceID(.pricingPlan, $0.name) }
        ids += pricingRules.map { ResourceID(.pricingRule, $0.name) }
        ids += customLineItems.map { ResourceID(.customLineItem, $0.name) }
        ids += parentGroups.map { ResourceID(.parentGroup, $0.name) }
        ids += costAllocations.map { ResourceID(.costAllocation, $0.name) }
        return ids.sorted()
    }
}

/// Where one resource was written: its document, and each field by path (`account_ids[2]`, `flat.charge_value`).
/// Positions are kept packed (a resource's fields are all in its own file), since a large configuration has a
/// million of them.
public struct ResourceSource: Sendable, Hashable {
    /// The location of the resource's `name` value (or of its document when it has no name).
    public var location: SourceLocation
    /// 0-based index of the document in its file.
    public var documentIndex: Int
    /// Field path → packed position of its value (of its key, for a list or mapping). A resource has a dozen
    /// fields, so a list searched in order is smaller and faster than a hash table.
    var marks: [FieldMark]
    /// List path → packed positions of its scalar items, by index.
    var itemMarks: [String: [UInt64]]

    /// A field path and the packed position of its value.
    public struct FieldMark: Sendable, Hashable {
        public var path: String
        public var mark: UInt64

        public init(path: String, mark: UInt64) {
            self.path = path
            self.mark = mark
        }
    }

    public init(location: SourceLocation, documentIndex: Int, marks: [FieldMark] = [], itemMarks: [String: [UInt64]] = [:]) {
        self.location = location
        self.documentIndex = documentIndex
        self.marks = marks
        self.itemMarks = itemMarks
    }

    public static func pack(line: Int, column: Int) -> UInt64 { UInt64(line) << 32 | UInt64(UInt32(truncatingIfNeeded: column)) }

    func unpack(_ mark: UInt64) -> SourceLocation {
        SourceLocation(path: location.path, line: Int(mark >> 32), column: Int(mark & 0xFFFF_FFFF))
    }

    /// The location of exactly the value at `path`, if it was written.
    public func field(_ path: String) -> SourceLocation? {
        for entry in marks where entry.path == path { return unpack(entry.mark) }
        guard path.hasSuffix("]"), let open = path.lastIndex(of: "["),
            let index = Int(path[path.index(after: open)..<path.index(before: path.endIndex)]),
            let items = itemMarks[String(path[..<open])], index >= 0, index < items.count
        else { return nil }
        return unpack(items[index])
    }

    /// How many positions are kept (fields and list items).
    public var positionCount: Int { marks.count + itemMarks.values.map(\.count).reduce(0, +) }

    /// Whether the field at `path` was written.
    public func has(_ path: String) -> Bool { field(path) != nil }

    /// The location of the value at `path`, else of the nearest enclosing field, else of the resource.
    public func location(of path: String) -> SourceLocation {
        var path = Substring(path)
        while !path.isEmpty {
            if let location = field(String(path)) { return location }
            guard let cut = path.lastIndex(where: { $0 == "." || $0 == "[" }) else { break }
            path = path[..<cut]
        }
        return location
    }
}

/// Where every resource of a configuration was written.
public struct SourceMap: Sendable, Hashable {
    public var resources: [ResourceID: ResourceSource]
    /// Every file read, relative to the configuration root.
    public var files: [String]

    public init(resources: [ResourceID: ResourceSource] = [:], files: [String] = []) {
        self.resources = resources
        self.files = files
    }

    public func location(of id: ResourceID, field: String? = nil) -> SourceLocation? {
        guard let source = resources[id] else { return nil }
        guard let field else { return source.location }
        return source.location(of: field)
    }
}

import ProformaCore
import ProformaModel

/// A resource's content in a canonical form: what it means, independent of formatting, comments, key order, the
/// file it is written in, and the order of lists that are sets. Two resources are the same exactly when their
/// canonical values are equal, so diffs, hashes and the state store all use this form.
public indirect enum CanonicalValue: Sendable, Hashable {
    case text(String)
    /// A decimal, normalised (`50.00` and `50` are the same).
    case number(ExactDecimal)
    case integer(Int)
    case boolean(Bool)
    /// A list whose order carries no meaning, sorted, without repeats.
    case set([String])
    /// A list whose order matters.
    case list([CanonicalValue])
    /// Fields by name; absent fields are left out.
    case object([String: CanonicalValue])

    /// The value as it is shown in a diff: text quoted, numbers plain, sets in braces.
    public var rendered: String {
        switch self {
        case .text(let text): return "\"\(text)\""
        case .number(let value): return value.normalized.description
        case .integer(let value): return String(value)
        case .boolean(let value): return value ? "true" : "false"
        case .set(let members): return "{" + members.map { "\"\($0)\"" }.joined(separator: ", ") + "}"
        case .list(let items): return "[" + items.map(\.rendered).joined(separator: ", ") + "]"
        case .object(let fields):
            return "{ " + fields.keys.sorted().map { "\($0): \(fields[$0]!.rendered)" }.joined(separator: ", ") + " }"
        }
    }

    /// The value as JSON: decimals as strings, so no reader turns them into binary floating point.
    public var json: JSONValue {
        switch self {
        case .text(let text): return .string(text)
        case .number(let value): return .string(value.normalized.description)
        case .integer(let value): return .int(value)
        case .boolean(let value): return .bool(value)
        case .set(let members): return .array(members.map { .string($0) })
        case .list(let items): return .array(items.map(\.json))
        case .object(let fields): return .object(fields.mapValues(\.json))
        }
    }
}

/// Builds canonical values from the model.
public enum Canonical {
    /// Every resource of a configuration in identity order (kind, then name), without sorting: a loaded
    /// configuration keeps each kind sorted by name.
    public static func ordered(_ configuration: Configuration) -> [(id: ResourceID, value: CanonicalValue)] {
        var result: [(id: ResourceID, value: CanonicalValue)] = []
        result.reserveCapacity(configuration.resourceCount)
        if let project = configuration.project { result.append((ResourceID(.project, project.name), value(of: project))) }
        for account in configuration.accounts { result.append((ResourceID(.account, account.name), value(of: account))) }
        for group in configuration.billingGroups { result.append((ResourceID(.billingGroup, group.name), value(of: group))) }
        for plan in configuration.pricingPlans { result.append((ResourceID(.pricingPlan, plan.name), value(of: plan))) }
        for rule in configuration.pricingRules { result.append((ResourceID(.pricingRule, rule.name), value(of: rule))) }
        for item in configuration.customLineItems {
            result.append((ResourceID(.customLineItem, item.name), value(of: item)))
        }
        for parent in configuration.parentGroups {
            result.append((ResourceID(.parentGroup, parent.name), value(of: parent)))
        }
        for allocation in configuration.costAllocations {
            result.append((ResourceID(.costAllocation, allocation.name), value(of: allocation)))
        }
        // A configuration built by hand may not be sorted; one that is costs a single pass to confirm.
        if !zip(result, result.dropFirst()).allSatisfy({ $0.0.id < $0.1.id }) {
            result.sort { $0.id < $1.id }
        }
        return result
    }

    /// The content hash of resources in identity order.
    public static func hash(ofOrdered resources: [(id: ResourceID, value: CanonicalValue)]) -> String {
        var hasher = HashStream()
        for (id, value) in resources {
            hasher.text(id.kind.rawValue)
            hasher.text(id.name)
            hasher.value(value)
        }
        return hasher.finish()
    }

    /// A SHA-256 content hash of a configuration: equal exactly when the configurations mean the same.
    public static func hash(of configuration: Configuration) -> String {
        hash(ofOrdered: ordered(configuration))
    }

    static func object(_ fields: [(String, CanonicalValue?)]) -> CanonicalValue {
        var result: [String: CanonicalValue] = [:]
        for (name, value) in fields {
            if let value { result[name] = value }
        }
        return .object(result)
    }

    static func text(_ value: String?) -> CanonicalValue? { value.map { .text($0) } }
    static func number(_ value: ExactDecimal?) -> CanonicalValue? { value.map { .number($0.normalized) } }
    static func set(_ values: [String]) -> CanonicalValue { .set(Array(Set(values)).sorted()) }
    static func tags(_ tags: Tags) -> CanonicalValue? {
        tags.isEmpty ? nil : .object(tags.mapValues { .text($0) })
    }

    public static func value(of project: Project) -> CanonicalValue {
        object([
            ("description", text(project.description)),
            ("version", .integer(project.version)),
            ("payer_account_id", text(project.payerAccountID)),
            ("currency", .text(project.currency)),
            ("rounding", .text(project.rounding.rawValue)),
            (
                "usage",
                project.usage.isEmpty
                    ? nil
                    : .list(project.usage.map { object([("path", .text($0.path)), ("format", .text($0.format.rawValue))]) })
            ),
            ("state", object([("backend", .text(project.state.backend.rawValue)), ("path", .text(project.state.path))])),
            (
                "guardrails",
                project.guardrails.isEmpty
                    ? nil
                    : .list(
                        project.guardrails.sorted { $0.name < $1.name }.map { guardrail in
                            object([
                                ("name", .text(guardrail.name)),
                                ("max_increase_percentage", number(guardrail.maxIncreasePercentage)),
                                ("max_decrease_percentage", number(guardrail.maxDecreasePercentage)),
                                ("min_margin_percentage", number(guardrail.minMarginPercentage)),
                                ("billing_groups", guardrail.billingGroups.isEmpty ? nil : set(guardrail.billingGroups)),
                            ])
                        })
            ),
            ("exclude", project.exclude.isEmpty ? nil : set(project.exclude)),
            ("issuer", project.issuer.map(value(of:))),
        ])
    }

    public static func value(of account: Account) -> CanonicalValue {
        object([
            ("account_id", .text(account.accountID)),
            ("email", text(account.email)),
            ("description", text(account.description)),
            ("tags", tags(account.tags)),
            ("state", account.state.map { .text($0.rawValue) }),
            ("ou_path", text(account.ouPath)),
            ("unassigned", account.unassigned ? .boolean(true) : nil),
        ])
    }

    public static func value(of group: BillingGroup) -> CanonicalValue {
        object([
            ("description", text(group.description)),
            ("primary_account_id", .text(group.primaryAccountID)),
            ("account_ids", set(group.accountIDs)),
            ("pricing_plan", .text(group.pricingPlan)),
            ("auto_associate", .boolean(group.autoAssociate)),
            ("parent", text(group.parent)),
            ("tags", tags(group.tags)),
            (
                "account_selector",
                group.accountSelector.map { selector in
                    object([
                        ("ou_paths", selector.ouPaths.isEmpty ? nil : set(selector.ouPaths)),
                        ("tags", tags(selector.tags)),
                    ])
                }
            ),
            ("customer", group.customer.map(value(of:))),
        ])
    }

    static func lines(_ values: [String]) -> CanonicalValue? {
        values.isEmpty ? nil : .list(values.map { .text($0) })
    }

    public static func value(of issuer: Issuer) -> CanonicalValue {
        object([
            ("name", .text(issuer.name)),
            ("address", lines(issuer.address)),
            ("tax_id", text(issuer.taxID)),
            ("email", text(issuer.email)),
            ("logo", text(issuer.logo)),
            ("payment_terms_days", issuer.paymentTermsDays.map { .integer($0) }),
            ("issue_day", issuer.issueDay.map { .integer($0) }),
            ("invoice_number", text(issuer.invoiceNumber)),
            ("payment_instructions", lines(issuer.paymentInstructions)),
        ])
    }

    public static func value(of customer: Customer) -> CanonicalValue {
        object([
            ("legal_name", .text(customer.legalName)),
            ("address", lines(customer.address)),
            ("tax_id", text(customer.taxID)),
            ("email", text(customer.email)),
            ("purchase_order", text(customer.purchaseOrder)),
        ])
    }

    public static func value(of plan: PricingPlan) -> CanonicalValue {
        object([
            ("description", text(plan.description)),
            ("pricing_rules", set(plan.pricingRules)),
            ("tags", tags(plan.tags)),
        ])
    }

    public static func value(of rule: PricingRule) -> CanonicalValue {
        var tiering: CanonicalValue?
        if let settings = rule.tiering {
            tiering = object([
                ("free_tier", settings.freeTierActivated.map { object([("activated", .boolean($0))]) }),
                (
                    "tiers",
                    settings.tiers.isEmpty
                        ? nil
                        : .list(
                            settings.tiers.map { tier in
                                object([
                                    ("begin", number(tier.begin)), ("end", number(tier.end)),
                                    ("rate_value", number(tier.rateValue)),
                                ])
                            })
                ),
            ])
        }
        return object([
            ("description", text(rule.description)),
            ("scope", .text(rule.scope.rawValue)),
            ("type", .text(rule.type.rawValue)),
            ("modifier_percentage", number(rule.modifierPercentage)),
            ("service", text(rule.service)),
            ("billing_entity", text(rule.billingEntity)),
            ("usage_type", text(rule.usageType)),
            ("operation", text(rule.operation)),
            ("tiering", tiering),
            ("tags", tags(rule.tags)),
        ])
    }

    public static func value(of item: CustomLineItem) -> CanonicalValue {
        var flat: CanonicalValue?
        var percentage: CanonicalValue?
        switch item.charge {
        case .flat(let value):
            flat = object([("charge_value", number(value))])
        case .percentage(let value, let associated):
            percentage = object([("percentage_value", number(value)), ("associated_values", set(associated))])
        case nil:
            break
        }
        return object([
            ("description", text(item.description)),
            ("billing_group", .text(item.billingGroup)),
            ("account_id", text(item.accountID)),
            ("type", .text(item.type.rawValue)),
            ("flat", flat),
            ("percentage", percentage),
            (
                "line_item_filters",
                item.lineItemFilters.isEmpty
                    ? nil
                    : .list(
                        item.lineItemFilters.map { filter in
                            object([
                                ("attribute", .text(filter.attribute.rawValue)),
                                ("match_option", .text(filter.matchOption.rawValue)),
                                ("values", set(filter.values)),
                            ])
                        })
            ),
            (
                "billing_period_range",
                item.billingPeriodRange.map { range in
                    object([
                        ("inclusive_start", .text(range.inclusiveStart.description)),
                        ("exclusive_end", range.exclusiveEnd.map { .text($0.description) }),
                    ])
                }
            ),
            ("computation_rule", .text(item.computationRule.rawValue)),
            ("presentation_details", item.presentationService.map { object([("service", .text($0))]) }),
            ("tags", tags(item.tags)),
        ])
    }
}

extension Canonical {
    public static func value(of parent: ParentGroup) -> CanonicalValue {
        object([
            ("description", text(parent.description)),
            ("parent", text(parent.parent)),
            ("tags", tags(parent.tags)),
        ])
    }

    static func value(of filter: AllocationFilter) -> CanonicalValue {
        func field(_ values: [String]) -> CanonicalValue? { values.isEmpty ? nil : set(values) }
        return object([
            ("services", field(filter.services)),
            ("account_ids", field(filter.accountIDs)),
            ("billing_groups", field(filter.billingGroups)),
            ("line_item_types", field(filter.lineItemTypes)),
            ("billing_entities", field(filter.billingEntities)),
        ])
    }

    public static func value(of allocation: CostAllocation) -> CanonicalValue {
        object([
            ("description", text(allocation.description)),
            ("source", allocation.source.isEmpty ? nil : value(of: allocation.source)),
            ("fixed_amount", number(allocation.fixedAmount)),
            ("percentage_of_basis", number(allocation.percentageOfBasis)),
            ("targets", allocation.targets.isEmpty ? nil : set(allocation.targets)),
            ("method", .text(allocation.method.rawValue)),
            ("basis", allocation.method == .proportional ? .text(allocation.basis.rawValue) : nil),
            ("basis_filter", allocation.basisFilter.map { value(of: $0) }),
            (
                "percentages",
                allocation.percentages.isEmpty
                    ? nil
                    : .list(
                        allocation.percentages.sorted { $0.target < $1.target }.map { share in
                            object([("target", .text(share.target)), ("percentage", number(share.percentage))])
                        })
            ),
            (
                "billing_period_range",
                allocation.billingPeriodRange.map { range in
                    object([
                        ("inclusive_start", .text(range.inclusiveStart.description)),
                        ("exclusive_end", range.exclusiveEnd.map { .text($0.description) }),
                    ])
                }
            ),
            ("presentation_details", allocation.presentationService.map { object([("service", .text($0))]) }),
            ("tags", tags(allocation.tags)),
        ])
    }
}

/// Feeds canonical values to SHA-256 through a buffer.
struct HashStream {
    var sha = SHA256()
    var buffer: [UInt8] = []

    init() {
        buffer.reserveCapacity(1 << 16)
    }

    mutating func flushIfFull() {
        if buffer.count >= 1 << 16 {
            sha.update(buffer)
            buffer.removeAll(keepingCapacity: true)
        }
    }

    mutating func length(_ count: Int) {
        var value = UInt64(count)
        for _ in 0..<8 {
            buffer.append(UInt8(truncatingIfNeeded: value))
            value >>= 8
        }
    }

    mutating func text(_ text: String) {
        buffer.append(0x73)  // "s"
        length(text.utf8.count)
        buffer.append(contentsOf: text.utf8)
        flushIfFull()
    }

    mutating func value(_ value: CanonicalValue) {
        switch value {
        case .text(let string):
            text(string)
        case .number(let number):
            buffer.append(0x6E)  // "n"
            text(number.normalized.description)
        case .integer(let integer):
            buffer.append(0x69)  // "i"
            text(String(integer))
        case .boolean(let flag):
            buffer.append(flag ? 0x74 : 0x66)
        case .set(let members):
            buffer.append(0x53)  // "S"
            length(members.count)
            for member in members { text(member) }
        case .list(let items):
            buffer.append(0x4C)  // "L"
            length(items.count)
            for item in items { self.value(item) }
        case .object(let fields):
            buffer.append(0x4F)  // "O"
            length(fields.count)
            for key in fields.keys.sorted() {
                text(key)
                self.value(fields[key]!)
            }
        }
        flushIfFull()
    }

    mutating func finish() -> String {
        sha.update(buffer)
        return sha.finalizeHex()
    }
}

import ProformaCore
import ProformaEngine
import ProformaModel
import ProformaReport

extension PricedUsage {
    /// The consolidated invoice of parent group `name` for `period`: a section per child, to any depth; nil when no
    /// such parent exists. Its billing groups must share a currency.
    public func parentInvoice(_ name: String, period: BillingPeriod, options: InvoiceOptions = .init()) throws -> ParentInvoiceDocument? {
        let configuration = configuration(for: period)
        guard configuration.parentGroups.contains(where: { $0.name == name }) else { return nil }
        var visiting: Set<String> = []
        func build(_ name: String) throws -> ParentInvoiceDocument {
            guard visiting.insert(name).inserted else {
                throw UserError("parent group \"\(name)\" is below itself", hint: "run `proforma validate`")
            }
            defer { visiting.remove(name) }
            let parent = configuration.parentGroups.first { $0.name == name }
            var children: [(String, ParentInvoiceDocument.Child)] = []
            for group in configuration.billingGroups where group.parent == name {
                guard let invoice = try invoice(group.name, period: period, options: options) else {
                    throw UserError("no result for billing group \"\(group.name)\" in \(period)")
                }
                children.append((group.name, .group(invoice)))
            }
            for child in configuration.parentGroups where child.parent == name {
                children.append((child.name, .parent(try build(child.name))))
            }
            children.sort { $0.0 < $1.0 }
            let invoices = children.flatMap(\.1.invoices)
            let currencies = Set(invoices.map(\.result.currency))
            guard currencies.count <= 1 else {
                throw UserError(
                    "the billing groups below parent group \"\(name)\" are billed in \(currencies.sorted().joined(separator: " and ")) in \(period)",
                    hint: "amounts in different currencies are never added; invoice the groups one by one")
            }
            return ParentInvoiceDocument(
                name: name, description: parent?.description, period: period,
                currency: currencies.first ?? configuration.project?.currency ?? "USD",
                children: children.map(\.1), provenance: provenance)
        }
        return try build(name)
    }

    /// The cost allocations report of the periods covered.
    public var allocationReport: AllocationReport { AllocationReport(result: result, options: reportOptions) }

    /// The margin report rolled up to each billing group's direct parent.
    public var hierarchyMarginReport: HierarchyMarginReport {
        HierarchyMarginReport(result: result, configurations: { configuration(for: $0) }, options: reportOptions)
    }

    /// The result with each billing group named as its direct parent in the configuration of its period.
    public var resultRolledUpToParents: BillingResult { result.rolledUpToParents { configuration(for: $0) } }
}

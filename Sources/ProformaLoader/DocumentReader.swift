import ProformaCore
import ProformaModel
import ProformaYAML

/// Reads one YAML document into one resource.
struct DocumentReader {
    let path: String
    let documentIndex: Int
    let document: YAMLDocument

    func location(_ mark: Mark) -> SourceLocation {
        SourceLocation(path: path, line: mark.line, column: mark.column)
    }

    func read(into state: inout LoadState) {
        let root = document.root
        guard let pairs = root.mappingPairs else {
            state.diagnostics.append(
                .error(
                    .notAMapping, "a configuration document must be a mapping with kind and name, found \(root.kindDescription)",
                    at: location(root.mark)))
            return
        }
        guard let kindPair = pairs.first(where: { $0.key.scalarValue == "kind" }) else {
            state.diagnostics.append(
                .error(
                    .missingKind, "document has no \"kind\"", at: location(root.mark),
                    hint: "add kind: one of \(ResourceKind.allCases.map(\.rawValue).joined(separator: ", "))"))
            return
        }
        guard let kindText = kindPair.value.scalarValue, let kind = ResourceKind(rawValue: kindText) else {
            let text = kindPair.value.scalarValue ?? ""
            let names = ResourceKind.allCases.map(\.rawValue)
            state.diagnostics.append(
                .error(
                    .unknownKind, "unknown kind \"\(shown(text))\"", at: location(kindPair.value.mark),
                    hint: Suggestions.hint(for: text, among: names) ?? "kinds are: \(names.joined(separator: ", "))"))
            return
        }
        let isProjectFile = path == ConfigurationLoader.projectFileName
        if kind == .project && !isProjectFile {
            state.diagnostics.append(
                .error(
                    .projectFile, "a Project may only be declared in \(ConfigurationLoader.projectFileName) at the configuration root",
                    at: location(kindPair.value.mark),
                    hint: "move it to \(ConfigurationLoader.projectFileName), or remove it"))
            return
        }
        if kind != .project && isProjectFile {
            state.diagnostics.append(
                .error(
                    .projectFile, "\(ConfigurationLoader.projectFileName) may only hold the Project; found a \(kind.rawValue)",
                    at: location(kindPair.value.mark), hint: "move it to a file of its own"))
            return
        }
        if kind == .project && state.projectSeen {
            state.diagnostics.append(
                .error(
                    .projectFile, "\(ConfigurationLoader.projectFileName) holds more than one Project",
                    at: location(kindPair.value.mark)))
            return
        }

        let spec = ModelSpec.spec(for: kind)
        var reader = ValueReader(path: path)
        let object = reader.readObject(root, fields: spec.fields, fieldPath: "", context: kind.rawValue, skipping: ["kind"])
        state.diagnostics += reader.diagnostics
        guard let object, let name = object.text("name") else {
            if kind == .project { state.projectSeen = true }
            return  // a resource without a (valid) name cannot be referred to; the reason was reported
        }
        let nameLocation = reader.fieldMarks.first { $0.path == "name" }.map {
            SourceLocation(path: path, line: Int($0.mark >> 32), column: Int($0.mark & 0xFFFF_FFFF))
        } ?? location(root.mark)
        let source = ResourceSource(
            location: nameLocation, documentIndex: documentIndex, marks: reader.fieldMarks, itemMarks: reader.itemMarks)
        guard state.register(ResourceID(kind, name), source: source) else { return }

        switch kind {
        case .project:
            state.projectSeen = true
            state.configuration.project = Self.project(name: name, object)
        case .account:
            state.configuration.accounts.append(
                Account(
                    name: name, accountID: object.text("account_id") ?? "", email: object.text("email"),
                    description: object.text("description"), tags: object.tags("tags"),
                    state: object.text("state").flatMap(AccountState.init(rawValue:)), ouPath: object.text("ou_path"),
                    unassigned: object.boolean("unassigned") ?? false))
        case .billingGroup:
            state.configuration.billingGroups.append(
                BillingGroup(
                    name: name, description: object.text("description"),
                    primaryAccountID: object.text("primary_account_id") ?? "",
                    accountIDs: object.texts("account_ids") ?? [], pricingPlan: object.text("pricing_plan") ?? "",
                    autoAssociate: object.boolean("auto_associate") ?? false, parent: object.text("parent"),
                    tags: object.tags("tags"), customer: object.object("customer").flatMap(Self.customer),
                    accountSelector: object.object("account_selector").map {
                        AccountSelector(ouPaths: $0.texts("ou_paths") ?? [], tags: $0.tags("tags"))
                    }))
        case .pricingPlan:
            state.configuration.pricingPlans.append(
                PricingPlan(
                    name: name, description: object.text("description"),
                    pricingRules: object.texts("pricing_rules") ?? [], tags: object.tags("tags")))
        case .pricingRule:
            guard let scope = object.text("scope").flatMap(PricingRuleScope.init(rawValue:)),
                let type = object.text("type").flatMap(PricingRuleType.init(rawValue:))
            else {
                // Without scope and type the rule has no meaning; its name stays registered so references resolve.
                state.incompleteRules.insert(name)
                return
            }
            state.configuration.pricingRules.append(Self.pricingRule(name: name, scope: scope, type: type, object))
        case .customLineItem:
            state.configuration.customLineItems.append(Self.customLineItem(name: name, object))
        case .parentGroup:
            state.configuration.parentGroups.append(
                ParentGroup(
                    name: name, description: object.text("description"), parent: object.text("parent"),
                    tags: object.tags("tags")))
        case .costAllocation:
            guard let method = object.text("method").flatMap(AllocationMethod.init(rawValue:)) else {
                // Without a method it has no meaning; the reason was reported.
                return
            }
            state.configuration.costAllocations.append(Self.costAllocation(name: name, method: method, object))
        }
    }

    static func project(name: String, _ object: ObjectValue) -> Project {
        let usage = (object.objects("usage") ?? []).compactMap { item -> UsageSource? in
            guard let path = item.text("path") else { return nil }
            return UsageSource(path: path, format: item.text("format").flatMap(UsageSource.Format.init) ?? .auto)
        }
        var state = StateBackend()
        if let stateObject = object.object("state") {
            if let backend = stateObject.text("backend").flatMap(StateBackend.Kind.init) { state.backend = backend }
            if let path = stateObject.text("path") { state.path = path }
        }
        let guardrails = (object.objects("guardrails") ?? []).compactMap { item -> Guardrail? in
            guard let name = item.text("name") else { return nil }
            return Guardrail(
                name: name, maxIncreasePercentage: item.decimal("max_increase_percentage"),
                maxDecreasePercentage: item.decimal("max_decrease_percentage"),
                maxIncreaseAmount: item.decimal("max_increase_amount"),
                maxDecreaseAmount: item.decimal("max_decrease_amount"),
                minMarginPercentage: item.decimal("min_margin_percentage"),
                scope: item.text("applies_to").flatMap(Guardrail.Scope.init) ?? .group,
                noUnassignedAccounts: item.boolean("no_unassigned_accounts") ?? false,
                billingGroups: item.texts("billing_groups") ?? [])
        }
        return Project(
            name: name, description: object.text("description"), version: object.integer("version") ?? 1,
            payerAccountID: object.text("payer_account_id"), currency: object.text("currency") ?? "USD",
            rounding: object.text("rounding").flatMap(RoundingMode.init) ?? .halfEven, usage: usage, state: state,
            guardrails: guardrails, exclude: object.texts("exclude") ?? [],
            issuer: object.object("issuer").flatMap(Self.issuer))
    }

    static func issuer(_ object: ObjectValue) -> Issuer? {
        guard let name = object.text("name") else { return nil }
        return Issuer(
            name: name, address: object.texts("address") ?? [], taxID: object.text("tax_id"),
            email: object.text("email"), logo: object.text("logo"),
            paymentTermsDays: object.integer("payment_terms_days"), invoiceNumber: object.text("invoice_number"),
            issueDay: object.integer("issue_day"), paymentInstructions: object.texts("payment_instructions") ?? [])
    }

    static func customer(_ object: ObjectValue) -> Customer? {
        guard let name = object.text("legal_name") else { return nil }
        return Customer(
            legalName: name, address: object.texts("address") ?? [], taxID: object.text("tax_id"),
            email: object.text("email"), purchaseOrder: object.text("purchase_order"))
    }

    static func pricingRule(name: String, scope: PricingRuleScope, type: PricingRuleType, _ object: ObjectValue)
        -> PricingRule
    {
        var tiering: Tiering?
        if let tieringObject = object.object("tiering") {
            let tiers = (tieringObject.objects("tiers") ?? []).compactMap { tier -> PricingTier? in
                guard let begin = tier.decimal("begin"), let rate = tier.decimal("rate_value") else { return nil }
                return PricingTier(begin: begin, end: tier.decimal("end"), rateValue: rate)
            }
            tiering = Tiering(
                freeTierActivated: tieringObject.object("free_tier")?.boolean("activated"), tiers: tiers)
        }
        return PricingRule(
            name: name, description: object.text("description"), scope: scope, type: type,
            modifierPercentage: object.decimal("modifier_percentage"), service: object.text("service"),
            billingEntity: object.text("billing_entity"), usageType: object.text("usage_type"),
            operation: object.text("operation"), tiering: tiering, tags: object.tags("tags"))
    }

    static func allocationFilter(_ object: ObjectValue) -> AllocationFilter {
        AllocationFilter(
            services: object.texts("services") ?? [], accountIDs: object.texts("account_ids") ?? [],
            billingGroups: object.texts("billing_groups") ?? [], lineItemTypes: object.texts("line_item_types") ?? [],
            billingEntities: object.texts("billing_entities") ?? [])
    }

    static func costAllocation(name: String, method: AllocationMethod, _ object: ObjectValue) -> CostAllocation {
        var range: BillingPeriodRange?
        if let rangeObject = object.object("billing_period_range"), let start = rangeObject.period("inclusive_start") {
            range = BillingPeriodRange(inclusiveStart: start, exclusiveEnd: rangeObject.period("exclusive_end"))
        }
        let percentages = (object.objects("percentages") ?? []).compactMap { item -> AllocationShare? in
            guard let target = item.text("target"), let percentage = item.decimal("percentage") else { return nil }
            return AllocationShare(target: target, percentage: percentage)
        }
        return CostAllocation(
            name: name, description: object.text("description"),
            source: object.object("source").map(allocationFilter) ?? AllocationFilter(),
            fixedAmount: object.decimal("fixed_amount"), percentageOfBasis: object.decimal("percentage_of_basis"),
            targets: object.texts("targets") ?? [], method: method,
            basis: object.text("basis").flatMap(AllocationBasis.init(rawValue:)) ?? .proForma,
            basisFilter: object.object("basis_filter").map(allocationFilter), percentages: percentages,
            billingPeriodRange: range, presentationService: object.object("presentation_details")?.text("service"),
            tags: object.tags("tags"))
    }

    static func customLineItem(name: String, _ object: ObjectValue) -> CustomLineItem {
        let flat = object.object("flat")
        let percentage = object.object("percentage")
        var charge: Charge?
        switch (flat, percentage) {
        case (let flat?, nil):
            if let value = flat.decimal("charge_value") { charge = .flat(chargeValue: value) }
        case (nil, let percentage?):
            if let value = percentage.decimal("percentage_value") {
                charge = .percentage(percentageValue: value, associatedValues: percentage.texts("associated_values") ?? [])
            }
        default:
            charge = nil
        }
        let filters = (object.objects("line_item_filters") ?? []).compactMap { item -> LineItemFilter? in
            guard let attribute = item.text("attribute").flatMap(LineItemFilter.Attribute.init),
                let match = item.text("match_option").flatMap(LineItemFilter.MatchOption.init)
            else { return nil }
            return LineItemFilter(attribute: attribute, matchOption: match, values: item.texts("values") ?? [])
        }
        var range: BillingPeriodRange?
        if let rangeObject = object.object("billing_period_range"), let start = rangeObject.period("inclusive_start") {
            range = BillingPeriodRange(inclusiveStart: start, exclusiveEnd: rangeObject.period("exclusive_end"))
        }
        return CustomLineItem(
            name: name, description: object.text("description"), billingGroup: object.text("billing_group") ?? "",
            accountID: object.text("account_id"),
            type: object.text("type").flatMap(CustomLineItemType.init) ?? .fee, charge: charge,
            lineItemFilters: filters, billingPeriodRange: range,
            computationRule: object.text("computation_rule").flatMap(ComputationRule.init) ?? .consolidated,
            presentationService: object.object("presentation_details")?.text("service"), tags: object.tags("tags"))
    }
}

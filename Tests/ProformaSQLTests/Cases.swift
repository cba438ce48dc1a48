import Foundation
import ProformaCore
import ProformaEngine
import ProformaFrontend
import ProformaModel
import ProformaTestSupport
import ProformaUsage

/// A configuration and usage files, priced natively in-process and by the compiled query.
struct PricingCase: CustomStringConvertible, Sendable {
    var name: String
    var configuration: Configuration
    var files: [String]
    var format: UsageFormat
    /// The native engine's result over every period of the files.
    var result: BillingResult

    var description: String { name }
    var rounding: RoundingMode { configuration.project?.rounding ?? .halfEven }
}

enum Cases {
    static func lines(_ files: [String]) throws -> [UsageLine] {
        var lines: [UsageLine] = []
        for file in files {
            let reader = try UsageReader(path: file)
            while let line = try reader.next() { lines.append(line) }
        }
        return lines
    }

    /// The engine's result for `configuration` over `files`, every period.
    static func price(_ configuration: Configuration, files: [String]) throws -> BillingResult {
        let engine = PricingEngine(configuration: configuration)
        for line in try lines(files) { try engine.add(line, source: "line \(line.row)") }
        return try engine.result()
    }

    static func make(_ name: String, _ configuration: Configuration, files: [String]) throws -> PricingCase {
        let format = try UsageReader(path: files[0]).format
        return PricingCase(
            name: name, configuration: configuration, files: files, format: format,
            result: try price(configuration, files: files))
    }

    /// An example project, priced through the frontend as `report margin` and `invoice --all-groups` price it.
    static func example(_ folder: String) throws -> PricingCase {
        let root = TestSupport.packageRoot.appendingPathComponent(folder)
        let frontend = try Frontend(WorkspaceOptions(currentDirectory: root.path), toolVersion: "test")
        let priced = try frontend.price(PricingRequest(periods: .all))
        let files = (priced.configuration.project?.usage ?? []).map { root.appendingPathComponent($0.path).path }
        if !priced.configuration.costAllocations.isEmpty {
            // The query prices each group's own lines; cost allocations are not compiled (the compiler refuses them),
            // so the example is compared without them, priced by the engine.
            var own = priced.configuration
            own.costAllocations = []
            return try make("\(folder) without its cost allocations", own, files: files)
        }
        let format = try UsageReader(path: files[0]).format
        return PricingCase(
            name: folder, configuration: priced.configuration, files: files, format: format, result: priced.result)
    }

    // MARK: Configurations made from the data

    /// A configuration exercising every rule scope, free-tier switches, custom tiers and every kind of custom line
    /// item, fitted to `lines`: the accounts in order of appearance go alternately to groups a and b, every third
    /// one left unassigned (variant 1: group b auto-associates declared accounts, and rounding is half up).
    static func configuration(for lines: [UsageLine], variant: Int = 0) -> Configuration {
        var accounts: [String] = []
        for line in lines where !accounts.contains(line.usageAccountID) && !line.usageAccountID.isEmpty {
            accounts.append(line.usageAccountID)
        }
        let groupA = accounts.enumerated().filter { $0.offset % 3 == 0 }.map(\.element)
        let groupB = accounts.enumerated().filter { $0.offset % 3 == 1 }.map(\.element)
        let left = accounts.enumerated().filter { $0.offset % 3 == 2 }.map(\.element)
        // The most frequent SKUs of on-demand usage, for SKU rules and custom tiers.
        var counts: [String: (service: String, usageType: String, operation: String, count: Int)] = [:]
        for line in lines where line.lineItemType == .usage && !line.usageType.isEmpty {
            let key = line.serviceCode + "|" + line.usageType + "|" + line.operation
            counts[key, default: (line.serviceCode, line.usageType, line.operation, 0)].count += 1
        }
        let skus = counts.values.sorted {
            $0.count != $1.count ? $0.count > $1.count : ($0.service, $0.usageType) < ($1.service, $1.usageType)
        }
        var services: [String: Int] = [:]
        for line in lines { services[line.serviceCode, default: 0] += 1 }
        let topServices = services.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map(\.key)

        var rules = [
            PricingRule(name: "global-markup", scope: .global, type: .markup, modifierPercentage: dec("12.5")),
            PricingRule(name: "global-markup-b", scope: .global, type: .markup, modifierPercentage: dec("7.33")),
            PricingRule(
                name: "marketplace", scope: .billingEntity, type: .discount, modifierPercentage: ExactDecimal(3),
                billingEntity: "AWS Marketplace"),
            PricingRule(
                name: "no-free-tier", scope: .global, type: .tiering, tiering: Tiering(freeTierActivated: false)),
        ]
        var planA = ["global-markup", "marketplace"]
        var planB = ["global-markup-b", "no-free-tier"]
        if let service = topServices.first {
            rules.append(
                PricingRule(
                    name: "service-discount", scope: .service, type: .discount, modifierPercentage: dec("4.25"),
                    service: service))
            planA.append("service-discount")
            // Group b keeps the free tier of its most frequent service, against its global switch.
            rules.append(
                PricingRule(
                    name: "keep-free-tier", scope: .service, type: .tiering, service: service,
                    tiering: Tiering(freeTierActivated: true)))
            planB.append("keep-free-tier")
        }
        if topServices.count > 1 {
            rules.append(
                PricingRule(
                    name: "no-free-tier-2", scope: .service, type: .tiering, service: topServices[1],
                    tiering: Tiering(freeTierActivated: false)))
            planA.append("no-free-tier-2")
        }
        if let sku = skus.first {
            // Both a usage type and an operation: it beats the one-qualifier rule below.
            rules.append(
                PricingRule(
                    name: "sku-exact", scope: .sku, type: .discount, modifierPercentage: dec("9.99"),
                    service: sku.service, usageType: sku.usageType,
                    operation: sku.operation.isEmpty ? nil : sku.operation))
            rules.append(
                PricingRule(
                    name: "sku-usage-type", scope: .sku, type: .markup, modifierPercentage: ExactDecimal(50),
                    service: sku.service, usageType: sku.usageType))
            planA += ["sku-exact", "sku-usage-type"]
        }
        for (index, sku) in skus.dropFirst().prefix(2).enumerated() {
            // Custom tiers on group b's next frequent SKUs, at rates of 10 places.
            let name = "tiers-\(index)"
            rules.append(
                PricingRule(
                    name: name, scope: .sku, type: .tiering, service: sku.service, usageType: sku.usageType,
                    tiering: Tiering(tiers: [
                        PricingTier(begin: 0, end: dec("3.5"), rateValue: dec("0.0123456789")),
                        PricingTier(begin: dec("3.5"), end: 100, rateValue: dec("0.0100000001")),
                        PricingTier(begin: 100, end: nil, rateValue: dec("0.0000000007")),
                    ])))
            planB.append(name)
        }
        var groups: [BillingGroup] = []
        var items: [CustomLineItem] = []
        let periods = Set(lines.map(\.period)).sorted()
        for (name, members, plan) in [("a", groupA, "plan-a"), ("b", groupB, "plan-b")] {
            guard let primary = members.first else { continue }
            groups.append(
                BillingGroup(
                    name: name, primaryAccountID: primary, accountIDs: members, pricingPlan: plan,
                    autoAssociate: variant == 1 && name == "b"))
            let other = members.count > 1 ? members[1] : primary
            items += [
                CustomLineItem(
                    name: "\(name)-fee", billingGroup: name, type: .fee, charge: .flat(chargeValue: dec("49.99"))),
                CustomLineItem(
                    name: "\(name)-credit", billingGroup: name, accountID: other, type: .credit,
                    charge: .flat(chargeValue: dec("0.0000000001")),
                    billingPeriodRange: periods.first.map {
                        BillingPeriodRange(inclusiveStart: $0, exclusiveEnd: $0.next)
                    }),
                CustomLineItem(
                    name: "\(name)-support", billingGroup: name, type: .fee,
                    charge: .percentage(percentageValue: dec("3.0125"), associatedValues: [name, "\(name)-fee"]),
                    lineItemFilters: topServices.first.map {
                        [LineItemFilter(attribute: .service, matchOption: .notEqual, values: [$0])]
                    } ?? []),
                CustomLineItem(
                    name: "\(name)-rebate", billingGroup: name, type: .credit,
                    charge: .percentage(percentageValue: dec("1.5"), associatedValues: [name]),
                    lineItemFilters: [
                        LineItemFilter(
                            attribute: .lineItemType, matchOption: .notEqual, values: ["SAVINGS_PLAN_NEGATION"])
                    ], computationRule: .itemized),
                CustomLineItem(
                    name: "\(name)-compute", billingGroup: name, type: .fee,
                    charge: .percentage(percentageValue: ExactDecimal(7), associatedValues: [name]),
                    lineItemFilters: topServices.dropFirst().first.map {
                        [LineItemFilter(attribute: .service, matchOption: .equal, values: [$0])]
                    } ?? []),
            ]
        }
        let declared = (groupA + groupB + left).enumerated().map {
            Account(name: "account-\($0.offset)", accountID: $0.element)
        }
        return Configuration(
            project: Project(name: "sql-test", currency: "USD", rounding: variant == 1 ? .halfUp : .halfEven),
            accounts: declared, billingGroups: groups,
            pricingPlans: [
                PricingPlan(name: "plan-a", pricingRules: planA), PricingPlan(name: "plan-b", pricingRules: planB),
            ],
            pricingRules: rules, customLineItems: items)
    }

    static func sample(_ path: String, variant: Int = 0) throws -> PricingCase {
        let file = TestSupport.fixtures.appendingPathComponent(path).path
        return try make(
            "\(path) (configuration \(variant))", configuration(for: try lines([file]), variant: variant), files: [file]
        )
    }
}

/// A decimal written in the test (a typo reads as a failing comparison, never as a crash).
func dec(_ text: String) -> ExactDecimal { ExactDecimal(text) ?? .zero }

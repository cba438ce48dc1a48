import Foundation
import ProformaCore
import ProformaEngine
import ProformaLoader
import ProformaModel
import ProformaTestSupport
import ProformaUsage
import Testing

/// Pricing the head of a change only where the change can reach gives, value for value and written alike, the
/// result of pricing every line under both configurations.
@Suite struct ReachTests {
    /// The example's configuration (every YAML file below its folder).
    static func example(_ name: String) throws -> Configuration {
        let root = TestSupport.packageRoot.appendingPathComponent("examples/\(name)")
        var files: [String: String] = [:]
        let enumerator = FileManager.default.enumerator(atPath: root.path)
        while let path = enumerator?.nextObject() as? String {
            guard path.hasSuffix(".yaml"), !path.split(separator: "/").contains(where: { $0.hasPrefix(".") }) else {
                continue
            }
            files[path] = try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
        }
        // Only the YAML files: the issuer's logo is not read here.
        let loaded = try ConfigurationLoader(checksNamedFiles: false).load(from: InMemoryFileTree(files: files))
        #expect(!loaded.diagnostics.contains { $0.severity == .error }, "\(loaded.diagnostics)")
        return loaded.configuration
    }

    static let strangers = ["900000000001", "900000000002", "900000000003"]

    /// Lines over the configuration's accounts and three accounts in no group: every line type, the services,
    /// usage types and operations its rules name, commitments owned in the group, elsewhere and nowhere, two
    /// periods, costs of many scales.
    static func lines(for configuration: Configuration, seed: UInt64, count: Int = 4_000) -> [UsageLine] {
        var random = Mutator(seed: seed)
        let members = configuration.billingGroups.flatMap(\.accountIDs) + configuration.accounts.map(\.accountID)
        let accounts = members + strangers
        var services = ["AmazonEC2", "AmazonS3", "AmazonRDS", "AWSLambda", "AmazonCloudWatch", "AWSDataTransfer"]
        services += configuration.pricingRules.compactMap(\.service)
        let usageTypes = ["USE1-BoxUsage:m5.large"] + configuration.pricingRules.compactMap(\.usageType)
        let operations = ["RunInstances"] + configuration.pricingRules.compactMap(\.operation)
        let types: [LineItemType] = [
            .usage, .usage, .usage, .usage, .discountedUsage, .savingsPlanCoveredUsage, .savingsPlanNegation, .riFee,
            .savingsPlanRecurringFee, .fee, .credit, .tax,
        ]
        let periods = [BillingPeriod("2026-09")!, BillingPeriod("2026-10")!]
        func amount(negative: Bool = false) -> ExactDecimal {
            let value = ExactDecimal(
                significand: Int128(Int64.random(in: 0...9_999_999_999, using: &random)),
                scale: Int.random(in: 2...12, using: &random))
            return negative ? -value : value
        }
        return (0..<count).map { row in
            let account = accounts.randomElement(using: &random)!
            let type = types.randomElement(using: &random)!
            let negative = type == .credit || type == .savingsPlanNegation
            let publicCost: ExactDecimal? =
                Int.random(in: 0..<20, using: &random) == 0 ? nil : amount(negative: negative)
            let owner =
                switch Int.random(in: 0..<3, using: &random) {
                case 0: ""
                case 1: account
                default: accounts.randomElement(using: &random)!
                }
            return UsageLine(
                row: row + 2, period: periods.randomElement(using: &random)!, usageAccountID: account,
                lineItemType: type, serviceCode: services.randomElement(using: &random)!,
                usageType: usageTypes.randomElement(using: &random)!,
                operation: operations.randomElement(using: &random)!, billingEntity: "AWS",
                publicOnDemandCost: publicCost,
                actualCost: Int.random(in: 0..<10, using: &random) == 0 ? .zero : amount(negative: negative),
                usageAmount: amount(), currency: "USD", commitmentOwnerAccountID: owner)
        }
    }

    /// Both ways of pricing the head: every line, and the reach's; returns the reach and the head's lines.
    static func compare(
        base: Configuration, head: Configuration, lines: [UsageLine]
    ) throws -> (reach: PricingReach, headLines: Int) {
        let reach = PricingReach(base: base, head: head)
        let full = PricingEngine(configuration: head)
        let before = PricingEngine(configuration: base)
        let partial = PricingEngine(configuration: head)
        var headLines = 0
        for line in lines {
            try full.add(line, source: "generated:\(line.row)")
            try before.add(line, source: "generated:\(line.row)")
            if reach.headNeeds(line.usageAccountID) {
                headLines += 1
                try partial.add(line, source: "generated:\(line.row)")
            }
        }
        let periods = before.periodsInData
        let expected = try full.result(periods: periods)
        let beforeResult = try before.result(periods: periods)
        let merged = try #require(reach.headResult(base: beforeResult, partial: try partial.result(periods: periods)))
        #expect(PricingReach.isExact(base: before, head: partial))
        // Written alike, not only equal in value: `String(reflecting:)` shows every decimal's scale.
        #expect(String(reflecting: merged) == String(reflecting: expected))
        #expect(merged.groups.map(\.group) == expected.groups.map(\.group))
        return (reach, headLines)
    }

    static func group(_ configuration: Configuration, _ name: String) -> BillingGroup {
        configuration.billingGroups.first { $0.name == name }!
    }

    /// The result made from the engine's rows without copying them is the result.
    @Test(arguments: ["msp", "enterprise"])
    func theFinalResultIsTheResult(example: String) throws {
        let configuration = try Self.example(example)
        let kept = PricingEngine(configuration: configuration)
        let spent = PricingEngine(configuration: configuration)
        for line in Self.lines(for: configuration, seed: 10) {
            try kept.add(line, source: "generated:\(line.row)")
            try spent.add(line, source: "generated:\(line.row)")
        }
        let october = [BillingPeriod("2026-10")!]
        let expected = try kept.result(periods: october)
        #expect(expected.groups.contains { $0.rows.count > 10 })
        let final = try spent.finalResult(periods: october)
        #expect(String(reflecting: final) == String(reflecting: expected))
        // The engine's rows are gone (and the lines cost allocations took: what is left are zero shares of empty
        // pools).
        let after = try spent.result(periods: october)
        #expect(
            after.groups.allSatisfy {
                $0.rows.allSatisfy { $0.key.category == .allocated && $0.figures.proForma == .zero }
            })
    }

    @Test(arguments: ["msp", "enterprise"])
    func markupReachesTheGroupsOfItsPlans(example: String) throws {
        let base = try Self.example(example)
        var head = base
        let index = try #require(head.pricingRules.firstIndex { $0.modifierPercentage != nil })
        let rule = head.pricingRules[index]
        head.pricingRules[index].modifierPercentage = rule.modifierPercentage! + ExactDecimal(1)
        let plans = Set(base.pricingPlans.filter { $0.pricingRules.contains(rule.name) }.map(\.name))
        let reached = Set(base.billingGroups.filter { plans.contains($0.pricingPlan) }.map(\.name))
        let lines = Self.lines(for: base, seed: 11)
        let (reach, headLines) = try Self.compare(base: base, head: head, lines: lines)
        #expect(!reached.isEmpty)
        // Cost allocations (the enterprise example's) tie every group's figures to the others': nothing is shared.
        if base.costAllocations.isEmpty {
            #expect(reach.unchangedGroups == Set(base.billingGroups.map(\.name)).subtracting(reached))
            #expect(headLines < lines.count)
        } else {
            #expect(reach.unchangedGroups.isEmpty)
            #expect(headLines == lines.count)
        }
    }

    @Test func aMovedAccountReachesBothGroups() throws {
        let base = try Self.example("msp")
        var head = base
        let from = head.billingGroups[0]
        let moved = try #require(from.accountIDs.first { $0 != from.primaryAccountID })
        head.billingGroups[0].accountIDs.removeAll { $0 == moved }
        head.billingGroups[1].accountIDs.append(moved)
        let (reach, headLines) = try Self.compare(base: base, head: head, lines: Self.lines(for: base, seed: 12))
        #expect(
            reach.unchangedGroups
                == Set(base.billingGroups.map(\.name)).subtracting([from.name, head.billingGroups[1].name]))
        #expect(reach.headNeeds(moved))
        #expect(headLines > 0)
    }

    @Test func aNewAndADeletedGroup() throws {
        let base = try Self.example("msp")
        var head = base
        let deleted = head.billingGroups.removeLast()
        head.customLineItems.removeAll { $0.billingGroup == deleted.name }
        head.billingGroups.append(
            BillingGroup(
                name: "zz-new", primaryAccountID: Self.strangers[0], accountIDs: [Self.strangers[0]],
                pricingPlan: base.pricingPlans[0].name))
        let (reach, _) = try Self.compare(base: base, head: head, lines: Self.lines(for: base, seed: 13))
        #expect(!reach.unchangedGroups.contains(deleted.name))
        #expect(!reach.unchangedGroups.contains("zz-new"))
        #expect(reach.unchangedGroups.count == base.billingGroups.count - 1)
        // The deleted group's accounts are unassigned in the head, so the head prices them.
        #expect(deleted.accountIDs.allSatisfy(reach.headNeeds))
        #expect(!reach.headNeeds(base.billingGroups[0].accountIDs[0]))
    }

    @Test(arguments: ["msp", "enterprise"])
    func aChangedCustomLineItemReachesItsGroup(example: String) throws {
        let base = try Self.example(example)
        var head = base
        let index = try #require(
            head.customLineItems.firstIndex {
                if case .flat = $0.charge { true } else { false }
            })
        head.customLineItems[index].charge = .flat(chargeValue: ExactDecimal("1234.56")!)
        let (reach, _) = try Self.compare(base: base, head: head, lines: Self.lines(for: base, seed: 14))
        #expect(
            reach.unchangedGroups
                == (base.costAllocations.isEmpty
                    ? Set(base.billingGroups.map(\.name)).subtracting([base.customLineItems[index].billingGroup])
                    : []))
    }

    /// The auto-associating group takes the declared accounts in no group: leaving an account out of another group
    /// changes it too, and a change elsewhere leaves it alone.
    @Test func autoAssociationIsFollowed() throws {
        var base = try Self.example("msp")
        base.billingGroups[0].autoAssociate = true
        base.accounts.append(Account(name: "declared-only", accountID: Self.strangers[1]))
        var head = base
        let other = head.billingGroups[2]
        let dropped = try #require(other.accountIDs.first { $0 != other.primaryAccountID })
        head.billingGroups[2].accountIDs.removeAll { $0 == dropped }
        head.accounts.append(Account(name: "dropped", accountID: dropped))
        let lines = Self.lines(for: base, seed: 15)
        let (reach, _) = try Self.compare(base: base, head: head, lines: lines)
        #expect(!reach.unchangedGroups.contains(base.billingGroups[0].name))
        #expect(!reach.unchangedGroups.contains(other.name))
        #expect(reach.unchangedGroups.count == base.billingGroups.count - 2)

        // A markup of a plan the auto-associating group does not use leaves it unchanged.
        var marked = base
        let plan = base.billingGroups[0].pricingPlan
        let unused = try #require(
            marked.pricingRules.firstIndex { rule in
                rule.modifierPercentage != nil
                    && !base.pricingPlans.contains { $0.name == plan && $0.pricingRules.contains(rule.name) }
            })
        marked.pricingRules[unused].modifierPercentage = ExactDecimal("33.5")!
        let (markedReach, _) = try Self.compare(base: base, head: marked, lines: lines)
        #expect(markedReach.unchangedGroups.contains(base.billingGroups[0].name))
        #expect(markedReach.headNeeds(Self.strangers[0]))
        #expect(!markedReach.headNeeds(Self.strangers[1]))
    }

    /// A value written differently (`10` and `10.00`) may price to amounts written differently: not unchanged.
    @Test func aValueWrittenDifferentlyIsAChange() throws {
        let base = try Self.example("msp")
        var head = base
        let index = try #require(head.pricingRules.firstIndex { $0.modifierPercentage != nil })
        let value = head.pricingRules[index].modifierPercentage!
        head.pricingRules[index].modifierPercentage = ExactDecimal(
            significand: value.significand * 100, scale: value.scale + 2)
        #expect(head.pricingRules[index].modifierPercentage == value)
        let (reach, _) = try Self.compare(base: base, head: head, lines: Self.lines(for: base, seed: 16))
        #expect(reach.unchangedGroups.count < base.billingGroups.count)
        #expect(PricingReach(base: base, head: base).unchangedGroups.count == base.billingGroups.count)
    }

    /// A configuration the engine cannot price leaves nothing unchanged, so both sides price every line.
    @Test func aConfigurationThatCannotBePricedReachesEverything() throws {
        let base = try Self.example("msp")
        var head = base
        head.billingGroups[1].accountIDs.append(head.billingGroups[0].accountIDs[0])
        let reach = PricingReach(base: base, head: head)
        #expect(reach.isFull)
        #expect(base.billingGroups.flatMap(\.accountIDs).allSatisfy(reach.headNeeds))
        var currency = base
        currency.project?.currency = "EUR"
        #expect(PricingReach(base: base, head: currency).isFull)
    }
}

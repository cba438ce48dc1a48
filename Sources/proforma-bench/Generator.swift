import Foundation

/// How big a configuration to generate. The defaults are AWS Billing Conductor's quotas per payer account
/// (billing-semantics.md §9).
struct GeneratorOptions {
    var groups = 5_000
    var plans = 5_000
    var rules = 50_000
    var items = 50_000
    /// Accounts of the largest billing group (the first one): ABC's per-group maximum by default.
    var largestGroup = 1_000
    /// Average number of accounts of every other group; their sizes cycle through 1 ... 2n-1.
    var accountsPerGroup = 4
    /// Resources per file.
    var perFile = 100

    /// Problems with the options that would make the output invalid or the generator fail.
    func problems() -> [String] {
        var problems: [String] = []
        if groups < 1 { problems.append("--groups must be at least 1") }
        if plans < 1 { problems.append("--plans must be at least 1") }
        if plans > groups {
            problems.append("--plans (\(plans)) must not exceed --groups (\(groups)): each plan needs a group, or it is unused")
        }
        if rules < plans { problems.append("--rules (\(rules)) must be at least --plans (\(plans)): every rule belongs to a plan and no plan is empty") }
        if rules > plans * 500 { problems.append("--rules allows at most 500 rules per plan (ABC's quota)") }
        if items < 0 { problems.append("--items must not be negative") }
        if largestGroup < 1 || largestGroup > 1_000 { problems.append("--largest-group must be 1 to 1000") }
        if accountsPerGroup < 1 { problems.append("--accounts-per-group must be at least 1") }
        if perFile < 1 { problems.append("--per-file must be at least 1") }
        return problems
    }

    /// Accounts of group `g`.
    func groupSize(_ g: Int) -> Int {
        g == 0 ? largestGroup : 1 + (g - 1) % (2 * accountsPerGroup - 1)
    }

    /// The share of `total` things that the `index`-th of `owners` gets: as even as possible, the first ones
    /// taking the remainder.
    static func share(_ total: Int, among owners: Int, index: Int) -> Int {
        total / owners + (index < total % owners ? 1 : 0)
    }
}

/// What was written.
struct GeneratedSummary {
    var files = 0
    var bytes = 0
    var accounts = 0
    var groups = 0
    var plans = 0
    var rules = 0
    var items = 0

    var resources: Int { 1 + accounts + groups + plans + rules + items }
}

/// Writes a valid configuration repository of the requested size: every reference resolves, accounts are
/// unique across groups, no plan has two price-modifying rules with one target, every plan and rule is used,
/// and the per-group custom line item quotas hold. Purely index-based: the same options give the same bytes.
struct Generator {
    let options: GeneratorOptions
    let directory: URL
    static let payer = "999999999999"

    private var summary = GeneratedSummary()

    init(options: GeneratorOptions, directory: URL) {
        self.options = options
        self.directory = directory
    }

    mutating func run() throws -> GeneratedSummary {
        try writeProject()
        try writeAccounts()
        try writeBillingGroups()
        try writePlans()
        try writeRules()
        try writeItems()
        return summary
    }

    // MARK: Names and values

    static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }

    static func accountName(_ i: Int) -> String { "acct-" + pad(i, 6) }
    /// 12 digits, some with a leading zero (kept because the generator quotes them).
    static func accountID(_ i: Int) -> String { pad(40_000_000_000 + i * 7_919, 12) }
    static func groupName(_ g: Int) -> String { "customer-" + pad(g, 5) }
    static func planName(_ p: Int) -> String { "plan-" + pad(p, 5) }

    /// `value / 100` written with two decimals.
    static func cents(_ value: Int) -> String { "\(value / 100).\(pad(value % 100, 2))" }

    /// Index of the first account of group `g`.
    private func firstAccount(of g: Int) -> Int {
        // Group 0 holds accounts 0 ..< largestGroup; the others follow in order.
        if g == 0 { return 0 }
        let n = 2 * options.accountsPerGroup - 1
        let before = g - 1
        let fullCycles = before / n
        let rest = before % n
        // Sizes 1...n per full cycle, then 1...rest.
        return options.largestGroup + fullCycles * (n * (n + 1) / 2) + rest * (rest + 1) / 2
    }

    private var accountCount: Int { firstAccount(of: options.groups - 1) + options.groupSize(options.groups - 1) }

    // MARK: Files

    /// Writes documents in files of `perFile` resources: `folder/stem-0000.yaml`, ...
    private mutating func writeChunked(
        folder: String, stem: String, count: Int, document: (Int, inout String) -> Void
    ) throws {
        let (files, bytes) = try Self.writeChunked(
            directory: directory, folder: folder, stem: stem, count: count, perFile: options.perFile,
            document: document)
        summary.files += files
        summary.bytes += bytes
    }

    private static func writeChunked(
        directory: URL, folder: String, stem: String, count: Int, perFile: Int, document: (Int, inout String) -> Void
    ) throws -> (files: Int, bytes: Int) {
        var files = 0
        var bytes = 0
        let folderURL = directory.appendingPathComponent(folder)
        try FileManager.default.createDirectory(at: folderURL, withIntermediateDirectories: true)
        var start = 0
        var fileIndex = 0
        while start < count {
            let end = min(count, start + perFile)
            var text = ""
            text.reserveCapacity((end - start) * 400)
            for index in start..<end {
                if index > start { text += "---\n" }
                document(index, &text)
            }
            let data = Data(text.utf8)
            try data.write(to: folderURL.appendingPathComponent("\(stem)-\(pad(fileIndex, 4)).yaml"))
            files += 1
            bytes += data.count
            start = end
            fileIndex += 1
        }
        return (files, bytes)
    }

    private mutating func write(_ text: String, to url: URL) throws {
        let data = Data(text.utf8)
        try data.write(to: url)
        summary.files += 1
        summary.bytes += data.count
    }

    private mutating func writeProject() throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let text = """
            kind: Project
            name: bench
            description: Generated by proforma-bench at AWS Billing Conductor's quotas
            version: 1
            payer_account_id: "\(Self.payer)"
            currency: USD
            rounding: half_even
            usage:
              - path: usage/cur.csv.gz
            guardrails:
              - name: invoice-increase
                max_increase_percentage: 10
              - name: largest-customer-margin
                min_margin_percentage: 2
                billing_groups: [\(Self.groupName(0))]

            """
        try write(text, to: directory.appendingPathComponent("proforma.yaml"))
    }

    // MARK: Accounts

    private mutating func writeAccounts() throws {
        let count = accountCount
        summary.accounts = count + 1
        try write(
            """
            kind: Account
            name: management
            account_id: "\(Self.payer)"
            email: aws-management@example.com
            description: The payer account; never in a billing group

            """, to: directory.appendingPathComponent("accounts.yaml"))
        try writeChunked(folder: "accounts", stem: "accounts", count: count) { i, text in
            let name = Self.accountName(i)
            text += "kind: Account\nname: \(name)\naccount_id: \"\(Self.accountID(i))\"\nemail: \(name)@example.com\n"
            if i % 3 == 0 {
                text += "tags: { environment: \(i % 2 == 0 ? "production" : "development"), owner: team-\(i % 97) }\n"
            }
        }
    }

    // MARK: Billing groups

    private mutating func writeBillingGroups() throws {
        summary.groups = options.groups
        let options = self.options
        let firsts = (0..<options.groups).map(firstAccount(of:))
        try writeChunked(folder: "billing-groups", stem: "billing-groups", count: options.groups) { g, text in
            let size = options.groupSize(g)
            let first = firsts[g]
            let ids = (first..<first + size).map { "\"\(Self.accountID($0))\"" }
            text += "kind: BillingGroup\nname: \(Self.groupName(g))\n"
            text += "description: Customer \(g) (\(Catalogue.segments[g % Catalogue.segments.count]))\n"
            // The primary is a member, not always the first one listed.
            text += "primary_account_id: \"\(Self.accountID(first + (g % size)))\"\n"
            if size <= 8 {
                text += "account_ids: [\(ids.joined(separator: ", "))]\n"
            } else {
                text += "account_ids:\n"
                for id in ids { text += "  - \(id)\n" }
            }
            text += "pricing_plan: \(Self.planName(g % options.plans))\n"
            text += "tags:\n  customer-id: \"C\(Self.pad(g, 6))\"\n  segment: \(Catalogue.segments[g % Catalogue.segments.count])\n"
        }
    }

    // MARK: Pricing plans and rules

    /// Index of the first rule of plan `p`.
    private func firstRule(of p: Int) -> Int {
        let base = options.rules / options.plans
        let extra = options.rules % options.plans
        return p * base + min(p, extra)
    }

    /// The plan of rule `r`, and its index within the plan.
    private func plan(ofRule r: Int) -> (plan: Int, slot: Int) {
        let base = options.rules / options.plans
        let extra = options.rules % options.plans
        let bigRules = extra * (base + 1)
        if r < bigRules { return (r / (base + 1), r % (base + 1)) }
        return (extra + (r - bigRules) / base, (r - bigRules) % base)
    }

    /// A rule's name from its plan and slot, with a readable hint of what it does.
    private static func ruleName(plan p: Int, slot: Int) -> String {
        let what: String
        switch slot {
        case 0: what = "global-markup"
        case 1: what = "service-discount"
        case 2: what = "service-markup"
        case 3: what = "billing-entity"
        case 4, 6: what = "sku-discount"
        case 5, 9: what = "sku-markup"
        case 7: what = "sku-tiers"
        case 8: what = "free-tier"
        default: what = "sku-windows"
        }
        return "\(planName(p))-r\(pad(slot, 3))-\(what)"
    }

    private mutating func writePlans() throws {
        summary.plans = options.plans
        let options = self.options
        let firsts = (0...options.plans).map { $0 == options.plans ? options.rules : firstRule(of: $0) }
        try writeChunked(folder: "pricing/plans", stem: "plans", count: options.plans) { p, text in
            let count = firsts[p + 1] - firsts[p]
            text += "kind: PricingPlan\nname: \(Self.planName(p))\n"
            text += "description: Prices of \(Self.groupName(p))\(options.groups > options.plans ? " and others" : "")\n"
            text += "pricing_rules:\n"
            for slot in 0..<count { text += "  - \(Self.ruleName(plan: p, slot: slot))\n" }
        }
    }

    private mutating func writeRules() throws {
        summary.rules = options.rules
        let skus = Catalogue.skus
        let services = Catalogue.services
        let generator = self
        try writeChunked(folder: "pricing/rules", stem: "rules", count: options.rules) { r, text in
            let (p, slot) = generator.plan(ofRule: r)
            text += "kind: PricingRule\nname: \(Self.ruleName(plan: p, slot: slot))\n"
            // Five distinct consecutive SKUs of the catalogue per plan (its size is prime, so plans vary).
            let sku = { (k: Int) in skus[(p * 7 + k) % skus.count] }
            func skuLines(_ sku: Catalogue.SKU) {
                text += "service: \(sku.service)\n"
                if let usageType = sku.usageType { text += "usage_type: \(usageType)\n" }
                if let operation = sku.operation { text += "operation: \(operation)\n" }
            }
            let modifier = Self.cents(100 * (1 + p % 15) + 25 * (p % 4))
            switch slot {
            case 0:
                text += "description: Markup on everything not priced more specifically\n"
                text += "scope: GLOBAL\ntype: MARKUP\nmodifier_percentage: \(modifier)\n"
            case 1:
                text += "scope: SERVICE\ntype: DISCOUNT\nmodifier_percentage: \(Self.cents(250 + 50 * (p % 9)))\n"
                text += "service: \(services[p % services.count])\n"
            case 2:
                text += "scope: SERVICE\ntype: MARKUP\nmodifier_percentage: \(Self.cents(500 + 5 * (p % 30)))\n"
                text += "service: \(services[(p + 1) % services.count])\n"
            case 3:
                text += "scope: BILLING_ENTITY\ntype: \(p % 2 == 0 ? "MARKUP" : "DISCOUNT")\n"
                text += "modifier_percentage: \(Self.cents(100 + 100 * (p % 5)))\n"
                text += "billing_entity: \(Catalogue.billingEntities[p % Catalogue.billingEntities.count])\n"
            case 4, 6:
                text += "scope: SKU\ntype: DISCOUNT\nmodifier_percentage: \(Self.cents(300 + 100 * (p % 12) + slot))\n"
                skuLines(sku(slot == 4 ? 0 : 2))
            case 5, 9:
                text += "scope: SKU\ntype: MARKUP\nmodifier_percentage: \(Self.cents(150 * (1 + p % 7)))\n"
                skuLines(sku(slot == 5 ? 1 : 4))
            case 7:
                text += "description: Volume tiers\nscope: SKU\ntype: TIERING\n"
                skuLines(sku(3))
                let rate = 20 + p % 10
                text += "tiering:\n  tiers:\n"
                text += "    - { begin: 0, end: 1000, rate_value: 0.0\(rate) }\n"
                text += "    - { begin: 1000, end: 50000, rate_value: 0.0\(rate - 2) }\n"
                text += "    - { begin: 50000, rate_value: 0.0\(rate - 4) }\n"
            case 8:
                // A free tier switch: its target does not clash with price-modifying rules.
                if p % 2 == 0 {
                    text += "scope: GLOBAL\ntype: TIERING\n"
                } else {
                    text += "scope: SERVICE\ntype: TIERING\nservice: \(services[(p + 2) % services.count])\n"
                }
                text += "tiering: { free_tier: { activated: false } }\n"
            default:
                text += "scope: SKU\ntype: DISCOUNT\nmodifier_percentage: \(Self.cents(200 + slot % 300))\n"
                skuLines(Catalogue.extraSKU(slot - 10))
            }
            if slot < 4 && p % 5 == 0 {
                text += "tags: { owner: pricing-team }\n"
            }
        }
    }

    // MARK: Custom line items

    private mutating func writeItems() throws {
        summary.items = options.items
        let options = self.options
        let firsts = (0..<options.groups).map(firstAccount(of:))
        // Which group each item belongs to and its index within the group: groups take items in turn.
        var itemized = [Int](repeating: 0, count: options.groups)
        var filtered = [Int](repeating: 0, count: options.groups)
        let counts = (0..<options.groups).map { GeneratorOptions.share(options.items, among: options.groups, index: $0) }
        var owners: [(group: Int, slot: Int)] = []
        owners.reserveCapacity(options.items)
        for g in 0..<options.groups {
            for j in 0..<counts[g] { owners.append((g, j)) }
        }
        try writeChunked(folder: "line-items", stem: "line-items", count: options.items) { i, text in
            let (g, j) = owners[i]
            let group = Self.groupName(g)
            let size = options.groupSize(g)
            let kind = j % 10
            let name = Self.itemName(group: group, slot: j)
            text += "kind: CustomLineItem\nname: \(name)\nbilling_group: \(group)\n"
            switch kind {
            case 0:
                text += "description: Managed service fee\ntype: FEE\n"
                text += "flat: { charge_value: \(Self.cents(10_000 + 1_000 * (g % 50))) }\n"
                text += "billing_period_range: { inclusive_start: 2026-01 }\n"
            case 1:
                text += "description: Premium support\ntype: FEE\nflat: { charge_value: 49.99 }\n"
                if size > 1 { text += "account_id: \"\(Self.accountID(firsts[g] + size - 1))\"\n" }
            case 2:
                text += "description: Migration credit\ntype: CREDIT\n"
                text += "flat: { charge_value: \(Self.cents(50_000 + 100 * (g % 100))) }\n"
                text += "billing_period_range: { inclusive_start: 2026-01, exclusive_end: 2026-07 }\n"
            case 3:
                text += "description: Platform fee\ntype: FEE\n"
                text += "percentage: { percentage_value: 3, associated_values: [\(group)] }\n"
            case 4:
                text += "description: Operations fee\ntype: FEE\npercentage:\n  percentage_value: 2.5\n"
                text += "  associated_values: [\(group), \(Self.itemName(group: group, slot: j - 4))]\n"
            case 5:
                text += "description: Savings plan pass-through credit\ntype: CREDIT\n"
                text += "percentage: { percentage_value: 1, associated_values: [\(group)] }\n"
            case 6:
                text += "description: Software licences\ntype: FEE\nflat: { charge_value: \(Self.cents(1_999 + g % 1_000)) }\n"
                text += "presentation_details: { service: Licences }\n"
            case 7:
                text += "description: Surcharge on fixed fees\ntype: FEE\npercentage:\n  percentage_value: 12.5\n"
                text += "  associated_values:\n    - \(Self.itemName(group: group, slot: j - 7))\n"
                text += "    - \(Self.itemName(group: group, slot: j - 6))\n"
            case 8:
                text += "description: EC2 commitment credit\ntype: CREDIT\n"
                text += "percentage: { percentage_value: 5, associated_values: [\(group)] }\n"
            default:
                text += "description: Loyalty credit\ntype: CREDIT\nflat: { charge_value: 25.00 }\n"
                text += "billing_period_range: { inclusive_start: 2025-10 }\n"
            }
            // Filters and ITEMIZED only on percentage items, within the per-group quotas.
            let filter: String? =
                switch kind {
                case 4: "{ attribute: SERVICE, match_option: NOT_EQUAL, values: [AmazonRoute53] }"
                case 5: "{ attribute: LINE_ITEM_TYPE, match_option: NOT_EQUAL, values: [SAVINGS_PLAN_NEGATION] }"
                case 8: "{ attribute: SERVICE, match_option: EQUAL, values: [AmazonEC2] }"
                default: nil
                }
            if let filter, filtered[g] < 10 {
                filtered[g] += 1
                text += "line_item_filters:\n  - \(filter)\n"
            }
            if kind == 4 || kind == 8, itemized[g] < 5 {
                itemized[g] += 1
                text += "computation_rule: ITEMIZED\n"
            }
        }
    }

    static func itemName(group: String, slot: Int) -> String {
        let what =
            switch slot % 10 {
            case 0: "managed-service-fee"
            case 1: "premium-support"
            case 2: "migration-credit"
            case 3: "platform-fee"
            case 4: "operations-fee"
            case 5: "sp-credit"
            case 6: "licences"
            case 7: "fee-surcharge"
            case 8: "ec2-credit"
            default: "loyalty-credit"
            }
        return "\(group)-\(pad(slot, 3))-\(what)"
    }
}

import ProformaCore
import ProformaEngine
import ProformaModel
import ProformaUsage

/// Writes the query: the configuration as `VALUES` rows, then the pricing as a chain of common table expressions.
struct Writer {
    let configuration: Configuration
    let options: SQLOptions
    var dialect: SQLDialect { options.dialect }
    let data = SQLCompiler.dataScale
    let line = SQLCompiler.lineScale

    /// The type of amounts inside the query: the data's 20 places.
    var amount: String { "DECIMAL(38,\(data))" }

    mutating func query() throws(SQLCompileError) -> String {
        var ctes = configurationValues()
        if options.invoices { ctes += try customLineItemValues() }
        ctes += [source()] + pricing()
        let body: String
        if options.invoices {
            ctes += invoiceParts()
            body = invoiceSelect()
        } else {
            body = rowSelect()
        }
        var text = "-- Pro forma pricing compiled by proforma for \(dialect) from the configuration"
        text += " of project \(configuration.project?.name ?? "(unnamed)").\n"
        text +=
            "-- Usage table \(options.table): \(options.format) columns, costs as \(options.costColumns.rawValue).\n"
        if let view = options.view { text += "CREATE OR REPLACE VIEW \(view) AS\n" }
        text += "WITH\n" + ctes.joined(separator: ",\n") + "\n" + body
        return text + (options.view == nil ? "\n" : ";\n")
    }

    // MARK: The configuration

    /// Every group's account, as the engine assigns them: the first group naming an account takes it, and the
    /// auto-associating group every declared account of no other group.
    func members() -> [(account: String, group: String)] {
        var index: [String: String] = [:]
        var order: [String] = []
        for group in configuration.billingGroups {
            for account in group.accountIDs where index[account] == nil {
                index[account] = group.name
                order.append(account)
            }
        }
        if let auto = configuration.billingGroups.first(where: \.autoAssociate) {
            for account in configuration.accounts where index[account.accountID] == nil {
                index[account.accountID] = auto.name
                order.append(account.accountID)
            }
        }
        return order.sorted().map { ($0, index[$0] ?? "") }
    }

    /// The rules of each plan as `PricingEngine` keys them (the last rule of a plan for a key wins, as there): SKU
    /// rules with their priority, and the service, billing entity, global and free-tier rules by key.
    struct PlanTables {
        var sku: [[String]] = []
        var service: [[String]] = []
        var entity: [[String]] = []
        var global: [[String]] = []
        var freeTier: [[String]] = []
        var globalFreeTier: [[String]] = []
        var tiers: [[String]] = []
    }

    func planTables() -> PlanTables {
        var tables = PlanTables()
        let rules = Dictionary(configuration.pricingRules.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var tieredRules: Set<String> = []
        let usedPlans = Set(configuration.billingGroups.map(\.pricingPlan))
        for plan in configuration.pricingPlans.sorted(by: { $0.name < $1.name }) where usedPlans.contains(plan.name) {
            var global: PricingRule?
            var globalFree: Bool?
            var byEntity: [String: PricingRule] = [:]
            var byService: [String: PricingRule] = [:]
            var freeByService: [String: Bool] = [:]
            var sku: [String: [PricingRule]] = [:]
            for name in plan.pricingRules {
                guard let rule = rules[name] else { continue }
                let spellings = rule.service.map(AWSServiceCatalogue.spellings) ?? []
                if rule.type == .tiering && rule.scope != .sku {
                    let activated = rule.tiering?.freeTierActivated ?? true
                    switch rule.scope {
                    case .global: globalFree = activated
                    case .service: for spelling in spellings { freeByService[spelling] = activated }
                    default: break
                    }
                    continue
                }
                switch rule.scope {
                case .global: global = rule
                case .billingEntity: if let entity = rule.billingEntity { byEntity[entity] = rule }
                case .service: for spelling in spellings { byService[spelling] = rule }
                case .sku: for spelling in spellings { sku[spelling, default: []].append(rule) }
                }
            }
            let planName = SQLText.string(plan.name)
            for (service, candidates) in sku.sorted(by: { $0.key < $1.key }) {
                let ordered = candidates.sorted {
                    let a = ($0.usageType != nil ? 1 : 0) + ($0.operation != nil ? 1 : 0)
                    let b = ($1.usageType != nil ? 1 : 0) + ($1.operation != nil ? 1 : 0)
                    return a != b ? a > b : $0.name < $1.name
                }
                for (priority, rule) in ordered.enumerated() {
                    if rule.type == .tiering { tieredRules.insert(rule.name) }
                    tables.sku.append([
                        planName, SQLText.string(service), SQLText.string(rule.usageType),
                        SQLText.string(rule.operation),
                        String(priority), SQLText.string(rule.name), SQLText.bool(rule.type == .tiering),
                        SQLText.decimal(rule.sqlFactor, scale: 4),
                    ])
                }
            }
            for (service, rule) in byService.sorted(by: { $0.key < $1.key }) {
                tables.service.append([
                    planName, SQLText.string(service), SQLText.string(rule.name),
                    SQLText.decimal(rule.sqlFactor, scale: 4),
                ])
            }
            for (entity, rule) in byEntity.sorted(by: { $0.key < $1.key }) {
                tables.entity.append([
                    planName, SQLText.string(entity), SQLText.string(rule.name),
                    SQLText.decimal(rule.sqlFactor, scale: 4),
                ])
            }
            if let global {
                tables.global.append([
                    planName, SQLText.string(global.name), SQLText.decimal(global.sqlFactor, scale: 4),
                ])
            }
            for (service, activated) in freeByService.sorted(by: { $0.key < $1.key }) {
                tables.freeTier.append([planName, SQLText.string(service), SQLText.bool(activated)])
            }
            if let globalFree { tables.globalFreeTier.append([planName, SQLText.bool(globalFree)]) }
        }
        for name in tieredRules.sorted() {
            for tier in rules[name]?.tiering?.tiers ?? [] {
                tables.tiers.append([
                    SQLText.string(name), SQLText.decimal(tier.begin, scale: line),
                    SQLText.decimal(tier.end, scale: line), SQLText.decimal(tier.rateValue, scale: line),
                ])
            }
        }
        return tables
    }

    func configurationValues() -> [String] {
        let text = "CAST(NULL AS VARCHAR)"
        let factor = "CAST(NULL AS DECIMAL(38,4))"
        let groups = configuration.billingGroups.sorted { $0.name < $1.name }.map {
            [SQLText.string($0.name), SQLText.string($0.pricingPlan)]
        }
        let tables = planTables()
        return [
            SQLText.values(
                "billing_groups", columns: ["billing_group", "pricing_plan"], rows: groups, empty: [text, text]),
            SQLText.values(
                "members", columns: ["account_id", "billing_group"],
                rows: members().map { [SQLText.string($0.account), SQLText.string($0.group)] }, empty: [text, text]),
            SQLText.values(
                "sku_rules",
                columns: [
                    "pricing_plan", "service", "usage_type", "operation", "priority", "rule_name", "is_tiering",
                    "factor",
                ],
                rows: tables.sku, empty: [text, text, text, text, "0", text, "FALSE", factor]),
            SQLText.values(
                "service_rules", columns: ["pricing_plan", "service", "rule_name", "factor"], rows: tables.service,
                empty: [text, text, text, factor]),
            SQLText.values(
                "entity_rules", columns: ["pricing_plan", "billing_entity", "rule_name", "factor"], rows: tables.entity,
                empty: [text, text, text, factor]),
            SQLText.values(
                "global_rules", columns: ["pricing_plan", "rule_name", "factor"], rows: tables.global,
                empty: [text, text, factor]),
            SQLText.values(
                "service_free_tier", columns: ["pricing_plan", "service", "activated"], rows: tables.freeTier,
                empty: [text, text, "FALSE"]),
            SQLText.values(
                "global_free_tier", columns: ["pricing_plan", "activated"], rows: tables.globalFreeTier,
                empty: [text, "FALSE"]),
            SQLText.values(
                "tiers", columns: ["rule_name", "tier_begin", "tier_end", "rate"], rows: tables.tiers,
                empty: [
                    text, SQLText.decimal(nil, scale: line), SQLText.decimal(nil, scale: line),
                    SQLText.decimal(nil, scale: line),
                ]),
        ]
    }

    func customLineItemValues() throws(SQLCompileError) -> [String] {
        let text = "CAST(NULL AS VARCHAR)"
        let groups = Dictionary(configuration.billingGroups.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let byName = Dictionary(configuration.customLineItems.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var items: [[String]] = []
        var associated: [[String]] = []
        var filterServices: [[String]] = []
        for item in configuration.customLineItems.sorted(by: { $0.name < $1.name }) {
            guard let group = groups[item.billingGroup], let charge = item.charge else { continue }
            let sign: ExactDecimal = item.type == .credit ? -1 : 1
            var flat: ExactDecimal?
            var rate: ExactDecimal?
            var filter = "none"
            switch charge {
            case .flat(let value):
                flat = (value * sign).rounded(scale: line)
            case .percentage(let percentage, let values):
                let normalized = percentage.normalized
                rate = (normalized * sign).divided(by: .hundred, scale: normalized.scale + 2)
                for (ordinal, value) in values.enumerated() {
                    if value == group.name {
                        associated.append([SQLText.string(item.name), String(ordinal), "'group'", text])
                    } else if let other = byName[value], other.billingGroup == group.name, case .flat = other.charge {
                        associated.append([SQLText.string(item.name), String(ordinal), "'item'", SQLText.string(value)])
                    }
                }
                guard item.lineItemFilters.count <= 1 else {
                    throw SQLCompileError(
                        message: "custom line item \(item.name) has \(item.lineItemFilters.count) line item filters",
                        hint: "a custom line item has at most one filter")
                }
                if let only = item.lineItemFilters.first {
                    switch only.attribute {
                    case .service:
                        filter = only.matchOption == .equal ? "service_equal" : "service_not_equal"
                        let spellings = Set(only.values.flatMap { AWSServiceCatalogue.spellings($0) })
                        for spelling in spellings.sorted() {
                            filterServices.append([SQLText.string(item.name), SQLText.string(spelling)])
                        }
                    case .lineItemType:
                        let named = only.values.contains("SAVINGS_PLAN_NEGATION")
                        filter =
                            switch (only.matchOption, named) {
                            case (.equal, true): "negation_only"
                            case (.equal, false): "nothing"
                            case (.notEqual, true): "not_negation"
                            case (.notEqual, false): "none"
                            }
                    }
                }
            }
            items.append([
                SQLText.string(item.name), SQLText.string(group.name),
                SQLText.string(item.accountID ?? group.primaryAccountID),
                SQLText.string(item.billingPeriodRange?.inclusiveStart.description ?? "0000-00"),
                SQLText.string(item.billingPeriodRange?.exclusiveEnd?.description),
                SQLText.decimal(flat, scale: line), SQLText.decimal(rate, scale: 6), SQLText.string(filter),
            ])
        }
        return [
            SQLText.values(
                "custom_line_items",
                columns: [
                    "item_name", "billing_group", "account_id", "inclusive_start", "exclusive_end", "flat_amount",
                    "rate",
                    "filter",
                ],
                rows: items,
                empty: [
                    text, text, text, text, text, SQLText.decimal(nil, scale: line), SQLText.decimal(nil, scale: 6),
                    text,
                ]),
            SQLText.values(
                "associated_values", columns: ["item_name", "ordinal", "value_kind", "value_name"], rows: associated,
                empty: [text, "0", text, text]),
            SQLText.values(
                "filter_services", columns: ["item_name", "service"], rows: filterServices, empty: [text, text]),
        ]
    }

    // MARK: Reading the table

    /// A text column: NULL when absent, empty or `NULL`, as the usage reader reads it.
    func text(_ column: String) -> String {
        "NULLIF(NULLIF(CAST(\(SQLText.quoted(column)) AS VARCHAR), ''), 'NULL')"
    }

    /// A number column as an exact decimal at 20 places; NULL when empty.
    func number(_ column: String) -> String {
        switch options.costColumns {
        case .text: "CAST(\(text(column)) AS \(amount))"
        case .double: "CAST(\(SQLText.quoted(column)) AS \(amount))"
        }
    }

    /// The account field of an ARN (`arn:aws:ec2:us-east-1:123456789012:…`), NULL when it is not an ARN or empty.
    func arnAccount(_ value: String) -> String {
        "NULLIF(CASE WHEN \(value) LIKE 'arn:%:%:%:%:%' THEN split_part(\(value), ':', 5) END, '')"
    }

    static let knownTypes = LineItemType.known.map(\.rawValue)

    func source() -> String {
        let columns = Dictionary(SQLCompiler.fields(for: options.format), uniquingKeysWith: { a, _ in a })
        func column(_ field: UsageField) -> String { columns[field] ?? "" }
        var select: [String] = [
            "substr(CAST(\(SQLText.quoted(column(.billingPeriodStart))) AS VARCHAR), 1, 7) AS period",
            "COALESCE(\(text(column(.usageAccount))), '') AS account_id",
        ]
        switch options.format {
        case .cur, .cur2:
            let type = text(column(.lineItemType))
            let cases = Self.knownTypes.map { "WHEN \(SQLText.string($0.lowercased())) THEN \(SQLText.string($0))" }
            select += [
                "CASE lower(\(type)) \(cases.joined(separator: " ")) ELSE \(type) END AS line_item_type",
                "CAST(NULL AS VARCHAR) AS charge_category",
                "COALESCE(\(text(column(.serviceCode))), '') AS service",
                "COALESCE(\(arnAccount(text(column(.reservationARN)))), \(arnAccount(text(column(.savingsPlanARN)))), '') AS commitment_owner",
            ]
        case .focus:
            let category = text(column(.lineItemType))
            let commitment = text(column(.commitmentDiscountID))
            let savingsPlan =
                "(CASE WHEN \(commitment) LIKE 'arn:%:%:%:%:%' THEN split_part(\(commitment), ':', 3) = 'savingsplans' ELSE lower(\(commitment)) LIKE '%savingsplan%' END)"
            let oneTime = "(lower(COALESCE(\(text(column(.chargeFrequency))), '')) = 'one-time')"
            select += [
                """
                CASE lower(\(category)) \
                WHEN 'usage' THEN CASE WHEN \(commitment) IS NULL THEN 'Usage' WHEN \(savingsPlan) THEN 'SavingsPlanCoveredUsage' ELSE 'DiscountedUsage' END \
                WHEN 'purchase' THEN CASE WHEN \(commitment) IS NULL THEN 'Fee' WHEN \(savingsPlan) THEN \
                (CASE WHEN \(oneTime) THEN 'SavingsPlanUpfrontFee' ELSE 'SavingsPlanRecurringFee' END) ELSE 'RIFee' END \
                WHEN 'tax' THEN 'Tax' WHEN 'credit' THEN 'Credit' ELSE \(category) END AS line_item_type
                """,
                "\(category) AS charge_category",
                "COALESCE(\(text(column(.serviceCode))), \(text(column(.serviceName))), '') AS service",
                "COALESCE(\(arnAccount(commitment)), '') AS commitment_owner",
            ]
        }
        select += [
            "COALESCE(\(text(column(.usageType))), '') AS usage_type",
            "COALESCE(\(text(column(.operation))), '') AS operation",
            "COALESCE(\(text(column(.billingEntity))), 'AWS') AS billing_entity",
            "\(number(column(.publicOnDemandCost))) AS public_cost",
            "\(number(column(.actualCost))) AS actual_cost",
            "\(number(column(.usageAmount))) AS quantity",
            "\(text(column(.currency))) AS currency",
        ]
        return "usage_lines AS (\n  SELECT\n    " + select.joined(separator: ",\n    ") + "\n  FROM \(options.table))"
    }

    // MARK: Pricing

    func pricing() -> [String] {
        let excludedTypes = [
            "Tax", "Credit", "Refund", "EdpDiscount", "PrivateRateDiscount", "BundledDiscount", "SppDiscount",
            "DistributorDiscount",
        ].map(SQLText.string).joined(separator: ", ")
        let support = [
            "AWSSupportBusiness", "AWSSupportEnterprise", "AWSSupportEnterpriseOnRamp", "AWSDeveloperSupport",
            "AWS Support (Business)", "AWS Support (Enterprise)", "AWS Support (Enterprise On-Ramp)",
            "AWS Support (Developer)",
        ].map(SQLText.string).joined(separator: ", ")
        let keyColumns = ["pricing_plan", "service", "usage_type", "operation", "billing_entity"]
        let key = keyColumns.joined(separator: ", ")
        func same(_ a: String, _ b: String) -> String {
            keyColumns.map { "\(a).\($0) = \(b).\($0)" }.joined(separator: " AND ")
        }
        let rawType = "DECIMAL(38,\(data + 4))"
        let weight = "CAST(weight * 10000000000 AS \(dialect.integerType))"
        let splitKey = "period, billing_group, tier_rule"
        return [
            // §2 and §3: each line's group, whether it is tax or excluded, and whether its commitment is the group's.
            """
            classified AS (
              SELECT
                u.*, m.billing_group, g.pricing_plan,
                CASE
                  WHEN m.billing_group IS NULL THEN CASE WHEN u.line_item_type = 'Tax' OR lower(COALESCE(u.charge_category, '')) = 'tax' THEN 'tax' ELSE 'unassigned' END
                  WHEN u.line_item_type = 'Tax' OR lower(COALESCE(u.charge_category, '')) = 'tax' THEN 'tax'
                  WHEN u.line_item_type IN (\(excludedTypes)) OR u.service IN (\(support))
                    OR lower(COALESCE(u.charge_category, '')) IN ('tax', 'credit', 'adjustment') THEN 'excluded'
                  WHEN u.line_item_type IN ('DiscountedUsage', 'SavingsPlanCoveredUsage') THEN
                    CASE WHEN o.billing_group = m.billing_group THEN 'covered' ELSE 'on-demand' END
                  WHEN u.line_item_type = 'SavingsPlanNegation' THEN
                    CASE WHEN o.billing_group = m.billing_group THEN 'covered' ELSE 'excluded' END
                  WHEN u.line_item_type IN ('RIFee', 'SavingsPlanRecurringFee', 'SavingsPlanUpfrontFee') THEN
                    CASE WHEN o.billing_group = m.billing_group THEN 'commitment-fee' ELSE 'excluded' END
                  WHEN u.line_item_type = 'Usage' THEN 'on-demand'
                  ELSE 'other'
                END AS base_class,
                (u.line_item_type = 'Usage' AND u.actual_cost = 0 AND COALESCE(u.public_cost, 0) > 0) AS is_free
              FROM usage_lines u
              LEFT JOIN members m ON m.account_id = u.account_id
              LEFT JOIN billing_groups g ON g.billing_group = m.billing_group
              LEFT JOIN members o ON o.account_id = CASE WHEN u.commitment_owner = '' THEN u.account_id ELSE u.commitment_owner END)
            """,
            // §4: the winning rule and the free tier, once per distinct key of the on-demand lines.
            """
            rule_keys AS (
              SELECT DISTINCT \(key) FROM classified WHERE base_class = 'on-demand')
            """,
            """
            sku_matches AS (
              SELECT k.*, r.rule_name, r.is_tiering, r.factor,
                ROW_NUMBER() OVER (PARTITION BY k.pricing_plan, k.service, k.usage_type, k.operation, k.billing_entity ORDER BY r.priority) AS choice
              FROM rule_keys k
              JOIN sku_rules r ON r.pricing_plan = k.pricing_plan AND r.service = k.service
                AND (r.usage_type IS NULL OR r.usage_type = k.usage_type) AND (r.operation IS NULL OR r.operation = k.operation))
            """,
            """
            resolved AS (
              SELECT k.*,
                CASE WHEN s.rule_name IS NOT NULL AND s.is_tiering THEN s.rule_name END AS tier_rule,
                COALESCE(s.factor, CASE WHEN s.rule_name IS NULL THEN COALESCE(v.factor, e.factor, gl.factor) END, 1) AS factor,
                COALESCE(f.activated, gf.activated, TRUE) AS free_tier
              FROM rule_keys k
              LEFT JOIN sku_matches s ON \(same("s", "k")) AND s.choice = 1
              LEFT JOIN service_rules v ON v.pricing_plan = k.pricing_plan AND v.service = k.service
              LEFT JOIN entity_rules e ON e.pricing_plan = k.pricing_plan AND e.billing_entity = k.billing_entity
              LEFT JOIN global_rules gl ON gl.pricing_plan = k.pricing_plan
              LEFT JOIN service_free_tier f ON f.pricing_plan = k.pricing_plan AND f.service = k.service
              LEFT JOIN global_free_tier gf ON gf.pricing_plan = k.pricing_plan)
            """,
            // §3.4 and §4: each line's amount, rounded half-even to 10 places where a rule or the base is applied.
            """
            priced_raw AS (
              SELECT c.period, c.billing_group, c.account_id, c.service, c.line_item_type, c.currency,
                c.actual_cost, c.public_cost, c.quantity,
                CASE WHEN c.base_class = 'on-demand' AND c.is_free AND r.free_tier THEN 'free' ELSE c.base_class END AS line_class,
                CASE WHEN c.base_class = 'on-demand' AND NOT (c.is_free AND r.free_tier) THEN r.tier_rule END AS tier_rule,
                CASE WHEN c.base_class = 'on-demand' AND NOT (c.is_free AND r.free_tier) AND r.tier_rule IS NULL
                  THEN CAST(COALESCE(c.public_cost, c.actual_cost) AS DECIMAL(38,\(data))) * CAST(r.factor AS DECIMAL(38,4)) END AS raw_amount,
                CASE WHEN c.base_class IN ('covered', 'commitment-fee', 'other') THEN c.actual_cost ELSE CAST(0 AS \(amount)) END AS kept_amount
              FROM classified c
              LEFT JOIN resolved r ON \(same("r", "c")) AND c.base_class = 'on-demand')
            """,
            """
            priced AS (
              SELECT period, billing_group, account_id, service, line_item_type, currency, actual_cost, public_cost,
                quantity, line_class, tier_rule,
                CASE WHEN raw_amount IS NULL THEN kept_amount
                  ELSE CAST(\(SQLText.halfEven("CAST(raw_amount AS \(rawType))", places: line)) AS \(amount)) END AS amount
              FROM priced_raw)
            """,
            // Cost rows as the engine keeps them: period, group, account, service, line item type, class, currency.
            """
            cost_rows AS (
              SELECT period, billing_group, account_id, service, line_item_type, line_class, currency,
                SUM(amount) AS pro_forma, SUM(actual_cost) AS actual_cost, SUM(COALESCE(public_cost, 0)) AS public_cost,
                SUM(COALESCE(quantity, 0)) AS quantity, COUNT(*) AS lines
              FROM priced
              GROUP BY period, billing_group, account_id, service, line_item_type, line_class, currency)
            """,
            // §4 custom tiers: the group's quantity of each tiered rule per row, to 10 places, priced by the tiers.
            """
            tier_rows AS (
              SELECT period, billing_group, tier_rule, account_id, service, line_item_type, currency,
                \(SQLText.halfEven("SUM(COALESCE(quantity, 0))", places: line)) AS weight
              FROM priced WHERE tier_rule IS NOT NULL
              GROUP BY period, billing_group, tier_rule, account_id, service, line_item_type, currency)
            """,
            """
            tier_quantities AS (
              SELECT \(splitKey), SUM(weight) AS total_quantity FROM tier_rows GROUP BY \(splitKey))
            """,
            """
            tier_amounts AS (
              SELECT q.period, q.billing_group, q.tier_rule,
                \(SQLText.halfEven("SUM(CASE WHEN q.total_quantity > t.tier_begin THEN ((CASE WHEN t.tier_end IS NULL OR t.tier_end > q.total_quantity THEN q.total_quantity ELSE t.tier_end END) - t.tier_begin) * t.rate ELSE 0 END)", places: line)) AS tier_amount
              FROM tier_quantities q LEFT JOIN tiers t ON t.rule_name = q.tier_rule
              GROUP BY q.period, q.billing_group, q.tier_rule)
            """,
            // §7 largest remainder in exact integers (units of 10^-10): floor of each share, then one unit each to the
            // largest remainders, earlier rows first (rows in the engine's order). Signed weights; by magnitude when
            // they cancel out; evenly when all are zero.
            """
            tier_weights AS (
              SELECT r.*, CAST(a.tier_amount * 10000000000 AS \(dialect.integerType)) AS total_units,
                \(weight) AS units,
                SUM(\(weight)) OVER (PARTITION BY r.period, r.billing_group, r.tier_rule) AS signed_sum,
                SUM(ABS(\(weight))) OVER (PARTITION BY r.period, r.billing_group, r.tier_rule) AS magnitude_sum,
                COUNT(*) OVER (PARTITION BY r.period, r.billing_group, r.tier_rule) AS row_count,
                ROW_NUMBER() OVER (PARTITION BY r.period, r.billing_group, r.tier_rule
                  ORDER BY \(dialect.binary("r.account_id")), \(dialect.binary("r.service")), \(dialect.binary("r.line_item_type")), \(dialect.binary("r.currency"))) AS position
              FROM tier_rows r JOIN tier_amounts a ON a.period = r.period AND a.billing_group = r.billing_group AND a.tier_rule = r.tier_rule)
            """,
            """
            tier_fractions AS (
              SELECT w.*,
                CAST(total_units AS \(dialect.integerType)) * CAST(CASE WHEN signed_sum <> 0 THEN units WHEN magnitude_sum <> 0 THEN ABS(units) ELSE 1 END AS \(dialect.integerType))
                  * CAST(CASE WHEN signed_sum < 0 THEN -1 ELSE 1 END AS \(dialect.integerType)) AS numerator,
                CAST(CASE WHEN signed_sum <> 0 THEN ABS(signed_sum) WHEN magnitude_sum <> 0 THEN magnitude_sum ELSE row_count END AS \(dialect.integerType)) AS denominator
              FROM tier_weights w)
            """,
            """
            tier_floors AS (
              SELECT f.*,
                CASE WHEN \(dialect.modulo("numerator", "denominator")) < 0 THEN \(dialect.modulo("numerator", "denominator")) + denominator
                  ELSE \(dialect.modulo("numerator", "denominator")) END AS remainder
              FROM tier_fractions f)
            """,
            """
            tier_parts AS (
              SELECT t.*, \(dialect.exactQuotient("numerator - remainder", "denominator")) AS part
              FROM tier_floors t)
            """,
            """
            tier_shares AS (
              SELECT period, billing_group, account_id, service, line_item_type, currency,
                CAST(part + CASE WHEN ROW_NUMBER() OVER (PARTITION BY \(splitKey) ORDER BY remainder DESC, position)
                  <= total_units - SUM(part) OVER (PARTITION BY \(splitKey)) THEN 1 ELSE 0 END AS DECIMAL(38,0))
                  * CAST(0.0000000001 AS DECIMAL(38,10)) AS share
              FROM tier_parts)
            """,
            """
            all_rows AS (
              SELECT period, billing_group, account_id, service, line_item_type, line_class, currency,
                pro_forma, actual_cost, public_cost, quantity, lines
              FROM cost_rows
              UNION ALL
              SELECT period, billing_group, account_id, service, line_item_type, 'on-demand', currency,
                CAST(share AS \(amount)), CAST(0 AS \(amount)), CAST(0 AS \(amount)), CAST(0 AS \(amount)), 0
              FROM tier_shares)
            """,
        ]
    }

    func rowSelect() -> String {
        let rounded = { (column: String) in
            "CAST(\(SQLText.halfEven("SUM(\(column))", places: line)) AS DECIMAL(38,\(line))) AS \(column)"
        }
        return """
            SELECT period, billing_group, account_id, service, line_class, currency,
              \(rounded("pro_forma")),
              CAST(\(SQLText.halfEven("SUM(CASE WHEN line_class <> 'tax' THEN actual_cost ELSE 0 END)", places: line)) AS DECIMAL(38,\(line))) AS aws_cost,
              \(rounded("actual_cost")),
              \(rounded("public_cost")),
              \(rounded("quantity")),
              SUM(lines) AS lines
            FROM all_rows
            GROUP BY period, billing_group, account_id, service, line_class, currency
            ORDER BY period, \(dialect.binary("billing_group")), \(dialect.binary("account_id")), \(dialect.binary("service")), line_class, \(dialect.binary("currency"))
            """
    }

    // MARK: Invoices

    func invoiceParts() -> [String] {
        let counted = "('on-demand', 'free', 'covered', 'commitment-fee', 'other')"
        let projectCurrency = SQLText.string(configuration.project?.currency ?? "USD")
        return [
            """
            periods AS (
              SELECT DISTINCT period FROM usage_lines)
            """,
            // A group's lines in two currencies stop the query, as they stop the engine: the cast of the message
            // fails in every dialect, with the message in the error.
            """
            group_usage AS (
              SELECT g.billing_group, p.period,
                COALESCE(SUM(CASE WHEN r.line_class IN \(counted) THEN r.pro_forma END), 0) AS usage_amount,
                COALESCE(SUM(CASE WHEN r.line_class <> 'tax' THEN r.actual_cost END), 0) AS aws_cost,
                CASE WHEN COUNT(DISTINCT r.currency) > 1
                  THEN CAST(CAST('billing group ' || g.billing_group || ' has lines in two currencies in ' || p.period AS INTEGER) AS VARCHAR)
                  ELSE COALESCE(MIN(r.currency), \(projectCurrency)) END AS currency
              FROM billing_groups g CROSS JOIN periods p
              LEFT JOIN all_rows r ON r.billing_group = g.billing_group AND r.period = p.period
              GROUP BY g.billing_group, p.period)
            """,
            """
            active_items AS (
              SELECT i.*, p.period FROM custom_line_items i CROSS JOIN periods p
              WHERE i.inclusive_start <= p.period AND (i.exclusive_end IS NULL OR p.period < i.exclusive_end))
            """,
            // §5: a percentage item's base: its group's counted rows after rules (through its filter) and its active
            // flat items, signed; each associated value counted as often as it is named.
            """
            item_bases AS (
              SELECT a.item_name, a.period, SUM(r.pro_forma) AS base
              FROM active_items a
              JOIN associated_values v ON v.item_name = a.item_name AND v.value_kind = 'group'
              JOIN all_rows r ON r.billing_group = a.billing_group AND r.period = a.period AND r.line_class IN \(counted)
              LEFT JOIN filter_services fs ON fs.item_name = a.item_name AND fs.service = r.service
              WHERE a.filter = 'none'
                OR (a.filter = 'service_equal' AND fs.service IS NOT NULL)
                OR (a.filter = 'service_not_equal' AND fs.service IS NULL)
                OR (a.filter = 'not_negation' AND r.line_item_type <> 'SavingsPlanNegation')
                OR (a.filter = 'negation_only' AND r.line_item_type = 'SavingsPlanNegation')
              GROUP BY a.item_name, a.period
              UNION ALL
              SELECT a.item_name, a.period, SUM(CAST(o.flat_amount AS \(amount))) AS base
              FROM active_items a
              JOIN associated_values v ON v.item_name = a.item_name AND v.value_kind = 'item'
              JOIN active_items o ON o.item_name = v.value_name AND o.period = a.period AND o.flat_amount IS NOT NULL
              GROUP BY a.item_name, a.period)
            """,
            """
            item_amounts AS (
              SELECT a.period, a.billing_group, a.item_name, a.account_id,
                CASE WHEN a.flat_amount IS NOT NULL THEN CAST(a.flat_amount AS \(amount))
                  ELSE CAST(\(SQLText.halfEven("CAST(COALESCE(b.base, 0) AS \(amount)) * a.rate", places: line)) AS \(amount)) END AS amount
              FROM active_items a
              LEFT JOIN (SELECT item_name, period, SUM(base) AS base FROM item_bases GROUP BY item_name, period) b
                ON b.item_name = a.item_name AND b.period = a.period)
            """,
            """
            group_totals AS (
              SELECT u.period, u.billing_group, u.currency, u.usage_amount, u.aws_cost,
                u.usage_amount + COALESCE((SELECT SUM(i.amount) FROM item_amounts i WHERE i.period = u.period AND i.billing_group = u.billing_group), 0) AS pro_forma
              FROM group_usage u)
            """,
        ]
    }

    /// A figure rounded to its currency's minor unit with the project's rounding, as `RoundedFigures` does.
    func shown(_ value: String) -> String {
        let mode = configuration.project?.rounding ?? .halfEven
        let currencies: [(Int, [String])] = [0, 3, 4].map { places in
            (
                places,
                [
                    "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND", "VUV",
                    "XAF", "XOF", "XPF", "BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND", "CLF", "UYW",
                ]
                .filter { CurrencyMinorUnits.places(for: $0) == places }
            )
        }
        var text = "CASE"
        for (places, codes) in currencies where !codes.isEmpty {
            text += " WHEN upper(currency) IN (\(codes.map(SQLText.string).joined(separator: ", "))) THEN "
            text += "CAST(\(SQLText.rounded(value, places: places, mode: mode)) AS DECIMAL(38,4))"
        }
        return text + " ELSE CAST(\(SQLText.rounded(value, places: 2, mode: mode)) AS DECIMAL(38,4)) END"
    }

    func invoiceSelect() -> String {
        let exact = { (value: String) in "CAST(\(SQLText.halfEven(value, places: line)) AS DECIMAL(38,\(line)))" }
        let none = "CAST(NULL AS DECIMAL(38,\(line)))"
        let noneShown = "CAST(NULL AS DECIMAL(38,4))"
        return """
            SELECT period, billing_group, currency, line, item_name, account_id, pro_forma, aws_cost,
              pro_forma_shown, aws_cost_shown, margin_shown
            FROM (
              SELECT period, billing_group, currency, 'usage' AS line, CAST(NULL AS VARCHAR) AS item_name,
                CAST(NULL AS VARCHAR) AS account_id, \(exact("usage_amount")) AS pro_forma, \(exact("aws_cost")) AS aws_cost,
                \(noneShown) AS pro_forma_shown, \(noneShown) AS aws_cost_shown, \(noneShown) AS margin_shown, 0 AS section
              FROM group_totals
              UNION ALL
              SELECT i.period, i.billing_group, t.currency, 'custom_line_item', i.item_name, i.account_id,
                \(exact("i.amount")), \(none), \(noneShown), \(noneShown), \(noneShown), 1
              FROM item_amounts i JOIN group_totals t ON t.period = i.period AND t.billing_group = i.billing_group
              UNION ALL
              SELECT period, billing_group, currency, 'total', CAST(NULL AS VARCHAR), CAST(NULL AS VARCHAR),
                \(exact("pro_forma")), \(exact("aws_cost")), \(shown("pro_forma")), \(shown("aws_cost")),
                \(shown("pro_forma")) - \(shown("aws_cost")), 2
              FROM group_totals) sections
            ORDER BY period, \(dialect.binary("billing_group")), section, \(dialect.binary("item_name"))
            """
    }
}

extension PricingRule {
    /// The multiplier of a MARKUP or DISCOUNT rule, 1 ± m/100, exact (the engine's: m has at most 2 places).
    var sqlFactor: ExactDecimal? {
        guard let modifier = modifierPercentage?.normalized else { return nil }
        let fraction = modifier.divided(by: .hundred, scale: min(ExactDecimal.maxScale, modifier.scale + 2)) ?? .zero
        switch type {
        case .markup: return .one + fraction
        case .discount: return .one - fraction
        case .tiering: return nil
        }
    }
}

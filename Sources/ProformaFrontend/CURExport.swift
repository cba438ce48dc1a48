import ProformaCore
import ProformaEngine
import ProformaModel
import ProformaUsage

/// What a pro forma CUR export wrote.
public struct CURExportSummary: Sendable, Hashable {
    public var format: UsageFormat
    /// Usage rows written (the group's rows of the period) and custom line items written.
    public var usageRows: Int
    public var customLineItems: Int
    /// Shares of cost allocations written as lines of their own.
    public var allocatedShares: Int = 0
    /// The sum of the written cost column.
    public var total: ExactDecimal
    public var currency: String
}

/// Why a pro forma CUR cannot be exported (besides reading errors, which are `UsageError`s).
public struct CURExportError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var hint: String?
    public var description: String { message }
}

/// A billing group's usage for a period written again in the usage data's own format, at pro forma cost, as AWS
/// Billing Conductor's pro forma CUR shows a billing group: every column of the input kept, only the group's
/// accounts' rows, the cost columns replaced by pro forma amounts, and each custom line item as a row of its own.
///
/// The files are read a second time (a third when custom tiers price some of the group's lines), row by row, so
/// memory stays flat whatever their size. The cost columns (`lineItem/UnblendedCost`, `lineItem/BlendedCost`,
/// `lineItem/NetUnblendedCost`; CUR 2.0 `line_item_unblended_cost`, `line_item_blended_cost`,
/// `line_item_net_unblended_cost`; FOCUS `BilledCost`, `EffectiveCost`) carry each row's pro forma amount: 0 for
/// rows not billed (tax, credits, support, commitments owned outside the group), the rule's price for on-demand
/// usage, actual cost for covered usage. By default the amounts are rounded to the currency's minor unit
/// cumulatively (each row is the rounded running total less the rounded running total before it), so the column
/// adds up exactly to the invoice's total and each row is within one minor unit of its exact amount; `exact`
/// writes the exact amounts (10 places), which add up to the group's exact pro forma cost.
public enum CURExport {
    /// The header names whose values are replaced by the pro forma amount.
    public static func costColumns(_ format: UsageFormat) -> [String] {
        switch format {
        case .cur: ["lineItem/UnblendedCost", "lineItem/BlendedCost", "lineItem/NetUnblendedCost"]
        case .cur2: ["line_item_unblended_cost", "line_item_blended_cost", "line_item_net_unblended_cost"]
        case .focus: ["BilledCost", "EffectiveCost"]
        }
    }

    /// Writes the export of `group` for `period` through `write` (called with pieces of CSV text, in order).
    /// `priced` is the pricing of that period (`Frontend`'s, with the configuration in effect for it).
    public static func export(
        _ priced: PricedUsage, group: String, period: BillingPeriod, format requested: UsageFormat? = nil,
        exact: Bool = false, skipInvalidRows: Bool = false, write: (String) throws -> Void
    ) throws -> CURExportSummary {
        let configuration = priced.configuration(for: period)
        guard let result = priced.result.group(group, period: period) else {
            throw CURExportError(
                message: "billing group \"\(group)\" has no result for \(period)",
                hint: "name a group of the configuration and a period of the data")
        }
        let inputs = priced.inputs
        guard !inputs.isEmpty else {
            throw CURExportError(message: "no usage data to export", hint: "name usage files with --usage")
        }
        let rounding = configuration.project?.rounding ?? .halfEven
        let places = CurrencyMinorUnits.places(for: result.currency)
        let engine = PricingEngine(configuration: configuration)
        let options = UsageReadOptions(skipInvalidRows: skipInvalidRows)
        func reader(_ input: UsageInput) throws -> UsageReader {
            switch input.source {
            case .file(let path): try UsageReader(path: path, name: input.name, options: options)
            case .bytes(let bytes): try UsageReader(bytes: bytes, name: input.name, options: options)
            }
        }

        // Lines priced by custom tiers share their row's tier amount by quantity: the row's pro forma amount less
        // the amounts of its other lines, known after a first reading.
        let rowAmounts = Dictionary(result.rows.map { ($0.key, $0.figures.proForma) }, uniquingKeysWith: +)
        var tierQuantity: [CostKey: ExactDecimal] = [:]
        var tierAmount: [CostKey: ExactDecimal] = [:]
        let plan = configuration.billingGroups.first { $0.name == group }.flatMap { definition in
            configuration.pricingPlans.first { $0.name == definition.pricingPlan }
        }
        let planRules = Set(plan?.pricingRules ?? [])
        let hasTiers = configuration.pricingRules.contains {
            planRules.contains($0.name) && !($0.tiering?.tiers.isEmpty ?? true)
        }
        if hasTiers {
            var others: [CostKey: ExactDecimal] = [:]
            var tiered: Set<CostKey> = []
            for input in inputs {
                let usage = try reader(input)
                while let line = try usage.next() {
                    guard line.period == period else { continue }
                    let pricing = engine.pricing(of: line)
                    guard pricing.group == group else { continue }
                    if pricing.customTiers {
                        tiered.insert(pricing.key)
                        tierQuantity[pricing.key, default: .zero] += line.usageAmount ?? .zero
                    } else {
                        others[pricing.key, default: .zero] += pricing.amount
                    }
                }
            }
            for key in tiered { tierAmount[key] = (rowAmounts[key] ?? .zero) - (others[key] ?? .zero) }
        }

        var header: [String]?
        var format: UsageFormat = .cur
        var costIndices: [Int] = []
        var summary = CURExportSummary(
            format: .cur, usageRows: 0, customLineItems: 0, total: .zero, currency: result.currency)
        var running = ExactDecimal.zero
        var shownSoFar = ExactDecimal.zero
        func shown(_ amount: ExactDecimal) -> ExactDecimal {
            if exact { return amount.rounded(scale: PricingEngine.lineScale) }
            running += amount
            let total = running.rounded(scale: places, rounding)
            defer { shownSoFar = total }
            return total - shownSoFar
        }
        var tierSoFar: [CostKey: (quantity: ExactDecimal, amount: ExactDecimal)] = [:]
        for input in inputs {
            let usage = try reader(input)
            if let header {
                guard usage.header == header else {
                    throw CURExportError(
                        message: "\(input.name) has other columns than \(inputs[0].name)",
                        hint: "export one file at a time with --usage")
                }
            } else {
                header = usage.header
                format = usage.format
                if let requested, requested != format {
                    throw CURExportError(
                        message:
                            "the usage data is \(format), not \(requested): converting between formats is not supported",
                        hint: "leave out --format to export in the data's own format")
                }
                let wanted = Set(costColumns(format).map { $0.lowercased() })
                costIndices = usage.header.indices.filter { wanted.contains(usage.header[$0].lowercased()) }
                try write(CSVText.row(usage.header))
            }
            while let line = try usage.next() {
                guard line.period == period else { continue }
                let pricing = engine.pricing(of: line)
                guard pricing.group == group else { continue }
                var amount = pricing.amount
                if pricing.customTiers, let tier = tierAmount[pricing.key], let quantity = tierQuantity[pricing.key] {
                    // The running share of the tier amount, by quantity, at 10 places.
                    var sofar = tierSoFar[pricing.key] ?? (.zero, .zero)
                    sofar.quantity += line.usageAmount ?? .zero
                    let cumulative =
                        quantity.isZero
                        ? tier : (tier * sofar.quantity).divided(by: quantity, scale: PricingEngine.lineScale) ?? tier
                    amount = cumulative - sofar.amount
                    sofar.amount = cumulative
                    tierSoFar[pricing.key] = sofar
                }
                let value = shown(amount)
                summary.total += value
                var fields = usage.currentFields
                if fields.count < usage.header.count {
                    fields += Array(repeating: "", count: usage.header.count - fields.count)
                }
                let text = value.description
                for index in costIndices where index < fields.count { fields[index] = text }
                try write(CSVText.row(fields))
                summary.usageRows += 1
            }
        }
        guard let header else { return summary }
        summary.format = format
        for charge in result.customLineItems {
            let value = shown(charge.amount)
            summary.total += value
            try write(
                CSVText.row(
                    customLineItemRow(
                        charge, value: value, header: header, format: format, period: period, currency: result.currency,
                        payer: configuration.project?.payerAccountID)))
            summary.customLineItems += 1
        }
        // The group's shares of cost allocations, one line each, as its invoice shows them (the lines the pools
        // took from the group's own accounts were written above at 0).
        for row in result.rows where row.key.category == .allocated && !row.figures.proForma.isZero {
            let value = shown(row.figures.proForma)
            summary.total += value
            try write(
                CSVText.row(
                    chargeRow(
                        account: row.key.account, isFee: row.figures.proForma.signum >= 0,
                        service: row.key.service, description: "Shared cost: \(row.key.service)", value: value,
                        header: header, format: format, period: period, currency: result.currency,
                        payer: configuration.project?.payerAccountID)))
            summary.allocatedShares += 1
        }
        return summary
    }

    /// A custom line item as a row of the export: its period, account, type, service and description, its amount
    /// in the cost columns, the currency; every other column empty.
    static func customLineItemRow(
        _ charge: CustomLineItemCharge, value: ExactDecimal, header: [String], format: UsageFormat,
        period: BillingPeriod, currency: String, payer: String?
    ) -> [String] {
        chargeRow(
            account: charge.account, isFee: charge.type == .fee,
            service: charge.presentationService ?? "Custom line item", description: charge.description,
            value: value, header: header, format: format, period: period, currency: currency, payer: payer)
    }

    /// A charge that is not a usage line (a custom line item, a share of a cost allocation) as a row of the export.
    static func chargeRow(
        account: String, isFee: Bool, service: String, description: String, value: ExactDecimal, header: [String],
        format: UsageFormat, period: BillingPeriod, currency: String, payer: String?
    ) -> [String] {
        let start = firstDay(period) + "T00:00:00Z"
        let end = firstDay(period.next) + "T00:00:00Z"
        let type = isFee ? "Fee" : "Credit"
        var values: [String: String] = [:]
        switch format {
        case .cur:
            values = [
                "bill/billingperiodstartdate": start, "bill/billingperiodenddate": end,
                "bill/payeraccountid": payer ?? "", "lineitem/usageaccountid": account,
                "lineitem/lineitemtype": type, "lineitem/productcode": service,
                "lineitem/lineitemdescription": description, "lineitem/currencycode": currency,
                "lineitem/usagestartdate": start, "lineitem/usageenddate": end, "product/productname": service,
            ]
        case .cur2:
            values = [
                "bill_billing_period_start_date": start, "bill_billing_period_end_date": end,
                "bill_payer_account_id": payer ?? "", "line_item_usage_account_id": account,
                "line_item_line_item_type": type, "line_item_product_code": service,
                "line_item_line_item_description": description, "line_item_currency_code": currency,
                "line_item_usage_start_date": start, "line_item_usage_end_date": end, "product_product_name": service,
            ]
        case .focus:
            values = [
                "billingperiodstart": start, "billingperiodend": end, "chargeperiodstart": start,
                "chargeperiodend": end, "billingaccountid": payer ?? "", "subaccountid": account,
                "chargecategory": isFee ? "Purchase" : "Credit", "chargedescription": description,
                "servicename": service, "x_servicecode": service, "billingcurrency": currency,
                "providername": "AWS", "publishername": "AWS", "invoiceissuername": "AWS",
            ]
        }
        let costs = Set(costColumns(format).map { $0.lowercased() })
        return header.map { name in
            let key = name.lowercased()
            if costs.contains(key) { return value.description }
            return values[key] ?? ""
        }
    }

    static func firstDay(_ period: BillingPeriod) -> String {
        "\(period.year)-\(period.month < 10 ? "0" : "")\(period.month)-01"
    }
}

/// RFC 4180 rows, as usage exports write them: a field is quoted when it holds a comma, a quote or a line break.
enum CSVText {
    static func row(_ fields: [String]) -> String {
        var text = ""
        for (index, field) in fields.enumerated() {
            if index > 0 { text += "," }
            if field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
                text += "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            } else {
                text += field
            }
        }
        return text + "\n"
    }
}

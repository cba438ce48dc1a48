import ProformaCore

// ProformaUsage reads AWS usage exports — legacy CUR, CUR 2.0 (and Athena-style snake_case) and FOCUS 1.0–1.2 CSV,
// plain or gzip — as a stream of `UsageLine`s. See `UsageReader` (usage files) and `CSVReader` (the CSV layer).
//
// Where billing-semantics.md §2 leaves the reading open, this module decides:
// - Rows are numbered by physical line: a row's number is the 1-based line on which its record starts, the header
//   being line 1 (so the first data row is 2, and a quoted field over three lines moves the next row three on).
// - The format is the one whose required columns the header has most of. A header with none of them is not a usage
//   file; one with some but not all is a `missingColumn` error naming the missing ones.
// - Required columns: billing period start, usage account, line item type (FOCUS `ChargeCategory`), service (CUR
//   product code; FOCUS `x_ServiceCode` or `ServiceName`), actual cost, currency. The currency has no default:
//   amounts of an unknown currency could not be kept apart from another currency's. Every other column is optional.
// - `NULL` is an empty value in every format and column. The billing period start, actual cost, currency and line
//   item type must have a value in every row; the usage account may be empty (its lines are then unassigned).
// - FOCUS: the service code is `x_ServiceCode`, or `ServiceName` in rows where that is empty; the billing entity is
//   `x_BillingEntity`, or "AWS". The line item type comes from `ChargeCategory` and `CommitmentDiscountId`: Usage
//   with a commitment is `SavingsPlanCoveredUsage` (a Savings Plan: ARN service `savingsplans`, or an ID naming a
//   savings plan) or `DiscountedUsage` (any other commitment); Purchase with a commitment is
//   `SavingsPlanUpfrontFee` (Savings Plan, `ChargeFrequency` One-Time), `SavingsPlanRecurringFee` (Savings Plan)
//   or `RIFee`; Purchase without one is `Fee`; Tax and Credit are `Tax` and `Credit`; anything else, Adjustment
//   included, is `.other` with the category as written (`UsageLine.chargeCategory` keeps it in every case).
// - The commitment owner is the account field of the ARN (`arn:aws:ec2:us-east-1:123456789012:…` → 123456789012)
//   in the reservation ARN, else the Savings Plan ARN (FOCUS: `CommitmentDiscountId`); "" when there is none or the
//   ID is not an ARN.
// - Blank lines are skipped (and counted as lines). Of duplicate header names, the first counts.

/// The kinds of usage export, recognised from the header.
public enum UsageFormat: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Legacy Cost and Usage Report: `lineItem/UnblendedCost` style headers.
    case cur = "CUR"
    /// CUR 2.0, or a legacy CUR as Athena writes it: `line_item_unblended_cost` style headers.
    case cur2 = "CUR 2.0"
    /// FinOps FOCUS 1.0–1.2: `BilledCost`, `ChargeCategory`, … (AWS extensions start with `x_`).
    case focus = "FOCUS"

    public var description: String { rawValue }
}

/// What the reader takes from a usage file. `UsageFormat.columns(for:)` names the columns each comes from.
public enum UsageField: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case billingPeriodStart
    case usageAccount
    case payerAccount
    /// CUR line item type; FOCUS `ChargeCategory`.
    case lineItemType
    /// CUR product code; FOCUS `x_ServiceCode`.
    case serviceCode
    /// FOCUS `ServiceName`, the service code where `x_ServiceCode` is absent or empty.
    case serviceName
    case usageType
    case operation
    case billingEntity
    case publicOnDemandCost
    case actualCost
    case usageAmount
    case currency
    case reservationARN
    case savingsPlanARN
    /// FOCUS `CommitmentDiscountId`.
    case commitmentDiscountID
    /// FOCUS `ChargeFrequency` (tells a one-time Savings Plan purchase from a recurring one).
    case chargeFrequency
    case resourceID

    public var description: String { rawValue }
}

extension UsageFormat {
    /// The header names `field` is read from in this format, preferred first, as written by AWS. Headers match
    /// them case-insensitively. Empty when the format does not have the field.
    public func columns(for field: UsageField) -> [String] {
        switch self {
        case .cur:
            switch field {
            case .billingPeriodStart: ["bill/BillingPeriodStartDate"]
            case .usageAccount: ["lineItem/UsageAccountId"]
            case .payerAccount: ["bill/PayerAccountId"]
            case .lineItemType: ["lineItem/LineItemType"]
            case .serviceCode: ["lineItem/ProductCode"]
            case .serviceName: []
            case .usageType: ["lineItem/UsageType"]
            case .operation: ["lineItem/Operation"]
            case .billingEntity: ["bill/BillingEntity"]
            case .publicOnDemandCost: ["pricing/publicOnDemandCost"]
            case .actualCost: ["lineItem/UnblendedCost"]
            case .usageAmount: ["lineItem/UsageAmount"]
            case .currency: ["lineItem/CurrencyCode"]
            case .reservationARN: ["reservation/ReservationARN"]
            case .savingsPlanARN: ["savingsPlan/SavingsPlanARN"]
            case .commitmentDiscountID, .chargeFrequency: []
            case .resourceID: ["lineItem/ResourceId"]
            }
        case .cur2:
            switch field {
            case .billingPeriodStart: ["bill_billing_period_start_date"]
            case .usageAccount: ["line_item_usage_account_id"]
            case .payerAccount: ["bill_payer_account_id"]
            case .lineItemType: ["line_item_line_item_type"]
            case .serviceCode: ["line_item_product_code"]
            case .serviceName: []
            case .usageType: ["line_item_usage_type"]
            case .operation: ["line_item_operation"]
            case .billingEntity: ["bill_billing_entity"]
            case .publicOnDemandCost: ["pricing_public_on_demand_cost"]
            case .actualCost: ["line_item_unblended_cost"]
            case .usageAmount: ["line_item_usage_amount"]
            case .currency: ["line_item_currency_code"]
            case .reservationARN: ["reservation_reservation_arn", "reservation_reservation_a_r_n"]
            case .savingsPlanARN: ["savings_plan_savings_plan_arn", "savings_plan_savings_plan_a_r_n"]
            case .commitmentDiscountID, .chargeFrequency: []
            case .resourceID: ["line_item_resource_id"]
            }
        case .focus:
            switch field {
            case .billingPeriodStart: ["BillingPeriodStart"]
            case .usageAccount: ["SubAccountId"]
            case .payerAccount: ["BillingAccountId"]
            case .lineItemType: ["ChargeCategory"]
            case .serviceCode: ["x_ServiceCode"]
            case .serviceName: ["ServiceName"]
            case .usageType: ["x_UsageType"]
            case .operation: ["x_Operation"]
            case .billingEntity: ["x_BillingEntity"]
            case .publicOnDemandCost: ["ListCost"]
            case .actualCost: ["BilledCost"]
            case .usageAmount: ["ConsumedQuantity"]
            case .currency: ["BillingCurrency"]
            case .reservationARN, .savingsPlanARN: []
            case .commitmentDiscountID: ["CommitmentDiscountId"]
            case .chargeFrequency: ["ChargeFrequency"]
            case .resourceID: ["ResourceId"]
            }
        }
    }

    /// The fields a file of this format must have a column for. (FOCUS needs `x_ServiceCode` or `ServiceName`:
    /// see `hasServiceColumn`.)
    static let requiredFields: [UsageField] = [
        .billingPeriodStart, .usageAccount, .lineItemType, .actualCost, .currency,
    ]
}

/// How to read a usage file.
public struct UsageReadOptions: Sendable, Hashable {
    /// Count and skip rows with errors confined to the row (bad numbers, wrong field counts, …) instead of
    /// stopping at the first. File-level problems (I/O, gzip, header) always stop the reading.
    public var skipInvalidRows: Bool
    /// How many skipped rows `UsageReadSummary.skippedExamples` keeps.
    public var maxSkippedExamples: Int
    /// Fill `UsageLine.resourceID` (costs a string per row: resource IDs repeat little).
    public var readsResourceIDs: Bool
    /// The size of the reads from the file (and of the buffers the CSV is split in).
    public var chunkSize: Int
    /// Read, decompress and split the file on a thread of its own, a few chunks ahead, while lines are made on the
    /// caller's thread (on by default: it uses a second core when there is one; memory stays a few chunks).
    public var readAhead: Bool

    public init(
        skipInvalidRows: Bool = false, maxSkippedExamples: Int = 10, readsResourceIDs: Bool = false,
        chunkSize: Int = CSVReader.defaultChunkSize, readAhead: Bool = true
    ) {
        self.skipInvalidRows = skipInvalidRows
        self.maxSkippedExamples = maxSkippedExamples
        self.readsResourceIDs = readsResourceIDs
        self.chunkSize = chunkSize
        self.readAhead = readAhead
    }
}

/// What a read went through.
public struct UsageReadSummary: Sendable, Hashable {
    /// The file as the caller named it.
    public var file: String
    public var format: UsageFormat
    /// True when the file was gzip-compressed.
    public var isCompressed: Bool
    /// The header as written.
    public var header: [String]
    /// Lines handed to the caller.
    public var rowsRead: Int
    /// Numbers of those lines rounded to `UsageReader.decimalPlaces` places at reading (values whose dropped
    /// digits were all zero are not counted).
    public var valuesRounded: Int
    /// The rows holding those values, and the first few of them (at most `Positions.shown`).
    public var rowsRounded: Int
    public var firstRoundedRows: [Int]
    /// Rows skipped as invalid (only with `skipInvalidRows`).
    public var rowsSkipped: Int
    /// The first skipped rows' errors (at most `maxSkippedExamples`).
    public var skippedExamples: [UsageError]
    /// CSV bytes read (after decompression), header included.
    public var bytesRead: Int
    /// The currencies of the lines read, sorted.
    public var currencies: [String]
    /// The billing periods of the lines read, sorted.
    public var periods: [BillingPeriod]
    /// Optional fields the header has no column for (for FOCUS, `serviceCode` or `serviceName` when only the
    /// other is there), in `UsageField` order.
    public var absentFields: [UsageField]
    /// The product name of each service code, where the file has one (CUR `product/ProductName`, CUR 2.0
    /// `product_product_name`, FOCUS `ServiceName`): the name in the first row holding the code.
    public var serviceNames: [String: String] = [:]

    /// "80 values were rounded to 20 decimal places, in rows cur.csv:2, cur.csv:7, cur.csv:9 and 31 more", or nil
    /// when none were.
    public var roundedValuesNote: String? {
        Self.roundedValuesNote(
            valuesRounded, rows: firstRoundedRows.map { "\(file):\($0)" }, rowCount: rowsRounded)
    }

    /// The note for `count` rounded values in `rowCount` rows, the first of which are `rows` (`file:row`).
    public static func roundedValuesNote(_ count: Int, rows: [String], rowCount: Int) -> String? {
        guard let note = roundedValuesNote(count) else { return nil }
        guard !rows.isEmpty else { return note }
        return "\(note), in \(rowCount == 1 ? "row" : "rows") \(Positions.list(rows, total: rowCount))"
    }

    /// The note for `count` rounded values, or nil for none.
    public static func roundedValuesNote(_ count: Int) -> String? {
        guard count > 0 else { return nil }
        let places = UsageReader.decimalPlaces
        return count == 1
            ? "1 value was rounded to \(places) decimal places"
            : "\(count) values were rounded to \(places) decimal places"
    }

    /// "skipped 3 invalid rows (first: FILE:ROW:COL: message; also FILE:ROW, FILE:ROW)", or nil when none were
    /// skipped.
    public var skippedRowsNote: String? {
        guard rowsSkipped > 0 else { return nil }
        let noun = rowsSkipped == 1 ? "row" : "rows"
        if let first = skippedExamples.first {
            let others = skippedExamples.dropFirst().map { error in
                error.row.map { "\(error.file):\($0)" } ?? error.file
            }
            guard !others.isEmpty else { return "skipped \(rowsSkipped) invalid \(noun) (first: \(first))" }
            let also = Positions.list(Array(others), total: rowsSkipped - 1)
            return "skipped \(rowsSkipped) invalid \(noun) (first: \(first); also \(also))"
        }
        return "skipped \(rowsSkipped) invalid \(noun)"
    }
}

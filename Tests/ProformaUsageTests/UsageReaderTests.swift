import Foundation
import ProformaCore
import ProformaUsage
import Testing

/// A CSV built from named values, with defaults for the columns a test does not care about.
struct Table {
    var header: [String]
    var defaults: [String: String]
    var rows: [[String]] = []

    init(_ header: [String], defaults: [String: String]) {
        self.header = header
        self.defaults = defaults
    }

    mutating func add(_ values: [String: String] = [:]) {
        for key in values.keys { precondition(header.contains(key), "no column \(key)") }
        rows.append(header.map { values[$0] ?? defaults[$0] ?? "" })
    }

    static func quoted(_ field: String) -> String {
        guard field.contains(where: { ",\"\n\r".contains($0) }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    var text: String {
        ([header] + rows).map { $0.map(Self.quoted).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    /// A legacy CUR with the columns the reader uses, between others it does not.
    static func cur() -> Table {
        Table(
            [
                "identity/LineItemId", "bill/BillingEntity", "bill/PayerAccountId", "bill/BillingPeriodStartDate",
                "lineItem/UsageAccountId", "lineItem/LineItemType", "lineItem/ProductCode", "lineItem/UsageType",
                "lineItem/Operation", "lineItem/ResourceId", "lineItem/UsageAmount", "lineItem/CurrencyCode",
                "lineItem/UnblendedCost", "lineItem/LineItemDescription", "pricing/publicOnDemandCost",
                "reservation/ReservationARN", "savingsPlan/SavingsPlanARN", "product/region",
            ],
            defaults: [
                "identity/LineItemId": "id", "bill/BillingEntity": "AWS", "bill/PayerAccountId": "999999999999",
                "bill/BillingPeriodStartDate": "2025-03-01T00:00:00Z", "lineItem/UsageAccountId": "111111111111",
                "lineItem/LineItemType": "Usage", "lineItem/ProductCode": "AmazonEC2",
                "lineItem/UsageType": "BoxUsage:m5.large", "lineItem/Operation": "RunInstances",
                "lineItem/UsageAmount": "1", "lineItem/CurrencyCode": "USD", "lineItem/UnblendedCost": "0.096",
                "lineItem/LineItemDescription": "$0.096 per On Demand Linux m5.large Instance Hour",
                "pricing/publicOnDemandCost": "0.096", "product/region": "us-east-1",
            ])
    }

    static func focus() -> Table {
        Table(
            [
                "BilledCost", "BillingAccountId", "BillingCurrency", "BillingPeriodStart", "ChargeCategory",
                "ChargeFrequency", "CommitmentDiscountId", "ConsumedQuantity", "ListCost", "ResourceId",
                "ServiceName", "SubAccountId", "x_BillingEntity", "x_Operation", "x_ServiceCode", "x_UsageType",
            ],
            defaults: [
                "BilledCost": "1.5", "BillingAccountId": "999999999999", "BillingCurrency": "USD",
                "BillingPeriodStart": "2024-09-01 00:00:00", "ChargeCategory": "Usage",
                "ChargeFrequency": "Usage-Based", "CommitmentDiscountId": "NULL", "ConsumedQuantity": "3",
                "ListCost": "2", "ResourceId": "NULL", "ServiceName": "Amazon Elastic Compute Cloud",
                "SubAccountId": "111111111111", "x_BillingEntity": "AWS", "x_Operation": "RunInstances",
                "x_ServiceCode": "AmazonEC2", "x_UsageType": "BoxUsage:t3.micro",
            ])
    }
}

let riARN = "arn:aws:ec2:us-east-1:222222222222:reserved-instances/4a2b1c3d-0000-4000-8000-000000000001"
let spARN = "arn:aws:savingsplans::333333333333:savingsplan/9f8e7d6c-0000-4000-8000-000000000002"

@Suite struct UsageReaderTests {
    // MARK: Formats and mapping

    @Test(arguments: [16, 97, CSVReader.defaultChunkSize], [false, true])
    func readsLegacyCUR(chunkSize: Int, readAhead: Bool) throws {
        var table = Table.cur()
        table.add(["lineItem/UnblendedCost": "0", "pricing/publicOnDemandCost": "4.0E-7"])
        table.add([
            "lineItem/LineItemType": "DiscountedUsage", "reservation/ReservationARN": riARN,
            "lineItem/UsageAccountId": "123456", "bill/BillingEntity": "AWS Marketplace",
        ])
        table.add(["lineItem/LineItemType": "SavingsPlanCoveredUsage", "savingsPlan/SavingsPlanARN": spARN])
        table.add([
            "lineItem/LineItemType": "Tax", "lineItem/UsageType": "", "lineItem/Operation": "",
            "pricing/publicOnDemandCost": "", "lineItem/UsageAmount": "", "lineItem/UnblendedCost": "1.25E+1",
        ])
        let (lines, summary) = try readLines(table.text, options: .init(chunkSize: chunkSize, readAhead: readAhead))
        #expect(summary.format == .cur)
        #expect(summary.rowsRead == 4)
        #expect(lines.map(\.row) == [2, 3, 4, 5])

        let usage = lines[0]
        #expect(usage.period == BillingPeriod(year: 2025, month: 3))
        #expect(usage.usageAccountID == "111111111111")
        #expect(usage.payerAccountID == "999999999999")
        #expect(usage.lineItemType == .usage)
        #expect(usage.chargeCategory == nil)
        #expect(usage.serviceCode == "AmazonEC2")
        #expect(usage.usageType == "BoxUsage:m5.large")
        #expect(usage.operation == "RunInstances")
        #expect(usage.billingEntity == "AWS")
        #expect(usage.actualCost == 0)
        #expect(usage.publicOnDemandCost == ExactDecimal("0.0000004"))
        #expect(usage.usageAmount == 1)
        #expect(usage.currency == "USD")
        #expect(usage.commitmentOwnerAccountID == "")
        #expect(usage.resourceID == nil)

        #expect(lines[1].lineItemType == .discountedUsage)
        #expect(lines[1].commitmentOwnerAccountID == "222222222222")
        #expect(lines[1].usageAccountID == "123456")
        #expect(lines[1].billingEntity == "AWS Marketplace")
        #expect(lines[2].lineItemType == .savingsPlanCoveredUsage)
        #expect(lines[2].commitmentOwnerAccountID == "333333333333")

        let tax = lines[3]
        #expect(tax.lineItemType == .tax)
        #expect(tax.usageType == "")
        #expect(tax.operation == "")
        #expect(tax.publicOnDemandCost == nil)
        #expect(tax.usageAmount == nil)
        #expect(tax.actualCost == ExactDecimal("12.5"))
    }

    @Test func readsCUR2AndAthenaSnakeCase() throws {
        let header = [
            "bill_billing_period_start_date", "line_item_usage_account_id", "bill_payer_account_id",
            "line_item_line_item_type", "line_item_product_code", "line_item_usage_type", "line_item_operation",
            "bill_billing_entity", "pricing_public_on_demand_cost", "line_item_unblended_cost",
            "line_item_usage_amount", "line_item_currency_code", "reservation_reservation_a_r_n",
            "savings_plan_savings_plan_arn",
        ]
        var table = Table(header, defaults: [:])
        table.rows = [
            [
                "2022-07-01 00:00:00.000", "589173575009", "999999", "SavingsPlanNegation", "AmazonEC2",
                "BoxUsage:t3.micro", "RunInstances", "AWS", "", "-0.0104", "1", "EUR", "", spARN,
            ],
            [
                "2022-07-01 00:00:00.000", "589173575009", "999999", "RIFee", "AmazonRDS", "HeavyUsage:db.r5",
                "CreateDBInstance", "AWS", "", "12", "720", "EUR", riARN, "",
            ],
        ]
        let (lines, summary) = try readLines(table.text)
        #expect(summary.format == .cur2)
        #expect(lines.map(\.lineItemType) == [.savingsPlanNegation, .riFee])
        #expect(lines.map(\.commitmentOwnerAccountID) == ["333333333333", "222222222222"])
        #expect(lines.map(\.period) == [BillingPeriod(year: 2022, month: 7), BillingPeriod(year: 2022, month: 7)])
        #expect(lines[0].actualCost == ExactDecimal("-0.0104"))
        #expect(lines[0].publicOnDemandCost == nil)
        #expect(lines[1].serviceCode == "AmazonRDS")
        #expect(lines[1].usageAmount == 720)
        #expect(summary.currencies == ["EUR"])
    }

    @Test func readsFOCUSAndDerivesTheLineItemType() throws {
        var table = Table.focus()
        table.add()
        table.add(["CommitmentDiscountId": spARN])
        table.add(["CommitmentDiscountId": riARN])
        table.add(["ChargeCategory": "Purchase", "CommitmentDiscountId": spARN, "ChargeFrequency": "One-Time"])
        table.add(["ChargeCategory": "Purchase", "CommitmentDiscountId": spARN, "ChargeFrequency": "Recurring"])
        table.add(["ChargeCategory": "Purchase", "CommitmentDiscountId": riARN, "ChargeFrequency": "Recurring"])
        table.add(["ChargeCategory": "Purchase", "ChargeFrequency": "One-Time", "x_ServiceCode": "AmazonRoute53"])
        table.add(["ChargeCategory": "Tax"])
        table.add(["ChargeCategory": "Credit", "BilledCost": "-3"])
        table.add(["ChargeCategory": "Adjustment"])
        let (lines, summary) = try readLines(table.text)
        #expect(summary.format == .focus)
        #expect(
            lines.map(\.lineItemType) == [
                .usage, .savingsPlanCoveredUsage, .discountedUsage, .savingsPlanUpfrontFee, .savingsPlanRecurringFee,
                .riFee, .fee, .tax, .credit, .other("Adjustment"),
            ])
        #expect(
            lines.map(\.chargeCategory) == [
                "Usage", "Usage", "Usage", "Purchase", "Purchase", "Purchase", "Purchase", "Tax", "Credit",
                "Adjustment",
            ])
        #expect(
            lines.map(\.commitmentOwnerAccountID) == [
                "", "333333333333", "222222222222", "333333333333", "333333333333", "222222222222", "", "", "", "",
            ])
        let first = lines[0]
        #expect(first.period == BillingPeriod(year: 2024, month: 9))
        #expect(first.usageAccountID == "111111111111")
        #expect(first.payerAccountID == "999999999999")
        #expect(first.serviceCode == "AmazonEC2")
        #expect(first.usageType == "BoxUsage:t3.micro")
        #expect(first.operation == "RunInstances")
        #expect(first.billingEntity == "AWS")
        #expect(first.actualCost == ExactDecimal("1.5"))
        #expect(first.publicOnDemandCost == 2)
        #expect(first.usageAmount == 3)
        #expect(lines[6].serviceCode == "AmazonRoute53")
        #expect(lines[8].actualCost == -3)
    }

    @Test func focusCommitmentsThatAreNotARNsHaveNoOwner() throws {
        var table = Table.focus()
        table.add(["CommitmentDiscountId": "/providers/Microsoft.Capacity/reservationOrders/1234/reservations/5678"])
        table.add([
            "CommitmentDiscountId": "/providers/Microsoft.BillingBenefits/savingsPlanOrders/99/savingsPlans/98",
        ])
        table.add(["ChargeCategory": "purchase", "CommitmentDiscountId": "/providers/Microsoft.Capacity/x"])
        let (lines, _) = try readLines(table.text)
        #expect(lines.map(\.lineItemType) == [.discountedUsage, .savingsPlanCoveredUsage, .riFee])
        #expect(lines.map(\.commitmentOwnerAccountID) == ["", "", ""])
        #expect(lines[2].chargeCategory == "purchase")
    }

    @Test func lineItemTypesMatchCaseInsensitivelyAndKeepOthers() throws {
        for type in LineItemType.known {
            #expect(LineItemType(rawValue: type.rawValue) == type)
            #expect(LineItemType(rawValue: type.rawValue.uppercased()) == type)
        }
        #expect(LineItemType(rawValue: "RIFee") == .riFee)
        #expect(LineItemType(rawValue: "SomethingNew") == .other("SomethingNew"))
        #expect(LineItemType.other("SomethingNew").rawValue == "SomethingNew")
        var table = Table.cur()
        table.add(["lineItem/LineItemType": "SomethingNew"])
        table.add(["lineItem/LineItemType": "savingsplannegation"])
        #expect(try readLines(table.text).lines.map(\.lineItemType) == [.other("SomethingNew"), .savingsPlanNegation])
    }

    @Test func errorsDescribeThemselvesWithTheKnownParts() {
        let whole = UsageError(.missingColumn, file: "u.csv", message: "m")
        #expect(whole.description == "u.csv: m")
        let row = UsageError(.malformedCSV, file: "u.csv", row: 7, message: "m")
        #expect(row.description == "u.csv:7: m")
        let cell = UsageError(.invalidNumber, file: "u.csv", row: 7, column: .init(index: 3, name: "x"), message: "m")
        #expect(cell.description == "u.csv:7:3 (x): m")
        #expect(cell.isRowError)
        #expect(!row.isRowError)
        let unnamed = UsageError(.tooManyFields, file: "u.csv", row: 2, column: .init(index: 5, name: nil), message: "m")
        #expect(unnamed.description == "u.csv:2:5: m")
    }

    @Test func focusNullsReadAsEmptyAndTheServiceNameStandsInForTheServiceCode() throws {
        var table = Table.focus()
        table.add([
            "x_ServiceCode": "NULL", "ListCost": "NULL", "ConsumedQuantity": "NULL", "x_UsageType": "NULL",
            "x_BillingEntity": "NULL", "SubAccountId": "NULL",
        ])
        table.add(["x_ServiceCode": "", "ListCost": "", "x_BillingEntity": "AWS Marketplace"])
        let (lines, _) = try readLines(table.text)
        #expect(lines[0].serviceCode == "Amazon Elastic Compute Cloud")
        #expect(lines[0].publicOnDemandCost == nil)
        #expect(lines[0].usageAmount == nil)
        #expect(lines[0].usageType == "")
        #expect(lines[0].billingEntity == "AWS")
        #expect(lines[0].usageAccountID == "")
        #expect(lines[1].serviceCode == "Amazon Elastic Compute Cloud")
        #expect(lines[1].billingEntity == "AWS Marketplace")
    }

    @Test func focusWithoutAWSExtensionColumns() throws {
        let text = """
            "BilledCost","BillingCurrency","BillingPeriodStart","ChargeCategory","ServiceName","SubAccountId"
            0.5,"USD","2024-10-01 00:00:00","Usage","Amazon Route 53","27702429184"

            """
        let (lines, summary) = try readLines(text)
        #expect(summary.format == .focus)
        #expect(lines.count == 1)
        #expect(lines[0].serviceCode == "Amazon Route 53")
        #expect(lines[0].billingEntity == "AWS")
        #expect(lines[0].payerAccountID == nil)
        #expect(lines[0].publicOnDemandCost == nil)
        #expect(
            summary.absentFields == [
                .payerAccount, .serviceCode, .usageType, .operation, .billingEntity, .publicOnDemandCost,
                .usageAmount, .commitmentDiscountID, .chargeFrequency, .resourceID,
            ])
    }

    @Test func headerNamesMatchCaseInsensitively() throws {
        let text = """
            BILL/BILLINGPERIODSTARTDATE,LineItem/UsageAccountID,lineitem/lineitemtype,LINEITEM/PRODUCTCODE,\
            lineItem/unblendedcost,LineItem/CurrencyCode,Pricing/PublicOnDemandCost,savingsPlan/SavingsPlanArn
            2023-06-01T00:00:00Z,0099999999999,SavingsPlanCoveredUsage,AmazonEC2,10,NOK,10,\(spARN)

            """
        let (lines, summary) = try readLines(text)
        #expect(summary.format == .cur)
        #expect(lines.count == 1)
        #expect(lines[0].usageAccountID == "0099999999999")
        #expect(lines[0].actualCost == 10)
        #expect(lines[0].publicOnDemandCost == 10)
        #expect(lines[0].currency == "NOK")
        #expect(lines[0].commitmentOwnerAccountID == "333333333333")
    }

    @Test(arguments: [
        ("4.0E-7", "0.00000040"), ("1.05E-8", "0.0000000105"), ("2.813e-7", "0.0000002813"), ("-1.5E+2", "-150"),
        ("0.0061215770588837586", "0.0061215770588837586"), ("12", "12"), ("\"3.5\"", "3.5"),
    ])
    func numbersAreExactIncludingScientificNotation(written: String, expected: String) throws {
        let text = """
            bill/BillingPeriodStartDate,lineItem/UsageAccountId,lineItem/LineItemType,lineItem/ProductCode,\
            lineItem/UnblendedCost,lineItem/CurrencyCode
            2023-11-01T00:00:00Z,1,Usage,AWSGlue,\(written),USD

            """
        let (lines, _) = try readLines(text)
        #expect(lines[0].actualCost.description == expected)
    }

    @Test(arguments: [
        ("2023-11-01T00:00:00Z", 2023, 11), ("2023-11-01T00:00:00.000Z", 2023, 11),
        ("2022-07-01 00:00:00.000", 2022, 7), ("2024-09-01 00:00:00", 2024, 9), ("2025-01-01", 2025, 1),
        ("2025-12", 2025, 12),
    ])
    func billingPeriodIsTheYearAndMonthOfTheStart(written: String, year: Int, month: Int) throws {
        var table = Table.cur()
        table.add(["bill/BillingPeriodStartDate": written])
        let (lines, summary) = try readLines(table.text)
        #expect(lines[0].period == BillingPeriod(year: year, month: month))
        #expect(summary.periods == [BillingPeriod(year: year, month: month)!])
    }

    @Test(arguments: ["11/01/2023", "2023-13-01T00:00:00Z", "2023-1-01", "2023-111", "2023", "NOV-2023"])
    func anUnreadableBillingPeriodIsAnError(written: String) throws {
        var table = Table.cur()
        table.add()
        table.add(["bill/BillingPeriodStartDate": written])
        let error = usageError { () throws(UsageError) in try readLines(table.text, name: "p.csv") }
        #expect(error?.code == .invalidPeriod)
        #expect(error?.file == "p.csv")
        #expect(error?.row == 3)
        #expect(error?.column == UsageError.Column(index: 4, name: "bill/BillingPeriodStartDate"))
    }

    @Test func resourceIDsAreReadOnlyWhenAskedFor() throws {
        var table = Table.cur()
        table.add(["lineItem/ResourceId": "i-0abc"])
        table.add()
        #expect(try readLines(table.text).lines.map(\.resourceID) == [nil, nil])
        let (lines, _) = try readLines(table.text, options: .init(readsResourceIDs: true))
        #expect(lines.map(\.resourceID) == ["i-0abc", ""])
    }

    @Test func quotedTextWithDoubledQuotesIsUndone() throws {
        var table = Table.cur()
        table.add(["lineItem/UsageType": "Weird\"Type, with comma", "lineItem/Operation": "Op\"1"])
        table.add(["lineItem/UsageType": "Weird\"Type, with comma", "lineItem/CurrencyCode": "E\"UR"])
        let (lines, summary) = try readLines(table.text)
        #expect(summary.currencies == ["E\"UR", "USD"])
        #expect(lines.map(\.usageType) == ["Weird\"Type, with comma", "Weird\"Type, with comma"])
        #expect(lines[0].operation == "Op\"1")
    }

    @Test func rowNumbersCountTheLinesOfMultiLineFields() throws {
        var table = Table.cur()
        table.add(["lineItem/LineItemDescription": "first\nsecond\nthird"])
        table.add(["lineItem/UnblendedCost": "oops"])
        let error = usageError { () throws(UsageError) in try readLines(table.text) }
        #expect(error?.code == .invalidNumber)
        #expect(error?.row == 5)
    }

    @Test func manyDistinctValuesComeBackIntact() throws {
        // Cycles through more distinct values than the intern tables start with, in an order that defeats the
        // one-entry cache, and with lengths across the 8-byte steps of the hash.
        var table = Table.cur()
        let usageTypes = (0..<300).map { "Usage" + String(repeating: "x", count: $0 % 23) + "-\($0)" }
        let accounts = (0..<70).map { String(100_000_000_000 + $0 * 7919) }
        // Pairs that differ in their last byte only, at every length up to 20.
        let operations = (0...20).flatMap { length in
            ["A", "B"].map { String(repeating: "k", count: length) + $0 }
        }
        // Same length, differing inside the first and the second 8 bytes, one after the other.
        let products = ["aXcdefghijklmnopq", "aYcdefghijklmnopq", "abcdefghiXklmnopq", "abcdefghiYklmnopq"]
        for i in 0..<3000 {
            table.add([
                "lineItem/ProductCode": products[i % products.count],
                "lineItem/UsageType": usageTypes[(i * 7) % usageTypes.count],
                "lineItem/UsageAccountId": accounts[(i * 13) % accounts.count],
                "lineItem/Operation": operations[(i * 5) % operations.count],
                "lineItem/UnblendedCost": "\(i).25",
            ])
        }
        let (lines, summary) = try readLines(table.text, options: .init(chunkSize: 4096, readAhead: false))
        #expect(summary.rowsRead == 3000)
        for (i, line) in lines.enumerated() {
            #expect(line.usageType == usageTypes[(i * 7) % usageTypes.count])
            #expect(line.usageAccountID == accounts[(i * 13) % accounts.count])
            #expect(line.operation == operations[(i * 5) % operations.count])
            #expect(line.serviceCode == products[i % products.count])
            #expect(line.actualCost == ExactDecimal("\(i).25"))
        }
    }

    // MARK: Field counts

    @Test func rowsMayLackTrailingColumnsTheReaderDoesNotUse() throws {
        var table = Table.cur()
        table.add()
        table.add()
        // Drop the last field (product/region, unused) from every row, as a real export does.
        let lines = table.text.split(separator: "\n").enumerated().map { i, line in
            i == 0 ? String(line) : String(line[..<line.lastIndex(of: ",")!])
        }
        let (read, summary) = try readLines(lines.joined(separator: "\n") + "\n")
        #expect(read.count == 2)
        #expect(summary.rowsRead == 2)
    }

    @Test func aRowLackingAUsedColumnIsAnErrorNamingIt() throws {
        var table = Table.cur()
        table.add()
        var text = table.text
        // A row cut after the currency: it lacks lineItem/UnblendedCost (column 13) and what follows.
        text += "id,AWS,999999999999,2025-03-01T00:00:00Z,111111111111,Usage,AmazonEC2,BoxUsage,Run,,1,USD\n"
        let error = usageError { () throws(UsageError) in try readLines(text, name: "short.csv") }
        #expect(error?.code == .tooFewFields)
        #expect(error?.row == 3)
        #expect(error?.column == UsageError.Column(index: 13, name: "lineItem/UnblendedCost"))
        #expect(error?.description.hasPrefix("short.csv:3:13 (lineItem/UnblendedCost): ") == true)
    }

    @Test func aRowWithMoreFieldsThanTheHeaderIsAnError() throws {
        var table = Table.cur()
        table.add()
        var text = table.text
        text += text.split(separator: "\n")[1] + ",extra\n"
        let error = usageError { () throws(UsageError) in try readLines(text, name: "long.csv") }
        #expect(error?.code == .tooManyFields)
        #expect(error?.row == 3)
        #expect(error?.column == UsageError.Column(index: 19, name: nil))
        #expect(error?.isRowError == true)
    }

    // MARK: Bad values

    @Test(arguments: [
        ("lineItem/UnblendedCost", 13), ("pricing/publicOnDemandCost", 15), ("lineItem/UsageAmount", 11),
    ])
    func aBadNumberIsAnErrorNamingRowAndColumn(column: String, index: Int) throws {
        var table = Table.cur()
        table.add()
        table.add()
        table.add([column: "12,5"])
        let error = usageError { () throws(UsageError) in try readLines(table.text, name: "cur.csv") }
        #expect(error?.code == .invalidNumber)
        #expect(error?.row == 4)
        #expect(error?.column == UsageError.Column(index: index, name: column))
        #expect(error?.location == "cur.csv:4:\(index) (\(column))")
        #expect(error?.message.contains("12,5") == true)
        #expect(error?.hint != nil)
    }

    @Test(arguments: [
        ("lineItem/UnblendedCost", 13), ("lineItem/CurrencyCode", 12), ("lineItem/LineItemType", 6),
        ("bill/BillingPeriodStartDate", 4),
    ])
    func aRequiredValueMustNotBeEmpty(column: String, index: Int) throws {
        for empty in ["", "NULL"] {
            var table = Table.cur()
            table.add([column: empty])
            let error = usageError { () throws(UsageError) in try readLines(table.text) }
            #expect(error?.code == .emptyValue)
            #expect(error?.row == 2)
            #expect(error?.column?.index == index)
        }
    }

    // MARK: Headers

    @Test(arguments: [
        ("lineItem/CurrencyCode", "lineItem/CurrencyCode"), ("lineItem/UnblendedCost", "lineItem/UnblendedCost"),
        ("lineItem/ProductCode", "lineItem/ProductCode"), ("lineItem/UsageAccountId", "lineItem/UsageAccountId"),
    ])
    func aMissingUsedColumnIsAnError(dropped: String, named: String) throws {
        var table = Table.cur()
        table.add()
        let index = table.header.firstIndex(of: dropped)!
        table.header.remove(at: index)
        table.rows = table.rows.map { row in
            var row = row
            row.remove(at: index)
            return row
        }
        let error = usageError { () throws(UsageError) in try readLines(table.text, name: "cur.csv") }
        #expect(error?.code == .missingColumn)
        #expect(error?.file == "cur.csv")
        #expect(error?.row == nil)
        #expect(error?.message.contains(named) == true)
    }

    @Test func optionalColumnsMayBeAbsent() throws {
        let text = """
            bill/BillingPeriodStartDate,lineItem/UsageAccountId,lineItem/LineItemType,lineItem/ProductCode,\
            lineItem/UnblendedCost,lineItem/CurrencyCode
            2023-11-01T00:00:00Z,1,Usage,AWSGlue,0.44,USD

            """
        let (lines, summary) = try readLines(text)
        #expect(lines[0].publicOnDemandCost == nil)
        #expect(lines[0].usageAmount == nil)
        #expect(lines[0].payerAccountID == nil)
        #expect(lines[0].billingEntity == "AWS")
        #expect(lines[0].usageType == "")
        #expect(
            summary.absentFields == [
                .payerAccount, .usageType, .operation, .billingEntity, .publicOnDemandCost, .usageAmount,
                .reservationARN, .savingsPlanARN, .resourceID,
            ])
    }

    @Test func aCSVOfSomethingElseIsNotAUsageFile() throws {
        let error = usageError { () throws(UsageError) in
            try readLines("product_code,ServiceCategory\nAmazonEC2,Compute\n", name: "mapping.csv")
        }
        #expect(error?.code == .notUsageFile)
        #expect(
            error?.description
                == "mapping.csv: not a usage file: the header has none of the columns of CUR, CUR 2.0 or FOCUS")
        #expect(error?.hint?.contains("lineItem/UnblendedCost") == true)
        #expect(error?.hint?.contains("line_item_unblended_cost") == true)
        #expect(error?.hint?.contains("BilledCost") == true)
        #expect(error?.hint?.contains("product_code, ServiceCategory") == true)
    }

    @Test func theMappingSampleIsNotAUsageFile() throws {
        let path = Samples.path("aws_productcode_to_focus_servicecategory_focus_converters.csv")
        let error = usageError { () throws(UsageError) in try UsageReader(path: path) }
        #expect(error?.code == .notUsageFile)
        #expect(error?.file == path)
        #expect(error?.row == nil)
    }

    @Test func anEmptyFileHasNoHeader() throws {
        for text in ["", "\n\n"] {
            let error = usageError { () throws(UsageError) in try readLines(text, name: "empty.csv") }
            #expect(error?.code == .emptyFile)
        }
    }

    @Test func aHeaderWithoutRowsReadsNothing() throws {
        let (lines, summary) = try readLines(Table.cur().text)
        #expect(lines.isEmpty)
        #expect(summary.rowsRead == 0)
        #expect(summary.currencies.isEmpty)
        #expect(summary.periods.isEmpty)
    }

    // MARK: Skipping invalid rows

    @Test(arguments: [false, true])
    func invalidRowsAreCountedAndSkippedWhenAsked(readAhead: Bool) throws {
        var table = Table.cur()
        table.add(["lineItem/CurrencyCode": "USD"])
        table.add(["lineItem/UnblendedCost": "x", "lineItem/CurrencyCode": "EUR"])
        table.add(["bill/BillingPeriodStartDate": "someday", "lineItem/CurrencyCode": "EUR"])
        table.add(["bill/BillingPeriodStartDate": "2025-04-01T00:00:00Z"])
        table.add(["pricing/publicOnDemandCost": "1..2"])
        var text = table.text
        text += "id,\"a\"b,c\n"  // text after a closing quote, and too few fields
        let options = UsageReadOptions(skipInvalidRows: true, maxSkippedExamples: 2, readAhead: readAhead)
        let (lines, summary) = try readLines(text, name: "cur.csv", options: options)
        #expect(lines.map(\.row) == [2, 5])
        #expect(summary.rowsRead == 2)
        #expect(summary.rowsSkipped == 4)
        #expect(summary.skippedExamples.map(\.row) == [3, 4])
        let all = try readLines(text, options: .init(skipInvalidRows: true, readAhead: readAhead)).summary
        #expect(all.skippedExamples.map(\.row) == [3, 4, 6, 7])
        // The CSV layer's error gets the header name too.
        #expect(all.skippedExamples.last?.code == .malformedCSV)
        #expect(all.skippedExamples.last?.column == UsageError.Column(index: 2, name: "bill/BillingEntity"))
        #expect(summary.skippedExamples.map(\.code) == [.invalidNumber, .invalidPeriod])
        // Nothing of a skipped row is kept.
        #expect(summary.currencies == ["USD"])
        #expect(summary.periods == [BillingPeriod(year: 2025, month: 3)!, BillingPeriod(year: 2025, month: 4)!])
        #expect(
            summary.skippedRowsNote
                == "skipped 4 invalid rows (first: cur.csv:3:13 (lineItem/UnblendedCost): \u{201C}x\u{201D} is not a number;"
                + " also cur.csv:4 and 2 more)")
        #expect(
            all.skippedRowsNote
                == "skipped 4 invalid rows (first: test.csv:3:13 (lineItem/UnblendedCost): \u{201C}x\u{201D} is not a number;"
                + " also test.csv:4, test.csv:6, test.csv:7)")

        let error = usageError { () throws(UsageError) in try readLines(text, name: "cur.csv") }
        #expect(error?.row == 3)
    }

    @Test func fileErrorsStopTheReadingEvenWhenSkipping() throws {
        var table = Table.cur()
        table.add()
        let text = table.text + "id,\"never closed\n"
        let error = usageError { () throws(UsageError) in
            try readLines(text, options: .init(skipInvalidRows: true))
        }
        #expect(error?.code == .malformedCSV)
        #expect(error?.row == 3)
    }

    // MARK: Files

    @Test func readsAGzipFileByPathAndSummarises() throws {
        var table = Table.cur()
        for month in [2, 1, 2] {
            table.add(["bill/BillingPeriodStartDate": "2025-0\(month)-01T00:00:00Z"])
        }
        table.add(["lineItem/CurrencyCode": "EUR"])
        let bytes = Array(table.text.utf8)
        let path = try Scratch.file("usage.csv.gz", bytes: try Scratch.gzip(bytes))
        defer { Scratch.remove(path) }
        var lines: [UsageLine] = []
        let summary = try UsageReader.read(path: path, options: .init(chunkSize: 64)) { lines.append($0) }
        #expect(summary.isCompressed)
        #expect(summary.file == path)
        #expect(summary.rowsRead == 4)
        #expect(summary.bytesRead == bytes.count)
        #expect(summary.currencies == ["EUR", "USD"])
        #expect(
            summary.periods == [
                BillingPeriod(year: 2025, month: 1)!, BillingPeriod(year: 2025, month: 2)!,
                BillingPeriod(year: 2025, month: 3)!,
            ])
        #expect(summary.header == table.header)
        #expect(lines.map(\.row) == [2, 3, 4, 5])
    }

    @Test func aDisplayNameStandsForThePathInErrors() throws {
        var table = Table.cur()
        table.add(["lineItem/UnblendedCost": "abc"])
        let path = try Scratch.file("u.csv", table.text)
        defer { Scratch.remove(path) }
        let error = usageError { () throws(UsageError) in
            let reader = try UsageReader(path: path, name: "usage/2025-03.csv")
            while try reader.next() != nil {}
        }
        #expect(error?.file == "usage/2025-03.csv")
    }
}

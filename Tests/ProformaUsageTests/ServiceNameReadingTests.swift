import Foundation
import ProformaCore
import ProformaTestSupport
import ProformaUsage
import Testing

/// The product name of each service code, read once per code (the first row of the code that names it).
@Suite struct ServiceNameReadingTests {
    @Test func legacyCURNamesProductsByProductName() throws {
        let text = #"""
            bill/BillingPeriodStartDate,lineItem/UsageAccountId,lineItem/LineItemType,lineItem/ProductCode,product/ProductName,lineItem/UnblendedCost,lineItem/CurrencyCode
            2026-10-01T00:00:00Z,111111111111,Usage,awskms,AWS Key Management Service,1,USD
            2026-10-01T00:00:00Z,111111111111,Usage,5lmg2ks8h1d0fg0q4vqhcgm0s,"Acme Threat Detector, ""Enterprise""",2,USD
            2026-10-01T00:00:00Z,111111111111,Usage,awskms,A later name is not taken,3,USD
            2026-10-01T00:00:00Z,111111111111,Tax,AWSQueueService,,4,USD
            2026-10-01T00:00:00Z,111111111111,Usage,AmazonS3,NULL,5,USD

            """#
        let (lines, summary) = try readLines(text)
        #expect(lines.count == 5)
        #expect(
            summary.serviceNames == [
                "awskms": "AWS Key Management Service",
                "5lmg2ks8h1d0fg0q4vqhcgm0s": "Acme Threat Detector, \"Enterprise\"",
            ])
        // The lines themselves carry the code only.
        #expect(
            lines.map(\.serviceCode) == [
                "awskms", "5lmg2ks8h1d0fg0q4vqhcgm0s", "awskms", "AWSQueueService", "AmazonS3",
            ])
        // Codes the data does not name fall back to the catalogue.
        let names = ServiceNames(fromData: summary.serviceNames)
        #expect(names.name(for: "AWSQueueService") == "Amazon Simple Queue Service")
        #expect(names.name(for: "5lmg2ks8h1d0fg0q4vqhcgm0s") == "Acme Threat Detector, \"Enterprise\"")
    }

    @Test func cur2AndFocusNameProductsToo() throws {
        let cur2 = """
            bill_billing_period_start_date,line_item_usage_account_id,line_item_line_item_type,line_item_product_code,PRODUCT_PRODUCT_NAME,line_item_unblended_cost,line_item_currency_code
            2026-10-01 00:00:00.000,111111111111,Usage,AmazonEC2,Amazon Elastic Compute Cloud,1,USD

            """
        #expect(try readLines(cur2).summary.serviceNames == ["AmazonEC2": "Amazon Elastic Compute Cloud"])
        let focus = """
            "BilledCost","BillingCurrency","BillingPeriodStart","ChargeCategory","ServiceName","x_ServiceCode","SubAccountId"
            0.5,"USD","2026-10-01 00:00:00","Usage","Amazon Route 53","AmazonRoute53","111111111111"
            0.5,"USD","2026-10-01 00:00:00","Usage","Amazon Simple Queue Service",NULL,"111111111111"

            """
        let (lines, summary) = try readLines(focus)
        #expect(lines.map(\.serviceCode) == ["AmazonRoute53", "Amazon Simple Queue Service"])
        #expect(
            summary.serviceNames == [
                "AmazonRoute53": "Amazon Route 53", "Amazon Simple Queue Service": "Amazon Simple Queue Service",
            ])
    }

    @Test func aFileWithoutNamesHasNone() throws {
        let text = """
            bill/BillingPeriodStartDate,lineItem/UsageAccountId,lineItem/LineItemType,lineItem/ProductCode,lineItem/UnblendedCost,lineItem/CurrencyCode
            2026-10-01T00:00:00Z,111111111111,Usage,awskms,1,USD

            """
        #expect(try readLines(text).summary.serviceNames.isEmpty)
    }

    @Test func aScanTakesTheFirstFilesName() throws {
        let header =
            "bill/BillingPeriodStartDate,lineItem/UsageAccountId,lineItem/LineItemType,lineItem/ProductCode,product/ProductName,lineItem/UnblendedCost,lineItem/CurrencyCode\n"
        let first = header + "2026-10-01T00:00:00Z,111111111111,Usage,awskms,KMS from the first file,1,USD\n"
        let second =
            header + "2026-10-01T00:00:00Z,111111111111,Usage,awskms,KMS from the second,1,USD\n"
            + "2026-10-01T00:00:00Z,111111111111,Usage,AmazonS3,S3 from the second,1,USD\n"
        let scan = UsageScan(inputs: [
            UsageInput(bytes: Array(first.utf8), name: "a.csv"), UsageInput(bytes: Array(second.utf8), name: "b.csv"),
        ])
        let summary = try scan.forEach(progress: nil) { _, _ in }
        #expect(summary.serviceNames == ["awskms": "KMS from the first file", "AmazonS3": "S3 from the second"])
    }

    @Test func theRealLegacySampleNamesItsProducts() throws {
        let file = TestSupport.packageRoot.appendingPathComponent(
            "Tests/Fixtures/samples/aws_cur_legacy_anonymized_2023-11_focus_converters.csv")
        guard FileManager.default.fileExists(atPath: file.path) else {
            Issue.record("missing fixture \(file.path)")
            return
        }
        let summary = try UsageReader.read(path: file.path) { _ in }
        // 14 product codes, each with its product name; every one agrees with the catalogue.
        #expect(summary.serviceNames.count == 14)
        #expect(summary.serviceNames["awskms"] == "AWS Key Management Service")
        #expect(summary.serviceNames["AmazonStates"] == "AWS Step Functions")
        for (code, name) in summary.serviceNames {
            #expect(AWSServiceCatalogue.service(code)?.name == name, "\(code)")
        }
    }
}

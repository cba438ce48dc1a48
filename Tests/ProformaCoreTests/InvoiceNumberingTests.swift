import ProformaCore
import Testing

@Suite struct InvoiceNumberingTests {
    static let october = BillingPeriod(year: 2026, month: 10)!

    @Test func placeholdersAreFilledIn() throws {
        let pattern = try InvoiceNumberPattern("INV/{yyyy}-{mm}/{group}#{seq}.{period}")
        #expect(pattern.number(group: "retail", period: Self.october, sequence: 7) == "INV/2026-10/retail#007.2026-10")
        #expect(pattern.number(group: "retail", period: Self.october, sequence: 1234).hasSuffix("#1234.2026-10"))
    }

    @Test func theHashIsStableAndTellsGroupsAndPeriodsApart() throws {
        let pattern = try InvoiceNumberPattern("{hash}")
        let a = pattern.number(group: "retail", period: Self.october, sequence: 1)
        // The hash does not depend on the sequence, so on nothing else in the configuration.
        #expect(a == pattern.number(group: "retail", period: Self.october, sequence: 99))
        #expect(a.count == 8)
        #expect(a.allSatisfy { $0.isHexDigit && ($0.isNumber || $0.isUppercase) })
        #expect(a != pattern.number(group: "retail", period: Self.october.next, sequence: 1))
        #expect(a != pattern.number(group: "wholesale", period: Self.october, sequence: 1))
        // SHA-256 of "retail\n2026-10", first 8 hex digits, as `printf 'retail\n2026-10' | sha256sum` gives them.
        var hasher = SHA256()
        hasher.update("retail\n2026-10")
        #expect(a == String(hasher.finalizeHex().prefix(8)).uppercased())
    }

    @Test func theStandardPatternIsTheDefaultRead() throws {
        let read = try InvoiceNumberPattern(InvoiceNumberPattern.defaultPattern)
        #expect(read == InvoiceNumberPattern.standard)
        #expect(
            InvoiceNumberPattern.standard.number(group: "retail", period: Self.october, sequence: 3)
                == "PF-202610-" + InvoiceNumberPattern.hash(group: "retail", period: Self.october))
    }

    @Test(arguments: [
        ("INV-{yyyy}-{group}", "does not tell periods apart", 0),
        ("INV-{period}", "does not tell billing groups apart", 0),
        ("INV-{grp}-{period}", "unknown placeholder \"{grp}\"", 4),
        ("INV-{group-{period}", "unknown placeholder", 4),
        ("INV-{group}-{period", "\"{\" is not closed", 12),
        ("INV}-{group}-{period}", "\"}\" without \"{\"", 3),
        ("INV {group} {period}", "\" \" cannot be part of an invoice number", 3),
        ("Rechnung-ü-{group}-{period}", "\"ü\" cannot be part", 9),
    ])
    func badPatternsAreRefusedWithWhereAndWhy(pattern: String, message: String, offset: Int) {
        #expect {
            try InvoiceNumberPattern(pattern)
        } throws: { error in
            guard let problem = error as? InvoiceNumberPattern.Problem else { return false }
            return problem.message.contains(message) && problem.offset == offset
        }
    }

    @Test func datesCountDaysAcrossMonthsYearsAndLeapDays() throws {
        let date = try #require(CalendarDate("2026-11-01"))
        #expect(date.adding(days: 30)?.description == "2026-12-01")
        #expect(date.adding(days: 61)?.description == "2027-01-01")
        #expect(CalendarDate("2028-02-28")?.adding(days: 1)?.description == "2028-02-29")
        #expect(CalendarDate("2100-02-28")?.adding(days: 1)?.description == "2100-03-01")
        #expect(CalendarDate("2000-02-28")?.adding(days: 1)?.description == "2000-02-29")
        #expect(CalendarDate("1970-01-01")?.dayNumber == 0)
        #expect(CalendarDate("2026-12-06")?.dayNumber == 20_793)
        #expect(CalendarDate(lastDayOf: BillingPeriod(year: 2028, month: 2)!).description == "2028-02-29")
        #expect(CalendarDate(firstDayOf: Self.october).description == "2026-10-01")
        // Every day of four years round-trips through its day number.
        let start = try #require(CalendarDate("2027-01-01")).dayNumber
        for number in start..<(start + 4 * 366) {
            let day = try #require(CalendarDate(dayNumber: number))
            #expect(day.dayNumber == number)
            #expect(CalendarDate(day.description) == day)
        }
    }

    @Test(arguments: ["2026-02-29", "2026-13-01", "2026-00-10", "2026-1-1", "26-01-01", "2026-01-32", "2026/01/01", ""])
    func invalidDatesAreRefused(text: String) {
        #expect(CalendarDate(text) == nil)
    }

    @Test func servicesAreNamedByTheDataThenTheCatalogue() {
        var names = ServiceNames(fromData: [
            "AmazonEC2": "Amazon EC2 (as the data says)", "5lmg2ks8h1d0fg0q4vqhcgm0s": "Acme Threat Detector",
            "empty": "",
        ])
        #expect(names.name(for: "AmazonEC2") == "Amazon EC2 (as the data says)")
        #expect(names.name(for: "5lmg2ks8h1d0fg0q4vqhcgm0s") == "Acme Threat Detector")
        #expect(names.name(for: "awskms") == "AWS Key Management Service")
        #expect(names.name(for: "AWSQueueService") == "Amazon Simple Queue Service")
        #expect(names.name(for: "NotAService") == "NotAService")
        #expect(names.name(for: "empty") == "empty")
        #expect(!names.hasName(for: "NotAService"))
        names.merge(ServiceNames(fromData: ["AmazonEC2": "other", "AmazonS3": "S3 from another file"]))
        #expect(names.name(for: "AmazonEC2") == "Amazon EC2 (as the data says)")
        #expect(names.name(for: "AmazonS3") == "S3 from another file")
        #expect(ServiceNames.catalogue.name(for: "AmazonS3") == "Amazon Simple Storage Service")
    }
}

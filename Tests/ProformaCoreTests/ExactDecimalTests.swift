import ProformaCore
import Testing

@Suite struct ExactDecimalTests {
    @Test(arguments: [
        ("0", "0"), ("1.50", "1.50"), ("-0.001", "-0.001"), ("4.0E-7", "0.00000040"), ("1e3", "1000"),
        ("+2.5", "2.5"), (".5", "0.5"), ("5.", "5"), ("1.25E+2", "125"),
    ])
    func parsesExactly(text: String, expected: String) throws {
        let value = try #require(ExactDecimal(text))
        #expect(value.description == expected)
    }

    @Test(arguments: ["", "-", ".", "1.2.3", "1e", "abc", "1,5", "0x10", "1e99999", "12345678901234567890123456789012345"])
    func rejectsNonDecimals(text: String) {
        #expect(ExactDecimal(text) == nil)
    }

    @Test func equalityIgnoresTrailingZeros() throws {
        let a = try #require(ExactDecimal("1.5"))
        let b = try #require(ExactDecimal("1.500"))
        #expect(a == b)
        #expect(Set([a, b]).count == 1)
        #expect(a.description != b.description)
    }

    @Test func arithmeticIsExact() throws {
        let a = try #require(ExactDecimal("0.1"))
        let b = try #require(ExactDecimal("0.2"))
        #expect((a + b) == ExactDecimal("0.3"))
        #expect((a * b).description == "0.02")
        #expect((a - b).description == "-0.1")
    }

    @Test(arguments: [
        ("2.5", RoundingMode.halfEven, "2"), ("3.5", .halfEven, "4"), ("-2.5", .halfEven, "-2"),
        ("2.5", .halfUp, "3"), ("-2.5", .halfUp, "-3"), ("2.49", .halfUp, "2"), ("2.99", .down, "2"),
        ("-2.99", .down, "-2"),
    ])
    func roundsToInteger(text: String, mode: RoundingMode, expected: String) throws {
        let value = try #require(ExactDecimal(text))
        #expect(value.rounded(scale: 0, mode).description == expected)
    }

    @Test func dividesWithRounding() throws {
        let one = ExactDecimal(1)
        let three = ExactDecimal(3)
        #expect(one.divided(by: three, scale: 4)?.description == "0.3333")
        #expect(ExactDecimal(2).divided(by: three, scale: 4)?.description == "0.6667")
        #expect(one.divided(by: .zero, scale: 4) == nil)
    }

    @Test func contractWorkedExample() throws {
        // billing-semantics.md §4: $100 with SKU DISCOUNT 5 → 95.00; with GLOBAL MARKUP 10 → 110.00.
        let base = ExactDecimal(100)
        let discount = base * (ExactDecimal.one - ExactDecimal(5).divided(by: .hundred, scale: 4)!)
        let markup = base * (ExactDecimal.one + ExactDecimal(10).divided(by: .hundred, scale: 4)!)
        #expect(discount.formatted(places: 2) == "95.00")
        #expect(markup.formatted(places: 2) == "110.00")
    }
}

@Suite struct BillingPeriodTests {
    @Test func parsesAndNormalises() {
        #expect(BillingPeriod("2026-10")?.description == "2026-10")
        #expect(BillingPeriod("2026-3")?.description == "2026-03")
        #expect(BillingPeriod("2026-13") == nil)
        #expect(BillingPeriod("26-01") == nil)
        #expect(BillingPeriod("2026-00") == nil)
        #expect(BillingPeriod("2026/01") == nil)
        #expect(BillingPeriod("2026-12")?.next.description == "2027-01")
        #expect(BillingPeriod("2026-01")?.previous.description == "2025-12")
    }
}

@Suite struct SHA256Tests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        ),
    ])
    func knownVectors(input: String, digest: String) {
        #expect(SHA256.hex(input) == digest)
    }

    @Test func millionAs() {
        var hasher = SHA256()
        hasher.update([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000))
        #expect(hasher.finalizeHex() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }
}

@Suite struct RangeTests {
    @Test func fits() throws {
        #expect(ExactDecimal("999999999999999.5")!.fits(integerDigits: 15, fractionDigits: 12))
        #expect(!ExactDecimal("1000000000000000")!.fits(integerDigits: 15, fractionDigits: 12))
        #expect(!ExactDecimal("-1e20")!.fits(integerDigits: 15, fractionDigits: 12))
        #expect(ExactDecimal("4.0E-7")!.fits(integerDigits: 15, fractionDigits: 12))
        #expect(ExactDecimal("0.1200000000000000")!.fits(integerDigits: 15, fractionDigits: 12))
        #expect(!ExactDecimal("1E-13")!.fits(integerDigits: 15, fractionDigits: 12))
    }
}

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

/// Operations that must not trap whatever the values: comparisons across scales, division and rounded products at
/// double width, rescaling that reports overflow.
@Suite struct WideArithmeticTests {
    static func d(_ text: String) -> ExactDecimal { ExactDecimal(text)! }

    @Test func comparisonAcrossFarApartScalesCannotOverflow() {
        let huge = Self.d("1000000000000000000000000000000")  // 10^30 at scale 0
        let fine = Self.d("0.0000000001")  // scale 10: 10^30 at scale 10 does not fit
        #expect(fine < huge)
        #expect(-huge < fine)
        #expect(-huge < -fine)
        #expect(huge > -fine)
        #expect(huge != fine)
        #expect(Self.d("99999999999999999999999999999999.99") > Self.d("0.000000000000000000000000000000000001"))
    }

    @Test func rescalingReportsOverflow() {
        #expect(Self.d("1.5").rescaledReportingOverflow(to: 3) == Self.d("1.500"))
        #expect(Self.d("1.5").rescaledReportingOverflow(to: 3)?.scale == 3)
        #expect(Self.d("1000000000000000000000000000000").rescaledReportingOverflow(to: 10) == nil)
        #expect(Self.d("1.5").rescaledReportingOverflow(to: 0) == nil)
    }

    @Test(arguments: [
        ("123.456", "7.89", 2, RoundingMode.halfEven, "974.07"),  // 974.06784
        ("-0.125", "1", 2, .halfEven, "-0.12"), ("-0.125", "1", 2, .halfUp, "-0.13"), ("0.125", "1", 2, .down, "0.12"),
        ("2.5", "3", 5, .halfEven, "7.5"),
        // 20 decimals × 4 decimals: 38 significant digits of product, beyond a single-width product.
        ("999999999.12345678901234567891", "99.999999", 10, .halfEven, "99999998912.3456797778"),
    ])
    func roundedProducts(a: String, b: String, scale: Int, mode: RoundingMode, expected: String) {
        #expect(Self.d(a).multiplied(by: Self.d(b), scale: scale, mode) == Self.d(expected))
    }

    @Test func productsBeyondTheRangeAreNil() {
        let big = Self.d("999999999999999999999999999999999")  // 33 digits
        #expect(big.multiplied(by: big, scale: 0) == nil)
        #expect(big.multiplied(by: Self.d("0.5"), scale: 1) == Self.d("499999999999999999999999999999999.5"))
    }

    @Test func divisionAtDoubleWidth() {
        // (2·10^17 × 100 at 10 places) / 3·10^17: the shifted dividend exceeds a single-width significand.
        let margin = Self.d("200000000000000000.0000000000") * .hundred
        let cost = Self.d("300000000000000000.0000000000")
        #expect(margin.divided(by: cost, scale: 10) == Self.d("66.6666666667"))
        #expect(Self.d("-1").divided(by: Self.d("3"), scale: 2, .halfUp) == Self.d("-0.33"))
        #expect(Self.d("-2").divided(by: Self.d("3"), scale: 2, .halfUp) == Self.d("-0.67"))
        #expect(Self.d("1").divided(by: Self.d("0.000000000000000000000000000000000001"), scale: 36) == nil)
        #expect(Self.d("1").divided(by: Self.d("3"), scale: 40) == nil)
        #expect(Self.d("1").divided(by: .zero, scale: 2) == nil)
    }
}

import Foundation
import ProformaCore
import ProformaTestSupport
import ProformaUsage
import Testing

/// `--usage-scale` and `--max-credit-percent`: a small file that holds a realistic month.
@Suite struct UsageGeneratorScaleTests {
    static func key(_ line: UsageLine) -> String { "\(line.usageAccountID) \(line.period)" }

    @Test func scaledUsageAndHeldCredits() throws {
        let arguments = ["--format", "cur", "--rows", "6000", "--seed", "5", "--period", "2026-09,2026-10"]
        let plain = try UsageGeneratorTests.generate("plain.csv", arguments)
        defer { plain.remove() }
        let scaled = try UsageGeneratorTests.generate(
            "scaled.csv", arguments + ["--usage-scale", "40", "--max-credit-percent", "5"])
        defer { scaled.remove() }
        let before = try UsageGeneratorTests.read(plain.path).lines
        let after = try UsageGeneratorTests.read(scaled.path).lines
        #expect(before.count == after.count)

        // The same rows (accounts, services, types), metered usage forty times the quantity and cost.
        var usage: [String: ExactDecimal] = [:]
        var credits: [String: ExactDecimal] = [:]
        var creditLines: [String: Int] = [:]
        var scaledLines = 0
        for (a, b) in zip(before, after) {
            #expect(a.usageAccountID == b.usageAccountID && a.serviceCode == b.serviceCode)
            #expect(a.lineItemType == b.lineItemType && a.usageType == b.usageType)
            if b.lineItemType == .usage, let amount = a.usageAmount, amount > .zero {
                #expect(b.usageAmount == amount * ExactDecimal(40))
                scaledLines += 1
            }
            if b.lineItemType == .usage { usage[Self.key(b), default: .zero] += b.actualCost }
            if b.lineItemType == .credit || b.lineItemType == .refund {
                #expect(b.actualCost < .zero)
                #expect(b.actualCost.magnitude <= a.actualCost.magnitude)
                credits[Self.key(b), default: .zero] += b.actualCost.magnitude
                creditLines[Self.key(b), default: 0] += 1
            }
        }
        #expect(scaledLines > 1000)
        #expect(!credits.isEmpty)
        // Each account's credits in a period stay within 5 % of its usage (each credit is at least 0.01).
        for (key, total) in credits {
            let allowed =
                (usage[key] ?? .zero) * ExactDecimal("0.05")!
                + ExactDecimal(creditLines[key] ?? 0) * ExactDecimal("0.01")!
            #expect(total <= allowed, "\(key): \(total) > \(allowed)")
        }
    }

    @Test(arguments: [["--usage-scale", "0"], ["--usage-scale", "1001"], ["--max-credit-percent", "101"]])
    func outOfRangeOptionsAreRefused(_ option: [String]) throws {
        let binary = try #require(UsageGeneratorTests.binary)
        let result = try TestSupport.run(
            binary, ["usage", "--format", "cur", "--rows", "1", "-o", "/dev/null"] + option)
        #expect(result.status == 64)
        #expect(result.stderr.contains(option[0]))
    }
}

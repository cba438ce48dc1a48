import ProformaCore
import ProformaUsage

/// Equal usage lines counted once: lines equal in every value the pricing engine reads (period, accounts, line item
/// type, charge category, service, usage type, operation, billing entity, currency, commitment owner, and the exact
/// public and actual costs, written the same) are one `DigestLine` with their count and the sum of their
/// quantities. Pricing a digest line `count` times gives every figure of pricing each line (§7 rounds each line's
/// amount before it is summed, so lines of different costs are never merged).
public struct DigestLine: Sendable, Hashable {
    /// The first of the lines, with the sum of the quantities as its usage amount (nil when none had one).
    public var line: UsageLine
    /// The input the first line was read from (an index into the digest's sources).
    public var input: Int
    /// How many lines.
    public var count: Int
    /// The sum of the quantities' magnitudes.
    public var quantityMagnitude: ExactDecimal

    public init(line: UsageLine, input: Int, count: Int, quantityMagnitude: ExactDecimal) {
        self.line = line
        self.input = input
        self.count = count
        self.quantityMagnitude = quantityMagnitude
    }
}

/// Collects usage lines into digest lines, in the order of their first line.
public struct UsageAggregator {
    /// An exact decimal as written: `1.5` and `1.50` are told apart, so sums keep the data's scale.
    struct Written: Hashable {
        var significand: Int128
        var scale: Int

        init(_ value: ExactDecimal) {
            significand = value.significand
            scale = value.scale
        }
    }

    struct Key: Hashable {
        var period: BillingPeriod
        var usageAccountID: String
        var payerAccountID: String?
        var lineItemType: LineItemType
        var chargeCategory: String?
        var serviceCode: String
        var usageType: String
        var operation: String
        var billingEntity: String
        var publicOnDemandCost: Written?
        var actualCost: Written
        var currency: String
        var commitmentOwnerAccountID: String

        init(_ line: UsageLine) {
            period = line.period
            usageAccountID = line.usageAccountID
            payerAccountID = line.payerAccountID
            lineItemType = line.lineItemType
            chargeCategory = line.chargeCategory
            serviceCode = line.serviceCode
            usageType = line.usageType
            operation = line.operation
            billingEntity = line.billingEntity
            publicOnDemandCost = line.publicOnDemandCost.map(Written.init)
            actualCost = Written(line.actualCost)
            currency = line.currency
            commitmentOwnerAccountID = line.commitmentOwnerAccountID
        }
    }

    var index: [Key: Int] = [:]
    /// The digest lines, in the order of their first line.
    public private(set) var lines: [DigestLine] = []
    /// How many lines were added.
    public private(set) var linesAdded = 0

    public init() {}

    /// `digest` with `line` counted in; nil when a sum would leave the exact range (the line then starts a digest
    /// line of its own, and the engine meets the overflow as it would reading the data).
    static func merging(_ line: UsageLine, into digest: DigestLine) -> DigestLine? {
        var merged = digest
        merged.count += 1
        if let quantity = line.usageAmount {
            let (sum, overflow) = (digest.line.usageAmount ?? .zero).addingReportingOverflow(quantity)
            let (magnitude, magnitudeOverflow) = digest.quantityMagnitude.addingReportingOverflow(quantity.magnitude)
            guard !overflow, !magnitudeOverflow else { return nil }
            merged.line.usageAmount = sum
            merged.quantityMagnitude = magnitude
        }
        return merged
    }

    /// Adds one line read from input `input`.
    public mutating func add(_ line: UsageLine, input: Int) {
        linesAdded += 1
        let key = Key(line)
        if let position = index[key], let merged = Self.merging(line, into: lines[position]) {
            lines[position] = merged
            return
        }
        index[key] = lines.count
        var first = line
        first.resourceID = nil
        lines.append(
            DigestLine(
                line: first, input: input, count: 1, quantityMagnitude: line.usageAmount?.magnitude ?? .zero))
    }
}

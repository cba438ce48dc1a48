import ProformaCore
import ProformaUsage

/// Equal usage lines counted once: lines equal in every value the pricing engine reads (period, accounts, line item
/// type, charge category, service, usage type, operation, billing entity, currency, commitment owner, and the exact
/// public and actual costs, written the same) are one `DigestLine` with their count and the sum of their
/// quantities. Pricing a digest line `count` times gives every figure of pricing each line (§7 rounds each line's
/// amount before it is summed, so lines of different costs are merged only where no amount is rounded: costs of
/// at most `summableScale` places, of one sign, are summed).
public struct DigestLine: Sendable, Hashable {
    /// The first of the lines, with the sum of the quantities as its usage amount (nil when none had one).
    public var line: UsageLine
    /// The input the first line was read from (an index into the digest's sources).
    public var input: Int
    /// How many lines.
    public var count: Int
    /// Whether the costs are the sums of the lines' costs (each of at most 6 places); else every line has them.
    public var summed: Bool
    /// The sum of the quantities' magnitudes.
    public var quantityMagnitude: ExactDecimal

    public init(line: UsageLine, input: Int, count: Int, summed: Bool = false, quantityMagnitude: ExactDecimal) {
        self.line = line
        self.input = input
        self.count = count
        self.summed = summed
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

        /// Stands for every value of the sign of `value` (for costs that are summed).
        init(signOf value: ExactDecimal) {
            significand = Int128(value.signum)
            scale = -1
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

        init(_ line: UsageLine, summed: Bool) {
            period = line.period
            usageAccountID = line.usageAccountID
            payerAccountID = line.payerAccountID
            lineItemType = line.lineItemType
            chargeCategory = line.chargeCategory
            serviceCode = line.serviceCode
            usageType = line.usageType
            operation = line.operation
            billingEntity = line.billingEntity
            if summed {
                publicOnDemandCost = line.publicOnDemandCost.map { Written(signOf: $0) }
                actualCost = Written(signOf: line.actualCost)
            } else {
                publicOnDemandCost = line.publicOnDemandCost.map { Written($0) }
                actualCost = Written(line.actualCost)
            }
            currency = line.currency
            commitmentOwnerAccountID = line.commitmentOwnerAccountID
        }
    }

    /// The places a cost may have for lines of different costs to be summed: the engine's
    /// `PricingEngine.summableScale` (10 places of a line amount, less the 4 of a pricing rule's factor).
    public static let summableScale = 6

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
        if digest.summed {
            let (actual, actualOverflow) = digest.line.actualCost.addingReportingOverflow(line.actualCost)
            guard !actualOverflow else { return nil }
            merged.line.actualCost = actual
            if let value = line.publicOnDemandCost, let known = digest.line.publicOnDemandCost {
                let (sum, overflow) = known.addingReportingOverflow(value)
                guard !overflow else { return nil }
                merged.line.publicOnDemandCost = sum
            }
        }
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
        let summed =
            line.actualCost.scale <= Self.summableScale && (line.publicOnDemandCost?.scale ?? 0) <= Self.summableScale
        let key = Key(line, summed: summed)
        if let position = index[key], let merged = Self.merging(line, into: lines[position]) {
            lines[position] = merged
            return
        }
        index[key] = lines.count
        var first = line
        first.resourceID = nil
        lines.append(
            DigestLine(
                line: first, input: input, count: 1, summed: summed,
                quantityMagnitude: line.usageAmount?.magnitude ?? .zero))
    }
}

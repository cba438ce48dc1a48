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
///
/// Memory: each digest line is held in about 170 bytes (its texts as numbers into one table of texts, its amounts as
/// significand and scale, and 12 bytes of index), not as a `DigestLine`, so that a month of usage can be imported
/// on a small machine; `line(at:)` makes a digest line when it is written.
public struct UsageAggregator {
    /// A digest line as held: texts by number (0 for none, else the text's number + 1), amounts in parts.
    struct Stored {
        var row: Int
        var count: Int
        var publicHigh: Int64, publicLow: UInt64
        var actualHigh: Int64, actualLow: UInt64
        var quantityHigh: Int64, quantityLow: UInt64
        var magnitudeHigh: Int64, magnitudeLow: UInt64
        var input: Int32
        var usageAccount: UInt32, payerAccount: UInt32, lineItemType: UInt32, chargeCategory: UInt32
        var service: UInt32, usageType: UInt32, operation: UInt32, billingEntity: UInt32, currency: UInt32
        var owner: UInt32
        var year: Int16
        var publicScale: Int8, actualScale: Int8, quantityScale: Int8, magnitudeScale: Int8
        var month: UInt8
        /// Bits: 1 summed, 2 has a public cost, 4 has a quantity, 8 an `other` line item type.
        var flags: UInt8

        static func split(_ value: ExactDecimal) -> (Int64, UInt64, Int8) {
            (
                Int64(truncatingIfNeeded: value.significand >> 64), UInt64(truncatingIfNeeded: value.significand),
                Int8(value.scale)
            )
        }

        static func join(_ high: Int64, _ low: UInt64, _ scale: Int8) -> ExactDecimal {
            ExactDecimal(significand: Int128(high) << 64 | Int128(low), scale: Int(scale))
        }

        var summed: Bool { flags & 1 != 0 }
        var publicCost: ExactDecimal? { flags & 2 != 0 ? Self.join(publicHigh, publicLow, publicScale) : nil }
        var actualCost: ExactDecimal { Self.join(actualHigh, actualLow, actualScale) }
        var quantity: ExactDecimal? { flags & 4 != 0 ? Self.join(quantityHigh, quantityLow, quantityScale) : nil }
        var magnitude: ExactDecimal { Self.join(magnitudeHigh, magnitudeLow, magnitudeScale) }

        mutating func setPublicCost(_ value: ExactDecimal?) {
            guard let value else {
                flags &= ~2
                return
            }
            flags |= 2
            (publicHigh, publicLow, publicScale) = Self.split(value)
        }
        mutating func setActualCost(_ value: ExactDecimal) { (actualHigh, actualLow, actualScale) = Self.split(value) }
        mutating func setQuantity(_ value: ExactDecimal?) {
            guard let value else {
                flags &= ~4
                return
            }
            flags |= 4
            (quantityHigh, quantityLow, quantityScale) = Self.split(value)
        }
        mutating func setMagnitude(_ value: ExactDecimal) {
            (magnitudeHigh, magnitudeLow, magnitudeScale) = Self.split(value)
        }

        /// Whether `other` has the same key: every text, the period, and the costs as written (for lines whose costs
        /// are summed, their signs).
        func sameKey(as other: Stored) -> Bool {
            guard usageAccount == other.usageAccount, service == other.service, usageType == other.usageType,
                operation == other.operation, year == other.year, month == other.month,
                lineItemType == other.lineItemType, flags & 0b1011 == other.flags & 0b1011,
                payerAccount == other.payerAccount, chargeCategory == other.chargeCategory,
                billingEntity == other.billingEntity, currency == other.currency, owner == other.owner
            else { return false }
            if summed {
                return (publicCost?.signum) == (other.publicCost?.signum)
                    && actualCost.signum == other.actualCost.signum
            }
            return publicHigh == other.publicHigh && publicLow == other.publicLow && publicScale == other.publicScale
                && actualHigh == other.actualHigh && actualLow == other.actualLow && actualScale == other.actualScale
        }

        func keyHash() -> Int {
            var hasher = Hasher()
            hasher.combine(usageAccount)
            hasher.combine(service)
            hasher.combine(usageType)
            hasher.combine(operation)
            hasher.combine(year)
            hasher.combine(month)
            hasher.combine(lineItemType)
            hasher.combine(flags & 0b1011)
            hasher.combine(payerAccount)
            hasher.combine(chargeCategory)
            hasher.combine(billingEntity)
            hasher.combine(currency)
            hasher.combine(owner)
            if summed {
                hasher.combine(publicCost?.signum)
                hasher.combine(actualCost.signum)
            } else {
                hasher.combine(publicHigh)
                hasher.combine(publicLow)
                hasher.combine(publicScale)
                hasher.combine(actualHigh)
                hasher.combine(actualLow)
                hasher.combine(actualScale)
            }
            return hasher.finalize()
        }
    }

    /// The places a cost may have for lines of different costs to be summed: the engine's
    /// `PricingEngine.summableScale` (10 places of a line amount, less the 4 of a pricing rule's factor).
    public static let summableScale = 6

    var texts: [String] = []
    var textNumbers: [String: UInt32] = [:]
    var stored: [Stored] = []
    var hashes: [Int] = []
    /// Open addressing over `stored`: a line's position + 1, 0 for an empty slot.
    var slots: [Int32] = Array(repeating: 0, count: 1 << 12)
    /// How many lines were added.
    public private(set) var linesAdded = 0

    public init() {}

    /// How many digest lines there are.
    public var count: Int { stored.count }

    /// The digest lines, in the order of their first line (each made from what is held: for tests and small data).
    public var lines: [DigestLine] { (0..<stored.count).map(line(at:)) }

    /// The digest line at `position`.
    public func line(at position: Int) -> DigestLine {
        let entry = stored[position]
        func text(_ number: UInt32) -> String? { number == 0 ? nil : texts[Int(number) - 1] }
        let typeText = text(entry.lineItemType) ?? ""
        let period = BillingPeriod(year: Int(entry.year), month: Int(entry.month))!
        let line = UsageLine(
            row: entry.row, period: period, usageAccountID: text(entry.usageAccount) ?? "",
            payerAccountID: text(entry.payerAccount),
            lineItemType: entry.flags & 8 != 0 ? .other(typeText) : LineItemType(rawValue: typeText),
            chargeCategory: text(entry.chargeCategory), serviceCode: text(entry.service) ?? "",
            usageType: text(entry.usageType) ?? "", operation: text(entry.operation) ?? "",
            billingEntity: text(entry.billingEntity) ?? "", publicOnDemandCost: entry.publicCost,
            actualCost: entry.actualCost, usageAmount: entry.quantity, currency: text(entry.currency) ?? "",
            commitmentOwnerAccountID: text(entry.owner) ?? "")
        return DigestLine(
            line: line, input: Int(entry.input), count: entry.count, summed: entry.summed,
            quantityMagnitude: entry.magnitude)
    }

    mutating func number(_ text: String?) -> UInt32 {
        guard let text else { return 0 }
        if let known = textNumbers[text] { return known }
        texts.append(text)
        let number = UInt32(texts.count)
        textNumbers[text] = number
        return number
    }

    /// `digest` with `line` counted in; nil when a sum would leave the exact range (the line then starts a digest
    /// line of its own, and the engine meets the overflow as it would reading the data).
    static func merging(_ line: UsageLine, into digest: Stored) -> Stored? {
        var merged = digest
        merged.count += 1
        if digest.summed {
            let (actual, actualOverflow) = digest.actualCost.addingReportingOverflow(line.actualCost)
            guard !actualOverflow else { return nil }
            merged.setActualCost(actual)
            if let value = line.publicOnDemandCost, let known = digest.publicCost {
                let (sum, overflow) = known.addingReportingOverflow(value)
                guard !overflow else { return nil }
                merged.setPublicCost(sum)
            }
        }
        if let quantity = line.usageAmount {
            let (sum, overflow) = (digest.quantity ?? .zero).addingReportingOverflow(quantity)
            let (magnitude, magnitudeOverflow) = digest.magnitude.addingReportingOverflow(quantity.magnitude)
            guard !overflow, !magnitudeOverflow else { return nil }
            merged.setQuantity(sum)
            merged.setMagnitude(magnitude)
        }
        return merged
    }

    /// Adds one line read from input `input`.
    public mutating func add(_ line: UsageLine, input: Int) {
        linesAdded += 1
        let summed =
            line.actualCost.scale <= Self.summableScale && (line.publicOnDemandCost?.scale ?? 0) <= Self.summableScale
        var isOther = false
        if case .other = line.lineItemType { isOther = true }
        var entry = Stored(
            row: line.row, count: 1, publicHigh: 0, publicLow: 0, actualHigh: 0, actualLow: 0, quantityHigh: 0,
            quantityLow: 0, magnitudeHigh: 0, magnitudeLow: 0, input: Int32(truncatingIfNeeded: input),
            usageAccount: number(line.usageAccountID), payerAccount: number(line.payerAccountID),
            lineItemType: number(line.lineItemType.rawValue), chargeCategory: number(line.chargeCategory),
            service: number(line.serviceCode), usageType: number(line.usageType), operation: number(line.operation),
            billingEntity: number(line.billingEntity), currency: number(line.currency),
            owner: number(line.commitmentOwnerAccountID), year: Int16(line.period.year), publicScale: 0,
            actualScale: 0, quantityScale: 0, magnitudeScale: 0, month: UInt8(line.period.month),
            flags: (summed ? 1 : 0) | (isOther ? 8 : 0))
        entry.setPublicCost(line.publicOnDemandCost)
        entry.setActualCost(line.actualCost)
        entry.setQuantity(line.usageAmount)
        entry.setMagnitude(line.usageAmount?.magnitude ?? .zero)
        let hash = entry.keyHash()
        let mask = slots.count - 1
        var slot = hash & mask
        // The newest line of a key stands for it: one whose sums overflowed is followed by one of its own.
        var found: Int?
        while slots[slot] != 0 {
            let position = Int(slots[slot]) - 1
            if hashes[position] == hash && stored[position].sameKey(as: entry) { found = position }
            slot = (slot + 1) & mask
        }
        if let found, let merged = Self.merging(line, into: stored[found]) {
            stored[found] = merged
            return
        }
        stored.append(entry)
        hashes.append(hash)
        slots[slot] = Int32(stored.count)
        if stored.count * 2 > slots.count { grow() }
    }

    /// Doubles the slots, placing every line again in order (so a later line of a key stays after an earlier one).
    mutating func grow() {
        slots = Array(repeating: 0, count: slots.count * 2)
        let mask = slots.count - 1
        for (position, hash) in hashes.enumerated() {
            var slot = hash & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(position + 1)
        }
    }
}

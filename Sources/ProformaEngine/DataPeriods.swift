import ProformaCore

extension PricingEngine {
    /// The billing periods that the lines read so far belong to, in order.
    public var periodsInData: [BillingPeriod] { periods.sorted() }
}

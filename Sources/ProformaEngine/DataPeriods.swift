import ProformaCore

extension PricingEngine {
    /// The billing periods that the lines read so far belong to, in order.
    public var periodsInData: [BillingPeriod] { periods.sorted() }
}

extension BillingResult {
    /// A result put together from parts, e.g. the results of several configurations, each for its own periods.
    public static func combining(
        periods: [BillingPeriod], groups: [GroupResult] = [], unassigned: [CostRow] = [], dataTotals: [CostRow] = [],
        warnings: [EngineWarning] = [], allocations: [AllocationResult] = []
    ) -> BillingResult {
        BillingResult(
            periods: periods, groups: groups, unassigned: unassigned, dataTotals: dataTotals, warnings: warnings,
            allocations: allocations)
    }
}

/// The names services are shown by: the name the usage data gives a service code (CUR `product/ProductName`,
/// CUR 2.0 `product_product_name`, FOCUS `ServiceName`; a Marketplace product's name), else the name in the
/// catalogue of AWS services (`AWSServiceCatalogue`), else the code itself.
///
/// Invoices and reports resolve every service code they show through one value of this type, so a service has
/// the same name in every document priced from the same data.
public struct ServiceNames: Sendable, Hashable {
    /// Names by service code, as the usage data writes them (one per code: the first one read).
    public private(set) var fromData: [String: String]

    public init(fromData: [String: String] = [:]) {
        self.fromData = fromData.filter { !$0.value.isEmpty }
    }

    /// The catalogue alone.
    public static let catalogue = ServiceNames()

    /// Adds the names of `other` for codes this one has no name for.
    public mutating func merge(_ other: ServiceNames) {
        fromData.merge(other.fromData) { mine, _ in mine }
    }

    /// The name `code` is shown by: the data's, the catalogue's, or the code itself.
    public func name(for code: String) -> String {
        if let name = fromData[code] { return name }
        if let service = AWSServiceCatalogue.service(code) { return service.name }
        return code
    }

    /// Whether the code has a name other than itself (from the data or the catalogue).
    public func hasName(for code: String) -> Bool { name(for: code) != code }
}

extension YAMLNode {
    /// The value of the first pair whose key is a scalar with exactly this text; nil when there is none, or when
    /// this node is not a mapping.
    public func value(forKey key: String) -> YAMLNode? {
        guard case .mapping(let pairs) = content else { return nil }
        return pairs.first(where: { $0.key.scalarValue == key })?.value
    }
}

extension YAMLFile {
    /// The problem that stopped the reading, if one did. It is always the last problem.
    public var fatalProblem: YAMLProblem? { problems.last(where: \.isFatal) }
}

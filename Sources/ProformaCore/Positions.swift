/// How warnings and notes about many lines of a file name them: the first few positions, then how many more.
public enum Positions {
    /// How many positions a warning or note names before counting the rest.
    public static let shown = 3

    /// "cur.csv:12, cur.csv:40, cur.csv:41 and 5 more": the first `shown` of `positions` (each `file:row`), then
    /// how many of `total` are not named. `total` is at least the number of positions.
    public static func list(_ positions: [String], total: Int) -> String {
        let named = Array(positions.prefix(shown))
        let rest = max(total, positions.count) - named.count
        let text = named.joined(separator: ", ")
        guard rest > 0 else { return text }
        return named.isEmpty ? "\(rest) lines" : "\(text) and \(rest) more"
    }
}

import ProformaCore

/// The characters text reports draw with: Unicode blocks for a terminal, plain ASCII for files, pipes and logs.
public enum TextGraphics: String, Sendable, Hashable, CaseIterable {
    /// `_.-~^` sparklines and `#` bars: safe in any file, log or terminal.
    case ascii
    /// `▁▂▃▄▅▆▇█` sparklines and bars in eighths of a cell.
    case unicode

    static let unicodeLevels: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
    static let asciiLevels: [Character] = ["_", ".", "-", "~", "^"]
    static let eighths: [Character] = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"].compactMap(\.first)

    /// One character per value, from the series' lowest value (the lowest level) to its highest (the highest); a
    /// flat series is drawn at the middle level, and no value is ever divided by zero.
    func sparkline(_ values: [ExactDecimal]) -> String {
        let levels = self == .unicode ? Self.unicodeLevels : Self.asciiLevels
        guard let low = values.min(), let high = values.max() else { return "" }
        let top = ExactDecimal(levels.count - 1)
        return String(
            values.map { value -> Character in
                guard high > low else { return levels[(levels.count - 1) / 2] }
                let level = ((value - low) * top).divided(by: high - low, scale: 0) ?? .zero
                let index = ReportCharts.whole(level)
                return levels[min(max(index, 0), levels.count - 1)]
            })
    }

    /// A bar of `width` cells for a share between 0 and 1 (clamped): in eighths of a cell with Unicode, in whole `#`
    /// cells with ASCII, padded with spaces to `width`.
    func bar(_ share: ExactDecimal, width: Int) -> String {
        let clamped = min(max(share, .zero), .one)
        let steps = self == .unicode ? 8 : 1
        let units = ReportCharts.whole((clamped * ExactDecimal(width * steps)).rounded(scale: 0))
        var text = ""
        switch self {
        case .ascii:
            text = String(repeating: "#", count: units)
        case .unicode:
            text = String(repeating: "█", count: units / 8)
            if units % 8 > 0 { text.append(Self.eighths[units % 8 - 1]) }
        }
        return text + String(repeating: " ", count: max(0, width - text.count))
    }
}

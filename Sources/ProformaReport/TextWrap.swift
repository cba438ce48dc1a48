/// Plain text within a width, measured in terminal cells: words wrapped onto further lines (a word wider than
/// the width is cut), control characters made visible. For the text invoice, which is at most
/// `InvoiceRenderer.textWidth` columns wide.
enum TextWrap {
    enum Row {
        /// Item, detail and amount; the item is indented by `indent` and wraps, the others do not.
        case cells([String], indent: Int)
        case rule
        case text(String)
        case blank
    }

    static func width(_ text: String) -> Int { TextTable.width(text) }

    /// `text` in lines of at most `width` cells, each starting with `indent` spaces.
    static func lines(_ text: String, width: Int, indent: Int = 0) -> [String] {
        let room = max(1, width - indent)
        let pad = String(repeating: " ", count: indent)
        var lines: [String] = []
        var current = ""
        var currentWidth = 0
        for word in TerminalText.inline(text).split(separator: " ", omittingEmptySubsequences: true) {
            var word = String(word)
            var wordWidth = Self.width(word)
            if currentWidth > 0 && currentWidth + 1 + wordWidth <= room {
                current += " " + word
                currentWidth += 1 + wordWidth
                continue
            }
            if currentWidth > 0 {
                lines.append(pad + current)
                current = ""
                currentWidth = 0
            }
            while wordWidth > room {
                // Cut a word wider than the room.
                var head = ""
                var headWidth = 0
                var rest = Substring(word).unicodeScalars[...]
                while let scalar = rest.first, headWidth + TerminalText.cellWidth(scalar) <= room {
                    head.unicodeScalars.append(scalar)
                    headWidth += TerminalText.cellWidth(scalar)
                    rest = rest.dropFirst()
                }
                if head.isEmpty, let scalar = rest.first {
                    head.unicodeScalars.append(scalar)
                    rest = rest.dropFirst()
                }
                lines.append(pad + head)
                word = String(String.UnicodeScalarView(rest))
                wordWidth = Self.width(word)
            }
            current = word
            currentWidth = wordWidth
        }
        if currentWidth > 0 || lines.isEmpty { lines.append(pad + current) }
        return lines.map(TerminalText.trimmingTrailingSpaces)
    }

    /// `Label   value`, the value wrapped beside the label.
    static func labelled(_ label: String, _ value: String, labelWidth: Int, width: Int) -> String {
        let indent = labelWidth + 2
        let body = lines(value, width: width, indent: indent)
        let head = label + String(repeating: " ", count: max(0, indent - Self.width(label)))
        var output = ""
        for (index, line) in body.enumerated() {
            output += (index == 0 ? head + line.dropFirst(indent) : line) + "\n"
        }
        return output
    }

    /// Two blocks of lines side by side, each wrapped to half the width.
    static func sideBySide(left: [String], right: [String], width: Int) -> String {
        let gap = 4
        let half = (width - gap) / 2
        let leftLines = left.flatMap { lines($0, width: half) }
        let rightLines = right.flatMap { lines($0, width: left.isEmpty ? width : half) }
        var output = ""
        for index in 0..<max(leftLines.count, rightLines.count) {
            let l = index < leftLines.count ? leftLines[index] : ""
            let r = index < rightLines.count ? rightLines[index] : ""
            if left.isEmpty {
                output += r + "\n"
                continue
            }
            let padding = String(repeating: " ", count: max(0, half + gap - Self.width(l)))
            output += TerminalText.trimmingTrailingSpaces(r.isEmpty ? l : l + padding + r) + "\n"
        }
        return output
    }

    /// A table of item, detail and amount at most `width` wide: the detail and amount columns as wide as their
    /// widest cell, the item column the rest, its text wrapped.
    static func table(_ rows: [Row], width: Int) -> String {
        var detailWidth = 0
        var amountWidth = 0
        for case .cells(let cells, _) in rows {
            detailWidth = max(detailWidth, Self.width(cells[1]))
            amountWidth = max(amountWidth, Self.width(cells[2]))
        }
        detailWidth = min(detailWidth, 32)
        let itemWidth = max(20, width - detailWidth - amountWidth - 4)
        var output = ""
        for row in rows {
            switch row {
            case .rule:
                output += String(repeating: "-", count: itemWidth + detailWidth + amountWidth + 4) + "\n"
            case .blank:
                output += "\n"
            case .text(let text):
                output += lines(text, width: width).joined(separator: "\n") + "\n"
            case .cells(let cells, let indent):
                let items = lines(cells[0], width: itemWidth, indent: indent)
                let details = lines(cells[1], width: detailWidth)
                let count = max(items.count, details.count)
                for index in 0..<count {
                    let item = index < items.count ? items[index] : ""
                    let detail = index < details.count ? details[index] : ""
                    let amount = index == count - 1 ? TerminalText.inline(cells[2]) : ""
                    var line = item + String(repeating: " ", count: max(0, itemWidth - Self.width(item)))
                    line += "  " + detail + String(repeating: " ", count: max(0, detailWidth - Self.width(detail)))
                    line += "  " + String(repeating: " ", count: max(0, amountWidth - Self.width(amount))) + amount
                    output += TerminalText.trimmingTrailingSpaces(line) + "\n"
                }
            }
        }
        return output
    }
}

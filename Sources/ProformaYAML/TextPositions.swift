/// Conversions between byte offsets and libyaml's line/column positions in UTF-8 text. Used only on the error
/// path (a bad byte, a tab), so walking the bytes here costs nothing on valid input.
///
/// Lines break where libyaml breaks them: at LF, CR, CR LF (one break), NEL (U+0085), LS (U+2028) and PS (U+2029).
/// Columns count Unicode scalars, as libyaml's do.
struct TextPositions {
    let bytes: ArraySlice<UInt8>

    /// The length in bytes of the line break starting at `index`, or 0 when none starts there.
    func lineBreakLength(at index: Int) -> Int {
        guard index < bytes.endIndex else { return 0 }
        switch bytes[index] {
        case 0x0A:
            return 1
        case 0x0D:
            return index + 1 < bytes.endIndex && bytes[index + 1] == 0x0A ? 2 : 1
        case 0xC2:
            return index + 1 < bytes.endIndex && bytes[index + 1] == 0x85 ? 2 : 0
        case 0xE2:
            guard index + 2 < bytes.endIndex, bytes[index + 1] == 0x80 else { return 0 }
            return bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9 ? 3 : 0
        default:
            return 0
        }
    }

    /// The 0-based line and column of the byte at `offset` (an offset from the start of `bytes`).
    func position(ofOffset offset: Int) -> RawMark {
        let target = Swift.min(bytes.startIndex + Swift.max(offset, 0), bytes.endIndex)
        var line = 0
        var column = 0
        var index = bytes.startIndex
        while index < target {
            let breakLength = lineBreakLength(at: index)
            if breakLength > 0 {
                line += 1
                column = 0
                index += breakLength
                continue
            }
            // A continuation byte (10xxxxxx) does not start a new scalar.
            if bytes[index] & 0xC0 != 0x80 { column += 1 }
            index += 1
        }
        return RawMark(line: line, column: column)
    }

    /// The index in `bytes` of the first byte of line `line` (0-based), or nil when the text has fewer lines.
    func startOfLine(_ line: Int) -> Int? {
        var current = 0
        var index = bytes.startIndex
        while current < line {
            guard index < bytes.endIndex else { return nil }
            let breakLength = lineBreakLength(at: index)
            if breakLength > 0 {
                current += 1
                index += breakLength
            } else {
                index += 1
            }
        }
        return index
    }

    /// The index in `bytes` of the character at a libyaml position, or nil when there is none.
    func index(of mark: RawMark) -> Int? {
        guard var index = startOfLine(mark.line) else { return nil }
        var column = 0
        while index < bytes.endIndex, lineBreakLength(at: index) == 0 {
            if bytes[index] & 0xC0 != 0x80 {
                if column == mark.column { return index }
                column += 1
            }
            index += 1
        }
        return column == mark.column ? index : nil
    }

    /// The bytes of line `line` before its line break.
    func line(_ line: Int) -> ArraySlice<UInt8>? {
        guard let start = startOfLine(line) else { return nil }
        var end = start
        while end < bytes.endIndex, lineBreakLength(at: end) == 0 { end += 1 }
        return bytes[start..<end]
    }

    /// The index of the first tab in the indentation of line `line`: among the blanks (spaces, tabs) and block
    /// indicators followed by a blank (`- `, `? `, `: `) that precede the line's content. Nil when there is none.
    func tabInIndentation(ofLine line: Int, before limit: Int? = nil) -> Int? {
        guard let text = self.line(line) else { return nil }
        let end = Swift.min(limit ?? text.endIndex, text.endIndex)
        var index = text.startIndex
        while index < end {
            switch text[index] {
            case 0x09:
                return index
            case 0x20:
                index += 1
            case UInt8(ascii: "-"), UInt8(ascii: "?"), UInt8(ascii: ":"):
                guard index + 1 < text.endIndex, text[index + 1] == 0x20 || text[index + 1] == 0x09 else {
                    return nil
                }
                index += 1
            default:
                return nil
            }
        }
        return nil
    }
}

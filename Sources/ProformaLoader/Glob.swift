/// Glob patterns for `exclude`: `*` matches within one path segment, `**` across segments, `?` one character.
/// A pattern without `/` matches the file name in any folder; a pattern naming a folder excludes all below it.
struct Glob {
    let pattern: [Character]
    let anchored: Bool

    init(_ text: String) {
        var text = text
        if text.hasPrefix("./") { text.removeFirst(2) }
        if text.hasPrefix("/") { text.removeFirst() }
        if text.hasSuffix("/") { text += "**" }
        anchored = text.contains("/")
        pattern = Array(text)
    }

    func matches(_ path: String) -> Bool {
        if anchored {
            if Self.match(pattern[...], Array(path)[...]) { return true }
            // A folder pattern excludes everything below the folder.
            var prefix = ""
            for segment in path.split(separator: "/").dropLast() {
                prefix += prefix.isEmpty ? String(segment) : "/\(segment)"
                if Self.match(pattern[...], Array(prefix)[...]) { return true }
            }
            return false
        }
        return path.split(separator: "/").contains { Self.match(pattern[...], Array($0)[...]) }
    }

    static func match(_ pattern: ArraySlice<Character>, _ text: ArraySlice<Character>) -> Bool {
        guard let first = pattern.first else { return text.isEmpty }
        if first == "*" {
            let rest = pattern.dropFirst()
            if rest.first == "*" {
                var after = rest.dropFirst()
                if after.first == "/" { after = after.dropFirst() }
                var index = text.startIndex
                while true {
                    if match(after, text[index...]) { return true }
                    if index == text.endIndex { return false }
                    index += 1
                }
            }
            var index = text.startIndex
            while true {
                if match(rest, text[index...]) { return true }
                if index == text.endIndex || text[index] == "/" { return false }
                index += 1
            }
        }
        guard let character = text.first else { return false }
        if first == "?" ? character != "/" : first == character {
            return match(pattern.dropFirst(), text.dropFirst())
        }
        return false
    }
}

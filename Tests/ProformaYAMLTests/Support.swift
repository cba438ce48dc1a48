import ProformaYAML
import Testing

/// Reads YAML text given as a Swift string.
func parse(_ text: String, limits: YAMLLimits = .default) -> YAMLFile {
    YAMLParser.parse(Array(text.utf8), limits: limits)
}

/// Reads YAML text given as bytes, for encodings a Swift string cannot hold.
func parse(bytes: [UInt8], limits: YAMLLimits = .default) -> YAMLFile {
    YAMLParser.parse(bytes, limits: limits)
}

/// The root of the only document of a text that must read without any problem.
func root(
    _ text: String, sourceLocation: SourceLocation = #_sourceLocation
) throws -> YAMLNode {
    let file = parse(text)
    #expect(file.problems.isEmpty, "unexpected problems: \(file.problems)", sourceLocation: sourceLocation)
    try #require(file.documents.count == 1, sourceLocation: sourceLocation)
    return file.documents[0].root
}

/// A compact, unambiguous rendering of a node tree: plain scalars as written, other styles marked
/// (`'single'`, `"double"`, `|literal|`, `>folded>`), explicit tags as `<tag>`, lists as `[a, b]`, mappings as
/// `{k: v}`. Line breaks inside scalars are shown as `\n`.
func render(_ node: YAMLNode) -> String {
    let tag = node.tag.map { "<\($0)>" } ?? ""
    switch node.content {
    case .scalar(let value, let style):
        let text = value.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\\n")
        switch style {
        case .plain: return tag + text
        case .singleQuoted: return tag + "'\(text)'"
        case .doubleQuoted: return tag + "\"\(text)\""
        case .literal: return tag + "|\(text)|"
        case .folded: return tag + ">\(text)>"
        }
    case .sequence(let items):
        return tag + "[" + items.map(render).joined(separator: ", ") + "]"
    case .mapping(let pairs):
        return tag + "{" + pairs.map { render($0.key) + ": " + render($0.value) }.joined(separator: ", ") + "}"
    }
}

/// Shorthand for a 1-based mark.
func at(_ line: Int, _ column: Int) -> Mark { Mark(line: line, column: column) }

/// The kinds and marks of a file's problems, for comparing in one expectation.
func kindsAndMarks(_ file: YAMLFile) -> [String] {
    file.problems.map { "\($0.kind) \($0.mark)" }
}

/// Every node of a tree, depth first, with the tree's depth in collections.
func depth(of node: YAMLNode) -> Int {
    var deepest = 0
    var pending: [(YAMLNode, Int)] = [(node, 0)]
    while let (current, level) = pending.popLast() {
        switch current.content {
        case .scalar:
            deepest = max(deepest, level)
        case .sequence(let items):
            deepest = max(deepest, level + 1)
            pending += items.map { ($0, level + 1) }
        case .mapping(let pairs):
            deepest = max(deepest, level + 1)
            pending += pairs.flatMap { [($0.key, level + 1), ($0.value, level + 1)] }
        }
    }
    return deepest
}

/// The number of nodes in a tree, keys included.
func count(of node: YAMLNode) -> Int {
    var total = 0
    var pending = [node]
    while let current = pending.popLast() {
        total += 1
        switch current.content {
        case .scalar: break
        case .sequence(let items): pending += items
        case .mapping(let pairs): pending += pairs.flatMap { [$0.key, $0.value] }
        }
    }
    return total
}

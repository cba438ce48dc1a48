/// Builds `YAMLNode` trees from libyaml's events, one document after another, with an explicit stack of open
/// collections (no recursion, so the depth of the input cannot exhaust the call stack).
///
/// It also enforces the limits that are about the shape of the tree (nesting depth, alias expansion), expands
/// aliases, and reports duplicate and non-scalar mapping keys.
struct TreeBuilder {
    let limits: YAMLLimits
    private(set) var documents: [YAMLDocument] = []
    private(set) var problems: [YAMLProblem] = []
    /// False when the last document read ended with an explicit `...`.
    private(set) var lastDocumentEndedImplicitly = true

    /// A node with an anchor, kept for the aliases that follow it in the same document.
    private struct Anchored {
        var node: YAMLNode
        /// Nodes in the subtree, the node itself included.
        var size: Int
        /// Levels of collections in the subtree: 0 for a scalar, 1 for a collection of scalars.
        var height: Int
    }

    /// A collection whose end has not been read yet.
    private struct Frame {
        enum Kind {
            case sequence
            case mapping
        }

        let kind: Kind
        let mark: Mark
        let tag: String?
        let anchor: String?
        var items: [YAMLNode] = []
        var pairs: [YAMLPair] = []
        /// A mapping's key waiting for its value, with the size and height of its subtree.
        var key: YAMLNode? = nil
        var keySize = 0
        var keyHeight = 0
        /// True when the waiting key repeats an earlier one: its value is read and dropped.
        var dropsValue = false
        /// The first mark of each scalar key, built once a mapping has more keys than a linear search suits.
        var keyIndex: [String: Mark]? = nil
        var size = 1
        var height = 1
    }

    /// Above this many pairs, duplicate keys are found through a dictionary instead of a linear search.
    private static let linearKeySearchLimit = 12

    private var stack: [Frame] = []
    private var root: YAMLNode?
    private var documentMark = Mark(line: 1, column: 1)
    private var anchors: [String: Anchored] = [:]
    private var aliasExpansion = 0

    init(limits: YAMLLimits) {
        self.limits = limits
    }

    /// Takes in one event. False when a fatal problem was met and reading must stop.
    mutating func handle(_ event: LibYAMLEvent) -> Bool {
        switch event {
        case .streamStart, .streamEnd:
            return true
        case .documentStart(let mark):
            root = nil
            stack.removeAll(keepingCapacity: true)
            // Anchors are local to a document.
            anchors.removeAll()
            documentMark = mark.mark
            return true
        case .documentEnd(let implicit):
            if let root { documents.append(YAMLDocument(root: root, mark: documentMark)) }
            lastDocumentEndedImplicitly = implicit
            root = nil
            return true
        case .scalar(let value, let style, let tag, let anchor, let mark):
            let node = YAMLNode(.scalar(value, style), mark: mark.mark, tag: tag)
            if let anchor { anchors[anchor] = Anchored(node: node, size: 1, height: 0) }
            deliver(node, size: 1, height: 0)
            return true
        case .sequenceStart(let tag, let anchor, let mark):
            return open(.sequence, tag: tag, anchor: anchor, at: mark.mark)
        case .mappingStart(let tag, let anchor, let mark):
            return open(.mapping, tag: tag, anchor: anchor, at: mark.mark)
        case .sequenceEnd, .mappingEnd:
            close()
            return true
        case .alias(let name, let mark):
            return alias(name, at: mark.mark)
        }
    }

    // MARK: - Collections

    private mutating func open(_ kind: Frame.Kind, tag: String?, anchor: String?, at mark: Mark) -> Bool {
        guard stack.count < limits.maxDepth else {
            problems.append(
                YAMLProblem(
                    .tooDeep, "collections nest deeper than \(limits.maxDepth) levels", at: mark,
                    hint: "configuration needs only a few levels of nesting; check for unclosed brackets"))
            return false
        }
        if let anchor {
            // From here on the name refers to this collection, which cannot be copied before it ends.
            anchors[anchor] = nil
        }
        stack.append(Frame(kind: kind, mark: mark, tag: tag, anchor: anchor))
        return true
    }

    private mutating func close() {
        guard let frame = stack.popLast() else { return }
        let content: YAMLNode.Content =
            switch frame.kind {
            case .sequence: .sequence(frame.items)
            case .mapping: .mapping(frame.pairs)
            }
        let node = YAMLNode(content, mark: frame.mark, tag: frame.tag)
        if let anchor = frame.anchor {
            anchors[anchor] = Anchored(node: node, size: frame.size, height: frame.height)
        }
        deliver(node, size: frame.size, height: frame.height)
    }

    // MARK: - Aliases

    private mutating func alias(_ name: String, at mark: Mark) -> Bool {
        guard let anchored = anchors[name] else {
            if stack.contains(where: { $0.anchor == name }) {
                problems.append(
                    YAMLProblem(
                        .unsupported, "alias *\(name) refers to a collection that contains it", at: mark,
                        hint: "a configuration value cannot contain itself; copy the values instead"))
                // Keep reading with a null in its place, so later problems are reported too.
                deliver(YAMLNode(.scalar("", .plain), mark: mark), size: 1, height: 0)
                return true
            }
            problems.append(
                YAMLProblem(
                    .syntax, "unknown alias *\(name): no anchor &\(name) comes before it in this document",
                    at: mark, hint: "define the anchor with &\(name) before using *\(name)"))
            return false
        }
        guard stack.count + anchored.height <= limits.maxDepth else {
            problems.append(
                YAMLProblem(
                    .tooDeep, "alias *\(name) makes collections nest deeper than \(limits.maxDepth) levels",
                    at: mark, hint: "configuration needs only a few levels of nesting"))
            return false
        }
        aliasExpansion += anchored.size
        guard aliasExpansion <= limits.maxAliasExpansion else {
            problems.append(
                YAMLProblem(
                    .tooManyAliases,
                    "aliases expand to more than \(grouped(limits.maxAliasExpansion)) nodes in this file",
                    at: mark, hint: "use fewer aliases, or aliases of smaller values"))
            return false
        }
        var node = anchored.node
        // The copy starts where the alias stands; the nodes inside it keep the marks of the anchored original.
        node.mark = mark
        deliver(node, size: anchored.size, height: anchored.height)
        return true
    }

    // MARK: - Placing a finished node

    private mutating func deliver(_ node: consuming YAMLNode, size: Int, height: Int) {
        guard !stack.isEmpty else {
            root = node
            return
        }
        let top = stack.count - 1
        switch stack[top].kind {
        case .sequence:
            stack[top].items.append(node)
            stack[top].size += size
            stack[top].height = Swift.max(stack[top].height, height + 1)
        case .mapping:
            if let key = stack[top].key {
                stack[top].key = nil
                if stack[top].dropsValue {
                    stack[top].dropsValue = false
                    return
                }
                stack[top].pairs.append(YAMLPair(key: key, value: node))
                stack[top].size += stack[top].keySize + size
                stack[top].height = Swift.max(stack[top].height, stack[top].keyHeight + 1, height + 1)
                indexKey(key, in: top)
            } else {
                checkKey(node, in: top)
                stack[top].key = node
                stack[top].keySize = size
                stack[top].keyHeight = height
            }
        }
    }

    /// Reports a key that is not a scalar, or that repeats an earlier key of the same mapping.
    ///
    /// A repeated key keeps the first value: the second pair is dropped. YAML tools disagree on which value wins
    /// (most keep the last), so the choice is made visible through the problem rather than relied on.
    private mutating func checkKey(_ key: YAMLNode, in top: Int) {
        guard let text = key.scalarValue else {
            problems.append(
                YAMLProblem(
                    .unsupported, "\(key.kindDescription) used as a mapping key is not supported", at: key.mark,
                    hint: "use a text key"))
            return
        }
        let first: Mark?
        if let index = stack[top].keyIndex {
            first = index[text]
        } else {
            first = stack[top].pairs.first(where: { $0.key.hasScalarText(text) })?.key.mark
        }
        guard let first else { return }
        stack[top].dropsValue = true
        problems.append(
            YAMLProblem(
                .duplicateKey,
                "duplicate key \(quoted(text)) (first at line \(first.line), column \(first.column))",
                at: key.mark, hint: "remove or rename one of them; only the first is read"))
    }

    private mutating func indexKey(_ key: YAMLNode, in top: Int) {
        if stack[top].keyIndex != nil {
            if let text = key.scalarValue, stack[top].keyIndex?[text] == nil {
                stack[top].keyIndex?[text] = key.mark
            }
        } else if stack[top].pairs.count > Self.linearKeySearchLimit {
            var index: [String: Mark] = [:]
            for pair in stack[top].pairs {
                if let text = pair.key.scalarValue, index[text] == nil { index[text] = pair.key.mark }
            }
            stack[top].keyIndex = index
        }
    }
}

/// A key's text for a message: in double quotes, with quotes, backslashes and line breaks escaped, and cut short
/// when long.
func quoted(_ text: String) -> String {
    var result = "\""
    for (count, character) in text.enumerated() {
        if count == 60 {
            result += "…"
            break
        }
        switch character {
        case "\"": result += "\\\""
        case "\\": result += "\\\\"
        case "\n", "\r\n": result += "\\n"
        case "\r": result += "\\r"
        case "\t": result += "\\t"
        default: result.append(character)
        }
    }
    return result + "\""
}

/// A count with thousands separators: 100000 → "100,000".
func grouped(_ value: Int) -> String {
    let digits = String(value.magnitude)
    var result = ""
    for (offset, digit) in digits.enumerated() {
        if offset > 0, (digits.count - offset) % 3 == 0 { result.append(",") }
        result.append(digit)
    }
    return value < 0 ? "-" + result : result
}

extension YAMLNode {
    /// True for a scalar with exactly this text; compares without copying the text out.
    fileprivate func hasScalarText(_ text: String) -> Bool {
        if case .scalar(let value, _) = content { return value == text }
        return false
    }
}

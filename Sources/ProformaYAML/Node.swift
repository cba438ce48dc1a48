/// A 1-based position in a YAML text. libyaml's 0-based marks are turned into these at the boundary.
public struct Mark: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// 1-based line.
    public var line: Int
    /// 1-based column, counted in Unicode scalars.
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public var description: String { "\(line):\(column)" }

    public static func < (lhs: Mark, rhs: Mark) -> Bool { (lhs.line, lhs.column) < (rhs.line, rhs.column) }
}

/// How a scalar was written. Resolution of untyped scalars is left to the reader of the field: a plain `no` is
/// text in a text field and a boolean only where a boolean is expected; a plain `012345678901` is text where an
/// account ID is expected.
public enum ScalarStyle: Sendable, Hashable {
    case plain
    case singleQuoted
    case doubleQuoted
    case literal
    case folded
}

/// A node of a YAML document, with the position it starts at. Aliases are expanded (within limits), so a node
/// tree never refers to itself.
public struct YAMLNode: Sendable {
    public enum Content: Sendable {
        case scalar(String, ScalarStyle)
        case sequence([YAMLNode])
        case mapping([YAMLPair])
    }

    public var content: Content
    /// Where the node starts.
    public var mark: Mark
    /// The explicit tag, if the text gives one (`!!str`, `!custom`), as libyaml reports it; nil when untagged.
    public var tag: String?

    public init(_ content: Content, mark: Mark, tag: String? = nil) {
        self.content = content
        self.mark = mark
        self.tag = tag
    }

    /// The text of a scalar, nil for a collection.
    public var scalarValue: String? {
        if case .scalar(let value, _) = content { return value }
        return nil
    }

    /// The style of a scalar, nil for a collection.
    public var scalarStyle: ScalarStyle? {
        if case .scalar(_, let style) = content { return style }
        return nil
    }

    /// True for a plain scalar that YAML 1.2's core schema reads as null: empty, `~`, `null`, `Null`, `NULL`.
    public var isNull: Bool {
        guard tag == nil, case .scalar(let value, .plain) = content else { return false }
        return value.isEmpty || value == "~" || value == "null" || value == "Null" || value == "NULL"
    }

    /// Pairs of a mapping, nil otherwise.
    public var mappingPairs: [YAMLPair]? {
        if case .mapping(let pairs) = content { return pairs }
        return nil
    }

    /// Items of a sequence, nil otherwise.
    public var sequenceItems: [YAMLNode]? {
        if case .sequence(let items) = content { return items }
        return nil
    }

    /// What kind of node this is, in words for messages: "text", "a list", "a mapping".
    public var kindDescription: String {
        switch content {
        case .scalar: isNull ? "null" : "a scalar"
        case .sequence: "a list"
        case .mapping: "a mapping"
        }
    }
}

/// One key-value pair of a mapping, in document order.
public struct YAMLPair: Sendable {
    public var key: YAMLNode
    public var value: YAMLNode

    public init(key: YAMLNode, value: YAMLNode) {
        self.key = key
        self.value = value
    }
}

/// One document of a YAML stream.
public struct YAMLDocument: Sendable {
    public var root: YAMLNode
    /// Where the document starts (its `---` if explicit, else its first node).
    public var mark: Mark

    public init(root: YAMLNode, mark: Mark) {
        self.root = root
        self.mark = mark
    }
}

/// A problem met while reading YAML text.
public struct YAMLProblem: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// libyaml's scanner or parser rejected the text.
        case syntax
        /// The bytes are not valid UTF-8.
        case invalidUTF8
        /// A tab stands where indentation is expected.
        case tabIndentation
        /// A mapping key occurs a second time (reported at the second key).
        case duplicateKey
        /// The text is larger than `YAMLLimits.maxBytes`.
        case tooLarge
        /// Collections nest deeper than `YAMLLimits.maxDepth`.
        case tooDeep
        /// Aliases expand to more nodes than `YAMLLimits.maxAliasExpansion`.
        case tooManyAliases
        /// A collection used as a mapping key, or another construct configuration files never need.
        case unsupported
    }

    public var kind: Kind
    /// One sentence, without position.
    public var message: String
    public var mark: Mark
    /// What to do about it, where something helps.
    public var hint: String?

    public init(_ kind: Kind, _ message: String, at mark: Mark, hint: String? = nil) {
        self.kind = kind
        self.message = message
        self.mark = mark
        self.hint = hint
    }

    /// True when reading stopped at this problem (everything but duplicate keys and unsupported constructs).
    public var isFatal: Bool {
        switch kind {
        case .duplicateKey, .unsupported: false
        default: true
        }
    }

    public var description: String { "\(mark): \(message)" }
}

/// Bounds that keep hostile input (a "billion laughs" file, a 100,000-deep nesting, a huge file) from exhausting
/// time or memory.
public struct YAMLLimits: Sendable, Hashable {
    /// Largest text read, in bytes.
    public var maxBytes: Int
    /// Deepest nesting of collections.
    public var maxDepth: Int
    /// Most nodes that aliases may expand to, in total, in one file.
    public var maxAliasExpansion: Int

    public init(maxBytes: Int = 16 << 20, maxDepth: Int = 64, maxAliasExpansion: Int = 100_000) {
        self.maxBytes = maxBytes
        self.maxDepth = maxDepth
        self.maxAliasExpansion = maxAliasExpansion
    }

    public static let `default` = YAMLLimits()
}

/// The result of reading one YAML text: its documents and every problem met. When a fatal problem stopped the
/// reading, `documents` holds those completed before it.
public struct YAMLFile: Sendable {
    public var documents: [YAMLDocument]
    public var problems: [YAMLProblem]

    public init(documents: [YAMLDocument], problems: [YAMLProblem]) {
        self.documents = documents
        self.problems = problems
    }
}

import ProformaCore

/// Gives the text renderer the lines of the files diagnostics point into, so it can show the offending line.
///
/// Paths are those of `SourceLocation.path`: relative to the configuration root. A provider that has no text for a
/// path returns nil, and the diagnostic is shown without its source line.
public protocol SourceProvider {
    /// The lines of the file at `path`, without their line breaks (see `SourceText.lines(in:)`), or nil.
    func lines(of path: String) -> [Substring]?
}

/// Provides no source text: diagnostics are shown without source lines.
public struct NoSources: SourceProvider, Sendable {
    public init() {}

    public func lines(of path: String) -> [Substring]? { nil }
}

/// Source text held in memory, by path.
public struct InMemorySources: SourceProvider, Sendable {
    public var files: [String: String]

    public init(_ files: [String: String]) {
        self.files = files
    }

    public func lines(of path: String) -> [Substring]? {
        files[path].map { SourceText.lines(in: $0) }
    }
}

/// Source text read from a file tree (the working tree or a git revision). Diagnostics' paths start at the
/// configuration root, `root` within the tree ("" when the tree is rooted there). Files that cannot be read give no
/// lines; bytes that are not UTF-8 show as replacement characters, so even an invalid-UTF-8 diagnostic has its line.
/// A file larger than `maxBytes` is not read and gives no lines (its diagnostic is that it is too large).
public struct FileTreeSources: SourceProvider {
    public var tree: any FileTree
    public var root: String
    /// The largest file read for its lines: by default the loader's limit on configuration files, 16 MiB.
    public var maxBytes: Int

    public init(_ tree: any FileTree, root: String = "", maxBytes: Int = 16 << 20) {
        self.tree = tree
        self.root = root
        self.maxBytes = maxBytes
    }

    public func lines(of path: String) -> [Substring]? {
        let treePath = root.isEmpty ? path : root + "/" + path
        guard let bytes = try? tree.contents(of: treePath, maxBytes: maxBytes) else { return nil }
        return SourceText.lines(in: String(decoding: bytes, as: UTF8.self))
    }
}

/// Splitting source text into lines the way the YAML reader counts them.
public enum SourceText {
    /// The lines of `text`, without their breaks. Breaks are those libyaml counts: LF, CR LF, a lone CR, NEL
    /// (U+0085), LS (U+2028) and PS (U+2029). A final break does not start another line; a leading byte order mark
    /// is dropped.
    public static func lines(in text: String) -> [Substring] {
        let scalars = text.unicodeScalars
        var lines: [Substring] = []
        var start = scalars.startIndex
        if start < scalars.endIndex, scalars[start] == "\u{FEFF}" {
            start = scalars.index(after: start)
        }
        var index = start
        while index < scalars.endIndex {
            let scalar = scalars[index]
            switch scalar {
            case "\n", "\r", "\u{85}", "\u{2028}", "\u{2029}":
                lines.append(Substring(scalars[start..<index]))
                var next = scalars.index(after: index)
                if scalar == "\r", next < scalars.endIndex, scalars[next] == "\n" {
                    next = scalars.index(after: next)
                }
                start = next
                index = next
            default:
                index = scalars.index(after: index)
            }
        }
        if start < scalars.endIndex {
            lines.append(Substring(scalars[start..<scalars.endIndex]))
        }
        return lines
    }
}

/// Reads YAML text with libyaml into `YAMLNode` trees.
public enum YAMLParser {
    /// Reads every document of `bytes`. Never throws: problems are returned with the documents read.
    ///
    /// - Text larger than `limits.maxBytes` is not read at all (`.tooLarge` at 1:1).
    /// - A UTF-8 byte order mark at the start is skipped; any other encoding is invalid UTF-8.
    /// - Scalars keep their text, style and explicit tag; nothing is resolved to numbers, booleans or nulls.
    /// - Aliases are expanded into copies of their anchored nodes, within `limits.maxAliasExpansion` nodes in all;
    ///   anchors are local to their document.
    /// - A repeated mapping key is reported (`.duplicateKey`, not fatal) and its second pair dropped: the first
    ///   value is kept. A collection used as a key is reported (`.unsupported`, not fatal) and kept.
    /// - A fatal problem stops the reading; `documents` then holds the documents completed before it.
    /// - Text that is empty or holds only comments has no documents and no problem.
    public static func parse(_ bytes: [UInt8], limits: YAMLLimits = .default) -> YAMLFile {
        guard bytes.count <= limits.maxBytes else {
            return YAMLFile(
                documents: [],
                problems: [
                    YAMLProblem(
                        .tooLarge,
                        "the file is \(grouped(bytes.count)) bytes, more than the limit of "
                            + "\(grouped(limits.maxBytes)) bytes",
                        at: Mark(line: 1, column: 1), hint: "split the configuration into smaller files")
                ])
        }
        var text = bytes[...]
        // libyaml skips the mark itself only when it detects the encoding; the encoding is fixed to UTF-8 (see
        // LibYAMLEventReader), so the mark is dropped here, which also keeps the columns of the first line right.
        if text.starts(with: [0xEF, 0xBB, 0xBF]) { text = text.dropFirst(3) }

        let (builder, error) = read(text, limits: limits)
        guard let error else { return YAMLFile(documents: builder.documents, problems: builder.problems) }
        let problem = LibYAMLProblems(text: TextPositions(bytes: text)).problem(for: error)
        guard error.kind == .reader else {
            return YAMLFile(documents: builder.documents, problems: builder.problems + [problem])
        }
        // libyaml decodes its input some kilobytes ahead of the events it reports, so an encoding error can stop
        // it before the documents that precede the bad byte are complete. Those are read again from the bytes
        // before the bad one; the document cut short there is left out. A syntax error libyaml reports for the
        // cut text may be caused by the cut, so it is not kept; a fatal problem of the tree (depth, aliases) lies
        // wholly before the bad byte, and reading stops there as it would have without the bad byte.
        let (prefix, prefixError) = read(text.prefix(Swift.max(0, error.offset)), limits: limits)
        if prefix.problems.contains(where: \.isFatal) {
            return YAMLFile(documents: prefix.documents, problems: prefix.problems)
        }
        var documents = prefix.documents
        // When libyaml stopped at the cut, the document cut short never ended; otherwise it is the last one,
        // ended by the end of the cut text rather than by a `...` of its own.
        if prefixError == nil, prefix.lastDocumentEndedImplicitly, !documents.isEmpty { documents.removeLast() }
        return YAMLFile(documents: documents, problems: prefix.problems + [problem])
    }

    /// Reads `text` until its end or the first fatal problem. The error is libyaml's, when libyaml stopped.
    private static func read(_ text: ArraySlice<UInt8>, limits: YAMLLimits) -> (TreeBuilder, LibYAMLError?) {
        var builder = TreeBuilder(limits: limits)
        guard !text.isEmpty else { return (builder, nil) }
        guard let reader = LibYAMLEventReader(text) else {
            let error = LibYAMLError(
                kind: .memory, problem: "out of memory", context: nil, problemMark: RawMark(line: 0, column: 0),
                contextMark: RawMark(line: 0, column: 0), offset: 0, value: 0)
            return (builder, error)
        }
        while let event = reader.next() {
            if case .streamEnd = event { return (builder, nil) }
            if !builder.handle(event) { return (builder, nil) }
        }
        return (builder, reader.error)
    }
}

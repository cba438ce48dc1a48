/// Reads YAML text with libyaml into `YAMLNode` trees.
public enum YAMLParser {
    /// Reads every document of `bytes`. Never throws: problems are returned with the documents read.
    ///
    /// - Text larger than `limits.maxBytes` is not read at all (`.tooLarge` at 1:1).
    /// - A UTF-8 byte order mark at the start is skipped; any other encoding is invalid UTF-8.
    /// - Scalars keep their text, style and explicit tag; nothing is resolved to numbers, booleans or nulls.
    /// - Aliases are expanded into copies of their anchored nodes, within `limits.maxAliasExpansion` nodes in all.
    /// - A repeated mapping key is reported (`.duplicateKey`, not fatal) and its second value dropped; the first
    ///   value is kept.
    /// - A fatal problem stops the reading; `documents` then holds the documents completed before it. libyaml
    ///   decodes its input some kilobytes ahead of the events it reports, so an encoding error can stop the reading
    ///   before documents that precede it closely are complete.
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
        // libyaml would skip the mark itself only when it detects the encoding; the encoding is fixed to UTF-8
        // (see LibYAMLEventReader), so the mark is dropped here, keeping the columns of the first line right.
        if text.starts(with: [0xEF, 0xBB, 0xBF]) { text = text.dropFirst(3) }
        guard !text.isEmpty else { return YAMLFile(documents: [], problems: []) }

        guard let reader = LibYAMLEventReader(text) else {
            return YAMLFile(
                documents: [],
                problems: [
                    YAMLProblem(
                        .tooLarge, "ran out of memory while starting to read the YAML text",
                        at: Mark(line: 1, column: 1))
                ])
        }
        var builder = TreeBuilder(limits: limits)
        var problems: [YAMLProblem] = []
        reading: while true {
            switch reader.next() {
            case .success(.streamEnd):
                break reading
            case .success(let event):
                if !builder.handle(event) { break reading }
            case .failure(let error):
                problems.append(LibYAMLProblems(text: TextPositions(bytes: text)).problem(for: error))
                break reading
            }
        }
        return YAMLFile(documents: builder.documents, problems: builder.problems + problems)
    }
}

import CYAML

/// A 0-based position as libyaml reports it, kept apart from the public 1-based `Mark` until the boundary.
struct RawMark: Equatable {
    var line: Int
    var column: Int

    init(_ mark: yaml_mark_t) {
        line = Int(mark.line)
        column = Int(mark.column)
    }

    init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    /// The public, 1-based mark.
    var mark: Mark { Mark(line: line + 1, column: column + 1) }
}

/// One libyaml event, copied out of the C structure before the event is freed.
enum LibYAMLEvent {
    case streamStart
    case streamEnd
    case documentStart(RawMark)
    /// `implicit` is false when the document ends with an explicit `...`.
    case documentEnd(implicit: Bool)
    case alias(anchor: String, RawMark)
    case scalar(value: String, style: ScalarStyle, tag: String?, anchor: String?, RawMark)
    case sequenceStart(tag: String?, anchor: String?, RawMark)
    case sequenceEnd
    case mappingStart(tag: String?, anchor: String?, RawMark)
    case mappingEnd
}

/// Why libyaml stopped: its error kind, problem text, context text and marks, copied out of the parser.
struct LibYAMLError: Error {
    enum Kind {
        case memory
        case reader
        case scanner
        case parser
        case other
    }

    var kind: Kind
    /// libyaml's description of the problem, e.g. "mapping values are not allowed in this context".
    var problem: String
    /// What libyaml was doing, e.g. "while parsing a block mapping"; nil when it gives none.
    var context: String?
    var problemMark: RawMark
    var contextMark: RawMark
    /// Reader errors only: the byte offset of the offending input and the offending value.
    var offset: Int
    var value: Int
}

/// The one owner of a libyaml parser and of the input it reads. The input is copied into memory owned here, so
/// the parser can never outlive the bytes it points to; both are freed in `deinit`, exactly once.
final class LibYAMLEventReader {
    private let parser: UnsafeMutablePointer<yaml_parser_t>
    private let input: UnsafeMutableBufferPointer<UInt8>
    private var finished = false

    /// Prepares to read `bytes` as UTF-8. Nil when libyaml cannot allocate its parser.
    init?(_ bytes: ArraySlice<UInt8>) {
        let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        guard yaml_parser_initialize(parser) == 1 else {
            // A failed initialisation releases what it allocated itself.
            parser.deallocate()
            return nil
        }
        let input = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: Swift.max(bytes.count, 1))
        bytes.withUnsafeBufferPointer { source in
            if let base = source.baseAddress, let target = input.baseAddress {
                target.initialize(from: base, count: source.count)
            }
        }
        // The encoding is fixed to UTF-8: a UTF-16 or UTF-32 byte order mark is then invalid UTF-8 rather than a
        // silent change of encoding, and byte offsets in reader errors stay offsets into these UTF-8 bytes.
        yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)
        yaml_parser_set_input_string(parser, input.baseAddress, bytes.count)
        self.parser = parser
        self.input = input
    }

    deinit {
        yaml_parser_delete(parser)
        parser.deallocate()
        input.deallocate()
    }

    /// Why libyaml stopped, once `next()` has returned nil.
    private(set) var error: LibYAMLError?

    /// The next event, or nil when libyaml stopped at an error (then in `error`). After the end of the stream or
    /// an error, nothing more is read.
    func next() -> LibYAMLEvent? {
        guard !finished else { return error == nil ? .streamEnd : nil }
        var event = yaml_event_t()
        guard yaml_parser_parse(parser, &event) == 1 else {
            finished = true
            error = currentError()
            return nil
        }
        defer { yaml_event_delete(&event) }
        let mark = RawMark(event.start_mark)
        switch event.type {
        case YAML_STREAM_START_EVENT:
            return .streamStart
        case YAML_STREAM_END_EVENT:
            finished = true
            return .streamEnd
        case YAML_DOCUMENT_START_EVENT:
            // An explicit document starts at its `---`, which ends the event; the event itself starts at the
            // first directive (`%YAML`, `%TAG`) when there are any.
            guard event.data.document_start.implicit == 0 else { return .documentStart(mark) }
            let end = RawMark(event.end_mark)
            return .documentStart(RawMark(line: end.line, column: Swift.max(0, end.column - 3)))
        case YAML_DOCUMENT_END_EVENT:
            return .documentEnd(implicit: event.data.document_end.implicit != 0)
        case YAML_ALIAS_EVENT:
            return .alias(anchor: Self.string(event.data.alias.anchor) ?? "", mark)
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            let value: String
            if let start = scalar.value {
                value = String(decoding: UnsafeBufferPointer(start: start, count: scalar.length), as: UTF8.self)
            } else {
                value = ""
            }
            return .scalar(
                value: value, style: Self.style(scalar.style), tag: Self.explicitTag(scalar.tag),
                anchor: Self.string(scalar.anchor), mark)
        case YAML_SEQUENCE_START_EVENT:
            let start = event.data.sequence_start
            return .sequenceStart(tag: Self.explicitTag(start.tag), anchor: Self.string(start.anchor), mark)
        case YAML_SEQUENCE_END_EVENT:
            return .sequenceEnd
        case YAML_MAPPING_START_EVENT:
            let start = event.data.mapping_start
            return .mappingStart(tag: Self.explicitTag(start.tag), anchor: Self.string(start.anchor), mark)
        case YAML_MAPPING_END_EVENT:
            return .mappingEnd
        default:
            // YAML_NO_EVENT: libyaml has nothing more to say.
            finished = true
            return .streamEnd
        }
    }

    private func currentError() -> LibYAMLError {
        let kind: LibYAMLError.Kind =
            switch parser.pointee.error {
            case YAML_MEMORY_ERROR: .memory
            case YAML_READER_ERROR: .reader
            case YAML_SCANNER_ERROR: .scanner
            case YAML_PARSER_ERROR: .parser
            default: .other
            }
        return LibYAMLError(
            kind: kind,
            problem: parser.pointee.problem.map { String(cString: $0) } ?? "unknown error",
            context: parser.pointee.context.map { String(cString: $0) },
            problemMark: RawMark(parser.pointee.problem_mark),
            contextMark: RawMark(parser.pointee.context_mark),
            offset: parser.pointee.problem_offset,
            value: Int(parser.pointee.problem_value))
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let pointer else { return nil }
        return String(cString: pointer)
    }

    /// libyaml reports the non-specific tags `!` (a quoted or `!`-marked node) and `?` as tags; they say "no
    /// explicit tag" and are reported as nil.
    private static func explicitTag(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let tag = string(pointer), tag != "!", tag != "?", !tag.isEmpty else { return nil }
        return tag
    }

    private static func style(_ style: yaml_scalar_style_t) -> ScalarStyle {
        switch style {
        case YAML_SINGLE_QUOTED_SCALAR_STYLE: .singleQuoted
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE: .doubleQuoted
        case YAML_LITERAL_SCALAR_STYLE: .literal
        case YAML_FOLDED_SCALAR_STYLE: .folded
        default: .plain
        }
    }
}

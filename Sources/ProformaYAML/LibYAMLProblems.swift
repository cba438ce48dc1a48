/// Turns libyaml's errors into `YAMLProblem`s: one clear sentence at a 1-based mark, with a hint where one helps.
///
/// libyaml gives an error kind (reader, scanner, parser, memory) and English problem and context texts, but no
/// finer code, so its texts are matched here, inside the wrapper, to pick messages and hints. Texts not known here
/// still read well: the problem text is kept and the context is added to it.
struct LibYAMLProblems {
    let text: TextPositions

    static let tabMessage = "tab character used for indentation"
    static let tabHint = "indent with spaces; YAML does not allow tabs in indentation"

    func problem(for error: LibYAMLError) -> YAMLProblem {
        switch error.kind {
        case .reader:
            return readerProblem(error)
        case .scanner, .parser:
            return syntaxProblem(error)
        case .memory:
            return YAMLProblem(
                .tooLarge, "ran out of memory while reading the YAML text", at: error.problemMark.mark,
                hint: "split the configuration into smaller files")
        case .other:
            return YAMLProblem(.syntax, sentence(error.problem), at: error.problemMark.mark)
        }
    }

    // MARK: - Reader errors: encoding

    private func readerProblem(_ error: LibYAMLError) -> YAMLProblem {
        let bytes = text.bytes
        var offset = Swift.min(Swift.max(error.offset, 0), bytes.count)
        let byte: (Int) -> UInt8? = { index in
            index < bytes.count ? bytes[bytes.startIndex + index] : nil
        }
        let hex: (UInt8) -> String = { value in
            let digits = String(value, radix: 16, uppercase: true)
            return "0x" + (digits.count < 2 ? "0" + digits : digits)
        }
        let message: String
        var hint = "save the file with UTF-8 encoding"
        switch error.problem {
        case "control characters are not allowed":
            let scalar = String(error.value, radix: 16, uppercase: true)
            let padded = String(repeating: "0", count: Swift.max(0, 4 - scalar.count)) + scalar
            return YAMLProblem(
                .syntax, "control character U+\(padded) is not allowed in YAML text",
                at: text.position(ofOffset: offset).mark,
                hint: "remove it, or write it as an escape such as \\x\(padded.suffix(2)) in double quotes")
        case "invalid trailing UTF-8 octet":
            // libyaml points at the byte that fails to continue the sequence; report the sequence's first byte.
            var start = offset
            while start > 0, let previous = byte(start - 1), previous & 0xC0 == 0x80, offset - start < 3 {
                start -= 1
            }
            if start > 0, let lead = byte(start - 1), lead >= 0xC0 { start -= 1 }
            offset = start
            let lead = byte(offset).map(hex) ?? "?"
            message = "the text is not valid UTF-8: the character starting with byte \(lead) is cut short"
        case "incomplete UTF-8 octet sequence":
            let lead = byte(offset).map(hex) ?? "?"
            message = "the text is not valid UTF-8: it ends in the middle of a character starting with byte \(lead)"
        case "invalid leading UTF-8 octet":
            let value = byte(offset).map(hex) ?? "?"
            message = "the text is not valid UTF-8: byte \(value) cannot start a character"
            let first = byte(0)
            let second = byte(1)
            if offset == 0, (first == 0xFF && second == 0xFE) || (first == 0xFE && second == 0xFF) {
                hint = "the file looks like UTF-16; save it with UTF-8 encoding"
            }
        case "invalid length of a UTF-8 sequence":
            message = "the text is not valid UTF-8: a character is encoded with more bytes than it needs"
        case "invalid Unicode character":
            message = "the text is not valid UTF-8: the bytes encode no Unicode character"
        default:
            message = "the text is not valid UTF-8: \(error.problem)"
        }
        return YAMLProblem(.invalidUTF8, message, at: text.position(ofOffset: offset).mark, hint: hint)
    }

    // MARK: - Scanner and parser errors

    private func syntaxProblem(_ error: LibYAMLError) -> YAMLProblem {
        if let tab = tabProblem(error) { return tab }
        let problem = error.problem
        let at = error.problemMark.mark
        let start = error.contextMark != error.problemMark ? error.contextMark.mark : nil
        let startsAt = start.map { " that starts at line \($0.line), column \($0.column)" } ?? ""

        switch problem {
        case "mapping values are not allowed in this context":
            return YAMLProblem(
                .syntax, "mapping values are not allowed in this context", at: at,
                hint: "put a value that contains ': ' in quotes; a nested mapping starts on a new, indented line")
        case "block sequence entries are not allowed in this context":
            return YAMLProblem(
                .syntax, "list items ('- ') are not allowed in this context", at: at,
                hint: "a list under a key starts on a new line; check the indentation")
        case "did not find expected key":
            return YAMLProblem(
                .syntax, "expected a key of the mapping\(startsAt)", at: at,
                hint: "check the indentation: the keys of one mapping start in the same column")
        case "did not find expected '-' indicator":
            return YAMLProblem(
                .syntax, "expected a '- ' item of the list\(startsAt)", at: at,
                hint: "check the indentation: the items of one list start in the same column")
        case "could not find expected ':'":
            return YAMLProblem(
                .syntax, "could not find the ':' after the key\(startsAt)", at: at,
                hint: "write a key as 'key: value'; check for an unclosed quote or bracket")
        case "did not find expected ',' or ']'":
            return YAMLProblem(
                .syntax, "expected ',' or ']' in the list\(startsAt)", at: at,
                hint: "separate list items with ',' and close the list with ']'")
        case "did not find expected ',' or '}'":
            return YAMLProblem(
                .syntax, "expected ',' or '}' in the mapping\(startsAt)", at: at,
                hint: "separate entries with ',' and close the mapping with '}'")
        case "found unexpected end of stream" where error.context == "while scanning a quoted scalar":
            return YAMLProblem(
                .syntax, "the quoted text\(startsAt) is not closed", at: at, hint: "add the closing quote")
        case "found unknown escape character":
            return YAMLProblem(
                .syntax, "unknown escape sequence in double-quoted text\(startsAt)", at: at,
                hint: "write a backslash as \\\\ in double quotes, or use single quotes")
        case "did not find expected <document start>":
            return YAMLProblem(
                .syntax, "expected '---' before the next document", at: at,
                hint: "start each document with a '---' line")
        case "found character that cannot start any token":
            guard let character = characterDescription(at: error.problemMark) else {
                return YAMLProblem(.syntax, "found a character that cannot start a value here", at: at)
            }
            var hint: String? = nil
            if character == "'@'" || character == "'`'" {
                hint = "'@' and '`' are reserved in YAML; put the value in quotes"
            }
            return YAMLProblem(.syntax, "the character \(character) cannot start a value here", at: at, hint: hint)
        default:
            return YAMLProblem(.syntax, sentence(problem) + contextPhrase(error), at: at)
        }
    }

    /// A tab libyaml rejected where the text is indented, reported at the tab with a message that names it.
    private func tabProblem(_ error: LibYAMLError) -> YAMLProblem? {
        let tabRelated =
            error.problem == "found a tab character that violates indentation"
            || error.problem == "found a tab character where an indentation space is expected"
        if tabRelated, let index = text.index(of: error.problemMark), text.bytes[index] == 0x09 {
            return YAMLProblem(
                .tabIndentation, Self.tabMessage, at: error.problemMark.mark, hint: Self.tabHint)
        }
        // Any other error on a line indented with a tab is taken to be caused by the tab: libyaml often reads such
        // a line as part of the line before it, and complains about what follows.
        if let tab = text.tabInIndentation(ofLine: error.problemMark.line) {
            let mark = text.position(ofOffset: tab - text.bytes.startIndex).mark
            return YAMLProblem(.tabIndentation, Self.tabMessage, at: mark, hint: Self.tabHint)
        }
        if error.problem == "found character that cannot start any token",
            let index = text.index(of: error.problemMark), text.bytes[index] == 0x09
        {
            return YAMLProblem(
                .syntax, "a tab character cannot stand here", at: error.problemMark.mark,
                hint: "use spaces instead of tabs")
        }
        return nil
    }

    /// The character at a position, quoted for a message: `'@'`, or `U+00A0` for an invisible one.
    private func characterDescription(at mark: RawMark) -> String? {
        guard let index = text.index(of: mark) else { return nil }
        let rest = text.bytes[index...].prefix(4)
        guard let scalar = String(decoding: rest, as: UTF8.self).unicodeScalars.first else { return nil }
        if scalar.value > 0x20, scalar.value != 0x7F, !scalar.properties.isWhitespace {
            return "'\(Character(scalar))'"
        }
        let digits = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: Swift.max(0, 4 - digits.count)) + digits
    }

    /// libyaml's context ("while parsing a block mapping") as the end of a sentence: " in the block mapping that
    /// starts at line 1, column 1".
    private func contextPhrase(_ error: LibYAMLError) -> String {
        guard var context = error.context, context != "while scanning for the next token" else { return "" }
        for prefix in ["while parsing ", "while scanning "] where context.hasPrefix(prefix) {
            context.removeFirst(prefix.count)
        }
        for article in ["a ", "an "] where context.hasPrefix(article) {
            context = "the " + context.dropFirst(article.count)
        }
        if error.contextMark != error.problemMark {
            let start = error.contextMark.mark
            return " in \(context) that starts at line \(start.line), column \(start.column)"
        }
        return " in \(context)"
    }

    /// libyaml's problem text made to read as a sentence: "did not find expected node content" stays as it is,
    /// "found undefined tag handle" too; only stray spacing is tidied.
    private func sentence(_ problem: String) -> String {
        problem.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
    }
}

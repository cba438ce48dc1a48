import ProformaCore

/// A JSON value with the 1-based line and column it starts at.
public struct OrganizationJSON: Sendable, Hashable {
    public indirect enum Kind: Sendable, Hashable {
        case object([Member])
        case array([OrganizationJSON])
        case string(String)
        /// The number as written.
        case number(String)
        case boolean(Bool)
        case null
    }

    public struct Member: Sendable, Hashable {
        public var key: String
        public var value: OrganizationJSON
    }

    public var kind: Kind
    public var line: Int
    public var column: Int

    public subscript(key: String) -> OrganizationJSON? {
        guard case .object(let members) = kind else { return nil }
        return members.first { $0.key == key }?.value
    }

    public var string: String? {
        if case .string(let text) = kind { return text }
        return nil
    }

    public var array: [OrganizationJSON]? {
        if case .array(let items) = kind { return items }
        return nil
    }

    public var isNull: Bool { kind == .null }

    /// "a string", "an object"…, for messages.
    public var kindDescription: String {
        switch kind {
        case .object: "an object"
        case .array: "a list"
        case .string: "a string"
        case .number: "a number"
        case .boolean: "true or false"
        case .null: "null"
        }
    }
}

/// Why an organization's data cannot be read or written: one line naming the file and, where there is one, the
/// line and column.
public struct OrganizationImportError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var column: Int?
    public var message: String
    public var hint: String?

    public init(file: String, line: Int? = nil, column: Int? = nil, message: String, hint: String? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        self.hint = hint
    }

    init(file: String, at value: OrganizationJSON, _ message: String, hint: String? = nil) {
        self.init(file: file, line: value.line, column: value.column, message: message, hint: hint)
    }

    public var description: String {
        let place = line.map { "\(file):\($0):\(column ?? 1)" } ?? file
        return "\(place): \(message)"
    }
}

/// Reads the JSON the `aws` command line writes: one document, or several one after another (the pages of a
/// paginated call written to one file, `aws … --no-paginate` in a loop), separated by white space.
public enum JSONDocuments {
    /// Nesting deeper than this is refused (the outputs read here are three levels deep).
    public static let maxDepth = 64

    public static func parse(_ bytes: [UInt8], file: String) throws(OrganizationImportError) -> [OrganizationJSON] {
        var parser = Parser(bytes: bytes, file: file)
        return try parser.documents()
    }

    struct Parser {
        let bytes: [UInt8]
        let file: String
        var position = 0
        var line = 1
        var column = 1

        init(bytes: [UInt8], file: String) {
            self.bytes = bytes
            self.file = file
            // A UTF-8 byte order mark is skipped.
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
        }

        func error(_ message: String, hint: String? = nil) -> OrganizationImportError {
            OrganizationImportError(file: file, line: line, column: column, message: message, hint: hint)
        }

        var current: UInt8? { position < bytes.count ? bytes[position] : nil }

        mutating func advance() {
            let byte = bytes[position]
            position += 1
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }

        mutating func skipSpace() {
            while let byte = current, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { advance() }
        }

        mutating func documents() throws(OrganizationImportError) -> [OrganizationJSON] {
            var result: [OrganizationJSON] = []
            skipSpace()
            guard current != nil else {
                throw error("holds no JSON", hint: "write the output of the aws command to the file")
            }
            while current != nil {
                result.append(try value(depth: 0))
                skipSpace()
            }
            return result
        }

        func describe(_ byte: UInt8) -> Swift.String {
            if byte >= 0x21 && byte < 0x7F { return "\"\(Character(Unicode.Scalar(byte)))\"" }
            let digits = Array("0123456789ABCDEF")
            return "byte 0x\(digits[Int(byte >> 4)])\(digits[Int(byte & 0xF)])"
        }

        mutating func value(depth: Int) throws(OrganizationImportError) -> OrganizationJSON {
            guard depth < JSONDocuments.maxDepth else {
                throw error("JSON nested more than \(JSONDocuments.maxDepth) deep")
            }
            skipSpace()
            let (startLine, startColumn) = (line, column)
            guard let byte = current else { throw error("the JSON ends where a value is expected") }
            let kind: OrganizationJSON.Kind
            switch byte {
            case UInt8(ascii: "{"):
                advance()
                var members: [OrganizationJSON.Member] = []
                skipSpace()
                if current == UInt8(ascii: "}") {
                    advance()
                } else {
                    while true {
                        skipSpace()
                        guard current == UInt8(ascii: "\"") else {
                            throw current == nil
                                ? error("the JSON ends inside an object") : error("expected a key in quotes")
                        }
                        let key = try string()
                        skipSpace()
                        guard current == UInt8(ascii: ":") else { throw error("expected \":\" after the key") }
                        advance()
                        let item = try value(depth: depth + 1)
                        if members.contains(where: { $0.key == key }) {
                            throw OrganizationImportError(
                                file: file, line: item.line, column: item.column, message: "key \"\(key)\" given twice")
                        }
                        members.append(OrganizationJSON.Member(key: key, value: item))
                        skipSpace()
                        if current == UInt8(ascii: ",") {
                            advance()
                            continue
                        }
                        guard current == UInt8(ascii: "}") else {
                            throw current == nil
                                ? error("the JSON ends inside an object") : error("expected \",\" or \"}\"")
                        }
                        advance()
                        break
                    }
                }
                kind = .object(members)
            case UInt8(ascii: "["):
                advance()
                var items: [OrganizationJSON] = []
                skipSpace()
                if current == UInt8(ascii: "]") {
                    advance()
                } else {
                    while true {
                        items.append(try value(depth: depth + 1))
                        skipSpace()
                        if current == UInt8(ascii: ",") {
                            advance()
                            continue
                        }
                        guard current == UInt8(ascii: "]") else {
                            throw current == nil
                                ? error("the JSON ends inside a list") : error("expected \",\" or \"]\"")
                        }
                        advance()
                        break
                    }
                }
                kind = .array(items)
            case UInt8(ascii: "\""):
                kind = .string(try string())
            case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
                let words: [(String, OrganizationJSON.Kind)] = [
                    ("true", .boolean(true)), ("false", .boolean(false)), ("null", .null),
                ]
                guard let (word, wordKind) = words.first(where: { bytes[position...].starts(with: Array($0.0.utf8)) })
                else { throw error("unexpected \(describe(byte))") }
                for _ in word.utf8 { advance() }
                kind = wordKind
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                let start = position
                while let next = current,
                    next == UInt8(ascii: "-") || next == UInt8(ascii: "+") || next == UInt8(ascii: ".")
                        || next == UInt8(ascii: "e") || next == UInt8(ascii: "E")
                        || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(next)
                {
                    advance()
                }
                kind = .number(Swift.String(decoding: bytes[start..<position], as: UTF8.self))
            default:
                throw error(
                    "unexpected \(describe(byte))", hint: "is this the JSON output of the aws command (--output json)?")
            }
            return OrganizationJSON(kind: kind, line: startLine, column: startColumn)
        }

        mutating func string() throws(OrganizationImportError) -> Swift.String {
            advance()  // the opening quote
            var scalars = Swift.String.UnicodeScalarView()
            var pendingBytes: [UInt8] = []
            func flush() throws(OrganizationImportError) {
                guard !pendingBytes.isEmpty else { return }
                guard let text = Swift.String(validating: pendingBytes, as: UTF8.self) else {
                    throw error("a string is not valid UTF-8")
                }
                scalars.append(contentsOf: text.unicodeScalars)
                pendingBytes.removeAll()
            }
            while true {
                guard let byte = current else { throw error("the JSON ends inside a string") }
                if byte == UInt8(ascii: "\"") {
                    advance()
                    break
                }
                if byte < 0x20 { throw error("a control character inside a string", hint: "escape it (\\n, \\u0001)") }
                if byte != UInt8(ascii: "\\") {
                    pendingBytes.append(byte)
                    advance()
                    continue
                }
                try flush()
                advance()
                guard let escape = current else { throw error("the JSON ends inside a string") }
                advance()
                switch escape {
                case UInt8(ascii: "\""): scalars.append("\"")
                case UInt8(ascii: "\\"): scalars.append("\\")
                case UInt8(ascii: "/"): scalars.append("/")
                case UInt8(ascii: "b"): scalars.append("\u{08}")
                case UInt8(ascii: "f"): scalars.append("\u{0C}")
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "r"): scalars.append("\r")
                case UInt8(ascii: "t"): scalars.append("\t")
                case UInt8(ascii: "u"):
                    var code = try hex4()
                    if (0xD800..<0xDC00).contains(code) {
                        guard current == UInt8(ascii: "\\") else { throw error("a lone surrogate in a \\u escape") }
                        advance()
                        guard current == UInt8(ascii: "u") else { throw error("a lone surrogate in a \\u escape") }
                        advance()
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw error("a lone surrogate in a \\u escape") }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let scalar = Unicode.Scalar(code) else { throw error("a lone surrogate in a \\u escape") }
                    scalars.append(scalar)
                default:
                    throw error("unknown escape \\\(Character(Unicode.Scalar(escape)))")
                }
            }
            try flush()
            return Swift.String(scalars)
        }

        mutating func hex4() throws(OrganizationImportError) -> UInt32 {
            var code: UInt32 = 0
            for _ in 0..<4 {
                guard let byte = current, let digit = Self.hexValue(byte) else {
                    throw error("a \\u escape needs four hexadecimal digits")
                }
                code = code << 4 | digit
                advance()
            }
            return code
        }

        static func hexValue(_ byte: UInt8) -> UInt32? {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
            default: nil
            }
        }
    }
}

import ProformaCore
import ProformaModel
import ProformaYAML

/// A value read from YAML according to its `FieldType`: a closed, typed intermediate between the node tree and
/// the model. Values that do not fit their type are reported and left out, so builders see only good values.
enum Value {
    case text(String)
    case decimal(ExactDecimal)
    case integer(Int)
    case boolean(Bool)
    case period(BillingPeriod)
    case list([Value])
    case object(ObjectValue)
    case tags(Tags)

    var text: String? {
        if case .text(let value) = self { return value }
        return nil
    }
}

/// The fields of a mapping that were read successfully, by name.
struct ObjectValue {
    /// The fields read, in document order. A mapping has a dozen fields at most, so a linear search beats hashing.
    var entries: [(name: String, value: Value)] = []
    /// Required fields that were absent or invalid.
    var incomplete = false

    /// The field's value, if it was read.
    subscript(_ name: String) -> Value? {
        for entry in entries where entry.name == name { return entry.value }
        return nil
    }

    func text(_ name: String) -> String? { self[name]?.text }

    func decimal(_ name: String) -> ExactDecimal? {
        if case .decimal(let value) = self[name] { return value }
        return nil
    }

    func integer(_ name: String) -> Int? {
        if case .integer(let value) = self[name] { return value }
        return nil
    }

    func boolean(_ name: String) -> Bool? {
        if case .boolean(let value) = self[name] { return value }
        return nil
    }

    func period(_ name: String) -> BillingPeriod? {
        if case .period(let value) = self[name] { return value }
        return nil
    }

    func list(_ name: String) -> [Value]? {
        if case .list(let value) = self[name] { return value }
        return nil
    }

    func texts(_ name: String) -> [String]? { list(name)?.compactMap(\.text) }

    func object(_ name: String) -> ObjectValue? {
        if case .object(let value) = self[name] { return value }
        return nil
    }

    func objects(_ name: String) -> [ObjectValue]? {
        list(name)?.compactMap {
            if case .object(let value) = $0 { return value }
            return nil
        }
    }

    func tags(_ name: String) -> Tags {
        if case .tags(let value) = self[name] { return value }
        return [:]
    }
}

/// Reads nodes into values by their specification, collecting diagnostics and field locations.
struct ValueReader {
    let path: String
    var diagnostics: [Diagnostic] = []
    /// Field path → packed position of its value, for the source map.
    var fieldMarks: [ResourceSource.FieldMark] = []
    /// List path → packed positions of its scalar items.
    var itemMarks: [String: [UInt64]] = [:]

    init(path: String) {
        self.path = path
    }

    func location(_ mark: Mark) -> SourceLocation {
        SourceLocation(path: path, line: mark.line, column: mark.column)
    }

    mutating func report(
        _ code: DiagnosticCode, _ message: String, at mark: Mark, hint: String? = nil
    ) {
        diagnostics.append(Diagnostic(code.defaultSeverity, code, message, at: location(mark), hint: hint))
    }

    /// Reads the fields of `node` (a mapping) by `fields`, skipping the keys in `skipping`.
    /// `context` names the mapping in messages ("BillingGroup", "flat").
    mutating func readObject(
        _ node: YAMLNode, fields: [FieldSpec], fieldPath: String, context: String, skipping: Set<String> = []
    ) -> ObjectValue? {
        guard let pairs = node.mappingPairs else {
            report(
                .wrongType, "\(describe(fieldPath, context)) must be a mapping, found \(node.kindDescription)",
                at: node.mark)
            return nil
        }
        var object = ObjectValue()
        object.entries.reserveCapacity(pairs.count)
        var seen = [Bool](repeating: false, count: fields.count)
        for pair in pairs {
            guard let key = pair.key.scalarValue else { continue }  // reported by the YAML reader
            if skipping.contains(key) { continue }
            if key == "<<" && pair.key.scalarStyle == .plain {
                report(
                    .unsupportedYAML, "YAML merge keys (<<) are not supported", at: pair.key.mark,
                    hint: "write the fields out; proforma reads YAML 1.2, which has no merge keys")
                continue
            }
            guard let specIndex = fields.firstIndex(where: { $0.name == key }) else {
                let known = fields.map(\.name)
                let hint = Suggestions.hint(for: key, among: known)
                    ?? "the fields of \(context) are: \(known.joined(separator: ", "))"
                report(.unknownField, "unknown field \"\(shown(key))\" in \(context)", at: pair.key.mark, hint: hint)
                continue
            }
            seen[specIndex] = true
            let spec = fields[specIndex]
            // The spec's own string, so a million field paths share a few buffers.
            let childPath = fieldPath.isEmpty ? spec.name : "\(fieldPath).\(spec.name)"
            if pair.value.isNull {
                if spec.required {
                    report(.missingField, "field \"\(shown(key))\" of \(context) has no value", at: pair.value.mark)
                    object.incomplete = true
                }
                continue
            }
            if let value = read(
                pair.value, as: spec.type, fieldPath: childPath, field: key, context: context, keyMark: pair.key.mark)
            {
                object.entries.append((spec.name, value))
            } else if spec.required {
                object.incomplete = true
            }
        }
        for (index, spec) in fields.enumerated() where spec.required && !seen[index] && !skipping.contains(spec.name) {
            report(
                .missingField, "\(context) is missing the required field \"\(spec.name)\"", at: node.mark,
                hint: spec.summary)
            object.incomplete = true
        }
        return object
    }

    private func describe(_ fieldPath: String, _ context: String) -> String {
        fieldPath.isEmpty ? context : "\"\(fieldPath)\""
    }

    /// Reads one value; nil (with a diagnostic) when it does not fit.
    mutating func read(
        _ node: YAMLNode, as type: FieldType, fieldPath: String, field: String, context: String, keyMark: Mark? = nil,
        listPath: String? = nil
    ) -> Value? {
        // A collection is located at its key (where a reader looks for it); a scalar at its value. Scalar items
        // of a list are kept by index under the list's path.
        switch node.content {
        case .scalar:
            if let listPath {
                itemMarks[listPath, default: []].append(ResourceSource.pack(line: node.mark.line, column: node.mark.column))
            } else {
                fieldMarks.append(.init(path: fieldPath, mark: ResourceSource.pack(line: node.mark.line, column: node.mark.column)))
            }
        default:
            let mark = keyMark ?? node.mark
            fieldMarks.append(.init(path: fieldPath, mark: ResourceSource.pack(line: mark.line, column: mark.column)))
        }
        switch type {
        case .object(let fields):
            return readObject(node, fields: fields, fieldPath: fieldPath, context: "\"\(fieldPath)\"").map {
                .object($0)
            }
        case .list(let element, _):
            guard let items = node.sequenceItems else {
                report(
                    .wrongType, "\"\(fieldPath)\" must be a list, found \(node.kindDescription)", at: node.mark,
                    hint: "write it as [a, b] or one \"- item\" per line")
                return nil
            }
            var values: [Value] = []
            values.reserveCapacity(items.count)
            var seen: Set<String> = []
            let scalarItems = element.isScalar
            for (index, item) in items.enumerated() {
                if item.isNull {
                    report(.wrongType, "\"\(fieldPath)[\(index)]\" is empty", at: item.mark)
                    if scalarItems { itemMarks[fieldPath, default: []].append(ResourceSource.pack(line: item.mark.line, column: item.mark.column)) }
                    continue
                }
                let itemPath = "\(fieldPath)[\(index)]"
                if let value = read(
                    item, as: element, fieldPath: itemPath, field: field, context: context,
                    listPath: scalarItems ? fieldPath : nil)
                {
                    if let text = value.text, element.isSetMember, !seen.insert(text).inserted {
                        report(
                            .duplicateListEntry, "\"\(fieldPath)\" lists \"\(shown(text))\" twice", at: item.mark,
                            hint: "remove the second entry; the list is a set")
                        continue
                    }
                    values.append(value)
                }
            }
            return .list(values)
        case .tags:
            return readTags(node, fieldPath: fieldPath)
        default:
            return readScalar(node, as: type, fieldPath: fieldPath, field: field)
        }
    }

    private mutating func readTags(_ node: YAMLNode, fieldPath: String) -> Value? {
        guard let pairs = node.mappingPairs else {
            report(.wrongType, "\"\(fieldPath)\" must be a mapping of text to text", at: node.mark)
            return nil
        }
        var tags: Tags = [:]
        if pairs.count > Limits.tagsPerResource {
            report(
                .quotaExceeded, "\"\(fieldPath)\" has \(pairs.count) tags; at most \(Limits.tagsPerResource) are allowed",
                at: node.mark)
        }
        for pair in pairs {
            guard let key = pair.key.scalarValue else { continue }  // reported by the YAML reader
            guard let value = pair.value.scalarValue else {
                report(.wrongType, "tag values in \"\(fieldPath)\" must be text", at: pair.value.mark)
                continue
            }
            if key.isEmpty || key.count > Limits.tagKeyLength {
                report(
                    .tooLong, "tag key \"\(shown(key))\" must be 1 to \(Limits.tagKeyLength) characters",
                    at: pair.key.mark)
                continue
            }
            if value.count > Limits.tagValueLength {
                report(
                    .tooLong,
                    "tag \"\(shown(key))\" is \(value.count) characters long; at most \(Limits.tagValueLength)",
                    at: pair.value.mark)
                continue
            }
            if pair.key.scalarStyle == .plain && pair.key.tag == nil {
                warnOfOtherReadings(key, in: "a key of \"\(fieldPath)\"", at: pair.key.mark)
            }
            if pair.value.scalarStyle == .plain && pair.value.tag == nil {
                warnOfOtherReadings(value, in: "\"\(fieldPath).\(shown(key))\"", at: pair.value.mark)
            }
            tags[key] = pair.value.isNull ? "" : value
        }
        return .tags(tags)
    }

    private mutating func readScalar(_ node: YAMLNode, as type: FieldType, fieldPath: String, field: String) -> Value? {
        guard case .scalar(let text, let style) = node.content else {
            report(
                .wrongType, "\"\(fieldPath)\" must be \(type.expectation), found \(node.kindDescription)",
                at: node.mark)
            return nil
        }
        if let tag = node.tag, !(tag == "tag:yaml.org,2002:str" && type.acceptsText) {
            report(
                .unsupportedYAML, "YAML tag \(Self.shortTag(tag)) is not supported on \"\(fieldPath)\"", at: node.mark,
                hint: type.acceptsText ? "remove the tag; !!str is the only tag text fields take" : "remove the tag")
            return nil
        }
        let plain = style == .plain && node.tag == nil
        switch type {
        case .text(let minLength, let maxLength, let pattern):
            let length = text.count
            if let maxLength, length > maxLength {
                report(
                    .tooLong, "\"\(fieldPath)\" is \(length) characters long; at most \(maxLength) are allowed",
                    at: node.mark)
                return nil
            }
            if let minLength, length < minLength {
                report(
                    .invalidValue,
                    "\"\(fieldPath)\" must have at least \(minLength) character\(minLength == 1 ? "" : "s")",
                    at: node.mark)
                return nil
            }
            if let pattern, !Pattern.matches(pattern, text) {
                report(
                    .invalidValue, "\"\(fieldPath)\" value \"\(shown(text))\" does not match \(pattern)", at: node.mark)
                return nil
            }
            if plain { warnOfOtherReadings(text, in: "\"\(fieldPath)\"", at: node.mark) }
            return .text(text)
        case .name:
            guard !text.isEmpty, text.count <= Limits.nameLength, Pattern.isName(text) else {
                report(
                    .invalidName,
                    "\"\(shown(text))\" is not a valid name: names are 1 to 128 letters, digits and _+=.@-",
                    at: node.mark, hint: Pattern.nameHint(text))
                return nil
            }
            if plain { warnOfOtherReadings(text, in: "\"\(fieldPath)\"", at: node.mark) }
            return .text(text)
        case .accountID:
            let digits = !text.isEmpty && text.utf8.allSatisfy { $0 >= 48 && $0 <= 57 }
            guard digits && text.utf8.count == 12 else {
                report(
                    .invalidAccountID, "\"\(shown(text))\" is not an AWS account ID: account IDs are exactly 12 digits",
                    at: node.mark,
                    hint: digits && plain && text.utf8.count < 12
                        ? "quote account IDs so leading zeros are kept: \"\(String(repeating: "0", count: 12 - text.utf8.count))\(shown(text))\""
                        : nil)
                return nil
            }
            if plain {
                report(
                    .numericAccountID,
                    "account ID \(shown(text)) is an unquoted number; proforma reads it as text, but other YAML tools read a number\(text.hasPrefix("0") ? " and drop the leading zero" : "")",
                    at: node.mark, hint: "quote it: \"\(shown(text))\"")
            }
            return .text(text)
        case .decimal(let minimum, let maximum):
            guard plain else {
                report(
                    .wrongType, "\"\(fieldPath)\" must be a number, found quoted text \"\(shown(text))\"",
                    at: node.mark,
                    hint: "remove the quotes")
                return nil
            }
            guard let value = ExactDecimal(text.replacingUnderscores()) else {
                report(
                    .invalidDecimal, "\"\(fieldPath)\" value \"\(shown(text))\" is not a decimal number", at: node.mark,
                    hint: "write a plain decimal such as 12.5 (at most \(ExactDecimal.maxDigits) digits)")
                return nil
            }
            // Ranges with a code of their own (modifiers, charges) are checked by the validator.
            if !Self.rangesCheckedByValidator.contains(field) {
                if let minimum, value < minimum {
                    report(
                        .invalidValue, "\"\(fieldPath)\" must be at least \(minimum), found \(shown(text))",
                        at: node.mark)
                    return nil
                }
                if let maximum, value > maximum {
                    report(
                        .invalidValue, "\"\(fieldPath)\" must be at most \(maximum), found \(shown(text))",
                        at: node.mark)
                    return nil
                }
            }
            return .decimal(value)
        case .integer(let minimum, let maximum):
            guard plain, let value = Int(text) else {
                report(.wrongType, "\"\(fieldPath)\" must be a whole number, found \"\(shown(text))\"", at: node.mark)
                return nil
            }
            if (minimum.map { value < $0 } ?? false) || (maximum.map { value > $0 } ?? false) {
                if field == "version" {
                    report(
                        .unsupportedVersion, "configuration version \(value) is not supported; this proforma reads version 1",
                        at: node.mark, hint: "upgrade proforma, or write version: 1")
                } else {
                    report(.invalidValue, "\"\(fieldPath)\" value \(value) is out of range", at: node.mark)
                }
                return nil
            }
            return .integer(value)
        case .boolean:
            switch (plain, text) {
            case (true, "true"), (true, "True"), (true, "TRUE"): return .boolean(true)
            case (true, "false"), (true, "False"), (true, "FALSE"): return .boolean(false)
            default:
                report(
                    .wrongType, "\"\(fieldPath)\" must be true or false, found \"\(shown(text))\"", at: node.mark,
                    hint: "YAML 1.2 booleans are true and false; yes, no, on and off are text")
                return nil
            }
        case .period:
            guard let period = BillingPeriod(text) else {
                report(
                    .invalidPeriod, "\"\(fieldPath)\" value \"\(shown(text))\" is not a billing period", at: node.mark,
                    hint: "write a month as YYYY-MM, e.g. 2026-10")
                return nil
            }
            return .period(period)
        case .enumeration(let allowed):
            guard allowed.contains(text) else {
                let hint = allowed.first { $0.lowercased() == text.lowercased() }.map { "did you mean \"\($0)\"?" }
                    ?? Suggestions.hint(for: text, among: allowed)
                    ?? "allowed: \(allowed.joined(separator: ", "))"
                report(
                    .invalidValue,
                    "\"\(fieldPath)\" must be one of \(allowed.joined(separator: ", ")); found \"\(shown(text))\"",
                    at: node.mark, hint: hint)
                return nil
            }
            return .text(text)
        case .object, .list, .tags:
            return nil  // handled by read(_:as:)
        }
    }
}

/// A value as messages quote it: cut after 100 characters, since a value may be megabytes long.
func shown(_ text: String) -> String {
    guard text.utf8.count > 100, text.unicodeScalars.count > 100 else { return text }
    var cut = String.UnicodeScalarView()
    cut.append(contentsOf: text.unicodeScalars.prefix(100))
    return String(cut) + "… (\(text.unicodeScalars.count) characters)"
}

extension ValueReader {
    /// A warning when other YAML tools read `text`, a plain scalar proforma reads as text, as something else: a
    /// boolean (`no`), a number written otherwise (`012`, `1:20`). Account IDs have a warning of their own.
    /// `place` names where the value stands: `"description"`, `a key of "tags"`.
    mutating func warnOfOtherReadings(_ text: String, in place: String, at mark: Mark) {
        guard let reading = OtherYAMLReadings.reading(ofPlain: text) else { return }
        report(
            .otherYAMLReading,
            "unquoted \(shown(text)) in \(place) is text here, but other YAML tools read it as \(reading)",
            at: mark, hint: "quote it: \"\(shown(text))\"")
    }

    static let rangesCheckedByValidator: Set<String> = ["modifier_percentage", "charge_value", "percentage_value"]

    /// `!!str` for `tag:yaml.org,2002:str`, else the tag as written.
    static func shortTag(_ tag: String) -> String {
        tag.hasPrefix("tag:yaml.org,2002:") ? "!!" + tag.dropFirst("tag:yaml.org,2002:".count) : tag
    }
}

extension FieldType {
    /// Whether values of this type are text (and so may carry `!!str`).
    var acceptsText: Bool {
        switch self {
        case .text, .name, .accountID, .period, .enumeration: true
        default: false
        }
    }

    /// Whether values of this type are scalars.
    var isScalar: Bool {
        switch self {
        case .list, .object, .tags: false
        default: true
        }
    }

    /// Whether a list of this type is a set (its members are unique).
    var isSetMember: Bool {
        switch self {
        case .text, .name, .accountID: true
        default: false
        }
    }
}

extension String {
    /// YAML allows `_` as a digit separator in numbers (`1_000.50`).
    fileprivate func replacingUnderscores() -> String {
        contains("_") ? String(filter { $0 != "_" }) : self
    }
}

/// The few patterns the specification uses, matched without a regular-expression engine.
enum Pattern {
    static func isNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "_"), UInt8(ascii: "+"), UInt8(ascii: "="), UInt8(ascii: "."), UInt8(ascii: "-"),
            UInt8(ascii: "@"):
            true
        default: false
        }
    }

    static func isName(_ text: String) -> Bool { text.utf8.allSatisfy(isNameByte) }

    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122)
    }

    static func nameHint(_ text: String) -> String? {
        if text.isEmpty { return nil }
        if text.count > Limits.nameLength { return "shorten it to 128 characters" }
        if let bad = text.unicodeScalars.first(where: { !($0.isASCII && isNameByte(UInt8($0.value))) }) {
            return bad == " " ? "replace spaces with - or _" : "\"\(bad)\" is not allowed in a name"
        }
        return nil
    }

    static func matches(_ pattern: String, _ text: String) -> Bool {
        switch pattern {
        case "[A-Z]{3}": text.utf8.count == 3 && text.utf8.allSatisfy { $0 >= 65 && $0 <= 90 }
        case "[a-zA-Z0-9]+":
            !text.isEmpty && text.utf8.allSatisfy { isAlphanumeric($0) }
        case AWSServiceCatalogue.pattern: AWSServiceCatalogue.isWellFormed(text)
        case "\\S+": !text.isEmpty && !text.unicodeScalars.contains { $0.properties.isWhitespace }
        case "/.*": text.hasPrefix("/")
        default: true
        }
    }
}

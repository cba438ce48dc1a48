import ProformaCore
import ProformaModel

/// Generates JSON Schemas (draft 2020-12) from the model's specification, so editors and standard validators
/// check the same structure the loader does.
public enum SchemaGenerator {
    public static let dialect = "https://json-schema.org/draft/2020-12/schema"

    /// The file name of a kind's schema: `billing-group.schema.json`.
    public static func fileName(for kind: ResourceKind) -> String {
        var name = ""
        for character in kind.rawValue {
            if character.isUppercase && !name.isEmpty { name += "-" }
            name += character.lowercased()
        }
        return name + ".schema.json"
    }

    /// The file name of the schema that accepts a document of any kind.
    public static let combinedFileName = "proforma.schema.json"

    /// Every schema file: one per kind plus the combined one, by file name.
    public static func allFiles() -> [(name: String, text: String)] {
        var files = ModelSpec.all.map { (fileName(for: $0.kind), JSONWriter.write(schema(for: $0, standalone: true))) }
        files.append((combinedFileName, JSONWriter.write(combined())))
        return files.sorted { $0.0 < $1.0 }
    }

    /// The schema of one kind.
    public static func schema(for spec: KindSpec, standalone: Bool) -> JSONValue {
        guard case .object(var members) = object(spec.fields, extra: ["kind": .object(["const": .string(spec.kind.rawValue)])])
        else { return .null }
        members["title"] = .string(spec.kind.rawValue)
        members["description"] = .string(spec.summary)
        if case .array(let required) = members["required"] {
            members["required"] = .array([.string("kind")] + required)
        } else {
            members["required"] = .array([.string("kind")])
        }
        if standalone {
            members["$schema"] = .string(dialect)
            members["$id"] = .string(fileName(for: spec.kind))
        }
        return .object(members)
    }

    /// A schema accepting a document of any kind, dispatching on `kind`.
    public static func combined() -> JSONValue {
        var definitions: [String: JSONValue] = [:]
        var branches: [JSONValue] = []
        for spec in ModelSpec.all {
            definitions[spec.kind.rawValue] = schema(for: spec, standalone: false)
            branches.append(
                .object([
                    "if": .object([
                        "properties": .object(["kind": .object(["const": .string(spec.kind.rawValue)])]),
                        "required": .array([.string("kind")]),
                    ]),
                    "then": .object(["$ref": .string("#/$defs/\(spec.kind.rawValue)")]),
                ]))
        }
        return .object([
            "$schema": .string(dialect),
            "$id": .string(combinedFileName),
            "title": .string("proforma configuration document"),
            "description": .string("Any document of a proforma configuration, checked by its kind."),
            "type": .string("object"),
            "required": .array([.string("kind")]),
            "properties": .object([
                "kind": .object(["enum": .array(ResourceKind.allCases.map { .string($0.rawValue) })])
            ]),
            "allOf": .array(branches),
            "$defs": .object(definitions),
        ])
    }

    static func object(_ fields: [FieldSpec], extra: [String: JSONValue] = [:]) -> JSONValue {
        var properties = extra
        for field in fields {
            guard case .object(var property) = schema(for: field.type) else { continue }
            property["description"] = .string(field.summary)
            properties[field.name] = .object(property)
        }
        var members: [String: JSONValue] = [
            "type": .string("object"),
            "properties": .object(properties),
            "additionalProperties": .bool(false),
        ]
        let required = fields.filter(\.required).map { JSONValue.string($0.name) }
        if !required.isEmpty { members["required"] = .array(required) }
        return .object(members)
    }

    static func schema(for type: FieldType) -> JSONValue {
        switch type {
        case .text(let minLength, let maxLength, let pattern):
            var members: [String: JSONValue] = ["type": .string("string")]
            if let minLength { members["minLength"] = .int(minLength) }
            if let maxLength { members["maxLength"] = .int(maxLength) }
            if let pattern { members["pattern"] = .string("^\(pattern)$") }
            return .object(members)
        case .name:
            return .object([
                "type": .string("string"), "minLength": .int(1), "maxLength": .int(Limits.nameLength),
                "pattern": .string("^\(Limits.namePattern)$"),
            ])
        case .accountID:
            return .object(["type": .string("string"), "pattern": .string("^[0-9]{12}$")])
        case .decimal(let minimum, let maximum):
            var members: [String: JSONValue] = ["type": .string("number")]
            if let minimum { members["minimum"] = .number(minimum) }
            if let maximum { members["maximum"] = .number(maximum) }
            return .object(members)
        case .integer(let minimum, let maximum):
            var members: [String: JSONValue] = ["type": .string("integer")]
            if let minimum { members["minimum"] = .int(minimum) }
            if let maximum { members["maximum"] = .int(maximum) }
            return .object(members)
        case .boolean:
            return .object(["type": .string("boolean")])
        case .period:
            return .object(["type": .string("string"), "pattern": .string("^[0-9]{4}-(0?[1-9]|1[0-2])$")])
        case .enumeration(let values):
            return .object(["type": .string("string"), "enum": .array(values.map { .string($0) })])
        case .list(let element, let maxItems):
            var members: [String: JSONValue] = ["type": .string("array"), "items": schema(for: element)]
            if let maxItems { members["maxItems"] = .int(maxItems) }
            switch element {
            case .name, .accountID, .text: members["uniqueItems"] = .bool(true)
            default: break
            }
            return .object(members)
        case .object(let fields):
            return object(fields)
        case .tags:
            return .object([
                "type": .string("object"),
                "maxProperties": .int(Limits.tagsPerResource),
                "propertyNames": .object(["minLength": .int(1), "maxLength": .int(Limits.tagKeyLength)]),
                "additionalProperties": .object([
                    "type": .string("string"), "maxLength": .int(Limits.tagValueLength),
                ]),
            ])
        }
    }
}

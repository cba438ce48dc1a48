import ProformaCore
import ProformaLoader
import ProformaModel
import ProformaPlan

/// A resource as the store keeps it: one line of canonical JSON with `kind`, `name` and the resource's snake_case
/// fields, keys sorted, numbers written exactly. JSON is YAML, so the configuration loader reads it back.
public enum ResourceDocument {
    /// The document of one resource.
    public static func encode(id: ResourceID, value: CanonicalValue) -> String {
        var fields: [String: CanonicalValue] = [:]
        if case .object(let object) = value { fields = object }
        fields["kind"] = .text(id.kind.rawValue)
        fields["name"] = .text(id.name)
        var output = ""
        write(.object(fields), into: &output)
        return output
    }

    /// Every resource of a configuration, in identity order.
    public static func documents(of configuration: Configuration) -> [StoredResource] {
        Canonical.ordered(configuration).map { StoredResource(id: $0.id, document: encode(id: $0.id, value: $0.value)) }
    }

    static func write(_ value: CanonicalValue, into output: inout String) {
        switch value {
        case .text(let text): JSONWriter.writeString(text, into: &output)
        case .number(let number): output += number.normalized.description
        case .integer(let integer): output += String(integer)
        case .boolean(let flag): output += flag ? "true" : "false"
        case .set(let members):
            output += "["
            for (index, member) in members.enumerated() {
                if index > 0 { output += ", " }
                JSONWriter.writeString(member, into: &output)
            }
            output += "]"
        case .list(let items):
            output += "["
            for (index, item) in items.enumerated() {
                if index > 0 { output += ", " }
                write(item, into: &output)
            }
            output += "]"
        case .object(let fields):
            output += "{"
            for (index, key) in fields.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).enumerated() {
                if index > 0 { output += ", " }
                JSONWriter.writeString(key, into: &output)
                output += ": "
                write(fields[key]!, into: &output)
            }
            output += "}"
        }
    }

    /// Documents per file when a configuration is rebuilt: files are parsed in parallel.
    static let documentsPerFile = 2_000

    /// The configuration the documents describe, read back through the configuration loader over an in-memory
    /// file tree: the project in `proforma.yaml`, the other resources in files of a few thousand documents.
    /// Throws when a document cannot be read (the store is damaged).
    /// The file tree the documents of an applied configuration make: the project in `proforma.yaml`, the other
    /// resources in files of `documentsPerFile` documents, read by the same loader as any configuration.
    public static func tree(from resources: [StoredResource], location: String) throws(StateError) -> InMemoryFileTree {
        var files: [String: String] = [:]
        var others: [String] = []
        for resource in resources {
            if resource.id.kind == .project {
                files[ConfigurationLoader.projectFileName] = resource.document + "\n"
            } else {
                others.append(resource.document)
            }
        }
        if files[ConfigurationLoader.projectFileName] == nil {
            throw StateError(
                .damaged, "\(location) is damaged: an applied configuration without its project",
                hint: SQLiteStateBackend.damagedHint)
        }
        var index = 0
        var start = 0
        while start < others.count {
            let end = min(start + documentsPerFile, others.count)
            files["resources/\(String(index + 100_000).dropFirst()).yaml"] =
                others[start..<end].joined(separator: "\n---\n") + "\n"
            index += 1
            start = end
        }
        return InMemoryFileTree(label: location, files: files)
    }

    public static func configuration(
        from resources: [StoredResource], location: String
    ) throws(StateError) -> Configuration {
        let tree = try tree(from: resources, location: location)
        let loaded: LoadedConfiguration
        do {
            // The documents alone: files they name (a logo) are not stored.
            loaded = try ConfigurationLoader(checksNamedFiles: false).load(from: tree, root: "")
        } catch {
            throw StateError(
                .damaged, "\(location) is damaged: \(error)", hint: SQLiteStateBackend.damagedHint)
        }
        if let error = loaded.diagnostics.first(where: { $0.severity == .error }) {
            throw StateError(
                .damaged, "\(location) is damaged: a stored resource cannot be read: \(error.message)",
                hint: SQLiteStateBackend.damagedHint)
        }
        return loaded.configuration
    }
}

extension ResourceDocument {
    /// The document as a JSON value (for pretty output): numbers written exactly, never quoted.
    public static func json(id: ResourceID, value: CanonicalValue) -> JSONValue {
        var fields: [String: JSONValue] = [:]
        if case .object(let object) = value { fields = object.mapValues(json(of:)) }
        fields["kind"] = .string(id.kind.rawValue)
        fields["name"] = .string(id.name)
        return .object(fields)
    }

    static func json(of value: CanonicalValue) -> JSONValue {
        switch value {
        case .text(let text): return .string(text)
        case .number(let number): return .number(number.normalized.description)
        case .integer(let integer): return .int(integer)
        case .boolean(let flag): return .bool(flag)
        case .set(let members): return .array(members.map { .string($0) })
        case .list(let items): return .array(items.map(json(of:)))
        case .object(let fields): return .object(fields.mapValues(json(of:)))
        }
    }
}

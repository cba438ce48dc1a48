import Foundation
import ProformaModel
import ProformaSchema
import ProformaTestSupport
import Testing

@Suite struct SchemaTests {
    /// The schemas in `schemas/` are generated; this fails when someone changes the model without regenerating
    /// them (`proforma schema --output schemas`).
    @Test func committedSchemasMatchTheModel() throws {
        let folder = TestSupport.packageRoot.appendingPathComponent("schemas")
        let committed = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }
        let generated = SchemaGenerator.allFiles()
        #expect(committed.sorted() == generated.map(\.name))
        for file in generated {
            let text = try String(contentsOf: folder.appendingPathComponent(file.name), encoding: .utf8)
            #expect(text == file.text, "schemas/\(file.name) is stale: run `proforma schema --output schemas`")
        }
    }

    @Test func everyKindAndFieldIsDescribed() throws {
        for spec in ModelSpec.all {
            let text = SchemaGenerator.allFiles().first { $0.name == SchemaGenerator.fileName(for: spec.kind) }!.text
            let json = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
            #expect(json["title"] as? String == spec.kind.rawValue)
            #expect(json["additionalProperties"] as? Bool == false)
            let properties = try #require(json["properties"] as? [String: Any])
            #expect(Set(properties.keys) == Set(spec.fields.map(\.name) + ["kind"]))
            let required = try #require(json["required"] as? [String])
            #expect(Set(required) == Set(spec.fields.filter(\.required).map(\.name) + ["kind"]))
        }
    }

    @Test func fileNames() {
        #expect(SchemaGenerator.fileName(for: .billingGroup) == "billing-group.schema.json")
        #expect(SchemaGenerator.fileName(for: .customLineItem) == "custom-line-item.schema.json")
    }

    @Test func decimalsAreExactNumbers() throws {
        let text = SchemaGenerator.allFiles().first { $0.name == "custom-line-item.schema.json" }!.text
        #expect(text.contains("\"maximum\": 1000000"))
        #expect(text.contains("\"maximum\": 10000"))
    }
}

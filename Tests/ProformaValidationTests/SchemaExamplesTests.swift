import Foundation
import ProformaTestSupport
import Testing

/// Runs `examples/check_schemas.py`: a standard JSON Schema validator (Python's jsonschema, draft 2020-12) must
/// accept every file of the realistic examples and reject the invalid examples whose problem a schema can catch.
/// Needs python3 with the jsonschema and PyYAML packages (`pip install jsonschema PyYAML`); skipped without them.
enum SchemaCheck {
    static let script = TestSupport.packageRoot.appendingPathComponent("examples/check_schemas.py")

    /// Runs python3 with `arguments` in the package root: its exit status and its output (stdout and stderr).
    static func python(_ arguments: [String]) -> (status: Int32, output: String)? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        process.currentDirectoryURL = TestSupport.packageRoot
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do {
            try process.run()
        } catch {
            return nil
        }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Whether python3 with jsonschema and PyYAML is installed.
    static let available: Bool = python(["-c", "import jsonschema, yaml"])?.status == 0
}

@Suite struct SchemaExamplesTests {
    @Test(
        .enabled(
            if: SchemaCheck.available,
            "needs python3 with jsonschema and PyYAML (pip install jsonschema PyYAML)"))
    func standardValidatorAgreesWithTheExamples() throws {
        let result = try #require(SchemaCheck.python([SchemaCheck.script.path]), "python3 could not be started")
        #expect(result.status == 0, "examples/check_schemas.py failed:\n\(result.output)")
    }

    /// The examples' own copies of the schemas (named on the first line of their files, for editors) are the
    /// committed top-level schemas, byte for byte.
    @Test(arguments: Examples.realistic)
    func exampleSchemasAreTheTopLevelSchemas(_ name: String) throws {
        let top = TestSupport.packageRoot.appendingPathComponent("schemas")
        let copy = Examples.folder.appendingPathComponent(name).appendingPathComponent("schemas")
        let files = try FileManager.default.contentsOfDirectory(atPath: top.path).filter { $0.hasSuffix(".json") }.sorted()
        #expect(!files.isEmpty)
        let copies = try FileManager.default.contentsOfDirectory(atPath: copy.path).sorted()
        #expect(copies == files, "examples/\(name)/schemas holds other files than schemas/")
        for file in files {
            let expected = try Data(contentsOf: top.appendingPathComponent(file))
            let actual = try? Data(contentsOf: copy.appendingPathComponent(file))
            #expect(actual == expected, "examples/\(name)/schemas/\(file) differs from schemas/\(file)")
        }
    }
}

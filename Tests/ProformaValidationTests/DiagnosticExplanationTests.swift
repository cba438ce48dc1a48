import ProformaCore
import ProformaLoader
import ProformaValidation
import Testing

/// `proforma explain`: every code has a paragraph and an example, and each example file really raises its code.
@Suite struct DiagnosticExplanationTests {
    /// The project file the examples are placed beside, unless they are the project file.
    static let project = """
        kind: Project
        name: example
        version: 1
        payer_account_id: "999999999999"

        """

    /// The codes whose example cannot be one file, each with why.
    static let notOneFile: Set<DiagnosticCode> = [.invalidUTF8, .unreadableFile, .skippedEntry]

    /// The diagnostics of a configuration made of `proforma.yaml` and the example file.
    static func diagnostics(path: String, text: String) throws -> [Diagnostic] {
        var files = ["proforma.yaml": project]
        files[path] = text
        let loaded = try ConfigurationLoader().load(from: InMemoryFileTree(files: files))
        return Validator().validate(loaded)
    }

    @Test(arguments: DiagnosticCode.allCases)
    func everyCodeHasAParagraphAndAnExample(_ code: DiagnosticCode) {
        let paragraph = code.explanation
        #expect(paragraph.count >= 120, "\(code.rawValue): the explanation is too short to say what, why and how")
        #expect(!paragraph.contains("\n"), "\(code.rawValue): one paragraph")
        #expect(paragraph.hasSuffix("."))
        switch code.example {
        case .file(let path, let text):
            #expect(!Self.notOneFile.contains(code))
            #expect(path.hasSuffix(".yaml"))
            #expect(text.hasSuffix("\n") && text.count > 10)
        case .notOneFile(let reason):
            #expect(Self.notOneFile.contains(code), "\(code.rawValue) has no example file: \(reason)")
            #expect(!reason.isEmpty)
        }
    }

    @Test(arguments: DiagnosticCode.allCases.filter { !notOneFile.contains($0) })
    func eachExampleRaisesItsCode(_ code: DiagnosticCode) throws {
        guard case .file(let path, let text) = code.example else {
            Issue.record("\(code.rawValue) has no example file")
            return
        }
        let found = try Self.diagnostics(path: path, text: text)
        #expect(
            found.contains { $0.code == code },
            "\(code.rawValue)'s example raises \(found.map { "\($0.code.rawValue): \($0.message)" })")
        #expect(found.contains { $0.code == code && $0.severity == code.defaultSeverity })
    }

    /// The harness can fail: a clean file raises none of the codes it is asked about.
    @Test func aCleanConfigurationRaisesNothing() throws {
        let found = try Self.diagnostics(
            path: "accounts.yaml", text: "kind: Account\nname: retail-prod\naccount_id: \"111111111111\"\n")
        #expect(found.isEmpty, "\(found.map(\.message))")
    }
}

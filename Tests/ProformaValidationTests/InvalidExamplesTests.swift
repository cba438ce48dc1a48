import Foundation
import ProformaCore
import ProformaGit
import ProformaLoader
import ProformaModel
import ProformaReport
import ProformaTestSupport
import ProformaValidation
import Testing

/// The example configurations in `examples/`, validated in-process as `proforma validate` does.
///
/// `examples/invalid/PFxxx-name/` holds one minimal configuration per diagnostic code, and `expected.txt` beside it
/// holds the text output (`proforma validate --format text`, no colour). These tests compare the two exactly.
///
/// Re-recording: after an intended change of a message or position, run
///
///     PROFORMA_RECORD=1 swift test --filter InvalidExamplesTests
///
/// which writes every `expected.txt` that differs from the current output instead of comparing (those tests fail, so a
/// recording run never passes), and review the diff.
enum Examples {
    static let folder = TestSupport.packageRoot.appendingPathComponent("examples")
    static let invalidFolder = folder.appendingPathComponent("invalid")

    /// Codes that no configuration on disk can trigger, so they have no folder in `examples/invalid`.
    static let unseedable: [DiagnosticCode: String] = [
        // PF106 needs a file that is listed but cannot be read; git keeps no read permissions and the tests run as
        // root, so it is covered in LoaderTests with a file tree that fails to read.
        .unreadableFile: "needs a file the tree lists but cannot read",
    ]

    /// The names of the folders of `examples/invalid`, sorted.
    static let invalidCases: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: invalidFolder.path)) ?? []
        return names.filter { $0.hasPrefix("PF") }.sorted()
    }()

    /// The realistic examples, which must validate without any diagnostic.
    static let realistic = ["msp", "enterprise"]

    static var recording: Bool { ProcessInfo.processInfo.environment["PROFORMA_RECORD"] == "1" }

    /// The diagnostic code a folder is named after: `PF401-primary-not-member` → PF401.
    static func code(ofFolder name: String) -> DiagnosticCode? {
        DiagnosticCode(rawValue: String(name.prefix(5)))
    }

    /// What `proforma validate --format text` prints for the configuration rooted at `directory`.
    static func validate(_ directory: URL) throws -> (diagnostics: [Diagnostic], text: String) {
        let tree = DirectoryFileTree(root: directory.path)
        let loaded = try ConfigurationLoader().load(from: tree)
        let diagnostics = Validator().validate(loaded)
        let report = ValidationReport(
            diagnostics: diagnostics, filesChecked: loaded.sourceMap.files.count,
            resourcesChecked: loaded.configuration.resourceCount, toolVersion: "test")
        let text = DiagnosticRenderer.render(report, as: .text, sources: FileTreeSources(tree))
        return (diagnostics, text)
    }
}

@Suite struct InvalidExamplesTests {
    @Test func thereAreInvalidExamples() {
        #expect(Examples.invalidCases.count >= DiagnosticCode.allCases.count - Examples.unseedable.count)
    }

    @Test(arguments: Examples.invalidCases)
    func outputMatchesExpectedText(_ name: String) throws {
        let directory = Examples.invalidFolder.appendingPathComponent(name)
        let expectedFile = directory.appendingPathComponent("expected.txt")
        let output = try Examples.validate(directory).text
        if Examples.recording {
            // Recorded files are reviewed in the diff; a recording run fails, so it never passes unnoticed.
            let previous = try? String(contentsOf: expectedFile, encoding: .utf8)
            guard previous != output else { return }
            try Data(output.utf8).write(to: expectedFile)
            Issue.record("\(name): recorded expected.txt; review the diff and run the tests again without PROFORMA_RECORD")
            return
        }
        let expected = try String(contentsOf: expectedFile, encoding: .utf8)
        #expect(output == expected, "\(name): the output differs from expected.txt (PROFORMA_RECORD=1 re-records it)")
    }

    @Test(arguments: Examples.invalidCases)
    func folderIsNamedAfterACode(_ name: String) throws {
        let code = try #require(Examples.code(ofFolder: name), "\(name) does not start with a known code")
        #expect(name == "\(code.rawValue)-\(code.name)", "the folder of \(code.rawValue) is named \(code.rawValue)-\(code.name)")
    }

    @Test(arguments: Examples.invalidCases)
    func seedsItsCode(_ name: String) throws {
        let code = try #require(Examples.code(ofFolder: name))
        let diagnostics = try Examples.validate(Examples.invalidFolder.appendingPathComponent(name)).diagnostics
        #expect(diagnostics.contains { $0.code == code }, "\(name) does not report \(code.rawValue)")
        // Each example is minimal: its own problem and nothing else.
        #expect(diagnostics.map(\.code) == [code], "\(name) reports \(diagnostics.map(\.code.rawValue))")
    }

    @Test func everyCodeHasAFolder() {
        let seeded = Set(Examples.invalidCases.compactMap(Examples.code(ofFolder:)))
        for code in DiagnosticCode.allCases where Examples.unseedable[code] == nil {
            #expect(seeded.contains(code), "\(code.rawValue) (\(code.name)) has no folder in examples/invalid")
        }
        for code in Examples.unseedable.keys.sorted(by: { $0.rawValue < $1.rawValue }) {
            #expect(!seeded.contains(code), "\(code.rawValue) has a folder now: remove it from Examples.unseedable")
        }
    }

    @Test func readmeListsEveryFolder() throws {
        let readme = try String(
            contentsOf: Examples.invalidFolder.appendingPathComponent("README.md"), encoding: .utf8)
        for name in Examples.invalidCases {
            #expect(readme.contains("`\(name)/`"), "examples/invalid/README.md does not list \(name)")
        }
        for code in Examples.unseedable.keys {
            #expect(readme.contains("| \(code.rawValue) |"), "examples/invalid/README.md does not explain \(code.rawValue)")
        }
    }

    @Test(arguments: Examples.realistic)
    func realisticExampleHasNoDiagnostics(_ name: String) throws {
        let (diagnostics, text) = try Examples.validate(Examples.folder.appendingPathComponent(name))
        #expect(diagnostics.isEmpty, "examples/\(name):\n\(text)")
        #expect(text.hasPrefix("no problems in "))
    }
}

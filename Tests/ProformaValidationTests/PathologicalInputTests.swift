import Foundation
import ProformaCore
import ProformaLoader
import ProformaReport
import ProformaValidation
import ProformaYAML
import Testing

/// Hostile shapes of configuration, each about 2 MB: loading, validating and rendering them must take time in
/// proportion to their size. At this size a quadratic step (a scan of the line or of every name per
/// diagnostic) takes minutes; the bound is generous so that a loaded CI machine passes. `proforma-bench hostile`
/// times the same shapes at the 16 MiB limit in a release build (bench/README.md).
@Suite struct PathologicalInputTests {
    static let size = 1_000_000
    static let bound = Duration.seconds(60)

    static let project = "kind: Project\nname: p\nversion: 1\npayer_account_id: \"999999999999\"\n"

    /// Repeats `item(i)` joined by `separator` until `size` bytes.
    static func repeated(_ size: Int, separator: String = "", _ item: (Int) -> String) -> String {
        var text = ""
        var index = 0
        while text.utf8.count < size {
            if index > 0 { text += separator }
            text += item(index)
            index += 1
        }
        return text
    }

    static let shapes: [(name: String, text: @Sendable (Int) -> String)] = [
        (
            "one huge line of unknown rules",
            { size in
                "kind: PricingPlan\nname: p\npricing_rules: [" + repeated(size, separator: ", ") { "r\($0)" } + "]\n"
            }
        ),
        (
            "one huge flow mapping of unknown fields",
            { size in
                "{kind: PricingPlan, name: p, pricing_rules: [], " + repeated(size, separator: ", ") { "k\($0): 1" }
                    + "}\n"
            }
        ),
        (
            "one huge line of duplicate keys",
            { size in
                "{kind: PricingPlan, name: p, pricing_rules: [], " + repeated(size, separator: ", ") { _ in "a: 1" }
                    + "}\n"
            }
        ),
        (
            "one huge line cut short",
            { size in
                "kind: PricingPlan\nname: p\npricing_rules: [" + repeated(size, separator: ", ") { _ in "r" } + "\n"
            }
        ),
        (
            "one long string",
            { size in
                "kind: PricingPlan\nname: p\npricing_rules: []\ndescription: " + String(repeating: "x", count: size)
                    + "\n"
            }
        ),
        (
            "many short lines: groups naming unknown plans",
            { size in
                repeated(size, separator: "---\n") {
                    "kind: BillingGroup\nname: g\($0)\nprimary_account_id: \"\(100_000_000_000 + $0)\"\n"
                        + "account_ids: [\"\(100_000_000_000 + $0)\"]\npricing_plan: plan\($0)\n"
                } + "---\nkind: PricingPlan\nname: standard\npricing_rules: []\n"
            }
        ),
        (
            "deep flow nesting, many times",
            { size in
                "kind: PricingPlan\nname: p\npricing_rules: []\ntags: {t: x}\ndescription: x\n---\n"
                    + repeated(size, separator: "\n---\n") { _ in
                        String(repeating: "[", count: 60) + String(repeating: "]", count: 60)
                    }
            }
        ),
        (
            "many keys",
            { size in
                "kind: PricingPlan\nname: p\npricing_rules: []\ntags:\n" + repeated(size) { "  key\($0): value\($0)\n" }
            }
        ),
        (
            "many long strings",
            { size in
                "kind: PricingPlan\nname: p\npricing_rules:\n"
                    + repeated(size) { "  - " + String(repeating: "r\($0 % 10)", count: 2_000) + "\n" }
            }
        ),
    ]

    /// Loads, validates and renders `text` as the one file beside a project file; the time it took and what was
    /// printed.
    static func measure(_ text: String) throws -> (elapsed: Duration, diagnostics: Int, output: Int) {
        let tree = InMemoryFileTree(files: ["proforma.yaml": project, "hostile.yaml": text])
        let start = ContinuousClock.now
        let loaded = try ConfigurationLoader().load(from: tree)
        let diagnostics = Validator().validate(loaded)
        let report = ValidationReport(
            diagnostics: diagnostics, filesChecked: 2, resourcesChecked: loaded.configuration.resourceCount,
            toolVersion: "test")
        let output = DiagnosticRenderer.render(report, as: .text, sources: FileTreeSources(tree))
        return (ContinuousClock.now - start, diagnostics.count, output.utf8.count)
    }

    @Test(arguments: 0..<shapes.count)
    func validatesInTimeProportionalToSize(_ shape: Int) throws {
        let name = Self.shapes[shape].name
        // A quarter of the size, then the full size: proportional time grows 4 times, a quadratic step 16 times.
        let small = try Self.measure(Self.shapes[shape].text(Self.size / 4))
        let large = try Self.measure(Self.shapes[shape].text(Self.size))
        let growth = large.elapsed / max(small.elapsed, .milliseconds(1))
        #expect(large.elapsed < Self.bound, "\(name): \(Self.size) bytes took \(large.elapsed)")
        #expect(
            growth < 10 || large.elapsed < .seconds(1),
            "\(name): 4 times the size took \(growth) times as long (\(small.elapsed), then \(large.elapsed))")
        #expect(large.diagnostics > 0 || shape == 4, "\(name)")
        // What is shown stays readable whatever the input: at most 200 diagnostics, source lines cut to a width.
        #expect(large.output < 200 * 2_000, "\(name): \(large.output) bytes of output")
    }
}

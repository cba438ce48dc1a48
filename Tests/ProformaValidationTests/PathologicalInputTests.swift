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
    static let size = 2_000_000
    static let bound = Duration.seconds(20)

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

    static let shapes: [(name: String, text: @Sendable () -> String)] = [
        (
            "one huge line of unknown rules",
            {
                "kind: PricingPlan\nname: p\npricing_rules: [" + repeated(size, separator: ", ") { "r\($0)" } + "]\n"
            }
        ),
        (
            "one huge flow mapping of unknown fields",
            {
                "{kind: PricingPlan, name: p, pricing_rules: [], " + repeated(size, separator: ", ") { "k\($0): 1" }
                    + "}\n"
            }
        ),
        (
            "one huge line of duplicate keys",
            {
                "{kind: PricingPlan, name: p, pricing_rules: [], " + repeated(size, separator: ", ") { _ in "a: 1" }
                    + "}\n"
            }
        ),
        (
            "one huge line cut short",
            {
                "kind: PricingPlan\nname: p\npricing_rules: [" + repeated(size, separator: ", ") { _ in "r" } + "\n"
            }
        ),
        (
            "one long string",
            {
                "kind: PricingPlan\nname: p\npricing_rules: []\ndescription: " + String(repeating: "x", count: size)
                    + "\n"
            }
        ),
        (
            "many short lines: groups naming unknown plans",
            {
                repeated(size, separator: "---\n") {
                    "kind: BillingGroup\nname: g\($0)\nprimary_account_id: \"\(100_000_000_000 + $0)\"\n"
                        + "account_ids: [\"\(100_000_000_000 + $0)\"]\npricing_plan: plan\($0)\n"
                } + "---\nkind: PricingPlan\nname: standard\npricing_rules: []\n"
            }
        ),
        (
            "deep flow nesting, many times",
            {
                "kind: PricingPlan\nname: p\npricing_rules: []\ntags: {t: x}\ndescription: x\n---\n"
                    + repeated(size, separator: "\n---\n") { _ in
                        String(repeating: "[", count: 60) + String(repeating: "]", count: 60)
                    }
            }
        ),
        (
            "many keys",
            {
                "kind: PricingPlan\nname: p\npricing_rules: []\ntags:\n" + repeated(size) { "  key\($0): value\($0)\n" }
            }
        ),
        (
            "many long strings",
            {
                "kind: PricingPlan\nname: p\npricing_rules:\n"
                    + repeated(size) { "  - " + String(repeating: "r\($0 % 10)", count: 2_000) + "\n" }
            }
        ),
    ]

    @Test(arguments: 0..<shapes.count)
    func validatesInTimeProportionalToSize(_ shape: Int) throws {
        let (name, make) = Self.shapes[shape]
        let text = make()
        let tree = InMemoryFileTree(files: ["proforma.yaml": Self.project, "hostile.yaml": text])
        let start = ContinuousClock.now
        let loaded = try ConfigurationLoader().load(from: tree)
        let diagnostics = Validator().validate(loaded)
        let report = ValidationReport(
            diagnostics: diagnostics, filesChecked: 2, resourcesChecked: loaded.configuration.resourceCount,
            toolVersion: "test")
        let output = DiagnosticRenderer.render(report, as: .text, sources: FileTreeSources(tree))
        let elapsed = ContinuousClock.now - start
        #expect(elapsed < Self.bound, "\(name): \(text.utf8.count) bytes took \(elapsed)")
        #expect(!diagnostics.isEmpty || shape == 4, "\(name)")
        // What is shown stays readable whatever the input: at most 200 diagnostics, source lines cut to a width.
        #expect(output.utf8.count < 200 * 2_000, "\(name): \(output.utf8.count) bytes of output")
    }
}

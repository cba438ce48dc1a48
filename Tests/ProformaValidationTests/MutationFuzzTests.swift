import Foundation
import ProformaCore
import ProformaLoader
import ProformaReport
import ProformaTestSupport
import ProformaValidation
import ProformaYAML
import Testing

/// Seeded mutation fuzzing of the configuration reader: thousands of mutated YAML files, made from every
/// configuration in `examples/` and some hostile seeds, loaded, validated and rendered. No input may crash,
/// hang, or be rejected without a located diagnostic.
@Suite struct MutationFuzzTests {
    static let seed: UInt64 = 0x5EED_2026
    static let iterations = 3_000
    /// Far above what any of these small inputs needs (milliseconds); a hang or a quadratic blow-up exceeds it.
    static let timePerInput = Duration.seconds(2)

    static let tokens = [
        "{", "}", "[", "]", ": ", "- ", "? ", ",", "#", "&a ", "*a", "!!str ", "!x ", "<<: ", "\"", "'", "|\n", ">-\n",
        "\n", "\r\n", "\t", "---\n", "...\n", "%YAML 1.1\n", "\u{FEFF}", "\u{85}", "\u{2028}", "\\", "~", "null",
        "no", "012", "1:20", "0x1F", "1e999", "kind: ", "name: ", "kind: BillingGroup\n", "kind: PricingRule\n",
        "modifier_percentage: ", "99999999999999999999999999999999999999", "account_ids: [", "\"111111111111\"",
        String(repeating: "[", count: 80), String(repeating: "x", count: 300),
    ]

    /// Every YAML file under `examples/`, and seeds for the constructs the examples lack.
    static func corpus() throws -> [[UInt8]] {
        let examples = TestSupport.packageRoot.appendingPathComponent("examples")
        var files: [[UInt8]] = []
        let enumerator = FileManager.default.enumerator(atPath: examples.path)
        while let path = enumerator?.nextObject() as? String {
            guard path.hasSuffix(".yaml") || path.hasSuffix(".yml") else { continue }
            // Links (one example is a broken one) are left out.
            guard let data = try? Data(contentsOf: examples.appendingPathComponent(path)) else { continue }
            files.append(Array(data))
        }
        let seeds = [
            "a: &x [1, 2]\nb: *x\nc: { d: [*x, *x] }\n",
            "kind: PricingRule\nname: t\nscope: SKU\ntype: TIERING\ntiering:\n  tiers:\n    - { begin: 0, end: 10, rate_value: 0.5 }\n",
            "kind: CustomLineItem\nname: c\nbilling_group: g\npercentage: { percentage_value: 3, associated_values: [g] }\n",
            "- 1\n- [2, {3: 4}]\n? complex\n: key\n",
        ]
        return files.sorted { $0.lexicographicallyPrecedes($1) } + seeds.map { Array($0.utf8) }
    }

    @Test func mutatedConfigurationsNeverCrashHangOrGoUnreported() throws {
        let corpus = try Self.corpus()
        #expect(corpus.count > 100)
        var mutator = Mutator(seed: Self.seed, tokens: Self.tokens)
        let project = Array("kind: Project\nname: fuzz\nversion: 1\npayer_account_id: \"999999999999\"\n".utf8)
        var rejected = 0
        var slowest = Duration.zero
        for iteration in 0..<Self.iterations {
            let input = mutator.mutate(from: corpus)
            let context = "seed \(Self.seed), iteration \(iteration)"
            let start = ContinuousClock.now
            let tree = InMemoryFileTree(bytes: ["proforma.yaml": project, "fuzz.yaml": input])
            let loaded = try ConfigurationLoader().load(from: tree)
            let diagnostics = Validator().validate(loaded)
            let report = ValidationReport(
                diagnostics: diagnostics, filesChecked: 2, resourcesChecked: loaded.configuration.resourceCount,
                toolVersion: "fuzz")
            let text = DiagnosticRenderer.render(report, as: .text, sources: FileTreeSources(tree))
            let elapsed = ContinuousClock.now - start
            slowest = max(slowest, elapsed)
            #expect(elapsed < Self.timePerInput, "\(context): \(elapsed)")
            #expect(text.hasSuffix("\n"), "\(context)")

            // Every diagnostic of the file stands at a real position in it.
            let lineCount = SourceText.lines(in: String(decoding: input, as: UTF8.self)).count
            for diagnostic in diagnostics where diagnostic.location?.path == "fuzz.yaml" {
                let location = diagnostic.location!
                #expect(location.line >= 1 && location.line <= lineCount + 1, "\(context): \(location)")
                #expect(location.column >= 1, "\(context): \(location)")
            }
            // An input that yields no resource is rejected with a diagnostic located in it.
            let resources = loaded.sourceMap.resources.values.filter { $0.location.path == "fuzz.yaml" }
            if resources.isEmpty {
                rejected += 1
                #expect(
                    diagnostics.contains { $0.location?.path == "fuzz.yaml" },
                    "\(context): rejected without a diagnostic")
            }
        }
        // The mutations must reach both outcomes, or the test proves little.
        #expect(rejected > Self.iterations / 10)
        #expect(rejected < Self.iterations)
        #expect(slowest < Self.timePerInput)
    }

    @Test func theMutatorIsDeterministic() {
        var a = Mutator(seed: 7, tokens: ["x"])
        var b = Mutator(seed: 7, tokens: ["x"])
        let corpus = [Array("kind: Project\n".utf8), Array("a: [1, 2]\n".utf8)]
        for _ in 0..<100 { #expect(a.mutate(from: corpus) == b.mutate(from: corpus)) }
        var c = Mutator(seed: 8, tokens: ["x"])
        #expect((0..<100).contains { _ in a.mutate(from: corpus) != c.mutate(from: corpus) })
    }
}

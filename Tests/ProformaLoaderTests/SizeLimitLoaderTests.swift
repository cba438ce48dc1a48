import ProformaCore
import ProformaLoader
import ProformaYAML
import Testing

/// A tree that records how each file was asked for, and that fails the test on a read without a bound.
final class BoundCheckingTree: FileTree {
    let label = "bounds"
    let files: [String: [UInt8]]
    /// Sizes the tree lists, where they differ from the bytes (a file that grows after it is listed).
    let listedSizes: [String: Int]
    private(set) var bounds: [String: Int] = [:]
    private(set) var unboundedReads: [String] = []

    init(files: [String: String], listedSizes: [String: Int] = [:]) {
        self.files = files.mapValues { Array($0.utf8) }
        self.listedSizes = listedSizes
    }

    func entries() throws(FileTreeError) -> [FileTreeEntry] {
        files.keys.sorted().map { FileTreeEntry(path: $0, kind: .file, size: listedSizes[$0] ?? files[$0]!.count) }
    }

    func contents(of path: String) throws(FileTreeError) -> [UInt8] {
        unboundedReads.append(path)
        return files[path] ?? []
    }

    func contents(of path: String, maxBytes: Int) throws(FileTreeError) -> [UInt8] {
        bounds[path] = maxBytes
        let bytes = files[path] ?? []
        guard bytes.count <= maxBytes else {
            throw FileTreeError.tooLarge(path, size: bytes.count, limit: maxBytes, in: label)
        }
        return bytes
    }
}

@Suite struct SizeLimitLoaderTests {
    let plan = "kind: PricingPlan\nname: p\npricing_rules: []\n"

    @Test func everyFileIsReadWithTheLimitAsItsBound() throws {
        let tree = BoundCheckingTree(files: ["proforma.yaml": projectFile, "plan.yaml": plan])
        let loaded = try ConfigurationLoader(limits: YAMLLimits(maxBytes: 1000)).load(from: tree)
        #expect(loaded.diagnostics.isEmpty)
        #expect(tree.unboundedReads.isEmpty)
        #expect(tree.bounds == ["proforma.yaml": 1000, "plan.yaml": 1000])
    }

    @Test func aProjectFileOverTheLimitIsNotRead() throws {
        let big = projectFile + String(repeating: "# padding\n", count: 100)
        let tree = BoundCheckingTree(files: ["proforma.yaml": big, "plan.yaml": plan])
        let loaded = try ConfigurationLoader(limits: YAMLLimits(maxBytes: 500)).load(from: tree)
        #expect(tree.bounds["proforma.yaml"] == nil)
        #expect(tree.unboundedReads.isEmpty)
        let first = try #require(loaded.diagnostics.first)
        #expect(first.code == .yamlLimit)
        #expect(first.location == SourceLocation(path: "proforma.yaml", line: 1, column: 1))
        #expect(
            first.message
                == "proforma.yaml is \(big.utf8.count) bytes, more than the 500 bytes a configuration file may have")
        #expect(loaded.configuration.pricingPlans.map(\.name) == ["p"])
    }

    @Test func aFileThatGrewPastTheLimitAfterItWasListedIsPF104NotPF106() throws {
        let grown = plan + String(repeating: "# padding\n", count: 100)
        let tree = BoundCheckingTree(
            files: ["proforma.yaml": projectFile, "plan.yaml": grown], listedSizes: ["plan.yaml": 10])
        let loaded = try ConfigurationLoader(limits: YAMLLimits(maxBytes: 500)).load(from: tree)
        #expect(codes(loaded.diagnostics) == ["PF104"])
        #expect(loaded.diagnostics.first?.message.contains("more than the 500 bytes") == true)
        #expect(loaded.sourceMap.files == ["plan.yaml", "proforma.yaml"])
    }
}

@Suite struct HugeValueTests {
    @Test func messagesQuoteAHugeValueCutShort() throws {
        let huge = String(repeating: "x y", count: 400_000)
        let loaded = try load([
            "a.yaml": "kind: PricingPlan\nname: \(huge)\npricing_rules: []\n",
            "b.yaml": "kind: \(huge)\nname: b\n",
            "c.yaml": "kind: Account\nname: c\naccount_id: \"\(huge)\"\n",
        ])
        #expect(codes(loaded.diagnostics) == ["PF209", "PF202", "PF210"])
        for diagnostic in loaded.diagnostics {
            #expect(diagnostic.message.utf8.count < 300, "\(diagnostic.code.rawValue)")
            #expect(diagnostic.message.contains("… (1200000 characters)"), "\(diagnostic.code.rawValue)")
        }
        let shortValue = try load(["a.yaml": "kind: PricingPlan\nname: x y\npricing_rules: []\n"])
        #expect(shortValue.diagnostics.first?.message.hasPrefix("\"x y\" is not a valid name") == true)
    }
}

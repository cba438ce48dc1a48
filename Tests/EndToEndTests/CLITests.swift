import Foundation
import ProformaTestSupport
import Testing

/// Runs the built `proforma` binary and checks its output and exit status.
@Suite struct CLITests {
    let binary: URL

    init() throws {
        binary = try #require(TestSupport.proformaBinary, "the proforma executable was not built beside the tests")
    }

    func proforma(_ arguments: String..., in directory: URL? = nil) throws -> CommandResult {
        try TestSupport.run(binary, arguments, in: directory)
    }

    func scaffold() throws -> URL {
        let directory = try TestSupport.temporaryDirectory()
        let result = try proforma("init", directory.path, "--name", "acme")
        #expect(result.status == 0, "\(result.stderr)")
        return directory
    }

    @Test func helpListsTheCommands() throws {
        let result = try proforma("--help")
        #expect(result.status == 0)
        for command in ["init", "validate", "schema", "explain"] {
            #expect(result.stdout.contains(command))
        }
    }

    @Test func usageErrorsExit64() throws {
        let result = try proforma("validate", "--format", "yaml")
        #expect(result.status == 64)
        #expect(result.stderr.contains("yaml"))
    }

    @Test func initThenValidateIsClean() throws {
        let directory = try scaffold()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try proforma("validate", in: directory)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout == "no problems in 5 files (7 resources)\n")
        // Every scaffolded YAML file names its schema for editors.
        let group = try String(contentsOf: directory.appendingPathComponent("billing-groups/retail.yaml"), encoding: .utf8)
        #expect(group.hasPrefix("# yaml-language-server: $schema=../schemas/billing-group.schema.json\n"))
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("schemas/billing-group.schema.json").path))
        // init refuses to overwrite.
        let again = try proforma("init", directory.path)
        #expect(again.status == 1)
        #expect(again.stderr.contains("already exists"))
    }

    @Test func errorsExit1WithPositionAndCaret() throws {
        let directory = try scaffold()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("billing-groups/retail.yaml")
        let text = try String(contentsOf: file, encoding: .utf8).replacingOccurrences(
            of: "pricing_plan: standard", with: "pricing_plan: standrd")
        try text.write(to: file, atomically: true, encoding: .utf8)
        let result = try proforma("validate", "-C", directory.appendingPathComponent("billing-groups").path)
        #expect(result.status == 1)
        #expect(
            result.stdout.contains(
                """
                billing-groups/retail.yaml:7:15: error[PF301]: billing group "retail" names pricing plan "standrd", which does not exist
                  7 | pricing_plan: standrd
                    |               ^
                  = hint: did you mean "standard"?
                """))
        #expect(!result.stdout.contains("\u{1B}["), "no colour when not a terminal / NO_COLOR")
        #expect(result.stdout.hasSuffix("1 error, 1 warning in 5 files (7 resources)\n"))
    }

    @Test func strictFailsOnWarnings() throws {
        let directory = try scaffold()
        defer { try? FileManager.default.removeItem(at: directory) }
        try "kind: PricingPlan\nname: spare\npricing_rules: []\n".write(
            to: directory.appendingPathComponent("pricing/spare.yaml"), atomically: true, encoding: .utf8)
        #expect(try proforma("validate", in: directory).status == 0)
        let strict = try proforma("validate", "--strict", in: directory)
        #expect(strict.status == 1)
        #expect(strict.stdout.contains("warning[PF405]"))
    }

    @Test func machineFormats() throws {
        let directory = try scaffold()
        defer { try? FileManager.default.removeItem(at: directory) }
        try "kind: PricingPlan\nname: spare\npricing_rules: [nope]\n".write(
            to: directory.appendingPathComponent("pricing/spare.yaml"), atomically: true, encoding: .utf8)
        let json = try proforma("validate", "--format", "json", in: directory)
        #expect(json.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["format_version"] as? Int == 1)
        let github = try proforma("validate", "--format", "github", in: directory)
        #expect(github.stdout.contains("::error file=pricing/spare.yaml,line=3,col=17,title=PF302 unknown-pricing-rule::"))
        let sarif = try proforma("validate", "--format", "sarif", in: directory)
        #expect(sarif.stdout.contains("\"version\": \"2.1.0\""))
        let junit = try proforma("validate", "--format", "junit", in: directory)
        #expect(junit.stdout.hasPrefix("<?xml"))
        #expect(junit.stdout.contains("PF302"))
    }

    @Test func validatesARevisionFromGitObjects() throws {
        let directory = try scaffold()
        defer { try? FileManager.default.removeItem(at: directory) }
        // init made the repository and its first commit.
        // Break the working tree; the committed revision stays clean.
        try "kind: Nope\n".write(to: directory.appendingPathComponent("broken.yaml"), atomically: true, encoding: .utf8)
        #expect(try proforma("validate", in: directory).status == 1)
        let head = try proforma("validate", "HEAD", in: directory)
        #expect(head.status == 0, "\(head.stdout)\(head.stderr)")
        #expect(head.stdout.hasPrefix("no problems in 5 files (7 resources) at HEAD ("))
        let unknown = try proforma("validate", "nope", in: directory)
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("unknown revision"))
    }

    @Test func outsideAConfiguration() throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try proforma("validate", in: directory)
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("proforma: error: no proforma.yaml in "))
        #expect(result.stderr.contains("hint: run `proforma init`"))
    }

    @Test func schemaCheckAndExplain() throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(try proforma("schema", "--output", directory.path).status == 0)
        #expect(try proforma("schema", "--check", directory.path).status == 0)
        try "{}".write(to: directory.appendingPathComponent("account.schema.json"), atomically: true, encoding: .utf8)
        let stale = try proforma("schema", "--check", directory.path)
        #expect(stale.status == 1)
        #expect(stale.stderr.contains("account.schema.json"))
        let explain = try proforma("explain", "PF401")
        #expect(explain.stdout.hasPrefix("PF401 primary-not-member (error)\n"))
        #expect(explain.stdout.contains("\nA billing group's `primary_account_id` is not among its `account_ids`."))
        #expect(explain.stdout.contains("\nExample, in billing-groups/retail.yaml:\n\n    kind: BillingGroup\n"))
        #expect(explain.stdout.split(separator: "\n").allSatisfy { $0.count <= 100 })
        let byName = try proforma("explain", "lfs-pointer")
        #expect(byName.stdout.contains("version https://git-lfs.github.com/spec/v1"))
        let none = try proforma("explain", "PF106")
        #expect(none.stdout.contains("No example fits in one file: a file the tree lists but cannot read"))
        #expect(try proforma("explain", "PF999").status == 64)
    }
}

@Suite struct OutputErrorTests {
    @Test func unwritableOutputIsAUserError() throws {
        let binary = try #require(TestSupport.proformaBinary)
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("file")
        try "x".write(to: file, atomically: true, encoding: .utf8)
        let result = try TestSupport.run(binary, ["schema", "--output", file.appendingPathComponent("schemas").path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("is not a folder"))
        #expect(!result.stderr.contains("internal error"))
    }
}

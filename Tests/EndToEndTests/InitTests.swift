import Foundation
import ProformaTestSupport
import Testing

/// `proforma init`: a git repository with a first commit, and a configuration that prices its sample usage at once.
@Suite struct InitTests {
    let binary: URL

    init() throws {
        binary = try #require(TestSupport.proformaBinary, "the proforma executable was not built beside the tests")
    }

    /// An environment in which git knows no identity: a home without a configuration, no author variables.
    static func anonymous(home: URL) -> [String: String] {
        [
            "HOME": home.path, "XDG_CONFIG_HOME": home.path, "GIT_AUTHOR_NAME": "", "GIT_AUTHOR_EMAIL": "",
            "GIT_COMMITTER_NAME": "", "GIT_COMMITTER_EMAIL": "",
        ]
    }

    func proforma(_ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:]) throws
        -> CommandResult
    {
        try TestSupport.run(binary, arguments, in: directory, environment: environment)
    }

    @Test func initCommitsTheConfigurationInANewRepository() throws {
        let parent = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: parent) }
        let directory = parent.appendingPathComponent("billing")
        let result = try proforma(
            ["init", directory.path, "--name", "acme", "--author", "Ada Lovelace <ada@example.com>"],
            environment: Self.anonymous(home: parent))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("created a git repository with the first commit "))
        #expect(result.stderr.contains(" on main, by Ada Lovelace <ada@example.com>\n"))
        #expect(!result.stderr.contains("note:"))
        let log = try TestSupport.git(["log", "--format=%an <%ae>|%cn <%ce>|%s"], in: directory)
        #expect(
            log
                == "Ada Lovelace <ada@example.com>|Ada Lovelace <ada@example.com>|Scaffold the acme billing configuration\n"
        )
        #expect(try TestSupport.git(["symbolic-ref", "--short", "HEAD"], in: directory) == "main\n")
        // Everything written is committed, the sample usage included; nothing is left over.
        #expect(try TestSupport.git(["status", "--porcelain"], in: directory) == "")
        let files = try TestSupport.git(["ls-files"], in: directory).split(separator: "\n").map(String.init)
        for file in [
            ".gitignore", "proforma.yaml", "accounts.yaml", "billing-groups/retail.yaml", "pricing/standard.yaml",
            "line-items/retail.yaml", "schemas/billing-group.schema.json",
        ] {
            #expect(files.contains(file), "\(file) not committed")
        }
        #expect(files.contains { $0.hasPrefix("usage/cur-") && $0.hasSuffix(".csv") })
        // `validate main` reads the commit.
        let main = try proforma(["validate", "main"], in: directory)
        #expect(main.status == 0, "\(main.stdout)\(main.stderr)")
        #expect(main.stdout.hasPrefix("no problems in 5 files (7 resources) at main ("))
    }

    @Test func theAuthorFallsBackToGitsIdentityThenTheEnvironmentThenProforma() throws {
        let parent = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: parent) }
        // git's configuration.
        try "[user]\n\tname = Grace Hopper\n\temail = grace@example.com\n".write(
            to: parent.appendingPathComponent(".gitconfig"), atomically: true, encoding: .utf8)
        let configured = parent.appendingPathComponent("configured")
        #expect(try proforma(["init", configured.path], environment: Self.anonymous(home: parent)).status == 0)
        #expect(
            try TestSupport.git(["log", "--format=%an <%ae>"], in: configured) == "Grace Hopper <grace@example.com>\n")
        try FileManager.default.removeItem(at: parent.appendingPathComponent(".gitconfig"))
        // The environment.
        var environment = Self.anonymous(home: parent)
        environment["GIT_AUTHOR_NAME"] = "Alan Turing"
        environment["GIT_AUTHOR_EMAIL"] = "alan@example.com"
        let fromEnvironment = parent.appendingPathComponent("environment")
        #expect(try proforma(["init", fromEnvironment.path], environment: environment).status == 0)
        #expect(
            try TestSupport.git(["log", "--format=%an <%ae>"], in: fromEnvironment)
                == "Alan Turing <alan@example.com>\n")
        // Nothing: proforma's own, with a note.
        let nobody = parent.appendingPathComponent("nobody")
        let result = try proforma(["init", nobody.path], environment: Self.anonymous(home: parent))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("proforma: note: git has no user.name and user.email"))
        #expect(try TestSupport.git(["log", "--format=%an <%ae>"], in: nobody) == "proforma <proforma@localhost>\n")
    }

    @Test func insideARepositoryTheFilesAreLeftToCommit() throws {
        let parent = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: parent) }
        try TestSupport.git(["init", "-q", "-b", "trunk"], in: parent)
        let result = try proforma(["init", parent.appendingPathComponent("billing").path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("the folder is inside the git repository "))
        #expect(!FileManager.default.fileExists(atPath: parent.appendingPathComponent("billing/.git").path))
        #expect(try TestSupport.git(["status", "--porcelain"], in: parent) == "?? billing/\n")
        // --no-git makes no repository either.
        let plain = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: plain) }
        #expect(try proforma(["init", "--no-git", plain.path]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: plain.appendingPathComponent(".git").path))
    }

    @Test func badOptionsAndAnExistingConfigurationAreRefused() throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let author = try proforma(["init", directory.path, "--author", "nobody"])
        #expect(author.status == 64)
        #expect(author.stderr.contains("--author must be of the form \"Name <email>\""))
        #expect(try proforma(["init", directory.path, "--payer", "12"]).status == 64)
        #expect(try proforma(["init", directory.path]).status == 0)
        let project = try String(contentsOf: directory.appendingPathComponent("proforma.yaml"), encoding: .utf8)
        let again = try proforma(["init", directory.path, "--name", "other"])
        #expect(again.status == 1)
        #expect(again.stderr.contains("proforma.yaml already exists"))
        #expect(try String(contentsOf: directory.appendingPathComponent("proforma.yaml"), encoding: .utf8) == project)
        #expect(try TestSupport.git(["rev-list", "--count", "HEAD"], in: directory) == "1\n")
    }

    @Test func theSampleIsTheSameInEveryRunAndReadsAsCUR() throws {
        let parent = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: parent) }
        var samples: [String] = []
        for name in ["one", "two"] {
            let directory = parent.appendingPathComponent(name)
            #expect(try proforma(["init", "--no-git", directory.path]).status == 0)
            let usage = directory.appendingPathComponent("usage")
            let files = try FileManager.default.contentsOfDirectory(atPath: usage.path)
            #expect(files.count == 1)
            let file = try #require(files.first)
            #expect(file.range(of: #"^cur-[0-9]{4}-[0-9]{2}\.csv$"#, options: .regularExpression) != nil, "\(file)")
            samples.append(try String(contentsOf: usage.appendingPathComponent(file), encoding: .utf8))
        }
        #expect(samples[0] == samples[1])
        let lines = samples[0].split(separator: "\n")
        #expect(lines.count == 35, "a header and 34 lines")
        #expect(lines[0].hasPrefix("identity/LineItemId,identity/TimeInterval,"))
        #expect(lines.dropFirst().allSatisfy { $0.contains(",111111111111,") || $0.contains(",222222222222,") })
        #expect(lines.filter { $0.contains(",Tax,") }.count == 2)
    }

    /// Warnings and notes about usage lines name them, as `file:row`.
    @Test func warningsAboutUsageLinesNameThem() throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(try proforma(["init", "--no-git", directory.path]).status == 0)
        let usage = directory.appendingPathComponent("usage")
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: usage.path).first)
        let file = usage.appendingPathComponent(name)
        var rows = try String(contentsOf: file, encoding: .utf8).split(separator: "\n").map(String.init)
        // Rows 3, 4 and 6 lose their public cost; row 5's actual cost has 22 decimal places.
        func edit(row: Int, _ change: (inout [String]) -> Void) {
            var fields = rows[row - 1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            change(&fields)
            rows[row - 1] = fields.joined(separator: ",")
        }
        for row in [3, 4, 6] { edit(row: row) { $0[$0.count - 1] = "" } }
        edit(row: 5) { $0[$0.count - 2] += "000000000000000001" }
        try (rows.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        let invoice = try proforma(["invoice", "--group", "retail"], in: directory)
        #expect(invoice.status == 0, "\(invoice.stderr)")
        #expect(
            invoice.stderr.contains(
                "have no public on-demand cost and were priced from the actual cost: usage/\(name):3 and 2 more\n"),
            "\(invoice.stderr)")
        #expect(
            invoice.stderr.contains("note: 1 value was rounded to 20 decimal places, in row usage/\(name):5\n"),
            "\(invoice.stderr)")
    }

    /// The sample usage is priced at once, with the 10 % markup and the 50.00 fee.
    @Test func theSampleIsPricedAtOnce() throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(try proforma(["init", directory.path]).status == 0)
        let margin = try proforma(["report", "margin", "--format", "csv"], in: directory)
        #expect(margin.status == 0, "\(margin.stderr)")
        let row = try #require(
            margin.stdout.split(separator: "\n").first { $0.hasPrefix("retail,") || $0.contains(",retail,") })
        #expect(row.contains(Self.expectedAWSCost), "\(margin.stdout)")
        #expect(row.contains(Self.expectedProForma), "\(margin.stdout)")
        let invoice = try proforma(["invoice", "--group", "retail"], in: directory)
        #expect(invoice.status == 0, "\(invoice.stderr)")
        #expect(invoice.stdout.contains(Self.expectedProForma))
        #expect(invoice.stdout.contains("Managed service fee"))
        let plan = try proforma(["plan", "--detailed-exitcode"], in: directory)
        #expect(plan.status == 0, "\(plan.stdout)\(plan.stderr)")
    }

    /// Computed by hand from the sample's quantities and rates: EC2 504 and 168 hours a week at 0.096, RDS 168 and
    /// 168 at 0.068, S3 500 and 120 at 0.023, Lambda 90,000 and 30,000 at 0.0001, each week's quantity 20, 21, 22
    /// or 23 twentieths of that (truncated): 345.1140 + 143.0120 = 488.1260 of usage (the tax, 27.6091 and
    /// 11.4409, is not AWS cost).
    static let expectedAWSCost = "488.13"
    /// 110 % of 488.1260 = 536.9386, plus the 50.00 fee.
    static let expectedProForma = "586.94"
}

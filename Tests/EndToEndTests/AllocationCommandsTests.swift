import Foundation
import ProformaCore
import ProformaTestSupport
import Testing

/// `report allocations`, a parent's invoice and the reports rolled up to parents, on the enterprise example, through
/// the built binary.
@Suite struct AllocationCommandsTests {
    let binary: URL
    let example = TestSupport.packageRoot.appendingPathComponent("examples/enterprise").path

    init() throws {
        binary = try #require(TestSupport.proformaBinary)
    }

    func run(_ arguments: [String]) throws -> CommandResult {
        try TestSupport.run(binary, arguments + ["-C", example])
    }

    @Test func reportAllocationsInEveryFormat() throws {
        let text = try run(["report", "allocations"])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("aws-support"))
        #expect(text.stdout.contains("Before: pool"))
        #expect(text.stdout.contains("After: target"))
        #expect(text.stdout.contains("(nothing left)"))
        let json = try run(["report", "allocations", "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["format_version"] as? Int == 1)
        let csv = try run(["report", "allocations", "--format", "csv"])
        #expect(csv.status == 0)
        #expect(csv.stdout.hasPrefix("row_type,period,allocation,currency"))
        #expect(csv.stdout.contains("\r\ntarget,"))
        // Tidy: a row per source line and per target, no summary rows; the AWS cost the targets received is the
        // pool the sources gave, so the two halves of the aws_cost_exact column are equal.
        let rows = csv.stdout.split(separator: "\r\n").dropFirst().map { TestSupport.csvFields(String($0)) }
        #expect(Set(rows.map { $0[0] }) == ["source", "target"])
        func total(_ kind: String) throws -> ExactDecimal {
            try rows.filter { $0[0] == kind }.reduce(ExactDecimal.zero) { sum, row in
                sum + (try #require(ExactDecimal(row[13])))
            }
        }
        #expect(try total("source") == total("target"))
        #expect(try total("source") != .zero)
    }

    @Test func aParentGroupIsInvoicedAsTheSumOfItsGroups() throws {
        let parent = try run(["invoice", "--group", "products-division", "--format", "json"])
        #expect(parent.status == 0, "\(parent.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(parent.stdout.utf8)) as? [String: Any])
        let children = try #require(object["children"] as? [[String: Any]])
        #expect(children.compactMap { $0["name"] as? String } == ["consumer-products", "industrial-iot"])
        var sum = Decimal(0)
        for child in children {
            let name = try #require(child["name"] as? String)
            let own = try run(["invoice", "--group", name, "--format", "json"])
            let invoice = try #require(try JSONSerialization.jsonObject(with: Data(own.stdout.utf8)) as? [String: Any])
            let total = try #require((invoice["totals"] as? [String: Any])?["total_rounded"] as? String)
            sum += try #require(Decimal(string: total))
            #expect(child["total"] as? String == total)
        }
        #expect(Decimal(string: try #require(object["total"] as? String)) == sum)
        for format in ["text", "markdown", "csv", "html"] {
            let rendered = try run(["invoice", "--group", "meridian", "--format", format])
            #expect(rendered.status == 0, "\(format): \(rendered.stderr)")
            #expect(rendered.stdout.contains("corporate-division"))
        }
    }

    @Test func reportsRollUpToParents() throws {
        let margin = try run(["report", "margin", "--by", "parent"])
        #expect(margin.status == 0, "\(margin.stderr)")
        #expect(margin.stdout.contains("products-division"))
        let costs = try run(["report", "costs", "--by", "parent", "--group-by", "group"])
        #expect(costs.status == 0, "\(costs.stderr)")
        #expect(costs.stdout.contains("corporate-division"))
        #expect(!costs.stdout.contains("consumer-products"))
    }

    @Test func anUnknownGroupNamesParentsToo() throws {
        let result = try run(["invoice", "--group", "products-divison"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("no billing group or parent group \"products-divison\""))
        #expect(result.stderr.contains("products-division"))
    }
}

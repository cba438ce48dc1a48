import Foundation
import ProformaTestSupport
import Testing

/// `report margin` and `report costs` on examples/msp through the built binary: the same default period, ranges,
/// pages with charts, tidy CSVs with their totals, and the arguments they refuse.
@Suite struct ReportCommandsTests {
    let binary: URL
    let msp = TestSupport.packageRoot.appendingPathComponent("examples/msp").path

    init() throws {
        binary = try #require(TestSupport.proformaBinary)
    }

    func run(_ arguments: [String], in directory: URL? = nil) throws -> CommandResult {
        try TestSupport.run(binary, arguments + ["-C", msp], in: directory)
    }

    func periods(_ result: CommandResult) throws -> [String] {
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        return try #require(json["periods"] as? [String])
    }

    @Test func marginAndCostsDefaultToTheLatestPeriodAsInvoiceDoes() throws {
        let margin = try run(["report", "margin", "--format", "json"])
        let costs = try run(["report", "costs", "--format", "json"])
        #expect(margin.status == 0, "\(margin.stderr)")
        #expect(costs.status == 0, "\(costs.stderr)")
        let all = try periods(try run(["report", "costs", "--all-periods", "--format", "json"]))
        #expect(all.count > 1)
        let latest = try #require(all.last)
        let first = try #require(all.first)
        #expect(try periods(margin) == [latest])
        #expect(try periods(costs) == [latest])
        let invoice = try run(["invoice", "--group", "harbor-logistics", "--format", "json"])
        let invoiceJSON = try JSONSerialization.jsonObject(with: Data(invoice.stdout.utf8)) as? [String: Any]
        #expect(invoiceJSON?["period"] as? String == latest)
        // Every period on request, and a range.
        #expect(try periods(try run(["report", "margin", "--all-periods", "--format", "json"])) == all)
        #expect(try periods(try run(["report", "margin", "--periods", "2000-01..2099-12", "--format", "json"])) == all)
        #expect(
            try periods(try run(["report", "costs", "--periods", "\(first)..\(first)", "--format", "json"])) == [first])
    }

    @Test func aRangeShowsEachGroupsMarginByMonth() throws {
        let text = try run(["report", "margin", "--all-periods"])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("Margin by month, "))
        // Not a terminal: the sparklines are ASCII.
        let trend = try #require(text.stdout.split(separator: "\n").first { $0.hasPrefix("greenfield-retail  USD") })
        #expect(trend.unicodeScalars.allSatisfy { $0.isASCII })
        let plain = try run(["report", "margin", "--all-periods", "--no-color"])
        #expect(plain.stdout == text.stdout)
    }

    #if os(Linux)
        /// On a terminal (util-linux's `script` gives the command one) the sparklines are Unicode blocks, unless
        /// `NO_COLOR`, `--no-color`, or `-o` writes a file.
        @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script")))
        func onATerminalSparklinesAreBlocks() throws {
            let directory = try TestSupport.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            func onTerminal(_ arguments: [String], noColor: String = "") throws -> String {
                let command = ([binary.path] + arguments + ["-C", msp]).map { "'\($0)'" }.joined(separator: " ")
                let result = try TestSupport.run(
                    URL(fileURLWithPath: "/usr/bin/script"), ["-q", "-e", "-c", command, "/dev/null"],
                    in: directory, environment: ["NO_COLOR": noColor, "TERM": "xterm"])
                #expect(result.status == 0, "\(result.stderr)")
                return result.stdout
            }
            let blocks = Set("▁▂▃▄▅▆▇█".unicodeScalars)
            let terminal = try onTerminal(["report", "margin", "--all-periods"])
            #expect(terminal.contains("Margin by month"))
            #expect(terminal.unicodeScalars.contains { blocks.contains($0) })
            let costs = try onTerminal(["report", "costs"])
            #expect(costs.unicodeScalars.contains { blocks.contains($0) })
            for plain in [
                try onTerminal(["report", "margin", "--all-periods"], noColor: "1"),
                try onTerminal(["report", "margin", "--all-periods", "--no-color"]),
            ] {
                #expect(plain.contains("Margin by month"))
                #expect(!plain.unicodeScalars.contains { blocks.contains($0) })
            }
            let file = directory.appendingPathComponent("margin.txt")
            _ = try onTerminal(["report", "margin", "--all-periods", "-o", file.path])
            let written = try String(contentsOf: file, encoding: .utf8)
            #expect(written.contains("Margin by month"))
            #expect(!written.unicodeScalars.contains { blocks.contains($0) })
        }
    #endif

    @Test func anHTMLPageWithChartsIsWrittenWithO() throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let page = directory.appendingPathComponent("margin.html")
        let result = try run(["report", "margin", "--all-periods", "--format", "html", "-o", page.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        let html = try String(contentsOf: page, encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<svg"))
        #expect(!html.contains("<script"))
        // The chart's total margin per month is the sum of the report's rows.
        let json = try #require(
            try JSONSerialization.jsonObject(
                with: Data(try run(["report", "margin", "--all-periods", "--format", "json"]).stdout.utf8))
                as? [String: Any])
        let total = try #require((json["totals"] as? [[String: Any]])?.first)
        #expect(html.contains("<td class=\"amount\">\(try #require(total["margin_rounded"] as? String).grouped)</td>"))
        let svg = try run(["report", "costs", "--all-periods", "--format", "svg"])
        #expect(svg.status == 0, "\(svg.stderr)")
        #expect(
            svg.stdout.hasPrefix(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\""))
    }

    @Test func theCSVHasNoTotalRowAndTheTotalsFileHoldsThem() throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let totals = directory.appendingPathComponent("totals.csv")
        let csv = try run([
            "report", "costs", "--all-periods", "--group-by", "group,period", "--format", "csv", "--totals",
            totals.path,
        ])
        #expect(csv.status == 0, "\(csv.stderr)")
        let rows = csv.stdout.split(separator: "\r\n").map {
            $0.split(separator: ",", omittingEmptySubsequences: false)
        }
        let header = try #require(rows.first)
        #expect(header.prefix(4) == ["group", "period", "currency", "pro_forma"])
        let proForma = try #require(header.firstIndex(of: "pro_forma"))
        let sum = rows.dropFirst().compactMap { Decimal(string: String($0[proForma])) }.reduce(0, +)
        #expect(rows.dropFirst().allSatisfy { $0[0] != "Total" && $0[0] != "total" })
        let totalRows = try String(contentsOf: totals, encoding: .utf8).split(separator: "\r\n")
        #expect(totalRows.count == 2)
        let totalHeader = totalRows[0].split(separator: ",")
        let totalCells = totalRows[1].split(separator: ",")
        let index = try #require(totalHeader.firstIndex(of: "pro_forma"))
        #expect(Decimal(string: String(totalCells[index])) == sum)
    }

    @Test func badArgumentsAreUsageErrors() throws {
        for arguments in [
            ["report", "margin", "--period", "2026-10", "--periods", "2026-09..2026-10"],
            ["report", "margin", "--period", "2026-10", "--all-periods"],
            ["report", "costs", "--all-periods", "--period", "2026-10"],
            ["report", "margin", "--format", "json", "--totals", "t.csv"],
            ["report", "costs", "--periods", "2026-10..2026-09"],
            ["report", "margin", "--periods", "2026-10"],
            ["report", "margin", "--format", "pdf"],
        ] {
            let result = try run(arguments)
            #expect(result.status == 64, "\(arguments): \(result.stderr)")
            #expect(result.stdout.isEmpty)
        }
        let outside = try run(["report", "margin", "--periods", "2025-01..2025-03"])
        #expect(outside.status == 1)
        #expect(outside.stderr.contains("no usage lines from 2025-01 to 2025-03"))
    }
}

extension String {
    /// A plain decimal with its thousands grouped by commas (`-11814.75` → `-11,814.75`).
    fileprivate var grouped: String {
        let negative = hasPrefix("-")
        let digits = negative ? String(dropFirst()) : self
        let parts = digits.split(separator: ".", maxSplits: 1)
        var integer = ""
        for (index, digit) in parts[0].enumerated() {
            if index > 0 && (parts[0].count - index) % 3 == 0 { integer += "," }
            integer.append(digit)
        }
        return (negative ? "-" : "") + integer + (parts.count > 1 ? "." + parts[1] : "")
    }
}

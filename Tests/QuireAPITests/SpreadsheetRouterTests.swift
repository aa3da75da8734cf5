// SPDX-License-Identifier: AGPL-3.0-or-later
import QuireCore
import Testing

/// The spreadsheet exports through the router: `worksheetIndex` is 1-based, the CSV symbols are
/// read only where they apply, bad values are 400s naming the parameter.
struct SpreadsheetRouterTests {
    static let paths = SheetFormat.allCases.map { "/xls/convert/to/\($0.rawValue)" }

    /// A number or a numeric string chooses the sheet; an empty one (PDF.co's MCP server sends "") is the first.
    @Test(arguments: paths)
    func worksheetIndexChoosesTheSheet(_ path: String) async throws {
        let harness = try RouterHarness()
        let second = try await harness.send(path, rawJSON: #"{"url": "\#(RouterHarness.anyURL)", "worksheetIndex": 2, "async": true}"#)
        #expect(try SpreadsheetToCSVConversion.options(of: try await harness.spec(of: second)).worksheetIndex == 2)
        let empty = try await harness.queued(path, ["WorksheetIndex": ""], as: .form)
        #expect(try SpreadsheetToCSVConversion.options(of: empty).worksheetIndex == 1)
        #expect(empty.outputName == "result.\(path.split(separator: "/").last!)")
    }

    @Test func csvSymbolsAreReadForCSVOnly() async throws {
        let harness = try RouterHarness()
        let symbols = ["separatorSymbol": ";", "quotationSymbol": "'"]
        let csv = try SpreadsheetToCSVConversion.options(of: try await harness.queued("/xls/convert/to/csv", symbols))
        #expect(csv.separator == ";" && csv.quote == "'")
        let json = try SpreadsheetToJSONConversion.options(of: try await harness.queued("/xls/convert/to/json", symbols))
        #expect(json == SpreadsheetExportOptions())
    }

    static let refusals: [Refusal] = [
        Refusal("/xls/convert/to/csv", ["worksheetIndex": "0"], names: "'worksheetIndex'"),
        Refusal("/xls/convert/to/json", ["worksheetIndex": "-1"], names: "'worksheetIndex'"),
        Refusal("/xls/convert/to/xml", ["worksheetIndex": "Sheet1"], names: "'worksheetIndex'"),
        Refusal("/xls/convert/to/html", ["worksheetIndex": "1.5"], names: "'worksheetIndex'"),
        Refusal("/xls/convert/to/csv", ["separatorSymbol": ";;"], names: "'separatorSymbol'"),
        Refusal("/xls/convert/to/csv", ["quotationSymbol": "\n"], names: "'quotationSymbol'"),
        Refusal("/xls/convert/to/csv", ["separatorSymbol": "'", "quotationSymbol": "'"], names: "'quotationSymbol'"),
    ]

    @Test(arguments: refusals)
    func badValuesAreRefused(_ refusal: Refusal) async throws {
        try await RouterHarness().expectRefused(refusal)
    }
}

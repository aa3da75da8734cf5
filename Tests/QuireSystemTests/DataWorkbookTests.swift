// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireTestSupport
import Testing

/// `/pdf/convert/to/xlsx` and `/to/xls` through the real server: the workbooks are read back by
/// LibreOffice (Quire's own `/xls/convert/to/csv`, an office host) and the XLSX's sheet XML is
/// read with Python's zipfile, so cell values, numbers and sheets are checked by other readers.
@Suite(.serialized)
final class DataWorkbookTests {
    let temp = TemporaryDirectory()
    let server: QuireServer

    init() async throws {
        server = try await QuireServer(data: temp.file("data"), arguments: ["--workers", "2", "--office-workers", "1"])
    }

    deinit { server.kill9() }

    func post(_ path: String, _ parameters: [String: Any]) async throws -> [String: Any] {
        let (answer, status) = try await HTTP.postJSON(server.baseURL + path, parameters)
        #expect(status == 200, "\(path): \(answer)")
        return answer
    }

    /// The first sheet of the workbook at `url` as CSV, read by LibreOffice.
    func sheetCSV(_ url: String, sheet: Int = 1) async throws -> String {
        let answer = try await post("/xls/convert/to/csv", ["url": url, "inline": true, "worksheetIndex": sheet])
        return try #require(answer["body"] as? String, "\(answer)")
    }

    /// `path` of the XLSX at `url` (e.g. "xl/workbook.xml"), unzipped by Python.
    func xlsxPart(_ url: String, _ path: String) async throws -> String {
        let file = temp.file("book-\(UUID().uuidString).xlsx")
        try await HTTP.get(url).0.write(to: file)
        let script = "import sys,zipfile\nprint(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]).decode())"
        return try await runCommand("python3", ["-c", script, file.path, path]).output
    }

    static let tableRows = DataPDF.tableValues.map { $0.joined(separator: ",") }

    @Test func xlsxCellsNumbersAndSheets() async throws {
        let twoPages = DataPDF.make([DataPDF.tablePage(), DataPDF.tablePage()])
        let url = try await HTTP.upload(twoPages, name: "two.pdf", base: server.baseURL)
        let answer = try await post("/pdf/convert/to/xlsx", ["url": url, "inline": true])
        #expect(answer["body"] == nil, "XLSX answers only a url, as PDF.co's does")
        let book = try #require(answer["url"] as? String)
        #expect(book.hasSuffix(".xlsx"))
        #expect(try await HTTP.get(book).0.prefix(2) == Data("PK".utf8))

        // LibreOffice reads both sheets (a worksheet per page) with the table's cells.
        for sheet in [1, 2] {
            let csv = try await sheetCSV(book, sheet: sheet)
            for row in Self.tableRows { #expect(csv.contains(row), "sheet \(sheet): \(row) in \(csv)") }
        }
        let workbook = try await xlsxPart(book, "xl/workbook.xml")
        #expect(workbook.contains("name=\"Page 1\"") && workbook.contains("name=\"Page 2\""), "\(workbook)")
        // Numbers are numbers (no t="s"): 12 and 3.5 are values, "Apples" a shared string.
        let sheet = try await xlsxPart(book, "xl/worksheets/sheet1.xml")
        #expect(sheet.range(of: #"<c r="B\d+"( s="\d+")?><v>12</v></c>"#, options: .regularExpression) != nil, "\(sheet)")
        #expect(sheet.range(of: #"<c r="C\d+"( s="\d+")?><v>3.5</v></c>"#, options: .regularExpression) != nil, "\(sheet)")

        // One sheet for all pages, and numbers left as text.
        let flat = try await post(
            "/pdf/convert/to/xlsx", ["url": url, "profiles": "{'PageToWorksheet': false, 'AutoDetectNumbers': false}"])
        let flatBook = try #require(flat["url"] as? String)
        let flatWorkbook = try await xlsxPart(flatBook, "xl/workbook.xml")
        #expect(flatWorkbook.contains("name=\"Sheet1\"") && !flatWorkbook.contains("Page 2"), "\(flatWorkbook)")
        let flatSheet = try await xlsxPart(flatBook, "xl/worksheets/sheet1.xml")
        #expect(!flatSheet.contains("<v>12</v>"), "AutoDetectNumbers false keeps 12 a string")
        let flatCSV = try await sheetCSV(flatBook)
        #expect(flatCSV.components(separatedBy: "Apples,12,3.50").count == 3, "both pages' rows on one sheet: \(flatCSV)")
    }

    @Test func xlsIsAnExcel97Workbook() async throws {
        let url = try await HTTP.upload(DataPDF.table, name: "table.pdf", base: server.baseURL)
        let answer = try await post("/pdf/convert/to/xls", ["url": url, "name": "fruit.xls"])
        let book = try #require(answer["url"] as? String)
        #expect(answer["name"] as? String == "fruit.xls")
        #expect(answer["pageCount"] as? Int == 1)
        // An OLE compound file (BIFF8), not an XLSX renamed.
        #expect(try await HTTP.get(book).0.prefix(4) == Data([0xD0, 0xCF, 0x11, 0xE0]))
        let csv = try await sheetCSV(book)
        for row in Self.tableRows { #expect(csv.contains(row), "\(row) in \(csv)") }

        // A PDF with no text layer fails in the first run, with the same message as /to/xlsx.
        var page = DataPDF.Page()
        page.hasImage = true
        page.content = "q 400 0 0 500 100 100 cm /Im1 Do Q\n"
        let scan = try await HTTP.upload(DataPDF.make([page]), name: "scan.pdf", base: server.baseURL)
        let (failed, status) = try await HTTP.postJSON(server.baseURL + "/pdf/convert/to/xls", ["url": scan])
        #expect(status == 415, "\(failed)")
        #expect((failed["message"] as? String)?.contains("no text layer") == true, "\(failed)")
    }
}

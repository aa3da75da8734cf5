// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireTestSupport
import Testing

/// `/xls/convert/to/csv|json|html|txt|xml` through the real server and a real LibreOffice host,
/// on the committed XLSX/XLS/ODS/CSV fixtures and on a two-sheet workbook the test writes itself.
@Suite(.serialized)
final class SpreadsheetExportTests {
    let temp = TemporaryDirectory()
    let server: QuireServer

    init() async throws {
        server = try await QuireServer(data: temp.file("data"), arguments: ["--office-workers", "1", "--job-timeout", "60"])
    }

    deinit { server.kill9() }

    static func fixture(_ name: String) throws -> Data {
        try Data(contentsOf: packageRoot.appendingPathComponent("Tests/Fixtures/office").appendingPathComponent(name))
    }

    /// A flat OpenDocument workbook (what LibreOffice reads and writes as .fods): sheet "Plain" with
    /// one cell, sheet "Tricky" with a comma, quotes, a line break, non-ASCII text, an empty cell
    /// and 12.5 formatted with two decimals.
    static let trickyWorkbook = Data(
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" \
        xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" \
        xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" \
        xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" \
        xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2" \
        office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
        <office:automatic-styles>
        <number:number-style style:name="N2"><number:number number:decimal-places="2" number:min-integer-digits="1"/></number:number-style>
        <style:style style:name="ce1" style:family="table-cell" style:data-style-name="N2"/>
        </office:automatic-styles>
        <office:body><office:spreadsheet>
        <table:table table:name="Plain"><table:table-row>\
        <table:table-cell office:value-type="string"><text:p>first sheet</text:p></table:table-cell>\
        </table:table-row></table:table>
        <table:table table:name="Tricky">
        <table:table-row>\
        <table:table-cell office:value-type="string"><text:p>a, b</text:p></table:table-cell>\
        <table:table-cell office:value-type="string"><text:p>say "hi" &amp; &lt;go&gt;</text:p></table:table-cell>\
        <table:table-cell office:value-type="string"><text:p>line1</text:p><text:p>line2</text:p></table:table-cell>\
        </table:table-row>
        <table:table-row>\
        <table:table-cell office:value-type="string"><text:p>Grüße 日本語</text:p></table:table-cell>\
        <table:table-cell/>\
        <table:table-cell table:style-name="ce1" office:value-type="float" office:value="12.5"><text:p>12.50</text:p></table:table-cell>\
        </table:table-row>
        </table:table>
        </office:spreadsheet></office:body></office:document>

        """.utf8)

    /// Uploads `data` and converts it at `/xls/convert/to/<format>` (sync); returns the answer and the result's text.
    func export(
        _ data: Data, _ format: String, name: String = "book.bin", prefix: String = "", extra: [String: Any] = [:]
    ) async throws -> (answer: [String: Any], status: Int, text: String?) {
        let url = try await HTTP.upload(data, name: name, base: server.baseURL)
        let (answer, status) = try await HTTP.postJSON(
            "\(server.baseURL)\(prefix)/xls/convert/to/\(format)", extra.merging(["url": url]) { a, _ in a })
        guard status == 200, let resultURL = answer["url"] as? String else { return (answer, status, nil) }
        let (body, bodyStatus) = try await HTTP.get(resultURL)
        #expect(bodyStatus == 200)
        return (answer, status, String(decoding: body, as: UTF8.self))
    }

    func json(_ text: String?) throws -> [[String: Any]] {
        let data = Data(try #require(text).utf8)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
    }

    /// Known cells of sheet.xlsx in every format: the first sheet by default, the second with
    /// `worksheetIndex=2` (1-based, as PDF.co documents); XLS and ODS copies give the same CSV.
    @Test func eachFormatOfBothSheets() async throws {
        let xlsx = try Self.fixture("sheet.xlsx")
        let (answer, status, csv) = try await export(xlsx, "csv", extra: ["name": "first.csv"])
        #expect(status == 200, "\(answer)")
        #expect(answer["name"] as? String == "first.csv")
        #expect(csv == "Alpha-Sheet,Value,\nItem 1,10,3.25\nItem 2,20,\nItem 3,30,\nItem 4,40,\nItem 5,50,\nTotal,150,\n")

        let second = ["worksheetIndex": "2"]
        #expect(try await export(xlsx, "csv", prefix: "/v1", extra: second).text == "Beta-Sheet\n42\n")
        #expect(try await export(xlsx, "txt", extra: second).text == "Beta-Sheet\n42\n")
        let rows = try json(try await export(xlsx, "json", extra: second).text)
        #expect(rows.count == 2)
        #expect(rows[0]["Column0"] as? String == "Beta-Sheet")
        #expect(rows[1]["Column0"] as? String == "42", "cells are text as shown, as in PDF.co's example")
        let xml = try #require(try await export(xlsx, "xml", extra: second).text)
        #expect(xml.hasPrefix("<?xml"))
        #expect(xml.contains("<row>\n    <Column0>Beta-Sheet</Column0>\n  </row>"))
        #expect(xml.contains("<Column0>42</Column0>"))
        let html = try #require(try await export(xlsx, "html", extra: second).text)
        #expect(html.contains("<td>Beta-Sheet</td>") && html.contains("<td>42</td>"))
        #expect(!html.contains("Alpha-Sheet"), "only the chosen sheet")

        // The first sheet as JSON: PDF.co's shape, every row with every column, empty cells null.
        let first = try json(try await export(xlsx, "json").text)
        #expect(first.count == 7)
        #expect(first[1]["Column0"] as? String == "Item 1" && first[1]["Column2"] as? String == "3.25")
        #expect(first[2]["Column2"] is NSNull)
        #expect(first[6]["Column1"] as? String == "150", "the formula's value")
        #expect(first.allSatisfy { $0.keys.sorted() == ["Column0", "Column1", "Column2"] })

        for file in ["sheet.xls", "sheet.ods"] {
            let (answer, status, text) = try await export(try Self.fixture(file), "csv", extra: second)
            #expect(status == 200, "\(file): \(answer)")
            #expect(text == "Beta-Sheet\n42\n", "\(file)")
        }
    }

    /// Cells with the separator, quotes, a line break and non-ASCII text survive each format;
    /// `separatorSymbol` and `quotationSymbol` change the CSV; `inline` returns the text itself;
    /// async answers through /job/check.
    @Test func quotingAndNonASCIIText() async throws {
        let book = Self.trickyWorkbook
        let tricky = ["worksheetIndex": "2"]
        let (answer, status, csv) = try await export(book, "csv", extra: tricky)
        #expect(status == 200, "\(answer)")
        #expect(csv == "\"a, b\",\"say \"\"hi\"\" & <go>\",\"line1\nline2\"\nGrüße 日本語,,12.50\n")
        let (_, _, semicolons) = try await export(
            book, "csv", extra: ["worksheetIndex": 2, "separatorSymbol": ";", "quotationSymbol": "'"])
        #expect(semicolons == "a, b;say \"hi\" & <go>;'line1\nline2'\nGrüße 日本語;;12.50\n")

        let rows = try json(try await export(book, "json", extra: tricky).text)
        #expect(rows.count == 2)
        #expect(rows[0]["Column0"] as? String == "a, b")
        #expect(rows[0]["Column1"] as? String == "say \"hi\" & <go>")
        #expect(rows[0]["Column2"] as? String == "line1\nline2")
        #expect(rows[1]["Column0"] as? String == "Grüße 日本語")
        #expect(rows[1]["Column1"] is NSNull)
        #expect(rows[1]["Column2"] as? String == "12.50", "number formats apply")

        let xml = try #require(try await export(book, "xml", extra: tricky).text)
        #expect(xml.contains("<Column1>say &quot;hi&quot; &amp; &lt;go&gt;</Column1>"))
        #expect(xml.contains("<Column0>Grüße 日本語</Column0>") && xml.contains("<Column1/>"))
        let html = try #require(try await export(book, "html", extra: tricky).text)
        #expect(html.contains("<td>say &quot;hi&quot; &amp; &lt;go&gt;</td>") && html.contains("<td>line1<br>line2</td>"))
        #expect(html.contains("<meta charset=\"utf-8\">") && html.contains("<td>Grüße 日本語</td>"))
        let (_, _, text) = try await export(book, "txt", extra: tricky)
        #expect(text == "a, b\tsay \"hi\" & <go>\tline1 line2\nGrüße 日本語\t\t12.50\n")

        let (inline, _, file) = try await export(book, "csv", extra: ["inline": true])
        #expect(inline["body"] as? String == "first sheet\n")
        #expect(file == "first sheet\n")

        let url = try await HTTP.upload(book, name: "book.fods", base: server.baseURL)
        let (queued, queuedStatus) = try await HTTP.postJSON(
            "\(server.baseURL)/v1/xls/convert/to/json", ["url": url, "async": true, "worksheetIndex": "2"])
        #expect(queuedStatus == 200, "\(queued)")
        let check = try await waitForJob(server.baseURL, try #require(queued["jobId"] as? String))
        #expect(check["status"] as? String == "success", "\(check)")
        let asyncRows = try json(String(decoding: try await HTTP.get(try #require(queued["url"] as? String)).0, as: UTF8.self))
        #expect(asyncRows.first?["Column0"] as? String == "a, b")
    }

    /// A CSV input is one sheet, read as written (no number reformatting).
    @Test func csvInputIsOneSheet() async throws {
        let data = try Self.fixture("data.csv")
        let rows = try json(try await export(data, "json", name: "data.csv").text)
        #expect(rows.count == 4)
        #expect(rows[1]["Column0"] as? String == "Widget" && rows[1]["Column1"] as? String == "12.50")
        let (answer, status, _) = try await export(data, "csv", name: "data.csv", extra: ["worksheetIndex": "2"])
        #expect(status == 400, "\(answer)")
        #expect((answer["message"] as? String)?.contains("1 worksheet ") == true, "\(answer)")
    }

    /// Sheets that do not exist, bad parameters, broken files and non-spreadsheets are PDF.co
    /// errors with a 4xx status, never a 500; the host still converts afterwards.
    @Test func errorsAreClearFourHundreds() async throws {
        let xlsx = try Self.fixture("sheet.xlsx")
        for format in ["csv", "json", "html", "txt", "xml"] {
            let (answer, status, _) = try await export(xlsx, format, extra: ["worksheetIndex": "3"])
            #expect(status == 400, "\(format): \(answer)")
            #expect(answer["error"] as? Bool == true && answer["status"] as? Int == 400)
            let message = answer["message"] as? String ?? ""
            #expect(message.contains("worksheetIndex") && message.contains("2 worksheets"), "\(message)")
        }
        for bad: [String: Any] in [["worksheetIndex": "0"], ["worksheetIndex": "first"], ["separatorSymbol": ";;"]] {
            let (answer, status, _) = try await export(xlsx, "csv", extra: bad)
            #expect(status == 400, "\(bad): \(answer)")
            #expect((answer["message"] as? String)?.contains(bad.keys.first!) == true, "\(answer)")
        }

        // A truncated XLSX (a ZIP cut in half), random bytes named .xlsx, a Word file and a PDF.
        let cut = xlsx.prefix(xlsx.count / 2)
        let inputs: [(String, Data)] = [
            ("cut.xlsx", Data(cut)), ("garbage.xlsx", try Self.fixture("garbage.docx")),
            ("report.docx", try Self.fixture("report.docx")), ("three.pdf", Fixtures.threePages),
        ]
        for (name, data) in inputs {
            let (answer, status, _) = try await export(data, "json", name: name)
            #expect([415, 442].contains(status), "\(name): \(answer)")
            #expect(answer["error"] as? Bool == true)
            let message = answer["message"] as? String ?? ""
            #expect(!message.contains("/tmp") && !message.contains("file://"), "no paths: \(message)")
        }
        let (docx, _, _) = try await export(try Self.fixture("report.docx"), "csv", name: "report.docx")
        #expect((docx["message"] as? String)?.contains("not a spreadsheet") == true, "\(docx)")
        #expect(try await export(xlsx, "txt", extra: ["worksheetIndex": "2"]).text == "Beta-Sheet\n42\n")
    }
}

// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore
import QuireEngines
import Testing

/// One sheet's cells in each format: ragged rows padded, empty cells, quoting and escaping.
struct SheetWriterTests {
    static let rows = [["a", "b,c", "say \"hi\""], ["line1\nline2", ""], ["<&>\ttab"]]

    func write(_ format: SheetFormat, _ change: (inout SpreadsheetExportOptions) -> Void = { _ in }) -> String {
        var options = SpreadsheetExportOptions()
        change(&options)
        return SheetWriter.write(Self.rows, as: format, options: options)
    }

    @Test func csvQuotesOnlyWhatNeedsIt() {
        #expect(write(.csv) == "a,\"b,c\",\"say \"\"hi\"\"\"\n\"line1\nline2\",,\n<&>\ttab,,\n")
        let tabs = write(.csv) {
            $0.separator = "\t"
            $0.quote = "'"
        }
        #expect(tabs == "a\tb,c\tsay \"hi\"\n'line1\nline2'\t\t\n'<&>\ttab'\t\t\n")
    }

    @Test func jsonIsPDFcosRowObjects() throws {
        let text = write(.json)
        #expect(text.contains("\"Column0\": \"a\",\n    \"Column1\": \"b,c\""), "keys in column order")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
        #expect(rows.count == 3 && rows.allSatisfy { $0.count == 3 })
        #expect(rows[0]["Column2"] as? String == "say \"hi\"")
        #expect(rows[1]["Column0"] as? String == "line1\nline2" && rows[1]["Column1"] is NSNull)
        #expect(rows[2]["Column0"] as? String == "<&>\ttab" && rows[2]["Column2"] is NSNull)
        #expect(SheetWriter.write([], as: .json, options: SpreadsheetExportOptions()) == "[]\n")
    }

    @Test func xmlHtmlAndTextEscape() {
        let xml = write(.xml)
        #expect(xml.contains("<Column2>say &quot;hi&quot;</Column2>") && xml.contains("<Column0>&lt;&amp;&gt;\ttab</Column0>"))
        #expect(xml.contains("<Column1/>"))
        let html = write(.html)
        #expect(html.contains("<tr><td>line1<br>line2</td><td>&nbsp;</td><td>&nbsp;</td></tr>"))
        #expect(write(.txt) == "a\tb,c\tsay \"hi\"\nline1 line2\t\t\n<&> tab\t\t\n")
    }
}

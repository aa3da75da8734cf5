// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore

/// One sheet's cells (rows of text as shown) written as CSV, JSON, HTML, text or XML. Pure.
///
/// Rows are padded to the widest row, so every row has every column; an empty cell is `null` in
/// JSON, an empty element in XML, `&nbsp;` in HTML (as in PDF.co's example) and nothing in CSV
/// and text. Lines end with `\n`.
package enum SheetWriter {
    package static func write(_ rows: [[String]], as format: SheetFormat, options: SpreadsheetExportOptions) -> String {
        let rows = padded(rows)
        switch format {
        case .csv: return csv(rows, separator: options.separator, quote: options.quote)
        case .json: return json(rows)
        case .html: return html(rows, title: "Worksheet \(options.worksheetIndex)")
        case .txt: return text(rows)
        case .xml: return xml(rows)
        }
    }

    static func padded(_ rows: [[String]]) -> [[String]] {
        let width = rows.map(\.count).max() ?? 0
        return rows.map { $0.count == width ? $0 : $0 + Array(repeating: "", count: width - $0.count) }
    }

    /// A cell is quoted when it holds the separator, the quote or a line break; quotes inside are doubled.
    static func csv(_ rows: [[String]], separator: String, quote: String) -> String {
        let needsQuotes: Set<Character> = Set(separator + quote + "\n\r")
        return rows.map { row in
            row.map { cell in
                guard cell.contains(where: { needsQuotes.contains($0) || $0 == "\r\n" }) else { return cell }
                return quote + cell.replacingOccurrences(of: quote, with: quote + quote) + quote
            }.joined(separator: separator) + "\n"
        }.joined()
    }

    /// PDF.co's shape (its "Convert XLS/XLSX to JSON" example): `[{"Column0": "MC", …, "Column8": null}, …]`,
    /// keys in column order, every value a string or null.
    static func json(_ rows: [[String]]) -> String {
        guard !rows.isEmpty else { return "[]\n" }
        let objects = rows.map { row in
            "  {\n"
                + row.enumerated().map { index, cell in
                    "    \"Column\(index)\": " + (cell.isEmpty ? "null" : jsonString(cell))
                }.joined(separator: ",\n") + "\n  }"
        }
        return "[\n" + objects.joined(separator: ",\n") + "\n]\n"
    }

    static func xml(_ rows: [[String]]) -> String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rows>\n"
        for row in rows {
            out += "  <row>\n"
            for (index, cell) in row.enumerated() {
                out += cell.isEmpty ? "    <Column\(index)/>\n" : "    <Column\(index)>\(markup(cell))</Column\(index)>\n"
            }
            out += "  </row>\n"
        }
        return out + "</rows>\n"
    }

    static func html(_ rows: [[String]], title: String) -> String {
        var out = """
            <!DOCTYPE html>
            <html><head><meta charset="utf-8"><title>\(markup(title))</title></head>
            <body>
            <table border="1" cellspacing="0" cellpadding="2" style="border-collapse:collapse">

            """
        for row in rows {
            out += "<tr>"
            for cell in row {
                out += cell.isEmpty ? "<td>&nbsp;</td>" : "<td>\(markup(cell).replacingOccurrences(of: "\n", with: "<br>"))</td>"
            }
            out += "</tr>\n"
        }
        return out + "</table>\n</body>\n</html>\n"
    }

    /// Tab-separated; a tab or line break inside a cell becomes a space, so each row stays one line.
    static func text(_ rows: [[String]]) -> String {
        rows.map { row in
            row.map { cell in
                String(cell.map { $0 == "\t" || $0.isNewline ? " " : $0 })
            }.joined(separator: "\t") + "\n"
        }.joined()
    }

    private static func jsonString(_ text: String) -> String { MarkupElement.quote(text) }

    /// Text escaped for XML and HTML; control characters XML 1.0 does not allow are dropped.
    private static func markup(_ text: String) -> String { MarkupElement.escape(text, attribute: true) }
}

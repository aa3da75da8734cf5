// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation

/// CSV → flat OpenDocument spreadsheet (.fods), which Calc opens without its CSV import dialog.
///
/// LibreOfficeKit 7.4 ignores CSV filter options and shows (then aborts on) that dialog, so
/// Quire parses the CSV itself: RFC 4180 quoting, the separator guessed from the first line.
package enum CSVSpreadsheet {
    package static func flatODS(fromCSV text: String) -> String {
        let rows = parse(text, separator: guessSeparator(text))
        var xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" \
            xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" \
            xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2" \
            office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
            <office:body><office:spreadsheet><table:table table:name="Sheet1">

            """
        for row in rows {
            xml += "<table:table-row>"
            for cell in row {
                if let number = Double(cell.trimmingCharacters(in: .whitespaces)), number.isFinite {
                    xml +=
                        "<table:table-cell office:value-type=\"float\" office:value=\"\(number)\"><text:p>\(escape(cell))</text:p></table:table-cell>"
                } else {
                    xml += "<table:table-cell office:value-type=\"string\"><text:p>\(escape(cell))</text:p></table:table-cell>"
                }
            }
            xml += "</table:table-row>\n"
        }
        xml += "</table:table></office:spreadsheet></office:body></office:document>\n"
        return xml
    }

    /// The most frequent of comma, semicolon and tab outside quotes on the first line.
    package static func guessSeparator(_ text: String) -> Character {
        let firstLine = text.prefix { $0 != "\n" && $0 != "\r\n" }
        var counts: [Character: Int] = [",": 0, ";": 0, "\t": 0]
        var quoted = false
        for character in firstLine {
            if character == "\"" { quoted.toggle() } else if !quoted, counts[character] != nil { counts[character]! += 1 }
        }
        return counts.max { $0.value < $1.value || ($0.value == $1.value && $0.key != ",") }.map { $0.value > 0 ? $0.key : "," } ?? ","
    }

    package static func parse(_ text: String, separator: Character) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var cell = ""
        var quoted = false
        var iterator = text.makeIterator()
        var pending: Character? = nil
        while let character = pending ?? iterator.next() {
            pending = nil
            if quoted {
                if character == "\"" {
                    let next = iterator.next()
                    if next == "\"" { cell.append("\"") } else { quoted = false; pending = next }
                } else {
                    cell.append(character)
                }
            } else if character == "\"" && cell.isEmpty {
                quoted = true
            } else if character == separator {
                row.append(cell)
                cell = ""
            } else if character == "\n" || character == "\r\n" || character == "\r" {
                row.append(cell)
                rows.append(row)
                row = []
                cell = ""
            } else {
                cell.append(character)
            }
        }
        if !cell.isEmpty || !row.isEmpty {
            row.append(cell)
            rows.append(row)
        }
        return rows
    }

    private static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: if scalar.value >= 0x20 || scalar == "\t" { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }
}

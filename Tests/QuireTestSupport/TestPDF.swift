// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation

/// Writes small, valid PDFs for tests: US Letter pages of Helvetica text with a correct xref table,
/// so every reader (MuPDF, qpdf, poppler) opens them without repair.
package enum TestPDF {
    /// US Letter, in points.
    package static let pageWidth = 612.0
    package static let pageHeight = 792.0

    /// A piece of text at a position. PDF user space: points, origin bottom-left, y up.
    package struct Run: Sendable {
        package var text: String
        package var x: Double
        package var y: Double
        package var fontSize: Double

        package init(_ text: String, x: Double, y: Double, fontSize: Double = 12) {
            self.text = text
            self.x = x
            self.y = y
            self.fontSize = fontSize
        }
    }

    /// One page per string; each line (split on "\n") starts at the left margin, 14 pt below the last,
    /// in 12 pt Helvetica. Text outside Latin-1 is written as "?".
    package static func make(pages: [String], title: String? = nil, author: String? = nil) -> Data {
        make(
            runs: pages.map { page in
                page.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map {
                    Run(String($0.element), x: 72, y: 720 - 14 * Double($0.offset))
                }
            },
            title: title, author: author)
    }

    /// One page per array of runs, for layouts such as two columns or a table.
    package static func make(runs pages: [[Run]], title: String? = nil, author: String? = nil) -> Data {
        var writer = Writer()
        let pageCount = pages.count
        // Fixed numbering: 1 catalog, 2 page tree, 3 font, 4 info, then a page and its content per page.
        let pageIDs = (0..<pageCount).map { 5 + 2 * $0 }
        writer.object(1, "<< /Type /Catalog /Pages 2 0 R >>")
        let kids = pageIDs.map { "\($0) 0 R" }.joined(separator: " ")
        writer.object(2, "<< /Type /Pages /Kids [\(kids)] /Count \(pageCount) >>")
        writer.object(
            3, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
        var info = "/Producer (QuireTestSupport)"
        if let title { info += " /Title \(textString(title))" }
        if let author { info += " /Author \(textString(author))" }
        writer.object(4, "<< \(info) >>")
        for (index, runs) in pages.enumerated() {
            let pageID = pageIDs[index]
            writer.object(
                pageID,
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 \(number(pageWidth)) \(number(pageHeight))] "
                    + "/Resources << /Font << /F1 3 0 R >> >> /Contents \(pageID + 1) 0 R >>")
            let content = runs.map {
                "BT /F1 \(number($0.fontSize)) Tf 1 0 0 1 \(number($0.x)) \(number($0.y)) Tm \(literal($0.text)) Tj ET"
            }.joined(separator: "\n")
            writer.stream(pageID + 1, Data(content.utf8))
        }
        return writer.finish(size: 5 + 2 * pageCount, root: 1, info: 4)
    }

    // MARK: - Encoding

    /// A PDF literal string in WinAnsiEncoding (Latin-1 for U+00A0...U+00FF).
    static func literal(_ text: String) -> String {
        var out = "("
        for scalar in text.unicodeScalars {
            switch scalar {
            case "(", ")", "\\": out += "\\" + String(scalar)
            case " "..."~": out.unicodeScalars.append(scalar)
            case "\u{A0}"..."\u{FF}": out += "\\" + String(scalar.value, radix: 8)
            default: out += "?"
            }
        }
        return out + ")"
    }

    /// A text string for the document information dictionary: UTF-16BE with a byte order mark.
    static func textString(_ text: String) -> String {
        "<FEFF" + text.utf16.map { String(format: "%04X", $0) }.joined() + ">"
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.2f", value)
    }

    /// Appends objects and remembers where each starts, for the xref table.
    private struct Writer {
        // The comment of four high bytes marks the file as binary for transfer tools.
        var data = Data("%PDF-1.4\n".utf8) + Data([0x25, 0xE2, 0xE3, 0xCF, 0xD3, 0x0A])
        var offsets: [Int: Int] = [:]

        mutating func object(_ id: Int, _ body: String) {
            offsets[id] = data.count
            data.append(Data("\(id) 0 obj\n\(body)\nendobj\n".utf8))
        }

        mutating func stream(_ id: Int, _ bytes: Data) {
            offsets[id] = data.count
            data.append(Data("\(id) 0 obj\n<< /Length \(bytes.count) >>\nstream\n".utf8))
            data.append(bytes)
            data.append(Data("\nendstream\nendobj\n".utf8))
        }

        mutating func finish(size: Int, root: Int, info: Int) -> Data {
            let xrefOffset = data.count
            // Each entry is exactly 20 bytes: "nnnnnnnnnn ggggg n" plus a two-byte line end.
            var xref = "xref\n0 \(size)\n0000000000 65535 f \n"
            for id in 1..<size {
                xref += String(format: "%010d 00000 n \n", offsets[id] ?? 0)
            }
            xref += "trailer\n<< /Size \(size) /Root \(root) 0 R /Info \(info) 0 R >>\n"
            xref += "startxref\n\(xrefOffset)\n%%EOF\n"
            data.append(Data(xref.utf8))
            return data
        }
    }
}

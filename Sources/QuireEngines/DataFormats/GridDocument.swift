// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation

/// The pages of a document laid out as grids, and PDF.co's outputs of them: XML, JSON, CSV, HTML.
package struct GridDocument: Sendable {
    package struct Page: Sendable {
        package var index: Int
        package var grid: PageGrid
        /// Whether the page was read by OCR (PDF.co's `OCRWasPerformed`).
        package var isOCR: Bool

        package init(index: Int, grid: PageGrid, isOCR: Bool = false) {
            self.index = index
            self.grid = grid
            self.isOCR = isOCR
        }
    }

    package var pages: [Page]

    package init(pages: [Page]) { self.pages = pages }

    /// `<document><page index=…><row><column><text fontName=… …>` (see docs/api.md).
    package func markup() -> MarkupElement {
        MarkupElement(
            "document", [("pageCount", String(pages.count)), ("pageCountWithOCRPerformed", "0")],
            children: pages.map { page in
                MarkupElement(
                    "page",
                    [
                        ("index", String(page.index)), ("width", String(Int(page.grid.width.rounded()))),
                        ("height", String(Int(page.grid.height.rounded()))), ("OCRWasPerformed", page.isOCR ? "True" : "False"),
                    ],
                    children: page.grid.rows.map { row in
                        MarkupElement("row", children: row.map { MarkupElement("column", children: [Self.textElement($0)]) })
                    })
            })
    }

    static func textElement(_ run: TextRun?) -> MarkupElement {
        guard let run else { return MarkupElement("text", text: "") }
        return MarkupElement(
            "text",
            [
                ("fontName", FontNames.family(of: run.font?.name ?? "")), ("fontSize", format(run.fontSize, decimals: 1)),
                ("fontStyle", FontNames.style(of: run.font)), ("color", String(format: "#%06X", run.color & 0xFF_FFFF)),
                ("x", format(run.box.x0)), ("y", format(run.box.y0)), ("width", format(run.box.width)),
                ("height", format(run.box.height)),
            ], text: run.text)
    }

    package static func formatted(_ value: Double) -> String { format(value) }

    /// Invariant-culture fixed decimals, as .NET's "F2" prints them.
    static func format(_ value: Double, decimals: Int = 2) -> String {
        String(format: "%.\(decimals)f", value.isFinite ? value : 0)
    }

    /// Every cell quoted, `separator` between cells, CRLF after each row; pages follow each other.
    package func csv(separator: String = ",", quote: String = "\"") -> String {
        var out = ""
        for page in pages {
            for row in page.grid.rows {
                out += row.map { cell in
                    let text = cell?.text ?? ""
                    return quote.isEmpty ? text : quote + text.replacingOccurrences(of: quote, with: quote + quote) + quote
                }.joined(separator: separator)
                out += "\r\n"
            }
        }
        return out
    }

    /// One HTML document: each page a `<table>` of its grid (`simple`: a paragraph per row).
    package func html(simple: Bool) -> String {
        var out = "<!DOCTYPE html>\r\n<html>\r\n<head>\r\n<meta charset=\"utf-8\">\r\n<title>Document</title>\r\n"
        out += "<style>table.page{border-collapse:collapse;margin-bottom:2em}table.page td{padding:2px 6px;vertical-align:top}</style>\r\n"
        out += "</head>\r\n<body>\r\n"
        for page in pages {
            if simple {
                out += "<div class=\"page\" data-page-index=\"\(page.index)\">\r\n"
                for row in page.grid.rows {
                    let text = row.compactMap { $0?.text }.joined(separator: " ")
                    out += "<p>\(MarkupElement.escape(text, attribute: false))</p>\r\n"
                }
                out += "</div>\r\n"
                continue
            }
            out += "<table class=\"page\" data-page-index=\"\(page.index)\">\r\n"
            for row in page.grid.rows {
                out += "<tr>"
                for cell in row {
                    guard let cell else {
                        out += "<td></td>"
                        continue
                    }
                    var style = "font-size:\(Self.format(cell.fontSize, decimals: 1))pt"
                    if cell.font?.isBold == true { style += ";font-weight:bold" }
                    if cell.font?.isItalic == true { style += ";font-style:italic" }
                    out += "<td style=\"\(style)\">\(MarkupElement.escape(cell.text, attribute: false))</td>"
                }
                out += "</tr>\r\n"
            }
            out += "</table>\r\n"
        }
        return out + "</body>\r\n</html>\r\n"
    }
}

/// Font names as PDF.co prints them: the family ("Arial" for "ABCDEF+Arial-BoldMT").
enum FontNames {
    static func family(of name: String) -> String {
        var family = Substring(name)
        if let cut = family.firstIndex(where: { $0 == "-" || $0 == "," }) { family = family[..<cut] }
        for suffix in ["PSMT", "MT", "PS"] where family.hasSuffix(suffix) && family.count > suffix.count {
            family = family.dropLast(suffix.count)
            break
        }
        return String(family)
    }

    /// "Regular", "Bold", "Italic" or "BoldItalic".
    static func style(of font: PageContent.Font?) -> String {
        switch (font?.isBold ?? false, font?.isItalic ?? false) {
        case (true, true): "BoldItalic"
        case (true, false): "Bold"
        case (false, true): "Italic"
        case (false, false): "Regular"
        }
    }
}

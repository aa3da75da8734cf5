// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore

/// Text of PDF pages from MuPDF's structured text: laid out in columns by `LayoutText`
/// (`.preserveLayout`), or in MuPDF's own block and line order (`.simple`).
/// Safe to call from several threads: each call works on its own clone of the base context.
package struct MuPDFTextExtractor: TextExtractor {
    private let context: MuPDFContext

    /// - Parameter context: the process's base context.
    package init(context: MuPDFContext) {
        self.context = context
    }

    /// Each selected page's text followed by a form feed, as `pdftotext` separates pages.
    package func extractText(
        from file: URL, password: String?, pages: PageSelection, layout: TextLayout
    ) throws -> ExtractedText {
        let threadContext = try context.makeClone()
        let document = try MuPDFDocument(contentsOf: file, password: password, context: threadContext)
        let indexes = try document.pageIndexes(for: pages)
        var text = ""
        for index in indexes {
            switch layout {
            case .preserveLayout:
                text += LayoutText.render(try document.glyphs(onPage: index))
            case .simple:
                text += Self.tidy(try document.plainText(onPage: index))
            }
            text += "\u{0C}"
        }
        return ExtractedText(text: text, pageCount: indexes.count)
    }

    /// MuPDF's page text with trailing spaces cut from each line and trailing blank lines cut from
    /// the page, so that every non-empty page ends in exactly one "\n", as in layout mode.
    static func tidy(_ text: String) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            var line = $0
            while let last = line.last, last == " " || last == "\t" { line.removeLast() }
            return line
        }
        while let last = lines.last, last.isEmpty { lines.removeLast() }
        return lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
    }
}

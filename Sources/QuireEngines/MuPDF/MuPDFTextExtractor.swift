// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore

/// Text of PDF pages from MuPDF's structured text: laid out in columns by `LayoutText`
/// (`.preserveLayout`), or in MuPDF's own block and line order (`.simple`).
/// Safe to call from several threads: each call works on its own clone of the base context.
/// Long documents are split into page runs extracted on several threads (`MuPDFPageRuns`).
package struct MuPDFTextExtractor: TextExtractor {
    private let context: MuPDFContext
    private let maxThreads: Int
    /// Fewer pages than this per thread are not worth a second open of the document.
    static let minPagesPerThread = 16

    /// - Parameters:
    ///   - context: the process's base context.
    ///   - maxThreads: threads one extraction may use (default: the core count).
    package init(context: MuPDFContext, maxThreads: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.context = context
        self.maxThreads = max(1, maxThreads)
    }

    /// Each selected page's text followed by a form feed, as `pdftotext` separates pages.
    package func extractText(
        from file: URL, password: String?, pages: PageSelection, layout: TextLayout, ocr: [Int: OCRPage] = [:]
    ) throws -> ExtractedText {
        let runs = MuPDFPageRuns(maxThreads: maxThreads, minPagesPerThread: Self.minPagesPerThread)
        let (pageCount, results) = try runs.map(file: file, password: password, context: context, pages: pages) { document, run in
            try Self.text(of: run, in: document, layout: layout, ocr: ocr)
        }
        return ExtractedText(
            text: results.map(\.text).joined(), pageCount: pageCount, pagesWithoutText: results.flatMap(\.pagesWithoutText))
    }

    private static func text(
        of indexes: ArraySlice<Int>, in document: MuPDFDocument, layout: TextLayout, ocr: [Int: OCRPage]
    ) throws -> (text: String, pagesWithoutText: [Int]) {
        var text = ""
        var withoutText: [Int] = []
        for index in indexes {
            if let page = ocr[index] {
                text += layout == .preserveLayout ? LayoutText.render(page.glyphs) : page.plainText
            } else {
                let glyphs = try document.glyphs(onPage: index)
                if !OCRPage.hasTextLayer(glyphs) { withoutText.append(index) }
                switch layout {
                case .preserveLayout: text += LayoutText.render(glyphs)
                case .simple: text += Self.tidy(try document.plainText(onPage: index))
                }
            }
            text += "\u{0C}"
        }
        return (text, withoutText)
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

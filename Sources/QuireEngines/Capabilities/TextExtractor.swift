// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore

/// How text is laid out on output.
package enum TextLayout: String, Sendable, Codable {
    /// Characters placed in columns by their position on the page, like `pdftotext -layout`.
    case preserveLayout
    /// Blocks and lines in reading order, no column alignment (PDF.co's `to/text-simple`).
    case simple
}

/// Text of the selected pages of a document.
package struct ExtractedText: Sendable, Codable, Equatable {
    /// UTF-8 text; pages in the order selected, separated by a form feed (U+000C).
    package var text: String
    /// Number of pages extracted.
    package var pageCount: Int
    /// The selected pages (indexes from 0) that had no text layer and no OCR words given.
    package var pagesWithoutText: [Int]

    package init(text: String, pageCount: Int, pagesWithoutText: [Int] = []) {
        self.text = text
        self.pageCount = pageCount
        self.pagesWithoutText = pagesWithoutText
    }
}

/// Extracts text from PDF (and other formats the engine reads).
package protocol TextExtractor: Sendable {
    /// - Throws: `EngineError` (password, damaged file, page range).
    /// `ocr`: words OCR found, by page index; those pages are read from them instead.
    func extractText(
        from file: URL, password: String?, pages: PageSelection, layout: TextLayout, ocr: [Int: OCRPage]
    ) throws -> ExtractedText
}

// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore

/// The last step of the OCR conversions, on what the OCR pass found: `/pdf/makesearchable`'s
/// words written over their pages as invisible text (only content is appended: the page images
/// stay byte for byte), `/pdf/edit/rotate/auto`'s pages turned upright.
package struct OCRTextLayer {
    /// Tesseract's glyphless font (one blank glyph, 572 bytes), embedded like Tesseract does.
    static var glyphlessFont: String? {
        let path = OCRLanguages.dataFolder + "/pdf.ttf"
        return FileManager.default.isReadableFile(atPath: path) ? path : nil
    }

    let context: MuPDFContext

    package init(context: MuPDFContext) { self.context = context }

    /// Writes `file` with `pages`' words over them to `output`; returns the page count.
    package func write(_ file: URL, password: String?, pages: [OCRPage], to output: URL) throws(EngineError) -> Int {
        let editor = try PDFEditor(contentsOf: file, password: password, context: context)
        let font = Self.glyphlessFont
        for page in pages where page.recognized && !page.words.isEmpty {
            guard page.page >= 0 && page.page < editor.pageCount else { throw .failed("OCR words for a page the PDF does not have.") }
            try editor.addInvisibleWords(page.words, page: page.page, fontFile: font)
        }
        try editor.save(to: output)
        return editor.pageCount
    }

    /// Writes `file` with each page turned by its `rotation` (its /Rotate changed, nothing else)
    /// to `output`; returns the page count.
    package func turnUpright(_ file: URL, password: String?, pages: [OCRPage], to output: URL) throws(EngineError) -> Int {
        let editor = try PDFEditor(contentsOf: file, password: password, context: context)
        for page in pages {
            guard let rotation = page.rotation, rotation % 360 != 0 else { continue }
            guard page.page >= 0 && page.page < editor.pageCount else { throw .failed("A rotation for a page the PDF does not have.") }
            try editor.rotatePage(page.page, by: rotation)
        }
        try editor.save(to: output)
        return editor.pageCount
    }
}

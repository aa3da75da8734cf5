// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore

/// `/pdf/makeunsearchable`: the selected pages lose their text. A page whose text is all
/// invisible (an OCR layer over a scan) has it redacted and keeps its look byte for byte; a page
/// that shows text becomes a picture of itself, so nothing is left to select or search.
package struct TextLayerRemover {
    let context: MuPDFContext

    package init(context: MuPDFContext) { self.context = context }

    /// Returns the page count and how many pages became pictures.
    package func removeText(
        from file: URL, password: String?, pages: PageSelection, dpi: Double, to output: URL
    ) throws(EngineError) -> (pageCount: Int, rasterized: Int) {
        let editor = try PDFEditor(contentsOf: file, password: password, context: context)
        let indexes: [Int]
        do {
            indexes = try pages.resolve(pageCount: editor.pageCount)
        } catch {
            throw .pageRange("\(error)")
        }
        var rasterized = 0
        for index in Set(indexes).sorted() {
            if try editor.hasVisibleText(index) {
                // At most 40 million pixels (120 MB of RGB): a huge page is pictured at less.
                let size = try editor.pageSize(index)
                let area = max(size.width, 1) * max(size.height, 1) / (72 * 72)
                try editor.rasterize(index, dpi: max(1, min(dpi, (40_000_000 / area).squareRoot().rounded(.down))))
                rasterized += 1
            } else {
                let size = try editor.pageSize(index)
                // A box past every edge: text drawn just off the page goes too.
                try editor.redact(
                    page: index, boxes: [EditBox(x: -size.width, y: -size.height, width: 3 * size.width, height: 3 * size.height)])
            }
        }
        try editor.save(to: output)
        return (editor.pageCount, rasterized)
    }
}

// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore

/// Reads the selected pages' content (`PageContent`) and hands each to a function, on several
/// threads for long documents; results come back in page order.
package struct MuPDFPageContents: Sendable {
    private let context: MuPDFContext
    private let maxThreads: Int
    static let minPagesPerThread = 4

    package init(context: MuPDFContext, maxThreads: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.context = context
        self.maxThreads = max(1, maxThreads)
    }

    /// `body(pageIndex, content)` for each selected page; a page with OCR words (`ocr`) is read
    /// from them instead of its text layer.
    /// - Throws: `PagesWithoutText` when `reportsPagesWithoutText` and some selected pages have
    ///   no text layer (nor words); `EngineError.unsupported` when no selected page has any text;
    ///   what opening the document throws.
    package func map<T>(
        file: URL, password: String?, pages: PageSelection, ocr: [Int: OCRPage] = [:], reportsPagesWithoutText: Bool = false,
        _ body: @Sendable @escaping (Int, PageContent) throws -> T
    ) throws -> (pageCount: Int, results: [T]) {
        let runs = MuPDFPageRuns(maxThreads: maxThreads, minPagesPerThread: Self.minPagesPerThread)
        let (pageCount, perRun) = try runs.map(file: file, password: password, context: context, pages: pages) { document, run in
            try run.map { index -> (hasText: Bool, index: Int, result: T?) in
                var content = try document.content(ofPage: index)
                if let words = ocr[index] {
                    content.chars = words.chars
                    content.isOCR = true
                } else if reportsPagesWithoutText && !content.hasTextLayer {
                    return (false, index, nil)  // read again once OCR has its words
                }
                return (!content.chars.isEmpty, index, try body(index, content))
            }
        }
        let results = perRun.flatMap { $0 }
        let scans = results.filter { $0.result == nil }.map(\.index)
        if !scans.isEmpty { throw PagesWithoutText(pages: scans) }
        guard results.contains(where: \.hasText) else {
            throw EngineError.unsupported(
                "The selected pages have no text layer (scanned images?) and OCR found no text on them, or is turned off on this server."
            )
        }
        return (pageCount, results.compactMap(\.result))
    }
}

/// Selected pages without a text layer (indexes from 0): the worker reads them by OCR and asks again.
package struct PagesWithoutText: Error {
    package let pages: [Int]
}

extension PageContent {
    /// Whether the page has text of its own (`OCRPage.hasTextLayer`'s rule).
    var hasTextLayer: Bool { OCRPage.hasTextLayer(scalars: chars.lazy.map(\.scalar)) }
}

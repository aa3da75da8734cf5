// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore

/// Pages to PNG (Quire's libdeflate writer), JPEG (libjpeg) or WebP (libwebp), page runs on several threads.
package struct MuPDFPageRenderer: PageRenderer {
    private let context: MuPDFContext
    private let maxThreads: Int
    /// Largest page in pixels (width × height); a bigger page is refused before any memory is
    /// spent on it. The default, 100 MP, is an A4 page at about 1200 dpi.
    package let maxPixelsPerPage: Int

    package init(context: MuPDFContext, maxThreads: Int = ProcessInfo.processInfo.activeProcessorCount, maxPixelsPerPage: Int = 100_000_000)
    {
        self.context = context
        self.maxThreads = max(1, maxThreads)
        self.maxPixelsPerPage = maxPixelsPerPage
    }

    /// The selected pages in one multi-page TIFF at `output`; returns the page count. One thread:
    /// the pages go into one file in order.
    package func renderTIFF(from file: URL, password: String?, pages: PageSelection, dpi: Double, to output: URL) throws -> Int {
        try checkResolution(dpi)
        let document = try MuPDFDocument(contentsOf: file, password: password, context: context)
        let indexes = try document.pageIndexes(for: pages)
        for index in indexes { try checkPixels(document, index, dpi) }
        try document.renderTIFF(pages: indexes, dpi: dpi, to: output)
        return indexes.count
    }

    private func checkResolution(_ dpi: Double) throws {
        guard dpi.isFinite, dpi >= 1, dpi <= 2400 else {
            throw EngineError.unsupported("The resolution must be between 1 and 2400 dpi.")
        }
    }

    private func checkPixels(_ document: MuPDFDocument, _ index: Int, _ dpi: Double) throws {
        let size = try document.pageSize(index)
        let pixels = (size.width * dpi / 72).rounded(.up) * (size.height * dpi / 72).rounded(.up)
        guard pixels <= Double(maxPixelsPerPage) else {
            throw EngineError.limitExceeded(
                "Page \(index) would be \(Int(pixels / 1_000_000)) megapixels at \(Int(dpi)) dpi; the limit is \(maxPixelsPerPage / 1_000_000). Lower the resolution."
            )
        }
    }

    /// Renders the selected pages into `directory` as `<baseName>-<page>.<ext>` (1-based page
    /// numbers), in selection order. A page selected again is written again, as
    /// `<baseName>-<page>-<copy>.<ext>` (`page-1-2.png` for the second copy of page 1).
    package func renderPages(
        from file: URL, password: String?, pages: PageSelection, dpi: Double, format: PageImageFormat, quality: Int,
        into directory: URL, baseName: String
    ) throws -> [URL] {
        try checkResolution(dpi)
        guard (1...100).contains(quality) || format == .png else {
            throw EngineError.unsupported("JPEGQuality must be between 1 and 100.")
        }
        // Rendering costs far more than opening a document: two pages are enough for a thread.
        let runs = MuPDFPageRuns(maxThreads: maxThreads, minPagesPerThread: 2)
        // Threads write to names of their own (by position), so two copies of one page never
        // share a file; the final names are given in order afterwards.
        let files = try runs.map(file: file, password: password, context: context, pages: pages) { document, run in
            try zip(run.indices, run).map { position, index in
                try checkPixels(document, index, dpi)
                let target = directory.appendingPathComponent(".render-\(position).\(format.fileExtension)")
                do {
                    try document.renderImage(page: index, dpi: dpi, format: format, quality: quality).writeUnsynced(to: target)
                } catch let error as EngineError {
                    throw error
                } catch {
                    throw EngineError.failed("Could not write the rendered page.")
                }
                return (page: index, file: target)
            }
        }
        var copies: [Int: Int] = [:]
        return try files.results.flatMap { $0 }.map { rendered in
            let copy = copies[rendered.page, default: 0] + 1
            copies[rendered.page] = copy
            let suffix = copy == 1 ? "" : "-\(copy)"
            let target = directory.appendingPathComponent("\(baseName)-\(rendered.page + 1)\(suffix).\(format.fileExtension)")
            do {
                try? FileManager.default.removeItem(at: target)
                try FileManager.default.moveItem(at: rendered.file, to: target)
            } catch {
                throw EngineError.failed("Could not write the rendered page.")
            }
            return target
        }
    }
}

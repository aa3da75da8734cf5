// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore

/// Renders document pages to image files.
package protocol PageRenderer: Sendable {
    /// Writes one image per selected page into `directory`, named `<baseName>-<page>.<ext>` (page
    /// counted from 1), and returns the files in the order of `pages`.
    /// - Throws: `EngineError` (password, damaged file, page range, `.limitExceeded` for pages
    ///   over the pixel limit).
    func renderPages(
        from file: URL, password: String?, pages: PageSelection, dpi: Double, format: PageImageFormat, quality: Int,
        into directory: URL, baseName: String
    ) throws -> [URL]
}

extension PageRenderer {
    /// PNG pages (see `renderPages`).
    package func renderPNG(
        from file: URL, password: String?, pages: PageSelection, dpi: Double, into directory: URL, baseName: String
    ) throws -> [URL] {
        try renderPages(
            from: file, password: password, pages: pages, dpi: dpi, format: .png, quality: 0, into: directory, baseName: baseName)
    }
}

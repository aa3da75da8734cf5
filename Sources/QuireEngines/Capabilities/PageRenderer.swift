// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore

/// Renders document pages to image files.
package protocol PageRenderer: Sendable {
    /// Writes one PNG per selected page into `directory`, named `<baseName>-<page>.png` (page
    /// counted from 1), and returns the files in the order of `pages`.
    /// - Throws: `EngineError` (password, damaged file, page range, `.limitExceeded` for pages
    ///   over the pixel limit).
    func renderPNG(
        from file: URL, password: String?, pages: PageSelection, dpi: Double, into directory: URL, baseName: String
    ) throws
        -> [URL]
}

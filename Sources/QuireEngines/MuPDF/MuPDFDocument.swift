// SPDX-License-Identifier: AGPL-3.0-or-later
import CMuPDF
import Foundation
import QuireCore

/// An open document (`fz_document`), used on one thread at a time with the context that opened it.
package final class MuPDFDocument {
    let context: MuPDFContext
    let handle: OpaquePointer
    /// At least 1: a document without pages is refused as damaged when it is opened.
    package let pageCount: Int
    /// Whether the file needed a user password to open (an empty user password does not count).
    package let neededPassword: Bool

    /// Opens `file` (a PDF, or a format MuPDF knows by the file's extension).
    /// - Parameter password: user or owner password; nil or empty means none.
    /// - Throws: `EngineError.passwordRequired`, `.wrongPassword`, `.damaged` (empty, corrupt,
    ///   not a PDF, no pages), or `.failed` when the file cannot be read at all.
    package init(contentsOf file: URL, password: String?, context: MuPDFContext) throws(EngineError) {
        var opened: OpaquePointer?
        try context.check("open the document") { err, errlen in
            cmupdf_document_open(context.handle, file.path, password, &opened, err, errlen)
        }
        // cmupdf_document_open sets the handle exactly when it returns CMUPDF_OK.
        let handle = opened!
        // Both are recorded by cmupdf_document_open and cannot fail.
        var count: Int32 = 0
        var needed: Int32 = 0
        _ = withErrorBuffer { cmupdf_document_page_count(context.handle, handle, &count, $0, $1) }
        _ = withErrorBuffer { cmupdf_document_needed_password(context.handle, handle, &needed, $0, $1) }
        self.context = context
        self.handle = handle
        self.pageCount = Int(count)
        self.neededPassword = needed != 0
    }

    deinit {
        cmupdf_document_drop(context.handle, handle)
    }

    /// The page indexes `selection` names, in its order.
    /// - Throws: `EngineError.pageRange` with the client message of `PageSelectionError`.
    package func pageIndexes(for selection: PageSelection) throws(EngineError) -> [Int] {
        do {
            return try selection.resolve(pageCount: pageCount)
        } catch let error as PageSelectionError {
            throw .pageRange(error.description)
        } catch {
            throw .pageRange("Invalid 'pages' value \"\(selection.description)\".")
        }
    }

    /// A metadata entry ("format", "encryption", "info:Title", …); nil when absent or empty.
    package func metadata(_ key: String) throws(EngineError) -> String? {
        var value: UnsafeMutablePointer<CChar>?
        try context.check("read the document's metadata") { err, errlen in
            cmupdf_document_metadata(context.handle, handle, key, &value, err, errlen)
        }
        guard let value else { return nil }
        defer { cmupdf_free(value) }
        let string = String(cString: value)
        return string.isEmpty ? nil : string
    }

    /// What the document allows, from its PDF /P flags (everything when it is not encrypted).
    package func permissions() throws(EngineError) -> DocumentInfo.Permissions {
        var bits: Int32 = 0
        try context.check("read the document's permissions") { err, errlen in
            cmupdf_document_permissions(context.handle, handle, &bits, err, errlen)
        }
        func has(_ flag: Int) -> Bool { Int(bits) & flag != 0 }
        return DocumentInfo.Permissions(
            print: has(CMUPDF_PERM_PRINT), modify: has(CMUPDF_PERM_MODIFY), copy: has(CMUPDF_PERM_COPY),
            annotate: has(CMUPDF_PERM_ANNOTATE), fillForms: has(CMUPDF_PERM_FILL_FORMS),
            accessibility: has(CMUPDF_PERM_ACCESSIBILITY), assemble: has(CMUPDF_PERM_ASSEMBLE),
            printHighQuality: has(CMUPDF_PERM_PRINT_HQ))
    }

    /// Width and height of page `index` (zero-based) in points, as displayed (after /Rotate).
    package func pageSize(_ index: Int) throws(EngineError) -> (width: Double, height: Double) {
        var x0: Float = 0, y0: Float = 0, x1: Float = 0, y1: Float = 0
        try context.check(pageAction(index)) { err, errlen in
            cmupdf_page_bounds(context.handle, handle, Int32(index), &x0, &y0, &x1, &y1, err, errlen)
        }
        return (Double(x1 - x0), Double(y1 - y0))
    }

    /// The characters of page `index` with their positions, for `LayoutText`.
    package func glyphs(onPage index: Int) throws(EngineError) -> [LayoutText.Glyph] {
        var chars: UnsafeMutablePointer<cmupdf_char>?
        var count = 0
        try context.check(pageAction(index)) { err, errlen in
            cmupdf_page_chars(context.handle, handle, Int32(index), &chars, &count, err, errlen)
        }
        guard let chars else { return [] }
        defer { cmupdf_free(chars) }
        return UnsafeBufferPointer(start: chars, count: count).map { char in
            LayoutText.Glyph(
                // MuPDF reports glyphs it cannot map to Unicode as U+FFFD already; this only
                // guards against values that are not scalars at all.
                scalar: Unicode.Scalar(char.codepoint) ?? "\u{FFFD}",
                x: Double(char.x), baseline: Double(char.baseline), maxX: Double(char.max_x),
                fontSize: Double(char.size), line: Int(char.line), block: Int(char.block))
        }
    }

    /// MuPDF's plain text of page `index`: blocks in reading order, a blank line after each block.
    package func plainText(onPage index: Int) throws(EngineError) -> String {
        var bytes: UnsafeMutablePointer<CChar>?
        var length = 0
        try context.check(pageAction(index)) { err, errlen in
            cmupdf_page_text(context.handle, handle, Int32(index), &bytes, &length, err, errlen)
        }
        guard let bytes else { return "" }
        defer { cmupdf_free(bytes) }
        let buffer = UnsafeRawBufferPointer(start: bytes, count: length)
        return String(decoding: buffer, as: UTF8.self)
    }

    /// Page `index` as an RGB image at `dpi` (`quality` 1…100 for JPEG and WebP).
    package func renderImage(page index: Int, dpi: Double, format: PageImageFormat, quality: Int) throws(EngineError) -> Data {
        var bytes: UnsafeMutablePointer<UInt8>?
        var length = 0
        let code: Int32 =
            switch format {
            case .png: Int32(CMUPDF_IMAGE_PNG)
            case .jpeg: Int32(CMUPDF_IMAGE_JPEG)
            case .webp: Int32(CMUPDF_IMAGE_WEBP)
            }
        try context.check(pageAction(index)) { err, errlen in
            cmupdf_page_render_image(context.handle, handle, Int32(index), Float(dpi), code, Int32(quality), &bytes, &length, err, errlen)
        }
        guard let bytes else { return Data() }
        return Data(bytesNoCopy: bytes, count: length, deallocator: .custom { pointer, _ in cmupdf_free(pointer) })
    }

    /// The resolution of the scan on page `index` (its largest image) and the share of the page
    /// it covers; nil when the page draws no image.
    package func scanResolution(page index: Int) throws(EngineError) -> (dpi: Double, coverage: Double)? {
        var dpi: Float = 0
        var coverage: Float = 0
        try context.check(pageAction(index)) { err, errlen in
            cmupdf_page_scan_resolution(context.handle, handle, Int32(index), &dpi, &coverage, err, errlen)
        }
        return dpi > 0 ? (Double(dpi), Double(coverage)) : nil
    }

    /// Page `index` rendered at `dpi` as 8-bit gray (rows `width` bytes apart), handed to `body`
    /// and released after it; nil when the page has no pixels.
    package func withGrayRendering<T>(
        page index: Int, dpi: Double, _ body: (UnsafePointer<UInt8>, _ width: Int, _ height: Int) throws -> T
    ) throws -> T? {
        var pixels: UnsafeMutablePointer<UInt8>?
        var width: Int32 = 0
        var height: Int32 = 0
        try context.check(pageAction(index)) { err, errlen in
            cmupdf_page_render_gray(context.handle, handle, Int32(index), Float(dpi), &pixels, &width, &height, err, errlen)
        }
        guard let pixels else { return nil }
        defer { cmupdf_free(pixels) }
        return try body(pixels, Int(width), Int(height))
    }

    /// Pages `indexes` rendered at `dpi` into one multi-page TIFF at `file`.
    package func renderTIFF(pages indexes: [Int], dpi: Double, to file: URL) throws(EngineError) {
        let pages = indexes.map { Int32($0) }
        try context.check("render the pages to TIFF") { err, errlen in
            pages.withUnsafeBufferPointer {
                cmupdf_render_tiff(context.handle, handle, $0.baseAddress, Int32(pages.count), Float(dpi), file.path, err, errlen)
            }
        }
    }

    func pageAction(_ index: Int) -> String {
        "read page \(index) (zero-based)"
    }
}

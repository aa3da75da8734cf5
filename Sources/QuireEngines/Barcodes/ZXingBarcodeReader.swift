// SPDX-License-Identifier: AGPL-3.0-or-later
import CMuPDF
import CZXing
import Foundation
import QuireCore

/// One barcode found: what it says, where, on which page.
package struct FoundBarcode: Sendable, Equatable {
    package var type: BarcodeType
    package var value: String
    package var bytes: [UInt8]
    /// Bounding box (left, top, width, height): PDF points for PDF pages, pixels for images.
    package var rect: (x: Int, y: Int, width: Int, height: Int)
    /// 0-based page (PDF) or frame (TIFF) index.
    package var page: Int

    package static func == (a: FoundBarcode, b: FoundBarcode) -> Bool {
        a.type == b.type && a.value == b.value && a.bytes == b.bytes && a.page == b.page && a.rect == b.rect
    }
}

/// Reads barcodes with zxing-cpp in PDF pages (rendered to gray by MuPDF) and images (decoded by
/// MuPDF's image readers).
package struct ZXingBarcodeReader {
    private let context: MuPDFContext
    /// Largest gray image read, in pixels: a page is rendered at a lower resolution to stay
    /// below it, an image above it is refused before it is decoded. 50 MP is an A4 page at
    /// about 800 dpi; zxing-cpp keeps about two more bytes per pixel while it works.
    package let maxPixels: Int

    package init(context: MuPDFContext, maxPixels: Int = 50_000_000) {
        self.context = context
        self.maxPixels = maxPixels
    }

    /// The barcodes of the selected pages of `file` (a PDF, or an image whose frames are its pages).
    /// - Returns: how many pages were read, and the codes in page order.
    package func read(
        file: URL, password: String?, pages: PageSelection, options: BarcodeReadOptions
    ) throws -> (
        pageCount: Int, barcodes: [FoundBarcode]
    ) {
        let data: Data
        do { data = try Data(contentsOf: file, options: .mappedIfSafe) } catch { throw EngineError.damaged("the input could not be read.") }
        if data.prefix(1024).range(of: Data("%PDF-".utf8)) != nil {
            return try readPDF(file, password: password, pages: pages, options: options)
        }
        return try readImage(data, pages: pages, options: options)
    }

    private func readPDF(
        _ file: URL, password: String?, pages: PageSelection, options: BarcodeReadOptions
    ) throws -> (
        pageCount: Int, barcodes: [FoundBarcode]
    ) {
        let document = try MuPDFDocument(contentsOf: file, password: password, context: context)
        let indexes = try document.pageIndexes(for: pages)
        var found: [FoundBarcode] = []
        for index in indexes {
            let size = try document.pageSize(index)
            // A huge page is read at a lower resolution rather than refused: memory stays bounded.
            let area = max(size.width, 1) * max(size.height, 1) / (72 * 72)
            let dpi = min(options.dpi, (Double(maxPixels) / area).squareRoot().rounded(.down))
            guard dpi >= 1 else { throw EngineError.limitExceeded("Page \(index) is too large to read barcodes on.") }
            let codes = try document.withGrayRendering(page: index, dpi: dpi) { pixels, width, height in
                try decode(pixels, width: width, height: height, options: options)
            }
            let scale = 72 / dpi
            found += (codes ?? []).map {
                var code = $0
                code.page = index
                code.rect = (
                    Int((Double(code.rect.x) * scale).rounded()), Int((Double(code.rect.y) * scale).rounded()),
                    Int((Double(code.rect.width) * scale).rounded()), Int((Double(code.rect.height) * scale).rounded())
                )
                return code
            }
        }
        return (indexes.count, found)
    }

    private func readImage(
        _ data: Data, pages: PageSelection, options: BarcodeReadOptions
    ) throws -> (
        pageCount: Int, barcodes: [FoundBarcode]
    ) {
        guard let format = ImageFormat.detect(data), format != .webp else {
            throw EngineError.unsupported("The input is not a PDF or an image this server reads barcodes in (PNG, JPEG, GIF, BMP, TIFF).")
        }
        let codec = ImageCodec(context: context)
        let frames = try codec.frameCount(data)
        let indexes: [Int]
        do { indexes = try pages.resolve(pageCount: frames) } catch let error as PageSelectionError {
            throw EngineError.pageRange(error.description)
        }
        var found: [FoundBarcode] = []
        for index in indexes {
            // Checked from the header, before any memory is spent on the pixels.
            let size = index == 0 ? try codec.size(data) : nil
            if let size, size.width * size.height > maxPixels {
                throw EngineError.limitExceeded(
                    "The image is \(size.width) × \(size.height) pixels; barcodes are read in images of at most \(maxPixels / 1_000_000) megapixels."
                )
            }
            let raster = try codec.decode(data, frame: index)
            guard raster.width * raster.height <= maxPixels else {
                throw EngineError.limitExceeded("An image frame is larger than \(maxPixels / 1_000_000) megapixels.")
            }
            let gray = Self.gray(raster)
            found += try gray.withUnsafeBufferPointer { buffer in
                try decode(buffer.baseAddress!, width: raster.width, height: raster.height, options: options).map {
                    var code = $0
                    code.page = index
                    return code
                }
            }
        }
        return (indexes.count, found)
    }

    /// 8-bit gray from gray, RGB or CMYK samples; transparent pixels become white (a code drawn
    /// on a transparent background reads as on paper).
    static func gray(_ raster: ImageCodec.Raster) -> [UInt8] {
        let count = raster.width * raster.height
        var gray = [UInt8](repeating: 255, count: count)
        let color = [UInt8](raster.color)
        let alpha = raster.alpha.map { [UInt8]($0) }
        let n = raster.colorants
        guard color.count >= count * n else { return gray }
        for pixel in 0..<count {
            let base = pixel * n
            var value: Int
            switch n {
            case 3: value = (Int(color[base]) * 299 + Int(color[base + 1]) * 587 + Int(color[base + 2]) * 114) / 1000
            case 4:
                value =
                    255
                    - min(
                        255,
                        (Int(color[base]) * 299 + Int(color[base + 1]) * 587 + Int(color[base + 2]) * 114) / 1000 + Int(color[base + 3]))
            default: value = Int(color[base])
            }
            if let alpha, pixel < alpha.count {
                let a = Int(alpha[pixel])
                value = (value * a + 255 * (255 - a)) / 255
            }
            gray[pixel] = UInt8(value)
        }
        return gray
    }

    /// The codes zxing-cpp finds in one gray image, rects in its pixels, page 0.
    private func decode(_ pixels: UnsafePointer<UInt8>, width: Int, height: Int, options: BarcodeReadOptions) throws -> [FoundBarcode] {
        let formats = options.types.reduce(Int32(0)) { $0 | $1.zxingFormat }
        var symbols: UnsafeMutablePointer<czxing_symbol>?
        var count: Int32 = 0
        var message = [CChar](repeating: 0, count: 256)
        let status = czxing_read(
            pixels, Int32(width), Int32(height), Int32(width), formats == 0 ? Self.allFormats : formats, options.fastMode ? 0 : 1,
            Int32(options.maxPerPage), &symbols, &count, &message, message.count)
        guard status == CZXING_OK else { throw EngineError.failed("The barcode reader failed.") }
        guard let symbols else { return [] }
        defer { czxing_free(symbols, count) }
        return (0..<Int(count)).compactMap { index in
            let symbol = symbols[index]
            guard let type = BarcodeType(zxingFormat: symbol.format) else { return nil }
            let xs = withUnsafeBytes(of: symbol.x) { Array($0.bindMemory(to: Int32.self)) }
            let ys = withUnsafeBytes(of: symbol.y) { Array($0.bindMemory(to: Int32.self)) }
            let left = Int(xs.min() ?? 0)
            let top = Int(ys.min() ?? 0)
            return FoundBarcode(
                type: type, value: symbol.text.map { String(cString: $0) } ?? "",
                bytes: symbol.bytes.map { Array(UnsafeBufferPointer(start: $0, count: symbol.bytes_length)) } ?? [],
                rect: (left, top, Int(xs.max() ?? 0) - left, Int(ys.max() ?? 0) - top), page: 0)
        }
    }

    /// Every format Quire reports (not MaxiCode or Micro QR, which it cannot write).
    private static let allFormats = BarcodeType.allCases.reduce(Int32(0)) { $0 | $1.zxingFormat }
}

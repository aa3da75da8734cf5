// SPDX-License-Identifier: AGPL-3.0-or-later
import CMuPDF
import Foundation

/// A PNG's chunks, as far as a PDF needs them. Non-interlaced PNGs without an alpha channel go
/// into the PDF as they are: the concatenated IDAT data is a zlib stream with PNG row filters,
/// which PDF's FlateDecode reads with /Predictor 15 (as img2pdf does).
struct PNGImage {
    var width = 0
    var height = 0
    var bitDepth = 0
    /// 0 gray, 2 RGB, 3 palette, 4 gray + alpha, 6 RGB + alpha.
    var colorType = 0
    var interlaced = false
    var palette = Data()
    var transparency: Data?
    var dpi: (x: Double, y: Double)?
    var imageData = Data()

    /// Samples per pixel in the stored rows.
    var channels: Int { [0: 1, 2: 3, 3: 1, 4: 2, 6: 4][colorType] ?? 0 }
    var hasAlphaChannel: Bool { colorType == 4 || colorType == 6 }
    /// Bytes per row of unfiltered data (without the filter-type byte).
    var rowBytes: Int { (width * channels * bitDepth + 7) / 8 }

    init?(_ data: Data) {
        var offset = 8
        var sawHeader = false
        while offset + 8 <= data.count {
            guard let length = data.uint32BE(at: offset), let body = data.slice(offset + 8, length),
                let type = data.slice(offset + 4, 4).map({ String(decoding: $0, as: UTF8.self) })
            else { return nil }
            switch type {
            case "IHDR":
                guard let w = body.uint32BE(at: 0), let h = body.uint32BE(at: 4), let depth = body.byte(at: 8),
                    let color = body.byte(at: 9), let interlace = body.byte(at: 12)
                else { return nil }
                (width, height, bitDepth, colorType, interlaced) = (w, h, depth, color, interlace == 1)
                sawHeader = true
            case "PLTE": palette = body
            case "tRNS": transparency = body
            case "pHYs":
                if let x = body.uint32BE(at: 0), let y = body.uint32BE(at: 4), body.byte(at: 8) == 1, x > 0, y > 0 {
                    dpi = (Double(x) * 0.0254, Double(y) * 0.0254)
                }
            case "IDAT": imageData.append(body)
            case "IEND": offset = data.count
            default: break
            }
            offset += 12 + length
        }
        // PNG spec, table 11.1 (a 16-bit palette index once read past the alpha table).
        let validDepth: Bool
        switch colorType {
        case 0: validDepth = [1, 2, 4, 8, 16].contains(bitDepth)
        case 3: validDepth = [1, 2, 4, 8].contains(bitDepth)
        default: validDepth = [8, 16].contains(bitDepth)
        }
        guard sawHeader, width > 0, height > 0, channels > 0, validDepth, !imageData.isEmpty else { return nil }
        if colorType == 3 && (palette.isEmpty || palette.count % 3 != 0) { return nil }
    }

    /// The unfiltered rows (inflate, then undo each row's PNG filter), for images that must be
    /// split or masked. - Throws: `EngineError.damaged` for corrupt data.
    func unfilteredRows(inflate: (Data, Int) throws -> Data) throws -> Data {
        let stride = rowBytes + 1
        let raw = try inflate(imageData, stride * height)
        guard raw.count >= stride * height else { throw EngineError.damaged("the PNG image data is truncated.") }
        let bpp = max(1, channels * bitDepth / 8)
        let (rows, status) = raw.transformed(toCount: rowBytes * height) { cmupdf_png_unfilter_rows($0, height, rowBytes, bpp, $1) }
        guard status == CMUPDF_OK else { throw EngineError.damaged("the PNG uses an unknown row filter.") }
        return rows
    }
}

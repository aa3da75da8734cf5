// SPDX-License-Identifier: AGPL-3.0-or-later
import CMuPDF
import Foundation

/// zlib and MuPDF's image decoders, for the images that cannot go into a PDF as they are.
struct ImageCodec {
    let context: MuPDFContext

    /// A decoded frame: 8-bit straight color and, when present, an 8-bit alpha plane.
    struct Raster {
        var width: Int
        var height: Int
        var colorants: Int
        var color: Data
        var alpha: Data?
        var dpi: (x: Double, y: Double)?
    }

    static func deflate(_ data: Data, level: Int32 = 6) throws -> Data {
        var out: UnsafeMutablePointer<UInt8>?
        var length = 0
        let status = data.withUnsafeBytes { cmupdf_deflate($0.bindMemory(to: UInt8.self).baseAddress, data.count, level, &out, &length) }
        guard status == CMUPDF_OK, let out else { throw EngineError.failed("Image compression failed.") }
        defer { cmupdf_free(out) }
        return Data(bytes: out, count: length)
    }

    /// At most `maxLength` bytes of the zlib stream `data`.
    static func inflate(_ data: Data, maxLength: Int) throws -> Data {
        var out: UnsafeMutablePointer<UInt8>?
        var length = 0
        let status = data.withUnsafeBytes {
            cmupdf_inflate($0.bindMemory(to: UInt8.self).baseAddress, data.count, maxLength, &out, &length)
        }
        guard status == CMUPDF_OK, let out else { throw EngineError.damaged("the compressed image data is corrupt.") }
        defer { cmupdf_free(out) }
        return Data(bytes: out, count: length)
    }

    func decodeWebP(_ data: Data) throws -> Raster {
        var raster = cmupdf_raster()
        try data.withUnsafeBytes { bytes in
            try context.check("decode the WebP image") {
                cmupdf_webp_decode(bytes.bindMemory(to: UInt8.self).baseAddress, data.count, &raster, $0, $1)
            }
        }
        defer { cmupdf_raster_free(&raster) }
        return Raster(
            width: Int(raster.width), height: Int(raster.height), colorants: 3,
            color: Data(bytes: raster.color, count: raster.color_length),
            alpha: raster.has_alpha != 0 ? Data(bytes: raster.alpha, count: raster.alpha_length) : nil, dpi: nil)
    }

    /// Width and height from the header (first frame), before anything is decoded.
    func size(_ data: Data) throws -> (width: Int, height: Int) {
        var width: Int32 = 0
        var height: Int32 = 0
        try data.withUnsafeBytes { bytes in
            try context.check("read the image") {
                cmupdf_image_size(context.handle, bytes.bindMemory(to: UInt8.self).baseAddress, data.count, &width, &height, $0, $1)
            }
        }
        return (Int(width), Int(height))
    }

    func frameCount(_ data: Data) throws -> Int {
        var count: Int32 = 1
        try data.withUnsafeBytes { bytes in
            try context.check("read the image") {
                cmupdf_image_subimage_count(context.handle, bytes.bindMemory(to: UInt8.self).baseAddress, data.count, &count, $0, $1)
            }
        }
        return Int(count)
    }

    func decode(_ data: Data, frame: Int) throws -> Raster {
        var raster = cmupdf_raster()
        try data.withUnsafeBytes { bytes in
            try context.check("decode the image") {
                cmupdf_image_decode(context.handle, bytes.bindMemory(to: UInt8.self).baseAddress, data.count, Int32(frame), &raster, $0, $1)
            }
        }
        defer { cmupdf_raster_free(&raster) }
        let dpi = raster.xres > 0 && raster.yres > 0 ? (Double(raster.xres), Double(raster.yres)) : nil
        return Raster(
            width: Int(raster.width), height: Int(raster.height), colorants: Int(raster.colorants),
            color: Data(bytes: raster.color, count: raster.color_length),
            alpha: raster.has_alpha != 0 ? Data(bytes: raster.alpha, count: raster.alpha_length) : nil, dpi: dpi)
    }
}

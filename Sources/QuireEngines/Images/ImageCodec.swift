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

        /// Copies the planes of `raster` (which the caller still frees).
        init(_ raster: cmupdf_raster) {
            width = Int(raster.width)
            height = Int(raster.height)
            colorants = Int(raster.colorants)
            color = Data(bytes: raster.color, count: raster.color_length)
            alpha = raster.has_alpha != 0 ? Data(bytes: raster.alpha, count: raster.alpha_length) : nil
            dpi = raster.xres > 0 && raster.yres > 0 ? (Double(raster.xres), Double(raster.yres)) : nil
        }
    }

    /// Calls a cmupdf image function on the bytes of `data`, errors mapped as for documents
    /// except a damaged file, which is an image here, not a PDF.
    private func call(
        _ action: String, _ data: Data, _ body: (UnsafePointer<UInt8>?, UnsafeMutablePointer<CChar>, Int) -> Int32
    ) throws {
        do {
            try data.withUnsafeBytes { bytes in
                try context.check(action) { body(bytes.bindMemory(to: UInt8.self).baseAddress, $0, $1) }
            }
        } catch EngineError.damaged {
            throw EngineError.damaged("the image data is damaged or truncated.")
        }
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
        try call("decode the WebP image", data) { cmupdf_webp_decode($0, data.count, &raster, $1, $2) }
        defer { cmupdf_raster_free(&raster) }
        return Raster(raster)
    }

    /// Width and height from the header (first frame), before anything is decoded.
    func size(_ data: Data) throws -> (width: Int, height: Int) {
        var width: Int32 = 0
        var height: Int32 = 0
        try call("read the image", data) { cmupdf_image_size(context.handle, $0, data.count, &width, &height, $1, $2) }
        return (Int(width), Int(height))
    }

    func frameCount(_ data: Data) throws -> Int {
        var count: Int32 = 1
        try call("read the image", data) { cmupdf_image_subimage_count(context.handle, $0, data.count, &count, $1, $2) }
        return Int(count)
    }

    func decode(_ data: Data, frame: Int) throws -> Raster {
        var raster = cmupdf_raster()
        try call("decode the image", data) { cmupdf_image_decode(context.handle, $0, data.count, Int32(frame), &raster, $1, $2) }
        defer { cmupdf_raster_free(&raster) }
        return Raster(raster)
    }
}

// SPDX-License-Identifier: AGPL-3.0-or-later
import CMuPDF
import Foundation

/// Images → one PDF, each image (each TIFF frame) a page the size of the image at its resolution
/// (96 dpi when the file states none), turned as its EXIF orientation says.
///
/// No generational loss: JPEG bytes go in unchanged (DCTDecode), PNGs without alpha keep their
/// compressed rows (FlateDecode with PNG predictors); everything else is decoded and stored
/// losslessly with Flate, alpha as a soft mask.
package struct ImagesToPDF {
    /// Pixels per page above which an image is refused (a decompression bomb guard).
    package static let maxPixels = 200_000_000

    let codec: ImageCodec

    package init(context: MuPDFContext) { codec = ImageCodec(context: context) }

    /// - Returns: the page count.
    /// - Throws: `EngineError.unsupported` / `.damaged` naming the input (1-based) that failed.
    package func convert(inputs: [URL], output: URL) throws -> Int {
        let writer = try PDFWriter(creating: output)
        let catalog = writer.reserveID()
        let pagesID = writer.reserveID()
        var pageIDs: [Int] = []
        for (index, input) in inputs.enumerated() {
            let label = inputs.count > 1 ? "Input \(index + 1) of \(inputs.count)" : "The input"
            do {
                let data = try Data(contentsOf: input, options: .alwaysMapped)
                for image in try images(in: data) {
                    pageIDs.append(write(image, parent: pagesID, to: writer))
                }
            } catch EngineError.damaged(let detail) {
                throw EngineError.damaged("\(label) is not a readable image: \(detail)")
            } catch EngineError.unsupported(let detail) {
                throw EngineError.unsupported("\(label): \(detail)")
            } catch EngineError.limitExceeded(let detail) {
                throw EngineError.limitExceeded("\(label): \(detail)")
            } catch let error as EngineError {
                throw error
            } catch {
                throw EngineError.failed("\(label) could not be read.")
            }
        }
        writer.writeObject(pagesID, "/Type /Pages /Kids [\(pageIDs.map { "\($0) 0 R" }.joined(separator: " "))] /Count \(pageIDs.count)")
        writer.writeObject(catalog, "/Type /Catalog /Pages \(pagesID) 0 R")
        let info = writer.reserveID()
        writer.writeObject(info, "/Producer (Quire)")
        try writer.finish(root: catalog, info: info)
        return pageIDs.count
    }

    /// One embeddable image: its XObject dictionary entries, stream, optional soft mask.
    struct EmbeddedImage {
        var width: Int
        var height: Int
        var dictionary: String
        var stream: Data
        var softMask: (dictionary: String, stream: Data)?
        var dpi: (x: Double, y: Double)?
        var orientation = 1
    }

    private func images(in data: Data) throws -> [EmbeddedImage] {
        guard let format = ImageFormat.detect(data) else {
            throw EngineError.unsupported("not a supported image (JPEG, PNG, GIF, BMP, TIFF or WebP).")
        }
        switch format {
        case .jpeg:
            if let header = JPEGHeader(data), header.bitsPerComponent == 8 { return [try jpeg(data, header)] }
            return [try decoded(data, frame: 0)]
        case .png:
            guard let png = PNGImage(data) else { throw EngineError.damaged("the PNG header is invalid.") }
            return [try self.png(png, data)]
        case .webp:
            return [try webp(data)]
        case .gif, .bmp, .tiff:
            // A decompression bomb is refused from its header (later TIFF frames are bounded by
            // the engine host's memory limit).
            let size = try codec.size(data)
            try checkSize(size.width, size.height)
            return try (0..<codec.frameCount(data)).map { try decoded(data, frame: $0) }
        }
    }

    private func checkSize(_ width: Int, _ height: Int) throws {
        guard width > 0, height > 0 else { throw EngineError.damaged("the image has no pixels.") }
        guard width * height <= Self.maxPixels else {
            throw EngineError.limitExceeded(
                "the image has \(width)×\(height) pixels; at most \(Self.maxPixels / 1_000_000) megapixels are accepted.")
        }
    }

    private func jpeg(_ data: Data, _ header: JPEGHeader) throws -> EmbeddedImage {
        try checkSize(header.width, header.height)
        var dictionary = "/BitsPerComponent 8 /Filter /DCTDecode"
        switch header.components {
        case 1: dictionary += " /ColorSpace /DeviceGray"
        case 4: dictionary += " /ColorSpace /DeviceCMYK" + (header.hasAdobeMarker ? " /Decode [1 0 1 0 1 0 1 0]" : "")
        default: dictionary += " /ColorSpace /DeviceRGB"
        }
        return EmbeddedImage(
            width: header.width, height: header.height, dictionary: dictionary, stream: data, dpi: header.dpi,
            orientation: header.orientation)
    }

    private func png(_ png: PNGImage, _ data: Data) throws -> EmbeddedImage {
        try checkSize(png.width, png.height)
        if png.interlaced { return try decoded(data, frame: 0) }
        let colorSpace: String
        switch png.colorType {
        case 0, 4: colorSpace = "/DeviceGray"
        case 3:
            colorSpace = "[/Indexed /DeviceRGB \(png.palette.count / 3 - 1) \(PDFWriter.hexString(png.palette))]"
        default: colorSpace = "/DeviceRGB"
        }
        if !png.hasAlphaChannel {
            // The IDAT stream as it is: PDF's PNG predictors undo the row filters.
            let colors = png.colorType == 2 ? 3 : 1
            var dictionary =
                "/ColorSpace \(colorSpace) /BitsPerComponent \(png.bitDepth) /Filter /FlateDecode "
                + "/DecodeParms << /Predictor 15 /Colors \(colors) /BitsPerComponent \(png.bitDepth) /Columns \(png.width) >>"
            var softMask: (String, Data)?
            if let key = png.transparency {
                if png.colorType == 3 {
                    softMask = try paletteMask(png, alphas: key)
                } else if let mask = colorKeyMask(key, samples: colors) {
                    dictionary += " /Mask [\(mask)]"
                }
            }
            return EmbeddedImage(
                width: png.width, height: png.height, dictionary: dictionary, stream: png.imageData, softMask: softMask, dpi: png.dpi)
        }
        // Gray or RGB with alpha: split the unfiltered rows into color and alpha planes.
        let rows = try png.unfilteredRows { try ImageCodec.inflate($0, maxLength: $1) }
        let sampleBytes = png.bitDepth / 8
        let colorBytes = (png.channels - 1) * sampleBytes
        let pixels = png.width * png.height
        var color = Data(count: pixels * colorBytes)
        var alpha = Data(count: pixels * sampleBytes)
        rows.withUnsafeBytes { source in
            color.withUnsafeMutableBytes { color in
                alpha.withUnsafeMutableBytes { alpha in
                    cmupdf_split_alpha(
                        source.bindMemory(to: UInt8.self).baseAddress, min(pixels, source.count / (colorBytes + sampleBytes)), colorBytes,
                        sampleBytes, color.bindMemory(to: UInt8.self).baseAddress, alpha.bindMemory(to: UInt8.self).baseAddress)
                }
            }
        }
        let colorSamples = png.channels - 1
        let colorStream = try PNGPredictor.flateStream(color, width: png.width, components: colorSamples, bitsPerComponent: png.bitDepth)
        let alphaStream = try PNGPredictor.flateStream(alpha, width: png.width, components: 1, bitsPerComponent: png.bitDepth)
        return EmbeddedImage(
            width: png.width, height: png.height, dictionary: "/ColorSpace \(colorSpace) \(colorStream.entries)",
            stream: colorStream.data, softMask: ("/ColorSpace /DeviceGray \(alphaStream.entries)", alphaStream.data), dpi: png.dpi)
    }

    /// tRNS of a gray or RGB PNG: one sample value per channel that is fully transparent.
    private func colorKeyMask(_ key: Data, samples: Int) -> String? {
        guard key.count >= samples * 2 else { return nil }
        return (0..<samples).compactMap { key.uint16BE(at: $0 * 2) }.map { "\($0) \($0)" }.joined(separator: " ")
    }

    /// tRNS of a palette PNG: an alpha per palette entry, applied through a soft mask.
    private func paletteMask(_ png: PNGImage, alphas: Data) throws -> (String, Data) {
        let rows = try png.unfilteredRows { try ImageCodec.inflate($0, maxLength: $1) }
        let table = [UInt8](alphas.prefix(256)) + [UInt8](repeating: 255, count: 256 - min(alphas.count, 256))
        let height = min(png.height, rows.count / max(png.rowBytes, 1))
        let (mask, _) = rows.transformed(toCount: png.width * png.height) {
            cmupdf_palette_alpha($0, png.width, height, png.rowBytes, Int32(png.bitDepth), table, $1)
            return Int32(CMUPDF_OK)
        }
        return ("/ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode", try ImageCodec.deflate(mask))
    }

    private func decoded(_ data: Data, frame: Int) throws -> EmbeddedImage {
        let raster = try codec.decode(data, frame: frame)
        return try embed(raster)
    }

    private func webp(_ data: Data) throws -> EmbeddedImage {
        try embed(try codec.decodeWebP(data))
    }

    private func embed(_ raster: ImageCodec.Raster) throws -> EmbeddedImage {
        try checkSize(raster.width, raster.height)
        let colorSpace = [1: "/DeviceGray", 4: "/DeviceCMYK"][raster.colorants] ?? "/DeviceRGB"
        let color = try PNGPredictor.flateStream(raster.color, width: raster.width, components: raster.colorants, bitsPerComponent: 8)
        let softMask = try raster.alpha.map {
            let alpha = try PNGPredictor.flateStream($0, width: raster.width, components: 1, bitsPerComponent: 8)
            return ("/ColorSpace /DeviceGray \(alpha.entries)", alpha.data)
        }
        return EmbeddedImage(
            width: raster.width, height: raster.height, dictionary: "/ColorSpace \(colorSpace) \(color.entries)",
            stream: color.data, softMask: softMask, dpi: raster.dpi)
    }

    /// Writes the image (and its mask), its page and content stream; returns the page's ID.
    private func write(_ image: EmbeddedImage, parent: Int, to writer: PDFWriter) -> Int {
        let dpi = image.dpi ?? (96, 96)
        let width = Double(image.width) * 72 / dpi.x
        let height = Double(image.height) * 72 / dpi.y
        let turned = image.orientation >= 5
        let (pageWidth, pageHeight) = turned ? (height, width) : (width, height)
        let imageID = writer.reserveID()
        var maskEntry = ""
        if let mask = image.softMask {
            let maskID = writer.reserveID()
            writer.writeObject(
                maskID, "/Type /XObject /Subtype /Image /Width \(image.width) /Height \(image.height) \(mask.dictionary)",
                stream: mask.stream)
            maskEntry = " /SMask \(maskID) 0 R"
        }
        writer.writeObject(
            imageID, "/Type /XObject /Subtype /Image /Width \(image.width) /Height \(image.height) \(image.dictionary)\(maskEntry)",
            stream: image.stream)
        let matrix = Self.orientationMatrix(image.orientation, width: pageWidth, height: pageHeight).map(PDFWriter.number)
        let content = Data("q \(matrix.joined(separator: " ")) cm /Im0 Do Q\n".utf8)
        let contentID = writer.reserveID()
        writer.writeObject(contentID, "", stream: content)
        let pageID = writer.reserveID()
        writer.writeObject(
            pageID,
            "/Type /Page /Parent \(parent) 0 R /MediaBox [0 0 \(PDFWriter.number(pageWidth)) \(PDFWriter.number(pageHeight))] "
                + "/Resources << /XObject << /Im0 \(imageID) 0 R >> >> /Contents \(contentID) 0 R")
        return pageID
    }

    /// The `cm` matrix that draws the unit-square image on a W×H page as EXIF orientation
    /// `orientation` says (1 = as stored; 5–8 swap the page's sides).
    static func orientationMatrix(_ orientation: Int, width w: Double, height h: Double) -> [Double] {
        switch orientation {
        case 2: [-w, 0, 0, h, w, 0]
        case 3: [-w, 0, 0, -h, w, h]
        case 4: [w, 0, 0, -h, 0, h]
        case 5: [0, -h, -w, 0, w, h]
        case 6: [0, -h, w, 0, 0, h]
        case 7: [0, h, w, 0, 0, 0]
        case 8: [0, h, -w, 0, w, 0]
        default: [w, 0, 0, h, 0, 0]
        }
    }
}

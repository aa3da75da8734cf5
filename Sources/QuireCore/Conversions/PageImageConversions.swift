// SPDX-License-Identifier: AGPL-3.0-or-later

/// Options of PDF → page images.
package struct PageImageOptions: ConversionOptions {
    /// Rendering resolution (`profiles` `RenderingResolution`).
    package var dpi = 150.0
    /// JPEG and WebP quality, 1–100 (`profiles` `JPEGQuality`).
    package var jpegQuality = 85
    /// Page files are named `<baseName>-<page>.<ext>`.
    package var baseName = "page"

    package init() {}

    static func legacy(_ map: [String: String]) -> PageImageOptions {
        var options = PageImageOptions()
        if let dpi = map["dpi"].flatMap(Double.init) { options.dpi = dpi }
        if let quality = map["jpegquality"].flatMap(Int.init) { options.jpegQuality = quality }
        if let baseName = map["basename"] { options.baseName = baseName }
        return options
    }
}

/// The image format of a page-image conversion.
package enum PageImageFormat: String, Sendable, Codable {
    case png, jpeg, webp

    package var fileExtension: String { self == .jpeg ? "jpg" : rawValue }
}

/// What the three PDF → page images conversions share.
package protocol PageImageConversion: Conversion where Options == PageImageOptions {
    static var imageFormat: PageImageFormat { get }
}

extension PageImageConversion {
    package static var host: HostKind { .mupdf }
    package static var result: ResultKind { .pageFiles }
    package static var fansOutPages: Bool { true }
    package static func legacyOptions(_ map: [String: String]) -> PageImageOptions { .legacy(map) }
}

/// PDF → one PNG per page.
package enum PDFToPNGConversion: PageImageConversion {
    package static let operation = JobOperation.pdfToPNG
    package static let paths = ["/pdf/convert/to/png"]
    package static let imageFormat = PageImageFormat.png
    package static let commandName: String? = "pdf-to-png"
}

/// PDF → one JPEG per page.
package enum PDFToJPGConversion: PageImageConversion {
    package static let operation = JobOperation.pdfToJPG
    package static let paths = ["/pdf/convert/to/jpg"]
    package static let imageFormat = PageImageFormat.jpeg
    package static let commandName: String? = "pdf-to-jpg"
}

/// PDF → one WebP per page.
package enum PDFToWebPConversion: PageImageConversion {
    package static let operation = JobOperation.pdfToWebP
    package static let paths = ["/pdf/convert/to/webp"]
    package static let imageFormat = PageImageFormat.webp
    package static let commandName: String? = "pdf-to-webp"
}

/// Options of PDF → TIFF.
package struct TIFFOptions: ConversionOptions {
    package var dpi = PageImageOptions().dpi

    package init() {}
}

/// PDF → one multi-page TIFF.
package enum PDFToTIFFConversion: Conversion {
    package static let operation = JobOperation.pdfToTIFF
    package static let paths = ["/pdf/convert/to/tiff"]
    package static let host = HostKind.mupdf
    package static let result = ResultKind.file(extension: "tiff")
    package static let commandName: String? = "pdf-to-tiff"

    package static func legacyOptions(_ map: [String: String]) -> TIFFOptions {
        var options = TIFFOptions()
        if let dpi = map["dpi"].flatMap(Double.init) { options.dpi = dpi }
        return options
    }
}

extension JobOperation {
    package static let pdfToPNG = JobOperation("pdf.to-png")
    package static let pdfToJPG = JobOperation("pdf.to-jpg")
    package static let pdfToWebP = JobOperation("pdf.to-webp")
    package static let pdfToTIFF = JobOperation("pdf.to-tiff")
}

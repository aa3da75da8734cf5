// SPDX-License-Identifier: AGPL-3.0-or-later

/// What `/pdf/optimize` may do to images; defaults are PDF.co's documented profile defaults
/// (`ImageOptimizationFormat` JPEG, `JPEGQuality` 25, `ResampleImages` true,
/// `ResamplingResolution` 120).
package struct OptimizeSettings: ConversionOptions {
    package var jpegQuality = 25
    package var resampleImages = true
    package var resolution = 120.0
    /// `ImageOptimizationFormat`: JPEG for photos, or Flate (lossless) for everything.
    package var useJPEG = true
    package var grayscale = false

    package init() {}
}

/// PDF → smaller PDF: images downsampled and recompressed, objects packed.
package enum OptimizeConversion: Conversion {
    package static let operation = JobOperation.pdfOptimize
    package static let paths = ["/pdf/optimize"]
    package static let host = HostKind.mupdf
    package static let result = ResultKind.file(extension: "pdf")
    package static let usesPages = false
    package static let commandName: String? = "optimize"

    package static func summary(of fields: [String: JSONValue]) -> String? {
        func number(_ key: String) -> String { if case .int(let value) = fields[key] { String(value) } else { "?" } }
        let note = fields["optimized"] == .bool(false) ? " (nothing helped: the input is returned unchanged)" : ""
        return "\(number("originalFileSize")) → \(number("fileSize")) bytes, \(number("imagesOptimized")) images rewritten "
            + "(\(number("imagesResampled")) downsampled)\(note)"
    }

    package static func legacyOptions(_ map: [String: String]) -> OptimizeSettings {
        var settings = OptimizeSettings()
        if let quality = map["jpegquality"].flatMap(Int.init) { settings.jpegQuality = quality }
        if let resample = map["resampleimages"] { settings.resampleImages = resample == "true" }
        if let resolution = map["resamplingresolution"].flatMap(Double.init) { settings.resolution = resolution }
        if let format = map["imageoptimizationformat"] { settings.useJPEG = format.lowercased() == "jpeg" }
        if let gray = map["grayscaleimages"] { settings.grayscale = gray == "true" }
        return settings
    }
}

extension JobOperation {
    package static let pdfOptimize = JobOperation("pdf.optimize")
}

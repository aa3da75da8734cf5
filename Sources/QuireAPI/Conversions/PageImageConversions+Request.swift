// SPDX-License-Identifier: AGPL-3.0-or-later
import QuireCore

extension PDFToPNGConversion: RequestConvertible {}
extension PDFToJPGConversion: RequestConvertible {}
extension PDFToWebPConversion: RequestConvertible {}

extension PageImageConversion {
    /// One image per page, named `<name>-<page>.<ext>`: sync answers carry `urls`; the result file
    /// (`url`, the async answer's too) is a JSON array of those URLs. Profiles:
    /// `RenderingResolution`, `JPEGQuality` (JPEG and WebP).
    static func options(
        from parameters: RequestParameters, path: String, request: inout ConversionRequest
    ) throws
        -> PageImageOptions
    {
        let profiles = try parameters.profiles()
        var options = PageImageOptions()
        options.baseName = request.nameFilesList(defaultBaseName: options.baseName)
        options.dpi = try profiles.resolution() ?? options.dpi
        options.jpegQuality = try Profiles.jpegQuality(profiles.string("JPEGQuality")) ?? options.jpegQuality
        return options
    }
}

extension PDFToTIFFConversion: RequestConvertible {
    /// One multi-page TIFF in `url`, as PDF.co answers.
    static func options(from parameters: RequestParameters, path: String, request: inout ConversionRequest) throws -> TIFFOptions {
        var options = TIFFOptions()
        options.dpi = try parameters.profiles().resolution() ?? options.dpi
        return options
    }
}

extension Profiles {
    /// Rendering resolution in dpi from `RenderingResolution` (or `Resolution`), 10–1200; nil when
    /// not given. PDF.co's own name for this setting is not documented in what we found, so Quire
    /// reads these two; pages over 100 MP are refused by the renderer either way.
    func resolution() throws -> Double? {
        guard let text = string("RenderingResolution") ?? string("Resolution") else { return nil }
        guard let dpi = Double(text), dpi.isFinite, (10...1200).contains(dpi) else {
            throw APIError(400, "RenderingResolution in 'profiles' must be a resolution in dpi from 10 to 1200, not \"\(text)\".")
        }
        return dpi.rounded()
    }
}

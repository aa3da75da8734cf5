// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore

extension SplitConversion: RequestConvertible {
    /// `pages` is 1-based here only; each comma item is one file, `*` every page.
    static func options(from parameters: RequestParameters, path: String, request: inout ConversionRequest) throws -> SplitOptions {
        if let pages = request.pages {
            do {
                _ = try PageSelection(parsing: pages, oneBased: true)
            } catch {
                throw APIError(400, "Invalid 'pages' value \"\(pages)\" for /pdf/split: its pages count from 1, e.g. \"1-2,3-\" or \"*\".")
            }
        }
        var options = SplitOptions()
        options.baseName = request.nameFilesList(defaultBaseName: options.baseName)
        return options
    }
}

extension SplitByTextConversion: RequestConvertible {
    /// A new file starts at each page whose text contains `searchString` (`regexSearch`,
    /// `caseSensitive`, `excludeKeyPages`), or with `[[barcode:TYPES VALUE]]` at each page
    /// carrying such a code (`BarcodeSplitSearch`).
    static func options(
        from parameters: RequestParameters, path: String, request: inout ConversionRequest
    ) throws
        -> SplitByTextOptions
    {
        guard let search = parameters.string("searchString"), !search.isEmpty else {
            throw APIError.missing("searchString", "Give the text that starts each part, e.g. \"Invoice No\".")
        }
        var options = SplitByTextOptions()
        options.searchString = search
        if BarcodeSplitSearch.isWritten(search) { options.barcode = try barcodeSearch(search) }
        options.regexSearch = try parameters.bool("regexSearch", default: options.regexSearch)
        options.caseSensitive = try parameters.bool("caseSensitive", default: options.caseSensitive)
        options.excludeKeyPages = try parameters.bool("excludeKeyPages", default: options.excludeKeyPages)
        options.baseName = request.nameFilesList(defaultBaseName: options.baseName)
        return options
    }

    /// The barcode search `search` writes, or a 400 naming `searchString` and what is wrong.
    private static func barcodeSearch(_ search: String) throws -> BarcodeSplitSearch {
        do {
            return try BarcodeSplitSearch(parsing: search)
        } catch .unknownType(let name) {
            _ = try BarcodeType.parse(name, parameter: "searchString")
            throw APIError.badParameter("searchString", "\(name.prefix(40)) is not a barcode type.")
        } catch .syntax(let message) {
            throw APIError.badParameter("searchString", message)
        }
    }
}

extension DeletePagesConversion: RequestConvertible {
    static func options(from parameters: RequestParameters, path: String, request: inout ConversionRequest) throws -> NoOptions {
        guard request.pages?.trimmingCharacters(in: .whitespaces).isEmpty == false else {
            throw APIError.missing("pages", "Name the pages to delete, zero-based, e.g. \"0,2-3\" or \"!0\" for the last.")
        }
        return NoOptions()
    }
}

extension RotateConversion: RequestConvertible {
    static func options(from parameters: RequestParameters, path: String, request: inout ConversionRequest) throws -> RotateOptions {
        var options = RotateOptions()
        options.angle = try parameters.int("angle", default: options.angle, range: -3600...3600)
        guard options.angle % 90 == 0 else { throw APIError.badParameter("angle", "\(options.angle) is not a multiple of 90 degrees.") }
        return options
    }
}

extension OptimizeConversion: RequestConvertible {
    /// PDF.co's optimize settings, from `profiles` or as plain parameters.
    static func options(
        from parameters: RequestParameters, path: String, request: inout ConversionRequest
    ) throws
        -> OptimizeSettings
    {
        let profiles = try parameters.profiles()
        func setting(_ name: String) -> String? { profiles.string(name) ?? parameters.string(name) }
        var settings = OptimizeSettings()
        settings.jpegQuality = try Profiles.jpegQuality(setting("JPEGQuality")) ?? settings.jpegQuality
        if let text = setting("ResamplingResolution") {
            guard let dpi = Double(text), (10...2400).contains(dpi) else {
                throw APIError(400, "ResamplingResolution must be a resolution in dpi from 10 to 2400, not \"\(text)\".")
            }
            settings.resolution = dpi
        }
        if let format = setting("ImageOptimizationFormat") {
            // PDF.co also names "Fax" (bilevel images): Quire keeps those as they are, losslessly.
            guard ["jpeg", "flate", "fax"].contains(format.lowercased()) else {
                throw APIError(400, "ImageOptimizationFormat must be JPEG, Flate or Fax, not \"\(format)\".")
            }
            settings.useJPEG = format.lowercased() == "jpeg"
        }
        // A switch in `profiles` that is no boolean is refused, not read as absent.
        func flag(_ name: String) throws -> Bool? {
            guard let text = profiles.string(name) else { return try parameters.optionalBool(name) }
            guard let value = profiles.bool(name) else {
                throw APIError.badParameter(name, "\"\(text)\" in 'profiles' is not a boolean; use true or false.")
            }
            return value
        }
        settings.resampleImages = try flag("ResampleImages") ?? settings.resampleImages
        settings.grayscale = try flag("GrayscaleImages") ?? settings.grayscale
        return settings
    }
}

extension ProtectConversion: RequestConvertible {
    /// `ownerPassword` and/or `userPassword`, `encryptionAlgorithm`, the `allow*` switches
    /// (default true) and `printQuality`.
    static func options(from parameters: RequestParameters, path: String, request: inout ConversionRequest) throws -> PDFProtection {
        var protection = PDFProtection()
        let owner = parameters.string("ownerPassword")
        let user = parameters.string("userPassword")
        guard owner != nil || user != nil else {
            throw APIError.missing("ownerPassword", "Give ownerPassword (permissions) and/or userPassword (to open the file).")
        }
        protection.ownerPassword = owner ?? ""
        protection.userPassword = user ?? ""
        if let name = parameters.string("encryptionAlgorithm") {
            guard let algorithm = PDFProtection.Algorithm.allCases.first(where: { $0.rawValue.lowercased() == name.lowercased() }) else {
                let known = PDFProtection.Algorithm.allCases.map(\.rawValue).joined(separator: ", ")
                throw APIError.badParameter("encryptionAlgorithm", "\"\(name)\" is not one of \(known).")
            }
            protection.algorithm = algorithm
        }
        func allowed(_ name: String) throws -> Bool { try parameters.bool(name, default: true) }
        protection.allowAccessibility = try allowed("allowAccessibilitySupport")
        protection.allowAssembly = try allowed("allowAssemblyDocument")
        protection.allowPrint = try allowed("allowPrintDocument")
        protection.allowFillForms = try allowed("allowFillForms")
        protection.allowModify = try allowed("allowModifyDocument")
        protection.allowContentExtraction = try allowed("allowContentExtraction")
        protection.allowModifyAnnotations = try allowed("allowModifyAnnotations")
        if let quality = parameters.string("printQuality") {
            guard ["highresolution", "lowresolution"].contains(quality.lowercased()) else {
                throw APIError.badParameter("printQuality", "\"\(quality)\" is not HighResolution or LowResolution.")
            }
            protection.lowResolutionPrintOnly = quality.lowercased() == "lowresolution"
        }
        return protection
    }
}

// SPDX-License-Identifier: AGPL-3.0-or-later
import QuireCore

extension MakeSearchableConversion: RequestConvertible {
    static func options(from parameters: RequestParameters, path: String, request: inout ConversionRequest) throws -> OCROptions {
        try OCROptions(parameters)
    }
}

extension RotateAutoConversion: RequestConvertible {
    static func options(from parameters: RequestParameters, path: String, request: inout ConversionRequest) throws -> OCROptions {
        try OCROptions(parameters)
    }
}

extension MakeUnsearchableConversion: RequestConvertible {
    static func options(from parameters: RequestParameters, path: String, request: inout ConversionRequest) throws -> UnsearchableOptions {
        var options = UnsearchableOptions()
        options.dpi = try parameters.profiles().resolution() ?? options.dpi
        return options
    }
}

extension OCROptions {
    /// `lang` (else the `OCRLanguage` profile; `eng`), checked against the installed models,
    /// and the `OCRResolution` profile (72–1200 dpi).
    init(_ parameters: RequestParameters) throws {
        self.init()
        let profiles = try parameters.profiles()
        if let text = parameters.string("lang") ?? profiles.string("OCRLanguage"), !text.isEmpty {
            do {
                languages = try OCRLanguages(parsing: text)
            } catch {
                throw APIError(400, "Invalid 'lang': \(error).")
            }
        }
        if let installed = OCRLanguages.installed(), let missing = languages.missing(installed: installed) {
            throw APIError(
                400, "Invalid 'lang': \"\(missing)\" is not installed on this server; it has \(installed.joined(separator: ", ")).")
        }
        if let text = profiles.string("OCRResolution") {
            guard let dpi = RequestParameters.integer(text, in: 72...1200) else {
                throw APIError(400, "OCRResolution in 'profiles' must be a resolution in dpi from 72 to 1200, not \"\(text.prefix(40))\".")
            }
            resolution = Double(dpi)
        }
    }
}

// SPDX-License-Identifier: AGPL-3.0-or-later
import QuireCore

extension PDFToTextConversion: RequestConvertible {}
extension PDFToTextSimpleConversion: RequestConvertible {}

extension TextConversion {
    static func options(from parameters: RequestParameters, path: String, request: inout ConversionRequest) throws -> TextOptions {
        var options = try TextOptions(parameters)
        // `text-simple` is PDF.co's fast text without OCR; `to/text` reads scanned pages by OCR.
        if keepsLayout { options.ocr = try OCROptions(parameters) }
        return options
    }
}

extension TextOptions {
    /// `lineEnding`: CRLF for Windows line ends; anything else keeps `\n`.
    init(_ parameters: RequestParameters) throws {
        self.init()
        crlf = parameters.string("lineEnding")?.lowercased() == "crlf"
    }
}

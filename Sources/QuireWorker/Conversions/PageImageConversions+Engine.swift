// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore
import QuireEngines

extension PDFToPNGConversion: MuPDFHosted {}
extension PDFToJPGConversion: MuPDFHosted {}
extension PDFToWebPConversion: MuPDFHosted {}

extension PageImageConversion {
    /// One image per selected page in the output folder; `files` lists them in page order.
    package static func run(_ options: PageImageOptions, _ call: EngineCall, _ engines: MuPDFEngines) throws -> EngineResponse {
        let files = try engines.renderer.renderPages(
            from: try call.input(), password: call.password, pages: try call.selection(), dpi: options.dpi, format: imageFormat,
            quality: options.jpegQuality, into: try call.outputURL(), baseName: options.baseName)
        return EngineResponse(pageCount: files.count, fields: ["files": .array(files.map { .string($0.path) })])
    }
}

extension PDFToTIFFConversion: MuPDFHosted {
    package static func run(_ options: TIFFOptions, _ call: EngineCall, _ engines: MuPDFEngines) throws -> EngineResponse {
        let count = try engines.renderer.renderTIFF(
            from: try call.input(), password: call.password, pages: try call.selection(), dpi: options.dpi, to: try call.outputURL())
        return EngineResponse(pageCount: count)
    }
}

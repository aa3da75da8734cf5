// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore
import QuireEngines

extension PDFToTextConversion: MuPDFHosted {}
extension PDFToTextSimpleConversion: MuPDFHosted {}

extension TextConversion {
    package static func run(_ options: TextOptions, _ call: EngineCall, _ engines: MuPDFEngines) throws -> EngineResponse {
        try options.extract(call, engines, layout: keepsLayout ? .preserveLayout : .simple)
    }
}

extension TextOptions {
    func extract(_ call: EngineCall, _ engines: MuPDFEngines, layout: TextLayout) throws -> EngineResponse {
        let extracted = try engines.text.extractText(
            from: try call.input(), password: call.password, pages: try call.selection(), layout: layout, ocr: try call.ocrPagesByIndex())
        let text = crlf ? extracted.text.replacingOccurrences(of: "\n", with: "\r\n") : extracted.text
        try call.write(Data(text.utf8))
        var response = EngineResponse(pageCount: extracted.pageCount)
        // Scanned pages: the worker reads them by OCR and runs this again with their words.
        if call.reportsPagesWithoutText && !extracted.pagesWithoutText.isEmpty {
            response.fields[EngineResponse.pagesWithoutText] = .array(extracted.pagesWithoutText.map { .int($0) })
        }
        return response
    }
}

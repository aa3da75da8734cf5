// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore
import QuireEngines

extension MakeSearchableConversion: MuPDFHosted {
    package static func run(_ options: OCROptions, _ call: EngineCall, _ engines: MuPDFEngines) throws -> EngineResponse {
        let pageCount = try engines.textLayer.write(
            try call.input(), password: call.password, pages: try call.ocrPages(), to: try call.outputURL())
        return EngineResponse(pageCount: pageCount)
    }
}

extension RotateAutoConversion: MuPDFHosted {
    package static func run(_ options: OCROptions, _ call: EngineCall, _ engines: MuPDFEngines) throws -> EngineResponse {
        EngineResponse(
            pageCount: try engines.textLayer.turnUpright(
                try call.input(), password: call.password, pages: try call.ocrPages(), to: try call.outputURL()))
    }
}

extension MakeUnsearchableConversion: MuPDFHosted {
    package static func run(_ options: UnsearchableOptions, _ call: EngineCall, _ engines: MuPDFEngines) throws -> EngineResponse {
        let removed = try engines.textLayerRemover.removeText(
            from: try call.input(), password: call.password, pages: try call.selection(), dpi: options.dpi, to: try call.outputURL())
        return EngineResponse(pageCount: removed.pageCount)
    }
}

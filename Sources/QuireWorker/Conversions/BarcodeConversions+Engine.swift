// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore
import QuireEngines

extension BarcodeGenerateConversion: MuPDFHosted {
    package static func run(_ options: BarcodeGenerateOptions, _ call: EngineCall, _ engines: MuPDFEngines) throws -> EngineResponse {
        try engines.barcodeWriter.write(options, to: try call.outputURL())
        return EngineResponse(pageCount: 1)
    }
}

extension BarcodeReadConversion: MuPDFHosted {
    package static func run(_ options: BarcodeReadOptions, _ call: EngineCall, _ engines: MuPDFEngines) throws -> EngineResponse {
        let read = try engines.barcodeReader.read(
            file: try call.input(), password: call.password, pages: try call.selection(), options: options)
        return EngineResponse(pageCount: read.pageCount, fields: ["barcodes": .array(read.barcodes.map { json($0, file: options.file) })])
    }

    /// One entry of PDF.co's `barcodes` (docs/api.md says what each member holds here).
    static func json(_ code: FoundBarcode, file: String) -> JSONValue {
        .object([
            "Value": .string(code.value),
            "RawData": .string(code.bytes.map { String(format: "%02X", $0) }.joined()),
            "Type": .int(code.type.number),
            "TypeName": .string(code.type.rawValue),
            // .NET's Rectangle.ToString(), as PDF.co answers.
            "Rect": .string("{X=\(code.rect.x),Y=\(code.rect.y),Width=\(code.rect.width),Height=\(code.rect.height)}"),
            "Page": .int(code.page),
            "File": .string(file),
            // zxing-cpp reports only codes whose error correction or check digits hold.
            "Confidence": .double(1),
        ])
    }
}

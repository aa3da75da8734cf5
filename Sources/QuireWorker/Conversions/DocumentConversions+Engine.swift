// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore
import QuireEngines

extension PDFInfoConversion: MuPDFHosted {
    package static func run(_ options: NoOptions, _ call: EngineCall, _ engines: MuPDFEngines) throws -> EngineResponse {
        let info = try engines.inspector.inspect(file: try call.input(), password: call.password)
        return EngineResponse(pageCount: info.pageCount, fields: ["info": PDFInfoFields.make(info)])
    }
}

extension PDFFormFieldsConversion: MuPDFHosted {
    /// `/pdf/info`'s `info` plus `FieldsInfo.Fields`.
    package static func run(_ options: NoOptions, _ call: EngineCall, _ engines: MuPDFEngines) throws -> EngineResponse {
        let input = try call.input()
        let read = try engines.forms.fields(of: input, password: call.password)
        var info = PDFInfoFields.make(try engines.inspector.inspect(file: input, password: call.password))
        if case .object(var object) = info {
            object["FieldsInfo"] = .object(["Fields": .array(read.fields.map(json))])
            info = .object(object)
        }
        return EngineResponse(pageCount: read.pageCount, fields: ["info": info])
    }

    private static func json(_ field: FormField) -> JSONValue {
        .object([
            "PageIndex": .int(field.pageIndex), "Type": .string(field.type), "FieldName": .string(field.name),
            "Value": .string(field.value), "Left": .double(field.left), "Top": .double(field.top),
            "Width": .double(field.width), "Height": .double(field.height),
        ])
    }
}

extension ImagesToPDFConversion: MuPDFHosted {
    package static func run(_ options: NoOptions, _ call: EngineCall, _ engines: MuPDFEngines) throws -> EngineResponse {
        EngineResponse(pageCount: try engines.images.convert(inputs: call.inputs, output: try call.outputURL()))
    }
}

extension OfficeToPDFConversion: OfficeHosted {
    package static func run(_ options: OfficeConversionOptions, _ call: EngineCall, _ office: OfficeEngines) throws -> EngineResponse {
        let output = try call.outputURL()
        try office.converter.convert(input: try call.input(), output: output, password: call.password, options: options)
        return EngineResponse(pageCount: try? office.inspector?.inspect(file: output, password: nil).pageCount)
    }
}

extension UploadFromURLConversion: WorkerPerformed {
    /// The fetched file is the result.
    package static func perform(_ options: NoOptions, _ call: EngineCall) async throws -> EngineResponse {
        try FileManager.default.copyItem(at: try call.input(), to: try call.outputURL())
        return EngineResponse()
    }
}

extension TestCrashConversion: MuPDFHosted, OfficeHosted {
    package static func run(_ options: TestOperationOptions, _ call: EngineCall, _ engines: MuPDFEngines) throws -> EngineResponse {
        abort()
    }

    package static func run(_ options: TestOperationOptions, _ call: EngineCall, _ office: OfficeEngines) throws -> EngineResponse {
        abort()
    }
}

extension TestHangConversion: MuPDFHosted, OfficeHosted {
    package static func run(_ options: TestOperationOptions, _ call: EngineCall, _ engines: MuPDFEngines) throws -> EngineResponse {
        while true { sleep(3600) }
    }

    package static func run(_ options: TestOperationOptions, _ call: EngineCall, _ office: OfficeEngines) throws -> EngineResponse {
        while true { sleep(3600) }
    }
}

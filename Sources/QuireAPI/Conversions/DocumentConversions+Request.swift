// SPDX-License-Identifier: AGPL-3.0-or-later
import QuireCore

extension PDFInfoConversion: RequestConvertible {}
extension PDFFormFieldsConversion: RequestConvertible {}
extension ImagesToPDFConversion: RequestConvertible {}
extension MergeConversion: RequestConvertible {}
extension Merge2Conversion: RequestConvertible {}
extension UnprotectConversion: RequestConvertible {}

extension OfficeToPDFConversion: RequestConvertible {
    /// `/pdf/convert/from/csv` and `/xls/convert/to/pdf` read plain text as CSV; `autosize=true`
    /// puts each sheet on one page sized to its content.
    static func options(
        from parameters: RequestParameters, path: String, request: inout ConversionRequest
    ) throws
        -> OfficeConversionOptions
    {
        OfficeConversionOptions(textIsCSV: path != "/pdf/convert/from/doc", autosize: try parameters.bool("autosize", default: false))
    }
}

extension UploadFromURLConversion: RequestConvertible {
    /// The stored file keeps `name`, else the last path segment of the URL.
    static func options(from parameters: RequestParameters, path: String, request: inout ConversionRequest) throws -> NoOptions {
        let fromURL = request.inputs[0].split(separator: "?").first.map { String($0.split(separator: "/").last ?? "") }
        request.outputName = OutputName.sanitize(request.requestedName ?? fromURL, extension: nil, fallback: "file")
        return NoOptions()
    }
}

extension TestCrashConversion: RequestConvertible {}
extension TestHangConversion: RequestConvertible {}

extension RequestConvertible where Self: TestOperationConversion {
    static func prepare(_ parameters: inout RequestParameters) { TestOperationOptions.prepare(&parameters) }

    static func options(
        from parameters: RequestParameters, path: String, request: inout ConversionRequest
    ) throws
        -> TestOperationOptions
    {
        TestOperationOptions(parameters)
    }
}

extension TestOperationOptions {
    /// `host=office`: break an office host instead of an engine host.
    init(_ parameters: RequestParameters) {
        self.init()
        office = parameters.string("host") == "office"
    }

    /// The test operations read no input: `url` may be left out.
    static func prepare(_ parameters: inout RequestParameters) {
        if parameters.string("url") == nil { parameters.set("url", "test:none") }
    }
}

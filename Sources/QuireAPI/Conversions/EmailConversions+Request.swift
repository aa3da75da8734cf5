// SPDX-License-Identifier: AGPL-3.0-or-later
import QuireCore

extension EmailToPDFConversion: RequestConvertible {
    /// `embedAttachments` and `convertAttachments` (both true by default, as PDF.co's n8n node
    /// and samples send them), and the print parameters of `/pdf/convert/from/html`.
    static func options(from parameters: RequestParameters, path: String, request: inout ConversionRequest) throws -> EmailToPDFOptions {
        var options = EmailToPDFOptions()
        options.printing = try BrowserOptions(printing: parameters)
        options.embedsAttachments = try parameters.bool("embedAttachments", default: true)
        options.convertsAttachments = try parameters.bool("convertAttachments", default: true)
        return options
    }
}

extension EmailDecodeConversion: RequestConvertible {}

extension EmailExtractAttachmentsConversion: RequestConvertible {
    /// Each attachment is a result file; asynchronously `url` is the JSON list of their URLs.
    static func options(from parameters: RequestParameters, path: String, request: inout ConversionRequest) throws -> NoOptions {
        _ = request.nameFilesList(defaultBaseName: "attachments")
        return NoOptions()
    }
}

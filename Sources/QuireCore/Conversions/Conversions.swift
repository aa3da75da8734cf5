// SPDX-License-Identifier: AGPL-3.0-or-later

/// The one list of conversions. The router, the engine-host dispatch, `quire convert` and the
/// 501 answers are built from it; ConversionRegistryTests checks it against `JobOperation` and
/// against each layer's extensions.
package enum Conversions {
    package static let all: [any Conversion.Type] = [
        PDFToTextConversion.self, PDFToTextSimpleConversion.self,
        PDFToPNGConversion.self, PDFToJPGConversion.self, PDFToWebPConversion.self, PDFToTIFFConversion.self,
        PDFInfoConversion.self, PDFFormFieldsConversion.self,
        ImagesToPDFConversion.self, OfficeToPDFConversion.self,
        SpreadsheetToCSVConversion.self, SpreadsheetToJSONConversion.self, SpreadsheetToHTMLConversion.self,
        SpreadsheetToTextConversion.self, SpreadsheetToXMLConversion.self,
        OptimizeConversion.self, MergeConversion.self, Merge2Conversion.self, SplitConversion.self, SplitByTextConversion.self,
        DeletePagesConversion.self, RotateConversion.self, ProtectConversion.self, UnprotectConversion.self,
        UploadFromURLConversion.self, FileHashConversion.self,
        PDFToJSONConversion.self, PDFToJSON2Conversion.self, PDFToCSVConversion.self, PDFToXMLConversion.self,
        PDFToHTMLConversion.self, PDFToXLSXConversion.self, PDFToXLSConversion.self,
        FindTextConversion.self, FindTableConversion.self,
        BarcodeGenerateConversion.self, BarcodeReadConversion.self,
        EditAddConversion.self, ReplaceTextConversion.self, DeleteTextConversion.self, ReplaceTextWithImageConversion.self,
        AttachmentsExtractConversion.self, MakeSearchableConversion.self, RotateAutoConversion.self,
        MakeUnsearchableConversion.self,
        HTMLToPDFConversion.self, URLToPDFConversion.self, URLToPNGConversion.self, URLToJPGConversion.self,
        EmailToPDFConversion.self, EmailDecodeConversion.self, EmailExtractAttachmentsConversion.self,
        TestCrashConversion.self, TestHangConversion.self,
    ]

    /// PDF.co endpoints this version does not serve yet: they answer 501, not 404, so a client
    /// learns the endpoint is known. Each leaves this list when its conversion joins `all`.
    package static let planned: [String] = [
        "/pdf/convert/to/json-meta",
        "/v2/pdf/compress",
        "/pdf/documentparser", "/pdf/classifier",
        "/email/send", "/text/ocr",
        "/ai-invoice-parser", "/pdf/invoiceparser",
    ]

    private static let byOperation: [JobOperation: any Conversion.Type] = Dictionary(
        all.map { ($0.operation, $0) }, uniquingKeysWith: { first, _ in first })

    /// Whether a conversion of this version has `operation`.
    package static func isKnown(_ operation: JobOperation) -> Bool { byOperation[operation] != nil }

    /// The conversion of `operation`; every operation has one (`JobOperation` decodes only known IDs).
    package static func conversion(for operation: JobOperation) -> any Conversion.Type {
        guard let conversion = byOperation[operation] else { preconditionFailure("\(operation) is not in Conversions.all") }
        return conversion
    }

    /// The conversion `quire convert NAME` means: its `commandName` or one of its paths.
    package static func conversion(named name: String) -> (conversion: any Conversion.Type, path: String)? {
        let path = name.hasPrefix("/") ? name.lowercased() : "/" + name.lowercased()
        for conversion in all where !conversion.isTestOnly {
            if conversion.commandName == name { return (conversion, conversion.paths[0]) }
            if let match = conversion.paths.first(where: { $0 == path }) { return (conversion, match) }
        }
        return nil
    }
}

extension JobOperation {
    /// This operation's declaration.
    package var conversion: any Conversion.Type { Conversions.conversion(for: self) }
}

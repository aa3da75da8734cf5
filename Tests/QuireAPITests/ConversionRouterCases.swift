// SPDX-License-Identifier: AGPL-3.0-or-later
import QuireCore

/// What the router tests need to know of each operation: the parameters it cannot do without
/// and the options a request with nothing else queues. Keyed by operation, so a conversion added
/// to `Conversions.all` without a case here fails `everyOperationHasARouterCase`.
struct ConversionRouterCase: Sendable {
    /// Parameters the conversion requires besides `url` (and `async`).
    var required: [String: String] = [:]
    /// Files the required parameters add to the job's inputs after `url` (an image to stamp).
    var extraInputs: [String] = []
    /// The encoded options queued for a request to `path` with only `required`.
    var defaults: @Sendable (_ path: String) -> JSONValue

    static let all: [JobOperation: ConversionRouterCase] = [
        .pdfToText: ConversionRouterCase { _ in
            // Scanned pages are read by OCR, in English unless `lang` says otherwise.
            var options = TextOptions()
            options.ocr = OCROptions()
            return PDFToTextConversion.encodeOptions(options)
        },
        .pdfToTextSimple: plain(PDFToTextSimpleConversion.self),
        .pdfToPNG: plain(PDFToPNGConversion.self),
        .pdfToJPG: plain(PDFToJPGConversion.self),
        .pdfToWebP: plain(PDFToWebPConversion.self),
        .pdfToTIFF: plain(PDFToTIFFConversion.self),
        .pdfInfo: plain(PDFInfoConversion.self),
        .pdfFormFields: plain(PDFFormFieldsConversion.self),
        .imagesToPDF: plain(ImagesToPDFConversion.self),
        .officeToPDF: ConversionRouterCase { path in
            // Only the Word path reads plain text as text; the CSV and XLS paths read it as CSV.
            OfficeToPDFConversion.encodeOptions(OfficeConversionOptions(textIsCSV: path != "/pdf/convert/from/doc"))
        },
        .spreadsheetToCSV: plain(SpreadsheetToCSVConversion.self),
        .spreadsheetToJSON: plain(SpreadsheetToJSONConversion.self),
        .spreadsheetToHTML: plain(SpreadsheetToHTMLConversion.self),
        .spreadsheetToText: plain(SpreadsheetToTextConversion.self),
        .spreadsheetToXML: plain(SpreadsheetToXMLConversion.self),
        .pdfOptimize: plain(OptimizeConversion.self),
        .pdfMerge: plain(MergeConversion.self),
        .pdfMerge2: plain(Merge2Conversion.self),
        .pdfSplit: plain(SplitConversion.self),
        .pdfSplit2: ConversionRouterCase(required: ["searchString": "Invoice"]) { _ in
            var options = SplitByTextOptions()
            options.searchString = "Invoice"
            return SplitByTextConversion.encodeOptions(options)
        },
        .pdfDeletePages: ConversionRouterCase(required: ["pages": "0"]) { _ in DeletePagesConversion.encodeOptions(NoOptions()) },
        .pdfRotate: plain(RotateConversion.self),
        .pdfProtect: ConversionRouterCase(required: ["ownerPassword": "owner-secret"]) { _ in
            var protection = PDFProtection()
            protection.ownerPassword = "owner-secret"
            return ProtectConversion.encodeOptions(protection)
        },
        .pdfUnprotect: plain(UnprotectConversion.self),
        .uploadFromURL: plain(UploadFromURLConversion.self),
        .fileHash: plain(FileHashConversion.self),
        .pdfToJSON: scanned(PDFToJSONConversion.self),
        .pdfToJSON2: scanned(PDFToJSON2Conversion.self),
        .pdfToCSV: scanned(PDFToCSVConversion.self),
        .pdfToXML: scanned(PDFToXMLConversion.self),
        .pdfToHTML: scanned(PDFToHTMLConversion.self),
        .pdfToXLSX: scanned(PDFToXLSXConversion.self),
        .pdfToXLS: scanned(PDFToXLSConversion.self),
        .pdfFind: ConversionRouterCase(required: ["searchString": "Invoice"]) { _ in
            var options = DataOptions()
            options.searchString = "Invoice"
            options.ocr = OCROptions()
            return FindTextConversion.encodeOptions(options)
        },
        .pdfFindTable: scanned(FindTableConversion.self),
        .barcodeGenerate: ConversionRouterCase(required: ["value": "Quire"]) { _ in
            var options = BarcodeGenerateOptions()
            options.value = "Quire"
            return BarcodeGenerateConversion.encodeOptions(options)
        },
        .barcodeRead: ConversionRouterCase { _ in
            // The input's URL comes back in each code's `File`.
            var options = BarcodeReadOptions()
            options.file = RouterHarness.anyURL
            return BarcodeReadConversion.encodeOptions(options)
        },
        .pdfEditAdd: ConversionRouterCase(required: ["annotationsString": "10;20;0;Hi"]) { _ in
            var stamp = TextStamp()
            stamp.x = 10
            stamp.y = 20
            stamp.pages = "0"
            stamp.text = "Hi"
            var options = EditAddOptions()
            options.texts = [stamp]
            return EditAddConversion.encodeOptions(options)
        },
        .pdfReplaceText: ConversionRouterCase(required: ["searchString": "old"]) { _ in searching("old") },
        .pdfDeleteText: ConversionRouterCase(required: ["searchString": "old"]) { _ in searching("old") },
        .pdfReplaceTextWithImage: ConversionRouterCase(
            required: ["searchString": "old", "replaceImage": "http://img.test/a.png"], extraInputs: ["http://img.test/a.png"]
        ) { _ in
            var options = TextReplaceOptions()
            options.searchStrings = ["old"]
            options.replaceImage = 1
            return ReplaceTextWithImageConversion.encodeOptions(options)
        },
        .pdfAttachmentsExtract: plain(AttachmentsExtractConversion.self),
        MakeSearchableConversion.operation: plain(MakeSearchableConversion.self),
        RotateAutoConversion.operation: plain(RotateAutoConversion.self),
        MakeUnsearchableConversion.operation: plain(MakeUnsearchableConversion.self),
        .htmlToPDF: ConversionRouterCase(required: ["html": "<p>Hi</p>"]) { _ in
            var options = BrowserOptions()
            options.html = "<p>Hi</p>"
            return HTMLToPDFConversion.encodeOptions(options)
        },
        // The page's address is `url` itself: no input file.
        .urlToPDF: ConversionRouterCase { _ in
            var options = BrowserOptions()
            options.pageURL = RouterHarness.anyURL
            return URLToPDFConversion.encodeOptions(options)
        },
        .urlToPNG: ConversionRouterCase { _ in URLToPNGConversion.encodeOptions(screenshot()) },
        .urlToJPG: ConversionRouterCase { _ in URLToJPGConversion.encodeOptions(screenshot()) },
        .emailToPDF: plain(EmailToPDFConversion.self),
        .emailDecode: plain(EmailDecodeConversion.self),
        .emailExtractAttachments: plain(EmailExtractAttachmentsConversion.self),
        .testCrash: plain(TestCrashConversion.self),
        .testHang: plain(TestHangConversion.self),
    ]

    /// A web page screenshot's defaults: the screen's media, a 1366 × 768 viewport.
    private static func screenshot() -> BrowserOptions {
        var options = BrowserOptions()
        options.pageURL = RouterHarness.anyURL
        options.mediaType = "screen"
        return options
    }

    /// The options of a replace/delete request with only `searchString`.
    private static func searching(_ text: String) -> JSONValue {
        var options = TextReplaceOptions()
        options.searchStrings = [text]
        return ReplaceTextConversion.encodeOptions(options)
    }

    /// A conversion that needs nothing but `url` and queues its `Options()` as they are.
    private static func plain<C: Conversion>(_ conversion: C.Type) -> ConversionRouterCase {
        ConversionRouterCase { _ in C.encodeOptions(C.Options()) }
    }

    /// A data conversion's defaults: scanned pages read by OCR in English.
    private static func scanned<C: DataConversion>(_ conversion: C.Type) -> ConversionRouterCase {
        ConversionRouterCase { _ in
            var options = DataOptions()
            options.ocr = OCROptions()
            return C.encodeOptions(options)
        }
    }
}

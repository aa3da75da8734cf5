// SPDX-License-Identifier: AGPL-3.0-or-later

/// Images (JPEG, PNG, GIF, BMP, TIFF, WebP) → one PDF, a page per image (per TIFF frame).
package enum ImagesToPDFConversion: Conversion {
    package typealias Options = NoOptions
    package static let operation = JobOperation.imagesToPDF
    package static let paths = ["/pdf/convert/from/image"]
    package static let host = HostKind.mupdf
    package static let result = ResultKind.file(extension: "pdf")
    package static let input = InputShape.several
    package static let usesPages = false
    package static let commandName: String? = "images-to-pdf"
}

/// What a client may ask of an office → PDF conversion (PDF.co's parameters).
package struct OfficeConversionOptions: ConversionOptions {
    /// Read plain text as CSV (`/pdf/convert/from/csv`, `/xls/convert/to/pdf`).
    package var textIsCSV = false
    /// Spreadsheets: one page per sheet, sized to its content (PDF.co `autosize`).
    package var autosize = false

    package init() {}

    package init(textIsCSV: Bool = false, autosize: Bool = false) {
        self.textIsCSV = textIsCSV
        self.autosize = autosize
    }
}

/// Office documents (Word, Excel, PowerPoint, OpenDocument, RTF, text, CSV) → PDF in LibreOffice.
package enum OfficeToPDFConversion: Conversion {
    package static let operation = JobOperation.officeToPDF
    /// The CSV paths read plain text as CSV.
    package static let paths = ["/pdf/convert/from/doc", "/pdf/convert/from/csv", "/xls/convert/to/pdf"]
    package static let host = HostKind.office
    package static let result = ResultKind.file(extension: "pdf")
    /// PDF.co has no page selection for these; the input's `pages` is not ours to apply.
    package static let usesPages = false
    package static let commandName: String? = "office-to-pdf"

    package static func legacyOptions(_ map: [String: String]) -> OfficeConversionOptions {
        OfficeConversionOptions(textIsCSV: map["textiscsv"] == "true", autosize: map["autosize"] == "true")
    }
}

extension JobOperation {
    package static let imagesToPDF = JobOperation("images.to-pdf")
    package static let officeToPDF = JobOperation("office.to-pdf")
}

// SPDX-License-Identifier: AGPL-3.0-or-later

/// Options of the PDF → data conversions (JSON, CSV, XML, HTML, XLSX, find, find/table).
package struct DataOptions: ConversionOptions {
    /// PDF.co's `rect`: only this page area (left, top, width, height in points) is read.
    package var rect: [Double]?
    /// PDF.co's `unwrap` (with `lineGrouping` 1, the default): a cell's wrapped lines become one.
    package var unwrap = false
    /// `CSVSeparatorSymbol` and `CSVQuotaionSymbol` [sic] in `profiles`.
    package var csvSeparator = ","
    package var csvQuote = "\""
    /// `/to/html`'s `simple`: paragraphs instead of a table per page.
    package var simpleHTML = false
    /// `PageToWorksheet` in `profiles`: a worksheet per page (XLSX).
    package var pageToWorksheet = true
    /// `RichTextFormatting` in `profiles`: bold and italic kept (XLSX).
    package var richTextFormatting = true
    /// `AutoDetectNumbers` in `profiles`: cells that read as numbers are numbers (XLSX).
    package var autoDetectNumbers = true
    /// Set by the worker for `/to/xls`'s second run: the office host saves the first run's XLSX
    /// as XLS (libxlsxwriter writes only XLSX).
    package var savesWorkbookAsXLS = false
    /// `/pdf/find`.
    package var searchString = ""
    package var regexSearch = false
    package var caseSensitive = false
    package var wordMatching = WordMatching.none
    /// OCR of the selected pages that have no text layer (`lang`, the OCR profiles).
    package var ocr: OCROptions?

    package init() {}
}

/// PDF.co's `wordMatchingMode` of `/pdf/find`.
package enum WordMatching: String, Sendable, Codable, CaseIterable {
    /// Anywhere, inside words too.
    case none = "None"
    /// Starting at a word's start (so "invoice" finds "Invoices").
    case smartMatch = "SmartMatch"
    /// Whole words only.
    case exactMatch = "ExactMatch"
}

/// What the PDF → data conversions share: the MuPDF host, pages, the options above.
package protocol DataConversion: Conversion where Options == DataOptions {
    static var format: DataFormat { get }
}

/// What a data conversion writes.
package enum DataFormat: String, Sendable, Codable {
    case json, json2, csv, xml, html, xlsx, xls, find, findTable
}

extension DataConversion {
    package static var host: HostKind { .mupdf }
    package static var readsImagesAsScans: Bool { true }

    /// Pages without a text layer are read by OCR, when the first run finds some.
    package static func ocrFallback(for options: DataOptions) -> OCRPass? {
        options.ocr.map { OCRPass(languages: $0.languages, resolution: $0.resolution, onlyPagesWithoutText: false) }
    }
    package static var result: ResultKind {
        switch format {
        case .json, .json2, .find, .findTable: .jsonFile
        case .csv: .textFile(extension: "csv")
        case .xml: .textFile(extension: "xml")
        case .html: .textFile(extension: "html")
        case .xlsx: .file(extension: "xlsx")
        case .xls: .file(extension: "xls")
        }
    }
}

/// PDF → PDF.co's JSON: `document.page[].row[].column[].text` with "@" attributes.
package enum PDFToJSONConversion: DataConversion {
    package static let operation = JobOperation.pdfToJSON
    package static let paths = ["/pdf/convert/to/json"]
    package static let commandName: String? = "pdf-to-json"
    package static let format = DataFormat.json
}

/// PDF → the same tree with plain keys (`/to/json2`).
package enum PDFToJSON2Conversion: DataConversion {
    package static let operation = JobOperation.pdfToJSON2
    package static let paths = ["/pdf/convert/to/json2"]
    package static let commandName: String? = "pdf-to-json2"
    package static let format = DataFormat.json2
}

package enum PDFToCSVConversion: DataConversion {
    package static let operation = JobOperation.pdfToCSV
    package static let paths = ["/pdf/convert/to/csv"]
    package static let commandName: String? = "pdf-to-csv"
    package static let format = DataFormat.csv
}

package enum PDFToXMLConversion: DataConversion {
    package static let operation = JobOperation.pdfToXML
    package static let paths = ["/pdf/convert/to/xml"]
    package static let commandName: String? = "pdf-to-xml"
    package static let format = DataFormat.xml
}

package enum PDFToHTMLConversion: DataConversion {
    package static let operation = JobOperation.pdfToHTML
    package static let paths = ["/pdf/convert/to/html"]
    package static let commandName: String? = "pdf-to-html"
    package static let format = DataFormat.html
}

/// PDF → an Excel workbook: a worksheet per page, numbers as numbers.
package enum PDFToXLSXConversion: DataConversion {
    package static let operation = JobOperation.pdfToXLSX
    package static let paths = ["/pdf/convert/to/xlsx"]
    package static let commandName: String? = "pdf-to-xlsx"
    package static let format = DataFormat.xlsx
}

/// PDF → an Excel 97–2003 workbook: the XLSX of `/to/xlsx`, saved as XLS by an office host.
package enum PDFToXLSConversion: DataConversion {
    package static let operation = JobOperation.pdfToXLS
    package static let paths = ["/pdf/convert/to/xls"]
    package static let commandName: String? = "pdf-to-xls"
    package static let format = DataFormat.xls

    package static func host(for options: DataOptions) -> HostKind { options.savesWorkbookAsXLS ? .office : .mupdf }

    package static func finishing(_ options: DataOptions) -> DataOptions? {
        guard !options.savesWorkbookAsXLS else { return nil }
        var next = options
        next.savesWorkbookAsXLS = true
        return next
    }
}

/// Text search with positions (`/pdf/find`): `body` is the list of matches.
package enum FindTextConversion: DataConversion {
    package static let operation = JobOperation.pdfFind
    package static let paths = ["/pdf/find"]
    package static let commandName: String? = "find"
    package static let format = DataFormat.find
}

/// Table locations (`/pdf/find/table`): `body.tables[]`, whose `rect` feeds the converters above.
package enum FindTableConversion: DataConversion {
    package static let operation = JobOperation.pdfFindTable
    package static let paths = ["/pdf/find/table"]
    package static let commandName: String? = "find-table"
    package static let format = DataFormat.findTable
}

extension JobOperation {
    package static let pdfToJSON = JobOperation("pdf.to-json")
    package static let pdfToJSON2 = JobOperation("pdf.to-json2")
    package static let pdfToCSV = JobOperation("pdf.to-csv")
    package static let pdfToXML = JobOperation("pdf.to-xml")
    package static let pdfToHTML = JobOperation("pdf.to-html")
    package static let pdfToXLSX = JobOperation("pdf.to-xlsx")
    package static let pdfToXLS = JobOperation("pdf.to-xls")
    package static let pdfFind = JobOperation("pdf.find")
    package static let pdfFindTable = JobOperation("pdf.find-table")
}

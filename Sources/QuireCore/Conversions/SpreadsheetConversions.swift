// SPDX-License-Identifier: AGPL-3.0-or-later

/// What a client may ask of a spreadsheet export (`/xls/convert/to/csv|json|html|txt|xml`).
package struct SpreadsheetExportOptions: ConversionOptions {
    /// PDF.co's `worksheetIndex`: 1-based ("The first worksheet has index 1", PDF.co's Excel to CSV page).
    package var worksheetIndex = 1
    /// CSV only: PDF.co's `separatorSymbol`, one character.
    package var separator = ","
    /// CSV only: PDF.co's `quotationSymbol`, one character, put around cells that need it.
    package var quote = "\""

    package init() {}
}

/// The text formats a sheet is written in.
package enum SheetFormat: String, Sendable, CaseIterable {
    case csv, json, html, txt, xml
}

/// What the five spreadsheet exports share: one sheet of an XLS, XLSX, ODS or CSV file, read by
/// an office host, written as text (so `inline=true` returns it in `body`; JSON as JSON).
package protocol SpreadsheetExport: Conversion where Options == SpreadsheetExportOptions {
    static var format: SheetFormat { get }
}

extension SpreadsheetExport {
    package static var paths: [String] { ["/xls/convert/to/\(format.rawValue)"] }
    package static var host: HostKind { .office }
    package static var result: ResultKind { format == .json ? .jsonFile : .textFile(extension: format.rawValue) }
    /// A sheet has no pages; PDF.co documents no `pages` for these endpoints.
    package static var usesPages: Bool { false }
    package static var commandName: String? { "xls-to-\(format.rawValue)" }
}

/// Sheet → CSV.
package enum SpreadsheetToCSVConversion: SpreadsheetExport {
    package static let operation = JobOperation.spreadsheetToCSV
    package static let format = SheetFormat.csv
}

/// Sheet → JSON: an array of row objects keyed `Column0`, `Column1`… (PDF.co's documented shape).
package enum SpreadsheetToJSONConversion: SpreadsheetExport {
    package static let operation = JobOperation.spreadsheetToJSON
    package static let format = SheetFormat.json
}

/// Sheet → an HTML table.
package enum SpreadsheetToHTMLConversion: SpreadsheetExport {
    package static let operation = JobOperation.spreadsheetToHTML
    package static let format = SheetFormat.html
}

/// Sheet → tab-separated text.
package enum SpreadsheetToTextConversion: SpreadsheetExport {
    package static let operation = JobOperation.spreadsheetToText
    package static let format = SheetFormat.txt
}

/// Sheet → XML rows whose elements are named as the JSON's keys.
package enum SpreadsheetToXMLConversion: SpreadsheetExport {
    package static let operation = JobOperation.spreadsheetToXML
    package static let format = SheetFormat.xml
}

extension JobOperation {
    package static let spreadsheetToCSV = JobOperation("xls.to-csv")
    package static let spreadsheetToJSON = JobOperation("xls.to-json")
    package static let spreadsheetToHTML = JobOperation("xls.to-html")
    package static let spreadsheetToText = JobOperation("xls.to-txt")
    package static let spreadsheetToXML = JobOperation("xls.to-xml")
}

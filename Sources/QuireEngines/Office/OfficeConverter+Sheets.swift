// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore

extension OfficeConverter {
    /// The cells of sheet `sheet` (1-based) of the spreadsheet `input`, as LibreOffice shows them
    /// (number formats applied), row by row over the sheet's used area. CSV input is read here
    /// without LibreOffice: it is one sheet, and Calc would reformat its numbers ("12.50" → "12.5").
    /// - Parameter scratch: a folder for the staged input and LibreOffice's CSV.
    /// - Throws: `.badParameter` for a sheet the workbook does not have, `.unsupported` for bytes
    ///   that are no spreadsheet (a Word file, a PDF, an image), the password errors, `.damaged`.
    package func sheetRows(input: URL, password: String?, sheet: Int, scratch: URL) throws -> [[String]] {
        let data: Data
        do {
            data = try Data(contentsOf: input, options: .alwaysMapped)
        } catch {
            throw EngineError.failed("Could not read the input file.")
        }
        guard !data.isEmpty else { throw EngineError.damaged("the file is empty.") }
        let format = OfficeFormat.detect(data, textMeansCSV: true)
        if format == .csv {
            guard sheet == 1 else { throw EngineError.badParameter(LibreOffice.noSuchSheet(sheet, count: 1)) }
            let text = OfficeFormat.decodedText(data) ?? ""
            return CSVSpreadsheet.parse(text, separator: CSVSpreadsheet.guessSeparator(text))
        }
        if let format, !format.isSpreadsheet { throw EngineError.unsupported(LibreOffice.notASpreadsheet) }
        if format == nil && OfficeFormat.isClearlyNotADocument(data) { throw EngineError.unsupported(LibreOffice.notASpreadsheet) }
        let document = try stage(data, input: input, format: format, at: scratch.appendingPathComponent("office-input"))
        let csv = scratch.appendingPathComponent("sheet-\(sheet).csv")
        defer {
            try? FileManager.default.removeItem(at: document)
            try? FileManager.default.removeItem(at: csv)
        }
        do {
            try office.exportSheetAsCSV(input: document, output: csv, password: password, sheet: sheet)
        } catch EngineError.damaged where format == nil {
            // Neither Quire nor LibreOffice knows the bytes: not a spreadsheet, rather than a damaged one.
            throw EngineError.unsupported(LibreOffice.notASpreadsheet)
        }
        guard let written = try? Data(contentsOf: csv) else { throw EngineError.failed("LibreOffice wrote no CSV.") }
        return CSVSpreadsheet.parse(String(decoding: written, as: UTF8.self), separator: ",")
    }
}

// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore
import QuireEngines

extension SpreadsheetToCSVConversion: OfficeHosted {}
extension SpreadsheetToJSONConversion: OfficeHosted {}
extension SpreadsheetToHTMLConversion: OfficeHosted {}
extension SpreadsheetToTextConversion: OfficeHosted {}
extension SpreadsheetToXMLConversion: OfficeHosted {}

extension SpreadsheetExport {
    /// One office call writes the chosen sheet as CSV; the format is shaped from its cells.
    package static func run(_ options: SpreadsheetExportOptions, _ call: EngineCall, _ office: OfficeEngines) throws -> EngineResponse {
        let output = try call.outputURL()
        let rows = try office.converter.sheetRows(
            input: try call.input(), password: call.password, sheet: options.worksheetIndex,
            scratch: output.deletingLastPathComponent())
        try call.write(Data(SheetWriter.write(rows, as: format, options: options).utf8))
        return EngineResponse()
    }
}

// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore

extension SpreadsheetToCSVConversion: RequestConvertible {}
extension SpreadsheetToJSONConversion: RequestConvertible {}
extension SpreadsheetToHTMLConversion: RequestConvertible {}
extension SpreadsheetToTextConversion: RequestConvertible {}
extension SpreadsheetToXMLConversion: RequestConvertible {}

extension SpreadsheetExport {
    static func options(
        from parameters: RequestParameters, path: String, request: inout ConversionRequest
    ) throws
        -> SpreadsheetExportOptions
    {
        try SpreadsheetExportOptions(parameters, readsCSVSymbols: format == .csv)
    }
}

extension SpreadsheetExportOptions {
    /// `worksheetIndex` (1-based; empty means the first sheet), and for CSV `separatorSymbol` and
    /// `quotationSymbol` (one character each, different, no line break).
    /// - Throws: `APIError` 400 naming the parameter.
    init(_ parameters: RequestParameters, readsCSVSymbols: Bool) throws {
        self.init()
        if let text = parameters.string("worksheetIndex"), !text.trimmingCharacters(in: .whitespaces).isEmpty {
            // PDF.co sends it as a string; a sheet count past a million is no workbook Calc opens.
            guard let index = RequestParameters.integer(text, in: 1...1_048_576) else {
                throw APIError.badParameter(
                    "worksheetIndex", "\"\(text.prefix(40))\" is not a worksheet number: the first worksheet is 1.")
            }
            worksheetIndex = index
        }
        guard readsCSVSymbols else { return }
        separator = try Self.symbol(parameters, "separatorSymbol", default: separator)
        quote = try Self.symbol(parameters, "quotationSymbol", default: quote)
        guard separator != quote else {
            throw APIError.badParameter("quotationSymbol", "it must differ from 'separatorSymbol'.")
        }
    }

    private static func symbol(_ parameters: RequestParameters, _ name: String, default value: String) throws -> String {
        guard let text = parameters.string(name), !text.isEmpty else { return value }
        guard text.count == 1, let character = text.first, !character.isNewline else {
            throw APIError.badParameter(name, "give one character (not a line break), e.g. \",\" or \";\".")
        }
        return String(character)
    }
}

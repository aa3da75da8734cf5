// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore

extension PDFToJSONConversion: RequestConvertible {}
extension PDFToJSON2Conversion: RequestConvertible {}
extension PDFToCSVConversion: RequestConvertible {}
extension PDFToXMLConversion: RequestConvertible {}
extension PDFToHTMLConversion: RequestConvertible {}
extension PDFToXLSXConversion: RequestConvertible {}
extension PDFToXLSConversion: RequestConvertible {}
extension FindTextConversion: RequestConvertible {}
extension FindTableConversion: RequestConvertible {}

extension DataConversion {
    static func options(from parameters: RequestParameters, path: String, request: inout ConversionRequest) throws -> DataOptions {
        if format == .find || format == .findTable {
            // PDF.co answers both with `body` unless told otherwise.
            request.isInline = try parameters.bool("inline", default: true)
        }
        var options = try DataOptions(parameters, format: format)
        // `/to/xls`'s second run reads the first run's workbook, never a scan.
        options.ocr = try OCROptions(parameters)
        return options
    }
}

extension DataOptions {
    /// Longest `searchString` taken (a regular expression or words, never a document).
    static let maxSearchLength = 10_000

    init(_ parameters: RequestParameters, format: DataFormat) throws {
        self.init()
        let profiles = try parameters.profiles()
        rect = try Self.rect(parameters.string("rect"))
        let grouping = parameters.string("lineGrouping") ?? profiles.string("LineGroupingMode")
        if let grouping, !["1", "2", "3", "groupbyrows", "groupbycolumns", "joinorphanedrows", "none", "0"].contains(grouping.lowercased())
        {
            throw APIError.badParameter("lineGrouping", "use 1 (group by rows), 2 (by columns) or 3 (join orphaned rows).")
        }
        unwrap = try parameters.optionalBool("unwrap") ?? profiles.bool("Unwrap") ?? false
        if let separator = profiles.string("CSVSeparatorSymbol") {
            guard (1...8).contains(separator.count) else {
                throw APIError(400, "CSVSeparatorSymbol in 'profiles' must be 1 to 8 characters.")
            }
            csvSeparator = separator
        }
        if let quote = profiles.string("CSVQuotaionSymbol") ?? profiles.string("CSVQuotationSymbol") {
            guard quote.count <= 1 else { throw APIError(400, "CSVQuotaionSymbol in 'profiles' must be one character or empty.") }
            csvQuote = quote
        }
        simpleHTML = try parameters.bool("simple", default: false)
        pageToWorksheet = profiles.bool("PageToWorksheet") ?? pageToWorksheet
        autoDetectNumbers = profiles.bool("AutoDetectNumbers") ?? autoDetectNumbers
        richTextFormatting = profiles.bool("RichTextFormatting") ?? richTextFormatting
        guard format == .find else { return }
        guard let search = parameters.string("searchString"), !search.isEmpty else {
            throw APIError.missing("searchString", "Pass the text (or with regexSearch=true the regular expression) to find.")
        }
        guard search.count <= Self.maxSearchLength else {
            throw APIError.badParameter("searchString", "it is longer than \(Self.maxSearchLength) characters.")
        }
        searchString = search
        regexSearch = try parameters.bool("regexSearch", default: false)
        caseSensitive = try parameters.bool("caseSensitive", default: false)
        if let mode = parameters.string("wordMatchingMode"), !mode.isEmpty {
            guard let matching = WordMatching.allCases.first(where: { $0.rawValue.lowercased() == mode.lowercased() }) else {
                throw APIError.badParameter("wordMatchingMode", "use None, SmartMatch or ExactMatch.")
            }
            wordMatching = matching
        }
        if regexSearch {
            // Checked here so that a bad expression is a 400 now, not a failed job later.
            do { _ = try NSRegularExpression(pattern: search) } catch {
                throw APIError.badParameter("searchString", "it is not a valid regular expression.")
            }
        }
    }

    /// PDF.co's `rect`: "x y width height", spaces or commas between (find/table answers with it).
    static func rect(_ text: String?) throws -> [Double]? {
        guard let text, !text.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        let numbers = text.split(whereSeparator: { $0 == "," || $0 == " " || $0 == ";" }).map { Double($0) }
        guard numbers.count == 4, let values = numbers as? [Double], values.allSatisfy({ $0.isFinite && abs($0) <= 1_000_000 }),
            values[2] > 0, values[3] > 0
        else {
            throw APIError.badParameter(
                "rect", "use \"x y width height\" in points from the page's top-left corner, e.g. \"51.8 114.8 235.5 204.0\".")
        }
        return values
    }
}

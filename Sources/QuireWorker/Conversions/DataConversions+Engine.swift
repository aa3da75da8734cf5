// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore
import QuireEngines

extension PDFToJSONConversion: MuPDFHosted {}
extension PDFToJSON2Conversion: MuPDFHosted {}
extension PDFToCSVConversion: MuPDFHosted {}
extension PDFToXMLConversion: MuPDFHosted {}
extension PDFToHTMLConversion: MuPDFHosted {}
extension PDFToXLSXConversion: MuPDFHosted {}
extension PDFToXLSConversion: MuPDFHosted {}

/// `/to/xls`'s second run: the first run's XLSX saved as XLS.
extension PDFToXLSConversion: OfficeHosted {
    package static func run(_ options: DataOptions, _ call: EngineCall, _ office: OfficeEngines) throws -> EngineResponse {
        try office.office.save(input: try call.input(), output: try call.outputURL(), format: "xls")
        return EngineResponse()
    }
}
extension FindTextConversion: MuPDFHosted {}
extension FindTableConversion: MuPDFHosted {}

extension DataConversion {
    package static func run(_ options: DataOptions, _ call: EngineCall, _ engines: MuPDFEngines) throws -> EngineResponse {
        do {
            return try convert(options, call, engines)
        } catch let scans as PagesWithoutText {
            // The worker reads these pages by OCR and runs this again with their words.
            return EngineResponse(fields: [EngineResponse.pagesWithoutText: .array(scans.pages.map { .int($0) })])
        }
    }

    private static func convert(_ options: DataOptions, _ call: EngineCall, _ engines: MuPDFEngines) throws -> EngineResponse {
        let output: Data
        let pageCount: Int
        switch format {
        case .find: (pageCount, output) = try options.find(call, engines)
        case .findTable: (pageCount, output) = try options.findTables(call, engines)
        case .xlsx, .xls:
            let (count, document) = try options.grids(call, engines)
            let writer = XLSXWriter(
                sheetPerPage: options.pageToWorksheet, detectNumbers: options.autoDetectNumbers, keepStyles: options.richTextFormatting)
            try writer.write(document, to: try call.outputURL())
            return EngineResponse(pageCount: count)
        case .json, .json2, .csv, .xml, .html:
            let document: GridDocument
            (pageCount, document) = try options.grids(call, engines)
            output = try options.write(document, as: format)
        }
        try call.write(output)
        return EngineResponse(pageCount: pageCount)
    }
}

extension DataOptions {
    /// `rect` as a box, a point wider each way so that text and lines on its edge stay in.
    var area: Box? {
        guard let rect, rect.count == 4 else { return nil }
        return Box(x0: rect[0] - 1, y0: rect[1] - 1, x1: rect[0] + rect[2] + 1, y1: rect[1] + rect[3] + 1)
    }

    /// The selected pages' content, cut to `rect`, through `body`; `upright`: turned so that its
    /// text reads left to right (layout analysis), with how it was turned.
    func map<T>(
        _ call: EngineCall, _ engines: MuPDFEngines, upright: Bool = true,
        _ body: @Sendable @escaping (Int, PageContent, PageOrientation) throws -> T
    ) throws -> (Int, [T]) {
        let area = area
        return try engines.pageContents.map(
            file: try call.input(), password: call.password, pages: try call.selection(), ocr: try call.ocrPagesByIndex(),
            reportsPagesWithoutText: call.reportsPagesWithoutText
        ) { index, content in
            let cropped = area.map { content.cropped(to: $0) } ?? content
            guard upright else {
                return try body(index, cropped, PageOrientation(rotation: 0, width: content.width, height: content.height))
            }
            let (turned, orientation) = cropped.upright()
            return try body(index, turned, orientation)
        }
    }

    func grids(_ call: EngineCall, _ engines: MuPDFEngines) throws -> (Int, GridDocument) {
        let grouping = GridGrouping(unwrap: unwrap)
        let (count, pages) = try map(call, engines) { index, content, _ in
            GridDocument.Page(index: index, grid: PageGrids.make(content, grouping: grouping), isOCR: content.isOCR)
        }
        return (count, GridDocument(pages: pages))
    }

    func write(_ document: GridDocument, as format: DataFormat) throws -> Data {
        switch format {
        case .json: Data(document.markup().jsonDocument(style: .newtonsoft).utf8)
        case .json2: Data(document.markup().jsonDocument(style: .plain).utf8)
        case .xml: Data(document.markup().xmlDocument().utf8)
        case .csv: Data(document.csv(separator: csvSeparator, quote: csvQuote).utf8)
        case .html: Data(document.html(simple: simpleHTML).utf8)
        case .xlsx, .xls, .find, .findTable: throw EngineError.unsupported("Not a grid output.")
        }
    }

    func find(_ call: EngineCall, _ engines: MuPDFEngines) throws -> (Int, Data) {
        let search = try TextSearch(searchString, regex: regexSearch, caseSensitive: caseSensitive, wordMatching: wordMatching)
        let (count, pages) = try map(call, engines, upright: false) { index, content, _ in
            try search.matches(on: content, pageIndex: index)
        }
        let items: [[String: Any]] = pages.joined().map { match in
            [
                "text": match.text, "left": Self.rounded(match.box.x0), "top": Self.rounded(match.box.y0),
                "width": Self.rounded(match.box.width), "height": Self.rounded(match.box.height), "pageIndex": match.pageIndex,
            ]
        }
        return (count, try JSONSerialization.data(withJSONObject: items, options: [.sortedKeys, .withoutEscapingSlashes]))
    }

    func findTables(_ call: EngineCall, _ engines: MuPDFEngines) throws -> (Int, Data) {
        let (count, pages) = try map(call, engines) { index, content, orientation in
            TableFinder.find(in: content).map { (index, $0, orientation) }
        }
        let tables: [[String: Any]] = pages.joined().map { index, table, orientation in
            // Reported as the page is shown, so that `rect` cuts the same area out again.
            let box = orientation.shown(table.box)
            let columns = table.columnStarts.map { start in
                let shown = orientation.shown(Box(x0: start, y0: table.box.y0, x1: start, y1: table.box.y0))
                return orientation.rotation == 90 || orientation.rotation == 270 ? shown.y0 : shown.x0
            }
            let rect = [box.x0, box.y0, box.width, box.height].map { GridDocument.formatted($0) }.joined(separator: " ")
            return [
                "PageIndex": index, "X": Self.rounded(box.x0), "Y": Self.rounded(box.y0), "Width": Self.rounded(box.width),
                "Height": Self.rounded(box.height), "Columns": columns.map(Self.rounded), "rect": rect,
            ]
        }
        return (count, try JSONSerialization.data(withJSONObject: ["tables": tables], options: [.sortedKeys, .withoutEscapingSlashes]))
    }

    /// Points to two decimals, as PDF.co prints coordinates.
    static func rounded(_ value: Double) -> Double { (value * 100).rounded() / 100 }
}

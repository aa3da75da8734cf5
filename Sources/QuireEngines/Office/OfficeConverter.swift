// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore

/// Office documents → PDF through LibreOffice, with the format found from the content.
package struct OfficeConverter {
    let office: LibreOffice

    package init(office: LibreOffice) { self.office = office }

    static let notADocument = EngineError.unsupported(
        "The input is not a document Quire can convert to PDF (Word, Excel, PowerPoint, OpenDocument, RTF, WordPerfect, text or CSV)."
    )

    /// Converts `input` into the PDF `output`; stages a renamed copy next to `output` first.
    ///
    /// Bytes `OfficeFormat` does not know (legacy formats such as Excel 4.0 worksheets or bare
    /// BIFF streams) go to LibreOffice's own type detection, unless they are clearly something
    /// else (`OfficeFormat.isClearlyNotADocument`); what LibreOffice then reads only as plain text
    /// or not at all is refused like them.
    /// - Returns: the format detected, nil when LibreOffice detected it.
    /// - Throws: `EngineError.unsupported` for bytes that are no office document,
    ///   `.passwordRequired` / `.wrongPassword`, `.damaged` when LibreOffice cannot read a known format.
    @discardableResult
    package func convert(input: URL, output: URL, password: String?, options: OfficeConversionOptions) throws -> OfficeFormat? {
        let data: Data
        do {
            data = try Data(contentsOf: input, options: .alwaysMapped)
        } catch {
            throw EngineError.failed("Could not read the input file.")
        }
        guard !data.isEmpty else { throw EngineError.damaged("the file is empty.") }
        let format = OfficeFormat.detect(data, textMeansCSV: options.textIsCSV)
        if format == nil && OfficeFormat.isClearlyNotADocument(data) { throw Self.notADocument }
        let staged = output.deletingLastPathComponent().appendingPathComponent("office-input")
        let document = try stage(data, input: input, format: format, at: staged)
        defer { try? FileManager.default.removeItem(at: document) }
        var filterData: [String: PDFFilterValue] = [:]
        if options.autosize && (format?.isSpreadsheet ?? true) { filterData["SinglePageSheets"] = .bool(true) }
        guard format == nil else {
            try office.convertToPDF(input: document, output: output, password: password, filterData: filterData)
            return format
        }
        do {
            try office.convertToPDF(input: document, output: output, password: password, filterData: filterData, refusesPlainText: true)
        } catch EngineError.damaged, EngineError.unsupported {
            // Neither Quire nor LibreOffice knows the bytes: not a document, rather than a damaged one.
            throw Self.notADocument
        }
        return nil
    }

    /// LibreOffice picks its import filter from the extension: give it the detected one (none for
    /// an unknown format, so its type detection reads the content). CSV becomes a flat ODS (see
    /// CSVSpreadsheet).
    func stage(_ data: Data, input: URL, format: OfficeFormat?, at base: URL) throws -> URL {
        do {
            if format == .csv {
                let file = base.appendingPathExtension("fods")
                let text = OfficeFormat.decodedText(data) ?? ""
                try Data(CSVSpreadsheet.flatODS(fromCSV: text).utf8).writeUnsynced(to: file)
                return file
            }
            let file = format.map { base.appendingPathExtension($0.fileExtension) } ?? base
            try? FileManager.default.removeItem(at: file)
            do {
                try FileManager.default.linkItem(at: input, to: file)
            } catch {
                try FileManager.default.copyItem(at: input, to: file)
            }
            return file
        } catch {
            throw EngineError.failed("Could not stage the input for LibreOffice.")
        }
    }
}

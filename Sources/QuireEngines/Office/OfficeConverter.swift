// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation

/// What a client may ask of an office → PDF conversion (PDF.co's parameters).
package struct OfficeConversionOptions: Sendable, Equatable {
    /// Read plain text as CSV (`/pdf/convert/from/csv`, `/xls/convert/to/pdf`).
    package var textIsCSV = false
    /// Spreadsheets: one page per sheet, sized to its content (PDF.co `autosize`).
    package var autosize = false

    package init(textIsCSV: Bool = false, autosize: Bool = false) {
        self.textIsCSV = textIsCSV
        self.autosize = autosize
    }
}

/// Office documents → PDF through LibreOffice, with the format found from the content.
package struct OfficeConverter {
    let office: LibreOffice

    package init(office: LibreOffice) { self.office = office }

    /// Converts `input` into the PDF `output`; stages a renamed copy next to `output` first.
    /// - Returns: the format detected.
    /// - Throws: `EngineError.unsupported` for bytes that are no office document Quire knows,
    ///   `.passwordRequired` / `.wrongPassword`, `.damaged` when LibreOffice cannot read it.
    @discardableResult
    package func convert(input: URL, output: URL, password: String?, options: OfficeConversionOptions) throws -> OfficeFormat {
        let data: Data
        do {
            data = try Data(contentsOf: input, options: .alwaysMapped)
        } catch {
            throw EngineError.failed("Could not read the input file.")
        }
        guard !data.isEmpty else { throw EngineError.damaged("the file is empty.") }
        guard let format = OfficeFormat.detect(data, textMeansCSV: options.textIsCSV) else {
            throw EngineError.unsupported(
                "The input is not a document Quire can convert to PDF (Word, Excel, PowerPoint, OpenDocument, RTF, WordPerfect, text or CSV)."
            )
        }
        let staged = output.deletingLastPathComponent().appendingPathComponent("office-input")
        let document = try stage(data, input: input, format: format, at: staged)
        defer { try? FileManager.default.removeItem(at: document) }
        var filterData: [String: PDFFilterValue] = [:]
        if options.autosize && format.isSpreadsheet { filterData["SinglePageSheets"] = .bool(true) }
        try office.convertToPDF(input: document, output: output, password: password, filterData: filterData)
        return format
    }

    /// LibreOffice picks its import filter from the extension: give it the detected one. CSV
    /// becomes a flat ODS (see CSVSpreadsheet).
    private func stage(_ data: Data, input: URL, format: OfficeFormat, at base: URL) throws -> URL {
        do {
            if format == .csv {
                let file = base.appendingPathExtension("fods")
                let text = OfficeFormat.decodedText(data) ?? ""
                try Data(CSVSpreadsheet.flatODS(fromCSV: text).utf8).write(to: file)
                return file
            }
            let file = base.appendingPathExtension(format.fileExtension)
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

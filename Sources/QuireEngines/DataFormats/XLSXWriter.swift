// SPDX-License-Identifier: AGPL-3.0-or-later
import CXLSXWriter
import Foundation

/// Writes a grid document as XLSX through libxlsxwriter, in its constant-memory mode (rows go to
/// a temporary file beside the output as they are written, so a long document stays bounded).
package struct XLSXWriter: Sendable {
    /// `PageToWorksheet`: a worksheet per page ("Page 1", …) instead of one sheet of all rows.
    package var sheetPerPage = true
    /// `AutoDetectNumbers`: cells that read as numbers ("1,200.50", "(35)", "12%") are numbers.
    package var detectNumbers = true
    /// `RichTextFormatting`: bold and italic cells keep their style.
    package var keepStyles = true

    /// Excel's limits: rows per sheet, characters per cell.
    static let maxRows = 1_048_576
    static let maxCellCharacters = 32_767

    package init(sheetPerPage: Bool = true, detectNumbers: Bool = true, keepStyles: Bool = true) {
        self.sheetPerPage = sheetPerPage
        self.detectNumbers = detectNumbers
        self.keepStyles = keepStyles
    }

    /// - Throws: `EngineError.failed` when libxlsxwriter cannot write the file,
    ///   `.limitExceeded` past Excel's row limit.
    package func write(_ document: GridDocument, to output: URL) throws(EngineError) {
        let folder = output.deletingLastPathComponent().path
        let workbook: OpaquePointer? = folder.withCString { tmpdir in
            var options = lxw_workbook_options()
            options.constant_memory = 1
            options.tmpdir = UnsafeMutablePointer(mutating: tmpdir)
            return OpaquePointer(workbook_new_opt(output.path, &options))
        }
        guard let workbook else { throw .failed("Could not create the XLSX file.") }
        let book = UnsafeMutablePointer<lxw_workbook>(workbook)
        var formats = CellFormats(book: book)

        var sheet: UnsafeMutablePointer<lxw_worksheet>?
        var row = 0
        var failure: EngineError?
        for (number, page) in document.pages.enumerated() where failure == nil {
            if sheet == nil || sheetPerPage {
                let name = sheetPerPage ? "Page \(number + 1)" : "Sheet1"
                sheet = worksheet(book, name)
                row = 0
                setWidths(sheet, document: sheetPerPage ? GridDocument(pages: [page]) : document)
            }
            for cells in page.grid.rows {
                guard row < Self.maxRows else {
                    failure = .limitExceeded("The table has more rows than one Excel worksheet holds (\(Self.maxRows)).")
                    break
                }
                for (column, cell) in cells.enumerated() {
                    guard let cell, !cell.text.isEmpty else { continue }
                    var style = CellFormats.Key(
                        bold: keepStyles && cell.font?.isBold == true, italic: keepStyles && cell.font?.isItalic == true)
                    let (r, c) = (lxw_row_t(row), lxw_col_t(column))
                    if detectNumbers, let number = NumberText.value(of: cell.text) {
                        style.numberFormat = number.format
                        worksheet_write_number(sheet, r, c, number.value, formats.format(style))
                    } else {
                        worksheet_write_string(sheet, r, c, String(cell.text.prefix(Self.maxCellCharacters)), formats.format(style))
                    }
                }
                row += 1
            }
        }
        if document.pages.isEmpty { _ = worksheet(book, "Sheet1") }
        let closed = workbook_close(book)
        if let failure { throw failure }
        guard closed == LXW_NO_ERROR else {
            throw .failed("Could not write the XLSX file (\(String(cString: lxw_strerror(closed)))).")
        }
    }

    private func worksheet(_ book: UnsafeMutablePointer<lxw_workbook>, _ name: String) -> UnsafeMutablePointer<lxw_worksheet>? {
        workbook_add_worksheet(book, name)
    }

    /// Column widths from the longest text in each column (in characters, capped).
    private func setWidths(_ sheet: UnsafeMutablePointer<lxw_worksheet>?, document: GridDocument) {
        var widths: [Int] = []
        for page in document.pages {
            for cells in page.grid.rows {
                for (column, cell) in cells.enumerated() {
                    if widths.count <= column { widths += repeatElement(0, count: column + 1 - widths.count) }
                    widths[column] = max(widths[column], min(cell?.text.count ?? 0, 60))
                }
            }
        }
        for (column, width) in widths.enumerated() where width > 8 {
            worksheet_set_column(sheet, lxw_col_t(column), lxw_col_t(column), Double(width) + 2, nil)
        }
    }
}

/// The workbook's cell formats, made once per combination of style and number format.
private struct CellFormats {
    struct Key: Hashable {
        var bold = false
        var italic = false
        /// Excel's number format ("#,##0.00"), nil for General.
        var numberFormat: String?
    }

    let book: UnsafeMutablePointer<lxw_workbook>
    private var made: [Key: UnsafeMutablePointer<lxw_format>] = [:]

    init(book: UnsafeMutablePointer<lxw_workbook>) { self.book = book }

    /// nil for the default format.
    mutating func format(_ key: Key) -> UnsafeMutablePointer<lxw_format>? {
        if key == Key() { return nil }
        if let format = made[key] { return format }
        let format = workbook_add_format(book)
        if key.bold { format_set_bold(format) }
        if key.italic { format_set_italic(format) }
        if let number = key.numberFormat { format_set_num_format(format, number) }
        made[key] = format
        return format
    }
}

/// Text that reads as a number in a table: thousands separators, a sign or accounting
/// parentheses, a currency sign, a trailing percent.
enum NumberText {
    /// The value, and the Excel number format that prints it as it was printed ("1,200.50" →
    /// "#,##0.00"); nil format for a plain integer.
    static func value(of text: String) -> (value: Double, format: String?)? {
        var body = Substring(text.trimmingCharacters(in: .whitespaces))
        guard !body.isEmpty, body.count <= 40 else { return nil }
        var negative = false
        if body.hasPrefix("("), body.hasSuffix(")") {
            negative = true
            body = body.dropFirst().dropLast()
        }
        if let first = body.first, first == "-" || first == "+" || first == "\u{2212}" {
            negative = negative != (first != "+")
            body = body.dropFirst()
        }
        var currency = ""
        if let first = body.first, "$€£¥".contains(first) {
            currency = "\"\(first)\""
            body = body.dropFirst()
        }
        var isPercent = false
        if body.hasSuffix("%") {
            isPercent = true
            body = body.dropLast()
        }
        // Digits with optional groups of three between commas, and an optional decimal part.
        let groups = body.split(separator: ".", omittingEmptySubsequences: false)
        guard groups.count <= 2, let whole = groups.first, !whole.isEmpty, whole.first != ",",
            whole.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ",") })
        else { return nil }
        let parts = whole.split(separator: ",", omittingEmptySubsequences: false)
        guard parts.count == 1 || (parts.dropFirst().allSatisfy { $0.count == 3 } && (1...3).contains(parts[0].count)) else {
            return nil
        }
        if groups.count == 2, !groups[1].allSatisfy({ $0.isASCII && $0.isNumber }) || groups[1].isEmpty { return nil }
        guard var value = Double(parts.joined() + (groups.count == 2 ? "." + groups[1] : "")), value.isFinite else { return nil }
        if negative { value = -value }
        let decimals = groups.count == 2 ? groups[1].count : 0
        var format = (parts.count > 1 ? "#,##0" : "0") + (decimals > 0 ? "." + String(repeating: "0", count: min(decimals, 15)) : "")
        if isPercent { format += "%" }
        format = currency + format
        if negative && text.contains("(") { format = "\(format);(\(format))" }
        return (isPercent ? value / 100 : value, format == "0" ? nil : format)
    }
}

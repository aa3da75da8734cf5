// SPDX-License-Identifier: AGPL-3.0-or-later
import CLibreOfficeKit
import Foundation

/// LibreOffice loaded in this process through LibreOfficeKit.
///
/// Once per process and never torn down normally: LibreOffice cannot be re-initialised in the
/// same process, serialises every call on its own global lock, and crashes in its static
/// destructors on `exit()`. Only the office host (a child process) creates one, and leaves with
/// `exitProcess`.
package final class LibreOffice {
    private let handle: OpaquePointer

    /// Debian's location of LibreOffice's `program` directory.
    package static let defaultInstallDirectory = "/usr/lib/libreoffice/program"

    /// - Parameter profile: the user profile directory (created and configured if needed).
    package init(installDirectory: String = LibreOffice.defaultInstallDirectory, profile: URL) throws {
        try OfficeProfile.prepare(profile)
        var error = [CChar](repeating: 0, count: 1024)
        guard let handle = clok_init(installDirectory, profile.absoluteURL.absoluteString, &error, error.count) else {
            throw EngineError.failed("LibreOffice did not start: \(String(cBuffer: error))")
        }
        self.handle = handle
    }

    /// Converts `input` (whose extension tells LibreOffice the format, or which LibreOffice's own
    /// type detection reads when it has none) to the PDF `output`.
    /// - Parameters:
    ///   - filterData: PDF export settings, e.g. `["SinglePageSheets": true]`.
    ///   - refusesPlainText: throw `.unsupported` instead of converting when LibreOffice could
    ///     open the file only as a text document (its last resort for bytes it does not know).
    package func convertToPDF(
        input: URL, output: URL, password: String?, filterData: [String: PDFFilterValue], refusesPlainText: Bool = false
    ) throws {
        var error = [CChar](repeating: 0, count: 2048)
        // Batch: LibreOffice cancels any dialog instead of waiting for a user.
        let code = clok_convert(
            handle, input.absoluteURL.absoluteString, output.absoluteURL.absoluteString, password, "Batch=true",
            filterData.isEmpty ? nil : PDFFilterValue.json(filterData), refusesPlainText ? 1 : 0, &error, error.count)
        switch Int(code) {
        case Int(CLOK_OK): return
        case Int(CLOK_PASSWORD_REQUIRED): throw EngineError.passwordRequired
        case Int(CLOK_WRONG_PASSWORD): throw EngineError.wrongPassword
        case Int(CLOK_PLAIN_TEXT): throw EngineError.unsupported("LibreOffice reads the file only as plain text.")
        default:
            let detail = String(cBuffer: error)
            // "type detection failed" / "empty reference": LibreOffice could not read the file.
            throw EngineError.damaged("the document is damaged or LibreOffice cannot read it (\(Self.clientSafe(detail))).")
        }
    }

    /// Saves sheet `sheet` (1-based) of the spreadsheet `input` as UTF-8 CSV at `output`: comma,
    /// double quotes where a cell needs them, cells as shown (number formats applied).
    /// - Returns: the number of sheets in the workbook.
    /// - Throws: `.badParameter` naming `worksheetIndex` for a sheet the workbook does not have,
    ///   `.unsupported` when the file is no spreadsheet, the password errors, `.damaged`.
    @discardableResult
    /// Saves `input` (a document Quire wrote, so no password) as `output` in LibreOffice's
    /// `format`, e.g. "xls".
    package func save(input: URL, output: URL, format: String) throws {
        var error = [CChar](repeating: 0, count: 2048)
        let code = clok_save_as(handle, input.absoluteURL.absoluteString, output.absoluteURL.absoluteString, format, &error, error.count)
        guard code == CLOK_OK else { throw EngineError.failed("LibreOffice could not write the \(format) file.") }
    }

    package func exportSheetAsCSV(input: URL, output: URL, password: String?, sheet: Int) throws -> Int {
        var error = [CChar](repeating: 0, count: 2048)
        var count: Int32 = 0
        let code = clok_export_sheet(
            handle, input.absoluteURL.absoluteString, output.absoluteURL.absoluteString, password, "Batch=true",
            Int32(clamping: sheet), &count, &error, error.count)
        switch Int(code) {
        case Int(CLOK_OK): return Int(count)
        case Int(CLOK_NO_SUCH_SHEET): throw EngineError.badParameter(Self.noSuchSheet(sheet, count: Int(count)))
        case Int(CLOK_NOT_SPREADSHEET): throw EngineError.unsupported(Self.notASpreadsheet)
        case Int(CLOK_PASSWORD_REQUIRED): throw EngineError.passwordRequired
        case Int(CLOK_WRONG_PASSWORD): throw EngineError.wrongPassword
        default:
            let detail = String(cBuffer: error)
            throw EngineError.damaged("the spreadsheet is damaged or LibreOffice cannot read it (\(Self.clientSafe(detail))).")
        }
    }

    /// The client's answer for a `worksheetIndex` past the last sheet.
    package static func noSuchSheet(_ sheet: Int, count: Int) -> String {
        "Invalid 'worksheetIndex': the workbook has \(count) worksheet\(count == 1 ? "" : "s") and \(sheet) is not one of them "
            + "(the first worksheet is 1)."
    }

    package static let notASpreadsheet =
        "The input is not a spreadsheet Quire can read (Excel XLS or XLSX, OpenDocument ODS, or CSV)."

    /// LibreOffice's version string (e.g. "7.4.7.2"), when it tells.
    package var version: String? {
        guard let text = clok_version(handle) else { return nil }
        defer { clok_free(text) }
        let json = Data(String(cString: text).utf8)
        let object = try? JSONSerialization.jsonObject(with: json) as? [String: Any]
        return (object?["ProductVersion"] as? [String: Any])?["Version"] as? String
    }

    /// Shuts LibreOffice down and ends the process (see the type's comment).
    package func exitProcess(_ code: Int32) -> Never {
        clok_exit(handle, code)
    }

    /// LibreOffice's errors name files by URL: keep only the part after the last URL.
    private static func clientSafe(_ detail: String) -> String {
        let withoutURLs = detail.replacingOccurrences(of: #"<?file:///[^\s>]*>?"#, with: "<input>", options: .regularExpression)
        return String(withoutURLs.prefix(200))
    }
}

/// One value of the PDF export filter's FilterData, as LibreOffice's JSON option syntax wants it.
package enum PDFFilterValue: Sendable, Equatable {
    case bool(Bool)
    case int(Int)
    case string(String)

    static func json(_ values: [String: PDFFilterValue]) -> String {
        var object: [String: [String: String]] = [:]
        for (name, value) in values {
            switch value {
            case .bool(let flag): object[name] = ["type": "boolean", "value": flag ? "true" : "false"]
            case .int(let number): object[name] = ["type": "long", "value": String(number)]
            case .string(let text): object[name] = ["type": "string", "value": text]
            }
        }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}

extension String {
    /// The NUL-terminated C string in `buffer`.
    init(cBuffer buffer: [CChar]) {
        self.init(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

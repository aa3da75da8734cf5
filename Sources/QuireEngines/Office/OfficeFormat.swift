// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation

/// The office formats Quire converts, told apart by content, never by the name a client sent.
///
/// LibreOffice's own type detection leans on the file extension, so the office host names each
/// input after the format found here.
package enum OfficeFormat: String, Sendable, Codable, CaseIterable {
    case docx, xlsx, pptx, odt, ods, odp, odg
    /// OLE2 compound files: Word 97 (.doc), Excel 97 (.xls), PowerPoint 97 (.ppt).
    case doc, xls, ppt
    case rtf, wpd, txt, csv
    /// Flat (single-XML) OpenDocument files.
    case fodt, fods, fodp

    /// The extension LibreOffice should see.
    package var fileExtension: String { rawValue }

    package var isSpreadsheet: Bool { [.xlsx, .ods, .xls, .csv, .fods].contains(self) }

    /// Detects the format of `data` (the whole file, or at least its first 64 KiB plus the
    /// ZIP central directory). `textMeansCSV` reads plain text as CSV (the CSV endpoints).
    /// - Returns: nil when the bytes are no office document Quire knows.
    package static func detect(_ data: Data, textMeansCSV: Bool = false) -> OfficeFormat? {
        let bytes = [UInt8](data.prefix(8))
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return zipFormat(data) }
        if bytes.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) { return oleFormat(data) }
        if bytes.starts(with: [0xFF, 0x57, 0x50, 0x43]) { return .wpd }  // "\xFFWPC"
        if data.prefix(5) == Data("{\\rtf".utf8) { return .rtf }
        if bytes.starts(with: Array("%PDF".utf8)) { return nil }
        guard let text = decodedText(data) else { return nil }
        if let flat = flatOpenDocument(text) { return flat }
        return textMeansCSV ? .csv : .txt
    }

    /// OOXML and OpenDocument are ZIP files: the part names (in local headers and in the central
    /// directory, both uncompressed) say which.
    private static func zipFormat(_ data: Data) -> OfficeFormat? {
        // ODF stores its `mimetype` entry first and uncompressed.
        let head = String(decoding: data.prefix(200), as: UTF8.self)
        if head.contains("mimetypeapplication/vnd.oasis.opendocument.") {
            if head.contains("opendocument.text") { return .odt }
            if head.contains("opendocument.spreadsheet") { return .ods }
            if head.contains("opendocument.presentation") { return .odp }
            if head.contains("opendocument.graphics") { return .odg }
            return nil
        }
        // The main part of each (docx/docm/dotx share theirs).
        if contains(data, "word/document.xml") { return .docx }
        if contains(data, "ppt/presentation.xml") { return .pptx }
        if contains(data, "xl/workbook.xml") { return .xlsx }
        return nil
    }

    /// OLE2 streams are named in UTF-16 directory entries.
    private static func oleFormat(_ data: Data) -> OfficeFormat? {
        func utf16(_ name: String) -> Data { Data(name.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }) }
        if data.range(of: utf16("WordDocument")) != nil { return .doc }
        if data.range(of: utf16("Workbook")) != nil || data.range(of: utf16("Book")) != nil { return .xls }
        if data.range(of: utf16("PowerPoint Document")) != nil { return .ppt }
        // A password-protected OOXML file is an OLE2 container around the encrypted package;
        // which application it belongs to is only known after decryption. LibreOffice's OOXML
        // filters detect the real type once the password opens it.
        if data.range(of: utf16("EncryptedPackage")) != nil { return .docx }
        return nil
    }

    private static func flatOpenDocument(_ text: String) -> OfficeFormat? {
        let head = text.prefix(4096)
        guard head.contains("<office:document") else { return nil }
        if head.contains("application/vnd.oasis.opendocument.text") { return .fodt }
        if head.contains("application/vnd.oasis.opendocument.spreadsheet") { return .fods }
        if head.contains("application/vnd.oasis.opendocument.presentation") { return .fodp }
        return nil
    }

    private static func contains(_ data: Data, _ ascii: String) -> Bool { data.range(of: Data(ascii.utf8)) != nil }

    /// The file as text when it is text: valid UTF-8 (with or without BOM) or UTF-16 with a BOM,
    /// and no control characters other than tab, CR, LF and form feed.
    package static func decodedText(_ data: Data) -> String? {
        let text: String?
        if data.starts(with: [0xFF, 0xFE]) || data.starts(with: [0xFE, 0xFF]) {
            text = String(data: data, encoding: .utf16)
        } else {
            text = String(validating: data.starts(with: [0xEF, 0xBB, 0xBF]) ? data.dropFirst(3) : data, as: UTF8.self)
        }
        guard let text, !text.isEmpty else { return nil }
        let allowed: Set<Unicode.Scalar> = ["\t", "\n", "\r", "\u{0C}"]
        for scalar in text.unicodeScalars.prefix(65536) where scalar.value < 0x20 && !allowed.contains(scalar) { return nil }
        return text
    }
}

// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore
import QuireEngines

/// The `info` object of PDF.co's `/pdf/info` answer, built from `DocumentInfo`: the field
/// names, nesting and date format of developer.pdf.co's example answer (plus `PDFVersion`).
package enum PDFInfoFields {
    package static func make(_ info: DocumentInfo) -> JSONValue {
        let p = info.permissions
        return .object([
            "PageCount": .int(info.pageCount),
            "Title": .string(info.title ?? ""),
            "Author": .string(info.author ?? ""),
            "Subject": .string(info.subject ?? ""),
            "Keywords": .string(info.keywords ?? ""),
            "Creator": .string(info.creator ?? ""),
            "Producer": .string(info.producer ?? ""),
            "CreationDate": .string(pdfDate(info.creationDate)),
            "ModificationDate": .string(pdfDate(info.modificationDate)),
            "Bookmarks": .string(""),
            "PDFVersion": .string(info.pdfVersion ?? ""),
            "Encrypted": .bool(info.isEncrypted),
            "PasswordProtected": .bool(info.isPasswordProtected),
            "EncryptionAlgorithm": .string(info.encryption ?? "None"),
            "PageRectangle": .object([
                "Location": .object(["IsEmpty": .bool(true), "X": .int(0), "Y": .int(0)]),
                "Size": .string("\(number(info.pageWidth)), \(number(info.pageHeight))"),
                "X": .int(0), "Y": .int(0),
                "Width": .double(info.pageWidth), "Height": .double(info.pageHeight),
                "Left": .int(0), "Top": .int(0),
                "Right": .double(info.pageWidth), "Bottom": .double(info.pageHeight),
                "IsEmpty": .bool(false),
            ]),
            "PermissionPrinting": .bool(p.print),
            "PermissionModifyDocument": .bool(p.modify),
            "PermissionContentExtraction": .bool(p.copy),
            "PermissionModifyAnnotations": .bool(p.annotate),
            "PermissionFillForms": .bool(p.fillForms),
            "PermissionAccessibility": .bool(p.accessibility),
            "PermissionAssemble": .bool(p.assemble),
            "PermissionHighQualityPrint": .bool(p.printHighQuality),
        ])
    }

    /// `612.0` → "612", `595.3` → "595.3".
    static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }

    /// A PDF date (`D:20200807111729Z`, `D:20200807111729+01'00'`) in PDF.co's format,
    /// `8/7/2020 11:17:29 AM` (month/day, 12-hour clock, the document's own local time);
    /// anything unreadable is passed through as it is.
    package static func pdfDate(_ text: String?) -> String {
        guard var s = text, !s.isEmpty else { return "" }
        if s.hasPrefix("D:") { s.removeFirst(2) }
        let digits = Array(s.prefix(while: \.isNumber))
        guard digits.count >= 4 else { return text! }
        // Missing parts default to January 1st, midnight (PDF 32000-1, 7.9.4).
        let padded = digits + Array("0101000000".suffix(max(0, 14 - digits.count)))
        func part(_ from: Int, _ to: Int) -> Int { Int(String(padded[from..<to])) ?? 0 }
        let hour = part(8, 10)
        let clock = hour % 12 == 0 ? 12 : hour % 12
        let minute = String(format: "%02d", part(10, 12))
        let second = String(format: "%02d", part(12, 14))
        return "\(part(4, 6))/\(part(6, 8))/\(part(0, 4)) \(clock):\(minute):\(second) \(hour < 12 ? "AM" : "PM")"
    }
}

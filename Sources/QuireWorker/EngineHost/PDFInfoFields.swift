// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore
import QuireEngines

/// The `info` object of PDF.co's `/pdf/info` answer, built from `DocumentInfo`.
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
            "PDFVersion": .string(info.pdfVersion ?? ""),
            "Encrypted": .bool(info.isEncrypted),
            "PasswordProtected": .bool(info.isPasswordProtected),
            "EncryptionAlgorithm": .string(info.encryption ?? "None"),
            "PageRectangle": .object([
                "Location": .object(["IsEmpty": .bool(true), "X": .int(0), "Y": .int(0)]),
                "Size": .object(["IsEmpty": .bool(false), "Width": .double(info.pageWidth), "Height": .double(info.pageHeight)]),
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
            "PermissionContentExtractionForAccessibility": .bool(p.accessibility),
            "PermissionAssembleDocument": .bool(p.assemble),
            "PermissionHighQualityPrint": .bool(p.printHighQuality),
        ])
    }

    /// `D:20240102030405Z` or `D:20240102030405+01'00'` → ISO-8601 (`2024-01-02T03:04:05Z`);
    /// anything unreadable is passed through as it is.
    static func pdfDate(_ text: String?) -> String {
        guard var s = text, !s.isEmpty else { return "" }
        if s.hasPrefix("D:") { s.removeFirst(2) }
        let digits = s.prefix(while: \.isNumber)
        guard digits.count >= 4 else { return text! }
        let padded = Array(digits) + Array("0101000000".suffix(max(0, 14 - digits.count)))
        func part(_ from: Int, _ to: Int) -> String { String(padded[from..<to]) }
        var zone = "Z"
        let rest = s.dropFirst(digits.count)
        if let sign = rest.first, sign == "+" || sign == "-" {
            let numbers = rest.dropFirst().filter(\.isNumber)
            if numbers.count >= 4 {
                zone = "\(sign)\(numbers.prefix(2)):\(numbers.dropFirst(2).prefix(2))"
            }
        }
        return "\(part(0, 4))-\(part(4, 6))-\(part(6, 8))T\(part(8, 10)):\(part(10, 12)):\(part(12, 14))\(zone)"
    }
}

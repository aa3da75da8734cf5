// SPDX-License-Identifier: AGPL-3.0-or-later

/// `/pdf/security/add` settings, in PDF.co's terms. The passwords are erased from the job record
/// when the job ends (`JobSpec.eraseSecrets`).
package struct PDFProtection: ConversionOptions {
    package enum Algorithm: String, Sendable, Codable, CaseIterable {
        case rc4With40Bits = "RC4_40bit", rc4With128Bits = "RC4_128bit", aesWith128Bits = "AES_128bit", aesWith256Bits = "AES_256bit"
    }

    package var userPassword: String = ""
    /// Empty means "none given": a random one is used, so the permissions cannot be lifted.
    package var ownerPassword: String = ""
    package var algorithm: Algorithm = .aesWith256Bits
    package var allowAccessibility = true
    package var allowAssembly = true
    package var allowPrint = true
    /// Printing at low resolution only (PDF.co `printQuality=LowResolution`).
    package var lowResolutionPrintOnly = false
    package var allowFillForms = true
    package var allowModify = true
    package var allowContentExtraction = true
    package var allowModifyAnnotations = true

    package init() {}
}

/// PDF → encrypted PDF with permissions.
package enum ProtectConversion: Conversion {
    package static let operation = JobOperation.pdfProtect
    package static let paths = ["/pdf/security/add"]
    package static let host = HostKind.mupdf
    package static let result = ResultKind.file(extension: "pdf")
    package static let usesPages = false

    package static func legacyOptions(_ map: [String: String]) -> PDFProtection {
        var protection = PDFProtection()
        protection.userPassword = map["userpassword"] ?? ""
        protection.ownerPassword = map["ownerpassword"] ?? ""
        if let name = map["encryptionalgorithm"],
            let algorithm = PDFProtection.Algorithm.allCases.first(where: { $0.rawValue.lowercased() == name.lowercased() })
        {
            protection.algorithm = algorithm
        }
        func allowed(_ key: String) -> Bool { map[key].map { $0 == "true" } ?? true }
        protection.allowAccessibility = allowed("allowaccessibilitysupport")
        protection.allowAssembly = allowed("allowassemblydocument")
        protection.allowPrint = allowed("allowprintdocument")
        protection.allowFillForms = allowed("allowfillforms")
        protection.allowModify = allowed("allowmodifydocument")
        protection.allowContentExtraction = allowed("allowcontentextraction")
        protection.allowModifyAnnotations = allowed("allowmodifyannotations")
        protection.lowResolutionPrintOnly = map["printquality"]?.lowercased() == "lowresolution"
        return protection
    }
}

/// Encrypted PDF → PDF without encryption.
package enum UnprotectConversion: Conversion {
    package typealias Options = NoOptions
    package static let operation = JobOperation.pdfUnprotect
    package static let paths = ["/pdf/security/remove"]
    package static let host = HostKind.mupdf
    package static let result = ResultKind.file(extension: "pdf")
    package static let usesPages = false
}

extension JobOperation {
    package static let pdfProtect = JobOperation("pdf.security-add")
    package static let pdfUnprotect = JobOperation("pdf.security-remove")
}

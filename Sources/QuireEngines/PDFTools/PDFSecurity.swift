// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore

/// Adds or removes PDF encryption with qpdf.
package struct PDFSecurity: Sendable {
    package init() {}

    /// Encrypts `input` (opened with `password` when it is already protected) into `output`.
    package func protect(_ input: URL, password: String?, with protection: PDFProtection, output: URL) throws(EngineError) -> Int {
        let document = try QPDFDocument(contentsOf: input, password: password)
        var job = PDFToolkit.job(input, password: password, output: output)
        job["encrypt"] = .object(Self.encryptOptions(protection))
        // RC4 is weak; PDF.co still offers it, so Quire does too when asked by name.
        if protection.algorithm == .rc4With40Bits || protection.algorithm == .rc4With128Bits {
            job["allowWeakCrypto"] = .string("")
        }
        try QPDFJob.run(job, hasPassword: password != nil)
        return document.pageCount
    }

    /// Writes `input` without encryption. A PDF that is not encrypted is copied as it is.
    package func unprotect(_ input: URL, password: String?, output: URL) throws(EngineError) -> Int {
        let document = try QPDFDocument(contentsOf: input, password: password)
        var job = PDFToolkit.job(input, password: password, output: output)
        job["decrypt"] = .string("")
        try QPDFJob.run(job, hasPassword: password != nil)
        return document.pageCount
    }

    static func encryptOptions(_ p: PDFProtection) -> [String: JSONValue] {
        let owner = p.ownerPassword.isEmpty ? RandomPassword.make() : p.ownerPassword
        func yn(_ allowed: Bool) -> JSONValue { .string(allowed ? "y" : "n") }
        let print: JSONValue = .string(!p.allowPrint ? "none" : p.lowResolutionPrintOnly ? "low" : "full")
        var options: [String: JSONValue] = ["userPassword": .string(p.userPassword), "ownerPassword": .string(owner)]
        switch p.algorithm {
        case .rc4With40Bits:
            options["40bit"] = .object([
                "print": yn(p.allowPrint), "modify": yn(p.allowModify), "extract": yn(p.allowContentExtraction),
                "annotate": yn(p.allowModifyAnnotations),
            ])
        case .rc4With128Bits, .aesWith128Bits, .aesWith256Bits:
            var bits: [String: JSONValue] = [
                "print": print, "accessibility": yn(p.allowAccessibility), "extract": yn(p.allowContentExtraction),
                "assemble": yn(p.allowAssembly), "annotate": yn(p.allowModifyAnnotations), "form": yn(p.allowFillForms),
                "modifyOther": yn(p.allowModify),
            ]
            if p.algorithm == .aesWith256Bits {
                options["256bit"] = .object(bits)
            } else {
                bits["useAes"] = yn(p.algorithm == .aesWith128Bits)
                options["128bit"] = .object(bits)
            }
        }
        return options
    }
}

/// An owner password nobody knows, for protection given without one.
enum RandomPassword {
    static func make() -> String {
        let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<32).map { _ in alphabet[Int(generator.next(upperBound: UInt(alphabet.count)))] })
    }
}

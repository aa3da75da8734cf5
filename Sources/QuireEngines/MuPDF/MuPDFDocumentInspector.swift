// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation

/// Page count, metadata, encryption and first page size of a document, read with MuPDF.
/// Safe to call from several threads: each call works on its own clone of the base context.
package struct MuPDFDocumentInspector: DocumentInspector {
    private let context: MuPDFContext

    /// - Parameter context: the process's base context.
    package init(context: MuPDFContext) {
        self.context = context
    }

    package func inspect(file: URL, password: String?) throws -> DocumentInfo {
        let threadContext = try context.makeClone()
        let document = try MuPDFDocument(contentsOf: file, password: password, context: threadContext)
        // MuPDF names the format "PDF 1.7"; other formats ("XPS", "EPUB") have no PDF version.
        let format = try document.metadata("format")
        let pdfVersion = format.flatMap { $0.hasPrefix("PDF ") ? String($0.dropFirst(4)) : nil }
        // "None" is what MuPDF reports for an unencrypted PDF.
        let encryption = try document.metadata("encryption").flatMap { $0 == "None" ? nil : $0 }
        let size = try document.pageSize(0)
        return DocumentInfo(
            pageCount: document.pageCount,
            title: try document.metadata("info:Title"),
            author: try document.metadata("info:Author"),
            subject: try document.metadata("info:Subject"),
            keywords: try document.metadata("info:Keywords"),
            creator: try document.metadata("info:Creator"),
            producer: try document.metadata("info:Producer"),
            creationDate: try document.metadata("info:CreationDate"),
            modificationDate: try document.metadata("info:ModDate"),
            pdfVersion: pdfVersion,
            isEncrypted: encryption != nil,
            isPasswordProtected: document.neededPassword,
            encryption: encryption,
            pageWidth: size.width,
            pageHeight: size.height,
            permissions: try document.permissions())
    }
}

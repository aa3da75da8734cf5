// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation

/// What `/pdf/info` reports about a document.
package struct DocumentInfo: Sendable, Codable, Equatable {
    package var pageCount: Int
    package var title: String?
    package var author: String?
    package var subject: String?
    package var keywords: String?
    package var creator: String?
    package var producer: String?
    /// As stored in the document (PDF date string, e.g. `D:20240101120000Z`).
    package var creationDate: String?
    package var modificationDate: String?
    /// PDF version, e.g. "1.7".
    package var pdfVersion: String?
    package var isEncrypted: Bool
    /// Whether a user password is needed to open the document.
    package var isPasswordProtected: Bool
    /// Encryption method as the engine names it (e.g. "Standard V5 R6 256-bit AES"), nil when none.
    package var encryption: String?
    /// First page size in points.
    package var pageWidth: Double
    package var pageHeight: Double
    package var permissions: Permissions

    /// Document permissions as the opened document grants them.
    package struct Permissions: Sendable, Codable, Equatable {
        package var print: Bool
        package var modify: Bool
        package var copy: Bool
        package var annotate: Bool
        package var fillForms: Bool
        package var accessibility: Bool
        package var assemble: Bool
        package var printHighQuality: Bool

        package init(
            print: Bool, modify: Bool, copy: Bool, annotate: Bool, fillForms: Bool,
            accessibility: Bool, assemble: Bool, printHighQuality: Bool
        ) {
            self.print = print
            self.modify = modify
            self.copy = copy
            self.annotate = annotate
            self.fillForms = fillForms
            self.accessibility = accessibility
            self.assemble = assemble
            self.printHighQuality = printHighQuality
        }
    }

    package init(
        pageCount: Int, title: String? = nil, author: String? = nil, subject: String? = nil,
        keywords: String? = nil, creator: String? = nil, producer: String? = nil,
        creationDate: String? = nil, modificationDate: String? = nil, pdfVersion: String? = nil,
        isEncrypted: Bool, isPasswordProtected: Bool, encryption: String? = nil,
        pageWidth: Double, pageHeight: Double, permissions: Permissions
    ) {
        self.pageCount = pageCount
        self.title = title
        self.author = author
        self.subject = subject
        self.keywords = keywords
        self.creator = creator
        self.producer = producer
        self.creationDate = creationDate
        self.modificationDate = modificationDate
        self.pdfVersion = pdfVersion
        self.isEncrypted = isEncrypted
        self.isPasswordProtected = isPasswordProtected
        self.encryption = encryption
        self.pageWidth = pageWidth
        self.pageHeight = pageHeight
        self.permissions = permissions
    }
}

/// Reads page count, metadata and encryption of a document.
package protocol DocumentInspector: Sendable {
    /// - Throws: `EngineError`.
    func inspect(file: URL, password: String?) throws -> DocumentInfo
}

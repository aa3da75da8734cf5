// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireEngines
import QuireTestSupport
import Testing

/// `MuPDFDocumentInspector` on PDFs written by `TestPDF` (and encrypted by qpdf).
@Suite struct MuPDFDocumentInspectorTests {
    private let inspector = MuPDFDocumentInspector(context: mupdf)
    private static let allowed = DocumentInfo.Permissions(
        print: true, modify: true, copy: true, annotate: true, fillForms: true, accessibility: true,
        assemble: true, printHighQuality: true)

    @Test func plainDocument() async throws {
        let pdf = TestPDF.make(pages: ["one", "two", "three"], title: "Rapport d’été", author: "Quire")
        let info = try await EngineFixtures.withAsync { fixtures in
            try inspector.inspect(file: try fixtures.file("plain.pdf", pdf), password: nil)
        }
        #expect(
            info
                == DocumentInfo(
                    pageCount: 3, title: "Rapport d’été", author: "Quire", producer: "QuireTestSupport",
                    pdfVersion: "1.4", isEncrypted: false, isPasswordProtected: false, encryption: nil,
                    pageWidth: 612, pageHeight: 792, permissions: Self.allowed))
    }

    @Test(.enabled(if: EngineFixtures.hasQPDF, "needs the qpdf CLI"))
    func encryptedDocumentWithRestrictions() async throws {
        try await EngineFixtures.withAsync { fixtures in
            let plain = try fixtures.file("plain.pdf", TestPDF.make(pages: ["secret"], title: "Locked"))
            let locked = try await fixtures.encrypted(
                plain, user: "user", owner: "owner", restrictions: ["--print=none", "--modify=none"])
            #expect(throws: EngineError.passwordRequired) { try inspector.inspect(file: locked, password: nil) }
            #expect(throws: EngineError.wrongPassword) { try inspector.inspect(file: locked, password: "nope") }

            let info = try inspector.inspect(file: locked, password: "user")
            #expect(info.pageCount == 1)
            #expect(info.title == "Locked")
            #expect(info.isEncrypted)
            #expect(info.isPasswordProtected)
            #expect(info.encryption?.contains("AES") == true)
            #expect(info.pdfVersion != nil)
            #expect(!info.permissions.print && !info.permissions.printHighQuality)
            #expect(!info.permissions.modify)
            #expect(info.permissions.copy && info.permissions.accessibility)
            #expect(info.pageWidth == 612 && info.pageHeight == 792)
        }
    }

    /// An owner password alone encrypts the file but opens without asking, with its restrictions.
    @Test(.enabled(if: EngineFixtures.hasQPDF, "needs the qpdf CLI"))
    func ownerPasswordOnly() async throws {
        try await EngineFixtures.withAsync { fixtures in
            let plain = try fixtures.file("plain.pdf", TestPDF.make(pages: ["open"]))
            let restricted = try await fixtures.encrypted(plain, user: "", owner: "owner", restrictions: ["--extract=n"])
            let info = try inspector.inspect(file: restricted, password: nil)
            #expect(info.isEncrypted)
            #expect(!info.isPasswordProtected)
            #expect(!info.permissions.copy)
            #expect(info.permissions.print)
        }
    }

    @Test func damagedFile() async throws {
        try await EngineFixtures.withAsync { fixtures in
            let url = try fixtures.file("broken.pdf", Data("%PDF-1.4\ngarbage".utf8))
            let error = try #require(throws: EngineError.self) { try inspector.inspect(file: url, password: nil) }
            guard case .damaged = error else {
                Issue.record("expected .damaged, got \(error)")
                return
            }
        }
    }
}

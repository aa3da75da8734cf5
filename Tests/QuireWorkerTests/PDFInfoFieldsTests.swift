// SPDX-License-Identifier: AGPL-3.0-or-later
import QuireCore
import QuireEngines
import QuireWorker
import Testing

/// `/pdf/info` answers in PDF.co's shape and date format.
struct PDFInfoFieldsTests {
    @Test(arguments: [
        ("D:20200807111729Z", "8/7/2020 11:17:29 AM"),
        ("D:20200807231729+02'00'", "8/7/2020 11:17:29 PM"),
        ("D:2020", "1/1/2020 12:00:00 AM"),
        ("20201231000000", "12/31/2020 12:00:00 AM"),
        ("yesterday", "yesterday"),
    ])
    func dates(pdf: String, expected: String) {
        #expect(PDFInfoFields.pdfDate(pdf) == expected)
    }

    @Test func shape() throws {
        let all = DocumentInfo.Permissions(
            print: true, modify: false, copy: true, annotate: true, fillForms: true, accessibility: true, assemble: false,
            printHighQuality: true)
        let info = DocumentInfo(
            pageCount: 3, title: "T", isEncrypted: true, isPasswordProtected: false, encryption: "AES",
            pageWidth: 612, pageHeight: 792, permissions: all)
        guard case .object(let fields) = PDFInfoFields.make(info) else { Issue.record("not an object"); return }
        #expect(fields["PageCount"] == .int(3))
        #expect(fields["PermissionModifyDocument"] == .bool(false))
        #expect(fields["PermissionAssemble"] == .bool(false))
        #expect(fields["EncryptionAlgorithm"] == .string("AES"))
        guard case .object(let rectangle) = fields["PageRectangle"] else { Issue.record("no PageRectangle"); return }
        #expect(rectangle["Size"] == .string("612, 792"))
        #expect(rectangle["Width"] == .double(612))
    }
}

// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireEngines
import QuireTestSupport
import Testing

/// Office formats are found from the bytes, whatever the file is called.
struct OfficeFormatTests {
    static let fixtures = packageRoot.appendingPathComponent("Tests/Fixtures/office")

    @Test(arguments: [
        ("report.docx", OfficeFormat.docx), ("legacy.doc", .doc), ("report.odt", .odt), ("report.rtf", .rtf),
        ("sheet.xlsx", .xlsx), ("sheet.xls", .xls), ("sheet.ods", .ods), ("slides.pptx", .pptx), ("slides.odp", .odp),
        ("plain.txt", .txt), ("encrypted.docx", .docx),
    ])
    func detectsFixture(name: String, expected: OfficeFormat) throws {
        let data = try Data(contentsOf: Self.fixtures.appendingPathComponent(name))
        #expect(OfficeFormat.detect(data) == expected)
    }

    @Test func textIsCSVOnlyWhenAsked() {
        let csv = Data("name,amount\nWidget,3\n".utf8)
        #expect(OfficeFormat.detect(csv) == .txt)
        #expect(OfficeFormat.detect(csv, textMeansCSV: true) == .csv)
    }

    @Test func binaryGarbageAndPDFsAreNotOfficeDocuments() throws {
        #expect(OfficeFormat.detect(try Data(contentsOf: Self.fixtures.appendingPathComponent("garbage.docx"))) == nil)
        #expect(OfficeFormat.detect(Data("%PDF-1.7\n".utf8)) == nil)
        #expect(OfficeFormat.detect(Data([0x50, 0x4B, 0x03, 0x04, 0, 0, 0])) == nil)
        #expect(OfficeFormat.detect(Data([0x00, 0x01, 0x02])) == nil)
    }

    /// What the sniffer does not know goes to LibreOffice unless it is plainly something else.
    @Test(arguments: [
        ("excel4.xls", false), ("biff5-bare.xls", false), ("garbage.docx", false), ("pixel.png", true),
    ])
    func clearlyNotADocument(name: String, expected: Bool) throws {
        let data = try Data(contentsOf: Self.fixtures.appendingPathComponent(name))
        #expect(OfficeFormat.detect(data) == nil)
        #expect(OfficeFormat.isClearlyNotADocument(data) == expected)
    }

    @Test func pdfsExecutablesAndArchivesAreClearlyNotDocuments() throws {
        for signature in [
            Data("%PDF-1.7\n".utf8), try Data(contentsOf: URL(fileURLWithPath: "/bin/true")), Data([0x50, 0x4B, 0x03, 0x04, 0, 0]),
            Data([0x1F, 0x8B, 0x08, 0]), Data("Rar!\u{1A}\u{07}\u{00}".utf8), Data([0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C, 0, 4]),
        ] {
            #expect(OfficeFormat.isClearlyNotADocument(signature), "\(signature.prefix(8).map { $0 })")
        }
    }

    @Test func csvQuotingAndSeparators() {
        let rows = CSVSpreadsheet.parse("a,\"b,c\",\"say \"\"hi\"\"\"\r\n1,2,3\n", separator: ",")
        #expect(rows == [["a", "b,c", "say \"hi\""], ["1", "2", "3"]])
        #expect(CSVSpreadsheet.guessSeparator("a;b;c\n1;2;3") == ";")
        #expect(CSVSpreadsheet.guessSeparator("a\tb\n") == "\t")
        #expect(CSVSpreadsheet.guessSeparator("single") == ",")
        let xml = CSVSpreadsheet.flatODS(fromCSV: "name,amount\n<Widget>,3\n")
        #expect(xml.contains("&lt;Widget&gt;"))
        #expect(xml.contains("office:value=\"3.0\""))
    }
}

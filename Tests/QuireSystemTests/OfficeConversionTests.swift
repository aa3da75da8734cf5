// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireTestSupport
import Testing

/// Office documents → PDF through the real server and a real LibreOffice host.
@Suite(.serialized)
final class OfficeConversionTests {
    let temp = TemporaryDirectory()
    let server: QuireServer

    /// A job timeout long enough for a loaded CI machine (an encrypted .docx once took more than
    /// 8 s there); the hang test starts its own server with a short one.
    init() async throws { server = try await Self.startServer(data: temp.file("data"), jobTimeout: 60) }

    static func startServer(data: URL, jobTimeout: Int) async throws -> QuireServer {
        try await QuireServer(
            data: data,
            arguments: ["--office-workers", "1", "--allow-private-urls", "--enable-test-operations", "--job-timeout", "\(jobTimeout)"])
    }

    deinit { server.kill9() }

    static let fixtures = packageRoot.appendingPathComponent("Tests/Fixtures/office")

    static func fixture(_ name: String) throws -> Data { try Data(contentsOf: fixtures.appendingPathComponent(name)) }

    /// Uploads `data`, converts it at `endpoint` (sync) and returns the answer and the PDF.
    func convert(
        _ data: Data, name: String, endpoint: String = "/pdf/convert/from/doc", extra: [String: Any] = [:],
        on other: QuireServer? = nil
    ) async throws -> (answer: [String: Any], status: Int, pdf: URL?) {
        let server = other ?? server
        let url = try await HTTP.upload(data, name: name, base: server.baseURL)
        let (answer, status) = try await HTTP.postJSON(
            "\(server.baseURL)\(endpoint)", extra.merging(["url": url, "name": "out.pdf"]) { a, _ in a })
        guard status == 200, let resultURL = answer["url"] as? String else { return (answer, status, nil) }
        let (pdf, _) = try await HTTP.get(resultURL)
        let file = temp.file("result-\(UUID().uuidString).pdf")
        try pdf.write(to: file)
        return (answer, status, file)
    }

    func text(of pdf: URL) async throws -> String { try await runCommand("pdftotext", ["-layout", pdf.path, "-"]).output }

    /// Lines of `pdfimages -list` after its two header lines: one per image.
    func imageCount(of pdf: URL) async throws -> Int {
        max(0, try await runCommand("pdfimages", ["-list", pdf.path]).output.split(separator: "\n").count - 2)
    }

    @Test func wordDocumentKeepsTextTablesImagesHeadersAndPageNumbers() async throws {
        let (answer, status, pdf) = try await convert(try Self.fixture("report.docx"), name: "report.docx")
        #expect(status == 200)
        let file = try #require(pdf)
        let pages = try #require(answer["pageCount"] as? Int)
        #expect(pages >= 2)
        let text = try await text(of: file)
        #expect(text.contains("Quarterly"))
        #expect(text.contains("Cell-B2"))
        #expect(text.components(separatedBy: "Quire Header").count - 1 == pages, "a header on every page")
        #expect(try await imageCount(of: file) >= 1)
        #expect(try await runCommand("qpdf", ["--check", file.path]).status == 0)
    }

    /// Every format, detected from the content: the upload names them all `input.bin`. (One test,
    /// not one per format: each test starts its own server and LibreOffice host.)
    @Test func eachFormatConverts() async throws {
        let cases = [
            ("legacy.doc", "/pdf/convert/from/doc", "Quarterly"),
            ("report.odt", "/pdf/convert/from/doc", "Quarterly"),
            ("report.rtf", "/pdf/convert/from/doc", "Quarterly"),
            ("plain.txt", "/pdf/convert/from/doc", "Grüße aus Köln"),
            ("sheet.xlsx", "/xls/convert/to/pdf", "Alpha-Sheet"),
            ("sheet.xls", "/pdf/convert/from/csv", "Alpha-Sheet"),
            ("sheet.ods", "/pdf/convert/from/doc", "Beta-Sheet"),
            ("data.csv", "/pdf/convert/from/csv", "Widget"),
            ("slides.pptx", "/pdf/convert/from/doc", "Slide Two"),
            ("slides.odp", "/pdf/convert/from/doc", "Slide Three"),
        ]
        for (file, endpoint, expected) in cases {
            let (answer, status, pdf) = try await convert(try Self.fixture(file), name: "input.bin", endpoint: endpoint)
            #expect(status == 200, "\(file): \(answer)")
            let text = try await text(of: try #require(pdf))
            #expect(text.contains(expected), "\(file): \(text.prefix(300))")
        }
    }

    /// UTF-8 text with CJK: the Noto CJK font is embedded, so the characters come back out.
    @Test func asianTextIsNotBoxes() async throws {
        let (_, status, pdf) = try await convert(try Self.fixture("plain.txt"), name: "plain.txt")
        #expect(status == 200)
        #expect(try await text(of: try #require(pdf)).contains("日本語のテキスト"))
    }

    @Test func csvBecomesATableAndAutosizeFitsSheetsToOnePage() async throws {
        let (csv, _, csvPDF) = try await convert(try Self.fixture("data.csv"), name: "data.csv", endpoint: "/pdf/convert/from/csv")
        #expect(csv["pageCount"] as? Int == 1)
        // Cells, not a line of text: "Widget" and its amount are separate columns.
        #expect(try await text(of: try #require(csvPDF)).range(of: #"Widget\s{2,}"#, options: .regularExpression) != nil)
        let (sheet, _, sheetPDF) = try await convert(
            try Self.fixture("sheet.xlsx"), name: "sheet.xlsx", endpoint: "/xls/convert/to/pdf", extra: ["autosize": true])
        #expect(sheet["pageCount"] as? Int == 2, "one page per worksheet")
        let info = try await runCommand("pdfinfo", [try #require(sheetPDF).path]).output
        #expect(!info.contains("(A4)") && !info.contains("(letter)"), "pages sized to the sheets: \(info)")
    }

    @Test func encryptedDocumentNeedsItsPassword() async throws {
        let data = try Self.fixture("encrypted.docx")
        let (missing, missingStatus, _) = try await convert(data, name: "secret.docx")
        #expect(missingStatus == 441)
        #expect((missing["message"] as? String)?.contains("password") == true)
        let (_, wrongStatus, _) = try await convert(data, name: "secret.docx", extra: ["password": "nope"])
        #expect(wrongStatus == 441)
        let (right, rightStatus, pdf) = try await convert(data, name: "secret.docx", extra: ["password": "secret"])
        #expect(rightStatus == 200, "\(right)")
        #expect(try await text(of: try #require(pdf)).contains("Quarterly"))
    }

    @Test func garbageAndPDFsAreRejectedWithAClearError() async throws {
        let (garbage, status, _) = try await convert(try Self.fixture("garbage.docx"), name: "garbage.docx")
        #expect(status == 415)
        #expect(garbage["error"] as? Bool == true)
        #expect((garbage["message"] as? String)?.contains("Word") == true)
        let (_, pdfStatus, _) = try await convert(Fixtures.threePages, name: "a.docx")
        #expect(pdfStatus == 415)
        // A truncated DOCX (a ZIP cut in half) is damaged, not a crash.
        let docx = try Self.fixture("report.docx")
        let (cut, cutStatus, _) = try await convert(docx.prefix(docx.count / 2), name: "cut.docx")
        #expect([415, 442].contains(cutStatus), "\(cut)")
        #expect(try await convert(docx, name: "again.docx").status == 200)
    }

    /// Legacy worksheets the sniffer does not know (Excel 4.0, a bare BIFF5 stream; see
    /// make_legacy.py) go to LibreOffice's own type detection, as with `soffice --convert-to`,
    /// also among the inputs of merge2; what is plainly no document is still refused.
    @Test func legacyWorksheetsConvertAndNonDocumentsStayRefused() async throws {
        for (file, endpoint) in [("excel4.xls", "/xls/convert/to/pdf"), ("biff5-bare.xls", "/pdf/convert/from/doc")] {
            let (answer, status, pdf) = try await convert(try Self.fixture(file), name: "input.bin", endpoint: endpoint)
            #expect(status == 200, "\(file): \(answer)")
            let text = try await text(of: try #require(pdf))
            #expect(text.contains("Legacy-Sheet") && text.contains("42"), "\(file): \(text.prefix(300))")
        }
        let legacy = try await HTTP.upload(try Self.fixture("excel4.xls"), name: "old.xls", base: server.baseURL)
        let first = try await HTTP.upload(Fixtures.threePages, name: "three.pdf", base: server.baseURL)
        let (merged, mergedStatus) = try await HTTP.postJSON("\(server.baseURL)/pdf/merge2", ["url": "\(first),\(legacy)"])
        #expect(mergedStatus == 200, "\(merged)")
        #expect(merged["pageCount"] as? Int == 4)

        let elf = try Data(contentsOf: URL(fileURLWithPath: "/bin/true"))
        var zip = Data([0x50, 0x4B, 0x03, 0x04])
        zip.append(Data(repeating: 0x20, count: 200))
        let gzip = Data([0x1F, 0x8B, 0x08, 0x00]) + Data(repeating: 0x41, count: 200)
        for (name, data) in [("elf", elf), ("zip", zip), ("gzip", gzip), ("png", try Self.fixture("pixel.png"))] {
            let (answer, status, _) = try await convert(data, name: "input.bin", endpoint: "/xls/convert/to/pdf")
            #expect(status == 415, "\(name): \(answer)")
        }
    }

    /// A workbook whose OLE2 directory is lost: `soffice` only dumps its raw bytes through the
    /// CSV text import; Quire answers a clear 442 instead of a PDF of the bytes.
    @Test func damagedWorkbookIsAClearError() async throws {
        let (answer, status, _) = try await convert(try Self.fixture("damaged.xls"), name: "damaged.xls", endpoint: "/xls/convert/to/pdf")
        #expect(status == 442, "\(answer)")
        #expect((answer["message"] as? String)?.contains("damaged") == true)
    }

    /// Macros never run: the fixture's on-open macro would create this file.
    @Test func macrosNeverRun() async throws {
        let marker = URL(fileURLWithPath: "/tmp/quire-macro-ran")
        try? FileManager.default.removeItem(at: marker)
        let (_, status, pdf) = try await convert(try Self.fixture("macro.odt"), name: "macro.odt")
        #expect(status == 200)
        #expect(try await text(of: try #require(pdf)).contains("Macro document"))
        try await Task.sleep(for: .milliseconds(500))
        #expect(!FileManager.default.fileExists(atPath: marker.path))
    }

    /// A document linking an image on a loopback URL and one in a local file: LibreOffice reads
    /// neither (no network in the office host, and a file allowlist).
    @Test(arguments: ["linked.docx", "linked.odt"])
    func linkedFilesAndURLsAreNeverRead(name: String) async throws {
        let www = try LoopbackFileServer()
        let png = try Self.fixture("pixel.png")
        try www.put("secret.png", png)
        let local = temp.file("local-secret.png")
        try png.write(to: local)
        let document = temp.file(name)
        let made = try await runCommand(
            "python3", [Self.fixtures.appendingPathComponent("make_linked.py").path, document.path, www.url("secret.png"), local.path])
        #expect(made.status == 0, "\(made.output)")
        let (_, status, pdf) = try await convert(try Data(contentsOf: document), name: name)
        #expect(status == 200)
        let file = try #require(pdf)
        #expect(try await text(of: file).contains("Linked document"))
        #expect(try await imageCount(of: file) == 0, "a linked image was embedded")
        let log = (try? String(contentsOf: www.directory.file("requests.log"), encoding: .utf8)) ?? ""
        #expect(!log.contains("secret.png"), "LibreOffice fetched the linked URL")
    }

    /// An office host that crashes, then one that hangs, in the middle of a job: the job fails
    /// with a message, and the next conversion works on a fresh host.
    @Test func officeHostCrashAndHangFailOnlyTheirJob() async throws {
        let (crash, crashStatus) = try await HTTP.postJSON("\(server.baseURL)/debug/engine-crash", ["host": "office"])
        #expect(crashStatus == 500)
        #expect((crash["message"] as? String)?.contains("crashed") == true)
        #expect(try await convert(try Self.fixture("report.docx"), name: "a.docx").status == 200)
        let short = try await Self.startServer(data: temp.file("short-timeout"), jobTimeout: 12)
        defer { short.stop() }
        let (accepted, _) = try await HTTP.postJSON("\(short.baseURL)/debug/engine-hang", ["host": "office", "async": true])
        let jobID = try #require(accepted["jobId"] as? String)
        let check = try await waitForJob(short.baseURL, jobID, timeout: 60)
        #expect(check["status"] as? String == "failed")
        #expect((check["message"] as? String)?.contains("timeout") == true)
        #expect(try await convert(try Self.fixture("report.docx"), name: "b.docx", on: short).status == 200)
    }
}

// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireTestSupport
import Testing

/// The five flows of the user's reference clients (`../shared/reference-clients`), driven the
/// way those scripts drive them: presigned upload or remote URL, `async=true` as GET query or
/// form POST, `/job/check` polling, then the result URL. A plain clone has no `../shared`, so
/// these tests are what covers the flows there. The upload-based flows run again against a
/// server whose files live in S3 (presigned PUT straight to the bucket, downloads redirected).
@Suite(.serialized)
final class ReferenceFlowsTests {
    let temp = TemporaryDirectory()
    let server: QuireServer
    let www: LoopbackFileServer

    init() async throws {
        server = try await QuireServer(data: temp.file("data"), arguments: ["--office-workers", "1", "--allow-private-urls"])
        www = try LoopbackFileServer()
    }

    deinit {
        server.stop()
        for server in s3Servers { server.stop() }
    }

    static let office = packageRoot.appendingPathComponent("Tests/Fixtures/office")
    static let images = packageRoot.appendingPathComponent("Tests/Fixtures/images")

    /// Where the server under test keeps its files.
    enum Storage: String, CustomTestStringConvertible {
        case localDisk, s3
        var testDescription: String { rawValue }
    }

    /// The suite's server, or for `.s3` one on a new bucket of its own.
    func startServer(_ storage: Storage) async throws -> QuireServer {
        guard storage == .s3 else { return server }
        let bucket = try await S3TestServer.shared().makeNodeBucket()
        let s3Server = try await QuireServer(data: temp.file("data-s3"), arguments: bucket.arguments, environment: bucket.environment)
        s3Servers.append(s3Server)
        return s3Server
    }

    private var s3Servers: [QuireServer] = []

    /// Waits for the job of an async answer and downloads its `url`.
    func finish(_ answer: [String: Any], status: Int, on server: QuireServer? = nil) async throws -> Data {
        let server = server ?? self.server
        #expect(status == 200, "\(answer)")
        #expect(answer["error"] as? Bool == false)
        let jobID = try #require(answer["jobId"] as? String)
        let resultURL = try #require(answer["url"] as? String)
        let check = try await waitForJob(server.baseURL, jobID)
        #expect(check["status"] as? String == "success", "\(check)")
        let (data, getStatus) = try await HTTP.get(resultURL)
        #expect(getStatus == 200)
        return data
    }

    func text(ofPDF data: Data) async throws -> String {
        let file = temp.file("check-\(UUID().uuidString).pdf")
        try data.write(to: file)
        return try await runCommand("pdftotext", [file.path, "-"]).output
    }

    /// ConvertPdfToTextFromUploadedFileAsynchronously: presigned upload, form POST, poll, download.
    @Test(arguments: [Storage.localDisk, .s3]) func pdfToTextFromUploadedFile(storage: Storage) async throws {
        let server = try await startServer(storage)
        let url = try await HTTP.upload(Fixtures.threePages, name: "sample.pdf", base: server.baseURL)
        let (answer, status) = try await HTTP.postForm(
            "\(server.baseURL)/pdf/convert/to/text",
            ["async": "True", "name": "result.txt", "password": "", "pages": "", "url": url])
        let text = String(decoding: try await finish(answer, status: status, on: server), as: UTF8.self)
        #expect(text.contains("Invoice number 4711"))
    }

    /// ConvertPdfToImageFromUploadedFileAsynchronously: GET with the query string, result is a JSON list of PNG URLs.
    @Test(arguments: [Storage.localDisk, .s3]) func pdfToImagesFromUploadedFile(storage: Storage) async throws {
        let server = try await startServer(storage)
        let url = try await HTTP.upload(Fixtures.threePages, name: "sample.pdf", base: server.baseURL)
        let (data, status) = try await HTTP.get("\(server.baseURL)/pdf/convert/to/png?async=True&password=&pages=0-1&url=\(url)")
        let list = try await finish(try HTTP.json(data), status: status, on: server)
        let urls = try #require(try JSONSerialization.jsonObject(with: list) as? [String])
        #expect(urls.count == 2)
        for pageURL in urls {
            let (png, pageStatus) = try await HTTP.get(pageURL)
            #expect(pageStatus == 200)
            #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        }
    }

    /// ConvertDocToPdfFromUrlAsynchronously: a DOCX fetched from a remote URL by LibreOffice.
    @Test func docToPDFFromURL() async throws {
        try www.put("sample.docx", try Data(contentsOf: Self.office.appendingPathComponent("report.docx")))
        let (data, status) = try await HTTP.get(
            "\(server.baseURL)/pdf/convert/from/doc?async=True&name=result.pdf&url=\(www.url("sample.docx"))")
        let pdf = try await finish(try HTTP.json(data), status: status)
        #expect(try await text(ofPDF: pdf).contains("Quarterly"))
    }

    /// ConvertImagesToPdfFromUrlsAsynchronously: two remote images, comma-separated.
    @Test func imagesToPDFFromURLs() async throws {
        try www.put("image1.png", try Data(contentsOf: Self.images.appendingPathComponent("rgb.png")))
        try www.put("image2.jpg", try Data(contentsOf: Self.images.appendingPathComponent("rgb.jpg")))
        let (data, status) = try await HTTP.get(
            "\(server.baseURL)/pdf/convert/from/image?async=True&name=result.pdf&url=\(www.url("image1.png")),\(www.url("image2.jpg"))")
        let pdf = try await finish(try HTTP.json(data), status: status)
        let file = temp.file("images.pdf")
        try pdf.write(to: file)
        let info = try await runCommand("pdfinfo", [file.path]).output
        #expect(info.split(separator: "\n").contains { $0.hasPrefix("Pages:") && $0.hasSuffix(" 2") }, "\(info)")
    }

    /// OptimizePdfFromUrlAsynchronously: a remote PDF, form POST, text survives.
    @Test func optimizeFromURL() async throws {
        try www.put("sample.pdf", Fixtures.threePages)
        let (answer, status) = try await HTTP.postForm(
            "\(server.baseURL)/pdf/optimize", ["async": "True", "name": "result.pdf", "password": "", "url": www.url("sample.pdf")])
        let pdf = try await finish(answer, status: status)
        #expect(try await text(ofPDF: pdf).contains("Invoice number 4711"))
    }
}

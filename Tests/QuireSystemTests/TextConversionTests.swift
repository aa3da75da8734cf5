// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireTestSupport
import Testing

/// `/pdf/convert/to/text` and `/pdf/info` through the real server, with real PDFs.
@Suite(.serialized)
final class TextConversionTests {
    let temp = TemporaryDirectory()
    let server: QuireServer

    init() async throws {
        server = try await QuireServer(data: temp.file("data"), arguments: ["--workers", "2"])
    }

    deinit { server.kill9() }

    /// Upload, sync conversion, download: text of every page in order, form feeds between pages.
    @Test func syncTextFromUpload() async throws {
        let url = try await HTTP.upload(Fixtures.threePages, name: "three.pdf", base: server.baseURL)
        let (answer, status) = try await HTTP.postJSON("\(server.baseURL)/v1/pdf/convert/to/text", ["url": url, "name": "out"])
        #expect(status == 200)
        #expect(answer["error"] as? Bool == false)
        #expect(answer["status"] as? Int == 200)
        #expect(answer["pageCount"] as? Int == 3)
        #expect(answer["name"] as? String == "out")
        let resultURL = try #require(answer["url"] as? String)
        #expect(resultURL.hasSuffix("/out.txt"))
        let (data, getStatus) = try await HTTP.get(resultURL)
        #expect(getStatus == 200)
        let text = String(decoding: data, as: UTF8.self)
        let pages = text.split(separator: "\u{0C}", omittingEmptySubsequences: false)
        #expect(pages.count >= 3)
        #expect(pages[0].contains("Page 1 of 3"))
        #expect(pages[1].contains("Page 2 of 3"))
        #expect(pages[2].contains("Page 3 of 3"))
    }

    /// Form-encoded async request (Python samples), polled with /job/check, result at the promised URL.
    @Test func asyncTextWithPagesAndInline() async throws {
        let url = try await HTTP.upload(Fixtures.threePages, name: "three.pdf", base: server.baseURL)
        let (answer, status) = try await HTTP.postForm(
            "\(server.baseURL)/pdf/convert/to/text", ["url": url, "async": "True", "pages": "!0", "password": ""])
        #expect(status == 200)
        let jobID = try #require(answer["jobId"] as? String)
        let resultURL = try #require(answer["url"] as? String)
        let check = try await waitForJob(server.baseURL, jobID)
        #expect(check["status"] as? String == "success")
        #expect(check["url"] as? String == resultURL)
        #expect(check["pageCount"] as? Int == 1)
        let text = String(decoding: try await HTTP.get(resultURL).0, as: UTF8.self)
        #expect(text.contains("Page 3 of 3"))
        #expect(!text.contains("Page 1 of 3"))

        let (inline, _) = try await HTTP.postJSON(
            "\(server.baseURL)/pdf/convert/to/text-simple", ["url": url, "inline": true, "pages": "1"])
        #expect((inline["body"] as? String)?.contains("Page 2 of 3") == true)
    }

    /// Encrypted input: no password and a wrong one are 441, the right one works.
    @Test func encryptedPDF() async throws {
        let url = try await HTTP.upload(try Fixtures.encrypted(in: temp), name: "locked.pdf", base: server.baseURL)
        let endpoint = "\(server.baseURL)/pdf/convert/to/text"
        let (missing, missingStatus) = try await HTTP.postJSON(endpoint, ["url": url])
        #expect(missingStatus == 441)
        #expect(missing["error"] as? Bool == true)
        #expect((missing["message"] as? String)?.contains("password") == true)
        let (_, wrongStatus) = try await HTTP.postJSON(endpoint, ["url": url, "password": "nope"])
        #expect(wrongStatus == 441)
        let (right, rightStatus) = try await HTTP.postJSON(endpoint, ["url": url, "password": "user"])
        #expect(rightStatus == 200)
        #expect(right["pageCount"] as? Int == 3)
        let (info, _) = try await HTTP.postJSON("\(server.baseURL)/pdf/info", ["url": url, "password": "user"])
        let fields = try #require(info["info"] as? [String: Any])
        #expect(fields["Encrypted"] as? Bool == true)
        #expect(fields["PasswordProtected"] as? Bool == true)
    }

    /// Damaged and empty inputs are 442 with a message; the server keeps working afterwards.
    @Test(arguments: [Data(), Data("this is not a pdf".utf8), Data(Fixtures.threePages.prefix(200))])
    func brokenInputs(data: Data) async throws {
        let url = try await HTTP.upload(data, name: "broken.pdf", base: server.baseURL)
        let (answer, status) = try await HTTP.postJSON("\(server.baseURL)/pdf/convert/to/text", ["url": url])
        #expect(status == 442)
        #expect(answer["error"] as? Bool == true)
        #expect(answer["status"] as? Int == 442)
        let good = try await HTTP.upload(Fixtures.threePages, name: "ok.pdf", base: server.baseURL)
        #expect(try await HTTP.postJSON("\(server.baseURL)/pdf/convert/to/text", ["url": good]).1 == 200)
    }

    /// Bad `pages` syntax is refused before a job exists; a page past the end fails the job with 449.
    @Test func pageRangeErrors() async throws {
        let url = try await HTTP.upload(Fixtures.threePages, name: "three.pdf", base: server.baseURL)
        let (syntax, syntaxStatus) = try await HTTP.postJSON("\(server.baseURL)/pdf/convert/to/text", ["url": url, "pages": "1-x"])
        #expect(syntaxStatus == 400)
        #expect((syntax["message"] as? String)?.contains("pages") == true)
        let (_, rangeStatus) = try await HTTP.postJSON("\(server.baseURL)/pdf/convert/to/text", ["url": url, "pages": "5-"])
        #expect(rangeStatus == 449)
    }

    /// 500 pages, sent as a GET with the URL unencoded in the query (on-prem samples do that).
    @Test func fiveHundredPagesViaGET() async throws {
        let big = TestPDF.make(pages: Fixtures.pages(500))
        let url = try await HTTP.upload(big, name: "big.pdf", base: server.baseURL)
        let (answer, status) = try await HTTP.getJSON("\(server.baseURL)/pdf/convert/to/text?async=False&password=&pages=&url=\(url)")
        #expect(status == 200)
        #expect(answer["pageCount"] as? Int == 500)
        let text = String(decoding: try await HTTP.get(try #require(answer["url"] as? String)).0, as: UTF8.self)
        #expect(text.contains("Page 500 of 500"))
        let (info, _) = try await HTTP.getJSON("\(server.baseURL)/pdf/info?url=\(url)")
        let fields = try #require(info["info"] as? [String: Any])
        #expect(fields["PageCount"] as? Int == 500)
        #expect(fields["Encrypted"] as? Bool == false)
    }

    @Test func pdfInfoMetadata() async throws {
        let url = try await HTTP.upload(Fixtures.threePages, name: "three.pdf", base: server.baseURL)
        let (answer, status) = try await HTTP.postJSON("\(server.baseURL)/pdf/info", ["url": url])
        #expect(status == 200)
        let info = try #require(answer["info"] as? [String: Any])
        #expect(info["PageCount"] as? Int == 3)
        #expect(info["Title"] as? String == "Three pages")
        #expect(info["Author"] as? String == "Quire tests")
        let rectangle = try #require(info["PageRectangle"] as? [String: Any])
        #expect(rectangle["Width"] as? Double == 612)
    }
}

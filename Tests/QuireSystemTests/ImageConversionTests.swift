// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireTestSupport
import Testing

/// `/pdf/convert/to/png` through the real server: one PNG per page, in page order.
@Suite(.serialized)
final class ImageConversionTests {
    let temp = TemporaryDirectory()
    let server: QuireServer

    init() async throws {
        server = try await QuireServer(data: temp.file("data"), arguments: ["--workers", "2"])
    }

    deinit { server.kill9() }

    /// Width and height from a PNG's IHDR chunk.
    func pngSize(_ data: Data) -> (Int, Int)? {
        guard data.count > 24, data.starts(with: [0x89, 0x50, 0x4E, 0x47]) else { return nil }
        func int(_ at: Int) -> Int { data[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
        return (int(16), int(20))
    }

    @Test func syncAnswerListsOnePNGPerPage() async throws {
        let url = try await HTTP.upload(Fixtures.threePages, name: "three.pdf", base: server.baseURL)
        let (answer, status) = try await HTTP.postJSON(
            "\(server.baseURL)/pdf/convert/to/png", ["url": url, "name": "scan.png", "pages": "2,0"])
        #expect(status == 200)
        #expect(answer["pageCount"] as? Int == 2)
        let urls = try #require(answer["urls"] as? [String])
        #expect(urls.count == 2)
        #expect(urls[0].hasSuffix("/scan-3.png"))
        #expect(urls[1].hasSuffix("/scan-1.png"))
        for page in urls {
            let (data, status) = try await HTTP.get(page)
            #expect(status == 200)
            // US Letter at 150 dpi.
            #expect(pngSize(data).map { [$0.0, $0.1] } == [1275, 1650])
        }
    }

    /// `profiles` `RenderingResolution` sets the dpi; beyond 1200 (or not a number) is a 400.
    @Test func renderingResolutionFromProfiles() async throws {
        let url = try await HTTP.upload(Fixtures.threePages, name: "three.pdf", base: server.baseURL)
        let (answer, status) = try await HTTP.postJSON(
            "\(server.baseURL)/pdf/convert/to/png", ["url": url, "pages": "0", "profiles": "{'RenderingResolution': 72}"])
        #expect(status == 200)
        let page = try #require((answer["urls"] as? [String])?.first)
        #expect(pngSize(try await HTTP.get(page).0).map { [$0.0, $0.1] } == [612, 792])
        let (_, badStatus) = try await HTTP.postJSON(
            "\(server.baseURL)/pdf/convert/to/png", ["url": url, "profiles": "{\"RenderingResolution\": 5000}"])
        #expect(badStatus == 400)
    }

    /// 40 pages on a server with two engine hosts: two ranges rendered at once, page files in
    /// the order asked whichever host finishes first.
    @Test func longDocumentSplitAcrossHostsKeepsPageOrder() async throws {
        let url = try await HTTP.upload(TestPDF.make(pages: Fixtures.pages(40)), name: "forty.pdf", base: server.baseURL)
        let (answer, status) = try await HTTP.postJSON(
            "\(server.baseURL)/pdf/convert/to/png",
            ["url": url, "name": "p", "pages": "20-39,0-19", "profiles": "{'RenderingResolution': 30}"])
        #expect(status == 200, "\(answer)")
        #expect(answer["pageCount"] as? Int == 40)
        let names = (answer["urls"] as? [String] ?? []).map { ($0 as NSString).lastPathComponent }
        #expect(names == (Array(21...40) + Array(1...20)).map { "p-\($0).png" })
        let (_, badStatus) = try await HTTP.postJSON("\(server.baseURL)/pdf/convert/to/png", ["url": url, "pages": "0-40"])
        #expect(badStatus == 449)
    }

    /// A page asked for again is rendered again under a name of its own (`scan-1-2.png` for
    /// the second copy of page 1), at the first attempt.
    @Test func repeatedPagesGetNamesOfTheirOwn() async throws {
        let url = try await HTTP.upload(Fixtures.threePages, name: "three.pdf", base: server.baseURL)
        let (answer, status) = try await HTTP.postJSON(
            "\(server.baseURL)/pdf/convert/to/png", ["url": url, "name": "scan.png", "pages": "0,0,1,0"])
        #expect(status == 200, "\(answer)")
        let urls = try #require(answer["urls"] as? [String])
        #expect(urls.map { ($0 as NSString).lastPathComponent } == ["scan-1.png", "scan-1-2.png", "scan-2.png", "scan-1-3.png"])
        let copies = try await [HTTP.get(urls[0]).0, HTTP.get(urls[1]).0, HTTP.get(urls[3]).0]
        #expect(copies[0].starts(with: [0x89, 0x50, 0x4E, 0x47]))
        #expect(copies[0] == copies[1] && copies[1] == copies[2])
        #expect(try await HTTP.get(urls[2]).0 != copies[0])
    }

    /// Repeated pages cut into ranges for two engine hosts: the same page in both ranges still
    /// gives two files, named in output order, and the job succeeds at its first attempt.
    @Test func repeatedPagesAcrossHosts() async throws {
        let url = try await HTTP.upload(TestPDF.make(pages: Fixtures.pages(10)), name: "ten.pdf", base: server.baseURL)
        let (accepted, _) = try await HTTP.postJSON(
            "\(server.baseURL)/pdf/convert/to/png",
            ["url": url, "name": "p", "pages": "0-9,0-9", "async": true, "profiles": "{'RenderingResolution': 30}"])
        let jobID = try #require(accepted["jobId"] as? String)
        let answer = try await waitForJob(server.baseURL, jobID, timeout: 60)
        #expect(answer["status"] as? String == "success", "\(answer)")
        let list = try await HTTP.get(try #require(accepted["url"] as? String)).0
        let urls = try #require(try JSONSerialization.jsonObject(with: list) as? [String])
        #expect(urls.map { ($0 as NSString).lastPathComponent } == (1...10).map { "p-\($0).png" } + (1...10).map { "p-\($0)-2.png" })
        let attempts = try await runCommand(
            "python3",
            [
                "-c",
                "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select attempts from jobs where id=?',(sys.argv[2],)).fetchone()[0])",
                server.data.appendingPathComponent("quire.sqlite").path, jobID,
            ])
        #expect(attempts.output.trimmingCharacters(in: .whitespacesAndNewlines) == "1")
    }

    /// Async: the promised `url` is a JSON array of the page URLs (what PDF.co clients iterate).
    @Test func asyncResultIsAJSONArrayOfPageURLs() async throws {
        let url = try await HTTP.upload(Fixtures.threePages, name: "three.pdf", base: server.baseURL)
        let (answer, _) = try await HTTP.getJSON("\(server.baseURL)/pdf/convert/to/png?async=True&password=&pages=&url=\(url)")
        let jobID = try #require(answer["jobId"] as? String)
        let listURL = try #require(answer["url"] as? String)
        #expect(try await waitForJob(server.baseURL, jobID)["status"] as? String == "success")
        let (list, status) = try await HTTP.get(listURL)
        #expect(status == 200)
        let urls = try #require(try JSONSerialization.jsonObject(with: list) as? [String])
        #expect(urls.count == 3)
        #expect(urls.allSatisfy { $0.hasSuffix(".png") && !$0.contains("\\/") })
        #expect(try await HTTP.get(urls[2]).0.starts(with: [0x89, 0x50, 0x4E, 0x47]))
    }

    /// `/pdf/convert/from/image` with a comma-separated list: one page per image, in the order given.
    @Test func imagesBecomeOnePDFInOrder() async throws {
        let fixtures = packageRoot.appendingPathComponent("Tests/Fixtures/images")
        var urls: [String] = []
        for name in ["rgb.png", "multi.tiff", "rgb.jpg"] {
            urls.append(
                try await HTTP.upload(try Data(contentsOf: fixtures.appendingPathComponent(name)), name: name, base: server.baseURL))
        }
        let (answer, status) = try await HTTP.postJSON(
            "\(server.baseURL)/pdf/convert/from/image", ["url": urls.joined(separator: ","), "name": "album.pdf"])
        #expect(status == 200)
        #expect(answer["pageCount"] as? Int == 5)
        let pdf = try await HTTP.get(try #require(answer["url"] as? String)).0
        // The JPEG is the last page, byte for byte.
        #expect(pdf.range(of: try Data(contentsOf: fixtures.appendingPathComponent("rgb.jpg"))) != nil)
        let (bad, badStatus) = try await HTTP.postJSON(
            "\(server.baseURL)/pdf/convert/from/image",
            ["url": urls[0] + "," + (try await HTTP.upload(Data("not an image".utf8), name: "x.png", base: server.baseURL))])
        #expect(badStatus == 415)
        #expect((bad["message"] as? String)?.contains("Input 2 of 2") == true)
    }

    /// `/pdf/convert/to/jpg` and `/to/webp`: the same page files in other formats; `JPEGQuality` in `profiles`.
    @Test func jpegAndWebPPages() async throws {
        let url = try await HTTP.upload(Fixtures.threePages, name: "three.pdf", base: server.baseURL)
        var sizes: [Int] = []
        for quality in [20, 95] {
            let (answer, status) = try await HTTP.postJSON(
                "\(server.baseURL)/pdf/convert/to/jpg", ["url": url, "pages": "0", "profiles": "{'JPEGQuality': \(quality), }"])
            #expect(status == 200)
            let page = try #require((answer["urls"] as? [String])?.first)
            #expect(page.hasSuffix("-1.jpg"))
            let data = try await HTTP.get(page).0
            #expect(data.starts(with: [0xFF, 0xD8, 0xFF]))
            sizes.append(data.count)
        }
        #expect(sizes[0] < sizes[1], "JPEGQuality 20 is smaller than 95")
        let (webp, _) = try await HTTP.postJSON("\(server.baseURL)/pdf/convert/to/webp", ["url": url])
        let pages = try #require(webp["urls"] as? [String])
        #expect(pages.count == 3)
        let data = try await HTTP.get(pages[2]).0
        #expect(data.prefix(4) == Data("RIFF".utf8) && data.dropFirst(8).prefix(4) == Data("WEBP".utf8))
        let (_, badStatus) = try await HTTP.postJSON("\(server.baseURL)/pdf/convert/to/jpg", ["url": url, "profiles": "{oops"])
        #expect(badStatus == 444)
    }

    /// `/pdf/convert/to/tiff`: one multi-page TIFF in `url`, pages in the order asked.
    @Test func multiPageTIFF() async throws {
        let url = try await HTTP.upload(Fixtures.threePages, name: "three.pdf", base: server.baseURL)
        let (answer, status) = try await HTTP.postJSON(
            "\(server.baseURL)/pdf/convert/to/tiff", ["url": url, "pages": "2,0", "name": "scan"])
        #expect(status == 200)
        #expect(answer["pageCount"] as? Int == 2)
        let tiffURL = try #require(answer["url"] as? String)
        #expect(tiffURL.hasSuffix("/scan.tiff"))
        let tiff = try await HTTP.get(tiffURL).0
        #expect(tiffPageCount(tiff) == 2)
    }

    /// Image directories (pages) in a little-endian TIFF: the chain of IFD offsets.
    func tiffPageCount(_ data: Data) -> Int {
        guard data.starts(with: [0x49, 0x49, 0x2A, 0x00]) else { return 0 }
        func u16(_ at: Int) -> Int { at + 2 <= data.count ? Int(data[at]) | Int(data[at + 1]) << 8 : 0 }
        func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }
        var count = 0
        var ifd = u32(4)
        while ifd > 0 && ifd < data.count && count < 1000 {
            count += 1
            ifd = u32(ifd + 2 + u16(ifd) * 12)
        }
        return count
    }
}

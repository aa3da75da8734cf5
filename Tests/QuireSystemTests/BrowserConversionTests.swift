// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireTestSupport
import Testing

/// Whether the browser tests can run here; CI always says yes, so a missing Chromium fails there.
let chromiumIsInstalled =
    FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium") || ProcessInfo.processInfo.environment["CI"] != nil

/// HTML and web pages through the real server and a real Chromium (`quire browser-host`):
/// the PDF has the page's text at the paper size and margins asked for, headers and footers
/// number the pages, screenshots have the viewport's size, and every request of a page goes
/// through Quire's address checks: a page on a server without `--allow-private-urls` cannot
/// make Chromium reach loopback or the cloud metadata address.
@Suite(.serialized, .enabled(if: chromiumIsInstalled, "Chromium is not installed (scripts/bootstrap.sh installs it)"))
final class BrowserConversionTests {
    let temp = TemporaryDirectory()
    let www: LoopbackFileServer
    /// With `--allow-private-urls`, so pages of the loopback server load.
    let server: QuireServer

    init() async throws {
        www = try LoopbackFileServer()
        server = try await QuireServer(
            // 12 s a page: a page that polls every 20 ms took more than 6 s to print on a loaded CI run.
            data: temp.file("data"), arguments: ["--browser-workers", "1", "--allow-private-urls", "--browser-page-seconds", "12"])
    }

    deinit { server.kill9() }

    func convert(_ path: String, _ parameters: [String: Any], on server: QuireServer? = nil) async throws -> ([String: Any], Int) {
        try await HTTP.postJSON("\((server ?? self.server).baseURL)\(path)", parameters)
    }

    func download(_ answer: [String: Any], as ext: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> URL {
        let file = temp.file(UUID().uuidString + "." + ext)
        try await HTTP.get(try #require(answer["url"] as? String, "\(answer)", sourceLocation: sourceLocation)).0.write(to: file)
        return file
    }

    /// pdfinfo's "Page size: 595.44 x 841.68 pts (A4)" as (width, height).
    func pageSize(_ file: URL) async throws -> (Double, Double) {
        let info = try await runCommand("pdfinfo", [file.path]).output
        let line = try #require(info.split(separator: "\n").first { $0.hasPrefix("Page size:") })
        let numbers = line.split(separator: " ").compactMap { Double($0) }
        return (numbers[0], numbers[1])
    }

    @Test func htmlBecomesAPDFWithItsTextAtThePaperSizeAskedFor() async throws {
        let html = "<html><head><title>Invoice</title></head><body><h1>Invoice 4711</h1><p>Total due: 1,250.00 EUR</p></body></html>"
        let (answer, status) = try await convert("/pdf/convert/from/html", ["html": html, "name": "invoice.pdf"])
        try #require(status == 200, "\(answer)")
        #expect(answer["pageCount"] as? Int == 1)
        #expect(answer["name"] as? String == "invoice.pdf")
        let file = try await download(answer, as: "pdf")
        let text = try await runCommand("pdftotext", [file.path, "-"]).output
        #expect(text.contains("Invoice 4711") && text.contains("Total due: 1,250.00 EUR"), "\(text)")
        let (width, height) = try await pageSize(file)
        #expect(abs(width - 595) < 2 && abs(height - 842) < 2, "A4 by default, not \(width) × \(height)")

        let (letter, _) = try await convert(
            "/pdf/convert/from/html", ["html": html, "paperSize": "Letter", "orientation": "Landscape", "margins": "10mm"])
        let landscape = try await pageSize(try await download(letter, as: "pdf"))
        #expect(abs(landscape.0 - 792) < 2 && abs(landscape.1 - 612) < 2, "Letter landscape, not \(landscape)")
    }

    /// The footer numbers every page: "Page 2 of 3" on the second of three.
    @Test func footerNumbersThePages() async throws {
        let pages = (1...3).map { "<div style='page-break-after: always'>Section \($0)</div>" }.joined()
        let (answer, status) = try await convert(
            "/pdf/convert/from/html",
            [
                "html": "<html><body>\(pages)</body></html>", "margins": "40px 20px 40px 20px",
                "footer": "<div style='font-size:10px'>Page <span class='pageNumber'></span> of <span class='totalPages'></span></div>",
            ])
        try #require(status == 200, "\(answer)")
        #expect(answer["pageCount"] as? Int == 3)
        let file = try await download(answer, as: "pdf")
        for page in 1...3 {
            let text = try await runCommand("pdftotext", ["-f", "\(page)", "-l", "\(page)", file.path, "-"]).output
            #expect(text.contains("Section \(page)") && text.contains("Page \(page) of 3"), "page \(page): \(text)")
        }
    }

    @Test func webPageBecomesAPDFAndAScreenshotOfTheViewport() async throws {
        try www.put("page.html", Data("<html><body><p>Served from the test web server</p><img src='dot.svg'></body></html>".utf8))
        try www.put(
            "dot.svg", Data("<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'><rect width='10' height='10'/></svg>".utf8))
        let (pdf, status) = try await convert("/pdf/convert/from/url", ["url": www.url("page.html")])
        try #require(status == 200, "\(pdf)")
        let text = try await runCommand("pdftotext", [try await download(pdf, as: "pdf").path, "-"]).output
        #expect(text.contains("Served from the test web server"), "\(text)")
        #expect(www.authorizations().contains { $0.path == "/dot.svg" }, "the page's image was fetched for it")

        let (png, pngStatus) = try await convert("/url/convert/to/png", ["url": www.url("page.html"), "width": 640, "height": 480])
        try #require(pngStatus == 200, "\(png)")
        #expect(png["name"] as? String == "127-0-0-1.png")
        let file = try await download(png, as: "png")
        let header = try Data(contentsOf: file).prefix(24)
        #expect(header.prefix(4) == Data([0x89, 0x50, 0x4E, 0x47]))
        let width = header[16..<20].reduce(0) { $0 << 8 | Int($1) }
        let height = header[20..<24].reduce(0) { $0 << 8 | Int($1) }
        #expect(width == 640 && height == 480, "\(width) × \(height)")

        let (jpg, jpgStatus) = try await convert("/url/convert/to/jpg", ["url": www.url("page.html")])
        try #require(jpgStatus == 200, "\(jpg)")
        #expect(try Data(contentsOf: try await download(jpg, as: "jpg")).prefix(2) == Data([0xFF, 0xD8]))
    }

    /// On a server without `--allow-private-urls`, a page's image on loopback and on the metadata
    /// address is never requested (the loopback server logs nothing), the PDF is still made, and a
    /// page URL on loopback is refused with 448.
    @Test func pagesCannotReachPrivateAddresses() async throws {
        let guarded = try await QuireServer(data: temp.file("guarded"), arguments: ["--browser-workers", "1"])
        defer { guarded.stop() }
        let html = """
            <html><body><p>Outside</p>
            <img src="\(www.url("secret.png"))"><img src="http://169.254.169.254/latest/meta-data/">
            <iframe src="\(www.url("frame.html"))"></iframe>
            <script>fetch("\(www.url("xhr"))").catch(() => {})</script></body></html>
            """
        let (answer, status) = try await convert("/pdf/convert/from/html", ["html": html], on: guarded)
        try #require(status == 200, "\(answer)")
        #expect(try await runCommand("pdftotext", [try await download(answer, as: "pdf").path, "-"]).output.contains("Outside"))
        #expect(www.authorizations().isEmpty, "the loopback server was asked for \(www.authorizations())")

        let (refused, refusedStatus) = try await convert("/pdf/convert/from/url", ["url": www.url("page.html")], on: guarded)
        #expect(refusedStatus == 448, "\(refused)")
        #expect((refused["message"] as? String ?? "").contains("private"), "\(refused)")
        #expect(www.authorizations().isEmpty)
    }

    /// Chromium runs in a network namespace of its own (no interface up): even what escapes
    /// request interception has nowhere to go.
    @Test func chromiumRunsInANetworkNamespaceOfItsOwn() async throws {
        let (answer, status) = try await convert("/pdf/convert/from/html", ["html": "<p>Warm</p>"])
        try #require(status == 200, "\(answer)")
        let data = temp.file("data").path
        let browsers = try FileManager.default.contentsOfDirectory(atPath: "/proc").compactMap(Int32.init).filter { pid in
            let commandLine = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline"))) ?? Data()
            let text = String(decoding: commandLine.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
            return text.contains("--remote-debugging-pipe") && text.contains(data)
        }
        try #require(!browsers.isEmpty, "no Chromium of this server found")
        let ours = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/ns/net")
        for pid in browsers {
            #expect(
                try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/ns/net") != ours,
                "Chromium \(pid) shares our network")
        }
    }

    /// A page whose image never finishes loading fails with 445 naming it; the host stays
    /// healthy for the next job.
    @Test func pageThatNeverFinishesLoadingTimesOut() async throws {
        let slow = www.drip(bytes: 100_000, interval: 1)
        let (answer, status) = try await convert("/pdf/convert/from/html", ["html": "<html><body>Slow<img src='\(slow)'></body></html>"])
        #expect(status == 445, "\(answer)")
        #expect((answer["message"] as? String ?? "").contains("/drip"), "\(answer)")
        let (next, nextStatus) = try await convert("/pdf/convert/from/html", ["html": "<p>Next</p>"])
        #expect(nextStatus == 200, "\(next)")
        // A page that polls (a request every 20 ms, each answered at once) never goes quiet: it
        // is printed after its settling second, not held to the deadline.
        try www.put("tick", Data("ok".utf8))
        let polling = "<html><body>Polling<script>setInterval(() => fetch('\(www.url("tick"))'), 20)</script></body></html>"
        let (polled, polledStatus) = try await convert("/pdf/convert/from/html", ["html": polling])
        #expect(polledStatus == 200, "\(polled)")
        // DoNotWaitFullLoad: the DOM is enough, the slow image is not waited for.
        let (quick, quickStatus) = try await convert(
            "/pdf/convert/from/html", ["html": "<html><body>Quick<img src='\(slow)'></body></html>", "DoNotWaitFullLoad": true])
        #expect(quickStatus == 200, "\(quick)")
    }

    /// A script that allocates without end crashes its tab, not the host: the job fails and
    /// the next one is fine.
    @Test func pageThatAllocatesWithoutEndFailsAlone() async throws {
        let bomb = "<script>let a = []; while (true) { a.push(new Array(1e6).fill(Math.random())); }</script>"
        let (answer, status) = try await convert("/pdf/convert/from/html", ["html": bomb])
        #expect(status != 200, "\(answer)")
        let (next, nextStatus) = try await convert("/pdf/convert/from/html", ["html": "<p>After the bomb</p>"])
        #expect(nextStatus == 200, "\(next)")
    }

    /// `templateData` merged into `html` as PDF.co's templates are: Mustache values, `#each`,
    /// `#if`, and a helper the template registers in a script of its own.
    @Test func templateDataIsMergedIntoTheHTML() async throws {
        let template = """
            <html><head><script>Handlebars.registerHelper('money', function (v) { return Number(v).toFixed(2) + ' EUR'; });</script></head>
            <body><h1>Invoice {{invoice_id}}</h1><p>Bill to {{client.name}} &amp; co</p>
            <table>{{#each items}}<tr><td>{{name}}</td><td>{{money price}}</td></tr>{{/each}}</table>
            {{#if paid}}<p>PAID</p>{{else}}<p>DUE</p>{{/if}}</body></html>
            """
        let data =
            #"{"invoice_id": "INV-77", "client": {"name": "Müller </script>"}, "paid": false, "items": [{"name": "Apples", "price": 3}, {"name": "Pears", "price": 4.5}]}"#
        let (answer, status) = try await convert("/pdf/convert/from/html", ["html": template, "templateData": data])
        try #require(status == 200, "\(answer)")
        let text = try await runCommand("pdftotext", [try await download(answer, as: "pdf").path, "-"]).output
        for expected in ["Invoice INV-77", "Bill to Müller </script> & co", "Apples", "3.00 EUR", "Pears", "4.50 EUR", "DUE"] {
            #expect(text.contains(expected), "\(expected) in \(text)")
        }
        #expect(!text.contains("PAID") && !text.contains("{{"), "\(text)")

        let (broken, brokenStatus) = try await convert("/pdf/convert/from/html", ["html": "{{#each items}}open", "templateData": "{}"])
        #expect(brokenStatus == 447, "\(broken)")
        let (notJSON, notJSONStatus) = try await convert("/pdf/convert/from/html", ["html": "{{a}}", "templateData": "a,b\n1,2"])
        #expect(notJSONStatus == 400, "\(notJSON)")
    }

    /// `waitForExpression` and `waitDelay` hold the print until a script's late content is there;
    /// an expression that never comes true is a 445, one that throws a 400.
    @Test func waitsForAnExpressionAndADelay() async throws {
        let late = """
            <html><body><p id="p">Early</p><script>
            setTimeout(() => { document.getElementById("p").textContent = "Late content"; window.chartReady = true; }, 400);
            </script></body></html>
            """
        for wait in [["waitForExpression": "window.chartReady === true"], ["waitDelay": "900"]] {
            let (answer, status) = try await convert("/pdf/convert/from/html", ["html": late].merging(wait) { $1 })
            try #require(status == 200, "\(wait): \(answer)")
            let text = try await runCommand("pdftotext", [try await download(answer, as: "pdf").path, "-"]).output
            #expect(text.contains("Late content"), "\(wait): \(text)")
        }
        let (never, neverStatus) = try await convert("/pdf/convert/from/html", ["html": late, "waitForExpression": "window.never"])
        #expect(neverStatus == 445, "\(never)")
        let (broken, brokenStatus) = try await convert("/pdf/convert/from/html", ["html": late, "waitForExpression": "nope("])
        #expect(brokenStatus == 400, "\(broken)")
        let (tooLong, tooLongStatus) = try await convert("/pdf/convert/from/html", ["html": late, "waitDelay": "999999"])
        #expect(tooLongStatus == 400, "\(tooLong)")
    }

    @Test func badParametersAreRefused() async throws {
        for (parameters, expected) in [
            ([String: Any](), 400), (["html": "<p>x</p>", "paperSize": "B17"], 400), (["html": "<p>x</p>", "margins": "-5mm"], 400),
            (["html": "<p>x</p>", "orientation": "diagonal"], 400), (["html": "<p>x</p>", "mediaType": "tv"], 400),
            (["html": "<p>x</p>", "margins": "600mm"], 400), (["html": "<p>x</p>", "margins": "150mm 10mm"], 400),
            (["templateId": "1"], 447),
        ] {
            let (answer, status) = try await convert("/pdf/convert/from/html", parameters)
            #expect(status == expected, "\(parameters): \(answer)")
        }
        let (answer, status) = try await convert("/pdf/convert/from/url", ["url": "file:///etc/passwd"])
        #expect(status == 448, "\(answer)")
        let (png, pngStatus) = try await convert("/url/convert/to/png", ["url": www.url("page.html"), "width": 100_000])
        #expect(pngStatus == 400, "\(png)")
    }
}

// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireTestSupport
import Testing

/// OCR through the real server and real Tesseract on a generated scan (Tests/Fixtures/ocr: a
/// LibreOffice page rendered at 300 dpi): `/pdf/makesearchable`'s text layer reads back with
/// pdftotext at the words' places, the page image keeps its bytes, the file stays small;
/// `/pdf/convert/to/text` reads scanned pages.
@Suite(.serialized)
final class OCRTests {
    let temp = TemporaryDirectory()
    let server: QuireServer
    let fixtures = packageRoot.appendingPathComponent("Tests/Fixtures/ocr")

    init() async throws {
        server = try await QuireServer(data: temp.file("data"), arguments: ["--ocr-workers", "2"])
    }

    deinit { server.kill9() }

    func upload(_ file: URL) async throws -> String {
        try await HTTP.upload(try Data(contentsOf: file), name: file.lastPathComponent, base: server.baseURL)
    }

    func searchable(_ parameters: [String: Any], sourceLocation: SourceLocation = #_sourceLocation) async throws -> URL {
        let (answer, status) = try await HTTP.postJSON("\(server.baseURL)/pdf/makesearchable", parameters)
        try #require(status == 200, "\(answer)", sourceLocation: sourceLocation)
        let file = temp.file(UUID().uuidString + ".pdf")
        try await HTTP.get(try #require(answer["url"] as? String)).0.write(to: file)
        #expect(try await runCommand("qpdf", ["--check", file.path]).status == 0, "qpdf --check", sourceLocation: sourceLocation)
        return file
    }

    /// pdftotext's words with their boxes (xMin, yMin), in reading order.
    func words(_ file: URL) async throws -> [(text: String, x: Double, y: Double)] {
        let html = try await runCommand("pdftotext", ["-bbox", file.path, "-"]).output
        let pattern = try NSRegularExpression(pattern: #"<word xMin="([0-9.]+)" yMin="([0-9.]+)"[^>]*>([^<]*)</word>"#)
        return pattern.matches(in: html, range: NSRange(html.startIndex..., in: html)).map { match in
            func group(_ index: Int) -> String { String(html[Range(match.range(at: index), in: html)!]) }
            return (group(3), Double(group(1)) ?? -1, Double(group(2)) ?? -1)
        }
    }

    /// Every word of the original is found, within 2 pt of where LibreOffice set it, and the
    /// character error rate of the whole text is under 2%.
    @Test func textLayerMatchesTheOriginal() async throws {
        let scan = fixtures.appendingPathComponent("scan.pdf")
        #expect(try await words(scan).isEmpty, "the fixture is an image only")
        let file = try await searchable(["url": try await upload(scan)])
        let found = try await words(file)
        let original = try await words(fixtures.appendingPathComponent("text.pdf"))
        try #require(!original.isEmpty)
        for word in original {
            let match = found.first { $0.text == word.text && abs($0.x - word.x) <= 2 && abs($0.y - word.y) <= 2 }
            #expect(match != nil, "\(word) not found near its place in \(found.prefix(12))")
        }
        let expected = try String(contentsOf: fixtures.appendingPathComponent("text.txt"), encoding: .utf8)
        let text = try await runCommand("pdftotext", [file.path, "-"]).output
        let rate = characterErrorRate(text, expected)
        #expect(rate < 0.02, "CER \(rate): \(text)")
    }

    /// The page image's stream is byte for byte the scan's, and the file grows by little: about
    /// 1.2 KB once (the glyphless font) and the page's words (under 1 KB here; the fixture's
    /// clean 42 KB page is far smaller than a real scan, which bench/ocr.py measures).
    @Test func pageImagesAreUntouched() async throws {
        let scan = fixtures.appendingPathComponent("scan.pdf")
        let file = try await searchable(["url": try await upload(scan)])
        /// The SHA-256 and size of the page image's stream as stored (pdfimages names its object).
        func imageStream(_ pdf: URL) async throws -> String {
            let list = try await runCommand("pdfimages", ["-list", pdf.path]).output.split(separator: "\n")
            let columns = try #require(list.dropFirst(2).first).split(separator: " ")
            let object = String(columns[10])
            let script =
                "qpdf --show-object=$1 --raw-stream-data \"$0\" | tee /dev/null | wc -c; qpdf --show-object=$1 --raw-stream-data \"$0\" | sha256sum"
            return try await runCommand("sh", ["-c", script, pdf.path, object]).output
        }
        let before = try await imageStream(scan)
        #expect((Int(before.split(separator: "\n").first ?? "") ?? 0) > 10_000, "\(before)")
        #expect(try await imageStream(file) == before)
        let sizes = try [scan, file].map { try #require(FileManager.default.attributesOfItem(atPath: $0.path)[.size] as? Int) }
        #expect(sizes[1] - sizes[0] < 3000, "\(sizes)")
    }

    /// A page that has text already is left as it was: its words are not doubled.
    @Test func pagesWithTextAreLeftAlone() async throws {
        let file = try await searchable(["url": try await upload(fixtures.appendingPathComponent("text.pdf"))])
        #expect(try await words(file).filter { $0.text == "Quarterly" }.count == 1)
    }

    /// A language that is not installed is a 400 naming the installed ones; a malformed one too.
    @Test func unknownLanguagesAreRefused() async throws {
        let url = try await upload(fixtures.appendingPathComponent("scan.pdf"))
        for lang in ["xyz", "eng+klingon", "../../etc/passwd", String(repeating: "a", count: 1 << 20)] {
            let (answer, status) = try await HTTP.postJSON("\(server.baseURL)/pdf/makesearchable", ["url": url, "lang": lang])
            #expect(status == 400, "\(lang.prefix(30)): \(answer)")
            let message = answer["message"] as? String ?? ""
            #expect(message.contains("lang"), "\(message)")
        }
        let (answer, _) = try await HTTP.postJSON("\(server.baseURL)/pdf/makesearchable", ["url": url, "lang": "xyz"])
        #expect((answer["message"] as? String ?? "").contains("eng"))
    }
}

extension OCRTests {
    func text(_ path: String, _ parameters: [String: Any], server: QuireServer? = nil) async throws -> String {
        let base = (server ?? self.server).baseURL
        let (answer, status) = try await HTTP.postJSON("\(base)\(path)", parameters.merging(["inline": true]) { $1 })
        try #require(status == 200, "\(answer)")
        return try #require(answer["body"] as? String)
    }

    /// `to/text` reads a scanned page by OCR, and in a PDF of a born-digital page and a scan
    /// both; `text-simple` (PDF.co's "no OCR") does not.
    @Test func textOfScannedPages() async throws {
        let scan = try await upload(fixtures.appendingPathComponent("scan.pdf"))
        let expected = try String(contentsOf: fixtures.appendingPathComponent("text.txt"), encoding: .utf8)
        let text = try await self.text("/pdf/convert/to/text", ["url": scan])
        #expect(characterErrorRate(text, expected) < 0.02, "\(text)")
        let born = try await upload(fixtures.appendingPathComponent("text.pdf"))
        let (merged, status) = try await HTTP.postJSON("\(server.baseURL)/pdf/merge", ["url": "\(born),\(scan)"])
        try #require(status == 200, "\(merged)")
        let both = try await self.text("/pdf/convert/to/text", ["url": try #require(merged["url"] as? String)])
        let pages = both.split(separator: "\u{0C}", omittingEmptySubsequences: false)
        try #require(pages.count >= 2, "\(both)")
        for page in pages.prefix(2) { #expect(page.contains("Quarterly Report") && page.contains("48213"), "\(page)") }
        let simple = try await self.text("/pdf/convert/to/text-simple", ["url": scan])
        #expect(simple.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(simple)")
    }

    /// With OCR turned off (`--ocr-workers 0`), `to/text` gives a scan's (empty) text as before
    /// and `/pdf/makesearchable` is a 503 that says why.
    @Test func withoutOCRHosts() async throws {
        let plain = try await QuireServer(data: temp.file("data-no-ocr"))
        defer { plain.stop() }
        let url = try await HTTP.upload(
            try Data(contentsOf: fixtures.appendingPathComponent("scan.pdf")), name: "scan.pdf", base: plain.baseURL)
        let text = try await self.text("/pdf/convert/to/text", ["url": url], server: plain)
        #expect(text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
        let (answer, status) = try await HTTP.postJSON("\(plain.baseURL)/pdf/makesearchable", ["url": url])
        #expect(status == 503, "\(answer)")
        #expect((answer["message"] as? String ?? "").contains("OCR"))
    }
}

extension OCRTests {
    /// `/pdf/edit/rotate/auto` turns pages shown at 90, 180 and 270 degrees back upright
    /// (/Rotate only) and leaves upright ones alone.
    @Test func rotateAutoTurnsPagesUpright() async throws {
        let scan = fixtures.appendingPathComponent("scan.pdf")
        var parts: [String] = []
        for angle in [90, 180, 270] {
            let turned = temp.file("turned-\(angle).pdf")
            try #require(try await runCommand("qpdf", [scan.path, "--rotate=+\(angle):1", turned.path]).status == 0)
            parts.append(turned.path)
        }
        let mixed = temp.file("mixed.pdf")
        let qpdf = try await runCommand(
            "qpdf", ["--empty", "--pages"] + parts + [scan.path, fixtures.appendingPathComponent("text.pdf").path, "--", mixed.path])
        try #require(qpdf.status == 0, "\(qpdf.output)")
        let (answer, status) = try await HTTP.postJSON("\(server.baseURL)/pdf/edit/rotate/auto", ["url": try await upload(mixed)])
        try #require(status == 200, "\(answer)")
        let file = temp.file("upright.pdf")
        try await HTTP.get(try #require(answer["url"] as? String)).0.write(to: file)
        let pages = try await runCommand("mutool", ["pages", file.path]).output
        let rotations = try NSRegularExpression(pattern: #"<Rotate v="([0-9]+)""#).matches(
            in: pages, range: NSRange(pages.startIndex..., in: pages)
        )
        .map { String(pages[Range($0.range(at: 1), in: pages)!]) }
        #expect(rotations.allSatisfy { $0 == "0" }, "\(pages)")
        let text = try await runCommand("pdftotext", ["-layout", file.path, "-"]).output
        #expect(text.components(separatedBy: "Quarterly Report").count - 1 == 1, "only the born-digital page has a text layer")
        #expect(answer["pageCount"] as? Int == 5)
    }

    /// A black page and a page 20 000 points square (rendered at a resolution that keeps it under
    /// 40 million pixels) are read without error: no words, and the host lives on.
    @Test func blackAndHugePages() async throws {
        for (name, size) in [("black", 612), ("huge", 20_000)] {
            let pdf = temp.file("\(name).pdf")
            try Self.filledPage(size: size).write(to: pdf)
            let url = try await upload(pdf)
            let text = try await self.text("/pdf/convert/to/text", ["url": url])
            #expect(text.trimmingCharacters(in: .whitespacesAndNewlines).count < 40, "\(name): \(text.prefix(200))")
            let (answer, status) = try await HTTP.postJSON("\(server.baseURL)/pdf/makesearchable", ["url": url])
            #expect(status == 200, "\(name): \(answer)")
        }
        #expect(try await HTTP.get("\(server.baseURL)/healthz").1 == 200)
    }

    /// A one-page PDF `size` points square, painted black.
    static func filledPage(size: Int) -> Data {
        let content = "0 g 0 0 \(size) \(size) re f"
        var pdf = "%PDF-1.4\n"
        var offsets: [Int] = []
        let objects = [
            "<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 \(size) \(size)] /Contents 4 0 R >>",
            "<< /Length \(content.utf8.count) >>\nstream\n\(content)\nendstream",
        ]
        for (index, object) in objects.enumerated() {
            offsets.append(pdf.utf8.count)
            pdf += "\(index + 1) 0 obj\n\(object)\nendobj\n"
        }
        let xref = pdf.utf8.count
        pdf += "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for offset in offsets { pdf += String(format: "%010d 00000 n \n", offset) }
        pdf += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        return Data(pdf.utf8)
    }
}

extension OCRTests {
    /// A scan sent as an image (PNG here) is read like a one-page scanned PDF.
    @Test func imageInputs() async throws {
        let png = temp.file("scan.png")
        let draw = try await runCommand(
            "mutool", ["draw", "-q", "-r", "300", "-c", "gray", "-o", png.path, fixtures.appendingPathComponent("text.pdf").path, "1"])
        try #require(draw.status == 0, "\(draw.output)")
        let url = try await upload(png)
        let text = try await self.text("/pdf/convert/to/text", ["url": url])
        #expect(text.contains("Quarterly Report") && text.contains("48213"), "\(text)")
        let file = try await searchable(["url": url])
        #expect(try await words(file).contains { $0.text == "Invoice" })
    }
}

extension OCRTests {
    /// The data endpoints read scanned pages by OCR too: `/pdf/find` finds a word of the scan
    /// within 2 points of where it is on the born-digital original, `to/csv` has its text.
    @Test func dataEndpointsReadScans() async throws {
        func find(_ file: URL) async throws -> [String: Any] {
            let url = try await upload(file)
            let (answer, status) = try await HTTP.postJSON("\(server.baseURL)/pdf/find", ["url": url, "searchString": "48213"])
            try #require(status == 200, "\(answer)")
            let matches = try #require(answer["body"] as? [[String: Any]], "\(answer)")
            try #require(matches.count == 1, "\(matches)")
            return matches[0]
        }
        let original = try await find(fixtures.appendingPathComponent("text.pdf"))
        let scanned = try await find(fixtures.appendingPathComponent("scan.pdf"))
        for key in ["left", "top"] {
            let (a, b) = ((original[key] as? NSNumber)?.doubleValue ?? -100, (scanned[key] as? NSNumber)?.doubleValue ?? 100)
            #expect(abs(a - b) <= 2, "\(key): \(original) vs \(scanned)")
        }
        let scan = try await upload(fixtures.appendingPathComponent("scan.pdf"))
        let csv = try await text("/pdf/convert/to/csv", ["url": scan])
        #expect(csv.contains("Quarterly") && csv.contains("balance"), "\(csv)")
        // PDF.co's JSON says which pages were read by OCR.
        for (file, expected) in [(scan, "True"), (try await upload(fixtures.appendingPathComponent("text.pdf")), "False")] {
            let (answer, status) = try await HTTP.postJSON("\(server.baseURL)/pdf/convert/to/json2", ["url": file, "inline": true])
            try #require(status == 200, "\(answer)")
            let page = ((answer["body"] as? [String: Any])?["document"] as? [String: Any])?["page"] as? [String: Any]
            #expect(page?["OCRWasPerformed"] as? String == expected, "\(String(describing: page?.keys))")
        }
    }
}

extension OCRTests {
    /// A page Tesseract does not finish within `QUIRE_OCR_PAGE_SECONDS` fails its job with a 413
    /// that says so, and the next job runs.
    @Test func pageDeadline() async throws {
        let strict = try await QuireServer(
            data: temp.file("data-deadline"), arguments: ["--ocr-workers", "1"], environment: ["QUIRE_OCR_PAGE_SECONDS": "0"])
        defer { strict.stop() }
        let url = try await HTTP.upload(
            try Data(contentsOf: fixtures.appendingPathComponent("scan.pdf")), name: "scan.pdf", base: strict.baseURL)
        for _ in 0..<2 {
            let (answer, status) = try await HTTP.postJSON("\(strict.baseURL)/pdf/makesearchable", ["url": url])
            #expect(status == 413, "\(answer)")
            #expect((answer["message"] as? String ?? "").contains("longer than"), "\(answer)")
        }
        #expect(try await HTTP.get("\(strict.baseURL)/healthz").1 == 200)
    }
}

extension OCRTests {
    /// `/pdf/makeunsearchable` takes the text away: an OCR layer is redacted (the scan keeps its
    /// bytes), a page that shows text becomes a picture of itself that looks the same.
    @Test func makeUnsearchable() async throws {
        let searchable = try await searchable(["url": try await upload(fixtures.appendingPathComponent("scan.pdf"))])
        #expect(try await !words(searchable).isEmpty)
        let born = fixtures.appendingPathComponent("text.pdf")
        for input in [searchable, born] {
            let (answer, status) = try await HTTP.postJSON("\(server.baseURL)/pdf/makeunsearchable", ["url": try await upload(input)])
            try #require(status == 200, "\(answer)")
            let file = temp.file(UUID().uuidString + ".pdf")
            try await HTTP.get(try #require(answer["url"] as? String)).0.write(to: file)
            #expect(try await runCommand("qpdf", ["--check", file.path]).status == 0)
            let left = try await words(file)
            #expect(left.isEmpty, "\(input.lastPathComponent): \(left.prefix(5))")
            #expect(try await Self.meanDifference(of: input, and: file) < 2, "\(input.lastPathComponent) looks as it did")
        }
    }

    /// The mean difference (0–255) of two PDFs' first pages rendered in gray at 30 dpi.
    static func meanDifference(of a: URL, and b: URL) async throws -> Double {
        func pixels(_ pdf: URL) async throws -> [UInt8] {
            let pgm = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent(UUID().uuidString + ".pgm")
            defer { try? FileManager.default.removeItem(at: pgm) }
            _ = try await runCommand("mutool", ["draw", "-q", "-r", "30", "-c", "gray", "-o", pgm.path, pdf.path, "1"])
            let data = try Data(contentsOf: pgm)
            // P5, width height, 255, then the rows: the pixels are the last width × height bytes.
            let header = String(decoding: data.prefix(40), as: UTF8.self).split(whereSeparator: \.isWhitespace)
            let count = (Int(header[1]) ?? 0) * (Int(header[2]) ?? 0)
            return Array(data.suffix(count))
        }
        let (first, second) = (try await pixels(a), try await pixels(b))
        guard first.count == second.count, !first.isEmpty else { return 255 }
        return Double(zip(first, second).reduce(0) { $0 + abs(Int($1.0) - Int($1.1)) }) / Double(first.count)
    }
}

extension OCRTests {
    /// A 20-page scan is read in ranges of at most 8 pages spread over the two OCR hosts; every
    /// page comes back, in order.
    @Test func longScansAreSharedOut() async throws {
        let scan = fixtures.appendingPathComponent("scan.pdf").path
        let long = temp.file("long.pdf")
        let qpdf = try await runCommand("qpdf", ["--empty", "--pages"] + Array(repeating: scan, count: 20) + ["--", long.path])
        try #require(qpdf.status == 0, "\(qpdf.output)")
        let text = try await self.text("/pdf/convert/to/text", ["url": try await upload(long)])
        let pages = text.split(separator: "\u{0C}", omittingEmptySubsequences: false).prefix(20)
        #expect(pages.count == 20)
        #expect(pages.allSatisfy { $0.contains("Quarterly Report") && $0.contains("48213") })
    }
}

extension OCRTests {
    /// A scan turned 5° (Tesseract alone lost 93% of this page) is straightened before it is
    /// read: CER under 2%.
    @Test func skewedScansAreStraightened() async throws {
        let png = temp.file("skewed.png")
        let text = fixtures.appendingPathComponent("text.pdf").path
        let draw = try await runCommand("mutool", ["draw", "-q", "-r", "300", "-R", "5", "-c", "gray", "-o", png.path, text, "1"])
        try #require(draw.status == 0, "\(draw.output)")
        let read = try await self.text("/pdf/convert/to/text", ["url": try await upload(png)])
        let expected = try String(contentsOf: fixtures.appendingPathComponent("text.txt"), encoding: .utf8)
        #expect(characterErrorRate(read, expected) < 0.02, "\(read)")
    }
}

/// Levenshtein distance over characters, whitespace runs folded to one space, divided by the
/// expected length.
func characterErrorRate(_ actual: String, _ expected: String) -> Double {
    func normalized(_ text: String) -> [Character] {
        Array(text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " "))
    }
    let a = normalized(actual)
    let b = normalized(expected)
    guard !b.isEmpty else { return a.isEmpty ? 0 : 1 }
    var previous = Array(0...b.count)
    for i in 1...max(a.count, 1) where !a.isEmpty {
        var current = [i] + Array(repeating: 0, count: b.count)
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        previous = current
    }
    return Double(a.isEmpty ? b.count : previous[b.count]) / Double(b.count)
}

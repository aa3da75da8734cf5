// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireTestSupport
import Testing

/// `/pdf/edit/replace-text`, `/delete-text` and `/replace-text-with-image` through the real
/// server: the old text is gone from every extractor and from the content streams (not covered
/// by a box), the new text sits where the old one was, neighbours stay, outputs pass qpdf.
@Suite(.serialized)
final class TextReplaceTests {
    let temp = TemporaryDirectory()
    let server: QuireServer
    let toolkit = packageRoot.appendingPathComponent("Tests/Fixtures/toolkit")

    init() async throws {
        server = try await QuireServer(data: temp.file("data"))
    }

    deinit { server.kill9() }

    func upload(_ name: String) async throws -> String {
        try await HTTP.upload(try Data(contentsOf: toolkit.appendingPathComponent(name)), name: name, base: server.baseURL)
    }

    /// Calls `path`, expects 200; returns the answer, the output's URL and the output file.
    func call(_ path: String, _ parameters: [String: Any]) async throws -> (answer: [String: Any], url: String, file: URL) {
        let (answer, status) = try await HTTP.postJSON("\(server.baseURL)\(path)", parameters)
        try #require(status == 200, "\(path): \(answer)")
        let url = try #require(answer["url"] as? String)
        let file = temp.file(UUID().uuidString + ".pdf")
        try await HTTP.get(url).0.write(to: file)
        #expect(try await runCommand("qpdf", ["--check", file.path]).status == 0)
        return (answer, url, file)
    }

    /// `/pdf/find`'s boxes for `text` in the PDF at `url`.
    func find(_ text: String, in url: String) async throws -> [[String: Any]] {
        let (answer, status) = try await HTTP.postJSON("\(server.baseURL)/pdf/find", ["url": url, "searchString": text, "inline": true])
        #expect(status == 200, "\(answer)")
        return answer["body"] as? [[String: Any]] ?? []
    }

    func number(_ value: Any?) -> Double { (value as? NSNumber)?.doubleValue ?? -1 }

    /// The uncompressed file, where content streams can be read.
    func expanded(_ file: URL) async throws -> String {
        try await runCommand("qpdf", ["--qdf", "--object-streams=disable", file.path, "-"]).output
    }

    /// Text two search strings both match (here the same string twice) is replaced once, by
    /// the first: the two replacements were drawn over each other.
    @Test func textMatchedTwiceIsReplacedOnce() async throws {
        let pdf = try await upload("numbered-a.pdf")
        let (answer, _, file) = try await call(
            "/pdf/edit/replace-text", ["url": pdf, "searchStrings": ["MediaBox", "MediaBox"], "replaceStrings": ["Size", "Area"]])
        #expect(answer["replacements"] as? Int == 3)
        let text = try await runCommand("pdftotext", [file.path, "-"]).output
        #expect(text.contains("Size") && !text.contains("Area") && !text.contains("MediaBox"), "\(text)")
    }

    /// Long replacements of frequent text have the page-content budget /pdf/edit/add has:
    /// 4 500 occurrences × 10 000 characters grew the engine host by hundreds of MB (a larger
    /// file, past its memory limit); now a 413 that says what to change.
    @Test func replacementsPastTheContentBudgetAreRefused() async throws {
        let pdf = try await HTTP.upload(TestPDF.make(pages: Fixtures.pages(300)), name: "many.pdf", base: server.baseURL)
        let searches = ["o", "e", "a", "n", "i", "t"]
        let (answer, status) = try await HTTP.postJSON(
            "\(server.baseURL)/pdf/edit/replace-text",
            ["url": pdf, "searchStrings": searches, "replaceStrings": searches.map { _ in String(repeating: "y", count: 10_000) }])
        #expect(status == 413, "\(answer)")
        #expect((answer["message"] as? String ?? "").contains("replacementLimit"), "\(answer)")
        #expect(try await HTTP.get("\(server.baseURL)/healthz").1 == 200)
    }

    @Test func replacedTextIsGoneAndTheNewTextTakesItsPlace() async throws {
        let pdf = try await upload("numbered-a.pdf")
        let before = try #require(try await find("MediaBox", in: pdf).first)
        let (answer, url, file) = try await call(
            "/pdf/edit/replace-text", ["url": pdf, "searchString": "MediaBox", "replaceString": "Size"])
        #expect(answer["replacements"] as? Int == 3)
        #expect(answer["pageCount"] as? Int == 3)
        let text = try await runCommand("pdftotext", [file.path, "-"]).output
        #expect(!text.contains("MediaBox") && text.contains("Size"), "\(text)")
        #expect(!(try await runCommand("mutool", ["draw", "-F", "txt", "-o", "-", file.path]).output.contains("MediaBox")))
        // Only the page dictionaries' /MediaBox key is left in the file.
        let raw = try await expanded(file)
        #expect(raw.components(separatedBy: "MediaBox").count - 1 == raw.components(separatedBy: "/MediaBox").count - 1)
        let after = try #require(try await find("Size", in: url).first)
        #expect(abs(number(after["left"]) - number(before["left"])) <= 1, "\(after) vs \(before)")
        #expect(abs(number(after["top"]) - number(before["top"])) <= 1.5, "\(after) vs \(before)")
        // The rest of the line stays.
        #expect(text.contains("612 x 792 pt") && text.contains("1 of 3,"))
    }

    /// `caseSensitive=false`, `replacementLimit` per search string, in page order.
    @Test func deleteHonoursCaseAndLimit() async throws {
        let pdf = try await upload("numbered-a.pdf")
        let (answer, url, _) = try await call(
            "/pdf/edit/delete-text", ["url": pdf, "searchStrings": ["OF 3"], "caseSensitive": false, "replacementLimit": 2])
        #expect(answer["replacements"] as? Int == 2)
        let left = try await find("of 3", in: url)
        #expect(left.count == 1 && left.first?["pageIndex"] as? Int == 2, "\(left)")
        let (exact, _, _) = try await call("/pdf/edit/delete-text", ["url": pdf, "searchString": "OF 3"])
        #expect(exact["replacements"] as? Int == 0, "case-sensitive by default")
    }

    /// Regular expressions, and several search strings with their own replacements.
    @Test func regexAndSeveralStrings() async throws {
        let pdf = try await upload("numbered-a.pdf")
        let (answer, _, file) = try await call(
            "/pdf/edit/replace-text",
            ["url": pdf, "searchStrings": [#"\d of \d"#, "pt$"], "replaceStrings": ["N of M", "points"], "regex": true, "pages": "0-1"])
        #expect(answer["replacements"] as? Int == 4)
        let text = try await runCommand("pdftotext", ["-f", "1", "-l", "2", file.path, "-"]).output
        #expect(text.contains("N of M") && text.contains("points") && !text.contains("1 of 3"), "\(text)")
        let third = try await runCommand("pdftotext", ["-f", "3", "-l", "3", file.path, "-"]).output
        #expect(third.contains("3 of 3"), "pages outside `pages` stay")
    }

    /// Lines set 1.2 × the font size apart: deleting a word of the middle line leaves the
    /// lines above and below, and the words beside it, whole.
    @Test func neighboursStay() async throws {
        let pdf = try await upload("numbered-a.pdf")
        let lines = "alpha beta gamma{{$$NewLine}}delta beta epsilon{{$$NewLine}}zeta beta eta"
        let (_, stamped, _) = try await call(
            "/pdf/edit/add", ["url": pdf, "annotations": [["text": lines, "x": 72, "y": 300, "size": 11, "pages": "0"]]])
        let (answer, _, file) = try await call(
            "/pdf/edit/delete-text", ["url": stamped, "searchString": "beta", "pages": "0", "replacementLimit": 0])
        #expect(answer["replacements"] as? Int == 3)
        let text = try await runCommand("pdftotext", ["-f", "1", "-l", "1", file.path, "-"]).output
        for word in ["alpha", "gamma", "delta", "epsilon", "zeta", "eta"] { #expect(text.contains(word), "\(word): \(text)") }
        #expect(!text.contains("beta"))
    }

    /// On pages turned by /Rotate 90 and 180 the text reads sideways or upside down as displayed:
    /// it is replaced all the same, the new text written the same way from the old origin.
    @Test func turnedPagesAreReplacedToo() async throws {
        let pdf = try await upload("rotated.pdf")
        let before = try await find("Rotated", in: pdf)
        let (answer, url, file) = try await call(
            "/pdf/edit/replace-text", ["url": pdf, "searchString": "Rotated", "replaceString": "Turned"])
        #expect(answer["replacements"] as? Int == 3)
        let text = try await runCommand("pdftotext", [file.path, "-"]).output
        #expect(!text.contains("Rotated") && text.components(separatedBy: "Turned page").count == 4, "\(text)")
        let after = try await find("Turned", in: url)
        #expect(after.count == 3)
        // Page 2 (/Rotate 90: the text runs down the page) starts where the old word started.
        let old = try #require(before.first { $0["pageIndex"] as? Int == 1 })
        let new = try #require(after.first { $0["pageIndex"] as? Int == 1 })
        #expect(
            abs(number(new["left"]) - number(old["left"])) <= 1 && abs(number(new["top"]) - number(old["top"])) <= 1, "\(new) vs \(old)")
    }

    /// The image goes where the text was, and the text is gone.
    @Test func textBecomesAnImage() async throws {
        let pdf = try await upload("numbered-a.pdf")
        let image = try await HTTP.upload(
            try Data(contentsOf: packageRoot.appendingPathComponent("Tests/Fixtures/images/rgb.png")), name: "s.png", base: server.baseURL)
        let before = try #require(try await find("A page", in: pdf).first)
        let (answer, _, file) = try await call(
            "/pdf/edit/replace-text-with-image", ["url": pdf, "searchString": "A page", "replaceImage": image, "pages": "1"])
        #expect(answer["replacements"] as? Int == 1)
        #expect(!(try await runCommand("pdftotext", ["-f", "2", "-l", "2", file.path, "-"]).output.contains("A page")))
        let trace = try await runCommand("mutool", ["trace", file.path, "2"]).output
        let transform = try #require(trace.firstMatch(of: /<fill_image [^>]*transform="([^"]+)"/)?.1)
        let numbers = transform.split(separator: " ").compactMap { Double($0) }
        #expect(numbers.count == 6 && abs(numbers[4] - number(before["left"])) <= 1 && abs(numbers[5] - number(before["top"])) <= 1)
        let (bad, status) = try await HTTP.postJSON(
            "\(server.baseURL)/pdf/edit/replace-text-with-image",
            ["url": pdf, "searchString": "A page", "replaceImage": try await upload("form.pdf")])
        #expect(status == 415 || status == 400 || status == 442, "\(bad)")
    }
}

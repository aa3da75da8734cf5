// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireTestSupport
import Testing

/// `/pdf/edit/add` with text sized to exhaust the engine host: wrapping stays linear in the
/// text, and the page content a job may add is bounded, so the answer is a 200 or a 413 within
/// the job, never a crash after minutes.
@Suite(.serialized)
final class EditBoundsTests {
    let temp = TemporaryDirectory()
    let server: QuireServer

    init() async throws {
        server = try await QuireServer(data: temp.file("data"))
    }

    deinit { server.kill9() }

    /// A 100 000-character word in a 1-point box is broken after every character: measuring
    /// every candidate line made this quadratic, about six minutes of the engine host.
    @Test(.timeLimit(.minutes(2))) func longWordInANarrowBoxIsBrokenInLinearTime() async throws {
        let pdf = try await HTTP.upload(TestPDF.make(pages: Fixtures.pages(1)), name: "one.pdf", base: server.baseURL)
        let word = String(repeating: "x", count: 100_000)
        let (answer, status) = try await HTTP.postJSON(
            "\(server.baseURL)/pdf/edit/add", ["url": pdf, "annotations": [["text": word, "x": 10, "y": 10, "width": 1]]])
        try #require(status == 200, "\(answer)")
        let file = temp.file("word.pdf")
        try await HTTP.get(try #require(answer["url"] as? String)).0.write(to: file)
        let text = try await runCommand("pdftotext", ["-l", "1", file.path, "-"]).output
        #expect(text.components(separatedBy: "\n").filter { $0 == "x" }.count >= 40, "\(text.prefix(200))")
    }

    /// 33 000 short lines on each of 300 pages would be about 700 MB of page content (on 2 000
    /// pages the engine host ran out of memory and crashed, three times, then a 500): refused
    /// with a 413 naming the limit, and the server stays up.
    @Test func textPastTheContentBudgetIsRefused() async throws {
        let pdf = try await HTTP.upload(TestPDF.make(pages: Fixtures.pages(300)), name: "many.pdf", base: server.baseURL)
        let text = String(repeating: "ab\n", count: 33_000)
        let (answer, status) = try await HTTP.postJSON(
            "\(server.baseURL)/pdf/edit/add", ["url": pdf, "annotations": [["text": text, "pages": "0-"]]])
        #expect(status == 413, "\(answer)")
        #expect((answer["message"] as? String ?? "").contains("128 MB"), "\(answer)")
        // New text fields count too: their values become appearance streams.
        let field: [String: Any] = ["type": "TextField", "text": String(repeating: "word ", count: 20_000), "pages": "0-"]
        let fields = try await HTTP.postJSON("\(server.baseURL)/pdf/edit/add", ["url": pdf, "annotations": [field, field]])
        #expect(fields.1 == 413, "\(fields.0)")
        #expect(try await HTTP.get("\(server.baseURL)/healthz").1 == 200)
    }
}

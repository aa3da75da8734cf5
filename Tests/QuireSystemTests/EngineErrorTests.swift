// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireTestSupport
import Testing

/// Errors inside native libraries become clean job failures, not dead engine hosts.
@Suite(.serialized)
struct EngineErrorTests {
    /// A page 200 inches wide at 1200 dpi is 240 000 pixels: past JPEG's 65 500 limit. libjpeg's
    /// default error handler would exit() the engine host (a crash, retried); now the job fails
    /// once (442) in the same host, and the next job works.
    @Test func jpegEncoderErrorIsAJobFailure() async throws {
        let temp = TemporaryDirectory()
        let server = try await QuireServer(data: temp.file("data"), arguments: ["--workers", "1"])
        defer { server.stop() }
        let normal = String(decoding: TestPDF.make(pages: ["wide"]), as: UTF8.self)
        // Same length as "[0 0 612 792]", so the cross-reference offsets stay right.
        let wide = Data(normal.replacingOccurrences(of: "[0 0 612 792]", with: "[0 0 14400 2]").utf8)
        let url = try await HTTP.upload(wide, name: "wide.pdf", base: server.baseURL)
        let (answer, status) = try await HTTP.postJSON(
            "\(server.baseURL)/pdf/convert/to/jpg", ["url": url, "profiles": #"{"RenderingResolution": 1200}"#])
        #expect(status >= 400 && status != 500, "\(answer)")
        let message = answer["message"] as? String ?? ""
        #expect(!message.contains("crashed"), "\(message)")
        // The same engine host goes on: it did not exit.
        let hosts = QuireServer.childProcesses(of: try #require(server.pid))
        let pdf = try await HTTP.upload(Fixtures.threePages, name: "a.pdf", base: server.baseURL)
        #expect(try await HTTP.postJSON("\(server.baseURL)/pdf/convert/to/jpg", ["url": pdf]).1 == 200)
        #expect(QuireServer.childProcesses(of: try #require(server.pid)) == hosts)
    }
}

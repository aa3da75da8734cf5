// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireTestSupport
import Testing

/// Documents built to hurt a reader that trusts them (Tests/Fixtures/hostile/make_hostile.py):
/// a content stream that inflates to 1 GB, an xref whose /Prev is itself, nesting 100 000 deep,
/// 100 000 pages, an image claiming 3.6 billion pixels, a DOCX that inflates to 1 GB. Each
/// request ends with a 200 or a PDF.co 4xx with a message within the job timeout; the server
/// answers `/healthz` while they run, and its resident memory stays bounded (issue #19).
@Suite(.serialized)
final class HostileDocumentTests {
    let temp = TemporaryDirectory()
    let server: QuireServer
    static let jobTimeout = 30

    init() async throws {
        server = try await QuireServer(
            data: temp.file("data"), arguments: ["--workers", "1", "--office-workers", "1", "--job-timeout", "\(Self.jobTimeout)"])
    }

    deinit { server.kill9() }

    func residentMB(_ pid: Int32) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
        else { return 0 }
        return (line.split(separator: " ").compactMap { Int($0) }.first ?? 0) / 1024
    }

    @Test func hostileDocumentsGetClearAnswers() async throws {
        let folder = temp.file("hostile")
        let made = try await runCommand(
            "python3", [packageRoot.appendingPathComponent("Tests/Fixtures/hostile/make_hostile.py").path, folder.path])
        #expect(made.status == 0, "\(made.output)")
        let cases: [(file: String, paths: [String])] = [
            ("inflate-bomb.pdf", ["/pdf/info", "/pdf/convert/to/text", "/pdf/convert/to/png"]),
            ("xref-loop.pdf", ["/pdf/info", "/pdf/convert/to/text"]),
            ("deep-nesting.pdf", ["/pdf/info", "/pdf/convert/to/text", "/pdf/convert/to/png"]),
            ("many-pages.pdf", ["/pdf/info", "/pdf/convert/to/png"]),
            ("huge-image.pdf", ["/pdf/convert/to/png", "/pdf/optimize"]),
            ("zip-bomb.docx", ["/pdf/convert/from/doc"]),
        ]
        let serverPID = try #require(server.pid)
        var peakMB = residentMB(serverPID)
        let clock = ContinuousClock()
        let base = server.baseURL
        for (file, paths) in cases {
            let data = try Data(contentsOf: folder.appendingPathComponent(file))
            let url = try await HTTP.upload(data, name: file, base: server.baseURL)
            for path in paths {
                let started = clock.now
                // `pages` keeps the 100 000-page renders to the first page; info reads them all.
                async let answer = HTTP.postJSON("\(base)\(path)", ["url": url, "pages": "0"])
                // The server keeps answering its probe while the job runs.
                try await Task.sleep(for: .milliseconds(300))
                #expect(try await HTTP.get("\(base)/healthz").1 == 200, "\(file) \(path)")
                let (json, status) = try await answer
                let seconds = (clock.now - started).components.seconds
                peakMB = max(peakMB, residentMB(serverPID))
                print("hostile: \(file) \(path): \(status) in \(seconds) s: \(json["message"] ?? json["pageCount"] ?? "")")
                #expect(status == 200 || (400..<500).contains(status), "\(file) \(path): \(status) \(json)")
                if status != 200 { #expect((json["message"] as? String)?.isEmpty == false, "\(file) \(path): \(json)") }
                // Retries after a crash may use the timeout three times; a hang would use it for ever.
                #expect(seconds < Int64(Self.jobTimeout * 3 + 30), "\(file) \(path) took \(seconds) s")
            }
        }
        print("hostile: server RSS peak \(peakMB) MB")
        #expect(peakMB < 400, "server RSS peak \(peakMB) MB")
        #expect(try await HTTP.get("\(server.baseURL)/healthz").1 == 200)
    }
}

// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireTestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `/pdf/attachments/extract` through the real server, on PDFs qpdf attaches files to: each
/// file comes back byte for byte under its own name, served as a download.
@Suite(.serialized)
final class AttachmentsTests {
    let temp = TemporaryDirectory()
    let server: QuireServer

    init() async throws {
        server = try await QuireServer(data: temp.file("data"))
    }

    deinit { server.kill9() }

    /// numbered-a.pdf with `files` attached by qpdf (name → contents), uploaded.
    func uploadWithAttachments(_ files: [(String, Data)]) async throws -> String {
        var arguments = [packageRoot.appendingPathComponent("Tests/Fixtures/toolkit/numbered-a.pdf").path]
        for (index, (name, data)) in files.enumerated() {
            let file = temp.file("attachment-\(index)")
            try data.write(to: file)
            arguments += ["--add-attachment", file.path, "--key=key\(index)", "--filename=\(name)", "--"]
        }
        let output = temp.file("attached.pdf")
        arguments.append(output.path)
        #expect(try await runCommand("qpdf", arguments).status == 0)
        return try await HTTP.upload(try Data(contentsOf: output), name: "attached.pdf", base: server.baseURL)
    }

    @Test func attachmentsComeBackUnderTheirNames() async throws {
        let html = Data("<script>alert(1)</script>".utf8)
        let csv = Data("a,b\n1,2\n".utf8)
        let url = try await uploadWithAttachments([("notes.html", html), ("data file.csv", csv), ("notes.html", csv)])
        let (answer, status) = try await HTTP.postJSON("\(server.baseURL)/pdf/attachments/extract", ["url": url, "inline": true])
        #expect(status == 200, "\(answer)")
        let urls = answer["urls"] as? [String] ?? []
        #expect(urls.map { $0.split(separator: "/").last.map(String.init) ?? "" } == ["notes.html", "data_file.csv", "notes-2.html"])
        for (link, expected) in zip(urls, [html, csv, csv]) {
            let (data, response) = try await URLSession.shared.data(from: try #require(URL(string: link)))
            let http = try #require(response as? HTTPURLResponse)
            #expect(http.statusCode == 200 && data == expected)
            // An attached HTML page must not run in Quire's origin.
            let type = http.value(forHTTPHeaderField: "Content-Type") ?? ""
            #expect(type.hasPrefix("application/octet-stream"), "\(type)")
        }
        // Asynchronously `url` is the JSON list of the same files.
        let (queued, _) = try await HTTP.postJSON("\(server.baseURL)/pdf/attachments/extract", ["url": url, "async": true])
        let jobID = try #require(queued["jobId"] as? String)
        var state = ""
        for _ in 0..<100 where state != "success" {
            state = try await HTTP.getJSON("\(server.baseURL)/job/check?jobid=\(jobID)").0["status"] as? String ?? ""
            if state != "success" { try await Task.sleep(for: .milliseconds(100)) }
        }
        let list = try JSONSerialization.jsonObject(with: try await HTTP.get(try #require(queued["url"] as? String)).0) as? [String]
        #expect(list?.count == 3)
    }

    @Test func aPDFWithoutAttachmentsGivesAnEmptyList() async throws {
        let url = try await uploadWithAttachments([])
        let (answer, status) = try await HTTP.postJSON("\(server.baseURL)/pdf/attachments/extract", ["url": url])
        #expect(status == 200)
        #expect((answer["urls"] as? [String])?.isEmpty == true, "\(answer)")
        let notPDF = try await HTTP.upload(Data("plain".utf8), name: "x.pdf", base: server.baseURL)
        let (bad, badStatus) = try await HTTP.postJSON("\(server.baseURL)/pdf/attachments/extract", ["url": notPDF])
        #expect((400..<500).contains(badStatus), "\(bad)")
    }
}

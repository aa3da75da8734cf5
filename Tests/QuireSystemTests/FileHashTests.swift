// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireTestSupport
import Testing

/// `/file/hash` through the real server: the SHA-256 `sha256sum` computes, for uploaded and
/// remote files (with basic auth), sync and async, in PDF.co's answer shape.
@Suite(.serialized)
final class FileHashTests {
    let temp = TemporaryDirectory()
    let server: QuireServer

    init() async throws {
        server = try await QuireServer(data: temp.file("data"), arguments: ["--workers", "2", "--allow-private-urls"])
    }

    deinit { server.kill9() }

    /// Six MiB of varied bytes: bigger than one read, so the hash spans pieces.
    static let content = Data((0..<(6 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) })

    func sha256sum(_ data: Data) async throws -> String {
        let file = temp.file("sum-\(UUID().uuidString)")
        try data.write(to: file)
        return String(try await runCommand("sha256sum", [file.path]).output.prefix(64))
    }

    @Test func hashOfAnUploadedFileMatchesSha256sum() async throws {
        let url = try await HTTP.upload(Self.content, name: "big.bin", base: server.baseURL)
        let (answer, status) = try await HTTP.postJSON("\(server.baseURL)/v1/file/hash", ["url": url])
        #expect(status == 200, "\(answer)")
        #expect(answer["hash"] as? String == (try await sha256sum(Self.content)))
        #expect(answer["error"] as? Bool == false && answer["status"] as? Int == 200)
        #expect(answer["url"] == nil, "no result file: \(answer)")
        // The same URL twice: the same hash; one byte changed: another.
        let (again, _) = try await HTTP.postForm("\(server.baseURL)/file/hash", ["url": url])
        #expect(again["hash"] as? String == answer["hash"] as? String)
        var changed = Self.content
        changed[changed.count / 2] ^= 1
        let other = try await HTTP.upload(changed, name: "changed.bin", base: server.baseURL)
        let (third, _) = try await HTTP.postJSON("\(server.baseURL)/file/hash", ["url": other])
        #expect(third["hash"] as? String == (try await sha256sum(changed)))
        #expect(third["hash"] as? String != answer["hash"] as? String)
    }

    /// A file deleted while a job reads it (its record read, its bytes gone): "not found", not
    /// an internal error. Schemathesis found this race with /file/delete in CI.
    @Test func fileWhoseBytesVanishedIsNotFound() async throws {
        let url = try await HTTP.upload(Data("short-lived".utf8), name: "gone.txt", base: server.baseURL)
        let stored = try #require(
            regularFiles(under: temp.file("data/files")).first {
                FileManager.default.contents(atPath: $0) == Data("short-lived".utf8)
            })
        try FileManager.default.removeItem(atPath: stored)
        let (answer, status) = try await HTTP.postJSON("\(server.baseURL)/v1/file/hash", ["url": url])
        #expect(status == 404, "\(answer)")
        #expect((answer["message"] as? String)?.contains("file not found") == true, "\(answer)")
        let (_, download) = try await HTTP.get(url)
        #expect(download == 404)
    }

    /// /file/delete racing jobs that read the same file: each job hashes it whole or answers
    /// "not found", never an internal error (1 in 75 did, before jobs kept their own link).
    @Test func deleteDuringJobsIsNeverAnInternalError() async throws {
        let content = Data(Self.content.prefix(3 << 20))
        let base = server.baseURL
        var statuses: [Int] = []
        for round in 0..<40 {
            let url = try await HTTP.upload(content, name: "raced-\(round).bin", base: server.baseURL)
            statuses += try await withThrowingTaskGroup(of: Int?.self) { group in
                for _ in 0..<3 {
                    group.addTask { try await HTTP.postJSON("\(base)/v1/file/hash", ["url": url]).1 }
                }
                group.addTask {
                    try await Task.sleep(for: .milliseconds(round % 20))
                    _ = try await HTTP.postJSON("\(base)/v1/file/delete", ["url": url])
                    return nil
                }
                return try await group.reduce(into: []) { if let status = $1 { $0.append(status) } }
            }
        }
        #expect(statuses.allSatisfy { $0 == 200 || $0 == 404 }, "\(statuses)")
    }

    /// PDF.co's Python sample posts the JSON object as a JSON string; async answers come from /job/check.
    @Test func remoteFileWithCredentialsAsyncAndDoubleEncodedBody() async throws {
        let www = try LoopbackFileServer()
        let small = Data("Quire /file/hash\n".utf8)
        try www.put("doc.txt", small)
        let object = try JSONSerialization.data(withJSONObject: [
            "url": www.url("doc.txt"), "async": true, "httpusername": "hash-user", "httppassword": "hash-secret",
        ])
        let body = try JSONSerialization.data(withJSONObject: String(decoding: object, as: UTF8.self), options: .fragmentsAllowed)
        let (data, status) = try await HTTP.request(
            "POST", "\(server.baseURL)/file/hash", body: body, headers: ["Content-Type": "application/json"])
        let accepted = try HTTP.json(data)
        #expect(status == 200, "\(accepted)")
        let check = try await waitForJob(server.baseURL, try #require(accepted["jobId"] as? String))
        #expect(check["status"] as? String == "success", "\(check)")
        #expect(check["hash"] as? String == (try await sha256sum(small)))
        let basic = "Basic " + Data("hash-user:hash-secret".utf8).base64EncodedString()
        #expect(www.authorizations().contains { $0.path == "/doc.txt" && $0.authorization == basic })
    }

    @Test func missingOrUnknownInputsAreClientErrors() async throws {
        let (missing, missingStatus) = try await HTTP.postJSON("\(server.baseURL)/file/hash", [:])
        #expect(missingStatus == 400 && missing["error"] as? Bool == true, "\(missing)")
        #expect((missing["message"] as? String)?.contains("url") == true)
        let url = try await HTTP.upload(Data("x".utf8), name: "gone.bin", base: server.baseURL)
        let (deleted, _) = try await HTTP.postJSON("\(server.baseURL)/file/delete", ["url": url])
        #expect(deleted["error"] as? Bool == false, "\(deleted)")
        let (gone, goneStatus) = try await HTTP.postJSON("\(server.baseURL)/file/hash", ["url": url])
        #expect(goneStatus == 404, "\(gone)")
    }

    /// `quire convert file-hash` prints the same hash, no server.
    @Test func commandLineHash() async throws {
        let file = temp.file("local.bin")
        try Self.content.prefix(100_000).write(to: file)
        let result = try await runCommand(QuireServer.binary.path, ["convert", "file-hash", file.path])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains(try await sha256sum(Self.content.prefix(100_000))))
    }
}

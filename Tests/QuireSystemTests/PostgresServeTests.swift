// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireTestSupport
import Testing

/// `quire serve --database-url`: jobs and file records in a real PostgreSQL (a throwaway
/// cluster), the same API answers as over SQLite, and nothing lost across a `kill -9`.
@Suite(.serialized, .enabled(if: PostgresTestCluster.isAvailable))
final class PostgresServeTests {
    let temp = TemporaryDirectory()

    @Test func conversionsRunAndSurviveKillNine() async throws {
        let url = try await PostgresTestCluster.shared().makeDatabase()
        let server = try await QuireServer(data: temp.file("data"), arguments: ["--database-url", url, "--workers", "2"])
        defer { server.stop() }
        let input = try await HTTP.upload(
            TestPDF.make(pages: ["Stored in PostgreSQL", "Second page"]), name: "pg.pdf", base: server.baseURL)
        let (text, status) = try await HTTP.postJSON("\(server.baseURL)/pdf/convert/to/text", ["url": input, "inline": true])
        #expect(status == 200, "\(text)")
        #expect((text["body"] as? String)?.contains("Stored in PostgreSQL") == true)

        let (accepted, _) = try await HTTP.postJSON("\(server.baseURL)/pdf/convert/to/png", ["url": input, "async": true])
        let check = try await waitForJob(server.baseURL, try #require(accepted["jobId"] as? String))
        #expect(check["status"] as? String == "success", "\(check)")
        let pages = try #require(check["urls"] as? [String] ?? nil)
        #expect(pages.count == 2)

        // kill -9 and start again on the same database: records and results are still there.
        server.kill9()
        try await server.start()
        let (again, _) = try await HTTP.getJSON("\(server.baseURL)/job/check?jobid=\(try #require(accepted["jobId"] as? String))")
        #expect(again["status"] as? String == "success", "\(again)")
        // The restarted server listens on a new port: the same link path there.
        let path = try #require(URL(string: pages[0])?.path)
        let (png, pngStatus) = try await HTTP.get(server.baseURL + path)
        #expect(pngStatus == 200 && png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        let (info, infoStatus) = try await HTTP.postJSON("\(server.baseURL)/pdf/info", ["url": input])
        #expect(infoStatus == 200 && (info["info"] as? [String: Any])?["PageCount"] as? Int == 2, "\(info)")
    }

    @Test func badDatabaseURLsAreRefusedWithoutThePassword() async throws {
        // Errors go to stderr: through a shell that merges it into what runCommand reads.
        let quire = QuireServer.binary.path
        let result = try await runCommand(
            "sh", ["-c", "\"$0\" serve --port 0 --data \"$1\" --database-url mysql://u:hunter2@h/db 2>&1", quire, temp.file("bad").path])
        #expect(result.status != 0)
        #expect(result.output.contains("--database-url") && !result.output.contains("hunter2"), "\(result.output)")
        let worker = try await runCommand("sh", ["-c", "\"$0\" worker --port 0 --data \"$1\" 2>&1", quire, temp.file("w").path])
        // Nothing listens on port 1: the start fails naming the flag instead of retrying forever.
        let unreachable = try await runCommand(
            "sh",
            [
                "-c", "\"$0\" serve --port 0 --data \"$1\" --database-url postgres://u:hunter2@127.0.0.1:1/db 2>&1 | tail -3", quire,
                temp.file("down").path,
            ])
        #expect(
            unreachable.output.contains("did not answer within 30 s") && !unreachable.output.contains("hunter2"), "\(unreachable.output)")
        #expect(worker.status != 0 && worker.output.contains("--database-url"), "\(worker.output)")
    }
}

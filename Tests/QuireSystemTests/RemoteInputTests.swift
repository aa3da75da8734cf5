// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireTestSupport
import Testing

/// URL inputs served by hostile loopback servers: a drip-feeding server must not hold a worker
/// past the job timeout nor delay shutdown, and credentials must not follow a redirect elsewhere.
struct RemoteInputTests {
    let temp = TemporaryDirectory()

    /// The job's attempts as the queue recorded them (read with Python's sqlite3, as an operator would).
    func attempts(of jobID: String, in server: QuireServer) async throws -> Int? {
        let script =
            "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select attempts from jobs where id=?',(sys.argv[2],)).fetchone()[0])"
        let result = try await runCommand("python3", ["-c", script, server.data.appendingPathComponent("quire.sqlite").path, jobID])
        return Int(result.output.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    func submit(_ server: QuireServer, _ fields: [String: Any]) async throws -> String {
        let (answer, status) = try await HTTP.postJSON("\(server.baseURL)/pdf/convert/to/text", fields.merging(["async": true]) { $1 })
        #expect(status == 200)
        return try #require(answer["jobId"] as? String)
    }

    /// One byte every second, with `--job-timeout 5` and one slot: the download fails at the job
    /// timeout (not retried), the connection is dropped, and the job queued behind it runs.
    @Test func dripFedInputStopsAtTheJobTimeout() async throws {
        let www = try LoopbackFileServer()
        try www.put("in.pdf", Fixtures.threePages)
        let server = try await QuireServer(
            data: temp.file("data"), arguments: ["--workers", "1", "--job-timeout", "5", "--allow-private-urls"])
        let slow = try await submit(server, ["url": www.drip(bytes: 1_000_000, interval: 1)])
        let normal = try await submit(server, ["url": www.url("in.pdf")])

        let slowAnswer = try await waitForJob(server.baseURL, slow, timeout: 40)
        #expect(slowAnswer["status"] as? String == "failed")
        #expect((slowAnswer["message"] as? String)?.contains("job timeout") == true)
        #expect(try await attempts(of: slow, in: server) == 1)
        let normalAnswer = try await waitForJob(server.baseURL, normal, timeout: 40)
        #expect(normalAnswer["status"] as? String == "success")

        let deadline = Date().addingTimeInterval(10)
        while www.closedDrips() == 0 && Date() < deadline { try await Task.sleep(for: .milliseconds(100)) }
        #expect(www.closedDrips() == 1)
        // Not stop(): a server that waits for the download would never end.
        try await server.terminate(within: 10)
    }

    /// SIGTERM in the middle of two downloads that would last for days (one job async, one
    /// with a synchronous request waiting for it) stops the server within seconds; the waiting
    /// request gets a 503, and the async job is handed back (still `working` after a restart).
    @Test func sigtermStopsTheServerDuringADownload() async throws {
        let www = try LoopbackFileServer()
        let server = try await QuireServer(
            data: temp.file("data"), arguments: ["--workers", "2", "--job-timeout", "300", "--allow-private-urls"])
        let job = try await submit(server, ["url": www.drip(bytes: 1_000_000, interval: 1)])
        let base = server.baseURL
        let body = try JSONSerialization.data(withJSONObject: ["url": www.drip(bytes: 999_999, interval: 1)])
        let waiting = Task {
            try await HTTP.request("POST", "\(base)/pdf/convert/to/text", body: body, headers: ["Content-Type": "application/json"])
        }
        let deadline = Date().addingTimeInterval(20)
        while www.authorizations().filter({ $0.path.hasPrefix("/drip") }).count < 2 && Date() < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(try await server.terminate(within: 10))
        let (refusal, status) = try await waiting.value
        #expect(status == 503, "\(String(decoding: refusal, as: UTF8.self))")

        try await server.start()
        let (answer, _) = try await HTTP.getJSON("\(server.baseURL)/job/check?jobid=\(job)")
        #expect(answer["status"] as? String == "working")
        server.kill9()
    }

    /// `httpusername`/`httppassword` go to the URL's own origin, through a redirect that stays
    /// there, but never to another port or host a redirect names.
    @Test func credentialsDoNotFollowRedirectsToAnotherOrigin() async throws {
        let first = try LoopbackFileServer()
        let second = try LoopbackFileServer()
        try first.put("in.pdf", Fixtures.threePages)
        try second.put("in.pdf", Fixtures.threePages)
        let server = try await QuireServer(data: temp.file("data"), arguments: ["--allow-private-urls"])
        let basic = "Basic " + Data("alice:s3cret".utf8).base64EncodedString()
        let targets = [
            second.url("in.pdf"),  // another port
            "http://localhost:\(first.port)/in.pdf",  // another host
            first.url("in.pdf"),  // the same origin
        ]
        for target in targets {
            let (answer, status) = try await HTTP.postJSON(
                "\(server.baseURL)/pdf/convert/to/text",
                ["url": first.redirect(to: target), "httpusername": "alice", "httppassword": "s3cret", "inline": true])
            #expect(status == 200, "\(answer)")
        }
        let firstLog = first.authorizations()
        #expect(firstLog.filter { $0.path.hasPrefix("/redirect") }.map(\.authorization) == [basic, basic, basic])
        #expect(firstLog.filter { $0.path == "/in.pdf" }.map(\.authorization) == [nil, basic])
        #expect(second.authorizations().map(\.authorization) == [nil])
        try await server.terminate(within: 10)
    }
}

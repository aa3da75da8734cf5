// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import GRDB
import QuireTestSupport
import Testing

/// Engine crashes, hangs and `kill -9` of the whole server: no job is lost, the server survives.
@Suite(.serialized)
struct SupervisionTests {
    /// An engine host that aborts fails its job after the retry limit, with a message; the next job works.
    @Test func crashingEngineFailsTheJobNotTheServer() async throws {
        let temp = TemporaryDirectory()
        let server = try await QuireServer(data: temp.file("data"), arguments: ["--workers", "1", "--enable-test-operations"])
        defer { server.stop() }
        let (crash, status) = try await HTTP.postJSON("\(server.baseURL)/debug/engine-crash", [:])
        #expect(status == 500)
        #expect(crash["error"] as? Bool == true)
        #expect((crash["message"] as? String)?.contains("crashed") == true)
        let url = try await HTTP.upload(Fixtures.threePages, name: "a.pdf", base: server.baseURL)
        let (after, afterStatus) = try await HTTP.postJSON("\(server.baseURL)/pdf/convert/to/text", ["url": url])
        #expect(afterStatus == 200)
        #expect(after["pageCount"] as? Int == 3)
    }

    /// A hung engine is killed at the job timeout: 445 for that job, and the next job works.
    @Test func hungEngineIsKilledAtTheTimeout() async throws {
        let temp = TemporaryDirectory()
        let server = try await QuireServer(
            data: temp.file("data"), arguments: ["--workers", "1", "--job-timeout", "2", "--enable-test-operations"])
        defer { server.stop() }
        let (accepted, _) = try await HTTP.postJSON("\(server.baseURL)/debug/engine-hang", ["async": true])
        let jobID = try #require(accepted["jobId"] as? String)
        // The promised result URL answers 404 while the job works (and after it failed).
        let resultURL = try #require(accepted["url"] as? String)
        #expect(try await HTTP.get(resultURL).1 == 404)
        let check = try await waitForJob(server.baseURL, jobID, timeout: 30)
        #expect(try await HTTP.get(resultURL).1 == 404)
        #expect(check["status"] as? String == "failed")
        #expect((check["message"] as? String)?.contains("timeout") == true)
        let url = try await HTTP.upload(Fixtures.threePages, name: "a.pdf", base: server.baseURL)
        #expect(try await HTTP.postJSON("\(server.baseURL)/pdf/convert/to/text", ["url": url]).1 == 200)
    }

    /// `kill -9` with jobs queued and running, restart on the same data: every job ends in success.
    @Test func killNineLosesNoJob() async throws {
        let temp = TemporaryDirectory()
        let server = try await QuireServer(data: temp.file("data"), arguments: ["--workers", "2"])
        let big = TestPDF.make(pages: Fixtures.pages(300))
        let url = try await HTTP.upload(big, name: "big.pdf", base: server.baseURL)
        var jobs: [(id: String, url: String)] = []
        for _ in 0..<12 {
            let (answer, status) = try await HTTP.postJSON("\(server.baseURL)/pdf/convert/to/text", ["url": url, "async": true])
            #expect(status == 200)
            jobs.append((try #require(answer["jobId"] as? String), try #require(answer["url"] as? String)))
        }
        try await Task.sleep(for: .milliseconds(300))
        let hosts = QuireServer.childProcesses(of: try #require(server.pid))
        #expect(hosts.count == 2)
        server.kill9()
        // The engine hosts notice their parent is gone and exit (they watch it every 250 ms).
        let deadline = Date().addingTimeInterval(5)
        while hosts.contains(where: QuireServer.isRunning) && Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        #expect(!hosts.contains(where: QuireServer.isRunning), "engine hosts outlived the server")
        try await server.start()
        for job in jobs {
            let check = try await waitForJob(server.baseURL, job.id, timeout: 180)
            #expect(check["status"] as? String == "success")
            // The URL promised before the crash is the one that works after it (same secret, same host).
            let path = job.url.split(separator: "/", maxSplits: 2).last.map(String.init) ?? ""
            let (data, status) = try await HTTP.get("\(server.baseURL)/\(path)")
            #expect(status == 200)
            #expect(String(decoding: data, as: UTF8.self).contains("Page 300 of 300"))
        }
        server.stop()
    }

    /// A restart hands back at once only the leases of this data directory's dead run; a live
    /// lease of another worker (another instance) is left alone until it expires.
    @Test func restartReleasesOnlyItsOwnDeadLeases() async throws {
        let temp = TemporaryDirectory()
        let server = try await QuireServer(data: temp.file("data"), arguments: ["--workers", "1"])
        let url = try await HTTP.upload(Fixtures.threePages, name: "a.pdf", base: server.baseURL)
        var ids: [String] = []
        for _ in 0..<2 {
            let (answer, status) = try await HTTP.postJSON("\(server.baseURL)/pdf/convert/to/text", ["url": url, "async": true])
            #expect(status == 200)
            ids.append(try #require(answer["jobId"] as? String))
        }
        server.kill9()
        let instance = try String(contentsOf: temp.file("data/instance.id"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(!instance.isEmpty)
        // Both jobs as if leased for an hour: one by the run that was just killed, one by a
        // worker on another machine that is still alive.
        let database = try DatabaseQueue(path: temp.file("data/quire.sqlite").path)
        for (id, owner) in [(ids[0], "\(instance)/dead-run"), (ids[1], "other-machine/live-run")] {
            try await database.write { db in
                try db.execute(
                    sql: """
                        UPDATE jobs SET state = 'running', attempts = 1, leaseOwner = ?,
                            leaseExpiresAt = strftime('%Y-%m-%d %H:%M:%f', 'now', '+1 hour'), finishedAt = NULL, result = NULL
                        WHERE id = ?
                        """, arguments: [owner, id])
            }
        }
        try database.close()
        try await server.start()
        defer { server.stop() }
        let released = try await waitForJob(server.baseURL, ids[0], timeout: 60)
        #expect(released["status"] as? String == "success")
        let (held, _) = try await HTTP.getJSON("\(server.baseURL)/job/check?jobid=\(ids[1])")
        #expect(held["status"] as? String == "working")
        let heldID = ids[1]
        let owner = try await DatabaseQueue(path: temp.file("data/quire.sqlite").path).read { db in
            try String.fetchOne(db, sql: "SELECT leaseOwner FROM jobs WHERE id = ?", arguments: [heldID])
        }
        #expect(owner == "other-machine/live-run")
    }
}

// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireStorage
import QuireTestSupport
import Testing

/// A cluster of real processes: PostgreSQL, an S3 server, 2 API nodes and 3 worker nodes.
/// Mixed jobs go through both API nodes, sync and async; two workers are `kill -9`ed mid-way and
/// one is started again: every job ends in success and every result downloads through the other
/// API node. Heavy (a few minutes): `scripts/test.sh` runs it as its own stage
/// (`QUIRE_MULTINODE=1`); throughput with 1 and 3 workers is printed, never asserted.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["QUIRE_MULTINODE"] == "1"))
final class MultiNodeTests {
    let temp = TemporaryDirectory()
    let fixtures = packageRoot.appendingPathComponent("Tests/Fixtures")

    /// What every node shares: the database, the bucket, the URL secret, the S3 key.
    struct Cluster {
        var arguments: [String]
        var environment: [String: String]
        /// The bucket, for checking what is left in it.
        var store: S3ObjectStore
    }

    func makeCluster() async throws -> Cluster {
        let database = try await PostgresTestCluster.shared().makeDatabase()
        let s3 = try await S3TestServer.shared()
        let store = try await s3.makeStore()
        return Cluster(
            arguments: [
                "--database-url", database, "--s3-bucket", store.configuration.bucket, "--s3-endpoint", s3.endpoint.absoluteString,
                "--s3-region", s3.region, "--s3-path-style", "--allow-private-urls", "--janitor-interval", "2",
            ],
            environment: [
                "QUIRE_URL_SECRET": "multinode-test-secret-" + String(repeating: "x", count: 24),
                "AWS_ACCESS_KEY_ID": s3.accessKeyID, "AWS_SECRET_ACCESS_KEY": s3.secretAccessKey,
            ], store: store)
    }

    func startWorker(_ cluster: Cluster, _ index: Int) async throws -> QuireServer {
        try await QuireServer(
            data: temp.file("worker-\(index)"), arguments: cluster.arguments + ["--workers", "1", "--office-workers", "1"],
            environment: cluster.environment, errorLog: temp.file("worker-\(index).log"), command: "worker")
    }

    /// One kind of job: its endpoint and parameters.
    struct JobKind: Sendable {
        var path: String
        var parameters: [String: String]
    }

    @Test func mixedJobsSurviveWorkerKillsAcrossNodes() async throws {
        let cluster = try await makeCluster()
        let apis = [
            try await QuireServer(
                data: temp.file("api-1"), arguments: cluster.arguments + ["--no-worker"], environment: cluster.environment,
                errorLog: temp.file("api-1.log")),
            try await QuireServer(
                data: temp.file("api-2"), arguments: cluster.arguments + ["--no-worker"], environment: cluster.environment,
                errorLog: temp.file("api-2.log")),
        ]
        defer { for api in apis { api.stop() } }
        var workers = [try await startWorker(cluster, 0)]
        defer { for worker in workers { worker.stop() } }

        // Inputs uploaded through the first API node (a presigned PUT straight to the bucket).
        let base = apis[0].baseURL
        let pdf = try await HTTP.upload(TestPDF.make(pages: ["Cluster page one", "Cluster page two", "Three"]), name: "c.pdf", base: base)
        let other = try await HTTP.upload(TestPDF.make(pages: ["Merged second"]), name: "d.pdf", base: base)
        let docx = try await HTTP.upload(
            try Data(contentsOf: fixtures.appendingPathComponent("office/report.docx")), name: "report.docx", base: base)
        let form = try await HTTP.upload(
            try Data(contentsOf: fixtures.appendingPathComponent("toolkit/form.pdf")), name: "form.pdf", base: base)
        // Files that expire after a minute (a result and an upload): the janitor must take their
        // objects out of the bucket by the end.
        let expiresAt = Date().addingTimeInterval(60)
        let (short, _) = try await HTTP.postJSON(base + "/pdf/convert/to/text", ["url": pdf, "expiration": 1])
        let (presign, _) = try await HTTP.getJSON(base + "/file/upload/get-presigned-url?name=brief.txt&expiration=1")
        _ = try await HTTP.request("PUT", try #require(presign["presignedUrl"] as? String), body: Data("brief".utf8))
        let expiring = try [short["url"], presign["url"]].map { try Self.fileID(of: try #require($0 as? String)) }
        for id in expiring { #expect(try await cluster.store.size(of: id) != nil, "\(id) was not stored") }

        let kinds = [
            JobKind(path: "/pdf/convert/to/text", parameters: ["url": pdf]),
            JobKind(path: "/pdf/convert/to/png", parameters: ["url": pdf, "pages": "0-1"]),
            JobKind(path: "/pdf/convert/from/doc", parameters: ["url": docx]),
            JobKind(path: "/pdf/optimize", parameters: ["url": form]),
            JobKind(path: "/pdf/merge", parameters: ["url": "\(pdf),\(other)"]),
        ]

        // Throughput: the same batch of text jobs with 1 worker node, then with 3.
        let oneWorker = try await throughput(apis: apis, input: pdf, jobs: 40)
        workers.append(try await startWorker(cluster, 1))
        workers.append(try await startWorker(cluster, 2))
        let threeWorkers = try await throughput(apis: apis, input: pdf, jobs: 40)
        print("multinode throughput (to/text, async, 2 API nodes): 1 worker \(oneWorker) jobs/s, 3 workers \(threeWorkers) jobs/s")

        // 300 mixed jobs; two workers killed once a third were accepted, one started again.
        let total = 300
        let running = workers
        let killer = Task {
            try await Task.sleep(for: .seconds(4))
            running[1].kill9()
            running[2].kill9()
            try await Task.sleep(for: .seconds(3))
            try await running[1].start()
        }
        let outcomes = try await withThrowingTaskGroup(of: JobOutcome.self) { group in
            var outcomes: [JobOutcome] = []
            var next = 0
            func submit(_ index: Int) {
                let kind = kinds[index % kinds.count]
                let api = apis[index % 2]
                let sync = index % 4 == 0
                let other = apis[(index + 1) % 2]
                group.addTask { try await Self.run(kind, on: api, sync: sync, other: other) }
            }
            while next < min(24, total) {
                submit(next)
                next += 1
            }
            for try await outcome in group {
                outcomes.append(outcome)
                if next < total {
                    submit(next)
                    next += 1
                }
            }
            return outcomes
        }
        try await killer.value
        let failed = outcomes.filter { !$0.succeeded }
        print("multinode: \(total) jobs, \(outcomes.count - failed.count) succeeded, 2 workers killed -9, 1 restarted")
        #expect(outcomes.count == total)
        #expect(failed.isEmpty, "\(failed.prefix(5))")
        #expect(outcomes.allSatisfy { $0.downloaded }, "a result did not download through the other API node")

        // A worker node's /metrics counts the shared queue's jobs.
        let (metrics, metricsStatus) = try await HTTP.get(workers[0].baseURL + "/metrics")
        let text = String(decoding: metrics, as: UTF8.self)
        #expect(metricsStatus == 200 && text.contains("quire_node_ready 1"), "\(text)")
        let succeeded = text.split(separator: "\n").first { $0.hasPrefix("quire_jobs{state=\"success\"}") }
        #expect((succeeded?.split(separator: " ").last.flatMap { Int($0) } ?? 0) >= total, "\(text)")

        // Past their expiry, the janitor (every 2 s here) has deleted the short-lived objects.
        let deadline = max(expiresAt, Date()).addingTimeInterval(30)
        while Date() < deadline {
            var left = 0
            for id in expiring where try await cluster.store.size(of: id) != nil { left += 1 }
            if left == 0 && Date() > expiresAt { break }
            try await Task.sleep(for: .seconds(1))
        }
        for id in expiring { #expect(try await cluster.store.size(of: id) == nil, "\(id) is still in the bucket past its expiry") }
    }

    /// The file ID of a Quire file URL: `/files/<ID>.<expiry>.<signature>/<name>`.
    static func fileID(of url: String) throws -> String {
        let components = try #require(URL(string: url)?.pathComponents)
        return String(try #require(components.dropFirst(2).first?.split(separator: ".").first))
    }

    /// The outcome of one job, checked end to end.
    struct JobOutcome: Sendable, CustomStringConvertible {
        var path: String
        var succeeded: Bool
        var downloaded: Bool
        var detail: String
        var description: String { "\(path): \(detail)" }
    }

    /// Submits `kind` to `api`, waits for the end (sync, or polling `/job/check` on the other
    /// node), then downloads its result through `other` (the link is signed by the cluster's one secret).
    static func run(_ kind: JobKind, on api: QuireServer, sync: Bool, other: QuireServer) async throws -> JobOutcome {
        var parameters = kind.parameters
        parameters["async"] = sync ? "false" : "true"
        let (answer, status) = try await HTTP.postJSON(api.baseURL + kind.path, parameters)
        var final = answer
        if !sync {
            guard status == 200, let jobID = answer["jobId"] as? String else {
                return JobOutcome(path: kind.path, succeeded: false, downloaded: false, detail: "\(status) \(answer)")
            }
            final = try await waitForJob(other.baseURL, jobID, timeout: 600)
        }
        let succeeded = (sync ? status == 200 : final["status"] as? String == "success") && final["error"] as? Bool == false
        guard succeeded, let url = final["url"] as? String, let path = URL(string: url)?.path else {
            return JobOutcome(path: kind.path, succeeded: false, downloaded: false, detail: "\(status) \(final)")
        }
        let (bytes, downloadStatus) = try await HTTP.get(other.baseURL + path)
        return JobOutcome(path: kind.path, succeeded: true, downloaded: downloadStatus == 200 && !bytes.isEmpty, detail: "ok")
    }

    /// Jobs per second for `jobs` async text jobs spread over both API nodes.
    func throughput(apis: [QuireServer], input: String, jobs: Int) async throws -> String {
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<jobs {
                group.addTask {
                    let api = apis[index % 2]
                    let (answer, _) = try await HTTP.postJSON(api.baseURL + "/pdf/convert/to/text", ["url": input, "async": true])
                    let check = try await waitForJob(apis[(index + 1) % 2].baseURL, answer["jobId"] as? String ?? "", timeout: 300)
                    #expect(check["status"] as? String == "success", "\(check)")
                }
            }
            try await group.waitForAll()
        }
        let elapsed = (ContinuousClock.now - start).components
        let seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
        return String(format: "%.1f", Double(jobs) / seconds)
    }
}

// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireTestSupport
import Testing

/// `/metrics` (Prometheus text, no key needed) counts requests by route and status, job
/// attempts by operation and outcome, bytes stored; `--log-format json` writes one JSON object
/// a line with the job's ID on the worker's lines.
struct ObservabilityTests {
    @Test func metricsAndJSONLogs() async throws {
        let temp = TemporaryDirectory()
        let log = temp.file("server.log")
        let server = try await QuireServer(
            data: temp.file("data"), arguments: ["--api-key", "metrics-key", "--log-format", "json"],
            environment: ["LOG_LEVEL": "info"], errorLog: log)
        defer { server.stop() }
        let key = ["x-api-key": "metrics-key"]
        let upload = try await HTTP.postJSON(
            "\(server.baseURL)/v1/file/upload/base64", ["file": TestPDF.make(pages: ["Counted"]).base64EncodedString(), "name": "a.pdf"],
            headers: key)
        let url = try #require(upload.0["url"] as? String, "\(upload)")
        let (text, status) = try await HTTP.postJSON(
            "\(server.baseURL)/v1/pdf/convert/to/text", ["url": url, "inline": true], headers: key)
        #expect(status == 200, "\(text)")
        _ = try await HTTP.postJSON("\(server.baseURL)/v1/pdf/convert/to/text", ["url": "not a url"], headers: key)
        // An async job polled to its end: its answer is then kept for later polls.
        let (accepted, _) = try await HTTP.postJSON(
            "\(server.baseURL)/v1/pdf/convert/to/text", ["url": url, "async": true], headers: key)
        let jobID = try #require(accepted["jobId"] as? String, "\(accepted)")
        var jobStatus = ""
        for _ in 0..<200 where jobStatus != "success" {
            jobStatus = try await HTTP.getJSON("\(server.baseURL)/v1/job/check?jobid=\(jobID)", headers: key).0["status"] as? String ?? ""
            if jobStatus != "success" { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(jobStatus == "success")

        let (body, metricsStatus) = try await HTTP.get("\(server.baseURL)/metrics")
        #expect(metricsStatus == 200)
        let metrics = String(decoding: body, as: UTF8.self)
        for expected in [
            #"quire_http_requests_total{http_route="/v1/pdf/convert/to/text",http_request_method="POST",http_response_status_code="200"} 2"#,
            #"http_response_status_code="400"} 1"#,
            #"quire_job_attempts_total{operation="pdf.to-text",outcome="success"} 2"#,
            "quire_job_attempt_duration_seconds_bucket", "quire_http_request_duration_seconds_bucket",
            #"quire_stored_bytes_total{kind="upload"}"#, #"quire_stored_bytes_total{kind="result"}"#,
            #"quire_jobs{state="success"} 2"#, "quire_node_ready 1", "quire_job_answers_cached_entries 1.0",
        ] {
            #expect(metrics.contains(expected), "\(expected) missing from:\n\(metrics)")
        }
        // Memory gauges with plausible values: a server holds megabytes, SQLite some of them.
        func gauge(_ name: String) -> Double? {
            metrics.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Double($0.split(separator: " ")[1]) }
        }
        let resident = try #require(gauge("process_resident_memory_bytes"), "\(metrics)")
        let sqlite = try #require(gauge("quire_sqlite_memory_bytes"), "\(metrics)")
        #expect(resident > 10e6 && resident < 2e9 && sqlite > 0 && sqlite < resident, "\(resident) \(sqlite)")
        let cachedBytes = try #require(gauge("quire_job_answers_cached_bytes"), "\(metrics)")
        #expect(cachedBytes > 100 && cachedBytes < 10_000, "one answer: \(cachedBytes)")

        let lines = try String(contentsOf: log, encoding: .utf8).split(separator: "\n")
        let objects = lines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(!lines.isEmpty && objects.count == lines.count, "every line is one JSON object: \(lines.prefix(3))")
        let succeeded = objects.first { $0["message"] as? String == "job succeeded" }
        #expect(succeeded?["job.id"] as? String != nil && succeeded?["level"] as? String == "info", "\(objects)")
        #expect(objects.allSatisfy { $0["time"] is String && $0["label"] is String })
    }
}

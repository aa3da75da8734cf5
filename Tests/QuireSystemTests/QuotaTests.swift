// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireTestSupport
import Testing

/// The quotas of `quire serve`: a key's request rate, a key's jobs at once and the queue's
/// length, each answered PDF.co's way with `Retry-After`.
@Suite(.serialized)
final class QuotaTests {
    let temp = TemporaryDirectory()

    /// Status and `Retry-After` of a POST of `json` (curl, which shows the header).
    func post(_ url: String, _ json: String) throws -> (status: Int, retryAfter: String) {
        let answer = try runCommand(
            "curl",
            ["-s", "-o", "/dev/null", "-w", "%{http_code} %header{retry-after}", "-H", "Content-Type: application/json", "-d", json, url])
        let parts = answer.output.split(separator: " ", maxSplits: 1).map(String.init)
        return (Int(parts.first ?? "") ?? 0, parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : "")
    }

    /// With `--rate-limit 2`, a burst of ten requests gets 429s with `Retry-After`; `/healthz`
    /// is never counted, and after a second the key is served again.
    @Test func requestRatePerKey() async throws {
        let server = try await QuireServer(data: temp.file("rate"), arguments: ["--rate-limit", "2"])
        defer { server.stop() }
        var statuses: [Int] = []
        for _ in 0..<10 { statuses.append(try post("\(server.baseURL)/barcode/generate", #"{"value": "Q"}"#).status) }
        #expect(statuses.filter { $0 == 200 }.count <= 3, "\(statuses)")
        #expect(statuses.contains(429), "\(statuses)")
        let refused = try post("\(server.baseURL)/barcode/generate", #"{"value": "Q"}"#)
        #expect(refused.status == 429 && Int(refused.retryAfter) ?? 0 >= 1, "\(refused)")
        for _ in 0..<10 { #expect(try await HTTP.get("\(server.baseURL)/healthz").1 == 200) }
        try await Task.sleep(for: .milliseconds(1100))
        #expect(try post("\(server.baseURL)/barcode/generate", #"{"value": "Q"}"#).status == 200)
    }

    /// With `--max-jobs-per-key 1`, a second job while the first still runs is a 429; with
    /// `--max-queued-jobs 1`, a job past one waiting is a 503.
    @Test func jobsPerKeyAndQueueLength() async throws {
        let perKey = try await QuireServer(
            data: temp.file("per-key"), arguments: ["--max-jobs-per-key", "1", "--enable-test-operations", "--job-timeout", "5"])
        defer { perKey.stop() }
        let (first, _) = try await HTTP.postJSON("\(perKey.baseURL)/debug/engine-hang", ["async": true])
        #expect(first["jobId"] != nil, "\(first)")
        let second = try post("\(perKey.baseURL)/debug/engine-hang", #"{"async": true}"#)
        #expect(second.status == 429 && second.retryAfter == "5", "\(second)")

        let queue = try await QuireServer(
            data: temp.file("queue"),
            arguments: ["--workers", "1", "--max-queued-jobs", "1", "--enable-test-operations", "--job-timeout", "5"])
        defer { queue.stop() }
        // One job runs (the only engine host hangs on it), one waits; the queue is then full.
        var accepted = 0
        var full: (status: Int, retryAfter: String)?
        for _ in 0..<6 {
            let answer = try post("\(queue.baseURL)/debug/engine-hang", #"{"async": true}"#)
            if answer.status == 200 { accepted += 1 } else { full = answer }
            if full != nil { break }
            try await Task.sleep(for: .milliseconds(1100))  // the queue's depth is read at most once a second
        }
        #expect(accepted >= 2, "\(accepted)")
        #expect(full?.status == 503 && full?.retryAfter == "10", "\(String(describing: full))")
    }
}

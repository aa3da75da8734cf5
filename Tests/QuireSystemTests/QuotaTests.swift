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
    func post(_ url: String, _ json: String) async throws -> (status: Int, retryAfter: String) {
        let answer = try await runCommand(
            "curl",
            ["-s", "-o", "/dev/null", "-w", "%{http_code} %header{retry-after}", "-H", "Content-Type: application/json", "-d", json, url])
        let parts = answer.output.split(separator: " ", maxSplits: 1).map(String.init)
        return (Int(parts.first ?? "") ?? 0, parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : "")
    }

    /// The statuses of `count` POSTs of `json` sent back to back from one process: ten curl
    /// processes can take seconds to start on a loaded machine, long enough for the rate to refill.
    func burst(_ count: Int, to url: String, _ json: String) async throws -> [(status: Int, retryAfter: String)] {
        let script = """
            import sys, urllib.request, urllib.error
            for _ in range(int(sys.argv[1])):
                request = urllib.request.Request(sys.argv[2], data=sys.argv[3].encode(), headers={"Content-Type": "application/json"})
                try:
                    print(urllib.request.urlopen(request).status, "")
                except urllib.error.HTTPError as error:
                    print(error.code, error.headers.get("Retry-After", ""))
            """
        let lines = try await runCommand("python3", ["-c", script, String(count), url, json]).output.split(separator: "\n")
        return lines.map { line in
            let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
            return (Int(parts.first ?? "") ?? 0, parts.count > 1 ? parts[1] : "")
        }
    }

    /// With `--rate-limit 2`, a burst of ten requests gets 429s with `Retry-After`; `/healthz`
    /// is never counted, and after a second the key is served again.
    @Test func requestRatePerKey() async throws {
        let server = try await QuireServer(data: temp.file("rate"), arguments: ["--rate-limit", "2"])
        defer { server.stop() }
        let answers = try await burst(10, to: "\(server.baseURL)/barcode/generate", #"{"value": "Q"}"#)
        let statuses = answers.map(\.status)
        #expect(statuses.filter { $0 == 200 }.count <= 3, "\(statuses)")
        let refused = answers.filter { $0.status == 429 }
        #expect(!refused.isEmpty && refused.allSatisfy { Int($0.retryAfter) ?? 0 >= 1 }, "\(answers)")
        for _ in 0..<10 { #expect(try await HTTP.get("\(server.baseURL)/healthz").1 == 200) }
        try await Task.sleep(for: .milliseconds(1100))
        #expect(try await post("\(server.baseURL)/barcode/generate", #"{"value": "Q"}"#).status == 200)
    }

    /// With `--max-jobs-per-key 1`, a second job while the first still runs is a 429; with
    /// `--max-queued-jobs 1`, a job past one waiting is a 503.
    @Test func jobsPerKeyAndQueueLength() async throws {
        // The hanging job must still run when the second post comes: on a loaded CI machine that
        // post came more than 5 s later, after the first job had timed out.
        let perKey = try await QuireServer(
            data: temp.file("per-key"), arguments: ["--max-jobs-per-key", "1", "--enable-test-operations", "--job-timeout", "30"])
        defer { perKey.stop() }
        let (first, _) = try await HTTP.postJSON("\(perKey.baseURL)/debug/engine-hang", ["async": true])
        #expect(first["jobId"] != nil, "\(first)")
        let second = try await post("\(perKey.baseURL)/debug/engine-hang", #"{"async": true}"#)
        #expect(second.status == 429 && second.retryAfter == "5", "\(second)")

        let queue = try await QuireServer(
            data: temp.file("queue"),
            arguments: ["--workers", "1", "--max-queued-jobs", "1", "--enable-test-operations", "--job-timeout", "5"])
        defer { queue.stop() }
        // One job runs (the only engine host hangs on it for 5 s), the rest of a burst waits:
        // the queue's depth is read at most once a second, so the burst gets in whole, and the
        // next job past that second finds the queue full. (Posts spaced a second apart could
        // each find the queue drained on a loaded machine, where one post took seconds.)
        let burst = try await burst(6, to: "\(queue.baseURL)/debug/engine-hang", #"{"async": true}"#)
        #expect(burst.filter { $0.status == 200 }.count >= 2, "\(burst)")
        try await Task.sleep(for: .milliseconds(1100))
        let full = try await post("\(queue.baseURL)/debug/engine-hang", #"{"async": true}"#)
        #expect(full.status == 503 && full.retryAfter == "10", "\(full)")
    }
}

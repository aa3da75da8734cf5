// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore
import QuireJobs
import QuireStorage

/// PDF.co answer fields for jobs: the immediate async answer, the sync result and `/job/check`.
package struct JobAnswers: Sendable {
    /// On-prem servers have no credits; integrations still read the field (n8n, Zapier).
    static let remainingCredits = 1_000_000_000
    let urls: FileURLs

    package init(urls: FileURLs) {
        self.urls = urls
    }

    /// The result URL, known from the moment the job is accepted (nil for JSON-only results).
    package func resultURL(of job: JobRecord) -> String? {
        guard job.spec.operation.conversion.result.hasFile else { return nil }
        return urls.downloadURL(fileID: job.spec.resultFileID, name: job.spec.outputName, expires: job.resultExpiresAt)
    }

    /// `{"jobId", "url", "name", …}`: the answer to an `async=true` request.
    package func accepted(_ job: JobRecord) -> [String: JSONValue] {
        var fields = common(job)
        fields["jobId"] = .string(job.id)
        fields["credits"] = .int(0)
        return fields
    }

    /// The answer to a finished sync request (`error: false`).
    package func succeeded(_ job: JobRecord) -> [String: JSONValue] {
        var fields = common(job)
        if let result = job.result {
            if let pages = result.pageCount {
                fields["pageCount"] = .int(pages)
                fields["credits"] = .int(pages)
            }
            for (name, value) in result.fields { fields[name] = value }
        }
        fields["duration"] = .int(job.durationMilliseconds())
        return fields
    }

    /// The `/job/check` answer: `status` is the job state as a string, `error` flags failures.
    package func check(_ job: JobRecord, now: Date = Date()) -> [String: JSONValue] {
        var fields = job.state == .success ? succeeded(job) : common(job)
        fields["jobId"] = .string(job.id)
        fields["status"] = .string(job.state.pdfcoStatus)
        fields["jobDuration"] = .int(job.durationMilliseconds(now: now))
        fields["duration"] = .int(job.durationMilliseconds(now: now))
        switch job.state {
        case .queued, .running:
            fields["message"] = .string("Working")
        case .success:
            fields["message"] = .string("Success")
        case .failed, .aborted:
            fields["error"] = .bool(true)
            fields["message"] = .string(job.failure?.message ?? "The job failed.")
            if let status = job.failure?.status { fields["errorCode"] = .int(status) }
        }
        return fields
    }

    /// `/job/check` for an ID this caller does not know.
    package static func unknown(_ id: String) -> [String: JSONValue] {
        [
            "status": .string("unknown"), "jobId": .string(id), "error": .bool(false),
            "message": .string("No job with this ID exists (it may have expired)."),
            "remainingCredits": .int(remainingCredits),
        ]
    }

    private func common(_ job: JobRecord) -> [String: JSONValue] {
        var fields: [String: JSONValue] = [
            "error": .bool(false),
            "status": .int(200),
            // PDF.co echoes the `name` sent (without the extension it adds to the URL); the echo
            // is sanitized too, so no path or control character comes back.
            "name": .string(job.spec.requestedName.map { OutputName.sanitize($0, extension: nil) } ?? job.spec.outputName),
            "remainingCredits": .int(Self.remainingCredits),
            "outputLinkValidTill": .string(Self.iso8601(job.resultExpiresAt)),
        ]
        if let url = resultURL(of: job) { fields["url"] = .string(url) }
        return fields
    }

    /// PDF.co writes `2025-08-11T17:09:13.263623+00:00`; Quire gives whole seconds, in UTC.
    /// By hand: a new ISO8601DateFormatter per answer cost a third of `/job/check`'s time.
    static func iso8601(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T"
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))+00:00"
    }
}

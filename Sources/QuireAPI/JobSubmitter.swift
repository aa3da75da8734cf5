// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import Hummingbird
import QuireCore
import QuireJobs
import ServiceLifecycle

/// Puts jobs in the durable queue and answers: at once (`async=true`) or when the job ends.
/// Sync requests go through the same queue as async ones, so they survive the same failures.
package struct JobSubmitter: Sendable {
    let services: APIServices
    let answers: JobAnswers

    package init(services: APIServices) {
        self.services = services
        self.answers = JobAnswers(urls: services.urls)
    }

    /// Enqueues `spec` for `owner`; the record is durable before this returns.
    package func enqueue(_ spec: JobSpec, owner: String) async throws -> JobRecord {
        let job = JobRecord(
            id: RandomID.make(), owner: owner, spec: spec, maxAttempts: services.limits.maxAttempts, createdAt: Date())
        try await services.queue.enqueue(job)
        return job
    }

    /// Enqueues and answers the PDF.co way; `transform` may adjust the success fields (e.g. inline body).
    package func submit(
        _ spec: JobSpec, owner: String, isAsync: Bool,
        transform: @Sendable (JobRecord, inout [String: JSONValue]) async throws -> Void = { _, _ in }
    ) async throws -> Response {
        let job = try await enqueue(spec, owner: owner)
        if isAsync { return JSONAnswer.make(answers.accepted(job)) }
        let finished = try await waitForEnd(of: job.id)
        switch finished.state {
        case .success:
            var fields = answers.succeeded(finished)
            try await transform(finished, &fields)
            return JSONAnswer.make(fields)
        case .failed, .aborted:
            throw finished.failure.map(APIError.init) ?? APIError(500, "The job failed.")
        case .queued, .running:
            if Task.isShuttingDownGracefully {
                throw APIError(
                    503, "The server is shutting down; the job will run again when it is back. Poll /job/check with jobId \(job.id).")
            }
            throw APIError(
                445,
                "The job did not finish within the time a synchronous request waits. Send async=true and poll /job/check with jobId \(job.id)."
            )
        }
    }

    /// Waits until job `id` ends, the sync deadline passes or the server shuts down (the HTTP
    /// server stops before the worker and waits for open requests, so a waiting request must not
    /// hold it); returns the job's latest record.
    private func waitForEnd(of id: String) async throws -> JobRecord {
        // Every attempt may use the whole job timeout; leave room for retries after a crash.
        let deadline = ContinuousClock.now + services.limits.jobTimeout * services.limits.maxAttempts + .seconds(30)
        while true {
            guard let job = try await services.queue.job(id: id) else { throw APIError(500, "The job disappeared.") }
            if job.state.isFinished || ContinuousClock.now >= deadline || Task.isShuttingDownGracefully { return job }
            await services.signals.waitForFinish(of: id, timeout: .milliseconds(500))
        }
    }
}

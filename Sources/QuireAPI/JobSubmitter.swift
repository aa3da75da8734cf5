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
    private let queueDepth: QueueDepth

    package init(services: APIServices) {
        self.services = services
        self.answers = JobAnswers(urls: services.urls)
        self.queueDepth = QueueDepth(queue: services.queue)
    }

    /// Enqueues `spec` for `owner`; the record is durable before this returns.
    /// - Throws: `APIError` 429 past the key's job quota, 503 when the queue is full.
    package func enqueue(_ spec: JobSpec, owner: String) async throws -> JobRecord {
        try await checkQuotas(owner: owner)
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

    /// `--max-jobs-per-key` and `--max-queued-jobs`.
    private func checkQuotas(owner: String) async throws {
        let limits = services.limits
        if limits.maxActiveJobsPerKey > 0, try await services.queue.activeJobCount(owner: owner) >= limits.maxActiveJobsPerKey {
            throw APIError(
                429,
                "This API key has \(limits.maxActiveJobsPerKey) jobs queued or running, its limit (--max-jobs-per-key); try again when one has finished.",
                retryAfter: 5)
        }
        if limits.maxQueuedJobs > 0, try await queueDepth.queued() >= limits.maxQueuedJobs {
            throw APIError(
                503, "The queue is full (\(limits.maxQueuedJobs) jobs waiting, --max-queued-jobs); try again in a moment.", retryAfter: 10)
        }
    }

    /// Waits until job `id` ends, the sync deadline passes or the server shuts down (the HTTP
    /// server stops before the worker and waits for open requests, so a waiting request must not
    /// hold it); returns the job's latest record.
    private func waitForEnd(of id: String) async throws -> JobRecord {
        // Every attempt may use the whole job timeout; leave room for retries after a crash.
        let deadline = ContinuousClock.now + services.limits.jobTimeout * services.limits.maxAttempts + .seconds(30)
        while true {
            // Wait first: the job was enqueued a moment ago, and reading it before its signal
            // was one more database read (and record decoding) per sync job. A finish signalled
            // before the wait began is still seen (the signals keep recent ones).
            await services.signals.waitForFinish(of: id, timeout: .milliseconds(500))
            guard let job = try await services.queue.job(id: id) else { throw APIError(500, "The job disappeared.") }
            if job.state.isFinished || ContinuousClock.now >= deadline || Task.isShuttingDownGracefully { return job }
        }
    }
}

/// The number of queued jobs, read from the queue at most once a second: a full queue is a
/// steady state, and counting on every submission would cost each job a query.
final class QueueDepth: @unchecked Sendable {
    private let queue: any JobQueue
    private let lock = NSLock()
    private var last: (count: Int, at: ContinuousClock.Instant)?

    init(queue: any JobQueue) { self.queue = queue }

    func queued() async throws -> Int {
        let now = ContinuousClock.now
        if let last = lock.withLock({ last }), now - last.at < .seconds(1) { return last.count }
        let count = try await queue.counts()[.queued] ?? 0
        lock.withLock { last = (count, now) }
        return count
    }
}

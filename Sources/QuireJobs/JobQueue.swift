// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore

/// The durable queue of jobs: written before the API answers, leased by workers with a deadline.
///
/// A lease that expires (its worker was killed) puts the job back in the queue; a job leased
/// `maxAttempts` times without finishing fails with a reason. Every method takes `now` so the
/// lease rules can be tested with a fixed clock.
package protocol JobQueue: Sendable {
    func enqueue(_ job: JobRecord) async throws
    /// The oldest queued job, leased to `workerID` until `now + leaseDuration`; nil when none waits.
    func lease(workerID: String, leaseDuration: Duration, now: Date) async throws -> JobRecord?
    /// Extends a lease. False when the lease is no longer this worker's (it expired and was re-leased).
    func heartbeat(jobID: String, workerID: String, leaseDuration: Duration, now: Date) async throws -> Bool
    /// Ends the job with `result`. Ignored when the lease is no longer this worker's.
    func complete(jobID: String, workerID: String, result: JobResult, now: Date) async throws
    /// Ends an attempt with `failure`: retryable failures go back to the queue while attempts remain.
    func fail(jobID: String, workerID: String, failure: JobFailure, now: Date) async throws
    func job(id: String) async throws -> JobRecord?
    /// Puts every running job back in the queue (startup of the single process that owns the queue).
    func releaseAllLeases(now: Date) async throws -> Int
    /// Deletes finished jobs whose `expiresAt` has passed; returns how many.
    func removeExpired(now: Date) async throws -> Int
    /// Counts of jobs per state, for `/healthz` and logs.
    func counts() async throws -> [JobState: Int]
}

/// Errors of the queue itself (not of the jobs it holds).
package enum JobQueueError: Error, Equatable {
    case duplicateID(String)
}

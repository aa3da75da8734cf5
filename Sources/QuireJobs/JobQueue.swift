// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore

/// The durable queue of jobs: written before the API answers, leased by workers with a deadline.
///
/// A lease that expires (its worker was killed) puts the job back in the queue; a job leased
/// `maxAttempts` times without finishing fails with a reason. Lease times come from the
/// backend's `JobClock` (the database's clock), never from the caller, so workers whose
/// clocks disagree still agree on which lease has expired.
package protocol JobQueue: Sendable {
    func enqueue(_ job: JobRecord) async throws
    /// The oldest queued job, leased to `workerID` for `leaseDuration`; nil when none waits.
    /// Expired leases are reclaimed first; a live lease of another worker is never taken.
    func lease(workerID: String, leaseDuration: Duration) async throws -> JobRecord?
    /// Extends a lease. False when the lease is no longer this worker's (it expired and was re-leased).
    func heartbeat(jobID: String, workerID: String, leaseDuration: Duration) async throws -> Bool
    /// Ends the job with `result`. Ignored when the lease is no longer this worker's.
    func complete(jobID: String, workerID: String, result: JobResult) async throws
    /// Ends an attempt with `failure`: retryable failures go back to the queue while attempts remain.
    func fail(jobID: String, workerID: String, failure: JobFailure) async throws
    /// Gives a job this worker holds back to the queue at once, its attempt not counted: the
    /// worker is shutting down, the job did nothing wrong. Ignored when the lease is no longer
    /// this worker's.
    func handBack(jobID: String, workerID: String) async throws
    func job(id: String) async throws -> JobRecord?
    /// Hands back the leases of earlier runs of `identity`'s instance (a process that died
    /// holding them) without waiting for them to expire; returns how many. Leases of other
    /// instances, and of this run, are left alone.
    func releaseLeases(ofEarlierRunsOf identity: WorkerIdentity) async throws -> Int
    /// Deletes finished jobs whose `expiresAt` has passed; returns how many.
    func removeExpired() async throws -> Int
    /// Counts of jobs per state, for `/healthz` and logs.
    func counts() async throws -> [JobState: Int]
    /// How many of `owner`'s jobs are queued or running (the per-key job quota).
    func activeJobCount(owner: String) async throws -> Int
}

/// Errors of the queue itself (not of the jobs it holds).
package enum JobQueueError: Error, Equatable {
    case duplicateID(String)
    /// The database did not answer the time (a backend bug, not a client's).
    case noDatabaseTime
}

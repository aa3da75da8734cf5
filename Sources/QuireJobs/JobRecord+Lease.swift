// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore

// MARK: - Lease rules, shared by every JobQueue backend

extension JobRecord {
    /// Whether `workerID` holds the job's lease right now.
    package func isLeased(by workerID: String) -> Bool {
        state == .running && leaseOwner == workerID
    }

    /// Starts an attempt held by `workerID` until `now + duration`.
    package mutating func takeLease(workerID: String, duration: Duration, now: Date) {
        state = .running
        attempts += 1
        leaseOwner = workerID
        leaseExpiresAt = now.addingTimeInterval(duration.timeInterval)
        startedAt = startedAt ?? now
    }

    /// Ends a lease whose worker vanished: back to the queue, or failed once its attempts are
    /// used up. Returns true when the job finished.
    package mutating func dropLease(now: Date) -> Bool {
        leaseOwner = nil
        leaseExpiresAt = nil
        guard attempts >= maxAttempts else {
            state = .queued
            return false
        }
        finish(.failed, now: now)
        failure = JobFailure(
            status: 500,
            message: "The job was interrupted \(attempts) times (worker stopped or engine crashed) and was given up.")
        return true
    }

    /// Back to the queue from a worker that stops (not a failed attempt: it is not counted).
    package mutating func handBack() {
        state = .queued
        leaseOwner = nil
        leaseExpiresAt = nil
        attempts = max(0, attempts - 1)
    }

    /// Ends an attempt with `failure`. Returns true when the job finished (no retry).
    package mutating func record(_ failure: JobFailure, now: Date) -> Bool {
        leaseOwner = nil
        leaseExpiresAt = nil
        self.failure = failure  // kept as the last reason when retried, shown if a later attempt fails too
        guard failure.isRetryable && attempts < maxAttempts else {
            finish(.failed, now: now)
            return true
        }
        state = .queued
        return false
    }

    /// Ends the job in `state`; the record then lives `expiration` minutes.
    package mutating func finish(_ state: JobState, now: Date) {
        self.state = state
        leaseOwner = nil
        leaseExpiresAt = nil
        finishedAt = now
        expiresAt = now.addingTimeInterval(Double(spec.expirationMinutes) * 60)
        // The record outlives the job by `expiration` minutes; its passwords must not.
        spec.eraseSecrets()
    }
}

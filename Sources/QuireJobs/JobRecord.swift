// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import GRDB
import QuireCore

/// The durable record of one accepted job.
package struct JobRecord: Sendable, Codable, Equatable, FetchableRecord, PersistableRecord {
    package static let databaseTableName = "jobs"

    package var id: String
    /// API key ID that made the job; other keys see it as unknown.
    package var owner: String
    package var spec: JobSpec
    package var state: JobState
    /// Leases taken so far (1 while the first attempt runs).
    package var attempts: Int
    package var maxAttempts: Int
    package var leaseOwner: String?
    package var leaseExpiresAt: Date?
    package var result: JobResult?
    package var failure: JobFailure?
    package var createdAt: Date
    package var startedAt: Date?
    package var finishedAt: Date?
    /// When the janitor may delete the record (set when the job finishes).
    package var expiresAt: Date?

    package init(id: String, owner: String, spec: JobSpec, maxAttempts: Int, createdAt: Date) {
        self.id = id
        self.owner = owner
        self.spec = spec
        self.state = .queued
        self.attempts = 0
        self.maxAttempts = maxAttempts
        self.createdAt = createdAt
    }

    /// When the job's result link and file stop working: creation plus `expiration` minutes.
    /// Fixed when the job is accepted, so the async answer's URL is the final one.
    package var resultExpiresAt: Date {
        createdAt.addingTimeInterval(Double(spec.expirationMinutes) * 60)
    }

    /// Milliseconds from creation to the end (or to `now` while working).
    package func durationMilliseconds(now: Date = Date()) -> Int {
        Int(((finishedAt ?? now).timeIntervalSince(createdAt) * 1000).rounded())
    }
}

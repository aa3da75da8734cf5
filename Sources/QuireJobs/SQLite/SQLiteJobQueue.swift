// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import GRDB
import QuireCore

/// The embedded job queue: one SQLite database in WAL mode, shared with the file catalog.
///
/// SQLite serialises writers, so a lease is a single `UPDATE … RETURNING` and two workers can
/// never hold the same job.
package struct SQLiteJobQueue: JobQueue {
    private let database: any DatabaseWriter
    package let signals: JobSignals

    package init(database: any DatabaseWriter, signals: JobSignals = JobSignals()) {
        self.database = database
        self.signals = signals
    }

    /// Creates the `jobs` table; registered as a migration by the app.
    package static func createSchema(_ db: Database) throws {
        try db.create(table: JobRecord.databaseTableName, options: .ifNotExists) { t in
            t.primaryKey("id", .text)
            t.column("owner", .text).notNull()
            t.column("spec", .jsonText).notNull()
            t.column("state", .text).notNull()
            t.column("attempts", .integer).notNull()
            t.column("maxAttempts", .integer).notNull()
            t.column("leaseOwner", .text)
            t.column("leaseExpiresAt", .datetime)
            t.column("result", .jsonText)
            t.column("failure", .jsonText)
            t.column("createdAt", .datetime).notNull()
            t.column("startedAt", .datetime)
            t.column("finishedAt", .datetime)
            t.column("expiresAt", .datetime)
        }
        try db.create(index: "jobs_state_created", on: "jobs", columns: ["state", "createdAt"], ifNotExists: true)
    }

    package func enqueue(_ job: JobRecord) async throws {
        try await database.write { db in
            guard try !JobRecord.exists(db, key: job.id) else { throw JobQueueError.duplicateID(job.id) }
            try job.insert(db)
        }
        await signals.jobEnqueued()
    }

    package func lease(workerID: String, leaseDuration: Duration, now: Date) async throws -> JobRecord? {
        let (leased, failedIDs) = try await database.write { db -> (JobRecord?, [String]) in
            let failed = try Self.reclaimExpiredLeases(db, now: now)
            let job = try JobRecord.fetchOne(
                db,
                sql: """
                    UPDATE jobs SET state = 'running', attempts = attempts + 1, leaseOwner = ?,
                        leaseExpiresAt = ?, startedAt = COALESCE(startedAt, ?)
                    WHERE id = (SELECT id FROM jobs WHERE state = 'queued' ORDER BY createdAt LIMIT 1)
                    RETURNING *
                    """,
                arguments: [workerID, now.addingTimeInterval(leaseDuration.timeInterval), now])
            return (job, failed)
        }
        for id in failedIDs { await signals.jobFinished(id) }
        return leased
    }

    /// Jobs whose worker vanished: back to the queue, or failed once their attempts are used up.
    private static func reclaimExpiredLeases(_ db: Database, now: Date) throws -> [String] {
        let expired = try JobRecord.fetchAll(
            db, sql: "SELECT * FROM jobs WHERE state = 'running' AND leaseExpiresAt < ?", arguments: [now])
        var failed: [String] = []
        for var job in expired {
            job.leaseOwner = nil
            job.leaseExpiresAt = nil
            if job.attempts >= job.maxAttempts {
                finish(&job, state: .failed, now: now)
                job.failure = JobFailure(
                    status: 500,
                    message: "The job was interrupted \(job.attempts) times (worker stopped or engine crashed) and was given up.")
                failed.append(job.id)
            } else {
                job.state = .queued
            }
            try job.update(db)
        }
        return failed
    }

    package func heartbeat(jobID: String, workerID: String, leaseDuration: Duration, now: Date) async throws -> Bool {
        try await database.write { db in
            try db.execute(
                sql: "UPDATE jobs SET leaseExpiresAt = ? WHERE id = ? AND state = 'running' AND leaseOwner = ?",
                arguments: [now.addingTimeInterval(leaseDuration.timeInterval), jobID, workerID])
            return db.changesCount == 1
        }
    }

    package func complete(jobID: String, workerID: String, result: JobResult, now: Date) async throws {
        try await updateLeased(jobID: jobID, workerID: workerID) { job in
            Self.finish(&job, state: .success, now: now)
            job.result = result
        }
    }

    package func fail(jobID: String, workerID: String, failure: JobFailure, now: Date) async throws {
        try await updateLeased(jobID: jobID, workerID: workerID) { job in
            job.leaseOwner = nil
            job.leaseExpiresAt = nil
            if failure.isRetryable && job.attempts < job.maxAttempts {
                job.state = .queued
                job.failure = failure  // kept as the last reason, shown if a later attempt fails too
            } else {
                Self.finish(&job, state: .failed, now: now)
                job.failure = failure
            }
        }
    }

    private func updateLeased(jobID: String, workerID: String, _ change: @escaping @Sendable (inout JobRecord) -> Void) async throws {
        let finished = try await database.write { db -> Bool in
            guard var job = try JobRecord.fetchOne(db, key: jobID), job.state == .running, job.leaseOwner == workerID else {
                return false
            }
            change(&job)
            try job.update(db)
            if job.state == .queued { return false }
            return true
        }
        if finished { await signals.jobFinished(jobID) } else { await signals.jobEnqueued() }
    }

    private static func finish(_ job: inout JobRecord, state: JobState, now: Date) {
        job.state = state
        job.leaseOwner = nil
        job.leaseExpiresAt = nil
        job.finishedAt = now
        job.expiresAt = now.addingTimeInterval(Double(job.spec.expirationMinutes) * 60)
        // The record outlives the job by `expiration` minutes; its passwords must not.
        job.spec.eraseSecrets()
    }

    package func job(id: String) async throws -> JobRecord? {
        try await database.read { db in try JobRecord.fetchOne(db, key: id) }
    }

    package func releaseAllLeases(now: Date) async throws -> Int {
        let (released, failedIDs) = try await database.write { db -> (Int, [String]) in
            // Expire every lease now, then apply the usual rule: requeue, or fail when attempts are used up.
            try db.execute(
                sql: "UPDATE jobs SET leaseExpiresAt = ? WHERE state = 'running'", arguments: [now.addingTimeInterval(-1)])
            let released = db.changesCount
            return (released, try Self.reclaimExpiredLeases(db, now: now))
        }
        for id in failedIDs { await signals.jobFinished(id) }
        if released > 0 { await signals.jobEnqueued() }
        return released
    }

    package func removeExpired(now: Date) async throws -> Int {
        try await database.write { db in
            try db.execute(
                sql: "DELETE FROM jobs WHERE state IN ('success', 'failed', 'aborted') AND expiresAt < ?", arguments: [now])
            return db.changesCount
        }
    }

    package func counts() async throws -> [JobState: Int] {
        try await database.read { db in
            var counts: [JobState: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM jobs GROUP BY state") {
                if let state = JobState(rawValue: row["state"]) { counts[state] = row["n"] }
            }
            return counts
        }
    }
}

// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import GRDB
import QuireCore

/// The embedded job queue: one SQLite database in WAL mode, shared with the file catalog.
///
/// SQLite serialises writers, so a lease is a single `UPDATE … RETURNING` and two workers can
/// never hold the same job. Each transaction reads the time from SQLite (`JobClock`).
package struct SQLiteJobQueue: JobQueue {
    private let database: any DatabaseWriter
    private let signals: any JobSignals
    private let clock: JobClock

    package init(database: any DatabaseWriter, signals: any JobSignals = InProcessJobSignals(), clock: JobClock = .database) {
        self.database = database
        self.signals = signals
        self.clock = clock
    }

    /// Every migration of the queue, in order, for `QuireDatabase.open`.
    package static let migrations: [(String, @Sendable (Database) throws -> Void)] = [("jobs-v1", createSchema)]

    /// Creates the `jobs` table.
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

    /// The time in this transaction: SQLite's own clock, in the text form GRDB stores dates in
    /// (UTC `YYYY-MM-DD HH:MM:SS.SSS`), unless the clock is overridden.
    private func currentTime(_ db: Database) throws -> Date {
        if let override = clock.override { return override() }
        // Cached statements here and below: compiling each query again (with GRDB's authorizer)
        // was a visible part of a small job's cost in perf.
        guard let now = try Date.fetchOne(db.cachedStatement(sql: "SELECT strftime('%Y-%m-%d %H:%M:%f', 'now')")) else {
            throw JobQueueError.noDatabaseTime
        }
        return now
    }

    package func enqueue(_ job: JobRecord) async throws {
        try await database.write { db in
            let exists = try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS(SELECT 1 FROM jobs WHERE id = ?)"), arguments: [job.id])
            guard exists != true else { throw JobQueueError.duplicateID(job.id) }
            try job.insert(db)
        }
        await signals.jobEnqueued()
    }

    package func lease(workerID: String, leaseDuration: Duration) async throws -> JobRecord? {
        let (leased, failedIDs) = try await database.write { db -> (JobRecord?, [String]) in
            let now = try currentTime(db)
            let failed = try Self.dropLeases(db, where: "leaseExpiresAt < ?", [now], now: now)
            let job = try JobRecord.fetchOne(
                db.cachedStatement(
                    sql: """
                        UPDATE jobs SET state = 'running', attempts = attempts + 1, leaseOwner = ?,
                            leaseExpiresAt = ?, startedAt = COALESCE(startedAt, ?)
                        WHERE id = (SELECT id FROM jobs WHERE state = 'queued' ORDER BY createdAt, id LIMIT 1)
                        RETURNING *
                        """),
                arguments: [workerID, now.addingTimeInterval(leaseDuration.timeInterval), now])
            return (job, failed.finished)
        }
        for id in failedIDs { await signals.jobFinished(id) }
        return leased
    }

    /// Drops the leases of running jobs matching `condition`: each job goes back to the queue,
    /// or fails once its attempts are used up. Returns how many, and which finished.
    private static func dropLeases(
        _ db: Database, where condition: String, _ arguments: StatementArguments, now: Date
    ) throws -> (count: Int, finished: [String]) {
        let jobs = try JobRecord.fetchAll(
            db.cachedStatement(sql: "SELECT * FROM jobs WHERE state = 'running' AND \(condition)"), arguments: arguments)
        var finished: [String] = []
        for var job in jobs {
            if job.dropLease(now: now) { finished.append(job.id) }
            try job.update(db)
        }
        return (jobs.count, finished)
    }

    package func heartbeat(jobID: String, workerID: String, leaseDuration: Duration) async throws -> Bool {
        try await database.write { db in
            try db.cachedStatement(sql: "UPDATE jobs SET leaseExpiresAt = ? WHERE id = ? AND state = 'running' AND leaseOwner = ?")
                .execute(arguments: [try currentTime(db).addingTimeInterval(leaseDuration.timeInterval), jobID, workerID])
            return db.changesCount == 1
        }
    }

    package func complete(jobID: String, workerID: String, result: JobResult) async throws {
        try await updateLeased(jobID: jobID, workerID: workerID) { job, now in
            job.finish(.success, now: now)
            job.result = result
            return true
        }
    }

    package func fail(jobID: String, workerID: String, failure: JobFailure) async throws {
        try await updateLeased(jobID: jobID, workerID: workerID) { job, now in job.record(failure, now: now) }
    }

    package func handBack(jobID: String, workerID: String) async throws {
        try await updateLeased(jobID: jobID, workerID: workerID) { job, _ in
            job.handBack()
            return false
        }
    }

    /// Applies `change` to a job this worker still holds; `change` returns whether the job finished.
    private func updateLeased(
        jobID: String, workerID: String, _ change: @escaping @Sendable (inout JobRecord, Date) -> Bool
    ) async throws {
        let finished = try await database.write { db -> Bool? in
            guard var job = try Self.fetch(jobID, in: db), job.isLeased(by: workerID) else { return nil }
            let finished = change(&job, try currentTime(db))
            try job.update(db)
            return finished
        }
        switch finished {
        case true?: await signals.jobFinished(jobID)
        case false?: await signals.jobEnqueued()
        case nil: break
        }
    }

    package func job(id: String) async throws -> JobRecord? {
        try await database.read { db in try Self.fetch(id, in: db) }
    }

    private static func fetch(_ id: String, in db: Database) throws -> JobRecord? {
        try JobRecord.fetchOne(db.cachedStatement(sql: "SELECT * FROM jobs WHERE id = ?"), arguments: [id])
    }

    package func releaseLeases(ofEarlierRunsOf identity: WorkerIdentity) async throws -> Int {
        let prefix = identity.instancePrefix
        let released = try await database.write { db in
            // substr, not LIKE: an instance name is data, never a pattern.
            try Self.dropLeases(
                db, where: "substr(leaseOwner, 1, ?) = ? AND leaseOwner != ?", [prefix.count, prefix, identity.leaseOwner],
                now: try currentTime(db))
        }
        for id in released.finished { await signals.jobFinished(id) }
        if released.count > 0 { await signals.jobEnqueued() }
        return released.count
    }

    package func removeExpired() async throws -> Int {
        try await database.write { db in
            try db.execute(
                sql: "DELETE FROM jobs WHERE state IN ('success', 'failed', 'aborted') AND expiresAt < ?", arguments: [try currentTime(db)])
            return db.changesCount
        }
    }

    package func activeJobCount(owner: String) async throws -> Int {
        try await database.read { db in
            try Int.fetchOne(
                db.cachedStatement(sql: "SELECT COUNT(*) FROM jobs WHERE state IN (?, ?) AND owner = ?"),
                arguments: [JobState.queued.rawValue, JobState.running.rawValue, owner]) ?? 0
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

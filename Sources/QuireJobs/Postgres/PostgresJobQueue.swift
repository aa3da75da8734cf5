// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import Logging
import PostgresNIO
import QuireCore

/// The job queue shared by every node, in PostgreSQL.
///
/// A lease is `SELECT … FOR UPDATE SKIP LOCKED` inside an `UPDATE`: two workers on any nodes
/// never take the same job, and none waits for another's row lock. Each transaction reads the
/// time from PostgreSQL (`now()`, unless `JobClock.override` is set), so nodes whose clocks
/// disagree still agree on which lease has expired. The lease rules themselves are
/// `JobRecord+Lease`'s, shared with the other backends.
package struct PostgresJobQueue: JobQueue {
    private let client: PostgresClient
    private let signals: any JobSignals
    private let clock: JobClock
    let logger: Logger

    /// `client` must be running (`PostgresBackend.run()`) and migrated (`PostgresJobQueue.migrations`).
    package init(
        client: PostgresClient, signals: any JobSignals, clock: JobClock = .database, logger: Logger = Logger(label: "quire.postgres")
    ) {
        self.client = client
        self.signals = signals
        self.clock = clock
        self.logger = logger
    }

    /// The time in this transaction: `now()`, or the override. Unqualified `now()` so it is
    /// the database's, not this process's.
    private func currentTime(_ connection: PostgresConnection) async throws -> Date {
        if let override = clock.override { return override() }
        for try await now in try await connection.query("SELECT now()", logger: logger).decode(Date.self) { return now }
        throw JobQueueError.noDatabaseTime
    }

    package func enqueue(_ job: JobRecord) async throws {
        let inserted = try await client.withConnection { connection in
            try await connection.query(try insertQuery(job), logger: logger).collect().count
        }
        guard inserted == 1 else { throw JobQueueError.duplicateID(job.id) }
        await signals.jobEnqueued()
    }

    package func lease(workerID: String, leaseDuration: Duration) async throws -> JobRecord? {
        let (leased, finishedIDs) = try await client.withTransaction(logger: logger) { connection -> (JobRecord?, [String]) in
            let now = try await currentTime(connection)
            // Locked rows are skipped: a heartbeat in flight holds its row, and whoever comes next reclaims it.
            let expired = try await fetchJobs(
                connection,
                "SELECT \(unescaped: Self.columns) FROM jobs WHERE state = 'running' AND lease_expires_at < \(now) FOR UPDATE SKIP LOCKED"
            )
            let finished = try await drop(expired, now: now, connection)
            let deadline = now.addingTimeInterval(leaseDuration.timeInterval)
            let job = try await fetchJobs(
                connection,
                """
                UPDATE jobs SET state = 'running', attempts = attempts + 1, lease_owner = \(workerID),
                    lease_expires_at = \(deadline), started_at = COALESCE(started_at, \(now))
                WHERE id = (
                    SELECT id FROM jobs WHERE state = 'queued' ORDER BY created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
                RETURNING \(unescaped: Self.columns)
                """
            ).first
            return (job, finished)
        }
        for id in finishedIDs { await signals.jobFinished(id) }
        return leased
    }

    /// Drops the leases of `jobs` (locked by the caller): back to the queue, or failed once
    /// their attempts are used up. Returns the IDs that finished.
    private func drop(_ jobs: [JobRecord], now: Date, _ connection: PostgresConnection) async throws -> [String] {
        var finished: [String] = []
        for var job in jobs {
            if job.dropLease(now: now) { finished.append(job.id) }
            try await write(job, connection)
        }
        return finished
    }

    package func heartbeat(jobID: String, workerID: String, leaseDuration: Duration) async throws -> Bool {
        try await client.withConnection { connection in
            try await connection.query(
                """
                UPDATE jobs SET lease_expires_at = COALESCE(\(clock.override?())::timestamptz, now())
                    + make_interval(secs => \(leaseDuration.timeInterval))
                WHERE id = \(jobID) AND state = 'running' AND lease_owner = \(workerID)
                RETURNING id
                """, logger: logger
            ).collect().count == 1
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
        let finished = try await client.withTransaction(logger: logger) { connection -> Bool? in
            let rows = try await fetchJobs(connection, "SELECT \(unescaped: Self.columns) FROM jobs WHERE id = \(jobID) FOR UPDATE")
            guard var job = rows.first, job.isLeased(by: workerID) else { return nil }
            let finished = change(&job, try await currentTime(connection))
            try await write(job, connection)
            return finished
        }
        switch finished {
        case true?: await signals.jobFinished(jobID)
        case false?: await signals.jobEnqueued()
        case nil: break
        }
    }

    package func job(id: String) async throws -> JobRecord? {
        try await client.withConnection { connection in
            try await fetchJobs(connection, "SELECT \(unescaped: Self.columns) FROM jobs WHERE id = \(id)").first
        }
    }

    package func releaseLeases(ofEarlierRunsOf identity: WorkerIdentity) async throws -> Int {
        let (count, finished) = try await client.withTransaction(logger: logger) { connection -> (Int, [String]) in
            let now = try await currentTime(connection)
            // starts_with, not LIKE: an instance name is data, never a pattern.
            let jobs = try await fetchJobs(
                connection,
                """
                SELECT \(unescaped: Self.columns) FROM jobs
                WHERE state = 'running' AND starts_with(lease_owner, \(identity.instancePrefix)) AND lease_owner <> \(identity.leaseOwner)
                FOR UPDATE
                """)
            return (jobs.count, try await drop(jobs, now: now, connection))
        }
        for id in finished { await signals.jobFinished(id) }
        if count > 0 { await signals.jobEnqueued() }
        return count
    }

    package func removeExpired() async throws -> Int {
        try await client.withConnection { connection in
            try await connection.query(
                """
                DELETE FROM jobs WHERE state IN ('success', 'failed', 'aborted')
                    AND expires_at < COALESCE(\(clock.override?())::timestamptz, now())
                RETURNING id
                """, logger: logger
            ).collect().count
        }
    }

    package func activeJobCount(owner: String) async throws -> Int {
        try await client.withConnection { connection in
            let rows = try await connection.query(
                "SELECT count(*) FROM jobs WHERE state IN ('queued', 'running') AND owner = \(owner)", logger: logger)
            for try await count in rows.decode(Int.self) { return count }
            return 0
        }
    }

    package func counts() async throws -> [JobState: Int] {
        try await client.withConnection { connection in
            var counts: [JobState: Int] = [:]
            let rows = try await connection.query("SELECT state, count(*) FROM jobs GROUP BY state", logger: logger)
            for try await (state, count) in rows.decode((String, Int).self) {
                if let state = JobState(rawValue: state) { counts[state] = count }
            }
            return counts
        }
    }
}

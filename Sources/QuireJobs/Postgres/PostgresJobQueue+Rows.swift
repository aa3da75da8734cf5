// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import GRDB
import Logging
import PostgresNIO
import QuireCore

// MARK: - Schema and row mapping of the PostgreSQL queue

extension PostgresJobQueue {
    /// Every migration of the queue, in order; see `PostgresBackend.migrate`.
    package static let migrations: [PostgresMigration] = [
        PostgresMigration(
            id: "jobs-v1",
            statements: [
                // spec, result and failure hold the JSON the SQLite queue stores (JobRecord's
                // own encoders), so a record reads back the same from either backend.
                """
                CREATE TABLE jobs (
                    id text PRIMARY KEY,
                    owner text NOT NULL,
                    spec jsonb NOT NULL,
                    state text NOT NULL,
                    attempts bigint NOT NULL,
                    max_attempts bigint NOT NULL,
                    lease_owner text,
                    lease_expires_at timestamptz,
                    result jsonb,
                    failure jsonb,
                    created_at timestamptz NOT NULL,
                    started_at timestamptz,
                    finished_at timestamptz,
                    expires_at timestamptz
                )
                """,
                "CREATE INDEX jobs_state_created ON jobs (state, created_at, id)",
            ])
    ]

    /// The columns every query reads, in the order `decodeJob` expects (JSON as text).
    static let columns = """
        id, owner, spec::text, state, attempts, max_attempts, lease_owner, lease_expires_at, result::text, \
        failure::text, created_at, started_at, finished_at, expires_at
        """

    /// Runs `query` (which selects or returns `columns`) and decodes its rows.
    func fetchJobs(_ connection: PostgresConnection, _ query: PostgresQuery) async throws -> [JobRecord] {
        var jobs: [JobRecord] = []
        for try await row in try await connection.query(query, logger: logger) { jobs.append(try decodeJob(row)) }
        return jobs
    }

    private func decodeJob(_ row: PostgresRow) throws -> JobRecord {
        let (
            id, owner, spec, state, attempts, maxAttempts, leaseOwner, leaseExpiresAt, result, failure, createdAt, startedAt, finishedAt,
            expiresAt
        ) =
            try row.decode(
                (
                    String, String, String, String, Int, Int, String?, Date?, String?, String?, Date, Date?, Date?, Date?
                ).self)
        var job = JobRecord(id: id, owner: owner, spec: try decode(spec, "spec"), maxAttempts: maxAttempts, createdAt: createdAt)
        guard let jobState = JobState(rawValue: state) else { throw PostgresJobQueueError.unknownState(state) }
        job.state = jobState
        job.attempts = attempts
        job.leaseOwner = leaseOwner
        job.leaseExpiresAt = leaseExpiresAt
        job.result = try result.map { try decode($0, "result") }
        job.failure = try failure.map { try decode($0, "failure") }
        job.startedAt = startedAt
        job.finishedAt = finishedAt
        job.expiresAt = expiresAt
        return job
    }

    /// Writes every column a lease rule may change (`JobRecord+Lease`).
    func write(_ job: JobRecord, _ connection: PostgresConnection) async throws {
        try await connection.query(
            """
            UPDATE jobs SET spec = \(try encode(job.spec, "spec"))::jsonb, state = \(job.state.rawValue), attempts = \(job.attempts),
                lease_owner = \(job.leaseOwner), lease_expires_at = \(job.leaseExpiresAt),
                result = \(try job.result.map { try encode($0, "result") })::jsonb,
                failure = \(try job.failure.map { try encode($0, "failure") })::jsonb,
                started_at = \(job.startedAt), finished_at = \(job.finishedAt), expires_at = \(job.expiresAt)
            WHERE id = \(job.id)
            """, logger: logger)
    }

    /// The insert of a new job; returns no row when the ID is taken.
    func insertQuery(_ job: JobRecord) throws -> PostgresQuery {
        """
        INSERT INTO jobs (id, owner, spec, state, attempts, max_attempts, lease_owner, lease_expires_at, result, failure,
            created_at, started_at, finished_at, expires_at)
        VALUES (\(job.id), \(job.owner), \(try encode(job.spec, "spec"))::jsonb, \(job.state.rawValue), \(job.attempts),
            \(job.maxAttempts), \(job.leaseOwner), \(job.leaseExpiresAt), \(try job.result.map { try encode($0, "result") })::jsonb,
            \(try job.failure.map { try encode($0, "failure") })::jsonb, \(job.createdAt), \(job.startedAt), \(job.finishedAt),
            \(job.expiresAt))
        ON CONFLICT (id) DO NOTHING
        RETURNING id
        """
    }

    // The SQLite queue's JSON, byte for byte (JobRecord+Row).
    private func encode(_ value: some Encodable, _ column: String) throws -> String {
        try JSONText.encode(value)
    }

    private func decode<T: Decodable>(_ text: String, _ column: String) throws -> T {
        try JSONText.decode(T.self, from: text)
    }
}

/// What the PostgreSQL queue can find wrong in its own table.
package enum PostgresJobQueueError: Error, Equatable {
    /// A row whose `state` this version does not know (written by a newer version).
    case unknownState(String)
}

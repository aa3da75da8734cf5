// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireJobs
import QuireTestSupport
import Testing

/// One `JobQueue` implementation under test. A new backend joins every conformance test with
/// one more entry in `all`.
struct JobQueueBackend: Sendable, CustomTestStringConvertible {
    let name: String
    /// Builds an empty queue in `temp` that reads its time from `clock` and wakes `signals`.
    let make: @Sendable (_ temp: TemporaryDirectory, _ clock: JobClock, _ signals: any JobSignals) async throws -> any JobQueue

    var testDescription: String { name }

    static let all: [JobQueueBackend] =
        [
            JobQueueBackend(name: "memory") { _, clock, signals in MemoryJobQueue(signals: signals, clock: clock) },
            JobQueueBackend(name: "sqlite") { temp, clock, signals in
                SQLiteJobQueue(
                    database: try QuireDatabase.open(at: temp.file("q.sqlite"), schemas: SQLiteJobQueue.migrations), signals: signals,
                    clock: clock)
            },
        ] + (PostgresTestCluster.isAvailable ? [postgres] : [])

    /// A fresh database on the test process's PostgreSQL server (`PostgresTestCluster`).
    static let postgres = JobQueueBackend(name: "postgres") { _, clock, signals in
        let backend = try await PostgresTestCluster.shared().startBackend(migrations: PostgresJobQueue.migrations)
        return PostgresJobQueue(client: backend.client, signals: signals, clock: clock)
    }
}

/// One `JobSignals` implementation under test; a new backend is one more entry in `all`.
struct JobSignalsBackend: Sendable, CustomTestStringConvertible {
    let name: String
    let make: @Sendable () async throws -> any JobSignals

    var testDescription: String { name }

    static let all: [JobSignalsBackend] =
        [
            JobSignalsBackend(name: "in-process") { InProcessJobSignals() }
        ] + (PostgresTestCluster.isAvailable ? [postgres] : [])

    /// LISTEN/NOTIFY on a fresh database, the listener subscribed before the test starts.
    static let postgres = JobSignalsBackend(name: "postgres") {
        try await PostgresTestCluster.shared().startBackend(migrations: []).signals
    }
}

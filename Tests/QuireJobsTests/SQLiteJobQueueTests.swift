// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import GRDB
import QuireCore
import QuireJobs
import QuireTestSupport
import Testing

/// What only the SQLite queue has: its database's clock and a file that outlives the process.
/// The lease rules themselves are in `JobQueueConformanceTests`.
struct SQLiteJobQueueTests {
    let temp = TemporaryDirectory()

    func open() throws -> DatabasePool {
        try QuireDatabase.open(at: temp.file("q.sqlite"), schemas: SQLiteJobQueue.migrations)
    }

    func job(_ id: String, at createdAt: Date = Date()) -> JobRecord {
        let spec = JobSpec(operation: .pdfToText, inputs: ["u"], outputName: "r.txt", resultFileID: "F" + id, expirationMinutes: 60)
        return JobRecord(id: id, owner: "o", spec: spec, maxAttempts: 3, createdAt: createdAt)
    }

    /// Without an override the lease deadline is SQLite's `now` plus the lease, read in SQL.
    @Test func leaseTimesComeFromTheDatabaseClock() async throws {
        let database = try open()
        let queue = SQLiteJobQueue(database: database)
        let sqliteNow = { try await database.read { db in try Date.fetchOne(db, sql: "SELECT strftime('%Y-%m-%d %H:%M:%f', 'now')")! } }
        try await queue.enqueue(job("A"))
        let before = try await sqliteNow()
        let leased = try #require(try await queue.lease(workerID: "w", leaseDuration: .seconds(30)))
        let after = try await sqliteNow()
        let start = try #require(leased.startedAt)
        #expect(before <= start && start <= after)
        #expect(leased.leaseExpiresAt == start.addingTimeInterval(30))
        // The deadline was written by SQL, so SQL compares it with its own clock.
        let live = try await database.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM jobs WHERE leaseExpiresAt > strftime('%Y-%m-%d %H:%M:%f', 'now')")
        }
        #expect(live == 1)
    }

    /// A process killed with its leases held: the next process on the same file (same instance,
    /// new run) gets them back at once; another instance's lease stays until it expires.
    @Test func restartOnTheSameFileReleasesTheDeadRunsLeases() async throws {
        let dead = WorkerIdentity(instance: "here")
        let elsewhere = WorkerIdentity(instance: "there")
        do {
            let queue = SQLiteJobQueue(database: try open())
            try await queue.enqueue(job("A", at: Date(timeIntervalSince1970: 1)))
            try await queue.enqueue(job("B", at: Date(timeIntervalSince1970: 2)))
            _ = try await queue.lease(workerID: dead.leaseOwner, leaseDuration: .seconds(300))
            _ = try await queue.lease(workerID: elsewhere.leaseOwner, leaseDuration: .seconds(300))
        }
        let queue = SQLiteJobQueue(database: try open())
        let restarted = WorkerIdentity(instance: "here")
        #expect(try await queue.releaseLeases(ofEarlierRunsOf: restarted) == 1)
        let retaken = try await queue.lease(workerID: restarted.leaseOwner, leaseDuration: .seconds(30))
        #expect(retaken?.id == "A")
        #expect(retaken?.attempts == 2)
        #expect(try await queue.job(id: "B")?.leaseOwner == elsewhere.leaseOwner)
        #expect(try await queue.lease(workerID: restarted.leaseOwner, leaseDuration: .seconds(30)) == nil)
    }
}

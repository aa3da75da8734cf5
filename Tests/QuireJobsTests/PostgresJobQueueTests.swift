// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import PostgresNIO
import QuireCore
import QuireJobs
import QuireTestSupport
import Testing

/// What only the PostgreSQL queue has: several nodes on one database, the database's clock and
/// migrations run by whichever node starts first. The lease rules are in `JobQueueConformanceTests`.
@Suite(.enabled(if: PostgresTestCluster.isAvailable, "no PostgreSQL here: run scripts/bootstrap.sh --test or set QUIRE_TEST_DATABASE_URL"))
struct PostgresJobQueueTests {
    func job(_ id: String, at createdAt: Date) -> JobRecord {
        let spec = JobSpec(operation: .pdfToText, inputs: ["u"], outputName: "r.txt", resultFileID: "F" + id, expirationMinutes: 60)
        return JobRecord(id: id, owner: "o", spec: spec, maxAttempts: 3, createdAt: createdAt)
    }

    /// Two nodes (two clients, two pools), eight workers leasing at once: each of 200 jobs is
    /// leased exactly once, none is left behind.
    @Test func concurrentLeasersOnTwoNodesNeverShareAJob() async throws {
        let cluster = try await PostgresTestCluster.shared()
        let url = try await cluster.makeDatabase()
        let nodes = [
            try await cluster.startBackend(url: url, migrations: PostgresJobQueue.migrations),
            try await cluster.startBackend(url: url, migrations: PostgresJobQueue.migrations),
        ]
        let queues = nodes.map { PostgresJobQueue(client: $0.client, signals: $0.signals) }
        let start = Date()
        for index in 0..<200 { try await queues[index % 2].enqueue(job("J\(index)", at: start.addingTimeInterval(Double(index) / 1000))) }

        let leased = try await withThrowingTaskGroup(of: [String].self) { group in
            for worker in 0..<8 {
                let queue = queues[worker % 2]
                group.addTask {
                    var mine: [String] = []
                    while true {
                        if let job = try await queue.lease(workerID: "node\(worker % 2)/w\(worker)", leaseDuration: .seconds(60)) {
                            mine.append(job.id)
                        } else if try await queue.counts()[.queued, default: 0] == 0 {
                            return mine
                        }
                    }
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(leased.count == 200)
        #expect(Set(leased).count == 200)
        #expect(try await queues[0].counts() == [.running: 200])
    }

    /// Lease deadlines, heartbeats and expiry use the database's `now()`, not this process's
    /// clock: with `now()` pinned to 2001 in the database, a lease starts in 2001 and does not
    /// expire although this machine's clock is decades past its deadline.
    @Test func leaseTimesComeFromTheDatabaseClock() async throws {
        let cluster = try await PostgresTestCluster.shared()
        let url = try await cluster.makeDatabase()
        let setup = try await cluster.startBackend(url: url, migrations: PostgresJobQueue.migrations)
        let database = try #require(URLComponents(string: url)?.path.dropFirst())
        _ = try await setup.client.query(
            "CREATE FUNCTION public.now() RETURNS timestamptz LANGUAGE sql AS $$ SELECT timestamptz '2001-02-03 04:05:06.5+00' $$"
        ).collect()
        // pg_catalog named after public: the unqualified now() of new sessions is the one above.
        _ = try await setup.client.query("ALTER DATABASE \(unescaped: String(database)) SET search_path = public, pg_catalog").collect()
        let node = try await cluster.startBackend(url: url, migrations: PostgresJobQueue.migrations)
        let queue = PostgresJobQueue(client: node.client, signals: node.signals)
        let databaseNow = Date(timeIntervalSince1970: 981_173_106.5)

        try await queue.enqueue(job("A", at: Date()))
        let leased = try #require(try await queue.lease(workerID: "w1", leaseDuration: .seconds(30)))
        #expect(leased.startedAt == databaseNow)
        #expect(leased.leaseExpiresAt == databaseNow.addingTimeInterval(30))
        #expect(try await queue.heartbeat(jobID: "A", workerID: "w1", leaseDuration: .seconds(60)))
        #expect(try await queue.job(id: "A")?.leaseExpiresAt == databaseNow.addingTimeInterval(60))
        // By this machine's clock the lease ran out decades ago; by the database's it is live.
        #expect(try await queue.lease(workerID: "w2", leaseDuration: .seconds(30)) == nil)
        try await queue.complete(jobID: "A", workerID: "w1", result: JobResult())
        let done = try await queue.job(id: "A")
        #expect(done?.finishedAt == databaseNow)
        #expect(done?.expiresAt == databaseNow.addingTimeInterval(3600))
        #expect(try await queue.removeExpired() == 0)
    }

    /// Four nodes starting at once on an empty database: every one's migration call succeeds,
    /// each migration is applied once, and a later start applies nothing.
    @Test func concurrentMigrationsFromFourNodes() async throws {
        let cluster = try await PostgresTestCluster.shared()
        let url = try await cluster.makeDatabase()
        let migrations =
            PostgresJobQueue.migrations + [
                PostgresMigration(
                    id: "test-v1", statements: ["CREATE TABLE IF NOT EXISTS extra (id int)", "CREATE INDEX extra_id ON extra (id)"])
            ]
        let nodes = try (0..<4).map { _ in try PostgresBackend(url: url, poolSize: 2, logger: PostgresTestCluster.logger) }
        for node in nodes { Task { await node.run() } }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for node in nodes { group.addTask { try await node.migrate(migrations) } }
            try await group.waitForAll()
        }
        let applied = try await nodes[0].client.query("SELECT id FROM quire_migrations ORDER BY id").collect().map {
            try $0.decode(String.self)
        }
        #expect(applied == ["jobs-v1", "test-v1"])
        try await nodes[1].migrate(migrations)
        let queue = PostgresJobQueue(client: nodes[2].client, signals: InProcessJobSignals())
        try await queue.enqueue(job("A", at: Date()))
        #expect(try await queue.counts() == [.queued: 1])
    }
}

// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore
import QuireJobs
import QuireTestSupport
import Testing

/// Prints the time from enqueue to lease, p50 and p99, for SQLite with its in-process signals
/// and for PostgreSQL with LISTEN/NOTIFY (enqueued on one node, leased by a worker sleeping on
/// another), in one run. A measurement, not a test: it asserts nothing.
///
///     QUIRE_MEASURE=1 .build/debug/quirePackageTests.xctest --testing-library swift-testing --filter LeaseLatencyReport
@Suite(.enabled(if: ProcessInfo.processInfo.environment["QUIRE_MEASURE"] != nil, "a measurement: set QUIRE_MEASURE=1"))
struct LeaseLatencyReport {
    static let jobs = 300

    @Test func enqueueToLease() async throws {
        let temp = TemporaryDirectory()
        let signals = InProcessJobSignals()
        let sqlite = SQLiteJobQueue(
            database: try QuireDatabase.open(at: temp.file("q.sqlite"), schemas: SQLiteJobQueue.migrations), signals: signals)
        let sqliteTimes = try await measure(producer: sqlite, worker: sqlite, signals: signals)

        let cluster = try await PostgresTestCluster.shared()
        let url = try await cluster.makeDatabase()
        let api = try await cluster.startBackend(url: url, migrations: PostgresJobQueue.migrations)
        let node = try await cluster.startBackend(url: url, migrations: PostgresJobQueue.migrations)
        let postgresTimes = try await measure(
            producer: PostgresJobQueue(client: api.client, signals: api.signals),
            worker: PostgresJobQueue(client: node.client, signals: node.signals), signals: node.signals)

        print("enqueue → lease, \(Self.jobs) jobs one at a time, worker idle-poll 1 s:")
        print("  sqlite + in-process signals:        \(summary(sqliteTimes))")
        print("  postgres + LISTEN/NOTIFY, 2 nodes:  \(summary(postgresTimes))")
    }

    /// Enqueues jobs one at a time into `producer`, each after the worker went back to sleep,
    /// and times how long until a worker loop like `Worker.runSlot` on `worker` leases it.
    private func measure(producer: any JobQueue, worker: any JobQueue, signals: any JobSignals) async throws -> [Duration] {
        let clock = ContinuousClock()
        let (leases, leased) = AsyncStream.makeStream(of: ContinuousClock.Instant.self)
        let slot = Task {
            while !Task.isCancelled {
                if (try? await worker.lease(workerID: "w", leaseDuration: .seconds(60))) != nil {
                    leased.yield(clock.now)
                } else {
                    await signals.waitForWork(timeout: .seconds(1))
                }
            }
        }
        defer { slot.cancel() }
        var times: [Duration] = []
        var iterator = leases.makeAsyncIterator()
        let spec = JobSpec(operation: .pdfToText, inputs: ["u"], outputName: "r.txt", resultFileID: "F", expirationMinutes: 60)
        for index in 0..<Self.jobs {
            try await Task.sleep(for: .milliseconds(5))  // the worker found nothing and sleeps again
            let start = clock.now
            try await producer.enqueue(JobRecord(id: "J\(index)", owner: "o", spec: spec, maxAttempts: 3, createdAt: Date()))
            guard let end = await iterator.next() else { break }
            times.append(end - start)
        }
        return times
    }

    private func summary(_ times: [Duration]) -> String {
        let sorted = times.sorted()
        func percentile(_ p: Double) -> String {
            let value = sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
            return String(format: "%.2f ms", Double(value.components.attoseconds) / 1e15 + Double(value.components.seconds) * 1000)
        }
        return "p50 \(percentile(0.5)), p99 \(percentile(0.99)), max \(percentile(1.0))"
    }
}

// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import PostgresNIO
import QuireCore
import QuireJobs
import QuireTestSupport
import Testing

/// LISTEN/NOTIFY across nodes: a signal sent through one client wakes a waiter on another,
/// long before the waiter's poll timeout. Each test prints how long the wake-up took.
@Suite(.enabled(if: PostgresTestCluster.isAvailable, "no PostgreSQL here: run scripts/bootstrap.sh --test or set QUIRE_TEST_DATABASE_URL"))
struct PostgresJobSignalsTests {
    /// Two nodes on one fresh database.
    func twoNodes() async throws -> (PostgresBackend, PostgresBackend) {
        let cluster = try await PostgresTestCluster.shared()
        let url = try await cluster.makeDatabase()
        return (
            try await cluster.startBackend(url: url, migrations: PostgresJobQueue.migrations),
            try await cluster.startBackend(url: url, migrations: PostgresJobQueue.migrations)
        )
    }

    /// How long `wait` (given a 20 s timeout) ran after `trigger`; nil when it ran to its
    /// timeout. As in `Wake.isSignalled`, a waiter that registered only after the trigger (a
    /// loaded CI machine has made a new task wait seconds for a thread) gets four more tries,
    /// each with five times the head start; `trigger` is told which try it is.
    func wakeUpTime(
        _ wait: @escaping @Sendable (Duration) async -> Void, trigger: (Int) async throws -> Void
    ) async throws -> Duration? {
        let clock = ContinuousClock()
        let timeout = Duration.seconds(20)
        var head = Duration.milliseconds(50)
        for attempt in 0..<5 {
            let waiter = Task {
                let start = clock.now
                await wait(timeout)
                return (start, clock.now)
            }
            try await Task.sleep(for: head)  // let the waiter register
            head = min(head * 5, timeout / 2)
            let triggered = clock.now
            try await trigger(attempt)
            let (start, end) = await waiter.value
            if end - start < timeout { return end - triggered }
        }
        return nil
    }

    @Test func enqueueOnOneNodeWakesAWorkerOnAnother() async throws {
        let (api, worker) = try await twoNodes()
        let woke = try await wakeUpTime({ await worker.signals.waitForWork(timeout: $0) }) { _ in await api.signals.jobEnqueued() }
        print("postgres: NOTIFY woke a worker on another node after \(woke.map { "\($0)" } ?? "its timeout")")
        #expect(woke != nil)
    }

    /// A sync request waiting on one node wakes when its job ends on another, and a request
    /// for another job does not.
    @Test func finishOnOneNodeWakesTheWaitingRequestOnAnother() async throws {
        let (worker, api) = try await twoNodes()
        let woke = try await wakeUpTime({ await api.signals.waitForFinish(of: "JOB1", timeout: $0) }) { _ in
            await worker.signals.jobFinished("JOB1")
        }
        print("postgres: NOTIFY woke a sync request on another node after \(woke.map { "\($0)" } ?? "its timeout")")
        #expect(woke != nil)
        let clock = ContinuousClock()
        let start = clock.now
        async let other: Void = api.signals.waitForFinish(of: "JOB2", timeout: .milliseconds(500))
        try await Task.sleep(for: .milliseconds(50))
        await worker.signals.jobFinished("JOB3")
        await other
        #expect(clock.now - start >= .milliseconds(500))
    }

    /// The whole path: a job enqueued through one node's queue is leased by a worker sleeping
    /// on another node, woken by the queue's own signal.
    @Test func queueOnOneNodeWakesAWorkerOnAnother() async throws {
        let (api, worker) = try await twoNodes()
        let apiQueue = PostgresJobQueue(client: api.client, signals: api.signals)
        let workerQueue = PostgresJobQueue(client: worker.client, signals: worker.signals)
        #expect(try await workerQueue.lease(workerID: "w", leaseDuration: .seconds(30)) == nil)
        let spec = JobSpec(operation: .pdfToText, inputs: ["u"], outputName: "r.txt", resultFileID: "FA", expirationMinutes: 60)
        let woke = try await wakeUpTime({ await worker.signals.waitForWork(timeout: $0) }) { attempt in
            try await apiQueue.enqueue(JobRecord(id: "A\(attempt)", owner: "o", spec: spec, maxAttempts: 3, createdAt: Date()))
        }
        #expect(woke != nil)
        #expect(try await workerQueue.lease(workerID: "w", leaseDuration: .seconds(30))?.id == "A0")
    }
}

extension PostgresJobSignalsTests {
    /// The listener's connection is killed from the server side: waiters fall back to their
    /// timeout meanwhile, the listener reconnects by itself, and NOTIFY wakes them again.
    @Test func listenerComesBackAfterItsConnectionIsKilled() async throws {
        let (api, worker) = try await twoNodes()
        let killed = try await api.client.query(
            """
            SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE datname = current_database() AND application_name = \(PostgresJobSignals.applicationName)
            """
        ).collect().count
        #expect(killed == 2)
        // Generous deadlines: the listener runs in this test process, whose two pool threads
        // other suites' blocking `runCommand` calls can hold for tens of seconds on CI (a 20 s
        // deadline failed there once); a server process does not block its pool like that.
        let clock = ContinuousClock()
        let killedAt = clock.now
        while worker.signals.isListening && clock.now < killedAt + .seconds(90) { try await Task.sleep(for: .milliseconds(5)) }
        #expect(!worker.signals.isListening)
        // Down: a waiter still returns at its timeout.
        await worker.signals.waitForWork(timeout: .milliseconds(50))
        let downAt = clock.now
        while !worker.signals.isListening && clock.now < downAt + .seconds(90) { try await Task.sleep(for: .milliseconds(20)) }
        print("postgres: the listener was back \(clock.now - killedAt) after its connection was killed")
        #expect(worker.signals.isListening)
        let woke = try await wakeUpTime({ await worker.signals.waitForWork(timeout: $0) }) { _ in await api.signals.jobEnqueued() }
        #expect(woke != nil)
    }
}

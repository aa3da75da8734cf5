// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireJobs
import Testing

/// What every `JobSignals` backend must do, run against each of `JobSignalsBackend.all`.
struct JobSignalsConformanceTests {
    @Test(arguments: JobSignalsBackend.all)
    func enqueueWakesAWorker(_ backend: JobSignalsBackend) async throws {
        let signals = try await backend.make()
        #expect(try await Wake.isSignalled(by: { await signals.waitForWork(timeout: $0) }) { await signals.jobEnqueued() })
    }

    /// Every waiter for a job is woken when it ends, and none by another job's end.
    @Test(arguments: JobSignalsBackend.all)
    func finishWakesTheJobsWaitersOnly(_ backend: JobSignalsBackend) async throws {
        let signals = try await backend.make()
        #expect(
            try await Wake.isSignalled(by: { timeout in
                async let first: Void = signals.waitForFinish(of: "A", timeout: timeout)
                async let second: Void = signals.waitForFinish(of: "A", timeout: timeout)
                _ = await (first, second)
            }) { await signals.jobFinished("A") })
        #expect(
            try await !Wake.isSignalled(by: { await signals.waitForFinish(of: "C", timeout: $0) }, timeout: .milliseconds(300)) {
                await signals.jobFinished("B")
                await signals.jobEnqueued()
            })
    }

    /// A signal sent in the moment between a worker finding the queue empty (or a request reading
    /// its job as running) and its wait is not lost: the wait that follows returns at once.
    @Test(arguments: JobSignalsBackend.all)
    func signalsJustBeforeTheWaitAreKept(_ backend: JobSignalsBackend) async throws {
        let signals = try await backend.make()
        await signals.jobEnqueued()
        await signals.jobFinished("D")
        let clock = ContinuousClock()
        // Across nodes the signal travels through the database first: give it time to arrive.
        try await Task.sleep(for: .milliseconds(300))
        let start = clock.now
        await signals.waitForWork(timeout: .seconds(10))
        await signals.waitForFinish(of: "D", timeout: .seconds(10))
        #expect(clock.now - start < .seconds(5))
    }

    /// A waiter nobody signals returns at its timeout (waiters also poll, so it must not hang).
    @Test(arguments: JobSignalsBackend.all)
    func waitersTimeOut(_ backend: JobSignalsBackend) async throws {
        let signals = try await backend.make()
        let clock = ContinuousClock()
        let start = clock.now
        await signals.waitForWork(timeout: .milliseconds(50))
        await signals.waitForFinish(of: "A", timeout: .milliseconds(50))
        #expect(clock.now - start >= .milliseconds(100))
    }

    /// The in-process memory of finished jobs is bounded: after 5 000 more, the first is
    /// forgotten (its waiter waits), the last 4 096 are kept (theirs return at once).
    @Test func inProcessMemoryOfFinishedJobsIsBounded() async throws {
        let signals = InProcessJobSignals()
        for index in 0..<5_000 { await signals.jobFinished("J\(index)") }
        let clock = ContinuousClock()
        var start = clock.now
        for index in 5_000 - 4_096..<5_000 { await signals.waitForFinish(of: "J\(index)", timeout: .seconds(10)) }
        #expect(clock.now - start < .seconds(5))
        start = clock.now
        await signals.waitForFinish(of: "J0", timeout: .milliseconds(100))
        await signals.waitForFinish(of: "J903", timeout: .milliseconds(100))
        #expect(clock.now - start >= .milliseconds(200))
    }
}

/// Tells a wake-up from a timeout: a waiter woken well before its timeout was signalled.
enum Wake {
    /// Starts `wait` (given its timeout), fires `trigger` once the waiter has had time to
    /// register, and returns whether `wait` ended before its timeout. A waiter that registered
    /// only after the trigger is given up to four more tries, each waiting five times longer
    /// before the trigger (20 ms, up to half the timeout): on a loaded CI machine a new task has
    /// waited seconds for a thread.
    static func isSignalled(
        by wait: @escaping @Sendable (Duration) async -> Void, timeout: Duration = .seconds(20),
        trigger: () async throws -> Void
    ) async throws -> Bool {
        let clock = ContinuousClock()
        var head = Duration.milliseconds(20)
        for _ in 0..<5 {
            let start = clock.now
            let waiter = Task { await wait(timeout) }
            try await Task.sleep(for: head)
            head = min(head * 5, timeout / 2)
            try await trigger()
            await waiter.value
            if clock.now - start < timeout { return true }
        }
        return false
    }
}

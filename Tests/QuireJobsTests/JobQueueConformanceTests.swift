// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore
import QuireJobs
import QuireTestSupport
import Testing

/// The lease rules every `JobQueue` backend must follow, run against each of `JobQueueBackend.all`
/// with a clock the test moves.
struct JobQueueConformanceTests {
    let clock = ManualClock()
    let lease = Duration.seconds(30)

    func makeQueue(_ backend: JobQueueBackend, signals: any JobSignals = InProcessJobSignals()) async throws -> any JobQueue {
        let clock = self.clock
        return try await backend.make(TemporaryDirectory(), .manual { clock.now }, signals)
    }

    func job(_ id: String, at offset: TimeInterval = 0, maxAttempts: Int = 3) -> JobRecord {
        let spec = JobSpec(operation: .pdfToText, inputs: ["u"], outputName: "r.txt", resultFileID: "F" + id, expirationMinutes: 60)
        return JobRecord(id: id, owner: "o", spec: spec, maxAttempts: maxAttempts, createdAt: clock.now.addingTimeInterval(offset))
    }

    @Test(arguments: JobQueueBackend.all)
    func leasesOldestFirstAndOnlyOnce(_ backend: JobQueueBackend) async throws {
        let queue = try await makeQueue(backend)
        try await queue.enqueue(job("B", at: 1))
        try await queue.enqueue(job("A", at: 0))
        let first = try await queue.lease(workerID: "w1", leaseDuration: lease)
        let second = try await queue.lease(workerID: "w2", leaseDuration: lease)
        #expect(try await queue.lease(workerID: "w3", leaseDuration: lease) == nil)
        #expect(first?.id == "A")
        #expect(second?.id == "B")
        #expect(first?.attempts == 1)
        #expect(first?.state == .running)
        #expect(first?.leaseOwner == "w1")
        #expect(first?.leaseExpiresAt == clock.now.addingTimeInterval(30))
        #expect(try await queue.counts() == [.running: 2])
    }

    /// The per-key quota counts an owner's queued and running jobs, not finished ones or others'.
    @Test(arguments: JobQueueBackend.all)
    func countsAnOwnersActiveJobs(_ backend: JobQueueBackend) async throws {
        let queue = try await makeQueue(backend)
        for id in ["A", "B", "C"] { try await queue.enqueue(job(id)) }
        var other = job("D")
        other.owner = "someone else"
        try await queue.enqueue(other)
        #expect(try await queue.activeJobCount(owner: "o") == 3)
        let leased = try #require(try await queue.lease(workerID: "w", leaseDuration: lease))
        #expect(try await queue.activeJobCount(owner: "o") == 3, "running counts")
        try await queue.complete(jobID: leased.id, workerID: "w", result: JobResult(pageCount: 1))
        #expect(try await queue.activeJobCount(owner: leased.owner) == (leased.owner == "o" ? 2 : 3))
        #expect(try await queue.activeJobCount(owner: "nobody") == 0)
    }

    @Test(arguments: JobQueueBackend.all)
    func duplicateIDsAreRefused(_ backend: JobQueueBackend) async throws {
        let queue = try await makeQueue(backend)
        try await queue.enqueue(job("A"))
        await #expect(throws: JobQueueError.duplicateID("A")) { try await queue.enqueue(job("A")) }
    }

    /// Heartbeats keep a lease alive past its first deadline; only the holder can send them.
    @Test(arguments: JobQueueBackend.all)
    func heartbeatExtendsTheLease(_ backend: JobQueueBackend) async throws {
        let queue = try await makeQueue(backend)
        try await queue.enqueue(job("A"))
        _ = try await queue.lease(workerID: "w1", leaseDuration: lease)
        clock.advance(by: 20)
        #expect(try await queue.heartbeat(jobID: "A", workerID: "w1", leaseDuration: lease))
        #expect(try await !queue.heartbeat(jobID: "A", workerID: "w2", leaseDuration: lease))
        #expect(try await queue.job(id: "A")?.leaseExpiresAt == clock.now.addingTimeInterval(30))
        clock.advance(by: 25)  // 45 s after the lease: past the first deadline, not the extended one
        #expect(try await queue.lease(workerID: "w2", leaseDuration: lease) == nil)
        #expect(try await queue.job(id: "A")?.leaseOwner == "w1")
    }

    /// A live lease of another worker is never taken, however often others ask, and start-up
    /// recovery of another instance leaves it alone.
    @Test(arguments: JobQueueBackend.all)
    func liveLeaseOfAnotherWorkerIsNeverStolen(_ backend: JobQueueBackend) async throws {
        let queue = try await makeQueue(backend)
        let alive = WorkerIdentity(instance: "machine-a", run: "r1")
        let restarted = WorkerIdentity(instance: "machine-b", run: "r2")
        try await queue.enqueue(job("A"))
        _ = try await queue.lease(workerID: alive.leaseOwner, leaseDuration: lease)
        #expect(try await queue.releaseLeases(ofEarlierRunsOf: restarted) == 0)
        for _ in 0..<10 {
            clock.advance(by: 10)
            #expect(try await queue.lease(workerID: restarted.leaseOwner, leaseDuration: lease) == nil)
            #expect(try await queue.heartbeat(jobID: "A", workerID: alive.leaseOwner, leaseDuration: lease))
        }
        #expect(try await queue.releaseLeases(ofEarlierRunsOf: alive) == 0)
        let job = try await queue.job(id: "A")
        #expect(job?.leaseOwner == alive.leaseOwner)
        #expect(job?.attempts == 1)
    }

    /// A worker that stops heartbeating loses the job to another; its late completion is ignored.
    @Test(arguments: JobQueueBackend.all)
    func expiredLeaseIsReclaimed(_ backend: JobQueueBackend) async throws {
        let queue = try await makeQueue(backend)
        try await queue.enqueue(job("A"))
        let start = clock.now
        _ = try await queue.lease(workerID: "w1", leaseDuration: lease)
        clock.advance(by: 31)
        let retaken = try await queue.lease(workerID: "w2", leaseDuration: lease)
        #expect(retaken?.id == "A")
        #expect(retaken?.attempts == 2)
        #expect(retaken?.startedAt == start)
        #expect(try await !queue.heartbeat(jobID: "A", workerID: "w1", leaseDuration: lease))
        try await queue.complete(jobID: "A", workerID: "w1", result: JobResult(pageCount: 9))
        #expect(try await queue.job(id: "A")?.state == .running)
        clock.advance(by: 1)
        try await queue.complete(jobID: "A", workerID: "w2", result: JobResult(pageCount: 1))
        let done = try await queue.job(id: "A")
        #expect(done?.state == .success)
        #expect(done?.result?.pageCount == 1)
        #expect(done?.leaseOwner == nil)
        #expect(done?.finishedAt == clock.now)
        #expect(done?.expiresAt == clock.now.addingTimeInterval(3600))
    }

    /// After `maxAttempts` lost leases the job fails with a reason instead of looping forever.
    @Test(arguments: JobQueueBackend.all)
    func attemptsAreLimited(_ backend: JobQueueBackend) async throws {
        let queue = try await makeQueue(backend)
        try await queue.enqueue(job("A", maxAttempts: 2))
        for _ in 0..<2 {
            #expect(try await queue.lease(workerID: "w", leaseDuration: lease)?.id == "A")
            clock.advance(by: 31)
        }
        #expect(try await queue.lease(workerID: "w", leaseDuration: lease) == nil)
        let failed = try await queue.job(id: "A")
        #expect(failed?.state == .failed)
        #expect(failed?.failure?.message.contains("interrupted 2 times") == true)
    }

    /// A worker that stops hands its job back at once, without using up an attempt; another
    /// worker's hand-back of a lease it does not hold changes nothing.
    @Test(arguments: JobQueueBackend.all)
    func handedBackJobsAreLeasableAtOnce(_ backend: JobQueueBackend) async throws {
        let queue = try await makeQueue(backend)
        try await queue.enqueue(job("A", maxAttempts: 1))
        #expect(try await queue.lease(workerID: "w1", leaseDuration: lease)?.id == "A")
        try await queue.handBack(jobID: "A", workerID: "w2")
        #expect(try await queue.job(id: "A")?.leaseOwner == "w1")
        try await queue.handBack(jobID: "A", workerID: "w1")
        let back = try await queue.job(id: "A")
        #expect(back?.state == .queued && back?.leaseOwner == nil && back?.attempts == 0)
        // No waiting for the lease to expire, and the one attempt is still there.
        let again = try await queue.lease(workerID: "w2", leaseDuration: lease)
        #expect(again?.id == "A" && again?.attempts == 1)
    }

    /// Retryable failures requeue while attempts remain; others end the job at once.
    @Test(arguments: JobQueueBackend.all)
    func failureRetryRules(_ backend: JobQueueBackend) async throws {
        let queue = try await makeQueue(backend)
        try await queue.enqueue(job("A", maxAttempts: 2))
        try await queue.enqueue(job("B", at: 1))
        let crash = JobFailure(status: 500, message: "crash", isRetryable: true)
        _ = try await queue.lease(workerID: "w", leaseDuration: lease)
        try await queue.fail(jobID: "A", workerID: "someone-else", failure: crash)
        #expect(try await queue.job(id: "A")?.state == .running)
        try await queue.fail(jobID: "A", workerID: "w", failure: crash)
        #expect(try await queue.job(id: "A")?.state == .queued)
        #expect(try await queue.lease(workerID: "w", leaseDuration: lease)?.id == "A")
        try await queue.fail(jobID: "A", workerID: "w", failure: crash)
        let a = try await queue.job(id: "A")
        #expect(a?.state == .failed)
        #expect(a?.attempts == 2)
        #expect(try await queue.lease(workerID: "w", leaseDuration: lease)?.id == "B")
        try await queue.fail(jobID: "B", workerID: "w", failure: JobFailure(status: 441, message: "password"))
        let b = try await queue.job(id: "B")
        #expect(b?.state == .failed)
        #expect(b?.failure?.status == 441)
        #expect(b?.attempts == 1)
    }

    /// A restarted worker hands back the leases of its own earlier runs at once (the job is
    /// not lost, nor held until expiry), and only those.
    @Test(arguments: JobQueueBackend.all)
    func earlierRunsOfThisInstanceAreReleased(_ backend: JobQueueBackend) async throws {
        let queue = try await makeQueue(backend)
        let dead = WorkerIdentity(instance: "here", run: "r1")
        let other = WorkerIdentity(instance: "there", run: "r1")
        let restarted = WorkerIdentity(instance: "here", run: "r2")
        // An instance whose name starts like ours is still another instance.
        let lookalike = WorkerIdentity(instance: "here2", run: "r1")
        try await queue.enqueue(job("A"))
        try await queue.enqueue(job("B", at: 1, maxAttempts: 1))
        try await queue.enqueue(job("C", at: 2))
        try await queue.enqueue(job("D", at: 3))
        try await queue.enqueue(job("E", at: 4))
        _ = try await queue.lease(workerID: dead.leaseOwner, leaseDuration: .seconds(300))
        _ = try await queue.lease(workerID: dead.leaseOwner, leaseDuration: .seconds(300))
        _ = try await queue.lease(workerID: other.leaseOwner, leaseDuration: .seconds(300))
        _ = try await queue.lease(workerID: restarted.leaseOwner, leaseDuration: .seconds(300))
        _ = try await queue.lease(workerID: lookalike.leaseOwner, leaseDuration: .seconds(300))
        #expect(try await queue.releaseLeases(ofEarlierRunsOf: restarted) == 2)
        #expect(try await queue.job(id: "A")?.state == .queued)
        #expect(try await queue.job(id: "B")?.state == .failed)
        #expect(try await queue.job(id: "C")?.leaseOwner == other.leaseOwner)
        #expect(try await queue.job(id: "D")?.leaseOwner == restarted.leaseOwner)
        #expect(try await queue.job(id: "E")?.leaseOwner == lookalike.leaseOwner)
        #expect(try await queue.counts() == [.queued: 1, .failed: 1, .running: 3])
    }

    @Test(arguments: JobQueueBackend.all)
    func expiredJobsAreRemoved(_ backend: JobQueueBackend) async throws {
        let queue = try await makeQueue(backend)
        try await queue.enqueue(job("A"))
        try await queue.enqueue(job("B", at: 1))
        _ = try await queue.lease(workerID: "w", leaseDuration: lease)
        try await queue.complete(jobID: "A", workerID: "w", result: JobResult())
        clock.advance(by: 3599)
        #expect(try await queue.removeExpired() == 0)
        clock.advance(by: 2)
        #expect(try await queue.removeExpired() == 1)
        #expect(try await queue.job(id: "A") == nil)
        #expect(try await queue.job(id: "B")?.state == .queued)
    }

    /// Finishing erases the fetch passwords from the stored spec.
    @Test(arguments: JobQueueBackend.all)
    func finishedJobsKeepNoSecrets(_ backend: JobQueueBackend) async throws {
        let queue = try await makeQueue(backend)
        var record = job("A")
        record.spec.password = "s3cret"
        try await queue.enqueue(record)
        _ = try await queue.lease(workerID: "w", leaseDuration: lease)
        try await queue.complete(jobID: "A", workerID: "w", result: JobResult())
        #expect(try await queue.job(id: "A")?.spec.password == nil)
    }

    /// The queue wakes sleeping workers on enqueue, and a sync request when its job ends.
    @Test(arguments: JobQueueBackend.all)
    func queueSendsSignals(_ backend: JobQueueBackend) async throws {
        let signals = InProcessJobSignals()
        let queue = try await makeQueue(backend, signals: signals)
        var index = 0
        #expect(
            try await Wake.isSignalled(by: { await signals.waitForWork(timeout: $0) }) {
                index += 1
                try await queue.enqueue(job("W\(index)", at: Double(index)))
            })
        // Each try finishes a job of its own (a finished job cannot finish again), so a waiter
        // that registered too late on a loaded machine gets a fresh chance.
        while let queued = try await queue.lease(workerID: "w", leaseDuration: lease) {
            try await queue.complete(jobID: queued.id, workerID: "w", result: JobResult())
        }
        let attempt = AttemptCounter()
        #expect(
            try await Wake.isSignalled(by: { await signals.waitForFinish(of: "F\(await attempt.value)", timeout: $0) }) {
                let id = "F\(await attempt.value)"
                try await queue.enqueue(job(id, at: 100 + Double(await attempt.value)))
                guard try await queue.lease(workerID: "w", leaseDuration: lease)?.id == id else { throw LeaseMismatch() }
                try await queue.complete(jobID: id, workerID: "w", result: JobResult())
                await attempt.next()
            })
    }
}

/// The queue leased another job than the one just enqueued into an empty queue.
struct LeaseMismatch: Error {}

/// Which try of a `Wake` check this is.
actor AttemptCounter {
    private(set) var value = 1
    func next() { value += 1 }
}

// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import GRDB
import QuireCore
import QuireJobs
import QuireTestSupport
import Testing

/// Lease rules of the queue on a real SQLite file, with a fixed clock (`now` is passed in).
struct SQLiteJobQueueTests {
    let temp = TemporaryDirectory()
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    func makeQueue() throws -> SQLiteJobQueue {
        let pool = try QuireDatabase.open(at: temp.file("q.sqlite"), schemas: [("jobs-v1", SQLiteJobQueue.createSchema)])
        return SQLiteJobQueue(database: pool)
    }

    func job(_ id: String, at offset: TimeInterval = 0, maxAttempts: Int = 3) -> JobRecord {
        let spec = JobSpec(operation: .pdfToText, inputs: ["u"], outputName: "r.txt", resultFileID: "F" + id, expirationMinutes: 60)
        return JobRecord(id: id, owner: "o", spec: spec, maxAttempts: maxAttempts, createdAt: start.addingTimeInterval(offset))
    }

    @Test func leasesOldestFirstAndOnlyOnce() async throws {
        let queue = try makeQueue()
        try await queue.enqueue(job("B", at: 1))
        try await queue.enqueue(job("A", at: 0))
        let first = try await queue.lease(workerID: "w1", leaseDuration: .seconds(30), now: start)
        let second = try await queue.lease(workerID: "w2", leaseDuration: .seconds(30), now: start)
        let third = try await queue.lease(workerID: "w3", leaseDuration: .seconds(30), now: start)
        #expect(first?.id == "A")
        #expect(second?.id == "B")
        #expect(third == nil)
        #expect(first?.attempts == 1)
        #expect(first?.state == .running)
    }

    @Test func duplicateIDsAreRefused() async throws {
        let queue = try makeQueue()
        try await queue.enqueue(job("A"))
        await #expect(throws: JobQueueError.duplicateID("A")) { try await queue.enqueue(job("A")) }
    }

    /// A worker that stops heartbeating loses the job to another; its late completion is ignored.
    @Test func expiredLeaseGoesBackToTheQueue() async throws {
        let queue = try makeQueue()
        try await queue.enqueue(job("A"))
        _ = try await queue.lease(workerID: "w1", leaseDuration: .seconds(30), now: start)
        #expect(try await queue.heartbeat(jobID: "A", workerID: "w1", leaseDuration: .seconds(30), now: start.addingTimeInterval(20)))
        #expect(try await queue.lease(workerID: "w2", leaseDuration: .seconds(30), now: start.addingTimeInterval(45)) == nil)
        let retaken = try await queue.lease(workerID: "w2", leaseDuration: .seconds(30), now: start.addingTimeInterval(51))
        #expect(retaken?.id == "A")
        #expect(retaken?.attempts == 2)
        #expect(try await !queue.heartbeat(jobID: "A", workerID: "w1", leaseDuration: .seconds(30), now: start.addingTimeInterval(52)))
        try await queue.complete(jobID: "A", workerID: "w1", result: JobResult(pageCount: 9), now: start.addingTimeInterval(53))
        #expect(try await queue.job(id: "A")?.state == .running)
        try await queue.complete(jobID: "A", workerID: "w2", result: JobResult(pageCount: 1), now: start.addingTimeInterval(54))
        let done = try await queue.job(id: "A")
        #expect(done?.state == .success)
        #expect(done?.result?.pageCount == 1)
        #expect(done?.expiresAt == start.addingTimeInterval(54 + 3600))
    }

    /// After `maxAttempts` lost leases the job fails with a reason instead of looping forever.
    @Test func attemptsAreLimited() async throws {
        let queue = try makeQueue()
        try await queue.enqueue(job("A", maxAttempts: 2))
        var now = start
        for _ in 0..<2 {
            #expect(try await queue.lease(workerID: "w", leaseDuration: .seconds(30), now: now)?.id == "A")
            now = now.addingTimeInterval(31)
        }
        #expect(try await queue.lease(workerID: "w", leaseDuration: .seconds(30), now: now) == nil)
        let failed = try await queue.job(id: "A")
        #expect(failed?.state == .failed)
        #expect(failed?.failure?.message.contains("interrupted 2 times") == true)
    }

    /// Retryable failures requeue while attempts remain; others end the job at once.
    @Test func failureRetryRules() async throws {
        let queue = try makeQueue()
        try await queue.enqueue(job("A", maxAttempts: 2))
        try await queue.enqueue(job("B", at: 1))
        _ = try await queue.lease(workerID: "w", leaseDuration: .seconds(30), now: start)
        try await queue.fail(jobID: "A", workerID: "w", failure: JobFailure(status: 500, message: "crash", isRetryable: true), now: start)
        #expect(try await queue.job(id: "A")?.state == .queued)
        _ = try await queue.lease(workerID: "w", leaseDuration: .seconds(30), now: start)
        try await queue.fail(jobID: "A", workerID: "w", failure: JobFailure(status: 500, message: "crash", isRetryable: true), now: start)
        #expect(try await queue.job(id: "A")?.state == .failed)
        _ = try await queue.lease(workerID: "w", leaseDuration: .seconds(30), now: start)
        try await queue.fail(jobID: "B", workerID: "w", failure: JobFailure(status: 441, message: "password"), now: start)
        let b = try await queue.job(id: "B")
        #expect(b?.state == .failed)
        #expect(b?.failure?.status == 441)
    }

    /// On restart every running job is handed back at once (or failed, when out of attempts).
    @Test func releaseAllLeasesOnStartup() async throws {
        let queue = try makeQueue()
        try await queue.enqueue(job("A"))
        try await queue.enqueue(job("B", at: 1, maxAttempts: 1))
        _ = try await queue.lease(workerID: "dead", leaseDuration: .seconds(300), now: start)
        _ = try await queue.lease(workerID: "dead", leaseDuration: .seconds(300), now: start)
        #expect(try await queue.releaseAllLeases(now: start.addingTimeInterval(1)) == 2)
        #expect(try await queue.job(id: "A")?.state == .queued)
        #expect(try await queue.job(id: "B")?.state == .failed)
        #expect(try await queue.counts()[.queued] == 1)
    }

    @Test func expiredJobsAreRemoved() async throws {
        let queue = try makeQueue()
        try await queue.enqueue(job("A"))
        _ = try await queue.lease(workerID: "w", leaseDuration: .seconds(30), now: start)
        try await queue.complete(jobID: "A", workerID: "w", result: JobResult(), now: start)
        #expect(try await queue.removeExpired(now: start.addingTimeInterval(3599)) == 0)
        #expect(try await queue.removeExpired(now: start.addingTimeInterval(3601)) == 1)
        #expect(try await queue.job(id: "A") == nil)
    }
}

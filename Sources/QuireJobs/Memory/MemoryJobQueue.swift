// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore

/// A job queue held in memory: for unit tests and tools that need no durability.
/// Follows the same lease rules as the SQLite queue (`JobRecord+Lease`).
package actor MemoryJobQueue: JobQueue {
    private var jobs: [String: JobRecord] = [:]
    private let clock: JobClock
    private let signals: any JobSignals

    package init(signals: any JobSignals = InProcessJobSignals(), clock: JobClock = .database) {
        self.signals = signals
        self.clock = clock
    }

    private var now: Date { clock.override?() ?? Date() }

    package func enqueue(_ job: JobRecord) async throws {
        guard jobs[job.id] == nil else { throw JobQueueError.duplicateID(job.id) }
        jobs[job.id] = job
        await signals.jobEnqueued()
    }

    package func lease(workerID: String, leaseDuration: Duration) async throws -> JobRecord? {
        let now = self.now
        for id in reclaimExpiredLeases(now: now) { await signals.jobFinished(id) }
        // Ties on createdAt are broken by ID so the order is total, as SQL's would be stable.
        guard var job = jobs.values.filter({ $0.state == .queued }).min(by: { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) })
        else { return nil }
        job.takeLease(workerID: workerID, duration: leaseDuration, now: now)
        jobs[job.id] = job
        return job
    }

    /// Drops every lapsed lease; returns the jobs that finished (out of attempts).
    private func reclaimExpiredLeases(now: Date) -> [String] {
        var finished: [String] = []
        for var job in jobs.values where job.state == .running && (job.leaseExpiresAt ?? .distantPast) < now {
            if job.dropLease(now: now) { finished.append(job.id) }
            jobs[job.id] = job
        }
        return finished
    }

    package func heartbeat(jobID: String, workerID: String, leaseDuration: Duration) async throws -> Bool {
        guard var job = jobs[jobID], job.isLeased(by: workerID) else { return false }
        job.leaseExpiresAt = now.addingTimeInterval(leaseDuration.timeInterval)
        jobs[jobID] = job
        return true
    }

    package func complete(jobID: String, workerID: String, result: JobResult) async throws {
        guard var job = jobs[jobID], job.isLeased(by: workerID) else { return }
        job.finish(.success, now: now)
        job.result = result
        jobs[jobID] = job
        await signals.jobFinished(jobID)
    }

    package func fail(jobID: String, workerID: String, failure: JobFailure) async throws {
        guard var job = jobs[jobID], job.isLeased(by: workerID) else { return }
        let finished = job.record(failure, now: now)
        jobs[jobID] = job
        if finished { await signals.jobFinished(jobID) } else { await signals.jobEnqueued() }
    }

    package func handBack(jobID: String, workerID: String) async throws {
        guard var job = jobs[jobID], job.isLeased(by: workerID) else { return }
        job.handBack()
        jobs[jobID] = job
        await signals.jobEnqueued()
    }

    package func job(id: String) async throws -> JobRecord? { jobs[id] }

    package func releaseLeases(ofEarlierRunsOf identity: WorkerIdentity) async throws -> Int {
        let now = self.now
        var released = 0
        var finished: [String] = []
        for var job in jobs.values where job.state == .running && identity.isEarlierRun(job.leaseOwner) {
            if job.dropLease(now: now) { finished.append(job.id) }
            jobs[job.id] = job
            released += 1
        }
        for id in finished { await signals.jobFinished(id) }
        if released > 0 { await signals.jobEnqueued() }
        return released
    }

    package func removeExpired() async throws -> Int {
        let now = self.now
        let expired = jobs.values.filter { $0.state.isFinished && ($0.expiresAt ?? .distantFuture) < now }
        for job in expired { jobs[job.id] = nil }
        return expired.count
    }

    package func activeJobCount(owner: String) async throws -> Int {
        jobs.values.count { $0.owner == owner && ($0.state == .queued || $0.state == .running) }
    }

    package func counts() async throws -> [JobState: Int] {
        jobs.values.reduce(into: [:]) { counts, job in counts[job.state, default: 0] += 1 }
    }
}

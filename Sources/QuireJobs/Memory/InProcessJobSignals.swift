// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation

/// Wake-ups within one process: enough for SQLite, whose data directory lock makes one process
/// the only writer; a queue shared between machines needs its database's own notifications.
package actor InProcessJobSignals: JobSignals {
    private var workWaiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
    private var finishWaiters: [String: [UInt64: CheckedContinuation<Void, Never>]] = [:]
    /// Waiter tokens: a counter, not UUIDs (each UUID read /dev/urandom: three system calls).
    private var lastToken: UInt64 = 0
    /// Enqueue signals nobody waited for: a worker that found the queue empty a moment before
    /// the job arrived, and registers just after its signal, must not sleep a whole poll.
    private var unclaimedWork = 0
    /// Jobs that finished lately, for a sync request that read its job as running just before
    /// the signal came (bounded: the oldest are forgotten).
    private var recentlyFinished: Set<String> = []
    /// The same IDs in a ring, oldest at `oldestFinished` once full (removing an array's first
    /// element moved all 4 096 others on every job).
    private var finishedOrder: [String] = []
    private var oldestFinished = 0
    private static let maxUnclaimedWork = 64
    private static let maxRecentlyFinished = 4096

    package init() {}

    package func jobEnqueued() {
        if workWaiters.isEmpty { unclaimedWork = min(unclaimedWork + 1, Self.maxUnclaimedWork) }
        wakeWaitingWorkers()
    }

    /// Wakes the workers waiting now, banking nothing for later ones (after a listener
    /// reconnects: signals may have been missed, but workers not waiting will lease anyway).
    package func wakeWaitingWorkers() {
        let waiters = workWaiters
        workWaiters.removeAll()
        for waiter in waiters.values { waiter.resume() }
    }

    package func jobFinished(_ id: String) {
        if recentlyFinished.insert(id).inserted {
            if finishedOrder.count < Self.maxRecentlyFinished {
                finishedOrder.append(id)
            } else {
                recentlyFinished.remove(finishedOrder[oldestFinished])
                finishedOrder[oldestFinished] = id
                oldestFinished = (oldestFinished + 1) % Self.maxRecentlyFinished
            }
        }
        guard let waiters = finishWaiters.removeValue(forKey: id) else { return }
        for waiter in waiters.values { waiter.resume() }
    }

    /// Returns when a job is enqueued or after `timeout`.
    package func waitForWork(timeout: Duration) async {
        if unclaimedWork > 0 {
            unclaimedWork -= 1
            return
        }
        await wait(timeout: timeout, register: { self.workWaiters[$0] = $1 }, remove: { self.workWaiters.removeValue(forKey: $0) })
    }

    /// Returns when job `id` finishes or after `timeout`.
    package func waitForFinish(of id: String, timeout: Duration) async {
        if recentlyFinished.contains(id) { return }
        await wait(
            timeout: timeout,
            register: { self.finishWaiters[id, default: [:]][$0] = $1 },
            remove: { token in
                let waiter = self.finishWaiters[id]?.removeValue(forKey: token)
                if self.finishWaiters[id]?.isEmpty == true { self.finishWaiters[id] = nil }
                return waiter
            })
    }

    private func wait(
        timeout: Duration,
        register: (UInt64, CheckedContinuation<Void, Never>) -> Void,
        remove: @escaping (UInt64) -> CheckedContinuation<Void, Never>?
    ) async {
        lastToken += 1
        let token = lastToken
        let timer = Task {
            try? await Task.sleep(for: timeout)
            self.resume(token: token, remove: remove)
        }
        await withCheckedContinuation { continuation in register(token, continuation) }
        timer.cancel()
    }

    private func resume(token: UInt64, remove: (UInt64) -> CheckedContinuation<Void, Never>?) {
        remove(token)?.resume()
    }
}

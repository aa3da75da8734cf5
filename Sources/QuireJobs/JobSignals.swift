// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation

/// Wake-ups: a worker sleeping for work, a sync request waiting for its job.
///
/// Only an optimisation: waiters also poll, so a missed signal costs latency, never a job.
package protocol JobSignals: Sendable {
    func jobEnqueued() async
    func jobFinished(_ id: String) async
    /// Returns when a job is enqueued or after `timeout`.
    func waitForWork(timeout: Duration) async
    /// Returns when job `id` finishes or after `timeout`.
    func waitForFinish(of id: String, timeout: Duration) async
}

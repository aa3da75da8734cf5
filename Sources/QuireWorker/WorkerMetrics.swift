// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import Metrics
import QuireCore

/// What the worker counts, through swift-metrics (`quire serve` bootstraps Prometheus; tests and
/// `quire convert` record into nothing).
enum WorkerMetrics {
    /// A job attempt ended: `outcome` is success, failed (for good), retry (it runs again) or
    /// handed-back (shutdown).
    static func attemptEnded(operation: String, outcome: String, started: ContinuousClock.Instant) {
        Counter(label: "quire_job_attempts_total", dimensions: [("operation", operation), ("outcome", outcome)]).increment()
        Timer(label: "quire_job_attempt_duration_seconds", dimensions: [("operation", operation)], preferredDisplayUnit: .seconds)
            .recordNanoseconds(Int64((ContinuousClock.now - started).timeInterval * 1_000_000_000))
    }

    /// An engine host process was stopped: crash, timeout, memory, recycled (its job count),
    /// bloated (over its memory limit after a job).
    static func hostRestarted(kind: String, cause: String) {
        Counter(label: "quire_engine_host_restarts_total", dimensions: [("host", kind), ("cause", cause)]).increment()
    }

    /// Bytes put into the file store: `kind` result (job results) or upload (API uploads count
    /// themselves in QuireAPI).
    static func stored(bytes: Int, kind: String) {
        Counter(label: "quire_stored_bytes_total", dimensions: [("kind", kind)]).increment(by: Int64(max(bytes, 0)))
    }
}

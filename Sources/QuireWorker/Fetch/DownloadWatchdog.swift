// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore

/// The slowest download accepted: fewer than `bytes` received in any `window` stops it.
package struct TransferRate: Sendable, Equatable {
    package var bytes: Int
    package var window: Duration

    package init(bytes: Int, window: Duration) {
        self.bytes = bytes
        self.window = window
    }

    /// 16 KiB in 15 s (about 1 KiB/s): a real server is far faster, a drip-feeding one is stopped
    /// long before the job timeout.
    package static let `default` = TransferRate(bytes: 16 << 10, window: .seconds(15))
}

/// Bytes received by one download, shared between the task that reads the body and its watchdog.
final class DownloadMeter: @unchecked Sendable {
    private let lock = NSLock()
    private var received = 0
    private var bodyStart: ContinuousClock.Instant?

    /// The response head arrived: from now on the body must keep the minimum rate.
    func startBody() { lock.withLock { bodyStart = .now } }

    func add(_ count: Int) { lock.withLock { received += count } }

    var progress: (received: Int, bodyStart: ContinuousClock.Instant?) { lock.withLock { (received, bodyStart) } }
}

/// Stops a download at its deadline or when its body arrives slower than a `TransferRate`.
///
/// Per-read timeouts alone let a peer that sends one byte every few seconds hold a worker for
/// ever (and heartbeats keep its lease alive), so time and progress are watched from outside the
/// read loop.
struct DownloadWatchdog: Sendable {
    let deadline: ContinuousClock.Instant
    let rate: TransferRate

    /// Returns never; throws `JobFailure` when the download must stop, `CancellationError` when
    /// the download ended first.
    func watch(_ meter: DownloadMeter) async throws {
        let tick = min(Duration.seconds(1), rate.window / 5)
        var samples: [(at: ContinuousClock.Instant, received: Int)] = []
        while true {
            let now = ContinuousClock.now
            if now >= deadline { throw Self.deadlineExceeded }
            let (received, bodyStart) = meter.progress
            if let bodyStart {
                if samples.isEmpty { samples.append((bodyStart, 0)) }
                samples.append((now, received))
                // The newest sample at least one window old is the base of the sliding window.
                if let base = samples.lastIndex(where: { now - $0.at >= rate.window }) {
                    if received - samples[base].received < rate.bytes { throw tooSlow }
                    samples.removeFirst(base)
                }
            }
            try await Task.sleep(until: min(now + tick, deadline), clock: .continuous)
        }
    }

    static let deadlineExceeded = JobFailure(
        status: 400, message: "Downloading the input took longer than the job timeout allows and was stopped.")

    var tooSlow: JobFailure {
        let amount = rate.bytes >= 1024 ? "\(rate.bytes >> 10) KB" : "\(rate.bytes) bytes"
        return JobFailure(
            status: 400,
            message:
                "The input URL sent less than \(amount) in \(Int(rate.window.timeInterval)) s; the download was stopped as too slow."
        )
    }
}

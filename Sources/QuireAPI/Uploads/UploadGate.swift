// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation

/// Caps the uploads received at once: each holds a scratch file and may take a thread to
/// decode, so a burst of them must not exhaust the disk or the CPU the API answers with.
package final class UploadGate: Sendable {
    private let limit: Int
    private let active = NSLockedCounter()

    package init(limit: Int) {
        self.limit = limit
    }

    /// Runs `body` as one of at most `limit` uploads.
    /// - Throws: `APIError` 429 when `limit` uploads are already in progress.
    package func admit<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        guard active.increment(ifBelow: limit) else {
            throw APIError(429, "Too many uploads in progress on this server (--max-uploads); try again in a moment.")
        }
        defer { active.decrement() }
        return try await body()
    }
}

/// A counter behind a lock.
private final class NSLockedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    func increment(ifBelow limit: Int) -> Bool {
        lock.withLock {
            guard value < limit else { return false }
            value += 1
            return true
        }
    }

    func decrement() { lock.withLock { value -= 1 } }
}

/// Runs CPU- or disk-heavy work (decoding, splitting uploads) on a Dispatch thread, so it
/// never occupies the few threads that serve every request.
enum OffLoop {
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try body() }) }
        }
    }
}

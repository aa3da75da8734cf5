// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation

/// Caps the uploads received at once: each holds a scratch file and may take a thread to
/// decode, so a burst of them must not exhaust the disk or the CPU the API answers with. One
/// client (an API key, or an address for keyless callers) may hold half of the slots, so a
/// few slow uploads of one client cannot lock everyone else out.
package final class UploadGate: Sendable {
    private let limit: Int
    private let perClient: Int
    private let counts = UploadCounts()

    package init(limit: Int) {
        self.limit = limit
        // Half, not less: integrations upload a job's files in parallel.
        self.perClient = max(1, limit / 2)
    }

    /// Runs `body` as one of at most `limit` uploads, at most half of them (1 or more) `client`'s.
    /// - Throws: `APIError` 429 when either is reached.
    package func admit<T: Sendable>(client: String, _ body: () async throws -> T) async throws -> T {
        guard counts.enter(client, total: limit, perClient: perClient) else {
            throw APIError(429, "Too many uploads in progress (--max-uploads); try again in a moment.", retryAfter: 1)
        }
        defer { counts.leave(client) }
        return try await body()
    }
}

/// Uploads in progress, in all and per client, behind a lock.
private final class UploadCounts: @unchecked Sendable {
    private let lock = NSLock()
    private var total = 0
    private var byClient: [String: Int] = [:]

    func enter(_ client: String, total limit: Int, perClient: Int) -> Bool {
        lock.withLock {
            guard total < limit, byClient[client, default: 0] < perClient else { return false }
            total += 1
            byClient[client, default: 0] += 1
            return true
        }
    }

    func leave(_ client: String) {
        lock.withLock {
            total -= 1
            byClient[client, default: 1] -= 1
            if byClient[client] == 0 { byClient[client] = nil }
        }
    }
}

/// Runs CPU- or disk-heavy work (decoding, splitting uploads) on a Dispatch thread, so it
/// never occupies the few threads that serve every request; at most one fewer at once than
/// there are cores, so eight uploads decoding together still leave a core to answer requests.
enum OffLoop {
    private static let queue = DispatchQueue(label: "quire.uploads", attributes: .concurrent)
    private static let slots = DispatchSemaphore(value: max(1, ProcessInfo.processInfo.activeProcessorCount - 1))

    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                slots.wait()
                defer { slots.signal() }
                continuation.resume(with: Result { try body() })
            }
        }
    }
}

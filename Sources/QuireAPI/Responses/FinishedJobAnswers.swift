// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import Metrics
import NIOCore

/// The encoded `/job/check` answers of finished jobs. A finished job never changes until it
/// expires, and clients poll it in a loop: answering from here skips the database read, the
/// record's decoding and the JSON encoding. Bounded: past `capacity` entries, some are dropped.
/// Its size is on `/metrics` (`quire_job_answers_cached_*`), to tell it from a leak in a soak.
final class FinishedJobAnswers: @unchecked Sendable {
    private struct Entry {
        var owner: String?
        var body: ByteBuffer
        var expiresAt: Date
    }

    private let lock = NSLock()
    private var entries: [String: Entry] = [:]
    private var bodyBytes = 0
    let capacity: Int

    init(capacity: Int = 10_000) {
        self.capacity = max(1, capacity)
    }

    /// The answer for `id` when `owner` may see it and it has not expired.
    func answer(for id: String, owner: String?, now: Date = Date()) -> ByteBuffer? {
        lock.withLock {
            guard let entry = entries[id] else { return nil }
            guard now < entry.expiresAt else {
                remove(id)
                reportSize()
                return nil
            }
            return entry.owner == owner ? entry.body : nil
        }
    }

    func store(_ body: ByteBuffer, for id: String, owner: String?, expiresAt: Date) {
        lock.withLock {
            if entries.count >= capacity {
                // Any tenth goes: a dropped answer is only read from the database again.
                for key in Array(entries.keys.prefix(max(1, capacity / 10))) { remove(key) }
            }
            remove(id)
            entries[id] = Entry(owner: owner, body: body, expiresAt: expiresAt)
            bodyBytes += body.readableBytes
            reportSize()
        }
    }

    /// How many answers are kept, and their bytes (without the dictionary's own overhead).
    var size: (entries: Int, bytes: Int) { lock.withLock { (entries.count, bodyBytes) } }

    /// Under `lock`.
    private func remove(_ id: String) {
        if let entry = entries.removeValue(forKey: id) { bodyBytes -= entry.body.readableBytes }
    }

    /// Under `lock`.
    private func reportSize() {
        Gauge(label: "quire_job_answers_cached_entries").record(entries.count)
        Gauge(label: "quire_job_answers_cached_bytes").record(bodyBytes)
    }
}

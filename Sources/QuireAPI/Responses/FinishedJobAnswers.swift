// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import NIOCore

/// The encoded `/job/check` answers of finished jobs. A finished job never changes until it
/// expires, and clients poll it in a loop: answering from here skips the database read, the
/// record's decoding and the JSON encoding. Bounded: past `capacity` entries, some are dropped.
final class FinishedJobAnswers: @unchecked Sendable {
    private struct Entry {
        var owner: String?
        var body: ByteBuffer
        var expiresAt: Date
    }

    private let lock = NSLock()
    private var entries: [String: Entry] = [:]
    let capacity: Int

    init(capacity: Int = 10_000) {
        self.capacity = max(1, capacity)
    }

    /// The answer for `id` when `owner` may see it and it has not expired.
    func answer(for id: String, owner: String?, now: Date = Date()) -> ByteBuffer? {
        lock.withLock {
            guard let entry = entries[id] else { return nil }
            guard now < entry.expiresAt else {
                entries[id] = nil
                return nil
            }
            return entry.owner == owner ? entry.body : nil
        }
    }

    func store(_ body: ByteBuffer, for id: String, owner: String?, expiresAt: Date) {
        lock.withLock {
            if entries.count >= capacity {
                // Any tenth goes: a dropped answer is only read from the database again.
                for key in entries.keys.prefix(max(1, capacity / 10)) { entries[key] = nil }
            }
            entries[id] = Entry(owner: owner, body: body, expiresAt: expiresAt)
        }
    }
}

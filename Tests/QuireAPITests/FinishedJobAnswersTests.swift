// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import NIOCore
import Testing

@testable import QuireAPI

/// The cache of finished `/job/check` answers: only the owner reads an entry, never past its
/// expiry, and it stays within its capacity.
struct FinishedJobAnswersTests {
    let body = ByteBuffer(string: #"{"status":"success"}"#)

    @Test func ownerOnlyAndNotPastExpiry() {
        let cache = FinishedJobAnswers()
        let now = Date()
        cache.store(body, for: "JOB", owner: "alice", expiresAt: now.addingTimeInterval(60))
        #expect(cache.answer(for: "JOB", owner: "alice", now: now) == body)
        #expect(cache.answer(for: "JOB", owner: "bob", now: now) == nil, "another key's job is unknown to it")
        #expect(cache.answer(for: "OTHER", owner: "alice", now: now) == nil)
        #expect(cache.answer(for: "JOB", owner: "alice", now: now.addingTimeInterval(61)) == nil, "expired")
        #expect(cache.answer(for: "JOB", owner: "alice", now: now) == nil, "an expired entry is dropped")
    }

    @Test func staysWithinCapacity() {
        let cache = FinishedJobAnswers(capacity: 100)
        let later = Date().addingTimeInterval(3600)
        for index in 0..<1000 { cache.store(body, for: "JOB\(index)", owner: "alice", expiresAt: later) }
        let kept = (0..<1000).filter { cache.answer(for: "JOB\($0)", owner: "alice") != nil }.count
        #expect(kept <= 100 && kept > 0, "\(kept) kept")
        #expect(cache.answer(for: "JOB999", owner: "alice") != nil, "the newest is kept")
        let size = cache.size
        #expect(size.entries == kept && size.bytes == kept * body.readableBytes, "\(size)")
    }

    /// The size `/metrics` shows follows stores, replacements and expiries.
    @Test func sizeCountsWhatIsKept() {
        let cache = FinishedJobAnswers()
        let now = Date()
        cache.store(body, for: "A", owner: nil, expiresAt: now.addingTimeInterval(60))
        cache.store(body, for: "A", owner: nil, expiresAt: now.addingTimeInterval(60))
        cache.store(ByteBuffer(string: "{}"), for: "B", owner: nil, expiresAt: now.addingTimeInterval(1))
        #expect(cache.size == (2, body.readableBytes + 2))
        _ = cache.answer(for: "B", owner: nil, now: now.addingTimeInterval(2))
        #expect(cache.size == (1, body.readableBytes))
    }
}

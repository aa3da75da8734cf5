// SPDX-License-Identifier: AGPL-3.0-or-later
import QuireCore
import Testing

/// Job and file IDs: the length asked for, PDF.co's alphabet, and every character of it
/// about equally likely (the byte-to-character mapping drops the bytes that would bias it).
struct RandomIDTests {
    @Test func lengthAlphabetAndUniformity() {
        let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        var counts: [Character: Int] = [:]
        var seen = Set<String>()
        for _ in 0..<10_000 {
            let id = RandomID.make()
            #expect(id.count == 32)
            #expect(id.allSatisfy(alphabet.contains))
            seen.insert(id)
            for character in id { counts[character, default: 0] += 1 }
        }
        #expect(seen.count == 10_000)
        #expect(RandomID.make(length: 5).count == 5 && RandomID.make(length: 0).isEmpty)
        // 320 000 draws: 8 889 expected per character, sigma 93. A biased mapping (byte % 36 over
        // all 256 byte values) gives the first four characters 10 000 each, 12 sigma off; the
        // bounds are 6 sigma.
        #expect(counts.count == 36)
        #expect(counts.values.allSatisfy { (8_330...9_450).contains($0) }, "\(counts.sorted { $0.key < $1.key })")
    }
}
